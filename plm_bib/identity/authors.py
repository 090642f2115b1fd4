"""Whether two authors can be the same person: family names compared in their own script
and romanised (Latin folded, Han by pinyin, Cyrillic and Greek transliterated)."""
from __future__ import annotations

import re
import unicodedata
from typing import List, Sequence, Set

from plm_bib.identity.text import fold, letters
from plm_bib.metadata.names import HAN, SURNAME_READINGS, han_surname
from plm_bib.metadata.pinyin import syllables
from plm_bib.model import Person

__all__ = ["name_forms", "authors_agree", "agreeing_authors"]

def _han_surnames(p: Person) -> List[str]:
    """The surname of a Chinese name: its family name when split (曾, 小明), else read from the
    name written whole (``张伟`` -> ``张``, ``欧阳娜娜`` -> ``欧阳``)."""
    return [p.family] if p.given else [han_surname(p.family)]


def _pinyin_readings(han: str) -> Set[str]:
    """The pinyin of a Han surname: the common reading, and the surname's own where it
    differs (``单`` -> dan, shan)."""
    out = {letters("".join(syllables(han)))}
    if han in SURNAME_READINGS:
        out.add(SURNAME_READINGS[han])
    return {o for o in out if o}


def name_forms(p: Person) -> Set[str]:
    """The forms in which ``p``'s family name can agree with another: in its own script
    (never folded away), and romanised (Latin without diacritics by the one fold of
    :func:`plm_bib.identity.text.fold`, ``Groß`` -> ``gross``; Han by pinyin, the common reading
    and a surname's own).
    Empty for a name with no letters: such a name agrees with nothing."""
    family = p.family
    if p.is_han():
        surnames = _han_surnames(p)  # a Chinese name: 张伟, or 张 and 伟
    else:
        surnames = [family]
    forms: Set[str] = set()
    for s in surnames:
        own = letters(s)
        if own:
            forms.add(own)
        if HAN.search(s):
            forms |= _pinyin_readings(s) if all(HAN.match(ch) for ch in s) else set()
        else:
            latin = letters(fold(s))
            if latin:
                forms.add(latin)
    return forms


# Cyrillic and Greek letters romanised (a common scientific transliteration; the spelling
# variants between systems are then evened out by _skeleton)
_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґўјћђ",
                     "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch - y - e yu ya i yi ye g u j c dj"
                     .split()))
_GREEK = dict(zip("αβγδεζηθικλμνξοπρσςτυφχψω", "a v g d e z i th i k l m n x o p r s s t y f ch ps o".split()))
_GREEK_PAIRS = {"ου": "ou", "μπ": "b", "ντ": "d", "γγ": "ng", "γκ": "g"}


def _romanised_family(p: Person) -> str:
    """A Cyrillic or Greek family name in Latin letters, or "" for any other script."""
    text = unicodedata.normalize("NFD", p.family.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    if not any(ch in _CYRILLIC or ch in _GREEK for ch in text):
        return ""
    for pair, latin in _GREEK_PAIRS.items():
        text = text.replace(pair, latin)
    out = "".join(_CYRILLIC.get(ch, _GREEK.get(ch, ch if ch.isascii() else "")) for ch in text).replace("-", "")
    return "".join(ch for ch in out if ch.isalnum())


def _skeleton(latin: str) -> str:
    """A Latin spelling with the usual variants of transliteration evened out (``Kuznetsov``
    = ``Kuznecov``, ``Chernov`` = ``Tchernov``, ``Iwanow`` = ``Ivanov``, ``Yuri`` = ``Iuri``)."""
    s = latin.lower()
    for a, b in (("shch", "sc"), ("tch", "c"), ("ch", "c"), ("sh", "s"), ("zh", "z"), ("kh", "h"),
                 ("ts", "c"), ("tz", "c"), ("ph", "f"), ("th", "t"), ("ks", "x"), ("y", "i"),
                 ("j", "i"), ("w", "v")):
        s = s.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", s)


def authors_agree(a: Person, b: Person) -> bool:
    """Whether two authors can be the same person: two names in Han characters (written
    whole or split) must be the same name (``张伟`` is not ``张芳``; ``山田`` is not ``山本``);
    otherwise their family names agree in one of their :func:`name_forms`, or a Cyrillic
    or Greek family name romanised agrees with the other's Latin spelling
    (``Иванов`` = ``Ivanov``), the variants of transliteration evened out."""
    if a.is_han() and b.is_han():
        return letters(a.family + a.given) == letters(b.family + b.given)
    if name_forms(a) & name_forms(b):
        return True
    for x, y in ((a, b), (b, a)):
        rom = _romanised_family(x)
        latin = letters(fold(y.family))
        if rom and latin and latin.isascii() and _skeleton(rom) == _skeleton(latin):
            return True
    return False


def agreeing_authors(mine: Sequence[Person], theirs: Sequence[Person]) -> int:
    """How many of ``mine`` agree with a distinct one of ``theirs`` (each used once)."""
    free = list(theirs)
    n = 0
    for p in mine:
        for j, other in enumerate(free):
            if authors_agree(p, other):
                n += 1
                del free[j]
                break
    return n


