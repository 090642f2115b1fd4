"""The text of a segment: decoration dropped, ends trimmed, generic link labels told apart.

Every stage of the recogniser compares segment texts in these forms: :func:`clean` drops emoji
and ``:shortcode:`` decoration and collapses white space, :func:`strip_ends` trims the
punctuation, quotes and unmatched brackets around a title, a name list or a claim.
"""
from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["CJK", "WORD", "DECOR", "EMOJI", "SHORTCODE", "is_generic_label", "clean", "strip_ends"]

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
WORD = re.compile(r"[^\W_]+")
_GENERIC = re.compile(
    r"^[\[\(（【]*\s*(pdf|paper|papers|code|codes|link|links|project|project page|slides?|blog|video|videos|model|"
    r"arxiv|url|here|download|html|docs?|report|bib|bibtex|citation|demo|data|dataset|website|homepage|web|"
    r"official|unofficial|github|git|torch|pytorch|tensorflow|tf|keras|caffe|matlab|jax|mxnet|python|"
    r"python reference|reference|code\s*&\s*model|model\s*&\s*code|supp|supplementary|poster|talk|abs|"
    r"openreview|notes?|review|知乎|知乎文章|阅读笔记|笔记|论文|代码|链接|论文链接|代码链接|视频|博客|解读|"
    r"项目|主页|官方|源码|讲解|paper\s*/\s*code|code\s*/\s*paper|none)\s*[\]\)）】]*\s*[:：]?$", re.I)
DECOR = re.compile(r"^[\s\W_]*$|^(:[a-z_+-]+:\s*)+$")
EMOJI = re.compile(r"[\u2600-\u27bf\U0001F000-\U0001FAFF\u2b50\ufe0f\u200d\u2b06\u2705\u274c]+")
SHORTCODE = re.compile(r":[a-z0-9_+-]+:")


def is_generic_label(text: str) -> bool:
    """A link label that names what the link is (``pdf``, ``[code]``, ``论文链接``), not a title."""
    t = text.strip()
    return bool(_GENERIC.match(t)) or t.startswith(("http://", "https://"))


@lru_cache(maxsize=8192)
def clean(text: str) -> str:
    """Text without emoji and ``:shortcode:`` decoration, white space collapsed."""
    if ":" in text:
        text = SHORTCODE.sub(" ", text)
    if EMOJI.search(text):
        text = EMOJI.sub(" ", text)
    return " ".join(text.split())


_INITIAL_END = re.compile(r"(\b[A-Z]|\bal|\bet)\.$")


@lru_cache(maxsize=8192)
def strip_ends(text: str) -> str:
    """A segment's text without the punctuation, quotes and unmatched brackets at its ends."""
    t = text.strip()
    prev = None
    while prev != t:
        prev = t
        t = t.strip(" \t,，;；|·•-–—")
        t = t.lstrip(".\"“”'。．")
        if t[:1] in ")]）】}" or (t[:1] in "([（【{" and not _balanced_close(t)):
            t = t[1:]
        if t[-1:] in "([（【{" or (t[-1:] in ")]）】}" and not _balanced_open(t)):
            t = t[:-1]
        if t.endswith(("。", "．")):
            t = t[:-1]
        if t.endswith(".") and not t.endswith("..") and not _INITIAL_END.search(t):
            t = t[:-1]
        t = t.strip().strip("\"“”'")
        if t.startswith(":") or t.startswith("："):
            t = t[1:]
    return t.strip()


def _balanced_close(t: str) -> bool:
    pairs = {"(": ")", "[": "]", "（": "）", "【": "】", "{": "}"}
    return pairs[t[0]] in t


def _balanced_open(t: str) -> bool:
    pairs = {")": "(", "]": "[", "）": "（", "】": "【", "}": "{"}
    return pairs[t[-1]] in t

