"""docs/latex.md's shell examples are real commands of the CLI, and the pre-commit hook runs one."""
import re
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from plm_bib.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _shell_lines(text):
    for block in re.findall(r"```(?:sh|console|bash)\n(.*?)```", text, re.S):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line:
                yield line


def _parses(args):
    """The command and options of ``args`` as click reads them (a usage error raises)."""
    name, rest = args[0], args[1:]
    command = main.get_command(click.Context(main), name)
    assert command is not None, f"no command {name!r}"
    command.make_context(name, list(rest))


def test_every_plm_bib_line_of_the_page_parses():
    lines = [shlex.split(x) for x in _shell_lines((ROOT / "docs" / "latex.md").read_text(encoding="utf-8"))]
    ours = [x[1:] for x in lines if x[0] == "plm-bib"]
    assert len(ours) >= 4
    for args in ours:
        _parses(args)
    with pytest.raises(click.UsageError):  # the check above can fail
        _parses(["cite", "--aux", "paper.aux", "--no-such-option"])
    assert {x[0] for x in lines} <= {"plm-bib", "pdflatex", "bibtex", "biber"}


def test_the_aux_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "refs.bib").write_text("@book{k, title={T}, author={A, B}, year={2000}, publisher={P}}\n"
                                       "@book{j, title={J}, author={C, D}, year={2001}, publisher={P}}\n",
                                       encoding="utf-8")
    (tmp_path / "paper.aux").write_text("\\citation{k}\n\\bibdata{cited}\n", encoding="utf-8")
    text = (ROOT / "docs" / "latex.md").read_text(encoding="utf-8")
    lines = [x for x in _shell_lines(text) if x.startswith("plm-bib cite --aux")]
    assert len(lines) == 2  # the workflow's and the CI step's
    for line in lines:
        (tmp_path / "cited.bib").unlink(missing_ok=True)
        r = CliRunner().invoke(main, shlex.split(line)[1:])
        assert r.exit_code == 0, r.stderr
        assert (tmp_path / "cited.bib").read_text(encoding="utf-8").startswith("@book{k,")
        assert "1 entries nothing cites: j" in r.stderr


def test_pre_commit_hook_entry_is_a_command_on_bib_files(tmp_path):
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    hooks = re.findall(r"^- id: (\S+)\n((?:  .*\n)+)", text, re.M)
    assert [h[0] for h in hooks] == ["plm-bib-check"]
    fields = dict(re.findall(r"^  (\w+): (.*)$", hooks[0][1], re.M))
    assert fields["entry"] == "plm-bib check --strict" and fields["language"] == "python"
    assert re.search(fields["files"], "paper/refs.bib") and not re.search(fields["files"], "refs.bib.orig")
    args = shlex.split(fields["entry"])[1:]
    (tmp_path / "refs.bib").write_text("@book{k, title={T}, author={A, B}, year={2000}, publisher={P}}\n",
                                       encoding="utf-8")
    r = CliRunner().invoke(main, [*args, str(tmp_path / "refs.bib")])  # as pre-commit runs it
    assert r.exit_code == 0, r.stderr
    (tmp_path / "bad.bib").write_bytes(b"@book{k, title={\xff\x00}}\n")
    r = CliRunner().invoke(main, [*args, str(tmp_path / "bad.bib")])
    assert r.exit_code != 0  # a file that cannot be read fails the hook
