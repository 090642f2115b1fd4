"""The memoised pure functions of reading and writing BibTeX, and the one way to forget them.

Every cache here maps strings (or frozen Persons) to strings or Persons: it cannot change
a result, only the time a repeated value takes.  :func:`clear_parse_caches` empties them,
so that a benchmark's next load or export runs cold.
"""
from __future__ import annotations

__all__ = ["clear_parse_caches"]


def clear_parse_caches() -> None:
    """Forget every memoised decoding, name and escape (the next load or export runs cold)."""
    from plm_bib.bibtex import decode, latex_text, name_lists
    from plm_bib.metadata import ids, names

    for fn in (decode.latex_to_text, decode._token, names.parse_name, ids._extract_ids, name_lists.read_names,
               name_lists._person, latex_text.escape_latex, latex_text._protect_word, name_lists._name,
               name_lists._name_biblatex):
        fn.cache_clear()
