"""The sponsor-selection term: motions are put to the vote by sponsors who expect to win.

A member-by-member prior sees how each member voted on earlier motions, not that a sponsor
chooses when to call a vote: the record's motions were mostly called when their sponsors had
counted the votes, so more passed than the priors alone say (before 2000, 114 of the 118
motions with no recorded proposer passed; from 2000, most motions of Western sponsors passed
and every Russian one failed). The term adds one offset per sponsor camp (``CAMPS``) to the
log-odds of adoption that the members' priors give:

    logit P(adopted) = slope * logit P_members(adopted) + delta[camp]

The members' own priors are left as they are (the record scores them vote by vote). Before
each vote the offsets are refitted on the votes strictly before its date (leave-future-out):
for each camp, the delta on ``GRID`` that maximizes the log-likelihood of the earlier outcomes
of that camp's motions, plus a normal prior of standard deviation ``shrink`` centred on 0:

    delta[camp] = argmax  sum_s log P_s(outcome | delta) - delta^2 / (2 shrink^2)

With few earlier motions of a camp, the prior keeps its offset near 0. ``slope`` (below 1)
tempers the members' log-odds before the offset is added, so that a camp whose motions
mostly pass does not turn a 0.7 from the members into 0.99: a calibration by camp, with one
intercept per camp and one slope for all, both chosen on the votes before 2000.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .scoring import EPS

CAMPS = ("west", "russia-china", "others", "unrecorded")
WEST = frozenset({"USA", "GBR", "FRA"})
RUSSIA_CHINA = frozenset({"SUN", "RUS", "CHN"})  # CHN: the People's Republic, from 1971
GRID = np.round(np.arange(-4.0, 4.0001, 0.05), 2)  # candidate offsets, in log-odds


def camp(codes: Iterable[str], groups: dict[str, str]) -> str:
    """The sponsor camp of a motion from its proposers' codes: Russia (the USSR before it) or
    the People's Republic of China; a permanent Western member or any member of the Western
    European and other States; others; or unrecorded (no proposer named).

    >>> camp(["USA"], {}), camp(["SUN"], {}), camp(["EGY"], {}), camp([], {})
    ('west', 'russia-china', 'others', 'unrecorded')
    """
    codes = list(codes)
    if not codes:
        return "unrecorded"
    east = any(c in RUSSIA_CHINA for c in codes)
    west = any(c in WEST or groups.get(c) == "Western European and other States" for c in codes)
    if east != west:
        return "west" if west else "russia-china"
    return "others"


def tilt(probs: np.ndarray, delta: float) -> np.ndarray:
    """(n, 4) probabilities with each member's odds of yes multiplied by exp(delta); the other
    three votes keep their ratios.

    >>> tilt(np.array([[0.5, 0.25, 0.25, 0.0]]), math.log(3)).round(3).tolist()
    [[0.75, 0.125, 0.125, 0.0]]
    """
    probs = np.asarray(probs, dtype=float)
    if delta == 0:
        return probs
    yes = probs[:, 0]
    new = yes * math.exp(delta) / (yes * math.exp(delta) + 1 - yes)
    rest = np.divide(1 - new, 1 - yes, out=np.zeros_like(yes), where=yes < 1)
    out = probs * rest[:, None]
    out[:, 0] = new
    return out


def shifted(p: float, delta: float, slope: float = 1.0) -> float:
    """``p`` with its log-odds times ``slope``, moved by ``delta`` (p clipped to
    [EPS, 1 - EPS] first).

    >>> round(shifted(0.5, math.log(3)), 3), round(shifted(0.9, 0.0, 0.5), 3)
    (0.75, 0.75)
    """
    q = min(max(p, EPS), 1 - EPS)
    return 1 / (1 + math.exp(-(slope * math.log(q / (1 - q)) + delta)))


@dataclass(frozen=True)
class Evidence:
    """One earlier vote, as the selection term sees it: its camp, the outcome, and the
    P(adopted) the members' priors gave it before any offset."""

    day: int  # date ordinal
    camp: str
    adopted: bool
    p: float


@dataclass(frozen=True)
class Offset:
    """A camp's fitted offset on a day, and how many earlier motions of the camp it rests on."""

    camp: str
    value: float
    votes: int
    shrink: float
    slope: float = 1.0


@dataclass(frozen=True)
class Likelihood:
    """A camp's earlier motions before a day, and the log-likelihood of their outcomes at each
    offset of ``GRID`` (None without any), the members' log-odds times ``slope``."""

    camp: str
    votes: int
    loglik: np.ndarray | None
    slope: float = 1.0


def likelihood(
    evidence: Sequence[Evidence], day: dt.date, camp_: str, slope: float = 1.0
) -> Likelihood:
    """What ``fit`` weighs against the prior on the offset, whatever its ``shrink``."""
    before = day.toordinal()
    mine = [e for e in evidence if e.camp == camp_ and e.day < before]
    if not mine:
        return Likelihood(camp_, 0, None, slope)
    p = np.clip(np.array([e.p for e in mine]), EPS, 1 - EPS)[:, None]
    tables = 1 / (1 + np.exp(-(slope * np.log(p / (1 - p)) + GRID)))  # (votes, offsets)
    tables = np.clip(tables, EPS, 1 - EPS)
    outcomes = np.array([e.adopted for e in mine])[:, None]
    loglik = np.where(outcomes, np.log(tables), np.log(1 - tables)).sum(axis=0)
    return Likelihood(camp_, len(mine), loglik, slope)


def offset(found: Likelihood, shrink: float) -> Offset:
    """The offset that maximizes the likelihood plus a normal prior of sd ``shrink`` on it
    (0 when ``shrink`` is 0 or no motion of the camp came before)."""
    if shrink <= 0 or found.loglik is None:
        return Offset(found.camp, 0.0, found.votes, shrink, found.slope)
    score = found.loglik - GRID**2 / (2 * shrink**2)
    return Offset(found.camp, float(GRID[int(np.argmax(score))]), found.votes, shrink, found.slope)


def fit(
    evidence: Sequence[Evidence], day: dt.date, camp_: str, shrink: float, slope: float = 1.0
) -> Offset:
    """The camp's offset from the votes strictly before ``day`` (0 when ``shrink`` is 0),
    with the members' log-odds times ``slope``."""
    return offset(likelihood(evidence, day, camp_, slope), shrink)
