"""Who decides: swing members, what it takes to pass or block, and sweeps of one stance.

Every function takes a scenario (and optionally a hypothetical) and is exact, with blocs
too (the quadrature engine, remembering each bloc configuration across the variants). Only
blocs beyond that engine are sampled, with one seed shared by every variant (common random
numbers), so differences between variants are not sampling noise alone.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

import numpy as np

from . import exact, montecarlo, quadrature
from .blocs import factors_of
from .engine import DEFAULT_TRIALS, arrays
from .model import BASELINE, Scenario, Stance
from .rules import with_proviso

SURE_YES = (1.0, 0.0, 0.0, 0.0)
SURE_NO = (0.0, 1.0, 0.0, 0.0)


class Side(str, Enum):
    """Supporters switch members to yes; opponents switch them to no."""

    PASS = "pass"
    BLOCK = "block"


@dataclass(frozen=True)
class Evaluator:
    """P(adopted) for a batch of probability arrays (batch, members, 4), and how."""

    method: str  # "exact" or "montecarlo"
    evaluate: Callable[[np.ndarray], np.ndarray]

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        return self.evaluate(batch)


def _evaluator(scenario: Scenario, *, trials: int, seed: int | None) -> Evaluator:
    """P(adopted) for a batch of probability arrays (batch, members, 4) of this scenario."""
    _, permanent = arrays(scenario)
    rule = scenario.rule
    if not scenario.blocs:
        return Evaluator("exact", lambda batch: exact.p_adopted(batch, permanent, rule))
    factors = factors_of(scenario)
    if quadrature.why_not(factors) is None:
        integrator = quadrature.Integrator(permanent, factors)
        return Evaluator("exact", lambda batch: integrator.p_adopted(batch, rule))
    seed = int(np.random.SeedSequence().entropy % 2**63) if seed is None else seed
    between = factors.correlation if factors.correlated else None

    def sampled(batch: np.ndarray) -> np.ndarray:
        out = []
        for probs in batch:
            s = montecarlo.sample(
                probs, permanent, blocs=factors.blocs, between=between, trials=trials, seed=seed
            )
            dist = s.clean if rule.veto else s.total
            out.append(dist[rule.threshold :].sum() / s.trials)
        return np.array(out)

    return Evaluator("montecarlo", sampled)


def _prepare(scenario: Scenario, hypothetical: str | None) -> tuple[Scenario, np.ndarray]:
    variant = with_proviso(scenario.variant(hypothetical))
    return variant, arrays(variant)[0]


@dataclass(frozen=True)
class SwingRow:
    member: str
    stance: str
    p_yes: float
    p_adopted_if_yes: float
    p_adopted_if_not: float
    swing: float  # P(adopted | yes) - P(adopted | its own non-yes)
    p_pivotal: float  # P(adopted | yes) - P(adopted | no): its vote alone decides


@dataclass(frozen=True)
class Swing:
    """Members ranked by how much their vote moves P(adopted)."""

    hypothetical: str
    p_adopted: float
    rows: tuple[SwingRow, ...]
    method: str

    def to_records(self) -> list[dict[str, Any]]:
        return [{"hypothetical": self.hypothetical, **vars(r)} for r in self.rows]

    def to_frame(self) -> Any:
        import pandas as pd

        return pd.DataFrame(self.to_records())


def swing(
    scenario: Scenario,
    hypothetical: str | None = None,
    *,
    trials: int = DEFAULT_TRIALS,
    seed: int | None = None,
) -> Swing:
    """For each member: P(adopted) if it votes yes, if it does not, and the difference.

    ``swing`` is the derivative of P(adopted) in the member's P(yes), the rest of its
    probability kept in proportion (a sure yes voter is taken to abstain). ``p_pivotal``
    compares yes with no, so for a permanent member under the veto it counts its veto too;
    when every member votes yes or no with probability 1/2, it is the absolute Banzhaf index.

    >>> import unsc_sim
    >>> s = unsc_sim.load("scenarios/2019-12-dprk-human-rights.yaml")
    >>> us = next(r for r in swing(s).rows if r.member == "United States")
    >>> us.stance, us.swing
    ('abstain', 1.0)
    """
    variant, probs = _prepare(scenario, hypothetical)
    evaluate = _evaluator(variant, trials=trials, seed=seed)
    # One batch: every member switched three ways, then the scenario as it is.
    p = evaluate(np.concatenate([exact.switched(probs), probs[None]]))
    cond = p[:-1].reshape(len(probs), 3)
    rows = [
        SwingRow(m.name, m.stance.describe(), m.stance.yes, float(c[0]), float(c[1]),
                 float(c[0] - c[1]), float(c[0] - c[2]))
        for m, c in zip(variant.members, cond)
    ]  # fmt: skip
    rows.sort(key=lambda r: (-r.swing, -r.p_pivotal, r.member))
    return Swing(hypothetical or BASELINE, float(p[-1]), tuple(rows), evaluate.method)


@dataclass(frozen=True)
class Move:
    """A set of members switched together, and P(adopted) after the switch."""

    members: tuple[str, ...]
    p_adopted: float


@dataclass(frozen=True)
class WhatItTakes:
    """The cheapest ways to make the outcome certain, and the best moves of 1, 2, 3 members."""

    hypothetical: str
    side: Side
    p_adopted: float
    certain: tuple[Move, ...]  # every smallest set that makes the outcome certain
    certain_size: int | None  # None: no set of switchable members makes it certain
    best: tuple[Move, ...]  # for k = 1, 2, ...: the set that moves P(adopted) most
    method: str

    def to_records(self) -> list[dict[str, Any]]:
        rows = [{"kind": "certain", "k": len(m.members), "members": list(m.members),
                 "p_adopted": m.p_adopted} for m in self.certain]  # fmt: skip
        rows += [{"kind": "best", "k": len(m.members), "members": list(m.members),
                  "p_adopted": m.p_adopted} for m in self.best]  # fmt: skip
        return [{"hypothetical": self.hypothetical, "side": self.side.value, **r} for r in rows]

    def to_frame(self) -> Any:
        import pandas as pd

        return pd.DataFrame(self.to_records())


def what_it_takes(
    scenario: Scenario,
    hypothetical: str | None = None,
    *,
    side: Side | str = Side.PASS,
    max_best: int = 3,
    max_sets: int = 50,
    trials: int = DEFAULT_TRIALS,
    seed: int | None = None,
) -> WhatItTakes:
    """Whom must supporters (``side="pass"``) or opponents (``"block"``) win over?

    Supporters switch members to a sure yes; opponents switch them to a sure no (for a
    permanent member under the substantive rule, a veto). Only members not already voting
    that way are candidates. "Certain" means P(adopted) = 1 (pass) or 0 (block), found by
    the exact engine, with blocs too (a bloc at correlation 1 rules some combinations out).
    When blocs are sampled it depends only on which votes are possible, which the
    independent engine knows while every correlation is below 1.

    >>> import unsc_sim
    >>> s = unsc_sim.load("scenarios/2018-12-dprk-human-rights.yaml")
    >>> needed = what_it_takes(s, "held-anyway")
    >>> round(needed.p_adopted, 3), needed.certain_size, len(needed.certain)
    (0.616, 1, 7)
    """
    side = Side(side)
    variant, probs = _prepare(scenario, hypothetical)
    evaluate = _evaluator(variant, trials=trials, seed=seed)
    target = SURE_YES if side is Side.PASS else SURE_NO
    column = 0 if side is Side.PASS else 1
    names = variant.names
    candidates = [i for i in range(len(names)) if probs[i, column] < 1.0]
    base = float(evaluate(probs[None])[0])

    _, permanent = arrays(variant)

    def evaluate_sets(sets: Sequence[tuple[int, ...]], *, exactly: bool = False) -> np.ndarray:
        batch = np.repeat(probs[None], len(sets), axis=0)
        for row, members in enumerate(sets):
            batch[row, list(members)] = target
        if exactly and evaluate.method != "exact":
            return exact.p_adopted(batch, permanent, variant.rule)
        return evaluate(batch)

    def move(members: tuple[int, ...], p: float) -> Move:
        return Move(tuple(names[i] for i in members), float(p))

    best = []
    for k in range(1, min(max_best, len(candidates)) + 1):
        sets = list(itertools.combinations(candidates, k))
        p = evaluate_sets(sets)
        pick = int(np.argmax(p) if side is Side.PASS else np.argmin(p))
        best.append(move(sets[pick], p[pick]))
    certain: list[Move] = []
    size = None
    goal = 1.0 if side is Side.PASS else 0.0
    for k in range(len(candidates) + 1):
        sets = list(itertools.combinations(candidates, k))
        p = evaluate_sets(sets, exactly=True)
        hits = [i for i in range(len(sets)) if abs(p[i] - goal) <= 1e-12]
        if hits:
            size = k
            certain = [move(sets[i], p[i]) for i in hits[:max_sets]]
            break
    return WhatItTakes(
        hypothetical or BASELINE, side, base, tuple(certain), size, tuple(best), evaluate.method
    )


def with_p_yes(stance: Stance, p_yes: float) -> Stance:
    """The stance with P(yes) set and its other outcomes scaled to fill the rest.

    A stance with no non-yes probability fills the rest with abstention.
    """
    rest = np.array(stance.probabilities[1:])
    rest = rest / rest.sum() if rest.sum() > 0 else np.array([0.0, 1.0, 0.0])
    no, abstain, absent = ((1.0 - p_yes) * rest).tolist()
    return Stance(p_yes, no, abstain, absent, note=f"P(yes) set to {p_yes:g} by a sweep")


@dataclass(frozen=True)
class Sweep:
    """P(adopted) over a grid of one or two members' P(yes)."""

    hypothetical: str
    members: tuple[str, ...]
    grid: np.ndarray  # (points, len(members)) P(yes) values
    p_adopted: np.ndarray  # (points,)
    method: str

    def to_records(self) -> list[dict[str, Any]]:
        cols = [f"p_yes_{i + 1}" for i in range(len(self.members))]
        return [
            {"hypothetical": self.hypothetical,
             **{f"member_{i + 1}": m for i, m in enumerate(self.members)},
             **{c: round(float(v), 12) for c, v in zip(cols, point)},
             "p_adopted": round(float(p), 12)}
            for point, p in zip(self.grid, self.p_adopted)
        ]  # fmt: skip

    def to_frame(self) -> Any:
        import pandas as pd

        return pd.DataFrame(self.to_records())


def sweep(
    scenario: Scenario,
    members: Sequence[str],
    *,
    hypothetical: str | None = None,
    steps: int = 11,
    trials: int = DEFAULT_TRIALS,
    seed: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Sweep:
    """P(adopted) as one or two members' P(yes) go from 0 to 1 in ``steps`` points each.

    ``progress`` is called with the number of grid points just finished.
    """
    if not 1 <= len(members) <= 2:
        raise ValueError("sweep one member or two")
    if steps < 2:
        raise ValueError("steps must be at least 2")
    variant = scenario.variant(hypothetical)
    for name in members:
        variant.member(name)  # KeyError names the unknown member
    axis = np.linspace(0.0, 1.0, steps)
    grid = np.array(list(itertools.product(axis, repeat=len(members))))
    prepared = with_proviso(variant)
    evaluate = _evaluator(prepared, trials=trials, seed=seed)
    index = [variant.names.index(m) for m in members]
    base = arrays(prepared)[0]
    batch = np.repeat(base[None], len(grid), axis=0)
    for row, point in enumerate(grid):
        for i, p in zip(index, point):
            batch[row, i] = with_p_yes(prepared.members[i].stance, float(p)).probabilities
    # Evaluate in slices so a progress bar can move on sampled sweeps.
    chunk = len(grid) if evaluate.method == "exact" else 1
    out = []
    for start in range(0, len(grid), chunk):
        out.append(evaluate(batch[start : start + chunk]))
        if progress:
            progress(min(chunk, len(grid) - start))
    return Sweep(
        hypothetical or BASELINE,
        tuple(members),
        grid,
        np.concatenate(out),
        evaluate.method,
    )
