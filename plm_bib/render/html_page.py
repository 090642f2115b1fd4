"""The reading list as one self-contained web page (``plm-bib html``): pure, returns the text.

The page needs no network: its style sheet and script are inline
(:mod:`plm_bib.render.html_assets`), and the charts, when the plots extra is installed, are
inline SVG.  It holds the list's title, its sections as headings (``h2`` for the first
level, ``h3`` for the second...), and under each its records: the formatted reference in the
chosen style, a verification mark (verified, unverified, corrected: from
:func:`plm_bib.curation.check.check`), the corrections of the list's claims, the notes, the
links, and the record's BibTeX with a button that copies it.  A search box (over title,
authors, venue, notes, key and year) and filters (section, year, venue, paper or resource)
work offline.

Every value of the list is untrusted: text and attribute values go through the one HTML
escape (:func:`plm_bib.render.markup.escape_html`, attribute values always double-quoted),
only ``http(s)`` URLs become links, and a Content-Security-Policy lets only the page's own
script run (allowed by its hash).  No value is put inside the ``<script>`` element.

>>> import plm_bib
>>> page = html_page(plm_bib.load(), charts=False)
>>> page.startswith("<!DOCTYPE html>"), page.count('<li class="rec"') >= len(plm_bib.load())
(True, True)
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Set, Tuple

from plm_bib.curation.check import check, claim_corrections
from plm_bib.readinglist.records import text_language
from plm_bib.render import charts as _charts
from plm_bib.render.bibliography import format_references
from plm_bib.render.chart_counts import Counts
from plm_bib.render.html_assets import CSP, CSS, SCRIPT
from plm_bib.render.markup import escape_html, is_web_url, one_line, render
from plm_bib.render.styles import get_style

if TYPE_CHECKING:  # pragma: no cover
    from plm_bib.library import Library
    from plm_bib.model import Record

__all__ = ["html_page", "is_web_url"]

_UNVERIFIED = ("unverified", "not-found")


_LANG_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def _lang(language: Optional[str], around: str) -> str:
    """A ``lang`` attribute for text in ``language`` inside text in ``around`` (none when the
    same, or when ``language`` is no language tag)."""
    if not language or not _LANG_TAG.fullmatch(language) or language.split("-")[0] == around.split("-")[0]:
        return ""
    return f' lang="{language}"'


def _e(text: object) -> str:
    return escape_html(one_line(str(text)))


def _link(url: str, text: str) -> str:
    if not is_web_url(url):
        return f'{_e(text)}: <span class="url">{_e(url)}</span>'
    return f'<a href="{_e(url)}" rel="noopener noreferrer">{_e(text)}</a>'


def _marks(r: "Record", unverified: Set[str], corrections: Dict[str, List[str]]) -> str:
    if not r.is_paper:
        marks = ['<span class="mark resource">resource</span>']
    elif r.key in unverified:
        marks = ['<span class="mark unverified" title="no verified record: the list\'s claims are not '
                 'checked">unverified</span>']
    else:
        marks = ['<span class="mark verified" title="venue and year checked against a verified '
                 'record">verified</span>']
    fixes = corrections.get(r.key, [])
    if fixes:
        marks.append('<span class="mark corrected">corrected</span>')
    out = f'<p class="marks">{"".join(marks)}</p>'
    if fixes:
        out += ('<ul class="corrections" aria-label="corrections">'
                + "".join(f"<li>{_e(c)}</li>" for c in fixes) + "</ul>")
    return out


def _venue(r: "Record") -> str:
    return one_line(r.venue or "") if r.is_paper else ""


def _search_text(r: "Record") -> str:
    words = [r.key, r.title, _venue(r), r.booktitle or "", r.journal or "", r.site or "",
             str(r.year or ""), " ".join(r.notes), " ".join(p.display() for p in r.authors)]
    return one_line(" ".join(w for w in words if w)).lower()


def _record(r: "Record", n: int, label: str, ref: str, sec_ids: Sequence[str], unverified: Set[str],
            corrections: Dict[str, List[str]], page_lang: str) -> str:
    try:
        entry = r.bibtex
    except ValueError as err:  # a key a BibTeX writer cannot write
        entry = f"% {err}"
    lead = f'<span class="label">[{_e(label)}]</span>' if label else ""
    parts = [
        f'<li class="rec" id="rec-{n}"{_lang(r.language, page_lang)} data-key="{_e(r.key)}" '
        f'data-sec="{" ".join(sec_ids)}" '
        f'data-year="{_e(r.year or "")}" data-venue="{_e(_venue(r))}" data-kind="{_e(r.kind)}" '
        f'data-search="{_e(_search_text(r))}">',
        f'<p class="ref">{lead}{ref}</p>',
        _marks(r, unverified, corrections),
    ]
    for note in r.notes:
        parts.append(f'<p class="notes">Note: {render(note, "html")}</p>')
    links = [(link.kind, link.url) for link in r.urls]
    if r.doi:
        links.append(("DOI", f"https://doi.org/{r.doi}"))
    if links:
        parts.append('<p class="links">Links: ' + ", ".join(_link(url, kind) for kind, url in links) + "</p>")
    parts.append(
        f'<div class="actions"><button type="button" class="copy" aria-controls="bib-{n}" '
        f'data-key="{_e(r.key)}" aria-label="Copy BibTeX of {_e(r.key)}">Copy BibTeX</button>'
        f'<details><summary>BibTeX</summary><pre id="bib-{n}">{escape_html(entry)}</pre></details></div>')
    parts.append("</li>")
    return "\n".join(parts)


def _sections(lib: "Library", style: str, page_lang: str) -> Tuple[str, List[Tuple[str, Tuple[str, ...]]]]:
    """The sections and their records as nested ``<section>`` elements; and each heading path
    with its id, in list order (the section filter's options)."""
    numeric = get_style(style).numeric
    findings = check(lib)
    unverified = {f.key for f in findings if f.kind in _UNVERIFIED}
    corrections = claim_corrections(lib, findings)
    ids: Dict[Tuple[str, ...], str] = {}
    out: List[str] = []
    opened: List[Tuple[str, ...]] = []
    n = 0
    for path, records in lib.by_section():
        while opened and tuple(path[: len(opened[-1])]) != opened[-1]:
            opened.pop()
            out.append("</section>")
        for depth in range(len(opened), len(path)):
            sub = tuple(path[: depth + 1])
            sid = ids.setdefault(sub, f"s{len(ids)}")
            level = min(depth + 2, 6)
            out.append(f'<section class="sec" id="{sid}" aria-labelledby="{sid}-h">'
                       f'<h{level} id="{sid}-h"{_lang(text_language(sub[-1]), page_lang)}>{_e(sub[-1])}</h{level}>')
            opened.append(sub)
        sec_ids = [ids[tuple(path[: d + 1])] for d in range(len(path))]
        by_key = {r.key: r for r in records}
        out.append('<ol class="recs">')
        for ref in format_references(records, style, "html"):
            n += 1
            label = ref.label if numeric else ""
            out.append(_record(by_key[ref.key], n, label, ref.text, sec_ids, unverified, corrections, page_lang))
        out.append("</ol>")
    out.extend("</section>" for _ in opened)
    return "\n".join(out), [(sid, path) for path, sid in ids.items()]


def _options(values: Sequence[Tuple[str, str]], everything: str) -> str:
    opts = [f'<option value="">{_e(everything)}</option>']
    opts += [f'<option value="{_e(v)}">{_e(text)}</option>' for v, text in values]
    return "".join(opts)


def _tools(lib: "Library", sections: List[Tuple[str, Tuple[str, ...]]]) -> str:
    years = sorted({r.year for r in lib if r.year is not None}, reverse=True)
    venues = sorted({_venue(r) for r in lib if _venue(r)}, key=lambda v: (v.casefold(), v))
    sec_opts = [(sid, "\u2003" * (len(path) - 1) + path[-1]) for sid, path in sections]
    return (
        '<form id="tools" class="tools" role="search" aria-label="Search and filter the list">'
        '<label for="q">Search<input type="search" id="q" name="q" autocomplete="off" '
        'placeholder="title, author, venue, note"></label>'
        f'<label for="f-section">Section<select id="f-section">{_options(sec_opts, "all sections")}</select></label>'
        f'<label for="f-year">Year<select id="f-year">'
        f'{_options([(str(y), str(y)) for y in years], "all years")}</select></label>'
        f'<label for="f-venue">Venue<select id="f-venue">{_options([(v, v) for v in venues], "all venues")}'
        '</select></label>'
        '<label for="f-kind">Kind<select id="f-kind">'
        f'{_options([("paper", "papers"), ("resource", "resources")], "papers and resources")}</select></label>'
        '<button type="reset">Clear</button>'
        '<p id="copied" class="feedback" role="status" aria-live="polite"></p></form>')


def _chart_table(c: Counts) -> str:
    head = "".join(f'<th scope="col">{_e(s)}</th>' for s in c.series)
    rows = "".join(f'<tr><th scope="row">{_e(cat)}</th>'
                   + "".join(f"<td>{c.cells[s][i]}</td>" for s in range(len(c.series))) + "</tr>"
                   for i, cat in enumerate(c.categories))
    return (f'<details><summary>The numbers</summary><table class="counts"><thead><tr><th scope="col">'
            f'{_e(c.by)}</th>{head}</tr></thead><tbody>{rows}</tbody></table></details>')


def _charts_html(lib: "Library") -> str:
    if not _charts.plots_available():
        return ('<section id="charts" aria-labelledby="charts-h"><h2 id="charts-h">Charts</h2>'
                f'<p class="muted">The charts need matplotlib: {_e(_charts.PLOTS_EXTRA)}</p></section>')
    figures = []
    for by, caption in (("year", "Papers per year, by section"), ("venue", "Papers per venue, by section")):
        chart = _charts.plot(lib, by)
        svg = _charts.inline_svg(chart.svg).replace(
            "<svg ", f'<svg role="img" aria-label="{_e(caption)}" ', 1)
        figures.append(f"<figure>{svg}<figcaption>{_e(caption)}</figcaption>{_chart_table(chart.counts)}</figure>")
    return ('<section id="charts" aria-labelledby="charts-h"><h2 id="charts-h">Charts</h2>'
            '<div class="charts">' + "".join(figures) + "</div></section>")


def html_page(lib: "Library", style: str = "apa", title: Optional[str] = None, charts: bool = True) -> str:
    """The whole page of ``lib`` (see the module); ``charts``: the papers-per-year and
    per-venue charts (left out, with a note, when matplotlib is not installed)."""
    heading = one_line(title or lib.title or "Reading list")
    page_lang = text_language(heading)  # the page's language is its title's; other texts say theirs
    body, sections = _sections(lib, style, page_lang)
    papers = sum(1 for r in lib if r.is_paper)
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{page_lang}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_e(CSP)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="plm-bib">',
        f"<title>{_e(heading)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        '<a class="skip" href="#main">Skip to the list</a>',
        f'<header><h1>{_e(heading)}</h1><p class="summary">{papers} papers, {len(lib) - papers} resources; '
        f"references in the {_e(style)} style</p></header>",
        _tools(lib, sections),
        '<main id="main">',
        '<p id="status" role="status" aria-live="polite"></p>',
        '<p id="none" hidden>No record matches the search and filters.</p>',
        _charts_html(lib) if charts else "",
        body,
        "</main>",
        '<footer><p class="muted">Made by plm-bib. Verified: the venue and year were checked against '
        "a verified record; corrected: the list's claim differs from it (the verified value is shown).</p>"
        "</footer>",
        f"<script>{SCRIPT}</script>",
        "</body>",
        "</html>",
        "",
    ])
