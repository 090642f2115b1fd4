"""BibTeX name lists (``von Last, Jr, First and ...``), both ways.

Reading: :func:`read_names` splits a field into Persons with the name rules of
:func:`plm_bib.metadata.names.parse_bibtex_names` and decodes each part's LaTeX.  Writing:
:func:`write_names` gives the field back for BibTeX or biber: every part escaped, a part
braced where BibTeX would split it otherwise, and for biber a name whose word starts with
an escape in its extended format with the initials given.  A name list read and a name
read or written are memoised (names recur across entries; see :mod:`plm_bib.bibtex.caches`).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional, Tuple

from plm_bib.bibtex.decode import Decoder, latex_to_text
from plm_bib.bibtex.latex_text import escape_latex
from plm_bib.metadata.names import parse_bibtex_names
from plm_bib.model import Person

__all__ = ["read_names", "write_names"]


# -- reading ------------------------------------------------------------------------------
@lru_cache(maxsize=1 << 16)
def read_names(value: Optional[str], dec: Decoder = latex_to_text) -> Tuple[Person, ...]:
    """Pure, so memoised (Persons are frozen): editors and author lists repeat."""
    if not value:
        return ()
    out = []
    for p in parse_bibtex_names(value):
        out.append(_person(p, dec))
    return tuple(out)


@lru_cache(maxsize=1 << 16)
def _person(p: Person, dec: Decoder) -> Person:
    family, given, prefix, suffix = dec(p.family), dec(p.given), dec(p.prefix), dec(p.suffix)
    if family is p.family and given is p.given and prefix is p.prefix and suffix is p.suffix:
        return p  # nothing to decode (the decoder gives plain text back as it is): no second Person
    return Person(family=family, given=given, prefix=prefix, suffix=suffix)


# -- writing ------------------------------------------------------------------------------
def write_names(people: Tuple[Person, ...], biblatex: bool = False) -> str:
    """The names in BibTeX; a name with no text in any part is left out (``and  and`` makes
    biber's name parser crash)."""
    name = _name_biblatex if biblatex else _name
    return " and ".join(name(p) for p in people if any(x.strip() for x in (p.family, p.given, p.prefix, p.suffix)))


_INITIAL = re.compile(r"\w")


def _name_biblatex(p: Person) -> str:
    """A name for biber: as :func:`_name`, but one with a word that starts with an escaped
    character (``\\&``, ``\\textasciicircum{}``) in biber's extended name format with the
    initials given (biber's own initial of such a part is a lone ``\\`` or ``}``, which
    breaks the document)."""
    written = _name(p)
    # biber decodes LaTeX, then splits this format at every comma (braced or not): a name with
    # a comma stays in the classic form, where the braces hold it
    texts = (p.family, p.given, p.prefix, p.suffix)
    if p.family == "others" or any("," in x for x in texts) or \
            not any(w.startswith(("\\", "{")) for x in texts for w in escape_latex(x).split()):
        return written
    if not p.family.strip():
        p = Person(" ".join(x.strip() for x in (p.given, p.prefix, p.suffix) if x.strip()))
    parts = []
    for label, text in (("family", p.family), ("given", p.given), ("prefix", p.prefix), ("suffix", p.suffix)):
        if not text.strip():
            continue
        m = _INITIAL.search(text)
        initial = m.group() if m else text.strip()[0]
        parts.append(f"{label}={{{escape_latex(text)}}}, {label}-i={{{escape_latex(initial)}}}")
    return ", ".join(parts)


_AND_WORD = re.compile(r"(?:^|\s)and(?:\s|$)", re.I)


def _particle_like(word: str) -> bool:
    """Whether BibTeX might read the written ``word`` as a particle (``von``): it starts
    with a lower-case letter, a control sequence or another sign."""
    first = word[0]
    return first.islower() or not first.isalnum()


def _name_part(text: str, protect: bool = False) -> str:
    """One part of a name as BibTeX text: escaped; in braces when BibTeX would split it
    otherwise (a comma, the word "and", and with ``protect`` a particle-like word)."""
    esc = escape_latex(text)
    if esc and ("," in text or _AND_WORD.search(text) or (protect and any(_particle_like(w) for w in esc.split()))):
        return "{" + esc + "}"
    return esc


@lru_cache(maxsize=1 << 16)
def _name(p: Person) -> str:
    """One name from its parts (text) in BibTeX (pure, so memoised: authors recur)."""
    if p.family == "others":
        return "others"
    return _name_text(p)


def _name_text(p: Person) -> str:
    """``von Last, Jr, First`` with every part escaped: a family name of several words, or
    one BibTeX would read as a particle, in braces (``{Google Research}``,
    ``{van der Berg}, Jan``); the parts read back as they are."""
    if not p.family.strip():
        # BibTeX needs a last name (", Ann" makes biber crash): the other parts stand as it
        p = Person(" ".join(x.strip() for x in (p.given, p.prefix, p.suffix) if x.strip()))
    family = _name_part(p.family, protect=True)
    if not p.given and not p.suffix and " " in family and not family.startswith("{"):
        family = "{" + family + "}"  # no comma follows: "Google Research" would be given + family
    # braces around the particle would unmake it: only its commas are braced
    prefix = escape_latex(p.prefix).replace(",", "{,}")
    last = " ".join(x for x in (prefix, family) if x)
    parts = [last]
    if p.suffix:
        parts.append(_name_part(p.suffix, False))
    if p.given or p.suffix:
        parts.append(_name_part(p.given, False))
    return ", ".join(parts)
