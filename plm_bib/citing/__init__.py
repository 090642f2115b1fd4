"""Citing a few keys of a large library fast: the persistent per-file index behind
``plm-bib cite KEY --bib FILE`` (:mod:`plm_bib.citing.index`), which gives the records
:func:`plm_bib.load` would give without reading the whole file each time."""
