"""``json.dumps(obj, ensure_ascii=False, indent=N)``, several times faster.

With ``indent`` set, the standard library falls back to its pure-Python encoder (a
generator per container), which made CSL-JSON export of a large library slow.  This
writer builds the same text directly, with the C string encoder for strings; its output
is compared with ``json.dumps`` in ``tests/formats/test_json_text.py`` (corpora and random values).

>>> dumps({"id": "a", "author": [{"family": "Dé"}], "issued": {"date-parts": [[2020]]}}) == \\
...     __import__("json").dumps({"id": "a", "author": [{"family": "Dé"}],
...                               "issued": {"date-parts": [[2020]]}}, ensure_ascii=False, indent=2)
True
"""
from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any, Iterable, List, Optional

__all__ = ["dumps", "dumps_items"]

class _NotStrKey(Exception):
    pass


def dumps(obj: Any, indent: int = 2) -> str:
    """``obj`` as JSON text, exactly as ``json.dumps(obj, ensure_ascii=False, indent=indent)``."""
    out: List[str] = []
    try:
        _write(obj, out, "\n", " " * indent)
    except _NotStrKey:  # json's rules for int, float, bool and None keys: its own encoder
        return json.dumps(obj, ensure_ascii=False, indent=indent)
    return "".join(out)


def dumps_items(items: Iterable[Any], indent: int = 2) -> Optional[str]:
    """``dumps(list(items), indent)``, each item written as it comes (a large list is never
    held whole: building and writing 100k CSL items one by one is faster than building them
    all first).  None if an item needs ``json``'s own key rules (then call :func:`dumps`)."""
    out: List[str] = []
    try:
        _write_list(items, out, "\n", " " * indent, joined=True)
    except _NotStrKey:
        return None
    return "".join(out)


def _write(obj: Any, out: List[str], nl: str, step: str) -> None:
    if isinstance(obj, str):
        out.append(encode_basestring(obj))
    elif isinstance(obj, dict):
        if not obj:
            out.append("{}")
            return
        inner = nl + step
        first = True
        for k, v in obj.items():
            out.append("{" + inner if first else "," + inner)
            first = False
            if not isinstance(k, str):
                raise _NotStrKey
            out.append(encode_basestring(k) + ": ")
            if isinstance(v, str):
                out.append(encode_basestring(v))
            else:
                _write(v, out, inner, step)
        out.append(nl + "}")
    elif isinstance(obj, (list, tuple)):
        _write_list(obj, out, nl, step)
    else:
        out.append(json.dumps(obj))  # numbers, booleans, null (and the errors json gives)


def _write_list(items: Iterable[Any], out: List[str], nl: str, step: str, joined: bool = False) -> None:
    """A JSON array; with ``joined``, each item's text is joined at once (a few long
    strings stay alive, not millions of short ones)."""
    inner = nl + step
    first = True
    for v in items:
        out.append("[" + inner if first else "," + inner)
        first = False
        if isinstance(v, str):
            out.append(encode_basestring(v))
        elif joined:
            part: List[str] = []
            _write(v, part, inner, step)
            out.append("".join(part))
        else:
            _write(v, out, inner, step)
    out.append("[]" if first else nl + "]")
