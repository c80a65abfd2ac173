"""Monte Carlo engine: sampled votes with correlated blocs, vectorized and chunked.

The bloc model is in blocs.py: a Gaussian copula with one latent factor per bloc, factors
correlated by the scenario's ``between`` entries, and each member reading its vote off its
latent score in the order of support (yes, abstain, absent, no). Members outside any bloc
draw a uniform score and read it the same way. The exact engine for blocs (quadrature.py)
integrates the same model; this one samples it, for any number of correlated blocs and as
a cross-check.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .latent import Factors, levels, normal_levels

CHUNK = 65_536  # trials per chunk: about 8 MB of scores for 15 members


@dataclass(frozen=True)
class Sample:
    """Counts of trials by number of yes votes, all and veto-free."""

    total: np.ndarray
    clean: np.ndarray
    trials: int
    seed: int


def sample(
    probs: np.ndarray,
    permanent: np.ndarray,
    *,
    blocs: Sequence[tuple[Sequence[int], float]] = (),
    between: np.ndarray | None = None,
    trials: int = 100_000,
    seed: int | None = None,
    chunk: int = CHUNK,
    progress: Callable[[int], None] | None = None,
) -> Sample:
    """Draw ``trials`` votes of the members.

    ``blocs`` are (member indices, correlation); ``between`` is the correlation matrix of
    their factors (independent factors when None).

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
    groups = [(np.array(sorted(set(range(n)) - in_bloc), dtype=int), None, None)]
    groups += [(np.array(m, dtype=int), float(r), b) for b, (m, r) in enumerate(blocs)]
    root = Factors.of(blocs, between).root() if between is not None and blocs else None
    plans = []
    for idx, r, b in groups:
        if len(idx):
            yes_cut, no_cut = (levels if r is None else normal_levels)(probs[idx])
            perm = permanent[idx]
            plans.append((idx, r, b, yes_cut, no_cut[perm], perm))
    total = np.zeros(n + 1, dtype=np.int64)
    clean = np.zeros(n + 1, dtype=np.int64)
    for start in range(0, trials, chunk):
        m = min(chunk, trials - start)
        yes = np.zeros(m, dtype=np.uint8)
        veto = np.zeros(m, dtype=bool)
        factors = rng.standard_normal((len(blocs), m)) if blocs else None
        if factors is not None and root is not None:
            factors = root @ factors
        for idx, r, b, yes_cut, no_cut_p, perm in plans:
            # Members by rows, trials by columns: every operation runs on contiguous rows.
            if r is None:
                score = rng.random((len(idx), m))
            else:
                score = rng.standard_normal((len(idx), m))
                score *= np.sqrt(1.0 - r)
                score += np.sqrt(r) * factors[b]
            yes += np.add.reduce(score < yes_cut[:, None], axis=0, dtype=np.uint8)
            if perm.any():
                veto |= (score[perm] >= no_cut_p[:, None]).any(axis=0)
        total += np.bincount(yes, minlength=n + 1)
        clean += np.bincount(yes[~veto], minlength=n + 1)
        if progress is not None:
            progress(m)
    return Sample(total, clean, trials, seed)
