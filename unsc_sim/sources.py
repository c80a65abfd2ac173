"""Citations: find a stance's source file and check that its quote is really there."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

# Typographic marks that editors and news sites swap freely; a quote may use either form.
_MARKS = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
_NOT_A_FILE = re.compile(r"^(https?://|S/|A/|[A-Z]+/)")
MAX_SOURCE_BYTES = 5_000_000  # a news article is a few kB; refuse to read anything huge


def normalize(text: str) -> str:
    """Collapse whitespace and fold typographic quotes and dashes."""
    return " ".join(text.translate(_MARKS).split())


def is_file_source(source: str) -> bool:
    """False for URLs and UN document symbols (S/PV.8209), which are cited, not read."""
    return not _NOT_A_FILE.match(source)


def find_source(source: str, base: Path) -> Path | None:
    """The file a relative source names, looked up from ``base`` and then its parents.

    A candidate that resolves outside the folder it was looked up from (a symbolic link out)
    is passed over, so a scenario can only cite files below one of those folders.
    """
    for folder in (base.resolve(), *base.resolve().parents):
        candidate = (folder / source).resolve()
        if candidate.is_relative_to(folder) and candidate.is_file():
            return candidate
    return None


@cache
def _read(path: Path) -> str:
    if path.stat().st_size > MAX_SOURCE_BYTES:
        raise ValueError(f"larger than {MAX_SOURCE_BYTES:,} bytes")
    return normalize(path.read_text(encoding="utf-8"))


def check_quote(source: str, quote: str, base: Path) -> str | None:
    """None if the quote occurs verbatim in the source file, else what is wrong."""
    if not is_file_source(source):
        return None
    path = find_source(source, base)
    if path is None:
        return f"source file {source[:80]!r} not found next to the scenario or in a parent folder"
    if normalize(quote) not in _read(path):
        return f"quote not found in {source}: {quote[:60]!r}"
    return None
