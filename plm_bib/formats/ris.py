"""RIS (Zotero, EndNote, Mendeley): written from each record's CSL item, read with rispy.

What a record is (its type, container, event, dates, publisher: a thesis's school, a report's
institution, ``arXiv`` for a preprint) is decided once, by the CSL mapping
(:func:`plm_bib.csl.record_to_csl`); this module only says which RIS tag carries each CSL
variable, for each RIS type, as Zotero's RIS translator reads and writes them. The record's
own links (one ``UR`` each) and notes (one ``N1`` each) are taken from the Record, which CSL
cannot hold. Reading is the inverse table: RIS tags -> a CSL item -> the CSL reader.

RIS has no escaping: a value is one line. :func:`ris_value` is the one rule (line breaks and
control characters become one space). Lines end in CRLF, as the RIS specification and Zotero's
translator write them; the reader takes CRLF, LF or CR.

>>> import plm_bib
>>> text = plm_bib.export(plm_bib.load().filter(venue="NAACL"), "ris")
>>> print("\\n".join(text.splitlines()[:4]))
TY  - CONF
TI  - BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding
AU  - Devlin, Jacob
AU  - Chang, Ming-Wei
>>> "SP  - 4171\\r\\nEP  - 4186\\r\\n" in text and text.endswith("ER  - \\r\\n\\r\\n")
True
>>> parse_ris(text)["devlin2019bert"].booktitle[:35]
'Proceedings of the 2019 Conference '
"""
from __future__ import annotations

import re
from typing import Any, Dict, Iterator, List, Optional, Tuple

from plm_bib.formats import register
from plm_bib.keys import keyed
from plm_bib.library import Library
from plm_bib.metadata.ids import normalize_arxiv, normalize_doi
from plm_bib.metadata.links import link_kind
from plm_bib.model import Link, Person, Problem, Record
from plm_bib.render.markup import one_line

__all__ = ["to_ris", "record_to_ris", "ris_value", "parse_ris", "RIS_TYPES"]

NEWLINE = "\r\n"
# CSL type -> RIS type (Zotero's exportTypeMap: conferencePaper CONF, webpage ELEC, a preprint GEN)
RIS_TYPES = {
    "article-journal": "JOUR", "paper-conference": "CONF", "book": "BOOK", "chapter": "CHAP",
    "thesis": "THES", "report": "RPRT", "webpage": "ELEC", "post": "ELEC", "post-weblog": "BLOG",
    "software": "COMP", "speech": "SLIDE", "motion_picture": "VIDEO", "article": "GEN",
    "document": "GEN", "manuscript": "UNPB", "patent": "PAT", "standard": "STAND", "dataset": "DATA",
    "pamphlet": "PAMP", "article-magazine": "MGZN", "article-newspaper": "NEWS",
}
# RIS type -> CSL type (reading; GEN is a preprint when its publisher is arXiv, else a document)
_CSL_TYPES = {ris: csl for csl, ris in RIS_TYPES.items()}
_CSL_TYPES.update({"GEN": "document", "ELEC": "webpage", "CPAPER": "paper-conference", "EJOUR": "article-journal",
                   "JFULL": "article-journal", "EBOOK": "book", "EDBOOK": "book", "ECHAP": "chapter",
                   "WEB": "webpage", "ICOMM": "webpage", "MPCT": "motion_picture", "UNPD": "manuscript",
                   "MANSCPT": "manuscript", "INPR": "manuscript", "GOVDOC": "report", "DBASE": "dataset"})
# the plain tags: one CSL variable each, for every type (Zotero's fieldMap)
_PLAIN = (("AB", "abstract"), ("DO", "DOI"), ("ET", "edition"), ("VL", "volume"), ("J2", "container-title-short"),
          ("LA", "language"), ("M3", "genre"), ("PB", "publisher"), ("ST", "title-short"))
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# a page range (one token, dashes, one token) is SP and EP; any other page text all SP
_DASH = re.compile(r"([^\s\u002D\u00AD\u2010-\u2015\u2212]+)\s*[\u002D\u00AD\u2010-\u2015\u2212]+\s*"
                   r"([^\s\u002D\u00AD\u2010-\u2015\u2212]+)")


def ris_value(value: Any) -> str:
    """A value as the text of one RIS line: one line (:func:`plm_bib.render.markup.one_line`:
    line breaks as spaces, no bidirectional controls), every other control character (a tab,
    NUL) a space, no space at either end.

    >>> ris_value("Title\\r\\nwith\\ta line break\\x00")
    'Title with a line break'
    """
    return _CONTROL.sub(" ", one_line(str(value))).strip()


def _name(n: Dict[str, str]) -> str:
    """A CSL name as RIS writes a person: ``Family, Given, Suffix`` (the particle with the family)."""
    if "literal" in n:
        return n["literal"]
    family = ris_value(" ".join(x for x in (n.get("dropping-particle"), n.get("non-dropping-particle"),
                                            n.get("family")) if x))
    given, suffix = ris_value(n.get("given", "")), ris_value(n.get("suffix", ""))
    return ", ".join([family, given, suffix] if suffix else [family, given] if given else [family])


def _date(parts: List[Any]) -> str:
    """Zotero's ``DA``: ``YYYY/MM/DD/`` (an unknown part empty)."""
    p = [f"{int(x):02d}" for x in parts[1:3]] + ["", ""]
    return f"{int(parts[0]):04d}/{p[0]}/{p[1]}/"


def record_to_ris(r: Record) -> List[Tuple[str, str]]:
    """The (tag, value) lines of one record, in the order Zotero writes them (TY first, ID last)."""
    from plm_bib.csl import record_to_csl

    item = record_to_csl(r, exact=False)
    ctype = item["type"]
    ty = RIS_TYPES.get(ctype, "GEN")
    preprint = ctype == "article" and item.get("publisher") == "arXiv"
    out: List[Tuple[str, str]] = [("TY", ty), ("TI", item.get("title", ""))]
    out += [("AU", _name(n)) for n in item.get("author", []) if n.get("literal") != "others"]
    container = item.get("container-title")
    series = item.get("collection-title")
    if ty == "CONF":
        out.append(("T2", item.get("event-title", "")))
    elif ty in ("BOOK", "RPRT"):
        out.append(("T2", series or ""))
    else:
        out.append(("T2", container or ""))
    editor_tag = "A3" if ty == "BOOK" else "A2"
    out += [(editor_tag, _name(n)) for n in item.get("editor", []) if n.get("literal") != "others"]
    if ty in ("CONF", "CHAP"):
        out.append(("T3", series or ""))
    out.append(("AB", item.get("abstract", "")))
    if ty == "CONF":
        out += [("C1", item.get("publisher-place", "")), ("C3", container or "")]
    else:
        out.append(("CY", item.get("publisher-place", "")))
    parts = (item.get("issued") or {}).get("date-parts") or [[]]
    if parts[0]:
        out += [("DA", _date(parts[0])), ("PY", f"{int(parts[0][0]):04d}")]
    plain = dict(_PLAIN)
    out.append(("DO", item.get(plain.pop("DO"), "")))
    out += [("ET", item.get(plain.pop("ET"), "")), ("VL", item.get(plain.pop("VL"), ""))]
    number = item.get("issue", item.get("number", "")) if not preprint else item.get("issue", "")
    if ty != "RPRT":
        out.append(("IS", number))
    page = str(item.get("page", ""))
    m = _DASH.fullmatch(page.strip())
    out += [("SP", m.group(1)), ("EP", m.group(2))] if m else [("SP", page)]
    out += [(tag, item.get(var, "")) for tag, var in plain.items()]
    out.append(("SN", number if ty == "RPRT" else item.get("ISSN" if ty == "JOUR" else "ISBN", "")))
    links = [link.url for link in r.urls] or ([item["URL"]] if item.get("URL") else [])
    out += [("UR", u) for u in links]
    notes = list(r.notes) + ([item["note"]] if item.get("note") and item["note"] != r.note else [])
    out += [("N1", n) for n in notes]
    out += [("KW", k) for k in re.split(r"\s*[,;]\s*", str(item.get("keyword", ""))) if k]
    out.append(("ID", r.key))
    return [(tag, ris_value(v)) for tag, v in out if ris_value(v)]


@register("ris", suffixes=(".ris",), description="RIS (Zotero, EndNote, Mendeley import)")
def to_ris(lib: Any, **options: Any) -> str:
    """Every record as an RIS reference (UTF-8 text, CRLF line ends)."""
    return "".join(
        "".join(f"{tag}  - {value}{NEWLINE}" for tag, value in record_to_ris(r)) + f"ER  - {NEWLINE}{NEWLINE}"
        for r in lib)


# -- reading -------------------------------------------------------------------------------------
# a tag line: two spaces before the dash in the specification; one, or spaces before the tag, as some
# exporters write it (Zotero's detection takes "TY - " and "TY  - " too)
_TAG = re.compile(r"[ \t]*([A-Z][A-Z0-9]) {1,2}-(?: (.*))?$")


def _references(text: str, source: str, problems: List[Problem]) -> Iterator[Tuple[int, List[str]]]:
    """Each reference (``TY`` ... ``ER``) with the line its TY is on and its tag lines (and
    their continuation lines); what stands outside a reference is reported and skipped."""
    start: int = 0
    lines: List[str] = []
    for n, line in enumerate(re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff")), 1):
        m = _TAG.match(line)
        tag = m.group(1) if m else None
        if m:
            line = f"{tag}  - {m.group(2) or ''}"  # (the form rispy reads)
        if start == 0:
            if tag == "TY":
                start, lines = n, [line]
            elif line.strip():
                problems.append(Problem(source, n, "RIS: a line outside a reference (before its TY line): skipped",
                                        line[:2000]))
            continue
        if tag == "TY":
            problems.append(Problem(source, start, f"RIS: the reference of line {start} has no ER line: it ends "
                                    f"where the next one starts (line {n})", lines[0][:2000]))
            yield start, lines
            start, lines = n, [line]
        elif tag == "ER":
            yield start, lines
            start, lines = 0, []
        elif tag is None and len(lines) == 1 and line.strip():
            problems.append(Problem(source, n, "RIS: a line that is no tag right after TY: skipped", line[:2000]))
        elif line.strip():
            lines.append(line)
    if start:
        problems.append(Problem(source, start, f"RIS: the reference of line {start} has no ER line (the file "
                                "ends): read as it is", lines[0][:2000]))
        yield start, lines


class _Tags(dict):  # type: ignore[type-arg]
    """rispy's tag -> name table, where every tag is its own name (no tag is unknown)."""

    def __missing__(self, key: str) -> str:
        return key


_LIST_TAGS = ["AU", "A1", "A2", "A3", "A4", "ED", "KW", "N1", "UR", "L1", "L2", "L4"]


def _person(text: str) -> Person:
    """``Family, Given[, Suffix]`` (RIS) -> a Person, as Zotero reads it: the family name is all
    before the first comma (a particle with it: ``van den Berg``); a name without a comma is
    one name (an organisation)."""
    family, _, rest = text.partition(",")
    given, _, suffix = rest.partition(",")
    return Person(family=family.strip(), given=given.strip(), suffix=suffix.strip())


def _first(tags: Dict[str, Any], *names: str) -> str:
    for name in names:
        v = tags.get(name)
        if isinstance(v, list):
            v = next((x for x in v if x), "")
        if v:
            return str(v)
    return ""


def _csl_date(da: str, py: str) -> Optional[Dict[str, Any]]:
    m = re.match(r"\s*(\d{4})(?:[/-](\d{1,2})?(?:[/-](\d{1,2})?)?)?", da or "")
    y = re.search(r"\d{4}", py or "")
    if m and (not y or y.group(0) == m.group(1)):
        return {"date-parts": [[int(x) for x in m.groups() if x and int(x)]]}
    return {"date-parts": [[int(y.group(0))]]} if y else None


def _ris_record(tags: Dict[str, Any], source: str, line: int) -> Record:
    from plm_bib.csl.to_record import _csl_to_record

    ty = _first(tags, "TY").upper()
    ctype = _CSL_TYPES.get(ty, "document")
    publisher = _first(tags, "PB")
    links = [str(u) for t in ("UR", "L2", "L1") for u in tags.get(t, []) if u]
    if ty == "GEN" and publisher.lower() == "arxiv":
        ctype = "article"
    item: Dict[str, Any] = {"type": ctype, "id": _first(tags, "ID"), "title": _first(tags, "TI", "T1", "CT")}
    for var, tag_names in (("author", ("AU", "A1")), ("editor", ("ED", "A3" if ty == "BOOK" else "A2"))):
        people = [_person(str(p)) for t in tag_names for p in tags.get(t, []) if str(p).strip()]
        if people:
            item[var] = [{k: v for k, v in (("family", p.family), ("given", p.given), ("non-dropping-particle",
                          p.prefix), ("suffix", p.suffix)) if v} for p in people]
    t2 = _first(tags, "T2")
    if ty in ("CONF", "CPAPER"):
        item["container-title"] = _first(tags, "C3", "BT") or t2
        if t2 and _first(tags, "C3", "BT"):
            item["event-title"] = t2
        item["collection-title"] = _first(tags, "T3")
        item["publisher-place"] = _first(tags, "C1", "CY")
    elif ty in ("BOOK", "RPRT"):
        item["collection-title"] = t2 or _first(tags, "T3")
    else:
        item["container-title"] = t2 or _first(tags, "JF", "JO", "BT", "JA")
        item["collection-title"] = _first(tags, "T3")
    item.setdefault("publisher-place", _first(tags, "CY"))
    date = _csl_date(_first(tags, "DA", "Y1"), _first(tags, "PY"))
    if date:
        item["issued"] = date
    for tag, var in _PLAIN:
        item[var] = _first(tags, tag, *(("N2",) if tag == "AB" else ()))
    number = _first(tags, "SN" if ty == "RPRT" else "IS")
    item["issue" if ctype == "article-journal" else "number"] = number
    if ty != "RPRT":
        item["ISSN" if ctype == "article-journal" else "ISBN"] = _first(tags, "SN")
    sp, ep = _first(tags, "SP"), _first(tags, "EP")
    item["page"] = f"{sp}\u2013{ep}" if sp and ep else sp or ep
    item["keyword"] = ", ".join(str(k) for k in tags.get("KW", []) if k)
    if ctype == "article":
        arxiv = next((a for a in (normalize_arxiv(u) for u in links + [_first(tags, "DO")]) if a), None)
        item["number"] = f"arXiv:{arxiv}" if arxiv else item.get("number", "")
    item["DOI"] = normalize_doi(item["DOI"]) or item["DOI"]
    if links:
        item["URL"] = links[0]
    rec = _csl_to_record({k: v for k, v in item.items() if v}, source, line)
    known = {"TY", "ID", "TI", "T1", "CT", "AU", "A1", "ED", "A2", "A3", "T2", "T3", "C1", "C3", "BT", "CY", "JF",
             "JO", "JA", "DA", "Y1", "PY", "SN", "IS", "SP", "EP", "KW", "N1", "N2", "UR", "L1", "L2"}
    known |= set(dict(_PLAIN))
    extra = dict(rec.extra)
    extra.update({f"ris-{t}": "; ".join(map(str, v)) if isinstance(v, list) else str(v)
                  for t, v in tags.items() if t not in known and v})
    if ty and ty not in ("GEN", RIS_TYPES.get(ctype)):
        extra["ris-TY"] = ty  # (kept: CPAPER, EJOUR... are written back as their Zotero type)
    return rec.replace(urls=tuple(Link(url=u, kind=link_kind(u)) for u in links), extra=extra,
                       notes=tuple(str(n) for n in tags.get("N1", []) if n), provenance={"*": "ris"})


def parse_ris(text: str, source: str = "<string>") -> Library:
    """A Library from RIS text (a Zotero, EndNote, Mendeley or PubMed export).

    A line outside a reference, a reference without ``ER`` and one without a title are
    reported with their line; the other references load, each a Record with the line of its
    ``TY``; a tag this reader does not map is kept in ``extra["ris-<tag>"]``.
    """
    import rispy

    problems: List[Problem] = []
    records: List[Record] = []
    parser = rispy.RisParser(mapping=_Tags(), list_tags=_LIST_TAGS, delimiter_tags_mapping={},
                             enforce_list_tags=False)
    for line, lines in _references(text, source, problems):
        tags = parser.parse_lines(iter(lines + ["ER  - "]))[0]
        rec = _ris_record(tags, source, line)
        if not rec.title:
            problems.append(Problem(source, line, "RIS: the reference has no title (TI)", lines[0][:2000]))
        records.append(rec)
    records, key_problems = keyed(records)
    return Library(records, sorted(problems, key=lambda p: p.line) + key_problems, origin=source)
