"""Reading-list PDFs: text, headings, links and metadata read back from the PDF itself."""
import datetime
import os
import re
import shutil

import pytest
from click.testing import CliRunner
from conftest import need, read_pdf

from plm_bib import Library
from plm_bib.cli import main
from plm_bib.model import Link, Person, Record
from plm_bib.render.pdf import PdfError, render_pdf, typst_source

DAY = datetime.date(2026, 11, 25)


def _squash(s):
    return re.sub(r"[\s\u00ad]+", "", s)


@pytest.fixture(scope="module")
def builtin_pdf(tmp_path_factory, builtin):
    need("typst")
    path = tmp_path_factory.mktemp("pdf") / "r.pdf"
    render_pdf(builtin, str(path), style="ieee", date=DAY)
    return path


def test_every_title_and_heading_is_in_the_pdf(builtin_pdf, builtin):
    _, text, _ = read_pdf(builtin_pdf)
    flat = _squash(text)
    for r in builtin:
        assert _squash(r.title) in flat, r.title
    for heading in ("基础类", "模型优化类", "其他学习链接", "Pre-trained Model-related Papers"):
        assert _squash(heading) in flat
    assert "鲁棒性优化" in flat  # the list's note on RoBERTa
    assert _squash("the list says EMNLP 2020; verified: arXiv preprint (2019)") in flat


def test_links_are_annotations_and_metadata_is_set(builtin_pdf, builtin):
    reader, _, uris = read_pdf(builtin_pdf)
    assert "https://aclanthology.org/N19-1423" in uris
    assert "https://doi.org/10.18653/v1/N19-1423" in uris
    assert builtin["devlin2019bert"].urls[-1].url in uris  # the slide deck
    assert "https://mp.weixin.qq.com/s/cFk1h1HCE5TqiLZ7UYF15A" in uris
    meta = reader.metadata
    assert meta.title == builtin.title and meta.author == "plm-bib"
    assert "Reading list" in (meta.subject or "")


def test_pdf_is_deterministic(tmp_path, builtin):
    need("typst")
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    render_pdf(builtin.papers, str(a), date=DAY)
    render_pdf(builtin.papers, str(b), date=DAY)
    assert a.read_bytes() == b.read_bytes()


def test_hostile_text_prints_literally(tmp_path):
    need("typst")
    evil = Record(key="evil", title='#import "x": * // not a comment \\input{/etc/passwd} $x$ <y> @z [w]',
                  kind="paper", entry_type="misc", year=2020, authors=(Person("O'Neil", "A"),),
                  sections=(("= heading? #eval(\"1\")",),), notes=("*bold?* _it_ `raw`",),
                  urls=(Link("https://x.org/a_b?c=1&d=2#frag", "paper"),))
    path = tmp_path / "e.pdf"
    render_pdf(Library([evil], title="T"), str(path), date=DAY)
    _, text, uris = read_pdf(path)
    flat = _squash(text)
    assert _squash('#import "x": * // not a comment \\input{/etc/passwd} $x$ <y> @z [w]') in \
        flat.replace("“", '"').replace("”", '"')
    assert _squash('= heading? #eval("1")') in flat.replace("“", '"').replace("”", '"')
    assert _squash("*bold?* _it_ `raw`") in flat
    assert "https://x.org/a_b?c=1&d=2#frag" in uris


def test_numbering_per_section_or_continuous(builtin):
    per = typst_source(builtin, "ieee", date=DAY)
    cont = typst_source(builtin, "ieee", numbering="continuous", date=DAY)
    assert per.count("[\\[1\\] ") == len(builtin.by_section())
    labels = [int(n) for n in re.findall(r"\[\\\[(\d+)\\\] ", cont)]
    assert labels == list(range(1, len(labels) + 1)) and len(labels) == sum(
        len(rs) for _, rs in builtin.by_section())


def test_no_cjk_font_is_a_clear_error_and_nothing_is_written(tmp_path, builtin, monkeypatch):
    need("typst")
    monkeypatch.setenv("PLM_BIB_CJK_FONT", str(tmp_path / "no-such-font.otf"))
    out = tmp_path / "r.pdf"
    out.write_bytes(b"previous")
    with pytest.raises(PdfError, match="no CJK font was found"):
        render_pdf(builtin, str(out), date=DAY)
    assert out.read_bytes() == b"previous"
    english = Library([r for r in builtin.papers if not re.search(r"[\u4e00-\u9fff]", r.title)],
                      title="English only")
    english = english.with_records([r.replace(sections=(("Papers",),), notes=()) for r in english])
    render_pdf(english, str(out), date=DAY)  # no CJK text: no CJK font needed
    assert out.read_bytes().startswith(b"%PDF")


def test_cli_pdf(tmp_path):
    need("typst")
    out = tmp_path / "r.pdf"
    r = CliRunner().invoke(main, ["pdf", "-o", str(out), "--style", "apa"])
    assert r.exit_code == 0, r.output
    assert out.read_bytes().startswith(b"%PDF") and "wrote" in r.stderr
    r = CliRunner().invoke(main, ["pdf", "-o", str(out), "--style", "nope"])
    assert r.exit_code == 2


def test_latex_engine(tmp_path, builtin):
    if not (shutil.which("latexmk") and shutil.which("xelatex") and shutil.which("biber")):
        if os.environ.get("CI"):
            pytest.fail("latexmk/xelatex/biber missing: .ci/run installs them")
        pytest.skip("no TeX")
    out = tmp_path / "r.pdf"
    render_pdf(builtin, str(out), engine="latex")
    _, _, uris = read_pdf(out)
    assert "https://aclanthology.org/N19-1423" in uris
    # pypdf cannot map XeLaTeX's CJK glyphs back to text; poppler can
    import subprocess

    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "模型优化类" in _squash(text) and _squash(builtin["lewis2020bart"].title) in _squash(text)


def test_the_document_date_follows_source_date_epoch(monkeypatch, builtin):
    """A reading-list document states its date: the one asked for, else $SOURCE_DATE_EPOCH's day
    (UTC, the reproducible-builds convention), else today."""
    import datetime

    from plm_bib.render.pdf import document_date, typst_source

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    assert document_date() == datetime.date(2023, 11, 14)
    assert "date: datetime(year: 2023, month: 11, day: 14)" in typst_source(builtin)
    assert document_date(datetime.date(2020, 2, 29)) == datetime.date(2020, 2, 29)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    assert document_date() == datetime.date.today()
