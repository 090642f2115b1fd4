"""Semantic Scholar graph API, batch endpoint: external ids (DOI, ACL, DBLP) of many
papers in one request; ``SEMANTIC_SCHOLAR_API_KEY`` (or ``S2_API_KEY``) when set."""
from __future__ import annotations

import json
import os
from functools import partial
from typing import Any, Dict, List, Optional, Tuple

from plm_bib.errors import SourceError
from plm_bib.metadata.names import parse_name
from plm_bib.model import PAPER, Person, Problem, Record
from plm_bib.sources.base import Candidate, Endpoint, Source

__all__ = ["S2Source", "batch_answer"]

FIELDS = "title,authors,year,venue,externalIds"


def _paper(p: Any) -> Optional[Record]:
    """One paper of a batch answer as a Record; None for S2's null (an id it does not know)."""
    if not isinstance(p, dict) or not p.get("title"):
        return None
    ext = {str(k).lower(): str(v) for k, v in (p.get("externalIds") or {}).items() if v}
    ids = {k: ext[src] for k, src in (("acl", "acl"), ("doi", "doi"), ("dblp", "dblp"),
                                      ("arxiv", "arxiv")) if src in ext}
    authors = tuple(parse_name(str(a.get("name", ""))) for a in p.get("authors") or []
                    if isinstance(a, dict))
    return Record(key="", title=str(p["title"]), kind=PAPER, entry_type="misc",
                  authors=tuple(a for a in authors if isinstance(a, Person)),
                  year=p.get("year") if isinstance(p.get("year"), int) else None, ids=ids)


def batch_answer(text: str, n: int) -> List[Optional[Record]]:
    """A batch answer: one paper (or null) per id asked, in order; anything else raises."""
    papers = json.loads(text)
    if not isinstance(papers, list) or len(papers) != n:
        raise ValueError("not one answer per id")
    return [_paper(p) for p in papers]


class S2Source(Source):
    name = "s2"
    endpoints = (Endpoint("s2", "PLM_BIB_S2_URL", "https://api.semanticscholar.org", 1.0),)
    precedence = 1
    role = "ids"
    batch = 500

    def lookup(self, records: List[Record]) -> Tuple[Dict[int, List[Candidate]], List[Problem]]:
        asked: List[Tuple[int, str]] = []
        for i, r in enumerate(records):
            if r.ids.get("arxiv"):
                asked.append((i, f"ARXIV:{r.ids['arxiv']}"))
            elif r.ids.get("doi") or r.doi:
                asked.append((i, f"DOI:{r.ids.get('doi') or r.doi}"))
        found: Dict[int, List[Candidate]] = {}
        problems: List[Problem] = []
        key = os.environ.get("SEMANTIC_SCHOLAR_API_KEY") or os.environ.get("S2_API_KEY")
        headers = {"x-api-key": key} if key else {}
        url = f"{self.base}/graph/v1/paper/batch"
        for start in range(0, len(asked), self.batch):
            chunk = asked[start:start + self.batch]
            try:
                papers, _ = self.ask(url, partial(batch_answer, n=len(chunk)), method="POST",
                                     params={"fields": FIELDS}, headers=headers,
                                     json={"ids": [a for _, a in chunk]})
            except SourceError as e:
                for i, _ in chunk:
                    self.fault(records[i], e, problems)
                continue
            for (i, asked_id), rec in zip(chunk, papers or []):
                if rec is not None:
                    found.setdefault(i, []).append(Candidate(self.name, rec, "id", url, {"s2": asked_id}))
        return found, problems
