"""Identifiers from URLs and text: arXiv, ACL Anthology, DOI, OpenReview, PMLR.

Pure functions on strings.  ``extract_ids(url)`` returns a dict of the ids a URL
carries; ``acl_venue(acl_id)`` and ``arxiv_year(arxiv_id)`` read venue and year
out of an id.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, Optional, Tuple
from urllib.parse import unquote, urlsplit

__all__ = [
    "extract_ids",
    "ids_in_text",
    "normalize_arxiv",
    "arxiv_year",
    "acl_venue",
    "normalize_doi",
    "url_host",
]

ARXIV_NEW = r"\d{4}\.\d{4,5}"
ARXIV_OLD = r"[a-z]+(?:-[a-z]+)?(?:\.[A-Z]{2})?/\d{7}"
_ARXIV_URL = re.compile(
    rf"arxiv\.org/(?:abs|pdf|html|format)/(?P<id>{ARXIV_NEW}|{ARXIV_OLD})(?P<v>v\d+)?(?:\.pdf)?",
    re.I,
)
_ARXIV_TEXT = re.compile(rf"\barXiv\s*:\s*(?P<id>{ARXIV_NEW}|{ARXIV_OLD})(?P<v>v\d+)?", re.I)
_ACL_OLD = r"[A-Z]\d{2}-\d{4}"
_ACL_NEW = r"\d{4}\.[a-z][a-z0-9]*(?:-[a-z0-9]+)*\.\d+"
_ACL_URL = re.compile(
    rf"(?:aclweb\.org/anthology|aclanthology\.org|aclanthology\.info/papers)"
    rf"(?:/[A-Z]/[A-Z]\d\d)?/(?P<id>{_ACL_OLD}|{_ACL_NEW})(?:\.pdf|\.bib|/|$|\b)",
)
_DOI = re.compile(r"\b(?P<doi>10\.\d{4,9}/[^\s\"<>{}]+)", re.I)
_OPENREVIEW = re.compile(r"openreview\.net/(?:forum|pdf)\?(?:.*&)?id=(?P<id>[\w-]+)")
_PMLR = re.compile(r"proceedings\.mlr\.press/(?P<vol>v\d+)/(?P<id>[a-z][\w-]*?\d\d[a-z]?)(?:\.html|/|\.pdf)")


# the common shape "http(s)://host/...": the host without asking urlsplit (same answer)
_PLAIN_HOST = re.compile(r"https?://([A-Za-z0-9.-]+)(?=[/?#]|$)")


def url_host(url: str) -> str:
    """The host of a URL, lower-cased, without ``www.``."""
    m = _PLAIN_HOST.match(url)
    if m is not None:
        host = m.group(1).lower()
    else:
        try:
            host = urlsplit(url).hostname or ""
        except ValueError:
            return ""
    return host[4:] if host.startswith("www.") else host


def normalize_arxiv(value: str) -> Optional[str]:
    """``arXiv:1907.11692v2`` / a URL / ``1907.11692`` -> ``1907.11692`` (version dropped)."""
    value = value.strip()
    m = _ARXIV_URL.search(value) or _ARXIV_TEXT.search(value)
    if m:
        return m.group("id")
    m = re.fullmatch(rf"(?P<id>{ARXIV_NEW}|{ARXIV_OLD})(v\d+)?", value)
    return m.group("id") if m else None


def normalize_doi(value: str) -> Optional[str]:
    """A DOI from a bare DOI, ``doi:`` text or a resolver/publisher URL; lower-case prefix kept."""
    value = unquote(value.strip())
    m = _DOI.search(value)
    if not m:
        return None
    doi = m.group("doi").rstrip(".,;)")
    # publisher URLs append /abs, /pdf, /full after the DOI: not part of it for ACM's 10.1145
    doi = re.sub(r"\.pdf$", "", doi)
    return doi


def arxiv_year(arxiv_id: str) -> Optional[int]:
    """The year of first submission encoded in an arXiv id (``1907.11692`` -> 2019)."""
    m = re.match(r"(\d\d)(\d\d)\.", arxiv_id) or re.search(r"/(\d\d)(\d\d)\d{3}$", arxiv_id)
    if not m:
        return None
    yy = int(m.group(1))
    return 1900 + yy if yy >= 91 else 2000 + yy


def extract_ids(url: str) -> Dict[str, str]:
    """Every id a URL carries: ``{"arxiv": ..., "acl": ..., "doi": ..., ...}``."""
    return dict(_extract_ids(url))


@lru_cache(maxsize=1 << 12)
def _extract_ids(url: str) -> Tuple[Tuple[str, str], ...]:
    ids: Dict[str, str] = {}
    m = _ARXIV_URL.search(url)
    if m:
        ids["arxiv"] = m.group("id")
    m = _ACL_URL.search(url)
    if m:
        ids["acl"] = m.group("id")
    m = _OPENREVIEW.search(url)
    if m:
        ids["openreview"] = m.group("id")
    m = _PMLR.search(url)
    if m:
        ids["pmlr"] = f"{m.group('vol')}/{m.group('id')}"
    host = url_host(url)
    if host in ("doi.org", "dx.doi.org") or host.endswith("acm.org") or "/doi/" in url:
        doi = normalize_doi(url)
        if doi:
            doi = re.sub(r"/(?:abs|pdf|full|epdf)$", "", doi)
            ids["doi"] = doi
    return tuple(ids.items())


def ids_in_text(text: str) -> Dict[str, str]:
    """Ids written in running text: ``arXiv:2106.07139``, ``doi:10.1145/...``."""
    ids: Dict[str, str] = {}
    m = _ARXIV_TEXT.search(text)
    if m:
        ids["arxiv"] = m.group("id")
    m = re.search(r"\bdoi\s*:\s*(10\.\d{4,9}/\S+)", text, re.I)
    if m:
        ids["doi"] = m.group(1).rstrip(".,;)")
    return ids


# ACL Anthology ids --------------------------------------------------------
_OLD_LETTERS = {
    "P": "ACL", "N": "NAACL", "D": "EMNLP", "E": "EACL", "C": "COLING", "K": "CoNLL",
    "Q": "TACL", "J": "CL", "S": "SemEval", "L": "LREC", "I": "IJCNLP", "W": None, "H": "HLT",
    "U": "ALTA", "Y": "PACLIC", "R": "RANLP", "F": None, "O": "ROCLING", "A": "ANLP",
    "M": "MUC", "T": "TINLAP", "X": None,
}
_NEW_VENUES = {
    "acl": "ACL", "naacl": "NAACL", "emnlp": "EMNLP", "eacl": "EACL", "coling": "COLING",
    "conll": "CoNLL", "tacl": "TACL", "cl": "CL", "aacl": "AACL", "lrec": "LREC",
    "semeval": "SemEval", "ijcnlp": "IJCNLP", "findings": "Findings", "ccl": "CCL",
}


def acl_venue(acl_id: str) -> Tuple[Optional[str], Optional[int], Optional[str]]:
    """Venue, year and track from an ACL Anthology id.

    >>> acl_venue("N19-1423")
    ('NAACL', 2019, None)
    >>> acl_venue("2020.findings-emnlp.58")
    ('Findings of EMNLP', 2020, None)
    >>> acl_venue("2020.emnlp-demos.2")
    ('EMNLP', 2020, 'demos')
    """
    m = re.fullmatch(r"([A-Z])(\d\d)-(\d)(\d{3})", acl_id)
    if m:
        letter, yy, vol = m.group(1), int(m.group(2)), m.group(3)
        year = 1900 + yy if yy >= 50 else 2000 + yy
        venue = _OLD_LETTERS.get(letter)
        track: Optional[str] = None
        if venue in ("ACL", "NAACL", "EMNLP", "EACL") and vol == "3":
            track = "demos"
        elif venue in ("ACL", "NAACL") and vol == "2":
            track = "short"
        return venue, year, track
    m = re.fullmatch(r"(\d{4})\.([a-z0-9]+)(?:-([a-z0-9-]+))?\.\d+", acl_id)
    if m:
        year, prefix, vol = int(m.group(1)), m.group(2), m.group(3)
        if prefix == "findings" and vol:
            sub = _NEW_VENUES.get(vol.split("-")[0], vol.upper())
            return f"Findings of {sub}", year, None
        venue = _NEW_VENUES.get(prefix)
        track = None if vol in (None, "main", "long", "1") else vol
        return venue, year, track
    return None, None, None
