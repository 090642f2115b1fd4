"""CSL-JSON and native JSON input: every variable read comes back, values of the wrong type
are reported and kept aside (never printed mangled), malformed files are one clear error."""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plm_bib import Library
from plm_bib.csl import (
    DATE_VARIABLES,
    EXACT,
    INVALID,
    NAME_VARIABLES,
    NUMBER_VARIABLES,
    STRING_VARIABLES,
    read_csl_item,
    record_to_csl,
    records_to_csl,
)
from plm_bib.model import Person
from plm_bib.readers import parse_csl_json, read, read_bibtex
from plm_bib.textio import InputError

# items that use what the Record fields hold only in part: date ranges, circa, seasons,
# literal and raw dates, number beside issue, particles, suffixes, literal names, numbers
# where strings are usual, ids that are numbers or differ from the citation key
ITEMS = [
    {"id": "range", "type": "article-journal", "title": "Ranges", "container-title": "J",
     "issued": {"date-parts": [[2019, 11, 30], [2020, 2]], "circa": True}, "issue": "3", "number": "TR-7",
     "author": [{"family": "Berg", "given": "Jan", "non-dropping-particle": "van der"},
                {"family": "Beethoven", "given": "Ludwig", "dropping-particle": "van", "suffix": "Jr."},
                {"literal": "The Consortium"},
                {"family": "Frank", "given": "H.", "sequence": "first", "affiliation": [{"name": "Pitt"}]}]},
    {"id": "season", "type": "report", "title": "Seasons", "issued": {"date-parts": [[2020]], "season": 2},
     "issue": 4, "number": 12, "volume": 3, "page": "1-9", "language": "zh", "edition": 2},
    {"id": "lit", "type": "book", "title": "Literal dates", "issued": {"literal": "Spring 2020"},
     "accessed": {"raw": "2024-01-02"}, "event-date": {"date-parts": [["2020", "5", "1"]]},
     "original-date": {"date-parts": [[1850], [1855]]}, "submitted": {"date-parts": [[2001, 2]], "circa": 1},
     "editor": [{"literal": "Anon."}], "translator": [{"family": "Roe", "given": "R", "comma-suffix": True}]},
    {"id": 12, "type": "book", "title": "Numeric id", "archive": "[not json", "foo": "[1]", "bar": 3,
     "exact": "a variable named as the reserved key", "invalid": {"x": 1}, "custom": {"k": [1, 2]}},
    {"id": "x", "citation-key": "other", "type": "chapter", "title": "Key and id differ",
     "issued": {"date-parts": [[0]]}, "categories": ["a", "b"], "page": 7, "container-title": "Book"},
    {"id": "arx", "type": "article", "title": "A preprint", "publisher": "arXiv", "number": "arXiv:2001.00001",
     "issued": {"date-parts": [[2020, 1, 1]]}},
    {"id": "web", "type": "webpage", "title": "A page", "URL": "https://example.org/a", "note": "seen",
     "container-title": "Example", "accessed": {"date-parts": [[2024, 2, 3]]}},
    {"id": "ev", "type": "paper-conference", "title": "A talk", "event-title": "ACL 2020",
     "container-title": "Proceedings", "issued": {"date-parts": [[2020, "7"]]}},
]


def _expected(items, lib):
    out = []
    for item, r in zip(items, lib):
        out.append({**item, "citation-key": item.get("citation-key", r.key)})
    return out


def _differences(a, b):
    return {k: (a.get(k), b.get(k)) for k in set(a) | set(b) if json.dumps(a.get(k)) != json.dumps(b.get(k))}


def test_csl_items_read_and_written_back_keep_every_variable(tmp_path):
    p = tmp_path / "items.json"
    p.write_text(json.dumps(ITEMS, ensure_ascii=False, indent=1), encoding="utf-8")
    lib = read(p)
    assert not lib.problems
    back = json.loads(lib.to_csl_json())
    expected = _expected(ITEMS, lib)
    assert [_differences(e, b) for e, b in zip(expected, back)] == [{}] * len(ITEMS)
    assert json.dumps(back, sort_keys=True) == json.dumps(expected, sort_keys=True)  # types: 3 is not "3"
    # through the native format too
    native = tmp_path / "lib.json"
    native.write_text(lib.to_json(), encoding="utf-8")
    assert json.loads(read(native).to_csl_json()) == back
    # what the record's fields say
    rng = lib["range"]
    assert (rng.year, rng.month, rng.number, rng.extra["csl-number"]) == (2019, 11, "3", "TR-7")
    assert rng.authors[0] == Person("Berg", "Jan", "van der") and rng.authors[1].suffix == "Jr."
    assert rng.authors[2] == Person("The Consortium")
    assert lib["season"].volume == "3" and lib["season"].pages == "1--9" and lib["season"].language == "zh"
    assert lib["12"].title == "Numeric id" and lib["other"].year == 0


def test_exact_values_give_way_to_fields_changed_since():
    r, _ = read_csl_item(ITEMS[0])
    assert record_to_csl(r)["issued"] == ITEMS[0]["issued"]
    changed = r.replace(year=2021, authors=(Person("Lee", "Ann"),))
    item = record_to_csl(changed)
    assert item["issued"] == {"date-parts": [[2021, 11, 30]]}
    assert item["author"] == [{"family": "Lee", "given": "Ann"}]
    assert item["number"] == "TR-7" and item["issue"] == "3"  # unchanged: still exact


def test_number_beside_issue_survives(tmp_path):
    # the defect: CSL -> CSL dropped number when issue was present
    item = {"id": "a", "type": "article-journal", "title": "T", "issue": "2", "number": "e123"}
    back = records_to_csl([read_csl_item(item)[0]])[0]
    assert back["number"] == "e123" and back["issue"] == "2"


def test_real_crossref_csl_roundtrips(shared_data):
    import gzip

    import yaml

    data = yaml.safe_load((shared_data / "http" / "crossref" / "test-content_negotation" /
                           "test_content_negotiation_citeproc_json.yaml").read_text(encoding="utf-8"))
    ok = [i for i in data["interactions"] if i["response"]["status"]["code"] == 200][0]
    body = ok["response"]["body"]["string"]
    item = json.loads(gzip.decompress(body).decode("utf-8") if isinstance(body, bytes) else body)
    lib = parse_csl_json(json.dumps([item]), "crossref.json")
    # Crossref writes lists where the schema has strings: reported, and written back in
    # the item's custom object (the schema's place for them)
    wrong = sorted(k for k, v in item.items() if k in STRING_VARIABLES and isinstance(v, list))
    assert wrong and sorted(p.message.split(": ")[1].split()[0] for p in lib.problems) == wrong
    expected = {k: v for k, v in item.items() if k not in wrong}
    expected["custom"] = {k: item[k] for k in wrong}
    assert "id" not in item  # the key made for it is written as id and citation-key
    assert json.loads(lib.to_csl_json()) == [{**expected, "id": lib[0].key, "citation-key": lib[0].key}]
    assert lib[0].title == item["title"] and lib[0].authors[0].family == "Frank"


def test_shared_corpora_csl_roundtrip_changes_nothing(shared_data):
    """Each shared .bib file written as CSL-JSON, read and written again: every item the same,
    value by value (dates the writer cannot give as date-parts, such as day 35, written raw)."""
    files = sorted((shared_data / "bib").rglob("*.bib"))
    items = variables = changed = 0
    for path in files:
        try:
            recs = list(read_bibtex(path))
        except InputError:
            continue
        if len(recs) > 3000:
            continue
        csl = records_to_csl(recs)
        lib = parse_csl_json(json.dumps(csl, ensure_ascii=False), str(path))
        back = json.loads(lib.to_csl_json())
        assert len(back) == len(csl), path
        items += len(csl)
        variables += sum(len(i) for i in csl)
        changed += sum(1 for a, b in zip(csl, back) if json.dumps(a, sort_keys=True) != json.dumps(b, sort_keys=True))
    assert items > 10_000 and variables > 100_000 and changed == 0, (items, variables, changed)


# -- wrong types ----------------------------------------------------------------------------
WRONG = [
    ("author", [{"family": None, "given": "Ann"}], "None"),
    ("issued", {"date-parts": [[2020, -3]]}, "Sep"),
    ("issued", {"date-parts": [[2020, 13]]}, None),
    ("issued", {"date-parts": [[2020, 5, 32]]}, None),
    ("issued", {"date-parts": "2020"}, None),
    ("issued", {"date-parts": [2020, 5]}, None),
    ("issued", "2020", None),
    ("author", "Ann Lee", None),
    ("author", [None], "None"),
    ("author", [[{"family": "Lee"}]], "[{"),
    ("volume", True, "True"),
    ("volume", [1, 2], "[1, 2]"),
    ("container-title", {"a": 1}, "{'a'"),
    ("page", None, "None"),
    ("categories", "x", None),
    ("issued", {"literal": 2020}, None),
]


@pytest.mark.parametrize("var,value,mangled", WRONG)
def test_wrong_typed_values_are_reported_and_kept_aside(tmp_path, var, value, mangled):
    item = {"id": "k1", "type": "article-journal", "title": "Good Title", "container-title": "J",
            "issued": {"date-parts": [[2001]]}, "author": [{"family": "Roe", "given": "R"}], var: value}
    p = tmp_path / "w.json"
    p.write_text(json.dumps([{"id": "ok", "type": "book", "title": "Fine"}, item]), encoding="utf-8")
    lib = read(p)
    assert [r.key for r in lib] == ["ok", "k1"]  # the item loads, the other too
    [prob] = lib.problems
    assert prob.source == str(p) and prob.line == 1 and prob.level == "warning"
    assert "item 2 (id 'k1')" in prob.message and f": {var} " in prob.message
    r = lib["k1"]
    if value is None:
        assert INVALID not in r.extra  # nothing to keep
    else:
        assert json.loads(r.extra[INVALID]) == {var: value}
    if var == "issued":
        assert r.year is None and r.month is None
    text = lib.format("apa") + lib.format("ieee") + lib.to_bibtex() + lib.to_csl_json()
    if mangled:
        assert mangled not in text.replace(r.extra.get(INVALID, "\0"), ""), text
    assert "year = {2}" not in text
    json.loads(lib.to_csl_json())  # valid JSON


def test_a_list_title_is_reported_not_printed_as_a_list(tmp_path):
    p = tmp_path / "t.json"
    p.write_text(json.dumps([{"id": "a", "type": "book", "title": ["A", "B"]}]), encoding="utf-8")
    lib = read(p)
    assert lib[0].title == "" and json.loads(lib[0].extra[INVALID]) == {"title": ["A", "B"]}
    assert any("title is a list, not a string" in pr.message for pr in lib.problems)
    assert "['A', 'B']" not in lib.format("apa") and "['A', 'B']" not in lib.to_bibtex()


def test_duplicate_ids_are_reported_and_renamed(tmp_path):
    p = tmp_path / "d.json"
    p.write_text('[\n{"id": "a", "type": "book", "title": "First"},\n{"id": "a", "type": "book", "title": "Second"}\n]',
                 encoding="utf-8")
    lib = read(p)
    assert len(lib) == 2 and len(set(lib.keys())) == 2 and lib["a"].title == "First"
    [prob] = lib.problems
    assert prob.line == 3 and "duplicate id 'a' (first on line 2)" in prob.message
    second = [r for r in lib if r.key != "a"][0]
    assert second.extra["original_key"] == "a"
    import bibtexparser

    assert len(bibtexparser.parse_string(lib.to_bibtex()).entries) == 2


@pytest.mark.parametrize("text,where,message", [
    ("42", ":1:", "the file holds a number"),
    ('"x"', ":1:", "the file holds a string"),
    ("null", ":1:", "the file holds null"),
    ("{}", ":1:", "neither CSL-JSON"),
    ('{"foo": 1}', ":1:", "an object without 'records', 'type' or 'title'"),
    ('[\n {"id": "a",\n  "title": }\n]', ":3:", "not valid JSON: Expecting value (column 12)"),
    pytest.param("[" * 100_000 + "]" * 100_000, ": ", "nested too deeply", id="100k-deep"),
    pytest.param('[{"id": "a", "title": "T", "volume": ' + "9" * 5000 + "}]", ": ", "a number too long",
                 id="5000-digits"),
    ('{"records": "x"}', ":1:", "'records' is a list"),
    ('{"records": [], "problems": {}}', ":1:", "'problems' must be a list"),
])
def test_unreadable_json_is_one_input_error(tmp_path, text, where, message):
    p = tmp_path / "in.json"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        read(p)
    assert str(e.value).startswith(str(p) + where) and message in str(e.value), str(e.value)


def test_csl_suffix_and_top_level_values(tmp_path):
    p = tmp_path / "x.csl.json"
    p.write_text("3", encoding="utf-8")
    with pytest.raises(InputError, match="array of items"):
        read(p)
    one = tmp_path / "one.json"
    one.write_text('{"id": "a", "type": "book", "title": "T"}', encoding="utf-8")
    assert read(one).keys() == ["a"]


def test_native_json_bad_records_and_problems_are_reported_with_their_line(tmp_path):
    good = Library.from_dict({"records": [{"key": "ok", "title": "Fine", "year": 2020}]}).to_dict()["records"][0]
    data = {"records": [{"key": "k", "authors": "x"}, good, {"key": "m", "month": 13}, 5, {"title": "no key"},
                        {**good, "key": "u", "urls": [{"kind": "pdf"}]}],
            "problems": [1, {"source": "s", "line": 2, "message": "m"}]}
    p = tmp_path / "n.json"
    p.write_text(json.dumps(data, indent=1), encoding="utf-8")
    lib = read(p)
    assert lib.keys() == ["ok"]
    assert ("s", 2, "m") in [(pr.source, pr.line, pr.message) for pr in lib.problems]
    bad = [pr for pr in lib.problems if pr.message.startswith("native JSON:")]
    assert len(bad) == 6 and all(pr.source == str(p) and pr.line > 1 for pr in bad)
    bad = [pr.message for pr in bad]
    assert any("record 1 authors" in m for m in bad) and any("record 3 month 13" in m for m in bad)


# -- random JSON at the reader --------------------------------------------------------------
KNOWN = sorted(NAME_VARIABLES | DATE_VARIABLES | NUMBER_VARIABLES | STRING_VARIABLES | {"categories", "custom"})
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10 ** 12, 10 ** 12),
                    st.floats(allow_nan=True, allow_infinity=False), st.text(max_size=8),
                    st.sampled_from(["2020", "-3", "13", "[", "{", "[1]", "arXiv:2001.00001", "1-9"]))
JSON = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KNOWN[:40] + ["family", "given", "literal",
                                                                               "date-parts", "season", "circa",
                                                                               "raw", "x"]), inner, max_size=4)),
    max_leaves=12)
ITEM = st.dictionaries(st.sampled_from(KNOWN + ["exact", "invalid", "x-unknown"]), JSON, max_size=8)
INPUT = st.one_of(JSON, st.lists(st.one_of(ITEM, JSON), max_size=5), ITEM)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(INPUT)
def test_random_json_loads_or_is_reported_never_raises(value):
    text = json.dumps(value, allow_nan=True)
    try:
        lib = parse_csl_json(text, "r.json")
    except InputError as e:
        assert str(e).startswith("r.json")
        return
    items = value if isinstance(value, list) else [value]
    kept_out = [p for p in lib.problems if "(kept out)" in p.message]
    assert len(lib) + len(kept_out) == len(items)
    for r in lib:
        item = record_to_csl(r)
        json.dumps(item)
        record_to_csl(r, exact=False)
    lib.to_bibtex()
    json.loads(lib.to_csl_json())
    # what was read comes back: every variable of the right type, exactly
    for item, r in zip([i for i in items if isinstance(i, dict)], lib):
        back = record_to_csl(r)
        invalid = json.loads(r.extra.get(INVALID, "{}"))
        for var, v in item.items():
            if var in invalid or v is None:
                continue
            if var in ("id", "citation-key"):
                continue  # a key can be renamed (a duplicate, or none given)
            if var == "custom":  # values of the wrong type join it; what it held wins
                assert json.dumps({**back[var], **v}) == json.dumps(back[var]), (v, back[var])
                assert json.dumps(back[var]) == json.dumps({**invalid, **v})
                continue
            assert json.dumps(back.get(var)) == json.dumps(v), (var, v, back.get(var))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ITEM, min_size=1, max_size=3))
def test_random_items_format_in_every_csl_style(items):
    lib = parse_csl_json(json.dumps(items, allow_nan=True), "r.json")
    for style in ("apa", "ieee", "gb7714", "chicago", "plain"):
        lib.format(style)


def test_exact_key_is_not_a_variable():
    r, _ = read_csl_item({"id": "a", "type": "book", "title": "T", "issued": {"date-parts": [[2020], [2021]]}})
    assert EXACT in r.extra and EXACT[4:] not in record_to_csl(r)


def test_the_csl_readers_own_data_stays_out_of_bibtex():
    """csl-exact / csl-invalid are CSL data for the CSL round trip, not BibTeX fields."""
    from plm_bib.bibtex import records_to_bibtex

    items = [{"id": "a", "type": "article-journal", "title": "T", "page": "1-9", "ISSN": ["1", "2"],
              "issued": {"date-parts": [[2020, 1], [2020, 3]]}, "author": [{"family": "Doe", "given": "J"}]}]
    lib = parse_csl_json(json.dumps(items), "t.json")
    rec = lib["a"]
    assert EXACT in rec.extra and INVALID in rec.extra  # the reader kept them
    bib = records_to_bibtex(list(lib))
    assert "csl-" not in bib and "ISSN" not in bib
    back = read_bibtex_text(bib)
    assert back.title == "T" and back.pages == "1--9" and back.year == 2020


def read_bibtex_text(text):
    from plm_bib.bibtex import parse_bibtex

    records, problems, _ = parse_bibtex(text, "t.bib")
    assert not problems and len(records) == 1
    return records[0]
