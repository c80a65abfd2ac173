"""Reading local files boundedly: regular files only, never more than a limit.

``st_size`` cannot be trusted (it is 0 for /proc files and grows under a writer), and opening
a FIFO blocks until a writer comes: a file is opened without blocking, checked with
``fstat`` on the open descriptor (so a swapped path cannot slip in between), and read up to
the limit plus one byte, which is enough to know it is too large.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class FileRefused(OSError):
    """A file that is not a regular file, or larger than allowed; ``str()`` says which."""


def kind(mode: int) -> str:
    """'a FIFO (named pipe)', 'a folder', ... for a ``st_mode`` that is not a regular file."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "a special file"


def read_limited(path: str | Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Raises ``FileRefused`` for anything else and ``OSError`` when the file cannot be opened.
    """
    # Stat first, so a device is never even opened (opening some has effects); then check the
    # open descriptor again in case the path changed in between.
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise FileRefused(f"{kind(mode)}, not a regular file")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise FileRefused(f"{kind(mode)}, not a regular file")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    if size > limit:
        raise FileRefused(f"file is larger than {limit:,} bytes")
    return b"".join(chunks)
