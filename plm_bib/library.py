"""Library: an ordered, key-unique collection of Records with the Problems found reading them."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Sequence, Set, Tuple, Union, overload

from plm_bib.keys import has_good_keys, keyed

if TYPE_CHECKING:  # pragma: no cover
    from plm_bib.curation.check import Finding
    from plm_bib.render.charts import Chart
from plm_bib.model import Problem, Record

__all__ = ["Library", "Section"]


@dataclass(frozen=True)
class Section:
    """A heading path and how many records sit under it (itself and its subsections)."""

    path: Tuple[str, ...]
    count: int

    @property
    def title(self) -> str:
        return self.path[-1] if self.path else ""

    @property
    def depth(self) -> int:
        return len(self.path)


def _listings(r: Record) -> List[Tuple[Tuple[str, ...], float]]:
    """Each heading path of a record with the line it was listed on there.

    A merged record holds its section paths in the order they were met (each once) and every
    listing's line in order, so the k-th new path was met at the k-th line or later (exact when
    no path was listed twice).
    """
    if not r.sections:
        return []
    lines = list(r.lines)
    out: List[Tuple[Tuple[str, ...], float]] = []
    for k, path in enumerate(r.sections):
        line: float = lines[k] if k < len(lines) and lines[k] else float("inf")
        out.append((tuple(path), line))
    return out


class Library:
    """Records in list order, indexable by position or key.

    >>> import plm_bib
    >>> lib = plm_bib.load()
    >>> lib["devlin2019bert"].venue
    'NAACL'
    """

    def __init__(self, records: Sequence[Record] = (), problems: Sequence[Problem] = (),
                 title: Optional[str] = None, origin: str = "", *, source: Optional[str] = None):
        # a Library keeps the records it is given: the readers give them keys (the explicit
        # step, keys.keyed).  Records without a key, with one not safe in LaTeX and BibTeX, or
        # with one an earlier record has (built by hand) go through that step here, its
        # warnings added to the problems: a Library never holds such a key
        recs: Sequence[Record] = records if isinstance(records, (list, tuple)) else list(records)
        key_problems: List[Problem] = []
        if not has_good_keys(recs):
            recs, key_problems = keyed(recs)
        self._records: Tuple[Record, ...] = tuple(recs)
        self._by_key: Dict[str, Record] = {r.key: r for r in recs}
        self.problems: Tuple[Problem, ...] = tuple(problems) + tuple(key_problems)
        self.title = title
        self.origin = origin if source is None else source

    @property
    def source(self) -> str:
        """The input the Library was read from: the old name of :attr:`origin` (deprecated)."""
        return self.origin

    # -- collection protocol ---------------------------------------------------
    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[Record]:
        return iter(self._records)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, Record):
            return key.key in self._by_key
        return key in self._by_key

    @overload
    def __getitem__(self, i: int) -> Record: ...

    @overload
    def __getitem__(self, i: str) -> Record: ...

    def __getitem__(self, i: Union[int, str]) -> Record:
        if isinstance(i, str):
            return self._by_key[i]
        return self._records[i]

    def __repr__(self) -> str:
        papers = sum(1 for r in self if r.is_paper)
        return (f"<Library {self.title or self.origin or ''!s}: {papers} papers, "
                f"{len(self) - papers} resources, {len(self.problems)} problems>")

    @property
    def records(self) -> Tuple[Record, ...]:
        return self._records

    def keys(self) -> List[str]:
        return [r.key for r in self]

    def get(self, key: str) -> Optional[Record]:
        return self._by_key.get(key)

    @property
    def papers(self) -> "Library":
        return self.filter(kind="paper")

    @property
    def resources(self) -> "Library":
        return self.filter(kind="resource")

    # -- derived views -------------------------------------------------------------
    def with_records(self, records: Sequence[Record], problems: Optional[Sequence[Problem]] = None) -> "Library":
        return Library(records, self.problems if problems is None else problems, self.title, self.origin)

    def filter(self, *, section: Union[str, Sequence[str], None] = None, year: Optional[int] = None,
               venue: Optional[str] = None, type: Optional[str] = None,
               kind: Optional[str] = None) -> "Library":
        """Records matching every given criterion.

        ``section`` matches a heading anywhere in a record's section paths (a string)
        or a path prefix (a sequence); ``venue`` is compared case-insensitively with
        the canonical short name; ``type`` is the BibTeX entry type.
        """
        out = []
        for r in self:
            if section is not None:
                if isinstance(section, str):
                    if not any(section in path for path in r.sections):
                        continue
                elif not any(tuple(path[: len(section)]) == tuple(section) for path in r.sections):
                    continue
            if year is not None and r.year != year:
                continue
            if venue is not None and (r.venue or "").lower() != venue.lower():
                continue
            if type is not None and r.entry_type != type:
                continue
            if kind is not None and r.kind != kind:
                continue
            out.append(r)
        return self.with_records(out)

    @property
    def sections(self) -> List[Section]:
        """The heading tree in list order: every heading path with the number of distinct
        records under it (in it or in its subsections).

        >>> import plm_bib
        >>> [(s.depth, s.title, s.count) for s in plm_bib.load().sections][:3]
        [(1, '基础类', 1), (1, 'Pre-trained Model-related Papers', 12), (2, '综述类', 2)]
        """
        under: Dict[Tuple[str, ...], Set[str]] = {}
        first: Dict[Tuple[str, ...], float] = {}
        for r in self:
            for path, line in _listings(r):
                for depth in range(1, len(path) + 1):
                    sub = tuple(path[:depth])
                    under.setdefault(sub, set()).add(r.key)
                    first[sub] = min(first.get(sub, line), line)
        order = {p: k for k, p in enumerate(under)}
        paths = sorted(under, key=lambda p: (first[p], len(p), order[p]))
        return [Section(p, len(under[p])) for p in paths]

    def by_section(self) -> List[Tuple[Tuple[str, ...], List[Record]]]:
        """Each heading path (in list order: the order of the headings in the list, whatever
        the order of the records) with its records; a record listed under two headings is in
        both; records without a heading come under ``("Other",)``."""
        groups: Dict[Tuple[str, ...], List[Record]] = {}
        first: Dict[Tuple[str, ...], float] = {}
        for r in self:
            for path, line in _listings(r) or [(("Other",), float("inf"))]:
                key = tuple(path)
                if not groups.get(key) or groups[key][-1] is not r:
                    groups.setdefault(key, []).append(r)
                first[key] = min(first.get(key, line), line)
        order = {p: k for k, p in enumerate(groups)}
        return [(p, groups[p]) for p in sorted(groups, key=lambda p: (first[p], order[p]))]

    def search(self, query: str) -> "Library":
        """Records whose title, authors, notes, venue, booktitle, journal or key contain every
        word of ``query`` (case-insensitive).

        >>> import plm_bib
        >>> plm_bib.load().search("bert spelling").keys()
        ['zhang2020spelling']
        >>> plm_bib.load().search("鲁棒性").keys()  # the list's note on RoBERTa
        ['liu2019roberta']
        """
        words = query.lower().split()
        out = []
        for r in self:
            hay = " ".join([r.key, r.title, r.venue or "", r.booktitle or "", r.journal or "",
                            r.site or "", " ".join(r.notes), " ".join(r.titles_as_listed),
                            " ".join(p.display() for p in r.authors)]).lower()
            if all(w in hay for w in words):
                out.append(r)
        return self.with_records(out)

    def to_dataframe(self) -> Any:
        """A pandas DataFrame, one row per record; list-valued columns hold lists.

        Needs pandas (``pip install 'plm_bib[notebook]'``).
        """
        from plm_bib import face

        return face.library_dataframe(self)

    def _repr_html_(self) -> str:
        from plm_bib import face

        return face.library_html(self)

    # -- formats -------------------------------------------------------------------
    def to_json(self, indent: int = 2) -> str:
        """The native, lossless JSON form."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent) + "\n"

    def to_dict(self) -> Dict[str, Any]:
        return {
            "title": self.title,
            "source": self.origin,
            "records": [r.to_dict() for r in self],
            "problems": [p.to_dict() for p in self.problems],
        }

    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> "Library":
        recs = [Record.from_dict(r) for r in d.get("records", [])]
        probs = [Problem(**p) for p in d.get("problems", [])]
        return cls(recs, probs, d.get("title"), d.get("source", ""))

    # -- presentation: thin methods, the work is in plm_bib.face (imported when asked for) ----
    def to_bibtex(self, **options: Any) -> str:
        from plm_bib import face

        return face.library_export(self, "bibtex", **options)

    def to_csl_json(self) -> str:
        from plm_bib import face

        return face.library_export(self, "csl-json")

    def format(self, style: str = "apa", backend: str = "text") -> str:
        """A formatted bibliography of every record (see :mod:`plm_bib.render.bibliography`).

        >>> import plm_bib
        >>> print(plm_bib.load().filter(venue="arXiv").format("ieee"))  # doctest: +ELLIPSIS
        [1] Y. Liu et al., “RoBERTa: A Robustly Optimized BERT Pretraining Approach,” Jul. 2019, ...
        [2] D. Zhang, Z. Yuan, Y. Liu, F. Zhuang, and H. Xiong, “E-BERT: ...
        """
        from plm_bib import face

        return face.library_format(self, style, backend)

    def to_pdf(self, path: str, style: str = "ieee", engine: str = "typst", title: Optional[str] = None,
               numbering: str = "section", charts: bool = False) -> str:
        """Render the reading-list PDF (see :mod:`plm_bib.render.pdf`); returns ``path``.
        ``charts``: add the papers-per-year and per-venue charts (needs the plots extra)."""
        from plm_bib import face

        return face.library_pdf(self, path, style, engine, title, numbering, charts)

    def plot(self, by: str = "year", **options: Any) -> "Chart":
        """A chart of the papers per ``"year"`` or per ``"venue"``, stacked by section (the
        first heading level); resources are not counted (see :mod:`plm_bib.render.charts`).
        Notebooks show it; ``.svg`` is its SVG text, ``.save(path)`` writes it.  Needs
        matplotlib (``pip install 'plm_bib[plots]'``).

        >>> import plm_bib
        >>> chart = plm_bib.load().plot("venue")
        >>> chart.counts.categories[:3], chart.svg.count('<g id="plm-bar-')
        (('ACL', 'arXiv', 'EMNLP'), 8)
        """
        from plm_bib import face

        return face.library_plot(self, by, **options)

    def check(self) -> List["Finding"]:
        """Disagreements between what the list claims and the verified records."""
        from plm_bib import face

        return face.library_check(self)
