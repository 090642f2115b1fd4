"""Online enrichment: fill records from authoritative sources, upgrade preprints to their
published versions, and never turn one paper into another.

Order of work (each step a source behind the one shared HTTP client):

1. **arXiv** by id, batched: title, authors, date of every preprint the list links to;
2. **Semantic Scholar** by arXiv id or DOI, batched: the paper's other ids (ACL Anthology,
   DOI, DBLP) when S2's paper is the same work;
3. **DBLP** search by title, for records whose venue no authority has confirmed: the
   published version, if one hit is the same work (CoRR copies of preprints do not count);
4. **ACL Anthology** by ACL id and **doi.org** (CSL-JSON) by DOI: the authoritative records.

Matching (:func:`same_work`): a candidate found by *search* is accepted only when the
normalised titles agree and the authors agree (family names in their own script and
romanised; two of them when both lists are longer than one), or an id agrees, and the
list's claimed venue and year do not contradict it; when the record has no authors yet, the
list's claimed venue and year must both agree instead.  Several acceptable candidates that
disagree are reported as ambiguous, not guessed.  Candidates found by *id* are trusted, and
an existing ACL id or DOI is trusted over any search.  Impossible values (month 13) are
dropped with a Problem whatever the source.

Every field records the source that supplied it in ``Record.provenance``; the input library
is not changed.  Nothing here raises on a network or data fault: the record stays as it
was and a :class:`~plm_bib.model.Problem` says what happened.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Callable, Dict, Iterable, List, Optional, Set, Tuple, Type

from plm_bib.errors import BadOption
from plm_bib.keys import ascii_fold
from plm_bib.library import Library
from plm_bib.metadata.venues import venue_info
from plm_bib.model import Link, Person, Problem, Record
from plm_bib.readinglist import normalize_title
from plm_bib.sources.acl import AclSource
from plm_bib.sources.arxiv import ArxivSource
from plm_bib.sources.base import Candidate, Source
from plm_bib.sources.crossref import CrossrefSource, is_datacite_arxiv
from plm_bib.sources.dblp import DblpSource
from plm_bib.sources.http import Client
from plm_bib.sources.s2 import S2Source

__all__ = ["enrich", "same_work", "contradiction", "name_forms", "SOURCES", "DEFAULT_SOURCES", "PRECEDENCE",
           "POLITE_INTERVALS"]

SOURCES: Dict[str, Type[Source]] = {"arxiv": ArxivSource, "s2": S2Source, "dblp": DblpSource,
                                    "acl": AclSource, "crossref": CrossrefSource}
DEFAULT_SOURCES = ("arxiv", "acl", "dblp", "crossref", "s2")
# who wins a field: an authority by id beats a search, which beats the list
PRECEDENCE = {"list": 0, "acl-id": 1, "arxiv-id": 1, "s2": 1, "arxiv": 2, "dblp": 3, "crossref": 4,
              "acl": 5, "curated": 6}
# seconds between two requests to a host (arXiv asks for 3; DBLP asks for politeness)
POLITE_INTERVALS = {"export.arxiv.org": 3.0, "dblp.org": 1.0, "api.semanticscholar.org": 1.0,
                    "api.crossref.org": 0.1, "doi.org": 0.1, "aclanthology.org": 0.2}
_FIELDS = ("title", "authors", "year", "month", "venue", "track", "booktitle", "journal", "volume",
           "number", "pages", "publisher", "address", "doi", "entry_type")
_PREPRINT_ONLY = ("publisher", "month", "doi", "entry_type")


# Chinese surnames of two characters (the rest are one character: the first of the name)
_COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 令狐 夏侯 长孙 宇文 司徒 端木 申屠 轩辕 西门 "
    "南宫 独孤 百里 呼延 闻人 东郭 濮阳 澹台 万俟 钟离 宗政 太史 歐陽 司馬 諸葛 長孫 鍾離".split())
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _letters(text: str) -> str:
    """``text`` in its own script, compatibility-normalised and case-folded, letters and
    digits only (``Müller`` -> ``müller``, ``Иванов`` -> ``иванов``, ``张`` -> ``张``)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def _han_surnames(name: str) -> List[str]:
    """The surname of a Chinese name written whole (``张伟`` -> ``张``, ``欧阳娜娜`` -> ``欧阳``)."""
    return [name[:2]] if name[:2] in _COMPOUND_SURNAMES else [name[:1]]


# surnames read otherwise than the character's common reading (单 is "dan", as a surname "shan")
_SURNAME_READINGS = {"单": "shan", "曾": "zeng", "区": "ou", "仇": "qiu", "解": "xie", "查": "zha",
                     "朴": "piao", "盖": "ge", "缪": "miao", "乐": "yue", "覃": "qin", "种": "chong",
                     "秘": "bi", "繁": "po", "员": "yun", "句": "gou", "翟": "zhai", "折": "she",
                     "黑": "he", "柏": "bai", "长孙": "zhangsun", "尉迟": "yuchi", "万俟": "moqi",
                     "沈": "shen", "重": "chong", "藏": "zang", "宿": "su", "隗": "wei", "能": "nai"}


def _pinyin_readings(han: str) -> Set[str]:
    """The pinyin of a Han surname: the common reading, and the surname's own where it
    differs (``单`` -> dan, shan)."""
    from pypinyin import lazy_pinyin  # imported on first use: its tables are large

    out = {_letters("".join(lazy_pinyin(han)))}
    if han in _SURNAME_READINGS:
        out.add(_SURNAME_READINGS[han])
    return {o for o in out if o}


def _whole_han(p: Person) -> bool:
    """A Chinese (or Japanese) name written whole in Han characters: ``张伟``."""
    return bool(p.family) and not p.given and all(_HAN.match(ch) for ch in p.family)


def name_forms(p: Person) -> Set[str]:
    """The forms in which ``p``'s family name can agree with another: in its own script
    (never folded away), and romanised (Latin without diacritics by the one fold of
    :func:`plm_bib.keys.ascii_fold`, ``Groß`` -> ``gross``; Han by pinyin, the common reading
    and a surname's own).
    Empty for a name with no letters: such a name agrees with nothing."""
    family = p.family
    if _whole_han(p):
        surnames = _han_surnames(family)  # a Chinese name written whole: 张伟
    else:
        surnames = [family]
    forms: Set[str] = set()
    for s in surnames:
        own = _letters(s)
        if own:
            forms.add(own)
        if _HAN.search(s):
            forms |= _pinyin_readings(s) if all(_HAN.match(ch) for ch in s) else set()
        else:
            latin = _letters(ascii_fold(s))
            if latin:
                forms.add(latin)
    return forms


# Cyrillic and Greek letters romanised (a common scientific transliteration; the spelling
# variants between systems are then evened out by _skeleton)
_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґўјћђ",
                     "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch - y - e yu ya i yi ye g u j c dj"
                     .split()))
_GREEK = dict(zip("αβγδεζηθικλμνξοπρσςτυφχψω", "a v g d e z i th i k l m n x o p r s s t y f ch ps o".split()))
_GREEK_PAIRS = {"ου": "ou", "μπ": "b", "ντ": "d", "γγ": "ng", "γκ": "g"}


def _romanised_family(p: Person) -> str:
    """A Cyrillic or Greek family name in Latin letters, or "" for any other script."""
    text = unicodedata.normalize("NFD", p.family.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    if not any(ch in _CYRILLIC or ch in _GREEK for ch in text):
        return ""
    for pair, latin in _GREEK_PAIRS.items():
        text = text.replace(pair, latin)
    out = "".join(_CYRILLIC.get(ch, _GREEK.get(ch, ch if ch.isascii() else "")) for ch in text).replace("-", "")
    return "".join(ch for ch in out if ch.isalnum())


def _skeleton(latin: str) -> str:
    """A Latin spelling with the usual variants of transliteration evened out (``Kuznetsov``
    = ``Kuznecov``, ``Chernov`` = ``Tchernov``, ``Iwanow`` = ``Ivanov``, ``Yuri`` = ``Iuri``)."""
    s = latin.lower()
    for a, b in (("shch", "sc"), ("tch", "c"), ("ch", "c"), ("sh", "s"), ("zh", "z"), ("kh", "h"),
                 ("ts", "c"), ("tz", "c"), ("ph", "f"), ("th", "t"), ("ks", "x"), ("y", "i"),
                 ("j", "i"), ("w", "v")):
        s = s.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", s)


def _agree(a: Person, b: Person) -> bool:
    """Whether two authors can be the same person: two names written whole in Han
    characters must be the same name (``张伟`` is not ``张芳``; ``山田`` is not ``山本``);
    otherwise their family names agree in one of their :func:`name_forms`, or a Cyrillic
    or Greek family name romanised agrees with the other's Latin spelling
    (``Иванов`` = ``Ivanov``), the variants of transliteration evened out."""
    if _whole_han(a) and _whole_han(b):
        return _letters(a.family) == _letters(b.family)
    if name_forms(a) & name_forms(b):
        return True
    for x, y in ((a, b), (b, a)):
        rom = _romanised_family(x)
        latin = _letters(ascii_fold(y.family))
        if rom and latin and latin.isascii() and _skeleton(rom) == _skeleton(latin):
            return True
    return False


def _agreeing_authors(mine: List[Person], theirs: List[Person]) -> int:
    """How many of ``mine`` agree with a distinct one of ``theirs`` (each used once)."""
    free = list(theirs)
    n = 0
    for p in mine:
        for j, other in enumerate(free):
            if _agree(p, other):
                n += 1
                del free[j]
                break
    return n


def _same_venue(claimed: str, found: str) -> bool:
    """The list's venue and a source's venue name the same series (``Findings of EMNLP`` is
    within ``EMNLP``); both are canonical names."""
    a, b = set(re.findall(r"\w+", claimed.lower())), set(re.findall(r"\w+", found.lower()))
    return claimed == found or (bool(a) and bool(b) and (a <= b or b <= a))


def contradiction(r: Record, c: Record) -> Optional[str]:
    """Why candidate ``c`` cannot be the version of ``r`` its list claims, or None.

    A claim of a published venue contradicts a candidate in another known venue, or more
    than a year away; a claim of a preprint or of a bare year contradicts a candidate more
    than two years away.  Several claims: the candidate must fit one of them."""
    claims = [cl for cl in r.claims if cl.venue or cl.year]
    if not claims:
        return None
    found = venue_info(c.venue or "")
    found_venue = found.short if found is not None and not found.is_preprint else None
    for cl in claims:
        claimed = venue_info(cl.venue or "")
        published = claimed is not None and not claimed.is_preprint and not cl.preprint
        if published and found_venue and claimed is not None and not _same_venue(claimed.short, found_venue):
            continue
        if cl.year and c.year and abs(cl.year - c.year) > (1 if published else 2):
            continue
        return None
    said = "; ".join(cl.raw.strip("* ") or f"{cl.venue or ''} {cl.year or ''}".strip() for cl in claims)
    return f"the list says {said!r}, the candidate is {c.venue or '?'} {c.year or '?'}"


def same_work(r: Record, c: Record) -> Tuple[bool, str]:
    """Whether candidate ``c`` is the same paper as ``r``, and why (or why not).

    An id in common decides.  Else the normalised titles must agree, and then the authors:
    family names compared in their own script and romanised (:func:`_agree`); one name
    in common is enough only when one of the lists has one name, else two must agree.
    Without authors, the list's claimed venue and year must both agree.  A candidate that
    contradicts the list's claimed venue or year (:func:`contradiction`) is refused."""
    for k in ("arxiv", "acl", "doi", "openreview", "pmlr", "dblp"):
        a, b = r.ids.get(k), c.ids.get(k)
        if a and b and not (k == "doi" and is_datacite_arxiv(a)):
            if a.lower() == b.lower():
                return True, f"same {k} id"
    if not r.title or normalize_title(r.title) != normalize_title(c.title):
        return False, f"title differs ({c.title!r})"
    mine = [p for p in r.authors if p.family != "others"]
    theirs = [p for p in c.authors if p.family != "others"]
    if mine and theirs:
        agree = _agreeing_authors(mine, theirs)
        needed = 1 if min(len(mine), len(theirs)) == 1 else 2
        if agree < needed:
            return False, ("no author in common" if agree == 0 else
                           f"only {agree} of {len(mine)} authors in common")
        why = contradiction(r, c)
        if why:
            return False, why
        return True, "same title and authors"
    claims = [cl for cl in r.claims if cl.venue or cl.year]
    if claims and any(cl.venue == c.venue and cl.year == c.year for cl in claims):
        return True, "same title, and the list's venue and year"
    return False, "same title, but no author or claimed venue to confirm it"


def _is_preprint(venue: Optional[str]) -> bool:
    info = venue_info(venue or "")
    return bool(info and info.is_preprint)


def _confirmed_venue(r: Record) -> bool:
    """A venue an authority gave (not only the list's claim, not only arXiv)."""
    src = r.provenance.get("venue", "list")
    return bool(r.venue) and PRECEDENCE.get(src, 0) >= PRECEDENCE["dblp"] and not _is_preprint(r.venue)


def _sane(r: Record, cands: List[Candidate]) -> Tuple[List[Candidate], List[Problem]]:
    """The candidates with their impossible values dropped (a month outside 1-12, a year
    outside 1000-2999), and a Problem for each value dropped: a source's data, never a crash."""
    out: List[Candidate] = []
    problems: List[Problem] = []
    for cand in cands:
        c = cand.record
        bad: Dict[str, object] = {}
        if c.month is not None and not (isinstance(c.month, int) and 1 <= c.month <= 12):
            bad["month"] = None
        if c.year is not None and not (isinstance(c.year, int) and 1000 <= c.year <= 2999):
            bad["year"] = None
        if bad:
            problems.append(Problem(r.source or "<enrich>", r.line,
                                    f"{cand.source}: impossible " + ", ".join(
                                        f"{f} {getattr(c, f)!r}" for f in bad) + f" for {r.key or r.title!r}: left out",
                                    r.key, "warning"))
            cand = replace(cand, record=c.replace(**bad))
        out.append(cand)
    return out, problems


def _merge(r: Record, cand: Candidate) -> Record:
    c = cand.record
    prov = dict(r.provenance)
    rank = PRECEDENCE.get(cand.source, 0)
    changes: Dict[str, object] = {}
    was_preprint = _is_preprint(r.venue)
    now_published = bool(c.venue) and not _is_preprint(c.venue)
    for f in _FIELDS:
        v = getattr(c, f)
        if v in (None, "", ()):
            continue
        if rank >= PRECEDENCE.get(prov.get(f, "list"), 0):
            changes[f] = v
            prov[f] = cand.source
    if was_preprint and now_published:
        # the preprint's publisher (arXiv), date and DOI are not the published paper's
        for f in _PREPRINT_ONLY:
            if prov.get(f) == "arxiv" and f not in changes:
                changes[f] = None if f != "entry_type" else "inproceedings"
                prov.pop(f, None)
    titles = tuple(r.titles_as_listed)
    if "title" in changes and r.title and r.title not in titles and r.title != changes["title"]:
        titles = titles + (r.title,)
    ids = dict(r.ids)
    for k, v in c.ids.items():
        if k == "doi" and is_datacite_arxiv(v) and ids.get("doi") and not is_datacite_arxiv(ids["doi"]):
            continue
        ids.setdefault(k, v)
    if changes.get("doi"):
        ids["doi"] = str(changes["doi"])
    elif "doi" in changes and is_datacite_arxiv(ids.get("doi", "")):
        ids.pop("doi")
    urls = list(r.urls)
    if c.urls and cand.found_by == "id" and cand.source in ("acl", "crossref", "arxiv"):
        main = c.urls[0]
        if all(u.url.rstrip("/") != main.url.rstrip("/") for u in urls):
            urls.insert(0, Link(main.url, "paper"))
    extra = dict(r.extra)
    for k, v in c.extra.items():
        extra.setdefault(k, v)
    return r.replace(**changes, ids=ids, urls=tuple(urls), extra=extra, provenance=prov,
                     titles_as_listed=titles)


def enrich(lib: Library, sources: Iterable[str] = DEFAULT_SOURCES, *, client: Optional[Client] = None,
           mailto: Optional[str] = None, offline: Optional[bool] = None, refresh: bool = False,
           progress: Optional[Callable[[str], None]] = None, timeout: Optional[float] = None) -> Library:
    """A new Library with the papers of ``lib`` filled from ``sources`` (see the module doc).
    ``timeout``: seconds for the whole run; once spent, the remaining lookups are skipped
    (one Problem says so) and the records keep what they had."""
    wanted = [s for s in sources]
    unknown = [s for s in wanted if s not in SOURCES]
    if unknown:
        raise BadOption(f"unknown source(s) {unknown}; known: {', '.join(SOURCES)}")
    if timeout is not None and not timeout > 0:
        raise BadOption(f"the run's timeout must be a positive number of seconds, not {timeout!r}")
    own = client is None
    client = client or Client(mailto=mailto, offline=offline, refresh=refresh, intervals=POLITE_INTERVALS)
    client.start_run(timeout)
    records = list(lib)
    papers = [i for i, r in enumerate(records) if r.is_paper]
    problems: List[Problem] = list(lib.problems)

    def on(name: str) -> bool:
        if name in wanted:
            if progress:
                progress(name)
            return True
        return False

    failed: Set[str] = set()  # keys whose last lookup failed (a fault, not an answer)

    def searched(r: Record) -> bool:
        return r.key not in failed

    def run(name: str, accept: Callable[[Record, List[Candidate]], Optional[Record]],
            select: Callable[[Record], bool] = lambda r: True) -> None:
        chosen = [i for i in papers if select(records[i])]
        source = SOURCES[name](client)
        found, probs = source.lookup([records[i] for i in chosen])
        problems.extend(probs)
        failed.clear()
        failed.update(p.raw for p in probs if p.level != "info")
        failed.update(source.skipped)
        for j, i in enumerate(chosen):
            cands, why_not = _sane(records[i], found.get(j, []))
            problems.extend(why_not)
            new = accept(records[i], cands)
            if new is not None:
                records[i] = new

    def by_id(r: Record, cands: List[Candidate]) -> Optional[Record]:
        return _merge(r, cands[0]) if cands else None

    def ids_only(r: Record, cands: List[Candidate]) -> Optional[Record]:
        if not cands:
            return None
        c = cands[0]
        ok, why = same_work(r, c.record) if r.authors else (
            normalize_title(r.title) == normalize_title(c.record.title), "title")
        if not ok:
            problems.append(Problem(r.source or "<enrich>", r.line,
                                    f"s2: candidate rejected for {r.key or r.title!r}: {why}", r.key, "info"))
            return None
        # only the ids: S2's metadata is not an authority here
        new = {k: v for k, v in c.record.ids.items() if k in ("acl", "doi", "dblp")
               and not (k == "doi" and is_datacite_arxiv(v))}
        return r.replace(ids={**new, **r.ids}) if new else None

    def search(r: Record, cands: List[Candidate]) -> Optional[Record]:
        accepted: List[Tuple[Candidate, str]] = []
        rejected: List[Tuple[Candidate, str]] = []
        for c in cands:
            ok, why = same_work(r, c.record)
            (accepted if ok else rejected).append((c, why))
        if not accepted:
            if rejected:
                refusal = next((why for c, why in rejected if contradiction(r, c.record) == why), None)
                problems.append(Problem(r.source or "<enrich>", r.line,
                                        f"dblp: no published version of {r.title!r} found; "
                                        f"{len(rejected)} candidate(s) rejected, e.g. {refusal or rejected[0][1]}",
                                        r.key, "warning" if refusal else "info"))
            refused = any(contradiction(r, c.record) == why for c, why in rejected)
            if _is_preprint(r.venue) and r.provenance.get("venue") == "arxiv" and searched(r) and not refused:
                # searched, and no published version: that it is a preprint is now a finding
                return r.replace(provenance={**r.provenance, "verified": "dblp: no published version"})
            return None
        versions = {(c.record.venue, c.record.year) for c, _ in accepted}
        if len(versions) > 1:
            problems.append(Problem(r.source or "<enrich>", r.line,
                                    f"dblp: ambiguous: {r.title!r} matches "
                                    f"{', '.join(f'{v} {y}' for v, y in sorted(versions, key=str))}; "
                                    "left as it was", r.key, "warning"))
            return None
        return _merge(r, accepted[0][0])

    try:
        if on("arxiv"):
            run("arxiv", by_id)
        if on("s2"):
            run("s2", ids_only)
        if on("dblp"):
            run("dblp", search, select=lambda r: not _confirmed_venue(r) and not r.ids.get("acl"))
        if on("acl"):
            run("acl", by_id)
        if on("crossref"):
            run("crossref", by_id)
    finally:
        # a source given up (its circuit breaker), the run's time spent: said once each
        problems.extend(Problem(lib.source or "<enrich>", 0, f"{who}: {message}", who, "warning")
                        for who, message in client.notices)
        if own:
            client.close()
    # keys made from a reading list are made again from the better metadata
    out = [r if r.provenance.get("*") in ("bibtex", "csl-json") else r.replace(key="") for r in records]
    return Library(out, problems, lib.title, lib.source)
