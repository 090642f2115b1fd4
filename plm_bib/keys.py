"""Citation keys: Google Scholar style, ASCII, readable, unique, stable; other schemes on request.

``devlin2019bert``: first author's family name, year, first significant title word.
Chinese goes through pinyin: a Chinese author by the reading of the surname as a surname
(``曾小明`` -> ``zeng``, ``单`` -> ``shan``, ``欧阳`` -> ``ouyang``), a Chinese title by its
first four characters.  Records without authors take the site or venue
(``weixin_yiwenliaojie``).  Clashes are settled by the second significant title
word, then by ``a``/``b``... given in the order of the records' titles and URLs,
never in list order: reordering a list never changes a key.

The ACL Anthology's bibkeys (:func:`acl_base_key`: ``devlin-etal-2019-bert``) are here too;
:mod:`plm_bib.keyschemes` chooses among the schemes and reads key patterns.

A key is written into LaTeX (``\\cite``, ``\\nocite``, ``\\bibitem``) and BibTeX
(``@type{key,``) as it is, so only a *safe* key is ever used (:func:`is_safe_key`, the one
rule): letters and digits of any script, and ``_-:./+@&?!*;``; nothing TeX or BibTeX would
read as markup.  :func:`safe_keys` gives a record read with an unsafe key a new key (its
own key kept in ``extra["original_key"]``) and reports it; writers take keys through
:func:`tex_key`, which refuses an unsafe one.

>>> is_safe_key("DBLP:conf/naacl/DevlinCLT19"), is_safe_key("müller2020"), is_safe_key("a%b")
(True, True, False)
"""
from __future__ import annotations

import re
import unicodedata
from itertools import count
from typing import Callable, Dict, Iterable, Iterator, List, Sequence, Set, Tuple

from plm_bib.errors import BadKey
from plm_bib.metadata.names import han_surname, surname_pinyin
from plm_bib.metadata.pinyin import syllables
from plm_bib.model import Person, Problem, Record

__all__ = ["ascii_fold", "base_key", "assign_keys", "is_safe_key", "tex_key", "safe_keys", "keyed", "has_good_keys",
           "KEY_PUNCTUATION", "acl_base_key", "acl_keys", "clash_order", "letter_suffix", "settle_clashes"]

# the punctuation a key may hold besides letters and digits: what keys in real files use
# (DBLP:conf/acl/X19, 10.1145/3292500, ADS's 2004A&A...424..927C, Corneil??, IJCAI01*425) and
# TeX reads as an ordinary character inside \cite's and \bibitem's argument (babel's
# shorthands among them are made safe there by babel), and BibTeX and biber take in
# "@type{key,".  Not: the characters TeX reads as markup (\ { } % # ~ $ ^), the ones
# biber refuses (" ' ( ) = and , and space), any other character
KEY_PUNCTUATION = "_-:./+@&?!*;"
MAX_KEY_LENGTH = 200
# \w: a character str.isalnum() accepts, or "_"
_SAFE_KEY = re.compile(r"[\w" + re.escape(KEY_PUNCTUATION) + "]{1,%d}" % MAX_KEY_LENGTH)
_SAFE_CHAR = re.compile(r"[\w" + re.escape(KEY_PUNCTUATION) + "]")


def is_safe_key(key: str) -> bool:
    """Whether ``key`` can be written raw in ``\\cite{...}``, ``\\bibitem{...}`` and
    ``@type{key,``: 1 to 200 characters, each a letter or digit (``str.isalnum``: any script,
    no marks, no control or format characters) or one of :data:`KEY_PUNCTUATION`; and not
    ``*`` alone (``\\nocite{*}`` cites everything)."""
    return _SAFE_KEY.fullmatch(key) is not None and key != "*"


def tex_key(key: str) -> str:
    """``key`` for a LaTeX or BibTeX writer; a key that is not safe is refused (a Library
    never holds one: see :func:`safe_keys`)."""
    if not is_safe_key(key):
        raise BadKey(f"citation key {key!r} is not safe to write into LaTeX or BibTeX "
                         f"(letters, digits and {KEY_PUNCTUATION} only)")
    return key


def safe_keys(records: Sequence[Record]) -> Tuple[List[Record], List[Problem]]:
    """``records`` with every unsafe key cleared (a new one is assigned), the key as read kept
    in ``extra["original_key"]``, and a warning for each."""
    match = _SAFE_KEY.fullmatch
    # most keys are letters and digits only: str.isalnum answers at once
    unsafe = [i for i, r in enumerate(records) if r.key and not (
        (r.key.isalnum() and len(r.key) <= MAX_KEY_LENGTH) or (match(r.key) is not None and r.key != "*"))]
    out = list(records)
    problems: List[Problem] = []
    for i in unsafe:
        r = records[i]
        bad = sorted({ch for ch in r.key if not _SAFE_CHAR.match(ch)})
        shown = (", ".join(repr(ch) for ch in bad) if bad else
                 "* alone cites everything" if r.key == "*" else f"{len(r.key)} characters")
        problems.append(Problem(r.origin or "<records>", r.line,
                                f"citation key {r.key[:80]!r} is not safe in LaTeX or BibTeX ({shown}): "
                                f"the entry is kept under a new key (the old one in original_key)",
                                r.key[:2000], level="warning"))
        extra = dict(r.extra)
        extra.setdefault("original_key", r.key)
        latex = r.latex
        if r.provenance.get("*") == "bibtex" and extra["original_key"] == r.key and "original_key" not in latex:
            # the key is the .bib's own text: the BibTeX writer gives it back as it was read
            # (escaped as text, "a_b" would read back as "a\\_b"); safe mode still escapes it
            latex = {**latex, "original_key": r.key}
        out[i] = r.replace(key="", extra=extra, latex=latex)
    return out, problems


def keyed(records: Sequence[Record], taken: Iterable[str] = ()) -> Tuple[List[Record], List[Problem]]:
    """The key step of every reader: ``records`` with a safe, unique key each, and a warning
    for each key read that could not be kept.  A record keeps its key when it is safe and no
    earlier record has it; a key that is not safe (:func:`safe_keys`) or repeats an earlier
    one is kept in ``extra["original_key"]``; a record without a key gets a new one
    (:func:`assign_keys`, also avoiding ``taken``).  A Library is built from what this returns.
    """
    checked, problems = safe_keys(records)
    first: Dict[str, int] = {}
    for i, r in enumerate(checked):
        if not r.key:
            continue
        seen = first.setdefault(r.key, i)
        if seen != i:
            problems.append(Problem(r.origin or "<records>", r.line,
                                    f"citation key {r.key[:80]!r} is also the key of an earlier record (line "
                                    f"{checked[seen].line}): the later one is kept under a new key (the old one "
                                    f"in original_key)", r.key[:2000], level="warning"))
            checked[i] = r.replace(key="", extra={**r.extra, "original_key": r.key})
    keys = assign_keys(checked, taken)
    return [r if r.key == k else r.replace(key=k) for r, k in zip(checked, keys)], problems


def has_good_keys(records: Sequence[Record]) -> bool:
    """Whether every record has a safe key and no two share one: what :func:`keyed` gives
    (and gives back unchanged)."""
    seen = set()
    for r in records:
        k = r.key
        if not k or not ((k.isalnum() and len(k) <= MAX_KEY_LENGTH) or is_safe_key(k)) or k in seen:
            return False
        seen.add(k)
    return True

STOPWORDS = frozenset(
    "a an the of on in for to and or with without by from at as is are be via into onto towards toward "
    "using about do does what when where which who why how we our your can not no".split()
)

_SITE_KEYS = {"WeChat": "weixin", "Zhihu": "zhihu", "GitHub": "github", "Hugging Face": "huggingface"}


_HAN_RUNS = re.compile(r"[\u3400-\u9fff]+|[^\u3400-\u9fff]+")
_COMPOUND = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NOT_KEY_CHAR = re.compile(r"[^a-z0-9]")


def ascii_fold(text: str) -> str:
    """Latin letters without diacritics; CJK as pinyin syllables; everything else dropped."""
    out: List[str] = []
    for chunk in _HAN_RUNS.findall(text):
        if "\u3400" <= chunk[0] <= "\u9fff":
            out.append(" " + " ".join(syllables(chunk)) + " ")
        else:
            chunk = chunk.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("ł", "l")
            chunk = chunk.replace("đ", "d").replace("æ", "ae").replace("œ", "oe")
            out.append(unicodedata.normalize("NFKD", chunk).encode("ascii", "ignore").decode())
    return "".join(out)


def _words(title: str) -> List[str]:
    """Words of a title; a hyphenated word whose first part is a short prefix is one word
    (``Pre-training`` -> ``pretraining``, ``E-BERT`` -> ``ebert``), else its first part
    (``Parameter-Efficient`` -> ``parameter``)."""
    folded = ascii_fold(title).lower().replace("'", "").replace("\u2019", "")
    out = []
    for compound in _COMPOUND.findall(folded):
        parts = compound.split("-")
        out.append(parts[0] + parts[1] if len(parts) > 1 and len(parts[0]) <= 3 else parts[0])
        out.extend(parts[2:] if len(parts) > 1 and len(parts[0]) <= 3 else parts[1:])
    return out


def _significant(title: str) -> List[str]:
    words = _words(title)
    sig = [w for w in words if w not in STOPWORDS and not w.isdigit()]
    return sig or words


def _cjk_word(title: str) -> str:
    """First four CJK characters of a Chinese title as one pinyin word."""
    m = re.search(r"[\u3400-\u9fff]{1,4}", title)
    if not m:
        return ""
    return "".join(syllables(m.group(0)))


def _clean(s: str) -> str:
    return _NOT_KEY_CHAR.sub("", ascii_fold(s).lower())


def _family_word(p: Person) -> str:
    """The family name in a key: a Chinese surname in its reading as a surname (``曾小明`` and
    ``曾``, ``小明`` -> zeng; ``欧阳`` -> ouyang), others folded to ASCII."""
    if p.is_han():
        return _clean(surname_pinyin(p.family if p.given else han_surname(p.family)))
    return _clean(p.family)


def base_key(r: Record, words: int = 1) -> str:
    """The key before clash handling."""
    author = next((p for p in r.authors if p.family and p.family != "others"), None)
    head = _family_word(author) if author else ""
    if r.title and "\u3400" <= r.title[0] <= "\u9fff":
        word = _cjk_word(r.title)
        if words > 1:
            word = "".join(_significant(r.title)[:words + 3])
    else:
        word = "".join(_significant(r.title)[:words])
    year = str(r.year) if r.year else ""
    if head:
        key = f"{head}{year}{word}"
    else:
        site = _SITE_KEYS.get(r.site or "", _clean((r.site or "").split(".")[0]))
        prefix = site or _clean(r.venue or "") or "item"
        key = f"{prefix}{year}_{word}" if word else f"{prefix}{year}"
    key = key[:60]
    return key or "item"


def clash_order(r: Record) -> str:
    return f"{r.title}\x00{r.urls[0].url if r.urls else ''}"


def assign_keys(records: Sequence[Record], taken: Iterable[str] = ()) -> List[str]:
    """Unique keys for ``records`` (records that already have a key keep it)."""
    used = set(taken)
    fixed = [r.key for r in records]
    used.update(k for k in fixed if k)
    todo = [i for i, k in enumerate(fixed) if not k]
    proposals: Dict[int, str] = {i: base_key(records[i]) for i in todo}
    # clashes: try two significant words
    groups: Dict[str, List[int]] = {}
    for i, k in proposals.items():
        groups.setdefault(k, []).append(i)
    for k, idx in groups.items():
        if len(idx) > 1 or k in used:
            for i in idx:
                proposals[i] = base_key(records[i], words=2)
    groups = {}
    for i, k in proposals.items():
        groups.setdefault(k, []).append(i)
    out = list(fixed)
    settle_clashes(groups, records, used, out, _letters)
    return out


def _letters(key: str, clash: int) -> Iterator[str]:
    """A lone key bare, then ``a``, ``b``...; every key of a clash lettered."""
    if clash == 1:
        yield key
    yield from (key + letter_suffix(n) for n in count())


def settle_clashes(groups: Dict[str, List[int]], records: Sequence[Record], used: Set[str], out: List[str],
                   spellings: Callable[[str, int], Iterator[str]]) -> None:
    """The one clash rule of every key scheme: the records proposing one key (``groups``: key ->
    indexes of ``records``) take, in :func:`clash_order` (never list order), the next of
    ``spellings(key, clash size)`` that is not ``used``; ``out[i]`` is set, ``used`` grows."""
    for k, idx in sorted(groups.items()):
        idx.sort(key=lambda i: clash_order(records[i]))
        names = spellings(k, len(idx))
        for i in idx:
            out[i] = next(c for c in names if c not in used)
            used.add(out[i])


def letter_suffix(n: int) -> str:
    s = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        s = chr(97 + rem) + s
    return s


# -- the ACL Anthology's keys ---------------------------------------------------------------
# the English function words the ACL scheme skips in a title (articles, prepositions,
# conjunctions, pronouns, auxiliaries, wh-words): our own list, in the spirit of the
# Anthology's (which takes a stop-word package's)
ACL_STOPWORDS = frozenset(
    "a about above after again against all am an and any are as at be because been before being below between "
    "both but by can could did do does doing down during each few for from further had has have having he her "
    "here hers herself him himself his how i if in into is it its itself me more most my myself no nor not "
    "of off on once only or other our ours ourselves out over own same she should so some such than that the "
    "their theirs them themselves then there these they this those through to too under until up very was we "
    "were what when where which while who whom why with would you your yours yourself yourselves "
    # the pieces of contractions (you're, I'd, let's, I'm, we'll, I've)
    "re d let s t m ll ve".split()
)
# letters the keys' ASCII fold drops that a slug spells (Turkish dotless i, Icelandic eth...)
_SLUG_LETTERS = str.maketrans({"ı": "i", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ŋ": "ng", "Ŋ": "Ng",
                               "ħ": "h", "Ħ": "H", "ŀ": "l", "Ŀ": "L", "{": None, "}": None})


_NOT_WORD = re.compile(r"[^\w]+")


def _slug_words(text: str) -> List[str]:
    """``text`` folded to ASCII, lower-cased, apostrophes and braces dropped, split at every
    other character that is not a letter or digit (``Pre-training`` -> ``pre``, ``training``;
    ``Don't`` -> ``dont``; ``Chat{GPT}`` -> ``chatgpt``; ``A–B`` -> ``a``, ``b``)."""
    # apostrophes go; any other character that is not a letter or digit parts words (a dash)
    spaced = _NOT_WORD.sub(" ", text.translate(_SLUG_LETTERS).replace("'", "").replace("\u2019", "").replace("`", ""))
    return re.findall(r"[a-z0-9]+", ascii_fold(spaced).lower())


def _acl_name(p: Person) -> str:
    return "-".join(_slug_words(f"{p.prefix or ''} {p.family}"))


def _acl_title_words(r: Record) -> List[str]:
    words = _slug_words(r.title)
    return [w for w in words if w not in ACL_STOPWORDS] or words


def acl_base_key(r: Record, words: int = 1) -> str:
    """The ACL Anthology's bibkey rule: the family names (with their particles) of the
    authors, else of the editors, as ASCII slugs: one name alone, two joined by ``-``, the
    first and ``etal`` for three or more (an ``and others`` counts as more); ``nn`` when
    none; then the year; then the first ``words`` title words that are not
    :data:`ACL_STOPWORDS` (title split at every character that is not a letter or digit):
    ``devlin-etal-2019-bert``, ``hollenstein-zhang-2019-entity``, ``bansal-etal-2019-pre``."""
    people = r.authors or r.editors
    named = [p for p in people if p.family and p.family != "others"]
    more = len(named) < len(people)
    slugs = [s for s in (_acl_name(p) for p in named) if s]
    if not slugs:
        names = "nn"
    elif len(slugs) > 2 or more:
        names = f"{slugs[0]}-etal"
    else:
        names = "-".join(slugs)
    parts = [names] + ([str(r.year)] if r.year else []) + _acl_title_words(r)[:words]
    return "-".join(parts)[:MAX_KEY_LENGTH]


def acl_keys(records: Sequence[Record], taken: Iterable[str] = ()) -> List[str]:
    """Unique ACL-style keys for ``records`` (records that already have a key keep it): a
    key that clashes takes the next title word, for every record of the clash, while that
    can tell them apart and the words last; then ``-2``, ``-3``... in the order of the records' titles and URLs (never
    list order: reordering never changes a key).  The Anthology gives the bare key to the
    paper it registered first; a list has no such order, so no record of a clash keeps it."""
    used = set(taken)
    fixed = [r.key for r in records]
    used.update(k for k in fixed if k)
    todo = [i for i, k in enumerate(fixed) if not k]
    words = {i: 1 for i in todo}
    limit = {i: len(_acl_title_words(records[i])) for i in todo}
    proposals = {i: acl_base_key(records[i]) for i in todo}
    while True:
        groups: Dict[str, List[int]] = {}
        for i, k in proposals.items():
            groups.setdefault(k, []).append(i)
        # a clash grows while more words can tell its records apart (or tell one from a
        # taken key): records whose titles have the same words get -2, -3... at once
        grow = [i for k, idx in groups.items()
                if (k in used or len({tuple(_acl_title_words(records[j])) for j in idx}) > 1)
                for i in idx if words[i] < limit[i]]
        if not grow:
            break
        for i in grow:
            words[i] += 1
            proposals[i] = acl_base_key(records[i], words[i])
    out = list(fixed)
    settle_clashes(groups, records, used, out, _numbered)
    return out


def _numbered(key: str, clash: int) -> Iterator[str]:
    """The ACL Anthology's: the key bare, then ``-2``, ``-3``..."""
    yield key
    yield from (f"{key}-{n}" for n in count(2))
