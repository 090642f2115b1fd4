"""The value objects: names, serialised forms, the old names kept."""
import json

import plm_bib
from plm_bib.model import Problem, Record


def test_origin_is_the_input_and_source_its_old_name():
    r = Record(key="k", title="T", origin="list.md")
    assert r.origin == r.source == "list.md"
    old = Record(key="k", title="T", source="list.md")  # the deprecated keyword still works
    assert old == r and old.replace(title="U").origin == "list.md"
    assert r.to_dict()["source"] == "list.md" and "origin" not in r.to_dict()
    assert Record.from_dict(r.to_dict()) == r
    lib = plm_bib.Library([r], origin="list.md")
    assert lib.origin == lib.source == "list.md" and lib.to_dict()["source"] == "list.md"
    assert plm_bib.Library([r], source="x.md").origin == "x.md"


def test_a_problem_keeps_its_record_key_apart_from_its_raw_text(tmp_path):
    plain = Problem("a.bib", 3, "m", "@misc{x,", "error")
    assert plain.to_dict() == {"source": "a.bib", "line": 3, "message": "m", "raw": "@misc{x,", "level": "error"}
    about = Problem("a.bib", 0, "arxiv: no answer", level="info", key="devlin2019bert")
    assert about.to_dict()["key"] == "devlin2019bert" and about.raw == ""
    lib = plm_bib.Library([Record(key="devlin2019bert", title="T")], [plain, about], origin="a.bib")
    path = tmp_path / "lib.json"
    path.write_text(lib.to_json(), encoding="utf-8")
    back = plm_bib.read(str(path))
    assert back.problems == (plain, about)
    assert json.loads(back.to_json()) == json.loads(lib.to_json())



def test_replace_is_dataclasses_replace(builtin):
    """Record.replace sets the slots itself (no __init__): each field changed alone, and all
    at once, gives what dataclasses.replace gives; a name that is no field is a TypeError."""
    import dataclasses

    import pytest

    for r in list(builtin)[:5]:
        for f in dataclasses.fields(Record):
            value = getattr(builtin.records[-1], f.name)
            assert r.replace(**{f.name: value}) == dataclasses.replace(r, **{f.name: value})
            assert getattr(r.replace(**{f.name: value}), f.name) is value
        every = {f.name: getattr(builtin.records[-1], f.name) for f in dataclasses.fields(Record)}
        assert r.replace(**every) == builtin.records[-1]
        assert r.replace() == r and r.replace() is not r
    with pytest.raises(TypeError, match="no field 'colour'"):
        builtin.records[0].replace(colour="red")


def test_import_plm_bib_loads_names_on_first_use():
    """``import plm_bib`` loads no reader; each public name, and each module as an attribute
    (``plm_bib.readers``), is there when first asked for."""
    import subprocess
    import sys

    code = ("import sys, plm_bib\n"
            "assert 'plm_bib.readers' not in sys.modules and 'plm_bib.bibtex' not in sys.modules\n"
            "from plm_bib import Library, Record, load\n"
            "assert plm_bib.readers.load is load and plm_bib.Library is Library\n"
            "assert set(plm_bib.__all__) <= set(dir(plm_bib))\n"
            "assert all(getattr(plm_bib, n) is not None for n in plm_bib.__all__)\n"
            "try:\n    plm_bib.no_such_name\nexcept AttributeError:\n    print('ok')\n")
    from conftest import ROOT

    got = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert got.returncode == 0 and got.stdout == "ok\n", got.stderr
