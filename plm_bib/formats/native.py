"""Built-in formats: native JSON (written and read), BibTeX, BibLaTeX, CSL-JSON."""
from __future__ import annotations

from typing import Any, List, Optional, Sequence

from plm_bib.bibtex import records_to_bibtex
from plm_bib.errors import InputError
from plm_bib.formats import register
from plm_bib.keys import keyed
from plm_bib.library import Library
from plm_bib.model import Problem, Record


@register("json", suffixes=(".json",), aliases=("native",), description="lossless native JSON")
def to_json(lib: Any, **options: Any) -> str:
    """Every record and problem as native JSON (lossless)."""
    return str(lib.to_json(indent=options.get("indent", 2)))


@register("bibtex", suffixes=(".bib", ".bibtex"), aliases=("bib",),
          description="BibTeX (UTF-8; --ascii for LaTeX-encoded ASCII)")
def to_bibtex(lib: Any, **options: Any) -> str:
    """BibTeX (the layout of bibtexparser's writer)."""
    return records_to_bibtex(list(lib), biblatex=False, header=options.get("header", ""),
                             ascii=bool(options.get("ascii")), latex=options.get("latex", "keep"))


@register("biblatex", suffixes=(".biblatex",), description="BibLaTeX (date, eprinttype, @online)")
def to_biblatex(lib: Any, **options: Any) -> str:
    """BibLaTeX: date, journaltitle, eprinttype, @online for resources."""
    return records_to_bibtex(list(lib), biblatex=True, header=options.get("header", ""),
                             ascii=bool(options.get("ascii")), latex=options.get("latex", "keep"))


@register("csl-json", suffixes=(".csl.json", ".csljson"), aliases=("csl", "csljson"),
          description="CSL-JSON (Zotero, pandoc, citeproc)")
def to_csl_json(lib: Any, **options: Any) -> str:
    """CSL-JSON items, valid against the official csl-data schema."""
    from plm_bib.csl import record_to_csl, records_to_csl
    from plm_bib.formats.json_text import dumps, dumps_items
    from plm_bib.gcpause import paused_gc

    indent = options.get("indent", 2)
    with paused_gc():
        text = dumps_items((record_to_csl(r) for r in lib), indent=indent)
        if text is None:
            text = dumps(records_to_csl(list(lib)), indent=indent)
        return text + "\n"


# -- reading -------------------------------------------------------------------------------
_TEXT = ("key", "title", "type", "kind", "source", "note")
_OPTIONAL_TEXT = ("venue", "track", "booktitle", "journal", "volume", "number", "pages", "publisher", "address",
                  "doi", "language", "resource_kind", "site")
_TEXT_LISTS = ("notes", "aliases", "titles_as_listed")
_MAPS = ("ids", "extra", "provenance")
_NAME_PARTS = ("family", "given", "prefix", "suffix")


def _int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _texts(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


def _wrong_record(d: Any) -> Optional[str]:
    """Why ``d`` is not a record of the native format (None when it is one)."""
    if not isinstance(d, dict):
        return "is not an object"
    if not isinstance(d.get("key"), str):
        return "has no key (a string)"
    for f in _TEXT:
        if f in d and not isinstance(d[f], str):
            return f"{f} is not a string"
    for f in _OPTIONAL_TEXT:
        if d.get(f) is not None and not isinstance(d[f], str):
            return f"{f} is not a string or null"
    for f in ("year", "month"):
        if d.get(f) is not None and not _int(d[f]):
            return f"{f} is not an integer or null"
    if d.get("month") is not None and not 1 <= d["month"] <= 12:
        return f"month {d['month']} is not 1-12"
    for f in ("authors", "editors"):
        people = d.get(f, [])
        if not isinstance(people, list) or not all(
                isinstance(p, dict) and all(isinstance(p.get(k, ""), str) for k in _NAME_PARTS) for p in people):
            return f"{f} is not a list of names ({{\"family\": ..., \"given\": ...}})"
    for f in _TEXT_LISTS:
        if f in d and not _texts(d[f]):
            return f"{f} is not a list of strings"
    for f in _MAPS:
        m = d.get(f, {})
        if not isinstance(m, dict) or not all(isinstance(v, str) for v in m.values()):
            return f"{f} is not an object of strings"
    urls = d.get("urls", [])
    if not isinstance(urls, list) or not all(
            isinstance(u, dict) and isinstance(u.get("url"), str) and isinstance(u.get("kind", ""), str)
            and isinstance(u.get("label", ""), str) and _int(u.get("line", 0)) for u in urls):
        return "urls is not a list of links ({\"url\": ..., \"kind\": ...})"
    sections = d.get("section", [])
    if not isinstance(sections, list) or not all(_texts(s) for s in sections):
        return "section is not a list of heading paths (lists of strings)"
    lines = d.get("lines", [])
    if not isinstance(lines, list) or not all(_int(n) for n in lines):
        return "lines is not a list of integers"
    claims = d.get("claims", [])
    if not isinstance(claims, list) or not all(
            isinstance(c, dict) and isinstance(c.get("raw"), str)
            and all(c.get(k) is None or isinstance(c[k], str) for k in ("venue", "track"))
            and (c.get("year") is None or _int(c["year"])) and _int(c.get("line", 0))
            and isinstance(c.get("preprint", False), bool) for c in claims):
        return "claims is not a list of claims ({\"raw\": ..., \"venue\": ..., \"year\": ...})"
    return None


PROBLEM_FIELDS = frozenset({"source", "line", "message", "raw", "level", "key"})


def _wrong_problem(d: Any) -> Optional[str]:
    if not isinstance(d, dict):
        return "is not an object"
    for f in ("source", "message"):
        if not isinstance(d.get(f), str):
            return f"has no {f} (a string)"
    for f in ("raw", "level", "key"):
        if f in d and not isinstance(d[f], str):
            return f"{f} is not a string"
    if not _int(d.get("line", 0)):
        return "line is not an integer"
    if set(d) - PROBLEM_FIELDS:
        return f"has unknown fields {sorted(set(d) - PROBLEM_FIELDS)}"
    return None


def _raw(value: Any) -> str:
    import json

    try:
        return json.dumps(value, ensure_ascii=False)[:2000]
    except (ValueError, RecursionError):
        return repr(value)[:2000]


def parse_native(data: Any, source: str, record_lines: Sequence[int] = (), problem_lines: Sequence[int] = ()
                 ) -> "Library":
    """A Library from the native JSON form (``Library.to_dict``): a record or problem of
    the wrong shape is reported (its position, and its line when ``*_lines`` give it) and
    kept out; the others load."""
    if not isinstance(data, dict) or not isinstance(data.get("records"), list):
        raise InputError(source, "native JSON must be an object whose 'records' is a list", 1)
    problems_in = data.get("problems", [])
    if not isinstance(problems_in, list):
        raise InputError(source, "native JSON: 'problems' must be a list", 1)
    for f in ("title", "source"):
        if data.get(f) is not None and not isinstance(data[f], str):
            raise InputError(source, f"native JSON: {f!r} must be a string", 1)
    problems: List[Problem] = []
    for i, p in enumerate(problems_in):
        why = _wrong_problem(p)
        if why is None:
            problems.append(Problem(**p))
        else:
            line = problem_lines[i] if i < len(problem_lines) else 0
            problems.append(Problem(source, line, f"native JSON: problem {i + 1} {why} (kept out)", _raw(p),
                                    level="error"))
    records: List[Record] = []
    for i, r in enumerate(data["records"]):
        why = _wrong_record(r)
        if why is None:
            records.append(Record.from_dict(r))
        else:
            line = record_lines[i] if i < len(record_lines) else 0
            problems.append(Problem(source, line, f"native JSON: record {i + 1} {why} (kept out)", _raw(r),
                                    level="error"))
    records, key_problems = keyed(records)
    return Library(records, problems + key_problems, data.get("title"), data.get("source") or "")
