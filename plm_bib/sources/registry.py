"""The one registry of online sources: each :class:`~plm_bib.sources.base.Source` declares
its name, endpoints (base URL, environment variable, polite interval), precedence and role;
everything else is made from those declarations here.  Enrichment runs over
:data:`SOURCES` in its order."""
from __future__ import annotations

from typing import Dict, Tuple, Type

from plm_bib.identity import ORIGIN_PRECEDENCE
from plm_bib.sources.acl import AclSource
from plm_bib.sources.arxiv import ArxivSource
from plm_bib.sources.base import ROLES, Endpoint, Source
from plm_bib.sources.crossref import CrossrefSource
from plm_bib.sources.dblp import DblpSource
from plm_bib.sources.s2 import S2Source

__all__ = ["SOURCES", "DEFAULT_SOURCES", "PRECEDENCE", "POLITE_INTERVALS", "ENDPOINTS", "BASE_URLS", "base_url"]

# name -> source, in the order enrichment runs them: arXiv first (the preprints' metadata),
# then Semantic Scholar (other ids), DBLP (published versions by search), then the authorities
SOURCES: Dict[str, Type[Source]] = {cls.name: cls for cls in (ArxivSource, S2Source, DblpSource,
                                                               AclSource, CrossrefSource)}
DEFAULT_SOURCES = ("arxiv", "acl", "dblp", "crossref", "s2")
# who wins a field (higher beats lower): the origins that are not sources, and each source's own
PRECEDENCE: Dict[str, int] = {**ORIGIN_PRECEDENCE, **{name: cls.precedence for name, cls in SOURCES.items()}}
# endpoint name -> endpoint, every source's
ENDPOINTS: Dict[str, Endpoint] = {e.name: e for cls in SOURCES.values() for e in cls.endpoints}
# endpoint -> (environment variable, default base URL)
BASE_URLS: Dict[str, Tuple[str, str]] = {name: (e.env, e.default) for name, e in ENDPOINTS.items()}
# seconds between two requests to a host
POLITE_INTERVALS: Dict[str, float] = {e.host: e.interval for e in ENDPOINTS.values() if e.interval is not None}

for _cls in SOURCES.values():  # a declaration that is not one is a bug, found at import
    if _cls.role not in ROLES or not _cls.endpoints:
        raise RuntimeError(f"source {_cls.name!r}: role {_cls.role!r} and endpoints {_cls.endpoints!r}")


def base_url(name: str) -> str:
    """The base URL of endpoint ``name`` now (its environment variable, else its default)."""
    return ENDPOINTS[name].url()
