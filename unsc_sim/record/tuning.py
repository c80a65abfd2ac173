"""Tuning the priors' constants on the votes before the cut-off (``tune``), by backtest.

Each point of the grids is a ``backtest.backtest`` of the votes before ``backtest.CUTOFF``;
the chosen constants are written into ``priors`` by hand (with the scores behind them in the
README), never read from here at run time.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .backtest import CUTOFF, backtest
from .priors import ALPHA
from .votes import RecordedVote, recorded_votes

GRID_HALF_LIFE = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, math.inf)
GRID_TOPIC_WEIGHT = (1.0, 2.0, 4.0, 8.0)
GRID_KIND_WEIGHT = (1.0, 2.0, 4.0)
GRID_TOPIC_ALPHA = (math.inf, 8.0, 4.0, 2.0, 1.0, 0.5)  # inf: no member x topic level
# Ties (within TIE of the best score) go to the simpler model: in the member x topic step to
# the smallest topic_alpha (declared before any look at the votes from 2000), in the
# P(adopted) step to the smallest rho (the design keeps the shared factor small; added with
# the joint rho x shrink x slope step, see the README).
TIE = 0.001
GRID_SLOPE = (1.0, 0.75, 0.5, 0.25)
# What a step holds fixed among the constants it does not choose (never the shipped values).
NEUTRAL = {"topic_alpha": math.inf, "rho": 0.0, "shrink": 0.0, "slope": 1.0}
# The shared factor is kept small by design: at a larger correlation the Council votes as a
# herd, no member's vote moves P(adopted), and a drafted scenario stops answering its edits.
GRID_RHO = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
GRID_SHRINK = (0.0, 0.25, 0.5, 1.0, 2.0, 4.0)  # 0: no selection term
# The constants before topic, kind and selection (for ``plot --kind calibration``): the
# herd at 0.99. The proposer's pooled record is the new one (the old mixed it with objectors).
PREVIOUS = {"half_life": 2.0, "rho": 0.99, "topic_weight": 1.0, "kind_weight": 1.0, "shrink": 0.0,
            "topic_alpha": math.inf, "slope": 1.0}  # fmt: skip


@dataclass(frozen=True)
class Tuning:
    """The constants chosen on the votes before ``cutoff``, and every score behind them."""

    cutoff: dt.date
    half_life: float
    topic_weight: float
    kind_weight: float
    rho: float
    shrink: float
    grid: tuple[dict[str, Any], ...]
    topic_alpha: float = math.inf
    slope: float = 1.0


def tune(
    *,
    votes: Sequence[RecordedVote] | None = None,
    cutoff: dt.date = CUTOFF,
    half_lives: Sequence[float] = GRID_HALF_LIFE,
    topic_weights: Sequence[float] = GRID_TOPIC_WEIGHT,
    kind_weights: Sequence[float] = GRID_KIND_WEIGHT,
    rhos: Sequence[float] = GRID_RHO,
    shrinks: Sequence[float] = GRID_SHRINK,
    topic_alphas: Sequence[float] = GRID_TOPIC_ALPHA,
    slopes: Sequence[float] = GRID_SLOPE,
    alpha: float = ALPHA,
) -> Tuning:
    """Choose the model's constants on the votes before ``cutoff`` only: first the half-life
    and the topic and kind weights together, by the member-level log loss; then, with them,
    the member x topic ``topic_alpha`` (by the member-level log loss, ties within ``TIE`` to
    the smallest); then ``rho``, the selection term's ``shrink`` and its ``slope`` together,
    by the vote-level log loss (ties within ``TIE`` to the smallest ``rho``; ``alpha`` stays
    fixed). Each step fixes the constants it does not choose at their neutral values
    (no member x topic level, no correlation, no selection term, slope 1), never at the
    shipped ones. Other ties go to the earlier point of the grid."""
    votes = recorded_votes() if votes is None else votes
    if not any(v.members_known and v.date < cutoff for v in votes):
        raise ValueError(f"no recorded vote with member lists before {cutoff} to tune on")

    memo: dict[tuple[Any, ...], Any] = {}  # priors shared by points that differ in rho, shrink

    def row(step: str, **constants: float) -> dict[str, Any]:
        result = backtest(
            votes=votes, alpha=alpha, cutoff=cutoff, until=cutoff, memo=memo, **constants
        )
        member, vote = result.score("member", "model"), result.score("vote", "model")
        return {"step": step, **constants, "votes": vote.n, "member_votes": member.n,
                "member_log_loss": member.log_loss, "vote_log_loss": vote.log_loss,
                "vote_brier": vote.brier}  # fmt: skip

    first = [
        row("priors", half_life=h, topic_weight=t, kind_weight=k, **NEUTRAL)
        for h in half_lives
        for t in topic_weights
        for k in kind_weights
    ]
    best = min(first, key=lambda r: r["member_log_loss"])
    chosen = {k: best[k] for k in ("half_life", "topic_weight", "kind_weight")}
    topical = [row("topic", **chosen, **{**NEUTRAL, "topic_alpha": a}) for a in topic_alphas]
    low = min(r["member_log_loss"] for r in topical)
    chosen["topic_alpha"] = min(
        r["topic_alpha"] for r in topical if r["member_log_loss"] <= low + TIE
    )
    second = [
        row("P(adopted)", **chosen, rho=r, shrink=s, slope=b)
        for r in rhos
        for s in shrinks
        for b in slopes
    ]
    low = min(r["vote_log_loss"] for r in second)
    near = [r for r in second if r["vote_log_loss"] <= low + TIE]
    small = min(r["rho"] for r in near)
    then = min((r for r in near if r["rho"] == small), key=lambda r: r["vote_log_loss"])
    return Tuning(cutoff, **chosen, rho=then["rho"], shrink=then["shrink"], slope=then["slope"],
                  grid=tuple(first + topical + second))  # fmt: skip
