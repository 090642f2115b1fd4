"""The field recogniser: one item's segments -> title, authors, claims, links, aliases, notes.

Each segment (:mod:`.segments`) is scored for each field from its features: a name list's
shape (:mod:`.authors`), the venue registry and venue phrases (:mod:`.claims`), dates,
position, formatting, table column, length, CJK.  Then one consistent assignment is chosen:
one title (the best title-scored segment that is not a claim, a name list or a link label),
the best name list as authors, every claim, the rest as aliases and notes.  The shapes of
detail lines (``- Paper: url``) are told here too.  Nothing here names a list: every rule is
about a shape.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Tuple

from plm_bib.metadata.ids import ids_in_text
from plm_bib.metadata.links import FoundLink, is_navigation, link_kind
from plm_bib.metadata.names import han_name, parse_author_list
from plm_bib.metadata.venues import canonical_venue
from plm_bib.model import Claim, Person
from plm_bib.readinglist.authors import author_list
from plm_bib.readinglist.claims import VENUE_WORDS, claim_of, is_date, known_venue
from plm_bib.readinglist.inline import Piece, pieces_text
from plm_bib.readinglist.segments import TYPE_CODE, Seg, badge_text, segments
from plm_bib.readinglist.text import CJK, DECOR, WORD, clean, is_generic_label, strip_ends

__all__ = ["Item", "recognise", "is_detail", "links_only"]

_HAN_NAME = re.compile(r"[\u3400-\u9fff]{2,4}")
_RESOURCE_WORDS = re.compile(r"\b(tutorial|slides|lecture|course|talk|keynote|toolkit|library|blog|video|"
                             r"leaderboard|benchmark suite|cheat ?sheet)\b|教程|讲习班|视频|课程|讲座|博客|幻灯片",
                             re.I)


def _short_tag(text: str) -> bool:
    """A tag of a few words (``tutorial``, ``KDD 2023 tutorial``), not a description."""
    return len(WORD.findall(CJK.sub(" ", text))) + len(CJK.findall(text)) / 2 <= 4


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
    title_score: float = 0.0
    hints: List[str] = field(default_factory=list)  # "paper-table", "resource-word", "video-table", "type-code:J"
    date_claims: List[Claim] = field(default_factory=list)  # dates of a video table: the video's
    doubts: List[str] = field(default_factory=list)


_KEY_VALUE = re.compile(r"^\s*(?P<k>[A-Za-z][A-Za-z &/-]{0,24}|[\u3400-\u9fff]{1,8})\s*[:：]\s*(?P<v>.*)$", re.S)


def is_detail(pieces: Sequence[Piece]) -> bool:
    """A sub-bullet or line that gives details of an item: ``Paper: url``, ``论文链接：url``,
    ``[[code](url)]``, a name list, a venue claim."""
    text = pieces_text(list(pieces))
    has_link = any(p.link for p in pieces) or "http" in text
    m = _KEY_VALUE.match(text)
    if m and len(WORD.findall(m.group("k"))) <= 3 and _value_is_links(m.group("v"), pieces):
        return True
    segs = [s for s in segments(pieces) if s.text.strip(" []()") or s.kind in ("link", "url")]
    if segs and all(s.kind in ("link", "url") and (is_generic_label(s.text) or not s.text.strip()) or
                    DECOR.match(s.text) for s in segs):
        return True
    if not has_link and (author_list(text) or claim_of(text)):
        return True
    return False


def _value_is_links(value: str, pieces: Sequence[Piece]) -> bool:
    """The value of a ``key: value`` line holds nothing but links (or says there is none)."""
    v = re.sub(r"https?://\S+", " ", value)
    for p in pieces:
        if p.link and p.text:
            label = p.text.strip()
            if is_generic_label(label) or label.startswith("http"):
                v = v.replace(p.text, " ")
    v = v.strip(" []()（）,，;；|·")
    return v.lower() in ("", "none", "null", "n/a", "-", "无", "暂无") or \
        (not v.strip() and bool(value.strip()))


def links_only(pieces: Sequence[Piece]) -> bool:
    segs = [s for s in segments(pieces) if s.text.strip(" []()·|,") or s.kind in ("link", "url")]
    return bool(segs) and all(s.kind in ("link", "url") or DECOR.match(s.text) for s in segs)


# ---------------------------------------------------------------------------------- assignment
_TITLE_BASE = {"quoted": 6.0, "heading": 6.0, "bold": 4.0, "link": 3.0, "italic": 1.5, "plain": 2.0,
               "code": -1.0, "tag": -2.0}
_TITLE_COLUMN = re.compile(r"^(title|titles|paper|papers|name|名字|论文|标题|题目|名称|文章|model|模型|"
                           r"paper title|论文标题)$", re.I)
_DATE_COLUMN = re.compile(r"^(year|年份|年|时间|日期|date|published|time|发表时间)$", re.I)
# one person written with initials, "A. Author", "J.-P. Smith", "A. B. de Vries": a name, not a phrase
_INITIALS_NAME = re.compile(r"(?:[A-Z]\.(?:-?[A-Z]\.)*\s?){1,3}\s*(?:(?:de|van|von|der|da|di|le|la)\s+)*[A-Z][\w'’-]+")
_VENUE_COLUMN = re.compile(r"^(venue|conference|conf\.?|journal|会议|期刊|来源|发表|出处|会议/期刊|publication)$", re.I)
_AUTHOR_COLUMN = re.compile(r"^(authors?|作者)$", re.I)
_VIDEO_COLUMN = re.compile(r"video|视频|时长|duration", re.I)
_PAPER_COLUMN = re.compile(r"^(paper|papers|论文|pdf|论文链接|paper link)$", re.I)
_PAPER_TABLE = re.compile(r"^(paper|papers|论文|year|年份|venue|conference|citation|引用|authors?|作者)", re.I)


_LEAD_IN = re.compile(r"[:：☞→➜⇒»]\s*$")
_ACRONYM = re.compile(r"[A-Z][A-Za-z]*[A-Z][A-Za-z]*\d?")


def _title_score(s: Seg, n: int) -> float:
    t = strip_ends(clean(s.text))
    if not t or len(t) < 2 or DECOR.match(t):
        return -99.0
    score = _TITLE_BASE.get(s.kind, 0.0)
    if s.column:
        if _TITLE_COLUMN.match(s.column):
            score += 5.0
        else:
            score -= 2.0
    words = len(t.split())
    cjk = len(CJK.findall(t))
    score += 0.3 * min(words + cjk / 2, 10)
    if words == 1 and not cjk and len(t) < 4:
        score -= 1.0
    score -= 0.05 * s.pos
    if s.kind == "plain" and _LEAD_IN.search(s.text.strip()):
        score -= 2.5
    return score


def recognise(pieces: Sequence[Piece], line: int, raw: str, section: Tuple[str, ...],
              details: Sequence[Sequence[Piece]] = (), cells: Sequence[Sequence[Piece]] = (),
              header: Sequence[str] = (), heading_title: Optional[List[Piece]] = None) -> Item:
    """One item from its pieces (or a table row's cells), its detail lines and, for an item
    made of a heading and its detail bullets, the heading's pieces."""
    item = Item(line=line, raw=raw, section=section)
    segs: List[Seg] = []
    if cells:
        item.from_table = True
        for k, cell in enumerate(cells):
            col = header[k] if k < len(header) else ""
            segs.extend(segments(cell, column=col or f"#{k}"))
        paper_cols = [k for k, h in enumerate(header) if _PAPER_COLUMN.match(h.strip())]
        if paper_cols:
            # a Paper column: the row is a paper when that cell links a paper
            for k in paper_cols:
                for seg in segments(cells[k]) if k < len(cells) else []:
                    if seg.href and not is_navigation(seg.href) and \
                            link_kind(seg.href, seg.text) in ("paper", "pdf"):
                        item.hints.append("paper-table")
                        break
        elif any(_PAPER_TABLE.match(h.strip()) for h in header):
            item.hints.append("paper-table")
        if any(_VIDEO_COLUMN.search(h) for h in header):
            item.hints.append("video-table")
    else:
        if heading_title is not None:
            for s in segments(heading_title):
                if s.kind in ("plain", "bold", "italic"):
                    s.kind = "heading"
                segs.append(s)
        segs.extend(segments(pieces))
    for d in details:
        base = len(segs)
        text = pieces_text(list(d))
        m = _KEY_VALUE.match(text)
        dsegs = segments(d)
        if m and len(WORD.findall(m.group("k"))) <= 3 and _value_is_links(m.group("v"), d):
            if _PAPER_COLUMN.match(m.group("k").strip()):
                item.hints.append("paper-key")  # "Paper: url" (or "Paper: None"): the item is a paper
            for s in dsegs:
                if s.kind in ("link", "url"):
                    if not s.text.strip() or s.text.strip() == s.href:
                        s.text = m.group("k")
                    s.kind = "link"
                    s.column = "detail"
                    segs.append(s)
            continue
        for s in dsegs:
            s.row += 1000
            s.column = "detail"
            segs.append(s)
        del base
    for k, s in enumerate(segs):
        s.pos = k
    _assign(item, segs, line)
    if heading_title is None and not cells:
        item.ids.update(ids_in_text(pieces_text(list(pieces))))
    return item


def _assign(item: Item, segs: List[Seg], line: int) -> None:
    n = len(segs)
    cand: List[Tuple[float, Seg]] = []
    author_cands: List[Tuple[int, Seg, List[Person]]] = []
    title_link_href = ""
    first_link = min((s.pos for s in segs if s.kind in ("link", "url") and s.href and not is_navigation(s.href)
                      and not s.column and not s.bracketed), default=n)
    # a reference written as GB/T 7714 writes it ("曾小明. 标题[J]. 期刊, 2021."): its first
    # sentence is its authors, a single Chinese name too, and the sentence before the code its title
    code_at = next((k for k, s in enumerate(segs)
                    if s.kind == "tag" and not s.lead and TYPE_CODE.fullmatch(s.text.strip(" []"))), None)
    gbt_first = next((s for s in segs if s.kind != "tag"), None) if code_at is not None else None
    gbt_title = next((s for s in reversed(segs[:code_at]) if s.kind != "tag"), None) if code_at else None
    for s in segs:
        text = clean(s.text)
        col = s.column
        if s.href and s.kind in ("link", "url", "tag") and not is_navigation(s.href) and \
                all(lk.url != s.href for lk in item.links):
            item.links.append(FoundLink(url=s.href, label=text.strip(" []【】"),
                                        kind=link_kind(s.href, text.strip(" []【】"))))
        if s.kind in ("link", "url"):
            if s.href and is_navigation(s.href):
                s.role = "nav"
            for src in s.images:
                b = badge_text(src)
                c = claim_of(b, line, tag=True) if b else None
                if c is not None:
                    item.claims.append(c)
            if not text.strip() or is_generic_label(text):
                s.role = "label"
                continue
            if _ACRONYM.fullmatch(text.strip()) and len(text.strip()) <= 8 and \
                    (canonical_venue(text.strip()) or s.pos < n - 1):
                v = canonical_venue(text.strip()) or text.strip()
                if canonical_venue(text.strip()) or not col:
                    item.claims.append(Claim(raw=text.strip(), venue=v, year=None, line=line))
                    s.role = "claim"
                    continue
        if s.kind == "image":
            b = badge_text(s.images[0]) if s.images else ""
            c = claim_of(b, line, tag=True) if b else None
            if c is not None:
                item.claims.append(c)
            continue
        if s.kind == "pipe" or not text.strip(" []()·|,.:：;-") or DECOR.match(text):
            continue
        if col and _DATE_COLUMN.match(col.strip()):
            dc = claim_of(text, line)
            y = is_date(text.strip()) or (dc.year if dc is not None else None)
            if y:
                c = Claim(raw=text.strip(), venue=None, year=y, line=line)
                (item.date_claims if "video-table" in item.hints else item.claims).append(c)
                s.role = "claim"
                continue
        if col and _VENUE_COLUMN.match(col.strip()):
            c = claim_of(text, line, tag=True) or Claim(raw=text.strip(), venue=strip_ends(text), line=line)
            item.claims.append(c)
            s.role = "claim"
            continue
        if col and _AUTHOR_COLUMN.match(col.strip()):
            listed = author_list(text) or parse_author_list(strip_ends(text))
            if listed:
                author_cands.insert(0, (100, s, listed))
                s.role = "authors"
                continue
        raw_text = text.strip()
        if s.kind == "tag" and raw_text[:1] in "([（【" and raw_text[-1:] in ")]）】":
            text = raw_text[1:-1]
        stripped = strip_ends(text)
        c = claim_of(stripped, line, tag=s.kind == "tag") if s.kind not in ("code",) else None
        if c is not None and s.kind == "tag" and not s.lead and c.venue and c.year and raw_text[:1] in "(（" \
                and not known_venue(c.venue) and not known_venue(c.raw.strip("()（） ").split(" ")[0]) \
                and not VENUE_WORDS.search(text):
            # "(Google 2018)", "(MSRA 2015)": an institution and a year, not a venue
            item.notes.append(text.strip())
            c = Claim(raw=raw_text, venue=None, year=c.year, line=line)
            item.claims.append(c)
            s.role = "claim"
            continue
        if c is not None and (s.kind != "link"):
            written = f"**{s.text}**" if s.kind == "bold" else raw_text if s.kind == "tag" else c.raw
            if c.raw == stripped and written != c.raw:
                c = Claim(raw=written, venue=c.venue, year=c.year, line=c.line, preprint=c.preprint,
                          track=c.track)
            item.claims.append(c)
            s.role = "claim"
            rest = re.sub(r"(?i)\b(withdrawn|oral|spotlight|poster|accepted|long|short|main)\b", "", stripped)
            if _RESOURCE_WORDS.search(rest) and _short_tag(rest):
                item.hints.append("resource-word")
            continue
        if s.kind == "tag" and not s.lead and raw_text[:1] == "[" and TYPE_CODE.fullmatch(stripped):
            # a GB/T 7714 document type code ("Title[J]. Venue"): what the item is, no alias
            item.hints.append("type-code:" + stripped)
            s.role = "type-code"
            continue
        if s.kind == "tag":
            # a year with a name that is no venue: "(Google 2018)"
            m = re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", stripped)
            if m and len(stripped) <= 40:
                item.claims.append(Claim(raw=stripped, venue=None, year=int(m.group(1)), line=line))
                s.role = "claim"
                continue
            if stripped.startswith("@"):
                item.notes.append(stripped)
                s.role = "note"
                continue
            if _RESOURCE_WORDS.search(stripped) and _short_tag(stripped):
                item.hints.append("resource-word")
            if len(stripped.split()) <= 3 and not CJK.search(stripped) and s.lead:
                s.role = "alias"
            elif len(stripped.split()) <= 2 and not CJK.search(stripped) and not s.lead:
                s.role = "alias"
            else:
                s.role = "note"
            continue
        people: Optional[List[Person]] = author_list(stripped)
        if people is None and s is gbt_first and s.kind == "plain" and _HAN_NAME.fullmatch(stripped):
            people = [han_name(stripped)]
        if people is None:
            my = re.search(r"^(?P<a>.*?\S)\s*[,，]\s*(?P<y>(?:19|20)\d\d)$", stripped)
            if my:
                people = author_list(my.group("a"))
                if people is not None:
                    item.claims.append(Claim(raw=my.group("y"), venue=None, year=int(my.group("y")), line=line))
        single = people is not None and len(people) == 1
        if single and not (s.kind == "italic" or s is gbt_first or s.row >= 1000
                           or re.match(r"^[A-Z][\w'’-]+,\s+[A-Z]", stripped) or re.match(r"^by\s", stripped)
                           or _INITIALS_NAME.fullmatch(stripped)):
            people = None
        if people is not None:
            bonus = 3 if s.kind == "italic" else 2 if s.row >= 1000 else 0
            author_cands.append((len(people) + bonus, s, people))
        score = _title_score(s, n) + (5.0 if s is gbt_title and s is not gbt_first else 0.0)
        if s.pos > first_link and s.kind not in ("link", "heading") and s.row < 1000:
            score -= 2.0
        if s.kind == "link":
            if s.bracketed:
                score -= 3.0  # [[S3DIS](url)] The Stanford ... Dataset: the bracketed link is a tag
            elif len(clean(s.text).split()) >= 3 or len(CJK.findall(s.text)) >= 6:
                score += 1.5  # a link whose text is a phrase: the usual title carrier
        if people is not None:
            score -= 6.0 if len(people) > 1 else 2.5
        if s.kind == "link":
            title_link_href = title_link_href or s.href
        cand.append((score, s))
    best: Optional[Seg] = None
    if cand:
        score, best = max(cand, key=lambda x: x[0])
        item.title_score = score
        # a year or venue written right after the title in the same emphasis run was peeled already
        item.title = strip_ends(clean(best.text))
        best.role = "title"
        if best.kind == "link" and best.href and not is_navigation(best.href):
            # the title's own link first: it is the item's main link
            for k, lk in enumerate(item.links):
                if lk.url == best.href:
                    item.links.insert(0, item.links.pop(k))
                    break
    if best is not None and best.kind == "link":
        for s in segs:
            t = strip_ends(clean(s.text))
            if s.pos < best.pos and s.kind == "plain" and not s.role and re.fullmatch(r"[A-Z][A-Z0-9&-]{1,9}", t):
                # "20200529 TNNLS [Title](url)": an acronym before the title link names the venue
                item.claims.append(Claim(raw=t, venue=canonical_venue(t) or t, line=line))
                s.role = "claim"
    for _, s, people in sorted(author_cands, key=lambda x: -x[0]):
        if s is best:
            continue
        item.authors = people
        s.role = "authors"
        break
    if best is not None and item.authors and not any(c.venue for c in item.claims):
        for s in segs:
            if s.pos > best.pos and s.kind == "italic" and not s.role:
                v = re.sub(r"[,.]\s*\d[\d:()\s-]*$", "", strip_ends(clean(s.text))).strip()
                if v and len(v) <= 120:
                    item.claims.append(Claim(raw=s.text.strip(), venue=canonical_venue(v) or v, line=line))
                    s.role = "claim"
                break
    for s in segs:
        if s.kind == "tag":
            t = s.text.strip()
            if t[:1] in "([（【" and t[-1:] in ")]）】":
                s.text = t[1:-1]
        if s.role == "alias":
            item.aliases.append(strip_ends(clean(s.text)))
        elif s.role == "note" or (not s.role and s is not best and s.kind in ("plain", "bold", "italic", "quoted",
                                                                           "code", "heading")):
            t = strip_ends(clean(s.text))
            t = re.sub(r"^[（(](.*)[)）]$", r"\1", t).strip()
            if t and re.search(r"\w", t) and t not in item.notes:
                item.notes.append(t)
    if best is not None and _RESOURCE_WORDS.search(" ".join(WORD.findall(clean(item.title))[:2])):
        item.hints.append("resource-word")
    del title_link_href
