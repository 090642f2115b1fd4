"""ACL Anthology: the per-paper BibTeX at ``{base}/{id}.bib``: the authoritative record."""
from __future__ import annotations

from functools import partial
from typing import Dict, List, Tuple

from plm_bib.bibtex import parse_bibtex
from plm_bib.metadata.ids import acl_venue
from plm_bib.model import Problem, Record
from plm_bib.sources.base import Candidate, Endpoint, Source

__all__ = ["AclSource"]


def _one_entry(text: str, url: str) -> Record:
    """The one entry of an Anthology ``.bib`` answer; anything else is unreadable."""
    recs, probs, _ = parse_bibtex(text, url)
    if probs or len(recs) != 1 or not recs[0].title:
        raise ValueError("not one BibTeX entry with a title")
    return recs[0]


class AclSource(Source):
    name = "acl"
    endpoints = (Endpoint("acl", "PLM_BIB_ACL_URL", "https://aclanthology.org", 0.2),)
    precedence = 5
    role = "authority"
    paper_url = True

    def lookup(self, records: List[Record]) -> Tuple[Dict[int, List[Candidate]], List[Problem]]:
        found: Dict[int, List[Candidate]] = {}
        problems: List[Problem] = []
        for i, r in enumerate(records):
            acl = r.ids.get("acl")
            if not acl:
                continue
            url = f"{self.base}/{acl}.bib"
            entry = self.fetch(r, url, f"no ACL Anthology paper {acl}", problems,
                               partial(_one_entry, url=url))
            if entry is None:
                continue

            venue, _, track = acl_venue(acl)
            # editors of ACL proceedings are left out, as in the curated records and in the
            # ACL's own citation style; the abstract is not bibliographic metadata
            rec = entry.replace(key="", venue=venue, track=track, editors=(),
                                ids={**entry.ids, "acl": acl},
                                extra={k: v for k, v in entry.extra.items() if k != "abstract"})
            found.setdefault(i, []).append(Candidate(self.name, rec, "id", url, {"acl": acl}))
        return found, problems
