"""Provenance: the named keys of ``Record.provenance`` that are not fields, and the ranks of
the origins that are not online sources (the sources declare their own: see
:mod:`plm_bib.sources.registry`, which makes the one table :data:`PRECEDENCE` comes from).

``Record.provenance`` maps a field to the origin that gave it (``"list"``, ``"curated"``, a
source's name...); two keys are not fields (their serialised values stay as they are):
"""
from __future__ import annotations

from typing import Dict

from plm_bib.model import Record

__all__ = ["ORIGIN", "VERIFIED", "FILE_ORIGINS", "LIST", "CURATED", "ORIGIN_PRECEDENCE", "read_from_file"]

# the format the record was read from ("bibtex", "csl-json"); absent for a reading list
ORIGIN = "*"
# what confirmed the record as it is (the curated file's ``verified`` field, or enrichment's
# "dblp: no published version")
VERIFIED = "verified"
# the formats whose records carry their own citation keys (the user's: never re-made)
FILE_ORIGINS = ("bibtex", "csl-json")
LIST = "list"
CURATED = "curated"

# who wins a field, for the origins that are not online sources: the list's own claims
# lose to everything; what an id says by itself (an ACL id's venue, an arXiv id's year)
# beats the list; the curated file beats every source
ORIGIN_PRECEDENCE: Dict[str, int] = {LIST: 0, "acl-id": 1, "arxiv-id": 1, CURATED: 6}


def read_from_file(r: Record) -> bool:
    """Whether ``r`` was read from a .bib or CSL-JSON file (its key is the user's)."""
    return r.provenance.get(ORIGIN) in FILE_ORIGINS
