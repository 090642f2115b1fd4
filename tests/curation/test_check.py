import json

from click.testing import CliRunner

import plm_bib
from plm_bib.cli import main


def _by(findings, key=None, kind=None):
    return [f for f in findings if (key is None or f.key == key) and (kind is None or f.kind == kind)]


def test_exact_findings_on_builtin(builtin):
    fs = builtin.check()
    got = sorted((f.line, f.kind, f.level, f.key) for f in fs)
    assert got == sorted([
        (8, "duplicate", "info", ""),
        (8, "link-kind", "info", "devlin2019bert"),
        (15, "venue", "error", "cui2020revisiting"),
        (23, "venue", "error", "liu2019roberta"),
        (27, "missing-venue", "warning", "clark2020electra"),
        (42, "title", "warning", "zhang2020ebert"),
        (43, "track", "warning", "nguyen2020bertweet"),
        (97, "duplicate", "info", ""),
        (98, "duplicate", "info", ""),
    ])


def test_finding_values(builtin):
    fs = builtin.check()
    rob = _by(fs, "liu2019roberta", "venue")[0]
    assert rob.claimed == "**EMNLP 2020**" and "arXiv preprint (2019)" == rob.verified
    rev = _by(fs, "cui2020revisiting", "venue")[0]
    assert rev.verified == "Findings of EMNLP 2020"
    tw = _by(fs, "nguyen2020bertweet", "track")[0]
    assert "System Demonstrations" in tw.verified
    el = _by(fs, "clark2020electra")[0]
    assert el.verified == "ICLR 2020"
    eb = _by(fs, "zhang2020ebert", "title")[0]
    assert eb.claimed.startswith("E-BERT: Adapting") and eb.verified.startswith("E-BERT: A Phrase")


def test_correct_claims_are_not_reported(builtin):
    keys = {f.key for f in builtin.check()}
    for ok in ["lewis2020bart", "houlsby2019parameter", "liang2020bond", "reimers2019sentence",
               "gururangan2020dont", "zhang2020spelling", "jiang2021pretraining"]:
        assert ok not in keys


def test_check_cli_json_and_strict():
    r = CliRunner().invoke(main, ["check", "--json"])
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert {d["kind"] for d in data} >= {"venue", "track", "title", "missing-venue", "link-kind", "duplicate"}
    assert all(d["source"] == "reading-list.md" and d["line"] > 0 for d in data)
    assert CliRunner().invoke(main, ["check", "--strict"]).exit_code == 1


def test_check_reports_items_without_links_and_unparsed_lines(tmp_path):
    md = tmp_path / "l.md"
    md.write_text("## S\n\n1. A Paper Without Link，**ACL 2020**\n2. [broken (https://x.org\n", encoding="utf-8")
    fs = plm_bib.load(md).check()
    kinds = {(f.line, f.kind) for f in fs}
    assert (3, "no-link") in kinds
    assert (4, "unparsed") in kinds
    r = CliRunner().invoke(main, ["check", str(md), "--strict"])
    assert r.exit_code == 0  # warnings only
