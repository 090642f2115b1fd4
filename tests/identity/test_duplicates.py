"""Duplicates in one .bib (plm_bib.curation.duplicates, issue 18): the same work under two
keys found by the same-work rule, reported with both keys and lines, merged with ids."""
import os
import shutil
import subprocess

import pytest

from plm_bib.cli import run
from plm_bib.curation.duplicates import find_duplicates, kept_index, merge_duplicates, merged_text
from plm_bib.readers import parse_bibtex_text

BIB = r"""@inproceedings{devlin2019bert,
  title = {{BERT}: Pre-training of Deep Bidirectional Transformers for Language Understanding},
  author = {Devlin, Jacob and Chang, Ming-Wei and Lee, Kenton and Toutanova, Kristina},
  booktitle = {Proceedings of NAACL-HLT},
  year = {2019},
  pages = {4171--4186},
  doi = {10.18653/v1/N19-1423}
}

@article{devlin_arxiv,
  title = {{BERT}: pre-training of deep bidirectional transformers},
  author = {Devlin, J. and Chang, M.},
  journal = {CoRR},
  year = {2018},
  eprint = {1810.04805},
  archiveprefix = {arXiv}
}

@inproceedings{bert_naacl,
  title = {BERT: Pre-Training of Deep Bidirectional Transformers for Language Understanding},
  author = {Devlin, Jacob and Chang, Ming-Wei},
  booktitle = {NAACL},
  year = {2019}
}

@misc{bert-preprint,
  title = {BERT: Pre-training of Deep Bidirectional Transformers},
  author = {Devlin, Jacob},
  howpublished = {arXiv:1810.04805},
  eprint = {1810.04805},
  archiveprefix = {arXiv},
  year = {2018}
}

@inproceedings{roberta,
  title = {Something Else},
  author = {Smith, John and Doe, Jane},
  booktitle = {ACL},
  year = {2020},
  url = {https://aclanthology.org/2020.acl-main.1}
}

@article{roberta_acl,
  title = {A Different Title Altogether},
  author = {Smith, J.},
  journal = {J},
  year = {2020},
  url = {https://aclanthology.org/2020.acl-main.1/}
}

@article{ext2021,
  title = {Something Else},
  author = {Smith, John and Doe, Jane},
  journal = {Journal of Things},
  year = {2021}
}

@article{other_people,
  title = {Something Else},
  author = {Brown, Ann and White, Bob},
  booktitle = {ACL},
  year = {2020}
}
"""


def _line(key):
    """The line of the entry ``key`` in BIB."""
    return next(n for n, text in enumerate(BIB.splitlines(), 1) if text.endswith("{" + key + ","))


def _lib():
    return parse_bibtex_text(BIB, "refs.bib")


def test_found_by_id_and_by_title_with_authors_and_year():
    recs = list(_lib())
    groups = find_duplicates(recs)
    keys = [[recs[i].key for i in g.indexes] for g in groups]
    # the arXiv id joins the two preprints; the title, two authors and the year the NAACL
    # entries; an ACL id (from the link) the two ACL entries despite their titles
    assert keys == [["devlin2019bert", "bert_naacl"], ["devlin_arxiv", "bert-preprint"], ["roberta", "roberta_acl"]]
    reasons = [g.reasons for g in groups]
    assert reasons == [("same title, authors and year",), ("same arxiv id",), ("same acl id",)]
    # not duplicates: the same title and authors another year (ext2021), other authors
    assert not any(recs[i].key in ("ext2021", "other_people") for g in groups for i in g.indexes)


def test_entries_that_contradict_each_other_are_not_one_work():
    # what real files hold: an arXiv id or a book's DOI copied into other entries, a column
    # of a journal under one title in each issue
    bib = r"""@article{a, title = {Columns}, author = {Beeton, Barbara}, journal = {TUGboat}, year = {1981},
  number = {2}, pages = {1--2}}
@article{b, title = {Columns}, author = {Beeton, Barbara}, journal = {TUGboat}, year = {1981},
  number = {3}, pages = {1--2}}
@article{c, title = {One Paper}, author = {Choi, J.}, doi = {10.1/one}, eprint = {1011.1669}, archiveprefix = {arXiv}}
@article{d, title = {Another Paper}, author = {Koma, A.}, doi = {10.1/two}, eprint = {1011.1669},
  archiveprefix = {arXiv}}
@incollection{e, title = {A Chapter}, author = {Reed, R.}, doi = {10.1/book}}
@incollection{f, title = {Another Chapter}, author = {Schwarzer, R.}, doi = {10.1/book}}
@article{g, title = {The Ga-Si System}, author = {Olesinski, R. W.}, year = {1985}, pages = {362--364}}
@article{h, title = {The {Ga}- Si System}, author = {Olesinski, RW}, year = {1985}, pages = {362--364}}
"""
    recs = list(parse_bibtex_text(bib, "x.bib"))
    assert [[recs[i].key for i in g.indexes] for g in find_duplicates(recs)] == [["g", "h"]]


def test_merge_keeps_the_most_complete_entry_and_records_the_other_keys():
    recs = list(_lib())
    groups = find_duplicates(recs)
    assert [recs[kept_index(recs, g)].key for g in groups] == ["devlin2019bert", "devlin_arxiv", "roberta"]
    merged, aliases = merge_duplicates(recs, groups)
    assert [r.key for r in merged] == ["devlin2019bert", "devlin_arxiv", "roberta", "ext2021", "other_people"]
    assert aliases == [("bert_naacl", "devlin2019bert"), ("bert-preprint", "devlin_arxiv"),
                       ("roberta_acl", "roberta")]
    assert merged[0].extra["ids"] == "bert_naacl" and merged[1].extra["ids"] == "bert-preprint"
    # the kept entry is otherwise as read
    assert merged[0].replace(extra={}, latex={}) == recs[0].replace(extra={}, latex={})
    text = _lib().with_records(merged, problems=[]).to_bibtex()
    assert "  ids = {bert-preprint}\n" in text  # written as the key is (no "-{}" of the text escape)


def test_an_entry_that_already_has_ids_keeps_them():
    bib = BIB.replace("  pages = {4171--4186},", "  ids = {bert, bertpaper},\n  pages = {4171--4186},")
    recs = list(parse_bibtex_text(bib, "refs.bib"))
    merged, _ = merge_duplicates(recs, find_duplicates(recs))
    assert merged[0].extra["ids"] == "bert, bertpaper, bert_naacl"


def test_cli_reports_both_keys_and_lines_and_merges(tmp_path, capsys):
    bib = tmp_path / "refs.bib"
    bib.write_text(BIB, encoding="utf-8")
    assert run(["duplicates", str(bib)]) == 0
    out = capsys.readouterr().out.splitlines()
    line = {k: _line(k) for k in ("bert_naacl", "devlin2019bert", "bert-preprint", "devlin_arxiv", "roberta_acl",
                                  "roberta")}
    assert line["devlin2019bert"] == 1 and line["bert_naacl"] == 19
    assert out == [
        f"{bib}:{line['bert_naacl']}: bert_naacl is the same work as devlin2019bert (line 1): same title, "
        "authors and year",
        f"{bib}:{line['bert-preprint']}: bert-preprint is the same work as devlin_arxiv (line {line['devlin_arxiv']}): "
        "same arxiv id",
        f"{bib}:{line['roberta_acl']}: roberta_acl is the same work as roberta (line {line['roberta']}): same acl id"]
    assert run(["duplicates", str(bib), "--strict"]) == 1
    merged = tmp_path / "merged.bib"
    assert run(["duplicates", str(bib), "--merge", "-o", str(merged)]) == 0
    out = capsys.readouterr().out
    assert "bert_naacl -> devlin2019bert\nbert-preprint -> devlin_arxiv\nroberta_acl -> roberta\n" in out
    text = merged.read_text(encoding="utf-8")
    assert text.count("@") == 5 and "ids = {bert_naacl}" in text
    # the merged file has no duplicates left; the input is not overwritten without --in-place
    assert run(["duplicates", str(merged), "--strict"]) == 0
    assert run(["duplicates", str(bib), "--merge", "-o", str(bib)]) == 2
    assert bib.read_text(encoding="utf-8") == BIB
    assert run(["duplicates", str(bib), "-o", str(merged)]) == 2  # -o without --merge


def test_the_merge_edits_the_files_text_and_keeps_everything_else():
    head = "% my notes\n@string{naacl = {NAACL}}\n@comment{jabref-meta: databaseType:bibtex;}\n\n"
    bib = head + BIB.replace("  pages = {4171--4186},", '  ids = "bert",\n  pages = {4171--4186},')
    recs = list(parse_bibtex_text(bib, "refs.bib"))
    groups = find_duplicates(recs)
    text = merged_text(bib, recs, groups)
    assert text.startswith(head)  # comments, @string, @comment as they were
    assert '  ids = "bert, bert_naacl",\n' in text  # the entry's own ids field, extended
    assert "  url = {https://aclanthology.org/2020.acl-main.1},\n  ids = {roberta_acl}\n}" in text  # a new one
    # each dropped entry is cut with its blank line; every other entry is byte for byte
    for key in ("bert_naacl", "bert-preprint", "roberta_acl"):
        assert "{" + key + "," not in text
    for key in ("ext2021", "other_people"):
        block = bib[bib.index("{" + key + ","):]
        block = block[:block.index("\n}\n") + 3]
        assert block in text
    again = list(parse_bibtex_text(text, "merged.bib"))
    assert [r.key for r in again] == [r.key for r in merge_duplicates(recs, groups)[0]]
    assert find_duplicates(again) == [] and again[0].extra["ids"] == "bert, bert_naacl"
    # an entry that is not where its line says: no edit (the caller writes the records)
    assert merged_text(bib.replace("@inproceedings{bert_naacl", "%inproceedings{bert_naacl"), recs, groups) is None


def _tex_tools():
    if not (shutil.which("pdflatex") and shutil.which("biber")):
        if os.environ.get("CI"):
            pytest.fail("pdflatex/biber missing: .ci/run installs them")
        pytest.skip("pdflatex/biber missing")


def test_biber_resolves_a_cite_of_the_dropped_key_through_ids(tmp_path):
    _tex_tools()
    recs = list(_lib())
    (tmp_path / "refs.bib").write_text(merged_text(BIB, recs, find_duplicates(recs)), encoding="utf-8")
    (tmp_path / "paper.tex").write_text(
        "\\documentclass{article}\n\\usepackage[backend=biber]{biblatex}\n\\addbibresource{refs.bib}\n"
        "\\begin{document}\nOld keys \\cite{bert_naacl}, \\cite{bert-preprint} and the kept one "
        "\\cite{devlin2019bert}.\n\\printbibliography\n\\end{document}\n", encoding="utf-8")

    def sh(*cmd):
        p = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
        return p.stdout

    sh("pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "paper.tex")
    biber = sh("biber", "paper")
    for _ in range(2):  # biblatex asks for one more run once the aliases are known
        sh("pdflatex", "-no-shell-escape", "-interaction=nonstopmode", "paper.tex")
    log = (tmp_path / "paper.log").read_text(encoding="utf-8", errors="replace")
    assert "undefined" not in log.lower() and "rerun" not in log.lower() and "WARN" not in biber
    bbl = (tmp_path / "paper.bbl").read_text(encoding="utf-8")
    # both cited works in the bibliography, under the kept keys only
    assert "\\entry{devlin2019bert}" in bbl and "\\entry{devlin_arxiv}" in bbl
    assert "\\entry{bert_naacl}" not in bbl and (tmp_path / "paper.pdf").exists()
