"""Result: the veto, P(vetoed) and "pivotal", one definition for sure and uncertain variants."""

import itertools

import numpy as np
import pytest

from unsc_sim import RuleKind, Stance, simulate
from unsc_sim.charter import decide, pivots
from unsc_sim.model import VOTES
from unsc_sim.output import words

from ..helpers import NAMES, random_probs, scenario_from

SURE = np.eye(4)  # rows: yes, no, abstain, absent


def adopted_14_0_1():
    probs = np.tile(SURE[0], (15, 1))
    probs[1] = SURE[2]  # China abstains
    return scenario_from(probs, rule=RuleKind.SUBSTANTIVE)


def test_an_adopted_substantive_motion_lists_its_veto_players():
    r = simulate(adopted_14_0_1())
    assert r.decision.adopted
    assert r.pivotal == NAMES[:5] and r.veto_players == NAMES[:5]
    record = r.to_record()
    assert record["veto_players"] == list(NAMES[:5])
    assert {w["member"]: w["veto"] for w in record["pivotal_why"]} == dict.fromkeys(NAMES[:5], True)
    assert record["pivotal_why"][1]["why"] == 'its "no" would veto it'


def test_a_vetoed_row_has_no_margin_and_names_the_veto():
    s = adopted_14_0_1()
    r = simulate(s, changes={"China": Stance.sure("no")})
    record = r.to_record()
    assert record["adopted"] is False and record["outcome"] == "vetoed"
    assert record["margin"] is None and record["vetoed_by"] == ["China"]
    assert record["p_vetoed"] == 1.0 and record["p_adopted"] == 0.0


@pytest.mark.parametrize("seed", range(6))
def test_p_adopted_vetoed_and_short_add_up_by_enumeration(seed):
    # Five members uncertain (two permanent), the rest sure: enumerate the 4^5 profiles.
    probs = np.tile(SURE[0], (15, 1))
    rng = np.random.default_rng(seed)
    uncertain = [0, 3, 6, 7, 8]
    probs[uncertain] = rng.dirichlet(np.ones(4), size=5)
    probs[9:12] = SURE[2]  # three sure abstentions bring the count near the threshold
    s = scenario_from(probs, rule=RuleKind.SUBSTANTIVE)
    r = simulate(s)
    permanent = set(NAMES[:5])
    want = {"adopted": 0.0, "vetoed": 0.0, "not adopted": 0.0}
    sure = {NAMES[i]: VOTES[int(np.argmax(probs[i]))] for i in range(15) if i not in uncertain}
    for profile in itertools.product(range(4), repeat=5):
        p = np.prod([probs[i, v] for i, v in zip(uncertain, profile)])
        votes = sure | {NAMES[i]: VOTES[v] for i, v in zip(uncertain, profile)}
        want[decide(votes, s.rule, permanent).outcome.value] += p
    assert r.p_adopted == pytest.approx(want["adopted"], abs=1e-12)
    assert r.p_vetoed == pytest.approx(want["vetoed"], abs=1e-12)


@pytest.mark.parametrize("rule", list(RuleKind))
@pytest.mark.parametrize("seed", range(20))
def test_pivotal_means_the_same_for_sure_and_uncertain_variants(rule, seed):
    """With sure votes P(its vote decides) is 1 exactly for the pivots of the rules."""
    rng = np.random.default_rng(seed)
    probs = SURE[rng.integers(0, 4, size=15)]
    probs[rng.choice(15, size=9, replace=False)] = SURE[0]  # near the threshold
    r = simulate(scenario_from(probs, rule=rule))
    votes = {m.name: m.stance.vote for m in r.members}
    want = pivots(votes, r.rule, set(NAMES[:5]))
    assert r.pivots == want
    assert {m.name for m, p in zip(r.members, r.pivot) if p == 1.0} == {p.member for p in want}
    assert set(r.pivot) <= {0.0, 1.0}
    vetoes = {m.name for m, q in zip(r.members, r.veto_pivot) if q == 1.0}
    assert vetoes == {p.member for p in want if p.veto}


def test_uncertain_pivots_are_p_yes_minus_p_no_at_least_one_half():
    s = scenario_from(random_probs(3, sure=6), rule=RuleKind.SUBSTANTIVE)
    r = simulate(s)
    assert r.decision is None
    for m, p in zip(s.members, r.pivot):
        yes = simulate(s, changes={m.name: Stance.sure("yes")}).p_adopted
        no = simulate(s, changes={m.name: Stance.sure("no")}).p_adopted
        assert p == pytest.approx(yes - no, abs=1e-12)
    assert r.pivotal == tuple(m.name for m, p in zip(s.members, r.pivot) if p >= 0.5)
    # The engine gives numbers; the words are the output layer's.
    assert all(w["why"] is None for w in r.to_record()["pivotal_why"])
    whys = [w["why"] for w in words.record(r)["pivotal_why"]]
    assert whys == [f"P(its vote decides) = {p:.2f}" for p in r.pivot if p >= 0.5]


def test_pivot_probabilities_say_when_they_ignore_blocs():
    probs = random_probs(3, sure=6)
    s = scenario_from(probs)
    assert simulate(s).pivot_note == "" and simulate(s).to_record()["pivot_note"] is None
    integrable = scenario_from(probs, blocs=[([0, 1], 0.5)])  # the exact engine takes it
    assert simulate(integrable).pivot_note == ""
    # Four blocs with correlated factors are beyond the exact engine: sampled, and the pivot
    # probabilities (computed exactly) take the members as independent, and say so.
    beyond = scenario_from(
        probs,
        blocs=[([0, 1], 0.5), ([2, 3], 0.5), ([4, 5], 0.5), ([6, 7], 0.5)],
        between=[(0, 1, 0.2), (1, 2, 0.2), (2, 3, 0.2)],
    )
    sampled = simulate(beyond, trials=2_000, seed=1)
    assert sampled.method.value == "montecarlo"
    assert "ignores the blocs" in sampled.pivot_note
    assert sampled.to_record()["pivot_note"] == sampled.pivot_note
