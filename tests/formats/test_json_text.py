"""The streamed JSON writer (``plm_bib.formats.json_text``) gives exactly what ``json.dumps``
gives.  (The other fast paths against their references: tests/bibtex/test_bibtex_fastpath.py,
tests/csl/test_csl_fastpath.py and tests/csl/test_csl_equivalence.py.)
"""
from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

import pytest
from bib_corpus import bib_files, corpus_records
from hypothesis import given, settings
from hypothesis import strategies as st


@pytest.fixture(scope="module")
def corpus(shared_data: Path) -> List[Tuple[Path, str]]:
    return list(bib_files(shared_data))


def test_json_writer_matches_json_dumps(corpus, builtin):
    import json

    from plm_bib.csl import records_to_csl
    from plm_bib.formats.json_text import dumps

    items = records_to_csl(corpus_records(corpus, 10_000) + list(builtin))
    assert dumps(items) == json.dumps(items, ensure_ascii=False, indent=2)
    assert dumps(items[:50], indent=4) == json.dumps(items[:50], ensure_ascii=False, indent=4)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=5), kids, max_size=4)
    | st.dictionaries(st.integers(), kids, max_size=2),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_json_writer_matches_json_dumps_on_any_value(value):
    import json

    from plm_bib.formats.json_text import dumps

    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)




@settings(max_examples=200, deadline=None)
@given(st.lists(_JSON, max_size=6), st.sampled_from([2, 4]))
def test_streamed_json_list_matches_json_dumps(values, indent):
    import json

    from plm_bib.formats.json_text import dumps_items

    got = dumps_items(iter(values), indent=indent)
    if got is None:  # a non-text key somewhere: json's own rules, through dumps()
        assert any(isinstance(v, dict) for v in values) or any(isinstance(v, list) for v in values)
        return
    assert got == json.dumps(values, ensure_ascii=False, indent=indent)
