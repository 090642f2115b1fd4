"""Benchmark: enrich 1,000 records with arXiv ids against a local server in arXiv's format.

Reports the number of requests (batching: target at most 20), the wall time against the
rate-limit floor (arXiv asks for one request every 3 seconds), and a second run served
from the cache (target: 0 requests).

    python benchmarks/enrich_arxiv.py [--records 1000] [--interval 3.0]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs

from werkzeug import Request, Response
from werkzeug.serving import make_server

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from plm_bib import Library  # noqa: E402
from plm_bib.model import Record  # noqa: E402
from plm_bib.sources.enrich import enrich  # noqa: E402
from plm_bib.sources.http import Client  # noqa: E402

SERVED = {"requests": 0}


def feed(ids):
    entries = "".join(
        f"<entry><id>http://arxiv.org/abs/{i}v1</id><published>2020-0{1 + n % 9}-15T00:00:00Z</published>"
        f"<title>Paper number {i}</title><author><name>Ada Lovelace</name></author>"
        f"<author><name>Alan Turing</name></author></entry>" for n, i in enumerate(ids))
    return f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">{entries}</feed>'


def app(environ, start_response):
    req = Request(environ)
    SERVED["requests"] += 1
    ids = parse_qs(req.query_string.decode()).get("id_list", [""])[0].split(",")
    return Response(feed(ids), content_type="application/atom+xml")(environ, start_response)


def main() -> None:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=1000)
    ap.add_argument("--interval", type=float, default=3.0)
    args = ap.parse_args()
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    host = f"127.0.0.1:{srv.server_port}"
    import os

    os.environ["PLM_BIB_ARXIV_URL"] = f"http://{host}/api/query"
    lib = Library([Record(key=f"p{n}", title="", kind="paper", entry_type="misc",
                          ids={"arxiv": f"2001.{n:05d}"}) for n in range(args.records)])
    cache = tempfile.mkdtemp()
    rows = []
    for label, offline in (("cold", False), ("from cache", True)):
        SERVED["requests"] = 0
        client = Client(cache_path=f"{cache}/c", intervals={host: args.interval}, offline=offline)
        t = time.perf_counter()
        out = enrich(lib, ["arxiv"], client=client)
        wall = time.perf_counter() - t
        filled = sum(1 for r in out if r.authors)
        floor = max(0, SERVED["requests"] - 1) * args.interval
        rows.append((label, SERVED["requests"], wall, floor, filled))
    print("| run | records | requests to the server | wall time | rate-limit floor | records filled |")
    print("|---|---|---|---|---|---|")
    for label, n, wall, floor, filled in rows:
        print(f"| {label} | {args.records} | {n} | {wall:.1f} s | {floor:.1f} s | {filled} |")


if __name__ == "__main__":
    main()
