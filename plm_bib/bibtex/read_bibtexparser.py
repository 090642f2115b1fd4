"""bibtexparser's reading, for the text the fast scanner leaves to it (or a whole file).

:func:`read_with_bibtexparser` reads text with bibtexparser (enclosing removed by its
middleware) into :class:`Parts`: records, the problems of the blocks it cannot parse or
that repeat a key or field (an entry with a duplicate key or field still loads), and the
``@string``/``@preamble`` blocks.  bibtexparser logs each block it cannot parse; those
messages are ours to report (as Problems), so they are dropped while our call runs, in our
thread only: bibtexparser's loggers keep their levels (:func:`bibtexparser_quiet`).
"""
from __future__ import annotations

import logging
import re
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Dict, Iterable, Iterator, List, Mapping, Optional, Tuple

from plm_bib.bibtex.decode import Decoder, latex_to_text
from plm_bib.bibtex.read_entry import entry_problems, fields_to_record, stub_problem
from plm_bib.model import Problem, Record

if TYPE_CHECKING:  # bibtexparser is imported where it is used: the fast paths do without it
    from bibtexparser import model as bpm

__all__ = ["Parts", "parse_with_bibtexparser", "read_with_bibtexparser", "entry_to_record", "bibtexparser_quiet",
           "string_value", "duplicate_key_message", "duplicate_definition_message", "duplicate_field_message",
           "failed_block_problem"]


def _field_map(entry: bpm.Entry) -> Dict[str, str]:
    return {f.key.lower(): str(f.value) for f in entry.fields}


def entry_to_record(entry: "bpm.Entry", source: str, dec: Decoder = latex_to_text, offset: int = 0,
                    strings: Optional[Mapping[str, str]] = None,
                    problems: Optional[List[Problem]] = None) -> Record:
    meta = entry.parser_metadata.get("removed_enclosing") or {}
    bare = {k.lower() for k, how in meta.items() if how == "no-enclosing"}
    return fields_to_record(entry.entry_type, entry.key, _field_map(entry), (entry.start_line or 0) + offset,
                            source, dec, bare, strings or {}, problems)


class _ThisThread(logging.Filter):
    """Drops the records logged in the thread that made it (filters run in the logging thread)."""

    def __init__(self) -> None:
        super().__init__()
        self.thread = threading.get_ident()

    def filter(self, record: logging.LogRecord) -> bool:
        return threading.get_ident() != self.thread


@contextmanager
def bibtexparser_quiet() -> Iterator[None]:
    """No message from bibtexparser's loggers in this thread while the block runs (other
    threads, levels and handlers unchanged).  A logger's filter only sees what that logger
    itself logs, so the filter goes on each ``bibtexparser.*`` logger."""
    quiet = _ThisThread()
    loggers = [lg for name, lg in list(logging.Logger.manager.loggerDict.items())
               if isinstance(lg, logging.Logger) and (name == "bibtexparser" or name.startswith("bibtexparser."))]
    for lg in loggers:
        lg.addFilter(quiet)
    try:
        yield
    finally:
        for lg in loggers:
            lg.removeFilter(quiet)


def string_value(st: "bpm.String") -> str:
    """An ``@string`` definition read by bibtexparser (enclosing removed), in value syntax again."""
    how = st.parser_metadata.get("removed_enclosing")
    value = str(st.value)
    return "{" + value + "}" if how == "{" else '"' + value + '"' if how == '"' else value


def duplicate_key_message(key: str) -> str:
    return f"duplicate key {key!r}: the entry is kept under a new key"


def duplicate_definition_message(key: str) -> str:
    return f"duplicate definition of {key!r}: the first one is used"


def duplicate_field_message(keys: "Iterable[str]") -> str:
    return f"duplicate field(s) {sorted(keys)}: the entry is kept with the first value"


def failed_block_problem(block: "bpm.ParsingFailedBlock", source: str, offset: int) -> Problem:
    """The Problem of a block bibtexparser could not parse (lines shifted by ``offset``)."""
    line = (block.start_line or 0) + 1 + offset
    raw = (block.raw or "")[:2000]
    if re.match(r"\s*@\s*comment\b", raw, re.I):
        # BibTeX ignores the word @comment and reads on: entries inside it still load
        return Problem(source, line, "unbalanced @comment block: the entries inside it are read", raw,
                       level="warning")
    err = getattr(block, "error", None)
    msg = f"could not parse this block ({err})" if err else "could not parse this block"
    return Problem(source, line, msg, raw, level="error")


class Parts:
    """What bibtexparser reads from (part of) a file, in the order parse_bibtex reports it."""

    def __init__(self) -> None:
        self.failed_records: List[Record] = []  # loaded from blocks with a problem
        self.records: List[Record] = []
        self.block_problems: List[Problem] = []
        self.entry_problems: List[Problem] = []
        self.others: List[str] = []
        self.keys: List[str] = []  # of the entries read (duplicates are found on these)

    def result(self) -> Tuple[List[Record], List[Problem], List[str]]:
        records = self.failed_records + self.records
        records.sort(key=lambda r: r.line)
        return records, self.block_problems + self.entry_problems, self.others


def add_entry(parts: Parts, entry: "bpm.Entry", source: str, dec: Decoder, offset: int,
              strings: Optional[Mapping[str, str]]) -> None:
    """One entry bibtexparser read, added to ``parts``: its record and problems, or the stub's problem."""
    line = (entry.start_line or 0) + 1 + offset
    stub = stub_problem(entry.entry_type, entry.key, len(entry.fields), line, entry.raw or "", source)
    if stub is not None:
        parts.entry_problems.append(stub)
        return
    parts.records.append(entry_to_record(entry, source, dec, offset, strings, parts.entry_problems))
    parts.entry_problems.extend(entry_problems(entry.key, [(f.key, str(f.value)) for f in entry.fields],
                                                line, source))


def parse_with_bibtexparser(text: str, source: str, dec: Decoder = latex_to_text
                            ) -> Tuple[List[Record], List[Problem], List[str]]:
    """bibtexparser's reading of a whole text (records, problems, other blocks)."""
    parts = Parts()
    read_with_bibtexparser(text, source, dec, parts)
    return parts.result()


def read_with_bibtexparser(text: str, source: str, dec: Decoder, parts: Parts, offset: int = 0,
                           stop_line: int = -1, strings: Optional[Mapping[str, str]] = None) -> None:
    """bibtexparser's reading of ``text`` into ``parts``; lines shifted by ``offset``, blocks
    from line ``stop_line`` on (counted in ``text``) left out.  bibtexparser removes the
    enclosing of values; macros are resolved by :func:`fields_to_record` with ``strings``
    (by default the ``@string`` blocks of ``text``)."""
    import bibtexparser
    from bibtexparser import model as bpm
    from bibtexparser.middlewares import RemoveEnclosingMiddleware

    with bibtexparser_quiet():  # each block it cannot parse is logged: we report them as Problems
        lib = bibtexparser.parse_string(text, parse_stack=[RemoveEnclosingMiddleware()])
    if strings is None:
        strings = {}
        for st in lib.strings:
            strings[st.key.lower()] = string_value(st)  # the later one wins, as in BibTeX

    def kept(block: "bpm.Block") -> bool:
        return stop_line < 0 or (block.start_line or 0) < stop_line

    for block in lib.failed_blocks:
        if not kept(block):
            continue
        if isinstance(block, bpm.DuplicateBlockKeyBlock):
            line = (block.start_line or 0) + 1 + offset
            raw = (block.raw or "")[:2000]
            dup = block.ignore_error_block
            if isinstance(dup, bpm.Entry):
                rec = entry_to_record(dup, source, dec, offset, strings, parts.entry_problems)
                parts.failed_records.append(rec.replace(key="", extra={**rec.extra, "original_key": dup.key}))
                msg = duplicate_key_message(block.key)
            else:
                msg = duplicate_definition_message(block.key)
            parts.block_problems.append(Problem(source, line, msg, raw, level="warning"))  # loaded
        elif isinstance(block, bpm.DuplicateFieldKeyBlock):
            level = "error"
            dup = block.ignore_error_block
            if isinstance(dup, bpm.Entry):
                parts.failed_records.append(entry_to_record(dup, source, dec, offset, strings, parts.entry_problems))
                level = "warning"  # loaded
            parts.block_problems.append(Problem(source, (block.start_line or 0) + 1 + offset,
                                                duplicate_field_message(block.duplicate_keys),
                                                (block.raw or "")[:2000], level=level))
        else:
            parts.block_problems.append(failed_block_problem(block, source, offset))
    for entry in lib.entries:
        if not kept(entry):
            continue
        parts.keys.append(entry.key)
        add_entry(parts, entry, source, dec, offset, strings)
    parts.others.extend(b.raw or "" for b in lib.blocks
                        if isinstance(b, (bpm.String, bpm.Preamble)) and kept(b))
