"""Record <-> CSL-JSON: pure mapping tables (the interchange format of Zotero, pandoc, citeproc).

Export and import are inverse on what they produce: ``csl_to_record(record_to_csl(r))``
gives back every CSL variable, so CSL-JSON -> Library -> CSL-JSON is identical.
CSL variables without a Record field travel in ``Record.extra`` under their BibLaTeX
name where one exists (``event-title`` <-> ``eventtitle``, ``ISBN`` <-> ``isbn``), so they
reach BibTeX too; anything else under ``csl-<variable>``.

>>> item = {"id": "k", "type": "article-journal", "title": "T", "ISSN": "1234-5678",
...         "author": [{"family": "Lee", "given": "Ann"}], "issued": {"date-parts": [[2020, 5]]}}
>>> r = csl_to_record(item)
>>> (r.entry_type, r.year, r.month, r.extra["issn"])
('article', 2020, 5, '1234-5678')
>>> record_to_csl(r) == {**item, "citation-key": "k"}
True
"""
from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Mapping, Optional, Tuple

from .ids import normalize_arxiv
from .links import link_kind
from .model import PAPER, RESOURCE, Link, Person, Record
from .venues import canonical_venue, event_name, venue_info

__all__ = ["record_to_csl", "records_to_csl", "csl_to_record", "CSL_TYPES"]

_TYPES = {
    "inproceedings": "paper-conference", "conference": "paper-conference", "article": "article-journal",
    "book": "book", "incollection": "chapter", "inbook": "chapter", "phdthesis": "thesis",
    "mastersthesis": "thesis", "techreport": "report", "online": "webpage", "misc": "document",
    "proceedings": "book", "manual": "report", "booklet": "pamphlet", "unpublished": "manuscript",
}
# the entry type an imported CSL type becomes (first BibTeX type of _TYPES wins)
_BACK_TYPES: Dict[str, str] = {}
for _bib, _csl in _TYPES.items():
    _BACK_TYPES.setdefault(_csl, _bib)
_BACK_TYPES["article"] = "misc"
_RESOURCE_TYPES = {"blog": "post-weblog", "qa": "post", "repository": "software", "slides": "speech",
                   "video": "motion_picture"}
_BACK_RESOURCE = {v: k for k, v in _RESOURCE_TYPES.items()}
_BACK_RESOURCE["webpage"] = ""
CSL_TYPES = frozenset(_TYPES.values()) | frozenset(_RESOURCE_TYPES.values()) | {"article"}

# CSL variable <-> Record.extra key (BibLaTeX field names where one exists)
_EXTRA = {
    "event-title": "eventtitle", "collection-title": "series", "collection-number": "seriesnumber",
    "ISBN": "isbn", "ISSN": "issn", "abstract": "abstract", "edition": "edition", "genre": "type",
    "title-short": "shorttitle", "container-title-short": "shortjournal", "keyword": "keywords",
    "note": "note", "version": "version", "number-of-pages": "pagetotal", "PMID": "pmid",
    "PMCID": "pmcid", "medium": "howpublished",
}
_EXTRA_BACK = {v: k for k, v in _EXTRA.items()}
_LANG = {"zh": "zh-CN", "en": "en-US"}
_LANG_BACK = {v: k for k, v in _LANG.items()}
_DATE_EXTRA = {"accessed": "urldate", "event-date": "eventdate", "original-date": "origdate"}
_DATE_EXTRA_BACK = {v: k for k, v in _DATE_EXTRA.items()}


def _name(p: Person) -> Dict[str, str]:
    if p.family == "others":
        return {"literal": "others"}
    d = {"family": p.family, "given": p.given}
    if p.prefix:
        d["non-dropping-particle"] = p.prefix
    if p.suffix:
        d["suffix"] = p.suffix
    return {k: v for k, v in d.items() if v}


def _person(d: Mapping[str, Any]) -> Person:
    if "literal" in d and "family" not in d:
        return Person(family=str(d["literal"]))
    prefix = " ".join(str(d[k]) for k in ("dropping-particle", "non-dropping-particle") if d.get(k))
    return Person(family=str(d.get("family", "")), given=str(d.get("given", "")), prefix=prefix,
                  suffix=str(d.get("suffix", "")))


def _date_text(parts: List[int]) -> str:
    return "-".join(f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(parts))


def _date_parts(text: str) -> Optional[Dict[str, Any]]:
    if re.fullmatch(r"\d{4}(-\d{2}){0,2}", text):
        return {"date-parts": [[int(x) for x in text.split("-")]]}
    return None


def csl_type(r: Record) -> str:
    """The CSL type of a record: arXiv preprints are ``article``, resources by what they are."""
    if r.extra.get("csl-type"):
        return r.extra["csl-type"]
    info = venue_info(r.venue or "")
    if r.kind == RESOURCE:
        return _RESOURCE_TYPES.get(r.resource_kind or "", "webpage")
    if info is not None and info.is_preprint:
        return "article"
    return _TYPES.get(r.entry_type, "document")


def record_to_csl(r: Record) -> Dict[str, Any]:
    """The CSL-JSON item of a record (valid against the official csl-data schema)."""
    info = venue_info(r.venue or "")
    ctype = csl_type(r)
    item: Dict[str, Any] = {"id": r.key, "citation-key": r.key, "type": ctype, "title": r.title}
    if r.authors:
        item["author"] = [_name(p) for p in r.authors]
    if r.editors:
        item["editor"] = [_name(p) for p in r.editors]
    if r.year:
        parts: List[int] = [r.year] + ([r.month] if r.month else [])
        if r.month and (r.extra.get("day") or "").isdigit():
            parts.append(int(r.extra["day"]))
        item["issued"] = {"date-parts": [parts]}
    if ctype == "article" and info is not None and info.is_preprint:
        item["publisher"] = "arXiv"
        if "arxiv" in r.ids:
            item["number"] = f"arXiv:{r.ids['arxiv']}"
    container = r.site if r.kind == RESOURCE and r.site else (r.booktitle or r.journal)
    if container:
        item["container-title"] = container
    if r.extra.get("eventtitle"):
        item["event-title"] = r.extra["eventtitle"]
    elif r.venue and info is not None and not info.is_preprint and ctype == "paper-conference":
        item["event-title"] = f"{event_name(r.venue, r.year)} {r.year}" if r.year else r.venue
    if r.volume:
        item["volume"] = r.volume
    if r.number and "number" not in item:
        item["issue" if ctype == "article-journal" else "number"] = r.number
    if r.publisher and "publisher" not in item:
        item["publisher"] = r.publisher
    if r.address:
        item["publisher-place"] = r.address
    if r.pages:
        item["page"] = r.pages.replace("--", "–")
    if r.doi:
        item["DOI"] = r.doi
    if r.url:
        item["URL"] = r.url
    if r.language:
        item["language"] = _LANG.get(r.language, r.language)
    if r.note and r.kind == RESOURCE and "note" not in r.extra:
        item["note"] = r.note
    for key, value in r.extra.items():
        if key in _EXTRA_BACK:
            var = _EXTRA_BACK[key]
            if var not in item:
                item[var] = value
        elif key in _DATE_EXTRA_BACK and _date_parts(value):
            item[_DATE_EXTRA_BACK[key]] = _date_parts(value)
        elif key.startswith("csl-") and key != "csl-type":
            var = key[4:]
            item[var] = json.loads(value) if value[:1] in "[{" else value
    return item


def records_to_csl(records: List[Record]) -> List[Dict[str, Any]]:
    return [record_to_csl(r) for r in records]


def _str(v: Any) -> str:
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)


def csl_to_record(item: Mapping[str, Any], source: str = "<csl-json>", line: int = 0) -> Record:
    """A Record from one CSL-JSON item (the inverse of :func:`record_to_csl`)."""
    ctype = str(item.get("type", "document"))
    key = str(item.get("citation-key") or item.get("id") or "")
    is_resource = ctype in _BACK_RESOURCE
    extra: Dict[str, str] = {}
    ids: Dict[str, str] = {}
    venue: Optional[str] = None
    fields: Dict[str, Any] = {}
    url = item.get("URL")
    urls: Tuple[Link, ...] = (Link(url=str(url), kind=link_kind(str(url))),) if url else ()
    number = str(item["number"]) if item.get("number") is not None else None
    if ctype == "article" and str(item.get("publisher", "")).lower() == "arxiv":
        venue = "arXiv"
        a = normalize_arxiv(number or "")
        if a and number == f"arXiv:{a}":
            ids["arxiv"] = a
            number = None
        entry_type = "misc"
    elif ctype in _BACK_TYPES and not is_resource:
        entry_type = _BACK_TYPES[ctype]
    else:
        entry_type = "misc"
    if not is_resource and (ctype not in CSL_TYPES or (ctype == "article" and venue is None)):
        extra["csl-type"] = ctype
    issued = (item.get("issued") or {}).get("date-parts") if isinstance(item.get("issued"), dict) else None
    year = month = None
    if issued and issued[0]:
        p = [int(x) for x in issued[0] if str(x).lstrip("-").isdigit()]
        year = p[0] if p else None
        month = p[1] if len(p) > 1 else None
        if len(p) > 2:
            extra["day"] = str(p[2])
    elif "issued" in item:
        extra["csl-issued"] = _str(item["issued"])
    container = item.get("container-title")
    if container is not None:
        container = str(container)
        if is_resource:
            fields["site"] = container
        elif ctype == "article-journal":
            fields["journal"] = container
        else:
            fields["booktitle"] = container
    if venue is None:
        venue = canonical_venue(re.sub(r"\s*\d{4}$", "", str(item.get("event-title", "")))) \
            if item.get("event-title") else None
    handled = {"id", "citation-key", "type", "title", "author", "editor", "issued", "container-title",
               "volume", "number", "issue", "publisher", "publisher-place", "page", "DOI", "URL",
               "language"}
    for var, value in item.items():
        if var in handled:
            continue
        if var in _EXTRA:
            extra[_EXTRA[var]] = _str(value)
        elif var in _DATE_EXTRA and isinstance(value, dict) and value.get("date-parts"):
            extra[_DATE_EXTRA[var]] = _date_text([int(x) for x in value["date-parts"][0]])
        else:
            extra["csl-" + var] = _str(value)
    notes: Tuple[str, ...] = ()
    if is_resource and "note" in extra:
        notes = (extra.pop("note"),)
    publisher = item.get("publisher")
    if venue == "arXiv" and ctype == "article":
        publisher = None
    issue = item.get("issue")
    if ctype == "article-journal":
        if issue is not None:
            number_val: Optional[str] = str(issue)
        else:
            number_val = None
            if number is not None:
                extra["csl-number"] = number
    else:
        number_val = number
        if issue is not None:
            extra["csl-issue"] = _str(issue)
    doi = item.get("DOI")
    if doi:
        ids["doi"] = str(doi)
    lang = item.get("language")
    return Record(
        key=key,
        title=str(item.get("title", "")),
        kind=RESOURCE if is_resource else PAPER,
        entry_type=entry_type,
        authors=tuple(_person(p) for p in item.get("author", []) or []),
        editors=tuple(_person(p) for p in item.get("editor", []) or []),
        year=year,
        month=month,
        venue=venue,
        booktitle=fields.get("booktitle"),
        journal=fields.get("journal"),
        volume=str(item["volume"]) if item.get("volume") is not None else None,
        number=number_val,
        pages=re.sub(r"(?<=\w)\s*[-\u2013]+\s*(?=\w)", "--", str(item["page"])) if item.get("page") else None,
        publisher=str(publisher) if publisher else None,
        address=str(item["publisher-place"]) if item.get("publisher-place") else None,
        doi=str(doi) if doi else None,
        ids=ids,
        urls=urls,
        notes=notes,
        source=source,
        lines=(line,) if line else (),
        language=_LANG_BACK.get(str(lang), str(lang)) if lang else None,
        resource_kind=(_BACK_RESOURCE[ctype] or None) if is_resource else None,
        site=fields.get("site"),
        extra=extra,
        provenance={"*": "csl-json"},
    )
