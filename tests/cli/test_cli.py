import json
import os

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

    import plm_bib.cli.queries as cli

    def boom(*a, **k):
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "run_check", boom)
    r = CliRunner().invoke(main, ["check"])
    assert r.exit_code == 70 and "internal error: RuntimeError: a bug" in r.stderr
    assert "Traceback" not in r.stderr
    r = CliRunner().invoke(main, ["--verbose", "check"])
    assert r.exit_code == 70 and "Traceback" in r.stderr and "RuntimeError: a bug" in r.stderr
    assert r.stderr.strip().splitlines()[-1].startswith("plm-bib: internal error: RuntimeError: a bug")


def test_verbose_keeps_the_exit_code_of_an_input_error(tmp_path):
    """Issue 15, item 27: ``--verbose`` turned exit 2 into 1."""
    bad = tmp_path / "nul.md"
    bad.write_bytes(b"# L\n1. a\x00b\n")
    r = CliRunner().invoke(main, ["--verbose", "check", str(bad)])
    assert r.exit_code == 2 and "Traceback" in r.stderr
    assert r.stderr.strip().splitlines()[-1].startswith(f"plm-bib: error: {bad}:2: NUL byte")


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
        "apa", "ieee", "acl", "chicago", "gb7714", "gb7714-ay", "mla", "plain", "unsrt", "alpha"]
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


# ---- issue 15, item 13: an output that is the input is refused


LIST = "# L\n\n## S\n\n1. **Deep Stuff**. *Ann Smith*. ACL 2020. [[pdf](https://arxiv.org/abs/2001.00001)]\n"


def _same_file_cases(tmp_path, name, text):
    src = tmp_path / name
    src.write_text(text, encoding="utf-8")
    link = tmp_path / ("link-" + name)
    link.symlink_to(name)
    hard = tmp_path / ("hard-" + name)
    os.link(src, hard)
    return src, [str(src), str(link), str(hard), os.path.relpath(src)]


@pytest.mark.parametrize("command", [
    ["export"], ["export", "-f", "markdown"], ["export", "-f", "json"], ["build"], ["enrich", "--offline"],
    ["pdf"], ["export", "--in-place", "-f", "bibtex"]])
def test_a_reading_list_is_never_written_over(tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    src, outputs = _same_file_cases(tmp_path, "list.md", LIST)
    for out in outputs:
        r = CliRunner().invoke(main, [*command, str(src), "-o", out])
        assert r.exit_code == 2, (command, out, r.output)
        assert r.stderr.startswith(f"plm-bib: error: {out}: is the input {src}; not overwritten")
        assert r.stderr.rstrip().endswith("write to another file)")
        assert len(r.stderr.strip().splitlines()) == 1
        assert src.read_text(encoding="utf-8") == LIST and os.path.islink(tmp_path / "link-list.md")


def test_csl_json_and_bibtex_onto_themselves_need_in_place_and_their_own_format(tmp_path):
    csl = tmp_path / "items.json"
    csl.write_text(json.dumps([{"id": "a", "type": "article-journal", "title": "T", "issued": {
        "date-parts": [[2020]]}}]), encoding="utf-8")
    before = csl.read_text(encoding="utf-8")
    for args in (["-f", "csl-json"], ["-f", "json", "--in-place"], ["-f", "bibtex", "--in-place"]):
        r = CliRunner().invoke(main, ["export", str(csl), "--raw", "-o", str(csl), *args])
        assert r.exit_code == 2 and "not overwritten" in r.stderr and csl.read_text(encoding="utf-8") == before
    expected = CliRunner().invoke(main, ["export", str(csl), "--raw", "-f", "csl-json"]).stdout
    r = CliRunner().invoke(main, ["export", str(csl), "--raw", "-f", "csl-json", "--in-place", "-o", str(csl)])
    assert r.exit_code == 0 and csl.read_text(encoding="utf-8") == expected
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{a, title={T}, author={Smith, Ann}, year={2020}, journal={J}}\n", encoding="utf-8")
    link = tmp_path / "link.bib"
    link.symlink_to("refs.bib")
    r = CliRunner().invoke(main, ["build", str(bib), "-o", str(link)])
    assert r.exit_code == 2 and "(add --in-place to rewrite it as bibtex)" in r.stderr
    r = CliRunner().invoke(main, ["pdf", str(bib), "-o", str(link)])  # pdf has no --in-place
    assert r.exit_code == 2 and r.stderr.rstrip().endswith("not overwritten (write to another file)")
    expected = CliRunner().invoke(main, ["build", str(bib), "-o", "-"]).stdout
    r = CliRunner().invoke(main, ["build", str(bib), "-o", str(link), "--in-place"])
    assert r.exit_code == 0 and bib.read_text(encoding="utf-8") == expected and link.is_symlink()


@pytest.mark.parametrize("command", [["export"], ["build"], ["pdf"], ["enrich", "--offline"]])
def test_an_empty_output_name_is_a_usage_error(command):
    """Item 27: ``-o ''`` said "Device or resource busy"."""
    r = CliRunner().invoke(main, [*command, "-o", ""])
    assert r.exit_code == 2 and "'-o': an empty file name" in r.stderr and "busy" not in r.stderr


def test_an_output_folder_is_a_clear_error(tmp_path):
    r = CliRunner().invoke(main, ["export", "-o", str(tmp_path)])
    assert r.exit_code == 4 and r.stderr == f"plm-bib: error: {tmp_path}: cannot write: a folder, not a file\n"


# ---- issue 15, item 11: --encoding


def test_encoding_option_global_and_per_command(tmp_path):
    md = tmp_path / "l.md"
    md.write_bytes(LIST.replace("Ann Smith", "Ann Müller").encode("latin-1"))
    for args in (["export", str(md)], ["--encoding", "latin-1", "export", str(md)],
                 ["export", "--encoding", "cp1252", str(md)], ["--encoding", "gbk", "export", "--encoding",
                                                                "latin-1", str(md)]):
        r = CliRunner().invoke(main, [*args, "--raw", "-f", "json"])
        assert r.exit_code == 0, (args, r.output)
        assert json.loads(r.stdout)["records"][0]["authors"] == [{"family": "Müller", "given": "Ann"}], args
    r = CliRunner().invoke(main, ["--encoding", "utf-8", "check", str(md)])
    assert r.exit_code == 2 and r.stderr.startswith(f"plm-bib: error: {md}:5: not utf-8 text")
    r = CliRunner().invoke(main, ["export", "--encoding", "klingon", str(md)])
    assert r.exit_code == 2 and "unknown text encoding 'klingon'" in r.stderr


def test_cite_reads_with_the_named_encoding_and_indexes_per_encoding(tmp_path, monkeypatch):
    monkeypatch.setenv("PLM_BIB_CACHE_DIR", str(tmp_path / "cache"))
    bib = tmp_path / "r.bib"
    bib.write_bytes(b"@article{a, title={\xa6ome Title}, author={Smith, Ann}, year={2020}, journal={J}}\n")
    detected = CliRunner().invoke(main, ["cite", "a", "--bib", str(bib), "-f", "csl-json"])
    assert detected.exit_code == 0 and json.loads(detected.stdout)[0]["title"] == "\u00a6ome Title"  # cp1252
    latin9 = CliRunner().invoke(main, ["--encoding", "latin-9", "cite", "a", "--bib", str(bib), "-f", "csl-json"])
    assert latin9.exit_code == 0 and json.loads(latin9.stdout)[0]["title"] == "Šome Title"  # not the index
    wrong = CliRunner().invoke(main, ["cite", "--encoding", "gbk", "a", "--bib", str(bib)])
    assert wrong.exit_code == 2 and wrong.stderr.startswith(f"plm-bib: error: {bib}:1: not gbk text")


# ---- issue 15, item 27: PLM_BIB_CJK_FONT must name a font (with Chinese characters)


def _font(first: int, last: int, collection: bool = False) -> bytes:
    """A minimal OpenType file whose only table is a format-4 cmap of ``first``-``last``."""
    import struct

    segments = [(first, last, (1 - first) & 0xFFFF), (0xFFFF, 0xFFFF, 1)]
    n = len(segments)
    sub = struct.pack(">HHHHHHH", 4, 16 + 8 * n, 0, 2 * n, 0, 0, 0)
    sub += b"".join(struct.pack(">H", e) for _, e, _ in segments) + b"\0\0"
    sub += b"".join(struct.pack(">H", s) for s, _, _ in segments)
    sub += b"".join(struct.pack(">H", d) for _, _, d in segments) + b"\0\0" * n
    cmap = struct.pack(">HHHHI", 0, 1, 3, 1, 12) + sub
    base = 16 if collection else 0
    sfnt = struct.pack(">IHHHH", 0x4F54544F, 1, 16, 0, 0) + struct.pack(">4sIII", b"cmap", 0, base + 28, len(cmap))
    head = struct.pack(">4sIII", b"ttcf", 0x10000, 1, 16) if collection else b""
    return head + sfnt + cmap


@pytest.mark.parametrize("content,message", [
    (b"not a font at all\n", "not a TrueType/OpenType font file"),
    (b"%PDF-1.7\n", "not a TrueType/OpenType font file"),
    (b"wOFF\x00\x01\x00\x00", "not a TrueType/OpenType font file"),
    (b"OTTO\x00\x00", "a damaged font file"),
    (_font(0x20, 0x7E), "this font has no Chinese characters"),
    (_font(0x20, 0x7E, collection=True), "this font has no Chinese characters"),
])
def test_a_cjk_font_setting_that_is_not_a_cjk_font_is_an_error(tmp_path, monkeypatch, content, message):
    from plm_bib.render.pdf import PdfError, find_cjk_font

    fake = tmp_path / "NotoSansCJKsc-Regular.otf"
    fake.write_bytes(content)
    monkeypatch.setenv("PLM_BIB_CJK_FONT", str(fake))
    with pytest.raises(PdfError, match=f"^PLM_BIB_CJK_FONT={fake}: {message}"):
        find_cjk_font()
    monkeypatch.setenv("PLM_BIB_CJK_FONT", str(tmp_path))
    with pytest.raises(PdfError, match="a folder, not a font file"):
        find_cjk_font()


@pytest.mark.parametrize("collection", [False, True])
def test_a_cjk_font_setting_with_chinese_characters_is_used(tmp_path, monkeypatch, collection):
    from plm_bib.render.pdf import find_cjk_font

    font = tmp_path / ("cjk.ttc" if collection else "cjk.otf")
    font.write_bytes(_font(0x4E00, 0x9FFF, collection))
    monkeypatch.setenv("PLM_BIB_CJK_FONT", str(font))
    assert find_cjk_font().path == str(font)


def test_the_packaged_cjk_font_passes_the_check(monkeypatch):
    from conftest import need

    packaged = need("cvttf_NotoSansCJK_Regular")
    from plm_bib.render.pdf import find_cjk_font

    monkeypatch.setenv("PLM_BIB_CJK_FONT", packaged.get_TTF_path())
    assert find_cjk_font().path == packaged.get_TTF_path()


def test_cli_pdf_with_a_non_font_cjk_setting_fails_and_writes_nothing(tmp_path, monkeypatch):
    from conftest import need

    need("typst")
    for name, content in (("font.ttf", b"hello\n"), ("latin.otf", _font(0x20, 0x24F))):
        fake = tmp_path / name
        fake.write_bytes(content)
        monkeypatch.setenv("PLM_BIB_CJK_FONT", str(fake))
        out = tmp_path / "r.pdf"
        r = CliRunner().invoke(main, ["pdf", "-o", str(out)])
        assert r.exit_code == 4 and r.stderr.startswith(f"plm-bib: error: PLM_BIB_CJK_FONT={fake}: ")
        assert not out.exists()


def test_every_command_is_loaded_by_name():
    """The group loads a command's module when it runs (plm_bib.cli.COMMANDS): every name there
    gives its command, and every command defined in the package is there (none forgotten)."""
    import importlib
    import pkgutil

    import click

    import plm_bib.cli as cli_pkg
    from plm_bib.cli import COMMANDS, main

    ctx = click.Context(main)
    for name in COMMANDS:
        assert main.get_command(ctx, name).name == name
    defined = set()
    for info in pkgutil.iter_modules(cli_pkg.__path__):
        module = importlib.import_module(f"plm_bib.cli.{info.name}")
        defined |= {v.name for v in vars(module).values() if isinstance(v, click.Command) and v is not main}
    assert defined == set(COMMANDS)
    assert main.list_commands(ctx) == sorted(COMMANDS)


def test_check_loads_only_what_it_runs(tmp_path):
    """``plm-bib check`` of the built-in list (a reading list, and the curated .bib the scanner
    reads) loads no formatter, exporter, HTTP stack or bibtexparser: its start-up time."""
    import os
    import subprocess
    import sys

    from conftest import ROOT

    code = ("import sys\nfrom plm_bib.cli import run\nrun(['check'])\n"
            "heavy = ('pybtex', 'citeproc', 'bibtexparser', 'pylatexenc', 'requests', 'typst', 'yaml', 'rispy')\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)), file=sys.stderr)\n")
    env = {**os.environ, "PLM_BIB_CACHE_DIR": str(tmp_path)}
    got = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert got.returncode == 0 and got.stderr.splitlines()[-1] == "[]", got.stderr
