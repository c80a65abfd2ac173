"""Citations: find a stance's source file and check that its quote is really there."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

# Typographic marks that editors and news sites swap freely; a quote may use either form.
_MARKS = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
_NOT_A_FILE = re.compile(r"^(https?://|S/|A/|[A-Z]+/)")


def normalize(text: str) -> str:
    """Collapse whitespace and fold typographic quotes and dashes."""
    return " ".join(text.translate(_MARKS).split())


def is_file_source(source: str) -> bool:
    """False for URLs and UN document symbols (S/PV.8209), which are cited, not read."""
    return not _NOT_A_FILE.match(source)


def find_source(source: str, base: Path) -> Path | None:
    """The file a relative source names, looked up from ``base`` and then its parents."""
    for folder in (base, *base.resolve().parents):
        candidate = folder / source
        if candidate.is_file():
            return candidate
    return None


@cache
def _read(path: Path) -> str:
    return normalize(path.read_text(encoding="utf-8"))


def check_quote(source: str, quote: str, base: Path) -> str | None:
    """None if the quote occurs verbatim in the source file, else what is wrong."""
    if not is_file_source(source):
        return None
    path = find_source(source, base)
    if path is None:
        return f"source file {source!r} not found (looked in {base} and its parents)"
    if normalize(quote) not in _read(path.resolve()):
        return f"quote not found in {source}: {quote[:60]!r}"
    return None
