"""The document walk: headings give the section path (and, when a heading names one venue and
year, a claim for everything under it); list items, paragraphs, table rows and HTML units
become items through the field recogniser; a heading or a bold paragraph followed by detail
bullets (``- Paper: url``) is one item.  Doubt is reported: an item with no plausible title is
kept as a best-effort record with a warning Problem holding its line and raw text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence, Tuple

from plm_bib.metadata.links import is_navigation
from plm_bib.model import Claim, Problem
from plm_bib.readinglist.claims import heading_claim
from plm_bib.readinglist.fields import Item, is_detail, links_only, recognise
from plm_bib.readinglist.inline import Piece, pieces_text
from plm_bib.readinglist.text import clean, is_generic_label, strip_ends
from plm_bib.readinglist.tree import Block, Heading, Unit, parse_tree

__all__ = ["ParseResult", "scan_markdown", "LOW_CONFIDENCE"]

LOW_CONFIDENCE = "low confidence"


@dataclass
class ParseResult:
    title: Optional[str]
    items: List[Item]
    problems: List[Problem]


def _detail_at(blocks: Sequence[Block], j: int) -> Optional[Unit]:
    """The list item at ``j`` when it is a detail bullet (``- Paper: url``) without sub-bullets."""
    b = blocks[j] if j < len(blocks) else None
    if isinstance(b, Unit) and b.kind == "li" and not b.children and is_detail(b.pieces):
        return b
    return None


def _heading_text(pieces: Sequence[Piece]) -> str:
    return pieces_text([p for p in pieces if p.kind != "image"]).rstrip("：:").strip()


def _real_links(pieces: Sequence[Piece]) -> bool:
    return any(p.link and p.href and not is_navigation(p.href) for p in pieces) or \
        "http://" in pieces_text(list(pieces)) or "https://" in pieces_text(list(pieces))


def _is_toc(pieces: Sequence[Piece]) -> bool:
    """Only navigation links (``[Survey](#survey)``) and decoration: a table of contents entry."""
    links = [p for p in pieces if p.link]
    if not links or _real_links(pieces):
        return False
    rest = "".join(p.text for p in pieces if not p.link and p.kind == "text")
    return not re.sub(r"[\s\W\d]+", "", rest)


def _bold_only(pieces: Sequence[Piece]) -> bool:
    text = [p for p in pieces if p.kind == "text" and p.text.strip()]
    return bool(text) and all(p.bold and not p.link for p in text)


def scan_markdown(text: str, source: str = "<string>") -> ParseResult:
    """Read a reading list into items and problems (no merging, no keys)."""
    text = text.replace("\ufeff", "")
    blocks = parse_tree(text)
    lines = text.splitlines()
    headings = [b for b in blocks if isinstance(b, Heading)]
    doc_title: Optional[str] = None
    title_heading: Optional[Heading] = None
    if headings:
        top = min(h.level for h in headings)
        tops = [h for h in headings if h.level == top]
        if len(tops) == 1 and tops[0] is headings[0] and _heading_text(tops[0].pieces):
            title_heading = tops[0]
            doc_title = _heading_text(tops[0].pieces)
    items: List[Item] = []
    problems: List[Problem] = []
    stack: List[Tuple[int, str, Optional[Claim]]] = []
    doc_claim = heading_claim(doc_title, title_heading.line) if doc_title and title_heading else None
    if doc_claim is None and headings and headings[0].level == min(h.level for h in headings):
        # the first heading, before any item, names one venue and year: it covers the document
        opening = headings[0]
        if not any(isinstance(b, Unit) and b.line < opening.line and _real_links(b.pieces) for b in blocks):
            doc_claim = heading_claim(_heading_text(opening.pieces), opening.line)
    k = 0
    n = len(blocks)

    def section() -> Tuple[str, ...]:
        return tuple(t for _, t, _ in stack if t)

    def inherited() -> Optional[Claim]:
        for _, _, c in reversed(stack):
            if c is not None:
                return c
        return doc_claim

    def emit(item: Item) -> None:
        c = inherited()
        if c is not None:
            have_venue = any(x.venue for x in item.claims)
            have_year = any(x.year for x in item.claims)
            if (c.venue and not have_venue) or (not c.venue and not have_year):
                item.claims.append(c)
        _doubt(item, source, problems)
        items.append(item)

    while k < n:
        b = blocks[k]
        k += 1
        if isinstance(b, Heading):
            if b is title_heading:
                continue
            details: List[Unit] = []
            j = k
            d = _detail_at(blocks, j)
            while d is not None:
                details.append(d)
                j += 1
                d = _detail_at(blocks, j)
            htext = _heading_text(b.pieces)
            while stack and stack[-1][0] >= b.level:
                stack.pop()
            if details and htext and any(_real_links(d.pieces) for d in details) and not _is_toc(b.pieces):
                item = recognise([], b.line, b.raw, section(), details=[d.pieces for d in details],
                                 heading_title=list(b.pieces))
                emit(item)
                k = j
                # the heading is the item, not a section: later items stay in the parent section
                stack.append((b.level, "", None))
                continue
            stack.append((b.level, htext, heading_claim(htext, b.line)))
            continue
        assert isinstance(b, Unit)
        if b.kind == "row":
            if not any(pieces_text(c) for c in b.cells):
                continue
            if not b.header:
                problems.append(Problem(source, b.line, "table row without a header row", b.raw))
            cells = [pieces_text(c) for c in b.cells]
            filled = [c for c in cells if c.strip(" -")]
            if not any(_real_links(c) for c in b.cells) and \
                    sum(bool(re.fullmatch(r"[\d.,%±+\-\s/]+", c)) for c in filled) * 2 >= len(filled):
                problems.append(Problem(source, b.line, "table row of numbers without a link: not an item", b.raw,
                                        level="info"))
                continue
            emit(recognise([], b.line, b.raw, section(), cells=b.cells, header=b.header))
            continue
        if b.kind == "para":
            # a bold paragraph followed by detail bullets is one item
            if _bold_only(b.pieces) and _detail_at(blocks, k) is not None:
                details = []
                d = _detail_at(blocks, k)
                while d is not None:
                    details.append(d)
                    k += 1
                    d = _detail_at(blocks, k)
                emit(recognise([], b.line, b.raw, section(), details=[d.pieces for d in details],
                               heading_title=list(b.pieces)))
                continue
            if re.match(r"^\s*\|.*\|\s*$", b.raw) and not _real_links(b.pieces):
                problems.append(Problem(source, b.line, "table row without a header row", b.raw))
                continue
            if not _real_links(b.pieces) or _is_toc(b.pieces):
                continue
            first = next((p for p in b.pieces if p.kind != "break" and (p.text.strip() or p.kind == "image")),
                         None)
            starts_item = first is not None and (first.bold or first.link or first.kind == "image" or
                                                 re.match(r"^\s*[\[【(（]?\d", first.text) is not None)
            if not starts_item:
                problems.append(Problem(source, b.line, "text with links outside any list item: not an item",
                                        b.raw, level="info"))
                continue
            emit(recognise(b.pieces, b.line, b.raw, section()))
            continue
        if b.kind == "html" and not _real_links(b.pieces):
            continue  # an HTML unit without a link (<summary>, prose) is no item
        # list items and HTML units
        for n_line in range(b.line + 1, b.end_line + 1):
            if n_line <= len(lines) and re.match(r"^\|.*\|\s*$", lines[n_line - 1]):
                problems.append(Problem(source, n_line, "table row without a header row (read as a "
                                        "continuation of the item above)", lines[n_line - 1]))
        _list_item(b, section(), source, emit, problems)
    return ParseResult(title=doc_title, items=items, problems=problems)


def _list_item(u: Unit, section: Tuple[str, ...], source: str, emit: Callable[[Item], None],
               problems: List[Problem]) -> None:
    if not pieces_text(u.pieces) and not any(p.kind == "image" for p in u.pieces):
        if not u.children:
            problems.append(Problem(source, u.line, "empty list item", u.raw))
            return
    if _is_toc(u.pieces):
        for c in u.children:
            if not _is_toc(c.pieces):
                _list_item(c, section, source, emit, problems)
        return
    own_links = _real_links(u.pieces)
    details: List[Sequence[Piece]] = []
    separate: List[Unit] = []
    for c in u.children:
        if c.children and not is_detail(c.pieces):
            separate.append(c)
        elif is_detail(c.pieces) or (not own_links and links_only(c.pieces)):
            details.append(c.pieces)
        elif not _real_links(c.pieces) and own_links:
            details.append(c.pieces)  # a description line: a note
        else:
            separate.append(c)
    has_text = bool(strip_ends(clean(pieces_text(u.pieces))))
    if own_links or details or (has_text and not separate):
        emit(recognise(u.pieces, u.line, u.raw, section, details=details))
        sub_section = section
    else:
        label = strip_ends(clean(pieces_text(u.pieces)))
        sub_section = section + ((label,) if label else ())
    for c in separate:
        _list_item(c, sub_section, source, emit, problems)


_INNER_LINK = re.compile(r"!?\[[^\[\]]*\]\([^()\s]*(?:\([^()\s]*\))?[^()\s]*\)|\[\s*\]")


def _doubt(item: Item, source: str, problems: List[Problem]) -> None:
    """Report an item read with low confidence; keep it as a best-effort record."""
    raw = item.raw
    if not item.title:
        if item.links:
            problems.append(Problem(source, item.line, "item without a title: its link stands in", raw))
            item.title = item.links[0].label or item.links[0].url
        else:
            problems.append(Problem(source, item.line, "item without a title or a link", raw))
            item.title = strip_ends(clean(raw))[:200] or f"(line {item.line})"
        return
    text, prev = raw, ""
    while text != prev:  # links, innermost first: [[pdf](url)] and [![badge](img)](url) leave nothing
        prev = text
        text = _INNER_LINK.sub("", text)
    if text.count("[") != text.count("]"):
        problems.append(Problem(source, item.line, "unbalanced square brackets", raw))
    words = item.title.split()
    if item.title_score < 2.5 or (len(words) == 1 and len(item.title) < 3) or is_generic_label(item.title):
        problems.append(Problem(source, item.line, f"{LOW_CONFIDENCE}: no plausible title (read as "
                                f"{item.title[:60]!r})", raw))
    elif item.authors and any(p.short().casefold() in item.title.casefold() for p in item.authors[:1]) and \
            len(words) <= 4:
        problems.append(Problem(source, item.line, f"{LOW_CONFIDENCE}: the title looks like a name list", raw))
