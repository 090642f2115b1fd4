"""The fast paths of CSL formatting against citeproc-py, on the shared corpora.

The memoised engine against citeproc-py run plainly (two processes), the compiled APA and
IEEE styles against citeproc-py entry by entry, our sort against citeproc-py's, and
formatting again after changes against formatting cold.  The same proofs on generated
items, which run without the corpora, are in ``test_csl_equivalence.py``.
"""
from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

import pytest

from plm_bib.bibtex import parse_bibtex
from plm_bib.csl.cache import RenderCache
from plm_bib.textio import InputError, read_text

_SAMPLE_FILES = ("acl_anthology.bib", "cdl.bib", "etc_papers.bib", "neurips2020.bib", "aaai2020.bib",
                 "iclr2019.bib")


@pytest.fixture(scope="module")
def csl_corpus(shared_data: Path) -> List[Tuple[Path, str]]:
    out = []
    for path in sorted(shared_data.rglob("*.bib")):
        if path.name in _SAMPLE_FILES:
            try:
                out.append((path, read_text(path)))
            except InputError:
                continue
    return out


def plm_bib_library(records):
    import plm_bib

    return plm_bib.Library(records)


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
    from plm_bib.render.bibliography import format_bibliography

    text = read_text(shared_data / "bib" / "dblp" / "iclr2020.bib")
    records = parse_bibtex(text, "iclr")[0][:150] + list(builtin)
    cache = RenderCache()
    format_bibliography(records, style, "html", cache)  # fills the per-record caches
    changed = list(records)
    changed[3] = changed[3].replace(title="A changed title", year=1999)  # moves in sorted styles
    changed.insert(10, changed[40].replace(key="inserted", title="Inserted"))
    del changed[60]
    changed.reverse()
    warm = format_bibliography(changed, style, "html", cache)
    assert warm == format_bibliography(changed, style, "html", RenderCache())


# -- the compiled styles against citeproc-py ------------------------------------------------------
def _samples(corpus, builtin, acl_end: int):
    acl = next(text for path, text in corpus if path.name == "acl_anthology.bib")
    samples = {"acl": parse_bibtex(acl[: acl.index("@", acl_end)], "acl")[0], "builtin": list(builtin)}
    for path, text in corpus:
        if path.name != "acl_anthology.bib":
            samples[path.name] = parse_bibtex(text, str(path))[0]
    return samples


def test_compiled_ieee_writes_what_citeproc_writes(csl_corpus, builtin):
    from oracles.csl_citeproc import ieee_reference

    from plm_bib.csl.compiled.ieee import ieee_entry

    for name, records in _samples(csl_corpus, builtin, 2_500_000).items():
        compiled = 0
        for item, n, reference in ieee_reference(records):
            got = ieee_entry(item, n)
            if got is not None:
                compiled += 1
                assert got == reference, (name, item)
        if name == "acl":
            assert compiled > 0.95 * len(records) and len(records) > 3000, (compiled, len(records))


def test_compiled_apa_writes_what_citeproc_writes(csl_corpus, builtin):
    from oracles.csl_citeproc import apa_reference

    from plm_bib.csl.compiled.apa import apa_entry

    for name, records in _samples(csl_corpus, builtin, 1_500_000).items():
        compiled = 0
        for item, entry, keys in apa_reference(records):
            got = apa_entry(item)
            if got is not None:
                compiled += 1
                assert got[0] == entry, (name, item)
                assert [None if k is None else str(k) for k in got[1]] == keys, (name, item)
        if name == "acl":
            assert compiled > 0.95 * len(records) and len(records) > 2000, (compiled, len(records))


def test_sorting_by_plain_keys_gives_citeprocs_order(csl_corpus):
    """``sort_cites`` (plain sort keys where they are equivalent, citeproc-py's comparison
    elsewhere) against citeproc-py's own ``Sort.sort`` on the same items."""
    import random

    from oracles.csl_citeproc import citeproc_order

    text = next(text for path, text in csl_corpus if path.name == "cdl.bib")
    records = parse_bibtex(text, "cdl")[0][:150]
    records = records + [r.replace(key=r.key + "-again") for r in records[:25]]  # ties
    random.Random(7).shuffle(records)
    for target in ("apa", "chicago", "acl", "mla"):
        theirs, ours = citeproc_order(target, records)
        assert ours == theirs, target


@pytest.mark.parametrize("style", ["apa", "ieee", "chicago", "gb7714"])
def test_formatting_again_after_records_replaced_in_place(style, builtin, shared_data):
    from oracles.csl_citeproc import check_again

    text = read_text(shared_data / "bib" / "dblp" / "iclr2020.bib")
    records = parse_bibtex(text, "iclr")[0][:150] + list(builtin)
    check_again(style, records, seed=11)
