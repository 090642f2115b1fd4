"""Online enrichment: fill records from authoritative sources, upgrade preprints to their
published versions, and never turn one paper into another.

Order of work (each step a source behind the one shared HTTP client):

1. **arXiv** by id, batched: title, authors, date of every preprint the list links to;
2. **Semantic Scholar** by arXiv id or DOI, batched: the paper's other ids (ACL Anthology,
   DOI, DBLP) when S2's paper is the same work;
3. **DBLP** search by title, for records whose venue no authority has confirmed: the
   published version, if one hit is the same work (CoRR copies of preprints do not count);
4. **ACL Anthology** by ACL id and **doi.org** (CSL-JSON) by DOI: the authoritative records.

Matching (:func:`same_work`): a candidate found by *search* is accepted only when the
normalised titles agree and an author family name agrees, or an id agrees; when the record
has no authors yet, the list's claimed venue and year must both agree instead.  Several
acceptable candidates that disagree are reported as ambiguous, not guessed.  Candidates
found by *id* are trusted, and an existing ACL id or DOI is trusted over any search.

Every field records the source that supplied it in ``Record.provenance``; the input library
is not changed.  Nothing here raises on a network or data fault: the record stays as it
was and a :class:`~plm_bib.model.Problem` says what happened.
"""
from __future__ import annotations

import unicodedata
from typing import Callable, Dict, Iterable, List, Optional, Set, Tuple, Type

from .library import Library
from .markdown import normalize_title
from .model import Link, Problem, Record
from .sources.acl import AclSource
from .sources.arxiv import ArxivSource
from .sources.base import Candidate, Source
from .sources.crossref import CrossrefSource, is_datacite_arxiv
from .sources.dblp import DblpSource
from .sources.http import Client
from .sources.s2 import S2Source
from .venues import venue_info

__all__ = ["enrich", "same_work", "SOURCES", "DEFAULT_SOURCES", "PRECEDENCE", "POLITE_INTERVALS"]

SOURCES: Dict[str, Type[Source]] = {"arxiv": ArxivSource, "s2": S2Source, "dblp": DblpSource,
                                    "acl": AclSource, "crossref": CrossrefSource}
DEFAULT_SOURCES = ("arxiv", "acl", "dblp", "crossref", "s2")
# who wins a field: an authority by id beats a search, which beats the list
PRECEDENCE = {"list": 0, "acl-id": 1, "arxiv-id": 1, "s2": 1, "arxiv": 2, "dblp": 3, "crossref": 4,
              "acl": 5, "curated": 6}
# seconds between two requests to a host (arXiv asks for 3; DBLP asks for politeness)
POLITE_INTERVALS = {"export.arxiv.org": 3.0, "dblp.org": 1.0, "api.semanticscholar.org": 1.0,
                    "api.crossref.org": 0.1, "doi.org": 0.1, "aclanthology.org": 0.2}
_FIELDS = ("title", "authors", "year", "month", "venue", "track", "booktitle", "journal", "volume",
           "number", "pages", "publisher", "address", "doi", "entry_type")
_PREPRINT_ONLY = ("publisher", "month", "doi", "entry_type")


def _fold(name: str) -> str:
    s = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return "".join(ch for ch in s if ch.isalnum())


def same_work(r: Record, c: Record) -> Tuple[bool, str]:
    """Whether candidate ``c`` is the same paper as ``r``, and why (or why not)."""
    for k in ("arxiv", "acl", "doi", "openreview", "pmlr", "dblp"):
        a, b = r.ids.get(k), c.ids.get(k)
        if a and b and not (k == "doi" and is_datacite_arxiv(a)):
            if a.lower() == b.lower():
                return True, f"same {k} id"
    if not r.title or normalize_title(r.title) != normalize_title(c.title):
        return False, f"title differs ({c.title!r})"
    mine = {_fold(p.family) for p in r.authors if p.family != "others"}
    theirs = {_fold(p.family) for p in c.authors if p.family != "others"}
    if mine and theirs:
        return (True, "same title and author") if mine & theirs else (False, "no author in common")
    claims = [cl for cl in r.claims if cl.venue or cl.year]
    if claims and any(cl.venue == c.venue and cl.year == c.year for cl in claims):
        return True, "same title, and the list's venue and year"
    return False, "same title, but no author or claimed venue to confirm it"


def _is_preprint(venue: Optional[str]) -> bool:
    info = venue_info(venue or "")
    return bool(info and info.is_preprint)


def _confirmed_venue(r: Record) -> bool:
    """A venue an authority gave (not only the list's claim, not only arXiv)."""
    src = r.provenance.get("venue", "list")
    return bool(r.venue) and PRECEDENCE.get(src, 0) >= PRECEDENCE["dblp"] and not _is_preprint(r.venue)


def _merge(r: Record, cand: Candidate) -> Record:
    c = cand.record
    prov = dict(r.provenance)
    rank = PRECEDENCE.get(cand.source, 0)
    changes: Dict[str, object] = {}
    was_preprint = _is_preprint(r.venue)
    now_published = bool(c.venue) and not _is_preprint(c.venue)
    for f in _FIELDS:
        v = getattr(c, f)
        if v in (None, "", ()):
            continue
        if rank >= PRECEDENCE.get(prov.get(f, "list"), 0):
            changes[f] = v
            prov[f] = cand.source
    if was_preprint and now_published:
        # the preprint's publisher (arXiv), date and DOI are not the published paper's
        for f in _PREPRINT_ONLY:
            if prov.get(f) == "arxiv" and f not in changes:
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
    if c.urls and cand.found_by == "id" and cand.source in ("acl", "crossref", "arxiv"):
        main = c.urls[0]
        if all(u.url.rstrip("/") != main.url.rstrip("/") for u in urls):
            urls.insert(0, Link(main.url, "paper"))
    extra = dict(r.extra)
    for k, v in c.extra.items():
        extra.setdefault(k, v)
    return r.replace(**changes, ids=ids, urls=tuple(urls), extra=extra, provenance=prov,
                     titles_as_listed=titles)


def enrich(lib: Library, sources: Iterable[str] = DEFAULT_SOURCES, *, client: Optional[Client] = None,
           mailto: Optional[str] = None, offline: Optional[bool] = None, refresh: bool = False,
           progress: Optional[Callable[[str], None]] = None) -> Library:
    """A new Library with the papers of ``lib`` filled from ``sources`` (see the module doc)."""
    wanted = [s for s in sources]
    unknown = [s for s in wanted if s not in SOURCES]
    if unknown:
        raise ValueError(f"unknown source(s) {unknown}; known: {', '.join(SOURCES)}")
    own = client is None
    client = client or Client(mailto=mailto, offline=offline, refresh=refresh, intervals=POLITE_INTERVALS)
    records = list(lib)
    papers = [i for i, r in enumerate(records) if r.is_paper]
    problems: List[Problem] = list(lib.problems)

    def on(name: str) -> bool:
        if name in wanted:
            if progress:
                progress(name)
            return True
        return False

    failed: Set[str] = set()  # keys whose last lookup failed (a fault, not an answer)

    def searched(r: Record) -> bool:
        return r.key not in failed

    def run(name: str, accept: Callable[[Record, List[Candidate]], Optional[Record]],
            select: Callable[[Record], bool] = lambda r: True) -> None:
        chosen = [i for i in papers if select(records[i])]
        found, probs = SOURCES[name](client).lookup([records[i] for i in chosen])
        problems.extend(probs)
        failed.clear()
        failed.update(p.raw for p in probs if p.level != "info")
        for j, i in enumerate(chosen):
            new = accept(records[i], found.get(j, []))
            if new is not None:
                records[i] = new

    def by_id(r: Record, cands: List[Candidate]) -> Optional[Record]:
        return _merge(r, cands[0]) if cands else None

    def ids_only(r: Record, cands: List[Candidate]) -> Optional[Record]:
        if not cands:
            return None
        c = cands[0]
        ok, why = same_work(r, c.record) if r.authors else (
            normalize_title(r.title) == normalize_title(c.record.title), "title")
        if not ok:
            problems.append(Problem(r.source or "<enrich>", r.line,
                                    f"s2: candidate rejected for {r.key or r.title!r}: {why}", r.key, "info"))
            return None
        # only the ids: S2's metadata is not an authority here
        new = {k: v for k, v in c.record.ids.items() if k in ("acl", "doi", "dblp")
               and not (k == "doi" and is_datacite_arxiv(v))}
        return r.replace(ids={**new, **r.ids}) if new else None

    def search(r: Record, cands: List[Candidate]) -> Optional[Record]:
        accepted: List[Tuple[Candidate, str]] = []
        rejected: List[Tuple[Candidate, str]] = []
        for c in cands:
            ok, why = same_work(r, c.record)
            (accepted if ok else rejected).append((c, why))
        if not accepted:
            if rejected:
                problems.append(Problem(r.source or "<enrich>", r.line,
                                        f"dblp: no published version of {r.title!r} found; "
                                        f"{len(rejected)} candidate(s) rejected, e.g. {rejected[0][1]}",
                                        r.key, "info"))
            if _is_preprint(r.venue) and r.provenance.get("venue") == "arxiv" and searched(r):
                # searched, and no published version: that it is a preprint is now a finding
                return r.replace(provenance={**r.provenance, "verified": "dblp: no published version"})
            return None
        versions = {(c.record.venue, c.record.year) for c, _ in accepted}
        if len(versions) > 1:
            problems.append(Problem(r.source or "<enrich>", r.line,
                                    f"dblp: ambiguous: {r.title!r} matches "
                                    f"{', '.join(f'{v} {y}' for v, y in sorted(versions, key=str))}; "
                                    "left as it was", r.key, "warning"))
            return None
        return _merge(r, accepted[0][0])

    try:
        if on("arxiv"):
            run("arxiv", by_id)
        if on("s2"):
            run("s2", ids_only)
        if on("dblp"):
            run("dblp", search, select=lambda r: not _confirmed_venue(r) and not r.ids.get("acl"))
        if on("acl"):
            run("acl", by_id)
        if on("crossref"):
            run("crossref", by_id)
    finally:
        if own:
            client.close()
    # keys made from a reading list are made again from the better metadata
    out = [r if r.provenance.get("*") in ("bibtex", "csl-json") else r.replace(key="") for r in records]
    return Library(out, problems, lib.title, lib.source)
