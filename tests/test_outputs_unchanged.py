"""Every output is byte-identical to what it was before the architecture step (issue 17).

The expectations (``tests/golden/output-digests.json``) are SHA-256 digests made by
``tests/output_digests.py`` before code was moved: the built-in list and every shared
corpus, in every format, style and backend.  A change meant to alter outputs makes them
anew in its own commit (``python3 tests/output_digests.py --write``) and says why.
"""
from __future__ import annotations

import output_digests as od
import pytest


def test_the_comparison_reports_every_changed_missing_and_new_output():
    want = od.expected()
    key = next(k for k in want if k.startswith("builtin|"))
    got = {k: v for k, v in want.items() if k.startswith("builtin")}
    assert od.compare(got, ("builtin",)) == []
    changed = dict(got, **{key: "0" * 64})
    assert od.compare(changed, ("builtin",)) == [key]
    missing = {k: v for k, v in got.items() if k != key}
    assert od.compare(missing, ("builtin",)) == [key]
    assert od.compare(dict(got, **{"builtin|new": "x"}), ("builtin",)) == ["builtin|new"]


def test_a_crash_is_an_output_too():
    class Broken:
        problems = ()

        def __len__(self):
            return 0

        def __iter__(self):
            raise RuntimeError("boom")

    got = od.digests_of("x", Broken(), styled=False, everything=False)
    assert got["x|problems"] == od._digest("")
    assert got["x|bibtex|"] == od._digest("raised RuntimeError: boom")


def test_builtin_outputs_are_byte_identical():
    got = od.digests(lambda name: name.startswith("builtin"))
    assert len(got) > 800
    assert od.compare(got, ("builtin",)) == []


# the corpora in parts of a few minutes at most (a parallel run spreads them)
CORPUS_PARTS = {
    "lists": lambda name: name.startswith("lists/"),
    "biber": lambda name: name.startswith("bib/biber/"),
    "bibtex-tidy-tests": lambda name: name.startswith("bib/bibtex-tidy-tests/"),
    "dblp": lambda name: name.startswith("bib/dblp/"),
    "large": lambda name: name.startswith("bib/large/"),
    "single files": lambda name: name.startswith("bib/") and "/" not in name[len("bib/"):],
}


def test_the_parts_cover_every_expectation():
    names = {k.split("|", 1)[0] for k in od.expected()}
    for name in names:
        owners = [part for part, has in CORPUS_PARTS.items() if has(name)]
        assert len(owners) == (0 if name.startswith("builtin") else 1), (name, owners)


@pytest.mark.parametrize("part", sorted(CORPUS_PARTS))
def test_corpus_outputs_are_byte_identical(shared_data, part):
    has = CORPUS_PARTS[part]
    got = od.digests(has)
    want = {k: v for k, v in od.expected().items() if has(k.split("|", 1)[0])}
    assert len(got) >= 20
    assert sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k)) == []
