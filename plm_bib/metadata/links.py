"""Finding links in a line of Markdown and telling what they point at.

Pure functions.  ``find_links`` replaces every link of a line by a placeholder
(so the rest of the line keeps its shape) and returns them in order.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import List, Tuple

from plm_bib.metadata.ids import extract_ids, url_host

__all__ = ["FoundLink", "find_links", "PLACEHOLDER", "link_kind", "site_name", "is_navigation", "host_in"]

PLACEHOLDER = "\x00{}\x00"

# a URL: no whitespace, no full-width punctuation; ASCII parentheses only when balanced
_URL_BODY = r"(?:[^\s()（）<>\[\]\"'，。；]|\([^\s()（）]*\))+"
# [[label](url)] and [label](url); the label may contain one level of brackets or backticks
_MD_LINK = re.compile(
    r"(?P<outer>\[\s*)?\[(?P<label>(?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?(?P<url>[^()\s<>]*(?:\([^()\s]*\)[^()\s<>]*)*)>?"
    r"(?:\s+\"[^\"]*\")?\s*\)(?(outer)\s*\])"
)
# (url) / （url） / （url) / (url）
_PAREN_URL = re.compile(r"[（(]\s*(?P<url>https?://" + _URL_BODY + r")\s*[）)]")
_BARE_URL = re.compile(r"(?P<url>https?://" + _URL_BODY + r")")
_TRAILING_PUNCT = ".,;:!?。，；：！？"


@dataclass(frozen=True)
class FoundLink:
    url: str
    label: str
    kind: str


def _clean_url(url: str) -> str:
    url = url.strip().strip("<>")
    while url and url[-1] in _TRAILING_PUNCT:
        url = url[:-1]
    return url


_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")


def is_navigation(url: str) -> bool:
    """Anchors and relative links (``#survey``, ``../README.md``) are navigation, not items."""
    return not _SCHEME.match(url)


def find_links(text: str) -> Tuple[str, List[FoundLink]]:
    """Replace every link in ``text`` by a placeholder; return the new text and the links."""
    found: List[FoundLink] = []

    def add(url: str, label: str) -> str:
        url = _clean_url(url)
        found.append(FoundLink(url=url, label=label.strip(), kind=link_kind(url, label)))
        return PLACEHOLDER.format(len(found) - 1)

    text = _MD_LINK.sub(lambda m: add(m.group("url"), m.group("label")), text)
    text = _PAREN_URL.sub(lambda m: add(m.group("url"), ""), text)
    text = _BARE_URL.sub(lambda m: add(m.group("url"), ""), text)
    return text, found


_LABEL_KINDS = [
    (re.compile(r"\bslides?\b|\bppt\b|讲义|幻灯片", re.I), "slides"),
    (re.compile(r"\bcode\b|github|源码|代码|model&code", re.I), "code"),
    (re.compile(r"\bvideo\b|youtube|视频", re.I), "video"),
    (re.compile(r"\bblog\b|博客", re.I), "blog"),
    (re.compile(r"\bproject\b|主页|homepage", re.I), "project"),
    (re.compile(r"\bpdf\b|\bpaper\b|论文", re.I), "pdf"),
]

_BLOG_HOSTS = ("mp.weixin.qq.com", "zhuanlan.zhihu.com", "medium.com", "towardsdatascience.com",
               "jianshu.com", "blog.csdn.net", "cnblogs.com", "jiqizhixin.com", "ctolib.com",
               "pragnakalp.com", "substack.com")
_CODE_HOSTS = ("github.com", "gitlab.com", "gitee.com", "bitbucket.org", "huggingface.co")
_QA_HOSTS = ("stackoverflow.com", "stackexchange.com", "quora.com")
_SITES = {
    "mp.weixin.qq.com": "WeChat",
    "zhuanlan.zhihu.com": "Zhihu",
    "zhihu.com": "Zhihu",
    "github.com": "GitHub",
    "gitlab.com": "GitLab",
    "huggingface.co": "Hugging Face",
    "medium.com": "Medium",
    "arxiv.org": "arXiv",
    "aclanthology.org": "ACL Anthology",
    "aclweb.org": "ACL Anthology",
    "openreview.net": "OpenReview",
    "youtube.com": "YouTube",
    "ctolib.com": "CTOLib",
    "blog.rasa.com": "Rasa Blog",
    "pragnakalp.com": "Pragnakalp Techlabs",
}


def site_name(url: str) -> str:
    host = url_host(url)
    if host in _SITES:
        return _SITES[host]
    for h, name in _SITES.items():
        if host.endswith("." + h):
            return name
    return host


@lru_cache(maxsize=1 << 12)
def host_in(host: str, hosts: Tuple[str, ...]) -> bool:
    """Whether ``host`` is one of ``hosts`` or below one (``www.aaai.org`` is under
    ``aaai.org``).  Pure, so memoised: hosts repeat across a file's links."""
    return any(host == h or host.endswith("." + h) for h in hosts)


_SLIDES_PATH = re.compile(r"slides?|/talks?/|seminar|\.pptx?$")


def link_kind(url: str, label: str = "") -> str:
    """What a link points at: paper, pdf, slides, code, blog, qa, video, project or webpage."""
    host = url_host(url)
    path = url.lower()
    ids = extract_ids(url)
    if _SLIDES_PATH.search(path) and not ids:
        return "slides"
    if ids:
        return "pdf" if path.endswith(".pdf") or "/pdf/" in path else "paper"
    for rx, kind in _LABEL_KINDS:
        if label and rx.search(label):
            if kind == "pdf" and not path.endswith(".pdf"):
                return "paper"
            return kind
    if host_in(host, _CODE_HOSTS):
        return "code"
    if host.endswith("zhihu.com") and "/question/" in path:
        return "qa"
    if host_in(host, _QA_HOSTS):
        return "qa"
    if host_in(host, _BLOG_HOSTS) or host.startswith("blog.") or "/blog" in path:
        return "blog"
    if host in ("youtube.com", "youtu.be", "bilibili.com", "vimeo.com"):
        return "video"
    if path.endswith(".pdf"):
        return "pdf"
    return "webpage"

