"""LaTeX -> Unicode: the fast decoder gives exactly pylatexenc's reading of the whole value.

``plm_bib.bibtex.decode.latex_to_text`` reads a value by its token path (plain text and
self-contained tokens), else word by word (pieces cut where pylatexenc keeps a space, each
distinct piece read once), else by pylatexenc on the whole value.  The oracle
(``tests/oracles/bibtex_oracles.latex_to_text_reference``) reads every value whole.  Proven on
every distinct field value and name part of every shared ``.bib`` file, and on generated
LaTeX snippets made of the shapes real fields hold (and some they rarely do).
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import List, Set

import pytest
from bib_corpus import bib_files
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from oracles.bibtex_oracles import latex_to_text_reference

from plm_bib.bibtex import decode
from plm_bib.bibtex.decode import _by_words, _fast, _words, latex_to_text
from plm_bib.bibtex.scan import ScannedEntry, StringDef, scan
from plm_bib.metadata.names import parse_bibtex_names


@pytest.fixture(scope="module")
def corpus_values(shared_data: Path) -> Set[str]:
    """Every distinct field value (entries and ``@string`` definitions; blocks the scanner
    leaves to bibtexparser through bibtexparser) and every name part of every author and
    editor field, of every UTF-8 ``.bib`` file of the shared corpora."""
    import bibtexparser

    log = logging.getLogger("bibtexparser")
    level = log.level
    log.setLevel(logging.CRITICAL)
    values: Set[str] = set()
    names: Set[str] = set()
    try:
        for _, text in bib_files(shared_data / "bib"):
            scanned = scan(text)
            pairs = [(k, v) for e in scanned if isinstance(e, ScannedEntry) for k, v in e.fields]
            pairs += [(e.key, e.value) for e in scanned if isinstance(e, StringDef)]
            if not all(isinstance(e, (ScannedEntry, StringDef)) for e in scanned):
                lib = bibtexparser.parse_string(text)
                pairs += [(f.key, str(f.value)) for e in lib.entries for f in e.fields]
            for k, v in pairs:
                values.add(v)
                if k.lower() in ("author", "editor"):
                    names.add(v)
    finally:
        log.setLevel(level)
    for n in names:
        for p in parse_bibtex_names(n):
            values.update((p.family, p.given, p.prefix, p.suffix))
    return values


def test_every_corpus_value_decodes_as_pylatexenc_reads_it_whole(corpus_values):
    latex = [v for v in corpus_values if "\\" in v or "$" in v or "~" in v]
    by_words = whole = 0
    for v in latex:
        if _fast(v) is None:
            if _by_words(v) is None:
                whole += 1
            else:
                by_words += 1
        assert latex_to_text(v) == latex_to_text_reference(v), v
    # not vacuous: most LaTeX values take the token path, hundreds the word path, few go whole
    assert len(latex) > 70_000 and by_words > 300 and whole < 100, (len(latex), by_words, whole)


def test_plain_corpus_values_cost_nothing_and_match(corpus_values):
    plain = [v for v in corpus_values if "\\" not in v and "$" not in v and "~" not in v]
    assert len(plain) > 300_000
    for v in plain[:50_000]:
        assert latex_to_text(v) == latex_to_text_reference(v), v


# -- by hand: what pylatexenc gives (read from running it, then checked against LaTeX's rules) --
@pytest.mark.parametrize("value, text", [
    (r"The \TeX{}book by {\sc Knuth}", "The book by Knuth"),  # \TeX is unknown to pylatexenc: dropped
    (r"Stra\ss e and \o{}l", "Straße and øl"),  # a control word takes the space after it
    (r"\alpha b", "αb"),
    (r"\'e \'e -- \v s", "é é – š"),  # a ligature is read where a backslash is in the value
    (r"{Doing it my way: A lone {\TeX}er in the real world}", "Doing it my way: A lone er in the real world"),
    (r"\emph{a b} c", "a b c"),
    (r"100\% \& more~text", "100% & more text"),  # the no-break space is whitespace: one space
])
def test_hand_checked_values(value, text):
    assert latex_to_text(value) == text == latex_to_text_reference(value)


def test_words_are_not_cut_where_pylatexenc_takes_the_space():
    # after a control word, inside braces or math, before a macro's next argument
    assert _words(r"a \TeX b") == ["a", r"\TeX b"]
    assert _words(r"{a b} $c d$ e") == ["{a b}", "$c d$", "e"]
    assert _words(r"\frac 1 2 x") == [r"\frac 1 2", "x"]
    assert _words(r"\textbf {A} b") == [r"\textbf {A}", "b"]
    # shapes not followed: an optional argument, a comment, \( math, unbalanced braces
    for v in (r"\\ [2pt] x", "a % c\n b", r"\(x\) y", "{a b", r"\verb+x y+"):
        assert _words(v) is None, v


def test_native_accents_and_symbols_are_pylatexencs():
    """Every accent on every ASCII letter in every token form, and every symbol the decoder
    writes without pylatexenc, against pylatexenc (the oracle reads the value whole)."""
    import string

    forms = []
    for a in decode._COMBINING:
        for ch in string.ascii_letters:
            if a.isalpha():
                forms += [f"\\{a}{{{ch}}}", f"{{\\{a}{{{ch}}}}}", f"{{\\{a} {ch}}}"]
            else:
                forms += [f"\\{a}{ch}", f"\\{a}{{{ch}}}", f"{{\\{a}{ch}}}", f"{{\\{a}{{{ch}}}}}"]
    forms += [f"{{\\{n}}}" for n in decode._SYMBOL_TEXT] + [f"\\{n}{{}}" for n in decode._SYMBOL_TEXT]
    forms += ["\\" + c for c in "&%$#_{}"]
    assert len(forms) > 2500
    for f in forms:
        assert decode._native(f) is not None, f
        assert latex_to_text("x" + f + "y") == latex_to_text_reference("x" + f + "y"), f


# -- generated snippets ------------------------------------------------------------------------
_PIECES = st.sampled_from(
    ["a", "Bc", "é", "1", " ", "  ", "\n", "\n\n", "\t", "{", "}", "{}", "$", "~", "-", "--", "'", "''", "`",
     "!`", ",", ".", "[", "]", "*", "%", "&", "#", "^", "_", "\\", "\\\\", "\\ ", "\\,", "\\/", "\\&", "\\%",
     "\\{", "\\}", "\\'", "\\'e", "\\\"{o}", "\\c c", "\\v{s}", "\\ss", "\\o", "\\i", "\\TeX", "\\TeX{}",
     "\\LaTeX", "\\acro{ABC}", "\\emph", "\\emph{", "\\textbf{x y}", "\\tt", "{\\it ", "\\frac", "\\url{",
     "\\alpha", "\\mbox", "\\textendash", "\\textbackslash{}", "\\\\[", "\\(", "\\begin{x}", "\\foo", "ä",
     "\\é", "\\textsubscript{2}", "\\cite[p]{k}", "\\sqrt", "\xa0"])


@settings(max_examples=600, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_generated_latex_decodes_as_whole(value):
    assert latex_to_text(value) == latex_to_text_reference(value), value


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, min_size=2, max_size=10).map(" ".join))
def test_generated_words_decode_as_whole(value):
    """Values with many spaces: the word path's cuts (checked directly, not only when the
    token path declines); as :func:`latex_to_text` uses it, on values pylatexenc reads."""
    assume("\\" in value or "$" in value or "~" in value)
    got = _by_words(value)
    if got is not None:
        assert got == latex_to_text_reference(value), value


def test_word_path_is_taken_on_generated_values():
    values: List[str] = [r"{\tt foo} bar \TeX{} x", r"a \frac 1 2 b {c \emph{d}}", r"\acro{A}--\acro{B} \LaTeX\ x"]
    for v in values:
        assert _by_words(v) is not None and _by_words(v) == latex_to_text_reference(v), v
    assert decode.MAX_DEPTH == 64
