"""The comparison forms of text: the one ASCII fold, the one normalised title, letters in
their own script."""
from __future__ import annotations

import re
import unicodedata

from plm_bib.keys import ascii_fold

__all__ = ["fold", "letters", "normalize_title", "cjk", "cjk_only"]

# Han (with the compatibility block), kana, hangul
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")

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


def cjk(text: str) -> bool:
    """Whether ``text`` is written (at least in part) in a CJK script: Han, kana or hangul
    (``曾小明`` and ``BERT 中文`` are; ``Zhang Yue`` is not)."""
    return _CJK.search(text) is not None


def cjk_only(text: str) -> bool:
    """Whether every letter of ``text`` is CJK (``曾`` and ``哈里森·沃尔德伦`` are; ``张 Wei`` is not)."""
    return cjk(text) and not any(ch.isalpha() for ch in _CJK.sub("", text))
