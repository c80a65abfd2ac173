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

from ..charter import ABSENT, ABSTAIN, NO, YES, adopted
from ..errors import InvalidValueError
from ..model import Report, Rule
from .evidence import node_joint, p_reported
from .latent import Factors, levels, ndtr, normal_levels, quantiles

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


def given_factors(
    probs: np.ndarray, blocs: Sequence[tuple[Sequence[int], float]], factors: np.ndarray
) -> np.ndarray:
    """Each member's probabilities given the bloc factors (blocs, draws): (draws, members, 4).

    A member of a bloc with correlation r votes yes when sqrt(r) F + sqrt(1 - r) E falls
    below its yes level, then abstains, is absent, votes no, in the order of support.
    JavaScript twin (one member at one node): `givenFactor` in data/explorer.html.
    """
    probs = np.asarray(probs, dtype=float)
    out = np.repeat(probs[None], factors.shape[1] if len(blocs) else 1, axis=0)
    for b, (members, r) in enumerate(blocs):
        idx = np.array(members, dtype=int)
        if r <= 0.0 or not len(idx):
            continue
        p = probs[idx]
        cuts = quantiles(np.cumsum(p[:, [YES, ABSTAIN, ABSENT]], axis=1).clip(0.0, 1.0))
        shift = np.sqrt(r) * factors[b][:, None, None]
        if r < 1.0:
            below = ndtr((cuts[None] - shift) / np.sqrt(1.0 - r))
        else:  # the score is the factor itself
            below = (shift < cuts[None]).astype(float)
        part = np.diff(below, prepend=0.0, append=1.0, axis=-1).clip(0.0, None)
        out[:, idx] = part[..., np.argsort([YES, ABSTAIN, ABSENT, NO])]  # to column order
    return out


@dataclass(frozen=True)
class Weighted:
    """Yes-count distributions given the reports, from draws weighted by P(reports | draw).

    ``evidence`` estimates P(reports); ``ess`` is the draws' effective number,
    (sum w)^2 / sum w^2; ``se`` the standard error of P(adopted | reports).
    """

    total: np.ndarray
    clean: np.ndarray
    evidence: float
    ess: float
    se: float
    trials: int
    seed: int


def sample_given(
    probs: np.ndarray,
    permanent: np.ndarray,
    rule: Rule,
    reports: Sequence[Report],
    *,
    blocs: Sequence[tuple[Sequence[int], float]] = (),
    between: np.ndarray | None = None,
    trials: int = 100_000,
    seed: int | None = None,
    chunk: int = 4096,
    progress: Callable[[int], None] | None = None,
) -> Weighted:
    """Condition on the reports by exact weighting, not rejection: draw the bloc factors;
    given them, the DP of evidence.py gives P(reports) and the yes counts exactly."""
    if trials < 1:
        raise ValueError("trials must be at least 1")
    p_reported(probs, reports)  # refuses impossible reports, naming the count
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % 2**63)
    rng = np.random.default_rng(seed)
    root = Factors.of(blocs, between).root() if between is not None and blocs else None
    n = len(probs)
    k = np.arange(n + 1)
    passes = np.stack([adopted(k, False, rule), adopted(k, True, rule)]).astype(float)
    joint = np.zeros((2, n + 1))
    sums = np.zeros(5)  # w, w^2, y, y^2, y w (y: the draw's mass adopted given the reports)
    for start in range(0, trials, chunk):
        m = min(chunk, trials - start)
        factors = rng.standard_normal((len(blocs), m))
        if root is not None:
            factors = root @ factors
        draws = node_joint(given_factors(probs, blocs, factors), permanent, rule, reports)
        draws = np.broadcast_to(draws, (m, *draws.shape[1:]))  # no blocs: one node for all
        w = draws.sum(axis=(1, 2))
        y = (draws * passes).sum(axis=(1, 2))
        joint += draws.sum(axis=0)
        sums += [w.sum(), w @ w, y.sum(), y @ y, y @ w]
        if progress is not None:
            progress(m)
    sw, sww, sy, syy, syw = sums
    if sw <= 0.0:
        raise InvalidValueError(f"no draw of {trials} allows the reports: more trials needed")
    ratio = sy / sw
    se = np.sqrt(max(0.0, syy - 2 * ratio * syw + ratio**2 * sww)) / sw
    return Weighted(joint.sum(0) / sw, joint[0] / sw, sw / trials, sw**2 / sww, se, trials, seed)
