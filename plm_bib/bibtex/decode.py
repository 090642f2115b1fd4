"""BibTeX values -> plain Unicode: pylatexenc, with an exact fast path.

pylatexenc's ``LatexNodes2Text`` on the whole value (:func:`decode_whole`) is correct, but
about 0.3 ms a value, which made LaTeX decoding most of the load time of a large ``.bib``
file.  Most values use a handful of LaTeX shapes only: ``\\&``, ``{\\'e}``, ``\\v{c}``,
``{\\textendash}``, ``\\{...\\}``.  :func:`latex_to_text` cuts such a value into plain
text and these self-contained tokens, decodes each distinct token once with pylatexenc
itself and joins the pieces; any other shape (math, other macros, ``%``, an unescaped
``&``...) goes to pylatexenc whole.  ``tests/bibtex/test_bibtex_fastpath.py`` checks that both give
the same text (the oracle is ``tests/oracles/bibtex_oracles.latex_to_text_reference``) on
generated values and on every distinct value of the shared corpora.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable, List, Optional

__all__ = ["latex_to_text", "decode_whole", "Decoder", "MAX_DEPTH", "depth"]

Decoder = Callable[[str], str]  # LaTeX -> text: latex_to_text, or a reference in tests

MAX_DEPTH = 64  # brace nesting beyond which LaTeX is not decoded (no real title nests so deep)

# our own escapes (written by escape_latex) decode to the characters they stand for
_LITERAL = [("\\textasciicircum{}", "^"), ("\\textasciitilde{}", "~"), ("\\textbackslash{}", "\\"),
            ("\\textbraceleft{}", "{"), ("\\textbraceright{}", "}")]
_LITERAL_MAP = dict(_LITERAL)
_WS = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _latex2text() -> Any:
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(strict_latex_spaces=True)


def depth(value: str) -> int:
    """The deepest brace nesting of ``value``."""
    d = deepest = 0
    for ch in value:
        if ch == "{":
            d += 1
            if d > deepest:
                deepest = d
        elif ch == "}":
            d -= 1
    return deepest


def decode_whole(value: str) -> str:
    """Plain Unicode from a BibTeX value by pylatexenc on the whole value (what
    :func:`latex_to_text` falls back to)."""
    if ("\\" in value or "$" in value or "~" in value) and depth(value) <= MAX_DEPTH:
        for i, (cmd, _) in enumerate(_LITERAL):
            value = value.replace(cmd, chr(0xE000 + i))
        try:
            value = _latex2text().latex_to_text(value)
        except Exception:  # pylatexenc on hostile input: keep the text, without braces
            value = value.replace("{", "").replace("}", "")
        for i, (_, ch) in enumerate(_LITERAL):
            value = value.replace(chr(0xE000 + i), ch)
    else:
        value = value.replace("{", "").replace("}", "")
    return _WS.sub(" ", value).strip()


# tokens pylatexenc decodes on their own, whatever surrounds them
_ARG = r"(?:[A-Za-z]|\{[A-Za-z]\}|\\[ij](?![A-Za-z])|\{\\[ij]\})"
_SYMBOLS = ("ss|o|O|i|j|aa|AA|l|L|ae|AE|oe|OE|textendash|textemdash|textquoteright|textquoteleft|"
            "textquotedblleft|textquotedblright|dh|DH|th|TH|ng|NG")
_TOKEN = re.compile(
    r"\{\\[`'^\"~=.]\s*" + _ARG + r"\}"  # {\'e} {\'{e}} {\'\i}
    r"|\\[`'^\"~=.]" + _ARG +  # \'e \'{e} \'\i
    r"|\{\\[vuHckrdb](?:\{[A-Za-z]\}| [A-Za-z])\}"  # {\v{c}} {\v c}
    r"|\\[vuHckrdb]\{[A-Za-z]\}"  # \v{c}
    r"|\{\\(?:" + _SYMBOLS + r")\}"  # {\ss} {\textendash}
    r"|\\(?:" + _SYMBOLS + r")\{\}"  # \ss{} \textendash{}
    r"|\\text(?:asciicircum|asciitilde|backslash|braceleft|braceright)\{\}"  # our own escapes
    r"|\\[&%$#_{}]"  # \& \{ ...
)
# outside tokens: plain text only (a backslash, math, a comment, an alignment tab or a
# TeX ligature such as -- or '' would need pylatexenc's view of the whole value)
_UNSAFE = re.compile(r"[\\$%&#^_]|--|''|``|[!?]`|<<|>>")


@lru_cache(maxsize=4096)
def _token(tok: str) -> str:
    lit = _LITERAL_MAP.get(tok)
    if lit is not None:
        return lit
    return str(_latex2text().latex_to_text(tok))


def _fast(value: str) -> Optional[str]:
    parts: List[str] = []
    pos = 0
    for m in _TOKEN.finditer(value):
        plain = value[pos:m.start()]
        if _UNSAFE.search(plain):
            return None
        parts.append(plain.replace("{", "").replace("}", "").replace("~", "\xa0"))
        parts.append(_token(m.group()))
        pos = m.end()
    plain = value[pos:]
    if _UNSAFE.search(plain):
        return None
    parts.append(plain.replace("{", "").replace("}", "").replace("~", "\xa0"))
    return _WS.sub(" ", "".join(parts)).strip()


@lru_cache(maxsize=1 << 16)
def latex_to_text(value: str) -> str:
    """Plain Unicode from a BibTeX value: braces dropped, LaTeX accents and escapes decoded.

    Pure, so memoised: venues, publishers and addresses repeat across thousands of entries.

    >>> latex_to_text(r"Marasovi{\\'c} and {BERT} {\\textendash} M\\"{u}ller \\& Co")
    'Marasović and BERT – Müller & Co'
    """
    if "\\" not in value and "$" not in value and "~" not in value:
        return _WS.sub(" ", value.replace("{", "").replace("}", "")).strip()
    if depth(value) <= MAX_DEPTH:
        fast = _fast(value)
        if fast is not None:
            return fast
    return decode_whole(value)
