"""Reading what a document cites (.aux, .bcf) and choosing the cited entries with their parents."""
import pytest

from plm_bib import parse_bibtex_text
from plm_bib.citing.aux import Where, read_aux, read_bcf, read_cited
from plm_bib.citing.select import combine, select
from plm_bib.errors import InputError

BCF_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<bcf:controlfile version="3.10" bltxversion="3.19" ' \
           'xmlns:bcf="https://sourceforge.net/projects/biblatex">\n'


def test_aux_citations_nested_inputs_and_bibdata(tmp_path):
    (tmp_path / "main.aux").write_text(
        "\\relax \n\\citation{a}\n\\citation{b, c}\n\\@input{chap.aux}\n\\citation{a}\n"
        "\\bibstyle{plain}\n\\bibdata{refs, more.bib}\n", encoding="utf-8")
    (tmp_path / "chap.aux").write_text("\\relax \n\\citation{d}\\citation{e}\n\\@input{sub.aux}\n", encoding="utf-8")
    (tmp_path / "sub.aux").write_text("\\citation{f}\n\\@input{main.aux}\n", encoding="utf-8")  # a loop: read once
    cited = read_aux(tmp_path / "main.aux")
    assert list(cited.keys) == ["a", "b", "c", "d", "e", "f"]
    assert cited.keys["a"] == Where(str(tmp_path / "main.aux"), 2)  # the first citation
    assert cited.keys["c"].line == 3
    assert cited.keys["e"] == Where(str(tmp_path / "chap.aux"), 2)
    assert cited.keys["f"] == Where(str(tmp_path / "sub.aux"), 1)
    assert cited.everything is None
    assert [n for n, _ in cited.databases] == ["refs", "more.bib"]
    assert [p for p, _ in cited.database_paths()] == [str(tmp_path / "refs.bib"), str(tmp_path / "more.bib")]


def test_aux_star_and_biblatex_lines(tmp_path):
    (tmp_path / "m.aux").write_text("\\citation{*}\n\\abx@aux@cite{0}{x}\n\\abx@aux@cite{y}\n"
                                    "\\citationx{no}\n", encoding="utf-8")
    cited = read_aux(tmp_path / "m.aux")
    assert cited.everything == Where(str(tmp_path / "m.aux"), 1)
    assert list(cited.keys) == ["x", "y"]  # \citationx is another command


def test_aux_missing_input_names_the_line(tmp_path):
    (tmp_path / "m.aux").write_text("\\citation{a}\n\\@input{gone.aux}\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        read_aux(tmp_path / "m.aux")
    assert str(e.value).startswith(f"{tmp_path / 'm.aux'}:2: \\@input{{gone.aux}}: ")
    assert len(str(e.value).splitlines()) == 1
    with pytest.raises(InputError, match="absent.aux"):
        read_aux(tmp_path / "absent.aux")


def test_bcf_citekeys_sets_and_datasources(tmp_path):
    (tmp_path / "m.bcf").write_text(
        BCF_HEAD + '  <bcf:bibdata section="0">\n'
        '    <bcf:datasource type="file" datatype="bibtex" glob="false">refs.bib</bcf:datasource>\n'
        '  </bcf:bibdata>\n  <bcf:section number="0">\n'
        '    <bcf:citekey type="set" members="a,b">myset</bcf:citekey>\n'
        '    <bcf:citekey order="1" intorder="1">c</bcf:citekey>\n'
        '    <bcf:citekey order="2" intorder="1">myset</bcf:citekey>\n'
        '    <bcf:citekey order="3" intorder="1" nocite="1">*</bcf:citekey>\n'
        '  </bcf:section>\n  <bcf:section number="1">\n'
        '    <bcf:citekey order="1" intorder="1">d</bcf:citekey>\n  </bcf:section>\n</bcf:controlfile>\n',
        encoding="utf-8")
    cited = read_cited(tmp_path / "m.bcf")
    assert list(cited.keys) == ["a", "b", "c", "d"]  # the set is the document's: its members are cited
    assert cited.keys["c"] == Where(str(tmp_path / "m.bcf"), 8)
    assert cited.everything is not None and cited.everything.line == 10
    assert [n for n, _ in cited.databases] == ["refs.bib"]


def test_bcf_not_xml_and_entities_refused(tmp_path):
    (tmp_path / "bad.bcf").write_text(BCF_HEAD + "<bcf:section>\n<oops\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.bcf:\d+: not well-formed XML"):
        read_bcf(tmp_path / "bad.bcf")
    (tmp_path / "ent.bcf").write_text('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e "aaaa">]>\n<x>&e;</x>\n',
                                      encoding="utf-8")
    with pytest.raises(InputError, match="declares no entities"):
        read_bcf(tmp_path / "ent.bcf")


LIB = """@inproceedings{a, title={A}, author={Aa, A}, crossref={proc}}
@misc{unused, title={U}, author={Uu, U}, year={2001}}
@proceedings{proc, title={Proc}, year={2019}, crossref={series}}
@misc{x, title={X}, author={Xx, X}, year={2020}, xdata={xd1, xd2}}
@xdata{xd1, publisher={Pub}}
@proceedings{series, title={Series}, year={2019}}
@xdata{xd2, location={Here}}
@misc{B, title={B}, author={Bb, B}, year={2000}}
@misc{loop1, title={L1}, crossref={loop2}}
@misc{loop2, title={L2}, crossref={loop1}}
"""


def _cited(*keys, everything=False):
    from plm_bib.citing.aux import Cited

    c = Cited("m.aux")
    for i, k in enumerate(keys, 1):
        c.cite(k, Where("m.aux", i))
    if everything:
        c.cite("*", Where("m.aux", 99))
    return c


def test_select_takes_parents_and_their_parents_after_the_children():
    lib = parse_bibtex_text(LIB, "refs.bib")
    sel = select(lib, _cited("proc", "a", "x", "b"))
    keys = [r.key for r in sel.records]
    assert set(keys) == {"a", "proc", "series", "x", "xd1", "xd2"}
    # BibTeX reads a crossref only from a later entry: every parent after what names it
    assert keys.index("a") < keys.index("proc") < keys.index("series")
    assert keys.index("x") < keys.index("xd1") and keys.index("x") < keys.index("xd2")
    assert sorted(sel.parents) == ["series", "xd1", "xd2"]  # "proc" is cited itself
    assert [(m.key, m.where.line, m.like) for m in sel.missing] == [("b", 4, "B")]
    assert "the case of a key must match" in str(sel.missing[0])
    assert sel.uncited == ["unused", "B", "loop1", "loop2"]


def test_select_everything_keeps_the_file_order_when_it_is_right_and_survives_loops():
    lib = parse_bibtex_text(LIB, "refs.bib")
    sel = select(lib, _cited(everything=True))
    keys = [r.key for r in sel.records]
    assert sorted(keys) == sorted(r.key for r in lib) and sel.uncited == [] and sel.missing == []
    assert keys[:3] == ["a", "unused", "proc"]
    assert {keys.index("loop1"), keys.index("loop2")} == {8, 9}


def test_select_reports_a_missing_parent_at_the_entry():
    lib = parse_bibtex_text("@misc{k, title={K},\n  crossref={nowhere}}\n", "refs.bib")
    sel = select(lib, _cited("k"))
    assert [r.key for r in sel.records] == ["k"]
    assert [str(m) for m in sel.missing] == ["refs.bib:1: the crossref of an entry names 'nowhere', "
                                             "which is in no .bib given"]


def test_combine_keeps_the_first_file_entry_and_warns():
    one = parse_bibtex_text("@misc{k, title={First}}\n", "one.bib")
    two = parse_bibtex_text("@misc{j, title={J}}\n\n@misc{k, title={Second}}\n", "two.bib")
    lib = combine([one, two])
    assert [r.key for r in lib] == ["k", "j"] and lib["k"].title == "First"
    [p] = [p for p in lib.problems if "also the key" in p.message]
    assert (p.source, p.line) == ("two.bib", 3) and "one.bib:1" in p.message


def test_a_parent_read_before_its_children_is_written_after_them():
    parents = parse_bibtex_text("@proceedings{p, title={P}, year={2019}, crossref={s}}\n"
                                "@proceedings{s, title={S}, year={2019}}\n", "parents.bib")
    children = parse_bibtex_text("@inproceedings{c1, title={C1}, crossref={p}}\n"
                                 "@inproceedings{c2, title={C2}, crossref={p}}\n"
                                 "@misc{m, title={M}, xdata={s}}\n", "children.bib")
    sel = select(combine([parents, children]), _cited("s", "c2", "p", "c1", "m"))
    keys = [r.key for r in sel.records]
    assert sorted(keys) == ["c1", "c2", "m", "p", "s"] and sel.parents == []
    for child, parent in (("c1", "p"), ("c2", "p"), ("p", "s"), ("m", "s")):
        assert keys.index(child) < keys.index(parent), keys


def test_a_key_in_utf8_as_pdflatex_and_xelatex_write_it(tmp_path):
    (tmp_path / "u.aux").write_bytes("\\relax \n\\citation{müller2020}\n".encode("utf-8"))
    lib = parse_bibtex_text("@misc{müller2020, title={M}, author={Müller, M}, year={2020}}\n", "refs.bib")
    sel = select(lib, read_aux(tmp_path / "u.aux"))
    assert [r.key for r in sel.records] == ["müller2020"] and not sel.missing


def test_bcf_glob_datasource_expands(tmp_path):
    (tmp_path / "refs").mkdir()
    for name in ("b.bib", "a.bib"):
        (tmp_path / "refs" / name).write_text("", encoding="utf-8")
    (tmp_path / "m.bcf").write_text(
        BCF_HEAD + '<bcf:bibdata section="0">\n'
        '<bcf:datasource type="file" datatype="bibtex" glob="true">refs/*.bib</bcf:datasource>\n'
        '<bcf:datasource type="file" datatype="bibtex" glob="false">x*.bib</bcf:datasource>\n'
        '</bcf:bibdata>\n</bcf:controlfile>\n', encoding="utf-8")
    cited = read_bcf(tmp_path / "m.bcf")
    assert [p for p, _ in cited.database_paths()] == [str(tmp_path / "refs" / "a.bib"),
                                                       str(tmp_path / "refs" / "b.bib"), str(tmp_path / "x*.bib")]
