"""The shared corpora's ``.bib`` files as test inputs (used by the fast-path proofs of
tests/bibtex/ and of the formatting tests)."""
from __future__ import annotations

from pathlib import Path
from typing import Dict, Iterator, List, Sequence, Tuple

from plm_bib.bibtex import parse_bibtex
from plm_bib.model import Record
from plm_bib.textio import InputError, read_text


def bib_files(shared: Path) -> Iterator[Tuple[Path, str]]:
    """Every UTF-8 ``.bib`` file under ``shared`` with its text, in path order."""
    for path in sorted(shared.rglob("*.bib")):
        try:
            yield path, read_text(path)
        except InputError:
            continue  # not UTF-8: reported by the loader, tested elsewhere


def corpus_records(corpus: Sequence[Tuple[Path, str]], limit: int = 30_000) -> List[Record]:
    """Records of the smaller files and of a third of the ACL Anthology export, at most ``limit``.

    A file's records depend on its text and name alone, so parsing stops at the file that
    reaches ``limit`` (the rest would be cut off), and a file's records are parsed once per
    process (records are immutable): several tests take their samples from these."""
    out: List[Record] = []
    for path, text in corpus:
        if "large" in path.parts:
            continue
        if len(out) >= limit:
            break
        out.extend(_records(text, str(path)))
    if len(out) < limit:
        acl = next(text for path, text in corpus if path.name == "acl_anthology.bib")
        out.extend(_records(acl[: acl.index("@", len(acl) // 3)], "acl"))  # a third of it
    return out[:limit]


_PARSED: Dict[Tuple[str, str], Tuple[Record, ...]] = {}


def _records(text: str, source: str) -> Tuple[Record, ...]:
    if (source, text) not in _PARSED:
        _PARSED[source, text] = tuple(parse_bibtex(text, source)[0])
    return _PARSED[source, text]


def unique_keys(records: Sequence[Record]) -> List[Record]:
    """The first record of each key."""
    seen = set()
    out = []
    for r in records:
        if r.key not in seen:
            seen.add(r.key)
            out.append(r)
    return out
