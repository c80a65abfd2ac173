"""A parsed form of the record kept in the user's cache folder, so a process reads no YAML.

Reading the two votes files with a round-trip YAML parser (for line numbers in errors) takes
seconds; the JSON form of the same rows takes milliseconds. The form is keyed by a digest of
everything the parse depends on (the data files and the package's source), so any change to
either rebuilds it; an unreadable, foreign or damaged file is ignored and replaced. Where the
cache folder cannot be written, every process parses the YAML, as before.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..files import read_limited

PACKAGE = Path(__file__).resolve().parent.parent
LIMIT = 50_000_000  # bytes; the record's form is about 1 MB
FORMAT = 1  # bump when the stored shape changes without a source change (never, so far)


def folder() -> Path:
    """Where parsed forms live: ``$XDG_CACHE_HOME/unsc-sim`` (default ``~/.cache/unsc-sim``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "unsc-sim"


def digest(data: Iterable[bytes]) -> str:
    """A key for the given inputs and the package's own source (any edit invalidates)."""
    h = hashlib.sha256(f"format {FORMAT}\n".encode())
    for blob in data:
        h.update(len(blob).to_bytes(8, "little"))
        h.update(blob)
    for path in sorted(PACKAGE.rglob("*.py")):
        h.update(str(path.relative_to(PACKAGE)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def plain(value: Any) -> Any:
    """Frozen dataclasses (fields in order), tuples, dates and numbers as JSON values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        names = (f.name for f in dataclasses.fields(value))
        return {"$": type(value).__name__, "v": [plain(getattr(value, n)) for n in names]}
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    if isinstance(value, dt.date):
        return {"$": "date", "v": value.isoformat()}
    return value


def unplain(value: Any, classes: dict[str, type]) -> Any:
    """The value ``plain`` made, with the dataclasses named in ``classes`` (lists as tuples)."""
    if isinstance(value, list):
        return tuple(unplain(v, classes) for v in value)
    if isinstance(value, dict):
        if value["$"] == "date":
            return dt.date.fromisoformat(value["v"])
        return classes[value["$"]](*(unplain(v, classes) for v in value["v"]))
    return value


def cached(name: str, key: str, build: Callable[[], Any], decode: Callable[[Any], Any]) -> Any:
    """``decode`` of the stored JSON for ``name`` at ``key``; else ``build()``, stored.

    ``build`` returns ``(value, plain)``: the value to return and its JSON form, which
    ``decode`` turns back into an equal value. ``decode`` raising (a damaged or foreign file)
    counts as a miss.
    """
    path = folder() / f"{name}.json"
    try:
        if not path.is_symlink():
            stored = json.loads(read_limited(path, LIMIT))
            if isinstance(stored, dict) and stored.get("key") == key:
                return decode(stored["value"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        pass
    value, plain = build()
    _write(path, json.dumps({"key": key, "value": plain}, ensure_ascii=False))
    return value


def _write(path: Path, text: str) -> None:
    """Write atomically (a new file renamed over the old, never through a link); best effort."""
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass
