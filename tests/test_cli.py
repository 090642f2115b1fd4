import json

import bibtexparser
import pytest
from click.testing import CliRunner

from plm_bib.cli import main


def test_export_json_fields():
    r = CliRunner().invoke(main, ["export", "-f", "json"])
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    recs = data["records"]
    assert len(recs) == 32
    rob = next(x for x in recs if x["key"] == "liu2019roberta")
    for field in ["key", "type", "title", "authors", "year", "venue", "section", "line", "urls", "ids",
                  "claims", "note"]:
        assert field in rob
    assert rob["venue"] == "arXiv" and rob["ids"]["arxiv"] == "1907.11692"
    assert rob["authors"][0] == {"family": "Liu", "given": "Yinhan"}
    assert rob["claims"][0]["raw"] == "**EMNLP 2020**" and rob["claims"][0]["venue"] == "EMNLP"
    assert rob["section"] == [["Pre-trained Model-related Papers", "模型优化类"]]
    assert rob["line"] == 23 and rob["note"] == "鲁棒性优化"
    cui = next(x for x in recs if x["key"] == "cui2020revisiting")
    assert cui["venue"] == "Findings of EMNLP"


def test_export_bibtex_parses_and_format_from_suffix(tmp_path):
    out = tmp_path / "x.bib"
    r = CliRunner().invoke(main, ["export", "-o", str(out)])
    assert r.exit_code == 0
    lib = bibtexparser.parse_file(str(out))
    assert len(lib.entries) == 32 and not lib.failed_blocks


def test_json_roundtrip_is_lossless(tmp_path):
    runner = CliRunner()
    a = tmp_path / "a.json"
    b = tmp_path / "b.json"
    assert runner.invoke(main, ["export", "-o", str(a)]).exit_code == 0
    assert runner.invoke(main, ["export", str(a), "--raw", "-o", str(b)]).exit_code == 0
    assert json.loads(a.read_text()) == json.loads(b.read_text())


def test_input_errors_exit_2_with_file_name(tmp_path):
    r = CliRunner().invoke(main, ["export", str(tmp_path / "missing.md")])
    assert r.exit_code == 2
    assert "missing.md" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_errors_are_one_line_and_verbose_shows_the_traceback(tmp_path, monkeypatch):
    bad = tmp_path / "nul.md"
    bad.write_bytes(b"# L\n1. a\x00b\n")
    r = CliRunner().invoke(main, ["check", str(bad)])
    assert r.exit_code == 2 and r.stderr.startswith("plm-bib: error: ") and "nul.md:2" in r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1

    import plm_bib.cli as cli

    def boom(*a, **k):
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "run_check", boom)
    r = CliRunner().invoke(main, ["check"])
    assert r.exit_code == 70 and "internal error: RuntimeError: a bug" in r.stderr
    assert "Traceback" not in r.stderr
    r = CliRunner().invoke(main, ["--verbose", "check"])
    assert isinstance(r.exception, RuntimeError)  # re-raised: click shows the traceback


def test_unknown_format_is_a_usage_error():
    r = CliRunner().invoke(main, ["export", "-f", "nope"])
    assert r.exit_code == 2


def test_export_markdown_input_reports_problems_on_stderr(tmp_path):
    md = tmp_path / "l.md"
    md.write_text("## S\n\n1.\n2. Ok Paper (https://arxiv.org/abs/2001.00001)\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["export", str(md), "--raw"])
    assert r.exit_code == 0
    assert f"{md}:3" in r.stderr
    assert json.loads(r.stdout)["records"][0]["title"] == "Ok Paper"


def test_export_styled_formats_from_the_built_in_list(tmp_path):
    r = CliRunner().invoke(main, ["export", "-f", "html", "--style", "apa", "-q"])
    assert r.exit_code == 0 and r.stdout.startswith('<div class="csl-bib-body">')
    assert r.stdout.count('class="csl-entry"') == 32
    r = CliRunner().invoke(main, ["export", "-f", "text", "--style", "gb7714", "-q"])
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert len(lines) == 32 and lines[0].startswith("[1] DEVLIN J, CHANG M W, LEE K, et al.")
    out = tmp_path / "refs.md"
    r = CliRunner().invoke(main, ["export", "-o", str(out), "-s", "ieee", "-q"])
    assert r.exit_code == 0 and out.read_text(encoding="utf-8").startswith("1. J. Devlin")


def test_export_biblatex_and_ascii_bibtex():
    r = CliRunner().invoke(main, ["export", "-f", "biblatex", "-q"])
    assert "eprinttype = {arxiv}" in r.stdout and "@online{weixin_yiwenliaojie," in r.stdout
    r = CliRunner().invoke(main, ["export", "-f", "bibtex", "--ascii", "-q"])
    assert "Marasovi{\\'c}" in r.stdout and "Marasović" not in r.stdout


def test_cite_prints_formatted_references_or_entries():
    r = CliRunner().invoke(main, ["cite", "liu2019roberta", "devlin2019bert", "--style", "acl"])
    assert r.exit_code == 0
    lines = r.stdout.strip().splitlines()
    assert lines[0].startswith("Jacob Devlin") and lines[1].endswith("arXiv preprint arXiv:1907.11692.")
    r = CliRunner().invoke(main, ["cite", "devlin2019bert", "-f", "bibtex"])
    assert r.stdout.startswith("@inproceedings{devlin2019bert,")
    r = CliRunner().invoke(main, ["cite", "nobody2099"])
    assert r.exit_code == 2 and "no record with key 'nobody2099'" in r.stderr


def test_cite_from_a_bib_file(tmp_path):
    bib = tmp_path / "x.bib"
    bib.write_text("@article{k1, author={Lee, Ann}, title={A Title}, journal={J}, year={2020}}\n")
    r = CliRunner().invoke(main, ["cite", "k1", "--bib", str(bib), "-s", "apa"])
    assert r.exit_code == 0 and r.stdout.strip() == "Lee, A. (2020). A Title. J."


def test_unknown_style_is_a_usage_error():
    r = CliRunner().invoke(main, ["export", "-f", "text", "--style", "nope", "-q"])
    assert r.exit_code == 2 and "unknown style 'nope'" in r.stderr


def test_styles_and_formats_list():
    r = CliRunner().invoke(main, ["styles"])
    assert [ln.split()[0] for ln in r.stdout.splitlines()] == [
        "apa", "ieee", "acl", "chicago", "gb7714", "mla", "plain", "unsrt", "alpha"]
    r = CliRunner().invoke(main, ["formats"])
    names = [ln.split()[0] for ln in r.stdout.splitlines()]
    assert {"csl-json", "html", "latex", "markdown", "text", "reading-list-tex"} <= set(names)


# -- malformed CSL-JSON and native JSON, malformed styles (issue 15: items 18, 20, 22) -------
_ITEM = '{"id": "a", "type": "book", "title": "T"'
MALFORMED_JSON = [  # (file text, exit code, what stderr says)
    ('[' + _ITEM + ', "author": "Ann Lee"}]', 0, "author is a string, not a list of names"),
    ('[' + _ITEM + ', "author": [null]}]', 0, "author name 1 is null, not an object"),
    ('[' + _ITEM + ', "author": [[{"family": "X"}]]}]', 0, "author name 1 is a list, not an object"),
    ('[' + _ITEM + ', "author": [{"family": null}]}]', 0, "author name 1: family is null"),
    ('[' + _ITEM + ', "issued": {"date-parts": [2020, 5]}}]', 0, "issued date-parts must be a list of one or two"),
    ('[' + _ITEM + ', "issued": {"date-parts": "2020"}}]', 0, "issued date-parts must be a list of one or two"),
    ('[' + _ITEM + ', "issued": {"date-parts": [[2020, 13]]}}]', 0, "issued month 13 is not 1-12"),
    ('[' + _ITEM + ', "issued": {"date-parts": [[2020, -3]]}}]', 0, "issued month -3 is not 1-12"),
    ('[' + _ITEM + ', "title": ["A", "B"]}]', 0, "title is a list, not a string"),
    ("42", 2, "the file holds a number"),
    ('"text"', 2, "the file holds a string"),
    ("null", 2, "the file holds null"),
    ('{"foo": 1}', 2, "neither CSL-JSON (an array of items) nor native JSON"),
    ('{"records": 3}', 2, "native JSON must be an object whose 'records' is a list"),
    ('{"records": [], "problems": "x"}', 2, "'problems' must be a list"),
    ('{"records": [{"key": "k", "year": "2020"}], "problems": [7]}', 0, "native JSON: record 1 year is not an integer"),
    ("[" * 100_000 + "]" * 100_000, 2, "nested too deeply"),
    ('[\n' + _ITEM + ',\n "x": ]', 2, "in.json:3: not valid JSON"),
]


@pytest.mark.parametrize("text,code,says", MALFORMED_JSON, ids=[m for _, _, m in MALFORMED_JSON])
def test_malformed_json_input_exits_2_or_loads_the_rest_with_a_report(tmp_path, text, code, says):
    p = tmp_path / "in.json"
    p.write_text(text, encoding="utf-8")
    for fmt in ("bibtex", "csl-json", "text"):
        r = CliRunner().invoke(main, ["export", str(p), "--raw", "-f", fmt])
        assert r.exit_code == code, (fmt, r.exit_code, r.stderr)
        assert str(p) in r.stderr and says in r.stderr and "Traceback" not in r.stderr, r.stderr
        if code == 2:
            assert len(r.stderr.strip().splitlines()) == 1 and r.stderr.startswith("plm-bib: error: ")


def test_duplicate_csl_ids_export_to_bibtex(tmp_path):
    p = tmp_path / "dup.json"
    p.write_text('[' + _ITEM + '},\n' + _ITEM.replace('"T"', '"U"') + '}]', encoding="utf-8")
    r = CliRunner().invoke(main, ["export", str(p), "--raw", "-f", "bibtex"])
    assert r.exit_code == 0, r.stderr
    assert f"{p}:2: warning: CSL-JSON item 2: duplicate id 'a'" in r.stderr
    lib = bibtexparser.parse_string(r.stdout)
    assert len(lib.entries) == 2 and len({e.key for e in lib.entries}) == 2 and not lib.failed_blocks


@pytest.mark.parametrize("content,says", [
    (b"not xml at all", ":1: not a CSL style: not XML"),
    (b"", ": not a CSL style: the file is empty"),
    (b"\xff\xfe\x00\x01", ":1: not a CSL style: not XML"),
    (b'<?xml version="1.0"?><html><body/></html>', ":1: not a CSL style: the root element is <html>"),
    (b'<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><info/></style>',
     ":1: not a CSL style: it has no <bibliography> with a <layout>"),
    (b'<?xml version="1.0"?>\n<!DOCTYPE style [<!ENTITY x SYSTEM "/etc/hostname">]>\n'
     b'<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"><info><title>&x;</title></info>'
     b'<bibliography><layout><text variable="title"/></layout></bibliography></style>',
     ":2: not a CSL style: it has a DOCTYPE"),
])
def test_a_malformed_style_file_is_a_one_line_error(tmp_path, content, says):
    style = tmp_path / "x.csl"
    style.write_bytes(content)
    for args in (["export", "-f", "text", "-q", "--style", str(style)],
                 ["cite", "devlin2019bert", "--style", str(style)]):
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 2, (args, r.exit_code, r.stderr)
        assert r.stderr.startswith(f"plm-bib: error: {style}{says}"), r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
