"""The sampling engine against the exact one, and the bloc model's promises."""

import numpy as np
import pytest

from unsc_sim import RuleKind, simulate
from unsc_sim.engine.montecarlo import sample

from ..helpers import random_probs, scenario_from


@pytest.mark.parametrize("rule", list(RuleKind))
@pytest.mark.parametrize("seed", range(4))
def test_montecarlo_agrees_with_exact_within_four_standard_errors(rule, seed):
    s = scenario_from(random_probs(seed, sure=3), rule=rule)
    exact = simulate(s, method="exact")
    sampled = simulate(s, method="montecarlo", trials=200_000, seed=seed)
    assert abs(sampled.p_adopted - exact.p_adopted) <= 4 * max(sampled.p_adopted_se, 1e-4)
    se = np.sqrt(exact.total * (1 - exact.total) / sampled.trials)
    assert np.all(np.abs(sampled.total - exact.total) <= 4 * se + 1e-4)
    assert sampled.p_veto == pytest.approx(exact.p_veto, abs=4 * np.sqrt(0.25 / 200_000) + 1e-4)


@pytest.mark.parametrize("method", ["exact", "montecarlo"])
def test_both_engines_give_sure_outcomes_exactly(dec2018_sure, method):
    s = dec2018_sure
    assert simulate(s, method=method, trials=5_000, seed=1).p_adopted == 0.0
    assert simulate(s, "ivory-coast-yes", method=method, trials=5_000, seed=1).p_adopted == 1


def test_same_seed_same_numbers_other_seed_others():
    s = scenario_from(random_probs(1))
    a = simulate(s, method="montecarlo", trials=50_000, seed=7)
    b = simulate(s, method="montecarlo", trials=50_000, seed=7)
    c = simulate(s, method="montecarlo", trials=50_000, seed=8)
    assert np.array_equal(a.total, b.total) and a.seed == 7
    assert not np.array_equal(a.total, c.total)


def test_blocs_keep_each_members_probabilities():
    probs = random_probs(3)
    bloc = ([0, 2, 3, 11, 14], 0.8)
    permanent = np.arange(15) < 5
    s = sample(probs, permanent, blocs=[bloc], trials=400_000, seed=3)
    mean_yes = (np.arange(16) * s.total).sum() / s.trials
    # Each member keeps its P(yes), so E[yes count] is unchanged by the correlation.
    sd = np.sqrt((np.arange(16) ** 2 * s.total).sum() / s.trials - mean_yes**2)
    assert mean_yes == pytest.approx(probs[:, 0].sum(), abs=4 * sd / np.sqrt(s.trials))


def test_correlation_moves_votes_together():
    probs = np.tile([0.5, 0.0, 0.5, 0.0], (15, 1))
    permanent = np.zeros(15, bool)
    members = list(range(6))
    spread = {}
    for r in (0.0, 0.5, 1.0):
        s = sample(probs, permanent, blocs=[(members, r)], trials=100_000, seed=11)
        k = np.arange(16)
        mean = (k * s.total).sum() / s.trials
        spread[r] = (k**2 * s.total).sum() / s.trials - mean**2
    assert spread[0.0] < spread[0.5] < spread[1.0]
    assert spread[0.0] == pytest.approx(15 * 0.25, rel=0.03)  # independent: binomial variance
    # Fully correlated: the six move as one, so var = 9 * 0.25 + 36 * 0.25.
    assert spread[1.0] == pytest.approx(9 * 0.25 + 36 * 0.25, rel=0.03)


def test_auto_integrates_blocs_exactly_and_montecarlo_samples_them():
    s = scenario_from(random_probs(2), blocs=[([0, 1], 0.5)])
    assert simulate(s).method.value == "exact"
    sampled = simulate(s, method="montecarlo", trials=1000, seed=1)
    assert sampled.method.value == "montecarlo" and sampled.trials == 1000


def test_memory_stays_bounded_by_chunks():
    probs = random_probs(4)
    s = sample(probs, np.zeros(15, bool), trials=10_001, seed=5, chunk=1_000)
    assert s.total.sum() == 10_001
