"""The notebook API: rich HTML display (parsed, not snapshotted), filters, search, DataFrame."""
from html.parser import HTMLParser

from conftest import need

from plm_bib import Library
from plm_bib.model import Link, Person, Record
from plm_bib.render.notebook import COLUMNS


class _Table(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.links, self.tags = [], [], []
        self._cell = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = ""
        elif tag == "a":
            self.links.append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(self._cell)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def _parse(html):
    t = _Table()
    t.feed(html)
    return t


def test_library_html_is_a_table_of_every_record(builtin):
    t = _parse(builtin._repr_html_())
    header, rows = t.rows[0], t.rows[1:]
    assert tuple(header) == COLUMNS
    assert len(rows) == len(builtin) == 32
    by_key = {row[1]: dict(zip(COLUMNS, row)) for row in rows}
    bert = by_key["devlin2019bert"]
    assert bert["title"].startswith("BERT: Pre-training")
    assert bert["authors"] == "Devlin, Chang, Lee, Toutanova"
    assert (bert["venue"], bert["year"], bert["section"]) == ("NAACL", "2019", "基础类")
    assert "slides" in bert["links"]
    assert by_key["liu2019roberta"]["authors"] == "Liu, Ott, Goyal et al."
    assert by_key["weixin_yiwenliaojie"]["venue"] == "WeChat"
    assert "https://aclanthology.org/N19-1423" in t.links


def test_html_display_escapes_everything_and_links_only_http():
    evil = Record(key="evil", title='<script>alert("x")</script> & <img src=x onerror=alert(1)>',
                  kind="paper", entry_type="misc", authors=(Person("<b>Bold</b>", "A"),),
                  urls=(Link("javascript:alert(1)", "paper"), Link("https://ok.example/a?b=1&c=2", "pdf")),
                  sections=(("<i>sec</i>",),), notes=("<svg onload=alert(1)>",))
    lib = Library([evil])
    for html in (lib._repr_html_(), evil._repr_html_()):
        t = _parse(html)
        assert not {"script", "img", "b", "svg"} & set(t.tags)
        assert all(h.startswith("https://") for h in t.links)
    t = _parse(lib._repr_html_())
    row = dict(zip(COLUMNS, t.rows[1]))
    assert row["title"] == '<script>alert("x")</script> & <img src=x onerror=alert(1)>'
    assert row["section"] == "<i>sec</i>"


def test_record_display_shows_reference_and_bibtex(builtin):
    html = builtin["liu2019roberta"]._repr_html_()
    t = _parse(html)
    assert "pre" in t.tags
    assert "Liu, Y., Ott, M." in html and "@misc{liu2019roberta," in html
    assert builtin["liu2019roberta"].cite("acl").endswith("arXiv preprint arXiv:1907.11692.")
    assert builtin["devlin2019bert"].bibtex.startswith("@inproceedings{devlin2019bert,")


def test_collection_protocol_and_filters(builtin):
    assert "devlin2019bert" in builtin and builtin[0].key == builtin.keys()[0]
    assert builtin["devlin2019bert"] in builtin
    assert [r.key for r in builtin.filter(year=2019, type="inproceedings")] == [
        "devlin2019bert", "reimers2019sentence", "houlsby2019parameter"]
    assert builtin.filter(section="模型优化类").keys() == [
        "liu2019roberta", "reimers2019sentence", "lewis2020bart", "houlsby2019parameter",
        "clark2020electra"]
    assert builtin.filter(venue="acl").keys() == ["gururangan2020dont", "lewis2020bart", "zhang2020spelling"]
    assert builtin.filter(section=("其他学习链接", "工具类")).keys() == ["weixin_gugekaiyuan"]


def test_sections_form_a_tree_with_counts(builtin):
    secs = builtin.sections
    top = [s for s in secs if s.depth == 1]
    assert [s.title for s in top] == ["基础类", "Pre-trained Model-related Papers", "其他学习链接"]
    papers = next(s for s in top if s.title == "Pre-trained Model-related Papers")
    children = [s for s in secs if s.depth == 2 and s.path[0] == papers.title]
    assert papers.count == 12 and sum(c.count for c in children) >= papers.count


def test_search_title_author_note_venue(builtin):
    assert builtin.search("Toutanova").keys() == ["devlin2019bert"]
    assert builtin.search("鲁棒性").keys() == ["liu2019roberta"]
    assert builtin.search("KDD").keys() == ["liang2020bond", "jiang2021pretraining", "weixin_kdd2021"]
    assert "jiang2021pretraining" in builtin.search("knowledge discovery").keys()
    assert builtin.search("no such words anywhere").keys() == []


def test_dataframe_keeps_lists(builtin):
    pd = need("pandas")
    df = builtin.to_dataframe()
    assert isinstance(df, pd.DataFrame) and len(df) == 32
    row = df.set_index("key").loc["devlin2019bert"]
    assert row["authors"] == ["Jacob Devlin", "Ming-Wei Chang", "Kenton Lee", "Kristina Toutanova"]
    assert row["year"] == 2019 and row["sections"] == ["基础类"]
    assert isinstance(row["links"], list) and len(row["links"]) >= 2
    assert df["year"].isna().sum() == 19  # the resources have no date
