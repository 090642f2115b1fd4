"""What a LaTeX document cites, read from what LaTeX wrote: a BibTeX ``.aux`` or a biber ``.bcf``.

:func:`read_aux` reads ``\\citation{a,b}`` (what ``\\cite`` and ``\\nocite`` write, also through
natbib), biblatex's ``\\abx@aux@cite{0}{a}``, the ``\\@input{chapter.aux}`` files of
``\\include`` (nested, each once) and ``\\bibdata{refs,more}``; :func:`read_bcf` reads biber's
control file (XML): the ``bcf:citekey`` elements of every section (an entry set's members
are cited with it; the set itself is defined in the document, not in a ``.bib``) and the
``bcf:datasource`` files.  ``\\citation{*}`` (``\\nocite{*}``) cites everything.

Both give a :class:`Cited`: each key with the file and line of its first citation, in the
order of the document.  A file that cannot be read, or a ``.bcf`` that is not well-formed
XML, is an :class:`~plm_bib.errors.InputError` naming the file and line.
"""
from __future__ import annotations

import glob
import os
import re
import xml.parsers.expat
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set, Tuple

from plm_bib.errors import InputError
from plm_bib.textio import PathLike, decode, read_bytes

__all__ = ["Cited", "Where", "read_aux", "read_bcf", "read_cited"]

BCF_NS = "https://sourceforge.net/projects/biblatex"
MAX_DEPTH = 64  # nested \@input files: deeper than any document, short of a runaway


@dataclass(frozen=True)
class Where:
    """A place in a file: what a report names (``file:line``)."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass
class Cited:
    """What a document cites: ``keys`` (each key with where it is first cited, in document
    order), ``everything`` (where ``\\nocite{*}`` is, if it is) and ``databases`` (the
    ``.bib`` files the document names, as written, with where they are named; a name is
    resolved with :meth:`database_paths`)."""

    source: str
    keys: Dict[str, Where] = field(default_factory=dict)
    everything: Optional[Where] = None
    databases: List[Tuple[str, Where]] = field(default_factory=list)

    def cite(self, key: str, where: Where) -> None:
        if key == "*":
            if self.everything is None:
                self.everything = where
        elif key:
            self.keys.setdefault(key, where)

    def database_paths(self) -> List[Tuple[str, Where]]:
        """Each named database as a path: ``.bib`` added when the name has no suffix (BibTeX's
        rule), relative names taken from the folder of the file that names them, else from the
        working folder when the file is there (how bibtex and biber run)."""
        out = []
        for name, where in self.databases:
            path = name if name.lower().endswith(".bib") else name + ".bib"
            if not os.path.isabs(path):
                beside = os.path.join(os.path.dirname(where.file), path)
                path = beside if os.path.exists(beside) or not os.path.exists(path) else path
            out.append((path, where))
        return out


def _text(path: PathLike) -> str:
    source = os.fspath(path)
    try:
        data = read_bytes(path)
    except OSError as e:
        raise InputError(source, f"cannot read: {e.strerror or e}") from None
    return decode(data, source)


def _argument(line: str, start: int) -> Optional[Tuple[str, int]]:
    """The braced argument of ``line`` at ``start`` (spaces before it skipped) and the offset
    after it; ``None`` when there is none or it is not closed on the line."""
    i = start
    while i < len(line) and line[i] == " ":
        i += 1
    if i >= len(line) or line[i] != "{":
        return None
    depth = 0
    j = i
    while j < len(line):
        ch = line[j]
        if ch == "\\":
            j += 1  # \{ and \} are not braces
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return line[i + 1:j], j + 1
        j += 1
    return None


_COMMAND = re.compile(r"\\(citation|abx@aux@cite|@input|bibdata|abx@aux@nociteall)(?![A-Za-z@])")


def _split(names: str) -> List[str]:
    return [n.strip() for n in names.split(",") if n.strip()]


def _read_aux(path: str, cited: Cited, seen: Set[str], depth: int, named_at: Optional[Where]) -> None:
    real = os.path.realpath(path)
    if real in seen:
        return  # an \@input loop, or a file input twice: read once
    seen.add(real)
    if depth > MAX_DEPTH:
        where = named_at or Where(path, 0)
        raise InputError(where.file, f"\\@input files nested deeper than {MAX_DEPTH}", where.line)
    try:
        text = _text(path)
    except InputError as e:
        if named_at is None:
            raise
        raise InputError(named_at.file, f"\\@input{{{os.path.basename(path)}}}: {e.message}",
                         named_at.line) from None
    for n, line in enumerate(text.splitlines(), 1):
        for m in _COMMAND.finditer(line):
            where = Where(path, n)
            command = m.group(1)
            if command == "abx@aux@nociteall":
                cited.cite("*", where)
                continue
            arg = _argument(line, m.end())
            if arg is None:
                continue  # not a complete command on this line: LaTeX never writes one
            if command == "abx@aux@cite":
                second = _argument(line, arg[1])  # biblatex 3: {refsection}{key}; older: {key}
                key = (second or arg)[0].strip()
                cited.cite(key, where)
            elif command == "citation":
                for key in _split(arg[0]):
                    cited.cite(key, where)
            elif command == "bibdata":
                cited.databases.extend((name, where) for name in _split(arg[0]))
            else:  # \@input{chapter.aux}: the name as LaTeX wrote it, from the main file's folder
                name = arg[0].strip()
                if name:
                    _read_aux(os.path.join(os.path.dirname(path), name), cited, seen, depth + 1, where)


def read_aux(path: PathLike) -> Cited:
    """The keys the ``.aux`` file ``path`` (and the files it inputs) cites."""
    source = os.fspath(path)
    cited = Cited(source)
    _read_aux(source, cited, set(), 0, None)
    return cited


def read_bcf(path: PathLike) -> Cited:
    """The keys biber's control file ``path`` cites, and its data sources."""
    source = os.fspath(path)
    text = _text(source)
    cited = Cited(source)
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    stack: List[Tuple[str, Dict[str, str], Where]] = []
    chunks: List[str] = []
    sets: Set[str] = set()

    def refuse(*_args: object) -> None:
        raise InputError(source, "a .bcf declares no entities (not biber's control file?)",
                         parser.CurrentLineNumber)

    def start(name: str, attrs: Dict[str, str]) -> None:
        stack.append((name, attrs, Where(source, parser.CurrentLineNumber)))
        chunks.clear()

    def end(name: str) -> None:
        _, attrs, where = stack.pop()
        value = "".join(chunks).strip()
        chunks.clear()
        if name == f"{BCF_NS} citekey":
            if attrs.get("type") == "set":  # \defbibentryset: the members are the .bib's entries
                sets.add(value)
                for key in _split(attrs.get("members", "")):
                    cited.cite(key, where)
            else:
                cited.cite(value, where)
        elif name == f"{BCF_NS} datasource" and attrs.get("type", "file") == "file" and value \
                and attrs.get("datatype", "bibtex") in ("bibtex", "biblatexml"):
            # \addbibresource[glob]{refs/*.bib}: each file the pattern matches, from the .bcf's folder
            matches = sorted(glob.glob(os.path.join(os.path.dirname(source), value))) \
                if attrs.get("glob") == "true" else []
            cited.databases.extend([(m, where) for m in matches] or [(value, where)])

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chunks.append
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(text, True)
    except xml.parsers.expat.ExpatError as e:
        raise InputError(source, f"not well-formed XML: {xml.parsers.expat.errors.messages[e.code]}",
                         e.lineno) from None
    for name in sets:  # defined in the document, cited as a key
        cited.keys.pop(name, None)
    return cited


def read_cited(path: PathLike) -> Cited:
    """:func:`read_bcf` for a ``.bcf`` file, else :func:`read_aux`."""
    return read_bcf(path) if os.fspath(path).lower().endswith(".bcf") else read_aux(path)
