"""Entry points that turn text or files into a Library."""
from __future__ import annotations

import os
from importlib import resources
from typing import Any, Dict, List, Optional, Tuple, Union

from plm_bib.bibtex import parse_bibtex
from plm_bib.keys import keyed
from plm_bib.library import Library
from plm_bib.model import Problem, Record
from plm_bib.readinglist import items_to_records, scan_markdown
from plm_bib.textio import InputError, read_text

__all__ = ["parse_markdown", "read_markdown", "parse_bibtex_text", "read_bibtex", "parse_csl_json",
           "read_csl_json", "read", "load", "builtin_list_text", "builtin_list_bytes", "BUILTIN_SOURCE"]

BUILTIN_SOURCE = "reading-list.md"


def parse_markdown(text: str, source: str = "<string>") -> Library:
    """A Library from reading-list text (no curated metadata applied)."""
    scan = scan_markdown(text, source)
    records, merged = items_to_records(scan.items, source)
    problems = sorted(scan.problems + merged, key=lambda p: p.line)
    records, key_problems = keyed(records)
    return Library(records, problems + key_problems, title=scan.title, origin=source)


def read_markdown(path: Union[str, "os.PathLike[str]"], encoding: Optional[str] = None) -> Library:
    return parse_markdown(read_text(path, encoding), str(path))


def parse_bibtex_text(text: str, source: str = "<string>") -> Library:
    return _bibtex_library(parse_bibtex(text, source), source)


def _bibtex_library(parsed: Tuple[List[Record], List[Problem], List[str]], source: str) -> Library:
    records, problems, _ = parsed
    records, key_problems = keyed(records)
    return Library(records, problems + key_problems, origin=source)


def read_bibtex(path: Union[str, "os.PathLike[str]"], encoding: Optional[str] = None) -> Library:
    # the text goes straight to the reader, no name here holds it: a copy the reader makes
    # (the double backslashes masked) replaces it in memory instead of doubling it
    return _bibtex_library(parse_bibtex(read_text(path, encoding), str(path)), str(path))


def _item_lines(text: str, member: str = "") -> List[int]:
    """The line on which each value of a JSON array starts: the top-level array, or with
    ``member``, the array that is the value of that member of the top-level object."""
    lines: List[int] = []
    depth, line, in_str, esc, expect = 0, 1, False, False, False
    level = 2 if member else 1  # the depth inside the array whose values are counted
    word: List[str] = []  # a string at depth 1 (the last one is the member's name)
    name, active = "", not member
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
                if depth == 1:
                    name = "".join(word)
                continue
            if depth == 1 and member:
                word.append(ch)
            continue
        if ch.isspace():
            continue
        if expect and ch != "]":
            lines.append(line)
        expect = False
        if ch == '"':
            in_str = True
            word = []
        elif ch in "[{":
            depth += 1
            if member and depth == 2:
                active = ch == "[" and name == member
            expect = active and depth == level
        elif ch in "]}":
            depth -= 1
            if member and depth == 1:
                active = False
        elif ch == "," and depth == level and active:
            expect = True
    return lines


def _json(text: str, source: str) -> Any:
    """The JSON value of ``text``; an InputError (with line and column) when it is not JSON."""
    import json

    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(source, f"not valid JSON: {e.msg} (column {e.colno})", e.lineno) from None
    except RecursionError:
        raise InputError(source, "not readable JSON: arrays or objects nested too deeply") from None
    except ValueError:  # an integer of more digits than Python converts
        raise InputError(source, "not readable JSON: a number too long to convert") from None


def _json_kind(v: Any) -> str:
    from plm_bib.csl import json_kind

    return json_kind(v)


def parse_csl_json(text: str, source: str = "<string>") -> Library:
    """A Library from CSL-JSON (an array of items, as Zotero and pandoc write it).

    An item that is not an object is reported with its line and kept out; an item without
    a title is reported and loads; a value of the wrong type is reported and kept aside (see
    :func:`plm_bib.csl.read_csl_item`); an id met before is reported and the item gets a
    new key.  The others load.
    """
    return _csl_library(_json(text, source), text, source)


def _csl_library(data: Any, text: str, source: str, lines: Optional[List[int]] = None) -> Library:
    """The Library of CSL items ``data``; each item's line from ``lines``, else from the JSON
    ``text`` (CSL-YAML gives its items' lines: :mod:`plm_bib.formats.csl_yaml`)."""
    from plm_bib.csl import read_csl_item

    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise InputError(source, f"CSL-JSON must be an array of items (objects), not {_json_kind(data)}", 1)
    if lines is None:
        lines = _item_lines(text) if text.lstrip().startswith("[") else [1]
    records, problems = [], []
    first_line: Dict[str, int] = {}
    for i, item in enumerate(data):
        line = lines[i] if i < len(lines) else 0
        if not isinstance(item, dict):
            problems.append(Problem(source, line, f"CSL-JSON item {i + 1} is {_json_kind(item)}, not an object "
                                    "(kept out)", _dumps(item), level="error"))
            continue
        if not item.get("title"):
            problems.append(Problem(source, line, f"CSL-JSON item {i + 1} has no title", _dumps(item)))
        rec, item_problems = read_csl_item(item, source, line, i)
        problems.extend(item_problems)
        if rec.key in first_line:
            problems.append(Problem(
                source, line, f"CSL-JSON item {i + 1}: duplicate id {rec.key!r} (first on line "
                f"{first_line[rec.key]}): the item is kept under a new key", _dumps(item), level="warning"))
            rec = rec.replace(key="", extra={**rec.extra, "original_key": rec.key})
        elif rec.key:
            first_line[rec.key] = line
        records.append(rec)
    records, key_problems = keyed(records)
    return Library(records, problems + key_problems, origin=source)


def _dumps(value: Any) -> str:
    """A value as JSON text for a Problem's raw text (cut at 2,000 characters)."""
    import json

    try:
        return json.dumps(value, ensure_ascii=False)[:2000]
    except (ValueError, RecursionError):
        return repr(value)[:2000]


def read_csl_json(path: Union[str, "os.PathLike[str]"], encoding: Optional[str] = None) -> Library:
    return parse_csl_json(read_text(path, encoding), str(path))


def read(path: Union[str, "os.PathLike[str]"], encoding: Optional[str] = None) -> Library:
    """A Library from a ``.md`` list, a ``.bib`` file, CSL-JSON or native ``.json``, RIS
    (``.ris``) or CSL-YAML (``.yaml``, ``.yml``: pandoc's ``references`` list).

    A ``.json`` file holding an array (or ``.csl.json``) is CSL-JSON; an object with
    ``records`` is the native format; an object with ``type`` and ``title``, one CSL-JSON
    item.  Any other JSON is an InputError.  The encoding is detected
    (:mod:`plm_bib.textio`) unless ``encoding`` names it.
    """
    p = str(path)
    low = p.lower()
    if low.endswith((".bib", ".bibtex")):
        return read_bibtex(p, encoding)
    if low.endswith(".ris"):
        from plm_bib.formats.ris import parse_ris

        return parse_ris(read_text(p, encoding), p)
    if low.endswith((".yaml", ".yml")):
        from plm_bib.formats.csl_yaml import parse_csl_yaml

        return parse_csl_yaml(read_text(p, encoding), p)
    if low.endswith(".json"):
        text = read_text(p, encoding)
        data = _json(text, p)
        if low.endswith(".csl.json") or isinstance(data, list):
            return _csl_library(data, text, p)
        if isinstance(data, dict) and "records" in data:
            from plm_bib.formats.native import parse_native

            return parse_native(data, p, _item_lines(text, "records"), _item_lines(text, "problems"))
        if isinstance(data, dict) and ("type" in data or "title" in data):
            return _csl_library(data, text, p)
        found = "an object without 'records', 'type' or 'title'" if isinstance(data, dict) else _json_kind(data)
        raise InputError(p, f"neither CSL-JSON (an array of items) nor native JSON (an object with "
                            f"'records'): the file holds {found}", 1)
    return read_markdown(p, encoding)


def builtin_list_bytes() -> bytes:
    """The built-in reading list's file as it is (``plm-bib fix`` gives its bytes back)."""
    return resources.files("plm_bib").joinpath("data/reading-list.md").read_bytes()


def builtin_list_text() -> str:
    return resources.files("plm_bib").joinpath("data/reading-list.md").read_text(encoding="utf-8")


def load(path: Union[str, "os.PathLike[str]", None] = None, curated: Optional[bool] = None,
         encoding: Optional[str] = None) -> Library:
    """The built-in reading list, with the curated metadata applied; or ``path`` as written
    (:func:`read`), the curated metadata laid over it only when ``curated=True`` (what
    ``--curated`` does on the command line; :func:`plm_bib.curation.report.curated_with_findings`
    also says what it changed).  ``curated=False`` reads the built-in list as written.

    >>> import plm_bib
    >>> len(plm_bib.load().papers)
    13
    """
    lib = parse_markdown(builtin_list_text(), BUILTIN_SOURCE) if path is None else read(path, encoding)
    if curated is None:
        curated = path is None
    if curated:
        from plm_bib.curation.overlay import apply_curated

        lib = apply_curated(lib)
    return lib


