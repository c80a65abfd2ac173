"""Build scenarios in code for tests."""

import numpy as np

from unsc_sim import Member, Rule, RuleKind, Scenario, Stance
from unsc_sim.model import Between, Bloc

NAMES = ("United States", "China", "France", "United Kingdom", "Russian Federation",
         "Bolivia", "Côte d'Ivoire", "Equatorial Guinea", "Ethiopia", "Kazakhstan",
         "Kuwait", "Netherlands", "Peru", "Poland", "Sweden")  # fmt: skip


def scenario_from(probs, *, rule=RuleKind.PROCEDURAL, blocs=(), between=()) -> Scenario:
    """A 15-member scenario with these (15, 4) probabilities; the first five are permanent.

    ``blocs`` are (member indices, correlation), named b0, b1, ...; ``between`` are
    (bloc number, bloc number, correlation).
    """
    members = tuple(
        Member(name, Stance(*map(float, p)), permanent=i < 5)
        for i, (name, p) in enumerate(zip(NAMES, probs))
    )
    bloc_objs = tuple(
        Bloc(f"b{j}", tuple(NAMES[i] for i in idx), r) for j, (idx, r) in enumerate(blocs)
    )
    links = tuple(Between((f"b{i}", f"b{j}"), r) for i, j, r in between)
    return Scenario("test", Rule(rule), members, blocs=bloc_objs, between=links)


def random_probs(seed: int, *, sure: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    probs = rng.dirichlet(np.full(4, 0.7), size=15)
    for i in rng.choice(15, size=sure, replace=False):
        probs[i] = np.eye(4)[rng.integers(0, 4)]
    return probs
