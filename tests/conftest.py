from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


def need(module: str):
    """Import a test tool; skip where it is missing, but fail under CI, where the
    `[test]` extra installs it (a missing tool must not turn a check green)."""
    import importlib
    import os

    try:
        return importlib.import_module(module)
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail(f"{module} is not installed: the [test] extra must bring it")
        pytest.skip(f"{module} is not installed")


def absent(what: str) -> None:
    """Skip a test whose shared input is missing; under CI, where ``../shared/data`` is
    part of the machine, fail instead (a missing corpus must not turn a proof green)."""
    import os

    if os.environ.get("CI"):
        pytest.fail(f"{what} is absent, and CI needs it")
    pytest.skip(f"{what} is absent")


def need_tools(*tools: str) -> None:
    """Skip a test whose command-line tools (bibtex, biber, pdflatex...) are missing; under CI,
    whose `.ci/run` installs them, fail instead."""
    import os
    import shutil

    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"{missing} not installed: .ci/run must install them")
        pytest.skip(f"{missing} not installed")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED.is_dir():
        absent("../shared/data")
    return SHARED


def pytest_configure(config):
    """A parallel run (``-n auto``) hands tests to the workers one at a time, in the order of
    :func:`pytest_collection_modifyitems`: a worker that is done takes the next test, so the
    minutes-long proofs, started first, end while the short tests fill in around them (xdist's
    default sends runs of consecutive tests ahead, and a worker could be left with several long
    ones while the other idles).  ``--maxschedchunk`` given on the command line wins."""
    if config.pluginmanager.hasplugin("xdist") and config.getoption("maxschedchunk", None) is None:
        config.option.maxschedchunk = 1


def pytest_collection_modifyitems(config, items):
    """Every test that reads the shared corpora is a corpus proof: CI runs them all, a quick
    local run leaves them out with ``-m "not corpus"``.  In a parallel run the corpus proofs and
    the tests marked ``long`` come first (see :func:`pytest_configure`); the rest keep their order."""
    import os

    for item in items:
        if "shared_data" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.corpus)
    if os.environ.get("PYTEST_XDIST_WORKER"):  # the order every worker collects is the order handed out
        items.sort(key=lambda item: not (item.get_closest_marker("long") or item.get_closest_marker("corpus")))


@pytest.fixture(scope="session")
def seed():
    import plm_bib

    return plm_bib.parse_markdown(plm_bib.readers.builtin_list_text(), "reading-list.md")


@pytest.fixture(scope="session")
def builtin():
    import plm_bib

    return plm_bib.load()


def read_pdf(path):
    """A PDF's reader, its text with whitespace squashed, and its link URIs."""
    import re

    pypdf = need("pypdf")
    reader = pypdf.PdfReader(str(path))
    text = " ".join(page.extract_text() for page in reader.pages)
    uris = [a.get_object()["/A"]["/URI"] for page in reader.pages for a in page.get("/Annots") or []
            if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]]
    return reader, re.sub(r"\s+", " ", text), uris
