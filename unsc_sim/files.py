"""Reading local files boundedly, and writing every byte or failing.

``st_size`` cannot be trusted (it is 0 for /proc files and grows under a writer), and opening
a FIFO blocks until a writer comes: a file is opened without blocking, checked with
``fstat`` on the open descriptor (so a swapped path cannot slip in between), and read up to
the limit plus one byte, which is enough to know it is too large.

Python's buffered writer returns a short count when the reader of a pipe goes away (or a
disk fills) in the middle of one large write, and whoever ignores the count (a text stream,
``savefig``) loses the rest without an error: ``Whole`` writes until every byte is out or
the stream raises.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any, BinaryIO

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


class Whole:
    """A binary stream whose ``write`` writes all it is given or raises ``OSError``; every
    other attribute is the wrapped stream's."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            n = self.stream.write(view[done:])
            if not n:  # nothing written and no error: refuse to spin
                raise OSError(errno.EIO, "the stream took no more bytes")
            done += n
        return done

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)
