"""The comparison forms of text: the one ASCII fold, the one normalised title, letters in
their own script."""
from __future__ import annotations

import re
import unicodedata

from plm_bib.keys import ascii_fold

__all__ = ["fold", "letters", "normalize_title"]

# the one fold: the keys' (keys are output, so their fold is the one kept): ``Groß`` -> ``Gross``,
# ``Marasović`` -> ``Marasovic``, Han as pinyin syllables, anything else dropped
fold = ascii_fold


def normalize_title(title: str) -> str:
    """Comparison form of a title: casefolded, punctuation and spaces dropped, letters of
    every script kept as they are (``BERT: Pre-training`` = ``bert pre training``; accents
    are *not* folded: ``Café`` is not ``Cafe``)."""
    t = title.casefold().replace("’", "'")
    return re.sub(r"[\W_]+", "", t)


def letters(text: str) -> str:
    """``text`` in its own script, compatibility-normalised and case-folded, letters and
    digits only (``Müller`` -> ``müller``, ``Иванов`` -> ``иванов``, ``张`` -> ``张``)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())
