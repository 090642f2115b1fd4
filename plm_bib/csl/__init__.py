"""CSL: the CSL-JSON mapping of records and CSL styles through citeproc-py.

This package owns everything that speaks the Citation Style Language.  :mod:`.mapping`
turns records into CSL-JSON items, :mod:`.to_record` items into records, :mod:`.variables`
holds the types of CSL variables (the names below are re-exported from them);
:mod:`.engine` formats records in a CSL style, with :mod:`.citeproc_adapter` the only
module that touches citeproc-py (its fixes are subclasses used by our calls only),
:mod:`.sorting`, :mod:`.again` and :mod:`.year_suffixes` the work it adds around the
engine, and :mod:`.cache` the state kept between bibliographies.  :mod:`.compiled` holds
styles compiled to Python, each pinned to the style file and citeproc-py it was proven
against.  Nothing here imports the engine at import time: the mapping is light.
"""
from __future__ import annotations

from plm_bib.csl.mapping import CSL_TYPES, csl_type, record_to_csl, records_to_csl
from plm_bib.csl.to_record import csl_to_record, read_csl_item
from plm_bib.csl.variables import (
    DATE_VARIABLES,
    EXACT,
    INVALID,
    NAME_VARIABLES,
    NUMBER_VARIABLES,
    STRING_VARIABLES,
    json_kind,
    wrong_type,
)

__all__ = ["record_to_csl", "records_to_csl", "csl_to_record", "read_csl_item", "CSL_TYPES",
           "csl_type", "wrong_type", "EXACT", "INVALID", "NAME_VARIABLES", "DATE_VARIABLES",
           "NUMBER_VARIABLES", "STRING_VARIABLES", "json_kind"]
