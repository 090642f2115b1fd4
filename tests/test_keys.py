import random

import plm_bib
from plm_bib.keys import ascii_fold, assign_keys
from plm_bib.model import Link, Person, Record


def test_builtin_keys_are_scholar_style_ascii_unique(builtin):
    keys = builtin.keys()
    assert len(set(keys)) == len(keys)
    assert all(k.isascii() and k.replace("_", "").isalnum() for k in keys)
    for k in ["devlin2019bert", "liu2019roberta", "clark2020electra", "nguyen2020bertweet",
              "houlsby2019parameter", "gururangan2020dont"]:
        assert k in builtin


def test_chinese_titles_become_pinyin(seed):
    r = next(r for r in seed if r.title == "一文了解预训练语言模型")
    assert r.key == "weixin_yiwenliaojie"
    assert ascii_fold("Marasović") == "Marasovic"


def _rec(title, url="", family="Smith", year=2020):
    urls = (Link(url),) if url else ()
    return Record(key="", title=title, authors=(Person(family=family, given="A"),), year=year, urls=urls)


def test_clashes_get_second_word_then_suffixes_independent_of_order():
    recs = [_rec("Deep Learning", "https://a.org/2"), _rec("Deep Learning", "https://a.org/1"),
            _rec("Deep Nets"), _rec("Other")]
    keys = assign_keys(recs)
    assert len(set(keys)) == 4
    for _ in range(5):
        order = list(range(4))
        random.shuffle(order)
        shuffled = assign_keys([recs[i] for i in order])
        assert [shuffled[order.index(i)] for i in range(4)] == keys


def test_keys_stable_when_unrelated_items_are_added(seed):
    before = dict((r.title, r.key) for r in seed)
    text = plm_bib.readers.builtin_list_text() + "\n### New\n\n1. Totally New Paper，**ACL 2021**（https://arxiv.org/abs/2101.00001）\n"
    after = dict((r.title, r.key) for r in plm_bib.parse_markdown(text, "reading-list.md"))
    assert all(after[t] == k for t, k in before.items())
