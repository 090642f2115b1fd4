"""Reading list (Markdown) -> items -> Records.

The grammar is in ``docs/reading-list-format.md``.  In short: ATX headings give
the section path; numbered or bulleted list items, bold-title paragraph lines and
table rows are items; each item yields a title, links, claims, authors, aliases
and notes.  A line that cannot be read becomes a :class:`~plm_bib.model.Problem`
and parsing goes on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple, TypeVar

from .claims import find_claims, strip_trailing_claim
from .ids import acl_venue, arxiv_year, extract_ids, ids_in_text
from .links import PLACEHOLDER, FoundLink, find_links, is_navigation, placeholders, site_name
from .model import PAPER, RESOURCE, Claim, Link, Person, Problem, Record
from .names import parse_author_list
from .venues import venue_info

__all__ = ["Item", "ParseResult", "scan_markdown", "items_to_records"]

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$")
_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>\d{1,9}[.)、]|[-*+])[ \t]+(?P<body>.*)$")
_EMPTY_ITEM = re.compile(r"^[ \t]*(?:\d{1,9}[.)、]|[-*+])[ \t]*$")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_TABLE_ROW = re.compile(r"^[ \t]*\|.*\|[ \t]*$")
_TABLE_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
_HTML = re.compile(r"^[ \t]*</?[a-zA-Z][^>]*>")
_BOLD_LEAD = re.compile(r"^[ \t]*(\*\*|__)(?P<title>.+?)\1")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_GENERIC_LABELS = re.compile(
    r"^(pdf|paper|code|link|project|slides?|blog|video|model|arxiv|url|here|download|"
    r"code\s*&\s*model|model\s*&\s*code|论文|代码|链接|`pdf`)$", re.I)


@dataclass
class Item:
    """One item of a reading list, as read (before merging)."""

    line: int
    raw: str
    section: Tuple[str, ...]
    title: str = ""
    links: List[FoundLink] = field(default_factory=list)
    claims: List[Claim] = field(default_factory=list)
    authors: List[Person] = field(default_factory=list)
    aliases: List[str] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)
    ids: Dict[str, str] = field(default_factory=dict)
    from_table: bool = False


@dataclass
class ParseResult:
    title: Optional[str]
    items: List[Item]
    problems: List[Problem]


def _clean_inline(text: str) -> str:
    """Drop Markdown emphasis and code marks and collapse white space."""
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)", r"\1", text)
    text = text.replace("`", "")
    text = re.sub(r"[\t \u3000]+", " ", text)
    return text.strip()


def _heading_text(raw: str) -> str:
    text, links = find_links(raw)
    for i, link in enumerate(links):
        text = text.replace(PLACEHOLDER.format(i), link.label or "")
    text = _clean_inline(text)
    return text.rstrip("：:").strip()


def scan_markdown(text: str, source: str = "<string>") -> ParseResult:
    """Scan a reading list into items and problems (no merging, no keys)."""
    lines = text.splitlines()
    fenced = _fenced_lines(lines)
    headings: List[Tuple[int, int, str]] = []  # (line, level, text)
    for i, line in enumerate(lines, 1):
        if i in fenced:
            continue
        m = _HEADING.match(line)
        if m:
            headings.append((i, len(m.group(1)), _heading_text(m.group(2) or "")))
    # a single top-level heading that opens the document is the list's title
    doc_title: Optional[str] = None
    title_line = 0
    if headings:
        top = min(level for _, level, _ in headings)
        tops = [h for h in headings if h[1] == top]
        if len(tops) == 1 and tops[0] is headings[0] and tops[0][2]:
            doc_title, title_line = tops[0][2], tops[0][0]

    items: List[Item] = []
    problems: List[Problem] = []
    stack: List[Tuple[int, str]] = []
    table_header: Optional[List[str]] = None
    i = 0
    n = len(lines)
    while i < n:
        lineno = i + 1
        line = lines[i].replace("\ufeff", "")
        i += 1
        if lineno in fenced:
            continue
        m = _HEADING.match(line)
        if m:
            table_header = None
            if lineno == title_line:
                continue
            level = len(m.group(1))
            htext = _heading_text(m.group(2) or "")
            while stack and stack[-1][0] >= level:
                stack.pop()
            if htext:
                stack.append((level, htext))
            continue
        section = tuple(t for _, t in stack)
        if not line.strip():
            continue
        if _TABLE_ROW.match(line):
            if table_header is None:
                nxt = lines[i] if i < n else ""
                if _TABLE_SEP.match(nxt):
                    table_header = [_clean_inline(c) for c in _split_row(line)]
                    i += 1
                    continue
                problems.append(Problem(source, lineno, "table row without a header row", line))
                continue
            item = _table_item(table_header, line, lineno, section, problems, source)
            if item is not None:
                items.append(item)
            continue
        table_header = None
        if _EMPTY_ITEM.match(line):
            problems.append(Problem(source, lineno, "empty list item", line))
            continue
        mi = _ITEM.match(line)
        if mi:
            body = mi.group("body")
            # indented continuation lines belong to the item
            while i < n and lines[i].strip() and re.match(r"^[ \t]{2,}\S", lines[i]) \
                    and not _ITEM.match(lines[i]) and not _HEADING.match(lines[i]):
                body += " " + lines[i].strip()
                i += 1
            if _HTML.match(body):
                problems.append(Problem(source, lineno, "HTML in a list item is not read", line))
                continue
            item = parse_item(body, lineno, section, problems, source, raw=line)
            if item is not None:
                items.append(item)
            continue
        if _HTML.match(line):
            problems.append(Problem(source, lineno, "HTML is not read", line, level="info"))
            continue
        if _BOLD_LEAD.match(line) and ("http" in line or "](" in line):
            item = parse_item(line.strip(), lineno, section, problems, source, raw=line)
            if item is not None:
                items.append(item)
            continue
        # other paragraphs: prose, quotes, images; tell about stray links, lose nothing
        _, links = find_links(line)
        real = [lk for lk in links if not is_navigation(lk.url)]
        if real and not line.lstrip().startswith(("!", ">")):
            problems.append(Problem(source, lineno, "text with links outside any list item: not an item",
                                    line, level="info"))
    return ParseResult(title=doc_title, items=items, problems=problems)


def _fenced_lines(lines: Sequence[str]) -> Set[int]:
    """Line numbers of fenced code blocks, fences included: never read as list content."""
    fenced: Set[int] = set()
    inside = False
    for i, line in enumerate(lines, 1):
        if _FENCE.match(line):
            inside = not inside
            fenced.add(i)
        elif inside:
            fenced.add(i)
    return fenced


def _split_row(line: str) -> List[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    # split on | not inside a link's brackets/parentheses and not escaped
    cells, depth, cur, prev = [], 0, "", ""
    for ch in s:
        if ch in "[(":
            depth += 1
        elif ch in "])" and depth:
            depth -= 1
        if ch == "|" and depth == 0 and prev != "\\":
            cells.append(cur.strip())
            cur = ""
        else:
            cur += ch
        prev = ch
    cells.append(cur.strip())
    return cells


_TITLE_COLS = re.compile(r"^(title|paper|papers|name|论文|标题|题目|模型|model|名称)$", re.I)
_YEAR_COLS = re.compile(r"^(year|年份|时间|date)$", re.I)
_VENUE_COLS = re.compile(r"^(venue|conference|journal|会议|期刊|来源|发表|出处|published)$", re.I)
_AUTHOR_COLS = re.compile(r"^(authors?|作者)$", re.I)


def _table_item(header: List[str], line: str, lineno: int, section: Tuple[str, ...],
                problems: List[Problem], source: str) -> Optional[Item]:
    cells = _split_row(line)
    if not any(c.strip(" -") for c in cells):
        return None
    item = Item(line=lineno, raw=line, section=section, from_table=True)
    title_idx = next((k for k, h in enumerate(header) if _TITLE_COLS.match(h)), 0)
    for k, cell in enumerate(cells):
        text, links = find_links(cell)
        base = len(item.links)
        for j, lk in enumerate(links):
            if not is_navigation(lk.url):
                item.links.append(lk)
            text = text.replace(PLACEHOLDER.format(j), lk.label if k == title_idx else "")
        text = _clean_inline(text).strip(" -·")
        head = header[k] if k < len(header) else ""
        if k == title_idx:
            item.title = text or (links[0].label if links else "")
        elif _YEAR_COLS.match(head) or _VENUE_COLS.match(head):
            claims, _ = find_claims(text, lineno)
            item.claims.extend(claims)
        elif _AUTHOR_COLS.match(head) and text:
            item.authors.extend(parse_author_list(text))
        elif text and base == len(item.links) and head:
            item.notes.append(f"{head}: {text}")
    if not item.title:
        problems.append(Problem(source, lineno, "table row without a title", line))
        return None
    return item


def parse_item(body: str, lineno: int, section: Tuple[str, ...], problems: List[Problem],
               source: str = "<string>", raw: str = "") -> Optional[Item]:
    """Read one item's text (without its list marker)."""
    raw = raw or body
    item = Item(line=lineno, raw=raw, section=section)
    text, links = find_links(body)
    nav = [lk for lk in links if is_navigation(lk.url)]
    if links and len(nav) == len(links) and not text.replace(PLACEHOLDER.format(0), "").strip(" .-"):
        return None  # a table-of-contents entry: navigation, not an item
    _check_balance(text, lineno, raw, problems, source)
    item.ids.update(ids_in_text(text))

    title = ""
    rest_after = ""
    stripped = text.strip()
    mb = _BOLD_LEAD.match(stripped)
    mlink = re.match(r"^\x00(\d+)\x00", stripped)
    cells = [c.strip() for c in stripped.split("|")]
    if mb and len(_clean_inline(mb.group("title"))) > 1:
        # **Title**. *Authors*. VENUE YEAR. [[pdf](url)] (**Alias**)
        title = mb.group("title")
        rest_after = stripped[mb.end():]
    elif mlink and links[int(mlink.group(1))].label and \
            not _GENERIC_LABELS.match(links[int(mlink.group(1))].label.strip()):
        # [Title](url) (ACL2020) note
        title = links[int(mlink.group(1))].label
        rest_after = stripped[mlink.end():]
    elif len(cells) >= 3:
        return _pipe_item(item, cells, links, problems, source)
    else:
        # Title，**EMNLP 2020** (url) note
        first = re.search(r"\x00\d+\x00", stripped)
        if first:
            title = stripped[: first.start()]
            rest_after = stripped[first.start():]
        else:
            title = stripped
        title, claim = strip_trailing_claim(title, lineno)
        if claim is not None:
            item.claims.append(claim)
    _read_rest(item, rest_after, links, lineno)
    item.links = [lk for lk in links if not is_navigation(lk.url)]
    item.title = _clean_title(title, links)
    if not item.title:
        if item.links:
            problems.append(Problem(source, lineno, "item without a title: its link stands in", raw))
            item.title = item.links[0].label or item.links[0].url
        else:
            problems.append(Problem(source, lineno, "item without a title or a link", raw))
            return None
    return item


def _clean_title(title: str, links: Sequence[FoundLink]) -> str:
    for j in placeholders(title):
        title = title.replace(PLACEHOLDER.format(j), links[j].label)
    title = _clean_inline(title)
    title = title.strip(" \t,，;；:：|")
    title = re.sub(r"\s*\.$", "", title) if not title.endswith("..") else title
    return title.strip()


_AUTHORS = re.compile(r"(?<![*\w])\*(?!\*)(?P<a>[^*]+?)\*(?!\*)")
_ALIAS = re.compile(r"[(（]\s*(\*\*|__)(?P<a>[^*_]+?)\1\s*[)）]")


def _read_rest(item: Item, rest: str, links: Sequence[FoundLink], lineno: int) -> None:
    """Authors, claims, aliases and notes from the text around the links."""
    for m in _ALIAS.finditer(rest):
        item.aliases.append(m.group("a").strip())
    rest = _ALIAS.sub(" ", rest)
    ma = _AUTHORS.search(rest)
    if ma and not _CJK.search(ma.group("a")):
        item.authors.extend(parse_author_list(ma.group("a")))
        rest = rest[: ma.start()] + " " + rest[ma.end():]
    claims, rest = find_claims(rest, lineno)
    item.claims.extend(claims)
    # notes: what is left between and after the links
    for chunk in re.split(r"\x00\d+\x00", rest):
        note = _clean_inline(chunk)
        note = note.strip(" .,，;；:：[]")
        note = re.sub(r"^[（(](.*)[)）]$", r"\1", note).strip()
        if note and re.search(r"\w", note):
            item.notes.append(note)


def _pipe_item(item: Item, cells: List[str], links: Sequence[FoundLink], problems: List[Problem],
               source: str) -> Optional[Item]:
    """``2019 | Title | Authors, et al. | arXiv | [PDF](url)``"""
    rest: List[str] = []
    for cell in cells:
        if not cell:
            continue
        if re.fullmatch(r"(\x00\d+\x00\s*[·,]?\s*)+", cell):
            continue
        claims, left = find_claims(cell, item.line)
        if claims and not _clean_inline(left).strip(" .,"):
            item.claims.extend(claims)
            continue
        rest.append(cell)
    item.links = [lk for lk in links if not is_navigation(lk.url)]
    if rest:
        item.title = _clean_title(rest[0], links)
    if len(rest) > 1:
        item.authors.extend(parse_author_list(_clean_inline(rest[1])))
    for extra in rest[2:]:
        item.notes.append(_clean_inline(extra))
    if not item.title:
        problems.append(Problem(source, item.line, "item without a title", item.raw))
        return None
    return item


def _check_balance(text: str, lineno: int, raw: str, problems: List[Problem], source: str) -> None:
    t = re.sub(r"\x00\d+\x00", "", text)
    opened = t.count("[") - t.count("]")
    parens = (t.count("(") + t.count("（")) - (t.count(")") + t.count("）"))
    if opened:
        problems.append(Problem(source, lineno, "unbalanced square brackets", raw))
    elif parens:
        problems.append(Problem(source, lineno, "unbalanced parentheses", raw))


# ---------------------------------------------------------------------------
# items -> records

_PAPER_LINKS = ("paper", "pdf")


def _language(text: str) -> str:
    return "zh" if _CJK.search(text) else "en"


def normalize_title(title: str) -> str:
    """Comparison form of a title: casefolded, punctuation and spaces dropped."""
    t = title.casefold().replace("’", "'")
    return re.sub(r"[\W_]+", "", t)


def item_to_record(item: Item, source: str) -> Record:
    ids: Dict[str, str] = {}
    for lk in item.links:
        for k, v in extract_ids(lk.url).items():
            ids.setdefault(k, v)
    for k, v in item.ids.items():
        ids.setdefault(k, v)
    venue_claims = [c for c in item.claims if c.venue and not c.preprint]
    is_paper = bool(ids) or bool(venue_claims) or (bool(item.authors) and not item.from_table) or \
        any(c.preprint for c in item.claims)
    if is_paper and item.links and all(lk.kind in ("blog", "qa", "video") for lk in item.links) \
            and not item.authors:
        is_paper = False
    if item.links and all(lk.kind == "slides" for lk in item.links) and not venue_claims:
        is_paper = False
    urls = tuple(Link(url=lk.url, kind=lk.kind, label=lk.label, line=item.line) for lk in item.links)
    year = venue = track = None
    provenance: Dict[str, str] = {}
    if is_paper:
        if "acl" in ids:
            venue, year, track = acl_venue(ids["acl"])
            provenance.update(venue="acl-id", year="acl-id")
        if venue is None and venue_claims:
            venue, year = venue_claims[0].venue, venue_claims[0].year
            provenance.update(venue="list", year="list")
        if year is None and "arxiv" in ids:
            year = arxiv_year(ids["arxiv"])
            provenance["year"] = "arxiv-id"
        if year is None:
            years = [c.year for c in item.claims if c.year]
            if years:
                year = years[0]
                provenance["year"] = "list"
        if venue is None and "arxiv" in ids:
            venue = "arXiv"
            provenance["venue"] = "arxiv-id"
        info = venue_info(venue) if venue else None
        entry_type = info.entry_type if info else ("inproceedings" if venue else "misc")
        kind = PAPER
        resource_kind = None
    else:
        kind = RESOURCE
        entry_type = "online"
        kinds = [lk.kind for lk in item.links]
        resource_kind = {"slides": "slides", "blog": "blog", "code": "repository", "qa": "qa",
                         "video": "video"}.get(kinds[0], "webpage") if kinds else "webpage"
    return Record(
        key="",
        title=item.title,
        kind=kind,
        entry_type=entry_type,
        authors=tuple(item.authors),
        year=year,
        venue=venue,
        track=track,
        ids=ids,
        urls=urls,
        sections=(item.section,),
        notes=tuple(item.notes),
        aliases=tuple(item.aliases),
        claims=tuple(item.claims),
        titles_as_listed=(item.title,),
        source=source,
        lines=(item.line,),
        language=_language(item.title),
        resource_kind=resource_kind,
        site=site_name(item.links[0].url) if item.links and kind == RESOURCE else None,
        provenance=provenance,
    )


T = TypeVar("T")


def _uniq(seq: Iterable[T]) -> Tuple[T, ...]:
    out: List[T] = []
    for x in seq:
        if x not in out:
            out.append(x)
    return tuple(out)


def merge_records(a: Record, b: Record) -> Record:
    """One record from two listings of the same item: every link, section, note, claim kept."""
    seen = {u.url for u in a.urls}
    urls = a.urls + tuple(u for u in b.urls if u.url not in seen)
    ids = dict(b.ids)
    ids.update(a.ids)
    kind = PAPER if PAPER in (a.kind, b.kind) else RESOURCE
    base = a if a.kind == kind else b
    return base.replace(
        urls=urls,
        ids=ids,
        sections=_uniq(a.sections + b.sections),
        notes=_uniq(a.notes + b.notes),
        aliases=_uniq(a.aliases + b.aliases),
        claims=a.claims + b.claims,
        titles_as_listed=_uniq(a.titles_as_listed + b.titles_as_listed),
        lines=a.lines + b.lines,
        authors=a.authors or b.authors,
        year=a.year or b.year,
        venue=a.venue or b.venue,
    )


def identity_keys(r: Record) -> List[str]:
    """What makes two listings the same item: an id, a URL, or the normalised title."""
    t = normalize_title(r.title)
    if r.kind == RESOURCE:
        # a resource is the same when both its link and its title are: tables list
        # several models behind one download page
        return [f"url:{u.url.rstrip('/').lower()}|{t}" for u in r.urls] or [f"rtitle:{t}"]
    keys = [f"{k}:{v.lower()}" for k, v in sorted(r.ids.items()) if k in ("arxiv", "acl", "doi", "openreview")]
    if len(t) >= 8:
        keys.append(f"title:{t}")
    return keys


def items_to_records(items: Sequence[Item], source: str) -> Tuple[List[Record], List[Problem]]:
    """Records from items, merging duplicates (the merge is reported as a Problem of level info)."""
    records: List[Record] = []
    index: Dict[str, int] = {}
    problems: List[Problem] = []
    for item in items:
        rec = item_to_record(item, source)
        lookup = identity_keys(rec)
        if rec.kind == RESOURCE and len(normalize_title(rec.title)) >= 8:
            # a slide deck listed under a paper's exact title is that paper's extra link
            lookup.append(f"title:{normalize_title(rec.title)}")
        hit = next((index[k] for k in lookup if k in index), None)
        if hit is None:
            index.update({k: len(records) for k in identity_keys(rec)})
            records.append(rec)
            continue
        prev = records[hit]
        records[hit] = merge_records(prev, rec)
        index.update({k: hit for k in identity_keys(records[hit])})
        problems.append(Problem(source, item.line,
                                f"duplicate of the item on line {prev.line}: merged", item.raw, level="info"))
    return records, problems
