"""`cite --aux`: a cited key that is an identifier and in no .bib is filled through enrichment
(a local HTTP server answering as the sources do) and written under that key."""
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "sources"))
from fake_sources import FakeSources  # noqa: E402

from plm_bib import parse_bibtex_text  # noqa: E402
from plm_bib.cli import main  # noqa: E402


@pytest.fixture
def fake(httpserver, monkeypatch, tmp_path):
    fs = FakeSources()
    httpserver.expect_request("").respond_with_handler(fs)  # every path
    for name, path in (("ARXIV", "/arxiv"), ("ACL", "/acl"), ("DBLP", "/dblp"), ("DOI", "/doi"),
                       ("S2", "/s2"), ("CROSSREF", "/crossref"), ("DATACITE", "/datacite")):
        monkeypatch.setenv(f"PLM_BIB_{name}_URL", httpserver.url_for(path))
    monkeypatch.setenv("PLM_BIB_CACHE_DIR", str(tmp_path / "cache"))
    return fs


AUX = ("\\citation{own2020}\n\\citation{arXiv:1810.04805}\n\\citation{acl:N19-1423}\n"
       "\\citation{doi:10.18653/v1/N19-1423}\n\\citation{arXiv:2999.99999}\n")


def _paper(tmp_path):
    (tmp_path / "refs.bib").write_text("@misc{own2020, title={Own}, author={Me, I}, year={2020}}\n", encoding="utf-8")
    (tmp_path / "main.aux").write_text(AUX, encoding="utf-8")


def test_identifier_keys_are_filled_and_written_under_the_cited_key(fake, tmp_path):
    _paper(tmp_path)
    r = CliRunner().invoke(main, ["cite", "--aux", str(tmp_path / "main.aux"), "--bib", str(tmp_path / "refs.bib"),
                                  "-o", str(tmp_path / "cited.bib")])
    assert r.exit_code == 0, r.stderr
    got = {x.key: x for x in parse_bibtex_text((tmp_path / "cited.bib").read_text(encoding="utf-8"))}
    assert list(got) == ["own2020", "arXiv:1810.04805", "acl:N19-1423", "doi:10.18653/v1/N19-1423"]
    for key in ("arXiv:1810.04805", "acl:N19-1423", "doi:10.18653/v1/N19-1423"):
        assert got[key].title.startswith("BERT: Pre-training of Deep Bidirectional Transformers"), key
        assert got[key].authors[0].family == "Devlin"
    assert got["acl:N19-1423"].pages == "4171--4186"
    assert fake.count("arxiv") >= 1 and fake.count("acl") >= 1
    assert "3 cited identifiers filled from the online sources" in r.stderr
    # an identifier no source knows stays missing, with the line of its \citation
    assert f"{tmp_path / 'main.aux'}:5: cites 'arXiv:2999.99999'" in r.stderr
    assert "1 missing" in r.stderr


def test_no_fetch_asks_nothing(fake, tmp_path):
    _paper(tmp_path)
    r = CliRunner().invoke(main, ["cite", "--aux", str(tmp_path / "main.aux"), "--bib", str(tmp_path / "refs.bib"),
                                  "--no-fetch", "--strict"])
    assert r.exit_code == 1 and not fake.log
    assert [x.key for x in parse_bibtex_text(r.stdout)] == ["own2020"]
    assert "4 missing" in r.stderr
