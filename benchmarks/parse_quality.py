"""How well the reading-list parser reads real lists: scored against hand-checked labels.

    python3 benchmarks/parse_quality.py [--labels DIR] [--markdown] [--misses FIELD]

For every labelled list in ``../shared/data/reading-lists/labels/`` (one JSONL file per list,
described in that folder's README.md) the list is parsed and every label is matched to a
record by title (case, accents, punctuation and spaces folded; among equal titles the record
listed nearest the label's line).  Then each field is right or wrong:

* title: a record with that title exists;
* url: the label's URL is among the record's links (a ``null`` URL: the record has no link
  other than code, project or slides links);
* year: the label's year is the record's year or the year of one of its claims (``null``:
  no claim gives a year and the record's year does not come from the list);
* venue: the first word of the label's venue (or of its canonical name in the venue
  registry: ``NIPS`` is ``NeurIPS``) is the first word of the record's venue or of a
  claim's venue (as read or as written, ``In Proceedings of`` dropped); ``null``: no claim
  names a venue and the record's venue does not come from the list;
* authors: the family names in order (a prefix of the record's when ``authors_complete`` is
  false; ``null``: the record has no authors);
* kind: paper or resource, equal.

A label with no matching record is wrong in every field.  The output is one row per list and
a total row: the share of labelled items right, per field.  ``--misses FIELD`` prints each
miss of that field (label, then what the record has), to see why.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import plm_bib  # noqa: E402
from plm_bib.metadata.venues import canonical_venue  # noqa: E402
from plm_bib.model import Record  # noqa: E402

LABELS = ROOT.parent / "shared" / "data" / "reading-lists" / "labels"
FIELDS = ("title", "url", "year", "venue", "authors", "kind")
_DERIVED = ("acl-id", "arxiv-id")


def fold(text: str) -> str:
    """Title comparison form: case, accents, punctuation and spaces folded."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", "", t.casefold())


def _first_word(venue: str) -> str:
    words = re.findall(r"[^\W_]+", venue.casefold())
    return words[0] if words else ""


def _venue_words(venue: str) -> set:
    """The first word of a venue as written and of its canonical name (``NIPS`` is ``NeurIPS``)."""
    v = re.sub(r"^[\W_]*(in\s+)?((the\s+)?(proceedings|proc\.?)\s+(of\s+)?)?(the\s+)?(\d+(st|nd|rd|th)\s+)?",
               "", venue.strip().replace("{", "").replace("}", ""), flags=re.I)
    words = {_first_word(v)}
    canon = canonical_venue(v) or canonical_venue(re.sub(r"[\s_'-]*\d+.*$", "", v))
    if canon:
        words.add(_first_word(canon))
    return {w for w in words if w}


def _families(rec: Record) -> List[str]:
    return [fold(p.family) for p in rec.authors if p.family != "others"]


def field_right(label: Dict[str, Any], rec: Optional[Record]) -> Dict[str, bool]:
    """Each field of one label: right or wrong against its matched record (or None)."""
    if rec is None:
        return {f: False for f in FIELDS}
    out = {"title": True}
    url = label.get("url")
    if url:
        out["url"] = any(u.url == url or u.url.rstrip("/") == url.rstrip("/") for u in rec.urls)
    else:
        out["url"] = not any(u.kind not in ("code", "project", "slides") for u in rec.urls)
    year = label.get("year")
    claim_years = [c.year for c in rec.claims if c.year]
    if year:
        out["year"] = year == rec.year or year in claim_years
    else:
        out["year"] = not claim_years and (rec.year is None or rec.provenance.get("year") in _DERIVED)
    venue = label.get("venue")
    claim_venues = [c.venue for c in rec.claims if c.venue]
    if venue:
        want = _venue_words(venue)
        have = set()
        for v in claim_venues + ([rec.venue] if rec.venue else []):
            have |= _venue_words(v)
        for c in rec.claims:
            if c.venue:
                have |= _venue_words(c.raw)
        out["venue"] = bool(want & have)
    else:
        out["venue"] = not claim_venues and (rec.venue is None or rec.provenance.get("venue") in _DERIVED)
    authors = label.get("authors")
    fams = _families(rec)
    if authors:
        want_f = [fold(a) for a in authors]
        if label.get("authors_complete", True):
            out["authors"] = fams == want_f
        else:
            out["authors"] = fams[: len(want_f)] == want_f and len(fams) >= len(want_f)
    else:
        out["authors"] = not fams
    out["kind"] = label.get("kind") == rec.kind
    return out


def match(label: Dict[str, Any], by_title: Dict[str, List[Record]]) -> Optional[Record]:
    cands = by_title.get(fold(label.get("title") or ""), [])
    if not cands:
        return None
    line = int(label.get("line") or 0)
    return min(cands, key=lambda r: min((abs(n - line) for n in r.lines), default=10 ** 9))


def score_list(md: Path, labels: Sequence[Dict[str, Any]],
               misses: Optional[str] = None) -> Tuple[Dict[str, int], int]:
    lib = plm_bib.read_markdown(md)
    by_title: Dict[str, List[Record]] = {}
    for r in lib:
        for t in {r.title, *r.titles_as_listed}:
            by_title.setdefault(fold(t), []).append(r)
    right = {f: 0 for f in FIELDS}
    for label in labels:
        rec = match(label, by_title)
        res = field_right(label, rec)
        for f in FIELDS:
            right[f] += res[f]
        if misses and not res[misses]:
            print(f"--- {md.name}:{label.get('line')} [{misses}]")
            print("  label:", json.dumps({k: label.get(k) for k in ("title", "url", "year", "venue", "authors",
                                                                    "kind")}, ensure_ascii=False))
            if rec is None:
                near = [r for r in lib if any(abs(n - int(label.get("line") or 0)) <= 1 for n in r.lines)]
                print("  no record with that title; near its line:",
                      [(r.title, r.lines[:3]) for r in near][:3])
            else:
                print("  record:", json.dumps({
                    "title": rec.title, "urls": [u.url for u in rec.urls], "year": rec.year,
                    "venue": rec.venue, "claims": [(c.raw, c.venue, c.year) for c in rec.claims],
                    "authors": [p.family for p in rec.authors], "kind": rec.kind}, ensure_ascii=False))
    return right, len(labels)


def load_labels(path: Path) -> List[Dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score_all(labels_dir: Path = LABELS, misses: Optional[str] = None
              ) -> List[Tuple[str, Dict[str, int], int]]:
    """(list name, right per field, number of labels) for every labelled list."""
    rows = []
    for lab in sorted(labels_dir.glob("*.jsonl")):
        md = labels_dir.parent / lab.name[: -len(".jsonl")]
        if not md.exists():
            continue
        right, n = score_list(md, load_labels(lab), misses)
        rows.append((md.name, right, n))
    return rows


def table(rows: Sequence[Tuple[str, Dict[str, int], int]], markdown: bool = False) -> str:
    total = {f: sum(r[1][f] for r in rows) for f in FIELDS}
    n_all = sum(r[2] for r in rows)
    lines = []
    if markdown:
        lines.append("| list | items | " + " | ".join(FIELDS) + " |")
        lines.append("|---|---:|" + "---:|" * len(FIELDS))
    for name, right, n in list(rows) + [("total", total, n_all)]:
        cells = [f"{100 * right[f] / n:.0f}%" if n else "-" for f in FIELDS]
        if markdown:
            shown = f"**{name}**" if name == "total" else name
            lines.append(f"| {shown} | {n} | " + " | ".join(cells) + " |")
        else:
            lines.append(f"{name[:60]:60} {n:4} " + " ".join(f"{c:>7}" for c in cells))
    if not markdown:
        lines.insert(0, f"{'list':60} {'n':>4} " + " ".join(f"{f:>7}" for f in FIELDS))
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--labels", type=Path, default=LABELS)
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    ap.add_argument("--misses", choices=FIELDS, help="print every miss of this field")
    args = ap.parse_args(argv)
    if not args.labels.is_dir():
        print(f"no labels at {args.labels}", file=sys.stderr)
        return 1
    rows = score_all(args.labels, args.misses)
    print(table(rows, args.markdown))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
