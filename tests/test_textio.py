"""Reading and writing files (issue 15, items 11, 14, 26, 27): the encoding of an input is
found by a rule or refused by name; only regular files are read; atomic writes keep modes,
write through symbolic links and fit any valid file name."""
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import plm_bib
from plm_bib.textio import InputError, codec_name, decode, read_text, write_atomic, write_atomic_bytes

ROOT = Path(__file__).resolve().parent.parent


# ---- item 11: Latin-1 is not GB18030; the encoding is found on evidence, or named


@pytest.mark.parametrize("text", [
    "Müller, Hans and Jürgen Groß",
    "@article{m, author = {M\u00fcller, Hans}, title = {\u00dcber Stra\u00dfen}}\n",
    "José García Márquez and François Pérez",
    "Bézier curves, naïve café, Ærø, informações",
    "“Quoted” – en dash, € 5 and œuvre",  # cp1252's own characters in 0x80-0x9f
])
def test_western_european_bytes_read_as_cp1252(text):
    assert decode(text.encode("cp1252"), "x.bib") == text


@pytest.mark.parametrize("text", [
    "@article{x, author={张伟 and 刘洋}, title={深度学习}, journal={计算机学报}}\n",
    "## 预训练模型\n1. 一文了解预训练语言模型（https://mp.weixin.qq.com/s/x）鲁棒性优化\n",
    "《深度学习》，北京：清华大学出版社，2020。",
    "{张}",  # one hanzi between punctuation
])
def test_chinese_bytes_read_as_gb18030(text):
    assert decode(text.encode("gbk"), "x.md") == text
    assert decode(text.encode("gb18030"), "x.md") == text


def test_a_latin1_reading_list_keeps_its_author(tmp_path):
    """The issue's case: ``Müller`` became ``M黮ler`` and the author was dropped as CJK."""
    p = tmp_path / "l.md"
    p.write_bytes("# L\n\n## S\n\n1. **Deep Stuff**. *Hans Müller and Ann Smith*. ACL 2020. "
                  "[[pdf](https://arxiv.org/abs/2001.00001)]\n".encode("latin-1"))
    lib = plm_bib.read_markdown(p)
    assert [(a.family, a.given) for a in lib[0].authors] == [("Müller", "Hans"), ("Smith", "Ann")]
    assert plm_bib.read_markdown(p, encoding="latin-1")[0].authors == lib[0].authors
    wrong = plm_bib.read_markdown(p, encoding="gb18030")  # named wrongly: read as named
    assert "M黮ler" in str(wrong[0].to_dict()) or not wrong[0].authors


def test_real_legacy_files(shared_data):
    """The GBK file by evidence; the Latin-9/Latin-1/Latin-2 files of biber's tests by the
    Emacs ``coding:`` line they carry (without it Latin-9's Š is cp1252's ¦: no rule can tell)."""
    gbk = plm_bib.read_bibtex(shared_data / "bib" / "gbk_test.bib")
    assert [a.family for a in gbk[0].authors] == ["凯撒"] and gbk[0].journal == "测试期刊"
    titles = {name: plm_bib.read_bibtex(shared_data / "bib" / name)[0].title for name in (
        "biber/t_tdata_encoding1.bib", "bibtex-tidy-tests/biber/encoding1.bib",
        "bibtex-tidy-tests/biber/encoding3.bib", "bibtex-tidy-tests/biber/encoding4.bib")}
    assert titles == {"biber/t_tdata_encoding1.bib": "Šome title",
                      "bibtex-tidy-tests/biber/encoding1.bib": "Šome title",
                      "bibtex-tidy-tests/biber/encoding3.bib": "Söme title",
                      "bibtex-tidy-tests/biber/encoding4.bib": "Żome title"}


@pytest.mark.parametrize("head,codec", [
    (b"% -*- coding: latin-9-unix -*-\n", "iso8859-15"),
    (b"% Encoding: windows-1252\n", "cp1252"),
    (b"% vim: set fileencoding=latin2 :\n", "iso8859-2"),
    (b"% !TEX encoding = latin1\n", "iso8859-1"),
])
def test_a_declared_encoding_is_used(head, codec):
    body = "@book{t, title = {Šome Żółw Ärger}}\n"
    try:
        data = head + body.encode(codec)
    except UnicodeEncodeError:
        body = "@book{t, title = {Ärger}}\n"
        data = head + body.encode(codec)
    assert decode(data, "d.bib") == head.decode("ascii") + body


def test_bytes_no_rule_can_read_are_refused_naming_the_file_and_the_option(tmp_path):
    # neither: control bytes in cp1252 and a lead byte before a space in GB18030
    p = tmp_path / "odd.bib"
    p.write_bytes(b"@article{a,\n title = {x\x81 y \x90z}}\n")
    with pytest.raises(InputError) as e:
        read_text(p)
    msg = str(e.value)
    assert msg.startswith(f"{p}:2: ") and "--encoding" in msg and "\n" not in msg
    # both readings fit and the runs touch letters on some sides only: refused, not guessed
    amb = tmp_path / "amb.bib"
    amb.write_bytes("{张} and x张 ".encode("gbk"))
    with pytest.raises(InputError, match="--encoding"):
        read_text(amb)
    assert read_text(amb, encoding="gbk") == "{张} and x张 "


def test_a_named_encoding_is_strict_and_checked():
    assert decode("Ärger".encode("utf-16-le"), "x", encoding="utf-16-le") == "Ärger"
    with pytest.raises(InputError, match=r"^x:2: not utf-8 text"):
        decode(b"ok\n\xfc\n", "x", encoding="utf-8")
    assert codec_name("latin-9-unix") == "iso8859-15" and codec_name("GBK") == "gbk"
    with pytest.raises(LookupError):
        codec_name("rot13")  # a str-to-str transform, not a text encoding
    with pytest.raises(LookupError):
        codec_name("no-such-encoding")
    from plm_bib.errors import PlmBibError, UnknownName

    with pytest.raises(UnknownName, match="unknown text encoding 'no-such-encoding'") as e:
        codec_name("no-such-encoding")
    assert isinstance(e.value, PlmBibError) and str(e.value) == "unknown text encoding 'no-such-encoding'"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_a_bom_are_read(codec):
    """Item 27: was "NUL byte in text input"."""
    text = "@article{k, title = {中文 and Müller}}\n"
    assert decode(text.encode(codec), "u.bib") == text


@pytest.mark.parametrize("codec", ["utf-32", "utf-16", "utf-8-sig"])
def test_byte_order_marks(codec):
    text = "# 中文 Müller\n"
    assert decode(text.encode(codec), "b.md") == text


def test_a_binary_file_is_named_not_decoded():
    with pytest.raises(InputError, match=r"^bin:3: NUL byte .*--encoding utf-16-le"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "bin")


# ---- item 26: only regular files are read (a FIFO would block forever)


def test_a_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "list.md"
    os.mkfifo(fifo)
    code = textwrap.dedent(f"""
        import plm_bib
        from plm_bib.textio import InputError
        try:
            plm_bib.load({str(fifo)!r})
        except InputError as e:
            print(e)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.strip() == f"{fifo}: a FIFO (named pipe), not a regular file"
    cli = subprocess.run([sys.executable, "-m", "plm_bib", "export", str(fifo)], capture_output=True,
                         text=True, cwd=ROOT, timeout=60)
    assert cli.returncode == 2 and cli.stderr == f"plm-bib: error: {fifo}: a FIFO (named pipe), not a regular file\n"
    bib = tmp_path / "refs.bib"
    os.mkfifo(bib)
    cite = subprocess.run([sys.executable, "-m", "plm_bib", "cite", "k", "--bib", str(bib)], capture_output=True,
                          text=True, cwd=ROOT, timeout=60)  # the cite index reads the bytes its own way
    assert cite.returncode == 2 and cite.stderr == f"plm-bib: error: {bib}: a FIFO (named pipe), not a regular file\n"


def test_a_folder_or_device_is_refused(tmp_path):
    with pytest.raises(InputError, match="a folder, not a file"):
        read_text(tmp_path)
    with pytest.raises(InputError, match="a device, not a regular file"):
        read_text("/dev/null")


# ---- item 14 and 27: atomic writes keep modes, follow links, fit any name


def _mode(p) -> int:
    return stat.S_IMODE(os.stat(p).st_mode)


@pytest.fixture
def umask():
    old = os.umask(0o022)
    yield lambda m: os.umask(m)
    os.umask(old)


@pytest.mark.parametrize("mask,expect", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_gets_the_umask_default(tmp_path, umask, mask, expect):
    umask(mask)
    write_atomic(tmp_path / "new.bib", "x\n")
    assert _mode(tmp_path / "new.bib") == expect


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o664, 0o755])
def test_an_existing_file_keeps_its_mode(tmp_path, umask, mode):
    umask(0o077)
    p = tmp_path / "refs.bib"
    p.write_text("old\n")
    os.chmod(p, mode)
    write_atomic(p, "new\n")
    assert (p.read_text(), _mode(p)) == ("new\n", mode)


def test_a_read_only_file_is_not_replaced(tmp_path, monkeypatch):
    p = tmp_path / "ro.bib"
    p.write_text("old\n")
    os.chmod(p, 0o444)
    if os.access(p, os.W_OK):  # root may write anything: ask as a user would be answered
        monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(PermissionError, match="read-only"):
        write_atomic(p, "new\n")
    assert p.read_text() == "old\n"


@pytest.mark.parametrize("kind", ["relative", "absolute", "dangling", "other-folder", "chain"])
def test_a_symlink_is_written_through(tmp_path, umask, kind):
    umask(0o022)
    out = tmp_path / "out"
    out.mkdir()
    data = tmp_path / ("data" if kind == "other-folder" else "out")
    data.mkdir(exist_ok=True)
    target = data / "real.bib"
    if kind != "dangling":
        target.write_text("old\n")
        os.chmod(target, 0o640)
    link = out / "link.bib"
    if kind == "chain":
        (out / "mid.bib").symlink_to("real.bib")
        points_to = "mid.bib"
    else:
        points_to = str(target) if kind == "absolute" else os.path.relpath(target, out)
    link.symlink_to(points_to)
    write_atomic(link, "new\n")
    assert link.is_symlink() and os.readlink(link) == points_to
    assert target.read_text() == "new\n" and not target.is_symlink()
    assert _mode(target) == (0o644 if kind == "dangling" else 0o640)
    leftovers = [p.name for d in {out, data} for p in d.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_a_long_valid_name_can_be_written(tmp_path):
    """Item 27: the temporary name was the file name plus 13 characters (past 255)."""
    name = "x" * 240 + ".bib"  # 244 characters
    write_atomic(tmp_path / name, "ok\n")
    assert (tmp_path / name).read_text() == "ok\n"
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_empty_names_and_folders_are_clear_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="an empty file name"):
        write_atomic_bytes("", b"x")
    with pytest.raises(IsADirectoryError, match="a folder, not a file"):
        write_atomic(tmp_path, "x")
    with pytest.raises(InputError, match="an empty file name"):
        read_text("")


def test_a_fifo_or_device_output_is_written_to_not_replaced(tmp_path):
    import threading

    fifo = tmp_path / "out.bib"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_atomic(fifo, "@misc{a}\n")
    reader.join(10)
    assert got == [b"@misc{a}\n"] and stat.S_ISFIFO(os.stat(fifo).st_mode)
    write_atomic("/dev/null", "discarded\n")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_false_declaration_is_named():
    with pytest.raises(InputError, match=r"^f\.bib:2: not utf-8 text .*though its first lines declare it.*--encoding"):
        decode(b"% -*- coding: utf-8 -*-\n@misc{M\xfcller}\n", "f.bib")


def test_every_real_text_file_re_encoded_is_read_back(shared_data):
    """The shared files (UTF-8) written in the legacy encoding of their script and read with
    detection: Chinese ones as GB18030, Western ones as cp1252.  None is read wrong; refused
    are only a file whose own text has a private-use character and files whose first lines
    declare UTF-8 (the re-encoding made the declaration false)."""
    import re

    outcome = {"gb18030": [], "cp1252": []}
    for path in sorted(shared_data.rglob("*")):
        if not path.is_file() or path.suffix not in (".bib", ".md", ".json") or "large" in path.parts:
            continue
        try:
            text = path.read_bytes().decode("utf-8").lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            continue
        if text.isascii() or "\x00" in text:
            continue
        codec = "gb18030" if re.search(r"[\u4e00-\u9fff]", text) else "cp1252"
        try:
            data = text.encode(codec)
        except UnicodeEncodeError:
            continue  # characters cp1252 has not: not a cp1252 file
        try:
            outcome[codec].append("ok" if decode(data, str(path)) == text else f"WRONG {path}")
        except InputError as e:
            private = bool(re.search("[\ue000-\uf8ff]", text))
            declared = bool(re.search(r"(?im)\A(?:.*\n)?.*(coding[:=]|^% *Encoding:) *utf-?8", text))
            outcome[codec].append("refused: private use" if private else
                                  "refused: declares utf-8" if declared else f"refused {e}")
    assert {c: sorted(set(v)) for c, v in outcome.items()} == {
        "gb18030": ["ok", "refused: private use"], "cp1252": ["ok", "refused: declares utf-8"]}
    assert [outcome["gb18030"].count("ok"), outcome["cp1252"].count("ok")] == [12, 47]
