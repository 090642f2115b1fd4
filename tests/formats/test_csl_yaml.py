"""CSL-YAML: the CSL-JSON items as pandoc's YAML bibliography, written and read."""
import datetime
import json
import random
import subprocess

import pytest
import yaml
from click.testing import CliRunner
from conftest import need, need_tools

import plm_bib
from plm_bib.cli import main
from plm_bib.errors import InputError
from plm_bib.formats.csl_yaml import parse_csl_yaml
from plm_bib.library import Library
from plm_bib.model import Person, Record


@pytest.fixture(scope="module")
def text(builtin):
    return plm_bib.export(builtin, "csl-yaml")


def test_the_items_are_the_csl_json_items(builtin, text):
    data = yaml.safe_load(text)
    assert list(data) == ["references"]
    assert data["references"] == json.loads(builtin.to_csl_json())
    assert text.startswith("---\n\"references\":\n- \"id\": \"devlin2019bert\"\n")


def test_items_valid_against_the_csl_schema_after_yaml_load(shared_data, text):
    jsonschema = need("jsonschema")
    schema = json.loads((shared_data / "csl" / "schema" / "csl-data.json").read_text(encoding="utf-8"))
    items = yaml.safe_load(text)["references"]
    assert len(items) == 32
    jsonschema.validate(items, schema)


def _comparable(lib):
    return [{k: v for k, v in r.to_dict().items() if k not in ("line", "lines")} for r in lib]


def test_read_back_as_the_csl_json_reader_reads_the_same_items(builtin, text):
    back = parse_csl_yaml(text, "refs.csl.yaml")
    assert not back.problems
    assert _comparable(back) == _comparable(plm_bib.parse_csl_json(builtin.to_csl_json(), "refs.csl.yaml"))
    assert back["devlin2019bert"].line == 3 and back["cui2020revisiting"].line == 28  # each item's first line
    assert back.to_csl_json() == builtin.to_csl_json()


def test_round_trip_of_the_built_in_list_carries_every_field_but_the_preprints_publisher(builtin, text):
    back = parse_csl_yaml(text)
    fields = ("title", "year", "month", "venue", "booktitle", "journal", "volume", "number", "pages", "doi",
              "publisher", "address", "language", "site", "kind", "resource_kind", "notes")
    lost = set()
    for r in builtin:
        b = back[r.key]
        assert [p.to_dict() for p in b.authors] == [p.to_dict() for p in r.authors]
        assert [u.url for u in b.urls] == [r.url] if r.url else not b.urls  # CSL has one URL
        lost |= {(f, r.key) for f in fields if getattr(b, f) != getattr(r, f)}
    # a preprint's publisher arXiv is read as its venue; a blog post's list note is its CSL note
    assert {f for f, _ in lost} == {"publisher", "notes"}
    assert {k for f, k in lost if f == "publisher"} == {"liu2019roberta", "zhang2020ebert"}


def test_a_hostile_record_round_trips_exactly():
    title = 'A "quoted": #hash {brace} [list]\n- dash, yes: no\t&anchor *alias !tag %pct @at `tick` \\ 1e3'
    r = Record(key="k", title=title, entry_type="article", journal="null", volume="010", number="yes",
               authors=(Person("O'Neil: Jr", "- Ann"),), year=2020)
    back = parse_csl_yaml(plm_bib.export(Library([r]), "csl-yaml"))
    b = back["k"]
    assert (b.title, b.journal, b.volume, b.number) == (title, "null", "010", "yes")
    assert b.authors == (Person("O'Neil: Jr", "- Ann"),)


def test_pandoc_citeproc_reads_it_and_cites_a_record(tmp_path, text):
    need_tools("pandoc")
    (tmp_path / "refs.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "doc.md").write_text("See @devlin2019bert.\n", encoding="utf-8")
    out = subprocess.run(["pandoc", "--citeproc", "--bibliography", "refs.yaml", "-t", "plain", "--wrap=none",
                          "doc.md"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "See Devlin et al. (2019)." in out.stdout
    assert "BERT: Pre-Training of Deep Bidirectional Transformers for Language Understanding" in out.stdout
    assert "https://doi.org/10.18653/v1/N19-1423" in out.stdout


def test_what_pandoc_writes_reads(tmp_path):
    need_tools("pandoc")
    (tmp_path / "a.bib").write_text(
        "@article{x, title={A Title}, author={Doe, Jane and von Neumann, John}, journal={J}, date={2020-10-14},"
        " volume={3}, number={2}, doi={10.1/xyz}, url={https://x.org/a}}\n", encoding="utf-8")
    out = subprocess.run(["pandoc", "a.bib", "-s", "-f", "biblatex", "-t", "markdown"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lib = parse_csl_yaml(out.stdout, "pandoc.yaml")  # lower-case names, EDTF dates, numbers as YAML numbers
    assert not [p for p in lib.problems if p.level == "error"], lib.problems
    r = lib["x"]
    written = yaml.safe_load(out.stdout.split("\n---\n")[0])["references"][0]
    # what YAML adds: a lower-case name, a date, a number
    assert "doi" in written and written["issued"] == datetime.date(2020, 10, 14) and written["volume"] == 3
    assert (r.title, r.journal, r.volume, r.number, r.doi, r.url) == (
        written["title"], "J", "3", "2", "10.1/xyz", "https://x.org/a")  # (pandoc sets the title in sentence case)
    assert (r.year, r.month, r.extra["day"]) == (2020, 10, "14")
    assert [(p.family, p.prefix) for p in r.authors] == [("Doe", ""), ("Neumann", "von")]


def test_bad_yaml_and_bad_items(tmp_path):
    with pytest.raises(InputError) as e:
        parse_csl_yaml("references:\n- id: a\n  title: [unclosed\n", "bad.yaml")
    assert "bad.yaml" in str(e.value) and ":4" in str(e.value) or ":3" in str(e.value)
    lib = parse_csl_yaml("references:\n- just text\n- id: b\n  type: book\n  title: B\n", "items.yaml")
    assert [r.title for r in lib] == ["B"] and lib["b"].line == 3
    assert lib.problems[0].line == 2 and lib.problems[0].level == "error"
    with pytest.raises(InputError):
        parse_csl_yaml("title: not a bibliography\n", "x.yaml")


def test_corpus_sample_reads_as_csl_json_does(shared_data):
    from bib_corpus import bib_files, corpus_records, unique_keys

    from plm_bib.keys import keyed

    records = corpus_records(list(bib_files(shared_data)))
    sample, _ = keyed(unique_keys(random.Random(7).sample(records, min(2000, len(records)))))
    lib = Library(sample)
    back = parse_csl_yaml(plm_bib.export(lib, "csl-yaml"), "s")
    assert _comparable(back) == _comparable(plm_bib.parse_csl_json(lib.to_csl_json(), "s"))


def test_cli_suffixes_and_reading(tmp_path):
    runner = CliRunner()
    for name in ("refs.yaml", "refs.csl.yaml", "refs.csl.yml"):
        out = tmp_path / name
        assert runner.invoke(main, ["export", "-o", str(out)]).exit_code == 0
        assert yaml.safe_load(out.read_text(encoding="utf-8"))["references"][0]["id"] == "devlin2019bert", name
    res = runner.invoke(main, ["export", str(tmp_path / "refs.yaml"), "-f", "csl-json"])
    assert res.exit_code == 0 and json.loads(res.output) == json.loads(plm_bib.load().to_csl_json())
    res = runner.invoke(main, ["export", "-f", "csl-yaml"])
    assert res.exit_code == 0 and res.output == (tmp_path / "refs.yaml").read_text(encoding="utf-8")
