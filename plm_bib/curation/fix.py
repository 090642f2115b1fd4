"""A reading list given back with its verified corrections, in its own notation.

:func:`fix_text` takes the list's text as read (its own line ends) and the Library read from it
with the verified data laid over it (what ``plm-bib check`` compares), and returns the text with
every verified venue, year and track written in (:class:`Fixed`: the text, the edits, and what
was left as it is).  Nothing else changes: an edit replaces the words of one claim inside the
claim as the list wrote it, or inserts one claim; every other character stays.

The rules (``docs/cli.md``, "plm-bib fix"):

- only a finding with a verified value (the curated data, an authority) is written; claims of
  unverified items, titles, and claims a heading makes for all the items under it are left;
- a claim is found by its text on its line; when it is not there exactly once, nothing is
  edited and it is reported;
- inside a claim only the venue, year and track words change: ``**EMNLP 2020**`` ->
  ``**Findings of EMNLP 2020**``, ``ACL2019`` -> ``ACL2020``; the delimiters, the separator
  between venue and year (a space, none, a hyphen) and the venue's own spelling stay; a venue
  claimed for a preprint that never appeared is replaced by ``arXiv YEAR`` in the same
  notation (``**EMNLP 2020**`` -> ``**arXiv 2019**``); a track is written as the qualifier the
  list's claims use (``Demos``, ``Workshop``, ``Findings of``);
- a missing venue is inserted in the notation most of the list's claims use (its delimiters,
  separator and place: after the title or its link, or before it, with the text between), or
  `` (ICLR 2020)`` after the title when the list has no claim to learn from;
- every new claim is read back by the claim scanner: when it would not read as the verified
  value, it is not written (and reported);
- duplicates are reported, never deleted;
- with ``upgrade_links`` the published version's link (ACL Anthology, PMLR, OpenReview, DOI)
  is added after an arXiv link of the item, in that link's notation, when the item does not
  link it yet.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from plm_bib.curation.check import Finding, check
from plm_bib.library import Library
from plm_bib.metadata.ids import extract_ids
from plm_bib.model import Claim, Record
from plm_bib.readinglist.claims import claim_of, claim_parts, claim_words, halfwidth, parse_claim

__all__ = ["Edit", "Left", "Fixed", "fix_text", "split_lines", "LINK_LABELS"]

FIXED_KINDS = ("venue", "year", "track", "missing-venue")
# the label of an added link, by the id its URL carries
LINK_LABELS = (("acl", "ACL Anthology"), ("pmlr", "PMLR"), ("openreview", "OpenReview"), ("doi", "DOI"))


@dataclass(frozen=True)
class Edit:
    """One change: on ``line`` (1-based), at ``column`` (0-based, in characters of the line as
    it was), ``old``
    (empty for an insertion) became ``new``; ``why`` says which finding it answers."""

    line: int
    column: int
    old: str
    new: str
    why: str
    kind: str


@dataclass(frozen=True)
class Left:
    """A finding or claim not written, and why (``kind``: the finding's kind, ``not-located``,
    ``unverified``, ``duplicate``, ...)."""

    line: int
    kind: str
    message: str


@dataclass(frozen=True)
class Fixed:
    text: str
    edits: Tuple[Edit, ...]
    left: Tuple[Left, ...]


def split_lines(text: str) -> List[str]:
    """The lines of ``text`` with their ends, as the list parser counts them (``str.splitlines``)."""
    return text.splitlines(keepends=True)


def _body(line: str) -> Tuple[str, str]:
    """A line's text and its end."""
    body = line.rstrip("\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
    return body, line[len(body):]


def _like(written: str, year: Optional[int]) -> str:
    """``year`` in the digits ``written`` uses (full-width ones stay full-width)."""
    s = str(year) if year is not None else ""
    if written and halfwidth(written) != written:
        return "".join(chr(ord(c) + 0xFEE0) for c in s)
    return s


def _reads_as(words: str, r: Record) -> bool:
    """The claim scanner reads ``words`` as the verified venue, year and track of ``r``."""
    c = parse_claim(words) or claim_of(words)
    if c is None or (c.venue or "").lower() != (r.venue or "").lower():
        return False
    if r.year is not None and c.year != r.year:
        return False
    return c.preprint or c.track == r.track


def _rewritten(raw: str, c: Claim, f: Finding, r: Record) -> Optional[str]:
    """``raw`` with the verified words in place of the claimed ones, or ``None``."""
    parts = claim_parts(raw)
    if parts is None:
        y = str(c.year) if c.year is not None else ""
        if f.kind == "year" and y and raw.count(y) == 1 and r.year is not None:
            return raw.replace(y, str(r.year))
        return None
    if ":" in parts.venue:  # arXiv:2106.07139: an identifier is never dropped
        return None
    if f.kind == "year" and parts.year:
        candidates = [parts.venue + parts.sep + _like(parts.year, r.year) + parts.qual]
    else:
        sep = parts.sep if parts.year else " "
        words = claim_words(r.venue or "", r.year, r.track, sep, parts.venue)
        if words is None:
            return None
        if parts.year and r.year is not None and halfwidth(parts.year) != parts.year:
            words = words.replace(str(r.year), _like(parts.year, r.year), 1)
        candidates = [words + parts.qual, words] if parts.qual else [words]
    for words in candidates:
        if _reads_as(halfwidth(words), r):
            return parts.before + words + parts.after
    return None


# ------------------------------------------------------------------ the list's own notation
_CLOSERS = ("**", "__", "</a>", "</b>", "</strong>", "</em>", "</i>", "*", "_", "]", "\"", "”", "》")
_OPENERS = ("**", "__", "<b>", "<strong>", "<em>", "<i>", "*", "_", "[", "\"", "“", "《")
_PAIRS = (("**", "**"), ("[", "]"), ("(", ")"), ("（", "）"), ("【", "】"), ("`", "`"), ("*", "*"), ("_", "_"))


def _link_end(line: str, pos: int) -> int:
    """The end of a Markdown link destination ``(...)`` opening at ``pos`` (balanced), or -1."""
    depth = 0
    for i in range(pos, len(line)):
        ch = line[i]
        if ch == "\\":
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i + 1
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
            line = _body(lines[c.line - 1])[0]
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
    (place, gap), = [votes["place"].most_common(1)[0][0]]
    (open_, close), = [votes["delims"].most_common(1)[0][0]]
    sep = votes["sep"].most_common(1)[0][0][0]
    return Template(place, gap, open_, close, sep if sep in ("", " ", "-", "_", "\u3000") else " ")


def _insertion(line: str, r: Record, t: Template) -> Optional[Tuple[int, str]]:
    """Where and what to insert on ``line`` for ``r``'s verified venue, or ``None``."""
    span = _title_span(line, r)
    words = claim_words(r.venue or "", r.year, r.track, t.sep)
    if span is None or words is None or not _reads_as(words, r):
        return None
    token = t.open + words + t.close
    if t.place == "before":
        return _unit_start(line, span[0]), token + t.gap
    return _unit_end(line, span[1]), t.gap + token


# ------------------------------------------------------------------ the published version's link
def _published_link(r: Record) -> Optional[Tuple[str, str]]:
    """(label, URL) of ``r``'s published version, from the verified record's links or DOI."""
    own = [u.url for u in r.urls if not u.line]
    for scheme, label in LINK_LABELS:
        for url in own:
            ids = extract_ids(url)
            if scheme in ids and not (scheme == "doi" and ids[scheme].lower().startswith("10.48550/")):
                return label, url
    if r.doi and not r.doi.lower().startswith("10.48550/"):
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
        return (close + 1, f" [{label}]({_dest(new_url)})") if close >= 0 else None
    pairs = {"<": ">", "(": ")", "（": "）", "【": "】"}
    o = line[a - 1:a] if a else ""
    if o in pairs and line.startswith(pairs[o], z):
        space = " " if o.isascii() else ""
        return z + 1, f"{space}{o}{_dest(new_url)}{pairs[o]}"
    return z, f" {_dest(new_url)}"


def _link_edits(lines: Sequence[str], lib: Library) -> List[Tuple[int, int, str, str]]:
    out = []
    for r in lib:
        listed = [u for u in r.urls if u.line]
        if not r.is_paper or not listed or (r.venue or "") in ("", "arXiv") or \
                r.provenance.get("venue") not in ("curated", "acl", "crossref", "dblp"):
            continue
        pub = _published_link(r)
        if pub is None:
            continue
        pub_ids = {k: v.lower() for k, v in extract_ids(pub[1]).items() if k != "arxiv"}
        if any(pub_ids.get(k) == v.lower() for u in listed for k, v in extract_ids(u.url).items()):
            continue  # the item links it already
        arxiv = next((u for u in listed if "arxiv" in extract_ids(u.url) and 0 < u.line <= len(lines)), None)
        if arxiv is None:
            continue
        add = _link_addition(_body(lines[arxiv.line - 1])[0], arxiv.url, pub[0], pub[1])
        if add is not None:
            out.append((arxiv.line, add[0], add[1], f"link: the published version ({pub[0]})"))
    return out


# ------------------------------------------------------------------ the whole list
def _claim_of_finding(lib: Library, f: Finding) -> Tuple[Optional[Record], Optional[Claim]]:
    if not f.key or f.key not in lib:
        return None, None
    r = lib[f.key]
    hits = [c for c in r.claims if c.raw == f.claimed and c.line == f.line]
    return r, hits[0] if hits else None


def fix_text(text: str, lib: Library, upgrade_links: bool = False,
             findings: Optional[Sequence[Finding]] = None) -> Fixed:
    """``text`` (the list as read, with its own line ends) with the verified corrections of
    ``lib`` (read from it, the verified data laid over it) written in; ``findings``: what
    :func:`~plm_bib.curation.check.check` says of ``lib`` (computed when not given)."""
    lines = split_lines(text)
    found = list(check(lib) if findings is None else findings)
    template = learn_template(lines, lib)
    planned: List[Tuple[int, int, int, str, str, str]] = []  # line, start, end, new, why, kind
    left: List[Left] = []
    for f in found:
        if f.kind == "duplicate":
            left.append(Left(f.line, "duplicate", f"{f.message}: kept (fix never deletes an item)"))
            continue
        if f.kind == "title" and f.verified:
            left.append(Left(f.line, "title", f"the title differs from the verified title {f.verified!r}: "
                                              "kept (fix changes venues, years and tracks only)"))
            continue
        if f.kind not in FIXED_KINDS or not f.verified:
            continue
        r, c = _claim_of_finding(lib, f)
        if r is None or not 0 < f.line <= len(lines):
            left.append(Left(f.line, "not-located", f"{f.message}: no item of the list carries it"))
            continue
        body = _body(lines[f.line - 1])[0]
        why = f"{f.kind}: {f.message}"
        if f.kind == "missing-venue":
            ins = _insertion(body, r, template)
            if ins is None:
                left.append(Left(f.line, "not-located", f"{f.message}: the title was not found once on its "
                                                        "line (no venue added)"))
            else:
                planned.append((f.line, ins[0], ins[0], ins[1], why, f.kind))
            continue
        if c is None or c.origin != "item":
            left.append(Left(f.line, "heading" if c is not None else "not-located",
                             f"{f.message}: the claim is a heading's, for every item under it (not edited)"
                             if c is not None else f"{f.message}: the claim was not found"))
            continue
        if body.count(c.raw) != 1:
            left.append(Left(f.line, "not-located", f"{f.message}: {c.raw!r} is not on its line exactly once "
                                                    "(not edited)"))
            continue
        new = _rewritten(c.raw, c, f, r)
        if new is None:
            left.append(Left(f.line, "notation", f"{f.message}: {c.raw!r} cannot be rewritten in its notation "
                                                 "so that it reads as the verified value (not edited)"))
            continue
        start = body.index(c.raw)
        planned.append((f.line, start, start + len(c.raw), new, why, f.kind))
    if upgrade_links:
        planned += [(ln, at, at, new, why, "link") for ln, at, new, why in _link_edits(lines, lib)]
    return _apply(lines, planned, left)


def _apply(lines: List[str], planned: List[Tuple[int, int, int, str, str, str]], left: List[Left]) -> Fixed:
    by_line: Dict[int, List[Tuple[int, int, str, str, str]]] = {}
    for ln, a, z, new, why, kind in planned:
        by_line.setdefault(ln, []).append((a, z, new, why, kind))
    edits: List[Edit] = []
    out = list(lines)
    for ln in sorted(by_line):
        body, end = _body(lines[ln - 1])
        taken: List[Tuple[int, int]] = []
        chosen = []
        for a, z, new, why, kind in sorted(by_line[ln], key=lambda p: (p[0], p[1])):
            if any(a < tz and ta < z or (a == z and ta < a < tz) for ta, tz in taken):
                left.append(Left(ln, "overlap", f"{why}: overlaps another edit on the line (not edited)"))
                continue
            taken.append((a, z))
            chosen.append((a, z, new, why, kind))
        for a, z, new, why, kind in sorted(chosen, key=lambda p: (-p[0], -p[1])):
            body = body[:a] + new + body[z:]
        edits += [Edit(ln, a, lines[ln - 1][a:z], new, why, kind) for a, z, new, why, kind in chosen]
        out[ln - 1] = body + end
    left.sort(key=lambda x: (x.line, x.kind))
    return Fixed("".join(out), tuple(edits), tuple(left))
