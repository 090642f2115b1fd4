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


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared/data is absent")
    return SHARED


@pytest.fixture(scope="session")
def seed():
    import plm_bib

    return plm_bib.parse_markdown(plm_bib.reading.builtin_list_text(), "reading-list.md")


@pytest.fixture(scope="session")
def builtin():
    import plm_bib

    return plm_bib.load()
