"""Entry points that turn text or files into a Library."""
from __future__ import annotations

import os
from importlib import resources
from typing import Union

from .bibtex import parse_bibtex
from .library import Library
from .markdown import items_to_records, scan_markdown
from .textio import read_text

__all__ = ["parse_markdown", "read_markdown", "parse_bibtex_text", "read_bibtex", "read", "load",
           "builtin_list_text", "BUILTIN_SOURCE"]

BUILTIN_SOURCE = "reading-list.md"


def parse_markdown(text: str, source: str = "<string>") -> Library:
    """A Library from reading-list text (no curated metadata applied)."""
    scan = scan_markdown(text, source)
    records, merged = items_to_records(scan.items, source)
    problems = sorted(scan.problems + merged, key=lambda p: p.line)
    return Library(records, problems, title=scan.title, source=source)


def read_markdown(path: Union[str, "os.PathLike[str]"]) -> Library:
    return parse_markdown(read_text(path), str(path))


def parse_bibtex_text(text: str, source: str = "<string>") -> Library:
    records, problems, _ = parse_bibtex(text, source)
    return Library(records, problems, source=source)


def read_bibtex(path: Union[str, "os.PathLike[str]"]) -> Library:
    return parse_bibtex_text(read_text(path), str(path))


def read(path: Union[str, "os.PathLike[str]"]) -> Library:
    """A Library from a ``.md`` list, a ``.bib`` file or native ``.json``, by suffix."""
    p = str(path)
    low = p.lower()
    if low.endswith((".bib", ".bibtex")):
        return read_bibtex(p)
    if low.endswith(".json"):
        import json

        return Library.from_dict(json.loads(read_text(p)))
    return read_markdown(p)


def builtin_list_text() -> str:
    return resources.files("plm_bib").joinpath("data/reading-list.md").read_text(encoding="utf-8")


def load(path: Union[str, "os.PathLike[str]", None] = None, curated: bool = True) -> Library:
    """The built-in reading list (or ``path``), with the curated metadata applied.

    >>> import plm_bib
    >>> len(plm_bib.load().papers)
    13
    """
    lib = parse_markdown(builtin_list_text(), BUILTIN_SOURCE) if path is None else read(path)
    if curated:
        from .curated import apply_curated

        lib = apply_curated(lib)
    return lib


