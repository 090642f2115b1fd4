"""Markdown (and the HTML inside it) -> a tree of units made of inline pieces.

markdown-it-py (CommonMark plus GFM tables) gives the block structure: headings, list items
with their lazy continuation lines and nested sub-bullets, tables and paragraphs, each with
its line from the token map; an HTML block is one unit per ``<li>``/``<p>``/``<tr>``/
``<details>``, and ``<h1>``..``<h6>`` are headings.  The inline content of each becomes pieces
(:mod:`plm_bib.readinglist.inline`).

Nothing here decides what a piece means: that is :mod:`plm_bib.readinglist.fields`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, List, Optional, Tuple, Union

from plm_bib.readinglist.inline import HTMLPieces, InlineState, Piece, inline_pieces, pieces_text

__all__ = ["Piece", "Unit", "Heading", "Block", "parse_tree", "pieces_text"]


@dataclass
class Unit:
    """A candidate item: a list item, a paragraph, a table row or a unit of an HTML block."""

    kind: str  # "li", "para", "row", "html"
    line: int
    pieces: List[Piece]
    raw: str = ""
    children: List["Unit"] = field(default_factory=list)
    cells: List[List[Piece]] = field(default_factory=list)
    header: List[str] = field(default_factory=list)
    end_line: int = 0  # the last line of the unit's own text (a list item's, with its continuation lines)


@dataclass
class Heading:
    level: int
    line: int
    pieces: List[Piece]
    raw: str = ""


Block = Union[Heading, Unit]


@lru_cache(maxsize=1)
def _md():  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    # links stay as written (no percent-encoding): a record keeps the list's own URL
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda link: link  # type: ignore[method-assign]
    return md


def _html_units(content: str, line: int, counter: List[int]) -> List[Unit]:
    """An HTML block: one unit per ``<li>``/``<p>``/``<tr>``/``<details>`` (or the whole block)."""
    st = InlineState(counter)
    parser = HTMLPieces(st)
    try:
        parser.feed(content)
        parser.close()
    except Exception:  # html.parser is lenient; keep going whatever it meets
        pass
    pieces = st.out
    starts = sorted(set([(0, 0)] + parser.starts))
    units: List[Unit] = []
    raw_lines = content.splitlines()
    for k, (begin, offset) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(pieces)
        chunk = pieces[begin:end]
        if not any(p.kind != "break" and p.text.strip() for p in chunk) and \
                not any(p.kind == "image" for p in chunk):
            continue
        raw = raw_lines[offset] if offset < len(raw_lines) else content
        units.append(Unit("html", line + offset, chunk, raw=raw.strip()))
    return units


_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_CUT = re.compile(r"^(#{1,6}(\s|$)|[-*+]\s|\d{1,9}[.)]\s)")
_CHUNK_LINES = 400


def _chunks(lines: List[str]) -> List[Tuple[int, int]]:
    """Line ranges that parse alone as they do in the whole: cut before a heading or a list item
    at the left margin (outside code fences), every few hundred lines, so that a long list never
    holds all its tokens at once."""
    cuts = [0]
    fence = False
    for i, line in enumerate(lines):
        if _FENCE.match(line):
            fence = not fence
        elif not fence and i - cuts[-1] >= _CHUNK_LINES and _CUT.match(line):
            prev = lines[i - 1]
            if not prev.strip() or _CUT.match(prev) or line.startswith("#"):
                cuts.append(i)
    cuts.append(len(lines))
    return [(cuts[k], cuts[k + 1]) for k in range(len(cuts) - 1) if cuts[k + 1] > cuts[k]]


def parse_tree(text: str) -> List[Block]:
    """Headings and units of ``text`` in document order (units carry their sub-bullets)."""
    lines = text.splitlines()
    counter = [0]
    out: List[Block] = []
    for start, end in _chunks(lines):
        tokens = _md().parse("\n".join(lines[start:end]) + "\n")
        if start:
            for tok in tokens:
                if tok.map:
                    tok.map = [tok.map[0] + start, tok.map[1] + start]
        _walk(tokens, lines, counter, out)
    return out


def _walk(tokens: List[Any], lines: List[str], counter: List[int], out: List[Block]) -> None:

    def raw_of(line: int) -> str:
        return lines[line - 1] if 0 < line <= len(lines) else ""

    def read_list(i: int) -> Tuple[List[Unit], int]:
        """Items of the list opening at token ``i``; returns them and the index after it."""
        items: List[Unit] = []
        depth = 0
        i += 1
        cur: Optional[Unit] = None
        while i < len(tokens):
            tok = tokens[i]
            t = tok.type
            if t in ("bullet_list_close", "ordered_list_close") and depth == 0:
                return items, i + 1
            if t == "list_item_open":
                line = (tok.map[0] + 1) if tok.map else 0
                cur = Unit("li", line, [], raw=raw_of(line))
                items.append(cur)
                i += 1
                continue
            if t in ("bullet_list_open", "ordered_list_open"):
                sub, i = read_list(i)
                if cur is not None:
                    cur.children.extend(sub)
                continue
            if t == "inline" and cur is not None:
                if tok.map and not cur.children:
                    cur.end_line = max(cur.end_line, tok.map[1])
                if cur.pieces:
                    cur.pieces.append(Piece("break"))
                cur.pieces.extend(inline_pieces(tok.children or [], counter))
            elif t == "html_block" and cur is not None:
                line = (tok.map[0] + 1) if tok.map else cur.line
                for u in _html_units(tok.content, line, counter):
                    if cur.pieces:
                        cur.pieces.append(Piece("break"))
                    cur.pieces.extend(u.pieces)
            elif t == "fence" or t == "code_block":
                pass
            i += 1
        return items, i

    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        t = tok.type
        line = (tok.map[0] + 1) if tok.map else 0
        if t == "heading_open":
            inline = tokens[i + 1]
            out.append(Heading(int(tok.tag[1]), line, inline_pieces(inline.children or [], counter), raw_of(line)))
            i += 3
            continue
        if t in ("bullet_list_open", "ordered_list_open"):
            items, i = read_list(i)
            out.extend(items)
            continue
        if t == "paragraph_open":
            inline = tokens[i + 1]
            pieces = inline_pieces(inline.children or [], counter)
            out.extend(_paragraph_units(pieces, line, lines))
            i += 3
            continue
        if t == "table_open":
            i = _read_table(tokens, i, counter, lines, out)
            continue
        if t == "html_block":
            mh = re.match(r"\s*<h([1-6])\b", tok.content, re.I)
            if mh:
                i = _html_heading(tokens, i, int(mh.group(1)), line, counter, lines, out)
                continue
            out.extend(_html_units(tok.content, line, counter))
        i += 1


def _html_heading(tokens: List[Any], i: int, level: int, line: int, counter: List[int], lines: List[str],
                  out: List[Block]) -> int:
    """``<h2>Title</h2>`` is a heading; when its text is in the blocks up to ``</h2>`` (a code
    fence, a paragraph), that text is the heading's."""
    st = InlineState(counter)
    parser = HTMLPieces(st)
    parser.feed(tokens[i].content)
    pieces = [p for p in st.out if p.kind != "break"]
    own = list(pieces)
    j = i + 1
    closing = re.compile(rf"</h{level}\s*>", re.I)
    if not closing.search(tokens[i].content):
        while j < len(tokens) and j < i + 12:
            tok = tokens[j]
            if tok.type == "html_block" and closing.search(tok.content):
                j += 1
                break
            if tok.type == "fence":
                text = " ".join(ln.lstrip("+-! ").strip() for ln in tok.content.splitlines() if ln.strip())
                pieces.append(Piece("text", " " + text))
            elif tok.type == "inline":
                pieces.extend(inline_pieces(tok.children or [], counter))
            j += 1
        else:
            j, pieces = i + 1, own  # no closing tag near: only the block itself
    raw = lines[line - 1] if 0 < line <= len(lines) else ""
    out.append(Heading(level, line, pieces, raw))
    return j


def _paragraph_units(pieces: List[Piece], line: int, lines: List[str]) -> List[Unit]:
    """A paragraph is one unit, or one per line when each of its lines holds a link."""
    rows: List[List[Piece]] = [[]]
    for p in pieces:
        if p.kind == "break":
            rows.append([])
        else:
            rows[-1].append(p)
    if len(rows) > 1 and all(any(p.link for p in r) for r in rows if r):
        units = []
        for k, r in enumerate(rows):
            if r:
                n = line + k
                units.append(Unit("para", n, r, raw=lines[n - 1] if n <= len(lines) else ""))
        return units
    return [Unit("para", line, pieces, raw=lines[line - 1] if 0 < line <= len(lines) else "")]


def _read_table(tokens: List[Any], i: int, counter: List[int], lines: List[str], out: List[Block]) -> int:
    header: List[str] = []
    row: Optional[Unit] = None
    in_head = False
    while i < len(tokens):
        tok = tokens[i]
        t = tok.type
        if t == "table_close":
            return i + 1
        if t == "thead_open":
            in_head = True
        elif t == "thead_close":
            in_head = False
        elif t == "tr_open" and not in_head:
            m = tok.map
            line = m[0] + 1 if m else 0
            row = Unit("row", line, [], raw=lines[line - 1] if 0 < line <= len(lines) else "", header=header)
        elif t == "tr_close" and row is not None:
            out.append(row)
            row = None
        elif t == "inline":
            cell = inline_pieces(tok.children or [], counter)
            if in_head:
                header.append(pieces_text(cell))
            elif row is not None:
                row.cells.append(cell)
        i += 1
    return i
