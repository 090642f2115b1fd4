"""The same-work rule (see :mod:`plm_bib.identity` for the rule in words): ids in common,
normalised titles, authors, and the list's claims of venue and year."""
from __future__ import annotations

import re
from typing import Iterable, Iterator, List, Optional, Tuple

from plm_bib.identity.authors import agreeing_authors
from plm_bib.identity.text import normalize_title
from plm_bib.metadata.venues import venue_info
from plm_bib.model import RESOURCE, Record

__all__ = ["ID_SCHEMES", "LISTING_ID_SCHEMES", "MIN_LISTING_TITLE", "is_datacite_arxiv", "id_keys", "title_key",
           "work_keys", "lookup_keys", "identity_keys", "same_work", "contradiction"]

# the id schemes that name one work: the same value (case-insensitive) is the same work
ID_SCHEMES = ("arxiv", "acl", "doi", "openreview", "pmlr", "dblp")
_ID_SET = frozenset(ID_SCHEMES)
# the ones two listings of one reading list are merged on (PMLR and DBLP ids are not used
# there: unchanged from before; see the report of issue 17)
LISTING_ID_SCHEMES = ("arxiv", "acl", "doi", "openreview")
# a listing's normalised title shorter than this does not merge two listings ("BERT")
MIN_LISTING_TITLE = 8


def is_datacite_arxiv(doi: str) -> bool:
    """An arXiv DOI (10.48550/...): DataCite's, the preprint's, never the published paper's."""
    return doi.lower().startswith("10.48550/")


def id_keys(r: Record, schemes: Iterable[str] = ID_SCHEMES) -> List[str]:
    """``scheme:value`` (lower-cased) of each id of ``r`` in ``schemes``, in ``r.ids``' order:
    records with one of these in common are the same work."""
    wanted = _ID_SET if schemes is ID_SCHEMES else frozenset(schemes)
    return [f"{k}:{v.lower()}" for k, v in r.ids.items() if k in wanted]


def title_key(title: str) -> str:
    return f"title:{normalize_title(title)}"


def work_keys(r: Record) -> List[str]:
    """The keys a known work (a curated record) is found under: its ids, its normalised title."""
    return id_keys(r) + [title_key(r.title)]


def lookup_keys(r: Record) -> Iterator[str]:
    """The keys a record is looked up under among known works, best first (made as they are
    asked for): its ids, then its normalised title and every title it was listed under."""
    yield from id_keys(r)
    for t in (r.title,) + tuple(r.titles_as_listed):
        yield title_key(t)


def identity_keys(r: Record) -> List[str]:
    """What makes two listings of one reading list the same item: an id, a URL, or the
    normalised title (of at least :data:`MIN_LISTING_TITLE` characters)."""
    t = normalize_title(r.title)
    if r.kind == RESOURCE:
        # a resource is the same when both its link and its title are: tables list
        # several models behind one download page
        return [f"url:{u.url.rstrip('/').lower()}|{t}" for u in r.urls] or [f"rtitle:{t}"]
    keys = [f"{k}:{v.lower()}" for k, v in sorted(r.ids.items()) if k in LISTING_ID_SCHEMES]
    if len(t) >= MIN_LISTING_TITLE:
        keys.append(f"title:{t}")
    return keys


def _shared_id(r: Record, c: Record) -> Optional[str]:
    """The first scheme of :data:`ID_SCHEMES` under which ``r`` and ``c`` have the same id (an
    arXiv DOI of ``r`` does not count as its DOI), or None."""
    for k in ID_SCHEMES:
        a, b = r.ids.get(k), c.ids.get(k)
        if a and b and not (k == "doi" and is_datacite_arxiv(a)):
            if a.lower() == b.lower():
                return k
    return None


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
    """Whether candidate ``c`` (found by a search) is the same paper as ``r``, and why (or why not).

    An id in common decides.  Else the normalised titles must agree, and then the authors:
    family names compared in their own script and romanised
    (:func:`~plm_bib.identity.authors.authors_agree`); one name in common is enough only when
    one of the lists has one name, else two must agree.  Without authors, the list's claimed
    venue and year must both agree.  A candidate that contradicts the list's claimed venue or
    year (:func:`contradiction`) is refused."""
    shared = _shared_id(r, c)
    if shared:
        return True, f"same {shared} id"
    if not r.title or normalize_title(r.title) != normalize_title(c.title):
        return False, f"title differs ({c.title!r})"
    mine = [p for p in r.authors if p.family != "others"]
    theirs = [p for p in c.authors if p.family != "others"]
    if mine and theirs:
        agree = agreeing_authors(mine, theirs)
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


