"""Analyses over the engines: swing members, what it takes to pass, sweeps, power indices.

The power indices (``power``, ``power_sums``) are imported on first use: no scenario command
needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# Imported here, not lazily: each function shares its module's name, and importing the
# module would otherwise leave the module, not the function, under that name.
from .sweep import Sweep, sweep, with_p_yes
from .swing import Swing, SwingRow, swing
from .what_it_takes import Side, WhatItTakes, effort, what_it_takes

if TYPE_CHECKING:
    from .power import council_game, power_indices

__all__ = [
    "Side",
    "Sweep",
    "Swing",
    "SwingRow",
    "WhatItTakes",
    "council_game",
    "effort",
    "power_indices",
    "sweep",
    "swing",
    "what_it_takes",
    "with_p_yes",
]


def __getattr__(name: str) -> Any:
    if name not in ("council_game", "power_indices"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(".power", __name__), name)
    globals()[name] = value
    return value
