"""Venue registry: canonical short names, aliases, entry types, publishers and
proceedings titles by year, read from ``data/venues.json``.

>>> canonical_venue("NIPS")
'NeurIPS'
>>> canonical_venue("naacl-hlt")
'NAACL'
>>> proceedings_title("ACL", 2020)
'Proceedings of the 58th Annual Meeting of the Association for Computational Linguistics'
>>> container_title("EACL", 2030)
'Proceedings of the Conference of the European Chapter of the Association for Computational Linguistics'
>>> container_title("中文信息学报", 2021, language="zh"), venue_publisher("CCL", "zh")
('中文信息学报', 'Chinese Information Processing Society of China')
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Dict, List, Mapping, Optional, Tuple

__all__ = [
    "Venue",
    "registry",
    "canonical_venue",
    "venue_info",
    "proceedings_title",
    "container_title",
    "venue_publisher",
    "venue_alias_pattern",
    "event_name",
    "track_name",
    "read_container",
]


@dataclass(frozen=True)
class Venue:
    short: str
    name: str
    kind: str  # conference, journal, workshop, preprint
    entry_type: str
    aliases: Tuple[str, ...]
    publisher: Optional[str] = None
    address: Optional[str] = None
    series: Optional[str] = None
    acl_prefix: Optional[str] = None
    raw: Mapping[str, object] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_preprint(self) -> bool:
        return self.kind == "preprint"

    def volume(self, year: int) -> Optional[str]:
        vols = self.raw.get("volumes")
        if isinstance(vols, dict) and str(year) in vols:
            return str(vols[str(year)])
        base = self.raw.get("volume_base")
        if isinstance(base, int):
            return str(year - base)
        return None


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@lru_cache(maxsize=1)
def registry() -> Dict[str, Venue]:
    """All venues by canonical short name (loaded once)."""
    text = resources.files("plm_bib").joinpath("data/venues.json").read_text(encoding="utf-8")
    data = json.loads(text)
    out: Dict[str, Venue] = {}
    for short, d in data.items():
        if short.startswith("_"):
            continue
        out[short] = Venue(
            short=short,
            name=d["name"],
            kind=d["kind"],
            entry_type=d["entry_type"],
            aliases=tuple(d.get("aliases", [short])),
            publisher=d.get("publisher"),
            address=d.get("address"),
            series=d.get("series"),
            acl_prefix=d.get("acl_prefix"),
            raw=d,
        )
    return out


_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _norm(s: str) -> str:
    # NFKC: full-width letters, digits and punctuation (ＡＣＬ, 中国科学：信息科学) as ASCII
    return re.sub(r"[\s_]+", " ", unicodedata.normalize("NFKC", s).strip().lower())


@lru_cache(maxsize=1)
def _alias_index() -> Dict[str, str]:
    idx: Dict[str, str] = {}
    for short, v in registry().items():
        idx[_norm(short)] = short
        for a in v.aliases:
            idx[_norm(a)] = short
    return idx


def canonical_venue(name: str) -> Optional[str]:
    """The canonical short name of a venue name or alias, or ``None`` if unknown."""
    return _alias_index().get(_norm(name))


def venue_info(short: str) -> Optional[Venue]:
    return registry().get(short)


@lru_cache(maxsize=2)
def venue_alias_pattern(cjk: bool = False) -> str:
    """A regex alternation of every alias, longest first (for the claim scanner); with
    ``cjk``, of the aliases written in Chinese only (a comma may part them from a year)."""
    names: List[str] = sorted((n for n in _alias_index_raw() if not cjk or _CJK.search(n)), key=len, reverse=True)
    return "|".join(re.escape(n).replace(r"\ ", r"[\s_-]?") for n in names)


def _alias_index_raw() -> List[str]:
    names = set()
    for short, v in registry().items():
        names.add(short)
        names.update(v.aliases)
    return list(names)


def _zh(language: Optional[str]) -> bool:
    return (language or "").lower().startswith("zh")


def proceedings_title(short: str, year: Optional[int], track: Optional[str] = None,
                      language: Optional[str] = None) -> Optional[str]:
    """Proceedings (or journal) title of a venue in a year, for a track if given; a Chinese
    record (``language`` ``zh``) gets the venue's Chinese title where the registry has one."""
    v = registry().get(short)
    if v is None:
        return None
    proc = v.raw.get("proceedings", {})
    assert isinstance(proc, dict)
    years = proc.get("years", {})
    title: Optional[str]
    if _zh(language) and proc.get("template_zh"):
        return str(proc["template_zh"])
    if year is not None and str(year) in years:
        title = years[str(year)]
    else:
        template = proc.get("template")
        if template is None:
            return None
        ordinal = None
        if "{ordinal}" in template:
            ordinals = proc.get("ordinals", {})
            base = proc.get("ordinal_base")
            if year is not None and str(year) in ordinals:
                ordinal = _ordinal(int(ordinals[str(year)]))
            elif year is not None and isinstance(base, int):
                ordinal = _ordinal(year - base)
            else:
                return None
        if "{year}" in template and year is None:
            return None
        title = template.format(year=year, ordinal=ordinal)
    if track:
        tracks = v.raw.get("tracks", {})
        assert isinstance(tracks, dict)
        t = tracks.get(track)
        if t is None:
            return title
        base = re.sub(r" \(Volume 1: Long Papers\)$", "", title or "")
        return str(t).format(base=base, year=year)
    return title


def container_title(short: str, year: Optional[int], track: Optional[str] = None,
                    language: Optional[str] = None) -> Optional[str]:
    """The proceedings (or journal) title of a venue claim: the title of that year if the
    registry knows it, else the venue's generic proceedings name (its template without the
    year or ordinal it cannot fill); ``None`` for a venue the registry does not know, a
    track it has no title for (a workshop's proceedings are not the main conference's), or
    a year before the template's ``template_since`` that ``years`` does not list."""
    v = registry().get(short)
    tracks = v.raw.get("tracks", {}) if v is not None else {}
    if track and not (isinstance(tracks, dict) and track in tracks):
        return None
    proc = v.raw.get("proceedings", {}) if v is not None else {}
    since = proc.get("template_since") if isinstance(proc, dict) else None
    listed = proc.get("years", {}) if isinstance(proc, dict) else {}
    if isinstance(since, int) and year is not None and year < since and str(year) not in listed:
        return None  # the venue's proceedings went by another title then
    title = proceedings_title(short, year, track, language)
    if title is not None:
        return title
    template = proc.get("template") if isinstance(proc, dict) else None
    if not isinstance(template, str):
        return None
    generic = re.sub(r"\s*\(?\{(?:year|ordinal)\}\)?", "", template)
    return re.sub(r"\s+", " ", generic).strip()


def venue_publisher(short: str, language: Optional[str] = None) -> Optional[str]:
    """The publisher the registry names for a venue (in Chinese for a Chinese record where it
    has the Chinese name), or ``None``."""
    v = registry().get(short)
    if v is None:
        return None
    zh = v.raw.get("publisher_zh")
    return str(zh) if _zh(language) and zh else v.publisher


def event_name(short: str, year: Optional[int]) -> str:
    """The name the event went by that year (``EMNLP-IJCNLP`` in 2019)."""
    v = registry().get(short)
    if v is not None and year is not None:
        names = v.raw.get("event_names", {})
        if isinstance(names, dict) and str(year) in names:
            return str(names[str(year)])
    return short


_TRACK_NAMES = {"demos": "System Demonstrations", "short": "Short Papers", "srw": "Student Research Workshop",
                "industry": "Industry Track", "tutorials": "Tutorial Abstracts"}


def track_name(track: Optional[str]) -> str:
    return _TRACK_NAMES.get(track or "", track or "")


# a track as a proceedings title names it (longest phrases first)
_TRACK_WORDS: Tuple[Tuple[str, Optional[str]], ...] = (
    ("long and short papers", None), ("student research workshop", "srw"),
    ("system demonstrations", "demos"), ("demonstrations", "demos"),
    ("demo track", "demos"), ("industry track", "industry"), ("short papers", "short"),
    ("tutorial abstracts", "tutorials"), ("workshop", "workshop"),
)


def _words(s: str) -> str:
    return " " + re.sub(r"[^0-9a-z]+", " ", s.lower()).strip() + " "


@lru_cache(maxsize=1)
def _publishers() -> Tuple[str, ...]:
    """The publishers' names of the registry, as words (:func:`_words`), longest first."""
    names = {_words(v.publisher) for v in registry().values() if v.publisher}
    return tuple(sorted((n for n in names if n.strip()), key=len, reverse=True))


@lru_cache(maxsize=1)
def _name_heads() -> Dict[str, str]:
    """A venue's name before its colon, when no other venue's name begins so and it is of
    four words or more (NAACL's "Conference of the North American Chapter of the Association
    for Computational Linguistics", without ": Human Language Technologies")."""
    heads: Dict[str, List[str]] = {}
    for short, v in registry().items():
        head = v.name.split(": ", 1)[0]
        if head != v.name and len(head.split()) >= 4:
            heads.setdefault(head, []).append(short)
    return {shorts[0]: head for head, shorts in heads.items() if len(shorts) == 1}


@lru_cache(maxsize=4096)
def read_container(text: str) -> Optional[Tuple[str, Optional[str]]]:
    """The venue (canonical short name) and track a booktitle or journal names, by the
    registry: a whole alias (``NAACL``, ``EMNLP Findings``), else the venue whose full name
    (``Conference on Empirical Methods in Natural Language Processing``) or, failing that,
    whose alias is written in it as words (the last one written: ``Findings of the ACL:
    EMNLP 2020`` is EMNLP's); ``Findings`` makes it the venue's Findings; the track from
    the title's words (``System Demonstrations``, ``Student Research Workshop``,
    ``Workshop``...), ``None`` for the main volume.  ``None`` when no venue is named.

    >>> read_container("Proceedings of the 2020 Conference on Empirical Methods in Natural Language "
    ...                "Processing: System Demonstrations")
    ('EMNLP', 'demos')
    >>> read_container("Findings of the Association for Computational Linguistics: EMNLP 2020")
    ('Findings of EMNLP', None)
    """
    whole = canonical_venue(text.strip().strip("{}"))
    if whole is not None:
        return whole, None
    w = _words(text)
    # a publisher's name is not a venue's ("Association for Computational Linguistics" holds
    # the name of the journal Computational Linguistics): its words are masked, unless a
    # venue's own name holds it ("Findings of the Association for Computational Linguistics")
    masked = w
    for pub in _publishers():
        masked = masked.replace(pub, " # ")
    best: Optional[Tuple[int, int, str]] = None  # (kind of evidence, position, venue)
    heads = _name_heads()
    for short, v in registry().items():
        head = [(heads[short], 2)] if short in heads else []
        for name, rank in ((v.name, 2), *head, *((a, 1) for a in (short, *v.aliases))):
            n = _words(name)
            if n.strip() and (n in masked or (n in w and any(p in n for p in _publishers()))):
                # a full name beats an alias; the longest full name (a Findings venue's beats
                # the Computational Linguistics journal's), the last alias written
                cand = (rank, len(n) if rank == 2 else w.rfind(n), short)
                if best is None or cand[:2] > best[:2]:
                    best = cand
    if best is None:
        return None
    venue = best[2]
    info = registry()[venue]
    if " findings " in w and not venue.startswith("Findings of "):
        venue = canonical_venue(f"Findings of {venue}") or venue
    track: Optional[str] = None
    if info.kind != "workshop":
        track = next((t for phrase, t in _TRACK_WORDS if _words(phrase) in w), None)
    return venue, track
