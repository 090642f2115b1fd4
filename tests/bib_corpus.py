"""The shared corpora's ``.bib`` files as test inputs (used by the fast-path proofs of
tests/bibtex/ and of the formatting tests)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator, List, Sequence, Tuple

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
    """Records of the smaller files and of a third of the ACL Anthology export, at most ``limit``."""
    out: List[Record] = []
    for path, text in corpus:
        if "large" in path.parts:
            continue
        out.extend(parse_bibtex(text, str(path))[0])
    acl = next(text for path, text in corpus if path.name == "acl_anthology.bib")
    out.extend(parse_bibtex(acl[: acl.index("@", len(acl) // 3)], "acl")[0])  # a third of it
    return out[:limit] if len(out) > limit else out


def unique_keys(records: Sequence[Record]) -> List[Record]:
    """The first record of each key."""
    seen = set()
    out = []
    for r in records:
        if r.key not in seen:
            seen.add(r.key)
            out.append(r)
    return out
