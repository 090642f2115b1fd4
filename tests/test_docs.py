"""The docs build with warnings as errors, and the example notebook runs top to bottom.
(The Markdown pages' examples run as doctests through pytest's --doctest-glob.)"""
import subprocess
import sys
from pathlib import Path

from conftest import need

ROOT = Path(__file__).resolve().parent.parent


def test_sphinx_builds_the_docs_with_warnings_as_errors(tmp_path):
    need("sphinx")
    need("myst_parser")
    need("sphinx_click")
    out = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
                          str(ROOT / "docs"), str(tmp_path / "html")],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    cli = (tmp_path / "html" / "cli.html").read_text(encoding="utf-8")
    for command in ("export", "build", "check", "cite", "formats", "styles"):
        assert f'id="plm-bib-{command}"' in cli
    api = (tmp_path / "html" / "api.html").read_text(encoding="utf-8")
    for name in ("plm_bib.Library.search", "plm_bib.Library.to_dataframe", "plm_bib.Record.cite",
                 "plm_bib.load", "plm_bib.format_bibliography"):
        assert f'id="{name}"' in api, name


def test_example_notebook_runs_top_to_bottom():
    nbformat = need("nbformat")
    nbclient = need("nbclient")
    need("ipykernel")
    need("pandas")
    nb = nbformat.read(ROOT / "docs" / "example.ipynb", as_version=4)
    # the kernel starts in the repository root, so it imports this tree's plm_bib
    nbclient.NotebookClient(nb, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any('class="plm-bib-library"' in h for h in html)
    assert any('class="csl-bib-body"' in h for h in html)
