"""Every item of the built-in list parses into the right record."""
import pytest

P1 = ("Pre-trained Model-related Papers",)
O = ("其他学习链接",)

# title start, kind, section, ids, claim as written, notes, number of urls
PAPERS = [
    ("BERT: Pre-training", (("基础类",),), {"acl": "N19-1423"}, [], (), 2, (7, 8)),
    ("Revisiting Pre-Trained", (P1 + ("综述类",),), {"acl": "2020.findings-emnlp.58"}, ["**EMNLP 2020**"], (), 1, (15,)),
    ("Don’t Stop Pretraining", (P1 + ("综述类",),), {"arxiv": "2004.10964"}, ["**ACL2020**"], (), 1, (17,)),
    ("RoBERTa:", (P1 + ("模型优化类",),), {"arxiv": "1907.11692"}, ["**EMNLP 2020**"], ("鲁棒性优化",), 1, (23,)),
    ("Sentence-BERT", (P1 + ("模型优化类",),), {"acl": "D19-1410"}, ["**EMNLP 2019**"], ("准确性和效率优化",), 1, (24,)),
    ("BART:", (P1 + ("模型优化类",),), {"acl": "2020.acl-main.703"}, ["**ACL 2020 **"], ("降噪",), 1, (25,)),
    ("Parameter-Efficient", (P1 + ("模型优化类",),), {"arxiv": "1902.00751"}, ["**ICML2019**"], ("参数训练优化",), 1, (26,)),
    ("ELECTRA:", (P1 + ("模型优化类",),), {"arxiv": "2003.10555"}, [], (), 1, (27,)),
    ("BOND:", (P1 + ("应用类",),), {"arxiv": "2006.15509"}, ["**KDD 2020**"], ("NER",), 1, (33,)),
    ("Pre-training on Large-Scale", (P1 + ("应用类",),), {}, ["**KDD 2021**"], (), 1, (35,)),
    ("Spelling Error Correction", (P1 + ("领域类",),), {"arxiv": "2005.07421"}, ["**ACL 2020**"], ("文本纠错",), 1, (41,)),
    ("E-BERT: Adapting", (P1 + ("领域类",),), {"arxiv": "2009.02835"}, [], ("电商",), 1, (42,)),
    ("BERTweet:", (P1 + ("领域类",),), {"arxiv": "2005.10200"}, ["**EMNLP 2020**"], ("Tweet",), 1, (43,)),
]

RESOURCES = [
    ("NLPCC 《预训练语言模型回顾》讲习班报告", "教程类", "slides", ("重要",), (53,)),
    ("BERT Based Named Entity Recognition (NER) Tutorial And Demo", "教程类", "blog", (), (55,)),
    ("BERT for Keyphrase Extraction (Pytorch)", "教程类", "repository", (), (57,)),
    ("一文了解预训练语言模型", "教程类", "blog", ("推荐",), (59,)),
    ("预训练模型最新综述：过去、现在和未来", "教程类", "blog", (), (61,)),
    ("KDD2021| 大规模异质图上的预训练框架", "教程类", "blog", (), (63, 97)),
    ("HuggingFace BERT源码详解：基本模型组件实现", "教程类", "blog", (), (65, 98)),
    ("关于 NLP 综述的综述", "教程类", "blog", (), (67,)),
    ("Huggingface BERT源码详解：应用模型与训练优化", "教程类", "blog", (), (69,)),
    ("预训练模型与知识图谱相结合的研究进展", "应用类", "blog", (), (76,)),
    ("关系抽取预训练综述", "应用类", "blog", (), (78,)),
    ("预训练在小米的推理优化落地", "应用类", "blog", (), (80,)),
    ("谷歌开源Embedding可视化工具", "工具类", "blog", (), (86,)),
    ("BERT-related Papers", "拓展资料", "blog", (), (92,)),
    ("Compressing BERT for faster prediction", "拓展资料", "blog", (), (93,)),
    ("Bert: 从架构优化、模型压缩到模型蒸馏最新进展详解", "拓展资料", "blog", (), (94,)),
    ("预训练语言模型：还能走多远？", "拓展资料", "blog", (), (95,)),
    ("预训练语言模型研究进展和趋势展望", "拓展资料", "blog", (), (96,)),
    ("Transformer统治的时代，LSTM模型并没有被代替，LSTM比Tranformer优势在哪里？", "拓展资料", "qa", (), (99,)),
]


def test_counts(seed):
    assert len(seed.papers) == 13
    assert len(seed.resources) == 19
    assert seed.title == "预训练模型相关资料列表"


@pytest.mark.parametrize("title,sections,ids,claims,notes,nurls,lines", PAPERS, ids=[p[0] for p in PAPERS])
def test_paper(seed, title, sections, ids, claims, notes, nurls, lines):
    recs = [r for r in seed.papers if r.title.startswith(title)]
    assert len(recs) == 1
    r = recs[0]
    assert r.sections == sections
    for k, v in ids.items():
        assert r.ids[k] == v
    assert [c.raw for c in r.claims] == claims
    assert r.notes == notes
    assert len(r.urls) == nurls
    assert r.lines == lines


@pytest.mark.parametrize("title,section,kind,notes,lines", RESOURCES, ids=[r[0][:20] for r in RESOURCES])
def test_resource(seed, title, section, kind, notes, lines):
    recs = [r for r in seed.resources if r.title == title]
    assert len(recs) == 1
    r = recs[0]
    assert r.sections[0] == O + (section,)
    assert r.resource_kind == kind
    assert r.notes == notes
    assert r.lines == lines
    assert r.entry_type == "online"
    assert r.urls and r.urls[0].url.startswith("http")
    assert r.claims == ()  # "KDD2021|" inside a blog title is not a claim


def test_duplicates_keep_every_section(seed):
    r = next(r for r in seed.resources if r.title.startswith("KDD2021"))
    assert r.sections == (O + ("教程类",), O + ("拓展资料",))


def test_bert_slides_are_an_extra_link_of_the_paper(seed):
    bert = next(r for r in seed.papers if r.title.startswith("BERT:"))
    assert [u.kind for u in bert.urls] == ["paper", "slides"]
    assert bert.urls[1].url == "https://nlp.stanford.edu/seminar/details/jdevlin.pdf"


def test_same_heading_under_different_parents_stays_distinct(seed):
    paths = {p.path for p in seed.sections}
    assert P1 + ("应用类",) in paths and O + ("应用类",) in paths


def test_claims_are_canonicalised(seed):
    roberta = next(r for r in seed.papers if r.title.startswith("RoBERTa"))
    assert (roberta.claims[0].venue, roberta.claims[0].year) == ("EMNLP", 2020)
    bart = next(r for r in seed.papers if r.title.startswith("BART"))
    assert (bart.claims[0].venue, bart.claims[0].year) == ("ACL", 2020)


def test_venue_and_year_from_acl_ids(seed):
    r = next(r for r in seed.papers if r.title.startswith("Revisiting"))
    assert (r.venue, r.year) == ("Findings of EMNLP", 2020)
    bert = next(r for r in seed.papers if r.title.startswith("BERT:"))
    assert (bert.venue, bert.year) == ("NAACL", 2019)
