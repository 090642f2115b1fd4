"""How a reading list writes its claims and links, learnt from the list and written in it:
the template of a claim (:func:`learn_template`: delimiters, separator, place next to the
title), where a missing venue goes (:func:`insertion`), and the published version's link
added after an arXiv link in that link's notation (:func:`link_edits`).  Used by
:mod:`plm_bib.curation.fix`."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from plm_bib.curation.check import AUTHORITIES
from plm_bib.library import Library
from plm_bib.metadata.ids import extract_ids
from plm_bib.model import Record
from plm_bib.readinglist.claims import claim_of, claim_parts, claim_words, find_claims, parse_claim

__all__ = ["Template", "DEFAULT", "LINK_LABELS", "learn_template", "insertion", "link_edits", "body",
           "reads_as"]

_URL = re.compile(r"(?:https?|ftp)://\S+|www\.\S+")
# the label of an added link, by the id its URL carries
LINK_LABELS = (("acl", "ACL Anthology"), ("pmlr", "PMLR"), ("openreview", "OpenReview"), ("doi", "DOI"))


def body(line: str) -> Tuple[str, str]:
    """A line's text and its end."""
    body = line.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
    return body, line[len(body):]


def reads_as(words: str, r: Record) -> bool:
    """The claim scanner reads ``words`` as the verified venue, year and track of ``r``."""
    c = parse_claim(words) or claim_of(words)
    if c is None or (c.venue or "").lower() != (r.venue or "").lower():
        return False
    if r.year is not None and c.year != r.year:
        return False
    return c.preprint or c.track == r.track


# ------------------------------------------------------------------ the list's own notation
_CLOSERS = ("**", "__", "</a>", "</b>", "</strong>", "</em>", "</i>", "*", "_", "]", "\"", "”", "》")
_OPENERS = ("**", "__", "<b>", "<strong>", "<em>", "<i>", "*", "_", "[", "\"", "“", "《")
_PAIRS = (("**", "**"), ("[", "]"), ("(", ")"), ("（", "）"), ("【", "】"), ("`", "`"), ("*", "*"), ("_", "_"))


def _link_end(line: str, pos: int) -> int:
    """The end of a Markdown link destination ``(...)`` opening at ``pos`` (balanced, a
    backslash escaping the next character), or -1."""
    depth, i = 0, pos
    while i < len(line):
        ch = line[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return -1


def _unit_end(line: str, end: int) -> int:
    """After the title that ends at ``end``: past its closing emphasis, link destination, tags."""
    while True:
        if line.startswith("](", end):
            close = _link_end(line, end + 1)
            if close < 0:
                return end
            end = close
            continue
        closer = next((c for c in _CLOSERS if line.startswith(c, end)), None)
        if closer is None:
            return end
        end += len(closer)


def _unit_start(line: str, start: int) -> int:
    while True:
        opener = next((o for o in _OPENERS if start >= len(o) and line[start - len(o):start] == o), None)
        if opener is None:
            return start
        start -= len(opener)


def _title_span(line: str, r: Record) -> Optional[Tuple[int, int]]:
    for t in tuple(r.titles_as_listed) + (r.title,):
        if t and line.count(t) == 1:
            i = line.index(t)
            return i, i + len(t)
    return None


def _gap_ok(gap: str) -> bool:
    return len(gap) <= 6 and "|" not in gap and not any(ch.isalnum() for ch in gap)


@dataclass(frozen=True)
class Template:
    """How the list writes a claim: ``place`` (``after`` the title and its link or ``before``
    it), ``gap`` (the text between), ``open``/``close`` (the delimiters), ``sep`` (between
    venue and year)."""

    place: str = "after"
    gap: str = " "
    open: str = "("
    close: str = ")"
    sep: str = " "


DEFAULT = Template()


def learn_template(lines: Sequence[str], lib: Library) -> Template:
    """The notation most of the list's claims use (each part by vote: the first seen wins a
    tie), or :data:`DEFAULT` when no claim sits on its item's title line."""
    votes: Dict[str, "Counter[Tuple[str, ...]]"] = {k: Counter() for k in ("place", "delims", "sep")}
    for r in lib:
        for c in r.claims:
            if c.origin != "item" or not c.venue or c.year is None or not 0 < c.line <= len(lines):
                continue
            line = body(lines[c.line - 1])[0]
            span, parts = _title_span(line, r), claim_parts(c.raw)
            if span is None or parts is None or line.count(c.raw) != 1:
                continue
            a = line.index(c.raw)
            z = a + len(c.raw)
            before, after = parts.before, parts.after
            for o, cl in _PAIRS:  # delimiters just outside the claim's text: [ICLR 2023], `ACL 2020`
                if not before and line[:a].endswith(o) and line.startswith(cl, z):
                    a, z, before, after = a - len(o), z + len(cl), o, cl
                    break
            if a >= _unit_end(line, span[1]):
                place, gap = "after", line[_unit_end(line, span[1]):a]
            elif z <= _unit_start(line, span[0]):
                place, gap = "before", line[z:_unit_start(line, span[0])]
            else:
                continue
            if not _gap_ok(gap):
                continue
            votes["place"][(place, gap)] += 1
            votes["delims"][(before.strip(" \t"), after.strip(" \t"))] += 1
            votes["sep"][(parts.sep,)] += 1
    if not votes["place"]:
        return DEFAULT
    place, gap = votes["place"].most_common(1)[0][0]
    open_, close = votes["delims"].most_common(1)[0][0]
    sep = votes["sep"].most_common(1)[0][0][0]
    return Template(place, gap, open_, close, sep if sep in ("", " ", "-", "_", "\u3000") else " ")


def insertion(line: str, r: Record, t: Template) -> Optional[Tuple[int, str]]:
    """Where and what to insert on ``line`` for ``r``'s verified venue, or ``None``."""
    span = _title_span(line, r)
    words = claim_words(r.venue or "", r.year, r.track, t.sep)
    if span is None or words is None or not reads_as(words, r):
        return None
    rest = _URL.sub(" ", line[:span[0]] + " " + line[span[1]:])
    if any(c.venue for c in find_claims(rest.replace("`", " "))[0]):
        return None  # the line names a venue (in code, a tag) the parser did not take for a claim
    token = t.open + words + t.close
    if t.place == "before":
        return _unit_start(line, span[0]), token + t.gap
    return _unit_end(line, span[1]), t.gap + token


# ------------------------------------------------------------------ the published version's link
def _published(scheme: str, value: str) -> bool:
    return scheme in ("acl", "pmlr", "openreview") or (scheme == "doi" and not value.lower().startswith("10.48550/"))


def _published_link(r: Record) -> Optional[Tuple[str, str]]:
    """(label, URL) of ``r``'s published version: a link of the verified record (ACL Anthology,
    PMLR, OpenReview, a DOI; in that order), else its DOI's."""
    for scheme, label in LINK_LABELS:
        for u in r.urls:
            ids = extract_ids(u.url)
            if scheme in ids and _published(scheme, ids[scheme]):
                return label, u.url
    if r.doi and _published("doi", r.doi):
        return "DOI", f"https://doi.org/{r.doi}"
    return None


def _dest(url: str) -> str:
    """A URL as a Markdown link destination or bare link: no space, bracket or control character."""
    return "".join(ch if ch.isascii() and ch.isprintable() and ch not in " ()<>[]`" else
                   "".join(f"%{b:02X}" for b in ch.encode("utf-8")) for ch in url)


def _link_addition(line: str, url: str, label: str, new_url: str) -> Optional[Tuple[int, str]]:
    if line.count(url) != 1:
        return None
    a = line.index(url)
    z = a + len(url)
    if line[:a].endswith("](") or line[:a].endswith("](<"):
        close = line.find(")", z)
        if close < 0:
            return None
        start = line.rfind("[", 0, line.rfind("](", 0, a))
        if start > 0 and line[start - 1] == "[" and line.startswith("]", close + 1):  # [[pdf](...)]
            return close + 2, f" [[{label}]({_dest(new_url)})]"
        return close + 1, f" [{label}]({_dest(new_url)})"
    pairs = {"<": ">", "(": ")", "（": "）", "【": "】"}
    o = line[a - 1:a] if a else ""
    if o in pairs and line.startswith(pairs[o], z):
        space = " " if o.isascii() else ""
        return z + 1, f"{space}{o}{_dest(new_url)}{pairs[o]}"
    return z, f" {_dest(new_url)}"


def link_edits(lines: Sequence[str], lib: Library) -> List[Tuple[int, int, str, str]]:
    """``(line, column, text, why)``: the published version's link after an item's arXiv link,
    for each verified published paper that does not link that version yet."""
    out = []
    for r in lib:
        listed = [u for u in r.urls if u.line]
        if not r.is_paper or not listed or (r.venue or "") in ("", "arXiv") or \
                r.provenance.get("venue") not in AUTHORITIES:
            continue
        pub = _published_link(r)
        mine = {(k, v.lower()) for u in listed for k, v in extract_ids(u.url).items() if _published(k, v)}
        theirs = {(k, v.lower()) for k, v in r.ids.items() if _published(k, v)}
        if pub is None or mine & (theirs | {(k, v.lower()) for k, v in extract_ids(pub[1]).items()}):
            continue  # nothing to add, or the item links the published version already
        arxiv = next((u for u in listed if "arxiv" in extract_ids(u.url) and 0 < u.line <= len(lines)), None)
        if arxiv is None:
            continue
        add = _link_addition(body(lines[arxiv.line - 1])[0], arxiv.url, pub[0], pub[1])
        if add is not None:
            out.append((arxiv.line, add[0], add[1], f"link: the published version ({pub[0]})"))
    return out
