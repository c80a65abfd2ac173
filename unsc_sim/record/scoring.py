"""Scores of probabilistic predictions: Brier score, log loss, accuracy, calibration bins."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..model import VOTES

EPS = 1e-6  # probabilities are clipped to [EPS, 1 - EPS] for the log loss
VOTE_WORDS = tuple(v.value for v in VOTES)
_INDEX = {w: i for i, w in enumerate(VOTE_WORDS)}


@dataclass(frozen=True)
class Score:
    """A predictor's score on one level and period; lower is better but for accuracy."""

    level: str  # "vote" or "member"
    predictor: str
    period: str  # "all", "before CUTOFF" or "from CUTOFF"
    n: int
    log_loss: float
    brier: float | None  # vote level
    accuracy: float | None  # member level: share of votes the most likely vote got right


@dataclass(frozen=True)
class Bin:
    """Calibration: predictions in [lo, hi) and how often the event happened."""

    level: str
    lo: float
    hi: float
    n: int
    mean_predicted: float | None
    observed: float | None


def brier(p: Sequence[float], outcomes: Sequence[bool]) -> float:
    """Mean squared error of probabilities against 0/1 outcomes."""
    return float(np.mean([(q - o) ** 2 for q, o in zip(p, outcomes)]))


def log_loss(p: Sequence[float], outcomes: Sequence[bool]) -> float:
    """Mean negative natural log-likelihood, probabilities clipped to [EPS, 1 - EPS]."""
    clipped = [min(max(q, EPS), 1 - EPS) for q in p]
    return float(np.mean([-math.log(q if o else 1 - q) for q, o in zip(clipped, outcomes)]))


def member_log_loss(dists: Sequence[Sequence[float]], votes: Sequence[str] | np.ndarray) -> float:
    """Mean negative log of the probability given to the vote cast (clipped below at EPS;
    ``votes``: words, or their ``indices``)."""
    return float(np.mean(-np.log(np.maximum(_given(dists, votes), EPS))))


def accuracy(dists: Sequence[Sequence[float]], votes: Sequence[str] | np.ndarray) -> float:
    """Share of votes equal to the most likely one (ties: the first in yes, no, abstain, absent;
    ``votes``: words, or their ``indices``)."""
    best = np.argmax(np.asarray(dists, dtype=float).reshape(-1, 4), axis=1)
    return float(np.mean(best == indices(votes)))


def indices(votes: Sequence[str] | np.ndarray) -> np.ndarray:
    """Each vote's index in ``VOTE_WORDS`` (yes, no, abstain, absent); an array of indices
    stays as it is."""
    if isinstance(votes, np.ndarray) and votes.dtype.kind in "iu":
        return votes
    try:
        return np.array([_INDEX[v] for v in votes], dtype=np.intp)
    except KeyError as e:
        raise ValueError(f"not a vote: {e.args[0]!r}") from None


def _given(dists: Sequence[Sequence[float]], votes: Sequence[str] | np.ndarray) -> np.ndarray:
    """The probability each (yes, no, abstain, absent) distribution gives to the vote cast."""
    cast = indices(votes)
    return np.asarray(dists, dtype=float).reshape(-1, 4)[np.arange(len(cast)), cast]


def binned(level: str, pairs: Sequence[tuple[float, bool]], bins: int = 10) -> tuple[Bin, ...]:
    """(prediction, outcome) pairs in ``bins`` equal bins of the prediction (1.0 in the last)."""
    return binned_arrays(
        level, np.array([q for q, _ in pairs]), np.array([o for _, o in pairs]), bins
    )


def binned_arrays(level: str, p: np.ndarray, o: np.ndarray, bins: int = 10) -> tuple[Bin, ...]:
    """``binned``, the predictions and the outcomes given as two arrays."""
    p, o = np.asarray(p, dtype=float), np.asarray(o)
    out = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = ((lo <= p) & (p < hi)) | ((b == bins - 1) & (p == 1.0))
        n = int(inside.sum())
        out.append(Bin(
            level, lo, hi, n,
            float(np.mean(p[inside])) if n else None,
            float(np.mean(o[inside])) if n else None,
        ))  # fmt: skip
    return tuple(out)
