"""Record <-> CSL-JSON: pure mapping tables (the interchange format of Zotero, pandoc, citeproc).

Export and import are inverse on what they produce: ``csl_to_record(record_to_csl(r))``
gives back every CSL variable, so CSL-JSON -> Library -> CSL-JSON is identical.
CSL variables without a Record field travel in ``Record.extra`` under their BibLaTeX
name where one exists (``event-title`` <-> ``eventtitle``, ``ISBN`` <-> ``isbn``), so they
reach BibTeX too; anything else under ``csl-<variable>``.

>>> from plm_bib.csl.to_record import csl_to_record
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
from typing import Any, Dict, List, Mapping, Optional

from plm_bib.bibtex.decode import latex_to_text
from plm_bib.csl.variables import (
    _NAME_TEXT,
    DATE_VARIABLES,
    EXACT,
    INVALID,
    NAME_VARIABLES,
    NUMBER_VARIABLES,
    STRING_VARIABLES,
    _same,
    wrong_type,
)
from plm_bib.metadata.venues import event_name, venue_info
from plm_bib.model import RESOURCE, Person, Record

__all__ = ["record_to_csl", "records_to_csl", "csl_type", "CSL_TYPES"]

_TYPES = {
    "inproceedings": "paper-conference", "conference": "paper-conference", "article": "article-journal",
    "book": "book", "incollection": "chapter", "inbook": "chapter", "phdthesis": "thesis",
    "mastersthesis": "thesis", "techreport": "report", "online": "webpage", "misc": "document",
    "proceedings": "book", "manual": "report", "booklet": "pamphlet", "unpublished": "manuscript",
    "patent": "patent", "standard": "standard",
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
# the model's language codes (and the babel names a .bib states) as CSL's BCP 47 tags
_LANG_CODES = {"zh": "zh-CN", "en": "en-US", "ja": "ja-JP", "ko": "ko-KR"}
_LANG = {**_LANG_CODES, "chinese": "zh-CN", "japanese": "ja-JP", "korean": "ko-KR"}
_LANG_BACK = {v: k for k, v in _LANG_CODES.items()}
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
    """The CSL date of ``YYYY[-MM[-DD]]`` (a real month and day), else None."""
    if re.fullmatch(r"\d{4}(-\d{2}){0,2}", text):
        parts = [int(x) for x in text.split("-")]
        if (len(parts) < 2 or 1 <= parts[1] <= 12) and (len(parts) < 3 or 1 <= parts[2] <= 31):
            return {"date-parts": [parts]}
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


def record_to_csl(r: Record, exact: bool = True) -> Dict[str, Any]:
    """The CSL-JSON item of a record (valid against the official csl-data schema).

    With ``exact``, variables read from CSL-JSON come back as they were read (see
    :func:`read_csl_item`); without, every variable is built from the record's fields.
    """
    info = venue_info(r.venue or "")
    ctype = csl_type(r)
    item: Dict[str, Any] = {"id": r.key, "citation-key": r.key, "type": ctype, "title": r.title}
    for var, people in (("author", r.authors), ("editor", r.editors)):
        names = [_name(p) for p in people if exact or p.family or p.given]
        if names:
            item[var] = names
    if r.year:
        parts: List[int] = [r.year] + ([r.month] if r.month else [])
        if r.month and (r.extra.get("day") or "").isdigit():
            parts.append(int(r.extra["day"]))
        item["issued"] = {"date-parts": [parts]}
    dated = _date_parts(r.extra.get("date") or "")
    if dated and (r.year is None or dated["date-parts"][0][0] == r.year) \
            and len(dated["date-parts"][0]) > len(item.get("issued", {}).get("date-parts", [[]])[0]):
        item["issued"] = dated  # a BibLaTeX date more precise than the year and month
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
    # a thesis's school and a report's institution are their publishers in CSL (as Zotero has them);
    # kept verbatim from the .bib, so written in LaTeX (Universit\"at): decoded as every BibTeX value is
    held = r.extra.get("school") if ctype == "thesis" else r.extra.get("institution") if ctype == "report" else None
    publisher = r.publisher or (latex_to_text(held) if held else None)
    if publisher and "publisher" not in item:
        item["publisher"] = publisher
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
        elif key in _DATE_EXTRA_BACK and value:
            item[_DATE_EXTRA_BACK[key]] = _date_parts(value) or {"raw": value}  # (a range, a season...)
        elif key.startswith("csl-") and key not in ("csl-type", EXACT, INVALID):
            var = key[4:]
            decoded = _decoded(var, value)
            if not exact:
                decoded = _plain(var, decoded)
                if decoded is None:
                    continue
            item[var] = decoded
    if exact and EXACT in r.extra:
        _apply_exact(item, r.extra[EXACT])
    if exact and INVALID in r.extra:
        _keep_invalid(item, r.extra[INVALID])
    return item


def _keep_invalid(item: Dict[str, Any], text: str) -> None:
    """Values of the wrong type, as they were read, in the item's ``custom`` object (the
    schema's place for what has no variable of its own; what ``custom`` held wins)."""
    try:
        invalid = json.loads(text)
    except (ValueError, RecursionError):
        return
    if isinstance(invalid, dict) and invalid:
        custom = item.get("custom")
        item["custom"] = {**invalid, **custom} if isinstance(custom, dict) else invalid


def _plain(var: str, value: Any) -> Any:
    """A name or date variable as a CSL processor reads it best: names with a name part and
    only the name keys, date parts as integers; None when nothing is left (no names)."""
    if var in NAME_VARIABLES and isinstance(value, list):
        names = [{k: n[k] for k in _NAME_TEXT if isinstance(n.get(k), str) and n[k]} for n in value
                 if isinstance(n, dict)]
        names = [n for n in names if any(k in n for k in ("family", "given", "literal"))]
        return names or None
    if var in DATE_VARIABLES and isinstance(value, dict):
        if wrong_type(var, value):
            return None
        out = {k: v for k, v in value.items() if k in ("season", "circa", "literal", "raw")}
        if "date-parts" in value:
            out["date-parts"] = [[int(x) for x in p] for p in value["date-parts"]]
        return out
    return value


def _decoded(var: str, text: str) -> Any:
    """The value of a variable kept in ``extra`` as text: JSON for names, dates and
    variables outside the schema, the text itself for string and number variables."""
    if var in STRING_VARIABLES or var in NUMBER_VARIABLES or text[:1] not in "[{":
        return text
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return text


def _apply_exact(item: Dict[str, Any], table_text: str) -> None:
    """Each variable as the input had it, where the record's fields still give what they
    gave when it was read (a field changed since, by the curated data or enrichment,
    wins: its value is written)."""
    try:
        table = json.loads(table_text)
    except (ValueError, RecursionError):
        return
    if not isinstance(table, dict):
        return
    for var, pair in table.items():
        if not (isinstance(pair, list) and len(pair) == 2) or not _same(item.get(var), pair[0]):
            continue
        if pair[1] is None:
            item.pop(var, None)
        else:
            item[var] = pair[1]


def records_to_csl(records: List[Record]) -> List[Dict[str, Any]]:
    return [record_to_csl(r) for r in records]


def _str(v: Any) -> str:
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
