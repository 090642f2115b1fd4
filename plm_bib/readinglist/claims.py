"""Venue and year claims as reading lists write them.

Inside a text (:func:`find_claims`, :func:`parse_claim`): ``**EMNLP 2020**``, ``**ACL2020**``,
``ICML2019``, ``(EMNLP2020 Findings)``, ``(ACL2020 WS)``, ``Preprint``, ``arXiv:2106.07139 2021``;
as Chinese lists write them: ``（ACL 2020）``, ``【EMNLP2021】``, ``发表于ACL 2020``, ``ACL 2020 长文``,
``ＡＣＬ　２０２０`` (full-width letters, digits and spaces read as ASCII), ``计算机学报, 2020``.
Of a whole segment (:func:`claim_of`): also dates (``2019.10``, ``20230105``), short years
(``CIKM-21``), journal volumes (``Nature 518.7540 (2015)``), well-known venues beyond the
registry and venue phrases (``In Proceedings of the 24th CVPR, 2011``); of a heading
(:func:`heading_claim`): ``ECIR 2021 Paper List``, ``## 2017``.  Each claim keeps the text as
written and its canonical reading (venue short name from the registry, year, track).
"""
from __future__ import annotations

import dataclasses
import re
from functools import lru_cache
from typing import List, Optional, Pattern, Tuple

from plm_bib.metadata.venues import canonical_venue, venue_alias_pattern
from plm_bib.model import Claim
from plm_bib.readinglist.text import CJK, WORD, clean

__all__ = ["find_claims", "parse_claim", "claim_of", "heading_claim", "venue_phrase", "is_date", "known_venue",
           "VENUE_WORDS", "JOURNAL_VOLUME", "ACRONYM_YEAR", "halfwidth", "ClaimParts", "claim_parts",
           "claim_words"]

_QUALIFIERS = {
    "findings": "findings", "ws": "workshop", "workshop": "workshop", "srw": "srw",
    "demo": "demos", "demos": "demos", "industry": "industry", "short": "short", "long": None,
    "main": None, "oral": None, "spotlight": None, "survey track": "survey",
    "长文": None, "短文": "short", "主会": None, "演示": "demos", "研讨会": "workshop",
}
_QUAL = (r"Findings|WS|Workshop|SRW|Demos?|Industry(?:\s+Tr\w+)?|Short|Long|Main|Oral|Spotlight|Survey\s+Track|"
         r"长文|短文|主会|演示|研讨会")
_GENERIC = r"[A-Z][A-Za-z0-9]*[A-Za-z](?:-[A-Z][A-Za-z]*)?"
# full-width letters and digits (U+FF10-FF5A) and the ideographic space, as ASCII: one
# character for one, so that a match in the translated text is a span of the text as written
_HALFWIDTH = {**{c: c - 0xFEE0 for c in range(0xFF10, 0xFF5B) if chr(c - 0xFEE0).isalnum()},
              0xFF0D: ord("-"), 0x3000: ord(" ")}


def halfwidth(text: str) -> str:
    """``text`` with full-width letters, digits, hyphens and spaces as ASCII (same length)."""
    return text.translate(_HALFWIDTH)


def _glued(ch: str) -> bool:
    """A claim touching ``ch`` is part of a word (a CJK character is a word of its own)."""
    return ch.isalnum() and not CJK.match(ch)


@lru_cache(maxsize=1)
def _claim_re() -> Pattern[str]:
    known = venue_alias_pattern()
    # a venue named in Chinese may be followed by a comma before its year: 计算机学报, 2020
    zh_known = venue_alias_pattern(cjk=True) or r"(?!)"
    return re.compile(
        r"(?P<raw>(?P<open>\*\*|__|\(|（|【)?[ \t]*"
        r"(?:(?P<qual0>Findings\s+of\s+)?(?:(?P<zvenue>" + zh_known + r")[ \t]*[,，][ \t]*|(?P<venue>" + known +
        r"|" + _GENERIC + r")[ \t_-]?'?)(?P<year>(?:19|20)\d\d)(?!\d)(?:[ \t]*(?P<qual>" + _QUAL + r")(?!\w))?"
        r"|(?P<preprint>Preprint|arXiv(?:\s*:\s*[\w./-]+)?(?:[ \t]+(?P<pyear>(?:19|20)\d\d))?)\b)"
        r"[ \t]*(?P<close>\*\*|__|\)|）|】)?)",
        re.I,
    )


def _match_to_claim(m: "re.Match[str]", line: int, text: Optional[str] = None) -> Optional[Claim]:
    """The claim of a match in the half-width form of ``text`` (its raw: as ``text`` writes it)."""
    raw = (m.group("raw") if text is None else text[m.start("raw"):m.end("raw")]).strip()
    if m.group("preprint"):
        year = int(m.group("pyear")) if m.group("pyear") else None
        return Claim(raw=raw, venue="arXiv", year=year, line=line, preprint=True)
    written = m.group("venue") or m.group("zvenue")
    # a generic (unknown) acronym must look like one: some capitals, not an English word
    venue = canonical_venue(written)
    if venue is None:
        if not re.fullmatch(r"[A-Z][A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*|[A-Z][a-z]+speech|[A-Z]{2,}", written):
            return None
        venue = written
    year = int(m.group("year"))
    qual = (m.group("qual") or "").lower()
    qual = re.sub(r"\s+", " ", qual)
    track = _QUALIFIERS.get(qual.split(" ")[0] if qual.startswith("industry") else qual)
    if m.group("qual0") or track == "findings":
        venue = canonical_venue(f"Findings of {venue}") or f"Findings of {venue}"
        track = None
    return Claim(raw=raw, venue=venue, year=year, line=line, preprint=venue == "arXiv", track=track)


@dataclasses.dataclass(frozen=True)
class ClaimParts:
    """A claim's text cut at its words: ``before`` + ``venue`` + ``sep`` + ``year`` + ``qual``
    + ``after`` is the text (``**EMNLP 2020**``: ``**``, ``EMNLP``, `` ``, ``2020``, ``""``,
    ``**``); ``venue`` keeps a ``Findings of`` before the name, ``qual`` its space before the
    qualifier (`` Findings``, `` WS``); an arXiv claim has ``venue`` ``arXiv`` (with its id
    when written: ``arXiv:2106.07139``)."""

    before: str
    venue: str
    sep: str
    year: str
    qual: str
    after: str


_PAREN_YEAR = re.compile(r"(?P<venue>[A-Z][A-Za-z0-9-]*[A-Za-z])(?P<sep>[ \t]*[(（][ \t]*)(?P<year>(?:19|20)\d\d)"
                         r"(?=[ \t]*[)）])")


def claim_parts(text: str) -> Optional[ClaimParts]:
    """``text`` (a claim as written, with its delimiters) cut at its venue, year and
    qualifier words, or ``None`` when it does not hold exactly one claim the scanner reads
    (also ``EMNLP(2020)``: the parenthesis is the separator)."""
    half = halfwidth(text)
    found = [m for m in _claim_re().finditer(half) if _match_to_claim(m, 0, text) is not None]
    if len(found) == 1:
        m = found[0]
        if m.group("preprint"):
            a = m.start("preprint")
            z = m.start("pyear") if m.group("pyear") else m.end("preprint")
            venue_end = len(text[a:z].rstrip(" \t")) + a
            return ClaimParts(text[:a], text[a:venue_end], text[venue_end:z],
                              text[z:m.end("pyear")] if m.group("pyear") else "", "", text[m.end("preprint"):])
        a = m.start("qual0") if m.group("qual0") else m.start("zvenue" if m.group("zvenue") else "venue")
        venue_end = m.end("zvenue" if m.group("zvenue") else "venue")
        end = m.end("year")
        if m.group("qual"):
            end = m.end("qual")
        return ClaimParts(text[:a], text[a:venue_end], text[venue_end:m.start("year")],
                          text[m.start("year"):m.end("year")], text[m.end("year"):end], text[end:])
    if not found:
        p = list(_PAREN_YEAR.finditer(half))
        if len(p) == 1 and canonical_venue(p[0].group("venue")):
            m = p[0]
            return ClaimParts(text[:m.start()], text[m.start("venue"):m.end("venue")],
                              text[m.start("sep"):m.end("sep")], text[m.start("year"):m.end("year")], "",
                              text[m.end():])
    return None


# the qualifier the scanner reads for a track (``_QUALIFIERS`` the other way round)
_QUALIFIER_WORDS = {"workshop": "Workshop", "srw": "SRW", "demos": "Demos", "industry": "Industry",
                    "short": "Short", "survey": "Survey Track"}


def claim_words(venue: str, year: Optional[int], track: Optional[str] = None, sep: str = " ",
                written: str = "") -> Optional[str]:
    """A claim's words as a list writes them, that :func:`parse_claim` reads back as ``venue``,
    ``year`` and ``track``: ``Findings of EMNLP 2020``, ``ACL2020 Demos``, ``arXiv 2019``;
    ``written`` (the venue as the list wrote it, ``emnlp``) is kept when it names the same
    venue, or the Findings of it (the case of a written name is kept).  ``None`` for a track
    a claim cannot say."""
    if track is not None and track not in _QUALIFIER_WORDS:
        return None
    base = written
    if written.casefold().startswith("findings of "):
        base = written[len("findings of "):]
    if venue == "arXiv":
        words = venue + (f"{sep if sep.strip() == '' and sep else ' '}{year}" if year else "")
        return words
    if base and canonical_venue(halfwidth(base)) == venue:
        name = base
    elif base and venue.startswith("Findings of ") and \
            canonical_venue(halfwidth(base)) == venue[len("Findings of "):]:
        name = ("findings of " if base.islower() else "Findings of ") + base
    else:
        name = venue
        if venue.startswith("Findings of "):
            name = "Findings of " + venue[len("Findings of "):]
        if written.islower():
            name = name.lower()
    words = f"{name}{sep}{year}" if year else name
    if track:
        words += " " + _QUALIFIER_WORDS[track]
    return words


def parse_claim(text: str, line: int = 0) -> Optional[Claim]:
    """The claim that is the whole of ``text``, or ``None``."""
    t = text.strip()
    m = _claim_re().fullmatch(halfwidth(t))
    return _match_to_claim(m, line, t) if m else None


def find_claims(text: str, line: int = 0) -> Tuple[List[Claim], str]:
    """All claims in ``text`` and the text with them removed."""
    claims: List[Claim] = []
    spans: List[Tuple[int, int]] = []
    half = halfwidth(text)
    for m in _claim_re().finditer(half):
        start, end = m.span()
        # must stand alone: not glued to letters on either side, nor the second word of a
        # phrase ("NUSE NAACL 2021"); CJK characters are words of their own (发表于ACL 2020)
        if start > 0 and _glued(half[start - 1]):
            continue
        tail = end
        while tail > start and half[tail - 1] in " \t":
            tail -= 1
        if tail < len(half) and _glued(half[tail]) and tail == end:
            continue
        c = _match_to_claim(m, line, text)
        if c is None:
            continue
        claims.append(c)
        spans.append((start, end))
    out = text
    for start, end in reversed(spans):
        out = out[:start] + " " + out[end:]
    if not claims:
        bare = re.search(r"(?<![\w.:/-])((?:19|20)\d\d)(?![\w/-])", half)
        if bare:
            claims.append(Claim(raw=text[bare.start(1):bare.end(1)], venue=None, year=int(bare.group(1)), line=line))
            out = text[: bare.start()] + " " + text[bare.end():]
    return claims, out


# ------------------------------------------------------------------ a whole segment's claim
_DATE = re.compile(r"^(?:(?P<y1>(?:19|20)\d\d)(?:[./-]\d{1,2}){0,2}|(?P<y2>(?:19|20)\d\d)[01]\d(?:[0-3]\d)?|"
                   r"\d{1,2}[./-]\d{1,2}[./-](?P<y3>(?:19|20)?\d\d)|(?:year\s*)?(?P<y4>(?:19|20)\d\d)\s*年?)$", re.I)
_SHORT_YEAR = re.compile(r"^(?P<v>[A-Za-z][A-Za-z&-]*[A-Za-z])\s*(?:'|’|-)(?P<y>\d\d)$")
_NAME_YEAR = re.compile(r"(?P<v>[A-Za-z][\w-]*?)[\s_-]*'?(?P<y>(?:19|20)\d\d)")
_ACRONYM = re.compile(r"[A-Z][A-Za-z-]*[A-Z]+[A-Za-z]*")
VENUE_WORDS = re.compile(
    r"\b(conference|proceedings|proc\.|journal|transactions|trans\.|workshop|symposium|press|letters|"
    r"review|magazine|preprint|findings of|annual meeting|congress|colloquium|advances in)\b", re.I)
JOURNAL_VOLUME = re.compile(r"^(?P<v>[A-Z][A-Za-z&.\- ]{1,60}?)\s+\d+(?:\.\d+)?(?:\(\d+\))?\s*\((?P<y>(?:19|20)\d\d)\)"
                             r"(?:\s*:\s*[\d-]+)?$")
ACRONYM_YEAR = re.compile(r"^(?P<v>[A-Z][A-Za-z]*[A-Z][A-Za-z]*)\s*\((?P<y>(?:19|20)\d\d)\)$")
_ZH_VENUE = re.compile(r"(学报|期刊|会议|杂志|通讯|大会)")


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


def known_venue(name: str) -> bool:
    return bool(canonical_venue(name)) or name.casefold() in _MORE_VENUES


def is_date(text: str) -> Optional[int]:
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
    if not (VENUE_WORDS.search(t) or _ZH_VENUE.search(t) or re.match(r"^(in|proc\.?)\s", t, re.I)):
        return None
    if len(t) > 200:
        return None
    known = [c for c in find_claims(t)[0] if c.venue and c.year and canonical_venue(c.venue) == c.venue]
    if known:  # "计算机学报, 2020, 43(1): 1-10": the registry's venue, the rest volume and pages
        return Claim(raw=t, venue=known[0].venue, year=known[0].year, track=known[0].track,
                     preprint=known[0].preprint)
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
    t = clean(text).strip(" .,，;；:：*_")
    if not t:
        return None
    y = is_date(t)
    if y is not None:
        return Claim(raw=t, venue=None, year=y, line=line)
    mj = JOURNAL_VOLUME.match(t) or ACRONYM_YEAR.match(t)
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
        rest_words = len(WORD.findall(CJK.sub(" ", rest))) + len(CJK.findall(rest)) / 2
        if venue_claims and (rest_words <= 2 or tag):
            c0 = venue_claims[0]
            return Claim(raw=t, venue=c0.venue, year=c0.year, line=line, preprint=c0.preprint, track=c0.track)
    vp = venue_phrase(t)
    if vp is not None:
        return Claim(raw=vp.raw, venue=vp.venue, year=vp.year, line=line, preprint=vp.preprint, track=vp.track)
    return None


_LIST_WORDS = {"paper", "papers", "list", "lists", "accepted", "track", "main", "long", "short", "proceedings",
               "conference", "reading", "with", "code", "and", "of", "the", "selected", "notes"}


def _spaced(text: str) -> str:
    """A space between CJK and Latin letters or digits, so that ``CVPR 2023论文`` ends its claim."""
    text = re.sub(r"([\u3400-\u9fff\uff00-\uffef】】])(?=[A-Za-z0-9])", r"\1 ", text)
    return re.sub(r"([A-Za-z0-9])(?=[\u3400-\u9fff\uff00-\uffef【])", r"\1 ", text)


def heading_claim(text: str, line: int) -> Optional[Claim]:
    """The venue+year (or year) a heading names for everything under it: ``ECIR 2021 Paper
    List``, ``CVPR 2023 论文和开源项目合集``, ``2017``, ``Year 2023``."""
    t = clean(text)
    y = is_date(t.strip(" :："))
    if y is not None:
        return Claim(raw=t, venue=None, year=y, line=line, origin="heading")
    claims, rest = find_claims(_spaced(t), line)
    venue_claims = [c for c in claims if c.venue and c.year and not c.preprint]
    rest_words = [w for w in WORD.findall(CJK.sub(" ", rest)) if w.lower() not in _LIST_WORDS]
    if len(venue_claims) == 1 and len(claims) == 1 and (canonical_venue(venue_claims[0].venue or "") or
                                                        (_ACRONYM.fullmatch(venue_claims[0].venue or "")
                                                         and len(rest_words) <= 1)):
        c = venue_claims[0]
        return Claim(raw=c.raw, venue=c.venue, year=c.year, line=line, track=c.track, origin="heading")
    return None
