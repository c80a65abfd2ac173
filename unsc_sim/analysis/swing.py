"""Who decides: swing members, what it takes to pass or block, and sweeps of one stance.

Every function takes a scenario (and optionally a hypothetical) and is exact, with blocs
too (the quadrature engine, remembering each bloc configuration across the variants). Only
blocs beyond that engine are sampled, with one seed shared by every variant (common random
numbers), so differences between variants are not sampling noise alone.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from numbers import Integral
from typing import Any

import numpy as np

from ..charter import obliged_to_abstain, with_proviso
from ..countries import resolve
from ..engine import exact, montecarlo, quadrature
from ..engine.latent import factors_of
from ..engine.simulation import DEFAULT_TRIALS, arrays, check_sampling
from ..errors import InvalidArgumentError, InvalidValueError, ScenarioError, UnknownCountryError
from ..model import BASELINE, VOTES, Choice, Member, Scenario, Stance, Vote

SURE_YES = (1.0, 0.0, 0.0, 0.0)
SURE_NO = (0.0, 1.0, 0.0, 0.0)


class Side(Choice):
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
    check_sampling(trials, seed)
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
    # A party the Art. 27(3) proviso obliges to abstain has no vote to move.
    bound = set(obliged_to_abstain(scenario.variant(hypothetical)))
    cond[[m.name in bound for m in variant.members]] = p[-1]
    rows = [
        SwingRow(m.name, m.stance.describe(), m.stance.yes, float(c[0]), float(c[1]),
                 float(c[0] - c[1]), float(c[0] - c[2]))
        for m, c in zip(variant.members, cond)
    ]  # fmt: skip
    rows.sort(key=lambda r: (-r.swing, -r.p_pivotal, r.member))
    return Swing(hypothetical or BASELINE, float(p[-1]), tuple(rows), evaluate.method)


@dataclass(frozen=True)
class Move:
    """A set of members switched together, and P(adopted) after the switch.

    ``effort`` is how far the members must move (see ``effort``), summed; ``p_target`` is
    the sum of their own probabilities of the vote they are asked for.
    """

    members: tuple[str, ...]
    p_adopted: float
    effort: float = 0.0
    p_target: float = 0.0


@dataclass(frozen=True)
class Candidate:
    """A member that could be switched: its stance now, how far it must move, P(target)."""

    member: str
    stance: str
    effort: float
    p_target: float


@dataclass(frozen=True)
class WhatItTakes:
    """The easiest ways to make the outcome certain, and the best moves of 1, 2, 3 members."""

    hypothetical: str
    side: Side
    p_adopted: float
    certain: tuple[Move, ...]  # the smallest sets that make it certain, easiest first
    certain_size: int | None  # None: no set of switchable members makes it certain
    best: tuple[Move, ...]  # for k = 1, 2, ...: the set that moves P(adopted) most
    method: str
    certain_total: int = 0  # how many smallest sets there are (``certain`` shows the first)
    never: tuple[str, ...] = ()  # members left out: they will not move
    candidates: tuple[Candidate, ...] = ()  # the members that may be switched, easiest first

    def candidate(self, member: str) -> Candidate:
        return next(c for c in self.candidates if c.member == member)

    @property
    def already(self) -> bool:
        """The outcome is already certain on this side: nothing to do."""
        return self.certain_size == 0

    @property
    def more(self) -> int:
        """Smallest sets not shown in ``certain``."""
        return self.certain_total - len(self.certain)

    def to_records(self) -> list[dict[str, Any]]:
        """One row per move (and one "already" row when there is nothing to do)."""
        rows = []
        if self.already:
            rows.append(self._row("already", 1, Move((), self.p_adopted)))
        else:
            rows += [self._row("certain", i, m) for i, m in enumerate(self.certain, start=1)]
            rows += [self._row("best", i, m) for i, m in enumerate(self.best, start=1)]
        return rows

    def _row(self, kind: str, rank: int, m: Move) -> dict[str, Any]:
        certain = kind == "certain"
        return {
            "hypothetical": self.hypothetical,
            "side": self.side.value,
            "kind": kind,
            "rank": rank,
            "k": len(m.members),
            "members": list(m.members),
            "effort": round(m.effort, 12),
            "p_target": round(m.p_target, 12),
            "p_adopted": m.p_adopted,
            "sets_total": self.certain_total if certain else None,
            "sets_not_shown": self.more if certain else None,
        }

    def to_frame(self) -> Any:
        import pandas as pd

        return pd.DataFrame(self.to_records())


# Steps on the scale yes - abstain (or absent) - no; a permanent member crossing from one
# end to the other (opposing a motion it is asked to support, or the reverse) is hardest.
STEPS = {Vote.YES: 0, Vote.ABSTAIN: 1, Vote.ABSENT: 1, Vote.NO: 2}
PERMANENT_CROSSING = 3


def effort(member: Member, side: Side | str) -> float:
    """How far a member must move to the side's vote (yes to pass, no to block).

    An abstainer or absent member is one step away, a member voting the other way two, a
    permanent member voting the other way three. An uncertain stance is weighted by its own
    probabilities (of the votes other than the target). Divided by the member's
    ``persuadable`` (1 unless the scenario says otherwise); infinite when that is 0.
    """
    side = Side(side)
    target, other = (Vote.YES, Vote.NO) if side is Side.PASS else (Vote.NO, Vote.YES)
    weights = dict(zip(VOTES, member.stance.probabilities))
    rest = 1.0 - weights[target]
    if member.persuadable <= 0.0:
        return math.inf
    if rest <= 0.0:
        return 0.0
    steps = 0.0
    for vote, p in weights.items():
        if vote is target:
            continue
        far = abs(STEPS[vote] - STEPS[target])
        steps += p * (PERMANENT_CROSSING if member.permanent and vote is other else far)
    return steps / rest / member.persuadable


def _member_names(scenario: Scenario, names: Sequence[str], option: str) -> tuple[str, ...]:
    """Names as the scenario spells them (aliases resolved), checked to be members."""
    out = []
    for name in names:
        try:
            canonical = name if name in scenario.names else resolve(name).name
        except UnknownCountryError as e:
            hint = f"did you mean {' or '.join(e.suggestions)}?" if e.suggestions else None
            raise ScenarioError(f"unknown member {name!r}", field=option, hint=hint) from None
        if canonical not in scenario.names:
            raise ScenarioError(f"{name!r} is not a member in this scenario", field=option)
        out.append(canonical)
    return tuple(out)


def what_it_takes(
    scenario: Scenario,
    hypothetical: str | None = None,
    *,
    side: Side | str = Side.PASS,
    max_best: int = 3,
    limit: int = 5,
    never: Sequence[str] = (),
    trials: int = DEFAULT_TRIALS,
    seed: int | None = None,
) -> WhatItTakes:
    """Whom must supporters (``side="pass"``) or opponents (``"block"``) win over?

    Supporters switch members to a sure yes; opponents switch them to a sure no (for a
    permanent member under the substantive rule, a veto). Candidates are the members not
    already voting that way, less those in ``never`` and those the scenario marks
    ``persuadable: false``. "Certain" means P(adopted) = 1 (pass) or 0 (block). That depends
    only on which votes are possible, which the independent engine knows while every bloc is
    below correlation 1; a bloc at correlation 1 rules some combinations out, and then the
    exact bloc engine decides. When the outcome is already certain on this side, ``already``
    is true and there are no moves.

    The smallest sets are ranked by ``effort`` (how far their members must move), then by
    the members' own probability of the target vote, then by name; ``certain`` keeps the
    first ``limit`` and ``certain_total`` counts them all. A best move is the set of k that
    moves P(adopted) most, equal ones ranked the same way.

    >>> import unsc_sim
    >>> s = unsc_sim.load("scenarios/2018-12-dprk-human-rights.yaml")
    >>> needed = what_it_takes(s, "held-anyway")
    >>> round(needed.p_adopted, 3), needed.certain_size, needed.certain_total
    (0.808, 1, 7)
    >>> needed.certain[0].members, needed.best[0].members
    (("Côte d'Ivoire",), ("Côte d'Ivoire",))
    """
    side = Side(side)
    for name, value in (("max_best", max_best), ("limit", limit)):
        if isinstance(value, bool) or not isinstance(value, Integral) or value < 0:
            raise InvalidValueError(f"{name} must be a whole number >= 0, not {value!r}")
    variant, probs = _prepare(scenario, hypothetical)
    never = _member_names(variant, never, "never")
    evaluate = _evaluator(variant, trials=trials, seed=seed)
    target = SURE_YES if side is Side.PASS else SURE_NO
    column = 0 if side is Side.PASS else 1
    names = variant.names
    cost = [effort(m, side) for m in variant.members]
    bound = set(obliged_to_abstain(variant))  # the Art. 27(3) proviso leaves them no vote
    candidates = [
        i
        for i in range(len(names))
        if probs[i, column] < 1.0
        and names[i] not in never
        and names[i] not in bound
        and math.isfinite(cost[i])
    ]
    base = float(evaluate(probs[None])[0])
    _, permanent = arrays(variant)
    # Sampled values closer than about two standard errors are not told apart.
    tie = 1e-9 if evaluate.method == "exact" else 1.0 / math.sqrt(trials)

    # Whether P(adopted) is exactly 1 (or 0) depends only on which combinations of votes are
    # possible. Below correlation 1 every bloc member keeps a chance of each of its own votes
    # whatever the others do, so the independent DP decides it, far faster than integrating
    # the blocs; at correlation 1 a bloc rules combinations out, and the exact engine decides.
    by_support = evaluate.method != "exact" or all(b.correlation < 1.0 for b in variant.blocs)

    def evaluate_sets(sets: Sequence[tuple[int, ...]], *, certainty: bool = False) -> np.ndarray:
        batch = np.repeat(probs[None], len(sets), axis=0)
        for row, members in enumerate(sets):
            batch[row, list(members)] = target
        if certainty and by_support:
            return exact.p_adopted(batch, permanent, variant.rule)
        return evaluate(batch)

    def move(members: tuple[int, ...], p: float) -> Move:
        members = tuple(sorted(members, key=lambda i: (cost[i], -probs[i, column], names[i])))
        return Move(
            tuple(names[i] for i in members),
            float(p),
            float(sum(cost[i] for i in members)),
            float(sum(probs[i, column] for i in members)),
        )

    def ease(m: Move) -> tuple[float, float, tuple[str, ...]]:
        return (round(m.effort, 9), -round(m.p_target, 9), tuple(sorted(m.members)))

    certain: list[Move] = []
    size, total = None, 0
    goal = 1.0 if side is Side.PASS else 0.0
    for k in range(len(candidates) + 1):
        sets = list(itertools.combinations(candidates, k))
        p = evaluate_sets(sets, certainty=True)
        hits = [move(sets[i], p[i]) for i in range(len(sets)) if abs(p[i] - goal) <= 1e-12]
        if hits:
            size, total = k, len(hits) if k else 0  # k = 0: already certain, nothing to list
            certain = sorted(hits, key=ease)[:limit] if k else []
            break
    best = []
    sign = 1.0 if side is Side.PASS else -1.0
    for k in range(1, min(max_best, len(candidates)) + 1) if size != 0 else ():
        sets = list(itertools.combinations(candidates, k))
        moves = [move(c, p) for c, p in zip(sets, evaluate_sets(sets))]
        top = max(sign * m.p_adopted for m in moves)
        best.append(min((m for m in moves if sign * m.p_adopted >= top - tie), key=ease))
    order = sorted(candidates, key=lambda i: (cost[i], -probs[i, column], names[i]))
    pool = tuple(
        Candidate(names[i], variant.members[i].stance.describe(), cost[i], float(probs[i, column]))
        for i in order
    )
    return WhatItTakes(
        hypothetical or BASELINE,
        side,
        base,
        tuple(certain),
        size,
        tuple(best),
        evaluate.method,
        total,
        never,
        pool,
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

    ``members`` is a list of one or two names, any common name of a member ("Ivory Coast").
    The grid is evaluated in batches (the exact engine solves a batch in one vectorized
    pass), at most ``MAX_SWEEP_POINTS`` points; ``progress`` is called with the number of
    grid points just finished.
    """
    if isinstance(members, str) or not isinstance(members, Sequence):
        example = f"e.g. [{members!r}], " if isinstance(members, str) else ""
        raise InvalidArgumentError(
            f"members must be a list of one or two names, {example}not {members!r}"
        )
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
        evaluate.method,
    )
