"""Duplicates in one input (a .bib): the same work under two or more keys, found and merged.

**Found** (:func:`find_duplicates`) by the one same-work rule
(:func:`~plm_bib.identity.rule.same_work`) between the entries that share one of
:func:`~plm_bib.identity.rule.work_keys` (an id, the normalised title): an id in common
(DOI, arXiv, ACL Anthology, OpenReview, PMLR, DBLP) decides; else the normalised titles must
be equal, the authors agree (by the rule: two family names, or one when either entry lists
one), and, in a .bib, the years too (both given and equal: a paper and its extension of
another year under one title stay two entries).

**Merged** (:func:`merge_duplicates`): each group keeps one entry, the most complete: the one
that writes the most BibTeX fields; on a tie, one with a published venue (a booktitle or a
journal that is not a preprint server) over a preprint; then the first in the file.  The kept
entry is left as it was read, plus biblatex's ``ids`` field with the other entries' keys
(and any ``ids`` it had), so a document that cites either key still compiles with biber;
the alias map (old key -> kept key) is for BibTeX users, whose documents must cite the kept
key.  Nothing is taken over from the dropped entries.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

from plm_bib.bibtex.write import record_fields
from plm_bib.identity import is_preprint, normalize_title, same_work, work_keys
from plm_bib.keys import is_safe_key
from plm_bib.model import Record

__all__ = ["Duplicate", "find_duplicates", "merge_duplicates", "own_key", "kept_index"]


@dataclass(frozen=True)
class Duplicate:
    """One work under several entries: ``indexes`` into the records (file order), and for each
    entry after the first why it is the same work as an earlier one (``reasons[k]`` is about
    ``indexes[k + 1]`` and the entry ``partners[k]``)."""

    indexes: Tuple[int, ...]
    partners: Tuple[int, ...]
    reasons: Tuple[str, ...]


def own_key(r: Record) -> str:
    """The key the entry has in its file (also when the reader had to give it another)."""
    return r.extra.get("original_key") or r.key


def _same(r: Record, c: Record) -> Tuple[bool, str]:
    ok, why = same_work(r, c)
    if not ok or why.startswith("same ") and why.endswith(" id"):
        return ok, why
    if r.year is None or r.year != c.year:
        return False, "same title and authors, another year"
    return True, "same title, authors and year"


def find_duplicates(records: Sequence[Record]) -> List[Duplicate]:
    """The groups of ``records`` that are one work (see the module doc), in file order."""
    parent = list(range(len(records)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    index: Dict[str, List[int]] = {}
    links: Dict[int, Tuple[int, str]] = {}
    for i, r in enumerate(records):
        keys = [k for k in work_keys(r) if not k.startswith("title:") or normalize_title(r.title)]
        earlier = sorted({j for k in keys for j in index.get(k, ())})
        for j in earlier:
            ok, why = _same(r, records[j])
            if ok:
                a, b = root(i), root(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
                    links.setdefault(i, (j, why))
        for k in keys:
            index.setdefault(k, []).append(i)
    groups: Dict[int, List[int]] = {}
    for i in range(len(records)):
        groups.setdefault(root(i), []).append(i)
    out = []
    for members in groups.values():
        if len(members) < 2:
            continue
        later = members[1:]
        # an entry joined to its group through a later one has no link of its own: it is
        # the same work as the entry that joined it
        partners = tuple(links[i][0] if i in links else members[0] for i in later)
        reasons = tuple(links[i][1] if i in links else "same work as another entry of the group" for i in later)
        out.append(Duplicate(tuple(members), partners, reasons))
    return out


def _published(r: Record) -> bool:
    venues = [v for v in (r.booktitle, r.journal, r.venue) if v]
    return bool(venues) and not any(is_preprint(v) or "arxiv" in v.lower() for v in venues)


def kept_index(records: Sequence[Record], group: Duplicate) -> int:
    """The entry of ``group`` that a merge keeps (the rule of the module doc)."""
    return min(group.indexes, key=lambda i: (-len(record_fields(records[i])[1]), not _published(records[i]), i))


def _with_ids(r: Record, aliases: List[str]) -> Record:
    had = [k.strip() for k in r.extra.get("ids", "").split(",") if k.strip()]
    ids = list(dict.fromkeys(had + aliases))
    value = ", ".join(ids)
    # the keys go into the field as they are (escaped as text a key with _ would change):
    # written as the field's source, which the writer takes since it reads back as the value
    return r.replace(extra={**r.extra, "ids": value}, latex={**r.latex, "ids": value})


def merge_duplicates(records: Sequence[Record], groups: Sequence[Duplicate]
                     ) -> Tuple[List[Record], List[Tuple[str, str]]]:
    """``records`` with each group merged into the entry it keeps (the others dropped, their
    keys in the kept entry's ``ids``), and the alias map: (old key, kept key) for each key
    that no longer names an entry, in file order.  A key that is not safe in LaTeX cannot be
    cited, and one that another entry has names that entry: neither is put in ``ids``."""
    drop: Dict[int, int] = {}
    for g in groups:
        keep = kept_index(records, g)
        for i in g.indexes:
            if i != keep:
                drop[i] = keep
    remaining = {r.key for i, r in enumerate(records) if i not in drop}
    aliases: Dict[int, List[str]] = {}
    pairs: List[Tuple[str, str]] = []
    for i in sorted(drop):
        keep = drop[i]
        kept = records[keep]
        for old in dict.fromkeys((own_key(records[i]), records[i].key)):
            if old not in remaining and is_safe_key(old) and old not in aliases.get(keep, []):
                aliases.setdefault(keep, []).append(old)
                pairs.append((old, kept.key))
    out = [(_with_ids(r, aliases[i]) if aliases.get(i) else r) for i, r in enumerate(records) if i not in drop]
    return out, pairs
