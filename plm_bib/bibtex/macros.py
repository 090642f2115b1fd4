"""BibTeX's macros: ``@string`` names and ``#`` concatenations in field values.

:func:`resolve` turns a value expression (``procacl # " 2020"``) into the LaTeX it stands
for, with the macros it uses and the undefined ones; the reader keeps the expression and the
definitions it uses, the writer writes them back.  The month macros (:data:`MONTHS`) are
predefined, as in BibTeX.  :func:`closing` finds what closes a brace or quote as
bibtexparser counts (escaped braces do not count).
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional, Tuple

__all__ = ["MONTHS", "closing", "resolve", "resolve_memo", "is_expression"]

MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MACRO_NAME = re.compile(r'[^\s#{}",=]+')


_CLOSING_MARKS = re.compile(r'\\[\s\S]|[{}"]')


def closing(expr: str, i: int, quote: bool) -> int:
    """The index of what closes the brace (or quote) at ``i``; -1 if none (escaped braces
    do not count, as bibtexparser counts them)."""
    d = 0 if quote else 1
    for m in _CLOSING_MARKS.finditer(expr, i + 1):
        c = m.group()
        if c == "{":
            d += 1
        elif c == "}":
            d -= 1
            if d == 0 and not quote:
                return m.start()
        elif c == '"' and quote and d == 0:
            return m.start()
    return -1


def _split_expr(expr: str) -> Optional[List[Tuple[bool, str]]]:
    """A BibTeX value expression (``{a} # "b" # name``) -> its parts ``(is_macro, text)``,
    or ``None`` when it is not one."""
    parts: List[Tuple[bool, str]] = []
    i, n = 0, len(expr)
    while True:
        while i < n and expr[i].isspace():
            i += 1
        if i >= n:
            return None
        ch = expr[i]
        if ch in '{"':
            j = closing(expr, i, ch == '"')
            if j < 0:
                return None
            parts.append((False, expr[i + 1:j]))
            i = j + 1
        else:
            m = _MACRO_NAME.match(expr, i)
            if m is None:
                return None
            parts.append((not m.group().isdigit(), m.group()))
            i = m.end()
        while i < n and expr[i].isspace():
            i += 1
        if i >= n:
            return parts
        if expr[i] != "#":
            return None
        i += 1


def resolve(expr: str, strings: Mapping[str, str], seen: Tuple[str, ...] = ()
             ) -> Optional[Tuple[str, List[str], List[str]]]:
    """A macro expression -> (the LaTeX it stands for, the macros it uses (defined ones,
    each after those its definition uses), the undefined ones); ``None`` if not an expression.
    ``strings`` maps lower-case macro names to definitions in value syntax.  The month
    macros are predefined (they stand for their name, as bibtexparser leaves them)."""
    parts = _split_expr(expr)
    if parts is None:
        return None
    out: List[str] = []
    used: List[str] = []
    undefined: List[str] = []
    for is_macro, text in parts:
        if not is_macro:
            out.append(text)
            continue
        name = text.lower()
        d = strings.get(name)
        r = resolve(d, strings, seen + (name,)) if d is not None and name not in seen else None
        if r is None:
            out.append(text)
            if name not in MONTHS or d is not None:
                undefined.append(text)
            continue
        out.append(r[0])
        used.extend(u for u in r[1] if u not in used)
        undefined.extend(r[2])
        if name not in used:
            used.append(name)
    return "".join(out), used, undefined


Resolved = Optional[Tuple[str, List[str], List[str]]]
# the definitions last resolved against and the results (one tuple, swapped whole: a thread
# reading another file's definitions never sees this file's results)
_MEMO: List[Tuple[Any, Dict[str, Resolved]]] = [(None, {})]


def resolve_memo(expr: str, strings: Mapping[str, str]) -> Resolved:
    """:func:`resolve`, memoised for one file's definitions (the mapping the last call got,
    by identity: a file's records are made once all its definitions are known); the same
    expressions (``ack-bnb # " and " # ack-nhfb``) recur in every entry of a file.  The
    lists returned are shared: not to be changed."""
    owner, memo = _MEMO[0]
    if owner is not strings:
        memo = {}
        _MEMO[0] = (strings, memo)
    if expr in memo:
        return memo[expr]
    res = memo[expr] = resolve(expr, strings)
    return res


def clear_memo() -> None:
    _MEMO[0] = (None, {})


def is_expression(expr: str) -> bool:
    """A value worth keeping as an expression: a macro or a concatenation, not a number."""
    return not expr.strip().isdigit()
