"""The fast paths of writing and formatting give exactly what the reference gives: the JSON
writer against ``json.dumps``, the memoised and compiled CSL styles against citeproc-py.
(The BibTeX reading and writing fast paths: tests/bibtex/test_bibtex_fastpath.py.)
"""
from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

import pytest
from bib_corpus import bib_files, corpus_records
from hypothesis import given, settings
from hypothesis import strategies as st

from plm_bib.bibtex import parse_bibtex
from plm_bib.textio import read_text


@pytest.fixture(scope="module")
def corpus(shared_data: Path) -> List[Tuple[Path, str]]:
    return list(bib_files(shared_data))


def test_json_writer_matches_json_dumps(corpus, builtin):
    import json

    from plm_bib.csl import records_to_csl
    from plm_bib.formats.json_text import dumps

    items = records_to_csl(corpus_records(corpus, 10_000) + list(builtin))
    assert dumps(items) == json.dumps(items, ensure_ascii=False, indent=2)
    assert dumps(items[:50], indent=4) == json.dumps(items[:50], ensure_ascii=False, indent=4)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=5), kids, max_size=4)
    | st.dictionaries(st.integers(), kids, max_size=2),
    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(_JSON)
def test_json_writer_matches_json_dumps_on_any_value(value):
    import json

    from plm_bib.formats.json_text import dumps

    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


# -- formatting: the memoised citeproc-py against citeproc-py as shipped ------------------------
_RENDER = """
import json, sys
import plm_bib
from plm_bib.bibtex import parse_bibtex
text = open(sys.argv[1], encoding="utf-8").read()
records = parse_bibtex(text, "corpus")[0][:1000]
lib = plm_bib.Library(records + list(plm_bib.load()))
out = {style: lib.format(style, "html") for style in ("apa", "ieee", "chicago", "gb7714")}
json.dump(out, sys.stdout)
"""


def test_memoised_citeproc_renders_what_citeproc_renders(shared_data, tmp_path):
    import json
    import os
    import subprocess
    import sys

    text = read_text(shared_data / "bib" / "large" / "acl_anthology.bib")
    sample = tmp_path / "sample.bib"
    sample.write_text(text[: text.index("@", 700_000)], encoding="utf-8")  # the first 1,100 entries
    outputs = []
    for plain in ("", "1"):
        env = {**os.environ, "PLM_BIB_CITEPROC_PLAIN": plain}
        done = subprocess.run([sys.executable, "-c", _RENDER, str(sample)], capture_output=True, text=True,
                              env=env, check=True)
        outputs.append(json.loads(done.stdout))
    fast, plain_out = outputs
    for style in fast:
        assert fast[style].count("csl-entry") > 1000, style
        assert fast[style] == plain_out[style], style


@pytest.mark.parametrize("style", ["apa", "ieee", "chicago", "gb7714", "acl"])
def test_formatting_again_after_changes_gives_the_cold_result(style, builtin, shared_data):
    from plm_bib.csl import engine as cslrender

    text = read_text(shared_data / "bib" / "dblp" / "iclr2020.bib")
    records = parse_bibtex(text, "iclr")[0][:150] + list(builtin)
    lib = plm_bib_library(records)
    cslrender.clear_caches()
    lib.format(style, "html")  # fills the per-record caches
    changed = list(records)
    changed[3] = changed[3].replace(title="A changed title", year=1999)  # moves in sorted styles
    changed.insert(10, changed[40].replace(key="inserted", title="Inserted"))
    del changed[60]
    changed.reverse()
    warm = plm_bib_library(changed).format(style, "html")
    cslrender.clear_caches()
    assert warm == plm_bib_library(changed).format(style, "html")


def plm_bib_library(records):
    import plm_bib

    return plm_bib.Library(records)




# -- the compiled IEEE style against citeproc-py --------------------------------------------------
def _ieee_pairs(records):
    """(item, number, citeproc-py's entry) for each record, rendered by citeproc-py alone."""
    from plm_bib.csl import engine as cslrender
    from plm_bib.render.styles import csl_path, get_style

    cslrender._compile_citeproc()
    cslrender.clear_caches()
    items = [cslrender._item(r, f"r{i}", False) for i, r in enumerate(records)]
    style = cslrender._style(csl_path(get_style("ieee").target), "")
    cslrender._bibliography(style, items)  # no compiled renderer: every entry by citeproc-py
    layout = style.root.bibliography.layout
    out = []
    for n, it in enumerate(items, 1):
        out.append(({k: v for k, v in it.items() if k != "_fp"}, n,
                    cslrender._ENTRIES.get((layout, it["_fp"], n))))
    cslrender.clear_caches()
    return out


def test_compiled_ieee_writes_what_citeproc_writes(corpus, builtin):
    from plm_bib.csl.compiled.ieee import ieee_entry

    acl = next(text for path, text in corpus if path.name == "acl_anthology.bib")
    samples = {"acl": parse_bibtex(acl[: acl.index("@", 2_500_000)], "acl")[0], "builtin": list(builtin)}
    for path, text in corpus:
        if path.name in ("cdl.bib", "etc_papers.bib", "neurips2020.bib", "aaai2020.bib", "iclr2019.bib"):
            samples[path.name] = parse_bibtex(text, str(path))[0]
    for name, records in samples.items():
        compiled = 0
        for item, n, reference in _ieee_pairs(records):
            got = ieee_entry(item, n)
            if got is not None:
                compiled += 1
                assert got == reference, (name, item)
        if name == "acl":
            assert compiled > 0.95 * len(records) and len(records) > 3000, (compiled, len(records))


# -- the compiled APA style against citeproc-py ---------------------------------------------------
def _apa_reference(records):
    """(item, citeproc-py's entry, its ten sort keys as citeproc-py compares them) per record,
    everything computed by citeproc-py alone."""
    from plm_bib.csl import engine as cslrender
    from plm_bib.render.styles import csl_path, get_style

    cslrender._compile_citeproc()
    cslrender.clear_caches()
    items = [cslrender._item(r, f"r{i}", False) for i, r in enumerate(records)]
    style = cslrender._style(csl_path(get_style("apa").target), "")
    cslrender._bibliography(style, items)  # no compiled renderer: entries and keys by citeproc-py
    layout = style.root.bibliography.layout
    keys = style.root.bibliography.find("cs:sort", style.root.nsmap).findall("cs:key", style.root.nsmap)
    out = []
    for it in items:
        fp = it["_fp"]
        values = [cslrender._SORT_KEYS[(k, layout, fp)] for k in keys]
        out.append(({k: v for k, v in it.items() if k != "_fp"}, cslrender._ENTRIES.get((layout, fp, 0)),
                    [None if v is None else str(v.lower()) for v in values]))
    cslrender.clear_caches()
    return out


def _apa_samples(corpus, builtin):
    acl = next(text for path, text in corpus if path.name == "acl_anthology.bib")
    samples = {"acl": parse_bibtex(acl[: acl.index("@", 1_500_000)], "acl")[0], "builtin": list(builtin)}
    for path, text in corpus:
        if path.name in ("cdl.bib", "etc_papers.bib", "neurips2020.bib", "aaai2020.bib", "iclr2019.bib"):
            samples[path.name] = parse_bibtex(text, str(path))[0]
    return samples


def test_compiled_apa_writes_what_citeproc_writes(corpus, builtin):
    from plm_bib.csl.compiled.apa import apa_entry

    for name, records in _apa_samples(corpus, builtin).items():
        compiled = 0
        for item, entry, keys in _apa_reference(records):
            got = apa_entry(item)
            if got is not None:
                compiled += 1
                assert got[0] == entry, (name, item)
                assert [None if k is None else str(k) for k in got[1]] == keys, (name, item)
        if name == "acl":
            assert compiled > 0.95 * len(records) and len(records) > 2000, (compiled, len(records))


def _citeproc_apa(item):
    """citeproc-py's APA entry and sort keys of one item, computed from scratch."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography
    from citeproc.source.json import CiteProcJSON

    from plm_bib.csl import engine as cslrender
    from plm_bib.render.styles import csl_path, get_style

    style = cslrender._style(csl_path(get_style("apa").target), "")
    bib = CitationStylesBibliography(style, CiteProcJSON([dict(item, id="x")]), cslrender._FORMATTER)
    bib.register(Citation([CitationItem("x")]))
    layout = style.root.bibliography.layout
    keys = style.root.bibliography.find("cs:sort", style.root.nsmap).findall("cs:key", style.root.nsmap)
    values = [k.sort_keys(bib.items, layout)[0] for k in keys]  # no fingerprint: computed, not cached
    out = layout.render_bibliography(bib.items)
    return (str(out[0]) if out else None), [None if v is None else str(v.lower()) for v in values]


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
_APA_ITEMS = st.fixed_dictionaries(
    {"type": st.sampled_from(["paper-conference", "article-journal", "book"]), "title": _TEXTS},
    optional={"author": st.lists(_PERSON, min_size=1, max_size=22), "editor": st.lists(_PERSON, min_size=1,
                                                                                        max_size=3),
              "issued": st.builds(lambda y, m: {"date-parts": [[y] + m]}, st.sampled_from([1999, 2020, 2021]),
                                  st.sampled_from([[], [5], [12]])),
              "container-title": _TEXTS, "publisher": _TEXTS, "publisher-place": _TEXTS, "DOI": _TEXTS,
              "URL": _TEXTS, "language": st.sampled_from(["en", "en-US", "English", "de"]),
              "page": st.sampled_from(["1", "1\u20139", "9\u201314", "119\u2013128"]),
              "volume": st.sampled_from(["12", "3a", "22(1)"]), "issue": st.sampled_from(["3", "May"])})


@settings(max_examples=400, deadline=None)
@given(_APA_ITEMS)
def test_compiled_apa_matches_citeproc_on_generated_items(item):
    from plm_bib.csl.compiled.apa import apa_entry

    got = apa_entry(dict(item, id="x"))
    if got is None:
        return  # a shape the port leaves to citeproc-py
    entry, keys = _citeproc_apa(item)
    assert got[0] == entry
    assert [None if k is None else str(k) for k in got[1]] == keys


def test_sorting_by_plain_keys_gives_citeprocs_order(corpus):
    """``cslrender._sorted`` (plain sort keys where they are equivalent, citeproc-py's
    comparison elsewhere) against citeproc-py's own ``Sort.sort`` on the same items."""
    import random

    from citeproc import Citation, CitationItem, CitationStylesBibliography
    from citeproc.source.json import CiteProcJSON

    from plm_bib.csl import engine as cslrender
    from plm_bib.render.styles import csl_path, get_style

    text = next(text for path, text in corpus if path.name == "cdl.bib")
    records = parse_bibtex(text, "cdl")[0][:150]
    records = records + [r.replace(key=r.key + "-again") for r in records[:25]]  # ties
    random.Random(7).shuffle(records)
    cslrender._compile_citeproc()
    for target in ("apa", "chicago", "acl", "mla"):
        style = cslrender._style(csl_path(get_style(target).target), "")
        items = [cslrender._item(r, f"r{i}", False) for i, r in enumerate(records)]
        bib = CitationStylesBibliography(
            style, CiteProcJSON([{k: v for k, v in it.items() if k != "_fp"} for it in items]), cslrender._FORMATTER)
        cites = []
        for it in items:
            citation = Citation([CitationItem(it["id"])])
            citation.bibliography = bib
            cites.append(citation.cites[0])
        layout = style.root.bibliography.layout
        sort = style.root.bibliography.find("cs:sort", style.root.nsmap)
        theirs = [c.key for c in sort.sort(list(cites), layout)]
        ours = [c.key for c in cslrender._sorted(list(cites), sort, layout)]
        assert ours == theirs, target


_SORT_VALUE = st.none() | st.sampled_from(["2019", "2020", "2019-07", "12", "9", "10", "-1", "3a", "Doe, J.",
                                           "doe, j.", "Émile", "\x01ia\x02", "", " 7", "007", "b", "B"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_SORT_VALUE, min_size=3, max_size=3), min_size=0, max_size=30),
       st.sampled_from([(False, False, False), (False, True, False)]))
def test_sorting_by_plain_keys_matches_citeprocs_comparison(rows, descending):
    """Any key columns (numbers, text, both mixed, missing keys, ties), ascending or not:
    ``cslrender._sorted`` gives the order of citeproc-py's ``Sort.sort``."""
    from citeproc import model

    from plm_bib.csl import engine as cslrender
    from plm_bib.render.styles import csl_path, get_style

    style = cslrender._style(csl_path(get_style("apa").target), "")
    layout = style.root.bibliography.layout
    sort = style.root.bibliography.find("cs:sort", style.root.nsmap)
    keys = sort.findall("cs:key", style.root.nsmap)[:3]
    saved = [(k, dict(k.attrib)) for k in keys]
    cslrender.clear_caches()  # the fingerprints below are reused by every example
    cites = [cslrender._Known(f"fp{i}", f"k{i}") for i in range(len(rows))]
    column_of = {k: [row[j] for row in rows] for j, k in enumerate(keys)}
    plain = model.Key.sort_keys
    model.Key.sort_keys = lambda self, items, context: [column_of[self][int(c.key[1:])] for c in items] \
        if self in column_of else [None] * len(items)
    try:
        for k, desc in zip(keys, descending):
            if desc:
                k.set("sort", "descending")
        theirs = [c.key for c in sort.sort(list(cites), layout)]
        ours = [c.key for c in cslrender._sorted(list(cites), sort, layout)]
    finally:
        model.Key.sort_keys = plain
        cslrender.clear_caches()
        for k, attrib in saved:
            k.attrib.clear()
            k.attrib.update(attrib)
    assert ours == theirs


@pytest.mark.parametrize("style", ["apa", "ieee", "chicago", "gb7714"])
def test_formatting_again_after_records_replaced_in_place(style, builtin, shared_data, monkeypatch):
    """The re-run path (a few records replaced in place: only they are formatted, moved to
    their sorted place, year suffixes redone for the groups they touch) gives what a cold
    run gives, after titles, years and authors change (moves, new year-suffix collisions),
    volumes turn non-numeric, and records swap places."""
    import random

    from plm_bib.csl import engine as cslrender
    from plm_bib.render import bibliography

    taken = []
    again = cslrender._again
    monkeypatch.setattr(cslrender, "_again", lambda *a, **k: taken.append(again(*a, **k)) or taken[-1])
    text = read_text(shared_data / "bib" / "dblp" / "iclr2020.bib")
    records = parse_bibtex(text, "iclr")[0][:150] + list(builtin)
    records += [r.replace(key=f"{r.key}-copy{n}") for n in range(3) for r in records[:60:6]]  # full ties
    rng = random.Random(11)
    bibliography.clear_caches()
    plm_bib_library(records).format(style, "html")
    for step in range(15):
        for _ in range(rng.choice([1, 2, 3])):
            i, j = rng.randrange(len(records)), rng.randrange(len(records))
            r = records[i]
            records[i] = [r.replace(title=rng.choice(["A changed title", "Zz last", "2001", "Aa first"])),
                          r.replace(year=records[j].year, authors=records[j].authors),
                          r.replace(volume=rng.choice(["x1", "7", "22(1)", None])),
                          records[j],
                          records[j].replace(key=r.key)][step % 5]  # the last: a full tie with j
            if step % 5 == 3:
                records[j] = r  # a swap
        warm = plm_bib_library(records).format(style, "html")
        bibliography.clear_caches()
        assert warm == plm_bib_library(records).format(style, "html"), (style, step)
    if style in ("apa", "ieee"):
        assert sum(t is not None for t in taken) >= 10, taken  # the re-run path was the one tested


@settings(max_examples=200, deadline=None)
@given(st.lists(_JSON, max_size=6), st.sampled_from([2, 4]))
def test_streamed_json_list_matches_json_dumps(values, indent):
    import json

    from plm_bib.formats.json_text import dumps_items

    got = dumps_items(iter(values), indent=indent)
    if got is None:  # a non-text key somewhere: json's own rules, through dumps()
        assert any(isinstance(v, dict) for v in values) or any(isinstance(v, list) for v in values)
        return
    assert got == json.dumps(values, ensure_ascii=False, indent=indent)
