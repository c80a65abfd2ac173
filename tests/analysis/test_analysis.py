"""Swing, what it takes, and sweeps: exact answers checked by independent computations."""

import itertools
import math

import numpy as np
import pytest

from unsc_sim import RuleKind, Stance, simulate
from unsc_sim.analysis import Side, sweep, swing, what_it_takes, with_p_yes

from ..helpers import random_probs, scenario_from


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


def test_swing_of_sure_votes_is_the_pivotal_list(dec2018_sure):
    for name in ("baseline", "ivory-coast-yes", "ivory-coast-yes-kuwait-abstains"):
        rows = swing(dec2018_sure, name).rows
        pivotal = set(simulate(dec2018_sure, name).pivotal)
        assert {r.member for r in rows if r.swing == 1.0} == pivotal
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


def test_what_it_takes_in_december_2018(dec2018_sure):
    dec2018 = dec2018_sure
    supporters = what_it_takes(dec2018)
    assert supporters.certain_size == 1
    assert ("Côte d'Ivoire",) in [m.members for m in supporters.certain]
    opponents = what_it_takes(dec2018, "ivory-coast-yes", side=Side.BLOCK, limit=15)
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
    from unsc_sim.analysis.power import council_game, power_indices

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


def test_what_it_takes_ranks_the_nearest_members_first(dec2018):
    """Not "win over China" for a DPRK human-rights meeting: abstainers are one step away."""
    result = what_it_takes(dec2018)
    order = [m.members for m in result.certain]
    assert order[:3] == [("Côte d'Ivoire",), ("Equatorial Guinea",), ("Ethiopia",)]
    assert result.best[0].members == ("Côte d'Ivoire",)
    every = what_it_takes(dec2018, limit=10).certain
    assert [m.members[0] for m in every][-2:] == ["China", "Russian Federation"]  # hardest last
    # Kazakhstan is not a sure move: given the reports it may be one of the eight already
    assert [m.effort for m in every] == [1, 1, 1, 2, 3, 3]
    assert "Kazakhstan" not in [m.members[0] for m in every]


def test_effort_counts_steps_and_weights_uncertain_stances():
    from unsc_sim import Member
    from unsc_sim.analysis import effort

    def member(stance, *, permanent=False, persuadable=1.0):
        return Member("X", stance, permanent=permanent, persuadable=persuadable)

    assert effort(member(Stance.sure("abstain")), Side.PASS) == 1
    assert effort(member(Stance.sure("absent")), Side.PASS) == 1
    assert effort(member(Stance.sure("no")), Side.PASS) == 2
    assert effort(member(Stance.sure("no"), permanent=True), Side.PASS) == 3
    assert effort(member(Stance.sure("abstain"), permanent=True), Side.PASS) == 1
    assert effort(member(Stance.sure("yes"), permanent=True), Side.BLOCK) == 3
    assert effort(member(Stance.sure("yes")), Side.PASS) == 0
    mixed = Stance.of({"yes": 0.5, "no": 0.25, "abstain": 0.25})  # from no (2) or abstain (1)
    assert effort(member(mixed), Side.PASS) == pytest.approx(1.5)
    assert effort(member(Stance.sure("no"), persuadable=0.5), Side.PASS) == 4
    assert effort(member(Stance.sure("no"), persuadable=0.0), Side.PASS) == math.inf


def test_equal_steps_are_ranked_by_the_members_own_probability_not_list_order():
    probs = np.tile([1.0, 0.0, 0.0, 0.0], (15, 1))
    probs[[1, 4, 5, 6, 7, 8, 9]] = [0.0, 0.0, 1.0, 0.0]  # 8 yes, 7 sure abstentions
    probs[7] = [0.1, 0.0, 0.9, 0.0]  # Equatorial Guinea: a little likely to say yes
    probs[8] = [0.3, 0.0, 0.7, 0.0]  # Ethiopia: more likely (and later in the list)
    s = scenario_from(probs)
    result = what_it_takes(s, limit=3)
    assert [m.members for m in result.certain] == [
        ("Ethiopia",),
        ("Equatorial Guinea",),
        ("Bolivia",),
    ]
    assert result.best[0].members == ("Ethiopia",)
    assert result.certain_total == 7 and result.more == 4


def test_members_that_will_not_move_are_left_out(dec2018):
    from dataclasses import replace

    result = what_it_takes(dec2018, never=["Ivory Coast", "Ethiopia"])
    assert result.never == ("Côte d'Ivoire", "Ethiopia")
    assert result.certain[0].members == ("Equatorial Guinea",) and result.certain_total == 4
    stubborn = replace(dec2018.member("Equatorial Guinea"), persuadable=0.0)
    members = tuple(stubborn if m.name == stubborn.name else m for m in dec2018.members)
    result = what_it_takes(replace(dec2018, members=members), never=["Côte d'Ivoire"])
    seven = {"United Kingdom", "France", "Netherlands", "Sweden", "Poland", "Peru", "Kuwait"}
    assert {c.member for c in result.candidates} == {
        "China",
        "Russian Federation",
        "Bolivia",
        "Kazakhstan",
        "Ethiopia",
    } | seven  # fmt: skip  (the seven: yes 0.94 given the reports, so not yet sure)
    from unsc_sim import ScenarioError

    with pytest.raises(ScenarioError, match="'Germany' is not a member"):
        what_it_takes(dec2018, never=["Germany"])


def test_an_outcome_already_certain_has_nothing_to_do(dec2018_sure):
    dec2018 = dec2018_sure
    result = what_it_takes(dec2018, side=Side.BLOCK)  # eight votes: it fails already
    assert result.already and result.best == () and result.certain == ()
    assert [r["kind"] for r in result.to_records()] == ["already"]
    assert what_it_takes(dec2018, "ivory-coast-yes", side=Side.PASS).already
    assert not what_it_takes(dec2018, "ivory-coast-yes", side=Side.BLOCK).already


@pytest.mark.parametrize("seed", range(6))
def test_the_easiest_certain_sets_are_those_of_the_full_ranking(seed):
    """Only the sets that can be among the --limit easiest become moves: the same as
    ranking every set that makes the outcome certain."""
    s = scenario_from(random_probs(seed))
    for side in ("pass", "block"):
        full = what_it_takes(s, side=side, limit=10**6, max_best=0)
        for limit in (1, 3, 5):
            few = what_it_takes(s, side=side, limit=limit, max_best=0)
            assert few.certain == full.certain[:limit]
            assert few.certain_total == full.certain_total
