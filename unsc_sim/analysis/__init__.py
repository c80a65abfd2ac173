"""Analyses over the engines: swing members, what it takes to pass, sweeps, power indices."""

from .power import council_game, power_indices
from .swing import Side, sweep, swing, what_it_takes

__all__ = ["Side", "council_game", "power_indices", "sweep", "swing", "what_it_takes"]
