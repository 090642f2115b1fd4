"""Han text in pinyin: pypinyin's reading (``lazy_pinyin``: phrases read as phrases, no tones),
the one door to it, with a memo.

pypinyin reads its phrase tables and trains its segmenter on them when it is imported: about
0.3 s, more than the rest of ``plm-bib check`` of a list.  A reading depends only on the text and
on pypinyin's version, so readings are memoised here, in the process; the command line (the
edge: this module does no I/O) keeps the memo between runs with :func:`memo_state` and
:func:`restore_memo`, so that a run that meets only texts read before never imports pypinyin.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

__all__ = ["syllables", "memo_state", "restore_memo", "MEMO_LIMIT"]

#: the most readings kept between runs (a memo over it is not saved, and starts again)
MEMO_LIMIT = 20000

_MEMO: Dict[str, Tuple[str, ...]] = {}
_changed = False


def syllables(han: str) -> List[str]:
    """pypinyin's ``lazy_pinyin(han)``: one syllable per character (lower case, no tones),
    what is not Han kept as pypinyin keeps it."""
    got = _MEMO.get(han)
    if got is None:
        from pypinyin import lazy_pinyin  # imported on first use: its tables are large

        global _changed
        got = _MEMO[han] = tuple(lazy_pinyin(han))
        _changed = True
    return list(got)


def memo_state() -> Optional[Dict[str, str]]:
    """The readings made since :func:`restore_memo` as ``{text: "syllables separated by
    spaces"}``, all of them, when there is something new to keep; else None."""
    if not _changed or len(_MEMO) > MEMO_LIMIT:
        return None
    return {k: " ".join(v) for k, v in _MEMO.items() if all(" " not in s for s in v)}


def restore_memo(readings: Dict[str, str]) -> None:
    """Take back readings kept by an earlier run (of the same pypinyin version: the caller
    keeps one memo per version).  A value that is not a string of syllables is ignored."""
    global _changed
    for k, v in readings.items():
        if isinstance(k, str) and isinstance(v, str) and k not in _MEMO:
            _MEMO[k] = tuple(v.split(" ")) if v else ()
    _changed = False
