"""The fast entry splitter: ``.bib`` text -> entries, for the common shape, exact or nothing.

A port of bibtexparser's splitting rules.  bibtexparser's splitter walks the file one
"mark" (brace, quote, comma, equals sign, newline) at a time in Python; on a 100k-entry
file that walk is most of the load time.  This module reads the same blocks with a few
regular expressions, one match per field, and produces exactly what bibtexparser's
``parse_string`` (default middlewares) would give for them: entry type, key, start line,
the fields in order with their enclosing braces or quotes removed.

It is *exact or nothing*: a block outside the subset it reproduces with certainty
(``@comment`` blocks (the caller blanks that word first, as BibTeX skips it), a
parenthesised entry whose field the one-shot pattern does not read, ``@string(...)`` and
``@preamble(...)``, duplicate fields, a syntax error...) is left to bibtexparser as a
:class:`Chunk` of text, which ends where bibtexparser itself would end it.  Entries in
parentheses of the usual shape, ``@string{...}`` definitions (any value: ``#``
concatenations, nested braces; :class:`StringDef`) and ``@preamble{...}`` blocks
(:class:`Preamble`) are read, their end found as bibtexparser's splitter finds it; duplicate
keys are kept: :mod:`plm_bib.bibtex.blocks` applies
bibtexparser's library rules over all blocks and resolves macros file-wide.  Lines are
counted as bibtexparser counts them (a newline after a backslash is not counted).  The
enclosing rules below are copied from bibtexparser's RemoveEnclosingMiddleware (its methods
are private).  A field value the one-shot pattern does not cover (nested braces, ``#``
concatenations) is read by a port of bibtexparser's own mark loop, so it is exact too.
``tests/bibtex/test_bibtex_fastpath.py`` checks that both paths give identical records and
problems on every file of the shared corpora (and on tricky and generated shapes).
"""
from __future__ import annotations

import re
from typing import Iterator, List, NamedTuple, Tuple, Union

__all__ = ["ScannedEntry", "StringDef", "Preamble", "Chunk", "scan", "iter_scan", "entry_at"]


class ScannedEntry(NamedTuple):
    line: int  # 0-based line of the "@"
    entry_type: str  # lower case, as bibtexparser gives it
    key: str
    fields: List[Tuple[str, str]]  # (name as written, value without its enclosing)
    start: int  # offsets of the raw block in the text
    end: int
    bare: Tuple[int, ...] = ()  # fields whose value was not enclosed: macro expressions


class StringDef(NamedTuple):
    """An ``@string`` definition: its key and its value as written (enclosing kept)."""

    key: str
    value: str
    raw: str
    line: int = 0  # 0-based line of the "@"


class Preamble(NamedTuple):
    """A ``@preamble{...}`` block as written."""

    raw: str
    line: int = 0


class Chunk(NamedTuple):
    """Text the scanner leaves to bibtexparser: from a block it cannot read exactly to the
    next block start at the beginning of a line (bibtexparser never reads a block past
    one).  ``text[start:stop]`` is that text plus the next block's opening mark, so that
    bibtexparser ends the odd block exactly as in the whole file; blocks it reads from
    ``stop_line`` on are dropped (the scanner reads them)."""

    start: int
    end: int  # where the scanner goes on
    stop: int
    line: int  # 0-based line of ``start``
    stop_line: int  # lines counted from ``start``


class _Odd(Exception):
    """This block leaves the subset: bibtexparser reads it (a Chunk)."""


# the block start of bibtexparser's splitter: "@type" followed by "{" or "("
_START = re.compile(r"@\w*[ \t]*(?=[{(])")
_VALUE_CHARS = r"[^\s{}\",=@\\#]+"  # a key, a field name, a number or a macro name
# inside {...}: nested braces (two levels); escaped braces do not count (bibtexparser's marks)
_IN_BRACES_1 = r"(?:[^{}@\\]|\\[\s\S]|(?<!\\)\{(?:[^{}@\\]|\\[\s\S])*(?<!\\)\})*"
# two levels ({{Si}}-doped inside a value: Zotero's and Better BibTeX's case protection)
_IN_BRACES = r"(?:[^{}@\\]|\\[\s\S]|(?<!\\)\{" + _IN_BRACES_1 + r"(?<!\\)\})*"
_HEAD = re.compile(r"\{\s*(" + _VALUE_CHARS + r")\s*([,}])")


def _field_pattern(close: str, value_chars: str) -> "re.Pattern[str]":
    part = r"\{[^{}@\\]*\}|\"[^\"{}@\\]*\"|" + value_chars
    return re.compile(
        r"\s*(" + value_chars + r")\s*=\s*"
        r"(?:\{([^{}@\\]*)\}"  # {...}: the common case, tried first
        r"|\{(" + _IN_BRACES + r")(?<!\\)\}"
        # "...": braces do not count inside quotes (bibtexparser's marks); a backslash escapes the
        # next mark, so none before a quote, a backslash or an "@"; no {"} (bibtexparser's escape)
        r"|\"((?:[^\"@\\]|\\[^\"@\\])*)(?<!\{)\""
        # a concatenation of plain parts (kept as written: a macro expression)
        r"|((?:" + part + r")(?:\s*#\s*(?:" + part + r"))+)"
        r"|(" + value_chars + r"))"
        r"\s*([," + close + r"])")


_FIELD = _field_pattern("}", _VALUE_CHARS)
_CLOSE = re.compile(r"\s*\}")
# parentheses as delimiters: bibtexparser ends the block at a ")" outside braces and quotes
# (a "}" there is no mark); keys, names and bare values hold no ")"
_VALUE_CHARS_P = r"[^\s{}\",=@\\#)]+"
_HEAD_P = re.compile(r"\(\s*(" + _VALUE_CHARS_P + r")\s*([,)])")
_FIELD_P = _field_pattern(")", _VALUE_CHARS_P)
_CLOSE_P = re.compile(r"\s*\)")
_STRING_HEAD = re.compile(r"\{\s*(" + _VALUE_CHARS + r")\s*=")
# what bibtexparser's splitter counts while it looks for the brace closing an @string or
# @preamble block (quotes do not count there; a block start at a line start aborts it)
_BRACE_OR_BLOCK = re.compile(r"(?<!\\)[{}]|@\w*[ \t]*(?=[{(])")
_NEXT_AT_LINE_START = re.compile(r"\n[^\S\n]*(@\w*[ \t]*[{(])")
# bibtexparser's marks (newlines are marks there only to count lines)
_MARK = re.compile(r"(?<!\\)[{}\",=]|@\w*[ \t]*(?=[{(])")
_BRACES = re.compile(r"(?<!\\)[{}]")
_BRACES_AND_QUOTE = re.compile(r"(?<!\\)[{}\"]")


def _at_line_start(text: str, pos: int) -> bool:
    for i in range(pos - 1, -1, -1):
        ch = text[i]
        if ch == "\n":
            return True
        if not ch.isspace():
            return False
    return True


def _enclosed_in_braces(value: str) -> bool:
    inner = value[1:-1]
    if "{" not in inner and "}" not in inner:
        return not inner.endswith("\\")
    depth = 0
    last = len(value) - 1
    for m in _BRACES.finditer(value):
        if m.group() == "{":
            depth += 1
            continue
        depth -= 1
        if depth < 0 or (depth == 0 and m.start() != last):
            return False
    return depth == 0


def _enclosed_in_quotes(value: str) -> bool:
    last = len(value) - 1
    if value.find('"', 1, last) < 0:
        return True
    depth = 0
    for m in _BRACES_AND_QUOTE.finditer(value):
        i = m.start()
        if i == 0 or i == last:
            continue
        ch = m.group()
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            return False
    return True


def _strip_enclosing(value: str) -> str:
    """bibtexparser's RemoveEnclosingMiddleware (no @string in the file to resolve first)."""
    value = value.strip()
    if len(value) >= 2:
        if value[0] == "{" and value[-1] == "}" and _enclosed_in_braces(value):
            return value[1:-1]
        if value[0] == '"' and value[-1] == '"' and _enclosed_in_quotes(value):
            return value[1:-1]
    return value


def _slow_fields(text: str, key_start: int, fields: List[Tuple[str, str]], bare: List[int]) -> int:
    """The rest of an entry from ``key_start``, by bibtexparser's mark loop; its end offset."""
    marks = _MARK.finditer(text, key_start)
    pending = None

    def nxt() -> "re.Match[str]":
        nonlocal pending
        if pending is not None:
            m, pending = pending, None
            return m
        m = next(marks, None)
        if m is None:
            raise _Odd("end of file inside an entry")
        return m

    while True:
        eq = nxt()
        g = eq.group()
        if g == "}":
            if text[key_start:eq.start()].strip():
                raise _Odd("a field without '='")
            return eq.end()
        if g != "=":
            raise _Odd("expected '='")
        quoted, depth = False, 0
        while True:  # bibtexparser's _move_to_comma_or_closing_delimiter
            m = nxt()
            g = m.group()
            if g == '"' and depth == 0:
                p = m.start()
                if quoted and p > 0 and p + 2 < len(text) and text[p - 1] == "{" and text[p + 1] == "}":
                    continue  # the {"} escape inside a quoted value
                quoted = not quoted
            elif g == "{" and not quoted:
                depth += 1
            elif g == "}" and not quoted and depth > 0:
                depth -= 1
            elif g in ",}" and not quoted and depth == 0:
                break
            elif g[0] == "@" and _at_line_start(text, m.start()):
                raise _Odd("a block starts inside a value")
        value = text[eq.end():m.start()].strip()
        stripped = _strip_enclosing(value)
        if len(stripped) == len(value):  # not enclosed: a macro expression ("a # {b}", "{a} # {b}")
            bare.append(len(fields))
        fields.append((text[key_start:eq.start()].strip(), stripped))
        if g == ",":
            key_start = m.end()
        else:
            pending = m
            key_start = m.start()


def iter_scan(text: str) -> Iterator[Union[ScannedEntry, StringDef, Preamble, Chunk]]:
    """:func:`scan`'s blocks one by one (the reader makes each record as its entry comes:
    the scanned fields of the whole file are never all in memory)."""
    # bibtexparser does not count a newline after a backslash (it is no mark there): lines are
    # counted as it counts them
    escaped_newlines = "\\\n" in text
    pos = 0
    line = 0
    counted = 0
    start_re = _START
    while True:
        m = start_re.search(text, pos)
        if m is None:
            return
        at = m.start()
        line += text.count("\n", counted, at)
        if escaped_newlines:
            line -= text.count("\\\n", counted, at)
        counted = at
        try:
            head = m.group().lower()
            if head.startswith(("@string", "@preamble")):
                if text[m.end()] == "(":
                    raise _Odd(head + "(")
                if head.startswith("@preamble"):
                    close = _closing_brace(text, m.end() + 1)
                    yield Preamble(text[at:close + 1], line)
                else:
                    b = _STRING_HEAD.match(text, m.end())
                    if b is None:
                        raise _Odd("an @string of another shape")
                    close = _closing_brace(text, b.end())
                    yield StringDef(b.group(1), text[b.end():close].strip(), text[at:close + 1], line)
                pos = close + 1
                continue
            entry = _entry(text, m, line)
        except _Odd:
            nxt = _NEXT_AT_LINE_START.search(text, m.end())
            if nxt is None:
                yield Chunk(at, len(text), len(text), line, -1)
                pos = len(text)
                continue
            stop_line = text.count("\n", at, nxt.start(1))
            if escaped_newlines:
                stop_line -= text.count("\\\n", at, nxt.start(1))
            yield Chunk(at, nxt.start(1), nxt.end(1), line, stop_line)
            pos = nxt.start(1)
            continue
        yield entry
        pos = entry.end


def _closing_brace(text: str, pos: int) -> int:
    """The index of the brace that closes the block whose content starts at ``pos``, as
    bibtexparser's splitter finds it for ``@string`` and ``@preamble`` (nested braces
    counted, escaped ones and quotes not)."""
    depth = 0
    for m in _BRACE_OR_BLOCK.finditer(text, pos):
        g = m.group()
        if g == "{":
            depth += 1
        elif g == "}":
            if not depth:
                return m.start()
            depth -= 1
        elif _at_line_start(text, m.start()):
            raise _Odd("a block starts inside a block")
    raise _Odd("end of file inside a block")


def _entry(text: str, m: "re.Match[str]", line: int) -> ScannedEntry:
    head = m.group().lower()
    if head.startswith("@comment"):
        raise _Odd(head)
    paren = text[m.end()] == "("
    h = (_HEAD_P if paren else _HEAD).match(text, m.end())
    if h is None:
        raise _Odd("unusual entry head")
    fields: List[Tuple[str, str]] = []
    bare: List[int] = []
    close = ")" if paren else "}"
    if h.group(2) == close:
        end = h.end()
    else:
        field_re = _FIELD_P if paren else _FIELD
        p = h.end()
        while True:
            f = field_re.match(text, p)
            if f is None:
                c = (_CLOSE_P if paren else _CLOSE).match(text, p)
                if c is not None:
                    end = c.end()
                    break
                if paren:
                    raise _Odd("a parenthesised entry of another shape")
                end = _slow_fields(text, p, fields, bare)
                break
            name, v1, v2, v3, expr, v4, delim = f.groups()
            if expr is not None:
                v4 = _strip_enclosing(expr)
                if len(v4) != len(expr):
                    raise _Odd("an enclosed concatenation")  # cannot be: kept exact all the same
            if v4 is not None:
                bare.append(len(fields))
            fields.append((name, v1 if v1 is not None else v2 if v2 is not None else
                           v3 if v3 is not None else v4))
            p = f.end()
            if delim == close:
                end = p
                break
    names = [k for k, _ in fields]
    if len(set(names)) != len(names):
        raise _Odd("duplicate field")
    return ScannedEntry(line, head[1:].strip(), h.group(1), fields, m.start(), end, tuple(bare))


def entry_at(text: str, start: int, line: int) -> ScannedEntry:
    """The entry :func:`iter_scan` read at offset ``start`` (on 0-based ``line``), read again."""
    m = _START.match(text, start)
    if m is None:
        raise ValueError(f"no entry starts at {start}")
    return _entry(text, m, line)


def scan(text: str) -> List[Union[ScannedEntry, StringDef, Preamble, Chunk]]:
    """The entries and ``@string`` definitions of ``text`` as bibtexparser reads them, with
    the Chunks of text it must read itself, in file order (duplicate keys included: the
    caller applies bibtexparser's library rules, :mod:`plm_bib.bibtex.blocks`)."""
    return list(iter_scan(text))
