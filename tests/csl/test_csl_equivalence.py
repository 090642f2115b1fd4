"""Proofs that run anywhere (no shared corpora): the compiled APA and IEEE styles write
what citeproc-py writes, our sort orders as citeproc-py's, and formatting again after
changes gives the cold result, on generated items and records.

Items come from hypothesis strategies and from a deterministic generator of a few hundred
items (:func:`_generated_items`) so that most of them are of a shape the compiled styles
cover (the proofs would be empty otherwise: the tests count them).
"""
from __future__ import annotations

import random
from typing import Any, Dict, List

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oracles.csl_citeproc import check_again, citeproc_entry, citeproc_order, style_of

from plm_bib.csl.cache import RenderCache
from plm_bib.csl.compiled.apa import apa_entry
from plm_bib.csl.compiled.ieee import ieee_entry
from plm_bib.model import Person, Record

_TEXTS = st.lists(st.sampled_from(["the", "of", "a", "Deep", "learning", "on", "RoBERTa", "x.", "?", "NLP:",
                                   "a  b", "über", "in", "vs.", ":", '"q"', "it's", "(ACL)", ".", ",", "!",
                                   '<span class="nocase">GaN</span>', 'a<span class="nocase">B</span>',
                                   "\x01iw\x02", "ß", "é"]),
                  min_size=1, max_size=5).map(" ".join)
_PERSON = st.fixed_dictionaries(
    {}, optional={"family": st.sampled_from(["Doe", "van Dam", "O'Neil", "McHenry", "X.", "Ω", "Li,"]),
                  "given": st.sampled_from(["Jane", "J.", "J. R.", "Jun-ichi", "M W", "", "de", "jane",
                                            "A.-B.", "Ana María", "Marc'Aurelio"]),
                  "non-dropping-particle": st.sampled_from(["van", "de"]), "suffix": st.just("Jr.")})
_ITEMS = st.fixed_dictionaries(
    {"type": st.sampled_from(["paper-conference", "article-journal", "book"]), "title": _TEXTS},
    optional={"author": st.lists(_PERSON, min_size=1, max_size=22), "editor": st.lists(_PERSON, min_size=1,
                                                                                        max_size=3),
              "issued": st.builds(lambda y, m: {"date-parts": [[y] + m]}, st.sampled_from([1999, 2020, 2021]),
                                  st.sampled_from([[], [5], [12]])),
              "container-title": _TEXTS, "publisher": _TEXTS, "publisher-place": _TEXTS, "DOI": _TEXTS,
              "URL": _TEXTS, "language": st.sampled_from(["en", "en-US", "English", "de"]),
              "page": st.sampled_from(["1", "1\u20139", "9\u201314", "119\u2013128"]),
              "volume": st.sampled_from(["12", "3a", "22(1)"]), "issue": st.sampled_from(["3", "May"])})

_FAMILIES = ["Devlin", "Chang", "Lee", "Toutanova", "Vaswani", "van der Berg", "O'Neil", "Müller", "Li", "Smith"]
_GIVENS = ["Jacob", "Ming-Wei", "Kenton", "Kristina", "Ashish", "Jan", "J. R.", "Ana María", "Wei", "A."]
_WORDS = ["Attention", "is", "all", "you", "need", "BERT", "Pre-training", "of", "Deep", "Transformers",
          "for", "Language", "Understanding", "RoBERTa", "a", "Robustly", "Optimized", "Approach", "on", "the"]
_VENUES = ["Proceedings of NAACL-HLT", "Advances in Neural Information Processing Systems",
           "Transactions of the ACL", "Journal of Machine Learning Research", "Proceedings of ICML"]


def _generated_items(n: int, seed: int) -> List[Dict[str, Any]]:
    """``n`` citeproc-py items of the shapes bibliographies are made of, deterministic."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        kind = rng.choice(["paper-conference", "article-journal", "book"])
        people = [{"family": rng.choice(_FAMILIES), "given": rng.choice(_GIVENS)}
                  for _ in range(rng.choice([1, 1, 2, 3, 4, 7, 9, 21]))]
        item: Dict[str, Any] = {"id": f"x{i}", "type": kind, "author": people,
                                "title": " ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 9))),
                                "issued": {"date-parts": [[rng.choice([1998, 2019, 2020, 2021])]
                                                          + rng.choice([[], [rng.randint(1, 12)]])]}}
        if kind != "book":
            item["container-title"] = rng.choice(_VENUES)
            first = rng.randint(1, 900)
            item["page"] = rng.choice([str(first), f"{first}\u2013{first + rng.randint(1, 120)}"])
        if kind == "article-journal":
            item["volume"] = str(rng.randint(1, 40))
            if rng.random() < 0.5:
                item["issue"] = str(rng.randint(1, 12))
        if kind != "article-journal" or rng.random() < 0.3:
            item["publisher"] = rng.choice(["Association for Computational Linguistics", "MIT Press", "PMLR"])
        if rng.random() < 0.4:
            item["DOI"] = f"10.{rng.randint(1000, 9999)}/x{i}"
        if rng.random() < 0.3:
            item["URL"] = f"https://example.org/p{i}"
        out.append(item)
    return out


def test_compiled_apa_equals_citeproc_on_a_few_hundred_generated_items():
    items = _generated_items(300, seed=1)
    compiled = 0
    for item in items:
        got = apa_entry(item)
        if got is None:
            continue
        compiled += 1
        entry, keys = citeproc_entry("apa", {k: v for k, v in item.items() if k != "id"})
        assert got[0] == entry, item
        assert [None if k is None else str(k) for k in got[1]] == keys, item
    assert compiled > 250, compiled


def test_compiled_ieee_equals_citeproc_on_a_few_hundred_generated_items():
    items = _generated_items(300, seed=2)
    compiled = 0
    for n, item in enumerate(items, 1):
        got = ieee_entry(item, n)
        if got is None:
            continue
        compiled += 1
        assert got == citeproc_entry("ieee", {k: v for k, v in item.items() if k != "id"}, n)[0], item
    assert compiled > 250, compiled


@settings(max_examples=400, deadline=None)
@given(_ITEMS)
def test_compiled_apa_matches_citeproc_on_generated_items(item):
    got = apa_entry(dict(item, id="x"))
    if got is None:
        return  # a shape the port leaves to citeproc-py
    entry, keys = citeproc_entry("apa", item)
    assert got[0] == entry
    assert [None if k is None else str(k) for k in got[1]] == keys


@settings(max_examples=300, deadline=None)
@given(_ITEMS, st.sampled_from([1, 9, 10, 123]))
def test_compiled_ieee_matches_citeproc_on_generated_items(item, number):
    got = ieee_entry(dict(item, id="x"), number)
    if got is None:
        return
    assert got == citeproc_entry("ieee", item, number)[0]


def _records(n: int, seed: int) -> List[Record]:
    """Records with ties, shared names and years (year suffixes) and mixed volumes."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        authors = tuple(Person(family=rng.choice(_FAMILIES[:4]), given=rng.choice(_GIVENS[:4]))
                        for _ in range(rng.choice([1, 2, 3])))
        kind = rng.choice(["inproceedings", "article"])
        venue = rng.choice(_VENUES)
        out.append(Record(key=f"k{i}", entry_type=kind,
                          title=" ".join(rng.choice(_WORDS) for _ in range(rng.randint(1, 4))),
                          authors=authors, year=rng.choice([2019, 2020]),
                          booktitle=venue if kind == "inproceedings" else None,
                          journal=venue if kind == "article" else None,
                          pages=rng.choice([None, "1--9", "10--20"]), volume=rng.choice([None, "3", "x1"])))
    return out


def test_sorting_by_plain_keys_gives_citeprocs_order_on_generated_records():
    records = _records(200, seed=3)
    records += [r.replace(key=r.key + "-again") for r in records[:30]]  # full ties
    random.Random(4).shuffle(records)
    for target in ("apa", "chicago", "acl", "mla"):
        theirs, ours = citeproc_order(target, records)
        assert ours == theirs, target


_SORT_VALUE = st.none() | st.sampled_from(["2019", "2020", "2019-07", "12", "9", "10", "-1", "3a", "Doe, J.",
                                           "doe, j.", "Émile", "\x01ia\x02", "", " 7", "007", "b", "B"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_SORT_VALUE, min_size=3, max_size=3), min_size=0, max_size=30),
       st.sampled_from([(False, False, False), (False, True, False)]))
def test_sorting_by_plain_keys_matches_citeprocs_comparison(rows, descending):
    """Any key columns (numbers, text, both mixed, missing keys, ties), ascending or not:
    ``sort_cites`` gives the order of citeproc-py's ``Sort.sort``."""
    from plm_bib.csl.sorting import Known, sort_cites

    style = style_of("apa")
    layout = style.root.bibliography.layout
    sort = style.root.bibliography.find("cs:sort", style.root.nsmap)
    keys = sort.findall("cs:key", style.root.nsmap)[:3]
    saved = [(k, dict(k.attrib)) for k in keys]
    cites = [Known(f"fp{i}", f"k{i}") for i in range(len(rows))]
    column_of = {k: [row[j] for row in rows] for j, k in enumerate(keys)}
    ours_key = type(keys[0])  # our subclass of citeproc-py's Key: citeproc-py's own class is left alone
    plain = ours_key.__dict__.get("sort_keys")
    ours_key.sort_keys = lambda self, items, context: [column_of[self][int(c.key[1:])] for c in items] \
        if self in column_of else [None] * len(items)
    try:
        for k, desc in zip(keys, descending):
            if desc:
                k.set("sort", "descending")
        theirs = [c.key for c in sort.sort(list(cites), layout)]
        ours = [c.key for c in sort_cites(list(cites), sort, layout, RenderCache())[0]]
    finally:
        if plain is None:
            del ours_key.sort_keys
        else:
            ours_key.sort_keys = plain
        for k, attrib in saved:
            k.attrib.clear()
            k.attrib.update(attrib)
    assert ours == theirs


@pytest.mark.parametrize("style", ["apa", "ieee", "chicago", "gb7714"])
def test_formatting_again_gives_the_cold_result_on_generated_records(style, builtin):
    check_again(style, _records(150, seed=5) + list(builtin), seed=6)


@pytest.mark.parametrize("field, value", [("publisher", ","), ("publisher", "a,"), ("publisher-place", "a:"),
                                          ("publisher-place", ":"), ("title", "x;"), ("publisher", "x.")])
def test_a_value_ending_in_the_next_delimiters_mark_is_written_as_citeproc_writes_it(field, value):
    """Found by the generated items: citeproc-py drops a mark that the next delimiter repeats
    ("a," + ", " -> "a, "); the compiled IEEE entry leaves such values to citeproc-py."""
    item = {"type": "book", "title": "the", "issued": {"date-parts": [[1999]]}, "publisher": "P", field: value}
    assert ieee_entry(dict(item, id="x"), 1) is None
    lib_text = citeproc_entry("ieee", item, 1)[0]
    assert lib_text is not None and f"{value}{value[-1]}" not in lib_text
