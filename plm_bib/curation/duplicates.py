"""Duplicates in one input (a .bib): the same work under two or more keys, found and merged.

**Found** (:func:`find_duplicates`) by the one same-work rule
(:func:`~plm_bib.identity.rule.same_work`) between the entries that share one of
:func:`~plm_bib.identity.rule.work_keys` (an id, the normalised title): an id in common
(DOI, arXiv, ACL Anthology, OpenReview, PMLR, DBLP) decides; else the normalised titles must
be equal, the authors agree (by the rule: two family names, or one when either entry lists
one), and, in a .bib, the years too (both given and equal: a paper and its extension of
another year under one title stay two entries).  Two entries are never one work when what
they say contradicts it (:func:`_conflict`): another id under a scheme both have, other
pages, volume or number, or author lists with no name in common (real files copy an arXiv id
or a book's DOI into the wrong entries; a column of a journal has one title in every issue).

**Merged** (:func:`merge_duplicates`): each group keeps one entry, the most complete: the one
that writes the most BibTeX fields; on a tie, one with a published venue (a booktitle or a
journal that is not a preprint server) over a preprint; then the first in the file.  The kept
entry is left as it was read, plus biblatex's ``ids`` field with the other entries' keys
(and any ``ids`` it had), so a document that cites either key still compiles with biber;
the alias map (old key -> kept key) is for BibTeX users, whose documents must cite the kept
key.  Nothing is taken over from the dropped entries.  :func:`merged_text` makes the merge
as an edit of the file's text, so everything else in it stays as it was.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from plm_bib.bibtex.write import record_fields
from plm_bib.identity import agreeing_authors, is_preprint, normalize_title, same_work, work_keys
from plm_bib.keys import is_safe_key
from plm_bib.model import Record

__all__ = ["Duplicate", "find_duplicates", "merge_duplicates", "merged_text", "own_key", "kept_index"]


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


def _conflict(r: Record, c: Record) -> Optional[str]:
    """What two entries of one file say that cannot both be true of one work: another id
    under a scheme both have (real files copy an arXiv id or a book's DOI into the wrong
    entries), other pages, volume or number, or no author in common."""
    for scheme, a in r.ids.items():
        b = c.ids.get(scheme)
        if b and a.lower() != b.lower():
            return f"another {scheme} id"
    for name in ("pages", "volume", "number"):
        a, b = getattr(r, name), getattr(c, name)
        if a and b and a != b:
            return f"other {name}"
    mine = [p for p in r.authors if p.family != "others"]
    theirs = [p for p in c.authors if p.family != "others"]
    if mine and theirs and agreeing_authors(mine, theirs) == 0:
        return "no author in common"
    return None


def _same(r: Record, c: Record) -> Tuple[bool, str]:
    ok, why = same_work(r, c)
    if not ok:
        return ok, why
    conflict = _conflict(r, c)
    if conflict:
        return False, conflict
    if why.startswith("same ") and why.endswith(" id"):
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


def _plan(records: Sequence[Record], groups: Sequence[Duplicate]
          ) -> Tuple[Dict[int, int], Dict[int, List[str]], List[Tuple[str, str]]]:
    """What a merge does: the dropped entries (-> the entry kept for them), the keys each
    kept entry takes into ``ids``, the alias map."""
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
    return drop, aliases, pairs


def merge_duplicates(records: Sequence[Record], groups: Sequence[Duplicate]
                     ) -> Tuple[List[Record], List[Tuple[str, str]]]:
    """``records`` with each group merged into the entry it keeps (the others dropped, their
    keys in the kept entry's ``ids``), and the alias map: (old key, kept key) for each key
    that no longer names an entry, in file order.  A key that is not safe in LaTeX cannot be
    cited, and one that another entry has names that entry: neither is put in ``ids``."""
    drop, aliases, pairs = _plan(records, groups)
    out = [(_with_ids(r, aliases[i]) if aliases.get(i) else r) for i, r in enumerate(records) if i not in drop]
    return out, pairs


# -- the merge as an edit of the file's own text ----------------------------------------
_HEAD = re.compile(r"@[ \t]*[A-Za-z]+[ \t\r\n]*([{(])")
_IDS = re.compile(r"(?im)(^|,)[ \t]*ids[ \t]*=[ \t]*")


def _entry_span(text: str, starts: List[int], line: int) -> Optional[Tuple[int, int, int]]:
    """(start, opening, closing) offsets of the entry whose ``@`` is on ``line`` (1-based;
    ``starts``: the offset of each line), by BibTeX's rule: braces balance inside the entry;
    None when there is no entry there."""
    if not 1 <= line <= len(starts):
        return None
    at = starts[line - 1]
    start = text.find("@", at)
    if start < 0 or text.count("\n", at, start):
        return None
    m = _HEAD.match(text, start)
    if m is None:
        return None
    opener = m.group(1)
    depth = 0
    for pos in range(m.end(), len(text)):
        ch = text[pos]
        if ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                return (start, m.end() - 1, pos) if opener == "{" else None
            depth -= 1
        elif ch == ")" and opener == "(" and depth == 0:
            return start, m.end() - 1, pos
    return None


def _closing_brace(text: str, pos: int) -> Optional[int]:
    depth = 0
    for p in range(pos, len(text)):
        if text[p] == "{":
            depth += 1
        elif text[p] == "}":
            depth -= 1
            if depth == 0:
                return p
    return None


def merged_text(text: str, records: Sequence[Record], groups: Sequence[Duplicate]) -> Optional[str]:
    """The merge (:func:`merge_duplicates`) as an edit of the .bib ``text`` the records were
    read from: the dropped entries cut out (with the blank line after each), the kept keys
    added to the kept entry's ``ids`` (a new last field, or the end of the one it has);
    everything else stays byte for byte (comments, ``@string``, layout).  None when an entry
    cannot be found by its line (then the caller writes the records)."""
    drop, aliases, _ = _plan(records, groups)
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    edits: List[Tuple[int, int, str]] = []
    for i in drop:
        span = _entry_span(text, starts, records[i].line)
        if span is None:
            return None
        tail = re.compile(r"[ \t]*(\r?\n)?([ \t]*\r?\n)?").match(text, span[2] + 1)
        edits.append((span[0], tail.end() if tail else span[2] + 1, ""))
    for i, keys in aliases.items():
        span = _entry_span(text, starts, records[i].line)
        if span is None:
            return None
        start, opening, closing = span
        added = ", ".join(keys)
        field = _IDS.search(text, opening + 1, closing)
        if field is not None:
            if text.startswith("{", field.end()):
                end = _closing_brace(text, field.end())
            elif text.startswith('"', field.end()):
                end = text.find('"', field.end() + 1)
            else:
                return None  # a macro: not edited
            if end is None or end < 0 or end > closing:
                return None
            had = text[field.end() + 1:end].strip()
            edits.append((end, end, (", " if had else "") + added))
            continue
        body_end = len(text[:closing].rstrip())
        indent = re.match(r"[ \t]*", text[text.find("\n", opening) + 1:closing] or "  ")
        pad = indent.group() if indent and indent.group() else "  "
        comma = "" if text[body_end - 1] in ",{(" else ","
        edits.append((body_end, body_end, f"{comma}\n{pad}ids = {{{added}}}"))
    out = text
    for a, b, new in sorted(edits, reverse=True):
        out = out[:a] + new + out[b:]
    return out
