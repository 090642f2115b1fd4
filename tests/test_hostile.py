"""Hostile values: every field of every input format (Markdown list, .bib, CSL-JSON) carries
TeX, Typst, HTML, Markdown and BibTeX payloads into every output (BibTeX, BibLaTeX, the LaTeX
bibliography, the reading-list .tex, Markdown, HTML, the Typst PDF, the LaTeX PDF), and the
real tools read the result: xelatex (``-no-shell-escape``) with bibtex, biber and latexmk,
pandoc, typst.

For each output: it compiles (or parses), it holds every entry, no payload ran (no marker
file's content in the PDF, no file written), nothing became markup (no heading, strikeout,
math, script, ``javascript:`` link).  All payloads of all inputs go into one document per
tool, so the whole module makes a dozen compiles.
"""
import json
import os
import re
import shutil
from html.parser import HTMLParser

import pytest
from conftest import need, need_tools, read_pdf
from test_oracles import _run

import plm_bib
from plm_bib import Library
from plm_bib.formats import export
from plm_bib.keys import KEY_PUNCTUATION, is_safe_key, safe_keys, tex_key
from plm_bib.model import Link, Person, Record
from plm_bib.render.latex_document import embedded_data
from plm_bib.render.markup import BIDI_CONTROLS, render

# a marker file TeX could read from its folder (\input{plmsecret}), and its content
SECRET = "PLMLEAKEDSECRET"
ABS_SECRET = "PLMLEAKEDABSOLUTE"  # a file TeX could read by absolute path
TYP_SECRET = "PLMLEAKEDTYPST"

TEX = [
    r"\input{plmsecret}",
    r"\input{ABS}",
    r"\input{/etc/hostname}",
    r"^^5cinput^^7bplmsecret^^7d",
    r"\end{filecontents*}\input{plmsecret}",
    r"\csname input\endcsname{plmsecret}",
    r"\catcode`\|=0 |input{plmsecret}",
    r"\immediate\openout9=plmwritten.tex \immediate\closeout9",
    r"\immediate\write18{touch plmpwned}",
    r"\def\x{\x}\x",
    r"100% & #1 _a_ ~ $ ^ \\",
    "{unbalanced",
    "unbalanced}",
]
TYPST = ['#read("plmsecret.txt")', '#include "plmsecret.typ"', '#import "plmsecret.typ": *', "// comment?",
         "= heading?", "$x$ <label> @ref"]
HTML = ["<script>alert(1)</script>", "javascript:alert(1)", '<img src=x onerror="alert(1)">', "&lt;b&gt;"]
MARKDOWN = ["x\n# heading", "~~struck~~", "$x^2$", "x\n\n- item", "[link](javascript:alert(1))", "@cite",
            "x\u202eevil\u2066"]
BIBTEX = ["}, title = {x", "@misc{injected, title = {x}}", '" # x # "']
PAYLOADS = TEX + TYPST + HTML + MARKDOWN + BIBTEX
# keys BibTeX reads (up to the comma) that TeX cannot take in \cite
UNSAFE_BIB_KEYS = ["a%b", "a#b", "a~b", "a|b", "a$b", "a^b", "a\\input", "a'b"]
# keys of real files that are safe, kept as they are
ODD_SAFE_KEYS = ["2004A&A...424..927C", "CorneilOS??", "IJCAI01*425", "x!y;z", "DBLP:conf/acl/X19",
                 "10.1145/3292500.3330701", "müller2020"]


def _balanced(s):
    depth = 0
    for ch in s:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


# -- the inputs ------------------------------------------------------------------------------
def _markdown_list(payloads):
    """A reading list with a payload in its title, a heading, and each item's title, authors,
    note and link (line breaks stay out: in a list they are structure, not values)."""
    lines = [f"# Hostile list {payloads[0]}", ""]
    for i, p in enumerate(payloads):
        lines += [f"## Section {i} {p}", "",
                  f"1. **Markdown paper {i} {p}**. *Ann Fam{i}{p}, Bob Lee*. ACL 2020. "
                  f"[[pdf](https://example.org/md/{i}/{p.replace(' ', '').replace(')', '')})] note {p}",
                  f"2. Markdown resource {i} {p} [code](javascript:alert({i})) [blog](https://example.org/b{i}?q={p})",
                  ""]
    return "\n".join(lines)


_BIB_FIELDS = ("editor", "booktitle", "publisher", "address", "volume", "number", "pages", "note", "doi",
               "eprint", "language", "abstract", "keywords", "eventtitle", "isbn", "series", "howpublished",
               "addendum", "month", "year")


def _bib(payloads):
    """A .bib with a payload in every field (and an unknown field) of one entry per payload,
    and entries whose keys hold TeX's special characters."""
    out = []
    for i, p in enumerate(payloads):
        fields = [("author", f"Fam{i} {p} and {{{p}}} and Lee, Bob"), ("title", f"Bib paper {i} {p}"),
                  ("url", f"https://example.org/bib/{i}/{p}")] + [(f, p) for f in _BIB_FIELDS] + [(f"x{i}", p)]
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
        out.append(f"@inproceedings{{bib{i},\n{body}\n}}\n")
    for i, key in enumerate(UNSAFE_BIB_KEYS + ODD_SAFE_KEYS):
        out.append(f"@article{{{key},\n  author = {{Keyed, Kim}},\n  title = {{Keyed paper {i}}},\n"
                   f"  journal = {{J}},\n  year = {{2021}}\n}}\n")
    return "\n".join(out)


def _csl(payloads):
    """CSL-JSON with a payload in every variable (and as a variable's name, and in the id)."""
    items = []
    for i, p in enumerate(payloads):
        item = {"id": f"c{i}{p}", "type": "paper-conference" if i % 2 else "article-journal",
                "title": f"CSL paper {i} {p}",
                "author": [{"family": f"Fam{i}{p}", "given": p}, {"literal": p}],
                "editor": [{"family": p, "given": "E"}], "issued": {"date-parts": [[2020, 1]]}}
        for var in ("container-title", "event-title", "publisher", "publisher-place", "volume", "number",
                    "issue", "page", "DOI", "language", "ISBN", "ISSN", "abstract", "note", "title-short",
                    "collection-title", "keyword", "genre", "medium", "version", "edition"):
            item[var] = p
        item["URL"] = "https://example.org/csl/" + p
        item[p] = p
        items.append(item)
    items.append({"id": "cjs", "type": "webpage", "title": "CSL javascript link", "URL": "javascript:alert(1)"})
    return json.dumps(items, ensure_ascii=False, indent=1)


@pytest.fixture(scope="module")
def inputs():
    """The three inputs, read by the public readers."""
    md = plm_bib.parse_markdown(_markdown_list([p for p in PAYLOADS if "\n" not in p]), "hostile.md")
    bib = plm_bib.parse_bibtex_text(_bib([p for p in PAYLOADS if _balanced(p)]), "hostile.bib")
    csl = plm_bib.parse_csl_json(_csl(PAYLOADS), "hostile.json")
    return {"markdown": md, "bibtex": bib, "csl-json": csl}


@pytest.fixture(scope="module")
def hostile(inputs, tmp_path_factory):
    """One Library with every record of the three inputs; payloads naming the absolute
    marker file point at a real one."""
    folder = tmp_path_factory.mktemp("abs")
    (folder / "plmabs.tex").write_text(ABS_SECRET + "\n", encoding="utf-8")
    target = str(folder / "plmabs")

    def point(v):
        return v.replace(r"\input{ABS}", "\\input{" + target + "}") if isinstance(v, str) else v

    records = []
    for lib in inputs.values():
        for r in lib:
            records.append(r.replace(title=point(r.title), notes=tuple(point(n) for n in r.notes),
                                     extra={k: point(v) for k, v in r.extra.items()},
                                     authors=tuple(Person(point(a.family), point(a.given)) for a in r.authors)))
    lib = Library(records, title="Hostile list " + TEX[0])
    assert len(set(lib.keys())) == len(lib)
    return lib


def _plant(folder):
    (folder / "plmsecret.tex").write_text(SECRET + "\n", encoding="utf-8")
    (folder / "plmsecret.txt").write_text(TYP_SECRET + "\n", encoding="utf-8")
    (folder / "plmsecret.typ").write_text(TYP_SECRET + "\n", encoding="utf-8")


def _hostname():
    try:
        with open("/etc/hostname", encoding="utf-8") as f:
            name = f.read().strip()
    except OSError:
        return None
    return name if len(name) >= 6 else None  # a short name could occur in any text


def _assert_nothing_ran(folder, text):
    """No marker's content in ``text`` (a PDF's text), no file written by a payload."""
    leaked = [s for s in (SECRET, ABS_SECRET, TYP_SECRET, _hostname()) if s and s in text]
    assert leaked == [], f"file content in the output: {leaked}"
    assert not (folder / "plmwritten.tex").exists() and not (folder / "plmpwned").exists()


def _pdf_text(path):

    return read_pdf(path)[1]


def _compile_log(folder, name):
    log = folder / f"{name}.log"
    return log.read_text(encoding="utf-8", errors="replace")[-3000:] if log.exists() else ""


def _xelatex(folder, name):
    out = _run(["xelatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"], folder)
    assert out.returncode == 0, _compile_log(folder, name)


# -- the readers -----------------------------------------------------------------------------
def test_readers_keep_every_hostile_value_as_data(inputs):
    md, bib, csl = inputs["markdown"], inputs["bibtex"], inputs["csl-json"]
    one_line = [p for p in PAYLOADS if "\n" not in p]
    # the list is Markdown: its own markup (`code`, *emphasis*, [links]) is read as such, and a
    # quoted string may be a title: payloads without those characters leave the titles whole
    inert = [(i, p) for i, p in enumerate(one_line) if not re.search(r'[*_`"\[\]]', p)]
    assert len(inert) >= 20
    for what in ("paper", "resource"):
        titles = {r.title for r in md if r.title.startswith(f"Markdown {what}")}
        missing = [p for i, p in inert if not any(t.startswith(f"Markdown {what} {i} ") for t in titles)]
        assert not missing, (what, missing)
    # and no item is lost: every item's line is a record's line
    lines = {n for r in md for n in r.lines}
    assert all(n in lines for n, text in enumerate(_markdown_list(one_line).splitlines(), 1)
               if text.startswith(("1. ", "2. ")))
    assert [r.title for r in csl if r.title.startswith("CSL paper")] == \
        [f"CSL paper {i} {p}" for i, p in enumerate(PAYLOADS)]
    balanced = [p for p in PAYLOADS if _balanced(p)]
    assert len([r for r in bib if r.title.startswith("Bib paper")]) == len(balanced)
    assert len([r for r in bib if r.title.startswith("Keyed paper")]) == len(UNSAFE_BIB_KEYS + ODD_SAFE_KEYS)
    for lib in inputs.values():
        assert all(is_safe_key(r.key) for r in lib)


def test_unsafe_keys_are_rewritten_with_a_warning_and_the_old_key_kept(inputs):
    bib = inputs["bibtex"]
    keyed = [r for r in bib if r.title.startswith("Keyed paper")]
    assert sorted(r.extra["original_key"] for r in keyed if "original_key" in r.extra) == sorted(UNSAFE_BIB_KEYS)
    assert [r.key for r in keyed if "original_key" not in r.extra] == ODD_SAFE_KEYS
    warned = [p for p in bib.problems if "citation key" in p.message]
    assert len(warned) == len(UNSAFE_BIB_KEYS) and all(p.source == "hostile.bib" and p.line > 0 for p in warned)
    assert any("'%'" in p.message for p in warned)
    csl = inputs["csl-json"]
    rewritten = {r.extra["original_key"] for r in csl if "original_key" in r.extra}
    assert "c0\\input{plmsecret}" in rewritten and "c1\\input{ABS}" in rewritten
    # an id that is already safe is kept as it is
    assert "c40@cite" in csl.keys() or any(r.key == f"c{PAYLOADS.index('@cite')}@cite" for r in csl)


# -- the outputs -----------------------------------------------------------------------------
def _bib_for_tex(hostile, fmt):
    """BibTeX text of ``hostile`` for a document compiled here: ``latex="safe"``.  The default
    (``"keep"``) writes a ``.bib``'s own LaTeX back as it was read (a ``.bib`` -> ``.bib``
    conversion changes nothing, so the input's ``\\input`` comes back too: that is the
    input's TeX, not ours); for every value that has no such source, keep and safe write the
    same text, so the compile below checks keep's escaping too."""
    textual = [r for r in hostile if not r.latex]
    assert textual and export(Library(textual), fmt) == export(Library(textual), fmt, latex="safe")
    return export(hostile, fmt, latex="safe")


def test_bibtex_output_read_by_bibtex_and_xelatex(hostile, tmp_path):
    need_tools("xelatex", "bibtex")
    _plant(tmp_path)
    (tmp_path / "refs.bib").write_text(_bib_for_tex(hostile, "bibtex"), encoding="utf-8")
    (tmp_path / "t.tex").write_text("\\documentclass{article}\\usepackage{url}\\begin{document}\\nocite{*}"
                                    "\\bibliographystyle{plain}\\bibliography{refs}\\end{document}\n")
    _run(["xelatex", "-no-shell-escape", "-interaction=nonstopmode", "t.tex"], tmp_path)
    out = _run(["bibtex", "t"], tmp_path)
    assert "error message" not in out.stdout, out.stdout[-3000:]
    assert (tmp_path / "t.bbl").read_text(encoding="utf-8").count("\\bibitem") == len(hostile)
    _xelatex(tmp_path, "t")
    _assert_nothing_ran(tmp_path, _pdf_text(tmp_path / "t.pdf"))


def test_biblatex_output_read_by_biber_and_xelatex(hostile, tmp_path):
    need_tools("xelatex", "biber")
    _plant(tmp_path)
    (tmp_path / "refs.bib").write_text(_bib_for_tex(hostile, "biblatex"), encoding="utf-8")
    (tmp_path / "t.tex").write_text("\\documentclass{article}\\usepackage[backend=biber]{biblatex}"
                                    "\\addbibresource{refs.bib}\\begin{document}\\nocite{*}"
                                    "\\printbibliography\\end{document}\n")
    _run(["xelatex", "-no-shell-escape", "-interaction=nonstopmode", "t.tex"], tmp_path)
    out = _run(["biber", "t"], tmp_path)
    assert out.returncode == 0 and "ERROR" not in out.stdout, out.stdout[-3000:]
    assert (tmp_path / "t.bbl").read_text(encoding="utf-8").count("\\entry{") == len(hostile)
    _xelatex(tmp_path, "t")
    _assert_nothing_ran(tmp_path, _pdf_text(tmp_path / "t.pdf"))


@pytest.mark.parametrize("style", ["ieee", "alpha"])
def test_latex_bibliography_compiles_with_xelatex(hostile, tmp_path, style):
    need_tools("xelatex")
    _plant(tmp_path)
    block = export(hostile, "latex", style=style)
    assert block.count("\\bibitem") == len(hostile)
    (tmp_path / "t.tex").write_text("\\documentclass{article}\\usepackage[hidelinks]{hyperref}"
                                    "\\begin{document}\n" + block + "\\end{document}\n", encoding="utf-8")
    _xelatex(tmp_path, "t")
    _assert_nothing_ran(tmp_path, _pdf_text(tmp_path / "t.pdf"))


def test_reading_list_tex_compiles_with_latexmk(hostile, tmp_path):
    need_tools("latexmk", "xelatex", "biber")
    _plant(tmp_path)
    (tmp_path / "rl.tex").write_text(export(hostile, "tex"), encoding="utf-8")
    out = _run(["latexmk", "-xelatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error",
                "rl.tex"], tmp_path, timeout=600)
    assert out.returncode == 0, _compile_log(tmp_path, "rl")
    # each record in each of its sections, once
    placed = sum(len(records) for _, records in hostile.by_section())
    assert (tmp_path / "rl.bbl").read_text(encoding="utf-8").count("\\entry{") == placed
    _assert_nothing_ran(tmp_path, _pdf_text(tmp_path / "rl.pdf"))


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []  # (tag, attributes)
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _only_our_html(html, allowed):
    p = _Tags()
    p.feed(html)
    bad = [(t, a) for t, a in p.tags if t not in allowed or any(k.startswith("on") for k in a)]
    assert bad == [], bad[:5]
    hrefs = [a["href"] for t, a in p.tags if "href" in a]
    assert all(h.startswith(("http://", "https://")) for h in hrefs), [h for h in hrefs if not h.startswith("http")]
    return p


def test_markdown_output_under_pandoc(hostile, tmp_path):
    need_tools("pandoc")
    for style in ("apa", "ieee", "alpha"):
        md = export(hostile, "markdown", style=style)
        assert len(md.strip().splitlines()) == len(hostile), "one line per entry"
        (tmp_path / "b.md").write_text(md, encoding="utf-8")
        out = _run(["pandoc", "--wrap=none", "-f", "markdown", "-t", "html", "b.md"], tmp_path)
        assert out.returncode == 0, out.stderr
        html = out.stdout
        # no heading, strikeout, math, sub/superscript, raw HTML, footnote or citation: only the
        # list, its items, the styles' emphasis and links
        p = _only_our_html(html, {"ul", "ol", "li", "em", "strong", "a", "p"})
        assert sum(1 for t, _ in p.tags if t == "li") == len(hostile)
        text = "".join(p.text)
        for literal in ("~~struck~~", "$x^2$", "<script>alert(1)</script>", "[link](javascript:alert(1))"):
            assert literal in text, literal
        latex = _run(["pandoc", "-f", "markdown", "-t", "latex", "b.md"], tmp_path).stdout
        for code in ("\\input", "\\csname", "\\catcode", "\\end{filecontents", "\\immediate"):
            assert code not in latex, code  # pandoc's raw_tex passes no command through


def test_html_output_has_only_our_markup(hostile):
    for style in ("apa", "ieee", "alpha"):
        html = export(hostile, "html", style=style)
        p = _only_our_html(html, {"div", "span", "i", "b", "u", "sup", "sub", "a"})
        assert sum(1 for t, a in p.tags if t == "div" and a.get("class") == "csl-entry") == len(hostile)
        assert "<script>alert(1)</script>" in "".join(p.text)
        assert not any(ch in html for ch in BIDI_CONTROLS)
    from plm_bib.render.notebook import library_html, record_html

    table = library_html(hostile, hostile.title)
    p = _only_our_html(table, {"table", "caption", "thead", "tbody", "tr", "th", "td", "code", "a", "p"})
    assert sum(1 for t, _ in p.tags if t == "tr") == len(hostile) + 1
    for r in hostile:
        _only_our_html(record_html(r), {"div", "p", "pre", "span", "i", "b", "u", "sup", "sub", "a"})


def test_typst_pdf(hostile, tmp_path):
    typst = need("typst")
    from plm_bib.render.pdf import render_pdf, typst_source

    path = tmp_path / "h.pdf"
    render_pdf(hostile, str(path))
    _assert_nothing_ran(tmp_path, _pdf_text(path))
    # the same source, compiled where the marker files are in Typst's root: #read and
    # #include would find them
    _plant(tmp_path)
    src = typst_source(hostile)
    assert src.count("#par(hanging-indent") == sum(len(records) for _, records in hostile.by_section())
    (tmp_path / "h.typ").write_text(src, encoding="utf-8")
    typst.compile(str(tmp_path / "h.typ"), output=str(tmp_path / "h2.pdf"), root=str(tmp_path))
    text = _pdf_text(tmp_path / "h2.pdf")
    _assert_nothing_ran(tmp_path, text)
    assert not [u for u in _read_uris(tmp_path / "h2.pdf") if not str(u).startswith(("http://", "https://"))]


def _read_uris(path):

    return read_pdf(path)[2]


def test_latex_pdf(hostile, tmp_path):
    if not (shutil.which("latexmk") and shutil.which("xelatex") and shutil.which("biber")):
        need_tools("latexmk", "xelatex", "biber")
    from plm_bib.render.pdf import render_pdf

    path = tmp_path / "h.pdf"
    render_pdf(hostile, str(path), engine="latex")
    _assert_nothing_ran(tmp_path, _pdf_text(path))


# -- the rules behind them, one by one -------------------------------------------------------
def test_the_key_rule():
    assert is_safe_key("devlin2019bert") and is_safe_key("DBLP:conf/naacl/DevlinCLT19")
    assert is_safe_key("10.1145/3292500.3330701") and is_safe_key("müller2020") and is_safe_key("张伟2020")
    assert all(is_safe_key(k) for k in ODD_SAFE_KEYS) and not is_safe_key("*")
    for ch in "{}%#\\,~\"'()= \t\n$^<>|" + BIDI_CONTROLS + "\x00\x1b":
        assert not is_safe_key(f"a{ch}b"), repr(ch)
    assert not is_safe_key("") and not is_safe_key("a" * 201) and is_safe_key("a" * 200)
    assert all(is_safe_key("a" + ch) for ch in KEY_PUNCTUATION)
    with pytest.raises(ValueError, match="not safe"):
        tex_key("a%b")
    # a writer given a record with an unsafe key (made by hand, not through a Library) refuses it
    evil = Record(key="x}\\input{plmsecret}", title="T", kind="paper", entry_type="misc")
    from plm_bib.bibtex import records_to_bibtex
    from plm_bib.render.bibliography import format_bibliography

    for write in (lambda: records_to_bibtex([evil]), lambda: records_to_bibtex([evil], biblatex=True),
                  lambda: format_bibliography([evil], "ieee", "latex")):
        with pytest.raises(ValueError, match="not safe"):
            write()
    out, problems = safe_keys([evil])
    assert out[0].key == "" and out[0].extra["original_key"] == evil.key and len(problems) == 1


def test_a_library_never_holds_an_unsafe_key():
    recs = [Record(key=k, title=f"T {i}", kind="paper", entry_type="misc", year=2020,
                   authors=(Person("Doe", "J"),), source="x.json", lines=(i + 1,))
            for i, k in enumerate(["a%b", "ok:key", "a b", "x\\input{y}"])]
    lib = Library(recs)
    assert lib.keys()[1] == "ok:key" and all(is_safe_key(k) for k in lib.keys())
    assert [r.extra.get("original_key") for r in lib] == ["a%b", None, "a b", "x\\input{y}"]
    assert [p.line for p in lib.problems] == [1, 3, 4]
    # deriving a library again reports nothing new
    assert lib.filter(year=2020).problems == lib.problems


def test_a_value_cannot_end_the_embedded_data():
    bib = "@misc{k,\n  abstract = {a \\end{filecontents*} \\input{x}},\n  note = {\\end{filecontents*}}\n}\n"
    safe = embedded_data(bib)
    # LaTeX ends filecontents* at a line holding "\end{filecontents*}" anywhere
    assert not any("\\end{filecontents*}" in line for line in re.split(r"\r\n|\r|\n", safe))
    assert re.sub(r"\s+", " ", safe) == re.sub(r"\s+", " ", bib).replace("\\end{", "\\end {")
    lib = Library([Record(key="k", title="T", kind="paper", entry_type="misc", year=2020,
                          extra={"abstract": "a\n\\end{filecontents*}\n\\input{plmsecret}\n"})])
    tex = export(lib, "tex")
    body = tex.split("\\begin{filecontents*}", 1)[1]
    first_end = next(i for i, line in enumerate(body.splitlines()) if "\\end{filecontents*}" in line)
    assert body.splitlines()[first_end] == "\\end{filecontents*}"  # our own closing line
    assert "\\addbibresource" in body.splitlines()[first_end + 1]


def test_a_value_cannot_end_the_embedded_data_under_xelatex(tmp_path):
    need_tools("latexmk", "xelatex", "biber")
    _plant(tmp_path)
    # raw .bib text as a writer could give it (the abstract is not printed: it only has to
    # stay inside the data), embedded as the reading-list document embeds its data
    bib = "@misc{k,\n  title = {Embedded},\n  abstract = {a\n\\end{filecontents*}\n\\input{plmsecret}\n},\n" \
          "  year = {2020}\n}\n"
    (tmp_path / "e.tex").write_text(
        "\\documentclass{article}\\usepackage[backend=biber]{biblatex}\n"
        "\\begin{filecontents*}[overwrite]{\\jobname.bib}\n" + embedded_data(bib) + "\\end{filecontents*}\n"
        "\\addbibresource{\\jobname.bib}\\begin{document}\\nocite{*}\\printbibliography\\end{document}\n",
        encoding="utf-8")
    out = _run(["latexmk", "-xelatex", "-no-shell-escape", "-interaction=nonstopmode", "-halt-on-error",
                "e.tex"], tmp_path, timeout=600)
    assert out.returncode == 0, _compile_log(tmp_path, "e")
    # the value as it was, white space aside
    assert "\\field{abstract}{a \\end {filecontents*} \\input{plmsecret}}" in \
        (tmp_path / "e.bbl").read_text(encoding="utf-8")
    text = _pdf_text(tmp_path / "e.pdf")
    assert "Embedded" in text
    _assert_nothing_ran(tmp_path, text)


def test_markdown_escaping_keeps_text_literal():
    for text in MARKDOWN + ["1. numbered", "2020. A year", "i. roman", "- dash", "+ plus", "   indented",
                            "a\r\nb\u2028c", "# h", "| a | b |", "x^y^ ~z~", "&amp;", "::: div"]:
        md = render(text, "markdown")
        assert "\n" not in md and "\r" not in md and "\u2028" not in md
        assert not md.startswith((" ", "#", "-", "+", "|", ":"))
        assert not re.match(r"\d+[.)] |[a-z][.)] |\([a-z]\) ", md)
    assert render("J. Devlin", "markdown") == "J. Devlin"  # a capital initial is no list in pandoc
    assert render("~~x~~ $y$", "markdown") == "\\~\\~x\\~\\~ \\$y\\$"


def test_markdown_escaping_under_pandoc(tmp_path):
    need_tools("pandoc")
    hostile = ["title\n# heading", "~~struck~~", "$x^2$", "i. roman", "2020. year", "- dash", "a ^sup^ ~sub~",
               "<b>bold</b> &amp; @doe2020 [x](javascript:y) ::: div", "x\n\ny"]
    md = "\n".join("- " + render(t, "markdown") for t in hostile) + "\n"
    (tmp_path / "m.md").write_text(md, encoding="utf-8")
    html = _run(["pandoc", "--wrap=none", "-f", "markdown", "-t", "html", "m.md"], tmp_path).stdout
    p = _only_our_html(html, {"ul", "li"})
    assert sum(1 for t, _ in p.tags if t == "li") == len(hostile)
    items = [re.sub(r"\s+", " ", t).strip() for t in "".join(p.text).split("\n") if t.strip()]
    assert items == [re.sub(r"\s+", " ", t) for t in hostile]


def test_bidi_controls_are_removed_in_every_backend():
    rich = "abc\u202edcba\u2066x\u2069\u200e\u200f\u061c https://x.org/\u202ey"
    for backend in ("text", "markdown", "html", "latex", "typst"):
        out = render(rich, backend)
        assert not any(ch in out for ch in BIDI_CONTROLS), backend
        assert "abcdcbax" in out.replace("\\", "")
    from plm_bib.render.notebook import library_html

    lib = Library([Record(key="k", title="T\u202eevil", kind="paper", entry_type="misc",
                          authors=(Person("Doe\u2067", "J"),), urls=(Link("https://x.org/\u202e"),))])
    assert not any(ch in library_html(lib) for ch in BIDI_CONTROLS)
    from plm_bib.render.pdf import typst_source

    assert not any(ch in typst_source(lib, title="A\u202eB") for ch in BIDI_CONTROLS)
    assert not any(ch in export(lib, "tex", title="A\u202eB") for ch in BIDI_CONTROLS)  # the data too


def test_line_breaks_cannot_end_a_latex_argument(tmp_path):
    tex = render("a\n\nb", "latex")
    assert tex == "a b"
    need_tools("xelatex")
    lib = Library([Record(key="k", title="Para\n\nbreak", kind="paper", entry_type="misc", year=2020,
                          sections=(("Head\n\ning",),), notes=("note\n\nbreak",), authors=(Person("Doe", "J"),))])
    (tmp_path / "t.tex").write_text("\\documentclass{article}\\usepackage[hidelinks]{hyperref}\\begin{document}\n"
                                    + export(lib, "latex", style="ieee") + "\\end{document}\n", encoding="utf-8")
    _xelatex(tmp_path, "t")


def test_latex_engine_reads_no_file_outside_its_folder(monkeypatch):
    import subprocess

    from plm_bib.render import pdf

    seen = {}

    def fake_run(args, **kw):
        seen.update(kw.get("env") or {})
        raise subprocess.TimeoutExpired(args, 1)

    monkeypatch.setattr(pdf.shutil, "which", lambda name: "/bin/true")
    monkeypatch.setattr(pdf.subprocess, "run", fake_run)
    lib = Library([Record(key="k", title="T", kind="paper", entry_type="misc")])
    with pytest.raises(subprocess.TimeoutExpired):
        pdf.render_pdf(lib, os.devnull, engine="latex")
    assert seen.get("openin_any") == "p" and seen.get("openout_any") == "p"


def test_typst_pdf_links_are_web_links_only(tmp_path):
    need("typst")
    from plm_bib.render.pdf import typst_source

    lib = Library([Record(key="k", title="T", kind="resource", entry_type="misc",
                          urls=(Link("https://x.org/a", "code"), Link("javascript:alert(1)", "blog"),
                                Link("file:///etc/passwd", "pdf")))])
    src = typst_source(lib)
    assert '#link("https://x.org/a")' in src
    assert '#link("javascript' not in src and '#link("file:' not in src


def test_formatting_never_crashes_on_hostile_values():
    from plm_bib.render.bibliography import format_bibliography
    from plm_bib.render.styles import style_names

    # a name that was only a macro has no part left; braces in pages, DOI and URL
    r = Record(key="k", title="T", kind="paper", entry_type="inproceedings", year=2020, booktitle="B",
               authors=(Person("Doe", "J"),), editors=(Person(""),), pages="{1", doi="10.1/{x",
               volume="}2", number="{3}", urls=(Link("https://x.org/{a"),))
    for style in style_names():
        for backend in ("text", "markdown", "html", "latex", "typst"):
            assert "doe" in format_bibliography([r], style, backend).lower(), (style, backend)
    assert "\\textbraceleft{}1" in format_bibliography([r], "plain", "latex")  # the value, escaped once


def test_labels_are_escaped_like_the_text():
    from plm_bib.render.bibliography import format_bibliography

    r = Record(key="k", title="T", kind="paper", entry_type="misc", year=2020,
               authors=(Person("Fa]m*_\u202e", "J"),))
    alpha = format_bibliography([r], "alpha", "latex")
    assert "\\bibitem[{Fam" in alpha and "\u202e" not in alpha
    apa = format_bibliography([r], "apa", "latex")
    assert "\\bibitem[{Fa]m*\\_, 2020}]{k}" in apa  # the "]" inside braces cannot end the option
    assert "\u202e" not in format_bibliography([r], "alpha", "html")
