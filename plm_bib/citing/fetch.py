"""Cited keys that are identifiers: ``\\cite{arXiv:1810.04805}``, ``\\cite{doi:10.18653/v1/N19-1423}``,
``\\cite{acl:N19-1423}``.  When no ``.bib`` has such a key, :func:`fetch_cited` makes a record
of the identifier alone and fills it through enrichment (:func:`plm_bib.sources.enrich.enrich`,
the same sources, cache and rules as ``plm-bib enrich``); a record the sources filled is given
back under the cited key, so the document compiles as written.  The prefix is read in any
case (``arxiv:``, ``DOI:``); the identifier must be all of the rest.
"""
from __future__ import annotations

import re
from typing import Iterable, List, Optional, Sequence, Tuple

from plm_bib.keys import is_safe_key
from plm_bib.library import Library
from plm_bib.metadata.ids import normalize_arxiv, normalize_doi
from plm_bib.model import Problem, Record
from plm_bib.sources.enrich import enrich
from plm_bib.sources.http import Client
from plm_bib.sources.registry import DEFAULT_SOURCES

__all__ = ["identifier_of", "fetch_cited"]

_PREFIXED = re.compile(r"(arxiv|doi|acl):(.+)\Z", re.I)
_ACL_ID = re.compile(r"[A-Z]\d{2}-\d{4}|\d{4}\.[a-z][a-z0-9]*(?:-[a-z0-9]+)*\.\d+")


def identifier_of(key: str) -> Optional[Tuple[str, str]]:
    """``(kind, id)`` when ``key`` is an identifier (kind ``arxiv``, ``doi`` or ``acl``), else ``None``.

    >>> identifier_of("arXiv:1810.04805"), identifier_of("doi:10.18653/v1/N19-1423"), identifier_of("acl:N19-1423")
    (('arxiv', '1810.04805'), ('doi', '10.18653/v1/N19-1423'), ('acl', 'N19-1423'))
    >>> identifier_of("devlin2019bert"), identifier_of("arXiv:see-1810.04805"), identifier_of("doi:x10.1/a")
    (None, None, None)
    >>> identifier_of("doi:10.1000/a(b)")  # a DOI, but not a key safe in LaTeX and BibTeX

    """
    m = _PREFIXED.match(key)
    if m is None or not is_safe_key(key):  # written under the key: it must be one a writer takes
        return None
    kind, value = m.group(1).lower(), m.group(2)
    if kind == "arxiv":
        found = normalize_arxiv(value)
        return ("arxiv", found) if found is not None and value.lower().startswith(found.lower()) else None
    if kind == "doi":
        doi = normalize_doi(value)
        return ("doi", doi) if doi is not None and doi == value else None
    return ("acl", value) if _ACL_ID.fullmatch(value) else None


def _seed(key: str, kind: str, value: str) -> Record:
    ids = {kind: value}
    return Record(key=key, title="", entry_type="misc", ids=ids, doi=value if kind == "doi" else None)


def fetch_cited(keys: Iterable[str], sources: Sequence[str] = DEFAULT_SOURCES, *, client: Optional[Client] = None,
                offline: Optional[bool] = None) -> Tuple[List[Record], List[Problem], List[str]]:
    """The records of the identifier keys among ``keys`` (under those keys), the problems
    enrichment reported, and the identifier keys no source filled (a title is what counts)."""
    seeds = [_seed(k, *kind_value) for k in dict.fromkeys(keys) for kind_value in [identifier_of(k)]
             if kind_value is not None]
    if not seeds:
        return [], [], []
    out = enrich(Library(seeds, origin="cited identifiers"), sources, client=client, offline=offline)
    found: List[Record] = []
    not_found: List[str] = []
    for seed, r in zip(seeds, out):  # enrichment keeps the order, and keys the records anew
        if r.title:
            found.append(r.replace(key=seed.key))
        else:
            not_found.append(seed.key)
    return found, list(out.problems), not_found
