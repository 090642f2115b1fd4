"""Hayagriva YAML: Typst reads what we write, and every value comes back from YAML exactly."""
import pytest
import yaml
from click.testing import CliRunner
from conftest import need, read_pdf

import plm_bib
from plm_bib.cli import main
from plm_bib.library import Library
from plm_bib.model import Person, Record


@pytest.fixture(scope="module")
def entries(builtin):
    return yaml.safe_load(plm_bib.export(builtin, "hayagriva"))


def test_one_entry_per_record_under_its_key(builtin, entries):
    assert list(entries) == builtin.keys()


def test_types_and_parents_as_the_file_format_has_them(builtin, entries):
    bert, rob = entries["devlin2019bert"], entries["liu2019roberta"]
    r = builtin["devlin2019bert"]
    assert bert["type"] == "article" and bert["parent"]["type"] == "proceedings"
    assert bert["parent"]["title"] == r.booktitle
    assert bert["parent"]["publisher"] == {"name": r.publisher, "location": r.address}
    assert bert["author"] == ["Devlin, Jacob", "Chang, Ming-Wei", "Lee, Kenton", "Toutanova, Kristina"]
    assert (bert["date"], bert["page-range"], bert["doi"]) == ("2019-06", "4171-4186", "10.18653/v1/N19-1423")
    assert bert["url"] == "https://aclanthology.org/N19-1423" and bert["language"] == "en-US"
    # a preprint: an article whose parent is the repository arXiv, its id the arxiv serial number
    assert rob["type"] == "article" and rob["parent"] == {"type": "repository", "title": "arXiv"}
    assert rob["serial-number"] == {"arxiv": "1907.11692"} and rob["date"] == "2019-07"
    blog = entries["weixin_yiwenliaojie"]
    assert blog["type"] == "article" and blog["parent"] == {"type": "blog", "title": "WeChat"}
    assert entries["github_bert"]["type"] == "repository"
    icml = entries["houlsby2019parameter"]
    assert icml["parent"]["editor"] == ["Chaudhuri, Kamalika", "Salakhutdinov, Ruslan"]


def test_journal_thesis_report_and_names_with_particles():
    lib = Library([
        Record(key="j", title="J", entry_type="article", journal="Journal X", volume="12", number="3", year=2020,
               month=10, pages="1--9", authors=(Person("Neumann", "John", prefix="von", suffix="Jr."),
                                                Person("King, Jr", "M"), Person("王", "小明"))),
        Record(key="t", title="T", entry_type="phdthesis", year=2001, extra={"school": "Universit\\\"at X"}),
        Record(key="r", title="R", entry_type="techreport", number="TR-7", extra={"institution": "Lab"})])
    e = yaml.safe_load(plm_bib.export(lib, "hayagriva"))
    assert e["j"]["parent"] == {"type": "periodical", "title": "Journal X", "volume": "12", "issue": "3"}
    assert e["j"]["author"] == [{"name": "Neumann", "given-name": "John", "prefix": "von", "suffix": "Jr."},
                                {"name": "King, Jr", "given-name": "M"}, "王, 小明"]
    assert e["t"] == {"type": "thesis", "title": "T", "date": "2001", "publisher": "Universität X"}
    assert e["r"] == {"type": "report", "title": "R", "publisher": "Lab", "serial-number": {"serial": "TR-7"}}


def hayagriva_text(text):
    """Hayagriva's own escape, by hand: a backslash before each backslash, brace and dollar."""
    return "".join("\\" + c if c in "\\{}$" else c for c in text)


def test_a_hostile_record_round_trips_through_safe_load_exactly():
    title = 'He said "no": #1 {brace} [x]\n- dash\nkey: value & *star !bang %pct @at | > \\ $m$ yes null 1e3 }'
    people = (Person('O"Neil', "- Ann: B"), Person("#x", "{y}"))
    r = Record(key="k-1", title=title, entry_type="article", journal="no {j}", volume="010", authors=people,
               urls=(), doi="10.1/a:b#c", year=2020)
    text = plm_bib.export(Library([r]), "hayagriva")
    e = yaml.safe_load(text)["k-1"]
    # YAML gives back every value exactly; in Hayagriva's formattable strings (titles) with its escape
    assert e["title"] == hayagriva_text(title) and e["title"].count("\\{") == 1
    assert e["author"] == ['O"Neil, - Ann: B', "#x, {y}"]  # (names are not formattable strings)
    assert e["parent"] == {"type": "periodical", "title": "no \\{j\\}", "volume": "010"}  # strings stay strings
    assert e["doi"] == "10.1/a:b#c" and e["date"] == "2020"
    assert all(line.startswith(("\"", " ", "-")) for line in text.splitlines())  # every scalar is quoted


def test_typst_compiles_a_document_citing_two_records(tmp_path, builtin):
    typst = need("typst")
    hostile = Record(key="hostile", title="Braces {x} and $y$ or } alone", entry_type="article", journal="J",
                     authors=(Person("Doe", "Jane"),), year=2021)
    (tmp_path / "refs.yml").write_text(plm_bib.export(builtin.with_records(list(builtin) + [hostile]), "hayagriva"),
                                       encoding="utf-8")
    (tmp_path / "main.typ").write_text(
        "See @devlin2019bert and @liu2019roberta, @hostile.\n\n#bibliography(\"refs.yml\", style: \"ieee\")\n",
        encoding="utf-8")
    pdf = typst.compile(str(tmp_path / "main.typ"), root=str(tmp_path))
    (tmp_path / "main.pdf").write_bytes(pdf)
    _, text, _ = read_pdf(tmp_path / "main.pdf")
    assert "See [1] and [2], [3]." in text
    assert "Braces {x} and $y$ or } alone" in text  # printed as written
    assert "J. Devlin, M.-W. Chang, K. Lee, and K. Toutanova" in text
    assert "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding" in text
    assert "Y. Liu" in text and "RoBERTa: A Robustly Optimized BERT Pretraining Approach" in text
    assert "pp. 4171–4186" in text


def test_typst_reads_the_hayagriva_of_a_corpus_sample(tmp_path, shared_data):
    import random

    from bib_corpus import bib_files, corpus_records, unique_keys

    from plm_bib.keys import keyed

    typst = need("typst")
    records = corpus_records(list(bib_files(shared_data)))
    sample, _ = keyed(unique_keys(random.Random(5).sample(records, min(1500, len(records)))))
    (tmp_path / "refs.yml").write_text(plm_bib.export(Library(sample), "hayagriva"), encoding="utf-8")
    (tmp_path / "main.typ").write_text('#bibliography("refs.yml", full: true)\n', encoding="utf-8")
    # a value Hayagriva cannot read (an unmatched brace, a URL or language it cannot parse) fails the whole file
    pdf = typst.compile(str(tmp_path / "main.typ"), root=str(tmp_path))
    assert pdf[:5] == b"%PDF-"


def test_cli_by_name_and_by_suffix(tmp_path):
    runner = CliRunner()
    for name in ("refs.yml", "refs.hayagriva.yml", "refs.hayagriva.yaml"):
        out = tmp_path / name
        assert runner.invoke(main, ["export", "-o", str(out)]).exit_code == 0
        assert "devlin2019bert" in yaml.safe_load(out.read_text(encoding="utf-8")), name
    res = runner.invoke(main, ["export", "-f", "hayagriva"])
    assert res.exit_code == 0 and res.output == (tmp_path / "refs.yml").read_text(encoding="utf-8")
    assert runner.invoke(main, ["export", "-f", "typst"]).output == res.output  # the alias
    res = runner.invoke(main, ["export", str(tmp_path / "refs.yml")])  # not read back: said so, with the file
    assert res.exit_code == 2 and "refs.yml:1: a Hayagriva file" in res.stderr
