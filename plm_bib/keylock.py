"""The key lock (``plm-bib.keys.json``): a key once given to a work is never given to
another, and the work keeps it when its metadata is enriched or its list is reordered.

The lock is a JSON file::

    {"version": 1,
     "keys": [{"key": "devlin2019bert", "works": ["arxiv:1810.04805", "title:bertpretraining..."]}, ...],
     "renamed": {"old key": "new key", ...}}

Each entry holds a key and what the work it was given to is known under: its ids and
normalised titles (:func:`~plm_bib.identity.rule.work_keys`, and the titles it was listed
under; a resource: :func:`~plm_bib.identity.rule.identity_keys`, its link and title).  A
record is the entry's work when one of its :func:`~plm_bib.identity.rule.lookup_keys` (ids
first, then titles) is among the entry's (the same-work rule for a known work); the entry
learns the record's new ids and titles, so a record enriched step by step stays found.  A
record read from a file is also known by its own key there (``key:...``).  An entry goes to
one record and a record takes one entry: the pair with the most evidence first (an id counts
more than the own key, which counts more than a title), then the records in the order of
their titles and URLs (never list order).  A record with an id (not a DOI, which enrichment
replaces) under a scheme the entry has another id of is another work.

A record no entry knows gets a key by the scheme (:func:`~plm_bib.keys.scheme_keys`),
never one the lock holds (an entry whose work is not in this input keeps its key).  A key
must change when the lock's key is not safe, or when a record's own key (read from a .bib
or CSL-JSON) is not the one it is written with; each change is a ``(old, new)`` pair, and
the lock keeps every change in ``renamed``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Set, Tuple

from plm_bib.errors import InputError
from plm_bib.identity import id_keys, identity_keys, lookup_keys, read_from_file, work_keys
from plm_bib.keys import is_safe_key
from plm_bib.keyschemes import scheme_keys
from plm_bib.model import RESOURCE, Record

__all__ = ["LOCK_NAME", "KeyLock", "read_lock", "parse_lock", "lock_text", "locked_keys", "own_key"]

LOCK_NAME = "plm-bib.keys.json"
VERSION = 1


@dataclass
class KeyLock:
    """The lock's entries (key -> what its work is known under) and the renames so far."""

    works: Dict[str, List[str]] = field(default_factory=dict)
    renamed: Dict[str, str] = field(default_factory=dict)


def _known_as(r: Record, own: str) -> List[str]:
    """What an entry records of ``r``'s work (``own``: the user's key for it, if any)."""
    if r.kind == RESOURCE:
        keys = identity_keys(r)
    else:
        keys = work_keys(r) + [k for k in lookup_keys(r) if k.startswith("title:")]
    return keys + ([f"key:{own}"] if own else [])


def _lookup(r: Record, own: str) -> List[str]:
    keys = identity_keys(r) if r.kind == RESOURCE else list(lookup_keys(r))
    return keys + ([f"key:{own}"] if own else [])


def _other_id(r: Record, known: Sequence[str]) -> bool:
    """Whether ``r`` has an id under a scheme the entry knows another id of: another work
    (not the DOI, which enrichment replaces: an arXiv DOI by the published one)."""
    schemes = {w.split(":", 1)[0] for w in known}
    return any(k not in known and k.split(":", 1)[0] in schemes for k in id_keys(r) if not k.startswith("doi:"))


def _weight(k: str) -> int:
    """How much a shared key says: an id most, the user's own key next, a title least."""
    return 1 if k.startswith(("title:", "rtitle:", "url:")) else 10 if k.startswith("key:") else 100


def parse_lock(text: str, path: str = "<lock>") -> KeyLock:
    """A lock from its JSON text; a text that is not a lock is an :class:`InputError` naming
    ``path`` and the line."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(path, f"not a key lock: {e.msg}", e.lineno) from None
    if not isinstance(data, dict) or not isinstance(data.get("keys", []), list):
        raise InputError(path, "not a key lock: an object with a list of keys is expected", 1)
    lock = KeyLock()
    for n, entry in enumerate(data.get("keys", [])):
        if not (isinstance(entry, dict) and isinstance(entry.get("key"), str)
                and isinstance(entry.get("works", []), list)
                and all(isinstance(w, str) for w in entry.get("works", []))):
            raise InputError(path, f'not a key lock: entry {n + 1} is not {{"key": ..., "works": [...]}}',
                             _line_of(text, n))
        lock.works.setdefault(entry["key"], []).extend(entry.get("works", []))
    renamed = data.get("renamed", {})
    if not isinstance(renamed, dict) or not all(isinstance(v, str) for v in renamed.values()):
        raise InputError(path, "not a key lock: renamed must map old keys to new keys", 1)
    lock.renamed = dict(renamed)
    return lock


def _line_of(text: str, n: int) -> int:
    """The line of the ``n``-th ``"key"`` of the text (1 when not found)."""
    at = -1
    for _ in range(n + 1):
        at = text.find('"key"', at + 1)
        if at < 0:
            return 1
    return text.count("\n", 0, at) + 1


def read_lock(path: str) -> KeyLock:
    """The lock in ``path``; an empty lock when the file does not exist."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except FileNotFoundError:
        return KeyLock()
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(path, f"cannot read the key lock: {e}", 1) from None
    return parse_lock(text, path)


def lock_text(lock: KeyLock) -> str:
    """The lock as JSON, sorted by key: the same lock is the same bytes."""
    entries = [{"key": k, "works": sorted(set(w))} for k, w in sorted(lock.works.items())]
    data = {"version": VERSION, "keys": entries, "renamed": dict(sorted(lock.renamed.items()))}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _order(r: Record) -> Tuple[str, str, str]:
    return (r.title, r.urls[0].url if r.urls else "", r.key)


def own_key(r: Record, own_keys: Optional[bool] = None) -> str:
    """The key ``r`` came with from its input when that is the user's (a .bib or CSL-JSON
    file's; ``own_keys`` says whether the input's keys are, else the record's provenance),
    else ``""`` (a reading list's keys are made here)."""
    if r.extra.get("original_key"):
        return r.extra["original_key"]
    mine = read_from_file(r) if own_keys is None else own_keys
    return r.key if mine else ""


def locked_keys(records: Sequence[Record], lock: KeyLock, scheme: str = "keep", own_keys: Optional[bool] = None
                ) -> Tuple[List[Record], KeyLock, List[Tuple[str, str]]]:
    """``records`` with their locked keys (new records keyed by ``scheme``), the lock
    updated, and the keys that changed (``(old, new)``: see the module doc; ``own_keys``: see
    :func:`own_key`).  The input lock is not changed."""
    index: Dict[str, List[str]] = {}
    for key, known in sorted(lock.works.items()):
        if is_safe_key(key):
            for w in set(known):
                index.setdefault(w, []).append(key)
    owns = [own_key(r, own_keys) for r in records]
    scores: Dict[Tuple[int, str], int] = {}
    for i, r in enumerate(records):
        for k in set(_lookup(r, owns[i])):
            for key in index.get(k, ()):
                scores[i, key] = scores.get((i, key), 0) + _weight(k)
    for i, key in [p for p in scores if _other_id(records[p[0]], lock.works[p[1]])]:
        del scores[i, key]
    # each entry to one record, each record one entry: the best evidence first, then the
    # records in the order of their titles and URLs (never list order), then the keys
    given: Dict[int, str] = {}
    taken_keys: Set[str] = set()
    for (i, key), _ in sorted(scores.items(), key=lambda x: (-x[1], _order(records[x[0][0]]), x[0][1])):
        if i not in given and key not in taken_keys:
            given[i] = key
            taken_keys.add(key)
    new = [i for i in range(len(records)) if i not in given]
    fresh = scheme_keys([records[i] for i in new], scheme, taken=set(lock.works))
    given.update(zip(new, fresh))
    out: List[Record] = []
    changes: List[Tuple[str, str]] = []
    works = {k: list(v) for k, v in lock.works.items()}
    renamed = dict(lock.renamed)
    for i, r in enumerate(records):
        key = given[i]
        own = owns[i]
        if own and own != key:
            changes.append((own, key))
        works.setdefault(key, [])
        works[key] = sorted(set(works[key]) | set(_known_as(r, own)))
        out.append(r if r.key == key else r.replace(key=key))
    for key in list(works):
        if not is_safe_key(key):
            # an unsafe key of the lock (edited by hand): its work now has another key
            moved = next((r.key for r, o in zip(out, owns) if set(_lookup(r, o)) & set(works[key])), None)
            if moved is not None:
                changes.append((key, moved))
            del works[key]
    for old, key in changes:
        renamed[old] = key
    return out, KeyLock(works, renamed), sorted(set(changes))
