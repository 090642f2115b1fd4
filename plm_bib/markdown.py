"""Reading list (Markdown) -> items -> Records: the public names, kept for importers.

The parser lives in :mod:`plm_bib.readinglist` (a CommonMark tree and one field recogniser);
the grammar is in ``docs/reading-list-format.md``.
"""
from __future__ import annotations

from .readinglist import (
                          Item,
                          ParseResult,
                          identity_keys,
                          item_to_record,
                          items_to_records,
                          merge_records,
                          normalize_title,
                          scan_markdown,
)

__all__ = ["Item", "ParseResult", "scan_markdown", "items_to_records", "item_to_record", "merge_records",
           "identity_keys", "normalize_title"]
