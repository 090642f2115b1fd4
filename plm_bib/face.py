"""The face of the data: what ``Record`` and ``Library`` methods such as ``record.cite()``,
``lib.to_bibtex()`` or ``lib._repr_html_()`` do, by job.

:mod:`plm_bib.model` and :mod:`plm_bib.library` hold data only; their presentation methods are
thin: each imports this module when called and hands the work to one function here, which
imports the package that does the job (BibTeX writer, bibliography renderer, PDF, checks,
notebook display).  So importing the data layer loads no writer, and no writer imports a
module that imports it back.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, List, Optional

if TYPE_CHECKING:  # pragma: no cover
    from plm_bib.curation.check import Finding
    from plm_bib.library import Library
    from plm_bib.model import Record
    from plm_bib.render.charts import Chart

__all__ = ["record_bibtex", "record_cite", "record_html", "library_export", "library_format",
           "library_pdf", "library_check", "library_dataframe", "library_html", "library_plot"]


# -- one record --------------------------------------------------------------------
def record_bibtex(r: "Record") -> str:
    """``r`` as a BibTeX entry (``Record.bibtex``)."""
    from plm_bib.bibtex import records_to_bibtex

    return records_to_bibtex([r])


def record_cite(r: "Record", style: str = "apa", backend: str = "text") -> str:
    """``r`` formatted as one reference in ``style`` (``Record.cite``)."""
    from plm_bib.render.bibliography import format_references

    return format_references([r], style=style, backend=backend)[0].text


def record_html(r: "Record") -> str:
    """A notebook card for ``r`` (``Record._repr_html_``)."""
    from plm_bib.render.notebook import record_html as card

    return card(r)


# -- a library ---------------------------------------------------------------------
def library_export(lib: "Library", fmt: str, **options: Any) -> str:
    """``lib`` in the registered format ``fmt`` (``Library.to_bibtex``, ``to_csl_json``)."""
    from plm_bib.formats import export

    return export(lib, fmt, **options)


def library_format(records: Iterable["Record"], style: str = "apa", backend: str = "text") -> str:
    """A formatted bibliography of ``records`` (``Library.format``)."""
    from plm_bib.render.bibliography import format_bibliography

    return format_bibliography(list(records), style=style, backend=backend)


def library_pdf(lib: "Library", path: str, style: str = "ieee", engine: str = "typst",
                title: Optional[str] = None, numbering: str = "section", charts: bool = False) -> str:
    """The reading-list PDF of ``lib`` written to ``path`` (``Library.to_pdf``)."""
    from plm_bib.render.pdf import render_pdf

    return render_pdf(lib, path, style=style, engine=engine, title=title, numbering=numbering, charts=charts)


def library_plot(lib: "Library", by: str = "year", **options: Any) -> "Chart":
    """The chart of ``lib``'s papers per year or venue, by section (``Library.plot``)."""
    from plm_bib.render.charts import plot

    return plot(lib, by, **options)


def library_check(lib: "Library") -> List["Finding"]:
    """What the list claims against the verified records (``Library.check``)."""
    from plm_bib.curation.check import check

    return check(lib)


def library_html(lib: "Library") -> str:
    """A notebook table of ``lib`` (``Library._repr_html_``)."""
    from plm_bib.render.notebook import library_html as table

    return table(lib, lib.title or "")


DATAFRAME_COLUMNS = ["key", "kind", "type", "title", "authors", "year", "venue", "booktitle", "journal",
                     "pages", "doi", "url", "ids", "links", "sections", "notes", "line"]


def library_dataframe(records: Iterable["Record"]) -> Any:
    """A pandas DataFrame, one row per record (``Library.to_dataframe``); needs pandas."""
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("to_dataframe needs pandas: pip install 'plm_bib[notebook]'") from None
    rows = []
    for r in records:
        rows.append({
            "key": r.key, "kind": r.kind, "type": r.entry_type, "title": r.title,
            "authors": [p.display() for p in r.authors], "year": r.year, "venue": r.venue,
            "booktitle": r.booktitle, "journal": r.journal, "pages": r.pages, "doi": r.doi,
            "url": r.url, "ids": dict(r.ids), "links": [link.url for link in r.urls],
            "sections": [" / ".join(p) for p in r.sections], "notes": list(r.notes),
            "line": r.line,
        })
    df = pd.DataFrame(rows, columns=DATAFRAME_COLUMNS)
    df["year"] = df["year"].astype("Int64")
    return df
