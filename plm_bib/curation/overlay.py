"""Curated metadata: verified records shipped in ``data/curated.bib``, matched to list items.

The curated file is the single source of truth for the papers of the built-in list;
``plm_bib.load()`` and ``plm-bib build`` both read it.  A list item matches a curated
record by arXiv id, ACL Anthology id, DOI, OpenReview id, PMLR id, or normalised title.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Dict, List, Optional, Tuple

from plm_bib.bibtex import parse_bibtex
from plm_bib.library import Library
from plm_bib.model import Link, Record
from plm_bib.readinglist import normalize_title

__all__ = ["curated_records", "apply_curated", "find_curated"]

_ID_FIELDS = ("acl", "pmlr", "openreview")
_DROP = {"venue", "track", "verified", "acl", "pmlr", "openreview"}


def _from_entry(r: Record) -> Record:
    extra = dict(r.extra)
    ids = dict(r.ids)
    for k in _ID_FIELDS:
        if k in extra:
            ids[k] = extra[k]
    track = extra.get("track")
    verified = extra.get("verified", "")
    prov = {f: "curated" for f in ("title", "authors", "year", "month", "venue", "booktitle", "pages",
                                    "publisher", "address", "doi")}
    prov["verified"] = verified
    return r.replace(
        ids=ids,
        track=track,
        extra={k: v for k, v in extra.items() if k not in _DROP},
        provenance=prov,
        lines=(),
        origin="curated",
    )


@lru_cache(maxsize=1)
def curated_records() -> Tuple[Record, ...]:
    text = resources.files("plm_bib").joinpath("data/curated.bib").read_text(encoding="utf-8")
    records, problems, _ = parse_bibtex(text, "curated.bib")
    if problems:  # the shipped file is ours: a problem there is a bug
        raise RuntimeError("; ".join(str(p) for p in problems))
    return tuple(_from_entry(r) for r in records)


@lru_cache(maxsize=1)
def _index() -> Dict[str, Record]:
    idx: Dict[str, Record] = {}
    for r in curated_records():
        for k, v in r.ids.items():
            idx[f"{k}:{v.lower()}"] = r
        idx[f"title:{normalize_title(r.title)}"] = r
    return idx


def find_curated(r: Record) -> Optional[Record]:
    idx = _index()
    for k, v in r.ids.items():
        hit = idx.get(f"{k}:{v.lower()}")
        if hit is not None:
            return hit
    for t in (r.title,) + tuple(r.titles_as_listed):
        hit = idx.get(f"title:{normalize_title(t)}")
        if hit is not None:
            return hit
    return None


def merge_curated(listed: Record, cur: Record) -> Record:
    """The curated bibliographic fields with everything the list said kept."""
    main = cur.urls[0] if cur.urls else None
    same = [u for u in listed.urls if main and u.url.rstrip("/") == main.url.rstrip("/")]
    urls: List[Link] = [Link(main.url, "paper", "", same[0].line if same else 0)] if main else []
    seen = {u.url.rstrip("/") for u in urls}
    for u in listed.urls:
        if u.url.rstrip("/") not in seen:
            urls.append(u)
            seen.add(u.url.rstrip("/"))
    ids = dict(listed.ids)
    ids.update(cur.ids)
    return cur.replace(
        key=cur.key,
        urls=tuple(urls),
        ids=ids,
        sections=listed.sections,
        notes=listed.notes,
        aliases=listed.aliases,
        claims=listed.claims,
        titles_as_listed=listed.titles_as_listed,
        origin=listed.origin,
        lines=listed.lines,
        language=listed.language,
    )


def apply_curated(lib: Library) -> Library:
    """A new Library whose papers carry the curated metadata where a curated record matches."""
    out = []
    for r in lib:
        # keys written in a .bib or CSL-JSON file are the user's: they stay; keys made
        # from a reading list are made again from the (now better) metadata
        own_key = r.provenance.get("*") in ("bibtex", "csl-json") and r.key
        cur = find_curated(r) if r.is_paper else None
        new = merge_curated(r, cur) if cur is not None else r
        out.append(new.replace(key=own_key or ("" if cur is None else new.key)))
    return lib.with_records(out)
