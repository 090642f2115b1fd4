"""``@preamble{...}``, entries in parentheses and ``@string{...}`` of any value are read by the
fast scanner itself, exactly as bibtexparser reads them.

Each shape below is read natively (no Chunk goes to bibtexparser) and the whole text gives the
records, problems and ``@string``/``@preamble`` blocks of the reference path (bibtexparser on
the whole text, ``tests/oracles/bibtex_oracles.parse_bibtex_reference``).  On the shared
corpora: the files that hold these blocks read alike, and almost no block is left to
bibtexparser any more.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from bib_corpus import bib_files
from oracles.bibtex_oracles import parse_bibtex_reference

from plm_bib.bibtex import parse_bibtex
from plm_bib.bibtex.read import _skip_comment_words
from plm_bib.bibtex.read_entry import mask_double_backslashes
from plm_bib.bibtex.scan import Chunk, Preamble, ScannedEntry, StringDef, scan


def _assert_same(text: str, source: str = "<t>") -> None:
    fast = parse_bibtex(text, source)
    ref = parse_bibtex_reference(text, source)
    assert [r.to_dict() for r in fast[0]] == [r.to_dict() for r in ref[0]]
    assert [p.to_dict() for p in fast[1]] == [p.to_dict() for p in ref[1]]
    assert fast[2] == ref[2]


NATIVE = [
    # parentheses as delimiters
    "@article(a, title = {x (y) z}, year = 2020)",
    "@article(a,\n  title = {x},\n  journal = acl,\n)\n@string{acl = {ACL}}",
    '@book(b, title = "closing ) in quotes", note = {a (b}, month = jan)',
    "@misc(c)\n@article{d, title = {after}}",
    "@ARTICLE( e ,\n title={braced {inner}} , pages = 1--2 )",
    "@article(a, author = X # { and Y})\n@string{x = {Xavier}}",
    # concatenations of plain parts in fields (read in one pattern, kept as the expression)
    '@article{a, ack = ack-bnb # " and " # ack-nhfb, title = {x} # {y},\n  note = "a" # "b", year = 2020}\n'
    '@string{ack-bnb = "B"}',
    # @preamble with nested and escaped braces, quotes not counted
    '@preamble{"\\newcommand{\\noopsort}[1]{} \\{"}\n@article{a, title = {x}}',
    "@preamble{ {\\def\\x{y}} }\n@article{a, title = {x}}\n@PREAMBLE{\"two\"}",
    # @string values of any shape: concatenations, nested braces, quotes with braces, empty
    '@string{acl = "Assoc. " # {Comp. Ling.}}\n@article{a, journal = acl # { 2020}}',
    "@string{a = {A {nested {deep}} one}}\n@article{k, journal = a}",
    '@string{q = "with {braces} in quotes"}\n@article{k, journal = q}',
    "@string{e = {}}\n@article{k, journal = e, title = {t}}",
    "@string{x = jan # { } # feb}\n@article{k, note = x, title = {t}}",
    "@string{a = {A}}\n@string{a = {B} # {C}}\n@article{k, journal = a}",  # duplicate definition
    "@string{ spaced   =   {v}   }\n@article{k, journal = spaced}",
]


@pytest.mark.parametrize("text", NATIVE)
def test_native_blocks_read_alike(text):
    assert not any(isinstance(b, Chunk) for b in scan(text)), scan(text)
    _assert_same(text)


def test_native_blocks_are_what_bibtexparser_splits():
    # by hand from the text: the block's raw text ends at its closing brace or parenthesis
    text = '@preamble{"{a}"}\n@string{s = "x" # {y}}\n@article(k, title = {t})\n'
    got = scan(text)
    assert got[0] == Preamble('@preamble{"{a}"}', 0)
    assert got[1] == StringDef("s", '"x" # {y}', '@string{s = "x" # {y}}', 1)
    assert isinstance(got[2], ScannedEntry) and got[2].fields == [("title", "t")] and got[2].key == "k"
    assert text[got[2].start:got[2].end] == "@article(k, title = {t})"


ODD = [
    "@string(mar = \"march\")\n@article{k, month = mar}",  # @string in parentheses: bibtexparser alone
    "@article(a, author = X # { and {Y}})",  # a parenthesised entry, a concatenation with nested braces
    "@preamble{unclosed\n@article{a, title = {x}}",  # a block start inside: aborted as bibtexparser does
    "@string{a = {unclosed\n@article{b, title = {y}}",
    "@preamble(\"x\")\n@article{a, title = {x}}",
]


@pytest.mark.parametrize("text", ODD)
def test_other_shapes_still_go_to_bibtexparser_alike(text):
    assert any(isinstance(b, Chunk) for b in scan(text))
    _assert_same(text)


def test_corpus_files_with_these_blocks_read_alike(shared_data: Path):
    chunks = native = 0
    for path, text in bib_files(shared_data / "bib"):
        if path.name == "acl_anthology.bib":
            continue  # none of these blocks (test_bibtex_fastpath reads it whole)
        # as parse_bibtex scans it: the word @comment blanked, double backslashes masked
        scanned = scan(mask_double_backslashes(_skip_comment_words(text, "")[0])[0])
        chunks += sum(isinstance(b, Chunk) for b in scanned)
        has = sum(isinstance(b, (Preamble, StringDef)) for b in scanned) + \
            len(re.findall(r"^\s*@\w+\s*\(", text, re.M))
        if has:
            native += has
            _assert_same(text, str(path))
    # before: about 800 blocks of the shared corpora went to bibtexparser (parenthesised
    # entries, @preamble, @string with #); now only a few odd ones
    assert native > 1000 and chunks < 20, (native, chunks)
