"""The memoised pure functions of reading and writing BibTeX, and the one way to forget them.

Every cache here maps strings (or frozen Persons) to strings or Persons: it cannot change
a result, only the time a repeated value takes; each is bounded (``lru_cache(maxsize=...)``).
Kept because they pay (CPU time, cdl.bib (6,315 entries) / dblp (3,191), cold load or cold
bibtex+biblatex write with the cache off, against all on; issue 17): ``decode.latex_to_text``
(write +28% / +29%), ``decode._token`` (load +13% / +21%), ``decode._word`` (the words of values pylatexenc
reads, issue 20: the TUGboat file's LaTeX decoding 4.7 s -> 1.8 s), ``names.parse_name`` (load +12% /
+6%, write +10% / +23%), ``name_lists.read_names`` (warm load +20% / +13%),
``name_lists._person`` (dblp write +10%), ``latex_text.escape_latex`` (write +12% / +14%),
``latex_text._protect_word`` (write +40% / +12%), ``name_lists._name`` (write +12% / +13%).
Also ``links.host_in`` and the macro expressions of the last file read
(``macros.resolve_memo``; issue 20, the TUGboat file: 1.7 s of 10.9 under the profiler).
Dropped: the biblatex name's own cache (cold +1-4%, noise) and the reference decoder's (a
test oracle now).  :func:`clear_parse_caches` empties them all, so that a benchmark's next
load or export runs cold.
"""
from __future__ import annotations

from plm_bib.bibtex.decode import _token, _word, latex_to_text
from plm_bib.bibtex.latex_text import _protect_word, escape_latex
from plm_bib.bibtex.macros import clear_memo
from plm_bib.bibtex.name_lists import _name, _person, read_names
from plm_bib.metadata.ids import _extract_ids
from plm_bib.metadata.links import host_in
from plm_bib.metadata.names import parse_name

__all__ = ["clear_parse_caches"]


def clear_parse_caches() -> None:
    """Forget every memoised decoding, name and escape (the next load or export runs cold)."""
    for fn in (latex_to_text, _token, _word, parse_name, _extract_ids, read_names, _person, escape_latex, _protect_word,
               _name, host_in):
        fn.cache_clear()
    clear_memo()
