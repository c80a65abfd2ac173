"""Priors from the record, and a leave-future-out backtest of recorded procedural votes.

``prior`` gives a member a stance from its past procedural votes, smoothed toward the pooled
votes of all members (a Dirichlet prior). ``backtest`` predicts each recorded vote from the
votes strictly before its date and scores P(adopted) by Brier score and log loss against two
baselines: always 0.5, and the adoption rate of the earlier votes. There is no bloc layer: a
member's prior rests on its own record and the pooled record only.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from .exact import distributions
from .history import RecordedVote, recorded_votes
from .model import VOTES, Basis, Rule, RuleKind, Stance

if TYPE_CHECKING:
    import pandas as pd

# With no vote at all on record before the date: even odds of yes/no/abstain, a little absence.
NO_DATA = (0.33, 0.33, 0.33, 0.01)
EPS = 1e-6  # probabilities are clipped to [EPS, 1 - EPS] for the log loss


def _counts(votes: Sequence[RecordedVote], before: dt.date, member: str | None) -> np.ndarray:
    """Counts of yes/no/abstain/absent before a date, of one member (or of all, for None)."""
    out = np.zeros(len(VOTES))
    for rv in votes:
        if rv.date < before and rv.members_known:
            for name, v in rv.votes.items():
                if member is None or name == member:
                    out[VOTES.index(v)] += 1
    return out


def prior(
    member: str,
    before: dt.date,
    *,
    votes: Sequence[RecordedVote] | None = None,
    alpha: float = 1.0,
) -> Stance:
    """A member's stance from the recorded procedural votes strictly before ``before``.

    p = (own counts + 4 * alpha * pooled share) / (own total + 4 * alpha), where the pooled
    share is that of all members' votes before the date: a member with no record gets the
    pooled share, and with no votes at all on record, ``NO_DATA`` (yes/no/abstain 0.33 each,
    absent 0.01). ``member`` is the name as ``countries.resolve`` gives it.
    """
    votes = recorded_votes() if votes is None else votes
    pooled = _counts(votes, before, None)
    own = _counts(votes, before, member)
    n_pool, n_own = int(pooled.sum()), int(own.sum())
    if n_pool == 0:
        p = np.array(NO_DATA)
    else:
        weight = 4 * alpha
        p = (own + weight * pooled / n_pool) / (n_own + weight)
    note = (
        f"{n_own} own procedural vote(s) before {before}, smoothed (alpha={alpha:g}) toward "
        f"{n_pool} pooled member votes"
        if n_pool
        else f"no recorded procedural vote before {before}: default {NO_DATA}"
    )
    return Stance(*(float(x) for x in p), basis=Basis.INFERRED, note=note)


@dataclass(frozen=True)
class BacktestRow:
    """One recorded vote: the prediction from earlier votes beside what happened."""

    id: str
    date: dt.date
    topic: str
    p_adopted: float
    expected_yes: float
    predicted_tally: int  # the most likely number of yes votes
    actual_yes: int
    adopted: bool
    p_base_rate: float  # adoption rate of the earlier votes (0.5 when there are none)


@dataclass(frozen=True)
class Backtest:
    """Rows and scores; lower is better. Log losses are natural logs of clipped probabilities."""

    rows: tuple[BacktestRow, ...]
    brier: float
    log_loss: float
    brier_half: float
    log_loss_half: float
    brier_base_rate: float
    log_loss_base_rate: float

    def to_records(self) -> list[dict[str, Any]]:
        return [asdict(r) for r in self.rows]

    def to_frame(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.to_records())


def brier(p: Sequence[float], outcomes: Sequence[bool]) -> float:
    """Mean squared error of probabilities against 0/1 outcomes."""
    return float(np.mean([(q - o) ** 2 for q, o in zip(p, outcomes)]))


def log_loss(p: Sequence[float], outcomes: Sequence[bool]) -> float:
    """Mean negative natural log-likelihood, probabilities clipped to [EPS, 1 - EPS]."""
    clipped = [min(max(q, EPS), 1 - EPS) for q in p]
    return float(np.mean([-math.log(q if o else 1 - q) for q, o in zip(clipped, outcomes)]))


def backtest(*, votes: Sequence[RecordedVote] | None = None, alpha: float = 1.0) -> Backtest:
    """Predict each recorded vote whose member lists are known, in date order, from the votes
    strictly before its date (tally-only rows are left out)."""
    votes = recorded_votes() if votes is None else votes
    votes = sorted((r for r in votes if r.members_known), key=lambda r: (r.date, r.id))
    rows = []
    for rv in votes:
        earlier = [r for r in votes if r.date < rv.date]
        names = list(rv.votes)
        probs = np.array(
            [prior(n, rv.date, votes=earlier, alpha=alpha).probabilities for n in names]
        )
        rule = Rule.on(RuleKind.PROCEDURAL, rv.date)
        # Procedural votes carry no veto, so the total yes distribution decides.
        total, _ = distributions(probs, np.zeros(len(names), dtype=bool))
        p = min(1.0, float(total[rule.threshold :].sum()))
        base = sum(r.adopted for r in earlier) / len(earlier) if earlier else 0.5
        rows.append(
            BacktestRow(
                rv.id,
                rv.date,
                rv.topic,
                p,
                float(probs[:, 0].sum()),
                int(np.argmax(total)),
                len(rv.of("yes")),
                rv.adopted,
                base,
            )
        )
    ps, base, outcomes = (
        [r.p_adopted for r in rows],
        [r.p_base_rate for r in rows],
        [r.adopted for r in rows],
    )
    half = [0.5] * len(rows)
    return Backtest(
        tuple(rows),
        brier(ps, outcomes),
        log_loss(ps, outcomes),
        brier(half, outcomes),
        log_loss(half, outcomes),
        brier(base, outcomes),
        log_loss(base, outcomes),
    )


def format_table(result: Backtest) -> str:
    """A plain-text table of every row (good and bad) and the scores."""
    lines = [
        f"{'vote':<26} {'P(adopt)':>8} {'base':>5} {'E[yes]':>6} {'mode':>4} {'yes':>3}  result"
    ]
    for r in result.rows:
        lines.append(
            f"{r.id:<26} {r.p_adopted:>8.3f} {r.p_base_rate:>5.2f} {r.expected_yes:>6.2f} "
            f"{r.predicted_tally:>4} {r.actual_yes:>3}  {'adopted' if r.adopted else 'failed'}"
        )
    lines += [
        "",
        f"{'':<14} {'Brier':>7} {'log loss':>9}",
        f"{'model':<14} {result.brier:>7.3f} {result.log_loss:>9.3f}",
        f"{'always 0.5':<14} {result.brier_half:>7.3f} {result.log_loss_half:>9.3f}",
        f"{'base rate':<14} {result.brier_base_rate:>7.3f} {result.log_loss_base_rate:>9.3f}",
        f"(log loss: natural log, probabilities clipped to [{EPS:g}, 1 - {EPS:g}])",
    ]
    return "\n".join(lines)
