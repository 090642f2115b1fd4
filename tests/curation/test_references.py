"""references.bib: every paper field by field against values written here from the
authoritative records (ACL Anthology, PMLR, ACM DOI/DBLP, OpenReview/DBLP, arXiv)."""
from pathlib import Path

import bibtexparser
import pytest
from click.testing import CliRunner

from plm_bib.cli import main

ROOT = Path(__file__).resolve().parents[2]
ACL = "Association for Computational Linguistics"
ACM = "Association for Computing Machinery"

EXPECTED = {
    "devlin2019bert": dict(
        ENTRYTYPE="inproceedings",
        author="Devlin, Jacob and Chang, Ming-Wei and Lee, Kenton and Toutanova, Kristina",
        title="{BERT}: Pre-training of Deep Bidirectional Transformers for Language Understanding",
        booktitle="Proceedings of the 2019 Conference of the North American Chapter of the Association for "
                  "Computational Linguistics: Human Language Technologies, Volume 1 (Long and Short Papers)",
        year="2019", month="jun", address="Minneapolis, Minnesota", publisher=ACL, pages="4171--4186",
        doi="10.18653/v1/N19-1423", url="https://aclanthology.org/N19-1423", eprint="1810.04805",
        slides="https://nlp.stanford.edu/seminar/details/jdevlin.pdf"),
    "cui2020revisiting": dict(
        ENTRYTYPE="inproceedings",
        author="Cui, Yiming and Che, Wanxiang and Liu, Ting and Qin, Bing and Wang, Shijin and Hu, Guoping",
        booktitle="Findings of the Association for Computational Linguistics: EMNLP 2020",
        year="2020", month="nov", address="Online", publisher=ACL, pages="657--668",
        doi="10.18653/v1/2020.findings-emnlp.58"),
    "gururangan2020dont": dict(
        ENTRYTYPE="inproceedings",
        # the curated .bib's LaTeX, written as read (issue 15: a round trip changes nothing)
        author="Gururangan, Suchin and Marasovi{\\'c}, Ana and Swayamdipta, Swabha and Lo, Kyle and Beltagy, Iz "
               "and Downey, Doug and Smith, Noah A.",
        title="Don't Stop Pretraining: Adapt Language Models to Domains and Tasks",
        booktitle="Proceedings of the 58th Annual Meeting of the Association for Computational Linguistics",
        year="2020", month="jul", pages="8342--8360", doi="10.18653/v1/2020.acl-main.740", eprint="2004.10964"),
    "liu2019roberta": dict(
        ENTRYTYPE="misc",
        author="Liu, Yinhan and Ott, Myle and Goyal, Naman and Du, Jingfei and Joshi, Mandar and Chen, Danqi "
               "and Levy, Omer and Lewis, Mike and Zettlemoyer, Luke and Stoyanov, Veselin",
        title="{RoBERTa}: A Robustly Optimized {BERT} Pretraining Approach",
        year="2019", month="jul", eprint="1907.11692", archiveprefix="arXiv", primaryclass="cs.CL",
        doi="10.48550/arXiv.1907.11692"),
    "reimers2019sentence": dict(
        author="Reimers, Nils and Gurevych, Iryna",
        title="{Sentence-BERT}: Sentence Embeddings using {Siamese} {BERT-Networks}",
        booktitle="Proceedings of the 2019 Conference on Empirical Methods in Natural Language Processing and "
                  "the 9th International Joint Conference on Natural Language Processing (EMNLP-IJCNLP)",
        year="2019", month="nov", address="Hong Kong, China", pages="3982--3992", doi="10.18653/v1/D19-1410"),
    "lewis2020bart": dict(
        author="Lewis, Mike and Liu, Yinhan and Goyal, Naman and Ghazvininejad, Marjan and Mohamed, Abdelrahman "
               "and Levy, Omer and Stoyanov, Veselin and Zettlemoyer, Luke",
        year="2020", month="jul", pages="7871--7880", doi="10.18653/v1/2020.acl-main.703"),
    "houlsby2019parameter": dict(
        author="Houlsby, Neil and Giurgiu, Andrei and Jastrzebski, Stanislaw and Morrone, Bruna and "
               "De Laroussilhe, Quentin and Gesmundo, Andrea and Attariyan, Mona and Gelly, Sylvain",
        title="Parameter-Efficient Transfer Learning for {NLP}",
        booktitle="Proceedings of the 36th International Conference on Machine Learning",
        editor="Chaudhuri, Kamalika and Salakhutdinov, Ruslan", volume="97",
        series="Proceedings of Machine Learning Research", publisher="PMLR", pages="2790--2799",
        year="2019", month="jun"),
    "clark2020electra": dict(
        author="Clark, Kevin and Luong, Minh-Thang and Le, Quoc V. and Manning, Christopher D.",
        booktitle="8th International Conference on Learning Representations, ICLR 2020",
        publisher="OpenReview.net", year="2020", url="https://openreview.net/forum?id=r1xMH1BtvB",
        eprint="2003.10555"),
    "liang2020bond": dict(
        author="Liang, Chen and Yu, Yue and Jiang, Haoming and Er, Siawpeng and Wang, Ruijia and Zhao, Tuo "
               "and Zhang, Chao",
        doi="10.1145/3394486.3403149", year="2020", publisher=ACM, eprint="2006.15509"),
    "jiang2021pretraining": dict(
        author="Jiang, Xunqiang and Jia, Tianrui and Fang, Yuan and Shi, Chuan and Lin, Zhe and Wang, Hui",
        booktitle="Proceedings of the 27th ACM SIGKDD Conference on Knowledge Discovery \\& Data Mining",
        pages="756--766", doi="10.1145/3447548.3467396", year="2021", publisher=ACM,
        pdf="http://www.shichuan.org/doc/111.pdf"),
    "zhang2020spelling": dict(
        author="Zhang, Shaohua and Huang, Haoran and Liu, Jicong and Li, Hang",
        title="Spelling Error Correction with Soft-Masked {BERT}",
        pages="882--890", doi="10.18653/v1/2020.acl-main.82", year="2020"),
    "zhang2020ebert": dict(
        ENTRYTYPE="misc",
        title="{E-BERT}: A Phrase and Product Knowledge Enhanced Language Model for E-commerce",
        author="Zhang, Denghui and Yuan, Zixuan and Liu, Yanchi and Zhuang, Fuzhen and Xiong, Hui",
        eprint="2009.02835", year="2020"),
    "nguyen2020bertweet": dict(
        author="Nguyen, Dat Quoc and Vu, Thanh and Tuan Nguyen, Anh",
        title="{BERTweet}: A pre-trained language model for {English} {Tweets}",
        booktitle="Proceedings of the 2020 Conference on Empirical Methods in Natural Language Processing: "
                  "System Demonstrations",
        pages="9--14", doi="10.18653/v1/2020.emnlp-demos.2", month="oct", year="2020"),
}


@pytest.fixture(scope="module")
def entries():
    lib = bibtexparser.parse_file(str(ROOT / "references.bib"))
    assert lib.failed_blocks == []
    return {e.key: e for e in lib.entries}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_paper_fields(entries, key):
    e = entries[key]
    for field, value in EXPECTED[key].items():
        if field == "ENTRYTYPE":
            assert e.entry_type == value
        else:
            assert e.fields_dict[field].value == value, field


def test_bond_pages_are_left_out_until_confirmed(entries):
    assert "pages" not in entries["liang2020bond"].fields_dict


def test_every_resource_has_its_own_record(entries, builtin):
    resources = [r for r in builtin if not r.is_paper]
    assert len(resources) == 19
    for r in resources:
        e = entries[r.key]
        assert e.entry_type == "misc"
        assert e.fields_dict["url"].value == r.url
    assert len(entries) == 32


def test_references_bib_is_up_to_date_and_build_is_deterministic(tmp_path):
    runner = CliRunner()
    out1, out2 = tmp_path / "a.bib", tmp_path / "b.bib"
    assert runner.invoke(main, ["build", "-o", str(out1)]).exit_code == 0
    assert runner.invoke(main, ["build", "-o", str(out2)]).exit_code == 0
    assert out1.read_bytes() == out2.read_bytes()
    assert out1.read_bytes() == (ROOT / "references.bib").read_bytes(), \
        "references.bib is out of date: run `plm-bib build -o references.bib`"


def test_load_matches_references_bib(builtin, entries):
    assert [r.key for r in builtin] == list(entries)
    assert builtin["clark2020electra"].venue == "ICLR"
    assert builtin["nguyen2020bertweet"].track == "demos"


def test_build_any_list(tmp_path):
    md = tmp_path / "l.md"
    md.write_text("## S\n\n1. RoBERTa: A Robustly Optimized BERT Pretraining Approach (https://arxiv.org/abs/1907.11692)\n"
                  "2. Unknown Paper，**ACL 2021**（https://arxiv.org/abs/2101.00001）\n", encoding="utf-8")
    out = tmp_path / "o.bib"
    res = CliRunner().invoke(main, ["build", str(md), "-o", str(out), "--curated"])
    assert res.exit_code == 0, res.output
    assert "authors set from the curated record" in res.stderr  # the overlay on a user's list is reported
    lib = bibtexparser.parse_file(str(out))
    keys = [e.key for e in lib.entries]
    assert keys[0] == "liu2019roberta"
    # without --curated a user's list is built as written (issue 18, item 5)
    res = CliRunner().invoke(main, ["build", str(md), "-o", str(out)])
    assert res.exit_code == 0 and "curated" not in res.stderr
    assert bibtexparser.parse_file(str(out)).entries[0].key == "arxiv2019_roberta"
    assert lib.entries[1].fields_dict["eprint"].value == "2101.00001"
