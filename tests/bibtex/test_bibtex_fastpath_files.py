"""Whole generated ``.bib`` files read alike by the fast path and the reference path.

The fast path (``plm_bib.bibtex.scan`` + ``plm_bib.bibtex.blocks``: the scanner's blocks, odd
blocks read by bibtexparser alone, bibtexparser's library rules over all of them) must give
the records, problems (messages, lines, order) and ``@string``/``@preamble`` blocks of
bibtexparser reading the whole text (``tests/oracles/bibtex_oracles.py``).  The files are
made of the shapes real files hold, in any order: ``@string`` chains (one defined from
another, ``#`` concatenation, a month name redefined, two spellings of one name, an exact
duplicate), macro uses, duplicate keys and fields, parentheses as delimiters,
``@preamble``, ``@comment`` forms, ``%`` lines, backslash-newlines, and broken blocks
between good ones.
"""
from __future__ import annotations

import random
from typing import List

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oracles.bibtex_oracles import parse_bibtex_reference

from plm_bib.bibtex import parse_bibtex
from plm_bib.bibtex.scan import Chunk, ScannedEntry, StringDef, scan

KEYS = ["a", "b", "B", "c2020", "x:y"]  # few keys: duplicates (and keys differing in case) are common
MACROS = ["acl", "ACL", "procacl", "jan", "feb", "pub", "undefinedmacro"]
VALUES = ["{Plain}", '"Quoted, with comma"', "{A {B} c}", "{\\'e t\\'e}", "2020", "acl", "procacl # { 2020}",
          '"x" # acl # {y}', "jan", "{trailing \\\\}", "{line \\\n continues}", "{mail x@y.org}", "{}",
          "{\\{esc\\}}", "pub # pub", '"with {"} escape"', '"a } b {c"', '"{B}ra\\\\ces \\% q"',
          '"\\\\"', '"x \\" y"', "{\\\\\"}"]
FIELDS = ["title", "author", "journal", "booktitle", "year", "month", "note", "publisher", "pages"]


def _string(rng: random.Random) -> str:
    name = rng.choice(MACROS[:-1])
    value = rng.choice(["{Proc. of ACL}", '"Assoc. Comp. Ling."', "acl # { Conference}", "{X} # {Y}", "1999",
                        "procacl", "{January}", '"Jan" # "uary"'])
    o, c = rng.choice([("{", "}"), ("(", ")")]) if rng.random() < 0.2 else ("{", "}")
    return f"@{rng.choice(['string', 'STRING', 'String'])}{o}{name} = {value}{c}\n"


def _entry(rng: random.Random) -> str:
    fields = rng.sample(FIELDS, rng.randint(0, 4))
    if rng.random() < 0.08 and fields:
        fields.append(fields[0])  # a duplicate field
    body = ",\n".join(f"  {f} = {rng.choice(VALUES)}" for f in fields)
    o, c = ("(", ")") if rng.random() < 0.12 else ("{", "}")
    kind = rng.choice(["article", "inproceedings", "book", "misc", "ARTICLE"])
    comma = "," if rng.random() < 0.3 and fields else ""
    return f"@{kind}{o}{rng.choice(KEYS)},\n{body}{comma}\n{c}\n"


def _other(rng: random.Random) -> str:
    return rng.choice([
        "@preamble{\"\\newcommand{\\noopsort}[1]{}\"}\n",
        "@comment{a comment {with braces}}\n",
        "@comment{@article{inside, title = {read, as BibTeX reads it}}}\n",
        "% a percent line, @article{not really\n",
        "implicit comment text\n",
        "@article{broken, title = {unclosed\n",  # the next line-start block ends it
        "@article{nofields}\n",
        "@{nokind, title = {x}}\n",
        "@article{a, title {no equals}}\n",
        "@article{z, title = {x}} trailing @misc{w, title = {mid line}}\n",
        "@comment{unbalanced {\n",
        "\\\n",  # a backslash-newline between blocks
    ])


def _file(seed: int) -> str:
    rng = random.Random(seed)
    parts: List[str] = []
    for _ in range(rng.randint(1, 14)):
        r = rng.random()
        parts.append(_string(rng) if r < 0.25 else _other(rng) if r < 0.45 else _entry(rng))
    return "".join(parts)


def _same(text: str) -> None:
    fast = parse_bibtex(text, "<gen>")
    ref = parse_bibtex_reference(text, "<gen>")
    assert [r.to_dict() for r in fast[0]] == [r.to_dict() for r in ref[0]], text
    assert [p.to_dict() for p in fast[1]] == [p.to_dict() for p in ref[1]], text
    assert fast[2] == ref[2], text


@pytest.mark.parametrize("seed", range(400))
def test_generated_files_are_read_alike(seed):
    _same(_file(seed))


def test_generated_files_are_mostly_read_by_the_scanner():
    """Not vacuous: the scanner reads most blocks itself, and the shapes above occur."""
    scanned = entries = strings = chunks = 0
    for seed in range(400):
        for e in scan(_file(seed)):
            scanned += 1
            entries += isinstance(e, ScannedEntry)
            strings += isinstance(e, StringDef)
            chunks += isinstance(e, Chunk)
    assert entries > 1000 and strings > 300 and 0 < chunks < scanned / 2, (entries, strings, chunks)


_BLOCK = st.integers(0, 10**6).map(lambda s: [_string, _entry, _other][s % 3](random.Random(s)))


@settings(max_examples=300, deadline=None)
@given(st.lists(_BLOCK, min_size=1, max_size=12))
def test_any_sequence_of_blocks_is_read_alike(blocks):
    _same("".join(blocks))


@pytest.mark.parametrize("text,records,problems", [
    # facts of bibtexparser's reading (its Library keeps the first of two equal keys)
    ("@article{a, title = {x}}\n@article{a, title = {y}}\n", 2, ["duplicate key 'a'"]),
    ("@string{s = {S}}\n@string{s = {T}}\n@article{a, journal = s}\n", 1, ["duplicate definition of 's'"]),
    ("@article{a, title = {x}}\n@article(b, title = {y})\n@article{a, title = {z}}\n", 3, ["duplicate key 'a'"]),
])
def test_duplicates_are_reported(text, records, problems):
    recs, probs, _ = parse_bibtex(text)
    assert len(recs) == records
    assert [p.message.split(":")[0] for p in probs] == problems


def test_a_string_defined_in_an_odd_block_applies_to_entries_read_by_the_scanner():
    text = "@article{k, journal = j}\n@string(j = {Journal} # { of Tests})\n"
    assert any(isinstance(e, Chunk) for e in scan(text))
    (rec,), problems, _ = parse_bibtex(text)
    assert rec.journal == "Journal of Tests" and problems == []


def test_lines_after_a_backslash_newline_are_bibtexparsers():
    """bibtexparser counts no line after a backslash-newline: its line numbers are kept."""
    text = "@article{a, note = {x \\\n y}}\n\n@article{b, title = {x}}\n"
    recs, _, _ = parse_bibtex(text)
    assert [r.line for r in recs] == [1, 3]
