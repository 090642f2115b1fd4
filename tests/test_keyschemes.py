"""Key patterns in JabRef's notation (plm_bib.keyschemes, issue 18 item 4).

The expectations of the title markers and modifiers are the examples of JabRef's own
documentation ("Customize the citation key generator": ``An awesome paper on JabRef`` and
``Journal of Fish Biology``); the author markers follow its definitions.
"""
import pytest

from plm_bib.errors import BadOption
from plm_bib.keyschemes import check_scheme, pattern_key, scheme_keys
from plm_bib.model import Person, Record

JABREF = Record(key="", title="An awesome paper on JabRef", year=2020,
                authors=(Person("Lovelace", "Ada"), Person("Babbage", "Charles"), Person("Halen", "Eddie", "van")),
                journal="Journal of Fish Biology", pages="7--41", entry_type="article")


@pytest.mark.parametrize("pattern, key", [
    # JabRef's documented examples
    ("[shorttitle]", "AwesomePaperJabref"),
    ("[veryshorttitle]", "Awesome"),
    ("[camel]", "AnAwesomePaperOnJabref"),
    ("[title]", "AnAwesomePaperonJabref"),
    ("[title:abbr]", "AAPoJ"),
    ("[camel:abbr]", "AAPOJ"),
    ("[journal:abbr]", "JoFB"),
    ("demo[fulltitle:abbr]", "demoAapoJ"),
    # author markers by their definitions
    ("[auth][year]", "Lovelace2020"),
    ("[auth:lower][shortyear]", "lovelace20"),
    ("[authEtAl]", "LovelaceEtAl"),
    ("[auth.etal]", "Lovelace.etal"),
    ("[auth.auth.ea]", "Lovelace.Babbage.ea"),
    ("[authors]", "LovelaceBabbageHalen"),
    ("[authors2]", "LovelaceBabbageEtAl"),
    ("[auth3]", "Lov"),
    ("[auth3_2]", "Bab"),
    ("[authorLast]", "Halen"),
    ("[authForeIni][auth]", "ALovelace"),
    ("[authorIni]", "LovelBH"),
    # other markers and modifiers
    ("[firstpage]-[lastpage]", "7-41"),
    ("[entrytype:upper]", "ARTICLE"),
    ("[fulltitle:truncate5]", "Anaw"),      # "An aw": the space is no key character
    ("[volume:(novol)][year]", "novol2020"),
    ("[auth:lower]:[year]", "lovelace:2020"),  # ':' is a key character: kept
])
def test_markers_and_modifiers(pattern, key):
    assert pattern_key(JABREF, pattern) == key


def test_two_authors_and_more_authors_than_named():
    two = JABREF.replace(authors=JABREF.authors[:2])
    assert pattern_key(two, "[authEtAl]") == "LovelaceBabbage"
    assert pattern_key(two, "[auth.etal]") == "Lovelace.Babbage"
    assert pattern_key(two, "[auth.auth.ea]") == "Lovelace.Babbage"
    one_and_others = JABREF.replace(authors=(Person("Lovelace", "Ada"), Person("others")))
    assert pattern_key(one_and_others, "[authEtAl]") == "LovelaceEtAl"


def test_editors_stand_in_for_missing_authors_and_names_fold_to_ascii():
    book = Record(key="", title="Über Äpfel", year=1999, editors=(Person("Müller", "Jörg"),))
    assert pattern_key(book, "[auth:lower][year][veryshorttitle:lower]") == "muller1999uber"
    zh = Record(key="", title="中文命名实体识别", year=2021, authors=(Person("张", "伟"),))
    assert pattern_key(zh, "[auth:lower][year]") == "zhang2021"


def test_a_hostile_title_never_reaches_the_key():
    r = JABREF.replace(title=r"x} \input{/etc/passwd} % # ~ $ ^ {")
    key = pattern_key(r, "[auth][camel]")
    assert key.isalnum() and key.startswith("Lovelace")


def test_clashes_get_letters_in_title_order_not_list_order():
    a = Record(key="", title="Alpha", year=1998, authors=(Person("Yared", "A"),))
    b = Record(key="", title="Beta", year=1998, authors=(Person("Yared", "B"),))
    c = Record(key="", title="Gamma", year=1998, authors=(Person("Yared", "C"),))
    assert scheme_keys([a, b, c], "[auth][year]") == ["Yared1998", "Yared1998a", "Yared1998b"]
    assert scheme_keys([c, a, b], "[auth][year]") == ["Yared1998b", "Yared1998", "Yared1998a"]
    assert scheme_keys([a], "[auth][year]", taken={"Yared1998"}) == ["Yared1998a"]
    # a pattern whose markers are all empty still gives a usable key
    assert scheme_keys([Record(key="", title="")], "[auth][year]") == ["item"]


@pytest.mark.parametrize("bad, said", [
    ("[nosuchmarker]", "unknown field marker [nosuchmarker]"),
    ("[auth:shout]", "unknown modifier :shout"),
    ("[auth][year", "bracket without its pair"),
    ("bbt", "unknown key scheme 'bbt'"),
])
def test_bad_patterns_are_refused_with_what_is_wrong(bad, said):
    with pytest.raises(BadOption, match=said.replace("[", r"\[").replace("]", r"\]")):
        check_scheme(bad)


def test_cli_keys_pattern_and_a_bad_one(tmp_path, capsys):
    from plm_bib.cli import run

    bib = tmp_path / "refs.bib"
    bib.write_text("@article{x1,\n  title = {Alpha Beta Gamma},\n  author = {Smith, John and Doe, Jane},\n"
                   "  journal = {J},\n  year = {2020}\n}\n", encoding="utf-8")
    out = tmp_path / "out.bib"
    key_map = tmp_path / "map.json"
    assert run(["export", str(bib), "--keys", "[auth:lower][year][veryshorttitle:lower]", "-o", str(out),
                "--key-map", str(key_map)]) == 0
    assert "@article{smith2020alpha," in out.read_text(encoding="utf-8")
    assert '"x1": "smith2020alpha"' in key_map.read_text(encoding="utf-8")
    out.unlink()
    assert run(["export", str(bib), "--keys", "[auth][nope]", "-o", str(out)]) == 2
    assert "unknown field marker [nope]" in capsys.readouterr().err
    assert not out.exists()
