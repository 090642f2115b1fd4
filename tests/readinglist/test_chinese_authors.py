"""Chinese author lists in a reading-list item (issue 19, item 1): each separator style, with
and without emphasis, after a Chinese title, become Persons with surname and given name;
compound surnames; 等 / 等人 is "and others"; what is not a name list stays what it was.

The surnames expected are facts of the names themselves: 欧阳, 诸葛, 司马, 上官, 尉迟 are
compound surnames of the Baijiaxing (百家姓); every other Chinese surname here has one character.
"""
import pytest

import plm_bib
from plm_bib.metadata.names import OTHERS, han_name, han_surname
from plm_bib.model import Person
from plm_bib.readinglist.authors import author_list


def one(text: str):
    lib = plm_bib.parse_markdown(text, "t.md")
    assert len(lib) == 1, [r.title for r in lib]
    return lib[0]


def names(r):
    return [(p.family, p.given) for p in r.authors]


ZENG, SHEN, SHAN = ("曾", "小明"), ("沈", "大力"), ("单", "田芳")


@pytest.mark.parametrize("authors, expected", [
    ("*曾小明, 沈大力 and 单田芳*", [ZENG, SHEN, SHAN]),   # comma and "and", in italics
    ("曾小明, 沈大力 and 单田芳", [ZENG, SHEN, SHAN]),     # the same, plain
    ("*曾小明、沈大力*", [ZENG, SHEN]),                  # the enumeration comma
    ("曾小明、沈大力", [ZENG, SHEN]),
    ("*曾小明，沈大力等*", [ZENG, SHEN, ("others", "")]),  # full-width comma, 等
    ("曾小明，沈大力等人", [ZENG, SHEN, ("others", "")]),   # 等人
    ("*曾小明; 沈大力*", [ZENG, SHEN]),                  # semicolon
    ("曾小明；沈大力", [ZENG, SHEN]),                     # full-width semicolon
    ("*曾小明 & 单田芳*", [ZENG, SHAN]),
    ("**曾小明 等**", [ZENG, ("others", "")]),            # one name and 等, in bold
])
def test_each_separator_style_after_a_chinese_title(authors, expected):
    r = one(f"1. **中文命名实体识别研究**. {authors}. 计算机学报 2020.\n")
    assert r.title == "中文命名实体识别研究"
    assert names(r) == expected
    assert r.notes == ()  # the names are not left in a note
    assert r.year == 2020


def test_the_example_of_the_issue_gives_three_authors_not_a_note():
    r = one("1. **基于预训练模型的中文命名实体识别**. *曾小明, 单田芳, 解晓东*. 中文信息学报 2021. "
            "[pdf](https://example.org/ner.pdf)\n")
    assert names(r) == [ZENG, SHAN, ("解", "晓东")]
    assert r.notes == () and r.year == 2021 and r.language == "zh"
    assert [p.display() for p in r.authors] == ["曾小明", "单田芳", "解晓东"]  # surname first, no space


def test_a_chinese_citation_with_a_full_stop():
    # "。" ends the sentences of a citation as ". " does
    r = one("1. **中文文本分类**。曾小明，沈大力。计算机学报 2016。\n")
    assert r.title == "中文文本分类"
    assert names(r) == [ZENG, SHEN]


@pytest.mark.parametrize("written, surname, given", [
    ("欧阳修", "欧阳", "修"), ("欧阳娜娜", "欧阳", "娜娜"), ("诸葛亮", "诸葛", "亮"), ("司马光", "司马", "光"),
    ("上官婉儿", "上官", "婉儿"), ("尉迟恭", "尉迟", "恭"), ("歐陽修", "歐陽", "修"),  # traditional form
    ("张伟", "张", "伟"), ("单田芳", "单", "田芳"), ("王小明", "王", "小明"),
    # two characters: a compound surname needs a given name after it
    ("东方", "东", "方"),
    # 单于 is left out of the table: 单 is a common surname of its own
    ("单于明", "单", "于明"),
])
def test_compound_and_single_surnames(written, surname, given):
    assert han_name(written) == Person(family=surname, given=given)
    assert han_surname(written) == surname


def test_compound_surnames_in_a_list():
    r = one("- **中文分词综述**. *欧阳小明, 诸葛明亮, 司马光*. 2019.\n")
    assert names(r) == [("欧阳", "小明"), ("诸葛", "明亮"), ("司马", "光")]


def test_names_that_are_not_split():
    # a transliterated name with a middle dot, and five characters, stay whole
    assert han_name("买买提·艾力") == Person(family="买买提·艾力")
    assert han_name("阿沛阿旺晋美") == Person(family="阿沛阿旺晋美")
    assert author_list("买买提·艾力, 沈大力") == [Person("买买提·艾力"), Person("沈", "大力")]


def test_what_is_not_a_chinese_name_list_is_not_read_as_one():
    assert author_list("预训练语言模型研究进展") is None  # one long phrase
    assert author_list("曾小明") is None                    # one name alone, no 等: not a list
    assert author_list("曾小明等") == [Person("曾", "小明"), OTHERS]
    assert author_list("基于预训练模型的中文命名实体识别, 沈大力") is None  # a title is no name


def test_pinyin_names_are_kept_as_the_list_writes_them():
    # no order swapped: "Zhang Yue" is given + family as any Western-order name; "Zhang, Yue" is family first
    r = one("- **中文句法分析**. *Zhang Yue, Wang Wei*. 2018.\n")
    assert names(r) == [("Yue", "Zhang"), ("Wei", "Wang")]
    r = one("- **中文句法分析**. *Zhang, Yue and Wang, Wei*. 2018.\n")
    assert names(r) == [("Zhang", "Yue"), ("Wang", "Wei")]


@pytest.mark.parametrize("item, title, entry_type, venue", [
    ("- 曾小明, 单田芳, 解晓东. 基于预训练模型的中文命名实体识别[J]. 中文信息学报, 2021.\n",
     "基于预训练模型的中文命名实体识别", "article", "中文信息学报"),
    # the registry knows CCL (中国计算语言学大会) but no proceedings title for 2011: the name as written
    ("- 曾小明, 沈大力. 中文分词方法研究[C]. 第十届中国计算语言学大会, 2011.\n",
     "中文分词方法研究", "inproceedings", "CCL"),
])
def test_a_reference_written_as_gbt_7714_writes_it(item, title, entry_type, venue):
    # GB/T 7714: authors. title[type code]. venue, year. -- the code says what the work is
    # ([J] a journal article, [C] a paper in proceedings: the standard's section 4); it is no alias
    r = one(item)
    assert (r.title, r.entry_type, r.venue, r.year) == (title, entry_type, venue, int(item[-6:-2]))
    assert (r.journal or r.booktitle) == item.split(". ")[-1].rsplit(",", 1)[0]  # the container as written
    assert r.authors[0] == Person("曾", "小明") and len(r.authors) in (2, 3)
    assert r.aliases == () and r.notes == ()


def test_a_leading_bracket_tag_is_no_type_code():
    r = one("- [RL] Playing Atari with Deep Reinforcement Learning. 2013.\n")
    assert r.aliases == ("RL",) and r.entry_type == "misc"


def test_a_title_holding_the_surname_is_no_name_list():
    # 王者荣耀 holds 王, the first author's surname: the title is no name list (no warning);
    # a title that is the first author's whole name is
    lib = plm_bib.parse_markdown("- **王者荣耀中的强化学习**. *王小明, 李华*. 2020.\n", "t.md")
    assert list(lib.problems) == [] and lib[0].authors[0] == Person("王", "小明")
    lib = plm_bib.parse_markdown("- **王小明**. *王小明, 李华*. 2020.\n", "t.md")
    assert [p.message for p in lib.problems] == ["low confidence: the title looks like a name list"]


@pytest.mark.parametrize("item, author, title, entry_type", [
    ("- 沈大力. 中文信息处理研究[J]. 中文信息学报, 2010.\n", Person("沈", "大力"), "中文信息处理研究", "article"),
    ("- 沈大力. 中文信息处理[M]. 北京: 清华大学出版社, 2010.\n", Person("沈", "大力"), "中文信息处理", "book"),
    ("- 曾小明. 网页标题[EB/OL]. https://example.org/x, 2020.\n", Person("曾", "小明"), "网页标题", "misc"),
])
def test_a_gbt_reference_by_one_author(item, author, title, entry_type):
    # in the standard's form the first sentence is the authors, one name too, and the sentence
    # before the type code the title
    r = one(item)
    assert (r.authors, r.title, r.entry_type) == ((author,), title, entry_type)
