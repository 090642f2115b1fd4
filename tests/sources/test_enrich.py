"""Online enrichment against a local server that answers in the sources' real formats."""
import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fake_sources import FakeSources, fail_times, garbage, slow

import plm_bib
from plm_bib import Library
from plm_bib.curation.overlay import curated_records
from plm_bib.model import Claim, Person, Record
from plm_bib.readinglist import normalize_title
from plm_bib.sources.enrich import enrich, same_work
from plm_bib.sources.http import Client

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake(httpserver, monkeypatch):
    fs = FakeSources()
    httpserver.expect_request("").respond_with_handler(fs)  # every path
    for name, path in (("ARXIV", "/arxiv"), ("ACL", "/acl"), ("DBLP", "/dblp"), ("DOI", "/doi"),
                       ("S2", "/s2"), ("CROSSREF", "/crossref"), ("DATACITE", "/datacite")):
        monkeypatch.setenv(f"PLM_BIB_{name}_URL", httpserver.url_for(path))
    return fs


def client(tmp_path=None, **kw):
    kw.setdefault("retries", 2)
    kw.setdefault("backoff", 0)
    kw.setdefault("timeout", 5)
    if tmp_path is None:
        return Client(cache=False, **kw)
    return Client(cache_path=str(tmp_path / "cache"), **kw)


def paper(**kw):
    kw.setdefault("key", "")
    kw.setdefault("kind", "paper")
    kw.setdefault("entry_type", "misc")
    return Record(**kw)


CORE = ("title", "authors", "year", "venue", "booktitle", "pages", "doi", "publisher")


def test_enriching_the_raw_list_gives_the_curated_records(fake):
    raw = plm_bib.load(curated=False)
    out = enrich(raw, client=client())
    cur = {r.key: r for r in curated_records()}
    papers = {r.key: r for r in out.papers}
    assert sorted(papers) == sorted(cur)  # same keys as references.bib
    # the 11 papers whose authority is a source by id (ACL Anthology, doi.org, arXiv):
    by_id = [k for k in cur if k not in ("clark2020electra", "houlsby2019parameter")]
    for k in by_id:
        for f in CORE + ("month", "address", "track"):
            assert getattr(papers[k], f) == getattr(cur[k], f), (k, f)
    # the two found by a DBLP search: DBLP's record has no proceedings address or editors
    # and DBLP writes names in reading order ("Quentin De Laroussilhe"), so the split of a
    # capitalised particle can differ from the curated one; the names themselves agree
    for k in ("clark2020electra", "houlsby2019parameter"):
        for f in ("title", "year", "venue"):
            assert getattr(papers[k], f) == getattr(cur[k], f), (k, f)
        assert [p.display() for p in papers[k].authors] == [p.display() for p in cur[k].authors]
    assert papers["houlsby2019parameter"].pages == "2790--2799"
    assert papers["clark2020electra"].entry_type == "inproceedings"
    assert papers["clark2020electra"].publisher is None  # not "arXiv": the preprint's fields go
    # RoBERTa stays a preprint; E-BERT is not Poerner et al.'s E-BERT
    assert papers["liu2019roberta"].venue == "arXiv"
    assert papers["zhang2020ebert"].venue == "arXiv"
    rejected = [p for p in out.problems if p.key == "zhang2020ebert" or "E-BERT" in p.message]
    assert any("rejected" in p.message for p in rejected)
    # provenance: who supplied each field
    assert papers["devlin2019bert"].provenance["pages"] == "acl"
    assert papers["liang2020bond"].provenance["booktitle"] == "crossref"
    assert papers["liu2019roberta"].provenance["authors"] == "arxiv"
    assert papers["clark2020electra"].provenance["venue"] == "dblp"
    # the list's wrong claims are found with the enriched values, as with curated ones
    findings = {(f.key, f.kind) for f in out.check()}
    assert ("liu2019roberta", "venue") in findings and ("cui2020revisiting", "venue") in findings
    # batching: one arXiv request for all ids, one S2 request
    assert fake.count("arxiv") == 1 and fake.count("s2") == 1
    # the input library is unchanged
    assert raw["naacl2019_bert"].authors == ()


def test_provenance_survives_native_json(fake):
    out = enrich(plm_bib.load(curated=False), client=client())
    again = Library.from_dict(json.loads(out.to_json()))
    assert again["devlin2019bert"].provenance == out["devlin2019bert"].provenance


def test_same_work_rules():
    a = paper(title="E-BERT: A Phrase and Product Knowledge Enhanced Language Model for E-commerce",
              authors=(Person("Zhang", "Denghui"),))
    assert same_work(a, a.replace(authors=(Person("Zhang", "D."),)))[0]
    assert not same_work(a, a.replace(authors=(Person("Poerner", "Nina"),)))[0]
    assert not same_work(a, a.replace(title="E-BERT: Efficient-Yet-Effective Entity Embeddings for BERT"))[0]
    assert same_work(a.replace(ids={"arxiv": "1"}), paper(title="other", ids={"arxiv": "1"}))[0]
    no_authors = paper(title="T", claims=(Claim("KDD 2021", "KDD", 2021),))
    assert same_work(no_authors, paper(title="T", venue="KDD", year=2021, authors=(Person("X"),)))[0]
    assert not same_work(no_authors, paper(title="T", venue="KDD", year=2020, authors=(Person("X"),)))[0]


def _one(arxiv="1907.11692", **kw):
    return Library([paper(title="x", ids={"arxiv": arxiv}, **kw)])


@pytest.mark.parametrize("fault,message", [
    (lambda: [fail_times(1, 429, {"Retry-After": "1"})], None),
    (lambda: [fail_times(1, 500)], None),
    (lambda: [fail_times(9, 503)], "gave up after retries"),
    (lambda: [garbage("<feed><entry>unterminated", "application/atom+xml")], "unreadable answer"),
    (lambda: [slow(2.5)], "timed out"),
])
def test_arxiv_faults(fake, fault, message):
    fake.faults["arxiv"] = fault()
    lib = _one()
    out = enrich(lib, sources=["arxiv"], client=client(timeout=1, retries=2))
    if message is None:  # retried, then served
        assert out[0].authors[0].family == "Liu" and fake.count("arxiv") == 2
        assert not [p for p in out.problems if p.level != "info"]
    else:
        assert out[0].authors == () and out[0].title == "x"  # unchanged
        assert any(message in p.message for p in out.problems), [p.message for p in out.problems]


def test_not_found_everywhere(fake):
    lib = Library([paper(title="No Such Paper", ids={"arxiv": "2999.99999", "acl": "2099.acl-main.1"}),
                   paper(title="No Such Paper Either", ids={"doi": "10.1145/0000"}, doi="10.1145/0000")])
    out = enrich(lib, client=client())
    assert [(r.title, r.authors) for r in out] == [("No Such Paper", ()), ("No Such Paper Either", ())]
    msgs = " ".join(p.message for p in out.problems)
    assert "no arXiv record" in msgs and "no ACL Anthology paper" in msgs and "no DOI" in msgs


@pytest.mark.parametrize("service,body", [("dblp", "{not json"), ("s2", "[1, 2"), ("doi", "<html></html>"),
                                          ("acl", "@inproceedings{broken, title = {x")])
def test_garbage_bodies_leave_records_unchanged(fake, service, body):
    fake.faults[service] = [garbage(body)]
    r = curated_records()
    bond = next(x for x in r if x.key == "liang2020bond")
    ids = {"arxiv": "2006.15509", "doi": bond.doi}
    if service == "acl":
        ids = {"acl": "2020.acl-main.82"}
    lib = Library([paper(title=bond.title, ids=ids, doi=bond.doi, authors=(Person("Liang"),), venue="arXiv")])
    out = enrich(lib, sources=[service if service != "doi" else "crossref"], client=client())
    assert out[0].title == bond.title and out[0].authors == (Person("Liang"),)
    assert out[0].pages is None
    assert any("unreadable" in p.message for p in out.problems)


def test_ambiguous_search_is_reported_not_guessed(fake):
    c = {r.key: r for r in curated_records()}["clark2020electra"]
    from fake_sources import dblp_hit

    fake.dblp[next(k for k in fake.dblp if "electra" in k)] = [
        dblp_hit(c, "ICLR", "conf/iclr/A", "https://openreview.net/forum?id=a"),
        {**dblp_hit(c, "NeurIPS", "conf/nips/B", "https://x.org/b")}]
    lib = Library([paper(title=c.title, authors=c.authors, venue="arXiv")])
    out = enrich(lib, sources=["dblp"], client=client())
    assert out[0].venue == "arXiv"
    assert any("ambiguous" in p.message and p.level == "warning" for p in out.problems)


def test_cache_then_offline(fake, tmp_path):
    raw = plm_bib.load(curated=False)
    first = enrich(raw, client=client(tmp_path))
    asked = len(fake.log)
    assert asked > 0
    second = enrich(raw, client=client(tmp_path, offline=True))
    assert len(fake.log) == asked  # nothing went to the network
    assert second.to_json() == first.to_json()
    refreshed = enrich(raw, client=client(tmp_path, refresh=True))
    assert len(fake.log) == 2 * asked and refreshed.to_json() == first.to_json()


def test_offline_with_an_empty_cache(fake, tmp_path):
    lib = _one()
    out = enrich(lib, client=client(tmp_path, offline=True))
    assert fake.log == [] and out[0].authors == ()
    assert any("offline" in p.message for p in out.problems)


def test_offline_from_environment(fake, tmp_path, monkeypatch):
    monkeypatch.setenv("PLM_BIB_OFFLINE", "1")
    out = enrich(_one(), client=client(tmp_path))
    assert fake.log == [] and any("offline" in p.message for p in out.problems)


def test_user_agent_and_mailto(fake):
    seen = []
    fake.faults["doi"] = [lambda req: seen.append((req.headers.get("User-Agent"), req.args.get("mailto"),
                                                   req.headers.get("Accept"))) or None]
    lib = Library([paper(title="t", doi="10.1145/3447548.3467396", ids={"doi": "10.1145/3447548.3467396"})])
    enrich(lib, sources=["crossref"], client=client(mailto="me@example.org"))
    ua, mailto, accept = seen[0]
    assert ua.startswith("plm_bib/") and "mailto:me@example.org" in ua and mailto == "me@example.org"
    assert accept == "application/vnd.citationstyles.csl+json"


def test_arxiv_dois_never_go_to_crossref(fake):
    lib = Library([paper(title="t", doi="10.48550/arXiv.1907.11692", ids={"doi": "10.48550/arXiv.1907.11692"})])
    enrich(lib, sources=["crossref"], client=client())
    assert fake.count("doi") == 0


def test_unknown_source():
    with pytest.raises(ValueError, match="unknown source"):
        enrich(Library([]), sources=["scholar"])


def test_cli_enrich(fake, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from plm_bib.cli import main

    monkeypatch.setenv("PLM_BIB_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "enriched.bib"
    r = CliRunner().invoke(main, ["enrich", "-o", str(out), "--mailto", "me@example.org"])
    assert r.exit_code == 0, r.output
    text = out.read_text(encoding="utf-8")
    assert "@inproceedings{devlin2019bert," in text and "pages = {4171--4186}" in text
    assert "enriched 13 of 13 papers" in r.stderr
    asked = len(fake.log)
    r = CliRunner().invoke(main, ["enrich", "--offline", "-f", "json"])
    assert r.exit_code == 0 and len(fake.log) == asked  # all from the cache
    assert json.loads(r.stdout)["records"][0]["provenance"]["pages"] == "acl"
    r = CliRunner().invoke(main, ["enrich", "--sources", "arxiv,scholar"])
    assert r.exit_code == 2 and "unknown source" in r.stderr


def _recorded(shared_data, path):
    import gzip

    import yaml

    data = yaml.safe_load((shared_data / "http" / path).read_text(encoding="utf-8"))
    ok = [i for i in data["interactions"] if i["response"]["status"]["code"] == 200][0]
    body = ok["response"]["body"]["string"]
    return gzip.decompress(body).decode("utf-8") if isinstance(body, bytes) else body


def test_real_recorded_answers(shared_data, httpserver, monkeypatch):
    """Answers recorded from the real services, served back: arXiv's Atom (with an invalid
    id among them) and doi.org/Crossref's CSL-JSON."""
    arxiv = json.loads((shared_data / "http" / "arxiv" / "id_1605.08386_s0_m100_199195aa31ad.json")
                       .read_text(encoding="utf-8"))
    httpserver.expect_request("/arxiv").respond_with_data(arxiv["body"], content_type="application/atom+xml")
    csl = _recorded(shared_data, "crossref/test-content_negotation/test_content_negotiation_citeproc_json.yaml")
    httpserver.expect_request("/doi/10.1126/science.169.3946.635").respond_with_data(
        csl, content_type="application/vnd.citationstyles.csl+json")
    monkeypatch.setenv("PLM_BIB_ARXIV_URL", httpserver.url_for("/arxiv"))
    monkeypatch.setenv("PLM_BIB_DOI_URL", httpserver.url_for("/doi"))
    lib = Library([paper(title="?", ids={"arxiv": "1605.08386"}),
                   paper(title="?", ids={"doi": "10.1126/science.169.3946.635"}, doi="10.1126/science.169.3946.635")])
    out = enrich(lib, sources=["arxiv", "crossref"], client=client())
    expected = json.loads(csl)
    assert out[0].title != "?" and out[0].authors and out[0].year == 2016
    assert out[1].title == expected["title"] and out[1].authors[0].family == expected["author"][0]["family"]
    assert out[1].provenance["title"] == "crossref"
    invalid = json.loads((shared_data / "http" / "arxiv" / "id_abc_s0_m100_b79c8dcf6bc3.json").read_text())
    from plm_bib.sources.arxiv import parse_feed

    assert parse_feed(invalid["body"]) == {}  # arXiv's error entry is not a paper


def test_the_cache_survives_a_kill_mid_run(fake, tmp_path):
    """SIGKILL an enrichment between two requests; the SQLite cache stays readable and
    keeps what was fetched."""
    import signal
    import subprocess
    import sys
    import textwrap

    from fake_sources import slow

    fake.faults["arxiv"] = [slow(0.5)]
    cache = tmp_path / "cache"
    code = textwrap.dedent(f"""
        import sys
        from plm_bib import Library
        from plm_bib.sources.enrich import enrich
        from plm_bib.model import Record
        from plm_bib.sources.arxiv import ArxivSource
        from plm_bib.sources.http import Client
        ArxivSource.batch = 1  # one request per id, so the run can be cut between two
        ids = ["1907.11692", "2003.10555", "1810.04805", "1902.00751", "2004.10964", "2005.07421"]
        lib = Library([Record(key=f"p{{i}}", title="", ids={{"arxiv": a}}) for i, a in enumerate(ids)])
        print("start", flush=True)
        enrich(lib, ["arxiv"], client=Client(cache_path={str(cache)!r}, retries=0))
    """)
    import os
    import time

    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                            env={**os.environ}, cwd=str(ROOT))
    assert proc.stdout.readline().strip() == "start"
    while fake.count("arxiv") < 2:
        time.sleep(0.05)
    time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    fetched = fake.count("arxiv")
    assert 2 <= fetched < 6
    from plm_bib.sources.arxiv import ArxivSource

    lib = Library([paper(title="", ids={"arxiv": "1810.04805"})])  # asked first (ids go sorted)
    ArxivSource.batch, saved = 1, ArxivSource.batch
    try:
        out = enrich(lib, ["arxiv"], client=client(tmp_path, offline=True))  # the same cache file
    finally:
        ArxivSource.batch = saved
    assert out[0].authors[0].family == "Devlin"


# -- issue 15: matching never takes another paper (item 15) ----------------------------------
def _names(*names):
    from plm_bib.metadata.names import parse_name

    return tuple(parse_name(n) for n in names)


T15 = "A Study of Something Specific"


@pytest.mark.parametrize("mine,theirs,same", [
    (("张伟", "刘洋"), ("王芳", "李娜"), False),          # Chinese names never fold to "" and "match"
    (("张伟",), ("Wei Zhang",), True),                   # the same name, romanised
    (("张伟", "刘洋"), ("Wei Zhang", "Yang Liu"), True),
    (("张伟",), ("王芳",), False),
    (("欧阳娜娜",), ("Nana Ouyang",), True),              # a two-character surname
    (("单伟",), ("Wei Shan",), True),                    # a surname's own reading (单: shan)
    (("Иван Иванов", "Пётр Петров"), ("Олег Смирнов", "Анна Кузнецова"), False),  # Cyrillic
    (("Иван Иванов",), ("И. Иванов",), True),
    (("Γιώργος Παπαδόπουλος",), ("Νίκος Γεωργίου",), False),  # Greek
    (("Иван Иванов", "Олег Кузнецов"), ("Ivan Ivanov", "Oleg Kuznecov"), True),  # romanised
    (("Иван Иванов", "Олег Кузнецов"), ("Oleg Smirnov", "Anna Petrova"), False),
    (("Γιώργος Παπαδόπουλος",), ("Giorgos Papadopoulos",), True),
    (("Γιώργος Παπαδόπουλος",), ("Nikos Georgiou",), False),
    (("Jürgen Groß",), ("J. Gross",), True),             # one fold: ß is ss on both sides
    (("Wei Wang", "Hao Li", "Yu Chen"), ("Wei Wang", "Jun Zhao", "Lei Sun"), False),  # one common name
    (("Wei Wang", "Hao Li", "Yu Chen"), ("W. Wang", "H. Li", "Jun Zhao"), True),     # two agree
    (("Wei Wang", "others"), ("Wei Wang", "Jun Zhao", "Lei Sun"), True),  # a list cut to one name
    (("Wei Wang", "Jun Wang"), ("Wei Wang", "Lei Sun"), False),  # one Wang cannot agree twice
    (("王伟",), ("???",), False),                         # a name without letters agrees with nothing
    (("张伟",), ("张芳",), False),                        # two names written whole: the whole name
    (("山田太郎", "佐藤花子"), ("山本太郎", "佐々木花子"), False),
    (("张伟", "刘洋"), ("张伟", "刘洋"), True),
])
def test_same_work_compares_names_in_their_own_script(mine, theirs, same):
    r = paper(title=T15, authors=_names(*mine))
    c = paper(title=T15, authors=_names(*theirs), venue="KDD", year=2021, doi="10.1/other")
    ok, why = same_work(r, c)
    assert ok is same, why


def test_name_forms_are_never_empty_strings():
    from plm_bib.sources.enrich import name_forms

    for name in ("张伟", "Иванов", "Παπαδόπουλος", "Groß", "O'Brien", "123", "-"):
        assert "" not in name_forms(Person(name))
    assert name_forms(Person("Groß")) == name_forms(Person("Gross"))


@pytest.mark.parametrize("claim,venue,year,same", [
    (Claim("ACL 2020", "ACL", 2020), "NeurIPS", 2020, False),       # the venue contradicts
    (Claim("ACL 2020", "ACL", 2020), "ACL", 2020, True),
    (Claim("ICLR 2020", "ICLR", 2020), "ICLR", 2017, False),        # the year contradicts
    (Claim("EMNLP 2020", "EMNLP", 2020), "Findings of EMNLP", 2020, True),  # within the series
    (Claim("arXiv 2019", "arXiv", 2019, preprint=True), "ICLR", 2020, True),  # a preprint's claim
    (Claim("2019", None, 2019), "ICLR", 2020, True),
    (Claim("2019", None, 2019), "ICLR", 2023, False),
])
def test_a_candidate_the_list_contradicts_is_refused(claim, venue, year, same):
    authors = _names("Wei Wang", "Hao Li")
    r = paper(title=T15, authors=authors, claims=(claim,))
    ok, why = same_work(r, paper(title=T15, authors=authors, venue=venue, year=year))
    assert ok is same, why
    if not same:
        assert "the list says" in why


def test_dblp_search_keeps_a_chinese_paper_from_another_paper(fake):
    """End to end: the same title by other (Chinese) authors, in another venue, with
    another DOI, is rejected and the record keeps its own values."""
    other = paper(title="基于图神经网络的中文文本分类", authors=_names("王芳", "李娜"), venue="KDD", year=2021,
                  entry_type="inproceedings")
    from fake_sources import dblp_hit

    fake.dblp[normalize_title(other.title)] = [dblp_hit(other, "KDD", "conf/kdd/WangL21", "https://doi.org/10.1/x")]
    mine = paper(title=other.title, authors=_names("张伟", "刘洋"), venue="arXiv",
                 claims=(Claim("ACL 2021", "ACL", 2021),))
    out = enrich(Library([mine]), sources=["dblp"], client=client())
    assert out[0].authors == mine.authors and out[0].venue == "arXiv" and out[0].doi is None
    assert any("rejected" in p.message for p in out.problems)
    # and the same authors, romanised, in the claimed venue: accepted
    fake.dblp[normalize_title(other.title)] = [
        dblp_hit(other.replace(authors=_names("Wei Zhang", "Yang Liu")), "ACL", "conf/acl/ZhangL21",
                 "https://doi.org/10.1/y")]
    out = enrich(Library([mine]), sources=["dblp"], client=client())
    assert out[0].venue == "ACL" and out[0].provenance["venue"] == "dblp"


def test_a_contradicted_candidate_is_a_warning_and_no_finding(fake):
    c = {r.key: r for r in curated_records()}["clark2020electra"]
    lib = Library([paper(title=c.title, authors=c.authors, venue="arXiv", provenance={"venue": "arxiv"},
                         claims=(Claim("NeurIPS 2020", "NeurIPS", 2020),))])
    out = enrich(lib, sources=["dblp"], client=client())
    assert out[0].venue == "arXiv"  # DBLP's ICLR 2020 is not the NeurIPS paper the list claims
    assert any("the list says" in p.message and p.level == "warning" for p in out.problems)
    assert "verified" not in out[0].provenance  # not "no published version": one was refused


# -- issue 15: faults never crash a run (item 21) -----------------------------------------
def _lib_for(service):
    bond = {r.key: r for r in curated_records()}["liang2020bond"]
    ids = {"arxiv": "2006.15509", "doi": bond.doi} if service != "acl" else {"acl": "2020.acl-main.82"}
    return Library([paper(title=bond.title, ids=ids, doi=bond.doi, authors=(Person("Liang"),), venue="arXiv")])


_SOURCE_OF = {"arxiv": "arxiv", "dblp": "dblp", "s2": "s2", "doi": "crossref", "acl": "acl"}


@pytest.mark.parametrize("service", sorted(_SOURCE_OF))
def test_an_unknown_charset_is_a_problem(fake, service):
    fake.faults[service] = [garbage("{}", "application/json; charset=x-no-such-charset")]
    lib = _lib_for(service)
    out = enrich(lib, sources=[_SOURCE_OF[service]], client=client())
    assert out[0].replace(key="") == lib[0].replace(key="")  # unchanged (the key is made again)
    assert any("unknown charset" in p.message and p.level == "warning" for p in out.problems)


@pytest.mark.parametrize("service", ["dblp", "s2", "doi"])
def test_deeply_nested_json_is_a_problem(fake, service):
    fake.faults[service] = [garbage("[" * 200_000 + "]" * 200_000)]
    out = enrich(_lib_for(service), sources=[_SOURCE_OF[service]], client=client())
    assert out[0].pages is None
    assert any("unreadable answer (RecursionError" in p.message for p in out.problems)


def test_an_impossible_arxiv_date_is_left_out_and_reported(fake):
    from fake_sources import atom_feed

    r = {x.key: x for x in curated_records()}["liu2019roberta"]
    feed = atom_feed([r]).replace(f"{r.year}-{r.month or 1:02d}-15", "2019-13-45")
    fake.faults["arxiv"] = [garbage(feed, "application/atom+xml")]
    out = enrich(_one("1907.11692"), sources=["arxiv"], client=client())
    assert out[0].authors[0].family == "Liu" and out[0].month is None and out[0].year is None
    assert any("not a date" in p.message for p in out.problems)
    assert "@misc{" in out.to_bibtex()  # the export no longer fails on the month


def test_impossible_values_of_any_source_are_dropped():
    from plm_bib.sources.base import Candidate
    from plm_bib.sources.enrich import _sane

    cand = Candidate("crossref", paper(title="t", year=2020, month=13), "id", "u")
    (kept,), problems = _sane(paper(title="t"), [cand])
    assert kept.record.month is None and kept.record.year == 2020
    assert "impossible month 13" in problems[0].message


# -- issue 15: the S2 key stays home (item 4) ---------------------------------------------
def test_the_api_key_is_not_sent_to_another_host(httpserver, monkeypatch):
    """S2 answers with a redirect to another host (127.0.0.1 vs localhost, another port):
    the key goes to the first only; a redirect within the host keeps it."""
    from pytest_httpserver import HTTPServer
    from werkzeug import Response

    other = HTTPServer(host="127.0.0.1")
    other.start()
    try:
        seen = {}

        def answer(where):
            def handler(request):
                seen[where] = request.headers.get("x-api-key")
                ids = json.loads(request.get_data(as_text=True))["ids"]
                return Response(json.dumps([{"title": "T", "externalIds": {"DOI": "10.1/x"}, "authors": []}
                                            for _ in ids]), content_type="application/json")
            return handler

        other.expect_request("/elsewhere/graph/v1/paper/batch").respond_with_handler(answer("other"))
        httpserver.expect_request("/s2/graph/v1/paper/batch").respond_with_data(
            "", status=307, headers={"Location": other.url_for("/elsewhere/graph/v1/paper/batch")})
        httpserver.expect_request("/same/graph/v1/paper/batch").respond_with_data(
            "", status=307, headers={"Location": httpserver.url_for("/home/graph/v1/paper/batch")})
        httpserver.expect_request("/home/graph/v1/paper/batch").respond_with_handler(answer("home"))
        assert urlsplit(other.url_for("/")).netloc != urlsplit(httpserver.url_for("/")).netloc
        monkeypatch.setenv("S2_API_KEY", "secret-key")
        lib = Library([paper(title="T", ids={"arxiv": "2001.00001"})])
        monkeypatch.setenv("PLM_BIB_S2_URL", httpserver.url_for("/s2"))
        out = enrich(lib, sources=["s2"], client=client())
        assert out[0].ids.get("doi") == "10.1/x"  # the redirect was followed
        first = [req for req, _ in httpserver.log if req.path.startswith("/s2")][0]
        assert first.headers.get("x-api-key") == "secret-key"
        assert seen["other"] is None  # the other host never saw the key
        monkeypatch.setenv("PLM_BIB_S2_URL", httpserver.url_for("/same"))
        enrich(lib, sources=["s2"], client=client())
        assert seen["home"] == "secret-key"
    finally:
        other.stop()


# -- issue 15: deadlines, budgets, sizes, the cache (items 23-25, 27) ----------------------
def test_a_drip_fed_body_meets_the_deadline(monkeypatch):
    """The body comes one byte every 0.1 s (200 bytes: 20 s); the request's deadline is 1 s."""
    import time

    from fake_sources import RawServer, drip

    server = RawServer(drip(b"x" * 200, 0.1))
    try:
        monkeypatch.setenv("PLM_BIB_ARXIV_URL", server.url("/arxiv"))
        start = time.monotonic()
        out = enrich(_one(), sources=["arxiv"], client=client(deadline=1.0, timeout=5, retries=2))
        elapsed = time.monotonic() - start
    finally:
        server.close()
    assert elapsed < 3.0, elapsed
    assert out[0].authors == ()
    assert any("took longer than 1 s" in p.message for p in out.problems), [p.message for p in out.problems]


def test_a_hung_host_costs_a_bounded_time_and_is_given_up(monkeypatch):
    """A host that accepts and never answers: each request ends at its read timeout, and
    after 2 failures (the breaker) the other records are not asked; said once."""
    import time

    from fake_sources import RawServer, hang

    server = RawServer(hang)
    try:
        monkeypatch.setenv("PLM_BIB_DBLP_URL", server.url("/dblp"))
        lib = Library([paper(key=f"p{i}", title=f"Paper {i}", venue="arXiv") for i in range(6)])
        start = time.monotonic()
        out = enrich(lib, sources=["dblp"], client=client(timeout=0.3, retries=1, max_failures=2))
        elapsed = time.monotonic() - start
        asked = server.connections
    finally:
        server.close()
    assert elapsed < 4.0, elapsed
    assert asked == 4  # 2 records x 2 attempts, then the source is skipped
    notices = [p for p in out.problems if "skipped for the rest of the run" in p.message]
    assert len(notices) == 1 and notices[0].level == "warning" and "2 consecutive failures" in notices[0].message
    per_record = [p for p in out.problems if p.key.startswith("p")]
    assert sorted({p.key for p in per_record}) == ["p0", "p1"]  # the skipped records: no message each
    assert [r.title for r in out] == [r.title for r in lib]


@pytest.mark.parametrize("retry_after", ["999999999", "Fri, 31 Dec 2100 23:59:59 GMT"])
def test_a_long_retry_after_gives_up_the_source(fake, retry_after):
    """``Retry-After`` beyond the 60 s allowed (seconds or an HTTP-date) is not waited for:
    the source is given up for the run at once."""
    slept = []
    fake.faults["dblp"] = [fail_times(99, 429, {"Retry-After": retry_after})]
    lib = Library([paper(key=f"p{i}", title=f"Paper {i}", venue="arXiv") for i in range(4)])
    out = enrich(lib, sources=["dblp"], client=client(sleep=slept.append))
    assert slept == [] and fake.count("dblp") == 1
    assert any("asks to wait" in p.message and "more than the 60 s allowed" in p.message for p in out.problems)
    assert sum("skipped for the rest of the run" in p.message for p in out.problems) == 1


def test_a_short_retry_after_is_honoured_through_the_injected_sleep(fake):
    slept = []
    fake.faults["arxiv"] = [fail_times(1, 503, {"Retry-After": "7"})]
    out = enrich(_one(), sources=["arxiv"], client=client(sleep=slept.append))
    assert slept == [7.0] and out[0].authors[0].family == "Liu"


def test_retry_after_seconds():
    from datetime import datetime, timezone

    from plm_bib.sources.http import retry_after_seconds

    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert retry_after_seconds("120", now) == 120
    assert retry_after_seconds("Thu, 01 Jan 2026 00:01:00 GMT", now) == 60
    assert retry_after_seconds("Wed, 31 Dec 2025 00:00:00 GMT", now) == 0  # in the past: no wait
    assert retry_after_seconds("soon", now) is None and retry_after_seconds(None, now) is None


def test_the_breaker_counts_consecutive_failures_only(fake):
    """500 after 500: after 3 the source is skipped; a success in between resets the count."""
    fake.faults["dblp"] = [fail_times(99, 500)]
    lib = Library([paper(key=f"p{i}", title=f"Paper {i}", venue="arXiv", provenance={"venue": "arxiv"})
                   for i in range(8)])
    out = enrich(lib, sources=["dblp"], client=client(retries=0))
    assert fake.count("dblp") == 3
    assert sum("skipped for the rest of the run" in p.message for p in out.problems) == 1
    assert all("verified" not in r.provenance for r in out)  # not searched: no finding
    fake.faults["dblp"] = [fail_times(2, 500)]  # two failures, then answers
    fake.log.clear()
    out = enrich(lib, sources=["dblp"], client=client(retries=0))
    assert fake.count("dblp") == 8 and not any("skipped" in p.message for p in out.problems)


def test_the_run_timeout_skips_the_rest(fake):
    import time

    fake.faults["dblp"] = [slow(0.4)]
    lib = Library([paper(key=f"p{i}", title=f"Paper {i}", venue="arXiv") for i in range(10)])
    start = time.monotonic()
    out = enrich(lib, sources=["dblp"], client=client(), timeout=1.0)
    elapsed = time.monotonic() - start
    assert elapsed < 3.0, elapsed
    assert 1 <= fake.count("dblp") <= 4
    notices = [p for p in out.problems if "time limit (1 s) is spent" in p.message]
    assert len(notices) == 1 and notices[0].level == "warning"
    with pytest.raises(ValueError, match="positive"):
        enrich(lib, sources=["dblp"], client=client(), timeout=0)


def test_cli_enrich_timeout(fake, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from plm_bib.cli import main

    monkeypatch.setenv("PLM_BIB_CACHE_DIR", str(tmp_path / "cache"))
    fake.faults["arxiv"] = [slow(1.5)]
    r = CliRunner().invoke(main, ["enrich", "--sources", "arxiv", "--timeout", "0.5"])
    assert r.exit_code == 0, r.output
    assert "time limit (0.5 s) is spent" in r.stderr
    r = CliRunner().invoke(main, ["enrich", "--timeout", "-1"])
    assert r.exit_code == 2


@pytest.mark.parametrize("fault", ["declared", "endless"])
def test_an_answer_beyond_the_size_limit_is_not_read(fake, fault):
    from fake_sources import endless

    fake.faults["dblp"] = [garbage(" " * 50_000) if fault == "declared" else endless()]
    c = client(max_bytes=10_000)
    out = enrich(Library([paper(title="Paper", venue="arXiv")]), sources=["dblp"], client=c)
    assert any("larger than 0.01 MB" in p.message for p in out.problems), [p.message for p in out.problems]


def test_error_answers_are_never_cached(fake, tmp_path):
    """An HTML error page (status 200) is a warning, not "no arXiv record", and is not
    cached: offline, it is not there; the next good answer is cached and used."""
    from fake_sources import not_feed

    fake.faults["arxiv"] = [not_feed()]
    out = enrich(_one(), sources=["arxiv"], client=client(tmp_path))
    msgs = [(p.level, p.message) for p in out.problems]
    assert any(level == "warning" and "not an Atom feed" in m for level, m in msgs), msgs
    assert not any("no arXiv record" in m for _, m in msgs)
    out = enrich(_one(), sources=["arxiv"], client=client(tmp_path, offline=True))
    assert any("not in the cache" in p.message for p in out.problems)
    fake.faults.clear()
    assert enrich(_one(), sources=["arxiv"], client=client(tmp_path))[0].authors[0].family == "Liu"
    fake.log.clear()
    assert enrich(_one(), sources=["arxiv"], client=client(tmp_path, offline=True))[0].authors[0].family == "Liu"
    assert fake.log == []


def test_a_cached_answer_that_does_not_parse_is_deleted(fake, tmp_path):
    """An error page cached by an older version: reported, and deleted from the cache."""
    import requests_cache

    fake.faults["dblp"] = [garbage("<html>rate limited</html>", "text/html")]
    lib = Library([paper(title="Paper", venue="arXiv")])
    c = client(tmp_path)
    legacy = requests_cache.CachedSession(str(tmp_path / "cache"), backend="sqlite")  # writes everything
    legacy.get(f"{os.environ['PLM_BIB_DBLP_URL']}/search/publ/api",
               params={"q": "Paper", "format": "json", "h": 10}, headers={"User-Agent": "x"})
    legacy.close()
    assert len(list(c.session.cache.responses.keys())) == 1
    out = enrich(lib, sources=["dblp"], client=client(tmp_path, offline=True))
    assert any("unreadable answer" in p.message for p in out.problems)
    assert len(list(c.session.cache.responses.keys())) == 0


def test_offline_misses_do_not_open_the_breaker(fake, tmp_path):
    """Offline, four answers not in the cache are not failures of the source: the fifth,
    cached, is still read."""
    lib = Library([paper(key=f"p{i}", title=f"Paper {i}", venue="arXiv") for i in range(5)])
    enrich(Library([lib[4]]), sources=["dblp"], client=client(tmp_path))  # caches "Paper 4"
    fake.log.clear()
    out = enrich(lib, sources=["dblp"], client=client(tmp_path, offline=True))
    assert fake.log == []
    assert sorted(p.key for p in out.problems if "not in the cache" in p.message) == ["p0", "p1", "p2", "p3"]
    assert not any("skipped" in p.message for p in out.problems)


def test_a_compressed_answer_is_limited_by_its_decoded_size(httpserver, monkeypatch):
    """A 20 kB gzip body that inflates to 20 MB: the limit counts decoded bytes."""
    import gzip

    bomb = gzip.compress(b"0" * 20_000_000, compresslevel=9)
    assert len(bomb) < 50_000
    httpserver.expect_request("/dblp/search/publ/api").respond_with_data(
        bomb, content_type="application/json", headers={"Content-Encoding": "gzip"})
    monkeypatch.setenv("PLM_BIB_DBLP_URL", httpserver.url_for("/dblp"))
    out = enrich(Library([paper(title="Paper", venue="arXiv")]), sources=["dblp"], client=client(max_bytes=1_000_000))
    assert any("larger than 1 MB: not read further" in p.message for p in out.problems), \
        [p.message for p in out.problems]


def test_real_arxiv_answer_with_an_impossible_date_and_an_unknown_charset(shared_data, httpserver, monkeypatch):
    """arXiv's recorded answer (read from the shared data), its date made impossible, then
    declared in an unknown charset: a Problem each time, and the record otherwise filled."""
    import re

    recorded = json.loads((shared_data / "http" / "arxiv" / "id_1605.08386_s0_m100_199195aa31ad.json")
                          .read_text(encoding="utf-8"))["body"]
    bad_date, n = re.subn(r"<published>(\d{4})-\d{2}", r"<published>\1-13", recorded)
    assert n == 1
    httpserver.expect_ordered_request("/arxiv").respond_with_data(bad_date, content_type="application/atom+xml")
    httpserver.expect_ordered_request("/arxiv").respond_with_data(
        recorded, content_type="application/atom+xml; charset=no-such-charset")
    monkeypatch.setenv("PLM_BIB_ARXIV_URL", httpserver.url_for("/arxiv"))
    lib = Library([paper(title="?", ids={"arxiv": "1605.08386"})])
    out = enrich(lib, sources=["arxiv"], client=client())
    assert out[0].title != "?" and out[0].authors and out[0].year is None and out[0].month is None
    assert any("not a date" in p.message for p in out.problems)
    assert "@misc{" in out.to_bibtex()
    out = enrich(lib, sources=["arxiv"], client=client())
    assert out[0].title == "?" and any("unknown charset" in p.message for p in out.problems)
