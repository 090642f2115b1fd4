"""Online enrichment: fill records from authoritative sources, upgrade preprints to their
published versions, and never turn one paper into another.

Order of work (each step a source behind the one shared HTTP client):

1. **arXiv** by id, batched: title, authors, date of every preprint the list links to;
2. **Semantic Scholar** by arXiv id or DOI, batched: the paper's other ids (ACL Anthology,
   DOI, DBLP) when S2's paper is the same work;
3. **DBLP** search by title, for records whose venue no authority has confirmed: the
   published version, if one hit is the same work (CoRR copies of preprints do not count);
4. **ACL Anthology** by ACL id and **doi.org** (CSL-JSON) by DOI: the authoritative records.

The sources, their order, endpoints, polite intervals, precedence and roles are declared in
:mod:`plm_bib.sources.registry`.

Matching (:func:`plm_bib.identity.same_work`, the one same-work rule): a candidate found by
*search* is accepted only when the normalised titles agree and the authors agree (family
names in their own script and romanised; two of them when both lists are longer than one),
or an id agrees, and the list's claimed venue and year do not contradict it; when the
record has no authors yet, the list's claimed venue and year must both agree instead.
Several acceptable candidates that disagree are reported as ambiguous, not guessed.
Candidates found by *id* are trusted, and an existing ACL id or DOI is trusted over any
search.  Impossible values (month 13) are dropped with a Problem whatever the source.
Merging (:func:`plm_bib.identity.merge_found`): each field from whichever ranks higher in
the one precedence table.

Every field records the source that supplied it in ``Record.provenance``; the input library
is not changed.  Nothing here raises on a network or data fault: the record stays as it
was and a :class:`~plm_bib.model.Problem` says what happened.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Callable, Dict, Iterable, List, Optional, Set, Tuple

from plm_bib.errors import BadOption
from plm_bib.identity import (
    LIST,
    VERIFIED,
    contradiction,
    is_datacite_arxiv,
    is_preprint,
    merge_found,
    name_forms,
    normalize_title,
    read_from_file,
    same_work,
)
from plm_bib.keys import keyed
from plm_bib.library import Library
from plm_bib.model import Problem, Record
from plm_bib.sources.base import Candidate
from plm_bib.sources.http import Client
from plm_bib.sources.registry import DEFAULT_SOURCES, POLITE_INTERVALS, PRECEDENCE, SOURCES

__all__ = ["enrich", "same_work", "contradiction", "name_forms", "SOURCES", "DEFAULT_SOURCES", "PRECEDENCE",
           "POLITE_INTERVALS"]


def _confirmed_venue(r: Record) -> bool:
    """A venue an authority gave (not only the list's claim, not only arXiv)."""
    src = r.provenance.get("venue", LIST)
    return bool(r.venue) and PRECEDENCE.get(src, 0) >= PRECEDENCE["dblp"] and not is_preprint(r.venue)


def _sane(r: Record, cands: List[Candidate]) -> Tuple[List[Candidate], List[Problem]]:
    """The candidates with their impossible values dropped (a month outside 1-12, a year
    outside 1000-2999), and a Problem for each value dropped: a source's data, never a crash."""
    out: List[Candidate] = []
    problems: List[Problem] = []
    for cand in cands:
        c = cand.record
        bad: Dict[str, object] = {}
        if c.month is not None and not (isinstance(c.month, int) and 1 <= c.month <= 12):
            bad["month"] = None
        if c.year is not None and not (isinstance(c.year, int) and 1000 <= c.year <= 2999):
            bad["year"] = None
        if bad:
            problems.append(Problem(r.origin or "<enrich>", r.line,
                                    f"{cand.source}: impossible " + ", ".join(
                                        f"{f} {getattr(c, f)!r}" for f in bad) + f" for {r.key or r.title!r}: left out",
                                    "", "warning", key=r.key))
            cand = replace(cand, record=c.replace(**bad))
        out.append(cand)
    return out, problems


def _merge(r: Record, cand: Candidate) -> Record:
    """``r`` with what ``cand`` found merged in (by the one precedence table)."""
    paper_url = cand.found_by == "id" and SOURCES[cand.source].paper_url
    return merge_found(r, cand.record, cand.source, PRECEDENCE, paper_url=paper_url)


def enrich(lib: Library, sources: Iterable[str] = DEFAULT_SOURCES, *, client: Optional[Client] = None,
           mailto: Optional[str] = None, offline: Optional[bool] = None, refresh: bool = False,
           progress: Optional[Callable[[str], None]] = None, timeout: Optional[float] = None) -> Library:
    """A new Library with the papers of ``lib`` filled from ``sources`` (see the module doc).
    ``timeout``: seconds for the whole run; once spent, the remaining lookups are skipped
    (one Problem says so) and the records keep what they had."""
    wanted = [s for s in sources]
    unknown = [s for s in wanted if s not in SOURCES]
    if unknown:
        raise BadOption(f"unknown source(s) {unknown}; known: {', '.join(SOURCES)}")
    if timeout is not None and not timeout > 0:
        raise BadOption(f"the run's timeout must be a positive number of seconds, not {timeout!r}")
    own = client is None
    client = client or Client(mailto=mailto, offline=offline, refresh=refresh, intervals=POLITE_INTERVALS)
    client.start_run(timeout)
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

    def run(name: str, accept: Callable[[str, Record, List[Candidate]], Optional[Record]],
            select: Callable[[Record], bool]) -> None:
        chosen = [i for i in papers if select(records[i])]
        source = SOURCES[name](client)
        found, probs = source.lookup([records[i] for i in chosen])
        problems.extend(probs)
        failed.clear()
        failed.update(p.key for p in probs if p.level != "info")
        failed.update(source.skipped)
        for j, i in enumerate(chosen):
            cands, why_not = _sane(records[i], found.get(j, []))
            problems.extend(why_not)
            new = accept(name, records[i], cands)
            if new is not None:
                records[i] = new

    def by_id(name: str, r: Record, cands: List[Candidate]) -> Optional[Record]:
        return _merge(r, cands[0]) if cands else None

    def ids_only(name: str, r: Record, cands: List[Candidate]) -> Optional[Record]:
        if not cands:
            return None
        c = cands[0]
        ok, why = same_work(r, c.record) if r.authors else (
            normalize_title(r.title) == normalize_title(c.record.title), "title")
        if not ok:
            problems.append(Problem(r.origin or "<enrich>", r.line,
                                    f"{name}: candidate rejected for {r.key or r.title!r}: {why}", "", "info",
                                    key=r.key))
            return None
        # only the ids: this source's metadata is not an authority here
        new = {k: v for k, v in c.record.ids.items() if k in ("acl", "doi", "dblp")
               and not (k == "doi" and is_datacite_arxiv(v))}
        return r.replace(ids={**new, **r.ids}) if new else None

    def search(name: str, r: Record, cands: List[Candidate]) -> Optional[Record]:
        accepted: List[Tuple[Candidate, str]] = []
        rejected: List[Tuple[Candidate, str]] = []
        for c in cands:
            ok, why = same_work(r, c.record)
            (accepted if ok else rejected).append((c, why))
        if not accepted:
            if rejected:
                refusal = next((why for c, why in rejected if contradiction(r, c.record) == why), None)
                problems.append(Problem(r.origin or "<enrich>", r.line,
                                        f"{name}: no published version of {r.title!r} found; "
                                        f"{len(rejected)} candidate(s) rejected, e.g. {refusal or rejected[0][1]}",
                                        "", "warning" if refusal else "info", key=r.key))
            refused = any(contradiction(r, c.record) == why for c, why in rejected)
            if is_preprint(r.venue) and r.provenance.get("venue") == "arxiv" and searched(r) and not refused:
                # searched, and no published version: that it is a preprint is now a finding
                return r.replace(provenance={**r.provenance, VERIFIED: f"{name}: no published version"})
            return None
        versions = {(c.record.venue, c.record.year) for c, _ in accepted}
        if len(versions) > 1:
            problems.append(Problem(r.origin or "<enrich>", r.line,
                                    f"{name}: ambiguous: {r.title!r} matches "
                                    f"{', '.join(f'{v} {y}' for v, y in sorted(versions, key=str))}; "
                                    "left as it was", "", "warning", key=r.key))
            return None
        return _merge(r, accepted[0][0])

    accept = {"authority": by_id, "ids": ids_only, "search": search}

    def select(role: str) -> Callable[[Record], bool]:
        if role == "search":
            # only records whose venue no authority has confirmed; an ACL id has its own source
            return lambda r: not _confirmed_venue(r) and not r.ids.get("acl")
        return lambda r: True

    try:
        for name, cls in SOURCES.items():  # the registry's order
            if on(name):
                run(name, accept[cls.role], select(cls.role))
    finally:
        # a source given up (its circuit breaker), the run's time spent: said once each
        problems.extend(Problem(lib.origin or "<enrich>", 0, f"{who}: {message}", who, "warning")
                        for who, message in client.notices)
        if own:
            client.close()
    # keys made from a reading list are made again from the better metadata
    recs, key_problems = keyed([r if read_from_file(r) else r.replace(key="") for r in records])
    return Library(recs, problems + key_problems, lib.title, lib.origin)
