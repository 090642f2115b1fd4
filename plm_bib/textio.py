"""Reading text files with their encoding detected, and writing files atomically.

How the encoding of an input is found (:func:`decode`), first rule that applies:

1. an ``encoding`` the caller names (``plm-bib --encoding``): decoded strictly with it;
2. a byte-order mark: UTF-8, UTF-32 or UTF-16;
3. NUL bytes: UTF-16 or UTF-32 without a mark when the NULs fall in their pattern (ASCII
   characters have a zero high byte) and the bytes decode; any other NUL is an error;
4. an encoding declared in the first two lines, as Emacs (``-*- coding: latin-1 -*-``),
   Vim (``fileencoding=latin1``), JabRef (``% Encoding: windows-1252``) or TeX
   (``% !TEX encoding = latin1``) write it;
5. UTF-8;
6. else a legacy encoding, chosen only on evidence: GB18030 (a superset of GBK) when it
   decodes the bytes without private-use characters and three in four of the non-ASCII
   characters are not a byte of 0xA1 or more (a Latin-1 letter or sign) followed by an
   ASCII byte (every GB2312 hanzi and punctuation mark is two bytes of 0xA1 or more; some
   traditional and rare hanzi of GBK are not), or cp1252 (Windows Latin-1) when it decodes
   them (its five undefined bytes fail) and the non-ASCII runs are short (nine in ten at
   most two bytes: accented letters inside words).  Latin-1 text read as GB18030 pairs an
   accented letter with the ASCII letter after it (or two accents into the user-defined
   area), and Chinese read as cp1252 gives long runs, so the two tests rarely both pass;
   when both or neither do, the file is refused with one line that names it and asks for
   ``--encoding`` (unless every run touches an ASCII letter, as accents inside words do,
   or none does, as Chinese between punctuation).

Writes (:func:`write_atomic`) go to a temporary file with a short name in the target's
folder and are renamed over it: a reader sees the old file or the new one.  A symbolic link
is written through (its target is replaced, the link stays), an existing file keeps its
permission bits (a new one gets the umask's default), a read-only file is refused, and a
device or FIFO is written to, never replaced.
"""
from __future__ import annotations

import codecs
import errno
import os
import re
import secrets
import stat
from collections import Counter
from pathlib import Path
from typing import List, Optional, Tuple, Union

from plm_bib.errors import InputError, UnknownName

__all__ = ["InputError", "read_text", "read_bytes", "decode", "decode_exact", "codec_name", "write_atomic",
           "write_atomic_bytes", "cache_dir"]

PathLike = Union[str, "os.PathLike[str]"]




def codec_name(name: str) -> str:
    """Python's name of the text encoding ``name`` (``latin-9``, ``latin-1-unix`` as Emacs
    writes them, ``GBK``, ``utf-16-le`` ...); :class:`~plm_bib.errors.UnknownName` (a
    :class:`LookupError`) when there is none."""
    n = name.strip().lower()
    for suffix in ("-unix", "-dos", "-mac"):  # Emacs line-ending variants
        if n.endswith(suffix):
            n = n[: -len(suffix)]
    for candidate in dict.fromkeys((n, n.replace("-", ""), n.replace("-", "_"))):
        try:
            info = codecs.lookup(candidate)
        except LookupError:
            continue
        if getattr(info, "_is_text_encoding", True):
            return info.name
    raise UnknownName(f"unknown text encoding {name!r}")


_DECLARED = re.compile(
    rb"-\*-.*?\bcoding[:=][ \t]*([-\w.]+).*?-\*-"       # Emacs
    rb"|\bfileencoding=([-\w.]+)"                        # Vim
    rb"|^%[ \t]*Encoding:[ \t]*([-\w.]+)"                # JabRef
    rb"|^%[ \t]*!TEX[ \t]+encoding[ \t]*=[ \t]*([-\w.]+)",  # TeXShop, TeXstudio
    re.I | re.M)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_NON_ASCII_RUN = re.compile(rb"[\x80-\xff]+")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def _line_at(data: bytes, offset: int, codec: str) -> int:
    return data[:offset].decode(codec, errors="replace").count("\n") + 1


def _strict(data: bytes, codec: str, source: str, what: str, note: str = "") -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as e:
        raise InputError(source, f"not {what} text ({e.reason} at byte {e.start}){note}",
                         _line_at(data, e.start, codec)) from None


def _declared(data: bytes) -> Optional[str]:
    head = b"\n".join(data[:4096].split(b"\n", 2)[:2])
    m = _DECLARED.search(head)
    if not m:
        return None
    name = next(g for g in m.groups() if g).decode("ascii")
    try:
        return codec_name(name)
    except LookupError:
        return None  # a name Python does not know: the declaration is not evidence


def _nul_pattern(data: bytes) -> Optional[str]:
    """UTF-32/UTF-16 without a byte-order mark, told by where the zero bytes fall."""
    sample = data[:65536]
    for width, le, be in ((4, "utf-32-le", "utf-32-be"), (2, "utf-16-le", "utf-16-be")):
        if len(data) % width:
            continue
        cut = sample[: len(sample) - len(sample) % width]
        n = len(cut) // width
        if not n:
            continue
        zeros = [cut[i::width].count(0) / n for i in range(width)]
        if width == 4:  # BMP text: the two high bytes of each unit are zero
            if zeros[3] == 1 and zeros[2] >= 0.9 and zeros[0] < 0.5:
                return le
            if zeros[0] == 1 and zeros[1] >= 0.9 and zeros[3] < 0.5:
                return be
        else:  # ASCII characters have one zero byte, the other never is
            if zeros[1] >= 0.2 and zeros[0] <= zeros[1] / 10:
                return le
            if zeros[0] >= 0.2 and zeros[1] <= zeros[0] / 10:
                return be
    return None


def _plausible_gb18030(data: bytes) -> Optional[str]:
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    if _PRIVATE_USE.search(text):  # the user-defined areas: no real text, but pairs of accents
        return None
    wide = Counter(c for c in text if ord(c) > 0x7F)
    paired = 0
    for c, n in wide.items():
        b = c.encode("gb18030")
        if len(b) == 4 or b[1] >= 0x80 or b[0] < 0xA1:  # not a Latin-1 letter or sign before ASCII
            paired += n
    return text if paired >= 0.75 * sum(wide.values()) else None


def _plausible_cp1252(data: bytes, runs: List[bytes]) -> Optional[str]:
    try:
        text = data.decode("cp1252")  # its five undefined bytes fail: no C1 control passes
    except UnicodeDecodeError:
        return None
    short = sum(1 for r in runs if len(r) <= 2)
    return text if short >= 0.9 * len(runs) else None


def _legacy(data: bytes, source: str, first_bad: int) -> Tuple[str, str]:
    runs = [m.group() for m in _NON_ASCII_RUN.finditer(data)]
    gb = _plausible_gb18030(data)
    latin = _plausible_cp1252(data, runs)
    if gb is not None and latin is not None:
        # both readings fit: accents sit inside words, hanzi rarely touch ASCII letters
        touching = [m for m in _NON_ASCII_RUN.finditer(data)
                    if any(0 <= i < len(data) and chr(data[i]).isascii() and chr(data[i]).isalpha()
                           for i in (m.start() - 1, m.end()))]
        if not touching:
            latin = None
        elif len(touching) == len(runs):
            gb = None
    if gb is not None and latin is None:
        return gb, "gb18030"
    if latin is not None and gb is None:
        return latin, "cp1252"
    raise InputError(source, "not UTF-8, and its encoding cannot be told (it reads as neither plausible "
                             "GB18030 nor cp1252/Latin-1 text, or as both): name it with --encoding "
                             "(encoding= in Python), e.g. --encoding latin-1 or --encoding gbk",
                     _line_at(data, first_bad, "latin-1"))


def decode(data: bytes, source: str = "<bytes>", encoding: Optional[str] = None) -> str:
    """The text of ``data`` (see the module's rules), with ``\\n`` line ends."""
    text, _codec, _bom = decode_exact(data, source, encoding, exact=False)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def decode_exact(data: bytes, source: str = "<bytes>", encoding: Optional[str] = None,
                 exact: bool = True) -> Tuple[str, str, bytes]:
    """``(text, codec, bom)``: the text of ``data`` as :func:`decode` reads it but with its own
    line ends (``\\r\\n``, ``\\r``) and without its byte-order mark, the codec it was decoded
    with and the mark (``b""`` when none): ``bom + text.encode(codec) == data``, what a rewrite
    of the file (``plm-bib fix``) needs to give its bytes back.  With ``exact`` (the default)
    input that does not come back so is an :class:`InputError`."""
    if encoding:
        codec = codec_name(encoding)
        text = _strict(data, codec, source, encoding)
    else:
        text, codec = _detect(data, source)
    bom = b""
    if text.startswith("\ufeff"):
        text = text[1:]
        bom = "\ufeff".encode(codec)
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(source, "NUL byte in text input (a binary file? UTF-16/32 text without a "
                                 "byte-order mark can be named with --encoding utf-16-le)", line)
    if exact and bom + text.encode(codec, errors="replace") != data:
        raise InputError(source, f"its bytes do not come back from its text in {codec}: not rewritten "
                                 "(name the encoding with --encoding)")
    return text, codec, bom


def _detect(data: bytes, source: str) -> Tuple[str, str]:
    """The text of ``data`` and its codec (a byte-order mark is read by the codec: kept as U+FEFF)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return "\ufeff" + _strict(data[len(bom):], codec, source, codec.upper()), codec
    if b"\x00" in data:
        codec_or_none = _nul_pattern(data)
        if codec_or_none:
            try:
                return data.decode(codec_or_none), codec_or_none
            except UnicodeDecodeError:
                pass
        return data.decode("latin-1"), "latin-1"  # the NUL check names the line
    declared = _declared(data)
    if declared:
        return _strict(data, declared, source, declared,
                       ", though its first lines declare it: name the encoding with --encoding"), declared
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        return _legacy(data, source, e.start)


def read_bytes(path: PathLike) -> bytes:
    """The bytes of a regular file; a folder, FIFO, socket or device is an :class:`InputError`
    (reading a FIFO would wait for a writer forever)."""
    name = os.fspath(path)
    if not name:
        raise InputError("''", "an empty file name")
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as e:
        raise InputError(name, e.strerror or str(e)) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(name, "a folder, not a file")
        if not stat.S_ISREG(mode):
            kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
                    else "a device")
            raise InputError(name, f"{kind}, not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    except OSError as e:
        raise InputError(name, e.strerror or str(e)) from None
    finally:
        os.close(fd)


def read_text(path: PathLike, encoding: Optional[str] = None) -> str:
    """The text of a file: its encoding detected (see the module), or ``encoding``."""
    return decode(read_bytes(path), os.fspath(path), encoding)


def cache_dir() -> Path:
    """The cache folder: ``$PLM_BIB_CACHE_DIR``, else ``$XDG_CACHE_HOME/plm_bib``, else
    ``~/.cache/plm_bib`` (not created here)."""
    env = os.environ.get("PLM_BIB_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "plm_bib"


def write_atomic(path: PathLike, text: str, encoding: str = "utf-8") -> None:
    """Write to a temporary file in the same folder, fsync, then rename over ``path``."""
    write_atomic_bytes(path, text.encode(encoding))


def write_atomic_bytes(path: PathLike, data: bytes) -> None:
    """Bytes to ``path``: a temporary file in the same folder, fsync, rename (see the module).
    A device or FIFO (``/dev/null``, ``/dev/stdout``) is written to, never replaced."""
    name = os.fspath(path)
    if not name:
        raise FileNotFoundError(errno.ENOENT, "an empty file name", name)
    try:
        mode = os.stat(name).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "a folder, not a file", name)
    if mode is not None and not stat.S_ISREG(mode):
        with open(name, "wb") as f:
            f.write(data)
        return
    target = os.path.realpath(name) if os.path.islink(name) else name  # also a dangling link
    folder = os.path.dirname(target) or "."
    try:
        old: Optional[os.stat_result] = os.stat(target)
    except FileNotFoundError:
        old = None
    if old is not None and not os.access(target, os.W_OK):
        raise PermissionError(errno.EACCES, "read-only file (not replaced)", os.fspath(path))
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = os.path.join(folder, f".plm-{secrets.token_hex(4)}.tmp")  # short: any valid name fits
        try:
            fd = os.open(tmp, flags, 0o600 if old else 0o666)  # 0o666: the umask applies
            break
        except FileExistsError:
            continue
    else:  # pragma: no cover - 100 collisions of 32 random bits
        raise FileExistsError(errno.EEXIST, "no free temporary name", folder)
    try:
        with os.fdopen(fd, "wb") as f:
            if old is not None:
                os.fchmod(f.fileno(), stat.S_IMODE(old.st_mode))
                try:
                    os.fchown(f.fileno(), -1, old.st_gid)
                except OSError:
                    pass  # not a member of the file's group: ours it is
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
