"""Pictures of a library: the counts (pure) by hand for a small list, and the SVG read back
(bars as elements, labels as <text>, hostile names escaped), never pixels."""
import re
import sys
import xml.etree.ElementTree as ET

import pytest
from conftest import need

from plm_bib import Library
from plm_bib.errors import BadOption, ExtraNeeded, PlmBibError
from plm_bib.model import Person, Record
from plm_bib.render.chart_counts import OTHER_SECTION, count

SVG = "{http://www.w3.org/2000/svg}"
EVIL_VENUE = "<script>alert(1)</script> & Co"
EVIL_SECTION = "B & <b> $x$"


def _paper(key, year, venue, section, kind="paper"):
    return Record(key=key, title=f"Title {key}", kind=kind, entry_type="inproceedings" if kind == "paper" else "misc",
                  year=year, venue=venue, authors=(Person("Doe", "J"),), sections=(section,) if section else ())


@pytest.fixture
def small():
    return Library([
        _paper("a", 2019, "ACL", ("A",)),
        _paper("b", 2019, "ACL", ("A", "sub")),          # the first heading level: A
        _paper("c", 2020, EVIL_VENUE, (EVIL_SECTION,)),
        _paper("d", 2020, "ACL", ("A",)),
        _paper("e", None, "EMNLP", (EVIL_SECTION,)),      # no year: left out of the year chart
        _paper("f", 2020, None, ("A",), kind="resource"),  # a resource: never counted
        _paper("g", 2021, None, ()),                       # no heading: "Other"; no venue
    ], title="small")


# -- counting (pure) -------------------------------------------------------------------
def test_counts_per_year_by_hand(small):
    c = count(small, "year")
    assert c.categories == ("2019", "2020", "2021")
    assert c.series == ("A", EVIL_SECTION, OTHER_SECTION)
    assert c.cells == ((2, 1, 0), (0, 1, 0), (0, 0, 1))
    assert c.left_out == 1 and c.total == 5
    assert c.nonzero() == [(0, 0), (0, 1), (1, 1), (2, 2)]


def test_counts_per_venue_by_hand(small):
    c = count(small, "venue")
    # ACL 3; the two venues of one paper each by name ("<" sorts before "e")
    assert c.categories == ("ACL", EVIL_VENUE, "EMNLP")
    assert c.series == ("A", EVIL_SECTION)
    assert c.cells == ((3, 0, 0), (0, 1, 1))
    assert c.left_out == 1  # g has no venue


def test_venues_past_the_limit_are_gathered():
    lib = Library([_paper(f"p{i}", 2020, v, ("S",)) for i, v in enumerate(["X", "X", "X", "Y", "Y", "Z", "W"])])
    c = count(lib, "venue", limit=3)
    assert c.categories == ("X", "Y", "other venues")
    assert c.cells == ((3, 2, 2),)


def test_unknown_chart_is_a_bad_option(small):
    with pytest.raises(BadOption, match="year, venue"):
        count(small, "month")


# -- drawing -----------------------------------------------------------------------------
def _bars(svg):
    root = ET.fromstring(svg.encode("utf-8"))  # well-formed XML: no name broke it
    bars = {}
    for g in root.iter(SVG + "g"):
        gid = g.get("id", "")
        if gid.startswith("plm-bar-"):
            paths = list(g.iter(SVG + "path"))
            assert len(paths) == 1, gid
            ys = [float(v) for v in re.findall(r"[-\d.]+ ([-\d.]+)", paths[0].get("d"))]
            bars[gid] = max(ys) - min(ys)
    texts = ["".join(t.itertext()) for t in root.iter(SVG + "text")]
    return bars, texts


def test_year_chart_has_one_bar_per_nonzero_cell_and_its_labels(small):
    need("matplotlib")
    chart = small.plot("year")
    bars, texts = _bars(chart.svg)
    # four (section, year) cells have papers: A/2019 (2), A/2020 (1), B/2020 (1), Other/2021 (1)
    assert sorted(bars) == ["plm-bar-year-0-0", "plm-bar-year-0-1", "plm-bar-year-1-1", "plm-bar-year-2-2"]
    assert bars["plm-bar-year-0-0"] == pytest.approx(2 * bars["plm-bar-year-0-1"], rel=1e-3)
    assert bars["plm-bar-year-1-1"] == pytest.approx(bars["plm-bar-year-0-1"], rel=1e-3)
    for label in ("2019", "2020", "2021", "A", EVIL_SECTION, OTHER_SECTION, "Papers per year", "papers"):
        assert label in texts, label
    assert "1 papers without a year are not shown" in texts


def test_hostile_venue_and_section_names_are_escaped_text(small):
    need("matplotlib")
    svg = small.plot("venue").svg
    assert "<script" not in svg and "<b>" not in svg
    bars, texts = _bars(svg)
    assert len(bars) == 3
    assert EVIL_VENUE in texts and EVIL_SECTION in texts  # "$x$" as written, not mathtext


def test_chart_value_object_and_determinism(small, tmp_path):
    need("matplotlib")
    chart = small.plot("venue")
    assert chart.by == "venue" and chart._repr_svg_() == chart.svg
    assert chart.svg == small.plot("venue").svg  # same input, same bytes (no date, fixed ids)
    path = chart.save(str(tmp_path / "venue.svg"))
    assert (tmp_path / "venue.svg").read_text(encoding="utf-8") == chart.svg and path.endswith("venue.svg")
    assert "<dc:date>" not in chart.svg


def test_without_matplotlib_the_error_names_the_extra(small, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    with pytest.raises(ExtraNeeded, match=r"pip install 'plm_bib\[plots\]'") as e:
        small.plot("year")
    assert isinstance(e.value, PlmBibError) and isinstance(e.value, ImportError)


# -- the PDF's charts ----------------------------------------------------------------------
def test_typst_source_has_the_charts_only_when_asked(small):
    from plm_bib.render.pdf import typst_source

    plain = typst_source(small, "ieee")
    assert "image(" not in plain
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>a "q" \\ b</text>\n</svg>'
    with_chart = typst_source(small, "ieee", charts=[("Papers per year", svg)])
    # the SVG as one Typst string: quote and backslash escaped, the line break a space
    assert '#figure(image(bytes("<svg xmlns=\\"http://www.w3.org/2000/svg\\"><text>a \\"q\\" \\\\ b</text> </svg>"), ' \
           'format: "svg", width: 100%), caption: [Papers per year])' in with_chart


def test_pdf_with_charts_shows_their_labels(small, tmp_path):
    need("typst")
    need("matplotlib")
    from conftest import read_pdf

    from plm_bib.render.pdf import render_pdf

    path = tmp_path / "c.pdf"
    render_pdf(small, str(path), charts=True)
    _, text, _ = read_pdf(path)
    flat = re.sub(r"\s+", "", text)
    for label in ("Papersperyear", "Paperspervenue", "Figure1", "EMNLP", "2021"):
        assert label in flat, label


def test_pdf_charts_need_the_typst_engine(tmp_path):
    from click.testing import CliRunner

    from plm_bib.cli import main

    out = CliRunner().invoke(main, ["pdf", "--charts", "--engine", "latex", "-o", str(tmp_path / "x.pdf")])
    assert out.exit_code == 2 and "typst engine" in out.output
    assert not (tmp_path / "x.pdf").exists()


def test_pdf_charts_without_matplotlib_name_the_extra_and_write_nothing(tmp_path, monkeypatch):
    need("typst")
    from click.testing import CliRunner

    from plm_bib.cli import main

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    out = CliRunner().invoke(main, ["pdf", "--charts", "-o", str(tmp_path / "x.pdf")])
    assert out.exit_code == 4 and "pip install 'plm_bib[plots]'" in out.output
    assert not (tmp_path / "x.pdf").exists()
