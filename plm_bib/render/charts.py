"""Pictures of a library: papers per year or per venue, stacked by section, as SVG.

The counting is :mod:`plm_bib.render.chart_counts` (pure); the drawing is matplotlib's, an
optional extra (``pip install 'plm_bib[plots]'``), used without its global state (a
``Figure`` and the SVG canvas, settings in an ``rc_context``): text stays SVG ``<text>``
(``svg.fonttype = none``), no mathtext (a ``$`` in a venue is a dollar sign), and the output
is deterministic (a fixed hash salt, no date).  Every string reaches the SVG through
matplotlib's XML writer, which escapes it; line breaks and bidirectional controls are
removed before (:func:`plm_bib.render.markup.one_line`).  Each bar drawn is a ``<g>`` whose
id starts with ``plm-bar-``: one per (section, year or venue) cell with at least one paper.
"""
from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional, Sequence

from plm_bib.errors import ExtraNeeded
from plm_bib.render.chart_counts import Counts, count
from plm_bib.textio import write_atomic

if TYPE_CHECKING:  # pragma: no cover
    from plm_bib.library import Library

__all__ = ["Chart", "chart_svg", "plot", "plots_available", "PLOTS_EXTRA"]

PLOTS_EXTRA = "pip install 'plm_bib[plots]'"
# matplotlib's tab10 and tab20 colours (a colour per section, the same on every run)
_PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
            "#bcbd22", "#17becf", "#aec7e8", "#ffbb78")
_LABEL_MAX = 40
_TITLES = {"year": "Papers per year", "venue": "Papers per venue"}


@dataclass(frozen=True)
class Chart:
    """A drawn chart: its SVG text and the counts it shows.  Notebooks display it
    (``_repr_svg_``); :meth:`save` writes the SVG file."""

    svg: str
    counts: Counts

    @property
    def by(self) -> str:
        return self.counts.by

    def _repr_svg_(self) -> str:
        return self.svg

    def save(self, path: str) -> str:
        """The SVG written to ``path`` (atomically); returns ``path``."""
        write_atomic(path, self.svg)
        return path

    def __repr__(self) -> str:
        return f"<Chart papers per {self.by}: {self.counts.total} papers, {len(self.counts.nonzero())} bars>"


def plots_available() -> bool:
    """Whether the plotting extra is installed."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _label(text: str) -> str:
    return text if len(text) <= _LABEL_MAX else text[: _LABEL_MAX - 1].rstrip() + "…"


def _draw(c: Counts, title: str, fonts: Sequence[str]) -> str:
    try:
        import matplotlib
        from matplotlib.backends.backend_svg import FigureCanvasSVG
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator
    except ImportError:
        raise ExtraNeeded(f"charts need matplotlib: {PLOTS_EXTRA}") from None
    rc: Any = {"svg.fonttype": "none", "svg.hashsalt": f"plm-bib-{c.by}", "text.parse_math": False,
          "text.usetex": False, "font.family": "sans-serif",
          "font.sans-serif": [*fonts, "DejaVu Sans", "Noto Sans CJK SC"], "svg.image_inline": True}
    n = len(c.categories)
    width = max(6.0, min(14.0, 2.5 + 0.45 * n))
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        # a glyph the layout font lacks (Chinese headings): the SVG names the fonts, the reader draws it
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from")
        fig = Figure(figsize=(width, 4.2))
        FigureCanvasSVG(fig)
        ax = fig.add_subplot()
        bottom = [0] * n
        for s, (name, row) in enumerate(zip(c.series, c.cells)):
            xs = [i for i in range(n) if row[i]]
            bars = ax.bar(xs, [row[i] for i in xs], bottom=[bottom[i] for i in xs],
                          color=_PALETTE[s % len(_PALETTE)], label=_label(name), edgecolor="white",
                          linewidth=0.5)
            for i, bar in zip(xs, bars):
                bar.set_gid(f"plm-bar-{c.by}-{s}-{i}")
                bottom[i] += row[i]
        ax.set_xticks(range(n), [_label(x) for x in c.categories],
                      rotation=0 if c.by == "year" and n <= 12 else 40,
                      ha="center" if c.by == "year" and n <= 12 else "right")
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("papers")
        ax.set_title(_label(title) if len(title) > 80 else title)
        ax.spines[["top", "right"]].set_visible(False)
        if c.series:
            ax.legend(title="section", loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
                      fontsize="small")
        if c.left_out:
            what = "year" if c.by == "year" else "venue"
            fig.text(0.01, 0.01, f"{c.left_out} papers without a {what} are not shown", fontsize="small")
        fig.tight_layout()
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    return buf.getvalue()


def chart_svg(lib: "Library", by: str = "year", *, title: Optional[str] = None, limit: int = 12,
              fonts: Sequence[str] = ()) -> str:
    """The SVG text of the chart of ``lib``'s papers per ``by`` (``"year"`` or ``"venue"``),
    stacked by section; ``fonts``: font families named first in the SVG (the PDF's)."""
    return plot(lib, by, title=title, limit=limit, fonts=fonts).svg


def plot(lib: "Library", by: str = "year", *, title: Optional[str] = None, limit: int = 12,
         fonts: Sequence[str] = (), **_: Any) -> Chart:
    """The :class:`Chart` of ``lib``'s papers per year or per venue (``Library.plot``)."""
    c = count(lib, by, limit=limit)
    return Chart(_draw(c, title or _TITLES[c.by], tuple(fonts)), c)


_PROLOG = re.compile(r"\A\s*(?:<\?xml[^>]*\?>\s*)?(?:<!DOCTYPE[^>]*>\s*)?")


def inline_svg(svg: str) -> str:
    """An SVG document as an element to put inside HTML (no XML declaration, no doctype)."""
    return _PROLOG.sub("", svg, count=1)
