"""CSL-JSON -> Record: reading one item, with a Problem for each value of the wrong type."""
from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Mapping, Optional, Tuple

from plm_bib.csl.mapping import (
    _BACK_RESOURCE,
    _BACK_TYPES,
    _DATE_EXTRA,
    _EXTRA,
    _LANG_BACK,
    CSL_TYPES,
    _date_text,
    _person,
    _str,
    record_to_csl,
)
from plm_bib.csl.variables import _RESERVED, EXACT, INVALID, _same, wrong_type
from plm_bib.metadata.ids import normalize_arxiv
from plm_bib.metadata.links import link_kind
from plm_bib.metadata.venues import canonical_venue
from plm_bib.model import PAPER, RESOURCE, Link, Problem, Record

__all__ = ["read_csl_item", "csl_to_record"]


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
        origin=source,
        lines=(line,) if line else (),
        language=_LANG_BACK.get(str(lang), str(lang)) if lang else None,
        resource_kind=(_BACK_RESOURCE[ctype] or None) if is_resource else None,
        site=fields.get("site"),
        extra=extra,
        provenance={"*": "csl-json"},
    )
