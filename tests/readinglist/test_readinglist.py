"""The CommonMark tree and the field recogniser on small hand-written lists, one per shape,
the section order, and a floor per shared labelled list (skipped when ../shared is absent)."""
import importlib.util
import json
from pathlib import Path

import pytest
from conftest import absent

import plm_bib

ROOT = Path(__file__).resolve().parents[2]


def one(text: str):
    lib = plm_bib.parse_markdown(text, "t.md")
    assert len(lib) == 1, [r.title for r in lib]
    return lib[0]


def families(r):
    return [p.family for p in r.authors if p.family != "others"]


# -- shapes ---------------------------------------------------------------------------------
def test_acl_citation_style():
    r = one("* Lewis, Mike and Liu, Yinhan and Goyal, Naman. 2020. [BART: Denoising Sequence-to-Sequence "
            "Pre-training](https://example.org/bart). In *Proceedings of ACL 2020*.\n")
    assert r.title == "BART: Denoising Sequence-to-Sequence Pre-training"
    assert families(r) == ["Lewis", "Liu", "Goyal"]
    assert r.venue == "ACL" and r.year == 2020
    assert r.urls[0].url == "https://example.org/bart"


def test_acl_style_with_given_names_first_and_a_venue_phrase():
    r = one("* Ilya Sutskever, Oriol Vinyals, and Quoc V. Le. 2014. [Sequence to Sequence Learning\n"
            "with Neural Networks](https://example.org/s2s.pdf). In *Proceedings of NeurIPS 2014*.\n")
    assert r.title == "Sequence to Sequence Learning with Neural Networks"  # a link over two lines
    assert families(r) == ["Sutskever", "Vinyals", "Le"]
    assert (r.venue, r.year) == ("NeurIPS", 2014)


def test_bold_title_then_authors_and_venue_on_the_next_line():
    r = one("- **Deep Residual Learning for Image Recognition**\n"
            "  Kaiming He, Xiangyu Zhang, Shaoqing Ren, Jian Sun. CVPR 2016. [[pdf]](https://example.org/r.pdf)\n")
    assert r.title == "Deep Residual Learning for Image Recognition"
    assert families(r) == ["He", "Zhang", "Ren", "Sun"]
    assert (r.venue, r.year, r.kind) == ("CVPR", 2016, "paper")


def test_quoted_title_mla_authors_and_venue_phrase():
    r = one('**[4]** Kulkarni, Girish, et al. "**Baby talk: Understanding image descriptions**". '
            "In Proceedings of the 24th CVPR, 2011. [[pdf]](https://example.org/b.pdf) :star::star:\n")
    assert r.title == "Baby talk: Understanding image descriptions"
    assert families(r) == ["Kulkarni"] and r.authors[-1].family == "others"
    assert any(c.venue == "CVPR" and c.year == 2011 for c in r.claims)


def test_venue_tags_before_the_title():
    lib = plm_bib.parse_markdown(
        "- [EMNLP 2019] Sentence Embeddings using Siamese Networks [[paper]](https://example.org/p)\n"
        "- 【ICLR2021】 An Image is Worth 16x16 Words 【ViT】[paper](https://example.org/v)\n"
        "- [[CVPR](https://example.org/c.pdf)] PointNet: Deep Learning on Point Sets. [[code](https://example.org/g)]\n"
        "- IEEE-TMM'22 Uncertainty Modeling for Domain Adaptation [[IEEE](https://example.org/t)]\n")
    got = [(r.title, r.claims[0].venue, r.claims[0].year) for r in lib]
    assert got == [("Sentence Embeddings using Siamese Networks", "EMNLP", 2019),
                   ("An Image is Worth 16x16 Words", "ICLR", 2021),
                   ("PointNet: Deep Learning on Point Sets", "CVPR", None),
                   ("Uncertainty Modeling for Domain Adaptation", "IEEE-TMM", 2022)]
    assert lib[1].aliases == ("ViT",)


def test_details_in_sub_bullets():
    r = one("- **Graph Attention Networks (ICLR 2018)**\n"
            "  - Petar Veličković, Guillem Cucurull, and Arantxa Casanova\n"
            "  - [[Paper]](https://example.org/gat)\n"
            "  - [[Python Reference]](https://example.org/code)\n")
    assert r.title == "Graph Attention Networks"
    assert families(r) == ["Veličković", "Cucurull", "Casanova"]
    assert (r.claims[0].venue, r.claims[0].year) == ("ICLR", 2018)
    assert [u.url for u in r.urls] == ["https://example.org/gat", "https://example.org/code"]


def test_a_description_sub_bullet_is_a_note():
    r = one("- 20200324 [Domain Adaptation by Class Centroid Matching](https://example.org/d)\n"
            "\t- Domain adaptation by class centroid matching\n")
    assert r.title == "Domain Adaptation by Class Centroid Matching" and r.year is None or r.claims[0].year == 2020
    assert r.notes == ("Domain adaptation by class centroid matching",)


def test_chinese_bold_title_italic_authors_journal():
    r = one("- **预训练语言模型综述**. *王小明，李华*. 中文信息学报 2021. [[pdf]](https://example.org/z.pdf)\n")
    assert r.title == "预训练语言模型综述"
    # a Chinese name is surname and given name (issue 19): 王 小明, 李 华
    assert [(p.family, p.given) for p in r.authors] == [("王", "小明"), ("李", "华")]
    assert (r.venue, r.year) == ("中文信息学报", 2021)
    assert r.language == "zh"


def test_a_chinese_description_before_the_linked_title():
    r = one("- 20180111 arXiv 一种新的终身学习框架，与已有思路有一些类似 "
            "[Lifelong Learning for Sentiment Classification](https://example.org/l)\n")
    assert r.title == "Lifelong Learning for Sentiment Classification"
    assert any(c.year == 2018 for c in r.claims)


def test_heading_with_detail_bullets_is_one_item():
    lib = plm_bib.parse_markdown("# L\n\n## NMT\n\n#### Neural Machine Translation by Jointly Learning\n\n"
                                 "- 论文链接：[https://example.org/a.pdf](https://example.org/a.pdf)\n"
                                 "- 代码链接：[https://example.org/code](https://example.org/code)\n\n"
                                 "**Attention Is All You Need**\n\n- Paper: https://example.org/b\n- Code: None\n")
    assert [(r.title, r.section, r.line) for r in lib] == [
        ("Neural Machine Translation by Jointly Learning", ("NMT",), 5),
        ("Attention Is All You Need", ("NMT",), 10)]
    assert lib[0].urls[0].url == "https://example.org/a.pdf"


def test_a_heading_naming_one_venue_and_year_gives_its_claim():
    lib = plm_bib.parse_markdown("# L\n\n## ECIR 2021 Paper List\n\n- Cross-domain Retrieval (https://example.org/x)\n"
                                 "- Another One [SIGIR 2020] (https://example.org/y)\n\n## 2017\n\n"
                                 "- [[CVPR](https://example.org/z.pdf)] Point Sets\n")
    first, second, third = lib
    assert [(c.venue, c.year, c.origin) for c in first.claims] == [("ECIR", 2021, "heading")]
    assert [(c.venue, c.year, c.origin) for c in second.claims] == [("SIGIR", 2020, "item")]
    assert (third.venue, third.year) == ("CVPR", 2017)
    assert [c.origin for c in third.claims] == ["item", "heading"]


def test_table_with_a_date_column():
    lib = plm_bib.parse_markdown(
        "|Date|Title|Paper|Code|\n|---|---|---|---|\n"
        "|2023.05|🔥[**QLoRA**] QLoRA: Efficient Finetuning of Quantized LLMs(@UW)|[[pdf]](https://example.org/q.pdf)"
        "|[[qlora]](https://github.com/x/qlora)|\n"
        "|2022/01| A toolkit for serving models | ⚠️ |[[repo]](https://github.com/x/y)|\n")
    q, tool = lib
    assert q.title == "QLoRA: Efficient Finetuning of Quantized LLMs"
    assert (q.kind, q.aliases, q.notes[0], q.urls[0].url) == ("paper", ("QLoRA",), "@UW", "https://example.org/q.pdf")
    assert any(c.year == 2023 for c in q.claims)
    assert (tool.title, tool.kind) == ("A toolkit for serving models", "resource")
    assert any(c.year == 2022 for c in tool.claims)


def test_dates_in_many_forms():
    for text, year in [("2019.10", 2019), ("20230105", 2023), ("2015/06", 2015), ("2020-05", 2020),
                       ("3/23/23", 2023)]:
        r = one(f"- {text} [A Paper About Things](https://example.org/p.pdf)\n")
        assert [c.year for c in r.claims] == [year], text


def test_html_details_and_links():
    text = ("# L\n\n## Old\n\n<details><summary>Older papers</summary>\n<ul>\n"
            '<li><a href="https://example.org/w2v">Efficient Estimation of Word Representations</a> '
            'Mikolov et al., 2013 <img src="https://img.shields.io/badge/ICLR-2013-blue"></li>\n'
            '<li><a href="https://example.org/glove.pdf">GloVe: Global Vectors</a>, EMNLP 2014<br></li>\n'
            "</ul>\n</details>\n")
    lib = plm_bib.parse_markdown(text)
    assert [(r.title, r.line, r.section) for r in lib] == [
        ("Efficient Estimation of Word Representations", 7, ("Old",)), ("GloVe: Global Vectors", 8, ("Old",))]
    assert families(lib[0]) == ["Mikolov"] and any(c.venue == "ICLR" for c in lib[0].claims)
    assert (lib[1].venue, lib[1].year) == ("EMNLP", 2014)


def test_badges_and_icons_are_decoration_never_titles():
    r = one("- [![](https://img.shields.io/badge/ACL-2022-blue)](https://example.org/acl)"
            '<a href="https://scholar.example.org/q"><img src="https://img.shields.io/badge/-blue.svg"></a> '
            "[**Saliency as Evidence: Event Detection**](https://example.org/acl) , <br> by *Liu, Jian  and\n"
            "Chen, Yufeng  and\nXu, Jinan* [[bib]](https://example.org/b.bib)\n")
    assert r.title == "Saliency as Evidence: Event Detection"
    assert families(r) == ["Liu", "Chen", "Xu"]
    assert (r.claims[0].venue, r.claims[0].year) == ("ACL", 2022)


def test_lazy_continuation_lines_belong_to_the_item():
    r = one("1. Revisiting Pre-Trained Models for Chinese Natural\nLanguage Processing，**EMNLP 2020** "
            "(https://example.org/r.pdf)\n")
    assert r.title == "Revisiting Pre-Trained Models for Chinese Natural Language Processing"
    assert r.claims[0].venue == "EMNLP"


def test_pipes_inside_a_list_item_are_cells():
    r = one("+ [召回] | [Asymmetric LSH for Inner Product Search](https://example.org/a.pdf) | "
            "[阅读笔记](https://example.org/n) | 一种算法 | Anshumali Shrivastava et al,2014 |\n")
    assert r.title == "Asymmetric LSH for Inner Product Search"
    assert families(r) == ["Shrivastava"] and any(c.year == 2014 for c in r.claims)


def test_resources_from_the_same_evidence():
    lib = plm_bib.parse_markdown(
        "- KDD 2023 tutorial: trustworthy machine learning [[link](https://example.org/t)]\n"
        "- 文本相似度计算的复现代码在这个仓库 ☞ [Text-Similarity](https://github.com/x/text-similarity)\n"
        "- [Contrastive Learning Survey](https://example.org/survey.pdf)\n")
    assert [(r.title, r.kind) for r in lib] == [
        ("trustworthy machine learning", "resource"), ("Text-Similarity", "resource"),
        ("Contrastive Learning Survey", "paper")]
    assert (lib[0].claims[0].venue, lib[0].claims[0].year) == ("KDD", 2023)


def test_doubt_is_reported_and_the_item_kept():
    lib = plm_bib.parse_markdown("## S\n\n- [pdf](https://example.org/a.pdf)\n- x (https://example.org/b)\n", "d.md")
    assert len(lib) == 2
    by_line = {p.line: p for p in lib.problems}
    assert "link stands in" in by_line[3].message and by_line[3].raw.startswith("- [pdf]")
    assert "low confidence" in by_line[4].message and str(by_line[4]).startswith("d.md:4:")


def test_links_are_kept_as_written():
    r = one("- [Ein Titel über Dinge](https://example.org/über%20x?a=1&b=2)\n")
    assert r.urls[0].url == "https://example.org/über%20x?a=1&b=2"


# -- section order ----------------------------------------------------------------------------
def test_sections_follow_the_headings_order_even_with_a_merged_duplicate():
    text = ("## A\n\n- Shared Blog Post (https://example.org/shared)\n\n## B\n\n- Only In B (https://example.org/b)\n\n"
            "## C\n\n- Shared Blog Post (https://example.org/shared)\n- Only In C (https://example.org/c)\n")
    lib = plm_bib.parse_markdown(text)
    assert [p for p, _ in lib.by_section()] == [("A",), ("B",), ("C",)]
    assert [s.path for s in lib.sections] == [("A",), ("B",), ("C",)]


def test_builtin_list_sections_in_heading_order(seed):
    order = [p[-1] for p, _ in seed.by_section()]
    # the list's own order: 教程类, 应用类, 工具类, 拓展资料 (a merged duplicate used to pull 拓展资料 up)
    assert order[-4:] == ["教程类", "应用类", "工具类", "拓展资料"]
    assert [s.title for s in seed.sections][-4:] == ["教程类", "应用类", "工具类", "拓展资料"]


# -- the shared labelled lists ---------------------------------------------------------------
def _scorer():
    spec = importlib.util.spec_from_file_location("parse_quality", ROOT / "benchmarks" / "parse_quality.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# what the recogniser reaches on each list (percent per field), minus a margin of 5 points
FLOORS = {
    "DefTruth_Awesome-LLM-Inference_README.md":
        dict(title=95, url=95, year=95, venue=95, authors=87, kind=95),
    "DengBoCong_nlp-paper_README.md":
        dict(title=95, url=95, year=91, venue=95, authors=91, kind=95),
    "Doragd_Awesome-Sentence-Embedding_README.md":
        dict(title=95, url=95, year=95, venue=95, authors=95, kind=95),
    "RUCAIBox_Top-conference-paper-list_SIGIR_2022_recommendation_long_short_papers.md":
        dict(title=95, url=95, year=95, venue=95, authors=95, kind=91),
    "THUNLP-MT_TG-Reading-List_README.md":
        dict(title=95, url=95, year=95, venue=87, authors=91, kind=95),
    "Yochengliu_awesome-point-cloud-analysis_README.md":
        dict(title=95, url=95, year=84, venue=91, authors=95, kind=91),
    "amusi_CVPR2024-Papers-with-Code_CVPR2023-Papers-with-Code.md":
        dict(title=95, url=91, year=95, venue=95, authors=95, kind=95),
    "benedekrozemberczki_awesome-graph-classification_chapters_deep_learning.md":
        dict(title=95, url=95, year=95, venue=95, authors=87, kind=95),
    "floodsung_Deep-Learning-Papers-Reading-Roadmap_README.md":
        dict(title=95, url=95, year=87, venue=76, authors=83, kind=95),
    "jindongwang_transferlearning_doc_awesome_paper.md":
        dict(title=95, url=95, year=91, venue=81, authors=95, kind=81),
    "mli_paper-reading_README.md":
        dict(title=91, url=91, year=83, venue=91, authors=91, kind=91),
    "wutong8023_Awesome_Information_Extraction_README.md":
        dict(title=95, url=95, year=95, venue=95, authors=87, kind=95),
    "wzhe06_Reco-papers_README.md":
        dict(title=91, url=91, year=91, venue=91, authors=83, kind=91),
    "yizhen20133868_NLP-Conferences-Code_ACL_2020_ACL2020.md":
        dict(title=95, url=95, year=95, venue=95, authors=95, kind=95),
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_labelled_list_scores_stay_above_their_floor(shared_data, name):
    labels = shared_data / "reading-lists" / "labels" / f"{name}.jsonl"
    md = shared_data / "reading-lists" / name
    if not labels.exists() or not md.exists():
        absent(f"{name} or its labels")
    scorer = _scorer()
    right, n = scorer.score_list(md, scorer.load_labels(labels))
    assert n >= 20
    got = {f: 100 * right[f] / n for f in scorer.FIELDS}
    low = {f: round(got[f]) for f in scorer.FIELDS if got[f] < FLOORS[name][f]}
    assert not low, f"{name}: below the floor {low}"


def test_scorer_matches_by_folded_title_and_compares_every_field():
    scorer = _scorer()
    rec = one("* Lewis, Mike and Liu, Yinhan. 2020. [BART: Denoising](https://example.org/bart). "
              "In *Proceedings of ACL 2020*.\n")
    label = {"title": "bart — denoising", "url": "https://example.org/bart", "year": 2020, "venue": "ACL",
             "authors": ["Lewis", "Liu"], "authors_complete": True, "kind": "paper"}
    assert scorer.field_right(label, rec) == {f: True for f in scorer.FIELDS}
    wrong = dict(label, year=2019, venue="EMNLP", authors=["Liu"], kind="resource", url="https://example.org/x")
    assert scorer.field_right(wrong, rec) == {"title": True, "url": False, "year": False, "venue": False,
                                              "authors": False, "kind": False}
    assert scorer.fold(label["title"]) == scorer.fold(rec.title)
    assert json.dumps(scorer.field_right(label, None)) == json.dumps({f: False for f in scorer.FIELDS})


def test_check_counts_the_items_read_with_low_confidence(tmp_path):
    from click.testing import CliRunner

    from plm_bib.cli import main

    p = tmp_path / "l.md"
    p.write_text("# L\n\n- [pdf](https://example.org/a.pdf)\n- x (https://example.org/b)\n"
                 "- A Real Title Here (https://example.org/c)\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["check", str(p)])
    assert r.exit_code == 0
    assert "2 of 3 items read with low confidence" in r.stderr
    assert f"{p}:3: warning: item without a title" in r.stderr and f"{p}:4: warning: low confidence" in r.stderr


def test_a_trailing_name_and_year_is_a_venue_only_when_the_name_is_one():
    lib = plm_bib.parse_markdown(
        "* [[MF] Matrix Factorization Techniques for Recommender Systems (Yahoo 2009)](https://example.org/mf.pdf)\n"
        "* [Deep Learning over Multi-field Categorical Data (UCL 2016)](https://example.org/fnn.pdf)\n"
        "- **Graph U-Nets (ICML 2019)**\n  - Hongyang Gao, Shuiwang Ji\n  - [[Paper]](https://example.org/g)\n"
        "- **Compound-Protein Interaction Prediction (Bioinformatics 2018)**\n  - [[Paper]](https://example.org/c)\n")
    got = [(r.title, r.venue, r.year) for r in lib]
    assert got == [("Matrix Factorization Techniques for Recommender Systems", None, 2009),
                   ("Deep Learning over Multi-field Categorical Data", None, 2016),
                   ("Graph U-Nets", "ICML", 2019),
                   ("Compound-Protein Interaction Prediction", "Bioinformatics", 2018)]
    assert lib[0].aliases == ("MF",) and "UCL 2016" in lib[1].notes


def test_the_paper_column_and_the_paper_key_decide_the_kind():
    lib = plm_bib.parse_markdown(
        "|Date|Title|Paper|Code|\n|---|---|---|---|\n"
        "|2023.05| Dissecting Batching Effects in Inference |[[blog]](https://example.org/blog/batching)| ⚠️ |\n"
        "|2023.06| Fast Attention Kernels |[[pdf]](https://example.org/fast.pdf)| ⚠️ |\n\n"
        "**BiFormer: Vision Transformer with Routing Attention**\n\n- Paper: None\n"
        "- Code: https://github.com/x/biformer\n")
    assert [(r.title, r.kind) for r in lib] == [
        ("Dissecting Batching Effects in Inference", "resource"), ("Fast Attention Kernels", "paper"),
        ("BiFormer: Vision Transformer with Routing Attention", "paper")]


def test_journal_volumes_acronym_years_and_an_acronym_before_the_title_link():
    lib = plm_bib.parse_markdown(
        '**[47]** Mnih, Volodymyr, et al. "**Human-level control through deep reinforcement learning**." '
        "Nature 518.7540 (2015): 529-533. [[pdf]](https://example.org/dqn.pdf)\n\n"
        '**[3]** Sutskever, et al. "**Sequence to sequence learning**." ANIPS(2014) [[pdf]](https://example.org/s.pdf)\n\n'
        "- 20200529 TNNLS [Deep Subdomain Adaptation Network](https://github.com/x/dsan)\n"
        "- Animating Images to transfer CLIP 【short paper， 使用CLIP进行视频-文本检索】\n")
    got = [(r.title, r.venue, r.year, r.kind) for r in lib]
    assert got == [("Human-level control through deep reinforcement learning", "Nature", 2015, "paper"),
                   ("Sequence to sequence learning", "ANIPS", 2014, "paper"),
                   ("Deep Subdomain Adaptation Network", "TNNLS", 2020, "paper"),
                   ("Animating Images to transfer CLIP", None, None, "paper")]


def test_name_lists_with_semicolons_initials_and_an_affiliation():
    from plm_bib.readinglist.authors import author_list

    def fam(text):
        people = author_list(text)
        return None if people is None else [p.family for p in people]

    assert fam("Mordvintsev, Alexander; Olah, Christopher; Tyka, Mike") == ["Mordvintsev", "Olah", "Tyka"]
    assert fam("Dai, J., He, K., Sun, J") == ["Dai", "He", "Sun"]
    assert fam("Yijun Li, Ming-Yu Liu ,Xueting Li, Jan Kautz (NVIDIA)") == ["Li", "Liu", "Li", "Kautz"]
    assert fam("Zhitao Ying, Jiaxuan You and Jure Leskovec") == ["Ying", "You", "Leskovec"]
    assert fam("Attention Is All You Need") is None
    assert fam("Graph Neural Networks, Transformers") is None


def test_html_headings_are_sections():
    lib = plm_bib.parse_markdown(
        "## 2021\n\n- [[ICCV](https://example.org/a.pdf)] A Paper About Shapes\n\n"
        "<h1>\n\n```diff\n- Datasets\n```\n\n</h1>\n\n"
        "- [[S3DIS](https://example.org/s3dis)] The Indoor Spaces Dataset\n\n"
        "<h2>Tools</h2>\n\n- [A Toolkit for Point Clouds](https://github.com/x/pc)\n")
    assert [(r.title, r.section, r.year) for r in lib] == [
        ("A Paper About Shapes", ("2021",), 2021), ("The Indoor Spaces Dataset", ("Datasets",), None),
        ("A Toolkit for Point Clouds", ("Datasets", "Tools"), None)]
