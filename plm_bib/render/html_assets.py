"""The style sheet and the script of the reading-list web page (:mod:`plm_bib.render.html_page`).

Both are constants: no value of a list ever reaches them (the page's data sits in escaped
attributes and elements), so the page's Content-Security-Policy can allow the script by its
SHA-256 hash (:data:`SCRIPT_HASH`) and nothing else.
"""
from __future__ import annotations

import base64
import hashlib

__all__ = ["CSS", "SCRIPT", "SCRIPT_HASH", "CSP"]

CSS = """
:root { --fg: #1b1b1b; --muted: #555; --line: #d0d4da; --accent: #1f4e9c; --ok: #1b6e2d; --warn: #8a4b00;
  --bad: #b3261e; --bg: #fff; --card: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC",
  sans-serif; color: var(--fg); background: var(--bg); }
header, main, footer, .tools { max-width: 60rem; margin: 0 auto; padding: 0 1rem; }
h1 { font-size: 1.8rem; margin: 1.2rem 0 .2rem; }
h2 { font-size: 1.4rem; margin: 1.6rem 0 .4rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.15rem; margin: 1.2rem 0 .3rem; }
h4, h5, h6 { font-size: 1rem; margin: 1rem 0 .3rem; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -999rem; }
.skip:focus { left: 1rem; top: .5rem; background: var(--bg); padding: .3rem .6rem; z-index: 2; }
.summary, .muted { color: var(--muted); }
.tools { position: sticky; top: 0; z-index: 1; background: var(--bg); border-bottom: 1px solid var(--line);
  padding-top: .6rem; padding-bottom: .6rem; display: flex; flex-wrap: wrap; gap: .6rem 1rem;
  align-items: end; }
.tools label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); }
.tools input, .tools select, .tools button { font: inherit; font-size: 1rem; padding: .3rem .4rem;
  border: 1px solid #8a8f98; border-radius: 4px; background: var(--bg); color: var(--fg); max-width: 16rem; }
.tools input[type=search] { width: 18rem; }
.feedback { margin: 0; min-height: 1.5em; color: var(--ok); font-weight: 600; align-self: center; }
#status { min-height: 1.5em; margin: .6rem 0; color: var(--muted); }
ol.recs { list-style: none; padding: 0; margin: 0; }
li.rec { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem;
  margin: .5rem 0; }
li.rec p { margin: .2rem 0; }
.label { font-weight: 600; margin-right: .3rem; }
.mark { display: inline-block; font-size: .8rem; font-weight: 600; border-radius: 3px; padding: 0 .4rem;
  border: 1px solid currentColor; margin-right: .3rem; }
.mark.verified { color: var(--ok); }
.mark.unverified { color: var(--warn); }
.mark.corrected { color: var(--bad); }
.mark.resource { color: var(--muted); }
ul.corrections { margin: .2rem 0; padding-left: 1.2rem; color: var(--bad); }
.notes, .links { font-size: .92rem; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: start; margin-top: .3rem; }
button.copy { font: inherit; font-size: .9rem; padding: .2rem .6rem; border: 1px solid var(--accent);
  color: var(--accent); background: var(--bg); border-radius: 4px; cursor: pointer; }
button.copy:hover { background: #e8eef8; }
details { font-size: .9rem; }
pre { white-space: pre-wrap; word-break: break-word; background: var(--bg); border: 1px solid var(--line);
  padding: .4rem; margin: .3rem 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(24rem, 1fr)); gap: 1rem; }
figure { margin: 1rem 0; }
figure svg { max-width: 100%; height: auto; }
table.counts { border-collapse: collapse; font-size: .85rem; }
table.counts th, table.counts td { border: 1px solid var(--line); padding: .1rem .4rem; text-align: left; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
.offscreen { position: fixed; left: -9999px; top: 0; }
[hidden] { display: none !important; }
"""

SCRIPT = """
(function () {
  "use strict";
  var form = document.getElementById("tools");
  var q = document.getElementById("q");
  var selects = {sec: document.getElementById("f-section"), year: document.getElementById("f-year"),
                 venue: document.getElementById("f-venue"), kind: document.getElementById("f-kind")};
  var status = document.getElementById("status");
  var none = document.getElementById("none");
  var said = document.getElementById("copied");
  var recs = Array.prototype.slice.call(document.querySelectorAll("li.rec"));
  var secs = Array.prototype.slice.call(document.querySelectorAll("section.sec"));
  var total = {};
  recs.forEach(function (li) { total[li.getAttribute("data-key")] = true; });
  var count = Object.keys(total).length;

  function has(list, word) { return (" " + list + " ").indexOf(" " + word + " ") >= 0; }

  function apply() {
    var words = q.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var sec = selects.sec.value, year = selects.year.value, venue = selects.venue.value,
        kind = selects.kind.value;
    var shown = {};
    recs.forEach(function (li) {
      var hay = li.getAttribute("data-search");
      var ok = words.every(function (w) { return hay.indexOf(w) >= 0; }) &&
        (!sec || has(li.getAttribute("data-sec"), sec)) &&
        (!year || li.getAttribute("data-year") === year) &&
        (!venue || li.getAttribute("data-venue") === venue) &&
        (!kind || li.getAttribute("data-kind") === kind);
      li.hidden = !ok;
      if (ok) { shown[li.getAttribute("data-key")] = true; }
    });
    secs.forEach(function (s) { s.hidden = !s.querySelector("li.rec:not([hidden])"); });
    var n = Object.keys(shown).length;
    status.textContent = n + " of " + count + " records shown";
    none.hidden = n > 0;
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });

  function fallback(text) {
    var ta = document.createElement("textarea");
    ta.value = text;
    ta.setAttribute("readonly", "");
    ta.className = "offscreen";
    document.body.appendChild(ta);
    ta.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (err) { ok = false; }
    document.body.removeChild(ta);
    return ok;
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(function () { return true; },
                                                      function () { return fallback(text); });
    }
    return Promise.resolve(fallback(text));
  }

  document.addEventListener("click", function (e) {
    var button = e.target.closest ? e.target.closest("button.copy") : null;
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute("aria-controls"));
    if (!source) { return; }
    var name = button.getAttribute("data-key");
    copy(source.textContent).then(function (ok) {
      said.textContent = ok ? "Copied the BibTeX of " + name :
        "Could not copy: open \\u201cBibTeX\\u201d and select the text";
      button.focus();
    });
  });
  apply();
})();
"""

SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(SCRIPT.encode("utf-8")).digest()).decode("ascii")

# only this page's own script runs; styles are inline (the charts' SVG carries style
# attributes); no request leaves the page (no fonts, images, frames, connections, forms)
CSP = (f"default-src 'none'; script-src '{SCRIPT_HASH}'; style-src 'unsafe-inline'; img-src data:; "
       "base-uri 'none'; form-action 'none'")
