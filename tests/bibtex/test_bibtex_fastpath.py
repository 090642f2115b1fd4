"""The fast paths of reading and writing BibTeX give exactly what the oracles give.

Oracles (tests/oracles/bibtex_oracles.py): bibtexparser's ``parse_string`` + pylatexenc +
pybtex's name parser (``parse_bibtex_reference``), bibtexparser's writer
(``records_to_bibtex_reference``).  Fast: ``plm_bib.bibtex.scan`` + the token decoder of
``plm_bib.bibtex.decode`` + the "Last, First" reader of ``plm_bib.metadata.names`` + the
direct writer of ``plm_bib.bibtex.write``.
"""
from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest
from bib_corpus import bib_files, corpus_records, unique_keys
from hypothesis import given, settings
from hypothesis import strategies as st
from oracles.bibtex_oracles import (
    latex_to_text_reference,
    parse_bibtex_reference,
    parse_name_reference,
    records_to_bibtex_reference,
)

from plm_bib.bibtex import parse_bibtex, records_to_bibtex
from plm_bib.bibtex.decode import _fast, latex_to_text
from plm_bib.bibtex.scan import Chunk, ScannedEntry, scan
from plm_bib.metadata.names import _AND, _SIMPLE, _SIMPLE_DIRECT, parse_name
from plm_bib.textio import read_text


def _same(text: str, source: str = "<t>") -> Tuple[bool, str]:
    fast = parse_bibtex(text, source)
    ref = parse_bibtex_reference(text, source)
    a = [r.to_dict() for r in fast[0]]
    b = [r.to_dict() for r in ref[0]]
    if a != b:
        diff = next((x, y) for x, y in zip(a + [{}], b + [{}]) if x != y)
        return False, f"records differ ({len(a)} vs {len(b)}): {diff}"
    if [p.to_dict() for p in fast[1]] != [p.to_dict() for p in ref[1]]:
        return False, f"problems differ: {fast[1][:3]} vs {ref[1][:3]}"
    if fast[2] != ref[2]:
        return False, "@string/@preamble blocks differ"
    return True, ""


@pytest.fixture(scope="module")
def corpus(shared_data: Path) -> List[Tuple[Path, str]]:
    return list(bib_files(shared_data))


def test_acl_anthology_takes_the_fast_scanner_everywhere(shared_data):
    text = read_text(shared_data / "bib" / "large" / "acl_anthology.bib")
    assert not any(isinstance(e, Chunk) for e in scan(text))


def test_fast_load_is_identical_on_every_corpus_file(corpus):
    entries = chunks = 0
    for path, text in corpus:
        scanned = scan(text)
        entries += sum(isinstance(e, ScannedEntry) for e in scanned)
        chunks += sum(isinstance(e, Chunk) for e in scanned)
        ok, why = _same(text, str(path))
        assert ok, f"{path}: {why}"
    # not vacuous: the scanner reads the entries, bibtexparser only a few blocks alone
    assert entries >= 110_000 and chunks < 1000, (entries, chunks)


@pytest.mark.parametrize("name", ["biber/etc_tugboat.bib", "biber/t_tdata_examples.bib",
                                  "thunlp_NRLPapers_nrl.bib"])
def test_files_once_read_whole_by_bibtexparser_take_the_scanner(shared_data, name):
    """@string-heavy TUGboat (backslash-newlines too), files with duplicate keys: every
    entry of theirs is read by the scanner (no Chunk starts with an entry type)."""
    text = read_text(shared_data / "bib" / name)
    scanned = scan(text)
    odd = [text[c.start:c.start + 40] for c in scanned if isinstance(c, Chunk)
           and not re.match(r"@(string|preamble)", text[c.start:c.stop], re.I)]
    assert odd == [] and sum(isinstance(e, ScannedEntry) for e in scanned) > 50


def test_acl_anthology_takes_the_fast_scanner(shared_data):
    text = read_text(shared_data / "bib" / "large" / "acl_anthology.bib")
    scanned = scan(text)
    assert len(scanned) == 88_536


def _values(corpus) -> Dict[str, Set[str]]:
    import bibtexparser

    log = logging.getLogger("bibtexparser")
    level = log.level
    log.setLevel(logging.CRITICAL)
    out: Dict[str, Set[str]] = {"value": set(), "name": set()}
    try:
        for _, text in corpus:
            scanned = scan(text)
            if all(isinstance(e, ScannedEntry) for e in scanned):
                pairs = [(k, v) for e in scanned for k, v in e.fields]
            else:
                pairs = [(f.key, str(f.value)) for e in bibtexparser.parse_string(text).entries for f in e.fields]
            for k, v in pairs:
                if "\\" in v or "$" in v or "~" in v:
                    out["value"].add(v)
                if k.lower() in ("author", "editor"):
                    out["name"].update(p.strip() for p in _AND.split(v.strip()))
    finally:
        log.setLevel(level)
    return out


def test_fast_latex_decoding_is_identical_on_every_corpus_value(corpus):
    values = _values(corpus)["value"]
    fast = 0
    for v in values:
        got = _fast(v)
        if got is None:
            continue  # left to pylatexenc
        fast += 1
        assert got == latex_to_text_reference(v), v
    assert fast > 0.8 * len(values) and fast > 50_000, (fast, len(values))


def test_fast_name_reading_is_identical_on_every_corpus_name(corpus):
    names = _values(corpus)["name"]
    simple = [n for n in names if _SIMPLE.fullmatch(n) or _SIMPLE_DIRECT.fullmatch(n)]
    assert len(simple) > 100_000
    for n in simple:
        assert parse_name(n) == parse_name_reference(n), n


# -- shapes the corpora may not hold: the scanner is exact on them or declines --------------
TRICKY = [
    "@article{a, title = {x}}",
    "@article{a, title = {x},}",
    "@article{a,\n  title = {A {B} c},\n  year = 2020,\n  month = jun\n}",
    '@article{a, title = "Quoted, with comma", year = "2020"}',
    '@article{a, title = "With {braces}"}',
    "@article{a, title = {Escaped \\{brace\\} pair}}",
    "@article{a, title = {Trailing backslash \\\\}, year = 1}",
    "@article{a, title = {x} # {y}}",
    "@article{a, title = {x}, title = {y}}",
    "@article{a, title = {x}}\n@article{a, title = {y}}",
    "@string{foo = {Foo}}\n@article{a, journal = foo}",
    # @string definitions, read by the scanner and resolved as bibtexparser's middleware does
    "@article{a, journal = jcl, month = jan, note = foo # {x}, year = 2020}\n@STRING{JCL = {J. {C}omp. Ling.}}\n"
    "@string{jan = \"January\"}\n@string{Jcl = {Later wins}}",
    "@string{a = {A}}\n@string{a = {B}}\n@article{k, journal = a}",
    "@string{a = {A} # {B}}\n@article{k, journal = a}",
    "@string{a = {A}}\n@article{k, journal = a}\n@article(odd, title = {x})\n",
    "@string{a = {A}}\n@article{k, journal = a, title = \"a\"}\n@string{b = 2020}\n@article{j, year = b, title = {b}}",
    "@comment{hello}\n@article{a, title = {x}}",
    "@article(a, title = {x})",
    "@{WASSA,\n}\n@article{b, title = {x}}",
    "@article{a}",
    "@article{a, title = {x}",
    "@article{a, title = {unbalanced}}}\n@article{b, title={y}}",
    "@article{a, title = {x\n@article{b, title = {y}}",
    "@article{a, title = {mail me at x@y.org}}",
    "@article{a, title {x}}",
    "@article{a, author = {M{\\\"u}ller, Hans and van Beethoven, Ludwig and Devlin, Jacob}}",
    "junk before @article{a, title = {x}} junk after",
    "@article{a, title = {\\'{e}t\\'e -- ``quoted''}}",
    "@article{a, title = {x},\n  note = {line \\\n continues}}",
    # an odd block between ordinary ones: bibtexparser reads it alone (a chunk)
    "@article{a, title = {x}}\n@article(b, title = {y})\n@article{c, title = {z}}\n",
    "@article{a, title = {x}}\n@article{b, title = {unclosed\n  @article{c, title = {z}}\n@book{d, title={w}}",
    "@article{a, title = {x}}\n  @preamble{\"\\newcommand{\\x}{y}\"}\n@article{c, title = {z}}",
    "@article{a, title = {x}}\n@article{b, title = {y}, title = {y2}}\n@article{c, title = {z}}",
    "@article{a, title = {x}}\n@comment{unbalanced {\n@article{c, title = {z}}",
    "@article{a, title = {x}}\n@misc{b, note = {x} # {y}, title={t}} junk @misc{e, title={e}}\n"
    "@article{c, title = {z}}",
    "@article{a, title = {x}}\n@article{b, title = {y}, year 2020}\n@article{a2, title = {z}}\n@article(z",
    "@article{a, title = {x}}\n@article(b, title = {y})\n@article{a, title = {dup after a chunk}}",
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_shapes(text):
    ok, why = _same(text)
    assert ok, why


_ALPHABET = st.sampled_from(list("ab {}\\\"@,=#\n'`~-") + ["\\&", "{\\'e}", "\\v{c}", "--", "and"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_ALPHABET, max_size=12).map("".join), min_size=1, max_size=3))
def test_random_values_are_read_alike(values):
    text = "".join(f"@article{{k{i},\n  title = {{{v}}},\n  author = {{{v}}}\n}}\n" for i, v in enumerate(values))
    ok, why = _same(text)
    assert ok, why


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=16).map("".join))
def test_random_latex_is_decoded_alike(value):
    assert latex_to_text(value) == latex_to_text_reference(value)


# -- writer ------------------------------------------------------------------------------------
def test_direct_bibtex_writer_matches_bibtexparsers_writer(corpus, builtin):
    from plm_bib import Library

    # through a Library, as every writer gets them: every key safe (a record read with an
    # unsafe or no key gets one; the writers refuse others)
    records = list(Library(unique_keys(corpus_records(corpus) + list(builtin))))
    assert len(records) > 20_000
    assert records_to_bibtex(records) == records_to_bibtex_reference(records)
    assert records_to_bibtex(records, biblatex=True) == records_to_bibtex_reference(records, biblatex=True)
    few = records[:2000] + list(builtin)
    assert records_to_bibtex(few, ascii=True, header="% h\n") == \
        records_to_bibtex_reference(few, ascii=True, header="% h\n")
    assert records_to_bibtex([]) == records_to_bibtex_reference([])
    with pytest.raises(ValueError):
        records_to_bibtex(records[:1] * 2)

# -- names: tests/bibtex/test_bibtex_names_exact.py (generated names, and every corpus name)



def test_new_record_is_the_dataclass_record():
    """read_entry.new_record (slots set through their descriptors) makes the Record that
    Record(...) makes: every field given (a distinct value each), and every default."""
    import dataclasses

    from plm_bib.bibtex.read_entry import new_record
    from plm_bib.model import Record

    given_all = {f.name: (f"v{i}",) for i, f in enumerate(dataclasses.fields(Record))}
    assert new_record(**given_all) == Record(**given_all)
    assert all(getattr(new_record(**given_all), k) == v for k, v in given_all.items())
    made, ref = new_record(key="k", title="t"), Record(key="k", title="t")
    assert made == ref and type(made) is Record
    assert made.ids == {} and made.ids is not new_record(key="k", title="t").ids  # a new dict each time
    with pytest.raises(TypeError):
        new_record(title="no key")


def test_plain_values_decode_to_themselves():
    """latex_to_text gives a plain value back as the very object when its only whitespace is
    single spaces; the shortcut rests on this: no printable character but the space is
    whitespace to the regular expression that folds whitespace."""
    import sys

    ws = re.compile(r"\s")
    assert [hex(i) for i in range(sys.maxunicode + 1)
            if chr(i).isprintable() and chr(i) != " " and ws.match(chr(i))] == []
    latex_to_text.cache_clear()
    value = "Jacob M. Devlin"
    assert latex_to_text(value) is value
    assert latex_to_text(" {A}  b\tc\u00a0d ") == "A b c d"


@pytest.mark.parametrize("text", [
    # a definition after the entries that use it (they are made again), a month macro defined late
    '@article{a, title = ac # " x", month = jan, year = 2001}\n@string{ac = "Acme"}\n'
    '@article{b, title = ac, journal = zz}\n@string{jan = "Janvier"}\n@article{c, month = jan}\n',
    # a definition that changes after use (the later spelling wins), one made inside a chunk
    '@string{ac = "One"}\n@article{a, title = ac}\n@string{AC = "Two"}\n@article{b, title = ac}\n'
    '@string(zz = "Zed")\n@article{c, journal = zz # ac}\n',
    # definitions first: every entry made once
    '@string{ac = "Acme"}\n@article{a, title = ac # " and " # undefinedmacro}\n',
])
def test_definitions_after_their_use_read_as_the_reference(text):
    from plm_bib.bibtex.macros import clear_memo

    clear_memo()
    ok, why = _same(text)
    assert ok, why
    records = parse_bibtex(text)[0]
    assert records[0].title != "ac"  # resolved with the file's definitions, not read as the name
