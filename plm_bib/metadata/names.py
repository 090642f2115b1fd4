"""Person names: from reading-list author lines and from BibTeX name lists.

BibTeX name parsing (``von Last, Jr, First``) is pybtex's; this module only adapts it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import List

from plm_bib.model import Person

__all__ = ["parse_name", "parse_author_list", "parse_bibtex_names", "OTHERS"]

OTHERS = Person(family="others")


def _strip_braces(s: str) -> str:
    return s.replace("{", "").replace("}", "")


_CJK = re.compile(r"[\u3400-\u9fff]")
# "Last, First Middle" and "First Middle Last" where every word of Last (and, in the second
# form, every word) starts with a capital and no word holds a brace, backslash or tilde:
# pybtex's answer is then read here without it (tests/bibtex/test_bibtex_fastpath.py compares the two,
# the oracle parse_name_reference in tests/oracles/bibtex_oracles.py, on every name of the shared corpora)
_CAP = r"[A-Z][^\s,{}\\~]*"
_ANY = r"[^\s,{}\\~]+"
_SIMPLE = re.compile(rf"({_CAP}(?: {_CAP})*), ({_ANY}(?: {_ANY})*)")
_SIMPLE_DIRECT = re.compile(rf"({_CAP}(?: {_CAP})*) ({_CAP})")
_AND = re.compile(r"\s+and\s+(?![^{]*\})")


@lru_cache(maxsize=1 << 17)
def parse_name(name: str) -> Person:
    """``Jacob Devlin`` / ``Devlin, Jacob`` / ``Ludwig van Beethoven`` -> Person."""
    name = name.strip()
    m = _SIMPLE.fullmatch(name)
    if m is not None:
        return Person(family=m.group(1), given=m.group(2))
    m = _SIMPLE_DIRECT.fullmatch(name)
    if m is not None:
        return Person(family=m.group(2), given=m.group(1))
    return _parse_name(name)


def _parse_name(name: str) -> Person:
    if name.lower() in ("others", "et al", "et al."):
        return OTHERS
    if not name:
        return Person(family="")
    if _CJK.search(name) and " " not in name and "," not in name:
        return Person(family=name)  # a CJK name written as one token stays whole
    from pybtex.database import Person as PybtexPerson

    try:
        p = PybtexPerson(name)
    except Exception:  # pybtex rejects some malformed names: keep the text whole
        return Person(family=name)
    return Person(
        family=" ".join(p.last_names),
        given=" ".join(p.first_names + p.middle_names),
        prefix=" ".join(p.prelast_names),
        suffix=" ".join(p.lineage_names),
    )


def parse_author_list(text: str) -> List[Person]:
    """``A, B and C`` / ``A, B, C`` / ``A, et al.`` (reading-list style) -> persons."""
    text = text.strip().rstrip(".")
    if not text:
        return []
    others = bool(re.search(r",?\s*(et al\.?|等)\s*$", text))
    text = re.sub(r",?\s*(et al\.?|等)\s*$", "", text)
    parts = re.split(r"\s*,\s*and\s+|\s*,\s*|\s+and\s+|\s*&\s*|\s*、\s*|\s*;\s*", text)
    people = [parse_name(p) for p in parts if p.strip()]
    if others:
        people.append(OTHERS)
    return people


def parse_bibtex_names(value: str) -> List[Person]:
    """A BibTeX ``author`` field (``A and B and others``) -> persons, braces kept in parsing."""
    people = []
    for part in _AND.split(value.strip()):
        if not part.strip():
            continue
        if part.strip() == "others":
            people.append(OTHERS)
            continue
        p = parse_name(part)
        people.append(p)
    return people
