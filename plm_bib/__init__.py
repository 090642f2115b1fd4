"""plm_bib: turn Markdown reading lists of papers into a correct, citable library.

>>> import plm_bib
>>> lib = plm_bib.load()
>>> lib["liu2019roberta"].venue
'arXiv'
"""
from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any, Dict, List

if TYPE_CHECKING:
    from plm_bib.curation.fix import Fixed
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

# the public names and the module each comes from: imported on first use (PEP 562), so that
# ``import plm_bib.cli`` or ``import plm_bib.model`` does not load every reader and renderer
_HOMES: Dict[str, str] = {
    **dict.fromkeys(("InputError", "PlmBibError", "SourceError", "StyleNotFound"), "plm_bib.errors"),
    **dict.fromkeys(("export", "format_names"), "plm_bib.formats"),
    **dict.fromkeys(("Library", "Section"), "plm_bib.library"),
    **dict.fromkeys(("Claim", "Link", "Person", "Problem", "Record"), "plm_bib.model"),
    **dict.fromkeys(("load", "parse_bibtex_text", "parse_csl_json", "parse_markdown", "read", "read_bibtex",
                     "read_csl_json", "read_markdown"), "plm_bib.readers"),
    "format_bibliography": "plm_bib.render.bibliography",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        # a subpackage or module (``plm_bib.readers``, ``plm_bib.sources``), as when this file
        # imported them all
        if not name.startswith("_") and importlib.util.find_spec(f"plm_bib.{name}") is not None:
            return importlib.import_module(f"plm_bib.{name}")
        raise AttributeError(f"module 'plm_bib' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> List[str]:
    return sorted(set(globals()) | set(_HOMES))


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
