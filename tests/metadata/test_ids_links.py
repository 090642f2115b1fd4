"""Identifiers read from URLs and ids (arXiv, ACL Anthology, DOI, OpenReview, PMLR) and the
links found in a line."""
import pytest

from plm_bib.metadata.ids import acl_venue, arxiv_year, extract_ids
from plm_bib.metadata.links import find_links


@pytest.mark.parametrize("url,expected", [
    ("https://arxiv.org/pdf/1907.11692.pdf", {"arxiv": "1907.11692"}),
    ("https://arxiv.org/abs/1907.11692v3", {"arxiv": "1907.11692"}),
    ("http://arxiv.org/abs/hep-th/9901001", {"arxiv": "hep-th/9901001"}),
    ("https://aclanthology.org/N19-1423/", {"acl": "N19-1423"}),
    ("https://www.aclweb.org/anthology/2020.findings-emnlp.58.pdf", {"acl": "2020.findings-emnlp.58"}),
    ("https://www.aclweb.org/anthology/P/P18/P18-1031.pdf", {"acl": "P18-1031"}),
    ("https://doi.org/10.1145/3394486.3403149", {"doi": "10.1145/3394486.3403149"}),
    ("https://dl.acm.org/doi/abs/10.1145/3394486.3403149", {"doi": "10.1145/3394486.3403149"}),
    ("https://openreview.net/forum?id=r1xMH1BtvB", {"openreview": "r1xMH1BtvB"}),
    ("http://proceedings.mlr.press/v97/houlsby19a.html", {"pmlr": "v97/houlsby19a"}),
    ("https://mp.weixin.qq.com/s/cFk1h1HCE5TqiLZ7UYF15A", {}),
])
def test_ids_from_urls(url, expected):
    assert extract_ids(url) == expected


@pytest.mark.parametrize("acl_id,expected", [
    ("N19-1423", ("NAACL", 2019, None)),
    ("D19-1410", ("EMNLP", 2019, None)),
    ("P18-1031", ("ACL", 2018, None)),
    ("2020.findings-emnlp.58", ("Findings of EMNLP", 2020, None)),
    ("2020.emnlp-demos.2", ("EMNLP", 2020, "demos")),
    ("2020.acl-main.703", ("ACL", 2020, None)),
    ("2021.naacl-main.208", ("NAACL", 2021, None)),
])
def test_acl_venue(acl_id, expected):
    assert acl_venue(acl_id) == expected


def test_arxiv_year():
    assert arxiv_year("1907.11692") == 2019
    assert arxiv_year("hep-th/9901001") == 1999


@pytest.mark.parametrize("text,urls", [
    ("T（https://a.org/x）", ["https://a.org/x"]),
    ("T （https://arxiv.org/pdf/2009.02835.pdf) note", ["https://arxiv.org/pdf/2009.02835.pdf"]),
    ("[[pdf](https://a.org/p.pdf)] [[code](https://github.com/x/y)]", ["https://a.org/p.pdf", "https://github.com/x/y"]),
    ("see https://en.wikipedia.org/wiki/BERT_(language_model) now", ["https://en.wikipedia.org/wiki/BERT_(language_model)"]),
    ("BERT for Keyphrase Extraction (Pytorch)（https://github.com/thunlp/BERT-KPE）", ["https://github.com/thunlp/BERT-KPE"]),
])
def test_links(text, urls):
    _, found = find_links(text)
    assert [f.url for f in found] == urls
