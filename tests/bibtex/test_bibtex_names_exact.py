"""BibTeX names: the direct split of the common shapes gives exactly pybtex's split.

``plm_bib.metadata.names.parse_name`` splits ``Last, First`` and ``First Last`` itself
when Last's words before its last one are capitalised and every word is a run of letters,
balanced braces and control sequences (``Lebarb\\'e, Thomas``, ``R Sch{\\"o}nfeld``), and a
name of one such word;
everything else goes to pybtex.  The oracle (``tests/oracles/bibtex_oracles.parse_name_reference``)
gives every name to pybtex.  Proven on every name of every author and editor field of the
shared corpora, and on generated names.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Set

import pytest
from bib_corpus import bib_files
from hypothesis import given, settings
from hypothesis import strategies as st
from oracles.bibtex_oracles import parse_name_reference

from plm_bib.metadata.names import _AND, _ONE_WORD, _SIMPLE, _SIMPLE_DIRECT, OTHERS, parse_name
from plm_bib.model import Person


@pytest.fixture(scope="module")
def corpus_names(shared_data: Path) -> Set[str]:
    import bibtexparser

    from plm_bib.bibtex.scan import ScannedEntry, scan

    log = logging.getLogger("bibtexparser")
    level = log.level
    log.setLevel(logging.CRITICAL)
    out: Set[str] = set()
    try:
        for _, text in bib_files(shared_data / "bib"):
            scanned = scan(text)
            pairs = [(k, v) for e in scanned if isinstance(e, ScannedEntry) for k, v in e.fields]
            if not all(isinstance(e, ScannedEntry) for e in scanned):
                pairs += [(f.key, str(f.value)) for e in bibtexparser.parse_string(text).entries for f in e.fields]
            for k, v in pairs:
                if k.lower() in ("author", "editor"):
                    out.update(p.strip() for p in _AND.split(v.strip()))
    finally:
        log.setLevel(level)
    return out


def test_every_corpus_name_splits_as_pybtex_splits_it(corpus_names):
    direct = [n for n in corpus_names if _SIMPLE.fullmatch(n) or _SIMPLE_DIRECT.fullmatch(n) or _ONE_WORD.fullmatch(n)]
    latex = [n for n in direct if "\\" in n or "{" in n]
    # not vacuous: nearly every name is split directly, thousands of them with LaTeX in them
    assert len(corpus_names) > 130_000 and len(direct) > 0.95 * len(corpus_names) and len(latex) > 5_000
    parse_name.cache_clear()
    for n in corpus_names:
        assert parse_name(n) == parse_name_reference(n), n


@pytest.mark.parametrize("name, person", [
    ("Lebarb\\'e, Thomas", Person(family="Lebarb\\'e", given="Thomas")),
    ('R Sch{\\"o}nfeld', Person(family='Sch{\\"o}nfeld', given="R")),
    ("Garc{\\'\\i}a-Cumbreras, Miguel A.", Person(family="Garc{\\'\\i}a-Cumbreras", given="Miguel A.")),
    ("N E {DeAngeli}", Person(family="{DeAngeli}", given="N E")),
    ("{den Hertog}, Martien I.", Person(family="{den Hertog}", given="Martien I.")),  # one braced word
    ("S{\\=u}d{\\v z}ius, M", Person(family="S{\\=u}d{\\v z}ius", given="M")),
    ("Author", Person(family="Author")),  # one word: its Last part
    ("{P}", Person(family="{P}")),
    ("Et Al", OTHERS),  # read as "others", as pybtex's path reads it
])
def test_hand_checked_names(name, person):
    parse_name.cache_clear()
    assert parse_name(name) == person == parse_name_reference(name)


_WORDS = st.sampled_from(["Jacob", "Devlin", "J.", "van", "de", "La", "Jr.", "Sch{\\\"o}nfeld", "Lebarb\\'e",
                          "{DeAngeli}", "{\\'E}mile", "\\\"Oz\\c{c}elik", "{van}", "Mc{C}ain", "d'Alembert",
                          "{\\relax Ch}ristian", "Ana{\\\"\\i}s", "III", "others", "Al", "Et", "{-}", "Filos{-}R",
                          "{{Gu}}", "\\v{S}", "é", "Σ", "{den Hertog}", "d{\\v z}i", "{a {b c}}",
                          "Ming-Wei", "O'Neil", "DeYoung", "Ä", "{B}", "-X", "Al-Khatib"])


@settings(max_examples=600, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=4), st.sampled_from(["", ", ", " "]), st.lists(_WORDS, max_size=3))
def test_generated_names_split_alike(first, sep, rest):
    name = " ".join(first) + (sep + " ".join(rest) if rest and sep else "")
    parse_name.cache_clear()
    assert parse_name(name) == parse_name_reference(name), name
