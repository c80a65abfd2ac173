"""Scores of probabilistic predictions: Brier score, log loss, accuracy, calibration bins."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..model import VOTES

EPS = 1e-6  # probabilities are clipped to [EPS, 1 - EPS] for the log loss
VOTE_WORDS = tuple(v.value for v in VOTES)


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


def member_log_loss(dists: Sequence[Sequence[float]], votes: Sequence[str]) -> float:
    """Mean negative log of the probability given to the vote cast (clipped below at EPS)."""
    return float(np.mean([-math.log(max(d[_index(v)], EPS)) for d, v in zip(dists, votes)]))


def accuracy(dists: Sequence[Sequence[float]], votes: Sequence[str]) -> float:
    """Share of votes equal to the most likely one (ties: the first in yes, no, abstain, absent)."""
    return float(np.mean([int(np.argmax(d)) == _index(v) for d, v in zip(dists, votes)]))


def _index(vote: str) -> int:
    return VOTE_WORDS.index(vote)


def binned(level: str, pairs: Sequence[tuple[float, bool]], bins: int = 10) -> tuple[Bin, ...]:
    """(prediction, outcome) pairs in ``bins`` equal bins of the prediction (1.0 in the last)."""
    out = []
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inside = [(p, o) for p, o in pairs if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        n = len(inside)
        out.append(Bin(
            level, lo, hi, n,
            float(np.mean([p for p, _ in inside])) if n else None,
            float(np.mean([o for _, o in inside])) if n else None,
        ))  # fmt: skip
    return tuple(out)
