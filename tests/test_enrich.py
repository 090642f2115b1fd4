"""Online enrichment against a local server that answers in the sources' real formats."""
import json
from pathlib import Path

import pytest
from fake_sources import FakeSources, fail_times, garbage, slow

import plm_bib
from plm_bib import Library
from plm_bib.curated import curated_records
from plm_bib.enrich import enrich, same_work
from plm_bib.model import Claim, Person, Record
from plm_bib.sources.http import Client

ROOT = Path(__file__).resolve().parent.parent


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
    rejected = [p for p in out.problems if p.raw == "zhang2020ebert" or "E-BERT" in p.message]
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
        from plm_bib.enrich import enrich
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
