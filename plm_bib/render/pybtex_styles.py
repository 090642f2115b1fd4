"""pybtex's BibTeX-like styles (plain, unsrt, alpha), rendered into neutral markup.

Field values reach pybtex as plain text whose characters that LaTeX or pybtex's parser
would read as markup are swapped for private-use stand-ins; acronyms are brace-protected
as in our BibTeX output, so pybtex's sentence casing keeps ``BERT``.  A small pybtex
backend turns pybtex's rich text into our neutral markup, restoring the stand-ins: the
escaping is then done once, by :mod:`markup`, for every backend.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, List, Optional, Sequence, Tuple

from plm_bib.bibtex import protect_title, record_fields
from plm_bib.model import Record
from plm_bib.render.markup import CLOSE, OPEN, clean
from plm_bib.render.styles import Style

__all__ = ["render_entries"]

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_SPECIAL = "\\{}~$%&#_^"
_TO_PUA = {ord(c): chr(0xE100 + i) for i, c in enumerate(_SPECIAL)}
_FROM_PUA = {0xE100 + i: c for i, c in enumerate(_SPECIAL)}


def _plain(text: str) -> str:
    return clean(text).translate(_TO_PUA)


def _protected(text: str) -> str:
    """A title with acronyms in braces and every literal special character swapped; the
    capital after a colon is kept, as BibTeX's ``change.case$`` keeps it."""
    return re.sub(r"(:\s+)([A-Z])", r"\1{\2}", protect_title(clean(text), escape=_plain))


def _backend() -> Any:
    from pybtex.backends import BaseBackend

    class Neutral(BaseBackend):  # type: ignore[misc]
        default_suffix = ".txt"
        symbols = {"ndash": "\u2013", "newblock": " ", "nbsp": " "}
        tags = {"em": "i", "emph": "i", "i": "i", "strong": "b", "b": "b", "sup": "^", "sub": "_"}

        def format_str(self, s: str) -> str:
            return s.translate(_FROM_PUA)

        def format_tag(self, tag_name: str, text: str) -> str:
            kind = self.tags.get(tag_name)
            return f"{OPEN}{kind}{text}{CLOSE}" if kind and text else text

        def format_href(self, url: str, text: str, external: bool = False) -> str:
            return text

        def format_protected(self, text: str) -> str:
            return text

        def write_entry(self, key: str, label: str, text: str) -> None:  # pragma: no cover
            raise NotImplementedError

    return Neutral()


# biblatex's entry types that BibTeX's standard styles lack, as the classic type each one
# extends (the biblatex manual, section 2.1.1: a multi-volume book is a book, a book in a
# book a part of one...; its aliases turned round: report -> techreport, thesis ->
# phdthesis or mastersthesis).  Any other type is formatted as BibTeX formats a type its
# style does not define: with the style's ``misc`` (the standard styles' ``default.type``).
_CLASSIC_TYPES = {"mvbook": "book", "bookinbook": "inbook", "suppbook": "inbook", "collection": "book",
                  "mvcollection": "book", "suppcollection": "incollection", "reference": "book",
                  "mvreference": "book", "inreference": "incollection", "mvproceedings": "proceedings",
                  "report": "techreport", "thesis": "phdthesis", "conference": "inproceedings"}


def _classic_type(r: Record, etype: str) -> str:
    if etype == "thesis" and re.search(r"master|\bma\b|mathesis", r.extra.get("type", ""), re.I):
        return "mastersthesis"
    return _CLASSIC_TYPES.get(etype, etype)


def _entry(r: Record) -> Any:
    from pybtex.database import Entry, Person

    etype, fields = record_fields(r)
    etype = _classic_type(r, etype)
    values: List[Tuple[str, str]] = []
    persons: Dict[str, List[Any]] = {}
    for role, people in (("author", r.authors), ("editor", r.editors)):
        if people:
            # a Chinese name is one word, surname first: 曾小明 (not "小明 曾", nor initials)
            persons[role] = [Person("others") if p.family == "others" else
                             Person(last=_plain(p.display())) if p.is_han() else
                             Person(first=_plain(p.given), prelast=_plain(p.prefix),
                                    last=_plain(p.family), lineage=_plain(p.suffix))
                             for p in people]
    plain_values = {"title": _protected(r.title), "booktitle": _plain(r.booktitle or ""),
                    "journal": _plain(r.journal or ""), "publisher": _plain(r.publisher or ""),
                    "address": _plain(r.address or ""), "note": _plain(r.extra.get("note", "")
                                                                      or r.note),
                    # the record's own values, not their BibTeX form (escaped once, by markup)
                    "volume": _plain(r.volume or ""), "number": _plain(r.number or ""),
                    "pages": _plain((r.pages or "").replace("\u2013", "--"))}
    for key, value in fields:
        if key in ("author", "editor"):
            continue
        if key in plain_values:
            value = plain_values[key]
        elif key == "howpublished":
            continue  # the URL is printed from the url field
        elif key == "month" and r.month:
            value = _MONTHS[r.month - 1]
        else:
            # every other value too (a URL or DOI with a brace would be pybtex markup)
            value = _plain(value)
        if value:
            values.append((key, value))
    if etype == "misc" and "arxiv" in r.ids and not any(k == "note" for k, _ in values):
        values.append(("note", f"arXiv:{r.ids['arxiv']}"))
    if r.kind == "resource" and not any(k == "note" for k, _ in values) and r.site:
        values.append(("note", _plain(r.site)))
    return Entry(etype, values, persons)


@lru_cache(maxsize=None)
def _plugin(group: str, name: Optional[str]) -> Any:
    """pybtex's ``find_plugin``, once per name: each lookup scans every installed
    distribution's entry points (about 30 ms), and a style is made per bibliography."""
    from pybtex.plugin import find_plugin

    return find_plugin(group, name)


def _formatting_style(target: str) -> Any:
    """A new instance of the pybtex style *target*, with the name, label and sorting
    styles its class names by default (what pybtex's ``BaseStyle()`` looks up itself)."""
    cls = _plugin("pybtex.style.formatting", target)
    return cls(name_style=_plugin("pybtex.style.names", cls.default_name_style),
               label_style=_plugin("pybtex.style.labels", cls.default_label_style),
               sorting_style=_plugin("pybtex.style.sorting", cls.default_sorting_style))


def render_entries(records: Sequence[Record], style: Style) -> List[Tuple[str, str, str]]:
    """``(key, label, neutral markup)`` of each record, in the style's order.

    An entry that lacks a field the style requires (pybtex raises ``FieldIsMissing``)
    is formatted with the ``misc`` template instead, so nothing is dropped.
    """
    from pybtex.database import BibliographyData
    from pybtex.style.template import FieldIsMissing

    data = BibliographyData()
    for r in records:
        data.add_entry(r.key, _entry(r))
    fmt = _formatting_style(style.target)
    backend = _backend()
    entries = list(fmt.sort(data.entries.values()))
    labels = list(fmt.format_labels(entries))
    out = []
    for label, entry in zip(labels, entries):
        text = None
        if hasattr(fmt, f"get_{entry.type}_template"):
            try:
                text = fmt.format_entry(label, entry).text
            except FieldIsMissing:
                pass
        if text is None:  # a field the type needs is missing, or the style has no such type
            text = fmt.get_misc_template(entry).format_data({"entry": entry, "style": fmt,
                                                              "bib_data": data})
        rich = re.sub(r"\s+", " ", text.render(backend)).strip()
        out.append((entry.key, label, rich))
    return out
