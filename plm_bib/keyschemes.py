"""Key schemes: the named ones (:data:`SCHEMES`) and key patterns, one entry point (:func:`scheme_keys`).

- ``scholar`` (the default): :func:`plm_bib.keys.assign_keys`, ``devlin2019bert``;
- ``acl``: the ACL Anthology's bibkeys, :func:`plm_bib.keys.acl_keys`, ``devlin-etal-2019-bert``;
- ``keep``: a record keeps the key it was read with; one without a key gets a ``scholar`` key;
- a **key pattern** in JabRef's notation (the notation Better BibTeX's legacy formulas and
  JabRef users write): literal text and field markers in square brackets, each with optional
  ``:modifiers``, e.g. ``[auth:lower][year][veryshorttitle:lower]`` -> ``devlin2019pretraining``,
  ``[authEtAl][shortyear]`` -> ``DevlinEtAl19``.  Keys that clash get ``a``, ``b``... in the order of
  the records' titles and URLs (never list order); the first keeps the bare key, as in JabRef.

Markers (:data:`MARKERS`): ``auth``, ``authN`` (first N letters), ``authN_M`` (N letters of the M-th
author), ``authEtAl``, ``auth.etal``, ``auth.auth.ea``, ``authors``, ``authorsN``, ``authorLast``,
``authForeIni``, ``authorIni``, ``edtr``, ``editors``, ``year``, ``shortyear``, ``title``, ``shorttitle``,
``veryshorttitle``, ``camel``, ``fulltitle``, ``firstpage``, ``lastpage``, ``entrytype``, and the fields
``venue``, ``journal``, ``booktitle``, ``volume``, ``number``, ``publisher``.  Modifiers: ``lower``,
``upper``, ``capitalize``, ``abbr``, ``truncateN`` and ``(text)`` (the text when the marker is empty).
An ``auth`` marker uses the editors when there are no authors, as JabRef's do.  Names and titles are
folded to ASCII by the keys' fold (Chinese as pinyin); a character a key may not hold is dropped.

>>> from plm_bib.model import Person, Record
>>> r = Record(key="", title="An awesome paper on JabRef", authors=(Person("Devlin", "Jacob"),), year=2019)
>>> scheme_keys([r], "[auth:lower][year][shorttitle]")
['devlin2019AwesomePaperJabref']
"""
from __future__ import annotations

import re
from itertools import count
from typing import Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Set, Tuple

from plm_bib.errors import BadOption
from plm_bib.keys import KEY_PUNCTUATION, acl_keys, ascii_fold, assign_keys, is_safe_key, letter_suffix, settle_clashes
from plm_bib.model import Person, Record

__all__ = ["SCHEMES", "MARKERS", "is_key_pattern", "check_scheme", "scheme_keys", "pattern_key"]

SCHEMES = ("scholar", "acl", "keep")

# the words JabRef's title markers skip (its documentation's list of function words)
FUNCTION_WORDS = frozenset(
    "a an the above about across against along among around at before behind below beneath beside between "
    "beyond by down during except for from in inside into like near of off on onto since to toward through "
    "under until up upon with within without and but nor or so yet".split()
)
_MARKER = re.compile(r"\[([^\[\]]*)\]")
_KEY_CHAR = re.compile(r"[\w" + re.escape(KEY_PUNCTUATION) + "]")


def is_key_pattern(scheme: str) -> bool:
    """Whether ``scheme`` is a key pattern (it has a field marker) rather than a scheme's name."""
    return "[" in scheme


def _family(p: Person) -> str:
    """The family name without its particle (JabRef's ``auth``: ``van Halen`` -> ``Halen``)."""
    return ascii_fold(p.family).replace(" ", "")


def _people(r: Record) -> List[Person]:
    """The named authors, else the named editors (as JabRef's auth markers)."""
    return [p for p in (r.authors or r.editors) if p.family and p.family != "others"]


def _more(r: Record) -> bool:
    """Whether the author list says there are more authors than it names (``and others``)."""
    return any(p.family == "others" for p in (r.authors or r.editors))


def _title_words(r: Record) -> List[str]:
    return [w for w in re.split(r"[^\w]+", ascii_fold(r.title)) if w]


def _cap(w: str) -> str:
    return w[:1].upper() + w[1:].lower()


def _significant(r: Record) -> List[str]:
    return [w for w in _title_words(r) if w.lower() not in FUNCTION_WORDS]


def _pages(r: Record) -> List[str]:
    return re.findall(r"\d+", r.pages or "")


def _etal(r: Record, sep: str, etal: str, two: int = 2) -> str:
    names = [_family(p) for p in _people(r)]
    if not names:
        return ""
    if len(names) > two or _more(r):
        return sep.join(names[:two - 1]) + etal
    return sep.join(names)


def _authors_n(r: Record, n: Optional[int]) -> str:
    names = [_family(p) for p in _people(r)]
    if n is None:
        return "".join(names)
    return "".join(names[:n]) + ("EtAl" if len(names) > n or (names and _more(r)) else "")


def _auth_letters(r: Record, n: int, m: int) -> str:
    names = [_family(p) for p in _people(r)]
    return names[m - 1][:n] if 0 < m <= len(names) else ""


def _author_ini(r: Record) -> str:
    names = [_family(p) for p in _people(r)]
    return (names[0][:5] + "".join(n[:1] for n in names[1:])) if names else ""


def _field(name: str) -> Callable[[Record], str]:
    return lambda r: ascii_fold(str(getattr(r, name) or ""))


MARKERS: Dict[str, Callable[[Record], str]] = {
    "auth": lambda r: next(iter(_family(p) for p in _people(r)), ""),
    "authEtAl": lambda r: _etal(r, "", "EtAl"),
    "auth.etal": lambda r: _etal(r, ".", ".etal"),
    "auth.auth.ea": lambda r: ".".join(_family(p) for p in _people(r)[:2])
    + (".ea" if len(_people(r)) > 2 or _more(r) else ""),
    "authors": lambda r: _authors_n(r, None),
    "authorLast": lambda r: next(iter(_family(p) for p in reversed(_people(r))), ""),
    "authForeIni": lambda r: next(iter(ascii_fold(p.given)[:1] for p in _people(r)), ""),
    "authorIni": _author_ini,
    "edtr": lambda r: next(iter(_family(p) for p in r.editors if p.family), ""),
    "editors": lambda r: "".join(_family(p) for p in r.editors if p.family and p.family != "others"),
    "year": lambda r: str(r.year) if r.year else "",
    "shortyear": lambda r: str(r.year)[-2:] if r.year else "",
    # title markers keep spaces between words for the modifiers (abbr); a key drops them
    "title": lambda r: " ".join(w if i and w.lower() in FUNCTION_WORDS else _cap(w)
                                for i, w in enumerate(_title_words(r))),
    "shorttitle": lambda r: " ".join(_cap(w) for w in _significant(r)[:3]),
    "veryshorttitle": lambda r: " ".join(_cap(w) for w in _significant(r)[:1]),
    "camel": lambda r: " ".join(_cap(w) for w in _title_words(r)),
    "fulltitle": lambda r: ascii_fold(r.title),
    "firstpage": lambda r: min(_pages(r), key=int, default=""),
    "lastpage": lambda r: max(_pages(r), key=int, default=""),
    "entrytype": lambda r: _cap(r.entry_type),
    **{name: _field(name) for name in ("venue", "journal", "booktitle", "volume", "number", "publisher")},
}
_NUMBERED: Tuple[Tuple["re.Pattern[str]", Callable[["re.Match[str]"], Callable[[Record], str]]], ...] = (
    (re.compile(r"auth(\d+)_(\d+)"), lambda m: lambda r: _auth_letters(r, int(m[1]), int(m[2]))),
    (re.compile(r"auth(\d+)"), lambda m: lambda r: _auth_letters(r, int(m[1]), 1)),
    (re.compile(r"authors(\d+)"), lambda m: lambda r: _authors_n(r, int(m[1]))),
)
_MODIFIERS: Dict[str, Callable[[str], str]] = {
    "lower": str.lower,
    "upper": str.upper,
    "capitalize": lambda s: " ".join(_cap(w) for w in s.split(" ")),
    "abbr": lambda s: "".join(w[:1] for w in re.split(r"\s+", s) if w),
}


def _marker(name: str, pattern: str) -> Callable[[Record], str]:
    if name in MARKERS:
        return MARKERS[name]
    for rx, make in _NUMBERED:
        m = rx.fullmatch(name)
        if m:
            return make(m)
    raise BadOption(f"key pattern {pattern!r}: unknown field marker [{name}]; known: "
                    f"{', '.join(sorted(MARKERS))}, authN, authN_M, authorsN")


def _modifier(mod: str, pattern: str) -> Callable[[str], str]:
    if mod in _MODIFIERS:
        return _MODIFIERS[mod]
    m = re.fullmatch(r"truncate(\d+)", mod)
    if m:
        n = int(m[1])
        return lambda s: s[:n].rstrip()
    m = re.fullmatch(r"\((.*)\)", mod)
    if m:
        default = m[1]
        return lambda s: s or default
    raise BadOption(f"key pattern {pattern!r}: unknown modifier :{mod}; known: "
                    f"{', '.join(_MODIFIERS)}, truncateN, (text)")


Part = Tuple[str, Optional[Callable[[Record], str]], Tuple[Callable[[str], str], ...]]


def _compile(pattern: str) -> List[Part]:
    parts: List[Part] = []
    pos = 0
    for m in _MARKER.finditer(pattern):
        parts.append((pattern[pos:m.start()], None, ()))
        name, *mods = m[1].split(":")
        parts.append(("", _marker(name, pattern), tuple(_modifier(x, pattern) for x in mods)))
        pos = m.end()
    parts.append((pattern[pos:], None, ()))
    if any(c in text for text, _, _ in parts for c in "[]"):
        raise BadOption(f"key pattern {pattern!r}: a bracket without its pair")
    return parts


def check_scheme(scheme: str) -> str:
    """``scheme`` if it names a scheme or is a well-formed key pattern, else :class:`BadOption`."""
    if is_key_pattern(scheme):
        _compile(scheme)
    elif scheme not in SCHEMES:
        raise BadOption(f"unknown key scheme {scheme!r}; known: {', '.join(SCHEMES)}, "
                        "or a key pattern such as [auth:lower][year][veryshorttitle:lower]")
    return scheme


def pattern_key(r: Record, pattern: str) -> str:
    """``r``'s key by ``pattern``, before clashes are settled (``""`` when every marker is empty)."""
    out = []
    for text, marker, mods in _compile(pattern):
        if marker is None:
            out.append(text)
            continue
        value = marker(r)
        for mod in mods:
            value = mod(value)
        out.append(value)
    return "".join(_KEY_CHAR.findall("".join(out)))[:200]


def _pattern_keys(records: Sequence[Record], pattern: str, taken: Set[str]) -> List[str]:
    out = [pattern_key(r, pattern) or "item" for r in records]
    groups: Dict[str, List[int]] = {}
    for i, k in enumerate(out):
        groups.setdefault(k, []).append(i)
    settle_clashes(groups, records, set(taken), out, _jabref_letters)
    return out


def _jabref_letters(key: str, clash: int) -> Iterator[str]:
    """JabRef's: the key bare, then ``a``, ``b``... (``Yared1998``, ``Yared1998a``, ``Yared1998b``)."""
    yield key
    yield from (key + letter_suffix(n) for n in count())


def scheme_keys(records: Sequence[Record], scheme: str, taken: Iterable[str] = ()) -> List[str]:
    """A unique key for each of ``records`` under ``scheme`` (a name of :data:`SCHEMES` or a key
    pattern), none in ``taken``: ``scholar``, ``acl`` and a pattern make every key anew; ``keep``
    keeps each record's key unless it is in ``taken`` or an earlier record has it (then, and for a
    record without a key, a ``scholar`` key)."""
    check_scheme(scheme)
    taken = set(taken)
    if is_key_pattern(scheme):
        return _pattern_keys(records, scheme, taken)
    if scheme == "keep":
        seen: Set[str] = set()
        cleared = []
        for r in records:
            keep = r.key and r.key not in taken and r.key not in seen and is_safe_key(r.key)
            seen.add(r.key)
            cleared.append(r if keep else r.replace(key=""))
        return assign_keys(cleared, taken)
    blank = [r.replace(key="") for r in records]
    return assign_keys(blank, taken) if scheme == "scholar" else acl_keys(blank, taken)
