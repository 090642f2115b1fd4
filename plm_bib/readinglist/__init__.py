"""Reading lists as people write them: Markdown (CommonMark, GFM tables, HTML) -> items -> Records.

* :mod:`.tree`: markdown-it-py and ``html.parser`` -> headings and units of inline pieces;
* :mod:`.fields`: the field recogniser (segments scored for title, authors, claims...);
* :mod:`.scan`: the document walk (sections, heading claims, heading + detail bullets, doubt);
* :mod:`.records`: items -> Records (paper or resource, venue and year, merging).

The grammar is described in ``docs/reading-list-format.md``.
"""
from plm_bib.readinglist.fields import Item
from plm_bib.readinglist.records import identity_keys, item_to_record, items_to_records, merge_records, normalize_title
from plm_bib.readinglist.scan import LOW_CONFIDENCE, ParseResult, scan_markdown

__all__ = ["Item", "ParseResult", "scan_markdown", "items_to_records", "item_to_record", "merge_records",
           "identity_keys", "normalize_title", "LOW_CONFIDENCE"]
