"""Exact engine: the distribution of affirmative votes by dynamic programming over members.

Members vote independently. Two distributions of the yes count are built side by side:
``total`` (Poisson-binomial) and ``clean``, the same mass restricted to outcomes in which no
permanent member votes "no" (a veto under Art. 27(3)). Batches of scenarios (leading axes)
are solved in one vectorized pass; a single scenario takes a pure-Python path, which is
faster than numpy at this size (16 cells).
"""

from __future__ import annotations

import numpy as np

from .. import charter
from ..charter import NO, YES
from ..model import Rule


def distributions(probs: np.ndarray, permanent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(total, clean) yes-count distributions for probs of shape (..., members, 4).

    ``total[k]`` is P(k yes votes); ``clean[k]`` is P(k yes votes and no permanent "no").
    The explorer's JavaScript twin is ``distributions`` in ``data/explorer.html``.
    """
    probs = np.asarray(probs, dtype=float)
    permanent = np.asarray(permanent, dtype=bool)
    if probs.ndim == 2:
        return _scalar(probs.tolist(), permanent.tolist())
    p_yes = probs[..., YES]
    # A permanent member's "no" leaves the veto-free distribution: only its other mass stays.
    p_clean = 1.0 - p_yes - np.where(permanent, probs[..., NO], 0.0)
    total = _batched(p_yes, 1.0 - p_yes)
    clean = _batched(p_yes, p_clean) if permanent.any() else total
    return total, clean


def _scalar(rows: list[list[float]], permanent: list[bool]) -> tuple[np.ndarray, np.ndarray]:
    # Pure Python: for one scenario (16 cells) it beats numpy's per-call overhead.
    total, clean = [1.0], [1.0]
    vetoes = any(permanent)
    for (yes, no, _, _), perm in zip(rows, permanent):
        stay = 1.0 - yes
        nxt = [x * stay for x in total]
        nxt.append(0.0)
        for k, x in enumerate(total):
            nxt[k + 1] += x * yes
        total = nxt
        if vetoes:
            stay_clean = stay - no if perm else stay
            nxt = [x * stay_clean for x in clean]
            nxt.append(0.0)
            for k, x in enumerate(clean):
                nxt[k + 1] += x * yes
            clean = nxt
    t = np.array(total)
    return t, (np.array(clean) if vetoes else t)


def _batched(p_up: np.ndarray, p_stay: np.ndarray) -> np.ndarray:
    # Members first, batch last: each step then works on contiguous rows.
    lead = p_up.shape[:-1]
    up = np.ascontiguousarray(p_up.reshape(-1, p_up.shape[-1]).T)
    stay = np.ascontiguousarray(p_stay.reshape(-1, p_stay.shape[-1]).T)
    n = up.shape[0]
    dist = np.zeros((n + 1, up.shape[1]))
    dist[0] = 1.0
    for j in range(n):
        shifted = dist[: j + 1] * up[j]
        dist[: j + 2] *= stay[j]
        dist[1 : j + 2] += shifted
    return dist.T.reshape(*lead, n + 1)


def p_adopted(probs: np.ndarray, permanent: np.ndarray, rule: Rule) -> np.ndarray:
    """P(adopted) for probs of shape (..., members, 4)."""
    if not rule.veto and np.ndim(probs) > 2:  # a batch without veto: one distribution is enough
        p_yes = np.asarray(probs, dtype=float)[..., YES]
        total = _batched(p_yes, 1.0 - p_yes)
        return charter.p_adopted(total, total, rule)
    return charter.p_adopted(*distributions(probs, permanent), rule)


def switched(probs: np.ndarray) -> np.ndarray:
    """Copies of probs with each member in turn set to yes, to its own non-yes, and to no.

    Returns a (3 * members, members, 4) batch. "Its own non-yes" spreads the member's non-yes
    probability in proportion; a member sure to vote yes is taken to abstain instead.
    """
    probs = np.asarray(probs, dtype=float)
    n = len(probs)
    batch = np.repeat(probs[None], 3 * n, axis=0)
    for i in range(n):
        rest = probs[i].copy()
        rest[YES] = 0.0
        if rest.sum() <= 0.0:
            rest[:] = (0.0, 0.0, 1.0, 0.0)  # sure yes: its defection is an abstention
        batch[3 * i, i] = (1.0, 0.0, 0.0, 0.0)
        batch[3 * i + 1, i] = rest / rest.sum()
        batch[3 * i + 2, i] = (0.0, 1.0, 0.0, 0.0)
    return batch


def conditional(probs: np.ndarray, permanent: np.ndarray, rule: Rule) -> np.ndarray:
    """P(adopted) given each member's yes, own non-yes, and no: an (members, 3) array."""
    return p_adopted(switched(probs), permanent, rule).reshape(len(probs), 3)
