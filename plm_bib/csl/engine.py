"""CSL styles through citeproc-py, hidden behind one call.

citeproc-py's two-pass protocol (register citations, then render the bibliography) is
wrapped in :func:`render_entries`, which returns neutral markup (see :mod:`plm_bib.render.markup`);
citeproc-py itself is reached only through :mod:`plm_bib.csl.citeproc_adapter`.
What we add around the engine, each for a reason the tests show:

* items are fed with only the variables citeproc-py knows (it warns on the others) and
  CSL 1.0.2's ``event-title`` under its 1.0.1 name ``event``;
* a paper with a proceedings title is not given its ``event-title``: APA and Chicago
  would cite it as a talk ("Paper presented at ...") rather than by its proceedings;
* words in mixed case (``arXiv``, ``RoBERTa``) are marked ``nocase``: the CSL
  specification leaves such words alone under ``text-case``, citeproc-py does not;
* ``punctuation-in-quote`` (American English) is applied, which citeproc-py skips;
* styles whose default locale is Chinese render English items with English terms
  ("et al." rather than "等"), the multilingual behaviour GB/T 7714-2015 asks for and
  its CSL file describes (an item's language decides, else the script of its title and
  names: :func:`.entries.western`);
* names written in CJK script are family then given name without a space (``曾小明``);
* GB/T 7714's CSL files (:func:`.entries.dialect`) are fed a proceedings volume as a
  paper (``[C]``, its editors first), a suffix after the initials with a comma
  (``PEEBLES P Z, Jr``), organisations marked so that they are not upper-cased, and a
  Chinese book's volume as ``第1卷``;
* a page range whose last page has more digits than the first is kept whole
  (citeproc-py prints 9-14 as "9-4" under ``minimal-two``), and ``initialize="false"``
  is honoured (citeproc-py initialises the given names of Chicago's bibliography), and
  labels take the style's ``text-case`` (APA's "(Eds.)");
* works whose in-text citations would be the same get year suffixes (2020a, 2020b) where
  the style asks for them (citeproc-py does not disambiguate);
* the ACL style, which prints only the title of an item that is neither in a journal
  nor in proceedings, gets arXiv preprints as ``arXiv preprint arXiv:ID``, the form of
  the ACL's own BibTeX style.

The work is split by job: :mod:`.entries` (items and entries through citeproc-py),
:mod:`.sorting` (citeproc-py's sort, faster), :mod:`.again` (a bibliography formatted
again after a few records changed), :mod:`.year_suffixes`.  A compiled style
(:mod:`.compiled`) writes the entries it covers only when its pin matches the installed
style file and citeproc-py.  What is kept between calls lives in the caller's
:class:`~plm_bib.csl.cache.RenderCache` (the process's default one if none is given).
"""
from __future__ import annotations

import threading
from typing import List, Optional, Sequence, Tuple

from plm_bib.csl.again import again, remember
from plm_bib.csl.cache import DEFAULT, RenderCache
from plm_bib.csl.citeproc_adapter import load_style, memo_enabled
from plm_bib.csl.compiled.registry import compiled_for
from plm_bib.csl.entries import GB7714, bibliography, dialect, item_of, unmark, western
from plm_bib.csl.year_suffixes import year_suffixes
from plm_bib.model import Record
from plm_bib.render.styles import BadStyle, Style, csl_path

__all__ = ["render_entries"]

_LOCK = threading.Lock()


def _style(path: str, locale: str) -> object:
    from lxml import etree

    try:
        return load_style(path, locale)
    except (etree.LxmlError, AttributeError, KeyError, ValueError, TypeError) as e:
        raise BadStyle(path, f"not a CSL style citeproc-py can read ({type(e).__name__}: {e})") from None


def render_entries(records: Sequence[Record], style: Style,
                   cache: Optional[RenderCache] = None) -> List[Tuple[str, str]]:
    """``(key, neutral markup)`` of each record, in the style's bibliography order."""
    if cache is None:
        cache = DEFAULT
    path = csl_path(style.target)
    flavour = dialect(path)
    memo = memo_enabled()
    records = list(records)
    with _LOCK:
        base = _style(path, "")
        compiled, sorted_compiled = compiled_for(path) if memo else (None, None)
        previous = cache.previous.get((path, flavour))
        if previous is not None and memo:
            done = again(cache, previous, records, base, path, flavour, compiled, sorted_compiled)
            if done is not None:
                return done
        items = [item_of(r, f"r{i}", flavour, cache) for i, r in enumerate(records)]
        out, sort_state = bibliography(base, items, cache, compiled, sorted_compiled)
        if flavour == GB7714:
            out = [(k, unmark(text)) for k, text in out]
        westerns: set = set()  # type: ignore[type-arg]
        if str(base.root.get("default-locale", "en-US")).startswith("zh"):  # type: ignore[attr-defined]
            westerns = {it["id"] for it in items if western(it)}
            if westerns:
                english = {k: unmark(text) for k, text in bibliography(_style(path, "en-US"), items, cache)[0]}
                out = [(k, english[k] if k in westerns else text) for k, text in out]
        keys = {f"r{i}": r.key for i, r in enumerate(records)}
        result = [(keys[k], text) for k, text in out]
        by_key = {r.key: r for r in records}
        suffixes = year_suffixes(path, [by_key[k] for k, _ in result], cache)
        if suffixes:
            result = [(k, text.replace(str(by_key[k].year), f"{by_key[k].year}{suffixes[k]}", 1)
                       if k in suffixes else text) for k, text in result]
        cache.previous.pop((path, flavour), None)
        if memo and not westerns and len(out) == len(records) == len(by_key):
            remember(cache, path, flavour, base, records, out, result, sort_state)
    return result
