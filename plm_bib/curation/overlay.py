"""Curated metadata: verified records shipped in ``data/curated.bib``, matched to list items.

The curated file is the single source of truth for the papers of the built-in list;
``plm_bib.load()`` and ``plm-bib build`` both read it.  A list item matches a curated
record by arXiv id, ACL Anthology id, DOI, OpenReview id, PMLR id, or normalised title (the
same-work rule of :mod:`plm_bib.identity`, which also merges them: :func:`merge_curated`).
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Dict, Optional, Tuple

from plm_bib.bibtex import parse_bibtex
from plm_bib.identity import CURATED, ORIGIN, VERIFIED, lookup_keys, merge_curated, read_from_file, work_keys
from plm_bib.keys import keyed
from plm_bib.library import Library
from plm_bib.model import Record

__all__ = ["curated_records", "apply_curated", "find_curated", "merge_curated"]

_ID_FIELDS = ("acl", "pmlr", "openreview")
_DROP = {"venue", "track", "verified", "acl", "pmlr", "openreview"}


def _from_entry(r: Record) -> Record:
    extra = dict(r.extra)
    ids = dict(r.ids)
    for k in _ID_FIELDS:
        if k in extra:
            ids[k] = extra[k]
    track = extra.get("track")
    verified = extra.get("verified", "")  # the curated .bib's field: what confirmed the entry
    prov = {f: CURATED for f in ("title", "authors", "year", "month", "venue", "booktitle", "pages",
                                 "publisher", "address", "doi")}
    prov[VERIFIED] = verified
    return r.replace(
        ids=ids,
        track=track,
        extra={k: v for k, v in extra.items() if k not in _DROP},
        provenance=prov,
        lines=(),
        origin=CURATED,
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
        for k in work_keys(r):
            idx[k] = r
    return idx


def find_curated(r: Record) -> Optional[Record]:
    """The curated record of the same work as ``r`` (an id in common, else a title), or None."""
    idx = _index()
    return next((idx[k] for k in lookup_keys(r) if k in idx), None)


def apply_curated(lib: Library) -> Library:
    """A new Library whose papers carry the curated metadata where a curated record matches."""
    out = []
    for r in lib:
        # keys written in a .bib or CSL-JSON file are the user's: they stay; keys made
        # from a reading list are made again from the (now better) metadata
        own_key = read_from_file(r) and r.key
        cur = find_curated(r) if r.is_paper else None
        new = merge_curated(r, cur) if cur is not None else r
        if own_key and cur is not None:  # still a record of the user's file (its key stays so)
            new = new.replace(provenance={**new.provenance, ORIGIN: r.provenance[ORIGIN]})
        out.append(new.replace(key=own_key or ("" if cur is None else new.key)))
    recs, key_problems = keyed(out)
    return lib.with_records(recs, list(lib.problems) + key_problems)
