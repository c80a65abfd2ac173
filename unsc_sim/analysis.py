"""Who decides: swing members, what it takes to pass or block, and sweeps of one stance.

Every function takes a scenario (and optionally a hypothetical) and is exact when members
are independent; with blocs it samples, with one seed shared by every variant (common random
numbers), so differences between variants are not sampling noise alone.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

import numpy as np

from . import exact, montecarlo
from .engine import DEFAULT_TRIALS, arrays
from .model import BASELINE, Scenario, Stance
from .rules import with_proviso

SURE_YES = (1.0, 0.0, 0.0, 0.0)
SURE_NO = (0.0, 1.0, 0.0, 0.0)


class Side(str, Enum):
    """Supporters switch members to yes; opponents switch them to no."""

    PASS = "pass"
    BLOCK = "block"


Evaluator = Callable[[np.ndarray], np.ndarray]


def _evaluator(scenario: Scenario, *, trials: int, seed: int | None) -> Evaluator:
    """P(adopted) for a batch of probability arrays (batch, members, 4) of this scenario."""
    _, permanent = arrays(scenario)
    rule = scenario.rule
    if not scenario.blocs:
        return lambda batch: exact.p_adopted(batch, permanent, rule)
    seed = int(np.random.SeedSequence().entropy % 2**63) if seed is None else seed
    index = {name: i for i, name in enumerate(scenario.names)}
    blocs = [([index[m] for m in b.members], b.correlation) for b in scenario.blocs]

    def sampled(batch: np.ndarray) -> np.ndarray:
        out = []
        for probs in batch:
            s = montecarlo.sample(probs, permanent, blocs=blocs, trials=trials, seed=seed)
            dist = s.clean if rule.veto else s.total
            out.append(dist[rule.threshold :].sum() / s.trials)
        return np.array(out)

    return sampled


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
    method = "montecarlo" if variant.blocs else "exact"
    return Swing(hypothetical or BASELINE, float(p[-1]), tuple(rows), method)


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
    that way are candidates. "Certain" means P(adopted) = 1 (pass) or 0 (block); it depends
    only on which votes are possible, so it is found exactly even with blocs (whose copula
    keeps every combination possible while a correlation is below 1).

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
        if exactly:
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
    method = "montecarlo" if variant.blocs else "exact"
    return WhatItTakes(
        hypothetical or BASELINE, side, base, tuple(certain), size, tuple(best), method
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

    @property
    def fields(self) -> tuple[str, ...]:
        """The names of ``rows()``'s columns (and of ``to_records()``'s keys)."""
        k = len(self.members)
        return (
            "hypothetical",
            *(f"member_{i + 1}" for i in range(k)),
            *(f"p_yes_{i + 1}" for i in range(k)),
            "p_adopted",
        )

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """One tuple per point (values rounded to 12 decimals), lazily."""
        names = (self.hypothetical, *self.members)
        for start in range(0, len(self.p_adopted), SWEEP_CHUNK):
            stop = start + SWEEP_CHUNK
            columns = [
                np.round(self.grid[start:stop, j], 12).tolist() for j in range(len(names) - 1)
            ]
            columns.append(np.round(self.p_adopted[start:stop], 12).tolist())
            for values in zip(*columns):
                yield (*names, *values)

    def to_records(self) -> list[dict[str, Any]]:
        fields = self.fields
        return [dict(zip(fields, row)) for row in self.rows()]

    def to_frame(self) -> Any:
        import pandas as pd

        return pd.DataFrame(self.to_records())


# Points per batch at most: 65,536 x 15 members x 4 floats is 31 MB of probabilities.
SWEEP_CHUNK = 65_536
MAX_SWEEP_POINTS = 1001 * 1001
_EVAL_BATCH = 4096  # points per evaluation: the DP's rows then stay in the CPU's cache


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

    The grid is evaluated in batches (the exact engine solves a batch in one vectorized
    pass), at most ``MAX_SWEEP_POINTS`` points; ``progress`` is called with the number of
    grid points just finished.
    """
    if not 1 <= len(members) <= 2:
        raise ValueError("sweep one member or two")
    if steps < 2:
        raise ValueError("steps must be at least 2")
    total = steps ** len(members)
    if total > MAX_SWEEP_POINTS:
        raise ValueError(f"a sweep has at most {MAX_SWEEP_POINTS:,} points, not {total:,}")
    variant = scenario.variant(hypothetical)
    for name in members:
        variant.member(name)  # KeyError names the unknown member
    axis = np.linspace(0.0, 1.0, steps)
    prepared = with_proviso(variant)
    evaluate = _evaluator(prepared, trials=trials, seed=seed)
    index = [variant.names.index(m) for m in members]
    base = arrays(prepared)[0]
    # Each varied member's probabilities at every step (few Stances), then looked up by index.
    levels = [
        np.array([with_p_yes(prepared.members[i].stance, float(p)).probabilities for p in axis])
        for i in index
    ]
    # itertools.product order: the first member varies slowest.
    strides = [steps ** (len(index) - 1 - j) for j in range(len(index))]
    out = np.empty(total)
    start, chunk = 0, 1
    while start < total:
        stop = min(start + chunk, total)
        ids = np.arange(start, stop)
        batch = np.repeat(base[None], stop - start, axis=0)
        for i, level, stride in zip(index, levels, strides):
            batch[:, i] = level[ids // stride % steps]
        began = time.perf_counter()
        out[start:stop] = evaluate(batch)
        if progress:
            progress(stop - start)
        # Grow the batch while a batch is quick, so a slow (sampled) evaluator still reports
        # progress often; the values do not depend on the batch size.
        if time.perf_counter() - began < 0.25:
            chunk = min(chunk * 4, _EVAL_BATCH)
        start = stop
    ids = np.arange(total)
    grid = np.stack([axis[ids // stride % steps] for stride in strides], axis=1)
    return Sweep(
        hypothetical or BASELINE,
        tuple(members),
        grid,
        out,
        "montecarlo" if prepared.blocs else "exact",
    )
