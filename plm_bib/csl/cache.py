"""What formatting keeps between bibliographies, in one object the caller holds.

A :class:`RenderCache` is handed to :func:`plm_bib.render.bibliography.format_bibliography`
(and through it to the CSL engine).  A bibliography formatted again with the same cache
after a few records changed formats those records only; a new cache formats cold.  Without
one, the process's :data:`DEFAULT` is used (what ``lib.format()`` and the notebook's
repeated calls rely on); ``RenderCache().clear()`` or ``DEFAULT.clear()`` forgets everything.

Every part is keyed by what it was made from (a record's content, a style's elements), so
a cache shared between libraries and styles never gives a wrong entry; each is bounded
(emptied when it grows past :data:`LIMIT` entries).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Tuple

if TYPE_CHECKING:
    from plm_bib.model import Record

__all__ = ["RenderCache", "DEFAULT", "LIMIT"]

LIMIT = 200_000


class RenderCache:
    """The per-record state of formatting.

    * ``items``: a record's citeproc-py item, by the record's repr (and ``by_object``: by the
      Record object, which skips the repr for records shared between libraries);
    * ``entries``: an entry's neutral markup by (layout, item content, number or 0);
    * ``rows``: an item's sort keys as citeproc-py's comparison reads them;
    * ``sort_keys``: one sort key of an item, by (``cs:key``, layout, item content);
    * ``groups``: what a work's in-text citation shows (for year suffixes);
    * ``previous``: the last bibliography of each style (for formatting it again);
    * ``references``: a formatted reference by (key, markup, backend, numeric).
    """

    def __init__(self) -> None:
        # keyed by the style's dialect (csl.entries.dialect) too: what the item is fed depends on it
        self.items: Dict[Tuple[str, str], Dict[str, Any]] = {}
        self.by_object: Dict[Tuple[str, int], Tuple[Record, Dict[str, Any]]] = {}
        self.entries: Dict[Tuple[Any, str, int], Any] = {}
        self.rows: Dict[Tuple[Any, Any, str], Tuple[Tuple[Any, ...], Tuple[Any, ...]]] = {}
        self.sort_keys: Dict[Tuple[Any, Any, str], Any] = {}
        self.groups: Dict[Tuple[str, int], Tuple[Record, Any]] = {}
        self.previous: Dict[Tuple[str, str], Any] = {}
        self.references: Dict[Tuple[str, str, str, bool], Any] = {}

    def clear(self) -> None:
        """Forget every formatted record (the next bibliography is formatted cold)."""
        for part in (self.items, self.by_object, self.entries, self.rows, self.sort_keys, self.groups,
                     self.previous, self.references):
            part.clear()

    def trim(self) -> None:
        """Empty the parts that grew past :data:`LIMIT` (with the parts keyed alike)."""
        if len(self.entries) > LIMIT or len(self.sort_keys) > LIMIT or len(self.rows) > LIMIT:
            self.entries.clear()
            self.sort_keys.clear()
            self.rows.clear()
        if len(self.items) > LIMIT or len(self.by_object) > LIMIT:
            self.items.clear()
            self.by_object.clear()
        if len(self.groups) > LIMIT:
            self.groups.clear()
        if len(self.references) > LIMIT:
            self.references.clear()


DEFAULT = RenderCache()
