"""Year suffixes (2020a, 2020b) where a CSL style asks for them: citeproc-py does not
disambiguate."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, List, Optional, Sequence, Tuple

from plm_bib.csl.cache import LIMIT, RenderCache
from plm_bib.model import Record

__all__ = ["LETTERS", "citation_options", "year_suffixes", "suffix_group", "suffixed"]

@lru_cache(maxsize=32)
def citation_options(path: str) -> Dict[str, str]:
    with open(path, encoding="utf-8") as f:
        m = re.search(r"<citation\b([^>]*)>", f.read())
    return dict(re.findall(r'([\w-]+)="([^"]*)"', m.group(1))) if m else {}


def year_suffixes(path: str, ordered: Sequence[Record], cache: RenderCache) -> Dict[str, str]:
    """``2020a``/``2020b`` for works whose in-text citations would be the same, as CSL's
    ``disambiguate-add-year-suffix`` asks (citeproc-py does not disambiguate).  Two works
    collide when their cited names (after et-al truncation, or all of them when the style
    may add names) and, if the style may add given names, their first author's initial,
    and their year are the same."""
    opts = citation_options(path)
    if opts.get("disambiguate-add-year-suffix") != "true":
        return {}
    groups: Dict[Tuple[Any, ...], List[str]] = {}
    for r in ordered:
        group = suffix_group(path, r, opts, cache)
        if group is not None:
            groups.setdefault(group, []).append(r.key)
    out: Dict[str, str] = {}
    for keys in groups.values():
        if len(keys) > 1:
            for n, key in enumerate(keys):
                out[key] = LETTERS[n % 26]
    return out


LETTERS = "abcdefghijklmnopqrstuvwxyz"


def suffix_group(path: str, r: Record, opts: Dict[str, str], cache: RenderCache) -> Optional[Tuple[Any, ...]]:
    """What a work's in-text citation would show (see :func:`year_suffixes`), or None
    for a work without year or names; kept per Record object."""
    seen = cache.groups.get((path, id(r)))
    if seen is not None and seen[0] is r:
        return seen[1]  # type: ignore[no-any-return]
    group = None
    people = r.authors or r.editors
    if r.year and people:
        et_al_min = int(opts.get("et-al-min", "0") or 0)
        use_first = int(opts.get("et-al-use-first", "1") or 1)
        names = tuple(p.short() for p in people)
        if opts.get("disambiguate-add-names") != "true" and et_al_min and len(names) >= et_al_min:
            names = names[:use_first] + ("et al.",)
        initial = people[0].given[:1] if opts.get("disambiguate-add-givenname") == "true" else ""
        group = (names, initial, r.year)
    if len(cache.groups) > LIMIT:
        cache.groups.clear()
    cache.groups[(path, id(r))] = (r, group)
    return group



def suffixed(path: str) -> bool:
    """Whether the style at ``path`` adds year suffixes."""
    return citation_options(path).get("disambiguate-add-year-suffix") == "true"
