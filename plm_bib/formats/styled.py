"""Formatted bibliographies as formats: text, markdown, html, latex (``thebibliography``)."""
from __future__ import annotations

from typing import Any

from plm_bib.formats import register
from plm_bib.render.bibliography import format_bibliography
from plm_bib.render.html_page import html_page
from plm_bib.render.latex_document import reading_list_tex


def _styled(lib: Any, backend: str, options: Any) -> str:
    return format_bibliography(list(lib), style=options.get("style") or "apa", backend=backend)


@register("text", suffixes=(".txt",), aliases=("plain-text", "txt"),
          description="formatted bibliography, plain text (--style)")
def to_text(lib: Any, **options: Any) -> str:
    """A formatted bibliography in plain text."""
    return _styled(lib, "text", options)


@register("markdown", suffixes=(".md", ".markdown"), aliases=("md",),
          description="formatted bibliography, Markdown (--style)")
def to_markdown(lib: Any, **options: Any) -> str:
    """A formatted bibliography as a Markdown list."""
    return _styled(lib, "markdown", options)


@register("html", suffixes=(".html", ".htm"), description="formatted bibliography, HTML (--style)")
def to_html(lib: Any, **options: Any) -> str:
    """A formatted bibliography as an HTML fragment (``div.csl-bib-body``)."""
    return _styled(lib, "html", options)


@register("latex", suffixes=(".bbl",), aliases=("thebibliography",),
          description="formatted bibliography, LaTeX thebibliography (--style)")
def to_latex(lib: Any, **options: Any) -> str:
    """A ``thebibliography`` block formatted in a style."""
    return _styled(lib, "latex", options)


@register("reading-list-tex", suffixes=(".tex",), aliases=("tex",),
          description="complete reading-list LaTeX document (XeLaTeX + biblatex/biber)")
def to_reading_list_tex(lib: Any, **options: Any) -> str:
    """A reading-list document: a section per heading, notes, links, biblatex refsections."""
    return reading_list_tex(lib, title=options.get("title"), style=options.get("style"))


@register("html-page", aliases=("page", "web-page"),
          description="self-contained, searchable web page of the list (--style, --title; `plm-bib html`)")
def to_html_page(lib: Any, **options: Any) -> str:
    """One HTML file: sections, formatted references, notes, links, verification marks, search,
    filters, copy-BibTeX buttons and, with the plots extra, charts."""
    return html_page(lib, style=options.get("style") or "apa", title=options.get("title"),
                     charts=options.get("charts", True))
