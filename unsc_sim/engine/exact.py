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
    total = batched(p_yes, 1.0 - p_yes)
    clean = batched(p_yes, p_clean) if permanent.any() else total
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


def batched(p_up: np.ndarray, p_stay: np.ndarray) -> np.ndarray:
    """Count distributions (..., members + 1) of members moving up with p_up, else p_stay.

    ``p_up + p_stay`` may be below 1 (mass leaving the distribution, as a veto does).
    """
    # Members first, batch last: each step then works on contiguous rows.
    lead = p_up.shape[:-1]
    up = np.ascontiguousarray(p_up.reshape(-1, p_up.shape[-1]).T)
    stay = np.ascontiguousarray(p_stay.reshape(-1, p_stay.shape[-1]).T)
    return counts_first(up, stay).T.reshape(*lead, up.shape[0] + 1)


def counts_first(up: np.ndarray, stay: np.ndarray) -> np.ndarray:
    """``batched`` with members first: up and stay (members, batch), counts (members + 1,
    batch). Callers that make their probabilities in this layout skip the transposes."""
    n = up.shape[0]
    dist = np.zeros((n + 1, up.shape[1]))
    dist[0] = 1.0
    for j in range(n):
        shifted = dist[: j + 1] * up[j]
        dist[: j + 2] *= stay[j]
        dist[1 : j + 2] += shifted
    return dist


def leave_one_out(p_up: np.ndarray, p_stay: np.ndarray) -> np.ndarray:
    """``batched`` without each member in turn: (..., members, members), others' counts.

    ``out[..., j, k]`` is P(k of the members other than j move up). Built from prefix and
    suffix tables (members before j, after j), never by dividing one member out, which is
    unstable where a member's probability is near 0 or 1.
    """
    p_up = np.asarray(p_up, dtype=float)
    m = p_up.shape[-1]
    lead = p_up.shape[:-1]
    # Members and counts first, batch last: each step then works on contiguous rows.
    up = np.ascontiguousarray(p_up.reshape(-1, m).T)
    stay = np.ascontiguousarray(np.asarray(p_stay, dtype=float).reshape(-1, m).T)
    return np.moveaxis(left_out_first(up, stay), -1, 0).reshape(*lead, m, m)


def left_out_first(up: np.ndarray, stay: np.ndarray) -> np.ndarray:
    """``leave_one_out`` with members first: up and stay (members, batch), the others'
    counts (members, members, batch)."""
    m, size = up.shape
    pre = np.zeros((m + 1, m + 1, size))  # pre[j]: members before j; suf[j]: from j on
    suf = np.zeros((m + 1, m + 1, size))
    pre[0, 0] = suf[m, 0] = 1.0
    for j in range(m):
        pre[j + 1, : j + 2] = pre[j, : j + 2] * stay[j]
        pre[j + 1, 1 : j + 2] += pre[j, : j + 1] * up[j]
        b = m - 1 - j
        suf[b, : j + 2] = suf[b + 1, : j + 2] * stay[b]
        suf[b, 1 : j + 2] += suf[b + 1, : j + 1] * up[b]
    out = np.zeros((m, m, size))
    for a in range(m):
        out[:, a:] += pre[:m, a, None] * suf[1:, : m - a]
    return out


CHUNK = 4096  # scenarios per vectorized pass: the DP's rows then stay in the CPU's cache


def p_adopted(probs: np.ndarray, permanent: np.ndarray, rule: Rule) -> np.ndarray:
    """P(adopted) for probs of shape (..., members, 4); large batches go in ``CHUNK``s."""
    probs = np.asarray(probs, dtype=float)
    if probs.ndim > 2 and probs.size // (probs.shape[-1] * probs.shape[-2]) > CHUNK:
        flat = probs.reshape(-1, *probs.shape[-2:])
        out = np.concatenate([
            _p_adopted(flat[start : start + CHUNK], permanent, rule)
            for start in range(0, len(flat), CHUNK)
        ])  # fmt: skip
        return out.reshape(probs.shape[:-2])
    return _p_adopted(probs, permanent, rule)


def _p_adopted(probs: np.ndarray, permanent: np.ndarray, rule: Rule) -> np.ndarray:
    if not rule.veto and probs.ndim > 2:  # a batch without veto: one distribution is enough
        p_yes = probs[..., YES]
        total = batched(p_yes, 1.0 - p_yes)
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


def left_out(probs: np.ndarray, permanent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(total, clean) of the others' yes votes, each member left out in turn: (members,
    members) each, for one scenario (members, 4) of independent members."""
    probs = np.asarray(probs, dtype=float)
    permanent = np.asarray(permanent, dtype=bool)
    p_yes = probs[:, YES]
    stay = 1.0 - p_yes
    total = leave_one_out(p_yes, stay)
    if not permanent.any():
        return total, total
    return total, leave_one_out(p_yes, stay - np.where(permanent, probs[:, NO], 0.0))


def pivots(
    total: np.ndarray, clean: np.ndarray, permanent: np.ndarray, rule: Rule
) -> tuple[np.ndarray, np.ndarray]:
    """Each member's P(adopted | yes) - P(adopted | no) and P(adopted | abstain) -
    P(adopted | no), from ``left_out``'s distributions of the others.

    A member whose vote is sure adds one yes (yes) or nothing (abstain, no); a permanent
    member's "no" also empties the veto-free distribution.
    """
    n = len(total)
    shape = (n, 3, n + 1)
    t, c = np.zeros(shape), np.zeros(shape)
    t[:, 0, 1:], c[:, 0, 1:] = total, clean  # yes
    t[:, 1, :-1], c[:, 1, :-1] = total, clean  # abstain
    t[:, 2, :-1], c[:, 2, :-1] = total, clean  # no
    c[np.asarray(permanent, dtype=bool), 2] = 0.0
    p = charter.p_adopted(t, c, rule)
    return p[:, 0] - p[:, 2], p[:, 1] - p[:, 2]
