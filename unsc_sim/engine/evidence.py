"""Reported tallies as evidence: the votes given what the reports say, exactly.

Reporters give tallies ("eight yes votes"), not roll calls. The stances define a joint
distribution of the votes; the baseline is that distribution given the reports. A
hypothetical is a counterfactual on the same world: draw the votes given the reports,
redraw every member it names from its new stance (even an unchanged one), keep the other
votes, decide. Pivots are counterfactuals too: P(adopted | the member redrawn as a sure
yes) - P(adopted | redrawn as a sure no).

Members vote independently, or independently at each node of a mixture (bloc factors at
quadrature nodes or Monte Carlo draws): P(reports) = sum_j w_j P_j(reports), and every
conditioned quantity is the same weighted sum divided by it.

The method is a dynamic programme over members on count states: the yes count, the count
of each other vote the reports constrain (when no, abstain and absent all are, the absent
count follows from the others) and whether a permanent member voted "no". A forward step pushes a
distribution of states through one member's vote; a backward step pulls the reports' mask
back through one member, giving P(the reports hold | the others' counts). With S states
(at most 2 (n + 1)^3) and N nodes each step costs O(N S): the baseline takes n steps, the
posteriors and pivots n (n + 1) / 2 (leave-one-out from shared prefixes), a counterfactual
n + |changed|. Counts bounded above by a report stop at one "more" bin.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..charter import adopted, p_adopted
from ..errors import ImpossibleEvidenceError, InvalidValueError
from ..model import VOTES, Report, Rule, Vote, count_range
from .tally import Grid, combine

TINY = 1e-6  # evidence below this is a warning: the stances hardly allow what was reported
CELLS = 1 << 21  # (node, state) cells per vectorized step, to bound memory (16 MB)


def bounds(reports: Iterable[Report], size: int) -> dict[Vote, tuple[int, int]]:
    """Each reported vote's (min, max) count in a Council of ``size``: all reports hold.

    JavaScript twin: `reportBounds` in data/explorer.html.
    """
    out: dict[Vote, tuple[int, int]] = {}
    for report in reports:
        for vote, (lo, hi) in report.counts.items():
            old_lo, old_hi = out.get(vote, (0, size))
            lo, hi = max(lo, old_lo), min(size if hi is None else hi, old_hi)
            if lo > hi:
                said = f"reported {vote.value}: {count_range(*report.counts[vote], size)}"
                why = (
                    f"another report gives {count_range(old_lo, old_hi, size)}"
                    if vote in out
                    else f"the Council has {size} members"
                )
                raise ImpossibleEvidenceError(
                    f"{said} cannot happen: {why}", vote=vote, report=report
                )
            out[vote] = (lo, hi)
    return {v: out[v] for v in VOTES if v in out}


@dataclass(frozen=True)
class Distribution:
    """Yes-count distributions: ``total[k]`` P(k yes), ``clean[k]`` P(k yes, no permanent no)."""

    total: np.ndarray = field(repr=False)
    clean: np.ndarray = field(repr=False)
    rule: Rule

    @property
    def p_adopted(self) -> float:
        return float(p_adopted(self.total, self.clean, self.rule))


@dataclass(frozen=True)
class Conditioned(Distribution):
    """The baseline given the reports, with each member's posterior and pivots.

    ``posterior`` is (members, 4), P(vote | reports); ``pivot`` is P(adopted | redrawn as a
    sure yes) - P(adopted | redrawn as a sure no), ``veto_pivot`` the same for abstain
    against no (all three None when not asked for); ``weights`` are the nodes' posterior
    weights ([1.0] for independent members).
    """

    evidence: float
    posterior: np.ndarray | None = field(repr=False)
    pivot: np.ndarray | None = field(repr=False)
    veto_pivot: np.ndarray | None = field(repr=False)
    weights: np.ndarray = field(repr=False)

    @property
    def ess(self) -> float:
        """The effective number of nodes, (sum w)^2 / sum w^2 (for Monte Carlo draws)."""
        return effective_sample_size(self.weights)


def condition(
    probs: Any, permanent: Any, rule: Rule, reports: Sequence[Report], *, members: bool = True
) -> Conditioned:
    """The baseline given the reports, for independent members with probs (members, 4).

    ``members=False`` skips each member's posterior and pivots (n (n + 1) / 2 more steps).

    >>> from unsc_sim.model import RuleKind
    >>> rule = Rule(RuleKind.PROCEDURAL, size=3, threshold=2)
    >>> probs = [[0.5, 0.5, 0.0, 0.0]] * 3
    >>> c = condition(probs, [False] * 3, rule, [Report({"yes": 1})])
    >>> c.evidence, c.p_adopted, c.posterior[:, 0].round(3).tolist()
    (0.375, 0.0, [0.333, 0.333, 0.333])
    >>> counterfactual(probs, [False] * 3, rule, [Report({"yes": 1})], {0: [1, 0, 0, 0]}).p_adopted
    0.6666666666666666
    """
    p = np.asarray(probs, dtype=float)[None]
    return condition_mixture([1.0], p, permanent, rule, reports, members=members)


def counterfactual(
    probs: Any,
    permanent: Any,
    rule: Rule,
    reports: Sequence[Report],
    changes: Mapping[int, Any],
) -> Distribution:
    """The votes given the reports, with each member in ``changes`` (index -> its new 4
    probabilities) redrawn from its new stance and every other vote kept."""
    new = {i: np.asarray(q, dtype=float)[None] for i, q in changes.items()}
    p = np.asarray(probs, dtype=float)[None]
    return counterfactual_mixture([1.0], p, permanent, rule, reports, new)


def condition_mixture(
    weights: Any,
    probs: Any,
    permanent: Any,
    rule: Rule,
    reports: Sequence[Report],
    *,
    members: bool = True,
) -> Conditioned:
    """``condition`` for a mixture: node weights (N,) and per-node probs (N, members, 4).

    JavaScript twin: `conditionMixture` in data/explorer.html.
    """
    w, p, perm, grid = _setup(weights, probs, permanent, rule, reports)
    n = p.shape[1]
    ev = 0.0
    joint = np.zeros((2, n + 1))
    post = np.zeros((n, 4))
    piv = np.zeros((n, 3))  # adopted when redrawn yes, abstain, no (unnormalized)
    node_ev = np.empty(len(w))
    for chunk in _chunks(len(w), grid.size * (n if members else 1)):
        wc, pc = w[chunk], p[chunk]
        prefix = [grid.start(len(wc))]
        for i in range(n):
            prefix.append(grid.push(prefix[-1], pc[:, i], perm[i]))
        full = grid.apply_mask(prefix[-1])
        node_ev[chunk] = full.sum(axis=(1, 2))
        ev += wc @ node_ev[chunk]
        joint += np.einsum("j,jvk->vk", wc, full)
        if not members:
            continue
        for i, others in _leave_one_out(grid, prefix, pc, perm, range(n)):
            counts = others.sum(axis=1)
            for c in range(4):
                post[i, c] += wc @ (pc[:, i, c] * grid.reach(counts, c))
            held = grid.yes_marginal(others * grid.pull(grid.mask[None], pc[:, i])[:, None])
            piv[i] += _redrawn(held, wc, perm[i], rule)
    _check(ev, p, w, reports)
    return Conditioned(
        joint.sum(axis=0) / ev,
        joint[0] / ev,
        rule,
        float(ev),
        post / ev if members else None,
        (piv[:, 0] - piv[:, 2]) / ev if members else None,
        (piv[:, 1] - piv[:, 2]) / ev if members else None,
        w * node_ev / ev,
    )


def counterfactual_mixture(
    weights: Any,
    probs: Any,
    permanent: Any,
    rule: Rule,
    reports: Sequence[Report],
    changes: Mapping[int, Any],
) -> Distribution:
    """``counterfactual`` for a mixture: ``changes`` give each member's new (N, 4) probs.

    At each node the changed members draw from their new stance's probabilities there.
    JavaScript twin: `counterfactualMixture` in data/explorer.html.
    """
    w, p, perm, grid = _setup(weights, probs, permanent, rule, reports)
    n = p.shape[1]
    changed = sorted(changes)
    new = _new_stances(changes, changed, len(w), n)
    yes_only = Grid(n, {}, veto=grid.veto)
    ev = 0.0
    joint = np.zeros((2, n + 1))
    for chunk in _chunks(len(w), grid.size):
        pc = p[chunk]
        held = _held(grid, pc, perm, changed)  # (N, 2, n + 1): the kept members
        ev += w[chunk] @ held.sum(axis=(1, 2))
        drawn = _drawn(yes_only, new[:, chunk], changed, perm)
        joint += np.einsum("j,jvk->vk", w[chunk], combine(held, drawn))
    _check(ev, p, w, reports)
    return Distribution(joint.sum(axis=0) / ev, joint[0] / ev, rule)


def counterfactual_pivots(
    weights: Any,
    probs: Any,
    permanent: Any,
    rule: Rule,
    reports: Sequence[Report],
    changes: Mapping[int, Any],
) -> tuple[np.ndarray, np.ndarray]:
    """Each member's pivot on ``counterfactual_mixture(..., changes)``: P(adopted | it is also
    redrawn, as a sure yes) - P(adopted | as a sure no), and abstain against no.

    One pass: the kept members' leave-one-out shares prefixes (n (n + 1) / 2 steps), where a
    counterfactual per member and vote would take 3 n (n + |changed|).
    """
    w, p, perm, grid = _setup(weights, probs, permanent, rule, reports)
    n = p.shape[1]
    changed = sorted(changes)
    new = _new_stances(changes, changed, len(w), n)
    kept = [i for i in range(n) if i not in changes]
    yes_only = Grid(n, {}, veto=grid.veto)
    ev = 0.0
    piv = np.zeros((n, 3))  # adopted when redrawn yes, abstain, no (unnormalized)
    for chunk in _chunks(len(w), grid.size * n):
        wc, pc, nc = w[chunk], p[chunk], new[:, chunk]
        hold = grid.mask[None]
        for i in changed:
            hold = grid.pull(hold, pc[:, i])
        prefix = [grid.start(len(wc))]
        for i in kept:
            prefix.append(grid.push(prefix[-1], pc[:, i], perm[i]))
        held = grid.yes_marginal(prefix[-1] * hold[:, None])
        ev += wc @ held.sum(axis=(1, 2))
        drawn = _drawn(yes_only, nc, changed, perm)
        for i, others in _leave_one_out(grid, prefix, pc, perm, kept):
            alone = grid.yes_marginal(others * grid.pull(hold, pc[:, i])[:, None])
            piv[i] += _redrawn(combine(alone, drawn), wc, perm[i], rule)
        for k, i in enumerate(changed):
            rest = _drawn(yes_only, np.delete(nc, k, axis=0), changed[:k] + changed[k + 1 :], perm)
            piv[i] += _redrawn(combine(held, rest), wc, perm[i], rule)
    _check(ev, p, w, reports)
    return (piv[:, 0] - piv[:, 2]) / ev, (piv[:, 1] - piv[:, 2]) / ev


def _new_stances(
    changes: Mapping[int, Any], changed: Sequence[int], nodes: int, n: int
) -> np.ndarray:
    """The changed members' new stances at every node, (len(changed), N, 4)."""
    if any(not 0 <= i < n for i in changed):
        raise InvalidValueError(f"changes name members outside 0..{n - 1}: {list(changed)}")
    new = np.zeros((len(changed), nodes, 4))
    for k, i in enumerate(changed):
        new[k] = np.clip(np.broadcast_to(np.asarray(changes[i], dtype=float), (nodes, 4)), 0, None)
    return new


def _drawn(
    yes_only: Grid, new: np.ndarray, changed: Sequence[int], perm: Sequence[bool]
) -> np.ndarray:
    """The redrawn members' yes count and veto flag per node, (N, 2, n + 1)."""
    dist = yes_only.start(new.shape[1])
    for k, i in enumerate(changed):
        dist = yes_only.push(dist, new[k], perm[i])
    return yes_only.yes_marginal(dist)


def _leave_one_out(
    grid: Grid,
    prefix: Sequence[np.ndarray],
    p: np.ndarray,
    perm: Sequence[bool],
    members: Sequence[int],
) -> Iterator[tuple[int, np.ndarray]]:
    """For each of ``members`` (whose prefix states are ``prefix``), the states of all the
    others among them."""
    members = list(members)
    for t, i in enumerate(members):
        others = prefix[t]
        for m in members[t + 1 :]:
            others = grid.push(others, p[:, m], perm[m])
        yield i, others


def _held(grid: Grid, p: np.ndarray, perm: np.ndarray, changed: Sequence[int]) -> np.ndarray:
    """Per node (N, 2, n + 1): the members kept by a counterfactual (their yes count and veto
    flag), joint with the reports holding once the changed members' old votes are added."""
    dist = grid.start(len(p))
    for i in (i for i in range(p.shape[1]) if i not in changed):
        dist = grid.push(dist, p[:, i], perm[i])
    hold = grid.mask[None]
    for i in changed:
        hold = grid.pull(hold, p[:, i])
    return grid.yes_marginal(dist * hold[:, None])


def counterfactual_batch(
    weights: Any,
    probs: Any,
    permanent: Any,
    rule: Rule,
    reports: Sequence[Report],
    changed: Sequence[int],
    new: Any,
) -> np.ndarray:
    """P(adopted) of ``counterfactual_mixture`` for many new stances of the same ``changed``
    members at once: ``new`` is (B, N, len(changed), 4). The kept members' part, which the new
    stances do not touch, is computed once; a sweep then costs a small DP per point.
    """
    w, p, perm, grid = _setup(weights, probs, permanent, rule, reports)
    n = p.shape[1]
    changed = list(changed)
    parts, ev = [], 0.0
    for chunk in _chunks(len(w), grid.size):
        held = _held(grid, p[chunk], perm, changed)
        ev += w[chunk] @ held.sum(axis=(1, 2))
        parts.append(held)
    _check(ev, p, w, reports)
    held = np.concatenate(parts)  # (N, 2, n + 1)
    new = np.clip(np.asarray(new, dtype=float), 0.0, None)
    rows, nodes = new.shape[:2]
    yes_only = Grid(n, {}, veto=grid.veto)
    out = np.empty(rows)
    step = max(1, CELLS // max(1, nodes * (n + 1)))
    for s in range(0, rows, step):
        part = new[s : s + step]
        b = len(part)
        drawn = yes_only.start(b * nodes)
        for k, i in enumerate(changed):
            drawn = yes_only.push(drawn, part[:, :, k].reshape(b * nodes, 4), perm[i])
        both = np.broadcast_to(held[None], (b, *held.shape)).reshape(b * nodes, 2, n + 1)
        joint = combine(both, yes_only.yes_marginal(drawn)).reshape(b, nodes, 2, n + 1)
        joint = np.einsum("j,bjvk->bvk", w, joint) / ev
        out[s : s + step] = p_adopted(joint.sum(axis=1), joint[:, 0], rule)
    return out


def p_reported(probs: Any, reports: Sequence[Report]) -> float:
    """P(the reports hold) for independent members with probs (members, 4); 0 is refused.

    >>> p_reported([[0.5, 0.5, 0.0, 0.0]] * 3, [Report({"yes": (2, None)})])
    0.5
    """
    p = np.clip(np.asarray(probs, dtype=float), 0.0, None)
    grid = Grid(len(p), bounds(reports, len(p)), veto=False)
    dist = grid.start(1)
    for row in p:
        dist = grid.push(dist, row[None], False)
    ev = float(grid.apply_mask(dist).sum())
    _check(ev, p[None], np.ones(1), reports)
    return ev


def node_joint(probs: Any, permanent: Any, rule: Rule, reports: Sequence[Report]) -> np.ndarray:
    """P_j(k yes, veto flag, reports hold) at each node, (N, 2, members + 1), unnormalized.

    Its sum over the last two axes is each node's P_j(reports): the weight of a Monte Carlo
    draw of the bloc factors under exact weighting.
    """
    p = np.clip(np.asarray(probs, dtype=float), 0.0, None)
    perm = np.asarray(permanent, dtype=bool).tolist()
    n = p.shape[1]
    if n != rule.size:
        raise InvalidValueError(f"the rule is for {rule.size} members, the probs give {n}")
    grid = Grid(n, bounds(reports, n), veto=rule.veto and any(perm))
    out = np.empty((len(p), 2, n + 1))
    for chunk in _chunks(len(p), grid.size):
        dist = grid.start(len(p[chunk]))
        for i in range(n):
            dist = grid.push(dist, p[chunk, i], perm[i])
        out[chunk] = grid.apply_mask(dist)
    return out


def effective_sample_size(weights: Any) -> float:
    """(sum w)^2 / sum w^2: how many equally weighted draws the weighted ones are worth."""
    w = np.asarray(weights, dtype=float)
    sq = float(w @ w)
    return float(w.sum()) ** 2 / sq if sq > 0 else 0.0


def tiny(evidence: float) -> bool:
    """Whether evidence is so unlikely under the stances (< TINY) that it deserves a warning."""
    return evidence < TINY


def _redrawn(held: np.ndarray, w: np.ndarray, permanent: bool, rule: Rule) -> np.ndarray:
    """Weighted mass adopted with one member redrawn as a sure yes, abstain and no
    (JavaScript twin: `redrawn` in data/explorer.html)."""
    k = np.arange(held.shape[-1])
    mass = np.einsum("j,jvk->vk", w, held)
    yes = mass[0] @ adopted(k + 1, False, rule) + mass[1] @ adopted(k + 1, True, rule)
    abstain = mass[0] @ adopted(k, False, rule) + mass[1] @ adopted(k, True, rule)
    vetoing = permanent and rule.veto
    no = mass.sum(0) @ adopted(k, True, rule) if vetoing else abstain
    return np.array([yes, abstain, no])


def _setup(
    weights: Any, probs: Any, permanent: Any, rule: Rule, reports: Sequence[Report]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, Grid]:
    w = np.asarray(weights, dtype=float).reshape(-1)
    p = np.clip(np.asarray(probs, dtype=float), 0.0, None)
    perm = np.asarray(permanent, dtype=bool)
    if p.ndim != 3 or p.shape[0] != len(w) or p.shape[2] != 4 or perm.shape != p.shape[1:2]:
        raise InvalidValueError(
            f"need weights (N,), probs (N, members, 4) and permanent (members,), got "
            f"{w.shape}, {p.shape} and {perm.shape}"
        )
    n = p.shape[1]
    if n != rule.size:
        raise InvalidValueError(f"the rule is for {rule.size} members, the probs give {n}")
    grid = Grid(n, bounds(reports, n), veto=rule.veto and bool(perm.any()))
    return w, p, perm.tolist(), grid


def _chunks(nodes: int, cells: int) -> list[slice]:
    step = max(1, CELLS // max(1, cells))
    return [slice(a, min(a + step, nodes)) for a in range(0, nodes, step)]


def _check(ev: float, p: np.ndarray, w: np.ndarray, reports: Sequence[Report]) -> None:
    """Refuse evidence of probability 0, saying which count cannot be reached and why.

    Each reported vote, then each set of them, is checked against the members that can cast
    one of those votes and those sure to; what no such count explains is said as such.
    """
    if ev > 0.0:
        return
    n = p.shape[1]
    can = (p[w > 0] > 0).any(axis=0)  # (members, 4): the votes each member may cast
    limits = bounds(reports, n)
    for size in range(1, len(limits) + 1):
        for group in itertools.combinations(limits, size):
            cols = [VOTES.index(v) for v in group]
            rest = [c for c in range(4) if c not in cols]
            votes = " or ".join(v.value for v in group)
            lo = sum(limits[v][0] for v in group)
            hi = sum(limits[v][1] for v in group)
            able = int(can[:, cols].any(axis=1).sum())
            sure = int((~can[:, rest].any(axis=1)).sum())
            if lo > able:
                why = f"at most {able} members can vote {votes}"
                why += f" (the other {n - able} are sure not to)"
                if size > 1:
                    why = f"together they need {lo} of {n} members" if able == n else why
            elif hi < sure:
                why = f"at least {sure} members are sure to vote {votes}"
                if size > 1 and sure == n:
                    why = f"together they allow only {hi} of {n} members"
            else:
                continue
            said = ", ".join(f"{v.value}: {count_range(*limits[v], n)}" for v in group)
            report = next(r for r in reports if group[0] in r.counts)
            raise ImpossibleEvidenceError(
                f"reported {said} cannot happen: {why}", vote=group[0], report=report
            )
    said = ", ".join(f"{v.value}: {count_range(lo, hi, n)}" for v, (lo, hi) in limits.items())
    raise ImpossibleEvidenceError(
        f"reported {said} cannot happen: no combination of the votes the members can cast "
        "gives them all at once",
        report=reports[0],
    )
