"""Oracle: what citeproc-py alone writes for the compiled styles (APA, IEEE), to compare with.

The entries (and APA's sort keys) are made by citeproc-py through our adapter (its fixes
included, as the engine uses it), with no compiled style involved.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

from plm_bib.csl.cache import RenderCache
from plm_bib.csl.citeproc_adapter import FORMATTER
from plm_bib.csl.engine import _style
from plm_bib.csl.entries import bibliography, item_of
from plm_bib.model import Record
from plm_bib.render.styles import csl_path, get_style


def style_of(name: str) -> Any:
    """The parsed CSL style of a built-in style name."""
    return _style(csl_path(get_style(name).target), "")


def ieee_reference(records: Sequence[Record]) -> List[Tuple[Dict[str, Any], int, Optional[str]]]:
    """(item, number, citeproc-py's entry) for each record, rendered by citeproc-py alone."""
    cache = RenderCache()
    items = [item_of(r, f"r{i}", False, cache) for i, r in enumerate(records)]
    style = style_of("ieee")
    bibliography(style, items, cache)  # no compiled renderer: every entry by citeproc-py
    layout = style.root.bibliography.layout
    return [({k: v for k, v in it.items() if k != "_fp"}, n, cache.entries.get((layout, it["_fp"], n)))
            for n, it in enumerate(items, 1)]


def apa_reference(records: Sequence[Record]) -> List[Tuple[Dict[str, Any], Optional[str], List[Optional[str]]]]:
    """(item, citeproc-py's entry, its ten sort keys as citeproc-py compares them) per record,
    everything computed by citeproc-py alone."""
    cache = RenderCache()
    items = [item_of(r, f"r{i}", False, cache) for i, r in enumerate(records)]
    style = style_of("apa")
    bibliography(style, items, cache)  # no compiled renderer: entries and keys by citeproc-py
    layout = style.root.bibliography.layout
    keys = style.root.bibliography.find("cs:sort", style.root.nsmap).findall("cs:key", style.root.nsmap)
    out = []
    for it in items:
        fp = it["_fp"]
        values = [cache.sort_keys[(k, layout, fp)] for k in keys]
        out.append(({k: v for k, v in it.items() if k != "_fp"}, cache.entries.get((layout, fp, 0)),
                    [None if v is None else str(v.lower()) for v in values]))
    return out


def citeproc_entry(style_name: str, item: Dict[str, Any], number: int = 1
                   ) -> Tuple[Optional[str], List[Optional[str]]]:
    """citeproc-py's entry of one item (as number ``number``) and its sort keys, from scratch."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography
    from citeproc.source.json import CiteProcJSON

    style = style_of(style_name)
    bib = CitationStylesBibliography(style, CiteProcJSON([dict(item, id="x")]), FORMATTER)
    bib.keys.extend(f"pad{i}" for i in range(number - 1))  # citation numbers are positions here
    citation = Citation([CitationItem("x")])
    citation.bibliography = bib
    bib.keys.append("x")
    bib.items.append(citation.cites[0])
    layout = style.root.bibliography.layout
    sort = style.root.bibliography.find("cs:sort", style.root.nsmap)
    keys = sort.findall("cs:key", style.root.nsmap) if sort is not None else []
    values = [k.sort_keys(bib.items, layout)[0] for k in keys]  # no fingerprint: computed, not cached
    out = layout.render_bibliography(bib.items)
    return (str(out[0]) if out else None), [None if v is None else str(v.lower()) for v in values]


def citeproc_order(target: str, records: Sequence[Record]) -> Tuple[List[str], List[str]]:
    """The keys of ``records`` in citeproc-py's ``Sort.sort`` order and in ours (``sort_cites``)."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography
    from citeproc.source.json import CiteProcJSON

    from plm_bib.csl.sorting import sort_cites

    cache = RenderCache()
    style = style_of(target)
    items = [item_of(r, f"r{i}", False, cache) for i, r in enumerate(records)]
    bib = CitationStylesBibliography(
        style, CiteProcJSON([{k: v for k, v in it.items() if k != "_fp"} for it in items]), FORMATTER)
    cites = []
    for it in items:
        citation = Citation([CitationItem(it["id"])])
        citation.bibliography = bib
        cites.append(citation.cites[0])
    layout = style.root.bibliography.layout
    sort = style.root.bibliography.find("cs:sort", style.root.nsmap)
    theirs = [c.key for c in sort.sort(list(cites), layout)]
    ours = [c.key for c in sort_cites(list(cites), sort, layout, cache)[0]]
    return theirs, ours


def check_again(style: str, records: List[Record], seed: int, steps: int = 15) -> None:
    """Formatting again with a kept cache after a few records are replaced in place (only
    they are formatted, moved to their sorted place, year suffixes redone for the groups
    they touch) gives what a cold run gives, after titles, years and authors change (moves,
    new year-suffix collisions), volumes turn non-numeric, and records swap places; and the
    re-run path was the one taken (APA, IEEE)."""
    import random

    from plm_bib.csl import engine
    from plm_bib.render.bibliography import format_bibliography

    records = list(records)
    records += [r.replace(key=f"{r.key}-copy{n}") for n in range(3) for r in records[:60:6]]  # full ties
    rng = random.Random(seed)
    taken: List[Any] = []
    again = engine.again
    engine.again = lambda *a, **k: taken.append(again(*a, **k)) or taken[-1]  # type: ignore[assignment]
    try:
        cache = RenderCache()
        format_bibliography(records, style, "html", cache)
        for step in range(steps):
            for _ in range(rng.choice([1, 2, 3])):
                i, j = rng.randrange(len(records)), rng.randrange(len(records))
                r = records[i]
                records[i] = [r.replace(title=rng.choice(["A changed title", "Zz last", "2001", "Aa first"])),
                              r.replace(year=records[j].year, authors=records[j].authors),
                              r.replace(volume=rng.choice(["x1", "7", "22(1)", None])),
                              records[j],
                              records[j].replace(key=r.key)][step % 5]  # the last: a full tie with j
                if step % 5 == 3:
                    records[j] = r  # a swap
            warm = format_bibliography(records, style, "html", cache)
            assert warm == format_bibliography(records, style, "html", RenderCache()), (style, step)
    finally:
        engine.again = again  # type: ignore[assignment]
    if style in ("apa", "ieee"):
        assert sum(t is not None for t in taken) >= 10, taken  # the re-run path was the one tested
