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

from plm_bib.metadata.ids import normalize_arxiv
from plm_bib.metadata.links import link_kind
from plm_bib.metadata.venues import canonical_venue, event_name, venue_info
from plm_bib.model import CSL_EXACT, CSL_INVALID, PAPER, RESOURCE, Link, Person, Problem, Record

__all__ = ["record_to_csl", "records_to_csl", "csl_to_record", "read_csl_item", "CSL_TYPES"]

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


# -- the types of CSL variables (the official csl-data schema) ---------------------------
NAME_VARIABLES = frozenset({
    "author", "chair", "collection-editor", "compiler", "composer", "container-author", "contributor",
    "curator", "director", "editor", "editorial-director", "executive-producer", "guest", "host",
    "interviewer", "illustrator", "narrator", "organizer", "original-author", "performer", "producer",
    "recipient", "reviewed-author", "script-writer", "series-creator", "translator"})
DATE_VARIABLES = frozenset({"accessed", "available-date", "event-date", "issued", "original-date", "submitted"})
# string or number
NUMBER_VARIABLES = frozenset({
    "id", "chapter-number", "citation-number", "collection-number", "edition", "first-reference-note-number",
    "issue", "locator", "number", "number-of-pages", "number-of-volumes", "page", "page-first", "part",
    "printing", "supplement", "volume"})
STRING_VARIABLES = frozenset({
    "type", "citation-key", "language", "journalAbbreviation", "shortTitle", "abstract", "annote", "archive",
    "archive_collection", "archive_location", "archive-place", "authority", "call-number", "citation-label",
    "collection-title", "container-title", "container-title-short", "dimensions", "division", "DOI", "event",
    "event-title", "event-place", "genre", "ISBN", "ISSN", "jurisdiction", "keyword", "medium", "note",
    "original-publisher", "original-publisher-place", "original-title", "part-title", "PMCID", "PMID",
    "publisher", "publisher-place", "references", "reviewed-genre", "reviewed-title", "scale", "section",
    "source", "status", "title", "title-short", "URL", "version", "volume-title", "volume-title-short",
    "year-suffix"})
_NAME_TEXT = ("family", "given", "dropping-particle", "non-dropping-particle", "suffix", "literal")
_FLAG = (str, int, float, bool)
# Record.extra keys of their own (not ``csl-<variable>``): the exact values of variables the
# Record fields hold only in part, and the values of the wrong type
EXACT = CSL_EXACT
INVALID = CSL_INVALID
_RESERVED = {EXACT[4:], INVALID[4:]}


def _kind(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, (int, float)):
        return "a number"
    if isinstance(v, str):
        return "a string"
    return "a list" if isinstance(v, list) else "an object"


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and v not in (float("inf"), -float("inf"))


def _wrong_name(i: int, n: Any) -> Optional[str]:
    if not isinstance(n, dict):
        return f"name {i + 1} is {_kind(n)}, not an object"
    for k in _NAME_TEXT:
        if k in n and not isinstance(n[k], str):
            return f"name {i + 1}: {k} is {_kind(n[k])}, not a string"
    for k in ("comma-suffix", "static-ordering", "parse-names"):
        if k in n and not isinstance(n[k], _FLAG):
            return f"name {i + 1}: {k} is {_kind(n[k])}"
    return None


_DATE_PART = re.compile(r"-?\d{1,9}")


def _wrong_date(d: Any) -> Optional[str]:
    if not isinstance(d, dict):
        return f"is {_kind(d)}, not a date object ({{\"date-parts\": [[year, month, day]]}})"
    for k in ("literal", "raw", "edtf"):
        if k in d and not isinstance(d[k], str):
            return f"{k} is {_kind(d[k])}, not a string"
    for k in ("season", "circa"):
        if k in d and not isinstance(d[k], _FLAG):
            return f"{k} is {_kind(d[k])}"
    if "date-parts" not in d:
        return None if any(isinstance(d.get(k), str) and d[k] for k in ("literal", "raw", "edtf")) \
            else "has neither date-parts nor a literal or raw date"
    parts = d["date-parts"]
    if not isinstance(parts, list) or not 1 <= len(parts) <= 2 or not all(isinstance(p, list) for p in parts):
        return "date-parts must be a list of one or two lists ([[2020, 5]] or a range [[2020], [2021]])"
    for p in parts:
        if not 1 <= len(p) <= 3:
            return "each date of date-parts has a year and at most a month and a day"
        if not all((isinstance(x, int) and not isinstance(x, bool) and abs(x) < 10 ** 9)
                   or (isinstance(x, str) and _DATE_PART.fullmatch(x)) for x in p):
            return f"date-parts {json.dumps(p, ensure_ascii=False)[:60]}: the year, month and day are integers"
        nums = [int(x) for x in p]
        if len(nums) > 1 and not 1 <= nums[1] <= 12:
            return f"month {nums[1]} is not 1-12"
        if len(nums) > 2 and not 1 <= nums[2] <= 31:
            return f"day {nums[2]} is not 1-31"
    return None


def wrong_type(var: str, value: Any) -> Optional[str]:
    """Why ``value`` cannot be the CSL variable ``var`` (None when it can).

    >>> wrong_type("title", ["A", "B"])
    'is a list, not a string'
    >>> wrong_type("issued", {"date-parts": [[2020, 13]]})
    'month 13 is not 1-12'
    """
    if value is None:
        return "is null"
    if var in NAME_VARIABLES:
        if not isinstance(value, list):
            return f"is {_kind(value)}, not a list of names"
        for i, n in enumerate(value):
            why = _wrong_name(i, n)
            if why:
                return why
        return None
    if var in DATE_VARIABLES:
        return _wrong_date(value)
    if var in NUMBER_VARIABLES:
        return None if isinstance(value, str) or _is_number(value) else f"is {_kind(value)}, not a string or number"
    if var in STRING_VARIABLES:
        return None if isinstance(value, str) else f"is {_kind(value)}, not a string"
    if var == "categories":
        ok = isinstance(value, list) and all(isinstance(c, str) for c in value)
        return None if ok else "is not a list of strings"
    if var == "custom":
        return None if isinstance(value, dict) else f"is {_kind(value)}, not an object"
    return None  # a variable outside the schema: any JSON value, kept as it is


def _same(a: Any, b: Any) -> bool:
    """Equal as JSON values (``1`` is not ``"1"``, ``1.0`` or ``true``)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(v, b[k]) for k, v in a.items())
    return bool(a == b)


def read_csl_item(item: Mapping[str, Any], source: str = "<csl-json>", line: int = 0, index: int = 0
                  ) -> Tuple[Record, List[Problem]]:
    """A Record from one CSL-JSON item, and a Problem for each variable of the wrong type.

    A value of the wrong type is never read into a field: it is kept as it was, as JSON text,
    in ``extra["csl-invalid"]`` (written back in the item's ``custom`` object), and reported.
    Every variable that was read comes back from :func:`record_to_csl` exactly as it was
    (values the Record fields hold in part, such as a date range or a literal name, are kept
    in ``extra["csl-exact"]`` and written back while the record's own fields still say the
    same).
    """
    ident = item.get("citation-key") or item.get("id")
    who = f"CSL-JSON item {index + 1}" + (f" (id {_str(ident)[:80]!r})" if ident is not None else "")
    good: Dict[str, Any] = {}
    invalid: Dict[str, Any] = {}
    problems: List[Problem] = []
    for var, value in item.items():
        why = wrong_type(var, value)
        if why is None:
            good[var] = value
            continue
        invalid[var] = value
        kept = "ignored" if value is None else f"kept as text in extra {INVALID!r}"
        problems.append(Problem(source, line, f"{who}: {var} {why}: {kept}",
                                _str(value)[:2000], level="warning"))
    rec = _csl_to_record(good, source, line)
    aside = {k: v for k, v in invalid.items() if v is not None}
    if aside:
        rec = rec.replace(extra={**rec.extra, INVALID: json.dumps(aside, ensure_ascii=False)})
    extra = rec.extra
    back = record_to_csl(rec)
    exact: Dict[str, List[Any]] = {}
    for var, value in good.items():
        if var in _RESERVED or not _same(back.get(var), value):
            exact[var] = [back.get(var), value]
    for var, value in back.items():
        if var not in good and var not in ("citation-key", "id"):
            exact[var] = [value, None]  # written from a field, not in the item: left out again
    if exact:
        rec = rec.replace(extra={**extra, EXACT: json.dumps(exact, ensure_ascii=False)})
    return rec, problems


def csl_to_record(item: Mapping[str, Any], source: str = "<csl-json>", line: int = 0) -> Record:
    """A Record from one CSL-JSON item (the inverse of :func:`record_to_csl`); values of the
    wrong type are kept aside, unread (see :func:`read_csl_item`, which reports them)."""
    return read_csl_item(item, source, line)[0]


def _csl_to_record(item: Mapping[str, Any], source: str, line: int) -> Record:
    """The Record fields of an item whose variables all have their schema's types."""
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
        if var in handled or var in _RESERVED:  # (a variable named as a reserved key: kept in the exact table)
            continue
        if var in _EXTRA:
            extra[_EXTRA[var]] = _str(value)
        elif var in _DATE_EXTRA and isinstance(value, dict) and value.get("date-parts"):
            extra[_DATE_EXTRA[var]] = _date_text([int(x) for x in value["date-parts"][0]])
        elif var in _DATE_EXTRA and isinstance(value, dict) and isinstance(value.get("raw"), str) and value["raw"]:
            extra[_DATE_EXTRA[var]] = value["raw"]
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
        number_val: Optional[str] = str(issue) if issue is not None else None
        if number is not None:
            extra["csl-number"] = number  # (with an issue too: the issue is the record's number)
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
