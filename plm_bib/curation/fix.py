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

from dataclasses import dataclass
from typing import Collection, Dict, List, Optional, Sequence, Tuple

from plm_bib.curation.check import Finding, check
from plm_bib.curation.notation import body as _body
from plm_bib.curation.notation import insertion, learn_template, link_edits
from plm_bib.curation.notation import reads_as as _reads_as
from plm_bib.curation.overlay import apply_curated
from plm_bib.errors import InputError
from plm_bib.library import Library
from plm_bib.model import Claim, Record
from plm_bib.readers import parse_markdown
from plm_bib.readinglist.claims import claim_parts, claim_words, halfwidth
from plm_bib.textio import decode_exact

__all__ = ["Edit", "Left", "Fixed", "fix_text", "split_lines", "fix_markdown", "fix_bytes"]

FIXED_KINDS = ("venue", "year", "track", "missing-venue")


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


def _like(written: str, year: Optional[int]) -> str:
    """``year`` in the digits ``written`` uses (full-width ones stay full-width)."""
    s = str(year) if year is not None else ""
    if written and halfwidth(written) != written:
        return "".join(chr(ord(c) + 0xFEE0) for c in s)
    return s


def _rewritten(raw: str, c: Claim, f: Finding, r: Record) -> Optional[str]:
    """``raw`` with the verified words in place of the claimed ones, or ``None``."""
    parts = claim_parts(raw)
    if parts is None:
        y = str(c.year) if c.year is not None else ""
        # a bare year (``2018``, ``| 2018 |``): a date's month and day would not be the verified ones
        if f.kind == "year" and y and raw.count(y) == 1 and r.year is not None and \
                not any(ch.isdigit() for ch in raw.replace(y, "")):
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


# ------------------------------------------------------------------ the whole list
def _claim_of_finding(lib: Library, f: Finding) -> Tuple[Optional[Record], Optional[Claim]]:
    if not f.key or f.key not in lib:
        return None, None
    r = lib[f.key]
    hits = [c for c in r.claims if c.raw == f.claimed and c.line == f.line]
    return r, hits[0] if hits else None


def fix_text(text: str, lib: Library, upgrade_links: bool = False,
             findings: Optional[Sequence[Finding]] = None, skip: Collection[Tuple[int, str]] = ()) -> Fixed:
    """``text`` (the list as read, with its own line ends) with the verified corrections of
    ``lib`` (read from it, the verified data laid over it) written in; ``findings``: what
    :func:`~plm_bib.curation.check.check` says of ``lib`` (computed when not given); ``skip``:
    the ``(line, kind)`` of edits not to make (:func:`fix_markdown`: those the list parser
    does not read back), reported as left."""
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
        if f.kind in ("unverified", "not-found") and f.key in lib:
            said = [c.raw for c in lib[f.key].claims if c.origin == "item"]
            if said:
                left.append(Left(f.line, "unverified", f"{', '.join(said)}: kept as written ({f.message})"))
            continue
        if f.kind not in FIXED_KINDS or not f.verified:
            continue
        if (f.line, f.kind) in skip:
            left.append(Left(f.line, "not-read-back", f"{f.message}: the list's parser would not read the "
                                                      "correction back as the verified value (not edited)"))
            continue
        r, c = _claim_of_finding(lib, f)
        if r is None or not 0 < f.line <= len(lines):
            left.append(Left(f.line, "not-located", f"{f.message}: no item of the list carries it"))
            continue
        body = _body(lines[f.line - 1])[0]
        why = f"{f.kind}: {f.message}"
        if f.kind == "missing-venue":
            ins = insertion(body, r, template)
            if ins is None:
                left.append(Left(f.line, "not-located", f"{f.message}: the title is not on its line once, "
                                                        "or the line names a venue in words the list's parser "
                                                        "does not read as a claim (no venue added)"))
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
        planned += [(ln, at, at, new, why, "link") for ln, at, new, why in link_edits(lines, lib)
                    if (ln, "link") not in skip]
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
        for a, z, new, _why, _kind in sorted(chosen, key=lambda p: (-p[0], -p[1])):
            body = body[:a] + new + body[z:]
        edits += [Edit(ln, a, lines[ln - 1][a:z], new, why, kind) for a, z, new, why, kind in chosen]
        out[ln - 1] = body + end
    left.sort(key=lambda x: (x.line, x.kind))
    return Fixed("".join(out), tuple(edits), tuple(left))


def fix_markdown(text: str, source: str = "<string>", upgrade_links: bool = False) -> Fixed:
    """A reading list's text (its own line ends kept) with the verified corrections written in:
    the list is read, the curated metadata laid over it, checked, and fixed (:func:`fix_text`).

    >>> from plm_bib import fix_markdown
    >>> fixed = fix_markdown("- RoBERTa: A Robustly Optimized BERT Pretraining Approach, **EMNLP 2020**\\r\\n")
    >>> fixed.text
    '- RoBERTa: A Robustly Optimized BERT Pretraining Approach, **arXiv 2019**\\r\\n'
    >>> [(e.line, e.old, e.new) for e in fixed.edits]
    [(1, '**EMNLP 2020**', '**arXiv 2019**')]
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom):]
    lib = _read(body, source)
    found = check(lib)
    before = _to_fix(found)
    skip: set[Tuple[int, str]] = set()
    while True:  # at most once per edit: each round skips one more
        fixed = fix_text(body, lib, upgrade_links, found, skip)
        after = _to_fix(check(_read(fixed.text, source))) if fixed.edits else set()
        bad = {(e.line, e.kind) for e in fixed.edits
               if any(ln == e.line and (kind == e.kind or (ln, kind) not in before) for ln, kind in after)}
        if not bad:
            return Fixed(bom + fixed.text, fixed.edits, fixed.left) if bom else fixed
        skip |= bad


def _read(text: str, source: str) -> Library:
    """A list's text (any line ends) read, with the verified data laid over it."""
    return apply_curated(parse_markdown(text.replace("\r\n", "\n").replace("\r", "\n"), source))


def _to_fix(found: Sequence[Finding]) -> set[Tuple[int, str]]:
    return {(f.line, f.kind) for f in found if f.kind in FIXED_KINDS and f.verified}


def fix_bytes(data: bytes, source: str = "<bytes>", encoding: Optional[str] = None,
              upgrade_links: bool = False) -> Tuple[bytes, Fixed]:
    """A list's bytes fixed (:func:`fix_markdown`) and given back in their own encoding, byte-order
    mark and line ends: outside the edits, the bytes are the input's.  Input whose bytes do not
    come back from its text is an :class:`~plm_bib.errors.InputError`."""
    text, codec, bom = decode_exact(data, source, encoding)
    fixed = fix_markdown(text, source, upgrade_links)
    try:
        return bom + fixed.text.encode(codec), fixed
    except UnicodeEncodeError:  # a new character the list's encoding has no byte for: none written
        raise InputError(source, f"a correction cannot be written in its encoding ({codec})") from None
