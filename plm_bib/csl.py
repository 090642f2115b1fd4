"""Record -> CSL-JSON: one pure mapping (the interchange format of Zotero, pandoc, citeproc)."""
from __future__ import annotations

from typing import Any, Dict, List

from .model import RESOURCE, Person, Record
from .venues import event_name, venue_info

__all__ = ["record_to_csl", "records_to_csl"]

_TYPES = {
    "inproceedings": "paper-conference", "conference": "paper-conference", "article": "article-journal",
    "book": "book", "incollection": "chapter", "inbook": "chapter", "phdthesis": "thesis",
    "mastersthesis": "thesis", "techreport": "report", "online": "webpage", "misc": "document",
}
_RESOURCE_TYPES = {"blog": "post-weblog", "qa": "post", "repository": "software", "slides": "speech",
                   "video": "motion_picture"}


def _name(p: Person) -> Dict[str, str]:
    if p.family == "others":
        return {"literal": "others"}
    d = {"family": p.family, "given": p.given}
    if p.prefix:
        d["non-dropping-particle"] = p.prefix
    if p.suffix:
        d["suffix"] = p.suffix
    return {k: v for k, v in d.items() if v}


def record_to_csl(r: Record) -> Dict[str, Any]:
    """The CSL-JSON item of a record (valid against the official csl-data schema)."""
    info = venue_info(r.venue or "")
    if r.kind == RESOURCE:
        ctype = _RESOURCE_TYPES.get(r.resource_kind or "", "webpage")
    elif info is not None and info.is_preprint:
        ctype = "article"
    else:
        ctype = _TYPES.get(r.entry_type, "document")
    item: Dict[str, Any] = {"id": r.key, "citation-key": r.key, "type": ctype, "title": r.title}
    if r.authors:
        item["author"] = [_name(p) for p in r.authors]
    if r.editors:
        item["editor"] = [_name(p) for p in r.editors]
    if r.year:
        parts: List[int] = [r.year] + ([r.month] if r.month else [])
        item["issued"] = {"date-parts": [parts]}
    if ctype == "article":
        item["publisher"] = "arXiv"
        if "arxiv" in r.ids:
            item["number"] = f"arXiv:{r.ids['arxiv']}"
    container = r.booktitle or r.journal
    if container:
        item["container-title"] = container
    if r.venue and info is not None and not info.is_preprint and ctype == "paper-conference":
        item["event-title"] = f"{event_name(r.venue, r.year)} {r.year}" if r.year else r.venue
    for src, dst in (("volume", "volume"), ("publisher", "publisher"), ("address", "publisher-place")):
        v = getattr(r, src)
        if v and dst not in item:
            item[dst] = v
    if r.extra.get("series"):
        item["collection-title"] = r.extra["series"]
    if r.pages:
        item["page"] = r.pages.replace("--", "–")
    if r.doi:
        item["DOI"] = r.doi
    if r.url:
        item["URL"] = r.url
    if r.language:
        item["language"] = {"zh": "zh-CN", "en": "en-US"}.get(r.language, r.language)
    if r.note and r.kind == RESOURCE:
        item["note"] = r.note
    if r.site and r.kind == RESOURCE:
        item["container-title"] = r.site
    return item


def records_to_csl(records: List[Record]) -> List[Dict[str, Any]]:
    return [record_to_csl(r) for r in records]
