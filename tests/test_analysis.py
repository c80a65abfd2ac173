"""Swing, what it takes, and sweeps: exact answers checked by independent computations."""

import itertools
import math

import numpy as np
import pytest

from unsc_sim import RuleKind, simulate
from unsc_sim.analysis import Side, sweep, swing, what_it_takes, with_p_yes

from .helpers import random_probs, scenario_from


@pytest.mark.parametrize("rule", list(RuleKind))
def test_swing_is_the_derivative_of_p_adopted(rule):
    s = scenario_from(random_probs(5, sure=2), rule=rule)
    rows = {r.member: r for r in swing(s).rows}
    h = 1e-6
    for m in s.members:
        if m.stance.yes in (0.0, 1.0):
            continue
        up = s.with_stances({m.name: with_p_yes(m.stance, m.stance.yes + h)})
        down = s.with_stances({m.name: with_p_yes(m.stance, m.stance.yes - h)})
        derivative = (simulate(up).p_adopted - simulate(down).p_adopted) / (2 * h)
        assert rows[m.name].swing == pytest.approx(derivative, abs=1e-6)


def test_swing_of_sure_votes_is_the_pivotal_list(dec2018):
    for name in ("baseline", "ivory-coast-yes", "ivory-coast-yes-kuwait-abstains"):
        rows = swing(dec2018, name).rows
        assert {r.member for r in rows if r.swing == 1.0} == set(simulate(dec2018, name).pivotal)
        assert all(r.swing in (0.0, 1.0) for r in rows)


def brute_force_banzhaf(rule: RuleKind) -> np.ndarray:
    """Swings over all 2^15 yes/no profiles, divided by 2^14 (absolute Banzhaf)."""
    swings = np.zeros(15)
    for profile in itertools.product((0, 1), repeat=15):
        yes = sum(profile)
        for i in range(15):
            if not profile[i]:
                continue
            others_veto = rule is RuleKind.SUBSTANTIVE and any(not profile[j] for j in range(5))
            wins_with = yes >= 9 and not others_veto
            vetoes = rule is RuleKind.SUBSTANTIVE and i < 5
            wins_without = yes - 1 >= 9 and not others_veto and not vetoes
            swings[i] += wins_with and not wins_without
    return swings / 2**14


@pytest.mark.parametrize("rule", list(RuleKind))
def test_pivot_probability_at_one_half_is_absolute_banzhaf(rule):
    s = scenario_from(np.tile([0.5, 0.5, 0.0, 0.0], (15, 1)), rule=rule)
    got = {r.member: r.p_pivotal for r in swing(s).rows}
    want = brute_force_banzhaf(rule)
    np.testing.assert_allclose([got[n] for n in s.names], want, atol=1e-12)
    if rule is RuleKind.PROCEDURAL:
        assert want[0] == pytest.approx(math.comb(14, 8) / 2**14)


def test_what_it_takes_in_december_2018(dec2018):
    supporters = what_it_takes(dec2018)
    assert supporters.certain_size == 1
    assert ("Côte d'Ivoire",) in [m.members for m in supporters.certain]
    opponents = what_it_takes(dec2018, "ivory-coast-yes", side=Side.BLOCK)
    assert opponents.certain_size == 1
    assert {m.members[0] for m in opponents.certain} == {
        r.member for r in swing(dec2018, "ivory-coast-yes").rows if r.swing == 1.0
    }


@pytest.mark.parametrize("side", list(Side))
def test_best_moves_match_exhaustive_search(side):
    s = scenario_from(random_probs(9, sure=4), rule=RuleKind.SUBSTANTIVE)
    result = what_it_takes(s, side=side, max_best=2)
    target = "yes" if side is Side.PASS else "no"
    column = 0 if side is Side.PASS else 1
    candidates = [m.name for m in s.members if m.stance.probabilities[column] < 1.0]
    pick = max if side is Side.PASS else min
    from unsc_sim import Stance

    for k, move in enumerate(result.best, start=1):
        values = [
            simulate(s.with_stances({n: Stance.sure(target) for n in combo})).p_adopted
            for combo in itertools.combinations(candidates, k)
        ]
        assert move.p_adopted == pytest.approx(pick(values), abs=1e-12)


def test_sweep_endpoints_and_monotone(dec2018):
    result = sweep(dec2018, ["Côte d'Ivoire"], hypothetical="held-anyway", steps=21)
    p = result.p_adopted
    assert np.all(np.diff(p) >= -1e-12)
    ivory = dec2018.variant("held-anyway").member("Côte d'Ivoire").stance
    for p_yes, got in ((0.0, p[0]), (1.0, p[-1])):
        want = simulate(dec2018, "held-anyway", changes={"Côte d'Ivoire": with_p_yes(ivory, p_yes)})
        assert got == pytest.approx(want.p_adopted, abs=1e-12)
    two = sweep(dec2018, ["Côte d'Ivoire", "Ethiopia"], hypothetical="held-anyway", steps=3)
    assert len(two.to_records()) == 9


@pytest.mark.parametrize("rule", list(RuleKind))
def test_scenario_pivot_probabilities_equal_the_power_module(rule):
    from unsc_sim.power import council_game, power_indices

    s = scenario_from(np.tile([0.5, 0.5, 0.0, 0.0], (15, 1)), rule=rule)
    got = {r.member: r.p_pivotal for r in swing(s).rows}
    want = power_indices(council_game(rule)).banzhaf_absolute
    np.testing.assert_allclose([got[n] for n in s.names], want, atol=1e-12)


def test_analyses_with_blocs_at_zero_correlation_are_the_independent_ones():
    probs = random_probs(12, sure=3)
    independent = scenario_from(probs)
    blocs = scenario_from(probs, blocs=[([0, 2, 3, 11], 0.0)])
    exact_rows = {r.member: r.swing for r in swing(independent).rows}
    with_blocs = swing(blocs)
    assert with_blocs.method == "exact"
    assert {r.member: r.swing for r in with_blocs.rows} == exact_rows
    best = what_it_takes(blocs, max_best=1).best[0]
    assert best == what_it_takes(independent, max_best=1).best[0]
