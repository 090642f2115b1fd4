"""Property tests: arbitrary text never breaks the parsers, ids, keys, escaping or writers."""
import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from text_strategies import HOSTILE, TEXT

import plm_bib
from plm_bib.csl import csl_to_record, record_to_csl
from plm_bib.keys import assign_keys
from plm_bib.metadata.ids import extract_ids, ids_in_text
from plm_bib.model import Person, Record
from plm_bib.render.markup import clean, render


@settings(max_examples=150, deadline=None)
@given(st.one_of(TEXT, HOSTILE))
def test_markdown_lines_with_hostile_text_never_raise(text):
    lib = plm_bib.parse_markdown("# L\n## S\n1. " + text + "\n- " + text + "\n| a | " + text + " |\n")
    assert all(p.line >= 1 for p in lib.problems)


@settings(max_examples=200, deadline=None)
@given(st.one_of(TEXT, HOSTILE))
def test_id_extraction_never_raises_and_is_normalised(text):
    for url in (text, "https://arxiv.org/abs/" + text, "https://aclanthology.org/" + text,
                "https://doi.org/" + text):
        ids = extract_ids(url)
        assert isinstance(ids, dict) and all(isinstance(v, str) and v for v in ids.values())
        if "arxiv" in ids:
            assert re.fullmatch(r"\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7}", ids["arxiv"])
    ids_in_text(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(TEXT, st.one_of(st.none(), st.integers(1900, 2100)), TEXT), max_size=30))
def test_keys_are_ascii_unique_and_independent_of_order(items):
    recs = [Record(key="", title=t, year=y, authors=(Person(a),) if a.strip() else ()) for t, y, a in items]
    keys = assign_keys(recs)
    assert len(set(keys)) == len(keys)
    assert all(k and k.isascii() and re.fullmatch(r"[a-z0-9_]+", k) for k in keys), keys
    reversed_keys = assign_keys(list(reversed(recs)))
    assert sorted(keys) == sorted(reversed_keys)


@settings(max_examples=100, deadline=None)
@given(st.one_of(TEXT, HOSTILE), st.one_of(TEXT, HOSTILE))
def test_csl_writer_round_trips(title, note):
    r = Record(key="k", title=title, year=2020, pages="1--2", extra={"note": note} if note else {})
    item = record_to_csl(r)
    json.dumps(item)
    assert record_to_csl(csl_to_record(item)) == item


@settings(max_examples=100, deadline=None)
@given(st.one_of(TEXT, HOSTILE))
def test_backends_escape_everything(text):
    # user text reaches the backends through clean() (control characters are markup there)
    for backend in ("text", "html", "latex", "markdown", "typst"):
        render(text, backend)  # raw control characters never crash a backend
    text = clean(text)
    html = render(text, "html")
    assert "<" not in re.sub(r'<a href="[^"<>]*">|</a>', "", html)
    latex = render(text, "latex")
    stripped = re.sub(r"\\(url|textbackslash|textasciitilde|textasciicircum|textbraceleft|textbraceright)\b"
                      r"|\\[{}&%$#_]", "", latex)
    assert "\\" not in stripped
    typst = render(text, "typst")
    assert "//" not in typst.replace("\\/\\/", "") or "#link" in typst
