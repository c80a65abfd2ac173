"""Rendering results as text tables, JSON and CSV, and writing files atomically."""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import math
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..errors import InvalidArgumentError, OutputError, UnscSimError, printable
from ..files import Whole, kind

if TYPE_CHECKING:
    import numpy as np

# What an output is made of: text, text in chunks (streamed), or a writer of bytes.
Content = str | Iterable[str] | Callable[[IO[bytes]], None]
TEMP_SUFFIX = ".unsc-sim.tmp"  # a leftover temporary file says what made it


class Format(str, Enum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def to_json(document: Any) -> str:
    """Stable JSON: keys in insertion order, UTF-8 kept, a final newline.

    NaN and infinities are not JSON: they are written as null.
    """
    text = json.dumps(_finite(document), ensure_ascii=False, indent=2, default=_plain) + "\n"
    return _json_controls(text)


# json.dumps escapes C0 controls but keeps DEL and C1 (CSI, U+009B, is ESC[ in one
# character): escape those too, so JSON on a terminal runs nothing.
_RAW_IN_JSON = re.compile("[\x7f-\x9f]")


def _json_controls(text: str) -> str:
    if _RAW_IN_JSON.search(text) is None:
        return text
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# Digits kept in JSON and CSV: far below any modelling error, and it hides float noise
# (0.30000000000000004). The one place outputs round; the page reads unrounded numbers.
JSON_DIGITS = 12


def json_number(value: float) -> float | None:
    """A float as JSON and CSV write it: rounded to ``JSON_DIGITS``; NaN and infinities None."""
    return round(value, JSON_DIGITS) if math.isfinite(value) else None


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return json_number(value)
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    if hasattr(value, "item") and not hasattr(value, "isoformat"):  # numpy scalars
        return _finite(value.item())
    return value


def _plain(value: Any) -> Any:
    """Dates as ISO text, numpy scalars as Python numbers."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


# RFC 4180: CR LF ends a record. Python's csv writer quotes a field holding any character of
# the line terminator, so with CR LF a carriage return or line feed inside a value is quoted
# (with a bare "\n" terminator a lone CR went out unquoted, and readers broke the row there).
CSV_LINE_END = "\r\n"


def to_csv(rows: Sequence[dict[str, Any]]) -> str:
    r"""CSV with a header from the first row; lists joined by ';'; CR LF line ends (RFC 4180).

    >>> to_csv([{"name": "x\n=1+1", "n": -1}]).split("\r\n")
    ['name,n', '"x\n\'=1+1",-1', '']
    """
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator=CSV_LINE_END)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return safe_text(
            "; ".join(flat_text(v) for v in value)
            if any(isinstance(v, dict) for v in value)
            else ";".join(str(v) for v in value)
        )
    if isinstance(value, dict):
        return safe_text(flat_text(value))
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, float):
        return json_number(value)
    return value


def flat_text(value: Any) -> str:
    """A record as one CSV cell's plain text: ``{"member": "China", "why": "its veto"}`` is
    "China: its veto"; any other mapping "key: value" pairs joined by ", ", nested ones in
    parentheses, lists joined by "; " (no braces, no quotes: plain text a reader can scan)."""
    if isinstance(value, (list, tuple)):
        return "; ".join(flat_text(v) for v in value)
    if not isinstance(value, dict):
        return str(value)
    if "member" in value and "why" in value:
        return f"{value['member']}: {value['why']}"
    parts = [
        f"{k}: ({flat_text(v)})" if isinstance(v, dict) else f"{k}: {flat_text(v)}"
        for k, v in value.items()
        if v is not None
    ]
    return ", ".join(parts)


# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")
# In a cell: control characters escaped, but tab, CR and LF (quoted) kept.
_IN_CELL = {c: printable(chr(c)) for c in range(0xA0) if printable(chr(c)) != chr(c) and c != 13}


def safe_text(text: str) -> str:
    """Text for a CSV cell that no spreadsheet reads as a formula: a leading ``'`` is added
    before ``=``, ``+``, ``-``, ``@``, tab or carriage return (numbers such as ``-1`` stay), at
    the start and after every line break inside the text (a reader that splits rows there
    must not meet a formula either); other control characters are escaped (``\\x1b``)."""
    text = text.translate(_IN_CELL)
    parts = _LINE_BREAK.split(text)
    if len(parts) > 1:
        # parts alternate text, break, text...: each line after a break is a possible cell
        parts[2::2] = [_neutral(p) for p in parts[2::2]]
        text = "".join(parts)
    return _neutral(text)


def _neutral(text: str) -> str:
    if text.startswith(_FORMULA_START) and not _is_numeral(text):
        return "'" + text
    return text


def _is_numeral(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text and math.isfinite(float(text))


def to_table(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str] | None = None,
    *,
    right: Sequence[str] = (),
) -> str:
    """A plain aligned text table; numbers (and the ``right`` columns) right-aligned."""
    if not rows:
        return "(nothing)\n"
    columns = list(columns or rows[0])
    cells = [[_text(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) for i, c in enumerate(columns)]
    numeric = [c in right or all(_is_number(r.get(c)) for r in rows) for c in columns]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)]
        return "  ".join(parts).rstrip()

    return "\n".join([line(columns), line(["-" * w for w in widths]), *map(line, cells)]) + "\n"


def _is_number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)) or value is None


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, (list, tuple)):
        return printable(", ".join(map(str, value))) or "-"
    return printable(str(value))


# Streams: long outputs (a sweep of a million points) written as they are made, in chunks,
# byte for byte as the whole-document functions above would write them. Rows come in blocks
# of columns: a text repeated on every row, or ``Numbers``.


@dataclass(frozen=True)
class Numbers:
    """A column of floats: ``values``, or ``values[codes]`` when few distinct values repeat
    (a sweep's grid), which are then formatted once each."""

    values: np.ndarray
    codes: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.values if self.codes is None else self.codes)

    def texts(self, fmt: Callable[[float], str]) -> list[str]:
        texts = list(map(fmt, self.values.tolist()))
        if self.codes is None:
            return texts
        import numpy as np  # loaded already: codes is an array

        return np.array(texts, dtype=object)[self.codes].tolist()


Column = str | Numbers
Block = Sequence[Column]


def _number(value: float) -> str:
    """A float as JSON writes it (repr), non-finite values as null."""
    return float.__repr__(value) if math.isfinite(value) else "null"


def _block_texts(
    block: Block, text: Callable[[str], str], number: Callable[[float], str]
) -> list[list[str] | str]:
    return [text(c) if isinstance(c, str) else c.texts(number) for c in block]


def _render(columns: Sequence[list[str] | str], seps: Sequence[str], end: str) -> str:
    """Row i is ``seps[0] + columns[0][i] + seps[1] + ... + end``; a text column is the same
    on every row. Interleaving iterators keeps this at C speed for a million rows."""
    parts: list[Iterable[str]] = []
    pending = ""
    for sep, column in zip(seps, columns):
        if isinstance(column, str):
            pending += sep + column
        else:
            parts += [itertools.repeat(pending + sep), column]
            pending = ""
    if not parts:
        return ""
    parts.append(itertools.repeat(pending + end))
    return "".join(itertools.chain.from_iterable(zip(*parts)))


def stream_json(
    head: dict[str, Any], key: str, fields: Sequence[str], blocks: Iterable[Block]
) -> Iterator[str]:
    """``to_json({**head, key: [one dict of fields per row]})``, in chunks."""
    sentinel = "\x00rows\x00"
    text = to_json({**head, key: [sentinel]})
    before, after = text.split("    " + json.dumps(sentinel) + "\n")
    names = [json.dumps(f, ensure_ascii=False) for f in fields]
    seps = [f",\n    {{\n      {names[0]}: "] + [f",\n      {n}: " for n in names[1:]]
    first = True
    for block in blocks:
        columns = _block_texts(
            block, lambda t: _json_controls(json.dumps(t, ensure_ascii=False)), _number
        )
        rows = _render(columns, seps, "\n    }")
        if rows:
            yield before + rows[2:] if first else rows
            first = False
    yield to_json({**head, key: []}) if first else "\n" + after


def stream_csv(fields: Sequence[str], blocks: Iterable[Block]) -> Iterator[str]:
    """``to_csv`` of the rows, in chunks (text cells neutralised as ``to_csv`` does)."""

    def row(values: Sequence[Any]) -> str:
        out = io.StringIO()
        csv.writer(out, lineterminator=CSV_LINE_END).writerow(values)
        return out.getvalue()

    def text(value: str) -> str:
        return row([_cell(value)])[: -len(CSV_LINE_END)]

    yield row(fields)
    seps = ["", *[","] * (len(fields) - 1)]
    for block in blocks:
        yield _render(_block_texts(block, text, float.__repr__), seps, CSV_LINE_END)


def stream_table(
    columns: Sequence[str],
    blocks: Iterable[Block],
    widths: Sequence[int],
    right: Sequence[bool],
) -> Iterator[str]:
    """A ``to_table`` layout (numbers with four decimals) for columns of known widths."""
    widths = [max(w, len(c)) for w, c in zip(widths, columns)]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if r else v.ljust(w) for v, w, r in zip(values, widths, right)]
        return "  ".join(parts).rstrip() + "\n"

    yield line(columns) + line(["-" * w for w in widths])
    seps = ["", *["  "] * (len(columns) - 1)]
    for block in blocks:
        texts: list[list[str] | str] = []
        for c, w, r in zip(block, widths, right):
            pad = str.rjust if r else str.ljust
            if isinstance(c, str):
                texts.append(pad(printable(c), w))
            else:
                texts.append(c.texts(lambda v, w=w, pad=pad: pad(f"{v:.4f}", w)))
        if isinstance(texts[-1], str):
            texts[-1] = texts[-1].rstrip()  # to_table strips each line's end
        yield _render(texts, seps, "\n")


def write_atomic(
    path: str | Path,
    content: Content,
    *,
    protect: Sequence[str | Path] = (),
) -> None:
    """Write text, chunks of text, or whatever ``content(binary_file)`` writes, via a
    temporary file in the same folder and a rename, so the target is never left half written.

    Refuses (``UnscSimError``) to replace any of the ``protect`` paths (the command's inputs)
    or anything but a regular file (a device, FIFO, socket or folder is never replaced by a
    file). An existing target keeps its permission bits, and its owner where the process may
    set it. The temporary file, ``.NAME.XXXX.unsc-sim.tmp``, is removed on any failure,
    including KeyboardInterrupt. Failures to write raise ``OutputError``.
    """
    if not isinstance(path, (str, os.PathLike)):
        raise InvalidArgumentError(f"an output is a file path, not {path!r}")
    path = Path(path)
    resolved = path.resolve()
    for p in protect:
        if Path(p).resolve() == resolved or _same_file(p, resolved):
            raise UnscSimError(f"refusing to overwrite the input file {path}")
    # The folder may be reached through links (the caller's own); the file itself may not be
    # one: a shared project can ship `out.html -> ~/.bashrc`. The rename below replaces the
    # name in its real folder and, like rename(2), never follows a link that appears there.
    target = resolved if path.name in ("", ".", "..") else path.parent.resolve() / path.name
    try:
        existing: os.stat_result | None = os.lstat(target)
    except FileNotFoundError:
        existing = None
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
    if existing is not None and stat.S_ISLNK(existing.st_mode):
        raise UnscSimError(
            f"refusing to write through the symbolic link {path} (to {os.readlink(target)}); "
            "remove the link or write to another file"
        )
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        raise UnscSimError(f"refusing to write over {path}: {kind(existing.st_mode)}")
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=TEMP_SUFFIX)
    except OSError as e:
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            out = Whole(f)  # a disk that fills mid-write is an error, not a short file
            if callable(content):
                content(out)
            else:
                for chunk in [content] if isinstance(content, str) else content:
                    out.write(chunk.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        if existing is not None:
            os.chmod(tmp, stat.S_IMODE(existing.st_mode))
            with contextlib.suppress(OSError):  # only root may give a file away
                os.chown(tmp, existing.st_uid, existing.st_gid)
        else:
            # mkstemp makes the file owner-only; give it the permissions a plain open() would.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {e.strerror or e}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _same_file(a: str | Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
