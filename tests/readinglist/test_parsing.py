"""The reading-list grammar on small inputs, and bad input."""
import pytest

import plm_bib
from plm_bib.readinglist.claims import find_claims


@pytest.mark.parametrize("text,venue,year,track", [
    ("**EMNLP 2020**", "EMNLP", 2020, None),
    ("**ACL 2020 **", "ACL", 2020, None),
    ("**ACL2020**", "ACL", 2020, None),
    ("ICML2019", "ICML", 2019, None),
    ("(EMNLP2020)", "EMNLP", 2020, None),
    ("NAACL 2019.", "NAACL", 2019, None),
    ("(EMNLP2020 Findings)", "Findings of EMNLP", 2020, None),
    ("(ACL2020 WS)", "ACL", 2020, "workshop"),
    ("(ACL2020 Demo)", "ACL", 2020, "demos"),
    ("NIPS 2015", "NeurIPS", 2015, None),
    ("(Interspeech2020)", "Interspeech", 2020, None),
    ("Preprint", "arXiv", None, None),
    ("arXiv:2106.07139 2021", "arXiv", 2021, None),
])
def test_claim_forms(text, venue, year, track):
    claims, rest = find_claims(text)
    assert len(claims) == 1
    c = claims[0]
    assert (c.venue, c.year, c.track) == (venue, year, track)
    assert c.raw.strip() in text
    assert not rest.strip(" .")


def test_title_with_parentheses_is_kept_whole():
    lib = plm_bib.parse_markdown("# L\n\n## S\n\n1. BERT for Keyphrase Extraction (Pytorch)（https://github.com/thunlp/BERT-KPE）\n")
    assert lib[0].title == "BERT for Keyphrase Extraction (Pytorch)"


def test_bold_title_item_with_authors_claim_alias():
    text = ("# L\n\n## Papers\n\n5. **Universal Language Model Fine-tuning for Text Classification**. "
            "*Jeremy Howard and Sebastian Ruder*. ACL 2018. [[pdf](https://www.aclweb.org/anthology/P18-1031)] "
            "[[project](http://nlp.fast.ai/category/classification.html)] (**ULMFiT**)\n")
    r = plm_bib.parse_markdown(text)[0]
    assert r.title == "Universal Language Model Fine-tuning for Text Classification"
    assert [(p.given, p.family) for p in r.authors] == [("Jeremy", "Howard"), ("Sebastian", "Ruder")]
    assert (r.claims[0].venue, r.claims[0].year) == ("ACL", 2018)
    assert r.aliases == ("ULMFiT",)
    assert r.ids["acl"] == "P18-1031"
    assert r.key == "howard2018universal"


def test_link_title_item_and_table():
    text = ("# L\n\n## A\n- [Which \\*BERT? A Survey](https://arxiv.org/abs/2010.00854) (EMNLP2020)\n\n"
            "| Title | Year | Venue |\n|---|---|---|\n"
            "| [Some Paper](https://arxiv.org/abs/2001.00001) | 2020 | ACL 2020 |\n")
    lib = plm_bib.parse_markdown(text)
    assert lib[0].title.startswith("Which")
    assert lib[0].claims[0].raw == "(EMNLP2020)"
    assert lib[1].title == "Some Paper"
    assert any(c.venue == "ACL" for c in lib[1].claims)


def test_bad_lines_are_problems_and_parsing_goes_on():
    text = "\n".join([
        "# L", "", "## S", "",
        "1. Good Paper，**ACL 2020**（https://arxiv.org/abs/2001.00001）",
        "2. [Unclosed bracket (https://example.org/a",
        "3.",
        "4. <div>html</div>",
        "5. Another Good One (https://arxiv.org/abs/2001.00002)",
        "| a | b |",
    ])
    lib = plm_bib.parse_markdown(text, "x.md")
    titles = [r.title for r in lib]
    assert "Good Paper" in titles and "Another Good One" in titles
    by_line = {p.line: p for p in lib.problems}
    assert 6 in by_line and "bracket" in by_line[6].message
    assert 7 in by_line and "empty" in by_line[7].message
    # HTML is read (into the same pieces as Markdown); an item whose only text is "html" is kept
    # and reported as read with low confidence
    assert 8 in by_line and "low confidence" in by_line[8].message
    assert any(r.line == 8 for r in lib)
    assert 10 in by_line
    assert all(p.source == "x.md" for p in lib.problems)
    assert str(by_line[7]).startswith("x.md:7:")
    # the unclosed-bracket line is reported and its item kept
    assert any(r.line == 6 for r in lib)


def test_empty_and_junk_input_do_not_crash():
    for text in ["", "\n\n", "####", "- ", "|||", "junk \x01 text ((((", "```\n# not a heading\n```"]:
        lib = plm_bib.parse_markdown(text)
        assert len(lib) == 0


def test_input_error_names_the_file(tmp_path):
    p = tmp_path / "bad.md"
    p.write_bytes(b"# ok\n\x00bad")
    with pytest.raises(plm_bib.InputError) as e:
        plm_bib.read_markdown(p)
    assert "bad.md:2" in str(e.value)


def test_gbk_and_bom_are_read(tmp_path):
    p = tmp_path / "gbk.md"
    p.write_bytes("## 基础\n\n1. 一文了解预训练语言模型（https://mp.weixin.qq.com/s/x）\n".encode("gbk"))
    assert plm_bib.read_markdown(p)[0].title == "一文了解预训练语言模型"
    q = tmp_path / "bom.md"
    q.write_bytes(b"\xef\xbb\xbf# L\r\n## A\r\n\r\n1. T (https://arxiv.org/abs/2001.00001)\r\n")
    lib = plm_bib.read_markdown(q)
    assert lib[0].section == ("A",) and lib[0].line == 4


@pytest.mark.parametrize("claim, venue, track", [
    ("**EMNLP 2020 Demos**", "EMNLP", "demos"),
    ("**EMNLP 2020 Findings**", "Findings of EMNLP", None),
    ("*NAACL 2019 Workshop*", "NAACL", "workshop"),
    ("**ACL 2020 (short)**", "ACL", None),
])
def test_an_emphasised_claim_with_its_track_stays_one_claim(claim, venue, track):
    """The words after the year in an emphasised claim are its track, not the item's title
    (the title used to become "Demos" and the real title a note)."""
    lib = plm_bib.parse_markdown(f"- A Paper About Things, {claim} (https://arxiv.org/abs/2005.10200)\n", "x.md")
    r, = lib
    assert r.title == "A Paper About Things"
    raw = claim if claim.startswith("**") else claim.strip("*")  # an italic claim's raw is its text
    assert [(c.raw, c.venue, c.year, c.track) for c in r.claims] == [(raw, venue, 2020 if "2020" in claim else 2019,
                                                                      track)]
    assert r.notes == ()
