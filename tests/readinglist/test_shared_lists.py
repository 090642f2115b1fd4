"""The three real reading lists of ../shared/data (skipped when absent)."""
import pytest

import plm_bib

LISTS = {
    # file: (minimum items, minimum with a venue claim)
    "thunlp_PLMpapers_README.md": (120, 115),
    "tomohideshibata_BERT-related-papers_README.md": (1500, 700),
    "lonePatient_awesome-pretrained-chinese-nlp-models_docs_nlu-models.md": (100, 25),
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_shared_list(shared_data, name):
    lib = plm_bib.read_markdown(shared_data / "reading-lists" / name)
    n_items, n_venue = LISTS[name]
    assert len(lib) >= n_items
    assert all(r.title for r in lib)
    assert sum(1 for r in lib if r.urls) >= len(lib) - 2
    assert sum(1 for r in lib if any(c.venue for c in r.claims)) >= n_venue
    assert len(set(lib.keys())) == len(lib)
    assert all(p.line > 0 for p in lib.problems)


def test_thunlp_authors_and_aliases(shared_data):
    lib = plm_bib.read_markdown(shared_data / "reading-lists" / "thunlp_PLMpapers_README.md")
    bert = next(r for r in lib if r.title.startswith("BERT: Pre-training"))
    assert [p.family for p in bert.authors] == ["Devlin", "Chang", "Lee", "Toutanova"]
    assert bert.claims[0].venue == "NAACL"
    gpt = next(r for r in lib if "GPT" in r.aliases)
    assert gpt.claims[0].preprint
