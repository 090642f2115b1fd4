"""The cited part of a library: the entries a document cites (:class:`~plm_bib.citing.aux.Cited`)
and every entry they need.

An entry needs the entries its ``crossref``, ``xref``, ``xdata``, ``entryset`` and ``related``
fields name (and those need theirs): BibTeX and biber read a field a child inherits from the
parent's entry, so a parent must be in the file.  :func:`select` gives the chosen records in
the library's order, with each parent moved after the entries that name it (BibTeX reads a
``crossref`` only from a later entry), the cited keys the library lacks (with where they are
cited, and a key that differs only in case), and the entries nothing cites.
:func:`combine` makes one library of several ``.bib`` files (the first file's entry wins a key).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Sequence, Set

from plm_bib.citing.aux import Cited, Where
from plm_bib.library import Library
from plm_bib.model import Problem, Record

__all__ = ["PARENT_FIELDS", "Missing", "Selection", "combine", "parents_of", "select"]

PARENT_FIELDS = ("crossref", "xref", "xdata", "entryset", "related")


@dataclass(frozen=True)
class Missing:
    """A key something cites that the library lacks: where it is cited (a document's
    citation, or the entry whose ``field`` names it) and a key of the library that differs
    only in case (BibTeX reads that one with a warning; biber not at all)."""

    key: str
    where: Where
    field: str = ""
    like: str = ""

    def __str__(self) -> str:
        what = f"the {self.field} of an entry names" if self.field else "cites"
        hint = f" (the library has {self.like!r}: the case of a key must match)" if self.like else ""
        return f"{self.where}: {what} {self.key!r}, which is in no .bib given{hint}"


@dataclass
class Selection:
    records: List[Record]
    missing: List[Missing] = field(default_factory=list)
    uncited: List[str] = field(default_factory=list)
    parents: List[str] = field(default_factory=list)  # chosen because a chosen entry names them


def parents_of(r: Record) -> List[str]:
    """The keys ``r``'s parent fields name, in order."""
    out: List[str] = []
    for name in PARENT_FIELDS:
        value = r.extra.get(name)
        if isinstance(value, str):
            out.extend(k.strip() for k in value.split(",") if k.strip())
    return out


def _ordered(chosen: List[Record]) -> List[Record]:
    """``chosen`` in its order, each record moved after the chosen records that name it."""
    keys = {r.key for r in chosen}
    referrers: Dict[str, List[Record]] = {}
    for r in chosen:
        for p in dict.fromkeys(parents_of(r)):
            if p in keys and p != r.key:
                referrers.setdefault(p, []).append(r)
    out: List[Record] = []
    done: Set[str] = set()
    started: Set[str] = set()

    def place(r: Record) -> None:
        # iterative depth-first: the referrers of r first; a loop of parents is cut where it closes
        stack = [(r, iter(referrers.get(r.key, ())))]
        started.add(r.key)
        while stack:
            top, todo = stack[-1]
            nxt = next((c for c in todo if c.key not in started), None)
            if nxt is not None:
                started.add(nxt.key)
                stack.append((nxt, iter(referrers.get(nxt.key, ()))))
                continue
            stack.pop()
            if top.key not in done:
                done.add(top.key)
                out.append(top)

    for r in chosen:
        if r.key not in started:
            place(r)
    return out


def select(lib: Library, cited: Cited) -> Selection:
    """What of ``lib`` ``cited`` needs (see the module's docstring)."""
    by_lower: Dict[str, str] = {}
    for r in lib:
        by_lower.setdefault(r.key.lower(), r.key)
    missing: List[Missing] = []
    wanted: Set[str] = set()
    parents: List[str] = []
    todo: List[str] = []
    if cited.everything is not None:
        todo = [r.key for r in lib]
    for key, where in cited.keys.items():
        if key in lib:
            todo.append(key)
        else:
            like = by_lower.get(key.lower(), "")
            missing.append(Missing(key, where, like=like))
    directly = set(todo)
    while todo:
        key = todo.pop()
        if key in wanted:
            continue
        wanted.add(key)
        r = lib[key]
        for name in PARENT_FIELDS:
            value = r.extra.get(name)
            if not isinstance(value, str):
                continue
            for p in (k.strip() for k in value.split(",")):
                if not p or p in wanted:
                    continue
                if p in lib:
                    if p not in directly and p not in parents:
                        parents.append(p)
                    todo.append(p)
                elif not any(m.key == p and m.field for m in missing):
                    missing.append(Missing(p, Where(r.origin or lib.origin or "<library>", r.line), name,
                                           by_lower.get(p.lower(), "")))
    chosen = [r for r in lib if r.key in wanted]
    return Selection(_ordered(chosen), missing, [r.key for r in lib if r.key not in wanted], parents)


def combine(libraries: Sequence[Library]) -> Library:
    """One library of ``libraries`` (the ``.bib`` files given, in order): an entry whose key an
    earlier file has is left out, with a warning naming both places; every file's problems kept."""
    records: List[Record] = []
    first: Dict[str, Record] = {}
    problems: List[Problem] = []
    for lib in libraries:
        problems.extend(lib.problems)
        for r in lib:
            seen = first.get(r.key)
            if seen is None:
                first[r.key] = r
                records.append(r)
                continue
            problems.append(Problem(r.origin or lib.origin or "<library>", r.line,
                                    f"citation key {r.key!r} is also the key of {seen.origin}:{seen.line}: "
                                    f"the first is used", r.key, level="warning", key=r.key))
    if len(libraries) == 1:
        return libraries[0]
    return Library(records, problems, origin=", ".join(lib.origin or "" for lib in libraries))
