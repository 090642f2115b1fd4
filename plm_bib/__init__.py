"""plm_bib: turn Markdown reading lists of papers into a correct, citable library.

>>> import plm_bib
>>> lib = plm_bib.load()
>>> lib["liu2019roberta"].venue
'arXiv'
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from plm_bib.errors import InputError, PlmBibError, SourceError, StyleNotFound
from plm_bib.formats import export, format_names
from plm_bib.library import Library, Section
from plm_bib.model import Claim, Link, Person, Problem, Record
from plm_bib.readers import (
    load,
    parse_bibtex_text,
    parse_csl_json,
    parse_markdown,
    read,
    read_bibtex,
    read_csl_json,
    read_markdown,
)
from plm_bib.render.bibliography import format_bibliography

if TYPE_CHECKING:
    from plm_bib.curation.fix import Fixed

__version__ = "0.1.0"

__all__ = [
    "Claim", "InputError", "Library", "Link", "Person", "PlmBibError", "Problem", "Record", "Section",
    "SourceError", "StyleNotFound",
    "enrich", "export", "fix_markdown", "format_bibliography", "format_names", "load", "parse_bibtex_text",
    "parse_csl_json", "parse_markdown", "read", "read_bibtex", "read_csl_json", "read_markdown", "__version__",
]


def enrich(lib: Library, *args: Any, **kwargs: Any) -> Library:
    """Fill ``lib`` from online sources; see :func:`plm_bib.sources.enrich.enrich` (imported when
    called, so ``import plm_bib`` does not load the HTTP stack)."""
    from plm_bib.sources.enrich import enrich as _enrich

    return _enrich(lib, *args, **kwargs)


def fix_markdown(text: str, source: str = "<string>", upgrade_links: bool = False) -> "Fixed":
    """A reading list's text with its verified corrections written in, in its own notation:
    :func:`plm_bib.curation.fix.fix_markdown` (the ``Fixed`` text, edits and what was left;
    imported when called)."""
    from plm_bib.curation.fix import fix_markdown as _fix

    return _fix(text, source, upgrade_links)
