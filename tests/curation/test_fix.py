"""``plm-bib fix``'s core: the verified corrections written into a list in its own notation,
every other byte kept.  Expected lines are written by hand from the list's text and the
verified facts in plm_bib/data/curated.bib (cui2020revisiting: Findings of EMNLP 2020;
liu2019roberta: an arXiv preprint of 2019; clark2020electra: ICLR 2020, OpenReview
r1xMH1BtvB; houlsby2019parameter: ICML 2019, PMLR v97/houlsby19a; gururangan2020dont: ACL
2020, 2020.acl-main.740; ...)."""
from __future__ import annotations

import codecs

import pytest

from plm_bib.curation.fix import fix_bytes, fix_markdown, split_lines
from plm_bib.readers import builtin_list_bytes
from plm_bib.readinglist.claims import claim_parts, claim_words, parse_claim
from plm_bib.textio import decode_exact

ROBERTA = "RoBERTa: A Robustly Optimized BERT Pretraining Approach"
CUI = "Revisiting Pre-Trained Models for Chinese Natural Language Processing"
ELECTRA = "ELECTRA: Pre-training Text Encoders as Discriminators Rather Than Generators"
HOULSBY = "Parameter-Efficient Transfer Learning for NLP"
DONT = "Don’t Stop Pretraining: Adapt Language Models to Domains and Tasks"
SPELL = "Spelling Error Correction with Soft-Masked BERT"
SBERT = "Sentence-BERT: Sentence Embeddings using Siamese BERT-Networks"


def changed(old: str, new: str) -> dict:
    """{line number: (old line, new line)} for the lines that differ (the line count is kept)."""
    a, b = split_lines(old), split_lines(new)
    assert len(a) == len(b)
    return {i + 1: (x, y) for i, (x, y) in enumerate(zip(a, b)) if x != y}


# ------------------------------------------------------------------ the built-in list
BUILTIN_EDITS = {
    15: ("1. Revisiting Pre-Trained Models for Chinese Natural Language Processing，**EMNLP 2020** "
         "(https://www.aclweb.org/anthology/2020.findings-emnlp.58.pdf)\n",
         "1. Revisiting Pre-Trained Models for Chinese Natural Language Processing，**Findings of EMNLP 2020** "
         "(https://www.aclweb.org/anthology/2020.findings-emnlp.58.pdf)\n"),
    23: ("1. RoBERTa: A Robustly Optimized BERT Pretraining Approach，**EMNLP 2020**"
         "（https://arxiv.org/pdf/1907.11692.pdf）鲁棒性优化\n",
         "1. RoBERTa: A Robustly Optimized BERT Pretraining Approach，**arXiv 2019**"
         "（https://arxiv.org/pdf/1907.11692.pdf）鲁棒性优化\n"),
    # the list writes its claims "title，**VENUE YEAR**": so the missing venue
    27: ("5. ELECTRA: Pre-training Text Encoders as Discriminators Rather Than Generators"
         "(https://arxiv.org/pdf/2003.10555.pdf)\n",
         "5. ELECTRA: Pre-training Text Encoders as Discriminators Rather Than Generators，**ICLR 2020**"
         "(https://arxiv.org/pdf/2003.10555.pdf)\n"),
    # BERTweet is in the EMNLP 2020 System Demonstrations volume (2020.emnlp-demos.2): the track
    # is written as the qualifier the claim scanner reads
    43: ("3. BERTweet: A pre-trained language model for English Tweets，**EMNLP 2020**"
         "（https://arxiv.org/pdf/2005.10200.pdf）Tweet\n",
         "3. BERTweet: A pre-trained language model for English Tweets，**EMNLP 2020 Demos**"
         "（https://arxiv.org/pdf/2005.10200.pdf）Tweet\n"),
}


def test_builtin_list_diff_is_exactly_the_verified_corrections():
    data = builtin_list_bytes()
    out, fixed = fix_bytes(data, "reading-list.md")
    old, new = data.decode("utf-8"), out.decode("utf-8")
    assert changed(old, new) == BUILTIN_EDITS
    assert [(e.line, e.old, e.new) for e in fixed.edits] == [
        (15, "**EMNLP 2020**", "**Findings of EMNLP 2020**"),
        (23, "**EMNLP 2020**", "**arXiv 2019**"),
        (27, "", "，**ICLR 2020**"),
        (43, "**EMNLP 2020**", "**EMNLP 2020 Demos**"),
    ]
    # every other byte: the input's lines with the four replaced, and nothing else
    assert out == "".join(BUILTIN_EDITS[i][1] if i in BUILTIN_EDITS else line
                          for i, line in enumerate(split_lines(old), 1)).encode("utf-8")
    grown = (len(b"Findings of ") + len(b"arXiv 2019") - len(b"EMNLP 2020") + len("，**ICLR 2020**".encode())
             + len(b" Demos"))
    assert out.endswith(b"(https://www.zhihu.com/question/439243827)\n\n") and len(out) == len(data) + grown
    left = {(x.line, x.kind) for x in fixed.left}
    # the duplicates (lines 8, 97, 98) are reported, not deleted; E-BERT's listed title is kept
    assert left == {(8, "duplicate"), (97, "duplicate"), (98, "duplicate"), (42, "title")}


def test_builtin_list_upgrade_links_adds_the_published_version_beside_arxiv():
    data = builtin_list_bytes()
    out, fixed = fix_bytes(data, "reading-list.md", upgrade_links=True)
    diff = changed(data.decode("utf-8"), out.decode("utf-8"))
    # the arXiv link is written "（url）": the published one follows it in the same brackets
    assert diff[17][1] == ("2. Don’t Stop Pretraining: Adapt Language Models to Domains and Tasks，**ACL2020**"
                           "（https://arxiv.org/pdf/2004.10964.pdf）（https://aclanthology.org/2020.acl-main.740）\n")
    assert diff[26][1] == ("4. Parameter-Efficient Transfer Learning for NLP，**ICML2019**  "
                           "（https://arxiv.org/pdf/1902.00751.pdf）（https://proceedings.mlr.press/v97/houlsby19a.html）"
                           "参数训练优化\n")
    assert diff[27][1] == ("5. ELECTRA: Pre-training Text Encoders as Discriminators Rather Than Generators，"
                           "**ICLR 2020**(https://arxiv.org/pdf/2003.10555.pdf) (https://openreview.net/forum?id=r1xMH1BtvB)\n")
    assert "（https://doi.org/10.1145/3394486.3403149）NER" in diff[33][1]
    assert "（https://aclanthology.org/2020.acl-main.82）文本纠错" in diff[41][1]
    assert "（https://aclanthology.org/2020.emnlp-demos.2）Tweet" in diff[43][1]
    # 15, 24, 25 link the ACL Anthology already; RoBERTa (23) and E-BERT (42) were never published;
    # 35 has no arXiv link
    assert set(diff) == {15, 17, 23, 26, 27, 33, 41, 43}
    assert sum(e.kind == "link" for e in fixed.edits) == 6


def test_fixing_the_fixed_list_changes_nothing():
    out, _ = fix_bytes(builtin_list_bytes(), "reading-list.md", upgrade_links=True)
    again, fixed = fix_bytes(out, "reading-list.md", upgrade_links=True)
    assert again == out and not fixed.edits


# ------------------------------------------------------------------ notations
@pytest.mark.parametrize("line, expected", [
    (f"- {ROBERTA}, **EMNLP 2020**\n", f"- {ROBERTA}, **arXiv 2019**\n"),
    (f"- [{CUI}](https://arxiv.org/abs/2004.13922) [EMNLP 2020]\n",
     f"- [{CUI}](https://arxiv.org/abs/2004.13922) [Findings of EMNLP 2020]\n"),
    (f"- {DONT}. ACL2019. [paper](https://arxiv.org/abs/2004.10964)\n",
     f"- {DONT}. ACL2020. [paper](https://arxiv.org/abs/2004.10964)\n"),
    (f"- **{HOULSBY}** (ICML 2018) [[pdf]](https://arxiv.org/abs/1902.00751)\n",
     f"- **{HOULSBY}** (ICML 2019) [[pdf]](https://arxiv.org/abs/1902.00751)\n"),
    (f"- {HOULSBY} (ICML-2018)\n", f"- {HOULSBY} (ICML-2019)\n"),
    (f"- {CUI}（EMNLP 2020）\n", f"- {CUI}（Findings of EMNLP 2020）\n"),
    # full-width letters and digits stay full-width
    (f"- [{HOULSBY}](https://arxiv.org/abs/1902.00751) （ＩＣＭＬ ２０１８）\n",
     f"- [{HOULSBY}](https://arxiv.org/abs/1902.00751) （ＩＣＭＬ ２０１９）\n"),
    (f"| Title | Venue |\n|---|---|\n| {ROBERTA} | EMNLP 2020 |\n",
     f"| Title | Venue |\n|---|---|\n| {ROBERTA} | arXiv 2019 |\n"),
])
def test_a_claim_is_rewritten_in_its_own_notation(line, expected):
    assert fix_markdown(line).text == expected


def test_a_missing_venue_takes_the_notation_most_claims_of_the_list_use():
    before = (f"- [ACL 2020] [{SPELL}](https://arxiv.org/abs/2005.07421)\n"
              f"- [EMNLP 2019] [{SBERT}](https://arxiv.org/abs/1908.10084)\n"
              f"- [{ELECTRA}](https://arxiv.org/abs/2003.10555)\n")
    assert changed(before, fix_markdown(before).text) == {
        3: (f"- [{ELECTRA}](https://arxiv.org/abs/2003.10555)\n",
            f"- [ICLR 2020] [{ELECTRA}](https://arxiv.org/abs/2003.10555)\n")}
    after = (f"- [{SPELL}](https://arxiv.org/abs/2005.07421), ACL 2020\n"
             f"- [{SBERT}](https://arxiv.org/abs/1908.10084), EMNLP 2019\n"
             f"- [{ELECTRA}](https://arxiv.org/abs/2003.10555)\n")
    assert split_lines(fix_markdown(after).text)[2] == f"- [{ELECTRA}](https://arxiv.org/abs/2003.10555), ICLR 2020\n"


def test_a_list_without_claims_gets_a_plain_parenthesised_venue_after_the_title():
    text = f"- {ELECTRA} https://arxiv.org/abs/2003.10555\n"
    assert fix_markdown(text).text == f"- {ELECTRA} (ICLR 2020) https://arxiv.org/abs/2003.10555\n"


def test_crlf_bom_and_no_final_newline_keep_their_bytes():
    text = f"# Papers\r\n\r\n- {ROBERTA}, **EMNLP 2020**\r\n- {CUI} (EMNLP 2020)"
    data = codecs.BOM_UTF8 + text.encode("utf-8")
    out, fixed = fix_bytes(data, "x.md")
    assert out == codecs.BOM_UTF8 + (f"# Papers\r\n\r\n- {ROBERTA}, **arXiv 2019**\r\n"
                                     f"- {CUI} (Findings of EMNLP 2020)").encode("utf-8")
    assert [e.line for e in fixed.edits] == [3, 4]
    # a lone CR and UTF-16 with its mark come back as they were too
    data16 = codecs.BOM_UTF16_LE + f"- {ROBERTA}, **EMNLP 2020**\r- note\r".encode("utf-16-le")
    out16, _ = fix_bytes(data16, "y.md")
    assert out16 == codecs.BOM_UTF16_LE + f"- {ROBERTA}, **arXiv 2019**\r- note\r".encode("utf-16-le")


def test_a_legacy_encoding_is_written_back_in_it():
    text = f"# 论文\n\n- {ROBERTA}，**EMNLP 2020**（预训练）\n"
    out, fixed = fix_bytes(text.encode("gb18030"), "gb.md")
    assert out == f"# 论文\n\n- {ROBERTA}，**arXiv 2019**（预训练）\n".encode("gb18030")


def test_html_and_a_very_long_line_keep_their_bytes():
    long_note = "x" * 100_000
    text = ("<details><summary>Papers</summary>\n\n"
            f"- {ROBERTA}, **EMNLP 2020** <img src=\"a.png\" onerror=\"alert(1)\"/>\n"
            f"- A note {long_note}\n"
            f"- {DONT} <b>ACL 2019</b> https://arxiv.org/abs/2004.10964\n"
            "</details>\n")
    fixed = fix_markdown(text)
    assert changed(text, fixed.text) == {
        3: (f"- {ROBERTA}, **EMNLP 2020** <img src=\"a.png\" onerror=\"alert(1)\"/>\n",
            f"- {ROBERTA}, **arXiv 2019** <img src=\"a.png\" onerror=\"alert(1)\"/>\n")}
    # the HTML claim reads as "**ACL 2019**": not written so on its line, so it is not edited
    assert [(x.line, x.kind) for x in fixed.left if x.kind == "not-located"] == [(5, "not-located")]


def test_a_date_is_not_given_a_verified_year_with_its_old_month():
    # BERT: NAACL 2019; a list may date it by its arXiv version (2018.10): a month of its own
    bert = "[BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding]" \
           "(https://arxiv.org/abs/1810.04805)"
    dated = f"| Date | Title |\n|---|---|\n| 2018.10 | {bert} |\n"
    fixed = fix_markdown(dated)
    # the venue, missing (no claim to learn from: after the title's link, in parentheses), is added
    assert fixed.text == f"| Date | Title |\n|---|---|\n| 2018.10 | {bert} (NAACL 2019) |\n"
    assert (3, "notation") in {(x.line, x.kind) for x in fixed.left}
    year = f"| Year | Title |\n|---|---|\n| 2018 | {bert} |\n"
    assert fix_markdown(year).text == f"| Year | Title |\n|---|---|\n| 2019 | {bert} (NAACL 2019) |\n"


def test_a_claim_not_on_its_line_exactly_once_is_reported_and_not_edited():
    text = f"- {ROBERTA}, **EMNLP 2020** (see also **EMNLP 2020**)\n"
    fixed = fix_markdown(text)
    assert fixed.text == text and not fixed.edits
    assert [x.kind for x in fixed.left] == ["not-located", "not-located"]
    assert "'**EMNLP 2020**' is not on its line exactly once" in fixed.left[0].message


def test_unverified_claims_heading_claims_and_duplicates_are_left():
    text = ("## EMNLP 2020\n\n"
            f"- {CUI}\n"
            "- A Paper Nobody Verified About Things, **ACL 2019**\n"
            f"- {ROBERTA}, **EMNLP 2020**\n"
            f"- {ROBERTA}, **EMNLP 2020**\n")
    fixed = fix_markdown(text)
    # both RoBERTa lines carry the wrong claim: each is corrected; neither is deleted
    assert changed(text, fixed.text) == {5: (f"- {ROBERTA}, **EMNLP 2020**\n", f"- {ROBERTA}, **arXiv 2019**\n"),
                                         6: (f"- {ROBERTA}, **EMNLP 2020**\n", f"- {ROBERTA}, **arXiv 2019**\n")}
    kinds = {(x.line, x.kind) for x in fixed.left}
    assert (1, "heading") in kinds and (4, "unverified") in kinds and (6, "duplicate") in kinds


def test_a_venue_the_parser_does_not_take_for_a_claim_is_not_added_twice():
    text = f"- {CUI} `EMNLP 2020`\n"
    fixed = fix_markdown(text)
    assert fixed.text == text and [x.kind for x in fixed.left] == ["not-located"]


def test_an_upgraded_link_keeps_the_markdown_link_notation():
    text = (f"- [{SPELL}](https://arxiv.org/abs/2005.07421) (ACL2020)\n"
            f"- **{DONT}**. ACL 2020. [[pdf](https://arxiv.org/pdf/2004.10964.pdf)] [[code](https://github.com/x/y)]\n"
            f"- [{SBERT}](https://arxiv.org/abs/1908.10084) [ACL](https://aclanthology.org/D19-1410/) (EMNLP2019)\n")
    fixed = fix_markdown(text, upgrade_links=True)
    assert changed(text, fixed.text) == {
        1: (split_lines(text)[0],
            f"- [{SPELL}](https://arxiv.org/abs/2005.07421) [ACL Anthology](https://aclanthology.org/2020.acl-main.82)"
            " (ACL2020)\n"),
        2: (split_lines(text)[1],
            f"- **{DONT}**. ACL 2020. [[pdf](https://arxiv.org/pdf/2004.10964.pdf)] "
            "[[ACL Anthology](https://aclanthology.org/2020.acl-main.740)] [[code](https://github.com/x/y)]\n")}
    assert fix_markdown(text).text == text  # without the flag, links stay as they are


# ------------------------------------------------------------------ the notation, both ways
def test_claim_parts_cut_a_claim_at_its_words():
    p = claim_parts("**ACL 2020 **")
    assert (p.before, p.venue, p.sep, p.year, p.qual, p.after) == ("**", "ACL", " ", "2020", "", " **")
    p = claim_parts("(EMNLP2020 Findings)")
    assert (p.before, p.venue, p.sep, p.year, p.qual, p.after) == ("(", "EMNLP", "", "2020", " Findings", ")")
    p = claim_parts("EMNLP(2020)")
    assert (p.venue, p.sep, p.year, p.after) == ("EMNLP", "(", "2020", ")")
    assert claim_parts("no claim here") is None


@pytest.mark.parametrize("track", [None, "workshop", "srw", "demos", "industry", "short"])
def test_claim_words_read_back_as_the_same_claim(track):
    for sep in (" ", ""):
        words = claim_words("ACL", 2020, track, sep)
        c = parse_claim(words)
        assert c is not None and (c.venue, c.year, c.track) == ("ACL", 2020, track), words
    c = parse_claim(claim_words("Findings of EMNLP", 2020, None, " ", "emnlp"))
    assert c is not None and c.venue == "Findings of EMNLP"
    assert claim_words("Findings of EMNLP", 2020, None, " ", "emnlp") == "findings of emnlp 2020"


def test_decode_exact_gives_the_bytes_back():
    for data in (b"a\r\nb\rc\n", codecs.BOM_UTF8 + b"x\n", "é\n".encode("cp1252"), b""):
        text, codec, bom = decode_exact(data)
        assert bom + text.encode(codec) == data
