"""The world as reported: stances conditioned on the reported tallies, and what-ifs on it.

The stances define a joint distribution of the votes (independent members, or independent
given the bloc factors); the baseline is that distribution given the reports. A variant is a
counterfactual on the same world: the members it names (and any member whose stance it
changes) are redrawn from their new stances, every other member keeps its conditioned vote.
A ``Given`` holds one scenario's world and answers both, exactly for independent members and
for blocs over quadrature nodes of their factors, or by exactly weighted Monte Carlo draws of
the factors (``evidence.py`` does the conditioning at each node or draw).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..model import Report, Rule
from . import evidence
from .latent import Factors, quantiles
from .montecarlo import given_factors

SPAN = 8.5  # each bloc factor is integrated over [-SPAN, SPAN]: P(|F| > 8.5) = 2e-17
PANEL = 0.5  # longest panel of the factor's nodes
GAUSS = 8  # Gauss-Legendre nodes per panel
MAX_NODES = 100_000  # nodes of the tensor grid over independent blocs, at most
STEEP = (0.5, 1.0, 2.0, 4.0)  # extra breaks around a steep step, in units of its width


@dataclass(frozen=True)
class Mixture:
    """Weights (N,) of bloc factor values (blocs, N): members are independent at each."""

    weights: np.ndarray = field(repr=False)
    factors: np.ndarray = field(repr=False)
    blocs: tuple[tuple[tuple[int, ...], float], ...] = ()
    sampled: bool = False
    seed: int | None = None
    draws: int = 1  # how many draws the nodes stand for (no blocs: one node for all)

    def probs(self, probs: np.ndarray) -> np.ndarray:
        """Each member's probabilities at each node, (N, members, 4)."""
        return given_factors(np.asarray(probs, dtype=float), self.blocs, self.factors)

    def probs_of(self, probs: np.ndarray, members: Sequence[int]) -> np.ndarray:
        """``probs`` for some members only, (N, len(members), 4): a sweep's row needs its
        varied members' alone."""
        index = {m: k for k, m in enumerate(members)}
        blocs = tuple((tuple(index[i] for i in ms if i in index), r) for ms, r in self.blocs)
        return given_factors(np.asarray(probs, dtype=float)[list(members)], blocs, self.factors)


def independent() -> Mixture:
    """No blocs: one node of weight 1."""
    return Mixture(np.ones(1), np.zeros((0, 1)))


def _axis(probs: np.ndarray, members: Sequence[int], r: float) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights for one bloc factor, with panels broken at its members' steps
    (JavaScript twin: `factorAxis` in data/explorer.html)."""
    breaks = [np.linspace(-SPAN, SPAN, int(2 * SPAN / PANEL) + 1)]
    if r > 0.0:
        cuts = quantiles(np.cumsum(probs[list(members)][:, [0, 2, 3]], axis=1).clip(0.0, 1.0))
        cuts = cuts[np.isfinite(cuts)] / np.sqrt(r)
        width = np.sqrt(max(1.0 - r, 0.0) / r)
        breaks.append(cuts)
        if width < PANEL:
            for k in STEEP:
                breaks += [cuts - k * width, cuts + k * width]
    edges = np.unique(np.clip(np.concatenate(breaks), -SPAN, SPAN))
    x, w = np.polynomial.legendre.leggauss(GAUSS)
    half = np.diff(edges)[:, None] / 2
    nodes = (edges[:-1, None] + half + half * x[None]).ravel()
    weights = (half * w[None]).ravel() * np.exp(-0.5 * nodes**2)
    return nodes, weights / weights.sum()


def nodes(probs: np.ndarray, factors: Factors) -> Mixture | None:
    """Quadrature nodes over the factors of independent blocs (their tensor product), or
    None when the factors are correlated or the grid would exceed ``MAX_NODES``.

    JavaScript twin: `reportNodes` in data/explorer.html.
    """
    if factors.correlated:
        return None
    axes = [_axis(probs, members, r) for members, r in factors.blocs]
    if np.prod([len(x) for x, _ in axes], dtype=float) > MAX_NODES:
        return None
    grid = np.meshgrid(*[x for x, _ in axes], indexing="ij")
    weight = np.ones(1)
    for _, w in axes:
        weight = np.multiply.outer(weight, w).ravel()
    return Mixture(weight, np.array([g.ravel() for g in grid]), factors.blocs)


def draws(factors: Factors, trials: int, seed: int) -> Mixture:
    """``trials`` Monte Carlo draws of the bloc factors, equally weighted."""
    if not factors.blocs:  # every draw is the same independent world: one node stands for all
        return Mixture(np.ones(1), np.zeros((0, 1)), sampled=True, seed=seed, draws=trials)
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((len(factors.blocs), trials))
    if factors.correlated:
        z = factors.root() @ z
    return Mixture(
        np.full(trials, 1.0 / trials), z, factors.blocs, sampled=True, seed=seed, draws=trials
    )


@dataclass(frozen=True)
class Given:
    """One scenario's world given its reports: the base stances, the rule, the nodes.

    JavaScript twin: `givenWorld` in data/explorer.html.
    """

    base: np.ndarray = field(repr=False)  # (members, 4): the baseline's stances
    permanent: np.ndarray = field(repr=False)
    rule: Rule
    reports: tuple[Report, ...]
    mixture: Mixture
    redrawn: frozenset[int] = frozenset()  # members a variant names: redrawn even if unchanged

    @cached_property
    def nodes(self) -> np.ndarray:
        return self.mixture.probs(self.base)

    @cached_property
    def conditioned(self) -> evidence.Conditioned:
        """The baseline given the reports, with each member's posterior and pivots."""
        return evidence.condition_mixture(
            self.mixture.weights, self.nodes, self.permanent, self.rule, self.reports
        )

    @cached_property
    def evidence(self) -> float:
        """P(the reports), under the stances."""
        if "conditioned" in self.__dict__:
            return self.conditioned.evidence
        found = evidence.condition_mixture(
            self.mixture.weights,
            self.nodes,
            self.permanent,
            self.rule,
            self.reports,
            members=False,
        )
        return found.evidence

    def also(self, members: Collection[int]) -> Given:
        """The same world with more members always redrawn (a sweep's varied members)."""
        return Given(
            self.base,
            self.permanent,
            self.rule,
            self.reports,
            self.mixture,
            self.redrawn | frozenset(members),
        )

    def changed(self, probs: np.ndarray) -> list[int]:
        """The members redrawn for these stances: named, or with a stance not the base's."""
        differs = np.flatnonzero(np.any(np.asarray(probs) != self.base, axis=1))
        return sorted(self.redrawn | {int(i) for i in differs})

    def distribution(self, probs: np.ndarray) -> evidence.Distribution:
        """The counterfactual yes-count distributions for one set of stances (members, 4)."""
        changed = self.changed(probs)
        if not changed:
            return self.conditioned
        new = dict(zip(changed, self.mixture.probs_of(probs, changed).swapaxes(0, 1)))
        return evidence.counterfactual_mixture(
            self.mixture.weights,
            self.nodes,
            self.permanent,
            self.rule,
            self.reports,
            new,
        )

    def p_adopted(self, batch: np.ndarray) -> np.ndarray:
        """The counterfactual P(adopted) for each set of stances in a batch (B, members, 4).

        Rows that redraw the same members (a sweep's) share the kept members' part
        (``evidence.counterfactual_batch``)."""
        batch = np.asarray(batch, dtype=float)
        out = np.empty(len(batch))
        groups: dict[tuple[int, ...], list[int]] = {}
        for row, probs in enumerate(batch):
            groups.setdefault(tuple(self.changed(probs)), []).append(row)
        for changed, rows in groups.items():
            if not changed:
                out[rows] = self.conditioned.p_adopted
                continue
            if self.mixture.blocs:
                new = np.stack([self.mixture.probs_of(batch[r], changed) for r in rows])
            else:  # one node: the stances themselves
                new = batch[rows][:, None][:, :, list(changed)]
            out[rows] = evidence.counterfactual_batch(
                self.mixture.weights,
                self.nodes,
                self.permanent,
                self.rule,
                self.reports,
                changed,
                new,
            )
        return out

    def pivots(self, probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """P(adopted | redrawn as a sure yes) - P(adopted | a sure no), and abstain against no,
        for each member, on top of these stances."""
        changed = self.changed(probs)
        if not changed:
            c = self.conditioned
            assert c.pivot is not None and c.veto_pivot is not None
            return c.pivot, c.veto_pivot
        new = self.mixture.probs_of(probs, changed).swapaxes(0, 1)
        return evidence.counterfactual_pivots(
            self.mixture.weights,
            self.nodes,
            self.permanent,
            self.rule,
            self.reports,
            dict(zip(changed, new)),
        )

    def expected(self, probs: np.ndarray) -> np.ndarray:
        """Each vote's expected count: kept members' posteriors, redrawn members' new stances
        (at each node, weighted by the node's posterior weight)."""
        c = self.conditioned
        assert c.posterior is not None
        out = c.posterior.sum(axis=0)
        changed = self.changed(probs)
        if changed:
            new = self.mixture.probs_of(probs, changed)  # (N, changed, 4)
            out = out - c.posterior[changed].sum(axis=0) + np.einsum("j,jmc->c", c.weights, new)
        return out

    @property
    def ess(self) -> float | None:
        """The effective number of weighted draws, when sampled."""
        if not self.mixture.sampled:
            return None
        w = self.conditioned.weights
        return evidence.effective_sample_size(w) * self.mixture.draws / len(w)
