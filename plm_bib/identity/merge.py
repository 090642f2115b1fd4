"""The merges of two records of the same work, one per kind of evidence, each by the one
precedence: the list < what an id says by itself < a source by search < a source by id
< the curated file (:data:`plm_bib.identity.provenance.ORIGIN_PRECEDENCE` and the sources'
own ranks, in one table made by :mod:`plm_bib.sources.registry`).

* :func:`merge_listings`: two listings of one reading list: the first listing's fields,
  every link, section, note and claim of both;
* :func:`merge_curated`: a listing and its curated record: the curated fields, everything
  the list said about the item kept;
* :func:`merge_found`: a record and what a source found: each field from whichever ranks
  higher (a tie goes to the newcomer), recorded in ``provenance``.
"""
from __future__ import annotations

from typing import Dict, Iterable, List, Mapping, Optional, Tuple, TypeVar

from plm_bib.identity.provenance import LIST
from plm_bib.identity.rule import is_datacite_arxiv
from plm_bib.metadata.venues import venue_info
from plm_bib.model import PAPER, RESOURCE, Link, Record

__all__ = ["merge_listings", "merge_curated", "merge_found", "is_preprint", "MERGED_FIELDS"]

T = TypeVar("T")

# the fields a source's record can give (each wins by precedence)
MERGED_FIELDS = ("title", "authors", "year", "month", "venue", "track", "booktitle", "journal", "volume",
                 "number", "pages", "publisher", "address", "doi", "entry_type")
# the fields a list's venue claim gives a record from the venue registry
# (:func:`plm_bib.readinglist.records.with_venue_fields`): wrong once a source names another venue
_FROM_VENUE = ("booktitle", "journal", "publisher", "address")
# the preprint's own fields (from the arXiv source), wrong for its published version
_PREPRINT_ONLY = ("publisher", "month", "doi", "entry_type")
PREPRINT_SOURCE = "arxiv"


def _uniq(seq: Iterable[T]) -> Tuple[T, ...]:
    out: List[T] = []
    for x in seq:
        if x not in out:
            out.append(x)
    return tuple(out)


def is_preprint(venue: Optional[str]) -> bool:
    info = venue_info(venue or "")
    return bool(info and info.is_preprint)


def merge_listings(a: Record, b: Record) -> Record:
    """One record from two listings of the same item: every link, section, note, claim kept."""
    seen = {u.url for u in a.urls}
    urls = a.urls + tuple(u for u in b.urls if u.url not in seen)
    ids = dict(b.ids)
    ids.update(a.ids)
    kind = PAPER if PAPER in (a.kind, b.kind) else RESOURCE
    base = a if a.kind == kind else b
    return base.replace(
        urls=urls,
        ids=ids,
        sections=_uniq(a.sections + b.sections),
        notes=_uniq(a.notes + b.notes),
        aliases=_uniq(a.aliases + b.aliases),
        claims=a.claims + b.claims,
        titles_as_listed=_uniq(a.titles_as_listed + b.titles_as_listed),
        lines=a.lines + b.lines,
        authors=a.authors or b.authors,
        year=a.year or b.year,
        venue=a.venue or b.venue,
    )


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


def merge_found(r: Record, c: Record, source: str, precedence: Mapping[str, int], *,
                paper_url: bool = False) -> Record:
    """``r`` with what ``source`` found (``c``, the same work): each of :data:`MERGED_FIELDS`
    that ``c`` has and ``source`` ranks at least as high as the field's origin in
    ``precedence`` (unknown origins rank 0); a preprint now published loses the preprint's
    own fields; ids added (an arXiv DOI never replaces another DOI); ``paper_url``: ``c``'s
    first URL is the paper's page, put first."""
    prov = dict(r.provenance)
    rank = precedence.get(source, 0)
    changes: Dict[str, object] = {}
    was_preprint = is_preprint(r.venue)
    now_published = bool(c.venue) and not is_preprint(c.venue)
    for f in MERGED_FIELDS:
        v = getattr(c, f)
        if v in (None, "", ()):
            continue
        if rank >= precedence.get(prov.get(f, LIST), 0):
            changes[f] = v
            prov[f] = source
    if changes.get("venue") not in (None, r.venue):
        for f in _FROM_VENUE:
            if prov.get(f) == LIST and f not in changes:
                changes[f] = None
                prov.pop(f, None)
    if was_preprint and now_published:
        # the preprint's publisher (arXiv), date and DOI are not the published paper's
        for f in _PREPRINT_ONLY:
            if prov.get(f) == PREPRINT_SOURCE and f not in changes:
                changes[f] = None if f != "entry_type" else "inproceedings"
                prov.pop(f, None)
    titles = tuple(r.titles_as_listed)
    if "title" in changes and r.title and r.title not in titles and r.title != changes["title"]:
        titles = titles + (r.title,)
    ids = dict(r.ids)
    for k, v in c.ids.items():
        if k == "doi" and is_datacite_arxiv(v) and ids.get("doi") and not is_datacite_arxiv(ids["doi"]):
            continue
        ids.setdefault(k, v)
    if changes.get("doi"):
        ids["doi"] = str(changes["doi"])
    elif "doi" in changes and is_datacite_arxiv(ids.get("doi", "")):
        ids.pop("doi")
    urls = list(r.urls)
    if c.urls and paper_url:
        main = c.urls[0]
        if all(u.url.rstrip("/") != main.url.rstrip("/") for u in urls):
            urls.insert(0, Link(main.url, "paper"))
    extra = dict(r.extra)
    for k, v in c.extra.items():
        extra.setdefault(k, v)
    return r.replace(**changes, ids=ids, urls=tuple(urls), extra=extra, provenance=prov,
                     titles_as_listed=titles)
