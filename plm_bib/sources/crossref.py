"""DOIs: doi.org content negotiation (CSL-JSON) for Crossref DOIs, with ``mailto`` so the
request joins Crossref's polite pool.  arXiv DOIs (10.48550/...) are DataCite's: they are
never sent to Crossref; the arXiv source answers for them."""
from __future__ import annotations

import json
from functools import partial
from typing import Any, Dict, List, Tuple

from plm_bib.csl import csl_to_record
from plm_bib.identity import is_datacite_arxiv
from plm_bib.metadata.venues import canonical_venue
from plm_bib.model import Problem, Record
from plm_bib.sources.base import Candidate, Endpoint, Source

__all__ = ["CrossrefSource", "is_datacite_arxiv"]

CSL_JSON = "application/vnd.citationstyles.csl+json"
DOI = Endpoint("doi", "PLM_BIB_DOI_URL", "https://doi.org", 0.1)


def _csl_answer(text: str, url: str) -> Tuple[Dict[str, Any], Record]:
    """doi.org's CSL-JSON item and its Record; an answer without a title is unreadable."""
    item = json.loads(text)
    if not isinstance(item, dict):
        raise ValueError("not a CSL-JSON item")
    rec = csl_to_record(item, url)
    if not rec.title:
        raise ValueError("no title")
    return item, rec


class CrossrefSource(Source):
    name = "crossref"
    # asked: doi.org; declared: Crossref's API (its host's interval) and DataCite's (never
    # asked: arXiv DOIs are DataCite's, the arXiv source answers for them)
    endpoints = (Endpoint("crossref", "PLM_BIB_CROSSREF_URL", "https://api.crossref.org", 0.1), DOI,
                 Endpoint("datacite", "PLM_BIB_DATACITE_URL", "https://api.datacite.org"))
    precedence = 4
    role = "authority"
    paper_url = True

    def lookup(self, records: List[Record]) -> Tuple[Dict[int, List[Candidate]], List[Problem]]:
        found: Dict[int, List[Candidate]] = {}
        problems: List[Problem] = []
        for i, r in enumerate(records):
            doi = r.doi or r.ids.get("doi")
            if not doi or is_datacite_arxiv(doi) or r.ids.get("acl"):
                continue  # ACL ids have their own, richer source
            url = f"{DOI.url()}/{doi}"
            params = {"mailto": self.client.mailto} if self.client.mailto else None
            answer = self.fetch(r, url, f"no DOI {doi}", problems, partial(_csl_answer, url=url),
                                headers={"Accept": CSL_JSON}, params=params)
            if answer is None:
                continue
            item, rec = answer
            event = str(item.get("event", "") or item.get("event-title", "") or "")
            venue = canonical_venue(event.split(" '")[0].split(" 20")[0].strip()) if event else None
            rec = rec.replace(key="", doi=doi, ids={**rec.ids, "doi": doi}, venue=venue or rec.venue,
                              extra={k: v for k, v in rec.extra.items() if not k.startswith("csl-")
                                     and k not in ("abstract", "isbn", "eventtitle", "shortjournal")})
            found.setdefault(i, []).append(Candidate(self.name, rec, "id", url, {"doi": doi}))
        return found, problems
