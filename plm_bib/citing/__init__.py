"""Citing: what ``plm-bib cite`` needs.  The persistent per-file index behind
``plm-bib cite KEY --bib FILE`` (:mod:`plm_bib.citing.index`), which gives the records
:func:`plm_bib.load` would give without reading the whole file each time; what a LaTeX
document cites, read from its ``.aux`` or ``.bcf`` (:mod:`plm_bib.citing.aux`); the cited
entries of a library with the parents they need (:mod:`plm_bib.citing.select`); cited
identifier keys filled through enrichment (:mod:`plm_bib.citing.fetch`, the only module here
that imports :mod:`plm_bib.sources`)."""
