"""Markdown (and the HTML inside it) -> a tree of units made of inline pieces.

markdown-it-py (CommonMark plus GFM tables) gives the block structure: headings, list items
with their lazy continuation lines and nested sub-bullets, tables and paragraphs, each with
its line from the token map.  HTML blocks and inline HTML are read by the standard library's
``html.parser`` into the same inline pieces: ``<a href>`` opens a link, ``<img>`` is an image
(decoration, never a title), ``<br>``, ``<li>``, ``<p>``, ``<details>``, ``<summary>`` break a
line, ``<b>``/``<strong>`` and ``<i>``/``<em>`` are emphasis.

Nothing here decides what a piece means: that is :mod:`plm_bib.readinglist.fields`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any, Dict, List, Optional, Tuple, Union

__all__ = ["Piece", "Unit", "Heading", "Block", "parse_tree", "pieces_text"]


@dataclass
class Piece:
    """A run of inline content with its formatting.

    ``kind``: ``text``, ``code``, ``image`` (``text`` is its alt text, ``src`` its source) or
    ``break`` (a line break).  ``link`` numbers the link the piece sits in (0: none) and
    ``href`` is that link's target.
    """

    kind: str
    text: str = ""
    bold: bool = False
    italic: bool = False
    link: int = 0
    href: str = ""
    src: str = ""


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


def pieces_text(pieces: List[Piece], images: bool = False) -> str:
    """The plain text of pieces (images by their alt text only when ``images``)."""
    out = []
    for p in pieces:
        if p.kind == "break":
            out.append(" ")
        elif p.kind == "image":
            if images:
                out.append(p.text)
        else:
            out.append(p.text)
    return " ".join("".join(out).split())


@lru_cache(maxsize=1)
def _md():  # type: ignore[no-untyped-def]
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    # links stay as written (no percent-encoding): a record keeps the list's own URL
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]
    md.normalizeLinkText = lambda link: link  # type: ignore[method-assign]
    return md


class _InlineState:
    """Formatting state while flattening one inline token stream (shared by its HTML)."""

    def __init__(self, counter: List[int]):
        self.counter = counter
        self.bold = 0
        self.italic = 0
        self.links: List[Tuple[int, str]] = []
        self.out: List[Piece] = []

    def add(self, kind: str, text: str = "", src: str = "") -> None:
        link, href = self.links[-1] if self.links else (0, "")
        self.out.append(Piece(kind, text, self.bold > 0, self.italic > 0, link, href, src))

    def open_link(self, href: str) -> None:
        self.counter[0] += 1
        self.links.append((self.counter[0], href))

    def close_link(self) -> None:
        if self.links:
            self.links.pop()


_BREAK_TAGS = {"br", "li", "p", "div", "details", "summary", "tr", "ul", "ol", "hr", "td", "th", "h1", "h2",
               "h3", "h4", "h5", "h6", "blockquote", "table", "pre"}
_SKIP_TAGS = {"script", "style"}


class _HTMLPieces(HTMLParser):
    """Feeds HTML into an :class:`_InlineState`; records where each ``<li>``/``<p>`` begins."""

    def __init__(self, state: _InlineState):
        super().__init__(convert_charrefs=True)
        self.state = state
        self.skip = 0
        self.starts: List[Tuple[int, int]] = []  # (piece index, line offset) where a unit starts

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        a: Dict[str, str] = {k: v or "" for k, v in attrs}
        st = self.state
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag == "a":
            st.open_link(a.get("href", ""))
        elif tag == "img":
            st.add("image", a.get("alt", ""), a.get("src", ""))
        elif tag in ("b", "strong"):
            st.bold += 1
        elif tag in ("i", "em"):
            st.italic += 1
        elif tag == "sup":
            st.add("text", " ")
        elif tag in _BREAK_TAGS:
            st.add("break")
            if tag in ("li", "p", "tr", "details"):
                self.starts.append((len(st.out), self.getpos()[0] - 1))

    def handle_startendtag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "a":
            self.state.close_link()

    def handle_endtag(self, tag: str) -> None:
        st = self.state
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag == "a":
            st.close_link()
        elif tag in ("b", "strong"):
            st.bold = max(0, st.bold - 1)
        elif tag in ("i", "em"):
            st.italic = max(0, st.italic - 1)
        elif tag in _BREAK_TAGS:
            st.add("break")

    def handle_data(self, data: str) -> None:
        if not self.skip and data:
            self.state.add("text", data)


def _inline(children: List[object], counter: List[int]) -> List[Piece]:
    st = _InlineState(counter)
    html: Optional[_HTMLPieces] = None
    for tok in children:
        t = tok.type  # type: ignore[attr-defined]
        if t == "text":
            st.add("text", tok.content)  # type: ignore[attr-defined]
        elif t == "softbreak":
            st.add("break", "\n")  # a line break inside a paragraph: a space, unless lines are items
        elif t == "hardbreak":
            st.add("break")
        elif t == "code_inline":
            st.add("code", tok.content)  # type: ignore[attr-defined]
        elif t == "strong_open":
            st.bold += 1
        elif t == "strong_close":
            st.bold = max(0, st.bold - 1)
        elif t == "em_open":
            st.italic += 1
        elif t == "em_close":
            st.italic = max(0, st.italic - 1)
        elif t == "link_open":
            st.open_link(str(tok.attrGet("href") or ""))  # type: ignore[attr-defined]
        elif t == "link_close":
            st.close_link()
        elif t == "image":
            st.add("image", tok.content, str(tok.attrGet("src") or ""))  # type: ignore[attr-defined]
        elif t == "html_inline":
            if html is None:
                html = _HTMLPieces(st)
            html.feed(tok.content)  # type: ignore[attr-defined]
        elif t == "s_open" or t == "s_close":
            continue
        else:
            content = getattr(tok, "content", "")
            if content:
                st.add("text", content)
    return st.out


def _html_units(content: str, line: int, counter: List[int]) -> List[Unit]:
    """An HTML block: one unit per ``<li>``/``<p>``/``<tr>``/``<details>`` (or the whole block)."""
    st = _InlineState(counter)
    parser = _HTMLPieces(st)
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
                cur.pieces.extend(_inline(tok.children or [], counter))
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
            out.append(Heading(int(tok.tag[1]), line, _inline(inline.children or [], counter), raw_of(line)))
            i += 3
            continue
        if t in ("bullet_list_open", "ordered_list_open"):
            items, i = read_list(i)
            out.extend(items)
            continue
        if t == "paragraph_open":
            inline = tokens[i + 1]
            pieces = _inline(inline.children or [], counter)
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
    st = _InlineState(counter)
    parser = _HTMLPieces(st)
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
                pieces.extend(_inline(tok.children or [], counter))
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
            cell = _inline(tok.children or [], counter)
            if in_head:
                header.append(pieces_text(cell))
            elif row is not None:
                row.cells.append(cell)
        i += 1
    return i
