"""Reading ``.bib`` text: :func:`parse_bibtex`.

The fast path reads the common shape of ``.bib`` blocks with :mod:`plm_bib.bibtex.scan`
and leaves every other block, alone, to bibtexparser; :mod:`plm_bib.bibtex.blocks` puts
them together under bibtexparser's library rules (duplicate keys, ``@string`` definitions
file-wide), so the result is the records and problems of bibtexparser's reading of the
whole text (:mod:`plm_bib.bibtex.read_bibtexparser`, ``fast=False``).  Around both,
BibTeX's rules where bibtexparser does not follow them: the word ``@comment`` is skipped
and reading goes on, double backslashes before a brace are masked
(:func:`plm_bib.bibtex.read_entry.mask_double_backslashes`), the ``@preamble`` blocks go to
each record's ``latex`` and keys that differ only in case are a warning.
"""
from __future__ import annotations

import dataclasses
import re
from types import MappingProxyType
from typing import Dict, List, Optional, Tuple

from plm_bib.bibtex.blocks import assemble
from plm_bib.bibtex.decode import Decoder, latex_to_text
from plm_bib.bibtex.macros import closing
from plm_bib.bibtex.read_bibtexparser import parse_with_bibtexparser
from plm_bib.bibtex.read_entry import mask_double_backslashes, unmask
from plm_bib.bibtex.scan import iter_scan
from plm_bib.gcpause import paused_gc
from plm_bib.model import Problem, Record

__all__ = ["parse_bibtex"]

_COMMENT_WORD = re.compile(r"@[ \t]*comment(?=\s*[{(])", re.I)
_BLOCK_START = re.compile(r"@\w+[ \t]*[{(]")
_PREAMBLE_BLOCK = re.compile(r"\s*@\s*preamble", re.I)


def _skip_comment_words(text: str, source: str) -> Tuple[str, List[Problem]]:
    """BibTeX's rule: the word ``@comment`` is skipped and reading goes on, so entries
    inside ``@comment{...}`` load.  The word becomes spaces (lines and offsets stay); a
    warning names each such block that holds an entry."""
    if "omment" not in text and "OMMENT" not in text:
        return text, []
    problems: List[Problem] = []
    out: List[str] = []
    pos = 0
    for m in _COMMENT_WORD.finditer(text):
        out.append(text[pos:m.start()])
        out.append(" " * (m.end() - m.start()))
        pos = m.end()
        opening = m.end() + len(text[m.end():]) - len(text[m.end():].lstrip())
        close = closing(text, opening, False) if text[opening] == "{" else text.find(")", opening)
        inside = text[opening + 1:close if close >= 0 else len(text)]
        if _BLOCK_START.search(inside):
            problems.append(Problem(source, text.count("\n", 0, m.start()) + 1,
                                    "@comment block holding entries: they are read, as BibTeX reads them",
                                    text[m.start():m.start() + 200], level="warning"))
    out.append(text[pos:])
    return "".join(out), problems


def _case_problems(records: List[Record], source: str) -> Tuple[List[Record], List[Problem]]:
    """Keys that differ only in case (classic bibtex keeps one of them): a warning with
    both lines; the later entry is kept under a new key, as a duplicate key is."""
    first: Dict[str, Record] = {}
    problems: List[Problem] = []
    out = records
    for i, r in enumerate(records):
        if not r.key:
            continue
        folded = r.key.casefold()
        seen = first.get(folded)
        if seen is None:
            first[folded] = r
            continue
        problems.append(Problem(source, r.line, f"keys {seen.key!r} (line {seen.line}) and {r.key!r} "
                                f"(line {r.line}) differ only in case (bibtex would drop one): "
                                "the later entry is kept under a new key", "", level="warning"))
        if out is records:
            out = list(records)
        out[i] = r.replace(key="", extra={**r.extra, "original_key": r.key})
    return out, problems

def parse_bibtex(text: str, source: str = "<string>", fast: bool = True,
                 spans: Optional[List[Tuple[str, int, int]]] = None, decode: Decoder = latex_to_text
                 ) -> Tuple[List[Record], List[Problem], List[str]]:
    """Records, problems and ``@string``/``@preamble`` blocks from BibTeX text.

    ``fast`` reads the common shape of ``.bib`` files with :mod:`plm_bib.bibtex.scan` (same
    result, several times faster); text outside that shape goes through bibtexparser.
    ``fast=False`` reads the whole text with bibtexparser.  ``decode`` turns LaTeX into text
    (the tests' reference reading passes pylatexenc alone).

    ``spans``, when given, receives ``(key, start, end)`` of each loaded entry's text when
    the fast scanner read the file (each such entry reads alike on its own, after the
    file's ``@string`` and ``@preamble`` blocks): the persistent ``cite`` index keeps those texts.
    """
    text, comment_problems = _skip_comment_words(text, source)
    text, masked = mask_double_backslashes(text)
    found: List[Tuple[str, int, int]] = []
    if fast:
        records, problems, others = _parse_fast(text, source, found, decode)
    else:
        records, problems, others = parse_with_bibtexparser(text, source, decode)
    if masked:
        problems = [dataclasses.replace(p, raw=unmask(p.raw), message=unmask(p.message)) for p in problems]
        others = [unmask(b) for b in others]
        found = [(unmask(k), a, b) for k, a, b in found]
    preamble = "\n".join(b for b in others if _PREAMBLE_BLOCK.match(b))
    if preamble:
        _attach_preamble(records, preamble)
    records, case = _case_problems(records, source)
    if spans is not None and not case:
        spans.extend(found)
    return records, comment_problems + problems + case, others


def _attach_preamble(records: List[Record], preamble: str) -> None:
    """The file's ``@preamble`` blocks into each record's ``latex``, in place: the records
    were made by this reading and nothing else holds them yet (a ``Record.replace`` per
    record made each one again).  Records without LaTeX source share one read-only mapping."""
    shared = MappingProxyType({"@preamble": preamble})
    for r in records:
        object.__setattr__(r, "latex", {**r.latex, "@preamble": preamble} if r.latex else shared)


def _parse_fast(text: str, source: str, found: List[Tuple[str, int, int]], decode: Decoder
                ) -> Tuple[List[Record], List[Problem], List[str]]:
    with paused_gc():
        return assemble(text, iter_scan(text), source, decode, found)
