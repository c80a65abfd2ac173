import datetime as dt
import math
from types import MappingProxyType

import pytest

from unsc_sim.backtest import EPS, NO_DATA, backtest, format_table, prior
from unsc_sim.history import RecordedVote, recorded_votes
from unsc_sim.model import Basis, Vote

NAMES = [f"M{i}" for i in range(15)]


def _rv(id: str, year: int, vote: str, adopted: bool, split: int = 15) -> RecordedVote:
    """A synthetic vote: the first ``split`` members cast ``vote``, the rest abstain."""
    votes = {n: Vote(vote) if i < split else Vote.ABSTAIN for i, n in enumerate(NAMES)}
    return RecordedVote(
        id, dt.date(year, 1, 1), None, "t", "s", MappingProxyType(votes), adopted, ()
    )


def _binom_tail(n: int, p: float, k: int) -> float:
    return sum(math.comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(k, n + 1))


SYNTH = [_rv("a", 1970, "yes", True), _rv("b", 1971, "no", False), _rv("c", 1972, "yes", True)]


def test_prior_uses_only_earlier_votes() -> None:
    before_any = prior("M0", dt.date(1970, 1, 1), votes=SYNTH)
    assert before_any.probabilities == NO_DATA
    assert prior("M0", dt.date(1971, 1, 1), votes=SYNTH).probabilities == (1.0, 0.0, 0.0, 0.0)
    # Same-day and later votes are ignored.
    assert prior("M0", dt.date(1971, 1, 1), votes=SYNTH[:1]).probabilities == (1, 0, 0, 0)


def test_prior_shifts_toward_own_record_and_falls_back_to_pool() -> None:
    votes = [_rv("a", 1970, "yes", True, split=5)]  # M0-M4 yes, M5-M14 abstain
    day = dt.date(1971, 1, 1)
    newcomer = prior("Nobody", day, votes=votes)
    assert newcomer.probabilities == pytest.approx((1 / 3, 0, 2 / 3, 0))  # the pooled share
    yes_voter = prior("M0", day, votes=votes)
    assert yes_voter.yes == pytest.approx((1 + 4 / 3) / 5)
    assert yes_voter.yes > newcomer.yes > prior("M9", day, votes=votes).yes
    assert yes_voter.basis is Basis.INFERRED and "1 own" in (yes_voter.note or "")


def test_priors_sum_to_one_on_the_record() -> None:
    for rv in recorded_votes():
        for name in rv.votes:
            assert sum(prior(name, rv.date).probabilities) == pytest.approx(1.0)


def test_backtest_has_one_row_per_recorded_vote_in_date_order() -> None:
    result = backtest()
    records = [r for r in recorded_votes() if r.members_known]  # tally-only rows are left out
    assert [r.id for r in result.rows] == [r.id for r in records]
    assert [r.date for r in result.rows] == sorted(r.date for r in result.rows)
    assert [r.actual_yes for r in result.rows] == [r.count("yes") for r in records]
    assert len(result.to_records()) == len(records)
    assert "base rate" in format_table(result)


def test_scores_match_a_hand_computation() -> None:
    result = backtest(votes=list(reversed(SYNTH)))  # the input order must not matter
    p1 = _binom_tail(15, 0.33, 9)  # no data: yes 0.33 each
    p3 = _binom_tail(15, 0.5, 9)  # one yes, one no, pooled 50/50: yes (1 + 2) / 6
    assert [r.p_adopted for r in result.rows] == pytest.approx([p1, 1.0, p3])
    assert [r.p_base_rate for r in result.rows] == [0.5, 1.0, 0.5]
    assert result.rows[0].expected_yes == pytest.approx(15 * 0.33)
    assert result.rows[0].predicted_tally == 5  # mode of Binomial(15, 0.33)
    assert result.brier == pytest.approx(((p1 - 1) ** 2 + 1 + (p3 - 1) ** 2) / 3)
    loss = -(math.log(p1) + math.log(EPS) + math.log(p3)) / 3  # p = 1 for a failure: clipped
    assert result.log_loss == pytest.approx(loss)
    assert result.brier_half == pytest.approx(0.25)
    assert result.log_loss_half == pytest.approx(math.log(2))
    assert result.brier_base_rate == pytest.approx((0.25 + 1 + 0.25) / 3)
    assert result.log_loss_base_rate == pytest.approx((2 * math.log(2) - math.log(EPS)) / 3)


def test_future_votes_do_not_change_earlier_rows() -> None:
    before = backtest(votes=SYNTH).rows
    after = backtest(votes=[*SYNTH, _rv("d", 1980, "no", False)]).rows
    assert after[:3] == before and len(after) == 4
    real = [r for r in recorded_votes() if r.members_known]
    assert backtest(votes=real[:5]).rows == backtest(votes=real).rows[:5]


def test_to_frame() -> None:
    frame = backtest(votes=SYNTH).to_frame()
    assert list(frame["id"]) == ["a", "b", "c"]


def test_tally_only_votes_are_left_out_of_priors_and_backtest() -> None:
    # Only the "no" voters are named: counting them would bias every prior toward "no".
    partial = {n: Vote.NO for n in NAMES[:3]}
    counts = {Vote.YES: 10, Vote.NO: 3, Vote.ABSTAIN: 2, Vote.ABSENT: 0}
    tally = RecordedVote(
        "t", dt.date(1971, 6, 1), None, "t", "s", MappingProxyType(partial), True, ("x",),
        counts=MappingProxyType(counts),
    )  # fmt: skip
    assert not tally.members_known and tally.count("yes") == 10
    day = dt.date(1973, 1, 1)
    assert prior("M0", day, votes=[*SYNTH, tally]) == prior("M0", day, votes=SYNTH)
    assert backtest(votes=[*SYNTH, tally]).rows == backtest(votes=SYNTH).rows
