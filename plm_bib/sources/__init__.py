"""Online sources (arXiv, ACL Anthology, DBLP, doi.org/Crossref, Semantic Scholar) behind one
HTTP client; see :mod:`plm_bib.sources.enrich` for how their answers are matched and merged."""
from plm_bib.sources.base import BASE_URLS, Candidate, Source, base_url
from plm_bib.sources.http import Client, SourceError

__all__ = ["BASE_URLS", "Candidate", "Client", "Source", "SourceError", "base_url"]
