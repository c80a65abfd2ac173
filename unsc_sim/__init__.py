"""unsc-sim: simulate UN Security Council votes under Article 27 of the Charter.

>>> import unsc_sim
>>> s = unsc_sim.load("scenarios/2018-12-dprk-human-rights.yaml")
>>> unsc_sim.simulate(s, "ivory-coast-yes").p_adopted
1.0
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .analysis import council_game, power_indices, sweep, swing, what_it_takes
    from .engine import Method, Result, run, simulate
    from .errors import ScenarioError, UnknownCountryError, UnscSimError
    from .model import (
        Basis,
        Between,
        Bloc,
        Hypothetical,
        Member,
        Rule,
        RuleKind,
        Scenario,
        Stance,
        Vote,
    )
    from .output.explorer import explore
    from .scenario import load, loads

__version__ = "0.1.0"

__all__ = [
    "Basis",
    "Between",
    "Bloc",
    "Hypothetical",
    "Member",
    "Method",
    "Result",
    "Rule",
    "RuleKind",
    "Scenario",
    "ScenarioError",
    "Stance",
    "UnknownCountryError",
    "UnscSimError",
    "Vote",
    "council_game",
    "explore",
    "load",
    "loads",
    "power_indices",
    "run",
    "simulate",
    "sweep",
    "swing",
    "what_it_takes",
]

# Where each public name lives: imported on first use, so that a command line (which imports
# the modules it needs directly) starts without loading the whole library.
_HOME = {
    "council_game": "analysis", "power_indices": "analysis", "sweep": "analysis",
    "swing": "analysis", "what_it_takes": "analysis", "Method": "engine", "Result": "engine",
    "run": "engine", "simulate": "engine", "ScenarioError": "errors",
    "UnknownCountryError": "errors", "UnscSimError": "errors", "explore": "output.explorer",
    "load": "scenario", "loads": "scenario",
    **dict.fromkeys(
        ("Basis", "Between", "Bloc", "Hypothetical", "Member", "Rule", "RuleKind", "Scenario",
         "Stance", "Vote"),
        "model",
    ),
}  # fmt: skip


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
    importlib.import_module(".output.explorer", __name__)  # binds Scenario._repr_html_
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
