"""The bloc model shared by both bloc engines: a latent scale ordered by support, and factors.

Each member has a latent score, standard normal. A member of bloc b with correlation r has
``sqrt(r) * F_b + sqrt(1 - r) * E_i``: F_b is the bloc's factor, E_i the member's own noise.
Bloc factors are standard normal and correlated with one another by the scenario's
``between`` entries (independent when there are none); members outside any bloc are
independent of everything.

A member reads its vote off its score through its own probabilities, in the order of
support: low scores vote yes, then abstain, then absent, high scores vote no
(``SUPPORT``). So a bloc whose factor turns against a motion moves its members through
abstention to "no", and each member keeps exactly its own probabilities. Only two levels
matter to the count and the veto: where yes ends and where no begins (``levels``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from statistics import NormalDist

import numpy as np

from ..charter import NO, YES
from ..model import Scenario, Vote

SUPPORT: tuple[Vote, ...] = (Vote.YES, Vote.ABSTAIN, Vote.ABSENT, Vote.NO)


def levels(probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cumulative probabilities where yes ends and where no begins, for probs (..., 4).

    A uniform score below the first votes yes; at or above the second it votes no.
    """
    p = np.asarray(probs, dtype=float)
    return np.clip(p[..., YES], 0.0, 1.0), np.clip(1.0 - p[..., NO], 0.0, 1.0)


def quantiles(p: np.ndarray) -> np.ndarray:
    """The standard normal quantile of each level (-inf at 0, inf at 1)."""
    inv = NormalDist().inv_cdf
    flat = [-math.inf if x <= 0.0 else math.inf if x >= 1.0 else inv(x) for x in np.ravel(p)]
    return np.array(flat, dtype=float).reshape(np.shape(p))


def normal_levels(probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``levels`` on the normal scale: yes below the first, no at or above the second."""
    yes, no = levels(probs)
    return quantiles(yes), quantiles(no)


# Phi(-y) = exp(-y^2 / 2) * h(t) / (y + K) for y >= 0, with t = (y - K) / (y + K) in [-1, 1):
# h is smooth on the whole half-line, so one Chebyshev series gives |error| < 3e-15.
SERIES_CENTRE = 3.0  # K below: the centre of the Chebyshev variable (the explorer ports it)
_DEGREE = 20
BLOCK = 32_768  # values per block of ``ndtr`` (a few arrays of it fit the cache)


def _mills(y: float) -> float:
    """Phi(-y) / phi(y), accurately: erfc near 0, Laplace's continued fraction beyond."""
    if y < 2.0:
        return 0.5 * math.erfc(y / math.sqrt(2.0)) * math.exp(0.5 * y * y) * math.sqrt(2 * math.pi)
    f = 0.0
    for k in range(2000, 0, -1):
        f = k / (y + f)
    return 1.0 / (y + f)


@cache
def series() -> tuple[float, ...]:
    """The Chebyshev coefficients of ``ndtr``'s tail series (the explorer ports them)."""

    def h(t: np.ndarray) -> np.ndarray:
        y = SERIES_CENTRE * (1.0 + t) / (1.0 - t)
        return np.array([_mills(v) * (v + SERIES_CENTRE) for v in y]) / math.sqrt(2 * math.pi)

    return tuple(np.polynomial.chebyshev.chebinterpolate(h, _DEGREE).tolist())


def ndtr(x: np.ndarray | float) -> np.ndarray:
    """The standard normal distribution function, vectorized (numpy has none).

    Elementwise, in blocks of ``BLOCK`` values: the series' twenty passes then run in the
    processor's cache, not in memory (the same values, bit for bit, about twice as fast)."""
    shape = np.shape(x)
    x = np.asarray(x, dtype=float).reshape(-1)
    if len(x) <= BLOCK:
        return _ndtr(x).reshape(shape)
    out = np.empty_like(x)
    for start in range(0, len(x), BLOCK):
        out[start : start + BLOCK] = _ndtr(x[start : start + BLOCK])
    return out.reshape(shape)


def _ndtr(x: np.ndarray) -> np.ndarray:
    """``ndtr`` of a flat array."""
    y = np.minimum(np.abs(x), 40.0)  # Phi(-40) underflows anyway
    t2 = (y - SERIES_CENTRE) / (y + SERIES_CENTRE)
    t2 *= 2.0
    coef = series()
    b1 = np.full_like(t2, coef[-1])
    b2 = np.zeros_like(t2)
    tmp = np.empty_like(t2)
    for c in coef[-2:0:-1]:  # Clenshaw's recurrence, in place
        np.multiply(t2, b1, out=tmp)
        tmp -= b2
        tmp += c
        b2, b1, tmp = b1, tmp, b2
    b1 *= 0.5 * t2
    b1 -= b2
    b1 += coef[0]
    y *= y
    y *= -0.5
    np.exp(y, out=y)
    y *= b1
    y /= np.abs(x) + SERIES_CENTRE
    return np.where(x < 0, y, 1.0 - y)


@dataclass(frozen=True)
class Factors:
    """Blocs as member indices with their correlation, and the correlation of their factors."""

    blocs: tuple[tuple[tuple[int, ...], float], ...]
    correlation: np.ndarray  # (blocs, blocs): 1 on the diagonal, ``between`` off it

    @classmethod
    def of(
        cls,
        blocs: Sequence[tuple[Sequence[int], float]],
        correlation: np.ndarray | None = None,
    ) -> Factors:
        k = len(blocs)
        c = np.eye(k) if correlation is None else np.array(correlation, dtype=float)
        return cls(tuple((tuple(int(i) for i in m), float(r)) for m, r in blocs), c)

    @property
    def correlated(self) -> bool:
        return bool(np.any(self.correlation != np.eye(len(self.blocs))))

    def root(self) -> np.ndarray:
        """A matrix A with A @ A.T equal to the factors' correlation (which may be singular)."""
        values, vectors = np.linalg.eigh(self.correlation)
        return vectors * np.sqrt(np.clip(values, 0.0, None))


def factors_of(scenario: Scenario) -> Factors:
    """The Factors of a scenario's blocs and ``between`` entries, by member position."""
    index = {name: i for i, name in enumerate(scenario.names)}
    blocs = [([index[m] for m in b.members], b.correlation) for b in scenario.blocs]
    return Factors.of(blocs, scenario.factor_correlation())
