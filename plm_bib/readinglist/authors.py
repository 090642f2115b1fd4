"""Name lists as lists write them: ``A, B and C``, ``Family, Given and Family, Given``, MLA,
``Dai, J., He, K.``, ``et al.``, ``by ...``, LaTeX escapes, Chinese names (``张三，李四``).

:func:`author_list` says whether a segment is a name list (and reads it) from its shape:
capitalised name tokens, particles, no title words; the names themselves are read by
:mod:`plm_bib.metadata.names`.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import List, Optional, Tuple

from plm_bib.metadata.names import OTHERS, han_name, parse_author_list, parse_name
from plm_bib.model import Person
from plm_bib.readinglist.text import CJK, clean

__all__ = ["author_list"]

_PARTICLES = {"van", "von", "de", "der", "den", "di", "da", "la", "le", "del", "dos", "du", "y", "bin", "al", "el"}
_TITLE_WORDS = {"learning", "network", "networks", "neural", "model", "models", "deep", "via", "for", "of", "the",
                "with", "towards", "using", "graph", "language", "attention", "transformer", "transformers", "on",
                "in", "from", "to", "by", "an", "a", "is", "are", "all", "need", "generation", "data",
                "training", "pre-training", "semantic", "representation", "representations", "analysis",
                "survey", "review", "detection", "recognition", "classification", "system", "systems", "text",
                "image", "video", "multi", "large", "scale", "efficient", "fast", "robust", "unsupervised",
                "supervised", "self-supervised", "adversarial", "knowledge", "information", "extraction",
                "embedding", "embeddings", "retrieval", "question", "answering", "dialogue", "translation"}


# between Chinese names: commas (full and half width), the enumeration comma, semicolons,
# spaces, "and", "&"
_CJK_SEPARATOR = re.compile(r"\s*(?:[，,、;；&]|(?<![A-Za-z])and(?![A-Za-z]))\s*|\s+")
# a Chinese name: two to four characters, or a transliterated name in parts joined by a middle
# dot (买买提·艾力)
_CJK_NAME = re.compile(r"[\u3400-\u9fff]{2,4}|[\u3400-\u9fff]{1,8}(?:[·・][\u3400-\u9fff]{1,8}){1,3}")
_NAME_TOKEN = re.compile(r"^(?:[A-Z\u00c0-\u024f][\w\u00c0-\u024f'’.-]*|[A-Z]\.(?:-?[A-Z]\.)*|\([A-Z][a-z]+\))$")


def _name_ok(name: str) -> bool:
    toks = name.split()
    if not toks or len(toks) > 5:
        return False
    caps = 0
    for tok in toks:
        if tok in _PARTICLES:
            continue
        if not _NAME_TOKEN.match(tok) or any(ch.isdigit() for ch in tok):
            return False
        if len(tok.strip(".")) > 1 and tok.lower().strip(".") in _TITLE_WORDS:
            return False
        caps += 1
    return caps >= 1


def author_list(text: str) -> Optional[List[Person]]:
    """The persons of a name list (``A, B and C``, ``Family, Given and ...``, ``A et al.``,
    ``张三，李四``), or ``None`` when ``text`` does not look like one."""
    people = _author_list(text)
    return list(people) if people is not None else None


@lru_cache(maxsize=16384)
def _author_list(text: str) -> Optional[Tuple[Person, ...]]:
    found = _read_names(text)
    return tuple(found) if found is not None else None


def _read_names(text: str) -> Optional[List[Person]]:
    t = clean(text)
    if "{" in t or "\\" in t:
        from plm_bib.bibtex.decode import latex_to_text

        t = latex_to_text(t)  # names copied from BibTeX: Firl{\k{a}}g, Taub{-}Tabib
    t = re.sub(r"^(by|authors?\s*[:：]|作者\s*[:：]?)\s*", "", t, flags=re.I).strip(" .,;:*")
    if not t or len(t) > 1200:
        return None
    others = False
    if re.search(r"\bet\.? al\.?|\band others\b|等$|等人$", t):
        others = True
        t = re.sub(r",?\s*(\bet\.? al\.?|\band others\b|等人?$)", ",", t).strip(" ,")
    if not t:
        return None
    if CJK.search(t):
        # 曾小明, 沈大力 and 单田芳 / 曾小明、沈大力 / 曾小明，沈大力等 / 曾小明; 沈大力
        parts = [p for p in _CJK_SEPARATOR.split(t) if p]
        if parts and all(_CJK_NAME.fullmatch(p) for p in parts) and (len(parts) >= 2 or others):
            people = [han_name(p) for p in parts]
            return people + ([OTHERS] if others else [])
        return None
    t = re.sub(r"\s*[(（][^()（）]{1,40}[)）]$", "", t)  # "… Jan Kautz (NVIDIA)": an affiliation
    if t.count(";") >= 1 and ":" not in t:
        # "Mordvintsev, Alexander; Olah, Christopher; Tyka, Mike"
        parts_sc = [p.strip() for p in t.split(";") if p.strip()]
        if all(p.count(",") <= 1 for p in parts_sc):
            found = []
            for p in parts_sc:
                fam, _, given = p.partition(",")
                if not _name_ok(fam.strip()):
                    return None
                found.append(Person(family=fam.strip(), given=given.strip()) if given else parse_name(fam.strip()))
            return found + ([OTHERS] if others else [])
    if re.search(r"[:;!?\"“”()（）\[\]]", t.replace("(Kenneth)", "")):
        return None
    and_parts = [p.strip() for p in re.split(r"\s+and\s+|\s*&\s*", t) if p.strip()]
    if len(and_parts) >= 2 and all(p.count(",") % 2 == 1 for p in and_parts) and \
            any(p.count(",") > 1 for p in and_parts):
        # "Zhang, Jiawen, Zhu, Jiaqi and Wang, Hongan": family, given pairs
        flat = [x.strip() for p in and_parts for x in p.split(",")]
        and_parts = [f"{flat[k]}, {flat[k + 1]}" for k in range(0, len(flat) - 1, 2)]
    if len(and_parts) >= 2 and all(p.count(",") == 1 or (p.count(",") == 0 and len(p.split()) == 1)
                                   for p in and_parts) and sum(p.count(",") for p in and_parts) * 2 > len(and_parts):
        names = []
        for p in and_parts:
            fam, given = [x.strip() for x in p.split(",")] if "," in p else (p, "")
            if not (_name_ok(fam) and (not given or _name_ok(given.replace("(Kenneth)", "").strip() or "X"))):
                return None
            names.append(Person(family=fam, given=given))
        return names + ([OTHERS] if others else [])
    parts = [p.strip() for p in re.split(r"\s*,\s*and\s+|\s*,\s*|\s+and\s+|\s*&\s*|\s*、\s*", t) if p.strip()]
    if not parts or not all(_name_ok(p) for p in parts):
        return None
    if len(parts) == 1 and not others and len(parts[0].split()) < 2:
        return None
    # MLA: "Family, Given, Given Family, and Given Family"
    if len(parts) >= 2 and len(parts[0].split()) == 1 and len(parts[1].split()) <= 2 and \
            (len(parts) == 2 or all(len(p.split()) >= 2 for p in parts[2:])):
        first = Person(family=parts[0], given=parts[1])
        rest = [parse_name(p) for p in parts[2:]]
        return [first] + rest + ([OTHERS] if others else [])
    if len(parts) >= 2 and len(parts) % 2 == 0 and \
            all(re.fullmatch(r"(?:[A-Z]\.?\s?-?)+", parts[k]) for k in range(1, len(parts), 2)):
        # "Dai, J., He, K., Sun, J.": family names and initials in turn
        pairs = [Person(family=parts[k], given=parts[k + 1]) for k in range(0, len(parts), 2)]
        return pairs + ([OTHERS] if others else [])
    if len(parts) >= 2 and any(len(p.split()) == 1 for p in parts) and not others:
        return None  # "Exploration and Exploitation Problem": a one-word "name" in a given-family list
    people = parse_author_list(", ".join(parts))
    return people + ([OTHERS] if others else [])

