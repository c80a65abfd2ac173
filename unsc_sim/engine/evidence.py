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
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Integral
from types import MappingProxyType
from typing import Any

import numpy as np

from ..charter import ABSENT, ABSTAIN, NO, YES, adopted
from ..errors import ImpossibleEvidenceError, InvalidValueError
from ..model import VOTES, Rule, Vote

TINY = 1e-6  # evidence below this is a warning: the stances hardly allow what was reported
CELLS = 1 << 21  # (node, state) cells per vectorized step, to bound memory (16 MB)

Bound = tuple[int, int | None]  # (min, max) of a count; None: no maximum


@dataclass(frozen=True)
class Report:
    """What one report says about the tally: each vote's count, exact (8) or (min, max).

    ``line`` is where the report stands in its file, for located messages.
    """

    counts: Mapping[Vote, Bound]
    source: str | None = None
    quote: str | None = None
    line: int | None = None

    def __post_init__(self) -> None:
        counts = {}
        for vote, value in dict(self.counts).items():
            pair = (value, value) if _whole(value) else value
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise InvalidValueError(f"reported {vote}: {value!r} is not a count or (min, max)")
            lo, hi = (0 if pair[0] is None else pair[0]), pair[1]
            if not (_whole(lo) and (hi is None or _whole(hi))):
                raise InvalidValueError(f"reported {vote}: {value!r} is not a whole number")
            lo, hi = int(lo), (None if hi is None else int(hi))
            if lo < 0 or (hi is not None and hi < lo):
                raise InvalidValueError(f"reported {vote}: {value!r} is not a count or range")
            counts[Vote(vote)] = (lo, hi)
        if not counts:
            raise InvalidValueError("a report must give at least one count")
        object.__setattr__(self, "counts", MappingProxyType(counts))

    def __hash__(self) -> int:
        return hash((tuple(self.counts.items()), self.source, self.quote, self.line))


def bounds(reports: Iterable[Report], size: int) -> dict[Vote, tuple[int, int]]:
    """Each reported vote's (min, max) count in a Council of ``size``: all reports hold."""
    out: dict[Vote, tuple[int, int]] = {}
    for report in reports:
        for vote, (lo, hi) in report.counts.items():
            old_lo, old_hi = out.get(vote, (0, size))
            lo, hi = max(lo, old_lo), min(size if hi is None else hi, old_hi)
            if lo > hi:
                said = f"reported {vote.value}: {_range(*report.counts[vote], size)}"
                why = (
                    f"another report gives {_range(old_lo, old_hi, size)}"
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
        k = np.arange(len(self.total))
        ok = self.clean @ adopted(k, False, self.rule)
        return min(1.0, float(ok + (self.total - self.clean) @ adopted(k, True, self.rule)))


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
    """``condition`` for a mixture: node weights (N,) and per-node probs (N, members, 4)."""
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
        for i in range(n):
            others = prefix[i]
            for m in range(i + 1, n):
                others = grid.push(others, pc[:, m], perm[m])
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
    """
    w, p, perm, grid = _setup(weights, probs, permanent, rule, reports)
    n = p.shape[1]
    changed = sorted(changes)
    if any(not 0 <= i < n for i in changed):
        raise InvalidValueError(f"changes name members outside 0..{n - 1}: {changed}")
    new = np.zeros((len(changed), len(w), 4))
    for k, i in enumerate(changed):
        new[k] = np.clip(np.broadcast_to(np.asarray(changes[i], dtype=float), (len(w), 4)), 0, None)
    kept = [i for i in range(n) if i not in changes]
    yes_only = _Grid(n, {}, veto=grid.veto)
    ev = 0.0
    joint = np.zeros((2, n + 1))
    for chunk in _chunks(len(w), grid.size):
        pc = p[chunk]
        dist = grid.start(len(pc))
        for i in kept:
            dist = grid.push(dist, pc[:, i], perm[i])
        hold = grid.mask[None]
        for i in changed:
            hold = grid.pull(hold, pc[:, i])
        held = grid.yes_marginal(dist * hold[:, None])  # (N, 2, n + 1): the kept members
        drawn = yes_only.start(len(pc))
        for k, i in enumerate(changed):
            drawn = yes_only.push(drawn, new[k, chunk], perm[i])
        ev += w[chunk] @ held.sum(axis=(1, 2))
        joint += np.einsum("j,jvk->vk", w[chunk], _combine(held, yes_only.yes_marginal(drawn)))
    _check(ev, p, w, reports)
    return Distribution(joint.sum(axis=0) / ev, joint[0] / ev, rule)


def p_reported(probs: Any, reports: Sequence[Report]) -> float:
    """P(the reports hold) for independent members with probs (members, 4); 0 is refused.

    >>> p_reported([[0.5, 0.5, 0.0, 0.0]] * 3, [Report({"yes": (2, None)})])
    0.5
    """
    p = np.clip(np.asarray(probs, dtype=float), 0.0, None)
    grid = _Grid(len(p), bounds(reports, len(p)), veto=False)
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
    grid = _Grid(n, bounds(reports, n), veto=rule.veto and any(perm))
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


def tiny_warning(evidence: float, reports: Sequence[Report]) -> str | None:
    """The warning for evidence below TINY, or None."""
    if not tiny(evidence):
        return None
    said = ", ".join(
        f"{v.value}: {_range(lo, hi, None)}" for r in reports for v, (lo, hi) in r.counts.items()
    )
    return (
        f"the stances give the reports ({said}) a probability of only {evidence:.1e}: "
        "the conditioned numbers rest on rare combinations of votes"
    )


class _Grid:
    """Count states: (veto flag, yes count, each other tracked count).

    A count the reports bound above by hi needs only 0..hi and one bin for "more", which
    keeps what enters it: such states fail the reports whatever the other members do.
    """

    def __init__(self, n: int, limits: Mapping[Vote, tuple[int, int]], *, veto: bool) -> None:
        self.n = n
        self.veto = veto
        others = [c for c in (NO, ABSTAIN, ABSENT) if VOTES[c] in limits]
        self.implied = others.pop() if len(others) == 3 else None
        self.tracked = [YES, *others]
        self.axis = {c: k for k, c in enumerate(self.tracked)}  # among the count axes
        top = {VOTES.index(v): hi for v, (_, hi) in limits.items()}
        sizes = [min(n, top.get(c, n) + 1) + 1 for c in self.tracked]
        self.over = [size < n + 1 for size in sizes]  # the last bin is "more than hi"
        self.shape = (2 if veto else 1, *sizes)
        self.size = math.prod(self.shape)
        counts = np.indices(self.shape[1:])
        mask = np.ones(self.shape[1:], dtype=bool)
        for vote, (lo, hi) in limits.items():
            c = VOTES.index(vote)
            k = n - counts.sum(axis=0) if c == self.implied else counts[self.axis[c]]
            mask &= (k >= lo) & (k <= hi)  # an implied count beside a "more" bin fails there too
        self.mask = mask.astype(float)

    def start(self, nodes: int) -> np.ndarray:
        dist = np.zeros((nodes, *self.shape))
        dist[(slice(None), *(0,) * len(self.shape))] = 1.0
        return dist

    def push(self, dist: np.ndarray, p: np.ndarray, permanent: bool) -> np.ndarray:
        """The states after one more member with probs p (N, 4) votes."""
        w = p.reshape(-1, *(1,) * len(self.shape), 4)
        vetoing = permanent and self.veto
        moves = [c for c in range(4) if c in self.axis or (vetoing and c == NO)]
        out = dist * w[..., [c for c in range(4) if c not in moves]].sum(axis=-1)
        for c in moves:
            moved = dist * w[..., c]
            into = out
            if vetoing and c == NO:  # a permanent member's "no": the veto flag is set
                moved = moved.sum(axis=1, keepdims=True)
                into = out[:, 1:]
            if c in self.axis:
                self._add_shifted(into, moved, c, 2)
            else:
                into += moved
        return out

    def pull(self, hold: np.ndarray, p: np.ndarray) -> np.ndarray:
        """P(reports hold | counts before one more member votes), from the same after it.

        ``hold`` and the result are (N, counts...), without the veto axis.
        """
        w = p.reshape(-1, *(1,) * (len(self.shape) - 1), 4)
        out = hold * w[..., [c for c in range(4) if c not in self.axis]].sum(axis=-1)
        for c in self.tracked:
            self._add_shifted(out, hold * w[..., c], c, 1, back=True)
        return out

    def _add_shifted(
        self, into: np.ndarray, part: np.ndarray, c: int, lead: int, *, back: bool = False
    ) -> None:
        """into[k + 1] += part[k] along c's axis (into[k] += part[k + 1] when ``back``)."""
        axis = lead + self.axis[c]
        src, dst = _shift(part.ndim, axis)
        if back:
            into[src] += part[dst]
        else:
            into[dst] += part[src]
        if self.over[self.axis[c]]:  # "more than hi" stays there
            last = (slice(None),) * axis + (slice(-1, None),)
            into[last] += part[last]

    def apply_mask(self, dist: np.ndarray) -> np.ndarray:
        """(N, 2, n + 1): P(yes count, veto flag, reports hold) from full states."""
        return self.yes_marginal(dist * self.mask)

    def yes_marginal(self, dist: np.ndarray) -> np.ndarray:
        """(N, 2, n + 1) from masked states (whose "more" bins are empty)."""
        out = np.zeros((len(dist), 2, self.n + 1))
        yes = dist.sum(axis=tuple(range(3, dist.ndim)))
        keep = yes.shape[-1] - self.over[0]
        out[:, : yes.shape[1], :keep] = yes[..., :keep]
        return out

    def reach(self, counts: np.ndarray, c: int) -> np.ndarray:
        """P(reports hold) per node when the others have ``counts`` and one more votes c."""
        mask = self.mask
        if c in self.axis:  # the mask one step up c's axis ("more" bins fail either way)
            src, dst = _shift(mask.ndim, self.axis[c])
            mask = np.zeros_like(mask)
            mask[src] = self.mask[dst]
        return (counts * mask).sum(axis=tuple(range(1, counts.ndim)))


def _shift(ndim: int, axis: int) -> tuple[tuple[slice, ...], tuple[slice, ...]]:
    """Index tuples for count k (source) and k + 1 (destination) along an axis."""
    src = [slice(None)] * ndim
    dst = [slice(None)] * ndim
    src[axis], dst[axis] = slice(None, -1), slice(1, None)
    return tuple(src), tuple(dst)


def _combine(held: np.ndarray, drawn: np.ndarray) -> np.ndarray:
    """Add the yes counts and or the veto flags of two independent parts, per node."""
    n1 = held.shape[-1]
    out = np.zeros((len(held), 2, n1 + drawn.shape[-1] - 1))
    for a in range(2):
        for b in range(2):
            for k in range(drawn.shape[-1]):
                out[:, a | b, k : k + n1] += held[:, a] * drawn[:, b, k : k + 1]
    return out[:, :, :n1]  # the kept members' yes count is below n + 1 - |changed|


def _redrawn(held: np.ndarray, w: np.ndarray, permanent: bool, rule: Rule) -> np.ndarray:
    """Weighted mass adopted with one member redrawn as a sure yes, abstain and no."""
    k = np.arange(held.shape[-1])
    mass = np.einsum("j,jvk->vk", w, held)
    yes = mass[0] @ adopted(k + 1, False, rule) + mass[1] @ adopted(k + 1, True, rule)
    abstain = mass[0] @ adopted(k, False, rule) + mass[1] @ adopted(k, True, rule)
    vetoing = permanent and rule.veto
    no = mass.sum(0) @ adopted(k, True, rule) if vetoing else abstain
    return np.array([yes, abstain, no])


def _setup(
    weights: Any, probs: Any, permanent: Any, rule: Rule, reports: Sequence[Report]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, _Grid]:
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
    grid = _Grid(n, bounds(reports, n), veto=rule.veto and bool(perm.any()))
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
            said = ", ".join(f"{v.value}: {_range(*limits[v], n)}" for v in group)
            report = next(r for r in reports if group[0] in r.counts)
            raise ImpossibleEvidenceError(
                f"reported {said} cannot happen: {why}", vote=group[0], report=report
            )
    said = ", ".join(f"{v.value}: {_range(lo, hi, n)}" for v, (lo, hi) in limits.items())
    raise ImpossibleEvidenceError(
        f"reported {said} cannot happen: no combination of the votes the members can cast "
        "gives them all at once",
        report=reports[0],
    )


def _whole(x: object) -> bool:
    return isinstance(x, Integral) and not isinstance(x, bool)


def _range(lo: int, hi: int | None, n: int | None) -> str:
    if lo == hi:
        return str(lo)
    if hi is None or hi == n:
        return f"at least {lo}"
    return f"at most {hi}" if lo == 0 else f"{lo} to {hi}"
