"""Value objects: Person, Link, Claim, Problem, Record.

Everything here is frozen.  A Record is never modified in place; use
:func:`dataclasses.replace` (or :meth:`Record.replace`) to derive a new one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Dict, Mapping, Optional, Tuple

from plm_bib.slotted import replacer

__all__ = ["Person", "Link", "Claim", "Problem", "Record", "PAPER", "RESOURCE", "CSL_EXACT", "CSL_INVALID", "HAN",
           "is_han"]

PAPER = "paper"
RESOURCE = "resource"
# Record.extra keys the CSL-JSON reader keeps for its own round trip (exact values of variables
# the fields hold only in part; values of the wrong type): CSL data, not BibTeX fields
CSL_EXACT = "csl-exact"
CSL_INVALID = "csl-invalid"
# a Han character (the CJK unified ideographs, extension A, the compatibility ideographs)
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def is_han(text: str) -> bool:
    """Whether ``text`` is written in Han characters only (and is not empty)."""
    return bool(text) and all(HAN.match(ch) for ch in text)


@dataclass(frozen=True, slots=True)
class Person:
    """A name, split as BibTeX does: ``given`` ``prefix`` ``family``, ``suffix``."""

    family: str
    given: str = ""
    prefix: str = ""
    suffix: str = ""

    def bibtex(self) -> str:
        """The name in BibTeX's ``von Last, Jr, First`` order."""
        last = f"{self.prefix} {self.family}".strip()
        parts = [last]
        if self.suffix:
            parts.append(self.suffix)
        if self.given or self.suffix:
            parts.append(self.given)
        return ", ".join(parts)

    def is_han(self) -> bool:
        """Whether this is a Chinese name: a family name in Han characters, and a given name in
        Han characters or none (``曾``, ``小明``; ``曾小明`` written whole).  Such a name is read
        surname first, with no space, and never shortened to initials: ``曾小明``."""
        return is_han(self.family) and (not self.given or is_han(self.given)) and not self.prefix and \
            not self.suffix

    def short(self) -> str:
        """The name in short forms (in-text citations, labels): the family name, and a
        Chinese name whole (``曾小明``: the styles set it whole, see :meth:`is_han`)."""
        return self.family + self.given if self.is_han() else self.family

    def display(self) -> str:
        """The name in reading order: ``Jacob Devlin``, ``曾小明``."""
        if self.is_han():
            return self.family + self.given
        name = " ".join(p for p in (self.given, self.prefix, self.family) if p)
        return f"{name}, {self.suffix}" if self.suffix else name

    def to_dict(self) -> Dict[str, str]:
        d = {"family": self.family, "given": self.given}
        if self.prefix:
            d["prefix"] = self.prefix
        if self.suffix:
            d["suffix"] = self.suffix
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, str]) -> "Person":
        return cls(
            family=d.get("family", ""),
            given=d.get("given", ""),
            prefix=d.get("prefix", ""),
            suffix=d.get("suffix", ""),
        )


@dataclass(frozen=True, slots=True)
class Link:
    """A URL of a record with what it points at.

    ``kind`` is one of ``paper`` (landing page), ``pdf``, ``slides``, ``code``,
    ``blog``, ``video``, ``qa``, ``homepage``, ``project``, ``webpage``.
    """

    url: str
    kind: str = "webpage"
    label: str = ""
    line: int = 0

    def to_dict(self) -> Dict[str, Any]:
        d: Dict[str, Any] = {"url": self.url, "kind": self.kind}
        if self.label:
            d["label"] = self.label
        if self.line:
            d["line"] = self.line
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Link":
        return cls(url=d["url"], kind=d.get("kind", "webpage"), label=d.get("label", ""),
                   line=int(d.get("line", 0)))


@dataclass(frozen=True, slots=True)
class Claim:
    """What the reading list says about venue and year, exactly as written.

    ``raw`` is the text as written (``**ACL 2020 **``); ``venue`` and ``year`` are
    the canonicalised reading (``ACL``, ``2020``); ``venue`` is ``None`` when the
    text names no known venue (e.g. a bare year).
    """

    raw: str
    venue: Optional[str] = None
    year: Optional[int] = None
    line: int = 0
    preprint: bool = False
    track: Optional[str] = None
    origin: str = "item"  # "item": written in the item; "heading": given by a heading over it

    def to_dict(self) -> Dict[str, Any]:
        d: Dict[str, Any] = {"raw": self.raw, "venue": self.venue, "year": self.year, "track": self.track,
                             "line": self.line, "preprint": self.preprint}
        if self.origin != "item":
            d["origin"] = self.origin
        return d

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Claim":
        return cls(raw=d["raw"], venue=d.get("venue"), year=d.get("year"),
                   line=int(d.get("line", 0)), preprint=bool(d.get("preprint", False)),
                   track=d.get("track"), origin=str(d.get("origin", "item")))


@dataclass(frozen=True, slots=True)
class Problem:
    """A non-fatal issue found while reading input: kept, reported, never dropped.

    ``source`` is the input (file name) it was found in, ``line`` its line there (0: none);
    ``raw`` is the input's text the problem is about, as written (cut at 2,000 characters);
    ``key`` is the key of the record it is about, when it is about one record (written in
    the native JSON only when set).
    """

    source: str
    line: int
    message: str
    raw: str = ""
    level: str = "warning"  # "warning" or "error"
    key: str = ""

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.level}: {self.message}"

    def to_dict(self) -> Dict[str, Any]:
        d: Dict[str, Any] = {"source": self.source, "line": self.line, "message": self.message, "raw": self.raw,
                             "level": self.level}
        if self.key:
            d["key"] = self.key
        return d


NO_LATEX: Mapping[str, str] = MappingProxyType({})  # shared: most records hold no LaTeX source


def _tup(x: Any) -> Tuple[Any, ...]:
    return tuple(x) if x is not None else ()


@dataclass(frozen=True, slots=True)
class Record:
    """One normalised citable item: a paper or a resource (slides, blog post, repository...).

    ``entry_type`` is the BibTeX entry type.  ``venue`` is the canonical short name
    without year (``EMNLP``, ``Findings of EMNLP``).  ``ids`` maps id schemes
    (``arxiv``, ``acl``, ``doi``, ``openreview``, ``pmlr``, ``dblp``) to values: ``ids["doi"]``
    is a DOI found for the record (also in a link), ``doi`` the record's own DOI (its BibTeX
    field): the same in most records, not in all, so both are kept.
    ``sections`` holds every heading path under which the item was listed,
    ``lines`` every line of its input, ``origin`` that input (the file it was read from).
    ``extra`` keeps any other BibTeX field verbatim so that nothing read from a ``.bib``
    file is lost.  ``provenance`` maps a field
    name to where its value came from (``list``, ``curated``, ``bibtex``, a source).
    ``latex`` keeps, for a record read from a ``.bib`` file, the BibTeX source of the
    fields whose text is not plain (field name -> value as written, LaTeX, without its
    enclosing; ``"=" + name`` -> a macro expression such as ``procacl # acl``;
    ``"@string " + macro`` -> a definition it uses; ``"@preamble"`` -> the file's
    ``@preamble`` blocks): the BibTeX writer writes that source back while the record's
    value is still what it decodes to (see :mod:`plm_bib.bibtex`).
    """

    key: str
    title: str
    kind: str = PAPER
    entry_type: str = "misc"
    authors: Tuple[Person, ...] = ()
    editors: Tuple[Person, ...] = ()
    year: Optional[int] = None
    month: Optional[int] = None
    venue: Optional[str] = None
    track: Optional[str] = None
    booktitle: Optional[str] = None
    journal: Optional[str] = None
    volume: Optional[str] = None
    number: Optional[str] = None
    pages: Optional[str] = None
    publisher: Optional[str] = None
    address: Optional[str] = None
    doi: Optional[str] = None
    ids: Mapping[str, str] = field(default_factory=dict)
    urls: Tuple[Link, ...] = ()
    sections: Tuple[Tuple[str, ...], ...] = ()
    notes: Tuple[str, ...] = ()
    aliases: Tuple[str, ...] = ()
    claims: Tuple[Claim, ...] = ()
    titles_as_listed: Tuple[str, ...] = ()
    origin: str = ""
    lines: Tuple[int, ...] = ()
    language: Optional[str] = None
    resource_kind: Optional[str] = None
    site: Optional[str] = None
    extra: Mapping[str, str] = field(default_factory=dict)
    provenance: Mapping[str, str] = field(default_factory=dict)
    latex: Mapping[str, str] = field(default_factory=lambda: NO_LATEX)

    __hash__ = None  # type: ignore[assignment]  # holds mappings

    # -- convenience -------------------------------------------------------
    @property
    def source(self) -> str:
        """The old name of :attr:`origin` (deprecated: "source" names an online provider)."""
        return self.origin

    @property
    def line(self) -> int:
        """The first line the item was listed on (0 when not from a list)."""
        return self.lines[0] if self.lines else 0

    @property
    def section(self) -> Tuple[str, ...]:
        """The first heading path the item was listed under."""
        return self.sections[0] if self.sections else ()

    @property
    def note(self) -> str:
        return "; ".join(self.notes)

    @property
    def url(self) -> Optional[str]:
        """The main URL: the first link that is not slides/code, else the first link."""
        for link in self.urls:
            if link.kind in ("paper", "pdf", "webpage", "blog", "qa", "video", "homepage"):
                return link.url
        return self.urls[0].url if self.urls else None

    @property
    def is_paper(self) -> bool:
        return self.kind == PAPER

    def replace(self, **changes: Any) -> "Record":
        """A copy with ``changes`` (field names; any other name is a TypeError), as
        :func:`dataclasses.replace` makes it, without calling ``__init__``: readers derive
        records by the thousand."""
        return _replace(self, changes)

    # -- presentation: thin methods, the work is in plm_bib.face (imported when asked for) ----
    @property
    def bibtex(self) -> str:
        """This record as a BibTeX entry."""
        from plm_bib import face

        return face.record_bibtex(self)

    def cite(self, style: str = "apa", backend: str = "text") -> str:
        """This record formatted as a reference in ``style`` (see ``plm-bib styles``)."""
        from plm_bib import face

        return face.record_cite(self, style, backend)

    def _repr_html_(self) -> str:
        from plm_bib import face

        return face.record_html(self)

    # -- native JSON -------------------------------------------------------
    def to_dict(self) -> Dict[str, Any]:
        """The lossless native JSON form (see ``docs/formats.md``)."""
        return {
            "key": self.key,
            "type": self.entry_type,
            "kind": self.kind,
            "title": self.title,
            "authors": [p.to_dict() for p in self.authors],
            "editors": [p.to_dict() for p in self.editors],
            "year": self.year,
            "month": self.month,
            "venue": self.venue,
            "track": self.track,
            "booktitle": self.booktitle,
            "journal": self.journal,
            "volume": self.volume,
            "number": self.number,
            "pages": self.pages,
            "publisher": self.publisher,
            "address": self.address,
            "doi": self.doi,
            "ids": dict(sorted(self.ids.items())),
            "urls": [u.to_dict() for u in self.urls],
            "section": [list(s) for s in self.sections],
            "line": self.line,
            "lines": list(self.lines),
            "source": self.origin,
            "note": self.note,
            "notes": list(self.notes),
            "aliases": list(self.aliases),
            "claims": [c.to_dict() for c in self.claims],
            "titles_as_listed": list(self.titles_as_listed),
            "language": self.language,
            "resource_kind": self.resource_kind,
            "site": self.site,
            "extra": dict(self.extra),
            "provenance": dict(sorted(self.provenance.items())),
            **({"latex": dict(self.latex)} if self.latex else {}),
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Record":
        latex = d.get("latex")
        return cls(
            key=d["key"],
            title=d.get("title", ""),
            kind=d.get("kind", PAPER),
            entry_type=d.get("type", "misc"),
            authors=tuple(Person.from_dict(p) for p in d.get("authors", [])),
            editors=tuple(Person.from_dict(p) for p in d.get("editors", [])),
            year=d.get("year"),
            month=d.get("month"),
            venue=d.get("venue"),
            track=d.get("track"),
            booktitle=d.get("booktitle"),
            journal=d.get("journal"),
            volume=d.get("volume"),
            number=d.get("number"),
            pages=d.get("pages"),
            publisher=d.get("publisher"),
            address=d.get("address"),
            doi=d.get("doi"),
            ids=dict(d.get("ids", {})),
            urls=tuple(Link.from_dict(u) for u in d.get("urls", [])),
            sections=tuple(tuple(s) for s in d.get("section", [])),
            notes=_tup(d.get("notes", [])),
            aliases=_tup(d.get("aliases", [])),
            claims=tuple(Claim.from_dict(c) for c in d.get("claims", [])),
            titles_as_listed=_tup(d.get("titles_as_listed", [])),
            origin=d.get("source", ""),
            lines=tuple(d.get("lines", [])),
            language=d.get("language"),
            resource_kind=d.get("resource_kind"),
            site=d.get("site"),
            extra=dict(d.get("extra", {})),
            provenance=dict(d.get("provenance", {})),
            latex=dict(latex) if latex else NO_LATEX,
        )


_record_init = Record.__init__


def _init_with_old_names(self: Record, *args: Any, source: Optional[str] = None, **kwargs: Any) -> None:
    # ``Record(source=...)``: the old name of ``origin`` (deprecated), still taken
    if source is not None:
        kwargs.setdefault("origin", source)
    _record_init(self, *args, **kwargs)


Record.__init__ = _init_with_old_names  # type: ignore[method-assign]


_replace = replacer(Record)
