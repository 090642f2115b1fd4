"""Online sources (arXiv, ACL Anthology, DBLP, doi.org/Crossref, Semantic Scholar) behind one
polite HTTP client, and enrichment over them.

* :mod:`.base`: what a source declares (name, endpoints, polite interval, precedence, role)
  and what it answers (a :class:`Candidate`);
* :mod:`.registry`: the one registry of sources and what is made from their declarations
  (base URLs, polite intervals, the precedence table);
* :mod:`.arxiv`, :mod:`.s2`, :mod:`.dblp`, :mod:`.acl`, :mod:`.crossref`: one source each;
* :mod:`.http` (the client: deadlines, retries, circuit breakers, the cache) over
  :mod:`.session` (the requests session: per-host intervals, secrets, the on-disk cache);
* :mod:`.enrich`: the run; whether an answer is the same paper, and how it is merged, is
  :mod:`plm_bib.identity`'s.
"""
from typing import Any

from plm_bib.errors import SourceError
from plm_bib.sources.base import Candidate, Endpoint, Source
from plm_bib.sources.http import Client

__all__ = ["BASE_URLS", "Candidate", "Client", "Endpoint", "Source", "SourceError", "base_url", "SOURCES",
           "DEFAULT_SOURCES", "PRECEDENCE", "POLITE_INTERVALS"]

_REGISTRY = ("BASE_URLS", "base_url", "SOURCES", "DEFAULT_SOURCES", "PRECEDENCE", "POLITE_INTERVALS")


def __getattr__(name: str) -> Any:
    # the registry imports every source (and their parsers): only when asked for
    if name in _REGISTRY:
        from plm_bib.sources import registry

        return getattr(registry, name)
    raise AttributeError(f"module 'plm_bib.sources' has no attribute {name!r}")
