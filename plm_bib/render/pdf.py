"""Reading-list PDFs: Typst (a pip package, no system TeX) by default, XeLaTeX on request.

The Typst document is generated here: title, date, table of contents, a section per
heading of the list in its order (headings as written), and in each section its records
as formatted references in the chosen style (our renderer, so the bibliography terms are
English whatever the heading language), the list's notes, a mark where ``check`` found the
list's claim wrong, and clickable links.  All text reaches Typst escaped (see
:mod:`markup`), and no Typst package is imported (``@preview`` needs the network).

Chinese text needs a CJK font: the ``pdf`` extra brings Noto Sans CJK (OFL) as a wheel,
else a Noto/Source Han CJK font installed on the system is used; without either, and with
CJK text to print, :class:`PdfError` says so instead of printing empty boxes.
"""
from __future__ import annotations

import datetime as _dt
import glob
import mmap
import os
import re
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING, List, Optional, Sequence, Tuple

from plm_bib.curation.check import claim_corrections
from plm_bib.errors import BadOption, ExtraNeeded, PdfError
from plm_bib.render.bibliography import format_references
from plm_bib.render.charts import chart_svg
from plm_bib.render.latex_document import reading_list_tex
from plm_bib.render.markup import is_web_url, one_line, render
from plm_bib.render.styles import get_style
from plm_bib.textio import write_atomic_bytes

if TYPE_CHECKING:  # pragma: no cover
    from plm_bib.library import Library

__all__ = ["PdfError", "CjkFont", "find_cjk_font", "typst_source", "render_pdf", "ENGINES", "document_date"]

ENGINES = ("typst", "latex")
_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_SYSTEM_FONT_GLOBS = ("/usr/share/fonts/**/NotoSansCJK*", "/usr/share/fonts/**/NotoSerifCJK*",
                      "/usr/share/fonts/**/SourceHan*", "/usr/local/share/fonts/**/NotoSansCJK*",
                      os.path.expanduser("~/.fonts/**/NotoSansCJK*"),
                      os.path.expanduser("~/.local/share/fonts/**/NotoSansCJK*"))




@dataclass(frozen=True)
class CjkFont:
    path: str    # the font file
    family: str  # the family name Typst knows it by


def _family(path: str) -> str:
    name = os.path.basename(path)
    m = re.match(r"Noto(Sans|Serif)CJK(sc|tc|jp|kr|hk)?-", name, re.I)
    if m:
        region = (m.group(2) or "sc").upper()
        return f"Noto {m.group(1)} CJK {region}"
    if name.lower().startswith("sourcehansans"):
        return "Source Han Sans SC"
    return "Noto Sans CJK SC"


_FONT_MAGIC = (b"\x00\x01\x00\x00", b"true", b"OTTO", b"ttcf")  # TrueType, Mac TrueType, OpenType, collection


def _maps_char(font: "mmap.mmap", code: int) -> Optional[bool]:
    """Whether the (first) font of an OpenType file maps ``code`` to a glyph, by its Unicode
    ``cmap`` (formats 4 and 12); ``None`` when it has no subtable this reads."""
    def u16(at: int) -> int:
        return int(struct.unpack_from(">H", font, at)[0])

    def u32(at: int) -> int:
        return int(struct.unpack_from(">I", font, at)[0])

    base = u32(12) if font[:4] == b"ttcf" else 0  # a collection: its first font
    tables = {bytes(font[base + 12 + 16 * i: base + 16 + 16 * i]): u32(base + 20 + 16 * i)
              for i in range(u16(base + 4))}
    if b"cmap" not in tables:
        raise ValueError("no cmap table")  # every usable font maps characters to glyphs
    cmap = tables[b"cmap"]
    subtables = {(u16(cmap + 4 + 8 * i), u16(cmap + 6 + 8 * i)): cmap + u32(cmap + 8 + 8 * i)
                 for i in range(u16(cmap + 2))}
    for pe in ((3, 10), (0, 4), (0, 6), (3, 1), (0, 3)):
        if pe not in subtables:
            continue
        at = subtables[pe]
        fmt = u16(at)
        if fmt == 4:
            seg2 = u16(at + 6)
            for i in range(seg2 // 2):
                if u16(at + 14 + 2 * i) < code:
                    continue
                start, delta = u16(at + 16 + seg2 + 2 * i), u16(at + 16 + 2 * seg2 + 2 * i)
                range_at = at + 16 + 3 * seg2 + 2 * i
                if start > code:
                    return False
                if u16(range_at) == 0:
                    return (code + delta) & 0xFFFF != 0
                glyph = u16(range_at + u16(range_at) + 2 * (code - start))
                return glyph != 0 and (glyph + delta) & 0xFFFF != 0
            return False
        if fmt == 12:
            for i in range(u32(at + 12)):
                start, end, glyph = struct.unpack_from(">III", font, at + 16 + 12 * i)
                if start <= code <= end:
                    return int(glyph) + code - int(start) != 0
            return False
    return None


def _check_font_file(path: str, setting: str) -> None:
    """A :class:`PdfError` unless ``path`` is a TrueType/OpenType font or collection that has
    Chinese characters (Typst would skip anything else without a word, and print empty boxes)."""
    try:
        with open(path, "rb") as f:
            magic = f.read(4)
            if magic not in _FONT_MAGIC:
                raise PdfError(f"{setting}={path}: not a TrueType/OpenType font file (.ttf, .otf, .ttc)")
            with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as font:
                try:
                    has_cjk = _maps_char(font, ord("中"))
                except (struct.error, IndexError, ValueError):
                    raise PdfError(f"{setting}={path}: a damaged font file (its tables cannot be read)") from None
    except OSError as e:
        raise PdfError(f"{setting}={path}: {e.strerror or e}") from None
    if has_cjk is False:
        raise PdfError(f"{setting}={path}: this font has no Chinese characters (not a CJK font)")


def find_cjk_font() -> Optional[CjkFont]:
    """The font ``$PLM_BIB_CJK_FONT`` names (``None`` when the file does not exist; a
    :class:`PdfError` when it is not a font file), else the CJK font of the ``pdf`` extra,
    else one installed on the system, else ``None``."""
    if os.environ.get("PLM_BIB_CJK_FONT"):
        path = os.environ["PLM_BIB_CJK_FONT"]
        if not os.path.lexists(path):
            return None
        if os.path.isdir(path):
            raise PdfError(f"PLM_BIB_CJK_FONT={path}: a folder, not a font file")
        _check_font_file(path, "PLM_BIB_CJK_FONT")
        return CjkFont(path, _family(path))
    try:
        import cvttf_NotoSansCJK_Regular as packaged  # the pdf extra

        path = packaged.get_TTF_path()
        return CjkFont(path, _family(path))
    except (ImportError, FileNotFoundError):
        pass
    for pattern in _SYSTEM_FONT_GLOBS:
        hits = sorted(p for p in glob.glob(pattern, recursive=True) if p.lower().endswith((".otf", ".ttc", ".ttf")))
        regular = [p for p in hits if "Regular" in os.path.basename(p)]
        if regular or hits:
            path = (regular or hits)[0]
            return CjkFont(path, "Noto Sans CJK SC" if path.endswith(".ttc") else _family(path))
    return None


def _typst_str(text: str) -> str:
    """A Typst string literal holding ``text`` (one line)."""
    return '"' + one_line(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _esc(text: str) -> str:
    return render(text, "typst")


def document_date(date: Optional[_dt.date] = None) -> _dt.date:
    """The date a document states: ``date``, else the day of ``$SOURCE_DATE_EPOCH`` (seconds
    since 1970, UTC: the reproducible-builds convention, for a PDF that is the same whenever it
    is made), else today."""
    if date is not None:
        return date
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return _dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc).date()
    return _dt.date.today()


def typst_source(lib: "Library", style: str = "ieee", title: Optional[str] = None,
                 numbering: str = "section", date: Optional[_dt.date] = None,
                 cjk_family: Optional[str] = None, charts: Sequence[Tuple[str, str]] = ()) -> str:
    """The Typst source of a reading-list document (pure: no file, no font lookup);
    ``charts``: (caption, SVG text) pairs, shown as figures after the table of contents."""
    if numbering not in ("section", "continuous"):
        raise BadOption("numbering is 'section' or 'continuous'")
    st = get_style(style)
    doc_title = title or lib.title or "Reading list"
    fonts = ["Libertinus Serif"] + ([cjk_family] if cjk_family else [])
    corrections = claim_corrections(lib)
    when = document_date(date)
    out = [
        "// generated by plm-bib",
        f"#set document(title: {_typst_str(doc_title)}, author: \"plm-bib\", "
        f"description: {_typst_str('Reading list: ' + doc_title)}, "
        f"date: datetime(year: {when.year}, month: {when.month}, day: {when.day}))",
        "#set page(paper: \"a4\", margin: 2.2cm, numbering: \"1\")",
        f"#set text(font: ({', '.join(_typst_str(f) for f in fonts)},), size: 10.5pt, lang: \"en\", "
        "hyphenate: false)",
        "#set par(justify: false)",
        # Han characters in Simplified Chinese forms (the font's locl feature); the rest stays English
        "#show regex(\"\\p{Han}+\"): set text(lang: \"zh\", region: \"cn\")",
        "#set heading(numbering: \"1.1\")",
        "#show link: set text(fill: rgb(\"#1f4e9c\"))",
        f"#align(center)[#text(size: 20pt, weight: \"bold\")[{_esc(doc_title)}]]",
        f"#align(center)[{when.isoformat()}]",
        "#outline(depth: 3)",
        "",
    ]
    for caption, svg in charts:
        # the SVG as a Typst string (line breaks are spaces: nothing in an SVG depends on them)
        out += [f"#figure(image(bytes({_typst_str(svg)}), format: \"svg\", width: 100%), "
                f"caption: [{_esc(caption)}])", ""]
    opened: Tuple[str, ...] = ()
    counter = 0
    for path, records in lib.by_section():
        for depth, heading in enumerate(path):
            if tuple(opened[: depth + 1]) != tuple(path[: depth + 1]):
                out.append(f"{'=' * min(depth + 1, 4)} {_esc(heading)}")
        opened = path
        refs = format_references(records, style, "typst")
        by_key = {r.key: r for r in records}
        for n, ref in enumerate(refs, 1):
            label = ref.label
            if st.numeric and label:
                label = str(counter + n) if numbering == "continuous" else label
            lead = f"\\[{_esc(label)}\\] " if label else ""
            out.append(f"#par(hanging-indent: 1.8em)[{lead}{ref.text}]")
            rec = by_key[ref.key]
            extra: List[str] = []
            for note in rec.notes:
                extra.append(f"Note: {_esc(note)}")
            for c in corrections.get(rec.key, []):
                extra.append(f"#text(fill: rgb(\"#b3261e\"))[⚠ {_esc(c)}]")
            # only web links are made clickable (no javascript:, file: or other schemes)
            links = [(link.kind, link.url) for link in rec.urls if link.url not in ref.text and is_web_url(link.url)]
            if rec.doi and f"https://doi.org/{rec.doi}" not in ref.text:
                links.append(("DOI", f"https://doi.org/{rec.doi}"))
            if links:
                extra.append("Links: " + ", ".join(
                    f"#link({_typst_str(url)})[{_esc(kind)}]" for kind, url in links))
            if extra:
                out.append("#pad(left: 1.8em)[#text(size: 9pt)[" + " \\ ".join(extra) + "]]")
        counter += len(refs)
        out.append("")
    return "\n".join(out) + "\n"


def _needs_cjk(lib: "Library", title: Optional[str]) -> bool:
    texts = [title or lib.title or ""]
    for r in lib:
        texts += [r.title, " ".join(r.notes)] + [" ".join(p) for p in r.sections]
        texts += [p.display() for p in r.authors]
    return any(_CJK.search(t) for t in texts)


def _charts(lib: "Library", fonts: Sequence[str]) -> List[Tuple[str, str]]:
    """The year and venue charts of ``lib`` for the PDF (needs the plots extra)."""
    try:
        return [("Papers per year, by section", chart_svg(lib, "year", fonts=fonts)),
                ("Papers per venue, by section", chart_svg(lib, "venue", fonts=fonts))]
    except ExtraNeeded as e:
        raise PdfError(str(e)) from None


def _render_typst(lib: "Library", path: str, style: str, title: Optional[str], numbering: str,
                  date: Optional[_dt.date], charts: bool = False) -> None:
    try:
        import typst
    except ImportError:
        raise PdfError("the typst engine needs the pdf extra: pip install 'plm_bib[pdf]'") from None
    font = find_cjk_font()
    if font is None and _needs_cjk(lib, title):
        chosen = os.environ.get("PLM_BIB_CJK_FONT")
        if chosen:
            raise PdfError(f"the reading list has Chinese/Japanese/Korean text but no CJK font was found: "
                           f"PLM_BIB_CJK_FONT={chosen!r}: no such file")
        raise PdfError("the reading list has Chinese/Japanese/Korean text but no CJK font was found: "
                       "pip install 'plm_bib[pdf]' (brings Noto Sans CJK), install a Noto CJK font "
                       "(Debian: fonts-noto-cjk), or set PLM_BIB_CJK_FONT to a font file")
    family = font.family if font else None
    figures = _charts(lib, ["Libertinus Serif"] + ([family] if family else [])) if charts else []
    src = typst_source(lib, style, title, numbering, date, family, figures)
    with tempfile.TemporaryDirectory() as tmp:
        main = os.path.join(tmp, "reading-list.typ")
        with open(main, "w", encoding="utf-8") as f:
            f.write(src)
        when = document_date(date)
        stamp = int(_dt.datetime(when.year, when.month, when.day, tzinfo=_dt.timezone.utc).timestamp())
        try:
            # Typst's own fonts and the CJK font we chose, nothing else from the machine:
            # the same PDF on every machine
            pdf = typst.compile(main, root=tmp, font_paths=[os.path.dirname(font.path)] if font else [],
                                ignore_system_fonts=True, timestamp=stamp)
        except Exception as e:  # typst reports its own errors as one exception type
            raise PdfError(f"typst failed: {e}") from None
    write_atomic_bytes(path, pdf)


def _render_latex(lib: "Library", path: str, style: str, title: Optional[str]) -> None:
    if not shutil.which("latexmk") or not shutil.which("xelatex"):
        raise PdfError("the latex engine needs latexmk, XeLaTeX (with ctex) and biber")
    with tempfile.TemporaryDirectory() as tmp:
        tex = os.path.join(tmp, "reading-list.tex")
        with open(tex, "w", encoding="utf-8") as f:
            f.write(reading_list_tex(lib, title=title, style=style))
        # no shell, TeX's shell escape off, and TeX reads and writes files only in its
        # folder (kpathsea's "paranoid" mode: no absolute path, no "..", no dot file), so
        # even a value that reached TeX as code could not read a file into the PDF
        env = {**os.environ, "openin_any": "p", "openout_any": "p"}
        out = subprocess.run(["latexmk", "-xelatex", "-no-shell-escape", "-interaction=nonstopmode",
                              "-halt-on-error", "reading-list.tex"], cwd=tmp, capture_output=True,
                             text=True, timeout=600, env=env)
        if out.returncode != 0:
            raise PdfError("latexmk failed:\n" + out.stdout[-2000:])
        with open(os.path.join(tmp, "reading-list.pdf"), "rb") as f:
            write_atomic_bytes(path, f.read())


def render_pdf(lib: "Library", path: str, style: str = "ieee", engine: str = "typst",
               title: Optional[str] = None, numbering: str = "section",
               date: Optional[_dt.date] = None, charts: bool = False) -> str:
    """Write the reading-list PDF of ``lib`` to ``path`` (atomically); returns ``path``.
    ``charts``: the papers-per-year and per-venue charts after the table of contents
    (Typst engine; needs the plots extra)."""
    if engine not in ENGINES:
        raise BadOption(f"unknown engine {engine!r}; known: {', '.join(ENGINES)}")
    get_style(style)  # an unknown style fails before any work
    if engine == "typst":
        _render_typst(lib, path, style, title, numbering, date, charts)
    elif charts:
        raise BadOption("charts are drawn in the typst engine's PDF only")
    else:
        _render_latex(lib, path, style, title)
    return path
