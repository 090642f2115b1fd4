"""Property tests of BibTeX text: arbitrary text survives escaping and a write-read round trip."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from text_strategies import HOSTILE, TEXT

import plm_bib
from plm_bib.bibtex import escape_latex, latex_to_text, parse_bibtex
from plm_bib.model import Person, Record


@settings(max_examples=200, deadline=None)
@given(st.one_of(TEXT, HOSTILE))
def test_latex_escaping_round_trips(text):
    clean = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    assert latex_to_text(escape_latex(clean)) == re.sub(r"\s+", " ", clean).strip()


@settings(max_examples=100, deadline=None)
@given(st.one_of(TEXT, HOSTILE), st.one_of(TEXT, HOSTILE))
def test_bibtex_writer_output_parses_back_with_the_same_title(title, name):
    r = Record(key="", title=title, authors=(Person(name),) if name.strip() else (), journal=name or None,
               year=2020)
    text = plm_bib.Library([r]).to_bibtex()
    records, problems, _ = parse_bibtex(text)
    assert [p for p in problems if p.level == "error"] == [] and len(records) == 1
    assert records[0].title == re.sub(r"\s+", " ", re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", title)).strip()
