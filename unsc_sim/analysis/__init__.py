"""Analyses over the engines: swing members, what it takes to pass, sweeps, power indices."""

from .power import council_game, power_indices
from .sweep import Sweep, sweep, with_p_yes
from .swing import Swing, SwingRow, swing
from .what_it_takes import Side, WhatItTakes, effort, what_it_takes

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
