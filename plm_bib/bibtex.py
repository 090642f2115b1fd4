"""The only module that knows bibtexparser: ``.bib`` text <-> Records.

Reading keeps everything: a block bibtexparser cannot parse becomes a Problem
with its line and raw text; fields we do not model go to ``Record.extra``
verbatim.  Writing produces BibTeX (or BibLaTeX) through bibtexparser's writer.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable, Dict, List, Optional, Tuple

import bibtexparser
from bibtexparser import model as bpm

from .ids import extract_ids, normalize_arxiv, normalize_doi
from .links import link_kind, site_name
from .model import PAPER, RESOURCE, Link, Person, Problem, Record
from .names import parse_bibtex_names
from .venues import canonical_venue

__all__ = ["parse_bibtex", "records_to_bibtex", "latex_to_text", "escape_latex", "protect_title"]

MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH_NAMES = {m: i + 1 for i, m in enumerate(MONTHS)}
_MONTH_NAMES.update({
    "january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "sept": 9,
})

_MODELLED = {
    "title", "author", "editor", "year", "month", "booktitle", "journal", "volume", "number",
    "pages", "publisher", "address", "doi", "url", "eprint", "archiveprefix",
    "note", "language",
}


# -- LaTeX <-> text -----------------------------------------------------------------
_LITERAL = [("\\textasciicircum{}", "^"), ("\\textasciitilde{}", "~"), ("\\textbackslash{}", "\\"),
            ("\\textbraceleft{}", "{"), ("\\textbraceright{}", "}")]


@lru_cache(maxsize=1)
def _latex2text() -> Any:
    from pylatexenc.latex2text import LatexNodes2Text

    return LatexNodes2Text(strict_latex_spaces=True)


MAX_DEPTH = 64  # brace nesting beyond which LaTeX is not decoded (no real title nests so deep)


def _depth(value: str) -> int:
    depth = deepest = 0
    for ch in value:
        if ch == "{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == "}":
            depth -= 1
    return deepest


@lru_cache(maxsize=1 << 16)
def latex_to_text(value: str) -> str:
    """Plain Unicode from a BibTeX value: braces dropped, LaTeX accents and escapes decoded.

    Pure, so memoised: venues, publishers and addresses repeat across thousands of entries.
    """
    if ("\\" in value or "$" in value or "~" in value) and _depth(value) <= MAX_DEPTH:
        # our own escapes decode to the ASCII characters they stand for
        for i, (cmd, _) in enumerate(_LITERAL):
            value = value.replace(cmd, chr(0xE000 + i))
        try:
            value = _latex2text().latex_to_text(value)
        except Exception:  # pylatexenc on hostile input: keep the text, without braces
            value = value.replace("{", "").replace("}", "")
        for i, (_, ch) in enumerate(_LITERAL):
            value = value.replace(chr(0xE000 + i), ch)
    else:
        value = value.replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", value).strip()


_ESCAPES = {
    # literal braces as macros: classic BibTeX and biber count "\{" as a brace, so an
    # unbalanced one would break the entry
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_ESC_RE = re.compile(r"[\\{}&%$#_~^]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ESCAPED_PAIR = re.compile(r"\\\{[^{}\\]*\\\}")
_LIGATURE = re.compile(r"[-`'<>](?=[-`'<>])|[!?](?=`)")


def escape_latex(text: str) -> str:
    """Text -> LaTeX that prints it literally (no command can get through)."""
    text = _CONTROL.sub("", text)
    text = _ESC_RE.sub(lambda m: _ESCAPES[m.group(0)], text)
    # TeX ligatures (-- --- `` '' !` ?` << >>) would print other characters: break them
    return _LIGATURE.sub(lambda m: m.group(0) + "{}", text)


_PROPER = frozenset(
    "Chinese English French German Spanish Japanese Korean Arabic Russian Siamese Wikipedia "
    "Twitter Tweets Bayesian Gaussian Markov Monte Carlo Euclidean "
    "Hindi Vietnamese Indonesian European American Asian Africa African Turing".split()
)


def protect_title(title: str, escape: Callable[[str], str] = escape_latex) -> str:
    """Escape a title and brace-protect acronyms and proper nouns: ``{BERT}``, ``{RoBERTa}``."""
    title = _CONTROL.sub("", title)
    out = []
    for tok in re.split(r"(\s+)", title):
        if not tok or tok.isspace():
            out.append(tok)
            continue
        m = re.match(r"^([^\w]*)(.*?)([^\w]*)$", tok)
        assert m
        lead, word, trail = m.groups()
        esc = escape(word)
        # a word with a capital after its first letter (BERT, RoBERTa, E-BERT, BERTweet)
        parts = [p for p in re.split(r"[-/]", word) if p]
        needs = any(re.search(r"[A-Z]", p[1:]) or (len(p) > 1 and p.isupper()) or p in _PROPER
                    for p in parts)
        out.append(escape(lead) + ("{" + esc + "}" if needs and word else esc) + escape(trail))
    return "".join(out)


# -- reading ------------------------------------------------------------------------------
def _field_map(entry: bpm.Entry) -> Dict[str, str]:
    return {f.key.lower(): str(f.value) for f in entry.fields}


def _int(value: Optional[str]) -> Optional[int]:
    if value and re.fullmatch(r"\s*\d{1,4}\s*", value):
        return int(value)
    return None


def _month(value: Optional[str]) -> Optional[int]:
    if not value:
        return None
    v = value.strip().strip("{}").lower().rstrip(".")
    if v.isdigit() and 1 <= int(v) <= 12:
        return int(v)
    return _MONTH_NAMES.get(v)


def _persons(value: Optional[str]) -> Tuple[Person, ...]:
    if not value:
        return ()
    out = []
    for p in parse_bibtex_names(value):
        out.append(Person(family=latex_to_text(p.family), given=latex_to_text(p.given),
                          prefix=latex_to_text(p.prefix), suffix=latex_to_text(p.suffix)))
    return tuple(out)


def _pages(value: str) -> str:
    """``21{\\textendash}37``, ``21 – 37``, ``21-37`` -> ``21--37``."""
    if "\\" in value or "{" in value:
        value = latex_to_text(value) or value  # "{}" stays as written: nothing is dropped
    return re.sub(r"\s*[-\u2013]+\s*", "--", value)


def entry_to_record(entry: bpm.Entry, source: str) -> Record:
    f = _field_map(entry)
    etype = entry.entry_type.lower()
    ids: Dict[str, str] = {}
    urls: List[Link] = []
    if f.get("url"):
        url = f["url"].strip()
        urls.append(Link(url=url, kind=link_kind(url)))
        ids.update(extract_ids(url))
    if f.get("eprint") and (f.get("archiveprefix", "").lower() == "arxiv" or
                            f.get("eprinttype", "").lower() == "arxiv"):
        a = normalize_arxiv(f["eprint"])
        if a:
            ids["arxiv"] = a
    doi = normalize_doi(f["doi"]) if f.get("doi") else None
    if doi:
        ids["doi"] = doi
    container = f.get("booktitle") or f.get("journal") or f.get("journaltitle")
    venue = None
    if "arxiv" in ids and etype in ("misc", "article", "unpublished") and \
            (not container or "arxiv" in container.lower()):
        venue = "arXiv"
    elif f.get("venue"):
        venue = canonical_venue(f["venue"]) or f["venue"]
    kind = RESOURCE if etype in ("online", "www", "webpage", "electronic", "software") else PAPER
    extra = {k: v for k, v in f.items() if k not in _MODELLED}
    if f.get("note"):
        extra["note"] = f["note"]
    # modelled fields whose value the model cannot hold are kept verbatim: nothing is lost
    if f.get("year", "").strip() and _int(f.get("year")) is None:
        extra["year"] = f["year"]
    if f.get("month", "").strip() and _month(f.get("month")) is None:
        extra["month"] = f["month"]
    if f.get("eprint") and "arxiv" not in ids:
        extra["eprint"] = f["eprint"]
        if f.get("archiveprefix"):
            extra["archiveprefix"] = f["archiveprefix"]
    elif f.get("archiveprefix") and f["archiveprefix"].lower() != "arxiv":
        extra["archiveprefix"] = f["archiveprefix"]
    if f.get("doi", "").strip() and not doi:
        extra["doi"] = f["doi"]
    for k in ("journal", "booktitle", "publisher", "address", "title"):
        if f.get(k, "").strip() and not latex_to_text(f[k]):
            extra[k] = f[k]  # only a macro such as \\aap: kept as written
    if f.get("language") and f["language"].strip().lower() in ("en", "english"):
        extra["language"] = f["language"]
    return Record(
        key=entry.key,
        title=latex_to_text(f.get("title", "")),
        kind=kind,
        entry_type=etype,
        authors=_persons(f.get("author")),
        editors=_persons(f.get("editor")),
        year=_int(f.get("year")),
        month=_month(f.get("month")),
        venue=venue,
        booktitle=latex_to_text(f["booktitle"]) if f.get("booktitle") else None,
        journal=latex_to_text(f["journal"]) if f.get("journal") else None,
        volume=f.get("volume"),
        number=f.get("number"),
        pages=_pages(f["pages"]) if f.get("pages") else None,
        publisher=latex_to_text(f["publisher"]) if f.get("publisher") else None,
        address=latex_to_text(f["address"]) if f.get("address") else None,
        doi=doi,
        ids=ids,
        urls=tuple(urls),
        source=source,
        lines=((entry.start_line or 0) + 1,),
        language=f.get("language"),
        site=site_name(urls[0].url) if urls and kind == RESOURCE else None,
        extra=extra,
        provenance={"*": "bibtex"},
    )


def parse_bibtex(text: str, source: str = "<string>") -> Tuple[List[Record], List[Problem], List[str]]:
    """Records, problems and ``@string``/``@preamble`` blocks from BibTeX text."""
    import logging

    # bibtexparser logs each block it cannot parse; we report them as Problems instead
    log = logging.getLogger("bibtexparser")
    log_level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        lib = bibtexparser.parse_string(text)
    finally:
        log.setLevel(log_level)
    records: List[Record] = []
    problems: List[Problem] = []
    for block in lib.failed_blocks:
        line = (block.start_line or 0) + 1
        raw = (block.raw or "")[:2000]
        level = "error"  # the block is not loaded
        if isinstance(block, bpm.DuplicateBlockKeyBlock):
            dup = block.ignore_error_block
            if isinstance(dup, bpm.Entry):
                msg = f"duplicate key {block.key!r}: the entry is kept under a new key"
                rec = entry_to_record(dup, source)
                records.append(rec.replace(key="", extra={**rec.extra, "original_key": dup.key}))
                level = "warning"  # loaded
            else:
                msg = f"duplicate definition of {block.key!r}: the first one is used"
                level = "warning"
        elif isinstance(block, bpm.DuplicateFieldKeyBlock):
            msg = f"duplicate field(s) {sorted(block.duplicate_keys)}: the entry is kept with the first value"
            dup = block.ignore_error_block
            if isinstance(dup, bpm.Entry):
                records.append(entry_to_record(dup, source))
                level = "warning"  # loaded
        elif re.match(r"\s*@\s*comment\b", raw, re.I):
            # BibTeX ignores the word @comment and reads on: entries inside it still load
            msg, level = "unbalanced @comment block: the entries inside it are read", "warning"
        else:
            err = getattr(block, "error", None)
            msg = f"could not parse this block ({err})" if err else "could not parse this block"
        problems.append(Problem(source, line, msg, raw, level=level))
    for entry in lib.entries:
        line = (entry.start_line or 0) + 1
        if not entry.entry_type.strip() or not entry.fields:
            # a stub like "@{WASSA,}": nothing to load; the raw text stays in the report
            what = "no entry type" if not entry.entry_type.strip() else "no fields"
            problems.append(Problem(source, line, f"entry {entry.key!r} has {what}: not loaded",
                                    (entry.raw or "")[:2000], level="error"))
            continue
        rec = entry_to_record(entry, source)
        deep = sorted(f.key.lower() for f in entry.fields
                      if str(f.value).count("{") > MAX_DEPTH and _depth(str(f.value)) > MAX_DEPTH)
        if deep:
            problems.append(Problem(source, line, f"{entry.key}: braces nested deeper than {MAX_DEPTH} "
                                    f"in {', '.join(deep)}: LaTeX not decoded there; the text is kept",
                                    "", level="warning"))
        # "\{DCS\}": a pair of escaped braces, most likely meant as case protection
        escaped = sorted(f.key.lower() for f in entry.fields if _ESCAPED_PAIR.search(str(f.value)))
        if escaped:
            problems.append(Problem(source, line, f"{entry.key}: escaped braces (\\{{ \\}}) in "
                                    f"{', '.join(escaped)}: LaTeX prints them as braces; every field kept",
                                    "", level="warning"))
        records.append(rec)
    records.sort(key=lambda r: r.line)
    others = [b.raw or "" for b in lib.blocks if isinstance(b, (bpm.String, bpm.Preamble))]
    return records, problems, others


# -- writing ------------------------------------------------------------------------------
def _field(key: str, value: str) -> bpm.Field:
    if key == "month" and value in MONTHS:
        return bpm.Field(key, value)  # a month macro, unbraced
    return bpm.Field(key, "{" + value + "}")


def _balanced(s: str) -> bool:
    depth = 0
    for ch in s:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def _names(people: Tuple[Person, ...]) -> str:
    parts = []
    for p in people:
        if p.family == "others":
            parts.append("others")
            continue
        s = p.bibtex()
        # braces in a name are kept (corporate names, {van} particles) only when balanced
        parts.append(s if re.search(r"[{}]", s) and _balanced(s) and "\\" not in s else escape_latex(s))
    return " and ".join(parts)


def record_fields(r: Record, biblatex: bool = False) -> Tuple[str, List[Tuple[str, str]]]:
    """Entry type and (field, value) pairs of a record, values already in BibTeX syntax."""
    etype = r.entry_type
    fields: List[Tuple[str, str]] = []
    if r.kind == RESOURCE:
        etype = "online" if biblatex else "misc"
    elif etype == "misc" and "arxiv" in r.ids and biblatex:
        etype = "online"
    if r.authors:
        fields.append(("author", _names(r.authors)))
    if r.editors:
        fields.append(("editor", _names(r.editors)))
    fields.append(("title", protect_title(r.title)))
    if r.booktitle:
        fields.append(("booktitle", escape_latex(r.booktitle)))
    if r.journal:
        fields.append(("journaltitle" if biblatex else "journal", escape_latex(r.journal)))
    if r.volume:
        fields.append(("volume", escape_latex(r.volume)))
    if r.number:
        fields.append(("number", escape_latex(r.number)))
    if r.pages:
        fields.append(("pages", r.pages.replace("–", "--")))
    if biblatex and r.year:
        date = f"{r.year:04d}" + (f"-{r.month:02d}" if r.month else "")
        fields.append(("date", date))
    else:
        if r.year:
            fields.append(("year", str(r.year)))
        if r.month:
            fields.append(("month", MONTHS[r.month - 1]))
    if r.publisher:
        # biblatex's @online has no publisher; its organization is the publishing body
        name = "organization" if biblatex and etype == "online" else "publisher"
        fields.append((name, escape_latex(r.publisher)))
    if r.address:
        fields.append(("location" if biblatex else "address", escape_latex(r.address)))
    if r.doi:
        fields.append(("doi", r.doi))
    if r.url:
        fields.append(("url", r.url))
    if "arxiv" in r.ids:
        fields.append(("eprint", r.ids["arxiv"]))
        if biblatex:
            fields.append(("eprinttype", "arxiv"))
        else:
            fields.append(("archiveprefix", "arXiv"))
        prim = r.extra.get("primaryclass")
        if prim:
            fields.append(("eprintclass" if biblatex else "primaryclass", prim))
    if r.kind == PAPER:
        # links of the list the ids do not already give: a slide deck, an author's PDF
        for link in r.urls:
            if link.url == r.url or extract_ids(link.url):
                continue
            name = "slides" if link.kind == "slides" else ("pdf" if link.kind == "pdf" else "")
            if name and biblatex:
                # not in biblatex's data model: an addendum with the link
                fields.append(("addendum", f"{name}: \\url{{{link.url}}}"))
            elif name and name not in {f for f, _ in fields}:
                fields.append((name, link.url))
    if r.kind == RESOURCE and not biblatex and r.url:
        fields.append(("howpublished", "\\url{" + r.url + "}"))
    if not biblatex and not r.authors and not r.editors and etype == "misc":
        # what BibTeX styles sort and label by when there is no author
        fields.append(("key", r.extra.get("key") or escape_latex(r.site or r.title)))
    if r.language and r.language != "en":
        fields.append(("language", {"zh": "chinese"}.get(r.language, r.language)))
    note = r.extra.get("note") or (r.note if r.kind == RESOURCE else "")
    if note:
        fields.append(("note", escape_latex(note)))
    consumed = {"note"} | ({"primaryclass"} if "arxiv" in r.ids else set())
    for k, v in sorted(r.extra.items()):
        if k in consumed or k in {f for f, _ in fields}:
            continue
        fields.append((k, v))
    return etype, fields


_VERBATIM = frozenset({"url", "doi", "eprint", "slides", "pdf", "howpublished"})


def to_ascii_latex(value: str) -> str:
    """Non-ASCII characters of a BibTeX value as LaTeX macros (``é`` -> ``{\\'e}``), for
    classic ``bibtex``; characters LaTeX has no macro for (CJK) are kept.

    >>> print(to_ascii_latex("Marasović and Müller"))
    Marasovi{\\'c} and M{\\"u}ller
    """
    if value.isascii():
        return value
    from pylatexenc.latexencode import UnicodeToLatexEncoder

    enc = UnicodeToLatexEncoder(non_ascii_only=True, replacement_latex_protection="braces-all",
                                unknown_char_policy="keep", unknown_char_warning=False)
    return str(enc.unicode_to_latex(value))


def records_to_bibtex(records: List[Record], biblatex: bool = False, header: str = "",
                      ascii: bool = False) -> str:
    """BibTeX text through bibtexparser's writer (UTF-8 unless ``ascii``, two-space indent)."""
    lib = bibtexparser.Library()
    for r in records:
        etype, fields = record_fields(r, biblatex=biblatex)
        if ascii:
            fields = [(k, v if k in _VERBATIM else to_ascii_latex(v)) for k, v in fields]
        lib.add(bpm.Entry(etype, r.key, [_field(k, v) for k, v in fields]))
    fmt = bibtexparser.BibtexFormat()
    fmt.indent = "  "
    fmt.block_separator = "\n"
    # values are enclosed here (month macros stay bare), so no enclosing middleware
    text = bibtexparser.write_string(lib, unparse_stack=[], bibtex_format=fmt)
    return header + text.strip() + "\n"
