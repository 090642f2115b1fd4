"""citeproc-py's own rules for strings and names, ported for the compiled styles.

:mod:`plm_bib.csl.compiled.apa` and :mod:`plm_bib.csl.compiled.ieee` write the entries citeproc-py writes;
where citeproc-py's text depends on a value through one of its string rules, the rule is
ported here, line for line, so that both engines give the same characters:

* ``normalize_seam`` (``citeproc.string``): where two pieces meet, a doubled space or a
  doubled ``.,;:!?`` loses its second character (:func:`seam`, :func:`join`, :func:`wrap`);
* ``CiteProcJSON.parse_string``: ``<span class="nocase">`` segments (:func:`parts`);
* ``TextCased.case`` with ``text-case="title"`` (:func:`title_case`);
* ``Name.initialize`` and the long form of ``Name.process`` (:func:`person`).

``tests/csl/test_csl_equivalence.py`` checks the compiled styles, and so these rules, against
citeproc-py itself on the shared corpora and on generated items.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, List, Optional, Sequence, Tuple

__all__ = ["seam", "join", "wrap", "parts", "plain", "title_case", "initialize", "person"]

_SEAM = frozenset(".,;:!?")
_STOP_WORDS = frozenset(["a", "an", "and", "as", "at", "but", "by", "down", "for", "from", "in", "into",
                         "nor", "of", "on", "onto", "or", "over", "so", "the", "till", "to", "up", "via",
                         "with", "yet"])
_START, _END = '<span class="nocase">', "</span>"
_NAME_KEYS = frozenset(["family", "given", "non-dropping-particle", "dropping-particle", "suffix"])


def seam(left: str, right: str) -> str:
    """``normalize_seam``: ``right`` without a first character that would double the last
    character of ``left`` (a space, or one of ``.,;:!?``)."""
    if not left or not right:
        return right
    a, b = left[-1], right[0]
    if (a == " " and b == " ") or (a == b and b in _SEAM):
        return right[1:]
    return right


def join(parts: Sequence[Optional[str]], delimiter: str) -> Optional[str]:
    """``citeproc.string.join`` of the parts that rendered (None for none)."""
    out: Optional[str] = None
    for part in parts:
        if part is None:
            continue
        if out is None:
            out = part
            continue
        out += seam(out, delimiter)
        out += seam(out, part)
    return out


def wrap(prefix: str, text: Optional[str], suffix: str) -> Optional[str]:
    """``Affixed.wrap``."""
    if text is None:
        return None
    text = prefix + seam(prefix, text)
    return text + seam(text, suffix)


def parts(value: str) -> List[Tuple[str, bool]]:
    """``CiteProcJSON.parse_string``: (text, nocase) segments."""
    lower = value.lower()
    out: List[Tuple[str, bool]] = []
    text = ""  # what the segments so far print (each added with the seam rule)

    def add(segment: str, nocase: bool) -> None:
        nonlocal text
        segment = seam(text, segment)
        if segment:
            out.append((segment, nocase))
            text += segment

    end = 0
    while True:
        start = lower.find(_START, end)
        if start < 0:
            break
        stop = lower.find(_END, start + 1)
        if stop < 0:
            break
        add(value[end:start], False)
        add(value[start + len(_START):stop], True)
        end = stop + len(_END)
    add(value[end:], False)
    return out


def plain(value: Any) -> Optional[str]:
    """The text citeproc-py prints for a string variable without text case; None if not a
    usable string."""
    if not isinstance(value, str) or not value or value != value.strip():
        return None  # (an outer space meets the style's spaces: citeproc-py's seams depend on types)
    if "<" not in value:
        return value
    return "".join(text for text, _ in parts(value)) or None


def title_case(value: str) -> str:
    """``text-case="title"`` as citeproc-py applies it (words split per segment, nocase
    words kept, the others capitalised unless a stop word not after ``:`` or ``.``)."""
    out = []
    prev = ":"
    for text, nocase in parts(value):
        for word in text.split():
            if not nocase and word.islower():
                if word not in _STOP_WORDS or prev in (":", "."):
                    word = word[0].upper() + word[1:]
            out.append(word)
            prev = word[-1]
    return " ".join(out)


def initialize(given: str, mark: str = ". ") -> str:
    """``Name.initialize`` with ``initialize-with-hyphen`` true."""
    result = []
    for hyphen_part in given.split("-"):
        text = ""
        group: List[str] = []
        for part in hyphen_part.replace(".", " ").split():
            if part[0].isupper():
                group.append(part[0])
            else:
                text += mark.join(group) + mark + " " + part + " "
                group = []
        text += mark.join(group) + mark
        result.append(" ".join(text.split()))
    return "-".join(result)


def person(name: Any, inverted: bool) -> Optional[str]:
    """One name as ``Name.process`` writes it in long form: ``inverted`` is
    ``name-as-sort-order`` (with ``demote-non-dropping-particle`` "never" or "sort-only",
    the particle stays with the family name), else display order.  None for a literal
    name, a dropping particle, or a part with outer spaces."""
    if not isinstance(name, dict) or not name or not name.keys() <= _NAME_KEYS or "dropping-particle" in name:
        return None
    given, family = name.get("given"), name.get("family")
    ndp, suffix = name.get("non-dropping-particle"), name.get("suffix")
    for v in (given, family, ndp, suffix):
        if v is not None and (not isinstance(v, str) or v != v.strip()):
            return None
    return _person_text(given, family, ndp, suffix, inverted)


@lru_cache(maxsize=1 << 16)
def _person_text(given: Optional[str], family: Optional[str], ndp: Optional[str], suffix: Optional[str],
                 inverted: bool) -> str:
    if given is not None:
        given = initialize(given)
    if inverted:
        family = " ".join(n for n in (ndp, family) if n)
        return ", ".join(n for n in (family, given, suffix) if n)
    family = " ".join(n for n in (ndp, family) if n)
    return " ".join(n for n in (given, family, suffix) if n)
