"""RIS: written for Zotero (its RIS translator's tags), read back by rispy and by our reader."""
import json
import random
import re

import pytest
import rispy
from click.testing import CliRunner

import plm_bib
from plm_bib.cli import main
from plm_bib.csl import csl_type
from plm_bib.formats.ris import parse_ris, ris_value
from plm_bib.library import Library
from plm_bib.model import RESOURCE, Link, Person, Record

TAG_LINE = re.compile(r"[A-Z][A-Z0-9]  - .*")


@pytest.fixture(scope="module")
def ris_text(builtin):
    return plm_bib.export(builtin, "ris")


# -- Zotero-readiness: rispy reads every record back ----------------------------------------
def test_rispy_reads_one_reference_per_record_with_type_title_authors_year(builtin, ris_text):
    entries = rispy.loads(ris_text)  # rispy as it comes (its own tag table and list rules)
    assert len(entries) == len(builtin) == 32
    by_id = {e["id"]: e for e in entries}
    assert set(by_id) == set(builtin.keys())
    # the types by what each record is (Zotero: CONF conferencePaper, GEN its preprints, BLOG, SLIDE, COMP, ELEC)
    want = {"liu2019roberta": "GEN", "zhang2020ebert": "GEN", "ymcui_nlpcc": "SLIDE", "github_bert": "COMP",
            "zhihu_transformer": "ELEC"}
    for r in builtin:
        e = by_id[r.key]
        if r.key in want:
            assert e["type_of_reference"] == want[r.key], r.key
        elif r.kind == RESOURCE:
            assert e["type_of_reference"] == "BLOG", r.key  # the 16 blog posts
        else:
            assert e["type_of_reference"] == "CONF", r.key  # the 11 conference papers
        assert e["title"] == r.title
        assert e.get("authors", []) == [f"{p.family}, {p.given}" if p.given else p.family for p in r.authors]
        assert e.get("year") == (str(r.year) if r.year else None)


def test_bert_as_zotero_reads_a_conference_paper(ris_text):
    entry = ris_text.split("ER  - \r\n\r\n")[0]
    lines = entry.split("\r\n")[:-1]
    assert all(TAG_LINE.fullmatch(line) for line in lines), lines
    tags = [line[:2] for line in lines]
    assert tags[:2] == ["TY", "TI"] and tags[-1] == "ID"
    # Zotero's RIS translator: conferenceName in T2, proceedingsTitle in C3, the place in C1
    assert "T2  - NAACL-HLT 2019" in lines
    assert any(line.startswith("C3  - Proceedings of the 2019 Conference of the North American") for line in lines)
    assert "C1  - Minneapolis, Minnesota" in lines and not any(t == "CY" for t in tags)
    assert "DA  - 2019/06//" in lines and "PY  - 2019" in lines
    assert "SP  - 4171" in lines and "EP  - 4186" in lines
    assert "DO  - 10.18653/v1/N19-1423" in lines
    assert [line for line in lines if line.startswith("UR")] == [
        "UR  - https://aclanthology.org/N19-1423", "UR  - https://nlp.stanford.edu/seminar/details/jdevlin.pdf"]
    assert "ID  - devlin2019bert" in lines


def test_crlf_line_ends_and_utf8(ris_text):
    assert "\n" not in ris_text.replace("\r\n", "")
    assert "TI  - 一文了解预训练语言模型\r\n" in ris_text


def test_one_value_one_line_whatever_the_text():
    hostile = Record(key="h", title="Line one\nER  - \r\nTY  - JOUR\x00\ttab\u2028end", entry_type="article",
                     journal="J\nX", authors=(Person("Doe\n", "Jane\r"),), notes=("a\n\nb",), year=2020)
    text = plm_bib.export(Library([hostile]), "ris")
    lines = text.split("\r\n")
    assert all(TAG_LINE.fullmatch(line) or line in ("ER  - ", "") for line in lines), lines
    assert "TI  - Line one ER  - TY  - JOUR  tab end" in lines  # (line breaks one space, NUL and tab a space each)
    entries = rispy.loads(text)
    assert len(entries) == 1 and entries[0]["title"] == "Line one ER  - TY  - JOUR  tab end"
    assert entries[0]["authors"] == ["Doe, Jane"] and entries[0]["notes"] == ["a b"]
    assert ris_value(" \x1f a \x85 b ") == "a b"


# -- reading --------------------------------------------------------------------------------
ZOTERO_EXPORT = """\
TY  - JOUR\r
TI  - A Journal Paper\r
AU  - van den Berg, Jan\r
AU  - King, Martin, Jr.\r
AU  - OpenAI\r
T2  - Journal of Things\r
AB  - An abstract.\r
DA  - 2020/10/14/\r
PY  - 2020\r
DO  - https://doi.org/10.1234/ABC.5\r
VL  - 12\r
IS  - 3\r
SP  - 45\r
EP  - 67\r
J2  - J. Things\r
LA  - en\r
SN  - 1234-5678\r
UR  - https://example.org/paper;jsessionid=1\r
UR  - https://example.org/paper.pdf\r
KW  - alpha\r
KW  - beta\r
N1  - A note\r
M2  - kept aside\r
ER  - \r
\r
TY  - CPAPER\r
TI  - A Proceedings Paper\r
AU  - Lee, Ann\r
BT  - Proceedings of the Conference\r
CY  - Berlin\r
PY  - 2019\r
SP  - 7\r
PB  - ACM\r
ER  - \r
"""


def test_a_zotero_style_export_reads_field_by_field():
    lib = parse_ris(ZOTERO_EXPORT, "z.ris")
    assert not lib.problems
    j, c = lib
    assert (j.entry_type, j.title, j.journal, j.volume, j.number, j.pages) == (
        "article", "A Journal Paper", "Journal of Things", "12", "3", "45--67")
    assert [(p.family, p.given, p.suffix) for p in j.authors] == [
        ("van den Berg", "Jan", ""), ("King", "Martin", "Jr."), ("OpenAI", "", "")]
    assert (j.year, j.month, j.extra["day"]) == (2020, 10, "14")
    assert j.doi == "10.1234/ABC.5"
    assert [u.url for u in j.urls] == ["https://example.org/paper;jsessionid=1", "https://example.org/paper.pdf"]
    assert j.notes == ("A note",) and j.language == "en" and j.extra["issn"] == "1234-5678"
    assert j.extra["keywords"] == "alpha, beta" and j.extra["abstract"] == "An abstract."
    assert j.extra["shortjournal"] == "J. Things" and j.extra["ris-M2"] == "kept aside"
    assert j.line == 1 and j.origin == "z.ris"
    assert (c.entry_type, c.booktitle, c.address, c.year, c.pages, c.publisher) == (
        "inproceedings", "Proceedings of the Conference", "Berlin", 2019, "7", "ACM")
    assert c.line == 26 and c.extra["ris-TY"] == "CPAPER"


def test_bad_input_is_reported_with_its_line_and_the_rest_reads():
    text = ("junk before\n"            # 1: outside a reference
            "TY  - JOUR\n"              # 2
            "not a tag\n"               # 3: no tag right after TY
            "TI  - First\n"             # 4
            "TY  - BOOK\n"              # 5: a new reference without ER before it
            "AU  - Doe, Jane\n"         # 6: no title
            "ER  - \n"                  # 7
            "TY  - GEN\n"               # 8
            "TI  - Last, with no ER\n")  # 9: the file ends
    lib = parse_ris(text, "bad.ris")
    assert [r.title for r in lib] == ["First", "", "Last, with no ER"]
    assert [r.line for r in lib] == [2, 5, 8]
    want = [(1, "RIS: a line outside a reference"), (2, "RIS: the reference of line 2 has no ER line: it ends "
             "where the next one starts (line 5)"), (3, "RIS: a line that is no tag right after TY"),
            (5, "RIS: the reference has no title (TI)"), (8, "RIS: the reference of line 8 has no ER line (the file")]
    assert len(lib.problems) == len(want)
    for p, (line, start) in zip(lib.problems, want):
        assert p.line == line and p.message.startswith(start), (p, line, start)
    assert all(str(p).startswith(f"bad.ris:{p.line}: ") for p in lib.problems)


def test_a_byte_order_mark_and_tags_with_one_space_read():
    lib = parse_ris("\ufeffTY - JOUR\nTI - One space\nAU - Doe, Jane\nER -\n  TY  - BOOK\n  TI  - Indented\nER  - \n")
    assert [r.title for r in lib] == ["One space", "Indented"] and not lib.problems
    assert lib[0].authors == (Person("Doe", "Jane"),) and lib[1].entry_type == "book"


# -- round trips ----------------------------------------------------------------------------
TEXT_FIELDS = ("title", "venue", "booktitle", "journal", "volume", "number", "pages", "doi", "publisher", "address",
               "language")


def carried(r):
    """The values RIS carries, as a dict (the record's type as CSL names it)."""
    d = {f: getattr(r, f) or None for f in TEXT_FIELDS}
    d.update(year=r.year, month=r.month, type=(r.kind, csl_type(r)), urls=[u.url for u in r.urls],
             authors=[(p.prefix, p.family, p.given, p.suffix) for p in r.authors],
             arxiv=r.ids.get("arxiv") if r.venue == "arXiv" else None)  # (a preprint's: its number)
    return d


def _line(v):
    return ris_value(v) or None if isinstance(v, str) else v


def ris_can_carry(r):
    """What RIS gives back of ``r``: by hand, the losses of the format (and of Zotero's reading)
    applied: a value is one line; a particle is part of the family name; the family name ends at
    its first comma; a CSL type RIS has no type for comes back as the nearest."""
    d = {k: _line(v) for k, v in carried(r).items()}
    people = []
    for prefix, family, given, suffix in d["authors"]:
        if (prefix, family, given, suffix) == ("", "others", "", ""):
            continue  # "and others": RIS has no et al.
        text = ", ".join(x for x in (ris_value(f"{prefix} {family}"), ris_value(given), ris_value(suffix)) if x) \
            if (given or suffix) else ris_value(f"{prefix} {family}")
        fam, _, rest = text.partition(",")
        giv, _, suf = rest.partition(",")
        if text:  # (an empty name is no AU line)
            people.append(("", fam.strip(), giv.strip(), suf.strip()))
    d["authors"] = people
    d["urls"] = [ris_value(u) for u in d["urls"]]
    if csl_type(r) in ("book", "report"):
        d["booktitle"] = d["journal"] = None  # BOOK's and RPRT's T2 is their series: no tag for a container
    if d["type"] == ("paper", "article") and r.venue == "arXiv":
        d["publisher"] = None  # a preprint's publisher arXiv is read as its venue (the CSL reader's rule)
    d["type"] = (d["type"][0], {"post": "webpage", "article": "document"}.get(d["type"][1], d["type"][1])
                 if not (d["type"][1] == "article" and r.venue == "arXiv") else "article")
    return d


def test_round_trip_of_the_built_in_list(builtin, ris_text):
    back = parse_ris(ris_text, "refs.ris")
    assert not back.problems and back.keys() == builtin.keys()
    lost = set()
    for r in builtin:
        b = back[r.key]
        assert carried(b) == ris_can_carry(r), r.key
        lost |= {k for k, v in carried(r).items() if carried(b)[k] != v}
        assert b.notes == r.notes + (("arXiv version 1",) if r.key == "zhang2020ebert" else ())  # (its BibTeX note)
    # exactly this is lost: the Q&A page's type (RIS has none: Zotero's forum post is ICOMM, read as email)
    # and the preprints' publisher arXiv (read as their venue, as from CSL-JSON)
    assert lost == {"type", "publisher"} and back["zhihu_transformer"].resource_kind is None
    assert back["liu2019roberta"].venue == "arXiv" and back["liu2019roberta"].ids["arxiv"] == "1907.11692"


def test_round_trip_of_a_corpus_sample_loses_only_what_the_format_cannot_carry(shared_data):
    from bib_corpus import bib_files, corpus_records, unique_keys

    from plm_bib.keys import keyed

    records = corpus_records(list(bib_files(shared_data)))
    sample, _ = keyed(unique_keys(random.Random(21).sample(records, min(3000, len(records)))))
    lib = Library(sample)
    # the reference: the same records through CSL-JSON (RIS is written from the CSL item)
    via_csl = plm_bib.parse_csl_json(lib.to_csl_json())
    back = parse_ris(plm_bib.export(lib, "ris"), "sample.ris")
    assert back.keys() == via_csl.keys() == lib.keys()
    assert {p.message for p in back.problems} <= {"RIS: the reference has no title (TI)"}
    lost = set()
    for r in via_csl:
        got, want = carried(back[r.key]), ris_can_carry(r)
        assert got == want, (r.key, {k: (got[k], want[k]) for k in got if got[k] != want[k]})
        lost |= {k for k, v in carried(r).items() if got[k] != v}
    # the losses declared in ris_can_carry, and only they, happen in the sample: names (et al., particles, a
    # comma in a family name), a book's container title, URLs with line breaks in them
    assert lost == {"authors", "booktitle", "urls"}


# -- the command line -----------------------------------------------------------------------
def test_cli_writes_ris_by_name_and_suffix_and_reads_it(tmp_path):
    runner = CliRunner()
    out = tmp_path / "refs.ris"
    assert runner.invoke(main, ["export", "-o", str(out)]).exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"TY  - CONF\r\n") and data.count(b"\r\nER  - \r\n") == 32
    res = runner.invoke(main, ["export", "-f", "ris"])
    assert res.exit_code == 0 and res.stdout_bytes == data
    res = runner.invoke(main, ["export", str(out), "-f", "bibtex"])
    assert res.exit_code == 0, res.output
    assert res.output.count("\n@") + res.output.startswith("@") == 32
    assert "@inproceedings{devlin2019bert," in res.output and "pages = {4171--4186}" in res.output
    res = runner.invoke(main, ["formats"])
    assert re.search(r"^ris +\.ris ", res.output, re.M)
    # the input rewritten in its own format only with --in-place
    assert runner.invoke(main, ["export", str(out), "-o", str(out)]).exit_code == 2
    assert runner.invoke(main, ["export", str(out), "-o", str(out), "--in-place", "-q"]).exit_code == 0
    assert out.read_bytes() == data
    lib = plm_bib.read(str(out))
    assert len(lib) == 32 and lib["devlin2019bert"].booktitle.startswith("Proceedings of the 2019")
    assert json.loads(lib.to_csl_json())[0]["type"] == "paper-conference"


def test_a_record_without_links_writes_its_csl_url():
    r = Record(key="k", title="T", urls=(), extra={"csl-URL": "https://x.org/a"})
    assert "UR  - https://x.org/a\r\n" in plm_bib.export(Library([r]), "ris")
    r = Record(key="k", title="T", urls=(Link("https://a.org", "paper"), Link("https://b.org/c.pdf", "pdf")))
    assert plm_bib.export(Library([r]), "ris").count("UR  - ") == 2
