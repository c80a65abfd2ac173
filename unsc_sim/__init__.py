"""unsc-sim: simulate UN Security Council votes under Article 27 of the Charter.

>>> import unsc_sim
>>> s = unsc_sim.load("scenarios/2018-12-dprk-human-rights.yaml")
>>> unsc_sim.simulate(s, "ivory-coast-yes").p_adopted
1.0
"""

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
