"""A file's blocks in file order, read by the fast scanner or by bibtexparser, and
bibtexparser's library rules over all of them: the fast path's assembly.

:func:`assemble` takes what :func:`plm_bib.bibtex.scan.scan` gives (entries, ``@string``
definitions and ``@preamble`` blocks it read, Chunks of text it leaves to bibtexparser) and gives the
records, problems and ``@string``/``@preamble`` blocks that bibtexparser's reading of the
whole text gives (:func:`plm_bib.bibtex.read_bibtexparser.parse_with_bibtexparser`, the
reference path).  Each Chunk is read by bibtexparser's splitter alone (no middleware); then,
over all blocks in file order, the rules of bibtexparser's ``Library``: a second entry (or
``@string``) with a key already seen, exactly as written, is a duplicate (reported, and the
entry kept under a new key with its values *as written*: bibtexparser's middlewares skip
failed blocks); an entry with a duplicate field is not registered; every other entry and
``@string`` gets its enclosing removed by bibtexparser's own ``RemoveEnclosingMiddleware``
(chunk blocks) or the scanner's port of it.  ``@string`` definitions apply to the whole file
(the later one of two spellings of a name wins, as in the reference): the records of the
entries the scanner read are made as they come (what it read of them is freed at once, the
whole file's is never held), one with macro expressions with the definitions seen so far and
made again at the end (from its text) if a definition changes after it; bibtexparser's blocks
are made at the end.  Problems come in the reference's order: the problems of failed blocks,
then those of the entries, in file order.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Set, Tuple, Union, cast

from plm_bib.bibtex.decode import Decoder
from plm_bib.bibtex.read_bibtexparser import (
    Parts,
    add_entry,
    bibtexparser_quiet,
    duplicate_definition_message,
    duplicate_field_message,
    duplicate_key_message,
    entry_to_record,
    failed_block_problem,
    string_value,
)
from plm_bib.bibtex.read_entry import MASKED, entry_problems, fields_to_record, stub_problem
from plm_bib.bibtex.scan import Chunk, Preamble, ScannedEntry, StringDef, entry_at
from plm_bib.model import Problem, Record

if TYPE_CHECKING:
    from bibtexparser import model as bpm

__all__ = ["assemble"]

Scanned = Union[ScannedEntry, StringDef, Preamble, Chunk]


def _raw_entry(text: str) -> "bpm.Entry":
    """bibtexparser's entry for the text of one entry the scanner read, without middleware
    (the values as written): what a duplicate keeps."""
    import bibtexparser

    with bibtexparser_quiet():
        lib = bibtexparser.parse_string(text, parse_stack=[])
    return lib.entries[0]


def _chunk_blocks(text: str, chunk: Chunk) -> List["bpm.Block"]:
    """The blocks bibtexparser's splitter reads in a Chunk (no middleware), a duplicate
    within the chunk unwrapped (the file-wide rules find it again), the next block's
    opening mark left out."""
    import bibtexparser
    from bibtexparser import model as bpm

    with bibtexparser_quiet():  # each block it cannot parse is logged: we report them as Problems
        lib = bibtexparser.parse_string(text[chunk.start:chunk.stop], parse_stack=[])
    out: List[bpm.Block] = []
    for b in lib.blocks:
        if chunk.stop_line >= 0 and (b.start_line or 0) >= chunk.stop_line:
            continue
        if isinstance(b, bpm.DuplicateBlockKeyBlock) and b.ignore_error_block is not None:
            b = b.ignore_error_block
        out.append(b)
    return out


def _fast_record(text: str, e: ScannedEntry, source: str, decode: Decoder, strings: Dict[str, str], masked: bool,
                 lower: Dict[str, str], problems: List[Problem]) -> Optional[Record]:
    """The record of an entry the scanner read (``None`` for a stub); its problems go to
    ``problems`` (the stub's, undefined macros, then the warnings about its values)."""
    fields = e.fields
    line = e.line + 1
    raw = text[e.start:e.end]
    stub = stub_problem(e.entry_type, e.key, len(fields), line, raw, source)
    if stub is not None:
        problems.append(stub)
        return None
    f = {}
    for k, v in fields:
        low = lower.get(k)
        if low is None:
            low = lower[k] = k.lower()
        f[low] = v
    bare = [lower[fields[i][0]] for i in e.bare] if e.bare else ()
    rec = fields_to_record(e.entry_type, e.key, f, e.line, source, decode, bare, strings, problems, masked)
    problems.extend(entry_problems(e.key, fields, line, source, raw))
    return rec


class _Bibtexparser:
    """bibtexparser's model, its enclosing middleware and a scratch library, imported and made
    on first use."""

    def __init__(self) -> None:
        self._parts: Optional[Tuple[Any, Any, Any]] = None

    def parts(self) -> Tuple[Any, Any, Any]:
        if self._parts is None:
            from bibtexparser import Library, model
            from bibtexparser.middlewares import RemoveEnclosingMiddleware

            self._parts = (model, RemoveEnclosingMiddleware(), Library())
        return self._parts


def assemble(text: str, scanned: Iterable[Scanned], source: str, decode: Decoder,
             found: List[Tuple[str, int, int]]) -> Tuple[List[Record], List[Problem], List[str]]:
    """Records, problems and other blocks of ``text`` from its scan (see the module
    docstring); ``found`` receives the span of each entry the scanner read (none when a key
    repeats)."""
    bp = _Bibtexparser()  # loaded when a block needs it: most files are the scanner's alone
    entry_keys: Set[str] = set()
    string_keys: Set[str] = set()
    strings: Dict[str, str] = {}  # lower-case name -> definition in value syntax
    others: List[str] = []
    # in file order: (kind, payload, offset); kinds: "dup", "dupstring", "dupfield", "failed"
    failed: List[Tuple[str, object, int]] = []
    # entries in file order: ("bp", Entry, offset) to read at the end; (record or None, start,
    # end, its problems, definitions version, line) for those the scanner read, made as they came
    good: List[Tuple[object, ...]] = []
    duplicates = False
    masked = MASKED in text
    lower: Dict[str, str] = {}  # field name as written -> lower case: one string per name in all records
    version = 0  # of ``strings``: one more at each change
    known: Tuple[int, Dict[str, str]] = (0, {})  # a copy of ``strings`` at a version (resolve_memo's key)
    for item in scanned:
        if isinstance(item, ScannedEntry):
            if item.key in entry_keys:
                duplicates = True
                failed.append(("dup", (item, _raw_entry(text[item.start:item.end])), item.line))
            else:
                entry_keys.add(item.key)
                # made now, its scanned fields freed at once (the file's are never all held); one
                # with macro expressions is read with the definitions so far, and again at the end
                # if a definition comes after it (@string blocks usually come first)
                if item.bare and known[0] != version:
                    known = (version, dict(strings))
                done: List[Problem] = []
                rec = _fast_record(text, item, source, decode, known[1], masked, lower, done)
                good.append((rec, item.start, item.end, tuple(done) if done else (),
                             known[0] if item.bare else -1, item.line))
            continue
        if isinstance(item, Preamble):
            others.append(item.raw)
            continue
        if isinstance(item, StringDef):
            if item.key in string_keys:
                failed.append(("dupstring", item, 0))
            else:
                string_keys.add(item.key)
                strings[item.key.lower()] = item.value
                version += 1
                others.append(item.raw)
            continue
        bpx, enclosing, scratch = bp.parts()
        for b in _chunk_blocks(text, item):
            if isinstance(b, bpx.Entry):
                if b.key in entry_keys:
                    duplicates = True
                    failed.append(("dup", (None, b), item.line))
                else:
                    entry_keys.add(b.key)
                    good.append(("bp", enclosing.transform_entry(b, scratch), item.line))
            elif isinstance(b, bpx.String):
                if b.key in string_keys:
                    failed.append(("dupstring", b, item.line))
                else:
                    string_keys.add(b.key)
                    s = enclosing.transform_string(b, scratch)
                    strings[s.key.lower()] = string_value(s)
                    version += 1
                    others.append(s.raw or "")
            elif isinstance(b, bpx.Preamble):
                others.append(b.raw or "")
            elif isinstance(b, bpx.DuplicateFieldKeyBlock):
                failed.append(("dupfield", b, item.line))
            elif isinstance(b, bpx.ParsingFailedBlock):
                failed.append(("failed", b, item.line))
    parts = Parts()
    parts.others = others
    if failed:
        bpx = bp.parts()[0]
    for kind, payload, offset in failed:
        if kind == "dup":
            fast: Optional[ScannedEntry]
            dup: bpm.Entry
            fast, dup = payload  # type: ignore[misc]
            line = (dup.start_line or 0) + 1 + offset
            raw = (text[fast.start:fast.end] if fast is not None else dup.raw or "")[:2000]
            rec = entry_to_record(dup, source, decode, offset, strings, parts.entry_problems)
            parts.failed_records.append(rec.replace(key="", extra={**rec.extra, "original_key": dup.key}))
            parts.block_problems.append(Problem(source, line, duplicate_key_message(dup.key), raw, level="warning"))
        elif kind == "dupstring":
            if isinstance(payload, StringDef):
                line, raw, key = payload.line + 1, payload.raw, payload.key
            else:
                assert isinstance(payload, bpx.String)
                line, raw, key = (payload.start_line or 0) + 1 + offset, payload.raw or "", payload.key
            parts.block_problems.append(Problem(source, line, duplicate_definition_message(key), raw[:2000],
                                                level="warning"))
        elif kind == "dupfield":
            assert isinstance(payload, bpx.DuplicateFieldKeyBlock)
            line = (payload.start_line or 0) + 1 + offset
            level = "error"
            if isinstance(payload.ignore_error_block, bpx.Entry):
                parts.failed_records.append(entry_to_record(payload.ignore_error_block, source, decode, offset, strings,
                                                            parts.entry_problems))
                level = "warning"  # loaded
            parts.block_problems.append(Problem(source, line, duplicate_field_message(payload.duplicate_keys),
                                                (payload.raw or "")[:2000], level=level))
        else:
            assert isinstance(payload, bpx.ParsingFailedBlock)
            parts.block_problems.append(failed_block_problem(payload, source, offset))
    for g in good:
        if len(g) == 6:
            made, start, end, its, seen, at = cast(Tuple[Optional[Record], int, int, Tuple[Problem, ...], int, int], g)
            if seen >= 0 and seen != version:  # definitions came after it: read again with all of them
                e = entry_at(text, start, at)
                made = _fast_record(text, e, source, decode, strings, masked, lower, parts.entry_problems)
                if made is not None:
                    parts.records.append(made)
                    found.append((e.key, start, end))
                continue
            if made is not None:
                parts.records.append(made)
                found.append((made.key, start, end))
            parts.entry_problems.extend(its)
            continue
        _, payload, offset = cast(Tuple[str, object, int], g)  # ("bp", ...)
        assert isinstance(payload, bp.parts()[0].Entry)
        add_entry(parts, payload, source, decode, offset, strings)
    if duplicates:
        found.clear()
    return parts.result()
