"""The only module that knows bibtexparser: ``.bib`` text <-> Records.

Reading keeps everything: a block bibtexparser cannot parse becomes a Problem
with its line and raw text; fields we do not model go to ``Record.extra``
verbatim.  Writing produces BibTeX (or BibLaTeX) in the layout of bibtexparser's writer.

**LaTeX source and text, one rule.**  A Record holds text (decoded Unicode: ``title``,
``authors``, ``journal``...; ``volume``, ``number`` and ``extra`` values as written).  A
record read from a ``.bib`` also keeps, in ``Record.latex``, the source of each field
whose text is not plain (a LaTeX special character or ligature, braces, a macro
expression, a value the writer would normalise; a plain title gets its acronyms braced, as
every written title does, which changes no text): ``latex[name]`` is the
value as written without its enclosing, ``latex["=" + name]`` a macro expression
(``procacl # acl``), ``latex["@string " + macro]`` each definition it uses (in value
syntax) and ``latex["@preamble"]`` the file's ``@preamble`` blocks.  Plain values keep no
source (the writer reproduces them), so memory grows only by the values that need it; an
``extra`` value is the very string object kept in ``latex``.

The writer (:func:`_source`) writes a field's source back exactly when the record's
current value is still what that source decodes to: edits, enrichment and values from
other inputs (Markdown, CSL-JSON, the network) differ and are escaped as text
(:func:`escape_latex`, :func:`_name_text`, :func:`_url_value`).  A kept source must also
be balanced as BibTeX counts braces (``\\{`` counts too).  Macro expressions are written
bare, with the ``@string`` definitions they use and the ``@preamble`` blocks of the
records written.  ``records_to_bibtex(..., latex="safe")`` (for documents compiled here)
keeps source LaTeX only when every control sequence in it is a harmless text command
(:data:`HARMLESS_COMMANDS`) and it holds no ``^^``, no ``%``, ``#`` or ``&`` unescaped;
it writes no macro, no input ``@preamble``, and no line holding ``\\end{filecontents``.
Field names are checked: one that is not a BibTeX name is written as ``x-`` and its
letters and digits (:func:`_field_name`).

Reading follows BibTeX where bibtexparser does not: the word ``@comment`` is skipped and
reading goes on (the entries inside a ``@comment{...}`` load, with a warning); macros are
resolved here (``#`` concatenations included), an undefined one is a warning; keys that
differ only in case are a warning with both lines.
"""
from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Callable, Collection, Dict, List, Mapping, Optional, Set, Tuple

from plm_bib.bibtex.decode import MAX_DEPTH, depth, latex_to_text, latex_to_text_reference
from plm_bib.errors import BadOption
from plm_bib.gcpause import paused_gc
from plm_bib.keys import tex_key
from plm_bib.metadata.ids import extract_ids, normalize_arxiv, normalize_doi
from plm_bib.metadata.links import link_kind, site_name
from plm_bib.metadata.names import parse_bibtex_names
from plm_bib.metadata.venues import canonical_venue
from plm_bib.model import CSL_EXACT, CSL_INVALID, NO_LATEX, PAPER, RESOURCE, Link, Person, Problem, Record

if TYPE_CHECKING:  # bibtexparser is imported where it is used: the fast paths do without it
    from bibtexparser import model as bpm

__all__ = ["parse_bibtex", "records_to_bibtex", "latex_to_text", "escape_latex", "protect_title"]

MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_MONTH_NAMES = {m: i + 1 for i, m in enumerate(MONTHS)}
_MONTH_NAMES.update({
    "january": 1, "february": 2, "march": 3, "april": 4, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12, "sept": 9,
})

RESOURCE_TYPES = frozenset({"online", "www", "webpage", "electronic", "software"})
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


def entry_to_record(entry: "bpm.Entry", source: str, dec: Decoder = latex_to_text, offset: int = 0,
                    strings: Optional[Mapping[str, str]] = None,
                    problems: Optional[List[Problem]] = None) -> Record:
    meta = entry.parser_metadata.get("removed_enclosing") or {}
    bare = {k.lower() for k, how in meta.items() if how == "no-enclosing"}
    return fields_to_record(entry.entry_type, entry.key, _field_map(entry), (entry.start_line or 0) + offset,
                            source, dec, bare, strings or {}, problems)


# -- macros: BibTeX's @string and "#" ------------------------------------------------------
_MACRO_NAME = re.compile(r'[^\s#{}",=]+')


def _closing(expr: str, i: int, quote: bool) -> int:
    """The index of what closes the brace (or quote) at ``i``; -1 if none (escaped braces
    do not count, as bibtexparser counts them)."""
    d = 0 if quote else 1
    j, n = i + 1, len(expr)
    while j < n:
        c = expr[j]
        if c == "\\":
            j += 2
            continue
        if c == "{":
            d += 1
        elif c == "}":
            d -= 1
            if d == 0 and not quote:
                return j
        elif c == '"' and quote and d == 0:
            return j
        j += 1
    return -1


def _split_expr(expr: str) -> Optional[List[Tuple[bool, str]]]:
    """A BibTeX value expression (``{a} # "b" # name``) -> its parts ``(is_macro, text)``,
    or ``None`` when it is not one."""
    parts: List[Tuple[bool, str]] = []
    i, n = 0, len(expr)
    while True:
        while i < n and expr[i].isspace():
            i += 1
        if i >= n:
            return None
        ch = expr[i]
        if ch in '{"':
            j = _closing(expr, i, ch == '"')
            if j < 0:
                return None
            parts.append((False, expr[i + 1:j]))
            i = j + 1
        else:
            m = _MACRO_NAME.match(expr, i)
            if m is None:
                return None
            parts.append((not m.group().isdigit(), m.group()))
            i = m.end()
        while i < n and expr[i].isspace():
            i += 1
        if i >= n:
            return parts
        if expr[i] != "#":
            return None
        i += 1


def _resolve(expr: str, strings: Mapping[str, str], seen: Tuple[str, ...] = ()
             ) -> Optional[Tuple[str, List[str], List[str]]]:
    """A macro expression -> (the LaTeX it stands for, the macros it uses (defined ones,
    each after those its definition uses), the undefined ones); ``None`` if not an expression.
    ``strings`` maps lower-case macro names to definitions in value syntax.  The month
    macros are predefined (they stand for their name, as bibtexparser leaves them)."""
    parts = _split_expr(expr)
    if parts is None:
        return None
    out: List[str] = []
    used: List[str] = []
    undefined: List[str] = []
    for is_macro, text in parts:
        if not is_macro:
            out.append(text)
            continue
        name = text.lower()
        d = strings.get(name)
        r = _resolve(d, strings, seen + (name,)) if d is not None and name not in seen else None
        if r is None:
            out.append(text)
            if name not in MONTHS or d is not None:
                undefined.append(text)
            continue
        out.append(r[0])
        used.extend(u for u in r[1] if u not in used)
        undefined.extend(r[2])
        if name not in used:
            used.append(name)
    return "".join(out), used, undefined


def _is_expression(expr: str) -> bool:
    """A value worth keeping as an expression: a macro or a concatenation, not a number."""
    return not expr.strip().isdigit()


_NORMALISED = frozenset({"doi", "url", "eprint", "pages", "year", "month"})
_SPECIAL_CHAR = re.compile(r"[\\{}$~#%&^_\n\t\r]")
_LIGATURE_PAIR = re.compile(r"[-`'<>][-`'<>]|[!?]`")
def _not_plain(v: str) -> bool:
    """Whether escaping the text of ``v`` could give other LaTeX than ``v``: a special
    character, a TeX ligature, a whitespace run (a few plain checks first: this runs on
    every field read)."""
    return bool(_SPECIAL_CHAR.search(v) or "  " in v or v[:1].isspace() or v[-1:].isspace()
                or (("-" in v or "'" in v or "`" in v or "<" in v or ">" in v) and _LIGATURE_PAIR.search(v)))


def fields_to_record(entry_type: str, key: str, f: Dict[str, str], line: int, source: str,
                     dec: Decoder = latex_to_text, bare: Collection[str] = (),
                     strings: Mapping[str, str] = NO_LATEX, problems: Optional[List[Problem]] = None) -> Record:
    """A Record from an entry's fields (names lower-cased, values without enclosing);
    ``line`` is 0-based; ``dec`` decodes LaTeX; ``bare`` names the fields whose value was
    not enclosed (macro expressions, resolved here with ``strings``); undefined macros go
    to ``problems``."""
    if any(_MASKED in v for v in f.values()) or _MASKED in key:
        f = {k: _unmask(v) for k, v in f.items()}
        key = _unmask(key)
    if any(_MASKED in v for v in strings.values()):
        strings = {k: _unmask(v) for k, v in strings.items()}
    etype = entry_type.lower()
    latex: Dict[str, str] = {}
    if bare:
        bare = set(bare)
        f = dict(f)
        for k in [k for k in f if k in bare]:  # in field order
            expr = f.get(k)
            if expr is None or not _is_expression(expr):
                continue
            if k == "month" and expr.lower() in MONTHS and expr.lower() not in strings:
                continue  # jan..dec: predefined, and what the writer writes anyway
            res = _resolve(expr, strings)
            if res is None:
                continue  # not an expression BibTeX reads: the text as bibtexparser gives it
            text, used, undefined = res
            f[k] = text
            latex["=" + k] = expr
            for u in used:
                latex["@string " + u] = strings[u]
            if undefined and problems is not None:
                problems.append(Problem(source, line + 1, f"{key}: macro(s) {', '.join(sorted(set(undefined)))} "
                                        f"in {k} not defined in this file: read as the name, written back "
                                        "as the macro", "", level="warning"))
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
    kind = RESOURCE if etype in RESOURCE_TYPES else PAPER
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
    elif f.get("archiveprefix") and (f["archiveprefix"].lower() != "arxiv" or "arxiv" not in ids):
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
    title = decoded.get("title", "")
    pages = _pages(f["pages"], dec) if f.get("pages") else None
    year, month = _int(f.get("year")), _month(f.get("month"))
    # the source of each value the writer would not reproduce from the text (module docstring)
    for k, v in f.items():
        if not v or v.isspace():
            if k in _MODELLED and k != "title":
                extra[k] = v  # an empty field: written back as it was
            continue
        if "=" + k in latex:
            continue
        if _not_plain(v) or (k == "archiveprefix" and "eprinttype" in f):  # (both written, as read)
            latex[k] = v  # an extra value is this very object: no copy
        elif k in _NORMALISED:
            if k == "doi":
                normal: Optional[str] = doi
            elif k == "url":
                normal = urls[0].url
            elif k == "eprint":
                normal = ids.get("arxiv")
            elif k == "pages":
                normal = pages
            elif k == "year":
                normal = str(year) if year else None
            else:
                normal = MONTHS[month - 1] if month else None
            if normal is not None and normal != v:
                latex[k] = v
    return Record(
        key=key,
        title=title,
        kind=kind,
        entry_type=etype,
        authors=_persons(f.get("author"), dec),
        editors=_persons(f.get("editor"), dec),
        year=year,
        month=month,
        venue=venue,
        booktitle=decoded.get("booktitle"),
        journal=decoded.get("journal"),
        volume=f.get("volume"),
        number=f.get("number"),
        pages=pages,
        publisher=decoded.get("publisher"),
        address=decoded.get("address"),
        doi=doi,
        ids=ids,
        urls=tuple(urls),
        origin=source,
        lines=(line + 1,),
        language=f.get("language"),
        site=site_name(urls[0].url) if urls and kind == RESOURCE else None,
        extra=extra,
        provenance={"*": "bibtex"},
        latex=latex or NO_LATEX,
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


_COMMENT_WORD = re.compile(r"@[ \t]*comment(?=\s*[{(])", re.I)
_BLOCK_START = re.compile(r"@\w+[ \t]*[{(]")
_PREAMBLE_BLOCK = re.compile(r"\s*@\s*preamble", re.I)


def _skip_comment_words(text: str, source: str) -> Tuple[str, List[Problem]]:
    """BibTeX's rule: the word ``@comment`` is skipped and reading goes on, so entries
    inside ``@comment{...}`` load.  The word becomes spaces (lines and offsets stay); a
    warning names each such block that holds an entry."""
    if "omment" not in text and "OMMENT" not in text:
        return text, []
    problems: List[Problem] = []
    out: List[str] = []
    pos = 0
    for m in _COMMENT_WORD.finditer(text):
        out.append(text[pos:m.start()])
        out.append(" " * (m.end() - m.start()))
        pos = m.end()
        opening = m.end() + len(text[m.end():]) - len(text[m.end():].lstrip())
        close = _closing(text, opening, False) if text[opening] == "{" else text.find(")", opening)
        inside = text[opening + 1:close if close >= 0 else len(text)]
        if _BLOCK_START.search(inside):
            problems.append(Problem(source, text.count("\n", 0, m.start()) + 1,
                                    "@comment block holding entries: they are read, as BibTeX reads them",
                                    text[m.start():m.start() + 200], level="warning"))
    out.append(text[pos:])
    return "".join(out), problems


def _case_problems(records: List[Record], source: str) -> Tuple[List[Record], List[Problem]]:
    """Keys that differ only in case (classic bibtex keeps one of them): a warning with
    both lines; the later entry is kept under a new key, as a duplicate key is."""
    first: Dict[str, Record] = {}
    problems: List[Problem] = []
    out = records
    for i, r in enumerate(records):
        if not r.key:
            continue
        folded = r.key.casefold()
        seen = first.get(folded)
        if seen is None:
            first[folded] = r
            continue
        problems.append(Problem(source, r.line, f"keys {seen.key!r} (line {seen.line}) and {r.key!r} "
                                f"(line {r.line}) differ only in case (bibtex would drop one): "
                                "the later entry is kept under a new key", "", level="warning"))
        if out is records:
            out = list(records)
        out[i] = r.replace(key="", extra={**r.extra, "original_key": r.key})
    return out, problems


# A double backslash before a brace or quote (a value ending in a LaTeX line break, "\\"):
# BibTeX counts that brace (a backslash escapes nothing there), but bibtexparser and the fast
# scanner see a backslash before the brace and take it as escaped, so the value runs on and
# the block is lost ("could not parse").  Before reading, each double backslash
# becomes two private-use characters (offsets and lines stay) that read as plain text; the
# values, keys, problems and blocks get the backslashes back before anything decodes them.
_MASKED = "\ue000"
_DOUBLE_BACKSLASH_BEFORE_MARK = re.compile(r'\\\\[{}"]')


def _mask_double_backslashes(text: str) -> Tuple[str, bool]:
    if "\\\\" not in text or _MASKED in text or not _DOUBLE_BACKSLASH_BEFORE_MARK.search(text):
        return text, False
    return text.replace("\\\\", _MASKED * 2), True


def _unmask(s: str) -> str:
    return s.replace(_MASKED * 2, "\\\\") if _MASKED in s else s


def parse_bibtex(text: str, source: str = "<string>", fast: bool = True,
                 spans: Optional[List[Tuple[str, int, int]]] = None
                 ) -> Tuple[List[Record], List[Problem], List[str]]:
    """Records, problems and ``@string``/``@preamble`` blocks from BibTeX text.

    ``fast`` reads the common shape of ``.bib`` files with :mod:`plm_bib.bibtex.scan` and
    decodes LaTeX with the fast path of :mod:`plm_bib.bibtex.decode` (same result, several
    times faster); text outside that shape goes through bibtexparser.  ``fast=False`` is
    the reference: bibtexparser and pylatexenc only.

    ``spans``, when given, receives ``(key, start, end)`` of each loaded entry's text when
    the fast scanner read the file (each such entry reads alike on its own, after the
    file's ``@string`` and ``@preamble`` blocks): the persistent ``cite`` index keeps those texts.
    """
    text, comment_problems = _skip_comment_words(text, source)
    text, masked = _mask_double_backslashes(text)
    found: List[Tuple[str, int, int]] = []
    if fast:
        records, problems, others = _parse_fast(text, source, found)
    else:
        records, problems, others = _parse_reference(text, source)
    if masked:
        problems = [dataclasses.replace(p, raw=_unmask(p.raw), message=_unmask(p.message)) for p in problems]
        others = [_unmask(b) for b in others]
        found = [(_unmask(k), a, b) for k, a, b in found]
    preamble = "\n".join(b for b in others if _PREAMBLE_BLOCK.match(b))
    if preamble:
        records = [r.replace(latex={**r.latex, "@preamble": preamble}) for r in records]
    records, case = _case_problems(records, source)
    if spans is not None and not case:
        spans.extend(found)
    return records, comment_problems + problems + case, others


def _parse_fast(text: str, source: str, found: List[Tuple[str, int, int]]
                ) -> Tuple[List[Record], List[Problem], List[str]]:
    from plm_bib.bibtex.scan import Chunk, StringDef, scan

    scanned = scan(text)
    if scanned is None:
        return _parse_reference(text, source, latex_to_text)
    parts = _Parts()
    # @string names, case-insensitive (a file with two definitions of one goes to bibtexparser)
    strings = {d.key.lower(): d.value for d in scanned if isinstance(d, StringDef)}
    parts.others.extend(d.raw for d in scanned if isinstance(d, StringDef))
    with paused_gc():
        for e in scanned:
            if isinstance(e, Chunk):
                _read_reference(text[e.start:e.stop], source, latex_to_text, parts, e.line, e.stop_line, strings)
                continue
            if isinstance(e, StringDef):
                continue
            fields = e.fields
            parts.keys.append(e.key)
            line = e.line + 1
            raw = text[e.start:e.end]
            stub = _stub(e.entry_type, e.key, len(fields), line, raw, source)
            if stub is not None:
                parts.entry_problems.append(stub)
                continue
            bare = [fields[i][0].lower() for i in e.bare] if e.bare else ()
            parts.records.append(fields_to_record(e.entry_type, e.key, {k.lower(): v for k, v in fields},
                                                  e.line, source, latex_to_text, bare, strings,
                                                  parts.entry_problems))
            parts.entry_problems.extend(_entry_problems(e.key, fields, line, source, raw))
            found.append((e.key, e.start, e.end))
    if len(set(parts.keys)) != len(parts.keys):
        found.clear()
        return _parse_reference(text, source, latex_to_text)  # duplicate keys: bibtexparser's rules, file-wide
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
                    stop_line: int = -1, strings: Optional[Mapping[str, str]] = None) -> None:
    """bibtexparser's reading of ``text`` into ``parts``; lines shifted by ``offset``, blocks
    from line ``stop_line`` on (counted in ``text``) left out.  bibtexparser removes the
    enclosing of values; macros are resolved by :func:`fields_to_record` with ``strings``
    (by default the ``@string`` blocks of ``text``)."""
    import logging

    import bibtexparser
    from bibtexparser import model as bpm
    from bibtexparser.middlewares import RemoveEnclosingMiddleware

    # bibtexparser logs each block it cannot parse; we report them as Problems instead
    log = logging.getLogger("bibtexparser")
    log_level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        lib = bibtexparser.parse_string(text, parse_stack=[RemoveEnclosingMiddleware()])
    finally:
        log.setLevel(log_level)
    if strings is None:
        strings = {}
        for st in lib.strings:
            how = st.parser_metadata.get("removed_enclosing")
            value = str(st.value)
            # the definition in value syntax again (the later one wins, as in BibTeX)
            strings[st.key.lower()] = ("{" + value + "}" if how == "{" else
                                       '"' + value + '"' if how == '"' else value)

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
                rec = entry_to_record(dup, source, dec, offset, strings, parts.entry_problems)
                parts.failed_records.append(rec.replace(key="", extra={**rec.extra, "original_key": dup.key}))
                level = "warning"  # loaded
            else:
                msg = f"duplicate definition of {block.key!r}: the first one is used"
                level = "warning"
        elif isinstance(block, bpm.DuplicateFieldKeyBlock):
            msg = f"duplicate field(s) {sorted(block.duplicate_keys)}: the entry is kept with the first value"
            dup = block.ignore_error_block
            if isinstance(dup, bpm.Entry):
                parts.failed_records.append(entry_to_record(dup, source, dec, offset, strings, parts.entry_problems))
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
        parts.records.append(entry_to_record(entry, source, dec, offset, strings, parts.entry_problems))
        parts.entry_problems.extend(_entry_problems(entry.key, [(f.key, str(f.value)) for f in entry.fields],
                                                    line, source))
    parts.others.extend(b.raw or "" for b in lib.blocks
                        if isinstance(b, (bpm.String, bpm.Preamble)) and kept(b))


def clear_caches() -> None:
    """Forget every memoised decoding, name and escape (the next load runs cold)."""
    from plm_bib.bibtex import decode as texdecode
    from plm_bib.metadata import ids, names

    for fn in (texdecode.latex_to_text, texdecode.latex_to_text_reference, texdecode._token,
               names.parse_name, ids._extract_ids, _persons, _person, escape_latex, _protect_word, _name,
               _name_biblatex):
        fn.cache_clear()


# -- writing ------------------------------------------------------------------------------
def _balanced(s: str) -> bool:
    """Balanced as BibTeX counts braces (every brace, ``\\{`` too)."""
    depth = 0
    for ch in s:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


# control sequences that only print text: what ``latex="safe"`` lets through
HARMLESS_COMMANDS = frozenset(
    # accents and special letters
    list("'`^\"~=.uvHckrdbt") + "i j o O l L ss aa AA ae AE oe OE dh DH th TH ng NG dj DJ".split()
    # escaped characters, spaces, hyphenation, italic correction
    + list("&%$#_{} ,;:!-/@\\") + ["\n", "\t"]
    + ("textendash textemdash textquoteright textquoteleft textquotedblleft textquotedblright "
       "textasciicircum textasciitilde textbackslash textbraceleft textbraceright textbar textless "
       "textgreater textunderscore textdollar textbullet textperiodcentered textsterling textcopyright "
       "textregistered texttrademark textdegree textsection S P copyright dag ddag pounds ldots dots "
       "slash nobreakspace quad qquad relax xspace guillemotleft guillemotright").split()
    # font and emphasis
    + ("emph textit textbf textsc textsf texttt textrm textsl textup textmd textnormal "
       "textsuperscript textsubscript mbox em it bf sc rm tt sf sl up normalfont underline "
       "ensuremath mathrm mathit mathbf mathsf mathtt mathcal").split()
    # names and links
    + "url LaTeX TeX BibTeX LaTeXe XeTeX XeLaTeX AmS AmSTeX noopsort".split()
    # math symbols
    + ("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
       "pi rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon "
       "Phi Psi Omega times cdot cdots le ge leq geq neq pm mp infty sim approx ell in notin "
       "rightarrow leftarrow to mapsto log exp sqrt frac ast star circ prime partial nabla sum prod "
       "int langle rangle lvert rvert vert mid").split()
)
_CONTROL_SEQ = re.compile(r"\\([A-Za-z]+|[\s\S])")
_UNSAFE_TEXT = re.compile(r"\^\^|[%#&]")


def is_harmless_latex(value: str) -> bool:
    """Whether LaTeX ``value`` only prints text: every control sequence harmless, no
    ``^^`` (TeX's character codes), no unescaped ``%``, ``#`` or ``&``."""
    if "^^" in value:
        return False
    for m in _CONTROL_SEQ.finditer(value):
        if m.group(1) not in HARMLESS_COMMANDS:
            return False
    return not _UNSAFE_TEXT.search(_CONTROL_SEQ.sub("", value))


def _names(people: Tuple[Person, ...], biblatex: bool = False) -> str:
    """The names in BibTeX; a name with no text in any part is left out (``and  and`` makes
    biber's name parser crash)."""
    name = _name_biblatex if biblatex else _name
    return " and ".join(name(p) for p in people if any(x.strip() for x in (p.family, p.given, p.prefix, p.suffix)))


_INITIAL = re.compile(r"\w")
# a biblatex language list: words of letters and hyphens, joined by "and"
_LANGUAGE_WORDS = re.compile(r"[A-Za-z][A-Za-z-]*(?: and [A-Za-z][A-Za-z-]*)*\Z")


@lru_cache(maxsize=1 << 16)
def _name_biblatex(p: Person) -> str:
    """A name for biber: as :func:`_name`, but one with a word that starts with an escaped
    character (``\\&``, ``\\textasciicircum{}``) in biber's extended name format with the
    initials given (biber's own initial of such a part is a lone ``\\`` or ``}``, which
    breaks the document)."""
    written = _name(p)
    # biber decodes LaTeX, then splits this format at every comma (braced or not): a name with
    # a comma stays in the classic form, where the braces hold it
    texts = (p.family, p.given, p.prefix, p.suffix)
    if p.family == "others" or any("," in x for x in texts) or \
            not any(w.startswith(("\\", "{")) for x in texts for w in escape_latex(x).split()):
        return written
    if not p.family.strip():
        p = Person(" ".join(x.strip() for x in (p.given, p.prefix, p.suffix) if x.strip()))
    parts = []
    for label, text in (("family", p.family), ("given", p.given), ("prefix", p.prefix), ("suffix", p.suffix)):
        if not text.strip():
            continue
        m = _INITIAL.search(text)
        initial = m.group() if m else text.strip()[0]
        parts.append(f"{label}={{{escape_latex(text)}}}, {label}-i={{{escape_latex(initial)}}}")
    return ", ".join(parts)


_AND_WORD = re.compile(r"(?:^|\s)and(?:\s|$)", re.I)


def _particle_like(word: str) -> bool:
    """Whether BibTeX might read the written ``word`` as a particle (``von``): it starts
    with a lower-case letter, a control sequence or another sign."""
    first = word[0]
    return first.islower() or not first.isalnum()


def _name_part(text: str, protect: bool = False) -> str:
    """One part of a name as BibTeX text: escaped; in braces when BibTeX would split it
    otherwise (a comma, the word "and", and with ``protect`` a particle-like word)."""
    esc = escape_latex(text)
    if esc and ("," in text or _AND_WORD.search(text) or (protect and any(_particle_like(w) for w in esc.split()))):
        return "{" + esc + "}"
    return esc


@lru_cache(maxsize=1 << 16)
def _name(p: Person) -> str:
    """One name from its parts (text) in BibTeX (pure, so memoised: authors recur)."""
    if p.family == "others":
        return "others"
    return _name_text(p)


def _name_text(p: Person) -> str:
    """``von Last, Jr, First`` with every part escaped: a family name of several words, or
    one BibTeX would read as a particle, in braces (``{Google Research}``,
    ``{van der Berg}, Jan``); the parts read back as they are."""
    if not p.family.strip():
        # BibTeX needs a last name (", Ann" makes biber crash): the other parts stand as it
        p = Person(" ".join(x.strip() for x in (p.given, p.prefix, p.suffix) if x.strip()))
    family = _name_part(p.family, protect=True)
    if not p.given and not p.suffix and " " in family and not family.startswith("{"):
        family = "{" + family + "}"  # no comma follows: "Google Research" would be given + family
    # braces around the particle would unmake it: only its commas are braced
    prefix = escape_latex(p.prefix).replace(",", "{,}")
    last = " ".join(x for x in (prefix, family) if x)
    parts = [last]
    if p.suffix:
        parts.append(_name_part(p.suffix, False))
    if p.given or p.suffix:
        parts.append(_name_part(p.given, False))
    return ", ".join(parts)


def _url_value(url: str) -> str:
    """A URL (or DOI) as one balanced BibTeX value: braces, backslashes and ``^``
    percent-encoded (the address is the same), control characters dropped."""
    url = _CONTROL.sub("", url)
    return url.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D").replace("^", "%5E")


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


# -- sources kept: one rule (module docstring) --------------------------------------------
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
            res = _resolve(expr, {k[8:]: v for k, v in latex.items() if k.startswith("@string ")})
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
        if c is None or not matches(c) or not _balanced(c) or (self.safe and not is_harmless_latex(c)):
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
        put("author", "author", _names(r.authors, biblatex), str, lambda c: _persons(c) == r.authors)
    if r.editors:
        put("editor", "editor", _names(r.editors, biblatex), str, lambda c: _persons(c) == r.editors)
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
            lambda c: _pages(c) == r.pages)
    if biblatex and r.year:
        date = f"{r.year:04d}" + (f"-{r.month:02d}" if r.month else "")
        fields.append(("date", "{" + date + "}"))
    else:
        if r.year:
            put("year", "year", str(r.year), str, lambda c: _int(c) == r.year)
        if r.month:
            src = w.source(r, "month", lambda c: _month(c) == r.month)
            fields.append(("month", src if src is not None else MONTHS[r.month - 1]))
    if r.publisher:
        # biblatex's @online has no publisher; its organization is the publishing body
        put("organization" if biblatex and etype == "online" else "publisher", "publisher", r.publisher,
            escape_latex)
    if r.address:
        put("location" if biblatex else "address", "address", r.address, escape_latex)
    if r.doi:
        put("doi", "doi", r.doi, _url_value, lambda c: normalize_doi(c) == r.doi)
    url = r.url
    if url:
        put("url", "url", url, _url_value, lambda c: c.strip() == url)
    if "arxiv" in r.ids:
        arxiv = r.ids["arxiv"]
        put("eprint", "eprint", arxiv, _url_value, lambda c: normalize_arxiv(c) == arxiv)
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
                fields.append(("addendum", f"{{{name}: \\url{{{_url_value(link.url)}}}}}"))
            elif name and name not in {f for f, _ in fields}:
                fields.append((name, "{" + _url_value(link.url) + "}"))
    # what classic styles print and sort a @misc resource by; a .bib entry keeps its own fields
    if r.kind == RESOURCE and not biblatex and url and etype == "misc" and not from_bib:
        fields.append(("howpublished", "{\\url{" + _url_value(url) + "}}"))
    if not biblatex and not r.authors and not r.editors and etype == "misc" and not from_bib:
        key = r.extra.get("key")
        put("key", "key", key or r.site or r.title, escape_latex, lambda c: c == key)
    if r.language and r.language != "en":
        lang = r.language
        # biblatex looks a language up by name (\\csname): there it must be plain words
        out = "language" if not biblatex or _LANGUAGE_WORDS.match(lang) else "x-language"
        put(out, "language", {"zh": "chinese"}.get(lang, lang), escape_latex, lambda c: c == lang)
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
    keeps only harmless LaTeX (see the module docstring).

    Written directly, in the layout of bibtexparser's writer (``indent="  "``, one blank
    line between entries): :func:`records_to_bibtex_reference` writes the same text through
    bibtexparser, and ``tests/test_fastpath.py`` compares the two.
    """
    w = _Writer(latex)
    blocks: List[str] = []
    with paused_gc():
        for etype, key, fields in _entries(records, biblatex, ascii, w):
            body = ",\n".join(f"  {k} = {v}" for k, v in fields)
            blocks.append(f"@{etype}{{{key},\n{body}\n}}\n" if fields else f"@{etype}{{{key},\n}}\n")
    body = "\n".join(blocks).strip()
    return _checked(header + w.head(body) + body + "\n", w)


def records_to_bibtex_reference(records: List[Record], biblatex: bool = False, header: str = "",
                                ascii: bool = False, latex: str = "keep") -> str:
    """:func:`records_to_bibtex` through bibtexparser's writer (the reference of the direct one)."""
    import bibtexparser
    from bibtexparser import model as bpm

    w = _Writer(latex)
    lib = bibtexparser.Library()
    for etype, key, fields in _entries(records, biblatex, ascii, w):
        lib.add(bpm.Entry(etype, key, [bpm.Field(k, v) for k, v in fields]))
    fmt = bibtexparser.BibtexFormat()
    fmt.indent = "  "
    fmt.block_separator = "\n"
    # values are in value syntax here, so no enclosing middleware
    text = bibtexparser.write_string(lib, unparse_stack=[], bibtex_format=fmt).strip()
    return _checked(header + w.head(text) + text + "\n", w)
