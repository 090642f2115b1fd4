"""Curated metadata: the verified records shipped in ``data/curated.bib`` laid over list items
that are the same work (:mod:`.overlay`, by the rule of :mod:`plm_bib.identity`), and the
check of a list's claims against verified values (:mod:`.check`)."""
