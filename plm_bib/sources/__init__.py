"""Online sources (arXiv, ACL Anthology, DBLP, doi.org/Crossref, Semantic Scholar) behind one
HTTP client; see :mod:`plm_bib.enrich` for how their answers are matched and merged."""
from .base import BASE_URLS, Candidate, Source, base_url
from .http import Client, SourceError

__all__ = ["BASE_URLS", "Candidate", "Client", "Source", "SourceError", "base_url"]
