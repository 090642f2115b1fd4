"""A persistent index for ``plm-bib cite KEY --bib FILE``: a large file is loaded once.

The index is a SQLite file in the cache folder, named by the file's path and the SHA-256
of its bytes: a changed file has another name, so an index can never be stale (the old
one of the same path is removed when the new one is written).  For a file the fast scanner reads
(:mod:`plm_bib.bibtex.scan`), the index keeps each entry's own text and line; a cited entry
is read again from that text after the file's ``@string`` and ``@preamble`` blocks (kept in
the index too: a macro resolves on every call), which gives the same record as loading the whole
file (``tests/citing/test_citeindex.py`` checks it).  Any other file keeps its records as
native JSON.  Curated metadata is applied per record, as :func:`plm_bib.load` does.

The cache folder is ``$PLM_BIB_CACHE_DIR``, else ``$XDG_CACHE_HOME/plm_bib``, else
``~/.cache/plm_bib``.  An index that cannot be read or written is ignored: the file is
loaded as usual.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from plm_bib.keys import keyed
from plm_bib.library import Library
from plm_bib.model import Problem, Record
from plm_bib.textio import PathLike, cache_dir, decode, read_bytes

__all__ = ["load_keys"]

SCHEMA = 2  # 2: the file's @string and @preamble blocks kept with the entries


def _index_path(path: PathLike, digest: str, encoding: Optional[str] = None) -> Path:
    where = os.path.abspath(path) + ("" if encoding is None else f"\0{encoding}")  # another reading
    where = hashlib.sha256(where.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return cache_dir() / f"cite-v{SCHEMA}-{where}-{digest}.sqlite"


def _library(records: List[Record], source: str, curated: bool, problems: Sequence[Problem] = ()) -> Library:
    """What :func:`plm_bib.load` makes of records read from ``source``."""
    records, key_problems = keyed(records)
    lib = Library(records, list(problems) + key_problems, origin=source)
    if curated:
        from plm_bib.curation.overlay import apply_curated

        lib = apply_curated(lib)
    return lib


def _lookup(index: Path, keys: List[str], source: str, curated: bool
            ) -> Optional[Tuple[List[Record], List[str]]]:
    from plm_bib.bibtex import parse_bibtex

    try:
        con = sqlite3.connect(f"file:{index}?mode=ro", uri=True)
        try:
            rows = [(k, con.execute("SELECT line, kind, body FROM entries WHERE key = ?", (k,)).fetchone())
                    for k in keys]
            prelude = con.execute("SELECT text FROM prelude").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None  # unreadable or of an older shape: rebuilt by the caller
    if prelude is None:
        return None
    missing = [k for k, row in rows if row is None]
    found = [(k, row) for k, row in rows if row is not None]
    if any(kind == "json" for _, (_, kind, _) in found):
        return [Record.from_dict(json.loads(body)).replace(origin=source) for _, (_, _, body) in found], missing
    records = []
    for k, (line, _, body) in found:
        recs = parse_bibtex(prelude[0] + "\n" + body if prelude[0] else body, source)[0]
        if len(recs) != 1 or recs[0].key != k:
            return None  # not what was indexed: rebuilt by the caller
        records.append(recs[0].replace(lines=(line,)))
    return list(_library(records, source, curated)), missing


def _write_index(index: Path, rows: List[Tuple[str, int, str, str]], prelude: str = "") -> None:
    folder = index.parent
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{index.name}.{os.getpid()}.tmp"
    try:
        con = sqlite3.connect(tmp)
        try:
            con.execute("PRAGMA journal_mode = OFF")
            con.execute("PRAGMA synchronous = OFF")
            con.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, line INTEGER, kind TEXT, body TEXT)")
            con.executemany("INSERT INTO entries VALUES (?, ?, ?, ?)", rows)
            con.execute("CREATE TABLE prelude (text TEXT)")
            con.execute("INSERT INTO prelude VALUES (?)", (prelude,))
            con.commit()
        finally:
            con.close()
        os.replace(tmp, index)  # readers see a whole index or none
    finally:
        tmp.unlink(missing_ok=True)
    prefix = index.name.rsplit("-", 1)[0] + "-"
    for old in folder.glob(prefix + "*.sqlite"):
        if old != index:  # the same file with other content: stale
            old.unlink(missing_ok=True)


def load_keys(path: PathLike, keys: Sequence[str], curated: bool = False, cache: bool = True,
              encoding: Optional[str] = None) -> Tuple[Library, List[str]]:
    """The records of ``keys`` in the ``.bib`` file ``path`` (as :func:`plm_bib.load` gives
    them) and the keys it lacks; with ``cache``, through the persistent index (one per
    ``encoding`` the file is read with)."""
    from plm_bib.bibtex import parse_bibtex

    source = str(path)
    wanted = list(dict.fromkeys(keys))
    data = read_bytes(path)
    index = _index_path(path, hashlib.sha256(data).hexdigest(), encoding)
    if cache and index.exists():
        hit = _lookup(index, wanted, source, curated)
        if hit is not None:
            return Library(hit[0], origin=source), hit[1]
    text = decode(data, source, encoding)
    spans: List[Tuple[str, int, int]] = []
    records, problems, blocks = parse_bibtex(text, source, spans=spans)
    lib = _library(records, source, curated, problems)
    if cache:
        rows: List[Tuple[str, int, str, str]]
        if spans and len(spans) == len(lib) and all(k in lib for k, _, _ in spans):
            rows = [(k, lib[k].line, "bib", text[a:b]) for k, a, b in spans]
        else:
            rows = [(r.key, r.line, "json", json.dumps(r.to_dict(), ensure_ascii=False)) for r in lib]
        try:
            _write_index(index, rows, "\n".join(blocks))
        except (OSError, sqlite3.Error):
            pass  # no cache folder: the next call loads the file again
    missing = [k for k in wanted if k not in lib]
    return lib.with_records([lib[k] for k in wanted if k in lib], problems=[]), missing
