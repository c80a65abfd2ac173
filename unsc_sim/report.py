"""Rendering results as text tables, JSON and CSV, and writing files atomically."""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import IO, Any

from .errors import UnscSimError


class Format(str, Enum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def to_json(document: Any) -> str:
    """Stable JSON: keys in insertion order, UTF-8 kept, a final newline."""
    return json.dumps(document, ensure_ascii=False, indent=2, default=_plain) + "\n"


def _plain(value: Any) -> Any:
    """Dates as ISO text, numpy scalars as Python numbers."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_csv(rows: Sequence[dict[str, Any]]) -> str:
    """CSV with a header from the first row; lists joined by ';'; '\\n' line ends."""
    if not rows:
        return ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


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
        return ", ".join(map(str, value)) or "-"
    return str(value)


def write_atomic(
    path: str | Path,
    content: str | Callable[[IO[bytes]], None],
    *,
    protect: Sequence[str | Path] = (),
) -> None:
    """Write text (or whatever ``content(binary_file)`` writes) via a temporary file and a rename.

    Refuses to overwrite any of the ``protect`` paths (the command's inputs).
    """
    path = Path(path)
    target = path.resolve()
    for p in protect:
        if Path(p).resolve() == target:
            raise UnscSimError(f"refusing to overwrite the input file {path}")
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as e:
        raise UnscSimError(f"cannot write {path}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            if callable(content):
                content(f)
            else:
                f.write(content.encode("utf-8"))
        # mkstemp makes the file owner-only; give it the permissions a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
