"""Formatting a CSL bibliography again after a few records changed: only those records
are formatted, moved to their sorted place, and their year-suffix groups worked out again.

The state this needs (the last bibliography of each style) is kept in the caller's
:class:`~plm_bib.csl.cache.RenderCache`; ``tests/csl/test_csl_equivalence.py`` checks the
result equals formatting from cold.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from typing import Any, List, Optional, Tuple

from plm_bib.csl.cache import RenderCache
from plm_bib.csl.citeproc_adapter import FORMATTER, citation_item
from plm_bib.csl.entries import Compiled, SortedCompiled, bibliography, cached_entry, item_of, numbered, quotes
from plm_bib.csl.sorting import SortState, order_group, plain_key, prefix_of
from plm_bib.csl.year_suffixes import LETTERS, citation_options, suffix_group, suffixed
from plm_bib.model import Record

__all__ = ["Previous", "remember", "again"]

class Previous:
    """The last bibliography of a style, kept so that formatting it again after a few records
    changed (the same list with some records replaced) touches those records only."""

    def __init__(self, style: Any, records: List[Record], order: List[int], base: List[str], final: List[str],
                 groups: List[Any], sort_state: Optional[SortState], numbered: bool, sort: Any) -> None:
        self.style, self.records, self.order, self.base, self.final = style, records, order, base, final
        self.groups, self.sort_state, self.numbered, self.sort = groups, sort_state, numbered, sort



def remember(cache: RenderCache, path: str, flavour: str, style: Any, records: List[Record], out: List[Tuple[str, str]],
             result: List[Tuple[str, str]], sort_state: Optional[SortState]) -> None:
    order = [int(k[1:]) for k, _ in out]  # ids are "r<index>"
    sort = style.root.bibliography.find("cs:sort", style.root.nsmap)
    is_numbered = numbered(style)
    if sort is not None and (is_numbered or sort_state is None or sort_state.order != order):
        return  # numbers follow the sort, or the sort went by citeproc-py's comparison
    if sort is None and order != list(range(len(records))):
        return
    base: List[str] = [""] * len(records)
    final: List[str] = [""] * len(records)
    for (_, text), (_, done), i in zip(out, result, order):
        base[i], final[i] = text, done
    opts = citation_options(path)
    with_suffixes = suffixed(path)
    groups = [suffix_group(path, r, opts, cache) if with_suffixes else None for r in records]
    cache.previous[(path, flavour)] = Previous(style, records, order, base, final, groups, sort_state,
                                               is_numbered, sort)


def again(cache: RenderCache, prev: Previous, records: List[Record], style: Any, path: str, flavour: str,
          compiled: Optional[Compiled], sorted_compiled: Optional[SortedCompiled]
          ) -> Optional[List[Tuple[str, str]]]:
    """The bibliography of ``records`` from the previous one when only a few records were
    replaced in place: their entries (and sort rows) are made, they are moved to their
    sorted place among the others, and year suffixes are worked out again for the groups
    they left or joined.  None when the change is of another kind (then everything is
    formatted again)."""
    n = len(records)
    if n != len(prev.records) or n == 0 or prev.style is not style \
            or str(style.root.get("default-locale", "")).startswith("zh"):
        return None  # (the style parsed again: its elements, which key the caches, are new)
    changed = [i for i, (a, b) in enumerate(zip(records, prev.records)) if a is not b]
    if not changed:
        return [(records[i].key, prev.final[i]) for i in prev.order]
    if len(changed) > max(8, n // 100):
        return None
    keys = {r.key for r in records}
    if len(keys) != n:
        return None
    layout = style.root.bibliography.layout
    items = {i: item_of(records[i], f"r{i}", flavour, cache) for i in changed}
    base = list(prev.base)
    order = prev.order
    state = prev.sort_state
    if prev.sort is None:  # entries in input order, numbered by position
        for i in changed:
            text = _entry_at(cache, style, items[i], i + 1, prev.numbered, n, compiled)
            if text is None:
                return None
            base[i] = text
    else:
        assert state is not None
        pairs = dict(bibliography(style, list(items.values()), cache, None, sorted_compiled)[0])
        if len(pairs) != len(items):
            return None
        rows = list(state.rows)
        counts = [Counter(c) for c in state.counts]
        for i in changed:
            row = cache.rows.get((prev.sort, layout, items[i]["_fp"]))
            if row is None:
                return None
            for count, old, new in zip(counts, rows[i][1], row[1]):
                count[old] -= 1
                count[new] += 1
            rows[i] = row
            base[i] = pairs[f"r{i}"]
        prefix, modes = prefix_of(counts, state.descending)
        if prefix == 0 or prefix != state.prefix or modes != state.modes:
            return None
        plain = list(state.plain)
        gone = set(changed)
        order = [j for j in order if j not in gone]
        for i in changed:
            plain[i] = plain_key(rows[i][0], prefix, modes)
            lo = bisect_left(order, plain[i], key=plain.__getitem__)
            hi = bisect_right(order, plain[i], key=plain.__getitem__)
            group = order_group(sorted(order[lo:hi] + [i]), rows, prefix, state.descending)
            if group is None:
                return None
            order[lo:hi] = group
        state = SortState(rows, counts, prefix, modes, order, state.descending, plain)
    final = list(prev.final)
    groups = list(prev.groups)
    opts = citation_options(path)
    touched: set = set()  # type: ignore[type-arg]
    if suffixed(path):
        for i in changed:
            touched.update(g for g in (groups[i], suffix_group(path, records[i], opts, cache)) if g is not None)
            groups[i] = suffix_group(path, records[i], opts, cache)
    for i in changed:
        final[i] = base[i]
    for g in touched:
        members = [j for j in order if groups[j] == g]
        for m, j in enumerate(members):
            year = str(records[j].year)
            final[j] = base[j].replace(year, f"{year}{LETTERS[m % 26]}", 1) if len(members) > 1 else base[j]
    result = [(records[i].key, final[i]) for i in order]
    prev.records, prev.order, prev.base, prev.final, prev.groups = records, order, base, final, groups
    prev.sort_state = state
    return result


def _entry_at(cache: RenderCache, style: Any, item: Any, number: int, is_numbered: bool, total: int,
              compiled: Optional[Compiled]) -> Optional[str]:
    """The entry of ``item`` as number ``number`` of ``total`` in a style without a sort
    (what :func:`~plm_bib.csl.entries.bibliography` writes for it), or None."""
    from citeproc import CitationStylesBibliography
    from citeproc.source.json import CiteProcJSON

    layout = style.root.bibliography.layout
    fp = item["_fp"]
    k = (layout, fp, number if is_numbered else 0)
    text = cache.entries.get(k)
    if text is None and compiled is not None:
        text = compiled({key: v for key, v in item.items() if key != "_fp"}, number)
        if text is not None:
            cache.entries[k] = text
    if text is None:
        bib = CitationStylesBibliography(style, CiteProcJSON([{key: v for key, v in item.items() if key != "_fp"}]),
                                         FORMATTER)
        bib.keys.extend(f"r{i}" for i in range(total))  # citation numbers are looked up here
        citation = citation_item(item["id"], True)
        citation.bibliography = bib
        cite = citation.cites[0]
        cite.__dict__["_plm_bib_fp"] = fp
        text = cached_entry(cache, layout, fp, number if is_numbered else 0, cite)
        if text is None:
            return None
    return quotes(style, [("", str(text))])[0][1]
