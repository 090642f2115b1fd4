"""The reading-list web page, read back with html.parser: every record, the sections as
headings, links only http(s), hostile titles, URLs and notes inert text, the script a constant
allowed by its CSP hash, labels for every control."""
import base64
import hashlib
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner
from conftest import need

from plm_bib import Library
from plm_bib.cli import main
from plm_bib.model import Link, Person, Record
from plm_bib.render import charts as charts_module
from plm_bib.render.html_page import html_page, is_web_url

EVIL_TITLE = "<img src=x onerror=alert(1)>"
EVIL_NOTE = "</script><script>alert(2)</script> & \"quotes\""
EVIL_SECTION = "Hostile <1> & co"


class Page(HTMLParser):
    """Every element (tag, attributes, the text directly inside), the text, the scripts."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.elements = []   # (tag, attrs dict)
        self.stack = []
        self.texts = {}      # id(element) -> text
        self.scripts = []
        self.data = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        el = (tag, dict(attrs), [])
        self.elements.append(el)
        if tag not in ("meta", "input", "br", "img", "link"):
            self.stack.append(el)

    def handle_endtag(self, tag):
        while self.stack:
            el = self.stack.pop()
            if el[0] == tag:
                break

    def handle_data(self, data):
        self.data.append(data)
        for el in self.stack:
            el[2].append(data)
        if self.stack and self.stack[-1][0] == "script":
            self.scripts.append(data)

    def find(self, tag, **attrs):
        return [(t, a, "".join(txt)) for t, a, txt in self.elements
                if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())]


@pytest.fixture(scope="module")
def hostile():
    return Library([
        Record(key="evil2020", title=EVIL_TITLE, kind="paper", entry_type="inproceedings", year=2020,
               venue="ACL", authors=(Person("O'Neil", "A"),), sections=((EVIL_SECTION,),),
               notes=(EVIL_NOTE,),
               urls=(Link("javascript:alert(3)", "paper"), Link("https://ok.example/p?a=1&b=2", "pdf"),
                     Link("data:text/html,<script>alert(4)</script>", "code"))),
        Record(key="plain2019", title="A plain paper", kind="paper", entry_type="article", year=2019,
               venue="EMNLP", authors=(Person("Doe", "Jane"),), sections=((EVIL_SECTION, "Sub & 2"),),
               urls=(Link("http://plain.example/x", "paper"),)),
        Record(key="tool", title="A tool", kind="resource", entry_type="misc", sections=(("Tools",),),
               urls=(Link("https://tool.example", "code"),)),
    ], title="Hostile \"list\" <title>")


@pytest.fixture(scope="module")
def page(hostile):
    return Page(html_page(hostile, style="apa", charts=False))


def test_hostile_title_note_and_urls_are_inert_text(page, hostile):
    text = "".join(page.data)
    assert EVIL_TITLE in text and EVIL_NOTE in text
    assert not page.find("img")
    assert [a for _, a, _ in page.elements if any(k.lower().startswith("on") for k in a)] == []
    hrefs = [a["href"] for t, a, _ in page.elements if t == "a" and "href" in a]
    assert hrefs and all(h.startswith(("http://", "https://", "#")) for h in hrefs), hrefs
    assert "https://ok.example/p?a=1&b=2" in hrefs and "http://plain.example/x" in hrefs
    assert "javascript:alert(3)" in text and "data:text/html,<script>alert(4)</script>" in text
    assert not [h for h in hrefs if h.lower().startswith(("javascript:", "data:"))]


def test_the_only_script_is_the_constant_and_the_csp_allows_it_by_hash(page):
    from plm_bib.render.html_assets import SCRIPT

    scripts = page.find("script")
    assert len(scripts) == 1 and scripts[0][2] == SCRIPT
    digest = base64.b64encode(hashlib.sha256(scripts[0][2].encode("utf-8")).digest()).decode()
    (csp,) = [a["content"] for _, a, _ in page.find("meta") if a.get("http-equiv") == "Content-Security-Policy"]
    assert f"script-src 'sha256-{digest}'" in csp and "default-src 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_every_record_sections_as_headings_and_title(page, hostile):
    recs = page.find("li")
    keys = [a["data-key"] for _, a, _ in recs if a.get("class") == "rec"]
    assert keys == ["evil2020", "plain2019", "tool"]
    assert [txt for _, _, txt in page.find("h1")] == ['Hostile "list" <title>']
    assert [txt for _, _, txt in page.find("title")] == ['Hostile "list" <title>']
    assert [txt for _, _, txt in page.find("h2")] == [EVIL_SECTION, "Tools"]
    assert [txt for _, _, txt in page.find("h3")] == ["Sub & 2"]
    # each record carries the ids of its sections (the section filter), and its facets
    _, evil, _ = page.find("li", data_key="evil2020")[0]
    _, plain, _ = page.find("li", data_key="plain2019")[0]
    assert evil["data-sec"] == "s0" and plain["data-sec"] == "s0 s1"
    assert (plain["data-year"], plain["data-venue"], plain["data-kind"]) == ("2019", "EMNLP", "paper")
    assert page.find("li", data_key="tool")[0][1]["data-kind"] == "resource"
    assert "o'neil" in evil["data-search"] and EVIL_TITLE.lower() in evil["data-search"]


def test_filters_and_search_have_labels_and_options(page):
    ids = {a["id"] for t, a, _ in page.elements if t in ("input", "select")}
    assert ids == {"q", "f-section", "f-year", "f-venue", "f-kind"}
    assert {a.get("for") for _, a, _ in page.find("label")} >= ids
    options = [(a["value"], txt) for _, a, txt in page.find("option")]
    for expected in [("s0", EVIL_SECTION), ("s1", "\u2003Sub & 2"), ("s2", "Tools"), ("2020", "2020"),
                     ("2019", "2019"), ("ACL", "ACL"), ("EMNLP", "EMNLP"), ("paper", "papers"),
                     ("resource", "resources")]:
        assert expected in options, expected


def test_copy_buttons_hold_the_bibtex(page, hostile):
    buttons = page.find("button", **{"class": "copy"})
    assert len(buttons) == 3
    for _, attrs, _ in buttons:
        (pre,) = page.find("pre", id=attrs["aria-controls"])
        assert pre[2] == hostile[attrs["data-key"]].bibtex
    assert all(t == "button" for t, a, _ in page.elements if a.get("class") == "copy")


def test_marks_and_corrections_of_the_builtin_list(builtin):
    p = Page(html_page(builtin, charts=False))
    marks = {}
    for _, attrs, txt in p.find("li"):
        if attrs.get("class") == "rec":
            marks[attrs["data-key"]] = txt
    assert len(marks) == len(builtin)
    # the three corrections, as check() finds them against the curated records
    assert "corrected" in marks["liu2019roberta"]
    assert "the list says EMNLP 2020; verified: arXiv preprint (2019)" in marks["liu2019roberta"]
    assert "the list gives no venue; verified: ICLR 2020" in marks["clark2020electra"]
    assert "verified: Findings of EMNLP 2020" in marks["cui2020revisiting"]
    assert "verified" in marks["devlin2019bert"] and "corrected" not in marks["devlin2019bert"]
    assert "resource" in marks["github_bert"]
    assert "鲁棒性优化" in marks["liu2019roberta"]  # the list's note


def test_hand_made_papers_are_unverified(page):
    assert "unverified" in page.find("li", data_key="evil2020")[0][2]


def test_charts_inline_svg_or_a_note(hostile, monkeypatch):
    need("matplotlib")
    p = Page(html_page(hostile))
    svgs = p.find("svg")
    assert len(svgs) == 2 and all(a.get("role") == "img" and a.get("aria-label") for _, a, _ in svgs)
    assert "<?xml" not in html_page(hostile)
    monkeypatch.setattr(charts_module, "plots_available", lambda: False)
    without = html_page(hostile)
    assert "<svg" not in without and "pip install &#x27;plm_bib[plots]&#x27;" in without
    assert "<svg" not in html_page(hostile, charts=False) and 'id="charts"' not in html_page(hostile, charts=False)


def test_is_web_url():
    assert is_web_url("https://a.org/x") and is_web_url("HTTP://a.org")
    for bad in ("javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", " https://a.org", "//a.org",
                "vbscript:x"):
        assert not is_web_url(bad), bad


def test_cli_html_writes_the_page(tmp_path):
    out = tmp_path / "list.html"
    r = CliRunner().invoke(main, ["html", "--no-charts", "--style", "ieee", "-o", str(out)])
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "预训练模型相关资料列表" in text
    assert text.count('<li class="rec"') >= 32 and "<svg" not in text
    assert '<span class="label">[1]</span>' in text  # ieee is numeric
    r = CliRunner().invoke(main, ["export", "-f", "html-page", "--style", "apa"])
    assert r.exit_code == 0 and r.output.startswith("<!DOCTYPE html>")
    r = CliRunner().invoke(main, ["html", "--style", "no-such-style", "-o", str(tmp_path / "x.html")])
    assert r.exit_code == 2 and not (tmp_path / "x.html").exists()


def test_the_page_is_deterministic(hostile):
    assert html_page(hostile) == html_page(hostile)  # no date, the charts' ids fixed


def test_the_page_and_its_parts_say_their_language(builtin):
    """A screen reader reads each text in its language: the page in its title's (the built-in
    list's title 预训练模型相关资料列表 is Chinese), a heading or record in another language says so."""
    p = Page(html_page(builtin, charts=False))
    assert p.find("html")[0][1]["lang"] == "zh"
    assert p.find("h2", lang="en")[0][2] == "Pre-trained Model-related Papers"
    assert not p.find("h3", lang="en") and p.find("h3")  # its Chinese subheadings take the page's
    by_key = {a["data-key"]: a for _, a, _ in p.find("li") if a.get("class") == "rec"}
    for r in builtin:
        want = None if r.language.startswith("zh") else r.language
        assert by_key[r.key].get("lang") == want, r.key
    assert by_key["devlin2019bert"]["lang"] == "en" and "lang" not in by_key["zhihu_bert"]
    english = html_page(Library([Record(key="a2020x", title="A Paper", year=2020)], title="Papers"), charts=False)
    assert Page(english).find("html")[0][1]["lang"] == "en" and 'lang="en"' not in english.split("<body>")[1]
