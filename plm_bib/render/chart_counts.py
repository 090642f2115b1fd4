"""What the pictures of a library count (pure: no plotting library): papers per year or per
venue, each bar stacked by section.

A paper's section is the first heading level of the first heading path it is listed under
(``Record.section[0]``); papers listed under no heading count under ``"Other"`` (as in
:meth:`plm_bib.Library.by_section`).  A paper is counted once, however many headings list it.
Resources (blog posts, repositories, slides) are not counted: they have no venue and their
year is not one of publication.  Papers without a year (by year) or without a venue (by
venue) are not drawn; :attr:`Counts.left_out` says how many.

>>> import plm_bib
>>> c = count(plm_bib.load().filter(venue="NAACL"), "year")  # BERT, first listed under 基础类
>>> c.categories, c.series, c.cells
(('2019',), ('基础类',), ((1,),))
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, List, Tuple

from plm_bib.errors import BadOption
from plm_bib.render.markup import one_line

if TYPE_CHECKING:  # pragma: no cover
    from plm_bib.library import Library
    from plm_bib.model import Record

__all__ = ["Counts", "count", "BY", "OTHER_SECTION", "OTHER_VENUES"]

BY = ("year", "venue")
OTHER_SECTION = "Other"
OTHER_VENUES = "other venues"
OTHER_SECTIONS = "other sections"


@dataclass(frozen=True)
class Counts:
    """``cells[s][c]``: the papers of series ``s`` (a section) in category ``c`` (a year or a
    venue).  Categories: years in ascending order, or venues by papers (most first, then by
    name), those past the limit gathered as ``"other venues"``."""

    by: str
    categories: Tuple[str, ...]
    series: Tuple[str, ...]
    cells: Tuple[Tuple[int, ...], ...]
    left_out: int = 0

    @property
    def total(self) -> int:
        return sum(sum(row) for row in self.cells)

    def nonzero(self) -> List[Tuple[int, int]]:
        """The (series, category) index pairs with at least one paper: the bars drawn."""
        return [(s, c) for s, row in enumerate(self.cells) for c, n in enumerate(row) if n]


def _section(r: "Record") -> str:
    return one_line(r.section[0]) if r.section else OTHER_SECTION


def _category(r: "Record", by: str) -> str:
    if by == "year":
        return str(r.year) if r.year is not None else ""
    return one_line(r.venue or "").strip()


def _ranked(totals: Dict[str, int], limit: int) -> Tuple[List[str], Dict[str, str]]:
    """The categories kept (most papers first) and where each one goes."""
    ranked = sorted(totals, key=lambda v: (-totals[v], v.casefold(), v))
    if limit <= 0 or len(ranked) <= limit:
        return ranked, {v: v for v in ranked}
    kept = ranked[: limit - 1]
    where = {v: v for v in kept}
    where.update({v: OTHER_VENUES for v in ranked[limit - 1:]})
    return kept + [OTHER_VENUES], where


def count(lib: "Library", by: str = "year", limit: int = 12, max_series: int = 10) -> Counts:
    """Papers of ``lib`` per year or per venue (``by``), by section.  ``limit``: the most
    venues drawn (the rest as one bar, ``"other venues"``; 0: no limit; years are never
    gathered); ``max_series``: the most sections drawn (the smallest as ``"other sections"``)."""
    if by not in BY:
        raise BadOption(f"unknown chart {by!r}; known: {', '.join(BY)}")
    papers = [r for r in lib if r.is_paper]
    placed = [(r, _category(r, by)) for r in papers]
    left_out = sum(1 for _, c in placed if not c)
    placed = [(r, c) for r, c in placed if c]
    # sections in the list's order (the order they are first met in)
    order: Dict[str, int] = {}
    sizes: Dict[str, int] = {}
    for r, _ in placed:
        s = _section(r)
        order.setdefault(s, len(order))
        sizes[s] = sizes.get(s, 0) + 1
    series = sorted(order, key=lambda s: order[s])
    series_of = {s: s for s in series}
    if 0 < max_series < len(series):
        biggest = set(sorted(series, key=lambda s: (-sizes[s], order[s]))[: max_series - 1])
        series_of = {s: (s if s in biggest else OTHER_SECTIONS) for s in series}
        series = [s for s in series if s in biggest] + [OTHER_SECTIONS]
    totals: Dict[str, int] = {}
    for _, c in placed:
        totals[c] = totals.get(c, 0) + 1
    if by == "year":
        categories = sorted(totals, key=int)
        category_of = {c: c for c in categories}
    else:
        categories, category_of = _ranked(totals, limit)
    s_index = {s: i for i, s in enumerate(series)}
    c_index = {c: i for i, c in enumerate(categories)}
    grid = [[0] * len(categories) for _ in series]
    for r, c in placed:
        grid[s_index[series_of[_section(r)]]][c_index[category_of[c]]] += 1
    return Counts(by, tuple(categories), tuple(series), tuple(tuple(row) for row in grid), left_out)
