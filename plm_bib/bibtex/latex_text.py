"""Text -> LaTeX for BibTeX values: escaping, title protection, the safe mode's check.

:func:`escape_latex` writes text so that LaTeX prints it literally (no command can get
through); :func:`protect_title` also braces acronyms and proper nouns (``{BERT}``).
:func:`is_harmless_latex` decides what ``records_to_bibtex(..., latex="safe")`` may keep of
a field's LaTeX source: only the text commands of :data:`HARMLESS_COMMANDS`.
:func:`balanced` counts braces as BibTeX does, :func:`url_value` makes a URL one balanced
value and :func:`to_ascii_latex` writes non-ASCII characters as macros for classic ``bibtex``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

__all__ = ["escape_latex", "protect_title", "HARMLESS_COMMANDS", "is_harmless_latex", "balanced", "url_value",
           "to_ascii_latex"]

_ESCAPES = {
    # literal braces as macros: classic BibTeX and biber count "\{" as a brace, so an
    # unbalanced one would break the entry
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_ESC_RE = re.compile(r"[\\{}&%$#_~^]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LIGATURE = re.compile(r"[-`'<>](?=[-`'<>])|[!?](?=`)")


@lru_cache(maxsize=1 << 16)
def escape_latex(text: str) -> str:
    """Text -> LaTeX that prints it literally (no command can get through).

    Pure, so memoised: venues, publishers and addresses repeat across thousands of records.
    """
    text = _CONTROL.sub("", text)
    text = _ESC_RE.sub(lambda m: _ESCAPES[m.group(0)], text)
    # TeX ligatures (-- --- `` '' !` ?` << >>) would print other characters: break them
    return _LIGATURE.sub(lambda m: m.group(0) + "{}", text)


_PROPER = frozenset(
    "Chinese English French German Spanish Japanese Korean Arabic Russian Siamese Wikipedia "
    "Twitter Tweets Bayesian Gaussian Markov Monte Carlo Euclidean "
    "Hindi Vietnamese Indonesian European American Asian Africa African Turing".split()
)


_WORD = re.compile(r"^([^\w]*)(.*?)([^\w]*)$")
_SPACES = re.compile(r"(\s+)")
_PART_SEP = re.compile(r"[-/]")
_CAPITAL = re.compile(r"[A-Z]")


def protect_title(title: str, escape: Callable[[str], str] = escape_latex) -> str:
    """Escape a title and brace-protect acronyms and proper nouns: ``{BERT}``, ``{RoBERTa}``."""
    parts = _SPACES.split(_CONTROL.sub("", title))  # words at even places, spaces between
    parts[::2] = [_protect_word(w, escape) if w else w for w in parts[::2]]
    return "".join(parts)


@lru_cache(maxsize=1 << 16)
def _protect_word(tok: str, escape: Callable[[str], str]) -> str:
    """One whitespace-free token of a title (pure, so memoised: words repeat across titles)."""
    m = _WORD.match(tok)
    assert m
    lead, word, trail = m.groups()
    esc = escape(word)
    # a word with a capital after its first letter (BERT, RoBERTa, E-BERT, BERTweet)
    parts = [p for p in _PART_SEP.split(word) if p]
    needs = any(_CAPITAL.search(p[1:]) or (len(p) > 1 and p.isupper()) or p in _PROPER for p in parts)
    return escape(lead) + ("{" + esc + "}" if needs and word else esc) + escape(trail)


def balanced(s: str) -> bool:
    """Balanced as BibTeX counts braces (every brace, ``\\{`` too)."""
    depth = 0
    for ch in s:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


# control sequences that only print text: what ``latex="safe"`` lets through
HARMLESS_COMMANDS = frozenset(
    # accents and special letters
    list("'`^\"~=.uvHckrdbt") + "i j o O l L ss aa AA ae AE oe OE dh DH th TH ng NG dj DJ".split()
    # escaped characters, spaces, hyphenation, italic correction
    + list("&%$#_{} ,;:!-/@\\") + ["\n", "\t"]
    + ("textendash textemdash textquoteright textquoteleft textquotedblleft textquotedblright "
       "textasciicircum textasciitilde textbackslash textbraceleft textbraceright textbar textless "
       "textgreater textunderscore textdollar textbullet textperiodcentered textsterling textcopyright "
       "textregistered texttrademark textdegree textsection S P copyright dag ddag pounds ldots dots "
       "slash nobreakspace quad qquad relax xspace guillemotleft guillemotright").split()
    # font and emphasis
    + ("emph textit textbf textsc textsf texttt textrm textsl textup textmd textnormal "
       "textsuperscript textsubscript mbox em it bf sc rm tt sf sl up normalfont underline "
       "ensuremath mathrm mathit mathbf mathsf mathtt mathcal").split()
    # names and links
    + "url LaTeX TeX BibTeX LaTeXe XeTeX XeLaTeX AmS AmSTeX noopsort".split()
    # math symbols
    + ("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
       "pi rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon "
       "Phi Psi Omega times cdot cdots le ge leq geq neq pm mp infty sim approx ell in notin "
       "rightarrow leftarrow to mapsto log exp sqrt frac ast star circ prime partial nabla sum prod "
       "int langle rangle lvert rvert vert mid").split()
)
_CONTROL_SEQ = re.compile(r"\\([A-Za-z]+|[\s\S])")
_UNSAFE_TEXT = re.compile(r"\^\^|[%#&]")


def is_harmless_latex(value: str) -> bool:
    """Whether LaTeX ``value`` only prints text: every control sequence harmless, no
    ``^^`` (TeX's character codes), no unescaped ``%``, ``#`` or ``&``."""
    if "^^" in value:
        return False
    for m in _CONTROL_SEQ.finditer(value):
        if m.group(1) not in HARMLESS_COMMANDS:
            return False
    return not _UNSAFE_TEXT.search(_CONTROL_SEQ.sub("", value))


def url_value(url: str) -> str:
    """A URL (or DOI) as one balanced BibTeX value: braces, backslashes and ``^``
    percent-encoded (the address is the same), control characters dropped."""
    url = _CONTROL.sub("", url)
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D").replace("^", "%5E")


def to_ascii_latex(value: str) -> str:
    """Non-ASCII characters of a BibTeX value as LaTeX macros (``é`` -> ``{\\'e}``), for
    classic ``bibtex``; characters LaTeX has no macro for (CJK) are kept.

    >>> print(to_ascii_latex("Marasović and Müller"))
    Marasovi{\\'c} and M{\\"u}ller
    """
    if value.isascii():
        return value
    from pylatexenc.latexencode import UnicodeToLatexEncoder

    enc = UnicodeToLatexEncoder(non_ascii_only=True, replacement_latex_protection="braces-all",
                                unknown_char_policy="keep", unknown_char_warning=False)
    return str(enc.unicode_to_latex(value))
