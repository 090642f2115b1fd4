"""Entry points that turn text or files into a Library."""
from __future__ import annotations

import os
from importlib import resources
from typing import List, Optional, Union

from .bibtex import parse_bibtex
from .csl import csl_to_record
from .library import Library
from .markdown import items_to_records, scan_markdown
from .model import Problem
from .textio import InputError, read_text

__all__ = ["parse_markdown", "read_markdown", "parse_bibtex_text", "read_bibtex", "parse_csl_json",
           "read_csl_json", "read", "load", "builtin_list_text", "BUILTIN_SOURCE"]

BUILTIN_SOURCE = "reading-list.md"


def parse_markdown(text: str, source: str = "<string>") -> Library:
    """A Library from reading-list text (no curated metadata applied)."""
    scan = scan_markdown(text, source)
    records, merged = items_to_records(scan.items, source)
    problems = sorted(scan.problems + merged, key=lambda p: p.line)
    return Library(records, problems, title=scan.title, source=source)


def read_markdown(path: Union[str, "os.PathLike[str]"], encoding: Optional[str] = None) -> Library:
    return parse_markdown(read_text(path, encoding), str(path))


def parse_bibtex_text(text: str, source: str = "<string>") -> Library:
    records, problems, _ = parse_bibtex(text, source)
    return Library(records, problems, source=source)


def read_bibtex(path: Union[str, "os.PathLike[str]"], encoding: Optional[str] = None) -> Library:
    return parse_bibtex_text(read_text(path, encoding), str(path))


def _item_lines(text: str) -> List[int]:
    """The line on which each top-level value of a JSON array starts."""
    lines: List[int] = []
    depth, line, in_str, esc, expect = 0, 1, False, False, False
    for ch in text:
        if ch == "\n":
            line += 1
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
            continue
        if ch.isspace():
            continue
        if expect and ch != "]":
            lines.append(line)
        expect = False
        if ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            expect = depth == 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 1:
            expect = True
    return lines


def parse_csl_json(text: str, source: str = "<string>") -> Library:
    """A Library from CSL-JSON (an array of items, as Zotero and pandoc write it).

    An item that is not an object, or has no title, is reported with its line and kept
    out; the others load.
    """
    import json

    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(source, f"not valid JSON: {e.msg}", e.lineno) from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise InputError(source, "CSL-JSON must be an array of items", 1)
    lines = _item_lines(text) if text.lstrip().startswith("[") else [1]
    records, problems = [], []
    for i, item in enumerate(data):
        line = lines[i] if i < len(lines) else 0
        if not isinstance(item, dict) or not item.get("title"):
            problems.append(Problem(source, line, f"CSL-JSON item {i + 1} has no title (kept out)",
                                    json.dumps(item, ensure_ascii=False)[:2000], level="error"))
            continue
        records.append(csl_to_record(item, source, line))
    return Library(records, problems, source=source)


def read_csl_json(path: Union[str, "os.PathLike[str]"], encoding: Optional[str] = None) -> Library:
    return parse_csl_json(read_text(path, encoding), str(path))


def read(path: Union[str, "os.PathLike[str]"], encoding: Optional[str] = None) -> Library:
    """A Library from a ``.md`` list, a ``.bib`` file, CSL-JSON or native ``.json``.

    A ``.json`` file holding an array (or ``.csl.json``) is CSL-JSON; an object with
    ``records`` is the native format.  The encoding is detected (:mod:`plm_bib.textio`)
    unless ``encoding`` names it.
    """
    p = str(path)
    low = p.lower()
    if low.endswith((".bib", ".bibtex")):
        return read_bibtex(p, encoding)
    if low.endswith(".json"):
        import json

        text = read_text(p, encoding)
        if low.endswith(".csl.json") or text.lstrip().startswith("["):
            return parse_csl_json(text, p)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise InputError(p, f"not valid JSON: {e.msg}", e.lineno) from None
        if isinstance(data, dict) and "records" not in data and "type" in data:
            return parse_csl_json(text, p)
        return Library.from_dict(data)
    return read_markdown(p, encoding)


def builtin_list_text() -> str:
    return resources.files("plm_bib").joinpath("data/reading-list.md").read_text(encoding="utf-8")


def load(path: Union[str, "os.PathLike[str]", None] = None, curated: bool = True,
         encoding: Optional[str] = None) -> Library:
    """The built-in reading list (or ``path``), with the curated metadata applied.

    >>> import plm_bib
    >>> len(plm_bib.load().papers)
    13
    """
    lib = parse_markdown(builtin_list_text(), BUILTIN_SOURCE) if path is None else read(path, encoding)
    if curated:
        from .curated import apply_curated

        lib = apply_curated(lib)
    return lib


