"""`plm-bib cite --aux/--bcf`: the cited entries of a LaTeX document, and real tools compiling the
paper against them (pdflatex + bibtex, pdflatex + biblatex/biber; skipped where a tool is
absent, failing under CI)."""
import re
import subprocess

from click.testing import CliRunner
from conftest import need_tools

from plm_bib import parse_bibtex_text
from plm_bib.cli import main

REFS = r"""@string{acl = {Association for Computational Linguistics}}

@inproceedings{mueller2019a,
  author = {M{\"u}ller, Hans and Smith, Jane},
  title = {A First Study of {BERT}},
  pages = {1--10},
  crossref = {proc2019},
}

@misc{unused2001,
  author = {Nobody, Nils},
  title = {Nobody Cites This},
  year = {2001},
  howpublished = {Online},
}

@inproceedings{lee2019b,
  author = {Lee, Kim},
  title = {A Second Study},
  pages = {11--20},
  crossref = {proc2019},
}

@article{doe2020,
  author = {Doe, John},
  title = {An Article},
  journal = {Journal of Things},
  volume = {3},
  number = {1},
  pages = {5--9},
  year = {2020},
  publisher = acl,
}

@proceedings{proc2019,
  editor = {Editor, Ed},
  title = {Proceedings of the Conference},
  booktitle = {Proceedings of the Conference},
  year = {2019},
  publisher = acl,
  address = {Minneapolis},
}
"""

MORE = r"""@book{knuth1984,
  author = {Knuth, Donald E.},
  title = {The {\TeX}book},
  publisher = {Addison-Wesley},
  year = {1984},
}

@book{Other1999,
  author = {Other, Olga},
  title = {Another Book},
  publisher = {P},
  year = {1999},
}
"""


def _files(tmp_path, aux):
    (tmp_path / "refs.bib").write_text(REFS, encoding="utf-8")
    (tmp_path / "more.bib").write_text(MORE, encoding="utf-8")
    (tmp_path / "main.aux").write_text(aux, encoding="utf-8")
    return tmp_path / "main.aux"


def _cite(*args):
    return CliRunner().invoke(main, ["cite", *map(str, args)])


def test_cited_entries_with_parents_from_two_files(tmp_path):
    aux = _files(tmp_path, "\\relax \n\\citation{mueller2019a}\n\\citation{knuth1984,doe2020}\n"
                           "\\citation{other1999}\n\\bibdata{refs,more}\n")
    out = tmp_path / "cited.bib"
    r = _cite("--aux", aux, "--bib", tmp_path / "refs.bib", "--bib", tmp_path / "more.bib", "-o", out)
    assert r.exit_code == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    got = parse_bibtex_text(text, "cited.bib")
    assert [x.key for x in got] == ["mueller2019a", "doe2020", "proc2019", "knuth1984"]
    # the user's LaTeX source and macros are kept
    assert "M{\\\"u}ller, Hans" in text and "{\\TeX}book" in text
    assert "@string{acl = {Association for Computational Linguistics}}" in text and "publisher = acl" in text
    assert text.index("@inproceedings{mueller2019a,") < text.index("@proceedings{proc2019,")
    err = r.stderr
    assert f"{aux}:4: cites 'other1999', which is in no .bib given (the library has 'Other1999'" in err
    assert "4 entries written (3 cited, 1 needed by them); 1 missing; 3 entries nothing cites: " \
           "unused2001, lee2019b, Other1999" in err


def test_strict_exits_1_on_a_missing_key_and_star_cites_everything(tmp_path):
    aux = _files(tmp_path, "\\citation{doe2020}\n\\citation{nowhere}\n\\bibdata{refs}\n")
    r = _cite("--aux", aux, "--strict", "-o", tmp_path / "c.bib")  # the .bib from \bibdata
    assert r.exit_code == 1
    assert f"plm-bib: error: {aux}:2: cites 'nowhere'" in r.stderr
    assert [x.key for x in parse_bibtex_text((tmp_path / "c.bib").read_text(encoding="utf-8"))] == ["doe2020"]
    r = _cite("--aux", aux, "-o", tmp_path / "c.bib")
    assert r.exit_code == 0 and "plm-bib: warning: " in r.stderr
    (tmp_path / "main.aux").write_text("\\citation{*}\n\\bibdata{refs}\n", encoding="utf-8")
    r = _cite("--aux", aux, "--strict")
    assert r.exit_code == 0, r.stderr
    assert [x.key for x in parse_bibtex_text(r.stdout)] == ["mueller2019a", "unused2001", "lee2019b", "doe2020",
                                                            "proc2019"]
    assert "0 entries nothing cites" in r.stderr


def test_bibdata_that_is_the_output_is_refused(tmp_path):
    aux = _files(tmp_path, "\\citation{doe2020}\n\\bibdata{cited}\n")
    (tmp_path / "cited.bib").write_text("", encoding="utf-8")
    r = _cite("--aux", aux, "-o", tmp_path / "cited.bib")
    assert r.exit_code == 2
    assert r.stderr.startswith(f"plm-bib: error: {aux}:2: ") and "--bib" in r.stderr
    r = _cite("--aux", aux, "--bib", tmp_path / "cited.bib", "-o", tmp_path / "cited.bib")
    assert r.exit_code == 2 and "is the input" in r.stderr
    (tmp_path / "main.aux").write_text("\\citation{doe2020}\n\\bibdata{absent}\n", encoding="utf-8")
    r = _cite("--aux", aux)
    assert r.exit_code == 2 and f"{aux}:2: " in r.stderr and "does not exist" in r.stderr


def test_usage_errors_and_the_keys_form_unchanged(tmp_path):
    aux = _files(tmp_path, "\\citation{doe2020}\n")
    assert _cite().exit_code == 2
    assert _cite("doe2020", "--aux", aux).exit_code == 2
    assert _cite("--aux", aux, "--bcf", aux).exit_code == 2
    r = _cite("doe2020", "--bib", tmp_path / "refs.bib", "-f", "bibtex", "--no-cache")
    assert r.exit_code == 0 and [x.key for x in parse_bibtex_text(r.stdout)] == ["doe2020"]
    r = _cite("doe2020", "knuth1984", "--bib", tmp_path / "refs.bib", "--bib", tmp_path / "more.bib",
              "-f", "bibtex")
    assert r.exit_code == 0 and [x.key for x in parse_bibtex_text(r.stdout)] == ["doe2020", "knuth1984"]
    r = _cite("doe2020", "--bib", tmp_path / "refs.bib", "-o", tmp_path / "refs.bib", "-f", "bibtex")
    assert r.exit_code == 2 and "is the input" in r.stderr
    assert (tmp_path / "refs.bib").read_text(encoding="utf-8") == REFS  # never overwritten
    r = _cite("--aux", tmp_path / "gone.aux")
    assert r.exit_code == 2 and "gone.aux" in r.stderr and len(r.stderr.strip().splitlines()) == 1


# -- real tools -------------------------------------------------------------------------
def _run(args, cwd):
    # never a shell, never TeX's shell escape
    out = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, f"{args[0]} failed:\n{out.stdout[-3000:]}\n{out.stderr[-2000:]}"
    return out


def _latex(cwd, name):
    return _run(["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", name], cwd)


def _warnings(log):
    return [line for line in log.splitlines() if re.search(r"Warning:|undefined|Please \(re\)run", line)]


PAPER = r"""\documentclass{article}
\begin{document}
We build on \cite{mueller2019a, lee2019b} and \cite{knuth1984}.
\input{section}
\bibliographystyle{plain}
\bibliography{cited}
\end{document}
"""


def test_pdflatex_bibtex_compile_against_the_cited_bib(tmp_path):
    need_tools("pdflatex", "bibtex")
    (tmp_path / "refs.bib").write_text(REFS, encoding="utf-8")
    (tmp_path / "more.bib").write_text(MORE, encoding="utf-8")
    (tmp_path / "paper.tex").write_text(PAPER.replace("\\input{section}", "\\include{section}"), encoding="utf-8")
    (tmp_path / "section.tex").write_text("See also \\cite{doe2020}.\n", encoding="utf-8")
    _latex(tmp_path, "paper.tex")
    r = _cite("--aux", tmp_path / "paper.aux", "--bib", tmp_path / "refs.bib", "--bib", tmp_path / "more.bib",
              "-o", tmp_path / "cited.bib", "--strict")
    assert r.exit_code == 0, r.stderr
    assert "doe2020" in (tmp_path / "cited.bib").read_text(encoding="utf-8")  # from section.aux
    _run(["bibtex", "paper"], tmp_path)
    _latex(tmp_path, "paper.tex")
    _latex(tmp_path, "paper.tex")
    blg = (tmp_path / "paper.blg").read_text(encoding="utf-8", errors="replace")
    log = (tmp_path / "paper.log").read_text(encoding="utf-8", errors="replace")
    assert "Warning--" not in blg and "error message" not in blg, blg
    assert not _warnings(log), _warnings(log)
    bbl = (tmp_path / "paper.bbl").read_text(encoding="utf-8", errors="replace")
    # two entries cross-reference the proceedings: BibTeX lists it, and only what is cited
    assert "\\bibitem{proc2019}" in bbl and "\\bibitem{mueller2019a}" in bbl
    assert "unused2001" not in bbl and "Other1999" not in bbl


BIBLATEX_PAPER = r"""\documentclass{article}
\usepackage[backend=biber,style=authoryear]{biblatex}
\addbibresource{cited.bib}
\begin{document}
We build on \cite{mueller2019a} and \cite{tool2021}.
\printbibliography
\end{document}
"""

XDATA = r"""@xdata{pubinfo,
  publisher = {Tool Press},
  location = {Berlin},
}

@book{tool2021,
  author = {Maker, Tool},
  title = {A Book of Tools},
  year = {2021},
  xdata = {pubinfo},
}
"""


def test_biblatex_biber_compile_against_the_cited_bib_from_the_bcf(tmp_path):
    need_tools("pdflatex", "biber")
    (tmp_path / "refs.bib").write_text(REFS, encoding="utf-8")
    (tmp_path / "tools.bib").write_text(XDATA, encoding="utf-8")
    (tmp_path / "paper.tex").write_text(BIBLATEX_PAPER, encoding="utf-8")
    _latex(tmp_path, "paper.tex")
    r = _cite("--bcf", tmp_path / "paper.bcf", "--bib", tmp_path / "refs.bib", "--bib", tmp_path / "tools.bib",
              "-f", "biblatex", "-o", tmp_path / "cited.bib", "--strict")
    assert r.exit_code == 0, r.stderr
    keys = [x.key for x in parse_bibtex_text((tmp_path / "cited.bib").read_text(encoding="utf-8"))]
    assert sorted(keys) == ["mueller2019a", "proc2019", "pubinfo", "tool2021"]
    blg = _run(["biber", "paper"], tmp_path).stdout
    assert "WARN" not in blg and "ERROR" not in blg, blg
    _latex(tmp_path, "paper.tex")
    _latex(tmp_path, "paper.tex")
    log = (tmp_path / "paper.log").read_text(encoding="utf-8", errors="replace")
    assert not _warnings(log), _warnings(log)
    bbl = (tmp_path / "paper.bbl").read_text(encoding="utf-8", errors="replace")
    assert "Tool Press" in bbl and "Proceedings of the Conference" in bbl  # inherited from the parents


def test_hostile_cited_keys_are_reported_never_written(tmp_path):
    aux = _files(tmp_path, "\\citation{doe2020}\n\\citation{x\\input{/etc/passwd}}\n\\citation{a%b}\n"
                           "\\citation{doi:10.1000/a(b)}\n")
    r = _cite("--aux", aux, "--bib", tmp_path / "refs.bib")
    assert r.exit_code == 0, r.stderr
    assert [x.key for x in parse_bibtex_text(r.stdout)] == ["doe2020"]
    assert "passwd" not in r.stdout and "a%b" not in r.stdout and "a(b)" not in r.stdout
    lines = [x for x in r.stderr.splitlines() if "which is in no .bib given" in x]
    assert [x.split(": cites ")[0].rsplit(":", 1)[1] for x in lines] == ["2", "3", "4"]
