"""Sorting a bibliography the way citeproc-py's ``Sort.sort`` does, faster.

citeproc-py compares items with a comparison function, key by key; :func:`sort_cites`
finds the same order with plain sort keys where the columns allow it (see its docstring),
keeping each item's lowered keys in the caller's :class:`~plm_bib.csl.cache.RenderCache`.
``tests/csl/test_csl_equivalence.py`` compares it with citeproc-py's own sort.
"""
from __future__ import annotations

from collections import Counter
from itertools import groupby
from typing import Any, Callable, Dict, List, Optional, Tuple

from plm_bib.csl.cache import RenderCache

__all__ = ["Known", "SortState", "sort_cites", "prefix_of", "plain_key", "order_group", "row_of"]

_MISSING = object()

class Known:
    """An item whose sort keys and entry are in the per-record caches (no citeproc-py item)."""

    def __init__(self, fingerprint: str, key: str) -> None:
        self._plm_bib_fp = fingerprint
        self.key = key



def sort_cites(cites: List[Any], sort: Any, layout: Any, cache: RenderCache
               ) -> Tuple[List[Any], Optional[SortState]]:
    """``cites`` in the order citeproc-py's ``Sort.sort`` gives them, faster.

    citeproc-py sorts with a comparison function: key by key, both keys lower-cased,
    compared as integers when both read as integers, else as text; an item without a key
    after one with it.  A column where every key reads as an integer, or none does, or where
    those that do are all ASCII digits of one length (years: integer order is then text
    order), compares like a plain sort key.  The columns up to the first that does not are
    sorted by plain keys (a stable sort); items equal on all of them are then ordered by
    citeproc-py's comparison on the remaining columns.  When that comparison is a total
    preorder on every such group of ties, the stable sorted list is unique, so it is the
    list citeproc-py's own stable sort returns; otherwise (or with a descending key) the
    whole list is sorted with the comparison itself.  Each item's lowered keys are kept
    in ``cache``; returns the order's :class:`SortState` when it was found by plain keys
    and groups of ties (None: by citeproc-py's comparison).
    """
    keys = sort.findall("cs:key", sort.nsmap)
    descending = [key.get("sort", "ascending").lower() == "descending" for key in keys]
    rows: List[Any] = [None] * len(cites)
    missing = []
    for n, cite in enumerate(cites):
        fp = cite.__dict__.get("_plm_bib_fp")
        hit = cache.rows.get((sort, layout, fp)) if fp is not None else None
        if hit is None:
            missing.append(n)
        else:
            rows[n] = hit
    if missing:
        todo = [cites[n] for n in missing]
        columns = [_sort_keys(key, todo, layout, cache) for key in keys]
        for m, n in enumerate(missing):
            row = row_of([column[m] for column in columns])
            rows[n] = row
            fp = cites[n].__dict__.get("_plm_bib_fp")
            if fp is not None:
                cache.rows[(sort, layout, fp)] = row
    counts = [Counter(kinds) for kinds in zip(*[row[1] for row in rows])] if rows else []
    prefix, modes = prefix_of(counts, descending)
    order, by_groups = _order(rows, prefix, modes, descending)
    state = SortState(rows, counts, prefix, modes, order, descending) if by_groups else None
    return [cites[i] for i in order], state


def _sort_keys(key: Any, items: List[Any], context: Any, cache: RenderCache) -> List[Any]:
    """``key.sort_keys(items, context)``; a sort key depends on its item alone (citation
    numbers aside), so it is kept per item content."""
    if key.get("variable") == "citation-number":
        return list(key.sort_keys(items, context))
    out = []
    for item in items:
        fp = item.__dict__.get("_plm_bib_fp")
        if fp is None:
            out.extend(key.sort_keys([item], context))
            continue
        k = (key, context, fp)
        hit = cache.sort_keys.get(k, _MISSING)
        if hit is _MISSING:
            hit = cache.sort_keys[k] = key.sort_keys([item], context)[0]
        out.append(hit)
    return out


class SortState:
    """What :func:`_sorted` knew, when it sorted by plain keys and groups of ties: each
    item's row, the kinds counted per column, the columns sorted by plain keys and how, and
    the order."""

    def __init__(self, rows: List[Any], counts: List["Counter[Any]"], prefix: int, modes: List[Optional[str]],
                 order: List[int], descending: List[bool], plain: Optional[List[Any]] = None) -> None:
        self.rows, self.counts, self.prefix, self.modes = rows, counts, prefix, modes
        self.order, self.descending = order, descending
        if plain is None:
            plain = [plain_key(row[0], prefix, modes) for row in rows] if prefix else []
        self.plain = plain



def prefix_of(counts: List["Counter[Any]"], descending: List[bool]) -> Tuple[int, List[Optional[str]]]:
    """How many leading columns compare like plain keys, and how each of them does."""
    modes: List[Optional[str]] = []
    if any(descending):
        return 0, modes
    for count in counts:
        mode = _column_mode({k for k, c in count.items() if c})
        if mode is None:
            break
        modes.append(mode)
    return len(modes), modes


def plain_key(values: Tuple[Any, ...], prefix: int, modes: List[Optional[str]]) -> Tuple[Any, ...]:
    return tuple((1, 0) if v is None else (0, int(v) if mode == "int" else v)
                 for v, mode in zip(values[:prefix], modes))


def _comparison(rows: List[Any], descending: List[bool], start: int = 0) -> Callable[[int, int], int]:
    """citeproc-py's comparison (mycmp) of two items by their rows, from column ``start``."""
    ints: Dict[Tuple[int, int], Optional[int]] = {}

    def number(i: int, c: int) -> Optional[int]:
        k = (i, c)
        if k not in ints:
            v = rows[i][0][c]
            ints[k] = None if v is None else _int(str(v))
        return ints[k]

    def compare(a: int, b: int) -> int:
        for c in range(start, len(descending)):
            left, right = rows[a][0][c], rows[b][0][c]
            if left is not None and right is not None:
                x, y = number(a, c), number(b, c)
                if x is not None and y is not None:
                    left, right = x, y
                result: int = (left > right) - (left < right)
                if result:
                    return -result if descending[c] else result
            elif left is not None:
                return -1
            elif right is not None:
                return 1
        return 0

    return compare


def _order(rows: List[Any], prefix: int, modes: List[Optional[str]],
           descending: List[bool]) -> Tuple[List[int], bool]:
    """Indexes of ``rows`` in citeproc-py's sorted order (see :func:`_sorted`), and whether
    it was found by plain keys and groups of ties (False: by citeproc-py's comparison)."""
    from functools import cmp_to_key

    order = list(range(len(rows)))
    if prefix == 0:
        order.sort(key=cmp_to_key(_comparison(rows, descending)))
        return order, False
    plain = [plain_key(row[0], prefix, modes) for row in rows]
    order.sort(key=plain.__getitem__)
    if prefix == len(descending):
        return order, True
    out: List[int] = []
    for _, members in groupby(order, key=plain.__getitem__):
        group = order_group(list(members), rows, prefix, descending)
        if group is None:  # citeproc-py's own sort, as it is, on the input order
            return sorted(range(len(rows)), key=cmp_to_key(_comparison(rows, descending))), False
        out.extend(group)
    return out, True


def order_group(group: List[int], rows: List[Any], prefix: int, descending: List[bool]) -> Optional[List[int]]:
    """A group of items equal on the plain-key columns (in input order), ordered by the
    remaining columns as citeproc-py's comparison orders them; None if that comparison is
    not a total preorder on the group."""
    from functools import cmp_to_key

    if len(group) < 2:
        return group
    # within the group, columns may compare like plain keys even where the whole column
    # does not (then the group's order is a total preorder by construction)
    sub = [_column_mode({rows[i][1][c] for i in group}) for c in range(prefix, len(descending))]
    if all(mode is not None for mode in sub):
        return sorted(group, key=lambda i: tuple((1, 0) if v is None else (0, int(v) if mode == "int" else v)
                                                 for v, mode in zip(rows[i][0][prefix:], sub)))
    rest = _comparison(rows, descending, prefix)
    group = sorted(group, key=cmp_to_key(rest))
    return group if _consistent(group, rest) else None


def row_of(raw: List[Any]) -> Tuple[Tuple[Any, ...], Tuple[Any, ...]]:
    """An item's sort keys as citeproc-py's comparison reads them (lower-cased), and the
    kind of each: None, "x" (not text), "s" (text), "i" (reads as an integer), or the
    length of a key made of ASCII digits."""
    values = []
    kinds: List[Any] = []
    for value in raw:
        if value is not None:
            try:
                value = str(value.lower())
            except AttributeError:
                pass  # not text (a citation number): compared as it is, or as int(str(value))
        values.append(value)
        if value is None:
            kinds.append(None)
        elif not isinstance(value, str):
            kinds.append("x")
        elif _int(value) is None:
            kinds.append("s")
        else:
            kinds.append(len(value) if value.isascii() and value.isdigit() else "i")
    return tuple(values), tuple(kinds)


def _column_mode(kinds: set) -> Optional[str]:  # type: ignore[type-arg]
    """How a column of keys of these kinds compares: "int", "str", or None (only with
    citeproc-py's comparison)."""
    kinds.discard(None)
    if "x" in kinds:
        return None
    if "s" not in kinds:
        return "int" if kinds else "str"
    numbers = kinds - {"s"}
    if not numbers or (len(numbers) == 1 and "i" not in numbers):
        return "str"
    return None


def _consistent(group: List[int], compare: Callable[[int, int], int]) -> bool:
    """Whether ``compare`` (antisymmetric, as citeproc-py's is) is transitive on ``group``,
    i.e. a total preorder there (checked on every triple; groups of ties are small)."""
    if len(group) > 12:
        return False
    le = {(a, b): compare(a, b) <= 0 for a in group for b in group}
    return all(le[a, c] for a in group for b in group for c in group if le[a, b] and le[b, c])


def _int(text: str) -> Optional[int]:
    try:
        return int(text)
    except ValueError:
        return None  # (int() of a str raises nothing else)

