"""An item's pieces -> segments: link texts, emphasis runs, code spans, quoted strings,
bracket tags (``[..]`` ``【..】`` ``(..)`` at the start or end of a run), leading claims and
kinds (``2019.10``, ``Tutorial:``), sentences of a citation, ``|`` cells and badges.

Segments only carry text, formatting and position; :mod:`plm_bib.readinglist.fields` decides
what each one is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import List, Sequence, Tuple

from plm_bib.metadata.links import find_links
from plm_bib.readinglist.authors import author_list
from plm_bib.readinglist.claims import ACRONYM_YEAR, JOURNAL_VOLUME, claim_of, is_date, venue_phrase
from plm_bib.readinglist.inline import Piece
from plm_bib.readinglist.text import EMOJI, SHORTCODE, clean, strip_ends

__all__ = ["Seg", "segments", "badge_text", "TYPE_CODE"]


@dataclass
class Seg:
    """A segment of an item: its text, formatting and where it sits."""

    kind: str  # link, bold, italic, code, plain, quoted, tag, url, image
    text: str
    href: str = ""
    row: int = 0
    pos: int = 0
    lead: bool = False  # a tag before the text of its run
    images: List[str] = field(default_factory=list)
    column: str = ""
    role: str = ""  # decided role
    bracketed: bool = False  # a link written inside brackets: [[CVPR](url)]


_LEAD_TAG = re.compile(r"^\s*(\[[^\[\]]{1,60}\]|【[^【】]{1,60}】)\s*")
_TRAIL_TAG = re.compile(r"\s*(\([^()]{1,80}\)|（[^（）]{1,80}）|【[^【】]{1,80}】|\[[^\[\]]{1,60}\])\s*[.。]?\s*$")
_LEAD_KIND = re.compile(r"^\s*(?P<k>tutorial|slides|video|talk|keynote|lecture|course|blog|dataset|code|book|"
                        r"survey|phd ?thesis|master'?s? ?thesis|thesis|教程|视频|综述|代码|数据集)\s*[:：]\s*", re.I)
_THESIS = re.compile(r"^\s*(?P<k>phd ?thesis|master'?s? ?thesis|doctoral thesis|dissertation)\s+(?=\S)", re.I)
_QUOTED = re.compile(r"[\"“](?P<q>[^\"“”]{3,}?)[,.]?[\"”]")
# the sentences of a citation: "Family, G. Title. Venue 2020", "曾小明、沈大力. 计算机学报 2020",
# "曾小明，沈大力。计算机学报", "曾小明. 标题[J]. 计算机学报, 2020"
_SENTENCE = re.compile(r"(?<=[a-z\u00e0-\u024f)\]\d*\u3400-\u9fff]{2})\.\s+|(?<=\d)\.\s+|(?<=\d),(?=\s*[A-Z])|"
                       r"\.\s+(?=(?:19|20)\d\d\b)|(?<=[\u3400-\u9fff])。\s*(?=\S)|"
                       # after a GB/T 7714 type code: "Title[J]. Venue", "[EB/OL]. "
                       r"(?<=\[[A-Z]\])\.\s+|(?<=\[[A-Z]{2}\])\.\s+|(?<=/OL\])\.\s+")
# a GB/T 7714 document type code after a title: [J] [C] [M] [D] [R] [EB/OL] [J/OL] ...
TYPE_CODE = re.compile(r"(?:[JCMDRANGSPZ]|EB|DB|CP|DS)(?:/OL)?")
_TYPE_CODE_END = re.compile(r"(\[" + TYPE_CODE.pattern + r"\])\s*$")
_LEAD_CLAIM = re.compile(r"^\s*(?P<c>(?:19|20)\d\d(?:[./-]\d{1,2}){0,2}|(?:19|20)\d{6}|(?:19|20)\d\d[01]\d|"
                         r"[A-Z][A-Za-z-]*[A-Z][A-Za-z]*\s*(?:-|'|’)\d\d|[A-Z][A-Za-z-]*[A-Z][A-Za-z]*[\s_-]?(?:19|20)\d\d|"
                         r"arXiv)(?=[\s:,，]|$)[\s:：,，]*")


_POINTER_END = re.compile(r"\s*[☞→➜⇒»]\s*$")
_WHOLE_TAG = re.compile(r"\s*(\([^()]*\)|（[^（）]*）|\[[^\[\]]*\]|【[^【】]*】)\s*[.。,，]?\s*")
_BY_PEOPLE = re.compile(r"\s+(by\s+[A-Z][^()\[\]（）]{2,80}?)\s*(?=[(（][^()（）]*[)）]\s*$)")
_PLACEHOLDERS = re.compile(r"\x00(\d+)\x00")
_BRACKETED = re.compile(r"\s*(\[[^\[\]]*\]|【[^【】]*】)\s*")


@lru_cache(maxsize=16384)
def _peel(text: str, kind: str) -> Tuple[Tuple[str, str, bool], ...]:
    """Split one run's text into (kind, text, lead) parts: bracket tags at its ends, claims in
    front, quoted strings, sentences of a citation.  (A pure function of its text, memoised:
    labels such as ``[pdf]`` and ``[code]`` come back hundreds of times in a list.)"""
    parts: List[Tuple[str, str, bool]] = []
    t = _POINTER_END.sub("：", text)
    t = SHORTCODE.sub(" ", EMOJI.sub(" ", t)) if (EMOJI.search(t) or ":" in t) else t
    whole = _WHOLE_TAG.fullmatch(t)
    if whole:
        return (("tag", whole.group(1), False),)
    core = t.strip(" .,;\"“”")
    if ACRONYM_YEAR.match(core) or JOURNAL_VOLUME.match(core):
        return ((kind, t, False),)  # "ANIPS(2014)", "Nature 518.7540 (2015): 529-533": one claim
    if kind in ("bold", "italic") and _LEAD_CLAIM.match(core) and claim_of(core) is not None:
        return ((kind, t, False),)  # "**EMNLP 2020 Demos**", "**ACL 2020 (short)**": one claim, its track in it
    # leading tags and claims
    while True:
        m = _LEAD_TAG.match(t)
        if m and t[m.end():].strip():
            parts.append(("tag", m.group(1), True))
            t = t[m.end():]
            continue
        m = _LEAD_CLAIM.match(t)
        if m and t[m.end():].strip() and claim_of(m.group("c").strip()) is not None:
            parts.append(("tag", m.group("c").strip(), True))
            t = t[m.end():]
            if parts and re.match(r"^(and|&|/)\s+\S", t):
                nxt = _LEAD_CLAIM.match(re.sub(r"^(and|&|/)\s+", "", t))
                if nxt and claim_of(nxt.group("c").strip()) is not None:
                    t = re.sub(r"^(and|&|/)\s+", "", t)
            continue
        m = _THESIS.match(t)
        if m and t[m.end():].strip():
            parts.append(("tag", m.group("k"), True))
            t = t[m.end():]
            continue
        m = _LEAD_KIND.match(t)
        if m and t[m.end():].strip():
            parts.append(("tag", m.group("k"), True))
            t = t[m.end():]
            continue
        break
    trailing: List[Tuple[str, str, bool]] = []
    if (t.count('"') + t.count("“") + t.count("”")) % 2:
        t = re.sub(r'[\s"“”]+$', "", t)  # the opening quote of a quoted title that follows
    mby = _BY_PEOPLE.search(t)
    by_people = author_list(mby.group(1)) if mby else None
    if mby and by_people is not None and all(1 < len(p.display().split()) <= 3 for p in by_people) and \
            t[: mby.start()].strip():
        trailing.append(("plain", mby.group(1), False))
        t = t[: mby.start()] + t[mby.end():]
    while True:
        m = _TRAIL_TAG.search(t)
        if not m or not t[: m.start()].strip():
            break
        inner = m.group(1)[1:-1]
        if m.group(1)[0] in "(（" and claim_of(inner) is None and not inner.strip().startswith("@") and \
                not is_date(inner) and not (len(inner) <= 40 and re.search(r"(?<!\d)(19|20)\d\d(?!\d)", inner)):
            break
        trailing.insert(0, ("tag", m.group(1), False))
        t = t[: m.start()]
    # quoted strings
    body: List[Tuple[str, str, bool]] = []
    last = 0
    # quoted strings: in plain text, and in an emphasis run only when they are all of it (a
    # quote inside a bold or italic title is part of the title)
    quotes = [m for m in _QUOTED.finditer(t) if kind == "plain" or not clean(t[:m.start()] + t[m.end():]).strip()]
    for m in quotes:
        body.append((kind, t[last: m.start()], False))
        body.append(("quoted", m.group("q"), False))
        last = m.end()
    body.append((kind, t[last:], False))
    out: List[Tuple[str, str, bool]] = []
    for k, s, lead in body:
        if k in ("plain", "italic") and (". " in s or "。" in s.rstrip("。 ")) or \
                (k == "plain" and re.search(r"\d,\s*[A-Z]", s)):
            pieces = [p for p in _SENTENCE.split(s) if p.strip()]
            coded = any(TYPE_CODE.fullmatch(x.strip(" []")) for _, x, _ in trailing)  # "Title[EB/OL]"
            if len(pieces) > 1 and (coded or any(author_list(strip_ends(p)) or claim_of(strip_ends(p)) or
                                                 venue_phrase(strip_ends(p)) or _TYPE_CODE_END.search(p)
                                                 for p in pieces)):
                for p in pieces:
                    code = _TYPE_CODE_END.search(p)
                    out.append((k, p[: code.start()], False) if code else (k, p, False))
                    if code:
                        out.append(("tag", code.group(1), False))
                continue
        out.append((k, s, lead))
    return tuple(parts + out + trailing)


def badge_text(src: str) -> str:
    m = re.search(r"img\.shields\.io/badge/([^?#]+)", src)
    if not m:
        return ""
    body = re.sub(r"\.(svg|png)$", "", m.group(1))
    body = body.replace("--", "\x00")
    fields = [f.replace("\x00", "-").replace("_", " ").replace("%20", " ") for f in body.split("-")]
    return " ".join(f for f in fields[:-1] if f) if len(fields) > 1 else ""


_LITERAL_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)\1")


def _literal_emphasis(segs: List[Seg]) -> List[Seg]:
    """``**ACL 2020 **`` that CommonMark leaves as text (a space before the closing marks) is
    emphasis all the same."""
    out: List[Seg] = []
    for s in segs:
        if s.kind != "plain" or "**" not in s.text and "__" not in s.text:
            out.append(s)
            continue
        last = 0
        for m in _LITERAL_BOLD.finditer(s.text):
            if m.start() > last:
                out.append(Seg("plain", s.text[last:m.start()], row=s.row, column=s.column))
            out.append(Seg("bold", m.group(2), row=s.row, column=s.column))
            last = m.end()
        if last < len(s.text):
            out.append(Seg("plain", s.text[last:], row=s.row, column=s.column))
    return out


def segments(pieces: Sequence[Piece], column: str = "") -> List[Seg]:
    """The segments of a piece sequence, in order."""
    segs: List[Seg] = []
    row = 0
    i = 0
    n = len(pieces)
    while i < n:
        p = pieces[i]
        if p.kind == "break":
            row += 1
            i += 1
            continue
        if p.link:
            j = i
            while j < n and pieces[j].link == p.link:
                j += 1
            inner = pieces[i:j]
            text = "".join(q.text if q.kind in ("text", "code") else " " if q.kind == "break" else ""
                           for q in inner)
            images = [q.src for q in inner if q.kind == "image"]
            segs.append(Seg("link", text, href=p.href.strip(), row=row, images=images, column=column))
            i = j
            continue
        if p.kind == "image":
            segs.append(Seg("image", p.text, href="", row=row, images=[p.src], column=column))
            i += 1
            continue
        if p.kind == "code":
            segs.append(Seg("code", p.text, row=row, column=column))
            i += 1
            continue
        j = i
        fmt = (p.bold, p.italic)
        while j < n:
            q = pieces[j]
            if q.kind == "text" and not q.link and (q.bold, q.italic) == fmt:
                j += 1
            elif q.kind == "break" and (p.bold or p.italic or q.text == "\n") and j + 1 < n and \
                    pieces[j + 1].kind == "text" and not pieces[j + 1].link and \
                    (pieces[j + 1].bold, pieces[j + 1].italic) == fmt:
                j += 1  # an emphasis run goes on over a line break
            else:
                break
        text = "".join(q.text if q.kind == "text" else " " for q in pieces[i:j])
        kind = "bold" if p.bold else "italic" if p.italic else "plain"
        if kind == "plain":
            # bare URLs in the text are links
            t2, found = find_links(text)
            chunks = _PLACEHOLDERS.split(t2)
            for k, chunk in enumerate(chunks):
                if k % 2:
                    lk = found[int(chunk)]
                    segs.append(Seg("url", "", href=lk.url, row=row, column=column))
                elif chunk:
                    segs.append(Seg(kind, chunk, row=row, column=column))
        else:
            segs.append(Seg(kind, text, row=row, column=column))
        i = j
    segs = _literal_emphasis(segs)
    _enclosed_emphasis(segs)
    # pipes inside a list item: cells
    out: List[Seg] = []
    for s in segs:
        if s.kind == "link":
            w = _BRACKETED.fullmatch(s.text)
            if w:
                s.text = w.group(1)[1:-1]
        if s.kind in ("plain", "bold", "italic", "link"):
            sub_texts = [s.text]
            if s.kind == "plain" and " | " in s.text:
                sub_texts = s.text.split(" | ")
            for k, st in enumerate(sub_texts):
                if k:
                    out.append(Seg("pipe", "", row=s.row, column=column))
                for kind, txt, lead in _peel(st, s.kind if s.kind != "link" else "plain"):
                    if not txt.strip() and s.kind != "link":
                        continue
                    out.append(Seg(kind if s.kind != "link" or kind == "tag" else "link", txt, href=s.href,
                                   row=s.row, lead=lead or s.lead, images=s.images if kind != "tag" else [],
                                   column=column, bracketed=s.bracketed))
        else:
            out.append(s)
    for k, s in enumerate(out):
        s.pos = k
    return out


_PAIRS = {"(": ")", "（": "）", "[": "]", "【": "】"}


def _enclosed_emphasis(segs: List[Seg]) -> None:
    """``(**ULMFiT**)`` / ``[**Mooncake**]``: an emphasis run inside brackets is a tag."""
    for k in range(1, len(segs) - 1):
        s, before, after = segs[k], segs[k - 1], segs[k + 1]
        if s.kind not in ("bold", "italic", "link") or before.kind not in ("plain", "tag") or \
                after.kind not in ("plain", "tag"):
            continue
        b = before.text.rstrip()
        a = after.text.lstrip()
        if b and b[-1] in _PAIRS and a[:1] == _PAIRS[b[-1]]:
            lead = not clean(b[:-1]).strip()
            if s.kind == "link":
                s.lead = lead  # [[CVPR](url)] Title: a tag that is a link
                s.bracketed = True
            else:
                s.kind = "tag"
                s.lead = lead
            before.text = b[:-1]
            after.text = a[1:]
