"""Inline content -> pieces: runs of text, code, images and line breaks with their emphasis
and the link they sit in.

markdown-it-py's inline tokens and the HTML inside them (read by the standard library's
``html.parser``) become the same pieces: ``<a href>`` opens a link, ``<img>`` is an image
(decoration, never a title), ``<br>``, ``<li>``, ``<p>``, ``<details>``, ``<summary>`` break a
line, ``<b>``/``<strong>`` and ``<i>``/``<em>`` are emphasis.
"""
from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Dict, List, Optional, Tuple

__all__ = ["Piece", "pieces_text", "InlineState", "HTMLPieces", "inline_pieces"]


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


class InlineState:
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


class HTMLPieces(HTMLParser):
    """Feeds HTML into an :class:`InlineState`; records where each ``<li>``/``<p>`` begins."""

    def __init__(self, state: InlineState):
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


def inline_pieces(children: List[object], counter: List[int]) -> List[Piece]:
    st = InlineState(counter)
    html: Optional[HTMLPieces] = None
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
                html = HTMLPieces(st)
            html.feed(tok.content)  # type: ignore[attr-defined]
        elif t == "s_open" or t == "s_close":
            continue
        else:
            content = getattr(tok, "content", "")
            if content:
                st.add("text", content)
    return st.out
