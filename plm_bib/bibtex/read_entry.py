"""One BibTeX entry's fields -> a Record, keeping the LaTeX source the writer needs.

:func:`fields_to_record` maps the fields (names lower-cased, values without their
enclosing, macro expressions resolved with the file's ``@string`` definitions) onto the
model: decoded text, normalised ids, dates and pages; fields the model does not hold go to
``Record.extra`` verbatim, and ``Record.latex`` keeps the source of each value that is not
plain (see :mod:`plm_bib.bibtex`).  Also here: the warnings about an entry's values
(:func:`entry_problems`), the error for an entry with no type or fields
(:func:`stub_problem`) and the masking of double backslashes before a brace
(:func:`mask_double_backslashes`), which every reading path shares.
"""
from __future__ import annotations

import re
from typing import Collection, Dict, List, Mapping, Optional, Tuple

from plm_bib.bibtex.decode import MAX_DEPTH, Decoder, depth, latex_to_text
from plm_bib.bibtex.macros import MONTHS, is_expression, resolve_memo
from plm_bib.bibtex.name_lists import read_names
from plm_bib.metadata.ids import extract_ids, normalize_arxiv, normalize_doi
from plm_bib.metadata.links import link_kind, site_name
from plm_bib.metadata.venues import canonical_venue
from plm_bib.model import NO_LATEX, PAPER, RESOURCE, Link, Problem, Record
from plm_bib.slotted import maker

__all__ = ["fields_to_record", "read_year", "read_month", "read_pages", "entry_problems", "stub_problem",
           "mask_double_backslashes", "unmask", "MASKED", "RESOURCE_TYPES", "new_record"]

_MONTH_NAMES = {m: i + 1 for i, m in enumerate(MONTHS)}
_MONTH_NAMES.update({
    "january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "sept": 9,
})

RESOURCE_TYPES = frozenset({"online", "www", "webpage", "electronic", "software"})
_MODELLED = {
    "title", "author", "editor", "year", "month", "booktitle", "journal", "volume", "number",
    "pages", "publisher", "address", "doi", "url", "eprint", "archiveprefix",
    "note", "language",
}


_YEAR = re.compile(r"\s*\d{1,4}\s*")
_DASHES = re.compile(r"\s*[-\u2013]+\s*")


def read_year(value: Optional[str]) -> Optional[int]:
    if value and _YEAR.fullmatch(value):
        return int(value)
    return None


def read_month(value: Optional[str]) -> Optional[int]:
    if not value:
        return None
    v = value.strip().strip("{}").lower().rstrip(".")
    if v.isdigit() and 1 <= int(v) <= 12:
        return int(v)
    return _MONTH_NAMES.get(v)


# 21{\textendash}37: the form of the ACL Anthology and other exports
_ENDASH_RANGE = re.compile(r"([0-9A-Za-z]+)\{\\textendash\}([0-9A-Za-z]+)")


def read_pages(value: str, dec: Decoder = latex_to_text) -> str:
    """``21{\\textendash}37``, ``21 – 37``, ``21-37`` -> ``21--37``."""
    if dec is latex_to_text:
        m = _ENDASH_RANGE.fullmatch(value)
        if m is not None:  # what decoding gives (its letters and digits as they are, the dash)
            return m.group(1) + "--" + m.group(2)
    if "\\" in value or "{" in value:
        value = dec(value) or value  # "{}" stays as written: nothing is dropped
    return _DASHES.sub("--", value)


_NORMALISED = frozenset({"doi", "url", "eprint", "pages", "year", "month"})
_SPECIAL_CHAR = re.compile(r"[\\{}$~#%&^_\n\t\r]")
_LIGATURE_PAIR = re.compile(r"[-`'<>][-`'<>]|[!?]`")


# one search for all of them (this runs on every field read)
_NOT_PLAIN = re.compile(_SPECIAL_CHAR.pattern + r"|  |\A\s|\s\Z|" + _LIGATURE_PAIR.pattern)


def _not_plain(v: str) -> bool:
    """Whether escaping the text of ``v`` could give other LaTeX than ``v``: a special
    character, a TeX ligature, a whitespace run."""
    return _NOT_PLAIN.search(v) is not None


# Record(**fields) (same keywords, same defaults) without the frozen dataclass's __init__:
# a Record per entry, by the hundred thousand
new_record = maker(Record)


def fields_to_record(entry_type: str, key: str, f: Dict[str, str], line: int, source: str,
                     dec: Decoder = latex_to_text, bare: Collection[str] = (),
                     strings: Mapping[str, str] = NO_LATEX, problems: Optional[List[Problem]] = None,
                     maybe_masked: bool = True) -> Record:
    """A Record from an entry's fields (names lower-cased, values without enclosing);
    ``line`` is 0-based; ``dec`` decodes LaTeX; ``bare`` names the fields whose value was
    not enclosed (macro expressions, resolved here with ``strings``); undefined macros go
    to ``problems``.  ``maybe_masked=False``: the caller knows that no value, key or
    definition holds :data:`MASKED` (its text does not)."""
    if maybe_masked and (MASKED in key or any(MASKED in v for v in f.values())):
        f = {k: unmask(v) for k, v in f.items()}
        key = unmask(key)
    etype = entry_type.lower()
    latex: Dict[str, str] = {}
    if bare:
        if maybe_masked and any(MASKED in v for v in strings.values()):
            strings = {k: unmask(v) for k, v in strings.items()}
        bare = set(bare)
        f = dict(f)
        for k in [k for k in f if k in bare]:  # in field order
            expr = f.get(k)
            if expr is None or not is_expression(expr):
                continue
            if k == "month" and expr.lower() in MONTHS and expr.lower() not in strings:
                continue  # jan..dec: predefined, and what the writer writes anyway
            res = resolve_memo(expr, strings)
            if res is None:
                continue  # not an expression BibTeX reads: the text as bibtexparser gives it
            text, used, undefined = res
            f[k] = text
            latex["=" + k] = expr
            for u in used:
                latex["@string " + u] = strings[u]
            if undefined and problems is not None:
                problems.append(Problem(source, line + 1, f"{key}: macro(s) {', '.join(sorted(set(undefined)))} "
                                        f"in {k} not defined in this file: read as the name, written back "
                                        "as the macro", "", level="warning"))
    ids: Dict[str, str] = {}
    urls: List[Link] = []
    if f.get("url"):
        url = f["url"].strip()
        urls.append(Link(url=url, kind=link_kind(url)))
        ids.update(extract_ids(url))
    if f.get("eprint") and (f.get("archiveprefix", "").lower() == "arxiv" or
                            f.get("eprinttype", "").lower() == "arxiv"):
        a = normalize_arxiv(f["eprint"])
        if a:
            ids["arxiv"] = a
    doi = normalize_doi(f["doi"]) if f.get("doi") else None
    if doi:
        ids["doi"] = doi
    container = f.get("booktitle") or f.get("journal") or f.get("journaltitle")
    venue = None
    if "arxiv" in ids and etype in ("misc", "article", "unpublished") and \
            (not container or "arxiv" in container.lower()):
        venue = "arXiv"
    elif f.get("venue"):
        venue = canonical_venue(f["venue"]) or f["venue"]
    kind = RESOURCE if etype in RESOURCE_TYPES else PAPER
    extra = {k: v for k, v in f.items() if k not in _MODELLED}
    if f.get("note"):
        extra["note"] = f["note"]
    # modelled fields whose value the model cannot hold are kept verbatim: nothing is lost
    year_v, month_v = f.get("year"), f.get("month")
    year, month = read_year(year_v), read_month(month_v)
    if year is None and year_v and year_v.strip():
        extra["year"] = year_v
    if month is None and month_v and month_v.strip():
        extra["month"] = month_v
    if f.get("eprint") and "arxiv" not in ids:
        extra["eprint"] = f["eprint"]
        if f.get("archiveprefix"):
            extra["archiveprefix"] = f["archiveprefix"]
    elif f.get("archiveprefix") and (f["archiveprefix"].lower() != "arxiv" or "arxiv" not in ids):
        extra["archiveprefix"] = f["archiveprefix"]
    if f.get("doi", "").strip() and not doi:
        extra["doi"] = f["doi"]
    decoded = {}
    for k in ("journal", "booktitle", "publisher", "address", "title"):
        v = f.get(k)
        if v:
            d = decoded[k] = dec(v)
            if not d and v.strip():
                extra[k] = v  # only a macro such as \\aap: kept as written
    if f.get("language") and f["language"].strip().lower() in ("en", "english"):
        extra["language"] = f["language"]
    title = decoded.get("title", "")
    pages = read_pages(f["pages"], dec) if f.get("pages") else None
    resolved = bool(latex)  # macro expressions ("=" + name) so far
    not_plain = _NOT_PLAIN.search
    # the source of each value the writer would not reproduce from the text (module docstring)
    for k, v in f.items():
        if not v or v.isspace():
            if k in _MODELLED and k != "title":
                extra[k] = v  # an empty field: written back as it was
            continue
        if resolved and "=" + k in latex:
            continue
        if not_plain(v) is not None or (k == "archiveprefix" and "eprinttype" in f):  # (both written, as read)
            latex[k] = v  # an extra value is this very object: no copy
        elif k in _NORMALISED:
            if k == "doi":
                normal: Optional[str] = doi
            elif k == "url":
                normal = urls[0].url
            elif k == "eprint":
                normal = ids.get("arxiv")
            elif k == "pages":
                normal = pages
            elif k == "year":
                normal = str(year) if year else None
            else:
                normal = MONTHS[month - 1] if month else None
            if normal is not None and normal != v:
                latex[k] = v
    return new_record(
        key=key,
        title=title,
        kind=kind,
        entry_type=etype,
        authors=read_names(f.get("author"), dec),
        editors=read_names(f.get("editor"), dec),
        year=year,
        month=month,
        venue=venue,
        booktitle=decoded.get("booktitle"),
        journal=decoded.get("journal"),
        volume=f.get("volume"),
        number=f.get("number"),
        pages=pages,
        publisher=decoded.get("publisher"),
        address=decoded.get("address"),
        doi=doi,
        ids=ids,
        urls=tuple(urls),
        origin=source,
        lines=(line + 1,),
        language=f.get("language"),
        site=site_name(urls[0].url) if urls and kind == RESOURCE else None,
        extra=extra,
        provenance={"*": "bibtex"},
        latex=latex or NO_LATEX,
    )


_ESCAPED_PAIR = re.compile(r"\\\{[^{}\\]*\\\}")


def entry_problems(key: str, fields: List[Tuple[str, str]], line: int, source: str,
                    raw: Optional[str] = None) -> List[Problem]:
    """Warnings about an entry's values; ``raw`` (the entry's text) lets most entries skip the checks."""
    problems: List[Problem] = []
    if raw is not None and "\\{" not in raw and raw.count("{") <= MAX_DEPTH:
        return problems
    deep = sorted(k.lower() for k, v in fields if v.count("{") > MAX_DEPTH and depth(v) > MAX_DEPTH)
    if deep:
        problems.append(Problem(source, line, f"{key}: braces nested deeper than {MAX_DEPTH} "
                                f"in {', '.join(deep)}: LaTeX not decoded there; the text is kept",
                                "", level="warning"))
    # "\{DCS\}": a pair of escaped braces, most likely meant as case protection
    escaped = sorted(k.lower() for k, v in fields if "\\{" in v and _ESCAPED_PAIR.search(v))
    if escaped:
        problems.append(Problem(source, line, f"{key}: escaped braces (\\{{ \\}}) in "
                                f"{', '.join(escaped)}: LaTeX prints them as braces; every field kept",
                                "", level="warning"))
    return problems


def stub_problem(entry_type: str, key: str, nfields: int, line: int, raw: str, source: str) -> Optional[Problem]:
    if entry_type.strip() and nfields:
        return None
    # a stub like "@{WASSA,}": nothing to load; the raw text stays in the report
    what = "no entry type" if not entry_type.strip() else "no fields"
    return Problem(source, line, f"entry {key!r} has {what}: not loaded", raw[:2000], level="error")


# A double backslash before a brace or quote (a value ending in a LaTeX line break, "\\"):
# BibTeX counts that brace (a backslash escapes nothing there), but bibtexparser and the fast
# scanner see a backslash before the brace and take it as escaped, so the value runs on and
# the block is lost ("could not parse").  Before reading, each double backslash
# becomes two private-use characters (offsets and lines stay) that read as plain text; the
# values, keys, problems and blocks get the backslashes back before anything decodes them.
MASKED = "\ue000"
_DOUBLE_BACKSLASH_BEFORE_MARK = re.compile(r'\\\\[{}"]')


def mask_double_backslashes(text: str) -> Tuple[str, bool]:
    if "\\\\" not in text or MASKED in text or not _DOUBLE_BACKSLASH_BEFORE_MARK.search(text):
        return text, False
    return text.replace("\\\\", MASKED * 2), True


def unmask(s: str) -> str:
    return s.replace(MASKED * 2, "\\\\") if MASKED in s else s
