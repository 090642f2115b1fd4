"""The field recogniser: one item's pieces -> segments -> title, authors, claims, links, notes.

An item is cut into segments: link texts, emphasis runs, code spans, quoted strings, bracket
tags (``[..]`` ``【..】`` ``(..)`` at the start or end of a run), sentences of plain text,
``|`` cells, sub-bullets and ``key: value`` lines.  Each segment is scored for each field from
its features (a name list's shape, the venue registry and venue phrases such as "In
Proceedings of", dates, position, formatting, length, CJK) and then one consistent assignment
is chosen: one title (the best title-scored segment that is not a claim, a name list or a
link label), the best name list as authors, every claim, the rest as aliases and notes.
Nothing here names a list: every rule is about a shape.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Dict, List, Optional, Sequence, Tuple

from plm_bib.metadata.claims import find_claims, parse_claim
from plm_bib.metadata.ids import ids_in_text
from plm_bib.metadata.links import FoundLink, find_links, is_navigation, link_kind
from plm_bib.metadata.names import OTHERS, parse_author_list, parse_name
from plm_bib.metadata.venues import canonical_venue
from plm_bib.model import Claim, Person
from plm_bib.readinglist.tree import Piece, pieces_text

__all__ = ["Item", "Seg", "segments", "recognise", "claim_of", "author_list", "is_generic_label",
           "heading_claim", "is_detail"]

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[^\W_]+")
_GENERIC = re.compile(
    r"^[\[\(（【]*\s*(pdf|paper|papers|code|codes|link|links|project|project page|slides?|blog|video|videos|model|"
    r"arxiv|url|here|download|html|docs?|report|bib|bibtex|citation|demo|data|dataset|website|homepage|web|"
    r"official|unofficial|github|git|torch|pytorch|tensorflow|tf|keras|caffe|matlab|jax|mxnet|python|"
    r"python reference|reference|code\s*&\s*model|model\s*&\s*code|supp|supplementary|poster|talk|abs|"
    r"openreview|notes?|review|知乎|知乎文章|阅读笔记|笔记|论文|代码|链接|论文链接|代码链接|视频|博客|解读|"
    r"项目|主页|官方|源码|讲解|paper\s*/\s*code|code\s*/\s*paper|none)\s*[\]\)）】]*\s*[:：]?$", re.I)
_DECOR = re.compile(r"^[\s\W_]*$|^(:[a-z_+-]+:\s*)+$")
_EMOJI = re.compile(r"[\u2600-\u27bf\U0001F000-\U0001FAFF\u2b50\ufe0f\u200d\u2b06\u2705\u274c]+")
_SHORTCODE = re.compile(r":[a-z0-9_+-]+:")
_DATE = re.compile(r"^(?:(?P<y1>(?:19|20)\d\d)(?:[./-]\d{1,2}){0,2}|(?P<y2>(?:19|20)\d\d)[01]\d(?:[0-3]\d)?|"
                   r"\d{1,2}[./-]\d{1,2}[./-](?P<y3>(?:19|20)?\d\d)|(?:year\s*)?(?P<y4>(?:19|20)\d\d)\s*年?)$", re.I)
_SHORT_YEAR = re.compile(r"^(?P<v>[A-Za-z][A-Za-z&-]*[A-Za-z])\s*(?:'|’|-)(?P<y>\d\d)$")
_NAME_YEAR = re.compile(r"(?P<v>[A-Za-z][\w-]*?)[\s_-]*'?(?P<y>(?:19|20)\d\d)")
_ACRONYM = re.compile(r"[A-Z][A-Za-z-]*[A-Z]+[A-Za-z]*")
_VENUE_WORDS = re.compile(
    r"\b(conference|proceedings|proc\.|journal|transactions|trans\.|workshop|symposium|press|letters|"
    r"review|magazine|preprint|findings of|annual meeting|congress|colloquium|advances in)\b", re.I)
_JOURNAL_VOLUME = re.compile(r"^(?P<v>[A-Z][A-Za-z&.\- ]{1,60}?)\s+\d+(?:\.\d+)?(?:\(\d+\))?\s*\((?P<y>(?:19|20)\d\d)\)"
                             r"(?:\s*:\s*[\d-]+)?$")
_ACRONYM_YEAR = re.compile(r"^(?P<v>[A-Z][A-Za-z]*[A-Z][A-Za-z]*)\s*\((?P<y>(?:19|20)\d\d)\)$")
_ZH_VENUE = re.compile(r"(学报|期刊|会议|杂志|通讯|大会)")
_PARTICLES = {"van", "von", "de", "der", "den", "di", "da", "la", "le", "del", "dos", "du", "y", "bin", "al", "el"}
_TITLE_WORDS = {"learning", "network", "networks", "neural", "model", "models", "deep", "via", "for", "of", "the",
                "with", "towards", "using", "graph", "language", "attention", "transformer", "transformers", "on",
                "in", "from", "to", "by", "an", "a", "is", "are", "all", "need", "generation", "data",
                "training", "pre-training", "semantic", "representation", "representations", "analysis",
                "survey", "review", "detection", "recognition", "classification", "system", "systems", "text",
                "image", "video", "multi", "large", "scale", "efficient", "fast", "robust", "unsupervised",
                "supervised", "self-supervised", "adversarial", "knowledge", "information", "extraction",
                "embedding", "embeddings", "retrieval", "question", "answering", "dialogue", "translation"}
_RESOURCE_WORDS = re.compile(r"\b(tutorial|slides|lecture|course|talk|keynote|toolkit|library|blog|video|"
                             r"leaderboard|benchmark suite|cheat ?sheet)\b|教程|讲习班|视频|课程|讲座|博客|幻灯片",
                             re.I)


# venues well known beyond the registry (recognised, not described): a trailing "(NAME 2016)"
# names a venue only when NAME is one of these or in the registry, else an institution
_MORE_VENUES = {v.casefold() for v in (
    "ICANN IJCNN ICPR ECML ECML-PKDD PKDD AISTATS ACPR ICDM SDM RecSys ICRA IROS WACV BMVC 3DV CVPRW ICCVW "
    "ECCVW ICASSP Interspeech UAI COLT ICDE VLDB SIGMOD MM ACMMM TNNLS TMM TIP IJCV TOIS TKDD TIST TCYB TASLP "
    "TOG SIGGRAPH CHI UIST CSCW ICSE FSE ASE PLDI OSDI SOSP NSDI MLSys EuroSys ISCA MICRO HPCA ASPLOS DAC "
    "ICCAD SC PPoPP BiorXiv bioRxiv medRxiv Bioinformatics Nature Science PNAS PRL CoRL RSS ICONIP PAKDD "
    "ECIR CIKM WSDM SIGKDD KDD IJCAI-ECAI ICMR ICME ACCV MICCAI ISBI NAACL-HLT EMNLP-IJCNLP ACL-IJCNLP "
    "IEEE-TMM TKDE TPAMI TACL TOMM TCSVT TGRS AAMAS ICAPS ECAI KR ISWC ESWC CogSci INLG SIGDIAL ICWSM "
    "IUI UMAP HT JCDL ICTIR SIGIR-AP AACL COLING LREC").split()}


def _short_tag(text: str) -> bool:
    """A tag of a few words (``tutorial``, ``KDD 2023 tutorial``), not a description."""
    return len(_WORD.findall(_CJK.sub(" ", text))) + len(_CJK.findall(text)) / 2 <= 4


def _known_venue(name: str) -> bool:
    return bool(canonical_venue(name)) or name.casefold() in _MORE_VENUES


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
    hints: List[str] = field(default_factory=list)  # "paper-table", "resource-word", "video-table"
    date_claims: List[Claim] = field(default_factory=list)  # dates of a video table: the video's
    doubts: List[str] = field(default_factory=list)


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


def is_generic_label(text: str) -> bool:
    """A link label that names what the link is (``pdf``, ``[code]``, ``论文链接``), not a title."""
    t = text.strip()
    return bool(_GENERIC.match(t)) or bool(re.match(r"^https?://", t))


@lru_cache(maxsize=8192)
def _clean(text: str) -> str:
    """Text without emoji and ``:shortcode:`` decoration, white space collapsed."""
    if ":" in text:
        text = _SHORTCODE.sub(" ", text)
    if _EMOJI.search(text):
        text = _EMOJI.sub(" ", text)
    return " ".join(text.split())


_INITIAL_END = re.compile(r"(\b[A-Z]|\bal|\bet)\.$")


@lru_cache(maxsize=8192)
def _strip_ends(text: str) -> str:
    """A segment's text without the punctuation, quotes and unmatched brackets at its ends."""
    t = text.strip()
    prev = None
    while prev != t:
        prev = t
        t = t.strip(" \t,，;；|·•-–—")
        t = t.lstrip(".\"“”'")
        if t[:1] in ")]）】}" or (t[:1] in "([（【{" and not _balanced_close(t)):
            t = t[1:]
        if t[-1:] in "([（【{" or (t[-1:] in ")]）】}" and not _balanced_open(t)):
            t = t[:-1]
        if t.endswith(("。", "．")):
            t = t[:-1]
        if t.endswith(".") and not t.endswith("..") and not _INITIAL_END.search(t):
            t = t[:-1]
        t = t.strip().strip("\"“”'")
        if t.startswith(":") or t.startswith("："):
            t = t[1:]
    return t.strip()


def _balanced_close(t: str) -> bool:
    pairs = {"(": ")", "[": "]", "（": "）", "【": "】", "{": "}"}
    return pairs[t[0]] in t


def _balanced_open(t: str) -> bool:
    pairs = {")": "(", "]": "[", "）": "（", "】": "【", "}": "{"}
    return pairs[t[-1]] in t


# ---------------------------------------------------------------------------------- segments
_LEAD_TAG = re.compile(r"^\s*(\[[^\[\]]{1,60}\]|【[^【】]{1,60}】)\s*")
_TRAIL_TAG = re.compile(r"\s*(\([^()]{1,80}\)|（[^（）]{1,80}）|【[^【】]{1,80}】|\[[^\[\]]{1,60}\])\s*[.。]?\s*$")
_LEAD_KIND = re.compile(r"^\s*(?P<k>tutorial|slides|video|talk|keynote|lecture|course|blog|dataset|code|book|"
                        r"survey|phd ?thesis|master'?s? ?thesis|thesis|教程|视频|综述|代码|数据集)\s*[:：]\s*", re.I)
_THESIS = re.compile(r"^\s*(?P<k>phd ?thesis|master'?s? ?thesis|doctoral thesis|dissertation)\s+(?=\S)", re.I)
_QUOTED = re.compile(r"[\"“](?P<q>[^\"“”]{3,}?)[,.]?[\"”]")
_SENTENCE = re.compile(r"(?<=[a-z\u00e0-\u024f)\]\d*]{2})\.\s+|(?<=\d)\.\s+|(?<=\d),(?=\s*[A-Z])|"
                       r"\.\s+(?=(?:19|20)\d\d\b)")
_LEAD_CLAIM = re.compile(r"^\s*(?P<c>(?:19|20)\d\d(?:[./-]\d{1,2}){0,2}|(?:19|20)\d{6}|(?:19|20)\d\d[01]\d|"
                         r"[A-Z][A-Za-z-]*[A-Z][A-Za-z]*\s*(?:-|'|’)\d\d|[A-Z][A-Za-z-]*[A-Z][A-Za-z]*[\s_-]?(?:19|20)\d\d|"
                         r"arXiv)(?=[\s:,，]|$)[\s:：,，]*")


def _peel(text: str, kind: str) -> List[Tuple[str, str, bool]]:
    """Split one run's text into (kind, text, lead) parts: bracket tags at its ends, claims in
    front, quoted strings, sentences of a citation."""
    parts: List[Tuple[str, str, bool]] = []
    t = re.sub(r"\s*[☞→➜⇒»]\s*$", "：", text)
    t = _SHORTCODE.sub(" ", _EMOJI.sub(" ", t)) if (_EMOJI.search(t) or ":" in t) else t
    whole = re.fullmatch(r"\s*(\([^()]*\)|（[^（）]*）|\[[^\[\]]*\]|【[^【】]*】)\s*[.。,，]?\s*", t)
    if whole:
        return [("tag", whole.group(1), False)]
    core = t.strip(" .,;\"“”")
    if _ACRONYM_YEAR.match(core) or _JOURNAL_VOLUME.match(core):
        return [(kind, t, False)]  # "ANIPS(2014)", "Nature 518.7540 (2015): 529-533": one claim
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
    mby = re.search(r"\s+(by\s+[A-Z][^()\[\]（）]{2,80}?)\s*(?=[(（][^()（）]*[)）]\s*$)", t)
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
                not _is_date(inner) and not (len(inner) <= 40 and re.search(r"(?<!\d)(19|20)\d\d(?!\d)", inner)):
            break
        trailing.insert(0, ("tag", m.group(1), False))
        t = t[: m.start()]
    # quoted strings
    body: List[Tuple[str, str, bool]] = []
    last = 0
    # quoted strings: in plain text, and in an emphasis run only when they are all of it (a
    # quote inside a bold or italic title is part of the title)
    quotes = [m for m in _QUOTED.finditer(t) if kind == "plain" or not _clean(t[:m.start()] + t[m.end():]).strip()]
    for m in quotes:
        body.append((kind, t[last: m.start()], False))
        body.append(("quoted", m.group("q"), False))
        last = m.end()
    body.append((kind, t[last:], False))
    out: List[Tuple[str, str, bool]] = []
    for k, s, lead in body:
        if k in ("plain", "italic") and ". " in s or (k == "plain" and re.search(r"\d,\s*[A-Z]", s)):
            pieces = [p for p in _SENTENCE.split(s) if p.strip()]
            if len(pieces) > 1 and any(author_list(_strip_ends(p)) or claim_of(_strip_ends(p)) or
                                       venue_phrase(_strip_ends(p)) for p in pieces):
                out.extend((k, p, False) for p in pieces)
                continue
        out.append((k, s, lead))
    return parts + out + trailing


def _badge_text(src: str) -> str:
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
            chunks = re.split(r"\x00(\d+)\x00", t2)
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
            w = re.fullmatch(r"\s*(\[[^\[\]]*\]|【[^【】]*】)\s*", s.text)
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
            lead = not _clean(b[:-1]).strip()
            if s.kind == "link":
                s.lead = lead  # [[CVPR](url)] Title: a tag that is a link
                s.bracketed = True
            else:
                s.kind = "tag"
                s.lead = lead
            before.text = b[:-1]
            after.text = a[1:]


# ---------------------------------------------------------------------------------- features
def _is_date(text: str) -> Optional[int]:
    m = _DATE.match(text.strip())
    if not m:
        return None
    y = m.group("y1") or m.group("y2") or m.group("y4")
    if y:
        return int(y)
    y3 = m.group("y3")
    if y3 is None:
        return None
    v = int(y3)
    return v if v > 1900 else (2000 + v if v < 50 else 1900 + v)


def venue_phrase(text: str) -> Optional[Claim]:
    """``In Proceedings of the 24th CVPR, 2011`` / ``arXiv preprint arXiv:1606.04080 (2016)`` /
    ``2013 IEEE international conference on ...`` / ``中文信息学报 2021`` -> a claim."""
    t = text.strip().replace("{", "").replace("}", "")
    if not (_VENUE_WORDS.search(t) or _ZH_VENUE.search(t) or re.match(r"^(in|proc\.?)\s", t, re.I)):
        return None
    if len(t) > 200:
        return None
    years = re.findall(r"(?<![\d.:/])((?:19|20)\d\d)(?![\d.])", t)
    year = int(years[-1]) if years else None
    if re.search(r"\barxiv\b", t, re.I):
        return Claim(raw=t, venue="arXiv", year=year, preprint=True)
    v = re.sub(r"^(in\s+)?(the\s+)?(proceedings|proc\.?)(\s+of)?(\s+the)?\s+", "", t, flags=re.I)
    v = re.sub(r"^in\s+", "", v, flags=re.I)
    v = re.sub(r"^(an?|the)\s+", "", v, flags=re.I)
    v = re.sub(r"\b\d+(st|nd|rd|th)\b\s*", "", v)
    v = re.sub(r"(?<![\d.])(?:19|20)\d\d(?![\d.])", " ", v)
    v = re.sub(r"\b(book|volume \d+|vol\. ?\d+)\b.*$", "", v, flags=re.I)
    v = re.sub(r"\s*[,.:;]\s*(ieee|acm|springer|elsevier|pp?\.?.*)?\s*$", "", v, flags=re.I)
    v = re.sub(r"\s+", " ", v).strip(" ,.;:()（）")
    if not v or not re.search(r"\w", v):
        return None
    c = parse_claim(f"{v} {year}") if year else None
    venue = c.venue if c is not None and c.venue else (canonical_venue(v) or v)
    return Claim(raw=t, venue=venue, year=year)


def claim_of(text: str, line: int = 0, tag: bool = False) -> Optional[Claim]:
    """The claim that ``text`` (a whole segment) makes, or ``None``."""
    c = _claim_of(text, tag)
    return c if c is None or c.line == line else dataclasses.replace(c, line=line)


@lru_cache(maxsize=16384)
def _claim_of(text: str, tag: bool, line: int = 0) -> Optional[Claim]:
    t = _clean(text).strip(" .,，;；:：*_")
    if not t:
        return None
    y = _is_date(t)
    if y is not None:
        return Claim(raw=t, venue=None, year=y, line=line)
    mj = _JOURNAL_VOLUME.match(t) or _ACRONYM_YEAR.match(t)
    if mj:  # "Nature 518.7540 (2015): 529-533", "ANIPS(2014)"
        v = mj.group("v").strip()
        return Claim(raw=t, venue=canonical_venue(v) or v, year=int(mj.group("y")), line=line)
    mv = _NAME_YEAR.fullmatch(t)
    if mv and mv.group("v").casefold() in _MORE_VENUES and not canonical_venue(mv.group("v")):
        return Claim(raw=t, venue=mv.group("v"), year=int(mv.group("y")), line=line)
    c = parse_claim(t, line)
    if c is not None:
        return c
    m = _SHORT_YEAR.match(t)
    if m:
        v = canonical_venue(m.group("v")) or (m.group("v") if _ACRONYM.fullmatch(m.group("v")) else None)
        if v:
            yy = int(m.group("y"))
            return Claim(raw=t, venue=v, year=2000 + yy if yy < 50 else 1900 + yy, line=line)
    known = canonical_venue(t)
    if known:
        return Claim(raw=t, venue=known, year=None, line=line, preprint=known == "arXiv")
    if tag or len(t) <= 40:
        claims, rest = find_claims(_spaced(t), line)
        venue_claims = [c for c in claims if c.venue]
        rest_words = len(_WORD.findall(_CJK.sub(" ", rest))) + len(_CJK.findall(rest)) / 2
        if venue_claims and (rest_words <= 2 or tag):
            c0 = venue_claims[0]
            return Claim(raw=t, venue=c0.venue, year=c0.year, line=line, preprint=c0.preprint, track=c0.track)
    vp = venue_phrase(t)
    if vp is not None:
        return Claim(raw=vp.raw, venue=vp.venue, year=vp.year, line=line, preprint=vp.preprint)
    return None


_NAME_TOKEN = re.compile(r"^(?:[A-Z\u00c0-\u024f][\w\u00c0-\u024f'’.-]*|[A-Z]\.(?:-?[A-Z]\.)*|\([A-Z][a-z]+\))$")


def _name_ok(name: str) -> bool:
    toks = name.split()
    if not toks or len(toks) > 5:
        return False
    caps = 0
    for tok in toks:
        if tok in _PARTICLES:
            continue
        if not _NAME_TOKEN.match(tok) or any(ch.isdigit() for ch in tok):
            return False
        if len(tok.strip(".")) > 1 and tok.lower().strip(".") in _TITLE_WORDS:
            return False
        caps += 1
    return caps >= 1


def author_list(text: str) -> Optional[List[Person]]:
    """The persons of a name list (``A, B and C``, ``Family, Given and ...``, ``A et al.``,
    ``张三，李四``), or ``None`` when ``text`` does not look like one."""
    people = _author_list(text)
    return list(people) if people is not None else None


@lru_cache(maxsize=16384)
def _author_list(text: str) -> Optional[Tuple[Person, ...]]:
    found = _read_names(text)
    return tuple(found) if found is not None else None


def _read_names(text: str) -> Optional[List[Person]]:
    t = _clean(text)
    if "{" in t or "\\" in t:
        from plm_bib.bibtex.decode import latex_to_text

        t = latex_to_text(t)  # names copied from BibTeX: Firl{\k{a}}g, Taub{-}Tabib
    t = re.sub(r"^(by|authors?\s*[:：]|作者\s*[:：]?)\s*", "", t, flags=re.I).strip(" .,;:*")
    if not t or len(t) > 1200:
        return None
    others = False
    if re.search(r"\bet\.? al\.?|\band others\b|等$|等人$", t):
        others = True
        t = re.sub(r",?\s*(\bet\.? al\.?|\band others\b|等人?$)", ",", t).strip(" ,")
    if not t:
        return None
    if _CJK.search(t):
        parts = [p for p in re.split(r"[，,、;；\s]+", t) if p]
        if parts and all(re.fullmatch(r"[\u3400-\u9fff·]{2,4}", p) for p in parts) and (len(parts) >= 2 or others):
            people = [Person(family=p) for p in parts]
            return people + ([OTHERS] if others else [])
        return None
    t = re.sub(r"\s*[(（][^()（）]{1,40}[)）]$", "", t)  # "… Jan Kautz (NVIDIA)": an affiliation
    if t.count(";") >= 1 and ":" not in t:
        # "Mordvintsev, Alexander; Olah, Christopher; Tyka, Mike"
        parts_sc = [p.strip() for p in t.split(";") if p.strip()]
        if all(p.count(",") <= 1 for p in parts_sc):
            found = []
            for p in parts_sc:
                fam, _, given = p.partition(",")
                if not _name_ok(fam.strip()):
                    return None
                found.append(Person(family=fam.strip(), given=given.strip()) if given else parse_name(fam.strip()))
            return found + ([OTHERS] if others else [])
    if re.search(r"[:;!?\"“”()（）\[\]]", t.replace("(Kenneth)", "")):
        return None
    and_parts = [p.strip() for p in re.split(r"\s+and\s+|\s*&\s*", t) if p.strip()]
    if len(and_parts) >= 2 and all(p.count(",") % 2 == 1 for p in and_parts) and \
            any(p.count(",") > 1 for p in and_parts):
        # "Zhang, Jiawen, Zhu, Jiaqi and Wang, Hongan": family, given pairs
        flat = [x.strip() for p in and_parts for x in p.split(",")]
        and_parts = [f"{flat[k]}, {flat[k + 1]}" for k in range(0, len(flat) - 1, 2)]
    if len(and_parts) >= 2 and all(p.count(",") == 1 or (p.count(",") == 0 and len(p.split()) == 1)
                                   for p in and_parts) and sum(p.count(",") for p in and_parts) * 2 > len(and_parts):
        names = []
        for p in and_parts:
            fam, given = [x.strip() for x in p.split(",")] if "," in p else (p, "")
            if not (_name_ok(fam) and (not given or _name_ok(given.replace("(Kenneth)", "").strip() or "X"))):
                return None
            names.append(Person(family=fam, given=given))
        return names + ([OTHERS] if others else [])
    parts = [p.strip() for p in re.split(r"\s*,\s*and\s+|\s*,\s*|\s+and\s+|\s*&\s*|\s*、\s*", t) if p.strip()]
    if not parts or not all(_name_ok(p) for p in parts):
        return None
    if len(parts) == 1 and not others and len(parts[0].split()) < 2:
        return None
    # MLA: "Family, Given, Given Family, and Given Family"
    if len(parts) >= 2 and len(parts[0].split()) == 1 and len(parts[1].split()) <= 2 and \
            (len(parts) == 2 or all(len(p.split()) >= 2 for p in parts[2:])):
        first = Person(family=parts[0], given=parts[1])
        rest = [parse_name(p) for p in parts[2:]]
        return [first] + rest + ([OTHERS] if others else [])
    if len(parts) >= 2 and len(parts) % 2 == 0 and \
            all(re.fullmatch(r"(?:[A-Z]\.?\s?-?)+", parts[k]) for k in range(1, len(parts), 2)):
        # "Dai, J., He, K., Sun, J.": family names and initials in turn
        pairs = [Person(family=parts[k], given=parts[k + 1]) for k in range(0, len(parts), 2)]
        return pairs + ([OTHERS] if others else [])
    if len(parts) >= 2 and any(len(p.split()) == 1 for p in parts) and not others:
        return None  # "Exploration and Exploitation Problem": a one-word "name" in a given-family list
    people = parse_author_list(", ".join(parts))
    return people + ([OTHERS] if others else [])


_LIST_WORDS = {"paper", "papers", "list", "lists", "accepted", "track", "main", "long", "short", "proceedings",
               "conference", "reading", "with", "code", "and", "of", "the", "selected", "notes"}


def _spaced(text: str) -> str:
    """A space between CJK and Latin letters or digits, so that ``CVPR 2023论文`` ends its claim."""
    text = re.sub(r"([\u3400-\u9fff\uff00-\uffef】】])(?=[A-Za-z0-9])", r"\1 ", text)
    return re.sub(r"([A-Za-z0-9])(?=[\u3400-\u9fff\uff00-\uffef【])", r"\1 ", text)


def heading_claim(text: str, line: int) -> Optional[Claim]:
    """The venue+year (or year) a heading names for everything under it: ``ECIR 2021 Paper
    List``, ``CVPR 2023 论文和开源项目合集``, ``2017``, ``Year 2023``."""
    t = _clean(text)
    y = _is_date(t.strip(" :："))
    if y is not None:
        return Claim(raw=t, venue=None, year=y, line=line, origin="heading")
    claims, rest = find_claims(_spaced(t), line)
    venue_claims = [c for c in claims if c.venue and c.year and not c.preprint]
    rest_words = [w for w in _WORD.findall(_CJK.sub(" ", rest)) if w.lower() not in _LIST_WORDS]
    if len(venue_claims) == 1 and len(claims) == 1 and (canonical_venue(venue_claims[0].venue or "") or
                                                        (_ACRONYM.fullmatch(venue_claims[0].venue or "")
                                                         and len(rest_words) <= 1)):
        c = venue_claims[0]
        return Claim(raw=c.raw, venue=c.venue, year=c.year, line=line, track=c.track, origin="heading")
    return None


_KEY_VALUE = re.compile(r"^\s*(?P<k>[A-Za-z][A-Za-z &/-]{0,24}|[\u3400-\u9fff]{1,8})\s*[:：]\s*(?P<v>.*)$", re.S)


def is_detail(pieces: Sequence[Piece]) -> bool:
    """A sub-bullet or line that gives details of an item: ``Paper: url``, ``论文链接：url``,
    ``[[code](url)]``, a name list, a venue claim."""
    text = pieces_text(list(pieces))
    has_link = any(p.link for p in pieces) or "http" in text
    m = _KEY_VALUE.match(text)
    if m and len(_WORD.findall(m.group("k"))) <= 3 and _value_is_links(m.group("v"), pieces):
        return True
    segs = [s for s in segments(pieces) if s.text.strip(" []()") or s.kind in ("link", "url")]
    if segs and all(s.kind in ("link", "url") and (is_generic_label(s.text) or not s.text.strip()) or
                    _DECOR.match(s.text) for s in segs):
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
    return bool(segs) and all(s.kind in ("link", "url") or _DECOR.match(s.text) for s in segs)


# ---------------------------------------------------------------------------------- assignment
_TITLE_BASE = {"quoted": 6.0, "heading": 6.0, "bold": 4.0, "link": 3.0, "italic": 1.5, "plain": 2.0,
               "code": -1.0, "tag": -2.0}
_TITLE_COLUMN = re.compile(r"^(title|titles|paper|papers|name|名字|论文|标题|题目|名称|文章|model|模型|"
                           r"paper title|论文标题)$", re.I)
_DATE_COLUMN = re.compile(r"^(year|年份|年|时间|日期|date|published|time|发表时间)$", re.I)
_VENUE_COLUMN = re.compile(r"^(venue|conference|conf\.?|journal|会议|期刊|来源|发表|出处|会议/期刊|publication)$", re.I)
_AUTHOR_COLUMN = re.compile(r"^(authors?|作者)$", re.I)
_VIDEO_COLUMN = re.compile(r"video|视频|时长|duration", re.I)
_PAPER_COLUMN = re.compile(r"^(paper|papers|论文|pdf|论文链接|paper link)$", re.I)
_PAPER_TABLE = re.compile(r"^(paper|papers|论文|year|年份|venue|conference|citation|引用|authors?|作者)", re.I)


def _title_score(s: Seg, n: int) -> float:
    t = _strip_ends(_clean(s.text))
    if not t or len(t) < 2 or _DECOR.match(t):
        return -99.0
    score = _TITLE_BASE.get(s.kind, 0.0)
    if s.column:
        if _TITLE_COLUMN.match(s.column):
            score += 5.0
        else:
            score -= 2.0
    words = len(t.split())
    cjk = len(_CJK.findall(t))
    score += 0.3 * min(words + cjk / 2, 10)
    if words == 1 and not cjk and len(t) < 4:
        score -= 1.0
    score -= 0.05 * s.pos
    if re.search(r"[:：☞→➜⇒»]\s*$", s.text.strip()) and s.kind == "plain":
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
        if m and len(_WORD.findall(m.group("k"))) <= 3 and _value_is_links(m.group("v"), d):
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
    for s in segs:
        text = _clean(s.text)
        col = s.column
        if s.href and s.kind in ("link", "url", "tag") and not is_navigation(s.href) and \
                all(lk.url != s.href for lk in item.links):
            item.links.append(FoundLink(url=s.href, label=text.strip(" []【】"),
                                        kind=link_kind(s.href, text.strip(" []【】"))))
        if s.kind in ("link", "url"):
            if s.href and is_navigation(s.href):
                s.role = "nav"
            for src in s.images:
                b = _badge_text(src)
                c = claim_of(b, line, tag=True) if b else None
                if c is not None:
                    item.claims.append(c)
            if not text.strip() or is_generic_label(text):
                s.role = "label"
                continue
            if re.fullmatch(r"[A-Z][A-Za-z]*[A-Z][A-Za-z]*\d?", text.strip()) and len(text.strip()) <= 8 and \
                    (canonical_venue(text.strip()) or s.pos < n - 1):
                v = canonical_venue(text.strip()) or text.strip()
                if canonical_venue(text.strip()) or not col:
                    item.claims.append(Claim(raw=text.strip(), venue=v, year=None, line=line))
                    s.role = "claim"
                    continue
        if s.kind == "image":
            b = _badge_text(s.images[0]) if s.images else ""
            c = claim_of(b, line, tag=True) if b else None
            if c is not None:
                item.claims.append(c)
            continue
        if s.kind == "pipe" or not text.strip(" []()·|,.:：;-") or _DECOR.match(text):
            continue
        if col and _DATE_COLUMN.match(col.strip()):
            dc = claim_of(text, line)
            y = _is_date(text.strip()) or (dc.year if dc is not None else None)
            if y:
                c = Claim(raw=text.strip(), venue=None, year=y, line=line)
                (item.date_claims if "video-table" in item.hints else item.claims).append(c)
                s.role = "claim"
                continue
        if col and _VENUE_COLUMN.match(col.strip()):
            c = claim_of(text, line, tag=True) or Claim(raw=text.strip(), venue=_strip_ends(text), line=line)
            item.claims.append(c)
            s.role = "claim"
            continue
        if col and _AUTHOR_COLUMN.match(col.strip()):
            listed = author_list(text) or parse_author_list(_strip_ends(text))
            if listed:
                author_cands.insert(0, (100, s, listed))
                s.role = "authors"
                continue
        raw_text = text.strip()
        if s.kind == "tag" and raw_text[:1] in "([（【" and raw_text[-1:] in ")]）】":
            text = raw_text[1:-1]
        stripped = _strip_ends(text)
        c = claim_of(stripped, line, tag=s.kind == "tag") if s.kind not in ("code",) else None
        if c is not None and s.kind == "tag" and not s.lead and c.venue and c.year and raw_text[:1] in "(（" \
                and not _known_venue(c.venue) and not _known_venue(c.raw.strip("()（） ").split(" ")[0]) \
                and not _VENUE_WORDS.search(text):
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
            if len(stripped.split()) <= 3 and not _CJK.search(stripped) and s.lead:
                s.role = "alias"
            elif len(stripped.split()) <= 2 and not _CJK.search(stripped) and not s.lead:
                s.role = "alias"
            else:
                s.role = "note"
            continue
        people: Optional[List[Person]] = author_list(stripped)
        if people is None:
            my = re.search(r"^(?P<a>.*?\S)\s*[,，]\s*(?P<y>(?:19|20)\d\d)$", stripped)
            if my:
                people = author_list(my.group("a"))
                if people is not None:
                    item.claims.append(Claim(raw=my.group("y"), venue=None, year=int(my.group("y")), line=line))
        single = people is not None and len(people) == 1
        if single and not (s.kind == "italic" or s.row >= 1000 or re.match(r"^[A-Z][\w'’-]+,\s+[A-Z]", stripped)
                           or re.match(r"^by\s", stripped)):
            people = None
        if people is not None:
            bonus = 3 if s.kind == "italic" else 2 if s.row >= 1000 else 0
            author_cands.append((len(people) + bonus, s, people))
        score = _title_score(s, n)
        if s.pos > first_link and s.kind not in ("link", "heading") and s.row < 1000:
            score -= 2.0
        if s.kind == "link":
            if s.bracketed:
                score -= 3.0  # [[S3DIS](url)] The Stanford ... Dataset: the bracketed link is a tag
            elif len(_clean(s.text).split()) >= 3 or len(_CJK.findall(s.text)) >= 6:
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
        item.title = _strip_ends(_clean(best.text))
        best.role = "title"
        if best.kind == "link" and best.href and not is_navigation(best.href):
            # the title's own link first: it is the item's main link
            for k, lk in enumerate(item.links):
                if lk.url == best.href:
                    item.links.insert(0, item.links.pop(k))
                    break
    if best is not None and best.kind == "link":
        for s in segs:
            t = _strip_ends(_clean(s.text))
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
                v = re.sub(r"[,.]\s*\d[\d:()\s-]*$", "", _strip_ends(_clean(s.text))).strip()
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
            item.aliases.append(_strip_ends(_clean(s.text)))
        elif s.role == "note" or (not s.role and s is not best and s.kind in ("plain", "bold", "italic", "quoted",
                                                                           "code", "heading")):
            t = _strip_ends(_clean(s.text))
            t = re.sub(r"^[（(](.*)[)）]$", r"\1", t).strip()
            if t and re.search(r"\w", t) and t not in item.notes:
                item.notes.append(t)
    if best is not None and _RESOURCE_WORDS.search(" ".join(_WORD.findall(_clean(item.title))[:2])):
        item.hints.append("resource-word")
    del title_link_href
