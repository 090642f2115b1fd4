import bibtexparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import plm_bib
from plm_bib.bibtex import escape_latex, latex_to_text, protect_title

BROKEN = """@article{good1,
  author = {M{\\\"u}ller, Hans and van der Berg, Jan},
  title = {A {GPU} Study of \\& Things},
  journal = {Journal X},
  year = {2020},
  month = mar,
  pages = {1-10},
  keywords = {kept verbatim}
}

@article{broken,
  title = {Unclosed
  year = 2020

@inproceedings{good2,
  title = {Second},
  author = {Doe, Jane},
  booktitle = {Proc.},
  year = 2021
}
"""


def test_read_bibtex_keeps_good_entries_and_reports_broken(tmp_path):
    p = tmp_path / "x.bib"
    p.write_text(BROKEN, encoding="utf-8")
    lib = plm_bib.read_bibtex(p)
    assert "good1" in lib
    r = lib["good1"]
    assert [(a.family, a.given, a.prefix) for a in r.authors] == [("Müller", "Hans", ""), ("Berg", "Jan", "van der")]
    assert r.title == "A GPU Study of & Things"
    assert (r.month, r.pages) == (3, "1--10")
    assert r.extra["keywords"] == "kept verbatim"
    # the broken block is a Problem with its file and line; the entries around it load
    assert lib.keys() == ["good1", "good2"]
    assert [(q.source, q.line, q.level) for q in lib.problems] == [(str(p), 11, "error")]
    assert "@article{broken" in lib.problems[0].raw


def test_bibtex_roundtrip_keeps_fields():
    lib = plm_bib.parse_bibtex_text(BROKEN.split("@article{broken")[0])
    out = lib.to_bibtex()
    again = plm_bib.parse_bibtex_text(out)
    a, b = lib["good1"], again["good1"]
    for f in ("title", "authors", "year", "month", "pages", "journal"):
        assert getattr(a, f) == getattr(b, f), f
    assert b.extra["keywords"] == "kept verbatim"


@pytest.mark.parametrize("title", [
    r"\input{/etc/passwd}", r"\write18{rm -rf /}", "100% & #1 $x$ a_b ~ ^", "unbalanced { brace", "}{",
])
def test_hostile_titles_come_out_literally(title):
    esc = escape_latex(title)
    assert "\\input{" not in esc and "\\write18{" not in esc
    assert latex_to_text(esc) == title
    rec = plm_bib.Record(key="k", title=title)
    text = plm_bib.Library([rec]).to_bibtex()
    parsed = bibtexparser.parse_string(text)
    assert not parsed.failed_blocks and len(parsed.entries) == 1


def test_protect_title():
    assert protect_title("RoBERTa for English Tweets") == "{RoBERTa} for {English} {Tweets}"
    assert protect_title("Soft-Masked BERT") == "Soft-Masked {BERT}"


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_markdown_parser_never_raises(text):
    lib = plm_bib.parse_markdown(text)
    keys = lib.keys()
    assert len(set(keys)) == len(keys) and all(k.isascii() for k in keys)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80))
def test_written_bibtex_always_parses_back(title):
    text = plm_bib.Library([plm_bib.Record(key="", title=title)]).to_bibtex()
    parsed = bibtexparser.parse_string(text)
    assert not parsed.failed_blocks and len(parsed.entries) == 1


def test_shared_bib_corpora_load_or_fail_clearly(shared_data):
    """Every small .bib file of ../shared/data loads, or names its file and line (encoding)."""
    files = sorted(p for p in (shared_data / "bib").rglob("*.bib") if "large" not in p.parts)
    assert len(files) > 200
    loaded = 0
    for f in files:
        try:
            lib = plm_bib.read_bibtex(f)
        except plm_bib.InputError as e:
            assert str(f) in str(e) and e.line > 0
            continue
        loaded += 1
        assert all(p.line > 0 and p.source == str(f) for p in lib.problems)
    assert loaded >= len(files) - 5
