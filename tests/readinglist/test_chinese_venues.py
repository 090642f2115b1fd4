"""Issue 19 item 2: the Chinese journals and conferences of the field in the venue registry,
and venue claims as Chinese lists write them.

The names, titles and publishers expected here are the venues' own: the Chinese and English
journal names as the journals print them (the issue lists them), CCL's proceedings titles
and publisher from the ACL Anthology's ``data/xml/2020.ccl.xml``, ``2021.ccl.xml`` and
``2023.ccl.xml``, CCKS's and NLPCC's from their Springer volumes (CCIS 1134, LNCS 12430)."""
import pytest

import plm_bib
from plm_bib.metadata.ids import acl_venue
from plm_bib.metadata.venues import canonical_venue, container_title, venue_info, venue_publisher
from plm_bib.readinglist.claims import claim_of, find_claims, parse_claim

# (Chinese name, English name) of each journal
JOURNALS = [
    ("中文信息学报", "Journal of Chinese Information Processing"),
    ("计算机学报", "Chinese Journal of Computers"),
    ("软件学报", "Journal of Software"),
    ("计算机研究与发展", "Journal of Computer Research and Development"),
    ("中国科学：信息科学", "Scientia Sinica Informationis"),
    ("自动化学报", "Acta Automatica Sinica"),
    ("电子学报", "Acta Electronica Sinica"),
    ("清华大学学报（自然科学版）", "Journal of Tsinghua University (Science and Technology)"),
]


@pytest.mark.parametrize("zh,en", JOURNALS)
def test_chinese_journals_are_known_by_either_name(zh, en):
    assert canonical_venue(zh) == zh
    assert canonical_venue(en) == zh
    info = venue_info(zh)
    assert (info.kind, info.entry_type, info.name) == ("journal", "article", en)
    # a Chinese record names the journal in Chinese, another in English
    assert container_title(zh, 2021, language="zh") == zh
    assert container_title(zh, 2021, language="en") == en
    # their publishers were not checked against a source: the registry names none (never a guess)
    assert venue_publisher(zh, "zh") is None and venue_publisher(zh, "en") is None


@pytest.mark.parametrize("written,canonical", [
    ("中国科学:信息科学", "中国科学：信息科学"),        # half-width colon
    ("中国科学: 信息科学", "中国科学：信息科学"),
    ("清华大学学报(自然科学版)", "清华大学学报（自然科学版）"),  # half-width parentheses
    ("ＣＣＬ", "CCL"),                                # full-width letters
    ("中国计算语言学大会", "CCL"),
    ("Chinese National Conference on Computational Linguistics", "CCL"),
    ("全国知识图谱与语义计算大会", "CCKS"),
    ("NLPCC-ICCPOL", "NLPCC"),
])
def test_written_variants(written, canonical):
    assert canonical_venue(written) == canonical


@pytest.mark.parametrize("year,title", [
    (2020, "Proceedings of the 19th Chinese National Conference on Computational Linguistics"),
    (2021, "Proceedings of the 20th Chinese National Conference on Computational Linguistics"),
    (2023, "Proceedings of the 22nd Chinese National Conference on Computational Linguistics"),
])
def test_ccl_proceedings_as_the_acl_anthology_titles_them(year, title):
    assert container_title("CCL", year) == title
    assert venue_info("CCL").entry_type == "inproceedings"
    # the Anthology's publisher, also for a Chinese paper (its proceedings title is English)
    assert venue_publisher("CCL", "zh") == venue_publisher("CCL", "en") == \
        "Chinese Information Processing Society of China"


def test_no_title_for_years_the_template_does_not_name():
    # CCL's proceedings before 2020 were Springer volumes under another title; ACL 2011 was
    # ACL-HLT: a claim of those years gets no computed title rather than a wrong one
    assert container_title("CCL", 2019) is None
    assert container_title("ACL", 2011) is None
    assert container_title("ACL", 2012) == ("Proceedings of the 50th Annual Meeting of the Association for "
                                            "Computational Linguistics (Volume 1: Long Papers)")


def test_ccl_anthology_ids_name_ccl():
    assert acl_venue("2020.ccl-1.12") == ("CCL", 2020, None)


def test_springer_conferences():
    assert container_title("NLPCC", 2020) == "Natural Language Processing and Chinese Computing"
    assert venue_publisher("NLPCC") == "Springer"
    assert venue_info("NLPCC").series == "Lecture Notes in Computer Science"
    assert container_title("CCKS", 2019) == \
        "Knowledge Graph and Semantic Computing: Knowledge Computing and Language Understanding"
    assert container_title("CCKS", 2030) == "Knowledge Graph and Semantic Computing"
    assert venue_info("CCKS").series == "Communications in Computer and Information Science"


def test_container_title_generic_and_unknown():
    # a year the template cannot number: the generic name, without a wrong ordinal
    assert container_title("EACL", 2030) == \
        "Proceedings of the Conference of the European Chapter of the Association for Computational Linguistics"
    assert container_title("EMNLP", None) == \
        "Proceedings of the Conference on Empirical Methods in Natural Language Processing"
    assert container_title("No Such Venue", 2020) is None
    # a workshop of ACL 2020 is not in the main proceedings: no title rather than a wrong one
    assert container_title("ACL", 2020, "workshop") is None
    assert container_title("ACL", 2020, "demos") == \
        "Proceedings of the 58th Annual Meeting of the Association for Computational Linguistics: System Demonstrations"


# -- claim forms ------------------------------------------------------------------------
@pytest.mark.parametrize("text,venue,year,track", [
    ("（ACL 2020）", "ACL", 2020, None),
    ("【EMNLP2021】", "EMNLP", 2021, None),
    ("【EMNLP 2021 Findings】", "Findings of EMNLP", 2021, None),
    ("发表于 ACL 2020", "ACL", 2020, None),
    ("发表于ACL 2020", "ACL", 2020, None),
    ("收录于EMNLP2021", "EMNLP", 2021, None),
    ("ACL 2020 长文", "ACL", 2020, None),
    ("ACL 2020 短文", "ACL", 2020, "short"),
    ("EMNLP2021长文", "EMNLP", 2021, None),
    ("ＡＣＬ　２０２０", "ACL", 2020, None),           # full-width letters, digits and space
    ("ＥＭＮＬＰ２０２１", "EMNLP", 2021, None),
    ("（ＡＣＬ　２０２０）", "ACL", 2020, None),
    ("中文信息学报 2021", "中文信息学报", 2021, None),
    ("中文信息学报2021", "中文信息学报", 2021, None),
    ("计算机学报, 2020", "计算机学报", 2020, None),
    ("计算机学报，2020", "计算机学报", 2020, None),
    ("计算机学报, 2020, 43(1): 1-10", "计算机学报", 2020, None),
    ("中国科学:信息科学 2019", "中国科学：信息科学", 2019, None),
    ("CCL 2020", "CCL", 2020, None),
    ("NLPCC 2019", "NLPCC", 2019, None),
    ("CCKS2021", "CCKS", 2021, None),
])
def test_chinese_claim_forms(text, venue, year, track):
    c = claim_of(text, line=7)
    assert c is not None, text
    assert (c.venue, c.year, c.track, c.line) == (venue, year, track, 7)


@pytest.mark.parametrize("text,raw", [
    ("（ACL 2020）", "（ACL 2020）"),
    ("ＡＣＬ　２０２０", "ＡＣＬ　２０２０"),
    ("计算机学报，2020", "计算机学报，2020"),
    ("【EMNLP2021】", "【EMNLP2021】"),
])
def test_claims_keep_the_text_as_written(text, raw):
    claims, rest = find_claims(text)
    assert [c.raw for c in claims] == [raw]
    assert not rest.strip()
    assert parse_claim(text).raw == raw


def test_claim_inside_chinese_text_is_found_and_the_rest_kept():
    claims, rest = find_claims("基于图的中文分词 发表于ACL2020")
    assert [(c.venue, c.year) for c in claims] == [("ACL", 2020)]
    assert rest.split() == ["基于图的中文分词", "发表于"]


def test_a_claim_glued_to_latin_letters_is_still_no_claim():
    claims, _ = find_claims("see fooACL 2020 here")
    assert all(c.venue != "ACL" for c in claims)


# -- whole items ------------------------------------------------------------------------
ITEMS = """# 论文

- **基于预训练模型的中文命名实体识别**. *曾小明, 单田芳*. 中文信息学报 2021. [pdf](https://example.org/a.pdf)
- **图神经网络综述**. *张三, 李四*. 计算机学报, 2020. [pdf](https://example.org/b.pdf)
- **中文分词新方法**. *王五, 赵六*. （ACL 2020） [pdf](https://example.org/c.pdf)
- **知识图谱补全**. *王五, 赵六*. 【EMNLP2021】 [pdf](https://example.org/d.pdf)
- Fourth Title Here. E. Person. 发表于 ACL 2020 [pdf](https://example.org/e.pdf)
- Sixth Title Here. G. Person. ＡＣＬ　２０２０ [pdf](https://example.org/f.pdf)
- **基于规则的双重否定识别**. *王昱, 李四*. CCL 2020. [pdf](https://example.org/g.pdf)
"""


def test_items_with_chinese_claims():
    lib = plm_bib.parse_markdown(ITEMS, "zh.md")
    got = [(r.title, r.venue, r.year, r.entry_type) for r in lib]
    assert got == [
        ("基于预训练模型的中文命名实体识别", "中文信息学报", 2021, "article"),
        ("图神经网络综述", "计算机学报", 2020, "article"),
        ("中文分词新方法", "ACL", 2020, "inproceedings"),
        ("知识图谱补全", "EMNLP", 2021, "inproceedings"),
        ("Fourth Title Here", "ACL", 2020, "inproceedings"),
        ("Sixth Title Here", "ACL", 2020, "inproceedings"),
        ("基于规则的双重否定识别", "CCL", 2020, "inproceedings"),
    ]
    # nothing the list wrote is lost: the claim's text stays with the record
    assert [c.raw for c in lib[4].claims] == ["发表于 ACL 2020"]
    # (the letters as written; white space collapsed, as in every segment of an item)
    assert [c.raw for c in lib[5].claims if c.venue] == ["ＡＣＬ ２０２０"]


def test_a_chinese_heading_claims_its_items():
    text = "# 列表\n\n## 【ACL2020】论文列表\n\n- **中文分词新方法**. *王五, 赵六*. [pdf](https://example.org/h.pdf)\n"
    (r,) = plm_bib.parse_markdown(text)
    assert (r.venue, r.year) == ("ACL", 2020)
    assert r.booktitle == "Proceedings of the 58th Annual Meeting of the Association for Computational Linguistics"
    assert r.provenance["booktitle"] == "list"
