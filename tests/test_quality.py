"""Static checks run with the tests, so CI runs them: mypy (strict) and ruff are clean."""
import subprocess
import sys
from pathlib import Path

from conftest import need

ROOT = Path(__file__).resolve().parent.parent


def _run(*args):
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)


def test_mypy_strict_is_clean():
    need("mypy")
    out = _run("mypy", "plm_bib")
    assert out.returncode == 0, out.stdout + out.stderr


def test_ruff_is_clean():
    need("ruff")
    out = _run("ruff", "check", "plm_bib", "tests", "docs/conf.py")
    assert out.returncode == 0, out.stdout + out.stderr
