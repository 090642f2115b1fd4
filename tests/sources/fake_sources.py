"""A local stand-in for the online sources, answering in their real formats.

The answers are built from the curated records (the verified metadata of the built-in
list), written the way each service writes them: arXiv's Atom feed, the ACL Anthology's
per-paper BibTeX, doi.org's CSL-JSON, DBLP's search JSON, Semantic Scholar's batch JSON.
Faults are switched on per test.  Every request is logged, so tests can count them.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional
from urllib.parse import parse_qs

from werkzeug import Request, Response

from plm_bib.curation.overlay import curated_records
from plm_bib.metadata.names import parse_name
from plm_bib.model import Record
from plm_bib.readinglist import normalize_title

ATOM = "http://www.w3.org/2005/Atom"


def _x(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def atom_feed(records: List[Record], invalid: List[str] = ()) -> str:
    entries = []
    for r in records:
        a = r.ids["arxiv"]
        published = f"{r.year}-{r.month or 1:02d}-15T17:00:00Z"
        authors = "".join(f"<author><name>{_x(p.display())}</name></author>" for p in r.authors)
        prim = r.extra.get("primaryclass", "cs.CL")
        entries.append(
            f"<entry><id>http://arxiv.org/abs/{a}v1</id><updated>{published}</updated>"
            f"<published>{published}</published><title>{_x(r.title)}</title>"
            f"<summary>An abstract.</summary>{authors}"
            f'<link href="http://arxiv.org/abs/{a}v1" rel="alternate" type="text/html"/>'
            f'<arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="{prim}" '
            f'scheme="http://arxiv.org/schemas/atom"/></entry>')
    for bad in invalid:  # arXiv's answer for an id it does not know
        entries.append(f"<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_{bad}</id>"
                       f"<title>Error</title><summary>incorrect id format for {bad}</summary></entry>")
    return (f'<?xml version="1.0" encoding="UTF-8"?><feed xmlns="{ATOM}" '
            f'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
            f"<title>arXiv Query</title>{''.join(entries)}</feed>")


def acl_bib(r: Record) -> str:
    acl = r.ids["acl"]
    names = " and\n      ".join(p.bibtex() for p in r.authors)
    month = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"][r.month - 1]
    key = f"{r.authors[0].family.lower()}-etal-{r.year}-x"
    title = r.title.replace("BERT", "{BERT}")
    return (f'@inproceedings{{{key},\n    title = "{title}",\n    author = "{names}",\n'
            f'    editor = "Somebody, Ann",\n    booktitle = "{r.booktitle}",\n    month = {month},\n'
            f'    year = "{r.year}",\n    address = "{r.address}",\n    publisher = "{r.publisher}",\n'
            f'    url = "https://aclanthology.org/{acl}",\n    doi = "{r.doi}",\n    pages = "{r.pages}",\n'
            f'    abstract = "An abstract with {{braces}} and 50% of it.",\n}}\n')


def csl_item(r: Record) -> dict:
    item = {"type": "paper-conference", "title": r.title, "DOI": r.doi, "URL": f"https://doi.org/{r.doi}",
            "author": [{"family": p.family, "given": p.given} for p in r.authors],
            "container-title": (r.booktitle or "").replace("\\&", "&"),
            "issued": {"date-parts": [[r.year, r.month]]}, "publisher": r.publisher,
            "publisher-place": r.address, "event": f"KDD '{str(r.year)[2:]}: The ACM SIGKDD Conference",
            "source": "Crossref", "ISBN": "9781450379984"}
    if r.pages:
        item["page"] = r.pages.replace("--", "-")
    return item


def dblp_hit(r: Record, venue: str, key: str, ee: str, pages: Optional[str] = None) -> dict:
    authors = [{"@pid": "00/0000", "text": p.display()} for p in r.authors]
    info = {"authors": {"author": authors if len(authors) > 1 else authors[0]}, "title": r.title + ".",
            "venue": venue, "year": str(r.year), "type": "Conference and Workshop Papers",
            "key": key, "ee": ee, "url": f"https://dblp.org/rec/{key}"}
    if pages:
        info["pages"] = pages
    if venue == "CoRR":
        info["type"] = "Informal and Other Publications"
        info["volume"] = "abs/" + r.ids.get("arxiv", "0000.00000")
    return {"@score": "10", "@id": "1", "info": info, "url": "URL#1"}


def dblp_answer(hits: List[dict]) -> dict:
    return {"result": {"query": "q", "status": {"@code": "200", "text": "OK"},
                       "hits": {"@total": str(len(hits)), "@computed": str(len(hits)), "@sent": str(len(hits)),
                                "@first": "0", "hit": hits}}}


@dataclass
class FakeSources:
    """The answers, with switches for faults, and a log of what was asked."""

    log: List[str] = field(default_factory=list)
    faults: Dict[str, List[Callable[[Request], Optional[Response]]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.curated = {r.key: r for r in curated_records()}
        self.by_arxiv = {r.ids["arxiv"]: r for r in self.curated.values() if "arxiv" in r.ids}
        self.by_acl = {r.ids["acl"]: r for r in self.curated.values() if "acl" in r.ids}
        self.by_doi = {r.doi.lower(): r for r in self.curated.values() if r.doi}
        c = self.curated
        poerner = Record(key="", title="E-BERT: Efficient-Yet-Effective Entity Embeddings for BERT",
                         kind="paper", entry_type="inproceedings", year=2020,
                         authors=tuple(parse_name(n) for n in
                                       ("Nina Poerner", "Ulli Waltinger", "Hinrich Schütze")))
        self.dblp: Dict[str, List[dict]] = {
            normalize_title(c["clark2020electra"].title): [
                dblp_hit(c["clark2020electra"], "ICLR", "conf/iclr/ClarkLLM20", "https://openreview.net/forum?id=r1xMH1BtvB"),
                dblp_hit(c["clark2020electra"], "CoRR", "journals/corr/abs-2003-10555", "https://arxiv.org/abs/2003.10555")],
            normalize_title(c["houlsby2019parameter"].title): [
                dblp_hit(c["houlsby2019parameter"], "ICML", "conf/icml/HoulsbyGJMLGAG19",
                         "http://proceedings.mlr.press/v97/houlsby19a.html", "2790-2799")],
            normalize_title(c["liu2019roberta"].title): [
                dblp_hit(c["liu2019roberta"], "CoRR", "journals/corr/abs-1907-11692", "http://arxiv.org/abs/1907.11692")],
            normalize_title(c["zhang2020ebert"].title): [
                dblp_hit(poerner, "EMNLP (Findings)", "conf/emnlp/PoernerWS20",
                         "https://doi.org/10.18653/v1/2020.findings-emnlp.71", "803-818")],
            normalize_title(c["jiang2021pretraining"].title): [
                {**dblp_hit(c["jiang2021pretraining"], "KDD", "conf/kdd/JiangJFSLW21",
                            "https://doi.org/10.1145/3447548.3467396", "756-766")}],
            normalize_title(c["liang2020bond"].title): [
                dblp_hit(c["liang2020bond"], "KDD", "conf/kdd/LiangYJEWZZ20", "https://doi.org/10.1145/3394486.3403149")],
        }

    # -- dispatch ----------------------------------------------------------------------------
    def __call__(self, request: Request) -> Response:
        self.log.append(f"{request.method} {request.path}?{request.query_string.decode()}")
        for fault in self.faults.get(request.path.split("/")[1], []):
            resp = fault(request)
            if resp is not None:
                return resp
        service = request.path.split("/")[1]
        return getattr(self, f"_{service}")(request)

    def count(self, service: str) -> int:
        return sum(1 for line in self.log if line.split()[1].startswith(f"/{service}"))

    def _arxiv(self, request: Request) -> Response:
        ids = parse_qs(request.query_string.decode()).get("id_list", [""])[0].split(",")
        known = [self.by_arxiv[i] for i in ids if i in self.by_arxiv]
        unknown = [i for i in ids if i not in self.by_arxiv]
        return Response(atom_feed(known, unknown), content_type="application/atom+xml")

    def _acl(self, request: Request) -> Response:
        acl = request.path.split("/", 2)[2].removesuffix(".bib")
        if acl not in self.by_acl:
            return Response("<html>Not Found</html>", status=404, content_type="text/html")
        return Response(acl_bib(self.by_acl[acl]), content_type="text/x-bibtex")

    def _doi(self, request: Request) -> Response:
        doi = request.path.split("/", 2)[2].lower()
        if doi not in self.by_doi:
            return Response("DOI Not Found", status=404)
        return Response(json.dumps(csl_item(self.by_doi[doi])), content_type="application/vnd.citationstyles.csl+json")

    def _dblp(self, request: Request) -> Response:
        q = parse_qs(request.query_string.decode()).get("q", [""])[0]
        hits = self.dblp.get(normalize_title(q), [])
        return Response(json.dumps(dblp_answer(hits)), content_type="application/json")

    def _s2(self, request: Request) -> Response:
        ids = json.loads(request.get_data(as_text=True))["ids"]
        out = []
        for i in ids:
            kind, _, value = i.partition(":")
            r = self.by_arxiv.get(value) if kind == "ARXIV" else self.by_doi.get(value.lower())
            if r is None:
                out.append(None)
                continue
            ext = {"ArXiv": r.ids.get("arxiv"), "CorpusId": 1}
            if r.ids.get("acl"):
                ext["ACL"] = r.ids["acl"]
                ext["DOI"] = r.doi
            elif r.doi and not r.doi.startswith("10.48550"):
                ext["DOI"] = r.doi
            out.append({"paperId": "abc", "externalIds": {k: v for k, v in ext.items() if v},
                        "title": r.title, "year": r.year, "venue": r.venue,
                        "authors": [{"authorId": "1", "name": p.display()} for p in r.authors]})
        return Response(json.dumps(out), content_type="application/json")


# -- faults ----------------------------------------------------------------------------------
def fail_times(n: int, status: int, headers: Optional[dict] = None, body: str = "error"):
    state = {"left": n}

    def fault(request: Request) -> Optional[Response]:
        if state["left"] > 0:
            state["left"] -= 1
            return Response(body, status=status, headers=headers or {})
        return None

    return fault


def slow(seconds: float):
    def fault(request: Request) -> Optional[Response]:
        time.sleep(seconds)
        return None

    return fault


def garbage(body: str, content_type: str = "application/json"):
    return lambda request: Response(body, status=200, content_type=content_type)



def not_feed(body: str = "<html><head><title>Error</title></head><body><h1>503 Service Unavailable</h1></body></html>"):
    """arXiv's error page: HTML with status 200, well-formed, so it parses as XML."""
    return lambda request: Response(body, status=200, content_type="text/html")


def endless(chunk: bytes = b" " * 65536, content_type: str = "application/json"):
    """A body with no Content-Length that never ends (chunked)."""
    def body():
        while True:
            yield chunk

    return lambda request: Response(body(), status=200, content_type=content_type)


class RawServer:
    """A loopback TCP server whose every connection is handed to ``handle(conn)`` in a
    thread: for faults no HTTP server would make (a body drip-fed a byte at a time, a
    host that accepts and never answers)."""

    def __init__(self, handle: Callable[[object], None], host: str = "127.0.0.1"):
        import socket
        import threading

        self.handle = handle
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind((host, 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.host = host
        self.port = self.sock.getsockname()[1]
        self.stopped = threading.Event()
        self.connections = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def url(self, path: str = "/") -> str:
        return f"http://{self.host}:{self.port}{path}"

    def _serve(self) -> None:
        import socket
        import threading

        while not self.stopped.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._run, args=(conn,), daemon=True).start()

    def _run(self, conn) -> None:
        try:
            conn.settimeout(10)
            conn.recv(65536)  # the request
            self.handle(conn, self.stopped)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stopped.set()
        self.sock.close()
        self.thread.join(2)


def drip(body: bytes, every: float, content_type: str = "application/atom+xml"):
    """A handler that sends the headers at once, then the body one byte every ``every`` s."""
    def handle(conn, stopped) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type.encode() +
                     b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n")
        for i in range(len(body)):
            if stopped.wait(every):
                return
            conn.sendall(body[i:i + 1])

    return handle


def hang(conn, stopped) -> None:
    """A handler that reads the request and never answers."""
    stopped.wait(30)
