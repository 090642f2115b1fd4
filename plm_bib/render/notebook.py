"""Rich display in notebooks: an HTML table for a Library, a card for a Record.

Everything from the data is escaped with :func:`html.escape`, without bidirectional control
characters (:func:`markup.strip_bidi`, the rule of every backend); links are the records' own
URLs, and only ``http(s)`` URLs become links (no ``javascript:``).

>>> import plm_bib
>>> html_text = library_html(plm_bib.load().filter(venue="arXiv"))
>>> html_text.count("<tr>")  # a header row and one row per record
3
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, List

from plm_bib.render.bibliography import format_references
from plm_bib.render.markup import escape_html, is_web_url

if TYPE_CHECKING:  # pragma: no cover
    from plm_bib.model import Record

__all__ = ["library_html", "record_html", "short_authors", "COLUMNS"]

COLUMNS = ("#", "key", "title", "authors", "venue", "year", "links", "section")
_MAX_ROWS = 500


def _e(text: object) -> str:
    return escape_html(str(text))


def _link(url: str, text: str) -> str:
    if not is_web_url(url):
        return _e(text)
    return f'<a href="{_e(url)}" target="_blank" rel="noopener noreferrer">{_e(text)}</a>'


def short_authors(r: "Record", limit: int = 3) -> str:
    """All family names up to ``limit + 1`` authors, else the first ``limit`` and "et al."."""
    names = [p.short() for p in r.authors if p.family != "others"]
    others = len(names) < len(r.authors)
    if len(names) > limit + 1:
        return ", ".join(names[:limit]) + " et al."
    return ", ".join(names) + (" et al." if others else "")


def _row(i: int, r: "Record") -> str:
    title = _link(r.url, r.title) if r.url else _e(r.title)
    links = " ".join(_link(link.url, link.kind) for link in r.urls)
    venue = r.venue or ""
    if r.kind == "resource":
        venue = r.site or r.resource_kind or "resource"
    section = " / ".join(r.section)
    cells = [str(i), f"<code>{_e(r.key)}</code>", title, _e(short_authors(r)), _e(venue),
             _e(r.year or ""), links, _e(section)]
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def library_html(records: Iterable["Record"], title: str = "") -> str:
    """A compact HTML table of records: title (linked), authors, venue, year, links, section."""
    recs: List["Record"] = list(records)
    head = "<tr>" + "".join(f"<th>{c}</th>" for c in COLUMNS) + "</tr>"
    rows = [_row(i, r) for i, r in enumerate(recs[:_MAX_ROWS])]
    papers = sum(1 for r in recs if r.kind == "paper")
    caption = f"{_e(title) + ': ' if title else ''}{papers} papers, {len(recs) - papers} resources"
    more = (f'<p>… and {len(recs) - _MAX_ROWS} more records</p>' if len(recs) > _MAX_ROWS else "")
    return (f'<table class="plm-bib-library"><caption>{caption}</caption>'
            f"<thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>{more}")


def record_html(r: "Record", style: str = "apa") -> str:
    """A record as its formatted reference (HTML) followed by its BibTeX entry."""
    ref = format_references([r], style=style, backend="html")[0].text
    try:
        entry = r.bibtex
    except ValueError as e:  # a record made by hand with no key, or an unsafe one
        entry = str(e)
    return (f'<div class="plm-bib-record"><p>{ref}</p>'
            f"<pre>{_e(entry)}</pre></div>")
