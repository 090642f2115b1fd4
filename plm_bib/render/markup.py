"""Format-neutral rich text and its backends: plain text, Markdown, HTML, LaTeX.

A style engine (CSL or pybtex) says *what* to emphasise; this module says *how* in each
backend, and is the one place that escapes text and turns URLs into links.  Neutral
markup is ordinary text where ``\\x01X ... \\x02`` wraps a span of kind ``X``
(``i`` italic, ``b`` bold, ``c`` small caps, ``u`` underline, ``^`` superscript,
``_`` subscript).

>>> rich = "See " + span("i", "A & B") + ", https://x.org/a_b."
>>> render(rich, "text")
'See A & B, https://x.org/a_b.'
>>> render(rich, "html")
'See <i>A &amp; B</i>, <a href="https://x.org/a_b">https://x.org/a_b</a>.'
>>> render(rich, "latex")
'See \\\\emph{A \\\\& B}, \\\\url{https://x.org/a_b}.'
>>> render(rich, "markdown")
'See *A \\\\& B*, <https://x.org/a_b>.'

Two rules hold for every backend: bidirectional control characters (:data:`BIDI_CONTROLS`,
which can make text read in another order than it is stored) are removed from the text,
and in the markup backends a line break in text is a space (a line break could start a
heading in Markdown or end an argument in LaTeX).
"""
from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Callable, Dict, List, Tuple

from plm_bib.bibtex.latex_text import escape_latex
from plm_bib.errors import BadOption

__all__ = ["BACKENDS", "span", "render", "clean", "URL_RE", "BIDI_CONTROLS", "strip_bidi", "one_line",
           "escape_html", "escape_hayagriva", "is_web_url"]

BACKENDS = ("text", "markdown", "html", "latex", "typst")
OPEN, CLOSE = "\x01", "\x02"

URL_RE = re.compile(r"https?://[^\s<>\"\x01\x02]+")
_TRAIL = ".,;:!?'\u201d\u2019"


def span(kind: str, text: str) -> str:
    return f"{OPEN}{kind}{text}{CLOSE}" if text else ""


def clean(text: str) -> str:
    """Input text with control characters (including our markers) removed."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)


# the embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), the marks
# (U+200E, U+200F, U+061C): invisible, they reorder what is shown ("Trojan Source")
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = re.compile("[" + BIDI_CONTROLS + "]")
# a line break in text: CR, LF, and what some readers also break lines at
_LINE_BREAK = re.compile(r"[ \t]*(?:[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029][ \t]*)+")


def strip_bidi(text: str) -> str:
    """``text`` without bidirectional control characters (the rule of every backend)."""
    return _BIDI.sub("", text)


def is_web_url(url: str) -> bool:
    """Whether ``url`` may become a link in any output: an ``http`` or ``https`` URL, no
    surrounding space (no ``javascript:``, ``data:``, ``file:``...)."""
    return url.lower().startswith(("http://", "https://")) and url == url.strip()


def one_line(text: str) -> str:
    """``text`` for a one-line value outside the backends (a PDF title): line breaks as
    spaces, no bidirectional controls."""
    return _LINE_BREAK.sub(" ", strip_bidi(text))


def escape_html(text: str) -> str:
    """``text`` for HTML element content or a quoted attribute value: ``& < > " '`` as
    character references, bidirectional controls removed (the one HTML escape of plm_bib).

    >>> escape_html('<img src=x onerror="alert(1)"> & \u202eRTL')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; RTL'
    """
    return html.escape(strip_bidi(text), quote=True)


def _split_url(m: str) -> Tuple[str, str]:
    """A matched URL without the punctuation that ends the sentence around it."""
    url = m
    while url and (url[-1] in _TRAIL or (url[-1] == ")" and url.count("(") < url.count(")"))):
        url = url[:-1]
    return url, m[len(url):]


def _latex_url(url: str) -> str:
    # "^^5c" is a backslash to TeX where the URL is read inside another argument
    url = url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D").replace("^", "%5E")
    return "\\url{" + url.replace("%", "\\%").replace("#", "\\#") + "}"


# inline markup of CommonMark and pandoc's Markdown: emphasis, code, links, raw HTML and
# entities, strikeout and subscript (~), superscript and notes (^), math ($), citations (@),
# attributes ({}), tables and line blocks (|), headings (#)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>~$^#|&@{}])")
# what starts a block at the beginning of a line: a list item ("1.", "a)", "(i)", "-", "+"),
# a thematic break or setext line ("-", "="), a pandoc div or definition (":"); an
# emphasis mark followed by a space (a span whose text starts with one) would be a bullet
_MD_BLOCK_START = re.compile(r"^(\(?(?:\d{1,9}|[A-Za-z]|[ivxlcdmIVXLCDM]+))([.)])(?=[ \t]|$)"
                             r"|^([-+=:]|\*(?=[ \t]))")


def _md_escape(text: str) -> str:
    """Markdown that prints ``text`` literally (CommonMark and pandoc): no line break, every
    character of inline markup escaped with a backslash."""
    return _MD_SPECIAL.sub(r"\\\1", _LINE_BREAK.sub(" ", text))


def _md_block_safe(md: str) -> str:
    """Rendered Markdown that cannot start a block where it is put at the start of a line
    (a list item's text): leading space dropped, a leading list marker or rule escaped.
    ("J. Devlin" stays: pandoc wants two spaces after a capital letter's period.)"""
    md = md.lstrip(" \t")
    m = _MD_BLOCK_START.match(md)
    if m is None:
        return md
    if m.group(3):
        return "\\" + md
    if re.fullmatch(r"[A-Z]", m.group(1)) and m.group(2) == "." and re.match(r" \S", md[m.end():]):
        return md
    return f"{m.group(1)}\\{md[m.end(1):]}"


_TYPST_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def _typst_escape(text: str) -> str:
    """Typst markup that prints ``text`` literally: every ASCII punctuation character
    escaped with a backslash (``//`` cannot start a comment, ``#`` no code)."""
    return _TYPST_SPECIAL.sub(r"\\\1", _LINE_BREAK.sub(" ", text))


_HAYAGRIVA_SPECIAL = re.compile(r"([\\{}$])")


def escape_hayagriva(text: str) -> str:
    r"""``text`` as a Hayagriva formattable string (a title, a publisher) that prints it
    literally: Hayagriva reads ``{...}`` as verbatim, ``$...$`` as math and fails on an
    unmatched ``}``; a backslash before ``\``, ``{``, ``}`` or ``$`` is the character itself.

    >>> print(escape_hayagriva(r"A {b} $c$ \d"))
    A \{b\} \$c\$ \\d
    """
    return _HAYAGRIVA_SPECIAL.sub(r"\\\1", strip_bidi(text))


def _typst_link(url: str) -> str:
    lit = url.replace("\\", "\\\\").replace('"', '\\"')
    return f'#link("{lit}")[{_typst_escape(url)}]'


def _latex_escape(text: str) -> str:
    # a blank line would end a paragraph, and with it the argument of \section or \item
    return escape_latex(_LINE_BREAK.sub(" ", text))


_TEXT: Dict[str, Tuple[Callable[[str], str], Callable[[str], str]]] = {
    "text": (lambda s: s, lambda u: u),
    "html": (lambda s: html.escape(s, quote=False),
             lambda u: f'<a href="{escape_html(u)}">{html.escape(u, quote=False)}</a>'),
    "markdown": (_md_escape, lambda u: f"<{u}>"),
    "latex": (_latex_escape, _latex_url),
    "typst": (_typst_escape, _typst_link),
}
_SPANS: Dict[str, Dict[str, Tuple[str, str]]] = {
    "text": {},
    "html": {"i": ("<i>", "</i>"), "b": ("<b>", "</b>"), "u": ("<u>", "</u>"),
             "c": ('<span style="font-variant:small-caps">', "</span>"),
             "^": ("<sup>", "</sup>"), "_": ("<sub>", "</sub>")},
    "markdown": {"i": ("*", "*"), "b": ("**", "**"), "^": ("^", "^"), "_": ("~", "~")},
    "latex": {"i": ("\\emph{", "}"), "b": ("\\textbf{", "}"), "u": ("\\underline{", "}"),
              "c": ("\\textsc{", "}"), "^": ("\\textsuperscript{", "}"), "_": ("\\textsubscript{", "}")},
    "typst": {"i": ("#emph[", "]"), "b": ("#strong[", "]"), "u": ("#underline[", "]"),
              "c": ("#smallcaps[", "]"), "^": ("#super[", "]"), "_": ("#sub[", "]")},
}


def _text(chunk: str, backend: str) -> str:
    esc, link = _TEXT[backend]
    chunk = strip_bidi(chunk)
    out: List[str] = []
    pos = 0
    for m in URL_RE.finditer(chunk):
        url, rest = _split_url(m.group(0))
        if not url or url.endswith("//"):
            continue
        out.append(esc(chunk[pos:m.start()]))
        out.append(link(url))
        pos = m.start() + len(url)
    out.append(esc(chunk[pos:]))
    return "".join(out)


@lru_cache(maxsize=1 << 16)
def render(rich: str, backend: str) -> str:
    """Neutral markup -> ``backend`` (one of :data:`BACKENDS`), escaped and with links
    (pure, so memoised: a bibliography formatted again renders the same entries)."""
    if backend not in _TEXT:
        raise BadOption(f"unknown backend {backend!r}; known: {', '.join(BACKENDS)}")
    spans = _SPANS[backend]
    out: List[str] = []
    stack: List[str] = []
    for tok in re.split(r"(\x01.|\x02)", rich):
        if not tok:
            continue
        if tok == OPEN:
            continue  # a marker with nothing after it: not markup, not text
        if tok[0] == OPEN:
            stack.append(tok[1])
            out.append(spans.get(tok[1], ("", ""))[0])
        elif tok == CLOSE:
            if stack:
                out.append(spans.get(stack.pop(), ("", ""))[1])
        else:
            out.append(_text(tok, backend))
    while stack:
        out.append(spans.get(stack.pop(), ("", ""))[1])
    text = "".join(out)
    return _md_block_safe(text) if backend == "markdown" else text
