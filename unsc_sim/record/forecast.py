"""The backtested model on a new motion (``forecast``): each member's prior (``priors.py``),
and P(adopted) with the selection offset of the sponsor camp (``selection.py``) fitted on the
recorded votes before the motion's day, as ``backtest.py`` scores it on the recorded votes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np

from ..model import Rule, RuleKind
from . import selection
from .backtest import backtest, p_adopted, sponsor_camp
from .priors import RHO, SHRINK, SLOPE, Prior, priors


@cache
def _evidence() -> tuple[selection.Evidence, ...]:
    """Every recorded vote as the selection term sees it, under the shipped constants (each
    entry rests on the votes before it; ``selection.fit`` keeps to those before a day)."""
    return backtest().evidence


@dataclass(frozen=True)
class Forecast:
    """The record's forecast of one motion: the members' priors, P(adopted) from them (members
    in one bloc at ``rho``), and P(adopted) with the sponsor camp's selection offset."""

    priors: tuple[Prior, ...]
    offset: selection.Offset
    p_members: float  # what a scenario of these priors gives (``unsc-sim run``)
    p_adopted: float  # with the selection offset: the backtested model's
    rho: float


def forecast(
    members: Sequence[str],
    day: dt.date,
    *,
    proposed_by: Sequence[str] = (),
    opposed_by: Sequence[str] = (),
    topic: str | None = None,
    kind: str | None = None,
) -> Forecast:
    """The backtested model on a new motion: each member's prior, and P(adopted) with the
    selection offset of the sponsor camp fitted on the recorded votes before ``day``.

    The offset is not spread over the members: leaning every member toward yes by it would
    move a permanent opponent toward yes as much as a swing member, which no reader expects,
    and would spoil the members' priors (the record scores them vote by vote)."""
    found = priors(members, day, proposed_by=proposed_by, opposed_by=opposed_by, topic=topic,
                   kind=kind)  # fmt: skip
    probs = np.array([p.probabilities for p in found])
    offset = selection.fit(_evidence(), day, sponsor_camp(proposed_by, day), SHRINK, SLOPE)
    threshold = Rule.on(RuleKind.PROCEDURAL, day).threshold
    p_members = p_adopted(probs, day, RHO)[0] if len(probs) >= threshold else 0.0
    p = selection.shifted(p_members, offset.value, SLOPE) if SHRINK > 0 else p_members
    return Forecast(found, offset, p_members, p, RHO)
