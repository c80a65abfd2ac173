"""Monte Carlo engine: sampled votes with correlated blocs, vectorized and chunked.

The bloc model is a Gaussian copula with one latent factor per bloc. Each member has a
latent score; a member outside any bloc draws it independently, a member of bloc b with
correlation r draws ``sqrt(r) * F_b + sqrt(1 - r) * E_i`` (F_b shared by the bloc, E_i its
own, both standard normal). Its vote is read off the score through its own cumulative
probabilities in the order yes, no, abstain, absent, so every member keeps exactly the
probabilities the scenario gives it, while two members of one bloc have latent scores
correlated by r: the higher r, the more often they vote the same way (r = 0 is
independence, r = 1 makes the bloc move as one, each member still by its own thresholds).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

from .rules import NO, YES

CHUNK = 65_536  # trials per chunk: about 8 MB of scores for 15 members


@dataclass(frozen=True)
class Sample:
    """Counts of trials by number of yes votes, all and veto-free."""

    total: np.ndarray
    clean: np.ndarray
    trials: int
    seed: int


def _cuts(probs: np.ndarray, normal: bool) -> tuple[np.ndarray, np.ndarray]:
    """Score thresholds below which a member votes yes, and yes-or-no."""
    cum = np.clip(np.cumsum(probs[:, :2], axis=1), 0.0, 1.0)
    if not normal:
        return cum[:, YES], cum[:, NO]
    inv = NormalDist().inv_cdf

    def q(p: float) -> float:
        return -np.inf if p <= 0.0 else np.inf if p >= 1.0 else inv(p)

    return np.array([q(p) for p in cum[:, YES]]), np.array([q(p) for p in cum[:, NO]])


def sample(
    probs: np.ndarray,
    permanent: np.ndarray,
    *,
    blocs: Sequence[tuple[Sequence[int], float]] = (),
    trials: int = 100_000,
    seed: int | None = None,
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
) -> Sample:
    """Draw ``trials`` votes of the members; ``blocs`` are (member indices, correlation).

    ``progress`` is called with the number of trials of each chunk as it is done.
    """
    if trials < 1:
        raise ValueError("trials must be at least 1")
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % 2**63)
    rng = np.random.default_rng(seed)
    probs = np.asarray(probs, dtype=float)
    permanent = np.asarray(permanent, dtype=bool)
    n = len(probs)
    in_bloc = {i for members, _ in blocs for i in members}
    groups = [(np.array(sorted(set(range(n)) - in_bloc), dtype=int), None)]
    groups += [(np.array(members, dtype=int), float(r)) for members, r in blocs]
    plans = []
    for idx, r in groups:
        if len(idx):
            yes_cut, no_cut = _cuts(probs[idx], normal=r is not None)
            perm = permanent[idx]
            plans.append((idx, r, yes_cut, no_cut[perm], yes_cut[perm], perm))
    total = np.zeros(n + 1, dtype=np.int64)
    clean = np.zeros(n + 1, dtype=np.int64)
    for start in range(0, trials, chunk):
        m = min(chunk, trials - start)
        yes = np.zeros(m, dtype=np.uint8)
        veto = np.zeros(m, dtype=bool)
        for idx, r, yes_cut, no_cut_p, yes_cut_p, perm in plans:
            # Members by rows, trials by columns: every operation runs on contiguous rows.
            if r is None:
                score = rng.random((len(idx), m))
            else:
                score = rng.standard_normal((len(idx), m))
                score *= np.sqrt(1.0 - r)
                score += np.sqrt(r) * rng.standard_normal(m)
            yes += np.add.reduce(score < yes_cut[:, None], axis=0, dtype=np.uint8)
            if perm.any():
                p = score[perm]
                veto |= ((p >= yes_cut_p[:, None]) & (p < no_cut_p[:, None])).any(axis=0)
        total += np.bincount(yes, minlength=n + 1)
        clean += np.bincount(yes[~veto], minlength=n + 1)
        if progress is not None:
            progress(m)
    return Sample(total, clean, trials, seed)
