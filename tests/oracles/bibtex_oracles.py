"""Oracles of the bibtex package: second implementations kept only to compare the fast
paths with (tests/bibtex/test_bibtex_fastpath.py).

- :func:`latex_to_text_reference`: pylatexenc on the whole value, the oracle of
  :func:`plm_bib.bibtex.decode.latex_to_text`'s token path;
- :func:`parse_bibtex_reference`: bibtexparser on the whole text with that decoding, the
  oracle of the fast scanner;
- :func:`parse_name_reference`: pybtex alone, the oracle of the "Last, First" fast path of
  :func:`plm_bib.metadata.names.parse_name`;
- :func:`records_to_bibtex_reference`: :func:`plm_bib.bibtex.records_to_bibtex` through
  bibtexparser's writer.
"""
from __future__ import annotations

from functools import lru_cache
from typing import List, Tuple

from plm_bib.bibtex.decode import decode_whole
from plm_bib.bibtex.read import parse_bibtex
from plm_bib.bibtex.write import _checked, _entries, _Writer
from plm_bib.metadata import names
from plm_bib.model import Person, Problem, Record

__all__ = ["latex_to_text_reference", "parse_bibtex_reference", "parse_name_reference",
           "records_to_bibtex_reference"]


def latex_to_text_reference(value: str) -> str:
    """Plain Unicode from a BibTeX value by pylatexenc alone."""
    if "\\" in value or "$" in value or "~" in value:
        return _pylatexenc_whole(value)
    return decode_whole(value)  # no LaTeX: braces and spaces only, cheaper than a cache


@lru_cache(maxsize=None)
def _pylatexenc_whole(value: str) -> str:
    """pylatexenc's reading depends on the value alone, so each distinct LaTeX value is read
    once per process: the corpus proofs (decoding, fast load) read the same ~70,000 values, and
    a worker runs several of them (a bounded cache forgot them between two proofs)."""
    return decode_whole(value)


def parse_bibtex_reference(text: str, source: str = "<string>") -> Tuple[List[Record], List[Problem], List[str]]:
    """:func:`plm_bib.bibtex.parse_bibtex` by bibtexparser and pylatexenc only."""
    return parse_bibtex(text, source, fast=False, decode=latex_to_text_reference)


def parse_name_reference(name: str) -> Person:
    """:func:`plm_bib.metadata.names.parse_name` by pybtex alone."""
    return names._parse_name(name.strip())


def records_to_bibtex_reference(records: List[Record], biblatex: bool = False, header: str = "",
                                ascii: bool = False, latex: str = "keep") -> str:
    """:func:`plm_bib.bibtex.records_to_bibtex` through bibtexparser's writer."""
    import bibtexparser
    from bibtexparser import model as bpm

    w = _Writer(latex)
    lib = bibtexparser.Library()
    for etype, key, fields in _entries(records, biblatex, ascii, w):
        lib.add(bpm.Entry(etype, key, [bpm.Field(k, v) for k, v in fields]))
    fmt = bibtexparser.BibtexFormat()
    fmt.indent = "  "
    fmt.block_separator = "\n"
    # values are in value syntax here, so no enclosing middleware
    text = bibtexparser.write_string(lib, unparse_stack=[], bibtex_format=fmt).strip()
    return _checked(header + w.head(text) + text + "\n", w)
