"""Built-in formats: native JSON, BibTeX, BibLaTeX."""
from __future__ import annotations

from typing import Any

from ..bibtex import records_to_bibtex
from . import register


@register("json", suffixes=(".json",), aliases=("native",), description="lossless native JSON")
def to_json(lib: Any, **options: Any) -> str:
    """Every record and problem as native JSON (lossless)."""
    return str(lib.to_json(indent=options.get("indent", 2)))


@register("bibtex", suffixes=(".bib", ".bibtex"), aliases=("bib",),
          description="BibTeX (UTF-8; --ascii for LaTeX-encoded ASCII)")
def to_bibtex(lib: Any, **options: Any) -> str:
    """BibTeX (the layout of bibtexparser's writer)."""
    return records_to_bibtex(list(lib), biblatex=False, header=options.get("header", ""),
                             ascii=bool(options.get("ascii")))


@register("biblatex", suffixes=(".biblatex",), description="BibLaTeX (date, eprinttype, @online)")
def to_biblatex(lib: Any, **options: Any) -> str:
    """BibLaTeX: date, journaltitle, eprinttype, @online for resources."""
    return records_to_bibtex(list(lib), biblatex=True, header=options.get("header", ""),
                             ascii=bool(options.get("ascii")))


@register("csl-json", suffixes=(".csl.json", ".csljson"), aliases=("csl", "csljson"),
          description="CSL-JSON (Zotero, pandoc, citeproc)")
def to_csl_json(lib: Any, **options: Any) -> str:
    """CSL-JSON items, valid against the official csl-data schema."""
    from ..csl import record_to_csl, records_to_csl
    from ..jsontext import dumps, dumps_items
    from ..perf import paused_gc

    indent = options.get("indent", 2)
    with paused_gc():
        text = dumps_items((record_to_csl(r) for r in lib), indent=indent)
        if text is None:
            text = dumps(records_to_csl(list(lib)), indent=indent)
        return text + "\n"
