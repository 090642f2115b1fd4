"""``plm-bib fix``: output, --in-place (mode, symbolic link), --diff (applied by patch), the
report on stderr; and over the shared reading lists: no line changes without a verified
finding on it, every other line byte-identical."""
from __future__ import annotations

import os
import re
import stat
import subprocess

import pytest
from click.testing import CliRunner
from conftest import need_tools

from plm_bib.cli import main
from plm_bib.curation.check import check
from plm_bib.curation.fix import FIXED_KINDS, fix_bytes, split_lines
from plm_bib.curation.overlay import apply_curated
from plm_bib.readers import builtin_list_bytes, parse_markdown
from plm_bib.textio import decode, decode_exact

ROBERTA = "RoBERTa: A Robustly Optimized BERT Pretraining Approach"
LIST = f"# Papers\r\n\r\n- {ROBERTA}, **EMNLP 2020** [arXiv](https://arxiv.org/abs/1907.11692)\r\n- a note"
FIXED = f"# Papers\r\n\r\n- {ROBERTA}, **arXiv 2019** [arXiv](https://arxiv.org/abs/1907.11692)\r\n- a note"


def run(*args):
    return CliRunner().invoke(main, ["fix", *args])


def test_fixed_list_on_stdout_and_the_report_on_stderr(tmp_path):
    src = tmp_path / "list.md"
    src.write_bytes(LIST.encode("utf-8"))
    r = run(str(src))
    assert r.exit_code == 0, r.stderr
    assert r.stdout_bytes == FIXED.encode("utf-8")
    assert f"{src}:3: fixed: '**EMNLP 2020**' -> '**arXiv 2019**'" in r.stderr
    assert r.stderr.strip().splitlines()[-1] == f"plm-bib: {src}: 1 edits (1 venue), 0 left as they are"
    assert src.read_bytes() == LIST.encode("utf-8")  # the input is not touched


def test_output_file_and_the_builtin_list_without_input(tmp_path):
    out = tmp_path / "fixed.md"
    r = run("-o", str(out))
    assert r.exit_code == 0 and r.stdout == ""
    fixed = out.read_bytes()
    assert fixed == fix_bytes(builtin_list_bytes(), "reading-list.md")[0]
    assert "**Findings of EMNLP 2020**" in fixed.decode() and "reading-list.md:8: left: [duplicate]" in r.stderr
    # one line per edit and per thing left, each with file:line, then the count
    lines = r.stderr.strip().splitlines()
    assert all(re.match(r"plm-bib: reading-list\.md:\d+: (fixed|left): ", x) for x in lines[:-1])
    assert sum(": fixed: " in x for x in lines) == 4 and sum(": left: " in x for x in lines) == 4
    assert lines[-1] == "plm-bib: reading-list.md: 4 edits (1 missing-venue, 1 track, 2 venue), 4 left as they are"
    quiet = run("-q", "-o", str(out))
    assert quiet.exit_code == 0 and quiet.stderr.strip().splitlines() == [lines[-1]]


def test_in_place_keeps_the_mode_and_a_symbolic_link(tmp_path):
    target = tmp_path / "real.md"
    target.write_bytes(LIST.encode("utf-8"))
    os.chmod(target, 0o640)
    link = tmp_path / "link.md"
    link.symlink_to(target)
    r = run("--in-place", str(link))
    assert r.exit_code == 0, r.stderr
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes() == FIXED.encode("utf-8")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert r.stdout == ""


def test_an_output_that_is_the_input_needs_in_place(tmp_path):
    src = tmp_path / "list.md"
    src.write_bytes(LIST.encode("utf-8"))
    r = run(str(src), "-o", str(src))
    assert r.exit_code == 2 and "add --in-place" in r.stderr
    assert src.read_bytes() == LIST.encode("utf-8")
    assert run(str(src), "--in-place", "-o", str(tmp_path / "x.md")).exit_code == 2
    assert run("--in-place").exit_code == 2
    bib = tmp_path / "refs.bib"
    bib.write_text("@misc{a, title={T}}\n", encoding="utf-8")
    assert run(str(bib)).exit_code == 2 and bib.read_text(encoding="utf-8") == "@misc{a, title={T}}\n"
    r = run(str(tmp_path / "missing.md"))
    assert r.exit_code == 2 and "missing.md" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("data", [LIST.encode("utf-8"), b"\xef\xbb\xbf" + (LIST + "\n").encode("utf-8"),
                                  builtin_list_bytes()])
def test_diff_is_a_unified_diff_that_patch_applies(tmp_path, data):
    need_tools("patch")
    src = tmp_path / "list.md"
    src.write_bytes(data)
    r = run("--diff", "--upgrade-links", str(src))
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("--- a/list.md\n+++ b/list.md\n@@ ")
    (tmp_path / "d.patch").write_bytes(r.stdout_bytes)
    subprocess.run(["patch", "--quiet", "--binary", "-p1", "-i", "d.patch"], cwd=tmp_path, check=True,
                   capture_output=True)
    assert src.read_bytes() == fix_bytes(data, "list.md", upgrade_links=True)[0] != data


def _published_arxiv_lines(lib):
    """The lines of the arXiv links of verified published papers (where --upgrade-links adds)."""
    return {u.line for r in lib if r.is_paper and r.venue not in (None, "arXiv") for u in r.urls
            if u.line and "arxiv.org" in u.url}


def test_shared_lists_change_only_lines_with_a_verified_finding(shared_data):
    paths = sorted((shared_data / "reading-lists").glob("*.md"))
    assert len(paths) == 17
    total = 0
    for path in paths:
        data = path.read_bytes()
        lib = apply_curated(parse_markdown(decode(data, str(path)), str(path)))
        verified = {f.line for f in check(lib) if f.kind in FIXED_KINDS and f.verified}
        for upgrade in (False, True):
            out, fixed = fix_bytes(data, str(path), upgrade_links=upgrade)
            old = split_lines(decode_exact(data)[0])
            new = split_lines(decode_exact(out)[0])
            assert len(old) == len(new), path.name
            touched = {i for i, (a, b) in enumerate(zip(old, new), 1) if a != b}
            allowed = verified | (_published_arxiv_lines(lib) if upgrade else set())
            assert touched <= allowed, (path.name, sorted(touched - allowed))
            assert touched == {e.line for e in fixed.edits}, path.name
            for i, (a, b) in enumerate(zip(old, new), 1):
                if i not in touched:
                    assert a.encode("utf-8") == b.encode("utf-8")
            if upgrade:  # a fixed list has nothing left to fix
                again, refixed = fix_bytes(out, str(path), upgrade_links=True)
                assert again == out and not refixed.edits, path.name
            total += len(fixed.edits) if not upgrade else 0
    assert total >= 10  # the lists do carry verified corrections (10 when written)
