"""Person names: from reading-list author lines and from BibTeX name lists; Chinese names.

BibTeX name parsing (``von Last, Jr, First``) is pybtex's; this module only adapts it.
A Chinese name written whole (``曾小明``, ``欧阳娜娜``) is split into its surname and given
name by :func:`han_name` (the compound surnames of :data:`COMPOUND_SURNAMES`, otherwise the
first character), and a surname is romanised in its reading as a surname by
:func:`surname_pinyin` (``单`` -> shan, not dan): the one home of these rules (the citation
keys and the same-author rule use them).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import List

from plm_bib.metadata.pinyin import syllables
from plm_bib.model import HAN, Person

__all__ = ["parse_name", "parse_author_list", "parse_bibtex_names", "OTHERS", "COMPOUND_SURNAMES",
           "SURNAME_READINGS", "HAN", "han_name", "han_surname", "surname_pinyin"]

OTHERS = Person(family="others")

# -- Chinese names ---------------------------------------------------------------------------
# the compound (two-character) surnames of the Baijiaxing (百家姓), and 太史, 独孤; in
# simplified and traditional forms.  Left out: 单于, 乐正, 谷梁, 梁丘, 左丘, whose first
# character is a common surname of its own while the compound is all but gone (单于明 is
# read 单 + 于明)
COMPOUND_SURNAMES = frozenset(
    "万俟 司马 上官 欧阳 夏侯 诸葛 闻人 东方 赫连 皇甫 尉迟 公羊 澹台 公冶 宗政 濮阳 淳于 太叔 申屠 "
    "公孙 仲孙 轩辕 令狐 钟离 宇文 长孙 慕容 鲜于 闾丘 司徒 司空 亓官 司寇 子车 颛孙 端木 巫马 "
    "公西 漆雕 壤驷 公良 拓跋 夹谷 宰父 段干 百里 东郭 南门 呼延 归海 羊舌 微生 东门 西门 "
    "南宫 第五 太史 独孤 "
    "歐陽 司馬 諸葛 聞人 東方 赫連 尉遲 澹臺 濮陽 軒轅 令狐 鍾離 長孫 閭丘 顓孫 漆雕 壤駟 "
    "夾谷 東郭 南門 歸海 東門 西門 獨孤".split())
# surnames read otherwise than the character's common reading: the reading as a surname
# (单 is "dan", as a surname "shan"); compound surnames that pypinyin reads otherwise too
SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "区": "ou", "仇": "qiu", "解": "xie", "查": "zha", "朴": "piao",
    "盖": "ge", "缪": "miao", "乐": "yue", "覃": "qin", "种": "chong", "秘": "bi", "繁": "po",
    "员": "yun", "句": "gou", "翟": "zhai", "折": "she", "黑": "he", "召": "shao", "能": "nai",
    "阚": "kan", "都": "du", "乜": "nie", "隗": "wei", "重": "chong", "藏": "zang", "卜": "bu",
    "薄": "bo", "柏": "bai", "沈": "shen", "宿": "su",
    "單": "shan", "區": "ou", "樸": "piao", "蓋": "ge", "繆": "miao", "樂": "yue", "種": "chong",
    "員": "yun", "闞": "kan",
    "长孙": "zhangsun", "長孫": "zhangsun", "尉迟": "yuchi", "尉遲": "yuchi", "万俟": "moqi",
    "澹台": "tantai", "澹臺": "tantai"}
_HAN_NAME = re.compile(HAN.pattern + "{2,4}")


def han_surname(name: str) -> str:
    """The surname of a Chinese name written whole: ``张伟`` -> ``张``, ``欧阳娜娜`` -> ``欧阳``
    (a compound surname needs a given name after it: ``东方`` alone is 东 + 方)."""
    return name[:2] if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES else name[:1]


def han_name(name: str) -> Person:
    """A Chinese name of two to four Han characters written whole, split into surname and
    given name (``曾小明`` -> 曾, 小明; ``诸葛亮`` -> 诸葛, 亮); any other text is kept whole
    as the family name (``买买提·艾力``, a name of five characters)."""
    name = name.strip()
    if not _HAN_NAME.fullmatch(name):
        return Person(family=name)
    surname = han_surname(name)
    return Person(family=surname, given=name[len(surname):])


def surname_pinyin(surname: str) -> str:
    """A Han surname in pinyin as a surname is read, lower case without tones: ``曾`` -> zeng,
    ``单`` -> shan, ``欧阳`` -> ouyang (:data:`SURNAME_READINGS`, else pypinyin's reading of
    each character)."""
    if surname in SURNAME_READINGS:
        return SURNAME_READINGS[surname]
    return "".join(syllables(surname)).lower()


def _strip_braces(s: str) -> str:
    return s.replace("{", "").replace("}", "")


_CJK = re.compile(r"[\u3400-\u9fff]")
# "Last, First Middle" and "First Middle Last" where every word of Last (and, in the second
# form, every word) starts with a capital and no word holds a brace, backslash or tilde:
# pybtex's answer is then read here without it (tests/bibtex/test_bibtex_fastpath.py compares the two,
# the oracle parse_name_reference in tests/oracles/bibtex_oracles.py, on every name of the shared corpora)
# The last word of Last (BibTeX's Last part always holds it, whatever its case) and the
# words of First may also hold LaTeX: balanced braces (two levels, spaces inside them) and
# control sequences, without commas or tildes (``Lebarb\\'e, Thomas``, ``R Sch{\\"o}nfeld``);
# a name of one such word is its Last part.
_CAP = r"[A-Z][^\s,{}\\~]*"
_IN = r"(?:[^{}\s,~]| )"  # inside braces: one word for BibTeX, spaces included
_WORD = r"(?:[^\s,{}\\~]|\\[^\s,{}~]|\{(?:" + _IN + r"|\{" + _IN + r"*\})*\})+"
_SIMPLE = re.compile(rf"((?:{_CAP} )*{_WORD}), ({_WORD}(?: {_WORD})*)")
_SIMPLE_DIRECT = re.compile(rf"({_CAP}(?: {_CAP})*) ({_WORD})")
_ONE_WORD = re.compile(_WORD)  # a name of one word is its Last part
_NOT_A_NAME = ("others", "et al", "et al.")
_AND = re.compile(r"\s+and\s+(?![^{]*\})")


@lru_cache(maxsize=1 << 17)
def parse_name(name: str) -> Person:
    """``Jacob Devlin`` / ``Devlin, Jacob`` / ``Ludwig van Beethoven`` -> Person."""
    name = name.strip()
    if name.lower() in _NOT_A_NAME:
        return OTHERS
    m = _SIMPLE.fullmatch(name)
    if m is not None:
        return Person(family=m.group(1), given=m.group(2))
    m = _SIMPLE_DIRECT.fullmatch(name)
    if m is not None:
        return Person(family=m.group(2), given=m.group(1))
    if _ONE_WORD.fullmatch(name):
        return Person(family=name)
    return _parse_name(name)


def _parse_name(name: str) -> Person:
    if name.lower() in _NOT_A_NAME:
        return OTHERS
    if not name:
        return Person(family="")
    if _CJK.search(name) and " " not in name and "," not in name:
        return Person(family=name)  # a CJK name written as one token stays whole
    from pybtex.database import Person as PybtexPerson

    try:
        p = PybtexPerson(name)
    except Exception:  # pybtex rejects some malformed names: keep the text whole
        return Person(family=name)
    return Person(
        family=" ".join(p.last_names),
        given=" ".join(p.first_names + p.middle_names),
        prefix=" ".join(p.prelast_names),
        suffix=" ".join(p.lineage_names),
    )


def parse_author_list(text: str) -> List[Person]:
    """``A, B and C`` / ``A, B, C`` / ``A, et al.`` (reading-list style) -> persons."""
    text = text.strip().rstrip(".")
    if not text:
        return []
    others = bool(re.search(r",?\s*(et al\.?|等)\s*$", text))
    text = re.sub(r",?\s*(et al\.?|等)\s*$", "", text)
    parts = re.split(r"\s*,\s*and\s+|\s*,\s*|\s+and\s+|\s*&\s*|\s*、\s*|\s*;\s*", text)
    people = [parse_name(p) for p in parts if p.strip()]
    if others:
        people.append(OTHERS)
    return people


def parse_bibtex_names(value: str) -> List[Person]:
    """A BibTeX ``author`` field (``A and B and others``) -> persons, braces kept in parsing."""
    people = []
    for part in _AND.split(value.strip()):
        if not part.strip():
            continue
        if part.strip() == "others":
            people.append(OTHERS)
            continue
        p = parse_name(part)
        people.append(p)
    return people
