"""The curated overlay on a user's input, reported: every field it changes is a finding
(the value as read, the curated value, the record's file and line).  The overlay is laid over
a user's .bib or list only when asked (``--curated``; ``plm_bib.load(path, curated=True)``);
the built-in list is the product's own and always carries it, unreported."""
from __future__ import annotations

from typing import List, Optional, Tuple

from plm_bib.curation.check import Finding
from plm_bib.curation.overlay import apply_curated
from plm_bib.identity import MERGED_FIELDS
from plm_bib.library import Library
from plm_bib.model import Record

__all__ = ["curated_with_findings", "overlay_findings"]

_FIELDS = ("key",) + MERGED_FIELDS + ("url",)


def _value(r: Record, name: str) -> Optional[str]:
    v = getattr(r, name)
    if name == "authors":
        return "; ".join(p.display() for p in v) or None
    if v in (None, "", ()):
        return None
    return str(v)


def overlay_findings(before: Library, after: Library) -> List[Finding]:
    """A finding for each field the overlay changed, record by record (the libraries hold the
    same records in the same order, as :func:`~plm_bib.curation.overlay.apply_curated` keeps them)."""
    out: List[Finding] = []
    for old, new in zip(before, after):
        changed = [(name, _value(old, name), _value(new, name)) for name in _FIELDS]
        # the fields kept verbatim (a .bib file's own fields): the curated record's replace them
        changed += [(name, old.extra.get(name), new.extra.get(name))
                    for name in sorted(set(old.extra) | set(new.extra))]
        for name, a, b in changed:
            if a != b:
                out.append(Finding(old.origin, old.line, "curated", "info",
                                   f"{old.key}: {name} set from the curated record", old.key, a, b, "curated",
                                   "read"))
    return out


def curated_with_findings(lib: Library) -> Tuple[Library, List[Finding]]:
    """``lib`` with the curated metadata laid over it, and what that changed."""
    out = apply_curated(lib)
    return out, overlay_findings(lib, out)
