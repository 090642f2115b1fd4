"""DBLP publication search (JSON): finds the published version of a preprint.

A hit is a candidate only if it is not DBLP's own copy of an arXiv preprint (venue CoRR);
whether it is the *same paper* is decided by the same-work rule of :mod:`plm_bib.identity`."""
from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Tuple

from plm_bib.errors import SourceError
from plm_bib.metadata.ids import extract_ids
from plm_bib.metadata.names import parse_name
from plm_bib.metadata.venues import canonical_venue, proceedings_title, venue_info
from plm_bib.model import PAPER, Link, Problem, Record
from plm_bib.sources.base import Candidate, Endpoint, Source

__all__ = ["DblpSource", "hit_to_record", "published_hits"]

_TYPES = {"Conference and Workshop Papers": "inproceedings", "Journal Articles": "article"}


def _list(x: Any) -> List[Any]:
    return x if isinstance(x, list) else ([x] if x else [])


def hit_to_record(info: Dict[str, Any]) -> Record:
    """A DBLP ``hit.info`` object as a Record (DBLP's titles end with a period: dropped)."""
    authors = tuple(parse_name(re.sub(r"\s+\d{4}$", "", str(a.get("text", a) if isinstance(a, dict) else a)))
                    for a in _list((info.get("authors") or {}).get("author")))
    year = int(info["year"]) if str(info.get("year", "")).isdigit() else None
    dblp_venue = str(info.get("venue", ""))
    venue = canonical_venue(dblp_venue) or dblp_venue or None
    etype = _TYPES.get(str(info.get("type", "")), "misc")
    ees = [str(e) for e in _list(info.get("ee"))]
    ids: Dict[str, str] = {"dblp": str(info.get("key", ""))}
    for e in ees:
        ids.update({k: v for k, v in extract_ids(e).items() if k in ("acl", "doi", "openreview", "pmlr")})
    doi = str(info.get("doi") or ids.get("doi") or "") or None
    if doi:
        ids["doi"] = doi
    info_v = venue_info(venue or "")
    booktitle = proceedings_title(venue, year) if venue and etype == "inproceedings" else None
    return Record(
        key="", title=str(info.get("title", "")).rstrip("."), kind=PAPER, entry_type=etype,
        authors=authors, year=year, venue=venue, booktitle=booktitle,
        journal=dblp_venue if etype == "article" else None,
        volume=str(info["volume"]) if info.get("volume") else None,
        pages=str(info["pages"]).replace("-", "--") if info.get("pages") else None,
        publisher=info_v.publisher if info_v else None, doi=doi, ids=ids,
        urls=tuple(Link(e, "paper") for e in ees[:1]),
    )


def published_hits(text: str) -> List[Record]:
    """The hits of a DBLP search answer that may be published versions (not DBLP's copies
    of arXiv preprints, venue CoRR), as Records; a malformed answer raises."""
    hits = _list(json.loads(text)["result"]["hits"].get("hit"))
    out = []
    for h in hits:
        info = h.get("info", {})
        rec = hit_to_record(info)
        preprint = venue_info(rec.venue or "")
        if str(info.get("venue")) == "CoRR" or not rec.venue or not rec.title or \
                (preprint is not None and preprint.is_preprint):
            continue  # DBLP's copy of an arXiv preprint is not a published version
        out.append(rec)
    return out


class DblpSource(Source):
    """Searches by title for every record it is given (``enrich`` gives it those whose venue
    no authority has confirmed)."""

    name = "dblp"
    # DBLP asks for politeness
    endpoints = (Endpoint("dblp", "PLM_BIB_DBLP_URL", "https://dblp.org", 1.0),)
    precedence = 3
    role = "search"

    def lookup(self, records: List[Record]) -> Tuple[Dict[int, List[Candidate]], List[Problem]]:
        found: Dict[int, List[Candidate]] = {}
        problems: List[Problem] = []
        for i, r in enumerate(records):
            if not r.title:
                continue
            url = f"{self.base}/search/publ/api"
            params = {"q": re.sub(r"[^\w\s-]", " ", r.title), "format": "json", "h": 10}
            try:
                hits, resp = self.ask(url, published_hits, params=params)
            except SourceError as e:
                self.fault(r, e, problems)
                continue
            for rec in hits or []:
                found.setdefault(i, []).append(Candidate(self.name, rec, "search", resp.url,
                                                         {"dblp": rec.ids.get("dblp", "")}))
        return found, problems
