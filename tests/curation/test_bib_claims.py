"""Issue 18, item 1: a .bib is a list of claims, checked against the verified (curated) record;
``--format github`` annotations; ``--strict``."""
import json

import pytest
from click.testing import CliRunner

import plm_bib
from plm_bib.cli import main
from plm_bib.curation.check import Finding, check
from plm_bib.metadata.venues import read_container

BERT_AUTHORS = "Devlin, Jacob and Chang, Ming-Wei and Lee, Kenton and Toutanova, Kristina"
BERT_TITLE = "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
CUI = ("title = {Revisiting Pre-Trained Models for Chinese Natural Language Processing},\n"
       "  author = {Cui, Yiming and Che, Wanxiang and Liu, Ting and Qin, Bing and Wang, Shijin and Hu, Guoping},\n")
TWEET = ("title = {BERTweet: A pre-trained language model for English Tweets},\n"
         "  author = {Nguyen, Dat Quoc and Vu, Thanh and Tuan Nguyen, Anh},\n")


def _findings(tmp_path, body, name="refs.bib"):
    p = tmp_path / name
    p.write_text(body, encoding="utf-8")
    return p, check(plm_bib.read(str(p)))


def _kinds(fs):
    return {(f.line, f.kind, f.level) for f in fs}


def test_a_correct_entry_with_a_short_booktitle_is_not_reported(tmp_path):
    # `booktitle = {NAACL}` names the venue: no "the list gives no venue" any more
    p, fs = _findings(tmp_path, f"@inproceedings{{bert,\n  title = {{{BERT_TITLE}}},\n  author = {{{BERT_AUTHORS}}},\n"
                                "  booktitle = {NAACL},\n  year = {2019},\n  pages = {4171--4186},\n"
                                "  doi = {10.18653/V1/N19-1423},\n}\n")
    assert fs == []
    r = CliRunner().invoke(main, ["check", str(p), "--strict"])
    assert r.exit_code == 0 and "gives no venue" not in r.output


def test_findings_paper_cited_as_emnlp_main(tmp_path):
    _, fs = _findings(tmp_path, "\n@inproceedings{cui,\n  " + CUI + "  booktitle = {Proceedings of the 2020 Conference "
                                "on Empirical Methods in Natural Language Processing (EMNLP)},\n  year = {2020},\n}\n")
    assert _kinds(fs) == {(2, "findings", "error")}
    f = fs[0]
    assert f.source.endswith("refs.bib") and f.key == "cui"
    assert f.claimed.startswith("Proceedings of the 2020 Conference on Empirical Methods")
    assert f.verified == "Findings of EMNLP 2020"
    assert "EMNLP main volume" in f.message


def test_demo_paper_cited_as_main_conference(tmp_path):
    _, fs = _findings(tmp_path, "@inproceedings{tw,\n  " + TWEET + "  booktitle = {Proceedings of the 2020 Conference "
                                "on Empirical Methods in Natural Language Processing},\n  year = {2020},\n"
                                "  pages = {9--14},\n}\n")
    assert _kinds(fs) == {(1, "track", "error")}
    assert fs[0].verified == "EMNLP 2020 System Demonstrations"
    assert "main conference" in fs[0].message


def test_demo_paper_cited_in_its_track_is_not_reported(tmp_path):
    _, fs = _findings(tmp_path, "@inproceedings{tw,\n  " + TWEET + "  booktitle = {Proceedings of the 2020 Conference "
                                "on Empirical Methods in Natural Language Processing: System Demonstrations},\n"
                                "  year = {2020},\n  pages = {9 -- 14},\n}\n")
    assert fs == []


def test_preprint_since_published(tmp_path):
    _, fs = _findings(tmp_path, f"@article{{b,\n  title = {{{BERT_TITLE}}},\n  author = {{{BERT_AUTHORS}}},\n"
                                "  journal = {arXiv preprint arXiv:1810.04805},\n  year = {2018},\n}\n")
    assert _kinds(fs) == {(1, "published", "warning")}  # the preprint's year is not a wrong year
    assert fs[0].verified == "NAACL-HLT 2019" and "arXiv" in fs[0].claimed


def test_preprint_as_eprint_misc(tmp_path):
    _, fs = _findings(tmp_path, f"@misc{{b,\n  title = {{{BERT_TITLE}}},\n  author = {{{BERT_AUTHORS}}},\n"
                                "  eprint = {1810.04805},\n  archiveprefix = {arXiv},\n  year = {2018},\n}\n")
    assert {f.kind for f in fs} == {"published"}


def test_wrong_pages_year_doi_and_eprint(tmp_path):
    _, fs = _findings(tmp_path, f"@inproceedings{{b,\n  title = {{{BERT_TITLE}}},\n  author = {{{BERT_AUTHORS}}},\n"
                                "  booktitle = {NAACL-HLT},\n  year = {2018},\n  pages = {4171--4168},\n"
                                "  doi = {10.18653/v1/N19-1424},\n  eprint = {1810.04806},\n"
                                "  archiveprefix = {arXiv},\n}\n")
    by = {f.kind: f for f in fs}
    assert set(by) == {"year", "pages", "doi", "eprint"}
    assert (by["year"].claimed, by["year"].verified, by["year"].level) == ("2018", "2019", "error")
    assert (by["pages"].claimed, by["pages"].verified) == ("4171--4168", "4171--4186")
    assert (by["doi"].claimed, by["doi"].verified) == ("10.18653/v1/N19-1424", "10.18653/v1/N19-1423")
    assert (by["eprint"].claimed, by["eprint"].verified) == ("1810.04806", "1810.04805")


def test_author_order_and_count(tmp_path):
    swapped = "Chang, Ming-Wei and Devlin, Jacob and Lee, Kenton and Toutanova, Kristina"
    _, fs = _findings(tmp_path, f"@inproceedings{{a,\n  title = {{{BERT_TITLE}}},\n  author = {{{swapped}}},\n"
                                "  booktitle = {NAACL},\n  year = {2019},\n}\n"
                                f"@inproceedings{{b,\n  title = {{{BERT_TITLE}}},\n"
                                "  author = {Devlin, Jacob and Chang, Ming-Wei},\n"
                                "  booktitle = {NAACL},\n  year = {2019},\n}\n")
    assert _kinds(fs) == {(1, "author-order", "error"), (7, "authors", "error")}
    order = next(f for f in fs if f.kind == "author-order")
    assert order.claimed.startswith("Ming-Wei Chang; Jacob Devlin") and order.verified.startswith("Jacob Devlin;")


def test_other_venue_and_entry_type(tmp_path):
    _, fs = _findings(tmp_path, f"@article{{b,\n  title = {{{BERT_TITLE}}},\n  author = {{{BERT_AUTHORS}}},\n"
                                "  journal = {Transactions of the Association for Computational Linguistics},\n"
                                "  year = {2019},\n}\n")
    by = {f.kind: f for f in fs}
    assert set(by) == {"venue", "entry-type"}
    assert by["venue"].level == "error" and by["venue"].verified == "NAACL-HLT 2019"
    assert (by["entry-type"].claimed, by["entry-type"].verified) == ("article", "inproceedings")


def test_entry_without_any_venue_and_unknown_paper(tmp_path):
    _, fs = _findings(tmp_path, f"@misc{{b,\n  title = {{{BERT_TITLE}}},\n  author = {{{BERT_AUTHORS}}},\n}}\n"
                                "@misc{u, title = {A Paper No Record Knows}, author = {Doe, Jane}, year = {2020}}\n")
    assert (1, "missing-venue", "warning") in _kinds(fs)
    assert (5, "unverified", "info") in _kinds(fs)


@pytest.mark.parametrize("text, expected", [
    ("NAACL", ("NAACL", None)),
    ("EMNLP Findings", ("Findings of EMNLP", None)),
    ("Findings of the Association for Computational Linguistics: EMNLP 2020", ("Findings of EMNLP", None)),
    ("Findings of the ACL: EMNLP 2020", ("Findings of EMNLP", None)),
    ("Proceedings of the 2019 Conference of the North American Chapter of the Association for Computational "
     "Linguistics: Human Language Technologies, Volume 1 (Long and Short Papers)", ("NAACL", None)),
    ("Proceedings of the 58th Annual Meeting of the Association for Computational Linguistics: Student Research "
     "Workshop", ("ACL", "srw")),
    ("Proceedings of ACL 2020 Workshop on Something", ("ACL", "workshop")),
    ("Computational Linguistics", ("CL", None)),
    # the publisher's name holds the journal's: not a claim of the journal
    ("Proceedings of the 2019 Conference of the North American Chapter of the Association for Computational "
     "Linguistics", ("NAACL", None)),
    ("Transactions of the Association for Computational Linguistics", ("TACL", None)),
    ("Proceedings of the First Workshop of the Association for Computational Linguistics on Nothing", None),
    ("Proceedings of the 36th International Conference on Machine Learning", ("ICML", None)),
    ("Journal of Nothing Known", None),
])
def test_read_container(text, expected):
    assert read_container(text) == expected


def test_cli_strict_json_and_github(tmp_path):
    p = tmp_path / "r,e:f%.bib"
    p.write_text("@inproceedings{cui,\n  " + CUI + "  booktitle = {EMNLP},\n  year = {2020},\n}\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["check", str(p), "--strict"])
    assert r.exit_code == 1 and f"{p}:1: error: [findings]" in r.stdout
    r = CliRunner().invoke(main, ["check", str(p), "--format", "json"])
    assert r.exit_code == 0 and [d["kind"] for d in json.loads(r.stdout)] == ["findings"]
    r = CliRunner().invoke(main, ["check", str(p), "--format", "github", "--strict"])
    assert r.exit_code == 1
    line = r.stdout.strip()
    want_file = str(p).replace("%", "%25").replace(":", "%3A").replace(",", "%2C")
    assert line.startswith(f"::error file={want_file},line=1,title=findings::[findings] cites the EMNLP main volume")


def test_github_escaping():
    f = Finding("a:b,c%d.bib", 3, "k,i:nd", "warning", "100% wrong\r\nnext: a, b")
    assert f.github() == ("::warning file=a%3Ab%2Cc%25d.bib,line=3,title=k%2Ci%3And::"
                          "[k,i:nd] 100%25 wrong%0D%0Anext: a, b")
    assert Finding("x.bib", 0, "n", "info", "m").github() == "::notice file=x.bib,title=n::[n] m"


# -- --online: against a local server (pytest-httpserver), never the network ---------------------------
POERNER = ("title = {E-BERT: Efficient-Yet-Effective Entity Embeddings for BERT},\n"
           "  author = {Poerner, Nina and Waltinger, Ulli and Sch{\\\"u}tze, Hinrich},\n")


@pytest.fixture
def fake(httpserver, monkeypatch, tmp_path):
    from pathlib import Path

    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1] / "sources"))
    from fake_sources import FakeSources, dblp_hit

    from plm_bib.identity import normalize_title
    from plm_bib.metadata.names import parse_name
    from plm_bib.model import Record

    fs = FakeSources()
    poerner = Record(key="", title="E-BERT: Efficient-Yet-Effective Entity Embeddings for BERT", kind="paper",
                     entry_type="inproceedings", year=2020,
                     authors=tuple(parse_name(n) for n in ("Nina Poerner", "Ulli Waltinger", "Hinrich Schütze")))
    fs.dblp[normalize_title(poerner.title)] = [dblp_hit(poerner, "EMNLP (Findings)", "conf/emnlp/PoernerWS20",
                                                        "https://doi.org/10.18653/v1/2020.findings-emnlp.71",
                                                        "803-818")]
    httpserver.expect_request("").respond_with_handler(fs)
    for name, path in (("ARXIV", "/arxiv"), ("ACL", "/acl"), ("DBLP", "/dblp"), ("DOI", "/doi"),
                       ("S2", "/s2"), ("CROSSREF", "/crossref"), ("DATACITE", "/datacite")):
        monkeypatch.setenv(f"PLM_BIB_{name}_URL", httpserver.url_for(path))
    monkeypatch.setenv("PLM_BIB_CACHE_DIR", str(tmp_path / "cache"))
    return fs


def test_online_verifies_unknown_entries_and_reports_invented_ones(fake, tmp_path):
    p = tmp_path / "refs.bib"
    p.write_text("@inproceedings{poerner,\n  " + POERNER + "  booktitle = {EMNLP},\n  year = {2020},\n}\n\n"
                 "@inproceedings{invented,\n  title = {Quantum Gradient Folding for Zero-Shot Sentiment Tides},\n"
                 "  author = {Nobody, Anne and Ghost, Bob},\n  booktitle = {ACL},\n  year = {2021},\n}\n",
                 encoding="utf-8")
    offline = CliRunner().invoke(main, ["check", str(p), "--offline", "--format", "json"])
    assert offline.exit_code == 0, offline.output
    said = {(d["line"], d["kind"]) for d in json.loads(offline.stdout)}
    assert (8, "unverified") in said and (8, "not-found") not in said  # an empty cache proves nothing
    r = CliRunner().invoke(main, ["check", str(p), "--online", "--format", "json", "--strict"])
    assert r.exit_code == 1, r.output
    got = {(d["line"], d["kind"]): d for d in json.loads(r.stdout)}
    f = got[(1, "findings")]
    assert (f["verified"], f["authority"], f["level"]) == ("Findings of EMNLP 2020", "dblp", "error")
    nf = got[(8, "not-found")]
    assert nf["level"] == "warning" and "not found in any source" in nf["message"]
    assert not any(k == "unverified" and line == 8 for line, k in got)  # never reported as verified or unchecked
    # after the online run the answers are in the cache: --offline gives the same findings
    asked = len(fake.log)
    again = CliRunner().invoke(main, ["check", str(p), "--offline", "--format", "json"])
    assert len(fake.log) == asked
    assert {(d["line"], d["kind"]) for d in json.loads(again.stdout)} == set(got)


def test_online_lookup_failure_is_not_not_found(fake, tmp_path):
    from werkzeug import Response

    for name in ("arxiv", "acl", "dblp", "doi", "s2", "crossref", "datacite"):
        fake.faults[name] = [lambda request: Response("down", status=503)]
    p = tmp_path / "refs.bib"
    p.write_text("@inproceedings{invented,\n  title = {Quantum Gradient Folding for Zero-Shot Sentiment Tides},\n"
                 "  author = {Nobody, Anne},\n  booktitle = {ACL},\n  year = {2021},\n}\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["check", str(p), "--online", "--format", "json"])
    kinds = {d["kind"] for d in json.loads(r.stdout)}
    assert "not-found" not in kinds and "unverified" in kinds


DONT_STOP = ("title = {Don't Stop Pretraining: Adapt Language Models to Domains and Tasks},\n"
             "  author = {Gururangan, Suchin and Marasovi{\\'c}, Ana and Swayamdipta, Swabha and Lo, Kyle and "
             "Beltagy, Iz and Downey, Doug and Smith, Noah A.},\n")


@pytest.mark.parametrize("booktitle, track", [
    ("Proceedings of ACL 2020 Workshop on Domain Adaptation", "workshop"),
    ("Proceedings of the 58th Annual Meeting of the Association for Computational Linguistics: Student Research "
     "Workshop", "Student Research Workshop"),
    ("Proceedings of the 58th Annual Meeting of the Association for Computational Linguistics: System "
     "Demonstrations", "System Demonstrations"),
])
def test_main_conference_paper_cited_as_a_workshop_or_track(tmp_path, booktitle, track):
    _, fs = _findings(tmp_path, "@inproceedings{d,\n  " + DONT_STOP + f"  booktitle = {{{booktitle}}},\n"
                                "  year = {2020},\n  pages = {8342--8360},\n}\n")
    assert _kinds(fs) == {(1, "track", "error")}
    assert f"ACL 2020 {track}; it is in ACL 2020 main conference" in fs[0].message
    assert fs[0].verified == "ACL 2020" and fs[0].claimed == booktitle


def test_csl_json_items_are_claims_too(tmp_path):
    item = {"id": "cui", "type": "paper-conference", "title": "Revisiting Pre-Trained Models for Chinese Natural "
            "Language Processing", "author": [{"family": "Cui", "given": "Yiming"}, {"family": "Che", "given":
                                              "Wanxiang"}, {"family": "Liu", "given": "Ting"},
                                             {"family": "Qin", "given": "Bing"}, {"family": "Wang", "given":
                                              "Shijin"}, {"family": "Hu", "given": "Guoping"}],
            "container-title": "Proceedings of the 2020 Conference on Empirical Methods in Natural Language "
                               "Processing (EMNLP)", "issued": {"date-parts": [[2020]]}, "page": "657-668"}
    _, fs = _findings(tmp_path, json.dumps([item], indent=1), name="refs.json")
    assert {f.kind for f in fs} == {"findings"}


def test_and_others_is_a_first_part_of_the_authors(tmp_path):
    _, fs = _findings(tmp_path, f"@inproceedings{{a,\n  title = {{{BERT_TITLE}}},\n"
                                "  author = {Devlin, Jacob and Chang, Ming-Wei and others},\n"
                                "  booktitle = {NAACL},\n  year = {2019},\n}\n"
                                f"@inproceedings{{b,\n  title = {{{BERT_TITLE}}},\n"
                                "  author = {Chang, Ming-Wei and Devlin, Jacob and others},\n"
                                "  booktitle = {NAACL},\n  year = {2019},\n}\n")
    assert _kinds(fs) == {(7, "author-order", "error")}


def test_a_preprint_cited_as_a_preprint_is_not_reported(tmp_path):
    _, fs = _findings(tmp_path, "@article{rob,\n  title = {RoBERTa: A Robustly Optimized BERT Pretraining Approach},\n"
                                "  author = {Liu, Yinhan and Ott, Myle and Goyal, Naman and Du, Jingfei and Joshi, "
                                "Mandar and Chen, Danqi and Levy, Omer and Lewis, Mike and Zettlemoyer, Luke and "
                                "Stoyanov, Veselin},\n  journal = {arXiv preprint arXiv:1907.11692},\n"
                                "  year = {2019},\n}\n"
                                "@inproceedings{rob2,\n  title = {RoBERTa: A Robustly Optimized BERT Pretraining "
                                "Approach},\n  booktitle = {EMNLP},\n  year = {2019},\n}\n")
    assert _kinds(fs) == {(7, "venue", "error"), (7, "entry-type", "warning")}
    assert "never published" in next(f for f in fs if f.kind == "venue").message


def test_check_takes_several_inputs_as_pre_commit_passes_them(tmp_path):
    good = tmp_path / "good.bib"
    good.write_text(f"@inproceedings{{bert,\n  title = {{{BERT_TITLE}}},\n  author = {{{BERT_AUTHORS}}},\n"
                    "  booktitle = {NAACL},\n  year = {2019},\n}\n", encoding="utf-8")
    wrong = tmp_path / "wrong.bib"
    wrong.write_text(f"@inproceedings{{bert2,\n  title = {{{BERT_TITLE}}},\n  author = {{{BERT_AUTHORS}}},\n"
                     "  booktitle = {NAACL},\n  year = {2018},\n}\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["check", "--strict", str(good), str(wrong)])
    assert r.exit_code == 1
    assert [line.split(": ")[0] for line in r.stdout.splitlines()] == [f"{wrong}:1"]
    assert "[year] year 2018, verified 2019 (entry: 2018; verified: 2019)" in r.stdout  # the entry's claim
    r = CliRunner().invoke(main, ["check", "--strict", str(good), str(good)])
    assert r.exit_code == 0 and r.stdout == ""
    r = CliRunner().invoke(main, ["check", "--format", "json", str(wrong), str(good), str(wrong)])
    assert [f["source"] for f in json.loads(r.stdout)] == [str(wrong), str(wrong)]
