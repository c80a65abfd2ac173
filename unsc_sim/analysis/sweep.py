"""Sweeps: P(adopted) as one or two members' P(yes) runs from 0 to 1."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from numbers import Integral
from typing import Any

import numpy as np

from ..charter import with_proviso
from ..checks import text_names
from ..engine import budget
from ..engine import grid as node_grid
from ..engine.choose import arrays, evaluator, world
from ..engine.latent import factors_of
from ..errors import InvalidArgumentError, InvalidValueError
from ..model import BASELINE, Scenario, Stance, as_scenario


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
    at: tuple[float, ...] = ()  # the varied members' P(yes) in the scenario itself
    p_adopted_at: float | None = None  # P(adopted) at that point: the scenario's own

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
        """One tuple per point, lazily."""
        names = (self.hypothetical, *self.members)
        for start in range(0, len(self.p_adopted), SWEEP_CHUNK):
            stop = start + SWEEP_CHUNK
            columns = [self.grid[start:stop, j].tolist() for j in range(len(names) - 1)]
            columns.append(self.p_adopted[start:stop].tolist())
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
DEFAULT_STEPS = 21  # grid points per member: 5% apart; `sweep` and `plot --kind sweep` share it
_EVAL_BATCH = 4096  # points per evaluation: the DP's rows then stay in the CPU's cache


def sweep(
    scenario: Scenario,
    members: Sequence[str],
    *,
    hypothetical: str | None = None,
    steps: int = DEFAULT_STEPS,
    trials: int | None = None,
    seed: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Sweep:
    """P(adopted) as one or two members' P(yes) go from 0 to 1 in ``steps`` points each.

    ``members`` is a list of one or two names, any common name of a member ("Ivory Coast").
    The grid is evaluated in batches (the exact engine solves a batch in one vectorized
    pass), at most ``MAX_SWEEP_POINTS`` points; ``progress`` is called with the number of
    grid points just finished.
    """
    as_scenario(scenario, "sweep")
    if isinstance(members, str):
        raise InvalidArgumentError(
            f"members must be a list of one or two names, e.g. [{members!r}], not {members!r}"
        )
    members = text_names(members, "members")
    if not 1 <= len(members) <= 2:
        raise InvalidValueError(f"sweep one member or two, not {len(members)}: {list(members)}")
    if isinstance(steps, bool) or not isinstance(steps, Integral) or steps < 2:
        raise InvalidValueError(f"steps must be a whole number of at least 2, not {steps!r}")
    total = steps ** len(members)
    if total > MAX_SWEEP_POINTS:
        raise InvalidValueError(f"a sweep has at most {MAX_SWEEP_POINTS:,} points, not {total:,}")
    variant = scenario.variant(hypothetical)
    members = [variant.resolve(name) for name in members]
    if len(set(members)) < len(members):
        raise InvalidValueError(f"sweep {members[0]} once, not twice")
    axis = np.linspace(0.0, 1.0, steps)
    prepared = with_proviso(variant)
    trials = budget.analysis_draws(scenario, total, trials, "sweep")
    reported = world(scenario, hypothetical, also=members, trials=trials, seed=seed)
    evaluate = evaluator(prepared, trials=trials, seed=seed, world=reported)
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
    factors = factors_of(prepared)
    if reported is None and evaluate.integrator is not None and node_grid.smooth(factors, index):
        permanent = arrays(prepared)[1]
        fast = node_grid.grid(base, permanent, prepared.rule, factors, index, levels)
        if fast is not None:  # the whole grid as node-wise matrix products
            out, start = fast, total
            if progress:
                progress(total)
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
        evaluate.method,
        at=tuple(float(base[i, 0]) for i in index),
        p_adopted_at=float(evaluate(base[None])[0]),
    )
