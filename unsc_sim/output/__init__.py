"""What a reader sees: tables, JSON and CSV (``formats``), figures (``plots``), the page
(``explorer``). Nothing below this folder imports it."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .explorer import Explorer, explore

__all__ = ["Explorer", "explore"]


def __getattr__(name: str) -> Any:
    # The page is imported on first use: a command that prints a table never loads it.
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(".explorer", __name__), name)
    globals()[name] = value
    return value
