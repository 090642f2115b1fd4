"""The only module that knows bibtexparser: ``.bib`` text <-> Records.

Reading keeps everything: a block bibtexparser cannot parse becomes a Problem
with its line and raw text; fields we do not model go to ``Record.extra``
verbatim.  Writing produces BibTeX (or BibLaTeX) through bibtexparser's writer.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Dict, List, Optional, Set, Tuple

from .ids import extract_ids, normalize_arxiv, normalize_doi
from .keys import tex_key
from .links import link_kind, site_name
from .model import PAPER, RESOURCE, Link, Person, Problem, Record
from .names import parse_bibtex_names
from .perf import paused_gc
from .texdecode import MAX_DEPTH, depth, latex_to_text, latex_to_text_reference
from .venues import canonical_venue

if TYPE_CHECKING:  # bibtexparser is imported where it is used: the fast paths do without it
    from bibtexparser import model as bpm

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
Decoder = Callable[[str], str]


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


@lru_cache(maxsize=1 << 16)
def escape_latex(text: str) -> str:
    """Text -> LaTeX that prints it literally (no command can get through).

    Pure, so memoised: venues, publishers and addresses repeat across thousands of records.
    """
    text = _CONTROL.sub("", text)
    text = _ESC_RE.sub(lambda m: _ESCAPES[m.group(0)], text)
    # TeX ligatures (-- --- `` '' !` ?` << >>) would print other characters: break them
    return _LIGATURE.sub(lambda m: m.group(0) + "{}", text)


_PROPER = frozenset(
    "Chinese English French German Spanish Japanese Korean Arabic Russian Siamese Wikipedia "
    "Twitter Tweets Bayesian Gaussian Markov Monte Carlo Euclidean "
    "Hindi Vietnamese Indonesian European American Asian Africa African Turing".split()
)


_WORD = re.compile(r"^([^\w]*)(.*?)([^\w]*)$")
_SPACES = re.compile(r"(\s+)")
_PART_SEP = re.compile(r"[-/]")
_CAPITAL = re.compile(r"[A-Z]")


def protect_title(title: str, escape: Callable[[str], str] = escape_latex) -> str:
    """Escape a title and brace-protect acronyms and proper nouns: ``{BERT}``, ``{RoBERTa}``."""
    parts = _SPACES.split(_CONTROL.sub("", title))  # words at even places, spaces between
    parts[::2] = [_protect_word(w, escape) if w else w for w in parts[::2]]
    return "".join(parts)


@lru_cache(maxsize=1 << 16)
def _protect_word(tok: str, escape: Callable[[str], str]) -> str:
    """One whitespace-free token of a title (pure, so memoised: words repeat across titles)."""
    m = _WORD.match(tok)
    assert m
    lead, word, trail = m.groups()
    esc = escape(word)
    # a word with a capital after its first letter (BERT, RoBERTa, E-BERT, BERTweet)
    parts = [p for p in _PART_SEP.split(word) if p]
    needs = any(_CAPITAL.search(p[1:]) or (len(p) > 1 and p.isupper()) or p in _PROPER for p in parts)
    return escape(lead) + ("{" + esc + "}" if needs and word else esc) + escape(trail)


# -- reading ------------------------------------------------------------------------------
def _field_map(entry: bpm.Entry) -> Dict[str, str]:
    return {f.key.lower(): str(f.value) for f in entry.fields}


_YEAR = re.compile(r"\s*\d{1,4}\s*")
_DASHES = re.compile(r"\s*[-\u2013]+\s*")


def _int(value: Optional[str]) -> Optional[int]:
    if value and _YEAR.fullmatch(value):
        return int(value)
    return None


def _month(value: Optional[str]) -> Optional[int]:
    if not value:
        return None
    v = value.strip().strip("{}").lower().rstrip(".")
    if v.isdigit() and 1 <= int(v) <= 12:
        return int(v)
    return _MONTH_NAMES.get(v)


@lru_cache(maxsize=1 << 16)
def _persons(value: Optional[str], dec: Decoder = latex_to_text) -> Tuple[Person, ...]:
    """Pure, so memoised (Persons are frozen): editors and author lists repeat."""
    if not value:
        return ()
    out = []
    for p in parse_bibtex_names(value):
        out.append(_person(p, dec))
    return tuple(out)


@lru_cache(maxsize=1 << 16)
def _person(p: Person, dec: Decoder) -> Person:
    return Person(family=dec(p.family), given=dec(p.given), prefix=dec(p.prefix), suffix=dec(p.suffix))


def _pages(value: str, dec: Decoder = latex_to_text) -> str:
    """``21{\\textendash}37``, ``21 – 37``, ``21-37`` -> ``21--37``."""
    if "\\" in value or "{" in value:
        value = dec(value) or value  # "{}" stays as written: nothing is dropped
    return _DASHES.sub("--", value)


def entry_to_record(entry: "bpm.Entry", source: str, dec: Decoder = latex_to_text, offset: int = 0) -> Record:
    return fields_to_record(entry.entry_type, entry.key, _field_map(entry), (entry.start_line or 0) + offset,
                            source, dec)


def fields_to_record(entry_type: str, key: str, f: Dict[str, str], line: int, source: str,
                     dec: Decoder = latex_to_text) -> Record:
    """A Record from an entry's fields (names lower-cased, values without enclosing);
    ``line`` is 0-based; ``dec`` decodes LaTeX."""
    etype = entry_type.lower()
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
    decoded = {}
    for k in ("journal", "booktitle", "publisher", "address", "title"):
        v = f.get(k)
        if v:
            d = decoded[k] = dec(v)
            if not d and v.strip():
                extra[k] = v  # only a macro such as \\aap: kept as written
    if f.get("language") and f["language"].strip().lower() in ("en", "english"):
        extra["language"] = f["language"]
    return Record(
        key=key,
        title=decoded.get("title", ""),
        kind=kind,
        entry_type=etype,
        authors=_persons(f.get("author"), dec),
        editors=_persons(f.get("editor"), dec),
        year=_int(f.get("year")),
        month=_month(f.get("month")),
        venue=venue,
        booktitle=decoded.get("booktitle"),
        journal=decoded.get("journal"),
        volume=f.get("volume"),
        number=f.get("number"),
        pages=_pages(f["pages"], dec) if f.get("pages") else None,
        publisher=decoded.get("publisher"),
        address=decoded.get("address"),
        doi=doi,
        ids=ids,
        urls=tuple(urls),
        source=source,
        lines=(line + 1,),
        language=f.get("language"),
        site=site_name(urls[0].url) if urls and kind == RESOURCE else None,
        extra=extra,
        provenance={"*": "bibtex"},
    )


def _entry_problems(key: str, fields: List[Tuple[str, str]], line: int, source: str,
                    raw: Optional[str] = None) -> List[Problem]:
    """Warnings about an entry's values; ``raw`` (the entry's text) lets most entries skip the checks."""
    problems: List[Problem] = []
    if raw is not None and "\\{" not in raw and raw.count("{") <= MAX_DEPTH:
        return problems
    deep = sorted(k.lower() for k, v in fields if v.count("{") > MAX_DEPTH and depth(v) > MAX_DEPTH)
    if deep:
        problems.append(Problem(source, line, f"{key}: braces nested deeper than {MAX_DEPTH} "
                                f"in {', '.join(deep)}: LaTeX not decoded there; the text is kept",
                                "", level="warning"))
    # "\{DCS\}": a pair of escaped braces, most likely meant as case protection
    escaped = sorted(k.lower() for k, v in fields if "\\{" in v and _ESCAPED_PAIR.search(v))
    if escaped:
        problems.append(Problem(source, line, f"{key}: escaped braces (\\{{ \\}}) in "
                                f"{', '.join(escaped)}: LaTeX prints them as braces; every field kept",
                                "", level="warning"))
    return problems


def _stub(entry_type: str, key: str, nfields: int, line: int, raw: str, source: str) -> Optional[Problem]:
    if entry_type.strip() and nfields:
        return None
    # a stub like "@{WASSA,}": nothing to load; the raw text stays in the report
    what = "no entry type" if not entry_type.strip() else "no fields"
    return Problem(source, line, f"entry {key!r} has {what}: not loaded", raw[:2000], level="error")


def parse_bibtex(text: str, source: str = "<string>", fast: bool = True,
                 spans: Optional[List[Tuple[str, int, int]]] = None
                 ) -> Tuple[List[Record], List[Problem], List[str]]:
    """Records, problems and ``@string``/``@preamble`` blocks from BibTeX text.

    ``fast`` reads the common shape of ``.bib`` files with :mod:`plm_bib.bibscan` and
    decodes LaTeX with the fast path of :mod:`plm_bib.texdecode` (same result, several
    times faster); text outside that shape goes through bibtexparser.  ``fast=False`` is
    the reference: bibtexparser and pylatexenc only.

    ``spans``, when given, receives ``(key, start, end)`` of each loaded entry's text when
    the fast scanner read the file (each such entry reads alike on its own): the persistent
    ``cite`` index keeps those texts.
    """
    if not fast:
        return _parse_reference(text, source)
    from .bibscan import Chunk, StringDef, _strip_enclosing, scan

    scanned = scan(text)
    if scanned is None:
        return _parse_reference(text, source, latex_to_text)
    parts = _Parts()
    # @string names, case-insensitive, the later definition winning (bibtexparser's middleware)
    strings = {d.key.lower(): d.value for d in scanned if isinstance(d, StringDef)}
    parts.others.extend(d.raw for d in scanned if isinstance(d, StringDef))
    found: List[Tuple[str, int, int]] = []
    with paused_gc():
        for e in scanned:
            if isinstance(e, Chunk):
                _read_reference(text[e.start:e.stop], source, latex_to_text, parts, e.line, e.stop_line)
                continue
            if isinstance(e, StringDef):
                continue
            fields = e.fields
            if strings and e.bare:
                fields = list(fields)
                for i in e.bare:
                    name, value = fields[i]
                    if value.lower() in strings:
                        fields[i] = (name, _strip_enclosing(strings[value.lower()]))
            parts.keys.append(e.key)
            line = e.line + 1
            raw = text[e.start:e.end]
            stub = _stub(e.entry_type, e.key, len(fields), line, raw, source)
            if stub is not None:
                parts.entry_problems.append(stub)
                continue
            parts.records.append(fields_to_record(e.entry_type, e.key, {k.lower(): v for k, v in fields},
                                                  e.line, source))
            parts.entry_problems.extend(_entry_problems(e.key, fields, line, source, raw if fields is e.fields
                                                        else None))
            found.append((e.key, e.start, e.end))
    if len(set(parts.keys)) != len(parts.keys):
        return _parse_reference(text, source, latex_to_text)  # duplicate keys: bibtexparser's rules, file-wide
    if spans is not None:
        spans.extend(found)
    return parts.result()


class _Parts:
    """What bibtexparser reads from (part of) a file, in the order parse_bibtex reports it."""

    def __init__(self) -> None:
        self.failed_records: List[Record] = []  # loaded from blocks with a problem
        self.records: List[Record] = []
        self.block_problems: List[Problem] = []
        self.entry_problems: List[Problem] = []
        self.others: List[str] = []
        self.keys: List[str] = []  # of the entries read (duplicates are found on these)

    def result(self) -> Tuple[List[Record], List[Problem], List[str]]:
        records = self.failed_records + self.records
        records.sort(key=lambda r: r.line)
        return records, self.block_problems + self.entry_problems, self.others


def _parse_reference(text: str, source: str, dec: Decoder = latex_to_text_reference
                     ) -> Tuple[List[Record], List[Problem], List[str]]:
    """bibtexparser's reading; with the default ``dec``, pylatexenc's decoding too."""
    parts = _Parts()
    _read_reference(text, source, dec, parts)
    return parts.result()


def _read_reference(text: str, source: str, dec: Decoder, parts: _Parts, offset: int = 0,
                    stop_line: int = -1) -> None:
    """bibtexparser's reading of ``text`` into ``parts``; lines shifted by ``offset``, blocks
    from line ``stop_line`` on (counted in ``text``) left out."""
    import logging

    import bibtexparser
    from bibtexparser import model as bpm

    # bibtexparser logs each block it cannot parse; we report them as Problems instead
    log = logging.getLogger("bibtexparser")
    log_level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        lib = bibtexparser.parse_string(text)
    finally:
        log.setLevel(log_level)

    def kept(block: "bpm.Block") -> bool:
        return stop_line < 0 or (block.start_line or 0) < stop_line

    for block in lib.failed_blocks:
        if not kept(block):
            continue
        line = (block.start_line or 0) + 1 + offset
        raw = (block.raw or "")[:2000]
        level = "error"  # the block is not loaded
        if isinstance(block, bpm.DuplicateBlockKeyBlock):
            dup = block.ignore_error_block
            if isinstance(dup, bpm.Entry):
                msg = f"duplicate key {block.key!r}: the entry is kept under a new key"
                rec = entry_to_record(dup, source, dec, offset)
                parts.failed_records.append(rec.replace(key="", extra={**rec.extra, "original_key": dup.key}))
                level = "warning"  # loaded
            else:
                msg = f"duplicate definition of {block.key!r}: the first one is used"
                level = "warning"
        elif isinstance(block, bpm.DuplicateFieldKeyBlock):
            msg = f"duplicate field(s) {sorted(block.duplicate_keys)}: the entry is kept with the first value"
            dup = block.ignore_error_block
            if isinstance(dup, bpm.Entry):
                parts.failed_records.append(entry_to_record(dup, source, dec, offset))
                level = "warning"  # loaded
        elif re.match(r"\s*@\s*comment\b", raw, re.I):
            # BibTeX ignores the word @comment and reads on: entries inside it still load
            msg, level = "unbalanced @comment block: the entries inside it are read", "warning"
        else:
            err = getattr(block, "error", None)
            msg = f"could not parse this block ({err})" if err else "could not parse this block"
        parts.block_problems.append(Problem(source, line, msg, raw, level=level))
    for entry in lib.entries:
        if not kept(entry):
            continue
        parts.keys.append(entry.key)
        line = (entry.start_line or 0) + 1 + offset
        stub = _stub(entry.entry_type, entry.key, len(entry.fields), line, entry.raw or "", source)
        if stub is not None:
            parts.entry_problems.append(stub)
            continue
        parts.records.append(entry_to_record(entry, source, dec, offset))
        parts.entry_problems.extend(_entry_problems(entry.key, [(f.key, str(f.value)) for f in entry.fields],
                                                    line, source))
    parts.others.extend(b.raw or "" for b in lib.blocks
                        if isinstance(b, (bpm.String, bpm.Preamble)) and kept(b))


def clear_caches() -> None:
    """Forget every memoised decoding, name and escape (the next load runs cold)."""
    from . import ids, names, texdecode

    for fn in (texdecode.latex_to_text, texdecode.latex_to_text_reference, texdecode._token,
               names.parse_name, ids._extract_ids, _persons, _person, escape_latex, _protect_word, _name):
        fn.cache_clear()


# -- writing ------------------------------------------------------------------------------
def _balanced(s: str) -> bool:
    depth = 0
    for ch in s:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def _names(people: Tuple[Person, ...]) -> str:
    return " and ".join(_name(p) for p in people)


@lru_cache(maxsize=1 << 16)
def _name(p: Person) -> str:
    """One name in BibTeX (pure, so memoised: authors recur across records)."""
    if p.family == "others":
        return "others"
    s = p.bibtex()
    # braces in a name are kept (corporate names, {van} particles) only when balanced
    return s if ("{" in s or "}" in s) and _balanced(s) and "\\" not in s else escape_latex(s)


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


def _value(key: str, value: str) -> str:
    if key == "month" and value in MONTHS:
        return value  # a month macro, unbraced
    return "{" + value + "}"


def records_to_bibtex(records: List[Record], biblatex: bool = False, header: str = "",
                      ascii: bool = False) -> str:
    """BibTeX text (UTF-8 unless ``ascii``, two-space indent, values braced).

    Written directly, in the layout of bibtexparser's writer (``indent="  "``, one blank
    line between entries): :func:`records_to_bibtex_reference` writes the same text through
    bibtexparser, and ``tests/test_fastpath.py`` compares the two.
    """
    blocks: List[str] = []
    seen: Set[str] = set()
    with paused_gc():
        _write_blocks(records, biblatex, ascii, blocks, seen)
    return header + "\n".join(blocks).strip() + "\n"


def _write_blocks(records: List[Record], biblatex: bool, ascii: bool, blocks: List[str], seen: Set[str]) -> None:
    for r in records:
        if r.key in seen:
            raise ValueError(f"Duplicate keys found: [{r.key!r}]")
        seen.add(r.key)
        etype, fields = record_fields(r, biblatex=biblatex)
        if ascii:
            fields = [(k, v if k in _VERBATIM else to_ascii_latex(v)) for k, v in fields]
        body = ",\n".join(f"  {k} = {_value(k, v)}" for k, v in fields)
        key = tex_key(r.key)
        blocks.append(f"@{etype}{{{key},\n{body}\n}}\n" if fields else f"@{etype}{{{key},\n}}\n")


def records_to_bibtex_reference(records: List[Record], biblatex: bool = False, header: str = "",
                                ascii: bool = False) -> str:
    """:func:`records_to_bibtex` through bibtexparser's writer (the reference of the direct one)."""
    import bibtexparser
    from bibtexparser import model as bpm

    lib = bibtexparser.Library()
    for r in records:
        etype, fields = record_fields(r, biblatex=biblatex)
        if ascii:
            fields = [(k, v if k in _VERBATIM else to_ascii_latex(v)) for k, v in fields]
        lib.add(bpm.Entry(etype, tex_key(r.key), [bpm.Field(k, _value(k, v)) for k, v in fields]))
    fmt = bibtexparser.BibtexFormat()
    fmt.indent = "  "
    fmt.block_separator = "\n"
    # values are enclosed here (month macros stay bare), so no enclosing middleware
    text = bibtexparser.write_string(lib, unparse_stack=[], bibtex_format=fmt)
    return header + text.strip() + "\n"
