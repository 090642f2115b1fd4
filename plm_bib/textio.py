"""Reading text files with their encoding detected, and writing files atomically."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Union

__all__ = ["InputError", "read_text", "decode", "write_atomic", "write_atomic_bytes"]

PathLike = Union[str, "os.PathLike[str]"]


class InputError(Exception):
    """Input that cannot be read at all (not a line-level problem)."""

    def __init__(self, source: str, message: str, line: int = 0):
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {message}")


def decode(data: bytes, source: str = "<bytes>") -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (a superset of GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="strict")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                line = data[: e.start].count(b"\n") + 1
                raise InputError(source, "not UTF-8, UTF-16 or GB18030 text", line) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(source, "NUL byte in text input", line)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: PathLike) -> str:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(str(path), e.strerror or str(e)) from None
    return decode(data, str(path))


def write_atomic(path: PathLike, text: str, encoding: str = "utf-8") -> None:
    """Write to a temporary file in the same folder, fsync, then rename over ``path``."""
    write_atomic_bytes(path, text.encode(encoding))


def write_atomic_bytes(path: PathLike, data: bytes) -> None:
    """Bytes to ``path``: a temporary file in the same folder, fsync, rename."""
    p = Path(path)
    folder = p.parent if str(p.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, p)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
