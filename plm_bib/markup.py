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
'See *A & B*, <https://x.org/a_b>.'
"""
from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import Callable, Dict, List, Tuple

__all__ = ["BACKENDS", "span", "render", "clean", "URL_RE"]

BACKENDS = ("text", "markdown", "html", "latex", "typst")
OPEN, CLOSE = "\x01", "\x02"

URL_RE = re.compile(r"https?://[^\s<>\"\x01\x02]+")
_TRAIL = ".,;:!?'\u201d\u2019"


def span(kind: str, text: str) -> str:
    return f"{OPEN}{kind}{text}{CLOSE}" if text else ""


def clean(text: str) -> str:
    """Input text with control characters (including our markers) removed."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)


def _split_url(m: str) -> Tuple[str, str]:
    """A matched URL without the punctuation that ends the sentence around it."""
    url = m
    while url and (url[-1] in _TRAIL or (url[-1] == ")" and url.count("(") < url.count(")"))):
        url = url[:-1]
    return url, m[len(url):]


def _latex_url(url: str) -> str:
    url = url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")
    return "\\url{" + url.replace("%", "\\%").replace("#", "\\#") + "}"


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)


_TYPST_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def _typst_escape(text: str) -> str:
    """Typst markup that prints ``text`` literally: every ASCII punctuation character
    escaped with a backslash (``//`` cannot start a comment, ``#`` no code)."""
    return _TYPST_SPECIAL.sub(r"\\\1", text.replace("\n", " "))


def _typst_link(url: str) -> str:
    lit = url.replace("\\", "\\\\").replace('"', '\\"')
    return f'#link("{lit}")[{_typst_escape(url)}]'


def _latex_escape(text: str) -> str:
    from .bibtex import escape_latex

    return escape_latex(text)


_TEXT: Dict[str, Tuple[Callable[[str], str], Callable[[str], str]]] = {
    "text": (lambda s: s, lambda u: u),
    "html": (lambda s: html.escape(s, quote=False),
             lambda u: f'<a href="{html.escape(u)}">{html.escape(u, quote=False)}</a>'),
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
        raise ValueError(f"unknown backend {backend!r}; known: {', '.join(BACKENDS)}")
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
    return "".join(out)
