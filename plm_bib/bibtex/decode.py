"""BibTeX values -> plain Unicode: pylatexenc's reading, with exact fast paths.

pylatexenc's ``LatexNodes2Text`` on the whole value (:func:`decode_whole`) is the
definition, but about 0.3-2 ms a value.  :func:`latex_to_text` gives the same text faster:

1. a value with no backslash, dollar or tilde is its text without braces (no pylatexenc);
2. the token path (:func:`_fast`): plain text and a closed set of self-contained tokens
   (``\\&``, ``{\\'e}``, ``\\v{c}``, ``{\\textendash}``, ``\\acro{ABC}``, ``\\TeX{}``...),
   each distinct token decoded once by pylatexenc itself;
3. the word path (:func:`_by_words`): the value cut at the spaces where pylatexenc's reading
   keeps a space whatever the pieces hold (outside braces and math, not after a control
   word, not before a macro argument still to come, by pylatexenc's own argument specs),
   each distinct word read once (by the token path, or pylatexenc);
4. anything else (``%``, ``\\(``, environments, optional arguments...) goes to pylatexenc whole.

pylatexenc is always called with one parsing context built once (it builds a new one per
call otherwise).  ``tests/bibtex/test_bibtex_decode_exact.py`` checks that the result is
pylatexenc's reading of the whole value (the oracle is
``tests/oracles/bibtex_oracles.latex_to_text_reference``) on every distinct value of the
shared corpora and on generated LaTeX.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any, Callable, List, Optional, Tuple

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


@lru_cache(maxsize=1)
def _walker_context() -> Any:
    """pylatexenc's default parsing context, built once: ``LatexWalker`` builds a new one
    on every call when none is given (a third of the time of a short value), the same one."""
    from pylatexenc.latexwalker import get_default_latex_context_db

    return get_default_latex_context_db()


def _pylatexenc(value: str) -> str:
    """``LatexNodes2Text(strict_latex_spaces=True).latex_to_text(value)``, parsed in the
    one default context."""
    return str(_latex2text().latex_to_text(value, latex_context=_walker_context()))


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
            value = _pylatexenc(value)
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
    # any other control word with a plain group (its argument, or a group after a macro of
    # none), or with the spaces it takes, or before a sign: :func:`_fast` checks what
    # pylatexenc's parser reads after it (:func:`_argspec`)
    r"|\\[A-Za-z]+(?:\{[^{}\\$%]*\}|(?:[ \t]+\n?[ \t]*|\n[ \t]*)(?!\s)|(?![^\W\d_]|\s))"
    r"|\\[ ,/;:!]"  # control spaces and the italic correction
    r"|(?<!\$)\$[^$\\{}%~]+\$(?!\$)"  # inline math of plain signs: $x_1$, $<$
)
# TeX's ligatures in plain text, as pylatexenc reads them (left to right, longest first)
_LIGATURE = re.compile(r"---|--|''|``|!`|\?`")
_LIGATURES = {"---": "\u2014", "--": "\u2013", "''": "\u201d", "``": "\u201c", "!`": "\xa1", "?`": "\xbf"}
# outside tokens: plain text only (a backslash, math, a comment or an alignment tab would
# need pylatexenc's view of the whole value); TeX ligatures (-- '' ``) are read as it reads them
_UNSAFE = re.compile(r"[\\$%&#^_]|<<|>>")


# what pylatexenc gives for an accent on an ASCII letter (the letter and the combining mark,
# composed: NFC), the letter-like symbols and the escaped specials, without calling it
# (tests/bibtex/test_bibtex_decode_exact.py checks every accent on every letter in every form)
_COMBINING = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
              ".": "\u0307", "v": "\u030c", "u": "\u0306", "H": "\u030b", "c": "\u0327", "k": "\u0328",
              "r": "\u030a", "d": "\u0323", "b": "\u0331"}
_SYMBOL_TEXT = {"ss": "\xdf", "o": "\xf8", "O": "\xd8", "aa": "\xe5", "AA": "\xc5", "l": "\u0142", "L": "\u0141",
                "ae": "\xe6", "AE": "\xc6", "oe": "\u0153", "OE": "\u0152", "i": "\u0131", "j": "\u0237",
                "textendash": "\u2013", "textemdash": "\u2014", "textquoteright": "\u2019",
                "textquoteleft": "\u2018", "textquotedblleft": "\u201c", "textquotedblright": "\u201d",
                "dh": "\xf0", "DH": "\xd0", "th": "\xfe", "TH": "\xde", "ng": "\u014b", "NG": "\u014a"}


def _native(tok: str) -> Optional[str]:
    """A token's text where it is one of the shapes above (``\\'e``, ``{\\'{e}}``, ``\\v{c}``,
    ``{\\v c}``, ``{\\ss}``, ``\\ss{}``, ``\\&``); ``None`` for any other."""
    if len(tok) == 2 and tok[0] == "\\" and tok[1] in "&%$#_{}":
        return tok[1]
    t = tok[1:-1] if tok[0] == "{" else tok
    if t[:1] != "\\" or len(t) < 2:
        return None
    accent, rest = t[1], t[2:]
    if accent in _COMBINING:
        if accent.isalpha():  # \v{c}, \v c: a letter accent needs a brace or a space
            letter = rest[1] if len(rest) == 2 and rest[0] == " " else rest[1] if len(rest) == 3 and \
                rest[0] == "{" and rest[2] == "}" else ""
        else:  # \'e, \'{e}
            letter = rest if len(rest) == 1 else rest[1] if len(rest) == 3 and rest[0] == "{" and rest[2] == "}" \
                else ""
        if letter.isascii() and letter.isalpha():
            return unicodedata.normalize("NFC", letter + _COMBINING[accent])
    if tok[0] == "{":
        return _SYMBOL_TEXT.get(t[1:])
    return _SYMBOL_TEXT.get(t[1:-2]) if t.endswith("{}") else None


@lru_cache(maxsize=1 << 14)
def _token(tok: str) -> str:
    lit = _LITERAL_MAP.get(tok)
    if lit is not None:
        return lit
    text = _native(tok)
    if text is not None:
        return text
    return _pylatexenc(tok)


_NAME = re.compile(r"\\([A-Za-z]+|[\s\S])")


def _self_contained(tok: str) -> bool:
    """Whether pylatexenc reads the control word ``tok`` (with a group, its spaces or
    nothing after it) alone as it reads it in any value: no argument is read beyond it."""
    m = _NAME.match(tok)
    assert m is not None
    spec = _argspec(m.group(1))
    if spec is None:
        return False
    if tok.endswith("}"):
        return spec[0] <= 1
    return spec == (0, False)


def _fast(value: str) -> Optional[str]:
    parts: List[str] = []
    pos = 0
    for m in _TOKEN.finditer(value):
        plain = value[pos:m.start()]
        if _UNSAFE.search(plain):
            return None
        tok = m.group()
        if tok[0] == "\\" and (tok[1].isalpha() or tok[1] in " ,/;:!") and not _self_contained(tok):
            return None
        parts.append(_plain(plain))
        parts.append(_token(tok))
        pos = m.end()
    plain = value[pos:]
    if _UNSAFE.search(plain):
        return None
    parts.append(_plain(plain))
    return _WS.sub(" ", "".join(parts)).strip()


def _plain(text: str) -> str:
    """Text between tokens as pylatexenc reads it: ligatures (before the braces go: ``-{}-``
    is no dash), braces dropped, a tilde a no-break space."""
    if "-" in text or "'" in text or "`" in text:
        text = _LIGATURE.sub(lambda m: _LIGATURES[m.group()], text)
    return text.replace("{", "").replace("}", "").replace("~", "\xa0")


# -- words: a value pylatexenc must read, cut where its reading of the whole is the
# reading of the pieces joined by a space ------------------------------------------------
# a control word or symbol, whitespace, a brace, a dollar, or a run of anything else
_SEG = re.compile(r"\\(?:[A-Za-z]+|[\s\S])|\s+|[{}$]|[^\\{}$\s]+")
_ENDS_AT_LETTER = re.compile(r"[^\x00-\x7f]")
_NOT_ARGUMENT = frozenset("&~`'!?-#^_%[*")  # a first character pylatexenc may read otherwise
_PLAIN_WORD = re.compile(r"[\\{}$%&~#^_\-'`!?]")  # what pylatexenc reads as more than itself
_BAIL = frozenset(("(", ")", "[", "]", "begin", "end", "verb"))
_BRACE = re.compile(r"(?<!\\)[{}]")


@lru_cache(maxsize=1024)
def _argspec(name: str) -> Optional[Tuple[int, bool]]:
    """The arguments pylatexenc's parser reads after ``\\name``: (mandatory ones, optional
    ones before them); ``None`` for a shape not followed here (an optional after a mandatory)."""
    spec = _walker_context().get_macro_spec(name)
    argspec = "" if spec is None else getattr(getattr(spec, "args_parser", None), "argspec", None)
    if not isinstance(argspec, str) or set(argspec) - set("{[*"):
        return None
    rest = argspec.lstrip("[*")
    if "[" in rest or "*" in rest:
        return None
    return len(rest), len(rest) < len(argspec)


def _words(value: str) -> Optional[List[str]]:
    """``value`` cut at the whitespace where pylatexenc's reading keeps a space whatever
    the pieces hold: outside braces and math, not after a macro (a control word takes the
    space after it; it and the space before a macro's argument are not cut) and not before
    an argument still to come; ``None`` for a shape not followed here (``%``, ``\\(``,
    environments, ``\\verb``, an optional argument, unbalanced braces or dollars)."""
    words: List[str] = []
    start = depth = pending = 0
    math = after_macro = optional = arg_group = False
    for m in _SEG.finditer(value):
        tok = m.group()
        c = tok[0]
        if c.isspace():
            if not after_macro and not pending and not depth and not math:
                words.append(value[start:m.start()])
                start = m.end()
            continue
        if optional and c in "[*":
            return None
        optional = after_macro = False
        if c == "\\":
            name = tok[1:]
            if name in _BAIL or len(tok) == 1:
                return None
            end = m.end()
            if name[0].isalpha() and end < len(value) and _ENDS_AT_LETTER.match(value, end) and value[end].isalpha():
                return None  # pylatexenc's control words go on over non-ASCII letters
            spec = _argspec(name)
            if spec is None:
                return None
            if depth:
                continue
            if pending:
                if spec[0] or spec[1]:
                    return None  # a macro with arguments as an argument
                pending -= 1
            else:
                pending, optional = spec
            after_macro = True
        elif c == "{":
            if not depth:
                arg_group = pending > 0
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                return None
            if not depth and arg_group:
                pending -= 1
                arg_group = False
        elif c == "$":
            if pending and not depth:
                return None
            math = not math
        else:
            if "%" in tok:
                return None
            if pending and not depth:
                if c in _NOT_ARGUMENT:
                    return None
                pending = max(0, pending - len(tok))
    if depth or math or pending:
        return None
    words.append(value[start:])
    return words


def _read_words(value: str) -> Optional[str]:
    """pylatexenc's reading of ``value`` (our escapes masked), word by word; ``None`` when
    the value cannot be cut or pylatexenc fails on a word."""
    words = _words(value)
    if words is None:
        return None
    out = []
    for w in words:
        t = _word(w)
        if t is None:
            return None
        out.append(t)
    return " ".join(out)


def _one_group(word: str) -> bool:
    """Whether ``word`` is one braced group (its first brace closes at its end)."""
    if word[:1] != "{" or word[-1:] != "}":
        return False
    d = 0
    for m in _BRACE.finditer(word):
        d += 1 if m.group() == "{" else -1
        if d == 0:
            return m.end() == len(word)
    return False


@lru_cache(maxsize=1 << 15)
def _word(word: str) -> Optional[str]:
    """One piece of :func:`_words` as pylatexenc reads it (our escapes masked); ``None``
    if pylatexenc fails on it.  A piece that is one group (not a macro's argument: it
    starts a piece) reads as its contents, so those are cut into words in turn."""
    if not _PLAIN_WORD.search(word):
        return word
    if _one_group(word):
        inner = _read_words(word[1:-1])
        if inner is not None:
            return inner
    fast = _fast(word)
    if fast is not None:
        return fast
    try:
        return _pylatexenc(word)
    except Exception:
        return None


def _by_words(value: str) -> Optional[str]:
    """pylatexenc's reading of ``value`` (one that holds a backslash, dollar or tilde: other
    values are not given to pylatexenc) word by word, each distinct word read once."""
    for i, (cmd, _) in enumerate(_LITERAL):
        value = value.replace(cmd, chr(0xE000 + i))
    text = _read_words(value)
    if text is None:
        return None
    for i, (_, ch) in enumerate(_LITERAL):
        text = text.replace(chr(0xE000 + i), ch)
    return _WS.sub(" ", text).strip()


@lru_cache(maxsize=1 << 16)
def latex_to_text(value: str) -> str:
    """Plain Unicode from a BibTeX value: braces dropped, LaTeX accents and escapes decoded.

    Pure, so memoised: venues, publishers and addresses repeat across thousands of entries.

    >>> latex_to_text(r"Marasovi{\\'c} and {BERT} {\\textendash} M\\"{u}ller \\& Co")
    'Marasović and BERT – Müller & Co'
    """
    if "\\" not in value and "$" not in value and "~" not in value:
        text = value.replace("{", "").replace("}", "")
        if "  " not in text and text.isprintable():  # no whitespace but single spaces (the
            return text.strip()  # others are not printable): the text itself, no copy
        return _WS.sub(" ", text).strip()
    if depth(value) <= MAX_DEPTH:
        fast = _fast(value)
        if fast is not None:
            return fast
        fast = _by_words(value)
        if fast is not None:
            return fast
    return decode_whole(value)
