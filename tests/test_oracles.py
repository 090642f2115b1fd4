"""Real tools read what we write: bibtex (plain.bst), biber's data-model validation,
pandoc --citeproc, XeLaTeX + biber.  `.ci/run` installs them; on a machine without them
these tests skip, except under CI where a missing oracle is a failure."""
import re
import shutil
import subprocess

import pytest
from conftest import need_tools

from plm_bib.formats import export


def _run(args, cwd, timeout=300):
    # never a shell, never TeX's shell escape
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def test_bibtex_plain_reads_references_with_no_warning(tmp_path, builtin):
    need_tools("bibtex", "pdflatex")
    (tmp_path / "refs.bib").write_text(export(builtin, "bibtex", ascii=True), encoding="utf-8")
    (tmp_path / "t.tex").write_text(
        "\\documentclass{article}\\usepackage{url}\\begin{document}\\nocite{*}"
        "\\bibliographystyle{plain}\\bibliography{refs}\\end{document}\n")
    _run(["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "t.tex"], tmp_path)
    out = _run(["bibtex", "t"], tmp_path)
    assert out.returncode == 0, out.stdout
    assert "Warning--" not in out.stdout and "error" not in out.stdout.lower(), out.stdout
    bbl = (tmp_path / "t.bbl").read_text(encoding="utf-8")
    assert bbl.count("\\bibitem") == len(builtin)
    assert "{BERT}: Pre-training of deep bidirectional transformers" in bbl


def test_biber_validates_the_biblatex_data_model(tmp_path, builtin):
    need_tools("biber")
    (tmp_path / "refs.bib").write_text(export(builtin, "biblatex"), encoding="utf-8")
    out = _run(["biber", "--tool", "--validate-datamodel", "refs.bib"], tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    warns = [ln for ln in (out.stdout + out.stderr).splitlines() if ln.startswith(("WARN", "ERROR"))]
    # resources from the list (blog posts, repositories) have no date, and we do not invent one
    undated = {r.key for r in builtin if not r.year}
    unexpected = [w for w in warns if not (
        "one of 'date, year' must be defined" in w and re.search(r"Entry '([^']+)'", w).group(1) in undated)]
    assert unexpected == []
    papers = export(builtin.papers, "biblatex")
    (tmp_path / "papers.bib").write_text(papers, encoding="utf-8")
    out = _run(["biber", "--tool", "--validate-datamodel", "papers.bib"], tmp_path)
    assert not [ln for ln in out.stdout.splitlines() if ln.startswith(("WARN", "ERROR"))], out.stdout


def test_pandoc_citeproc_renders_csl_json_without_warning(tmp_path, builtin):
    need_tools("pandoc")
    (tmp_path / "refs.json").write_text(export(builtin, "csl-json"), encoding="utf-8")
    (tmp_path / "doc.md").write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
    out = _run(["pandoc", "--citeproc", "--bibliography", "refs.json", "-t", "plain", "doc.md"], tmp_path)
    assert out.returncode == 0 and out.stderr == "", out.stderr
    for r in builtin.papers:
        assert r.authors[0].family in out.stdout


@pytest.mark.parametrize("style", ["apa", "gb7714", "acl"])
def test_records_without_authors_are_written_as_pandoc_writes_them(tmp_path, builtin, style):
    """A resource with no author or editor: the style substitutes its title for the author,
    and the CSL specification suppresses a substituted variable in the rest of the entry
    (APA used to write "Title. (n.d.). Title. Site."). pandoc's citeproc, run on the same
    CSL-JSON and CSL file, is the oracle."""
    need_tools("pandoc")
    from plm_bib.render.styles import csl_path, get_style

    authorless = builtin.with_records([r for r in builtin if not r.authors and not r.editors])
    assert len(authorless) >= 10
    (tmp_path / "refs.json").write_text(export(authorless, "csl-json"), encoding="utf-8")
    (tmp_path / "doc.md").write_text('---\nnocite: "@*"\n---\n', encoding="utf-8")
    out = _run(["pandoc", "--citeproc", "--bibliography", "refs.json", f"--csl={csl_path(get_style(style).target)}",
                "-t", "plain", "--wrap=none", "doc.md"], tmp_path)
    assert out.returncode == 0 and out.stderr == "", out.stderr
    theirs = sorted(line.strip() for line in out.stdout.splitlines() if line.strip())
    ours = sorted(line.strip() for line in export(authorless, "text", style=style).splitlines() if line.strip())
    assert ours == theirs
    for r in authorless:
        entries = [e for e in ours if r.title in e]
        assert len(entries) == 1 and entries[0].count(r.title) == 1, (r.title, entries)


def test_reading_list_tex_compiles_with_xelatex_and_biber(tmp_path, builtin):
    need_tools("latexmk", "xelatex", "biber")
    (tmp_path / "rl.tex").write_text(export(builtin, "tex"), encoding="utf-8")
    out = _run(["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error",
                "-no-shell-escape", "rl.tex"], tmp_path)
    log = (tmp_path / "rl.log").read_text(encoding="utf-8", errors="replace")
    assert out.returncode == 0, log[-3000:]
    benign = ("Writing or overwriting file",  # filecontents writes the .bib
              "does not contain requested")   # Fandol fonts lack a CJK script tag: no effect
    warnings = [ln for ln in log.splitlines() if "Warning" in ln and not any(b in ln for b in benign)
                and "infwarerr" not in ln]
    assert warnings == []
    blg = (tmp_path / "rl.blg").read_text(encoding="utf-8", errors="replace")
    assert "ERROR" not in blg
    if shutil.which("pdftotext"):
        text = _run(["pdftotext", "rl.pdf", "-"], tmp_path).stdout
        assert "模型优化类" in text and "Pre-trained Model-related Papers" in text
        assert "verified: arXiv preprint (2019)" in re.sub(r"\s+", " ", text)


def test_hostile_titles_compile_literally_in_the_reading_list_tex(tmp_path):
    need_tools("latexmk", "xelatex", "biber", "pdftotext")
    from plm_bib import Library
    from plm_bib.model import Person, Record

    hostile = r"\input{/etc/passwd} \write18{touch pwned} \def\x{y} 100% & #1 _a_ $x$ ~ ^ \end{document} {"
    lib = Library([Record(key="", title=hostile, kind="paper", entry_type="article", journal="J & K",
                          year=2020, authors=(Person("O'Neil_%", "A"),), sections=(("Sec #1 % x",),),
                          notes=(r"\immediate\write18{id}",))], title="T")
    (tmp_path / "h.tex").write_text(export(lib, "tex"), encoding="utf-8")
    out = _run(["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape",
                "h.tex"], tmp_path)
    assert out.returncode == 0, (tmp_path / "h.log").read_text(errors="replace")[-2000:]
    assert not (tmp_path / "pwned").exists()
    text = re.sub(r"\s+", " ", _run(["pdftotext", "h.pdf", "-"], tmp_path).stdout)
    assert r"\input{/etc/passwd}" in text and r"\write18{touch pwned}" in text and r"\immediate\write18{id}" in text


def test_bibtex_and_biber_read_hostile_entries(tmp_path):
    need_tools("bibtex", "pdflatex", "biber")
    from plm_bib import Library
    from plm_bib.model import Person, Record

    titles = [r"{unbalanced", r"unbalanced}", r"\input{/etc/passwd} 100% & #1 _a_ $x$ ~ ^ \\", "a--b ``q'' !`"]
    lib = Library([Record(key="", title=t, kind="paper", entry_type="article", journal="J {& K",
                          year=2020, authors=(Person("O'Neil}", "A"),)) for t in titles])
    (tmp_path / "refs.bib").write_text(export(lib, "bibtex"), encoding="utf-8")
    (tmp_path / "t.tex").write_text("\\documentclass{article}\\begin{document}\\nocite{*}"
                                    "\\bibliographystyle{plain}\\bibliography{refs}\\end{document}\n")
    _run(["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "t.tex"], tmp_path)
    out = _run(["bibtex", "t"], tmp_path)
    assert "error" not in out.stdout.lower(), out.stdout
    assert (tmp_path / "t.bbl").read_text(encoding="utf-8").count("\\bibitem") == len(titles)
    (tmp_path / "refs-bl.bib").write_text(export(lib, "biblatex"), encoding="utf-8")
    out = _run(["biber", "--tool", "--validate-datamodel", "refs-bl.bib"], tmp_path)
    assert out.returncode == 0 and "ERROR" not in out.stdout, out.stdout
