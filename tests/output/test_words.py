"""The verdict never lets P(adopted) and the expected yes count tell opposite stories silently."""

import numpy as np
import pytest

from unsc_sim import RuleKind, simulate
from unsc_sim.output import words

from ..helpers import random_probs, scenario_from

SURE_YES, SURE_NO = [1.0, 0.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0]


def all_or_nothing(sure_yes: int, p_yes: float):
    """``sure_yes`` sure yes votes, then a bloc of seven at correlation 1 voting yes with
    ``p_yes`` (else no), the rest sure no: the yes count is sure_yes or sure_yes + 7."""
    probs = [SURE_YES] * sure_yes + [[p_yes, 1 - p_yes, 0.0, 0.0]] * 7
    probs += [SURE_NO] * (15 - len(probs))
    bloc = list(range(sure_yes, sure_yes + 7))
    return simulate(scenario_from(np.array(probs), blocs=[(bloc, 1.0)]))


def disagree(r) -> bool:
    t, expected = r.rule.threshold, r.expected["yes"]
    return (expected < t - 0.5 and r.p_adopted > 0.5) or (expected >= t - 0.5 and r.p_adopted < 0.5)


def test_a_likely_motion_with_a_low_expected_count_says_why():
    r = all_or_nothing(4, 0.6)  # 4 or 11 yes: expected 8.2, P(adopted) 0.6
    assert r.expected["yes"] == pytest.approx(8.2) and r.p_adopted == pytest.approx(0.6)
    assert "The expected count is below 9 but most outcomes reach it (median 11 yes)" in (
        words.verdict(r)
    )


def test_an_unlikely_motion_with_a_high_expected_count_says_why():
    r = all_or_nothing(8, 0.1)  # 8 or 15 yes: expected 8.7, P(adopted) 0.1
    assert r.expected["yes"] == pytest.approx(8.7) and r.p_adopted == pytest.approx(0.1)
    assert "The expected count reaches 9 but most outcomes fall short (median 8 yes)" in (
        words.verdict(r)
    )


def test_a_veto_that_decides_against_a_count_that_reaches_the_threshold_is_said():
    probs = np.array([[0.4, 0.6, 0.0, 0.0]] + [SURE_YES] * 14)  # the first is permanent
    r = simulate(scenario_from(probs, rule=RuleKind.SUBSTANTIVE))
    assert r.expected["yes"] >= 8.5 and r.p_adopted < 0.5
    assert "a permanent member's veto decides it" in words.verdict(r)


def test_words_exactly_when_the_two_disagree():
    """Random Councils, some with one bloc at correlation 1 (lopsided counts): the verdict
    explains exactly the results whose P(adopted) and expected count disagree."""
    said = silent = 0
    for seed in range(60):
        rng = np.random.default_rng(seed)
        probs = random_probs(seed, sure=int(rng.integers(0, 8)))
        size = int(rng.integers(3, 10))
        members = rng.permutation(15)[:size]
        if seed % 2:  # the bloc's members vote yes or no together
            p = rng.random()
            probs[members] = [p, 1 - p, 0.0, 0.0]
        r = simulate(scenario_from(probs, blocs=[(sorted(members.tolist()), 1.0)]))
        if r.decision is not None or r.p_adopted in (0.0, 1.0):
            continue
        assert (words.skew_text(r) != "") == disagree(r), seed
        said += disagree(r)
        silent += not disagree(r)
    assert said and silent  # both kinds occurred
