"""What the list claims against the verified record: findings as values."""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Any, Dict, List, Optional, Tuple

from plm_bib.curation.claims import entry_findings, venue_words
from plm_bib.curation.overlay import find_curated
from plm_bib.identity import CURATED, read_from_file
from plm_bib.library import Library
from plm_bib.metadata.ids import extract_ids
from plm_bib.metadata.venues import venue_info
from plm_bib.model import Claim, Record
from plm_bib.readinglist import normalize_title

__all__ = ["Finding", "check", "LEVELS", "NOT_FOUND"]

LEVELS = ("info", "warning", "error")


@dataclass(frozen=True)
class Finding:
    """One disagreement or notice, with where it was found."""

    source: str
    line: int
    kind: str
    level: str
    message: str
    key: str = ""
    claimed: Optional[str] = None
    verified: Optional[str] = None
    authority: Optional[str] = None  # the source of the verified value (provenance)
    claimant: str = "list"  # who claims ``claimed``: the list, a file's entry, the value as read


    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.level}: {self.text()}"

    def text(self) -> str:
        """The finding without where: ``[venue] message (list: ...; verified: ...)``."""
        s = f"[{self.kind}] {self.message}"
        if self.claimed is not None or self.verified is not None:
            s += f" ({self.claimant}: {self.claimed or '-'}; verified: {self.verified or '-'}"
            s += f", from {self.authority})" if self.authority and self.authority != "curated" else ")"
        return s

    def to_dict(self) -> Dict[str, Any]:
        return asdict(self)

    def github(self) -> str:
        """This finding as a GitHub Actions workflow command (an annotation of its file and
        line): ``::error file=refs.bib,line=12,title=venue::message``."""
        command = {"error": "error", "warning": "warning"}.get(self.level, "notice")
        props = [f"file={_gh_property(self.source)}"]
        if self.line:
            props.append(f"line={self.line}")
        props.append(f"title={_gh_property(self.kind)}")
        return f"::{command} {','.join(props)}::{_gh_data(self.text())}"


def _gh_data(s: str) -> str:
    """A workflow command's message escaped as GitHub's toolkit escapes it."""
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(s: str) -> str:
    """A workflow command's property value escaped (also ``:`` and ``,``)."""
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


def _verified_venue(r: Record) -> str:
    return venue_words(r.venue, r.year, r.track)


def _claim_text(c: Claim) -> str:
    return c.raw.strip("*_() （）").strip()


AUTHORITIES = ("curated", "acl", "crossref", "dblp")


def _is_verified(r: Record) -> bool:
    """The venue comes from an authority (curated data, the ACL Anthology, doi.org, DBLP),
    or enrichment established that a preprint has no published version."""
    return r.provenance.get("venue") in AUTHORITIES or "verified" in r.provenance


def _check_record(r: Record) -> List[Finding]:
    out: List[Finding] = []
    if not r.is_paper:
        if not r.urls:
            out.append(Finding(r.origin, r.line, "no-link", "warning", f"{r.title!r} has no link", r.key))
        return out
    if not r.urls:
        out.append(Finding(r.origin, r.line, "no-link", "warning", f"{r.title!r} has no link", r.key))
    if _is_verified(r):
        ver = _verified_venue(r)
        venue_claims = [c for c in r.claims if c.venue is not None]
        for c in venue_claims:
            same_venue = (c.venue or "").lower() == (r.venue or "").lower()
            if not same_venue:
                if venue_info(r.venue or "") is not None and venue_info(r.venue or "").is_preprint:  # type: ignore[union-attr]
                    msg = f"claimed {_claim_text(c)}, but it is an arXiv preprint never published at a venue"
                else:
                    msg = f"claimed {_claim_text(c)}, but it appeared in {ver}"
                out.append(Finding(r.origin, c.line, "venue", "error", msg, r.key, c.raw, ver))
            elif c.year is not None and r.year is not None and c.year != r.year:
                out.append(Finding(r.origin, c.line, "year", "error",
                                   f"claimed year {c.year}, verified {r.year}", r.key, c.raw, ver))
            elif r.track and c.track != r.track:
                out.append(Finding(r.origin, c.line, "track", "warning",
                                   f"claimed {_claim_text(c)}; it is in the {ver} volume", r.key, c.raw, ver))
        year_only = [c for c in r.claims if c.venue is None and c.year is not None]
        for c in year_only:
            if r.year is not None and c.year != r.year:
                out.append(Finding(r.origin, c.line, "year", "error",
                                   f"claimed year {c.year}, verified {r.year}", r.key, c.raw, ver))
        info = venue_info(r.venue or "")
        # a link of the list that names the venue (ACL Anthology, DOI, PMLR, OpenReview) is a claim too
        link_says_venue = any(u.line and set(extract_ids(u.url)) & {"acl", "doi", "pmlr", "openreview"}
                              for u in r.urls)
        if not venue_claims and info is not None and not info.is_preprint and not link_says_venue:
            out.append(Finding(r.origin, r.line, "missing-venue", "warning",
                               f"the list gives no venue; it appeared at {ver}", r.key, None, ver))
        for listed in r.titles_as_listed:
            if normalize_title(listed) != normalize_title(r.title):
                out.append(Finding(r.origin, r.line, "title", "warning",
                                   "the title in the list differs from the verified title",
                                   r.key, listed, r.title))
    else:
        out.append(Finding(r.origin, r.line, "unverified", "info",
                           f"{r.title!r}: no verified record; claims not checked", r.key))
    out = [replace(f, authority=r.provenance.get("title" if f.kind == "title" else "venue"))
           if f.verified is not None else f for f in out]
    for link in r.urls:
        if link.kind == "slides":
            out.append(Finding(r.origin, link.line or r.line, "link-kind", "info",
                               "a link of this paper is a slide deck, not the paper: kept as an extra link",
                               r.key, link.url, None))
    return out


NOT_FOUND = "not-found"


def _found_online(r: Record, found: Optional[Library]) -> Tuple[Optional[Record], Optional[Finding]]:
    """What the enrichment sources (``found``: the entries enriched) say of ``r``: the record
    they verified, or a finding that none found it (or that the lookup failed), or nothing."""
    if found is None or r.key not in found:
        return None, None
    e = found[r.key]
    if dict(e.provenance) != dict(r.provenance) or dict(e.ids) != dict(r.ids):
        return e, None
    faults = [p for p in found.problems if p.key == r.key and p.level != "info"]
    if faults:
        return None, Finding(r.origin, r.line, "unverified", "info",
                             f"{r.title!r}: could not be verified online: {faults[0].message}", r.key)
    return None, Finding(r.origin, r.line, NOT_FOUND, "warning",
                         f"{r.title!r} not found in any source: a wrong or invented reference?", r.key)


def _check_entry(r: Record, found: Optional[Library] = None) -> List[Finding]:
    """A record read from a file (.bib, CSL-JSON) as the user wrote it: its claims against
    the verified record of the same work (curated, else what the sources found)."""
    if r.provenance.get("title") == CURATED:  # the overlay replaced what the entry said
        return [Finding(r.origin, r.line, "unverified", "info",
                        f"{r.title!r}: the curated metadata was laid over this entry: its own claims are not "
                        "known here (check the file as it is written)", r.key)]
    cur = find_curated(r) if r.is_paper else None
    if cur is None and r.is_paper:
        cur, said = _found_online(r, found)
        if said is not None:
            return [f for f in _check_record(r) if f.kind != "unverified"] + [said]
    if cur is None:
        return _check_record(r)
    out = []
    for kind, level, msg, claimed, verified in entry_findings(r, cur):
        field = {"published": "venue", "findings": "venue", "missing-venue": "venue", "author-order": "authors",
                 "entry-type": "entry_type", "eprint": "ids"}.get(kind, kind)
        authority = cur.provenance.get(field) or cur.provenance.get("venue")
        out.append(Finding(r.origin, r.line, kind, level, msg, r.key, claimed, verified, authority, "entry"))
    return out


def check(lib: Library, found: Optional[Library] = None) -> List[Finding]:
    """Every finding for ``lib``, in line order.  An entry of a .bib or CSL-JSON file is
    checked as written (what it claims against its verified record, found by the same-work
    rule; with ``found``, the entries the curated data does not know as the enrichment
    sources filled them: an entry no source found is reported so, never as verified); a
    reading-list item against the verified values laid over it (``lib`` with the curated
    metadata: :func:`plm_bib.curation.overlay.apply_curated`)."""
    findings: List[Finding] = []
    for r in lib:
        findings.extend(_check_entry(r, found) if read_from_file(r) else _check_record(r))
    for p in lib.problems:
        if "duplicate" in p.message:
            kind = "duplicate"
        else:
            kind = "unparsed"
        findings.append(Finding(p.source, p.line, kind, p.level if kind != "duplicate" else "info",
                                p.message, "", p.raw.strip() or None, None))
    findings.sort(key=lambda f: (f.line, f.kind))
    return findings


def claim_corrections(lib: Library, findings: Optional[List[Finding]] = None) -> Dict[str, List[str]]:
    """For each record whose venue, year or track the list gets wrong (or leaves out), what
    the list says and the verified value, in words: for reading-list documents.
    ``findings``: those of ``check(lib)`` when the caller has them already."""
    out: Dict[str, List[str]] = {}
    for f in check(lib) if findings is None else findings:
        if f.key and f.level in ("error", "warning") and f.kind in ("venue", "year", "track",
                                                                     "missing-venue"):
            said = f"the list says {(f.claimed or '').replace('*', '').strip()}" if f.claimed \
                else "the list gives no venue"
            out.setdefault(f.key, []).append(f"{said}; verified: {f.verified or '-'}")
    return out
