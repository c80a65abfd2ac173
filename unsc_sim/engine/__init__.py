"""Engines: one scenario variant in, the distribution of its yes votes out.

``simulation`` is the face (``simulate``, ``run``, ``Result``); ``exact`` is the dynamic
programme for independent members, ``latent`` the bloc model's latent scale and factors,
``quadrature`` integrates the exact engine over bloc factors, ``montecarlo`` samples.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .choose import Method
    from .simulation import Result, run, simulate

DEFAULT_TRIALS = 200_000  # Monte Carlo trials when none are asked for
# Weighted draws of the bloc factors when none are asked for: each is conditioned exactly
# (a DP over members), so far fewer are needed, and each costs far more than a trial.
DEFAULT_DRAWS = 20_000
MAX_TRIALS = 100_000_000  # the most any call may ask for (README, "Limits")

__all__ = ["DEFAULT_DRAWS", "DEFAULT_TRIALS", "MAX_TRIALS", "Method", "Result", "run", "simulate"]
_HOME = {
    "Method": "choose",
    "Result": "simulation",
    "run": "simulation",
    "simulate": "simulation",
}


def __getattr__(name: str) -> Any:
    # Imported on first use: a command that only reads the record never loads numpy.
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
    globals()[name] = value
    return value
