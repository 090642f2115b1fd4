from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


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
