"""Issue 18, item 5: the curated overlay never edits user input silently: on a user's .bib or
list only when asked (``--curated``, ``load(path, curated=True)``), every field it changes a
finding; the built-in list keeps it."""
import json

from click.testing import CliRunner

import plm_bib
from plm_bib.cli import main
from plm_bib.curation.report import curated_with_findings

# the user's own arXiv entry of a paper the curated data has as its NAACL record
BIB = """% my references

@misc{mybert,
  title = {BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding},
  author = {Devlin, Jacob and Chang, Ming-Wei and Lee, Kenton and Toutanova, Kristina},
  eprint = {1810.04805},
  archiveprefix = {arXiv},
  year = {2018},
}

@misc{other, title = {Something Uncurated}, author = {Doe, Jane}, year = {2021}}
"""


def _bib(tmp_path):
    p = tmp_path / "refs.bib"
    p.write_text(BIB, encoding="utf-8")
    return p


def test_load_of_a_user_file_is_as_written_like_read(tmp_path):
    p = _bib(tmp_path)
    lib = plm_bib.load(str(p))
    assert lib["mybert"].venue == "arXiv" and lib["mybert"].year == 2018 and lib["mybert"].entry_type == "misc"
    assert [r.to_dict() for r in lib] == [r.to_dict() for r in plm_bib.read(str(p))]


def test_builtin_list_keeps_the_overlay():
    assert plm_bib.load()["devlin2019bert"].venue == "NAACL"
    assert plm_bib.load(curated=False)[0].provenance.get("venue") != "curated"


def test_overlay_when_asked_reports_every_change(tmp_path):
    p = _bib(tmp_path)
    raw = plm_bib.read(str(p))
    lib, changes = curated_with_findings(raw)
    assert lib["mybert"].venue == "NAACL" and lib["mybert"].year == 2019  # the key is the user's
    assert [r.to_dict() for r in lib] == [r.to_dict() for r in plm_bib.load(str(p), curated=True)]
    by = {f.message.split(": ")[1].split()[0]: f for f in changes}
    assert {"year", "venue", "entry_type", "booktitle", "pages", "doi", "publisher"} <= set(by)
    assert "key" not in by
    y = by["year"]
    assert (y.source, y.line, y.key, y.claimed, y.verified) == (str(p), 3, "mybert", "2018", "2019")
    assert (by["venue"].claimed, by["venue"].verified) == ("arXiv", "NAACL")
    assert (by["entry_type"].claimed, by["entry_type"].verified) == ("misc", "inproceedings")
    assert by["pages"].claimed is None and by["pages"].verified == "4171--4186"
    assert all(f.key == "mybert" for f in changes)  # the uncurated entry changes nothing
    # every changed field is reported: no field differs without a finding
    fields = {name for name in ("title", "authors", "year", "month", "venue", "track", "booktitle", "journal",
                                "volume", "number", "pages", "publisher", "address", "doi", "entry_type")
              if getattr(raw["mybert"], name) != getattr(lib["mybert"], name)}
    fields |= {"url"} if raw["mybert"].url != lib["mybert"].url else set()
    fields |= {k for k in set(raw["mybert"].extra) | set(lib["mybert"].extra)
               if raw["mybert"].extra.get(k) != lib["mybert"].extra.get(k)}
    assert fields == set(by)
    assert by["url"].verified == "https://aclanthology.org/N19-1423"


def test_cli_export_applies_it_only_with_curated(tmp_path):
    p = _bib(tmp_path)
    r = CliRunner().invoke(main, ["export", str(p), "-f", "json"])
    assert r.exit_code == 0 and "curated" not in r.stderr
    rec = json.loads(r.stdout)["records"][0]
    assert (rec["key"], rec["year"], rec["venue"]) == ("mybert", 2018, "arXiv")
    r = CliRunner().invoke(main, ["export", str(p), "-f", "json", "--curated"])
    assert r.exit_code == 0
    rec = json.loads(r.stdout)["records"][0]
    assert (rec["key"], rec["year"], rec["venue"]) == ("mybert", 2019, "NAACL")
    assert f"{p}:3: info: [curated] mybert: year set from the curated record (read: 2018; verified: 2019)" \
        in r.stderr
    n = r.stderr.count("[curated] mybert:")
    assert n >= 8 and f"the curated metadata changed {n} fields of {p}" in r.stderr


def test_cli_build_and_cite_of_a_user_bib(tmp_path):
    p = _bib(tmp_path)
    out = tmp_path / "o.bib"
    r = CliRunner().invoke(main, ["build", str(p), "-o", str(out)])
    assert r.exit_code == 0 and "curated" not in r.stderr
    assert "year = {2018}" in out.read_text(encoding="utf-8")
    r = CliRunner().invoke(main, ["cite", "mybert", "--bib", str(p), "-f", "bibtex", "--no-cache"])
    assert r.exit_code == 0 and "2018" in r.stdout and "North American" not in r.stdout
    r = CliRunner().invoke(main, ["cite", "mybert", "--bib", str(p), "-f", "bibtex", "--no-cache", "--curated"])
    assert r.exit_code == 0 and "North American" in r.stdout
    assert "[curated] mybert: year set from the curated record" in r.stderr


def test_check_of_a_user_bib_reads_it_as_written(tmp_path):
    p = _bib(tmp_path)
    r = CliRunner().invoke(main, ["check", str(p), "--format", "json"])
    kinds = {(d["key"], d["kind"]) for d in json.loads(r.stdout)}
    assert ("mybert", "published") in kinds  # not "the list gives no venue"
    assert not any(k == "missing-venue" for _, k in kinds)


def test_an_overlaid_entry_is_not_said_to_give_no_venue(tmp_path):
    p = _bib(tmp_path)
    lib = plm_bib.load(str(p), curated=True)
    assert lib["mybert"].venue == "NAACL"
    fs = [f for f in lib.check() if f.key == "mybert"]
    assert [f.kind for f in fs] == ["unverified"] and "laid over this entry" in fs[0].message
    # checked as written, its claims are checked
    assert {f.kind for f in plm_bib.load(str(p)).check() if f.key == "mybert"} == {"published"}
