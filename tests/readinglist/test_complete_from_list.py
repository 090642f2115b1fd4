"""Issue 19 item 3: a record complete from the list alone.

A venue claim the registry knows gives the record its entry type, proceedings title or
journal, and publisher, with provenance ``list`` (the lowest rank: a source or the curated
file replaces them), while ``check`` still calls the record unverified.  The expected titles
are the proceedings' own (ACL 2018's first volume: "Proceedings of the 56th Annual Meeting
of the Association for Computational Linguistics (Volume 1: Long Papers)")."""
import json
import re
import subprocess

import pytest
from conftest import need_tools

import plm_bib
from plm_bib.curation.check import check
from plm_bib.formats import export
from plm_bib.identity import merge_found
from plm_bib.model import Record
from plm_bib.sources.registry import PRECEDENCE

ACL2018 = ("Proceedings of the 56th Annual Meeting of the Association for Computational Linguistics "
           "(Volume 1: Long Papers)")
ACL_PUB = "Association for Computational Linguistics"
CLAIM_ONLY = "# Papers\n\n- Some Title. A. Author. ACL 2018. [pdf](https://example.org/some.pdf)\n"
ZH_JOURNAL = ("# 论文\n\n- **基于预训练模型的中文命名实体识别**. *曾小明, 单田芳, 解晓东*. 中文信息学报 2021. "
              "[pdf](https://example.org/zh.pdf)\n")


@pytest.fixture(scope="module")
def claim_only():
    return plm_bib.parse_markdown(CLAIM_ONLY, "list.md")


@pytest.fixture(scope="module")
def zh_journal():
    return plm_bib.parse_markdown(ZH_JOURNAL, "zh.md")


def test_claim_only_record_is_complete(claim_only):
    (r,) = claim_only
    assert (r.title, r.entry_type, r.venue, r.year) == ("Some Title", "inproceedings", "ACL", 2018)
    assert [(a.given, a.family) for a in r.authors] == [("A.", "Author")]
    assert (r.booktitle, r.publisher, r.journal) == (ACL2018, ACL_PUB, None)
    assert r.provenance["booktitle"] == r.provenance["publisher"] == "list"
    assert r.provenance["venue"] == "list"


def _bib_fields(text):
    return dict(re.findall(r"^\s+(\w+) = \{(.*)\},?$", text, re.M))


def test_claim_only_record_exported_complete_in_bibtex_biblatex_csl(claim_only):
    bib = export(claim_only, "bibtex")
    assert bib.lstrip().startswith("@inproceedings{")
    f = _bib_fields(bib)
    assert (f["author"], f["title"], f["booktitle"], f["year"], f["publisher"]) == \
        ("Author, A.", "Some Title", ACL2018, "2018", ACL_PUB)
    blx = _bib_fields(export(claim_only, "biblatex"))
    assert (blx["booktitle"], blx["date"], blx["publisher"]) == (ACL2018, "2018", ACL_PUB)
    (item,) = json.loads(export(claim_only, "csl-json"))
    assert (item["type"], item["container-title"], item["publisher"]) == ("paper-conference", ACL2018, ACL_PUB)
    assert item["issued"] == {"date-parts": [[2018]]}


def test_styles_print_no_dangling_in(claim_only):
    text = export(claim_only, "text", style="apa")
    assert ACL2018 in text
    assert not re.search(r"\bIn\s*[.,(]|\bIn\s*$", text)


def test_check_still_says_unverified(claim_only):
    kinds = [f.kind for f in check(claim_only)]
    assert "unverified" in kinds


def test_chinese_journal_claim_gives_an_article(zh_journal):
    (r,) = zh_journal
    # no publisher: an article's entry has none (biblatex's data model rejects the field)
    assert (r.entry_type, r.journal, r.booktitle, r.publisher) == ("article", "中文信息学报", None, None)
    bib = export(zh_journal, "bibtex")
    assert bib.lstrip().startswith("@article{")
    assert _bib_fields(bib)["journal"] == "中文信息学报"
    assert _bib_fields(export(zh_journal, "biblatex"))["journaltitle"] == "中文信息学报"
    (item,) = json.loads(export(zh_journal, "csl-json"))
    assert (item["type"], item["container-title"]) == ("article-journal", "中文信息学报")


def test_english_record_in_a_chinese_journal_names_it_in_english():
    lib = plm_bib.parse_markdown("# L\n\n- A Survey of Parsing. A. Author, B. Writer. 计算机学报, 2020. "
                                 "[pdf](https://example.org/x.pdf)\n")
    assert (lib[0].entry_type, lib[0].journal) == ("article", "Chinese Journal of Computers")


def test_a_workshop_claim_gets_no_main_proceedings_title():
    lib = plm_bib.parse_markdown("# L\n\n- Some Title. A. Author, B. Writer. (ACL2020 WS) "
                                 "[pdf](https://example.org/w.pdf)\n")
    (r,) = lib
    assert (r.venue, r.track) == ("ACL", "workshop")
    assert r.provenance["track"] == "list"
    assert (r.booktitle, r.publisher) == (None, None)  # which workshop, and who published it, is unknown


def test_a_demo_claim_gets_the_demo_volume():
    (r,) = plm_bib.parse_markdown("# L\n\n- Some Title. A. Author, B. Writer. (ACL2020 Demo) "
                                  "[pdf](https://example.org/d.pdf)\n")
    assert (r.venue, r.track) == ("ACL", "demos")
    assert r.booktitle == ("Proceedings of the 58th Annual Meeting of the Association for Computational "
                           "Linguistics: System Demonstrations")


def test_a_claim_that_is_the_second_word_of_a_phrase_is_no_venue():
    # "NUSE NAACL 2021" is a workshop at NAACL: not NAACL's main proceedings
    (r,) = plm_bib.parse_markdown("# L\n\n- Some Title. A. Author, B. Writer. NUSE NAACL 2021. "
                                  "[pdf](https://example.org/n.pdf)\n")
    assert r.booktitle is None


def test_unknown_venue_gets_nothing_invented():
    lib = plm_bib.parse_markdown("# L\n\n- Some Title. A. Author, B. Writer. FOOBARCONF 2020. "
                                 "[pdf](https://example.org/u.pdf)\n")
    (r,) = lib
    assert (r.booktitle, r.journal, r.publisher) == (None, None, None)


def test_fields_come_after_listings_merge():
    # the claim is on the second listing of the same item: the merged record is complete
    text = ("# L\n\n## A\n\n- Some Title Of A Paper. [pdf](https://example.org/same.pdf)\n\n"
            "## B\n\n- Some Title Of A Paper. EMNLP 2020. [pdf](https://example.org/same.pdf)\n")
    lib = plm_bib.parse_markdown(text)
    (r,) = lib
    assert r.booktitle == ("Proceedings of the 2020 Conference on Empirical Methods in Natural Language "
                           "Processing (EMNLP)")


# -- precedence -------------------------------------------------------------------------
def test_a_source_replaces_list_derived_fields(claim_only):
    (r,) = claim_only
    found = Record(key="", title="Some Title", venue="ACL", year=2018, entry_type="inproceedings",
                   booktitle="Proceedings of ACL (as the source writes it)", pages="1--10")
    merged = merge_found(r, found, "acl", PRECEDENCE)
    assert merged.booktitle == "Proceedings of ACL (as the source writes it)"
    assert merged.provenance["booktitle"] == "acl"
    assert merged.publisher == ACL_PUB and merged.provenance["publisher"] == "list"  # same venue: kept


def test_a_source_naming_another_venue_drops_list_derived_fields(claim_only):
    (r,) = claim_only
    found = Record(key="", title="Some Title", venue="EMNLP", year=2018, entry_type="inproceedings")
    merged = merge_found(r, found, "dblp", PRECEDENCE)
    assert merged.venue == "EMNLP"
    assert (merged.booktitle, merged.publisher) == (None, None)
    assert "booktitle" not in merged.provenance


def test_curated_records_carry_no_list_derived_field(builtin):
    curated = [r for r in builtin if r.provenance.get("title") == "curated"]
    assert curated
    for r in curated:
        assert "list" not in {r.provenance.get(f) for f in ("booktitle", "journal", "publisher", "address")}, r.key


# -- real tools read it -----------------------------------------------------------------
def _run(args, cwd):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)


def _both(claim_only, zh_journal):
    return plm_bib.Library(list(claim_only) + list(zh_journal))


def test_bibtex_plain_reads_it_with_no_warning(tmp_path, claim_only, zh_journal):
    need_tools("bibtex", "pdflatex")
    lib = _both(claim_only, zh_journal)
    (tmp_path / "refs.bib").write_text(export(lib, "bibtex"), encoding="utf-8")
    (tmp_path / "t.tex").write_text("\\documentclass{article}\\usepackage{url}\\begin{document}\\nocite{*}"
                                    "\\bibliographystyle{plain}\\bibliography{refs}\\end{document}\n")
    _run(["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "t.tex"], tmp_path)
    out = _run(["bibtex", "t"], tmp_path)
    assert out.returncode == 0, out.stdout
    assert "Warning--" not in out.stdout and "error" not in out.stdout.lower(), out.stdout
    bbl = (tmp_path / "t.bbl").read_text(encoding="utf-8")
    assert bbl.count("\\bibitem") == 2
    assert "Proceedings of the 56th Annual Meeting" in bbl and "中文信息学报" in bbl


def test_biber_reads_it_with_no_warning(tmp_path, claim_only, zh_journal):
    need_tools("biber", "pdflatex")
    lib = _both(claim_only, zh_journal)
    (tmp_path / "refs.bib").write_text(export(lib, "biblatex"), encoding="utf-8")
    out = _run(["biber", "--tool", "--validate-datamodel", "refs.bib"], tmp_path)
    assert out.returncode == 0, out.stdout + out.stderr
    assert not [ln for ln in (out.stdout + out.stderr).splitlines() if ln.startswith(("WARN", "ERROR"))], out.stdout
    (tmp_path / "t.tex").write_text("\\documentclass{article}\\usepackage[backend=biber]{biblatex}"
                                    "\\addbibresource{refs.bib}\\begin{document}\\nocite{*}"
                                    "\\printbibliography\\end{document}\n")
    _run(["pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "t.tex"], tmp_path)
    out = _run(["biber", "t"], tmp_path)
    assert out.returncode == 0, out.stdout
    assert not [ln for ln in out.stdout.splitlines() if ln.startswith(("WARN", "ERROR"))], out.stdout
    bbl = (tmp_path / "t.bbl").read_text(encoding="utf-8")
    assert bbl.count("\\entry{") == 2 and "Proceedings of the 56th Annual Meeting" in bbl


def test_a_venue_written_out_is_the_container_when_the_registry_has_no_title_that_year():
    # CCL's titles are known from 2020; a claim that writes the name out gives it as written (no
    # publisher: the registry's is not known for that year); a short claim gives nothing invented
    lib = plm_bib.parse_markdown("- 曾小明, 沈大力. 中文分词方法研究[C]. 第十届中国计算语言学大会, 2011.\n"
                                 "- A Study of Segmentation. John Smith. CCL 2011.\n", "t.md")
    zh, en = lib
    assert (zh.venue, zh.booktitle, zh.publisher, zh.provenance["booktitle"]) == \
        ("CCL", "第十届中国计算语言学大会", None, "list")
    assert (en.venue, en.booktitle, en.publisher) == ("CCL", None, None)
