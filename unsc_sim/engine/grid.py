"""P(adopted) over a grid of one or two members' stances, as node-wise matrix products.

At each quadrature node of the bloc factors the members vote independently, so P(adopted)
is a sum over nodes of the others' part (their yes count and veto flag, one DP per node,
computed once) times the varied members' vote probabilities there. A 1,001 x 1,001 sweep is
then one matrix product of (steps, 4 N) by (4 N, steps), not a million integrations. The
nodes are the tensor grid of the factors (``given.nodes``), so in practice one bloc: the
drafted scenario's shared factor; other files keep the bloc engine's path.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np

from ..charter import NO, YES, adopted
from ..model import Rule
from . import evidence, given
from .latent import Factors

ABSENT_ROW = np.array([0.0, 0.0, 0.0, 1.0])  # a sure absence adds no yes and no veto


def smooth(factors: Factors, members: Sequence[int]) -> bool:
    """Whether ``grid`` applies: blocs with independent factors, and each varied member's step
    on its factor no steeper than a panel (the nodes are refined at the file's steps only)."""
    if not factors.blocs or factors.correlated:
        return False
    return not any(_steep(r) and any(i in bloc for i in members) for bloc, r in factors.blocs)


def _steep(r: float) -> bool:
    """A member's step along a factor of correlation r is narrower than a panel."""
    return r >= 1.0 or (r > 0.0 and math.sqrt((1.0 - r) / r) < given.PANEL)


def grid(
    probs: np.ndarray,
    permanent: np.ndarray,
    rule: Rule,
    factors: Factors,
    members: Sequence[int],
    levels: Sequence[np.ndarray],
) -> np.ndarray | None:
    """P(adopted) at every combination of the members' stances ``levels[j]`` (steps, 4), in
    ``itertools.product`` order (the first member slowest); None when the factors' nodes
    would be too many (``given.MAX_NODES``)."""
    base = np.array(probs, dtype=float)
    base[list(members)] = ABSENT_ROW
    mixture = given.nodes(base, factors)
    if mixture is None:
        return None
    held = evidence.node_joint(mixture.probs(base), permanent, rule, ())  # (N, 2, n + 1)
    w = mixture.weights
    # Each varied member's vote probabilities at each node for each level: (steps, N, 4).
    q = []
    for i, level in zip(members, levels):
        rows = np.repeat(base[None], len(level), axis=0)
        rows[:, i] = level
        q.append(np.stack([mixture.probs_of(row, [i])[:, 0] for row in rows]))
    # A[n, v1, (v2)]: P(adopted | node n, the varied members vote v1 (and v2)), weighted.
    k = np.arange(held.shape[-1])
    shape = (len(w),) + (4,) * len(members)
    table = np.zeros(shape)
    for votes in itertools.product(range(4), repeat=len(members)):
        yes = sum(v == YES for v in votes)
        veto = any(v == NO and permanent[i] for v, i in zip(votes, members)) and rule.veto
        win = np.stack([adopted(k + yes, bool(f) or veto, rule) for f in (0, 1)]).astype(float)
        table[(slice(None), *votes)] = w * np.einsum("nfk,fk->n", held, win)
    if len(members) == 1:
        out = np.einsum("anv,nv->a", q[0], table)
    else:
        right = np.einsum("nvu,bnu->nvb", table, q[1]).reshape(len(w) * 4, -1)
        out = (q[0].reshape(len(q[0]), -1) @ right).ravel()
    return np.clip(out, 0.0, 1.0)
