"""What it takes: the fewest, easiest switches that make a motion pass (or fail) for certain."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral
from typing import Any

import numpy as np

from ..charter import obliged_to_abstain, p_adopted
from ..engine import budget, exact
from ..engine.choose import arrays, evaluator, prepare, trials_for, world
from ..engine.plan import RATE
from ..errors import InvalidValueError, ScenarioError, UnscSimError
from ..model import BASELINE, STEP, VOTES, Choice, Member, Scenario, Vote, as_scenario

SURE_YES = (1.0, 0.0, 0.0, 0.0)
SURE_NO = (0.0, 1.0, 0.0, 0.0)


class Side(Choice):
    """Supporters switch members to yes; opponents switch them to no."""

    PASS = "pass"
    BLOCK = "block"


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
            "effort": m.effort,
            "p_target": m.p_target,
            "p_adopted": m.p_adopted,
            "sets_total": self.certain_total if certain else None,
            "sets_not_shown": self.more if certain else None,
        }

    def to_frame(self) -> Any:
        import pandas as pd

        return pd.DataFrame(self.to_records())


# Steps on the scale yes - abstain (or absent) - no; a permanent member crossing from one
# end to the other (opposing a motion it is asked to support, or the reverse) is hardest.
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
        far = abs(STEP[vote] - STEP[target])
        steps += p * (PERMANENT_CROSSING if member.permanent and vote is other else far)
    return steps / rest / member.persuadable


def _member_names(scenario: Scenario, names: Sequence[str], option: str) -> tuple[str, ...]:
    """Names as the scenario spells them (``Scenario.resolve``), errors located at ``option``."""
    out = []
    for name in names:
        try:
            out.append(scenario.resolve(name))
        except UnscSimError as e:
            raise ScenarioError(e.message, field=option, hint=e.hint) from None
    return tuple(out)


def what_it_takes(
    scenario: Scenario,
    hypothetical: str | None = None,
    *,
    side: Side | str = Side.PASS,
    max_best: int = 3,
    limit: int = 5,
    never: Sequence[str] = (),
    trials: int | None = None,
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
    (0.616, 1, 6)
    >>> needed.certain[0].members, needed.best[0].members
    (("Côte d'Ivoire",), ("Côte d'Ivoire",))
    """
    as_scenario(scenario, "what_it_takes")
    side = Side(side)
    for name, value in (("max_best", max_best), ("limit", limit)):
        if isinstance(value, bool) or not isinstance(value, Integral) or value < 0:
            raise InvalidValueError(f"{name} must be a whole number >= 0, not {value!r}")
    variant, probs = prepare(scenario, hypothetical)
    never = _member_names(variant, never, "never")
    trials = budget.analysis_draws(
        scenario, budget.SETS, trials, f"what it takes to {side.value}", budget.SET_SECONDS
    )
    reported = world(scenario, hypothetical, trials=trials, seed=seed)
    evaluate = evaluator(variant, trials=trials, seed=seed, world=reported)
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
    weighted = reported is not None and reported.mixture.sampled
    tie = (
        1e-9
        if evaluate.method == "exact"
        else 1.0 / math.sqrt(trials_for(trials, weighted=weighted))
    )

    # Whether P(adopted) is exactly 1 (or 0) depends only on which combinations of votes are
    # possible. Below correlation 1 every bloc member keeps a chance of each of its own votes
    # whatever the others do, so the independent DP decides it, far faster than integrating
    # the blocs; at correlation 1 a bloc rules combinations out, and the exact engine decides.
    by_support = evaluate.method != "exact" or all(b.correlation < 1.0 for b in variant.blocs)
    by_support = by_support and reported is None  # reports rule combinations out too

    # The exact bloc engine counts switched sets at the nodes of the scenario itself.
    tables = evaluate.integrator
    # Sets are re-counted at the scenario's nodes, except in components of several factors
    # (or rotated), which are integrated for each set: their work is budgeted (``budget``).
    per_set = 0.0 if tables is None else tables.switch_work() / RATE * budget.SET_SHARE
    spent = [0.0, 0]  # estimated seconds, sets

    def evaluate_sets(sets: Sequence[tuple[int, ...]], *, certainty: bool = False) -> np.ndarray:
        if tables is not None and not (certainty and by_support):
            spent[0] += per_set * len(sets)
            spent[1] += len(sets)
            budget.check_sets(spent[0], int(spent[1]), f"what it takes to {side.value}")
            found = tables.switched(probs, list(sets), np.array(target))
            return np.asarray(p_adopted(*found, variant.rule))
        batch = np.repeat(probs[None], len(sets), axis=0)
        if sets and sets[0]:  # every set has the same size: one fancy assignment
            batch[np.arange(len(sets))[:, None], np.array(sets)] = target
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

    costs, gain = np.array(cost), probs[:, column]  # each member's effort and P(target)
    certain: list[Move] = []
    size, total = None, 0
    goal = 1.0 if side is Side.PASS else 0.0
    for k in range(len(candidates) + 1):
        sets = list(itertools.combinations(candidates, k))
        p = evaluate_sets(sets, certainty=True)
        found = np.flatnonzero(np.abs(p - goal) <= 1e-12)
        if len(found):
            size, total = k, len(found) if k else 0  # k = 0: already certain, nothing to list
            hits = [move(sets[i], p[i]) for i in _easiest(found, sets, costs, gain, limit)]
            certain = sorted(hits, key=ease)[:limit] if k else []
            break
    best = []
    sign = 1.0 if side is Side.PASS else -1.0
    for k in range(1, min(max_best, len(candidates)) + 1) if size != 0 else ():
        sets = list(itertools.combinations(candidates, k))
        signed = sign * evaluate_sets(sets)
        near = np.flatnonzero(signed >= signed.max() - tie)  # only these can be the best
        best.append(min((move(sets[i], sign * signed[i]) for i in near), key=ease))
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


def _easiest(
    found: np.ndarray,
    sets: Sequence[tuple[int, ...]],
    effort: np.ndarray,
    gain: np.ndarray,
    limit: int,
) -> np.ndarray:
    """Of the sets at ``found``, those that can be among the ``limit`` easiest (least effort,
    then most P(target), as ``ease`` rounds them): a superset for ``ease`` to order exactly.
    Thousands of sets can make a motion certain; only these become ``Move``s."""
    if len(found) <= limit or limit < 1 or not len(sets[0]):
        return found
    arr = np.array(sets)[found]
    e, g = effort[arr].sum(axis=1), gain[arr].sum(axis=1)
    re, rg = np.round(e, 9), np.round(g, 9)  # as ``ease`` rounds them
    cut = np.lexsort((-rg, re))[limit - 1]
    before = (re < re[cut]) | ((re == re[cut]) & (rg >= rg[cut] - 1e-9))
    near = (np.abs(e - e[cut]) < 1e-12) & (re != re[cut])  # summed in another order
    return found[before | near]
