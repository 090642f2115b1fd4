"""Writing Records as BibTeX or BibLaTeX: :func:`records_to_bibtex`.

Each record's fields in the layout of bibtexparser's writer (two-space indent, values
braced, one blank line between entries), written directly.  A field's LaTeX source read
from a ``.bib`` is written back exactly when the record's value is still what it decodes to
(:class:`_Writer`, the rule of :mod:`plm_bib.bibtex`); other values are escaped as text.
:func:`record_fields` gives the (field, value) pairs to pybtex's styles.
"""
from __future__ import annotations

import re
from typing import Callable, Dict, List, Optional, Set, Tuple

from plm_bib.bibtex.decode import latex_to_text
from plm_bib.bibtex.latex_text import (
    balanced,
    escape_latex,
    is_harmless_latex,
    protect_title,
    to_ascii_latex,
    url_value,
)
from plm_bib.bibtex.macros import MONTHS, resolve
from plm_bib.bibtex.name_lists import read_names, write_names
from plm_bib.bibtex.read_entry import RESOURCE_TYPES, read_month, read_pages, read_year
from plm_bib.errors import BadOption
from plm_bib.gcpause import paused_gc
from plm_bib.keys import tex_key
from plm_bib.metadata.ids import extract_ids, normalize_arxiv, normalize_doi
from plm_bib.model import CSL_EXACT, CSL_INVALID, PAPER, RESOURCE, Record

__all__ = ["records_to_bibtex", "record_fields"]

# a biblatex language list: words of letters and hyphens, joined by "and"
_LANGUAGE_WORDS = re.compile(r"[A-Za-z][A-Za-z-]*(?: and [A-Za-z][A-Za-z-]*)*\Z")
# the model's language codes (a reading list's titles) by their babel and polyglossia names
_LANGUAGE_NAMES = {"zh": "chinese", "ja": "japanese", "ko": "korean"}
_FIELD_NAME = re.compile(r"[a-z_][a-z0-9_\-.:+]*\Z")
_NOT_NAME = re.compile(r"[^a-z0-9]+")


def _field_name(name: str) -> str:
    """A field name as BibTeX reads it: a valid one as it is (lower case), another as
    ``x-`` and its letters and digits (``x = {1}, title`` -> ``x-x-1-title``): it can never
    inject a field."""
    low = name.lower()
    if _FIELD_NAME.match(low):
        return low
    return "x-" + (_NOT_NAME.sub("-", low).strip("-") or "field")


# -- sources kept: one rule (the docstring of plm_bib.bibtex) ---------------------------
def _same_text(value: Optional[str]) -> Callable[[str], bool]:
    return lambda c: latex_to_text(c) == (value or "")


class _Writer:
    """What a written text needs beyond its entries: the ``@string`` definitions of kept
    macro expressions and the ``@preamble`` blocks of the records (``latex="keep"``)."""

    def __init__(self, latex: str) -> None:
        if latex not in ("keep", "safe"):
            raise BadOption(f"latex must be 'keep' or 'safe', not {latex!r}")
        self.safe = latex == "safe"
        self.strings: Dict[str, str] = {}
        self.preambles: Dict[str, None] = {}

    def source(self, r: Record, name: str, matches: Callable[[str], bool]) -> Optional[str]:
        """The value syntax of ``r``'s field ``name`` as read, when the record's value is
        still what it decodes to (``matches``) and it may be written; else ``None``."""
        latex = r.latex
        if not latex:
            return None
        expr = latex.get("=" + name)
        if expr is not None:
            res = resolve(expr, {k[8:]: v for k, v in latex.items() if k.startswith("@string ")})
            if res is None or not matches(res[0]):
                return None
            if not self.safe and all(self.strings.get(u, latex["@string " + u]) == latex["@string " + u]
                                     for u in res[1]):
                for u in res[1]:
                    self.strings.setdefault(u, latex["@string " + u])
                return expr
            c: Optional[str] = res[0]  # safe mode, or another file's macro of that name: the text
        else:
            c = latex.get(name)
        if c is None or not matches(c) or not balanced(c) or (self.safe and not is_harmless_latex(c)):
            return None
        return "{" + c + "}"

    def note_record(self, r: Record) -> None:
        pre = r.latex.get("@preamble") if r.latex else None
        if pre and not self.safe:
            self.preambles[pre] = None

    def head(self, body: str) -> str:
        """The @preamble and @string blocks the written entries need."""
        blocks = list(self.preambles)
        if self.safe and "\\noopsort" in body:
            blocks.append('@preamble{"\\providecommand{\\noopsort}[1]{}"}')
        blocks.extend(f"@string{{{k} = {v}}}" for k, v in self.strings.items())
        return "\n".join(blocks) + "\n\n" if blocks else ""


def record_fields(r: Record, biblatex: bool = False) -> Tuple[str, List[Tuple[str, str]]]:
    """Entry type and (field, value) pairs of a record, values in BibTeX syntax without
    their enclosing (a kept macro expression as the text it stands for, escaped)."""
    etype, fields = _record_fields(r, biblatex, _Writer("safe"))
    return etype, [(k, v[1:-1] if v.startswith("{") else v) for k, v in fields]


def _record_fields(r: Record, biblatex: bool, w: _Writer) -> Tuple[str, List[Tuple[str, str]]]:
    """Entry type and (field, value) pairs, values in BibTeX value syntax (``{...}``, a
    month macro, a kept macro expression)."""
    etype = r.entry_type
    fields: List[Tuple[str, str]] = []
    from_bib = r.provenance.get("*") == "bibtex"

    def put(out: str, name: str, text: Optional[str], escaped: Callable[[str], str],
            matches: Optional[Callable[[str], bool]] = None, empty: bool = False) -> None:
        src = w.source(r, name, matches or _same_text(text))
        if src is not None:
            fields.append((out, src))
        elif text or (empty and text is not None):
            fields.append((out, "{" + escaped(text) + "}"))

    if r.kind == RESOURCE:
        # a .bib entry keeps its own type; another resource is a @misc classic styles know
        etype = "online" if biblatex else (etype if from_bib and etype in RESOURCE_TYPES else "misc")
    elif etype == "misc" and "arxiv" in r.ids and biblatex:
        etype = "online"
    if r.authors:
        put("author", "author", write_names(r.authors, biblatex), str, lambda c: read_names(c) == r.authors)
    if r.editors:
        put("editor", "editor", write_names(r.editors, biblatex), str, lambda c: read_names(c) == r.editors)
    title_src = w.source(r, "title", _same_text(r.title))
    fields.append(("title", title_src if title_src is not None else "{" + protect_title(r.title) + "}"))
    if r.booktitle:
        put("booktitle", "booktitle", r.booktitle, escape_latex)
    if r.journal:
        put("journaltitle" if biblatex else "journal", "journal", r.journal, escape_latex)
    if r.volume:
        put("volume", "volume", r.volume, escape_latex, lambda c: c == r.volume)
    if r.number:
        put("number", "number", r.number, escape_latex, lambda c: c == r.number)
    if r.pages:
        put("pages", "pages", r.pages, lambda p: escape_latex(p).replace("-{}", "-").replace("–", "--"),
            lambda c: read_pages(c) == r.pages)
    if biblatex and r.year:
        date = f"{r.year:04d}" + (f"-{r.month:02d}" if r.month else "")
        fields.append(("date", "{" + date + "}"))
    else:
        if r.year:
            put("year", "year", str(r.year), str, lambda c: read_year(c) == r.year)
        if r.month:
            src = w.source(r, "month", lambda c: read_month(c) == r.month)
            fields.append(("month", src if src is not None else MONTHS[r.month - 1]))
    if r.publisher:
        # biblatex's @online has no publisher; its organization is the publishing body
        put("organization" if biblatex and etype == "online" else "publisher", "publisher", r.publisher,
            escape_latex)
    if r.address:
        put("location" if biblatex else "address", "address", r.address, escape_latex)
    if r.doi:
        put("doi", "doi", r.doi, url_value, lambda c: normalize_doi(c) == r.doi)
    url = r.url
    if url:
        put("url", "url", url, url_value, lambda c: c.strip() == url)
    if "arxiv" in r.ids:
        arxiv = r.ids["arxiv"]
        put("eprint", "eprint", arxiv, url_value, lambda c: normalize_arxiv(c) == arxiv)
        if biblatex:
            fields.append(("eprinttype", "{arxiv}"))
        elif "eprinttype" not in r.extra or "archiveprefix" in r.latex:  # a biblatex entry keeps its own
            put("archiveprefix", "archiveprefix", "arXiv", str, lambda c: c.lower() == "arxiv")
        prim = r.extra.get("primaryclass")
        if prim:
            put("eprintclass" if biblatex else "primaryclass", "primaryclass", prim, escape_latex,
                lambda c: c == prim)
    if r.kind == PAPER:
        # links of the list the ids do not already give: a slide deck, an author's PDF
        for link in r.urls:
            if link.url == url or extract_ids(link.url):
                continue
            name = "slides" if link.kind == "slides" else ("pdf" if link.kind == "pdf" else "")
            if name and biblatex:
                # not in biblatex's data model: an addendum with the link
                fields.append(("addendum", f"{{{name}: \\url{{{url_value(link.url)}}}}}"))
            elif name and name not in {f for f, _ in fields}:
                fields.append((name, "{" + url_value(link.url) + "}"))
    # what classic styles print and sort a @misc resource by; a .bib entry keeps its own fields
    if r.kind == RESOURCE and not biblatex and url and etype == "misc" and not from_bib:
        fields.append(("howpublished", "{\\url{" + url_value(url) + "}}"))
    if not biblatex and not r.authors and not r.editors and etype == "misc" and not from_bib:
        key = r.extra.get("key")
        put("key", "key", key or r.site or r.title, escape_latex, lambda c: c == key)
    if r.language and r.language != "en":
        lang = r.language
        named = _LANGUAGE_NAMES.get(lang)
        if biblatex and named and not from_bib and "langid" not in r.extra:
            # a language the model gave (a Chinese title): biblatex's langid (babel's and
            # polyglossia's name, which biber sorts by and autolang hyphenates by; never printed)
            fields.append(("langid", "{" + named + "}"))
        else:
            # biblatex looks a language up by name (\\csname): there it must be plain words
            out = "language" if not biblatex or _LANGUAGE_WORDS.match(lang) else "x-language"
            put(out, "language", named or lang, escape_latex, lambda c: c == lang)
    note = r.extra.get("note") or (r.note if r.kind == RESOURCE else "")
    if note:
        put("note", "note", note, escape_latex, lambda c: c == note)
    consumed = ({"note"} if note else set()) | ({"primaryclass"} if "arxiv" in r.ids else set())
    consumed |= {CSL_EXACT, CSL_INVALID}  # the CSL reader's own data
    written = {f for f, _ in fields}
    for out, k, v in sorted((_field_name(k), k, v) for k, v in r.extra.items()):
        if k in consumed or out in written:
            continue
        written.add(out)
        put(out, k, v, escape_latex, lambda c, v=v: c == v, empty=True)  # type: ignore[misc]
    return etype, fields


_VERBATIM = frozenset({"url", "doi", "eprint", "slides", "pdf", "howpublished"})

def _entries(records: List[Record], biblatex: bool, ascii: bool, w: _Writer
             ) -> List[Tuple[str, str, List[Tuple[str, str]]]]:
    """(type, key, fields in value syntax) of each record; duplicate keys refused."""
    out = []
    seen: Set[str] = set()
    for r in records:
        if r.key in seen:
            raise ValueError(f"Duplicate keys found: [{r.key!r}]")
        seen.add(r.key)
        etype, fields = _record_fields(r, biblatex, w)
        w.note_record(r)
        if ascii:
            fields = [(k, v if k in _VERBATIM else to_ascii_latex(v)) for k, v in fields]
        out.append((etype, tex_key(r.key), fields))
    return out


def _checked(text: str, w: _Writer) -> str:
    if w.safe and "\\end{filecontents" in text:  # every value is checked: only a key could hold it
        raise ValueError("a value or key would end an embedded file (\\end{filecontents)")
    return text


def records_to_bibtex(records: List[Record], biblatex: bool = False, header: str = "",
                      ascii: bool = False, latex: str = "keep") -> str:
    """BibTeX text (UTF-8 unless ``ascii``, two-space indent, values braced).

    ``latex="keep"`` writes the LaTeX source read from a ``.bib`` back (with its
    ``@string`` and ``@preamble`` blocks); ``latex="safe"``, for documents compiled here,
    keeps only harmless LaTeX (see :mod:`plm_bib.bibtex`).

    Written directly, in the layout of bibtexparser's writer (``indent="  "``, one blank
    line between entries): the test oracle ``records_to_bibtex_reference``
    (``tests/oracles/bibtex_oracles.py``) writes the same text through bibtexparser, and
    ``tests/bibtex/test_bibtex_fastpath.py`` compares the two.
    """
    w = _Writer(latex)
    blocks: List[str] = []
    with paused_gc():
        for etype, key, fields in _entries(records, biblatex, ascii, w):
            body = ",\n".join(f"  {k} = {v}" for k, v in fields)
            blocks.append(f"@{etype}{{{key},\n{body}\n}}\n" if fields else f"@{etype}{{{key},\n}}\n")
    body = "\n".join(blocks).strip()
    return _checked(header + w.head(body) + body + "\n", w)
