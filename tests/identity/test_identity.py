"""The one same-work rule, fold, normalised title and merge of plm_bib.identity, on small
hand-written records."""
import pytest

from plm_bib.errors import BadOption
from plm_bib.identity import (
    ORIGIN,
    VERIFIED,
    contradiction,
    fold,
    id_keys,
    identity_keys,
    lookup_keys,
    merge_curated,
    merge_found,
    merge_listings,
    name_forms,
    normalize_title,
    read_from_file,
    same_work,
    work_keys,
)
from plm_bib.keys import ascii_fold
from plm_bib.model import PAPER, RESOURCE, Claim, Link, Person, Record

T = "Pre-training of Deep Bidirectional Transformers"
DEVLIN = (Person("Devlin", "Jacob"), Person("Chang", "Ming-Wei"), Person("Lee", "Kenton"))


def paper(**kw):
    kw.setdefault("key", "")
    kw.setdefault("title", T)
    kw.setdefault("kind", PAPER)
    return Record(**kw)


# -- the fold and the normalised title ---------------------------------------------------------

def test_the_one_fold_is_the_keys_fold():
    assert fold is ascii_fold
    assert fold("Groß") == "Gross" and fold("Marasović") == "Marasovic" and fold("Michał") == "Michal"
    assert name_forms(Person("Groß")) == {"gross"} and name_forms(Person("Müller")) == {"müller", "muller"}


@pytest.mark.parametrize("a,b", [
    ("BERT: Pre-training of Deep Transformers", "bert pre training of deep transformers"),
    ("Don’t Stop Pretraining", "Don't stop pretraining!"),
    ("ELECTRA — Pre-training Text Encoders", "ELECTRA: pre_training text encoders"),
    ("预训练语言模型：综述", "预训练语言模型 综述"),
    ("ΣΟΦΙΑ", "σοφια"),
])
def test_titles_equal_up_to_case_punctuation_and_spaces(a, b):
    assert normalize_title(a) == normalize_title(b)


@pytest.mark.parametrize("a,b", [
    ("Café au lait", "Cafe au lait"),          # accents are not folded
    ("预训练语言模型", "预训练模型"),             # CJK compared character by character
    ("BERT 2", "BERT 3"),                       # digits count
])
def test_titles_that_differ(a, b):
    assert normalize_title(a) != normalize_title(b)


# -- the same-work rule ---------------------------------------------------------------------

def test_an_id_in_common_decides_whatever_the_title():
    ok, why = same_work(paper(ids={"arxiv": "1810.04805"}), paper(title="Other", ids={"arxiv": "1810.04805"}))
    assert ok and why == "same arxiv id"
    upper, lower = paper(ids={"doi": "10.18653/V1/N19-1423"}), paper(title="x", ids={"doi": "10.18653/v1/n19-1423"})
    assert same_work(upper, lower)[0]


def test_an_arxiv_doi_is_not_a_doi_in_common():
    doi = "10.48550/arXiv.1810.04805"
    ok, why = same_work(paper(title="A", ids={"doi": doi}), paper(title="B", ids={"doi": doi}))
    assert not ok and why.startswith("title differs")


def test_different_ids_do_not_by_themselves_make_different_works():
    r = paper(authors=DEVLIN, ids={"arxiv": "1810.04805"})
    c = paper(authors=DEVLIN, ids={"arxiv": "9999.00001", "acl": "N19-1423"})
    assert same_work(r, c) == (True, "same title and authors")


def test_same_title_needs_authors_in_common():
    r = paper(authors=DEVLIN)
    assert same_work(r, paper(title=T.upper() + ".", authors=DEVLIN[:2]))[0]
    assert same_work(r, paper(authors=(Person("Somebody"),) + DEVLIN[1:2]))[1] == "only 1 of 3 authors in common"
    assert same_work(r, paper(authors=(Person("Wang"), Person("Li"))))[1] == "no author in common"
    # one name is enough when one side lists one
    assert same_work(paper(authors=DEVLIN[:1]), paper(authors=DEVLIN))[0]


def test_titles_must_agree():
    ok, why = same_work(paper(authors=DEVLIN), paper(title=T + " Revisited", authors=DEVLIN))
    assert not ok and "title differs" in why
    assert not same_work(paper(title="", authors=DEVLIN), paper(title="", authors=DEVLIN))[0]


def test_names_in_their_own_script_and_romanised():
    zh = paper(title="预训练语言模型综述", authors=(Person("张伟"),))
    assert same_work(zh, paper(title="预训练语言模型：综述", authors=(Person("Zhang", "Wei"),)))[0]
    assert not same_work(zh, paper(title="预训练语言模型综述", authors=(Person("张芳"),)))[0]
    ru = paper(authors=(Person("Иванов"), Person("Кузнецов")))
    assert same_work(ru, paper(authors=(Person("Ivanov", "I."), Person("Kuznecov", "K."))))[0]


def test_without_authors_the_claimed_venue_and_year_must_agree():
    r = paper(claims=(Claim("KDD 2021", venue="KDD", year=2021),))
    assert same_work(r, paper(venue="KDD", year=2021, authors=DEVLIN))[0]
    assert not same_work(r, paper(venue="KDD", year=2020, authors=DEVLIN))[0]
    assert not same_work(paper(), paper(venue="KDD", year=2021, authors=DEVLIN))[0]


def test_a_year_far_from_the_claim_is_a_contradiction():
    r = paper(authors=DEVLIN, claims=(Claim("NAACL 2019", venue="NAACL", year=2019),))
    assert contradiction(r, paper(venue="NAACL", year=2020)) is None
    assert contradiction(r, paper(venue="NAACL", year=2022)) is not None
    ok, why = same_work(r, paper(authors=DEVLIN, venue="NAACL", year=2022))
    assert not ok and why.startswith("the list says")
    # a preprint claim allows two years
    pre = paper(authors=DEVLIN, claims=(Claim("arXiv 2019", venue="arXiv", year=2019, preprint=True),))
    assert contradiction(pre, paper(venue="NAACL", year=2021)) is None
    assert contradiction(pre, paper(venue="NAACL", year=2022)) is not None


# -- the keys listings and curated records are found by --------------------------------------

def test_listing_keys():
    keys = identity_keys(paper(ids={"arxiv": "1810.04805", "pmlr": "v97/x19a", "acl": "N19-1423"}))
    assert keys == ["acl:n19-1423", "arxiv:1810.04805", f"title:{normalize_title(T)}"]
    assert identity_keys(paper(title="BERT")) == []  # a short title does not merge listings
    res = Record(key="", title="Slides", kind=RESOURCE, urls=(Link("https://x.org/A/", "slides"),))
    assert identity_keys(res) == ["url:https://x.org/a|slides"]


def test_lookup_and_work_keys():
    cur = paper(title="BERT", ids={"arxiv": "1810.04805", "doi": "10.18653/V1/N19-1423"})
    assert work_keys(cur) == ["arxiv:1810.04805", "doi:10.18653/v1/n19-1423", "title:bert"]
    listed = paper(title="Bert!", titles_as_listed=("BERT paper",), ids={"doi": "10.18653/v1/n19-1423"})
    assert list(lookup_keys(listed)) == ["doi:10.18653/v1/n19-1423", "title:bert", "title:bertpaper"]
    assert id_keys(paper(ids={"isbn": "123", "dblp": "conf/X"})) == ["dblp:conf/x"]


# -- the merges --------------------------------------------------------------------------------

def test_merge_listings_keeps_everything_the_first_listing_first():
    a = paper(urls=(Link("https://a.org"),), ids={"arxiv": "1"}, sections=(("A",),), lines=(3,))
    b = paper(urls=(Link("https://a.org"), Link("https://b.org")), ids={"arxiv": "2", "acl": "X"},
              sections=(("A",), ("B",)), lines=(9,), authors=DEVLIN, year=2019)
    m = merge_listings(a, b)
    assert [u.url for u in m.urls] == ["https://a.org", "https://b.org"]
    assert m.ids == {"arxiv": "1", "acl": "X"} and m.sections == (("A",), ("B",))
    assert m.lines == (3, 9) and m.authors == DEVLIN and m.year == 2019
    res = Record(key="", title=T, kind=RESOURCE)
    assert merge_listings(res, a).kind == PAPER  # a paper's listing wins over a resource's


def test_merge_curated_takes_the_curated_fields_and_keeps_the_list():
    listed = paper(title="bert", urls=(Link("https://aclanthology.org/N19-1423/", "paper", line=7),
                                       Link("https://github.com/x", "code")),
                   notes=("a note",), lines=(7,), source="list.md", year=2018)
    cur = paper(key="devlin2019bert", year=2019, urls=(Link("https://aclanthology.org/N19-1423"),),
                ids={"acl": "N19-1423"}, source="curated")
    m = merge_curated(listed, cur)
    assert m.title == T and m.year == 2019 and m.key == "devlin2019bert"
    assert [(u.url, u.line) for u in m.urls] == [("https://aclanthology.org/N19-1423", 7), ("https://github.com/x", 0)]
    assert m.notes == ("a note",) and m.source == "list.md" and m.ids == {"acl": "N19-1423"}


PREC = {"list": 0, "arxiv": 2, "dblp": 3, "acl": 5, "curated": 6}


def test_merge_found_by_precedence():
    r = paper(year=2018, venue="arXiv", publisher="arXiv", doi="10.48550/arXiv.1",
              ids={"arxiv": "1", "doi": "10.48550/arXiv.1"},
              provenance={"year": "arxiv", "venue": "arxiv", "publisher": "arxiv", "doi": "arxiv", "pages": "curated"})
    c = paper(title=T.upper(), year=2019, venue="NAACL", pages="1--2", ids={"dblp": "conf/naacl/X"},
              urls=(Link("https://dblp.org/x"),))
    m = merge_found(r, c, "dblp", PREC)
    assert m.year == 2019 and m.venue == "NAACL" and m.provenance["venue"] == "dblp"
    assert m.pages is None and m.provenance["pages"] == "curated"  # curated outranks dblp
    assert m.publisher is None and m.doi is None and "doi" not in m.ids  # the preprint's own fields go
    assert m.ids["dblp"] == "conf/naacl/X" and m.titles_as_listed == (T,)
    assert [u.url for u in m.urls] == []  # not the paper's page unless said
    assert [u.url for u in merge_found(r, c, "acl", PREC, paper_url=True).urls] == ["https://dblp.org/x"]
    # a lower rank changes nothing it does not have; a tie goes to the newcomer
    low = merge_found(m, paper(year=2017), "arxiv", PREC)
    assert low.year == 2019
    assert merge_found(m, paper(year=2020), "dblp", PREC).year == 2020


def test_an_arxiv_doi_never_replaces_a_doi():
    r = paper(ids={"doi": "10.1/x"}, doi="10.1/x")
    m = merge_found(r, paper(ids={"doi": "10.48550/arXiv.1"}), "arxiv", PREC)
    assert m.ids["doi"] == "10.1/x"


# -- provenance keys ------------------------------------------------------------------------------

def test_provenance_keys_keep_their_serialised_values():
    assert (ORIGIN, VERIFIED) == ("*", "verified")
    assert read_from_file(paper(provenance={"*": "bibtex"})) and read_from_file(paper(provenance={"*": "csl-json"}))
    assert not read_from_file(paper(provenance={"title": "list"}))


# -- the registry of sources -----------------------------------------------------------------------

def test_the_registry_declares_what_enrichment_used():
    from plm_bib.sources.registry import BASE_URLS, DEFAULT_SOURCES, POLITE_INTERVALS, PRECEDENCE, SOURCES

    assert list(SOURCES) == ["arxiv", "s2", "dblp", "acl", "crossref"]  # the order of the run
    assert set(DEFAULT_SOURCES) == set(SOURCES)
    assert PRECEDENCE == {"list": 0, "acl-id": 1, "arxiv-id": 1, "s2": 1, "arxiv": 2, "dblp": 3, "crossref": 4,
                          "acl": 5, "curated": 6}
    assert POLITE_INTERVALS == {"export.arxiv.org": 3.0, "dblp.org": 1.0, "api.semanticscholar.org": 1.0,
                                "api.crossref.org": 0.1, "doi.org": 0.1, "aclanthology.org": 0.2}
    assert BASE_URLS["doi"] == ("PLM_BIB_DOI_URL", "https://doi.org") and len(BASE_URLS) == 7
    assert {name: cls.role for name, cls in SOURCES.items()} == {
        "arxiv": "authority", "s2": "ids", "dblp": "search", "acl": "authority", "crossref": "authority"}


def test_a_base_url_follows_its_environment_variable(monkeypatch):
    from plm_bib.sources import base_url

    monkeypatch.setenv("PLM_BIB_DBLP_URL", "http://localhost:1/dblp/")
    assert base_url("dblp") == "http://localhost:1/dblp"
    monkeypatch.delenv("PLM_BIB_DBLP_URL")
    assert base_url("dblp") == "https://dblp.org"


def test_an_unknown_source_is_a_bad_option():
    from plm_bib.library import Library
    from plm_bib.sources.enrich import enrich

    with pytest.raises(BadOption, match="unknown source"):
        enrich(Library([]), ["nope"])
