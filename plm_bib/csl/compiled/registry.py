"""The compiled styles, chosen by the style file they were compiled from."""
from __future__ import annotations

from typing import Optional, Tuple

from plm_bib.csl.compiled import apa, ieee
from plm_bib.csl.compiled.pinning import matches
from plm_bib.csl.entries import Compiled, SortedCompiled

__all__ = ["compiled_for"]


def compiled_for(path: str) -> Tuple[Optional[Compiled], Optional[SortedCompiled]]:
    """``(numbered, sorted)`` compiled forms for the style file at ``path``: IEEE's entry
    writer (a style without a sort), APA's entry and sort-key writer, or None each; a form
    is given only when the file and the installed citeproc-py match its pin."""
    if matches(ieee.PIN, path):
        return ieee.ieee_entry, None
    if matches(apa.PIN, path):
        return None, apa.apa_entry
    return None, None
