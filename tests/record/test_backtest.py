"""The backtest: one row per vote, leave-future-out, scores recomputed from its own tables."""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pytest

from unsc_sim.engine.exact import distributions
from unsc_sim.record import recorded_votes
from unsc_sim.record.backtest import (
    EPS,
    MEMBER_PREDICTORS,
    VOTE_PREDICTORS,
    backtest,
    format_table,
    yes_distribution,
)
from unsc_sim.record.priors import SLOPE, Record, priors
from unsc_sim.record.selection import shifted
from unsc_sim.record.tuning import TIE, tune

from .test_priors import EAST, V1, V2, WEST, row, votes

TALLY = row("2019-04-01", ["France"], slug="tally", counts={"yes": 9, "no": 4}, adopted=True)
LATE = row("2019-07-01", ["Russian Federation", "China"], WEST, slug="late",
           proposed_by=["Russian Federation"], opposed_by=["United States"])  # fmt: skip
FIXTURE = votes(V1, TALLY, V2, LATE)
RECORD = recorded_votes()

VOTE_COLUMNS = {
    "model": "p_adopted", "always 0.5": None, "base rate": "p_base_rate", "own frequency": "p_own",
}  # fmt: skip
MEMBER_COLUMNS = {
    "model": "model",
    "uniform": None,
    "base rate": "base_rate",
    "own frequency": "own",
}
WORDS = ("yes", "no", "abstain", "absent")


def _clip(p: float) -> float:
    return min(max(p, EPS), 1 - EPS)


def _check_scores(result, cutoff: dt.date) -> None:
    """Recompute every score from the flat per-vote and per-member-vote tables."""
    vote_rows, member_rows = result.to_records(), result.member_records()
    periods = {
        "all": lambda d: True,
        f"before {cutoff}": lambda d: d < cutoff,
        f"from {cutoff}": lambda d: d >= cutoff,
    }
    for period, keep in periods.items():
        vs = [r for r in vote_rows if keep(r["date"])]
        for name in VOTE_PREDICTORS:
            if not vs:
                continue
            col = VOTE_COLUMNS[name]
            ps = [0.5 if col is None else r[col] for r in vs]
            ys = [r["adopted"] for r in vs]
            s = result.score("vote", name, period)
            assert s.n == len(vs)
            assert s.brier == pytest.approx(sum((p - y) ** 2 for p, y in zip(ps, ys)) / len(vs))
            loss = -sum(math.log(_clip(p) if y else 1 - _clip(p)) for p, y in zip(ps, ys))
            assert s.log_loss == pytest.approx(loss / len(vs))
        ms = [r for r in member_rows if keep(r["date"])]
        for name in MEMBER_PREDICTORS:
            if not ms:
                continue
            col = MEMBER_COLUMNS[name]
            dists = [[0.25] * 4 if col is None else [r[f"{col}_{w}"] for w in WORDS] for r in ms]
            cast = [WORDS.index(r["vote"]) for r in ms]
            s = result.score("member", name, period)
            assert s.n == len(ms) and s.brier is None
            loss = -sum(math.log(max(d[v], EPS)) for d, v in zip(dists, cast)) / len(ms)
            assert s.log_loss == pytest.approx(loss)
            right = sum(int(np.argmax(d)) == v for d, v in zip(dists, cast))
            assert s.accuracy == pytest.approx(right / len(ms))


def test_scores_are_recomputed_from_the_tables_on_a_fixture():
    cutoff = dt.date(2019, 4, 15)
    result = backtest(votes=FIXTURE, cutoff=cutoff)
    _check_scores(result, cutoff)
    assert [r.id for r in result.votes] == [v.id for v in FIXTURE]
    assert result.score("vote", "model", f"before {cutoff}").n == 2  # V1 and the tally
    assert result.score("member", "model", f"before {cutoff}").n == 15  # V1 only


def test_scores_are_recomputed_from_the_tables_on_the_record():
    result = backtest()
    _check_scores(result, result.cutoff)
    table = format_table(result)
    assert "own frequency" in table and "calibration" in table


def test_one_row_per_recorded_vote_in_date_order_and_tally_rows_at_the_vote_level_only():
    result = backtest(votes=list(reversed(FIXTURE)))  # the input order does not matter
    assert [r.id for r in result.votes] == [v.id for v in FIXTURE]
    tally = result.votes[1]
    assert not tally.members_known and tally.actual == (9, 4, None, None)
    assert {m.id for m in result.members} == {v.id for v in FIXTURE if v.members_known}
    assert len(result.members) == 15 * 3
    real = backtest()
    assert [r.id for r in real.votes] == [v.id for v in RECORD]
    assert len(real.members) == sum(len(v.votes) for v in RECORD if v.members_known)


def test_a_row_is_the_prior_of_its_council_from_earlier_votes():
    result = backtest(votes=FIXTURE, alpha=1.5, half_life=3.0, rho=0.4)
    rv, row_ = FIXTURE[2], result.votes[2]  # V2, proposed by the Russian Federation
    found = priors(list(rv.votes), rv.date, proposed_by=rv.proposed_by, topic=rv.topic,
                   kind=rv.kind.value, record=Record.of(FIXTURE), alpha=1.5,
                   half_life=3.0)  # fmt: skip
    probs = np.array([p.probabilities for p in found])
    total = yes_distribution(probs, 0.4)
    assert row_.p_members == pytest.approx(float(total[9:].sum()))
    # The selection term: the camp's offset, fitted on the votes before, on the log-odds.
    assert row_.camp == "russia-china"
    assert row_.p_adopted == pytest.approx(shifted(row_.p_members, row_.offset, SLOPE))
    assert row_.expected == pytest.approx(tuple(probs.sum(0)))
    assert row_.predicted_yes == int(np.argmax(total)) and row_.actual == (4, 6, 5, 0)
    assert row_.p_base_rate == 1.0  # both earlier votes were adopted
    assert [m.model for m in result.members if m.id == rv.id] == [p.probabilities for p in found]


def test_future_votes_do_not_change_earlier_rows():
    before = backtest(votes=FIXTURE[:3])
    after = backtest(votes=FIXTURE)
    assert after.votes[:3] == before.votes and after.members[:30] == before.members
    n = len(RECORD) // 2
    assert backtest(votes=RECORD[:n]).votes == backtest().votes[:n]


def test_opposed_by_is_read_only_when_asked():
    plain = backtest(votes=FIXTURE)
    late = plain.votes[-1]
    unopposed = LATE.replace('"opposed_by": ["United States"]', '"opposed_by": []')
    without = backtest(votes=votes(V1, TALLY, V2, unopposed))
    assert without.votes[-1] == late  # opposed_by is ignored by default
    assert backtest(votes=FIXTURE, opposed=True).votes[-1] != late


def test_calibration_bins_hold_every_prediction():
    result = backtest(votes=FIXTURE)
    vote_bins = [b for b in result.calibration if b.level == "vote"]
    member_bins = [b for b in result.calibration if b.level == "member"]
    assert sum(b.n for b in vote_bins) == len(result.votes)
    assert sum(b.n for b in member_bins) == 4 * len(result.members)
    # Each vote-level bin: the mean prediction and adoption rate of the votes inside it.
    for b in vote_bins:
        inside = [r for r in result.votes if b.lo <= r.p_adopted < b.hi or r.p_adopted == b.hi == 1]
        assert b.n == len(inside)
        if inside:
            assert b.mean_predicted == pytest.approx(np.mean([r.p_adopted for r in inside]))
            assert b.observed == pytest.approx(np.mean([r.adopted for r in inside]))


def test_tune_picks_the_priors_then_p_adopted_on_votes_before_the_cutoff_only():
    cutoff = dt.date(2019, 6, 1)
    grid = {"half_lives": (0.5, math.inf), "topic_weights": (1.0, 4.0), "kind_weights": (1.0,),
            "rhos": (0.0, 0.5), "shrinks": (0.0, 1.0), "topic_alphas": (math.inf, 1.0),
            "slopes": (1.0, 0.5)}  # fmt: skip
    t = tune(votes=FIXTURE, cutoff=cutoff, **grid)
    first = [g for g in t.grid if g["step"] == "priors"]
    topical = [g for g in t.grid if g["step"] == "topic"]
    second = [g for g in t.grid if g["step"] == "P(adopted)"]
    assert len(first) == 4 and len(topical) == 2 and len(second) == 8
    # Each step holds what it does not choose at the neutral values, never the shipped ones.
    neutral = {"topic_alpha": math.inf, "rho": 0.0, "shrink": 0.0, "slope": 1.0}
    assert all(g[k] == v for g in first for k, v in neutral.items())
    assert all(g[k] == v for g in topical for k, v in neutral.items() if k != "topic_alpha")
    best = min(first, key=lambda g: g["member_log_loss"])
    assert (t.half_life, t.topic_weight) == (best["half_life"], best["topic_weight"])
    assert {(g["half_life"], g["topic_weight"]) for g in second} == {(t.half_life, t.topic_weight)}
    low = min(g["member_log_loss"] for g in topical)  # ties (within TIE) to the smallest alpha
    assert t.topic_alpha == min(g["topic_alpha"] for g in topical
                                if g["member_log_loss"] <= low + TIE)  # fmt: skip
    # rho, shrink and slope together; ties (within TIE) to the smallest rho.
    low = min(g["vote_log_loss"] for g in second)
    near = [g for g in second if g["vote_log_loss"] <= low + TIE]
    assert t.rho == min(g["rho"] for g in near)
    last = min((g for g in near if g["rho"] == t.rho), key=lambda g: g["vote_log_loss"])
    assert (t.shrink, t.slope) == (last["shrink"], last["slope"])
    check = backtest(votes=FIXTURE[:3], half_life=t.half_life, topic_weight=t.topic_weight,
                     kind_weight=t.kind_weight, rho=t.rho, shrink=t.shrink, slope=t.slope,
                     topic_alpha=t.topic_alpha)  # fmt: skip
    assert last["vote_log_loss"] == pytest.approx(check.score("vote", "model").log_loss)
    assert last["votes"] == 3 and last["member_votes"] == 30
    # A vote after the cut-off cannot change the choice.
    later = votes(V1, TALLY, V2, LATE, row("2019-09-01", EAST, WEST, slug="x"))
    assert tune(votes=later, cutoff=cutoff, **grid) == t
    with pytest.raises(ValueError, match="no recorded vote with member lists before"):
        tune(votes=FIXTURE, cutoff=dt.date(2019, 1, 1))


def test_the_selection_term_and_topic_weights_are_leave_future_out():
    # Every constant switched on: a later vote (adopted against the odds, on the same topic,
    # of the same camp) changes no earlier row, and no earlier offset.
    constants = {"topic_weight": 4.0, "kind_weight": 2.0, "shrink": 1.0, "rho": 0.3,
                 "topic_alpha": 1.0, "slope": 0.5}  # fmt: skip
    surprise = row("2019-09-01", EAST, WEST, slug="surprise", proposed_by=["Russian Federation"],
                   adopted=True, counts={"yes": 9, "no": 6})  # fmt: skip
    before = backtest(votes=FIXTURE, **constants)
    after = backtest(votes=votes(V1, TALLY, V2, LATE, surprise), **constants)
    assert after.votes[:4] == before.votes and after.members == before.members
    assert [r.offset for r in after.votes[:4]] == [r.offset for r in before.votes]
    # On the record: the first half predicted alone equals the first half of the whole.
    n = len(RECORD) // 2
    assert backtest(votes=RECORD[:n], **constants).votes == backtest(**constants).votes[:n]


def test_the_selection_offset_follows_the_earlier_outcomes_of_the_camp():
    from unsc_sim.record.selection import Evidence, fit

    day = dt.date(2020, 1, 1)
    won = [Evidence(dt.date(2010, 1, k).toordinal(), "west", True, 0.5) for k in range(1, 11)]
    lost = [Evidence(dt.date(2010, 1, k).toordinal(), "west", False, 0.5) for k in range(1, 11)]
    assert fit(won, day, "west", 1.0).value > 0 > fit(lost, day, "west", 1.0).value
    assert fit(won, day, "west", 0.25).value < fit(won, day, "west", 4.0).value  # shrunk
    assert fit(won, day, "russia-china", 1.0).value == 0  # another camp's votes do not count
    assert fit(won, dt.date(2010, 1, 1), "west", 1.0).votes == 0  # none before the day


@pytest.mark.parametrize("rho", [0.0, 0.3, 0.9])
def test_correlated_yes_distribution_matches_the_monte_carlo_bloc(rho):
    from unsc_sim.engine.simulation import simulate

    from ..helpers import random_probs, scenario_from

    probs = random_probs(7)
    total = yes_distribution(probs, rho)
    assert total.sum() == pytest.approx(1.0) and len(total) == 16
    assert total @ np.arange(16) == pytest.approx(probs[:, 0].sum(), abs=1e-6)
    blocs = [(range(15), rho)] if rho else []
    r = simulate(scenario_from(probs, blocs=blocs), method="montecarlo", trials=400_000, seed=5)
    assert abs(r.p_adopted - total[9:].sum()) < 4 * r.p_adopted_se + 1e-9


def test_a_council_moving_as_one_adopts_with_the_ninth_likeliest_yes():
    probs = np.array([[p, 1 - p, 0, 0] for p in np.linspace(0.05, 0.95, 15)])
    total = yes_distribution(probs, 1.0)
    ninth = sorted(probs[:, 0], reverse=True)[8]
    assert total[9:].sum() == pytest.approx(ninth)
    assert total[9:].sum() == pytest.approx(yes_distribution(probs, 0.999)[9:].sum(), abs=0.01)
    assert yes_distribution(probs, 0.0) == pytest.approx(
        distributions(probs, np.zeros(15, dtype=bool))[0]
    )
    with pytest.raises(ValueError, match="rho"):
        yes_distribution(probs, 1.5)


def test_to_frame():
    frame = backtest(votes=FIXTURE).to_frame()
    assert list(frame["id"]) == [v.id for v in FIXTURE]
    assert {"p_adopted", "expected_yes", "yes", "proposed_by"} <= set(frame.columns)


def test_the_shipped_constants_are_the_ones_tuned_on_the_record_before_the_cutoff(tuned):
    # When the record changes, rerun `unsc-sim backtest --tune`, then update the constants
    # in priors.py and the README's model section.
    from unsc_sim.record import priors as p

    got = (tuned.half_life, tuned.topic_weight, tuned.kind_weight, tuned.topic_alpha, tuned.rho,
           tuned.shrink, tuned.slope)  # fmt: skip
    assert got == (p.HALF_LIFE, p.TOPIC_WEIGHT, p.KIND_WEIGHT, p.TOPIC_ALPHA, p.RHO, p.SHRINK,
                   p.SLOPE)  # fmt: skip


def test_the_readme_table_is_what_the_backtest_command_gives():
    # README numbers come from `unsc-sim backtest`: when the record changes, rerun it and
    # update the table (and the figures quoted around it).
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = text.index("vote level: Brier / log loss")
    block = text[start : text.index("```", start)].splitlines()
    names = {"base rate so far": "base rate"}
    got = backtest().scores
    by = {(s.level, s.predictor, s.period): s for s in got}
    periods = ("from 2000-01-01", "before 2000-01-01", "all")  # the hold-out first
    level = "vote"
    for line in block:
        if line.startswith("member level"):
            level = "member"
        if not line.startswith("  "):
            counts = [int(n) for n in re.findall(r"\((\d+)", line)]
            assert counts == [by[level, "model", p].n for p in periods], line
            continue
        label, _, rest = line.strip().partition("  ")
        pairs = re.findall(r"(\d\.\d{3}) / (\d\.\d{3})", rest)
        for period, (first, second) in zip(periods, pairs, strict=True):
            s = by[level, names.get(label, label), period]
            want = (s.brier, s.log_loss) if level == "vote" else (s.log_loss, s.accuracy)
            assert (first, second) == tuple(f"{x:.3f}" for x in want), (line, period)
