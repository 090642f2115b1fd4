"""Chinese authors and the language of Chinese records in every output (issue 19, items 1 and 5):
``Family, Given`` in BibTeX, read back by our reader and by biber with the right family name;
``language = {chinese}`` (BibTeX), ``langid = {chinese}`` (biblatex: babel's and polyglossia's
name, accepted by biber), ``"language": "zh-CN"`` (CSL); a stated language kept; styles set a
Chinese name surname first with no space, never as initials."""
import json
import os
import re
import shutil
import subprocess

import pytest

import plm_bib
from plm_bib.bibtex import parse_bibtex, records_to_bibtex
from plm_bib.identity import authors_agree
from plm_bib.model import Person

ITEM = ("1. **基于预训练模型的中文命名实体识别**. *曾小明, 单田芳, 欧阳娜娜*. 中文信息学报 2021. "
        "[pdf](https://example.org/ner.pdf)\n")
AUTHORS = (Person("曾", "小明"), Person("单", "田芳"), Person("欧阳", "娜娜"))


def listed():
    lib = plm_bib.parse_markdown(ITEM, "t.md")
    assert len(lib) == 1 and lib[0].authors == AUTHORS
    return lib


@pytest.mark.parametrize("biblatex", [False, True])
def test_chinese_authors_are_written_family_given_and_read_back(biblatex):
    text = records_to_bibtex(list(listed()), biblatex=biblatex)
    assert "author = {曾, 小明 and 单, 田芳 and 欧阳, 娜娜}" in text
    back, problems, _ = parse_bibtex(text, "x.bib")
    assert problems == [] and back[0].authors == AUTHORS


def test_the_language_of_a_chinese_title_in_each_format():
    lib = listed()
    assert lib[0].language == "zh"
    classic = plm_bib.export(lib, "bibtex")
    assert "language = {chinese}" in classic and "langid" not in classic
    bl = plm_bib.export(lib, "biblatex")
    # biblatex prints its language field ("chinese" in every entry); langid it never prints
    assert "langid = {chinese}" in bl and not re.search(r"^\s*language\s*=", bl, re.M)
    item = json.loads(plm_bib.export(lib, "csl-json"))[0]
    assert item["language"] == "zh-CN"
    assert item["author"][:1] == [{"family": "曾", "given": "小明"}]  # CSL keeps the parts


def test_japanese_and_korean_titles_are_not_chinese():
    lib = plm_bib.parse_markdown("- **自然言語処理の基礎**. 2020.\n- **한국어 자연어 처리**. 2021.\n", "t.md")
    assert [r.language for r in lib] == ["ja", "ko"]
    assert "langid = {japanese}" in plm_bib.export(lib, "biblatex")


def test_a_language_a_bib_states_is_kept():
    text = "@article{k,\n  title = {中文标题},\n  author = {曾小明},\n  language = {english},\n  year = {2020}\n}\n"
    records, _, _ = parse_bibtex(text, "x.bib")
    assert records[0].language == "english"
    assert "language = {english}" in records_to_bibtex(records)
    bl = records_to_bibtex(records, biblatex=True)
    assert "language = {english}" in bl and "langid" not in bl
    # a .bib that states chinese: CSL's tag for it
    records, _, _ = parse_bibtex(text.replace("english", "chinese"), "x.bib")
    assert plm_bib.csl.record_to_csl(records[0])["language"] == "zh-CN"


@pytest.mark.parametrize("style", ["gb7714", "apa", "ieee", "chicago", "plain", "unsrt", "acl"])
def test_styles_set_a_chinese_name_surname_first_with_no_space(style):
    text = plm_bib.format_bibliography(list(listed()), style)
    assert "曾小明" in text and "单田芳" in text and "欧阳娜娜" in text, text
    for wrong in ("小明 曾", "曾, 小", "曾 小明", "小. 曾"):
        assert wrong not in text, (wrong, text)


def test_the_reading_list_documents_set_chinese_names_whole():
    lib = listed()
    # the LaTeX document's own data: biblatex's styles would print 曾, 小明 given name first
    tex = plm_bib.export(lib, "reading-list-tex")
    assert "author = {曾小明 and 单田芳 and 欧阳娜娜}" in tex
    # the Typst document: the names in the entry, Han text set in Chinese (the CJK font)
    from plm_bib.render.pdf import typst_source

    src = typst_source(lib, style="gb7714")
    entry = next(line for line in src.splitlines() if "基于预训练模型" in line)
    assert "曾小明\\, 单田芳\\, 欧阳娜娜" in entry  # Typst text: its commas escaped
    assert '#show regex("\\p{Han}+"): set text(lang: "zh", region: "cn")' in src


def test_a_chinese_name_written_whole_or_split_is_the_same_author():
    assert authors_agree(Person("曾小明"), Person("曾", "小明"))
    assert not authors_agree(Person("曾小明"), Person("曾", "小红"))  # same surname, another person
    assert authors_agree(Person("曾", "小明"), Person("Zeng", "Xiaoming"))  # the surname's own reading
    assert authors_agree(Person("欧阳", "娜娜"), Person("Ouyang", "Nana"))


def test_biber_reads_the_family_name_and_accepts_the_langid(tmp_path):
    tools = ("xelatex", "biber")
    if any(shutil.which(t) is None for t in tools):
        if os.environ.get("CI"):
            pytest.fail(f"{tools} needed")
        pytest.skip("TeX tools not installed")
    (tmp_path / "refs.bib").write_text(plm_bib.export(listed(), "biblatex"), encoding="utf-8")
    # babel knowing Chinese, biblatex switching hyphenation by langid: a langid babel does not
    # know ("zh", "zh-CN") gives "No hyphenation patterns for 'zh'"
    (tmp_path / "t.tex").write_text(
        "\\documentclass{article}\\usepackage[UTF8,scheme=plain]{ctex}"
        "\\usepackage[english]{babel}\\babelprovide{chinese}\\usepackage{csquotes}"
        "\\usepackage[backend=biber,autolang=hyphen]{biblatex}\\addbibresource{refs.bib}"
        "\\begin{document}\\nocite{*}\\printbibliography\\end{document}\n", encoding="utf-8")

    def run(*args):
        return subprocess.run(list(args), cwd=tmp_path, capture_output=True, text=True, timeout=300)

    run("xelatex", "-no-shell-escape", "-interaction=nonstopmode", "t.tex")
    out = run("biber", "t")
    assert out.returncode == 0 and "WARN" not in out.stdout and "ERROR" not in out.stdout, out.stdout
    bbl = (tmp_path / "t.bbl").read_text(encoding="utf-8")
    assert "\\field{langid}{chinese}" in bbl
    for family, given in (("曾", "小明"), ("单", "田芳"), ("欧阳", "娜娜")):
        assert re.search(r"family=\{%s\},\s*familyi=\{[^}]*\},\s*given=\{%s\}" % (family, given), bbl), bbl
    second = run("xelatex", "-no-shell-escape", "-interaction=nonstopmode", "t.tex")
    log = (tmp_path / "t.log").read_text(encoding="utf-8", errors="replace")
    assert second.returncode == 0, log[-3000:]
    warnings = [w for w in re.findall(r"biblatex Warning: (.*)", log) if not w.startswith("Please rerun")]
    assert warnings == [] and "\n!" not in log, warnings


@pytest.mark.parametrize("style", ["acl", "apa"])
def test_year_suffixes_tell_chinese_authors_by_the_whole_name(style):
    # 曾小明 and 曾大力 share a surname, not a name: (曾小明, 2020) and (曾大力, 2020) need no
    # 2020a/2020b; the same person twice does
    two = plm_bib.parse_markdown("- **中文甲**. *曾小明, 李华*. 2020.\n- **中文乙**. *曾大力, 李华*. 2020.\n", "t.md")
    text = plm_bib.format_bibliography(list(two), style)
    assert "2020" in text and "2020a" not in text and "2020b" not in text, text
    same = plm_bib.parse_markdown("- **中文甲**. *曾小明, 李华*. 2020.\n- **中文乙**. *曾小明, 李华*. 2020.\n", "t.md")
    text = plm_bib.format_bibliography(list(same), style)
    assert "2020a" in text and "2020b" in text, text
