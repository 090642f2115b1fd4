"""The types of CSL variables (the official csl-data schema) and the check of a value's type."""
from __future__ import annotations

import json
import re
from typing import Any, Optional

from plm_bib.model import CSL_EXACT, CSL_INVALID

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


def json_kind(v: Any) -> str:
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
        return f"name {i + 1} is {json_kind(n)}, not an object"
    for k in _NAME_TEXT:
        if k in n and not isinstance(n[k], str):
            return f"name {i + 1}: {k} is {json_kind(n[k])}, not a string"
    for k in ("comma-suffix", "static-ordering", "parse-names"):
        if k in n and not isinstance(n[k], _FLAG):
            return f"name {i + 1}: {k} is {json_kind(n[k])}"
    return None


_DATE_PART = re.compile(r"-?\d{1,9}")


def _wrong_date(d: Any) -> Optional[str]:
    if not isinstance(d, dict):
        return f"is {json_kind(d)}, not a date object ({{\"date-parts\": [[year, month, day]]}})"
    for k in ("literal", "raw", "edtf"):
        if k in d and not isinstance(d[k], str):
            return f"{k} is {json_kind(d[k])}, not a string"
    for k in ("season", "circa"):
        if k in d and not isinstance(d[k], _FLAG):
            return f"{k} is {json_kind(d[k])}"
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
            return f"is {json_kind(value)}, not a list of names"
        for i, n in enumerate(value):
            why = _wrong_name(i, n)
            if why:
                return why
        return None
    if var in DATE_VARIABLES:
        return _wrong_date(value)
    if var in NUMBER_VARIABLES:
        return None if isinstance(value, str) or _is_number(value) else f"is {json_kind(value)}, not a string or number"
    if var in STRING_VARIABLES:
        return None if isinstance(value, str) else f"is {json_kind(value)}, not a string"
    if var == "categories":
        ok = isinstance(value, list) and all(isinstance(c, str) for c in value)
        return None if ok else "is not a list of strings"
    if var == "custom":
        return None if isinstance(value, dict) else f"is {json_kind(value)}, not an object"
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

