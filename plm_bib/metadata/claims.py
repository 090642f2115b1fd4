"""Venue and year claims as reading lists write them.

``**EMNLP 2020**``, ``**ACL 2020 **``, ``**ACL2020**``, ``ICML2019``, ``(EMNLP2020)``,
``NAACL 2019.``, ``(EMNLP2020 Findings)``, ``(ACL2020 WS)``, ``Preprint``,
``arXiv:2106.07139 2021``.  Each claim keeps the text as written and its
canonical reading (venue short name from the registry, year, track).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import List, Optional, Pattern, Tuple

from plm_bib.metadata.venues import canonical_venue, venue_alias_pattern
from plm_bib.model import Claim

__all__ = ["find_claims", "strip_trailing_claim", "parse_claim"]

_QUALIFIERS = {
    "findings": "findings", "ws": "workshop", "workshop": "workshop", "srw": "srw",
    "demo": "demos", "demos": "demos", "industry": "industry", "short": "short", "long": None,
    "main": None, "oral": None, "spotlight": None, "survey track": "survey",
}
_QUAL = r"Findings|WS|Workshop|SRW|Demos?|Industry(?:\s+Tr\w+)?|Short|Long|Main|Oral|Spotlight|Survey\s+Track"
_GENERIC = r"[A-Z][A-Za-z0-9]*[A-Za-z](?:-[A-Z][A-Za-z]*)?"


@lru_cache(maxsize=1)
def _claim_re() -> Pattern[str]:
    known = venue_alias_pattern()
    return re.compile(
        r"(?P<raw>(?P<open>\*\*|__|\(|（)?[ \t]*"
        r"(?:(?P<qual0>Findings\s+of\s+)?(?P<venue>" + known + r"|" + _GENERIC + r")"
        r"[ \t_-]?'?(?P<year>(?:19|20)\d\d)(?!\d)(?:[ \t]*(?P<qual>" + _QUAL + r")\b)?"
        r"|(?P<preprint>Preprint|arXiv(?:\s*:\s*[\w./-]+)?(?:[ \t]+(?P<pyear>(?:19|20)\d\d))?)\b)"
        r"[ \t]*(?P<close>\*\*|__|\)|）)?)",
        re.I,
    )


def _match_to_claim(m: "re.Match[str]", line: int) -> Optional[Claim]:
    raw = m.group("raw").strip()
    if m.group("preprint"):
        year = int(m.group("pyear")) if m.group("pyear") else None
        return Claim(raw=raw, venue="arXiv", year=year, line=line, preprint=True)
    written = m.group("venue")
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


def parse_claim(text: str, line: int = 0) -> Optional[Claim]:
    """The claim that is the whole of ``text``, or ``None``."""
    m = _claim_re().fullmatch(text.strip())
    return _match_to_claim(m, line) if m else None


def find_claims(text: str, line: int = 0) -> Tuple[List[Claim], str]:
    """All claims in ``text`` and the text with them removed."""
    claims: List[Claim] = []
    spans: List[Tuple[int, int]] = []
    for m in _claim_re().finditer(text):
        start, end = m.span()
        # must stand alone: not glued to letters on either side
        if start > 0 and text[start - 1].isalnum():
            continue
        tail = end
        while tail > start and text[tail - 1] in " \t":
            tail -= 1
        if tail < len(text) and text[tail].isalnum() and tail == end:
            continue
        c = _match_to_claim(m, line)
        if c is None:
            continue
        claims.append(c)
        spans.append((start, end))
    out = text
    for start, end in reversed(spans):
        out = out[:start] + " " + out[end:]
    if not claims:
        bare = re.search(r"(?<![\w.:/-])((?:19|20)\d\d)(?![\w/-])", text)
        if bare:
            claims.append(Claim(raw=bare.group(1), venue=None, year=int(bare.group(1)), line=line))
            out = text[: bare.start()] + " " + text[bare.end():]
    return claims, out


_TRAILING = re.compile(r"[\s,，;；]*(?P<claim>(?:\*\*|__)[^*_]+?(?:\*\*|__)|[（(][^()（）]+[)）])[\s,，;；]*$")
_TRAILING_PLAIN = re.compile(r"[,，;；]\s*(?P<claim>[^,，;；]+?)\s*$")


def strip_trailing_claim(title: str, line: int = 0) -> Tuple[str, Optional[Claim]]:
    """Split ``Title，**EMNLP 2020**`` into the title and its claim.

    Only a claim that is emphasised, in parentheses, or set off by a comma counts, so
    that ``KDD2021| 大规模异质图上的预训练框架`` keeps its title whole.
    """
    for rx in (_TRAILING, _TRAILING_PLAIN):
        m = rx.search(title)
        if m:
            c = parse_claim(m.group("claim"), line)
            if c is not None and c.year is not None or (c is not None and c.preprint):
                return title[: m.start()].rstrip(" ,，;；"), c
    return title, None
