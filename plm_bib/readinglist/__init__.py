"""The reading-list parser: Markdown lists of papers as people write them (CommonMark, GFM
tables, HTML inside) -> items -> Records, with a Problem wherever it is unsure.  It owns the
grammar described in ``docs/reading-list-format.md``, in stages: :mod:`.tree` (the block
structure by markdown-it-py: headings, list items, table rows, paragraphs, HTML units) over
:mod:`.inline` (inline pieces with their emphasis and links); :mod:`.scan` (the document walk:
sections, heading claims, heading + detail bullets, doubt); :mod:`.fields` (the recogniser that
gives one item its title, authors, claims, links and notes) over :mod:`.segments` (an item cut
into segments), :mod:`.text` (segment text cleaning), :mod:`.authors` (name-list shapes) and
:mod:`.claims` (venue and year claims as lists write them); and :mod:`.records` (items ->
Records: paper or resource, venue and year, merging).  The venue registry, identifiers, link
kinds and person names it reads with live in :mod:`plm_bib.metadata`.
"""
from plm_bib.readinglist.fields import Item
from plm_bib.readinglist.records import identity_keys, item_to_record, items_to_records, merge_records, normalize_title
from plm_bib.readinglist.scan import LOW_CONFIDENCE, ParseResult, scan_markdown

__all__ = ["Item", "ParseResult", "scan_markdown", "items_to_records", "item_to_record", "merge_records",
           "identity_keys", "normalize_title", "LOW_CONFIDENCE"]
