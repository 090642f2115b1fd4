import json

import jsonschema
import pytest
from click.testing import CliRunner

from plm_bib.cli import main


@pytest.fixture(scope="module")
def csl(builtin):
    return json.loads(builtin.to_csl_json())


def test_valid_against_official_schema(shared_data, csl):
    schema = json.loads((shared_data / "csl" / "schema" / "csl-data.json").read_text(encoding="utf-8"))
    jsonschema.validate(csl, schema)


def test_types_names_dates(csl):
    by = {i["id"]: i for i in csl}
    assert by["devlin2019bert"]["type"] == "paper-conference"
    assert by["devlin2019bert"]["author"][0] == {"family": "Devlin", "given": "Jacob"}
    assert by["devlin2019bert"]["issued"] == {"date-parts": [[2019, 6]]}
    assert by["devlin2019bert"]["page"] == "4171–4186"
    assert by["devlin2019bert"]["event-title"] == "NAACL-HLT 2019"
    rob = by["liu2019roberta"]
    assert rob["type"] == "article" and rob["publisher"] == "arXiv" and rob["number"] == "arXiv:1907.11692"
    blog = by["weixin_yiwenliaojie"]
    assert blog["type"] == "post-weblog" and blog["language"] == "zh-CN" and blog["URL"].startswith("https://mp.")


def test_cli_csl_json_from_suffix(tmp_path):
    out = tmp_path / "refs.csl.json"
    assert CliRunner().invoke(main, ["export", "-o", str(out)]).exit_code == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 32


def test_title_case_leaves_no_space_inside_tokens_with_mixed_case():
    # citeproc-py's title case put spaces around a protected word inside a token: "( CoNLL)"
    import plm_bib
    from plm_bib.model import Person, Record

    r = Record(key="k", title="A Study (of RoBERTa)", entry_type="inproceedings", year=2019, pages="1--2",
               booktitle="Proceedings of Natural Language Learning (CoNLL) with x-RoBERTa",
               authors=(Person("Doe", "Jane"),))
    for style in ("apa", "chicago"):
        text = plm_bib.Library([r]).format(style, "text")
        assert "(CoNLL) with x-RoBERTa" in text and "( CoNLL" not in text, text
