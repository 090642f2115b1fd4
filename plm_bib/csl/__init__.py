"""CSL: the CSL-JSON mapping of records and CSL styles through citeproc-py.

This package owns everything that speaks the Citation Style Language.  :mod:`.mapping`
turns records into CSL-JSON items and back (the names below are re-exported from it);
:mod:`.engine` formats records in a CSL style, with :mod:`.citeproc_adapter` the only
module that touches citeproc-py (its fixes are subclasses used by our calls only),
:mod:`.sorting`, :mod:`.again` and :mod:`.year_suffixes` the work it adds around the
engine, and :mod:`.cache` the state kept between bibliographies.  :mod:`.compiled` holds
styles compiled to Python, each pinned to the style file and citeproc-py it was proven
against.  Nothing here imports the engine at import time: the mapping is light.
"""
from __future__ import annotations

from plm_bib.csl.mapping import (
    CSL_TYPES,
    DATE_VARIABLES,
    EXACT,
    INVALID,
    NAME_VARIABLES,
    NUMBER_VARIABLES,
    STRING_VARIABLES,
    _kind,
    csl_to_record,
    csl_type,
    read_csl_item,
    record_to_csl,
    records_to_csl,
    wrong_type,
)

__all__ = ["record_to_csl", "records_to_csl", "csl_to_record", "read_csl_item", "CSL_TYPES",
           "csl_type", "wrong_type", "EXACT", "INVALID", "NAME_VARIABLES", "DATE_VARIABLES",
           "NUMBER_VARIABLES", "STRING_VARIABLES", "_kind"]
