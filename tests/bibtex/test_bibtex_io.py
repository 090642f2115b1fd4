import bibtexparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import plm_bib
from plm_bib.bibtex import escape_latex, latex_to_text, protect_title

BROKEN = """@article{good1,
  author = {M{\\\"u}ller, Hans and van der Berg, Jan},
  title = {A {GPU} Study of \\& Things},
  journal = {Journal X},
  year = {2020},
  month = mar,
  pages = {1-10},
  keywords = {kept verbatim}
}

@article{broken,
  title = {Unclosed
  year = 2020

@inproceedings{good2,
  title = {Second},
  author = {Doe, Jane},
  booktitle = {Proc.},
  year = 2021
}
"""


def test_read_bibtex_keeps_good_entries_and_reports_broken(tmp_path):
    p = tmp_path / "x.bib"
    p.write_text(BROKEN, encoding="utf-8")
    lib = plm_bib.read_bibtex(p)
    assert "good1" in lib
    r = lib["good1"]
    assert [(a.family, a.given, a.prefix) for a in r.authors] == [("Müller", "Hans", ""), ("Berg", "Jan", "van der")]
    assert r.title == "A GPU Study of & Things"
    assert (r.month, r.pages) == (3, "1--10")
    assert r.extra["keywords"] == "kept verbatim"
    # the broken block is a Problem with its file and line; the entries around it load
    assert lib.keys() == ["good1", "good2"]
    assert [(q.source, q.line, q.level) for q in lib.problems] == [(str(p), 11, "error")]
    assert "@article{broken" in lib.problems[0].raw


def test_bibtex_roundtrip_keeps_fields():
    lib = plm_bib.parse_bibtex_text(BROKEN.split("@article{broken")[0])
    out = lib.to_bibtex()
    again = plm_bib.parse_bibtex_text(out)
    a, b = lib["good1"], again["good1"]
    for f in ("title", "authors", "year", "month", "pages", "journal"):
        assert getattr(a, f) == getattr(b, f), f
    assert b.extra["keywords"] == "kept verbatim"


@pytest.mark.parametrize("title", [
    r"\input{/etc/passwd}", r"\write18{rm -rf /}", "100% & #1 $x$ a_b ~ ^", "unbalanced { brace", "}{",
])
def test_hostile_titles_come_out_literally(title):
    esc = escape_latex(title)
    assert "\\input{" not in esc and "\\write18{" not in esc
    assert latex_to_text(esc) == title
    rec = plm_bib.Record(key="k", title=title)
    text = plm_bib.Library([rec]).to_bibtex()
    parsed = bibtexparser.parse_string(text)
    assert not parsed.failed_blocks and len(parsed.entries) == 1


def test_protect_title():
    assert protect_title("RoBERTa for English Tweets") == "{RoBERTa} for {English} {Tweets}"
    assert protect_title("Soft-Masked BERT") == "Soft-Masked {BERT}"


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_markdown_parser_never_raises(text):
    lib = plm_bib.parse_markdown(text)
    keys = lib.keys()
    assert len(set(keys)) == len(keys) and all(k.isascii() for k in keys)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80))
def test_written_bibtex_always_parses_back(title):
    text = plm_bib.Library([plm_bib.Record(key="", title=title)]).to_bibtex()
    parsed = bibtexparser.parse_string(text)
    assert not parsed.failed_blocks and len(parsed.entries) == 1


def test_shared_bib_corpora_load_or_fail_clearly(shared_data):
    """Every small .bib file of ../shared/data loads, or names its file and line (encoding)."""
    files = sorted(p for p in (shared_data / "bib").rglob("*.bib") if "large" not in p.parts)
    assert len(files) > 200
    loaded = 0
    for f in files:
        try:
            lib = plm_bib.read_bibtex(f)
        except plm_bib.InputError as e:
            assert str(f) in str(e) and e.line > 0
            continue
        loaded += 1
        assert all(p.line > 0 and p.source == str(f) for p in lib.problems)
    assert loaded >= len(files) - 5


# -- issue 15: a .bib round trip changes nothing; no value runs as TeX ------------------------
from plm_bib.bibtex import is_harmless_latex, parse_bibtex, records_to_bibtex  # noqa: E402
from plm_bib.model import Person, Record  # noqa: E402


def _again(text):
    """Records of ``text``, written and read back: (first, second, written text, problems)."""
    first, problems, _ = parse_bibtex(text, "in.bib")
    out = records_to_bibtex(first)
    second, _, _ = parse_bibtex(out, "out.bib")
    return first, second, out, problems


def _same_records(a, b):
    for x, y in zip(a, b):
        dx, dy = x.to_dict(), y.to_dict()
        for d in (dx, dy):
            for k in ("source", "line", "lines"):
                d.pop(k)
        assert dx == dy
    assert len(a) == len(b)


def test_braced_names_keep_their_parts():
    # item 6: {Google Research} read back as given "Google"; {van der Berg} got a prefix
    first, second, out, _ = _again("@misc{a, title={T}, author={{Google Research} and {van der Berg}, Jan}}\n")
    assert [(p.family, p.given, p.prefix) for p in second[0].authors] == \
        [("Google Research", "", ""), ("van der Berg", "Jan", "")]
    assert "{{Google Research} and {van der Berg}, Jan}" in out
    _same_records(first, second)


def test_names_from_text_are_escaped_and_keep_their_parts():
    # item 2: a braced name from a Markdown list reached TeX raw (^^5c is a backslash)
    people = (Person(family="{S}^^5cinput^^7b/etc/passwd^^7d", given="Ann"), Person(family="Google Research"),
              Person(family="van der Berg", given="Jan"), Person(family="R&D {Team} 100%", given="#1"))
    out = records_to_bibtex([Record(key="k", title="T", authors=people)])
    assert "^^" not in out.replace("\\textasciicircum{}\\textasciicircum{}", "")
    assert "\\input" not in out and "\\&" in out and "\\%" in out and "\\#" in out
    back = parse_bibtex(out)[0][0].authors
    assert [(p.family, p.given, p.prefix) for p in back] == [(p.family, p.given, p.prefix) for p in people]


def test_raw_latex_in_note_number_volume_is_kept():
    # item 7: \url and Gr\"{o}tschel printed literally; TR--95--17 grew each round trip
    text = ("@techreport{a, title={T}, number={TR--95--17}, volume={\\textbf{3}},\n"
            "  note={See \\url{http://x.org/a_b} by Gr\\\"{o}tschel}}\n")
    first, second, out, _ = _again(text)
    assert "number = {TR--95--17}" in out and "volume = {\\textbf{3}}" in out
    assert "note = {See \\url{http://x.org/a_b} by Gr\\\"{o}tschel}" in out
    _same_records(first, second)
    assert records_to_bibtex(second) == out  # and it does not grow


def test_title_macros_are_kept():
    # item 8: {\TUG} was written title = {}; \LaTeX vanished; {\noopsort{b}} printed "b"
    text = ("@preamble{\"\\newcommand{\\noopsort}[1]{}\"}\n"
            "@misc{a, title={{\\TUG} News}}\n@misc{b, title={About \\LaTeX\\ and \\BibTeX}}\n"
            "@misc{c, title={{\\noopsort{b}}Second}}\n")
    first, second, out, _ = _again(text)
    for t in ("title = {{\\TUG} News}", "title = {About \\LaTeX\\ and \\BibTeX}", "title = {{\\noopsort{b}}Second}"):
        assert t in out
    assert out.startswith("@preamble{\"\\newcommand{\\noopsort}[1]{}\"}\n")
    _same_records(first, second)


def test_macros_concatenation_and_preamble_are_written_back():
    # item 9: procacl # acl became {procacl \# acl}; @preamble dropped; undefined macro silent
    text = ("@string{procacl = {Proceedings of }}\n@string{acl = {ACL}}\n@preamble{\"\\def\\x{y}\"}\n"
            "@inproceedings{a, title={T}, booktitle = procacl # acl, month = mar, publisher = nosuch}\n")
    first, second, out, problems = _again(text)
    r = first[0]
    assert r.booktitle == "Proceedings of ACL" and r.publisher == "nosuch"
    assert "booktitle = procacl # acl" in out and "publisher = nosuch" in out and "month = mar" in out
    assert "@string{procacl = {Proceedings of }}" in out and "@string{acl = {ACL}}" in out
    assert "@preamble{\"\\def\\x{y}\"}" in out
    assert [(p.line, p.level) for p in problems] == [(4, "warning")] and "nosuch" in problems[0].message
    _same_records(first, second)
    # an edited value is text again: escaped, no macro
    edited = records_to_bibtex([r.replace(booktitle="Proc. & Co")])
    assert "booktitle = {Proc. \\& Co}" in edited and "@string" not in edited


def test_macro_of_another_file_with_other_text_is_not_reused():
    a = parse_bibtex("@string{v = {Alpha}}\n@misc{a, title={T}, journal = v}\n")[0]
    b = parse_bibtex("@string{v = {Beta}}\n@misc{b, title={T}, journal = v}\n")[0]
    out = records_to_bibtex(a + b)
    assert out.count("@string") == 1 and "journal = v" in out and "journal = {Beta}" in out
    assert [r.journal for r in parse_bibtex(out)[0]] == ["Alpha", "Beta"]


@pytest.mark.parametrize("fast", [True, False])
def test_entries_inside_comment_load_as_bibtex_reads_them(fast):
    # item 10: classic bibtex reads them; they were dropped without a word
    text = "@comment{\n@article{inside, title={Kept}}\n}\n@article{after, title={After}}\n"
    records, problems, _ = parse_bibtex(text, "c.bib", fast=fast)
    assert [r.key for r in records] == ["inside", "after"]
    assert [(p.line, p.level) for p in problems] == [(1, "warning")]
    plain, problems, _ = parse_bibtex("@comment{just words}\n@article{x, title={X}}\n", "c.bib", fast=fast)
    assert [r.key for r in plain] == ["x"] and problems == []


def test_online_stays_online():
    # item 12: @online became @misc (kind and venue changed)
    text = "@online{w, title={A Page}, url={https://example.org/p}, publisher={Example}}\n"
    first, second, out, _ = _again(text)
    assert out.startswith("@online{w,") and "howpublished" not in out
    assert (second[0].kind, second[0].entry_type, second[0].venue) == (first[0].kind, "online", first[0].venue)
    _same_records(first, second)


@pytest.mark.parametrize("fast", [True, False])
def test_keys_differing_only_in_case_are_reported(fast):
    # item 19: bibtex drops one of Smith2020 and smith2020 as a repeated entry
    text = "@misc{Smith2020, title={A}}\n\n@misc{smith2020, title={B}}\n"
    records, problems, _ = parse_bibtex(text, "k.bib", fast=fast)
    assert [p.line for p in problems] == [3] and "line 1" in problems[0].message and "line 3" in problems[0].message
    lib = plm_bib.Library(records)
    keys = [k.lower() for k in lib.keys()]
    assert len(set(keys)) == 2 and lib.keys()[0] == "Smith2020"
    assert lib[lib.keys()[1]].extra["original_key"] == "smith2020"


def test_field_names_and_values_cannot_inject():
    # items 1/5: CSL variable names became field names; raw values and URLs broke the entry
    rec = Record(key="k", title="T", doi="10.1/a}b{c", urls=(plm_bib.Link("https://x.org/a}b\\input{c}^^5c"),),
                 pages="1}--2", extra={"x = {1}, title": "v", "event-title": "\\input{/etc/hostname}",
                                       "isbn": "1}, title = {evil", "language-x": "100%"})
    out = records_to_bibtex([rec])
    parsed = bibtexparser.parse_string(out)
    assert not parsed.failed_blocks and len(parsed.entries) == 1
    fields = {f.key: f.value for f in parsed.entries[0].fields}
    assert fields["title"] == "T" and [f.key for f in parsed.entries[0].fields].count("title") == 1
    assert "x-x-1-title" in fields and "\\input{" not in out and "^^" not in out
    assert fields["url"] == "https://x.org/a%7Db%5Cinput%7Bc%7D%5E%5E5c"
    back = parse_bibtex(out)[0][0]
    assert back.extra["event-title"] == "\\textbackslash{}input\\textbraceleft{}/etc/hostname\\textbraceright{}"
    from plm_bib.bibtex.decode import latex_to_text as dec

    assert dec(back.extra["isbn"]) == "1}, title = {evil" and back.pages == "1}--2"


HOSTILE_LATEX = ["\\input{/etc/passwd}", "^^5cinput^^7b/etc/passwd^^7d", "\\end{filecontents*}\n\\input{x}",
                 "\\def\\a{b}", "\\catcode`\\@=11", "100% sure", "a # b", "\\csname input\\endcsname{x}"]


@pytest.mark.parametrize("payload", HOSTILE_LATEX)
def test_safe_mode_keeps_only_harmless_latex(payload):
    # for documents compiled here: kept .bib LaTeX never runs arbitrary TeX
    text = (f"@misc{{a, title = {{{payload}}}, note = {{{payload}}}, author = {{{payload}}},\n"
            f"  journal = {{Gr\\\"{{o}}tschel \\emph{{x}} {{\\noopsort{{b}}}}}}}}\n")
    records = parse_bibtex(text)[0]
    kept = records_to_bibtex(records)
    assert payload.split("\n")[0] in kept  # by default the source is kept
    safe = records_to_bibtex(records, biblatex=True, latex="safe")
    assert "\\input" not in safe.replace("\\textbackslash{}input", "")
    assert "^^" not in safe.replace("\\textasciicircum{}\\textasciicircum{}", "")
    assert not any("\\end{filecontents" in line for line in safe.splitlines())
    assert "@preamble{\"\\providecommand{\\noopsort}[1]{}\"}" in safe
    assert "journaltitle = {Gr\\\"{o}tschel \\emph{x} {\\noopsort{b}}}" in safe  # harmless: kept


def test_harmless_latex():
    assert is_harmless_latex("Gr\\\"{o}tschel \\emph{x} \\LaTeX\\ \\& \\url{http://a.b/c_d} $\\alpha$")
    for bad in HOSTILE_LATEX:
        assert not is_harmless_latex(bad), bad


def test_safe_mode_bib_compiles_without_running_hostile_latex(tmp_path):
    # the .bib read from a hostile file, written with latex="safe", through biber and XeLaTeX
    import os
    import shutil
    import subprocess

    tools = ("xelatex", "biber", "pdftotext")
    if any(shutil.which(t) is None for t in tools):
        if os.environ.get("CI"):
            pytest.fail(f"{tools} needed")
        pytest.skip("TeX tools not installed")
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRETCONTENT\n", encoding="utf-8")
    pay = [f"\\input{{{secret}}}", f"^^5cinput^^7b{secret}^^7d", "\\end{filecontents*}\\input{" + str(secret) + "}"]
    text = "".join(f"@article{{k{i},\n  author = {{Ann {{S}}{p}}},\n  title = {{T{i} {p} \\emph{{ok}}}},\n"
                   f"  journal = {{{p}}},\n  note = {{{p}}},\n  year = {{2020}},\n  url = {{https://x.org/{p}}}\n}}\n"
                   for i, p in enumerate(pay))
    records, _, _ = parse_bibtex(text, "hostile.bib")
    assert len(records) == len(pay)
    (tmp_path / "refs.bib").write_text(records_to_bibtex(records, biblatex=True, latex="safe"), encoding="utf-8")
    (tmp_path / "t.tex").write_text("\\documentclass{article}\\usepackage[backend=biber]{biblatex}"
                                    "\\addbibresource{refs.bib}\\begin{document}\\nocite{*}\\printbibliography"
                                    "\\end{document}\n", encoding="utf-8")
    def run(*args):
        return subprocess.run(list(args), cwd=tmp_path, capture_output=True, text=True, timeout=300)
    run("xelatex", "-no-shell-escape", "-interaction=nonstopmode", "t.tex")
    out = run("biber", "t")
    assert out.returncode == 0, out.stdout
    run("xelatex", "-no-shell-escape", "-interaction=nonstopmode", "t.tex")
    pdf = run("pdftotext", "t.pdf", "-").stdout
    assert "T0" in pdf and "T2" in pdf and "ok" in pdf  # the entries printed
    assert "SECRETCONTENT" not in pdf


@pytest.mark.parametrize("fast", [True, False])
def test_a_double_backslash_before_a_brace_ends_the_value_as_in_bibtex(fast):
    # BibTeX counts every brace: "{a \\}" is the value "a \\" (a LaTeX line break); bibtexparser
    # alone takes "\}" as escaped and loses the block
    from plm_bib.bibtex import parse_bibtex

    text = ('@misc{k,\n  title = {Line \\\\},\n  note = {x \\\\ y},\n  author = {{A \\\\} and Doe, J}\n}\n'
            '@misc{j,\n  title = {Next}\n}\n')
    records, problems, _ = parse_bibtex(text, "x.bib", fast=fast)
    assert problems == [] and [r.key for r in records] == ["k", "j"]
    k = records[0]
    assert k.latex["title"] == "Line \\\\" and k.extra["note"] == "x \\\\ y"
    assert k.authors[1].family == "Doe" and "\ue000" not in repr(k)


def test_names_and_language_that_crashed_biber_are_written_safely():
    # an empty name ("A and  and B") made biber SEGV; a name without family (", Ann") too;
    # biber's own initial of a part starting with an escape ("\&b") is "\" or "}", which
    # breaks the document: such names go in biber's extended format with their initials;
    # biblatex's language feeds \csname: only plain words there
    from plm_bib.bibtex import records_to_bibtex

    r = Record(key="k", title="T", kind="paper", entry_type="misc", year=2020, language="100% & x",
               authors=(Person("Doe", "J"), Person(""), Person("", "Ann"), Person("Fa&m", "&b"), Person("Lee", "x,y")))
    classic = records_to_bibtex([r])
    assert "author = {Doe, J and Ann and Fa\\&m, \\&b and Lee, {x,y}}" in classic
    assert "language = {100\\% \\& x}" in classic
    bl = records_to_bibtex([r], biblatex=True)
    assert "author = {Doe, J and Ann and family={Fa\\&m}, family-i={F}, given={\\&b}, given-i={b} and Lee, {x,y}}" in bl
    assert "x-language = {100\\% \\& x}" in bl and "\n  language" not in bl
    assert "language = {german}" in records_to_bibtex([r.replace(language="german")], biblatex=True)
    back, problems, _ = plm_bib.bibtex.parse_bibtex(bl, "x.bib")
    assert [a.family for a in back[0].authors][:2] == ["Doe", "Ann"]


@pytest.mark.parametrize("fast", [True, False])
def test_bibtexparsers_messages_are_problems_and_its_loggers_keep_their_settings(fast, caplog):
    import logging

    text = "@article{a, title = {x}\n@article{b, title={y}}\n"  # bibtexparser logs the aborted block
    top, splitter = logging.getLogger("bibtexparser"), logging.getLogger("bibtexparser.splitter")
    top.setLevel(logging.INFO)
    try:
        with caplog.at_level(logging.DEBUG):
            records, problems, _ = parse_bibtex(text, "x.bib", fast=fast)
        assert [r.key for r in records] == ["b"]
        assert [p.message for p in problems] == ["could not parse this block ()"]
        assert [r for r in caplog.records if r.name.startswith("bibtexparser")] == []
        assert top.level == logging.INFO and top.filters == [] and splitter.filters == []
        with caplog.at_level(logging.DEBUG):
            splitter.warning("outside our call")
        assert [r.getMessage() for r in caplog.records] == ["outside our call"]
    finally:
        top.setLevel(logging.NOTSET)


def test_bibtexparser_is_quiet_only_in_the_reading_thread(caplog):
    import logging
    import threading

    from plm_bib.bibtex.read_bibtexparser import bibtexparser_quiet

    splitter = logging.getLogger("bibtexparser.splitter")
    with caplog.at_level(logging.DEBUG), bibtexparser_quiet():
        splitter.warning("from the reading thread")
        other = threading.Thread(target=lambda: splitter.warning("from another thread"))
        other.start()
        other.join()
    assert [r.getMessage() for r in caplog.records] == ["from another thread"]
