"""The key lock (plm_bib.keylock, issue 18): a key once given never changes when metadata is
enriched or the list is reordered; when a key must change, the old -> new pair is reported
and kept in the lock."""
import json
import random

import pytest

from plm_bib.errors import InputError
from plm_bib.identity import merge_found
from plm_bib.keylock import KeyLock, lock_text, locked_keys, parse_lock, read_lock
from plm_bib.keyschemes import scheme_keys
from plm_bib.model import Person, Record


def _records():
    return [
        Record(key="", title="BERT: Pre-training of Deep Bidirectional Transformers", year=2018,
               authors=(Person("Devlin", "Jacob"),), titles_as_listed=("BERT",)),
        Record(key="", title="RoBERTa: A Robustly Optimized BERT Pretraining Approach", year=2019,
               authors=(Person("Liu", "Yinhan"),), ids={"arxiv": "1907.11692"}),
        Record(key="", title="Deep Learning", year=2020, authors=(Person("Smith", "A"),),
               ids={"doi": "10.1/a"}),
        Record(key="", title="Deep Learning", year=2021, authors=(Person("Smith", "A"),),
               ids={"doi": "10.1/b"}),
    ]


def _keyed(records):
    return [r.replace(key=k) for r, k in zip(records, scheme_keys(records, "scholar"))]


def _fake_source(r: Record) -> Record:
    """What an enrichment source would give: the published year and venue, the full title,
    more authors, new ids (merged as enrichment merges)."""
    found = Record(key="", title=r.title + " for Language Understanding", year=(r.year or 2000) + 1,
                   venue="NAACL", booktitle="Proceedings of NAACL",
                   authors=r.authors + (Person("Chang", "Ming-Wei"),), ids={"acl": "N19-1423", "doi": "10.9/x"})
    return merge_found(r, found, "fake", {"fake": 5})


def test_lock_keeps_keys_when_metadata_is_enriched():
    first, lock, changes = locked_keys(_keyed(_records()), KeyLock(), "scholar")
    assert changes == [] and [r.key for r in first] == ["devlin2018bert", "liu2019roberta", "smith2020deep",
                                                          "smith2021deep"]
    enriched = [_fake_source(first[0])] + first[1:]
    assert enriched[0].year == 2019 and enriched[0].ids.get("acl") == "N19-1423"
    # made anew, the enriched record's key would change (the year is another)
    assert scheme_keys(enriched, "scholar")[0] != "devlin2018bert"
    again, lock2, changes = locked_keys([r.replace(key="") for r in enriched], lock, "scholar")
    assert [r.key for r in again] == [r.key for r in first] and changes == []
    # the lock learnt the new ids: enriched once more (the title now unlike the first), still found
    twice = [_fake_source(again[0]).replace(title="Something else entirely", titles_as_listed=())] + again[1:]
    third, _, _ = locked_keys(twice, lock2, "scholar")
    assert third[0].key == "devlin2018bert"


def test_lock_keeps_keys_when_the_list_is_reordered_or_grows():
    first, lock, _ = locked_keys(_keyed(_records()), KeyLock(), "scholar")
    want = {r.title + str(r.year): r.key for r in first}
    for _ in range(5):
        shuffled = _records()
        random.shuffle(shuffled)
        # a new work whose key clashes with smith2020deep: made anew, both would take a second word
        shuffled.insert(random.randrange(len(shuffled) + 1),
                        Record(key="", title="Deep Nets", year=2020, authors=(Person("Smith", "A"),)))
        assert "smith2020deep" not in scheme_keys(shuffled, "scholar")
        out, _, changes = locked_keys(_keyed(shuffled), lock, "scholar")
        got = {r.title + str(r.year): r.key for r in out}
        assert all(got[t] == k for t, k in want.items()) and changes == []
        # the new work never takes a key the lock holds
        assert got["Deep Nets2020"] not in lock.works


def test_a_locked_key_is_never_given_to_another_work():
    _, lock, _ = locked_keys(_keyed(_records()), KeyLock(), "scholar")
    # the list without the first paper, and another paper that would be keyed devlin2018bert
    other = Record(key="", title="BERT: a Different Paper", year=2018, authors=(Person("Devlin", "J"),))
    out, lock2, _ = locked_keys(_keyed([other] + _records()[1:]), lock, "scholar")
    assert out[0].key != "devlin2018bert" and "devlin2018bert" in lock2.works  # kept for its work


def test_a_record_with_another_id_is_another_work_despite_the_title():
    intro = Record(key="", title="An Introduction to Things", year=2020, authors=(Person("Smith", "A"),),
                   ids={"arxiv": "2001.00001"})
    _, lock, _ = locked_keys(_keyed([intro]), KeyLock(), "scholar")
    other = intro.replace(ids={"arxiv": "2002.00002"})
    out, _, _ = locked_keys(_keyed([other]), lock, "scholar")
    assert out[0].key != "smith2020introduction" and "smith2020introduction" in lock.works
    # a DOI is replaced by enrichment (the preprint's by the published one): the same work
    doi = intro.replace(ids={"arxiv": "2001.00001", "doi": "10.48550/arXiv.2001.00001"})
    _, lock, _ = locked_keys(_keyed([doi]), KeyLock(), "scholar")
    published = doi.replace(ids={"doi": "10.1/pub"})
    assert locked_keys([published.replace(key="x")], lock, "scholar")[0][0].key == "smith2020introduction"


def test_a_files_own_key_that_must_change_is_reported_and_kept_in_the_lock():
    bib = [r.replace(key=k, provenance={"*": "bibtex"}) for r, k in
           zip(_records(), ["bert", "roberta", "deep", "deep2"])]
    out, lock, changes = locked_keys(bib, KeyLock(), "acl")
    assert [r.key for r in out] == ["devlin-2018-bert", "liu-2019-roberta", "smith-2020-deep", "smith-2021-deep"]
    assert changes == [("bert", "devlin-2018-bert"), ("deep", "smith-2020-deep"), ("deep2", "smith-2021-deep"),
                       ("roberta", "liu-2019-roberta")]
    assert lock.renamed["bert"] == "devlin-2018-bert"
    # keep: the file's keys stay, the lock learns them; a key renamed in the file is locked
    out, lock, changes = locked_keys(bib, KeyLock(), "keep")
    assert [r.key for r in out] == ["bert", "roberta", "deep", "deep2"] and changes == []
    renamed = [bib[0].replace(key="bert2018")] + bib[1:]
    out, _, changes = locked_keys(renamed, lock, "keep")
    assert out[0].key == "bert" and changes == [("bert2018", "bert")]


def test_lock_text_round_trips_and_bad_locks_name_the_line(tmp_path):
    _, lock, _ = locked_keys(_keyed(_records()), KeyLock(), "scholar")
    text = lock_text(lock)
    assert parse_lock(text).works == lock.works and lock_text(parse_lock(text)) == text
    assert json.loads(text)["keys"][0]["key"] == "devlin2018bert"  # sorted by key
    assert read_lock(str(tmp_path / "absent.json")).works == {}
    with pytest.raises(InputError, match=r"k\.json:3: not a key lock"):
        parse_lock('{"keys": [\n\n  {"key": 1}]}', "k.json")
    with pytest.raises(InputError, match=r"k\.json:2: not a key lock"):
        parse_lock('{"keys":\n ]', "k.json")
    # an unsafe key written into the lock by hand: the work gets a safe key, the change said
    bad = KeyLock({"a%b": lock.works["devlin2018bert"]})
    out, lock2, changes = locked_keys(_keyed(_records()), bad, "scholar")
    assert out[0].key == "devlin2018bert" and ("a%b", "devlin2018bert") in changes and "a%b" not in lock2.works


def test_cli_key_lock_across_reordering(tmp_path):
    from plm_bib.cli import run

    bib = tmp_path / "refs.bib"
    entries = ["@article{a1,\n  title = {Alpha Beta Gamma},\n  author = {Smith, John and Doe, Jane},\n"
               "  journal = {J},\n  year = {2020}\n}\n",
               "@article{b1,\n  title = {Delta Epsilon},\n  author = {Lee, Kim},\n  journal = {J},\n"
               "  year = {2021}\n}\n"]
    bib.write_text("\n".join(entries), encoding="utf-8")
    lock = tmp_path / "plm-bib.keys.json"
    out = tmp_path / "out.bib"
    key_map = tmp_path / "keys-changed.json"
    assert run(["export", str(bib), "--raw", "--keys", "acl", "--key-lock", str(lock), "-o", str(out),
                "--key-map", str(key_map)]) == 0
    assert json.loads(key_map.read_text(encoding="utf-8")) == {"a1": "smith-doe-2020-alpha", "b1": "lee-2021-delta"}
    text = out.read_text(encoding="utf-8")
    assert "{smith-doe-2020-alpha," in text and "{lee-2021-delta," in text
    assert json.loads(lock.read_text(encoding="utf-8"))["renamed"] == {"a1": "smith-doe-2020-alpha",
                                                                     "b1": "lee-2021-delta"}
    bib.write_text("\n".join(entries[::-1]).replace("{a1,", "{alpha,"), encoding="utf-8")
    assert run(["export", str(bib), "--raw", "--key-lock", str(lock), "-o", str(out)]) == 0
    again = out.read_text(encoding="utf-8")
    assert "{smith-doe-2020-alpha," in again and "{lee-2021-delta," in again
    # without a lock: the scheme's keys, the map printed and written all the same
    assert run(["export", str(bib), "--raw", "--keys", "scholar", "-o", str(out), "--key-map", str(key_map)]) == 0
    assert json.loads(key_map.read_text(encoding="utf-8")) == {"alpha": "smith2020alpha", "b1": "lee2021delta"}
    # a lock that is not one: one line, exit 2, nothing written
    lock.write_text("[1", encoding="utf-8")
    out.unlink()
    assert run(["export", str(bib), "--raw", "--key-lock", str(lock), "-o", str(out)]) == 2
    assert not out.exists()


def test_cli_build_with_a_lock_keeps_keys_when_the_list_is_reordered_and_grows(tmp_path):
    from plm_bib.cli import run

    md = tmp_path / "list.md"
    items = ["1. Deep Residual Learning for Image Recognition, **CVPR 2016**",
             "2. Attention Is All You Need, **NeurIPS 2017**"]
    md.write_text("# Papers\n\n" + "\n".join(items) + "\n", encoding="utf-8")
    lock = tmp_path / "plm-bib.keys.json"
    out = tmp_path / "references.bib"
    assert run(["build", str(md), "-o", str(out), "--key-lock", str(lock)]) == 0
    heads = sorted(line for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("@"))
    assert len(json.loads(lock.read_text(encoding="utf-8"))["keys"]) == 2
    # reordered, and a new item whose key clashes with the first one's
    items = [items[1], "3. Deep Nets, **CVPR 2016**", items[0]]
    md.write_text("# Papers\n\n" + "\n".join(items) + "\n", encoding="utf-8")
    unlocked = tmp_path / "unlocked.bib"
    assert run(["build", str(md), "-o", str(unlocked)]) == 0
    assert not set(heads) <= set(unlocked.read_text(encoding="utf-8").splitlines())  # a key changed
    assert run(["build", str(md), "-o", str(out), "--key-lock", str(lock)]) == 0
    now = [line for line in out.read_text(encoding="utf-8").splitlines() if line.startswith("@")]
    assert set(heads) <= set(now) and len(now) == 3
    assert len(json.loads(lock.read_text(encoding="utf-8"))["keys"]) == 3
