"""Bibliographic facts that hold whatever the input format: pure functions on strings and the
data they read, shared by the reading-list parser, the BibTeX and CSL mappings, the curation
checks and the online sources.  :mod:`.ids` parses identifiers (arXiv, ACL Anthology, DOI,
OpenReview, PMLR) out of URLs and text and reads the venue and year an id implies;
:mod:`.links` finds the links of a line and classifies what each points at (paper, pdf, code,
blog, ...) and the site it is on; :mod:`.venues` is the venue registry (canonical short names,
aliases, entry types, publishers, proceedings titles by year, from ``data/venues.json``,
described in ``docs/venues.md``); :mod:`.names` reads person names, from author lines and
from BibTeX name lists.  Nothing here imports the rest of the package but :mod:`plm_bib.model`.
"""
