"""The exact engine against brute-force enumeration of every vote profile."""

import itertools

import numpy as np
import pytest

from unsc_sim.engine.exact import distributions, p_adopted
from unsc_sim.model import Rule, RuleKind


def brute_force(probs, permanent):
    """Enumerate all 4^n profiles (slow, obviously right)."""
    n = len(probs)
    total, clean = np.zeros(n + 1), np.zeros(n + 1)
    for profile in itertools.product(range(4), repeat=n):
        p = np.prod([probs[i, v] for i, v in enumerate(profile)])
        yes = profile.count(0)
        total[yes] += p
        if not any(v == 1 and permanent[i] for i, v in enumerate(profile)):
            clean[yes] += p
    return total, clean


@pytest.mark.parametrize("seed", range(5))
def test_small_council_matches_enumeration(seed):
    rng = np.random.default_rng(seed)
    probs = rng.dirichlet(np.ones(4), size=6)
    probs[rng.integers(0, 6)] = [0, 1, 0, 0]  # include a sure vote
    permanent = np.array([True, True, False, False, False, False])
    total, clean = distributions(probs, permanent)
    want_total, want_clean = brute_force(probs, permanent)
    np.testing.assert_allclose(total, want_total, atol=1e-12)
    np.testing.assert_allclose(clean, want_clean, atol=1e-12)


def test_full_council_matches_enumeration():
    # 15 members: permanent ones in 3 states (yes, no, other), elected in 2 (yes, other).
    rng = np.random.default_rng(15)
    probs = rng.dirichlet(np.ones(4), size=15)
    permanent = np.arange(15) < 5
    states = [range(3)] * 5 + [range(2)] * 10
    profiles = np.array(list(itertools.product(*states)))
    p_state = np.where(
        profiles == 0,
        probs[:, 0],
        np.where(
            profiles == 1,
            np.where(permanent, probs[:, 1], 1 - probs[:, 0]),
            1 - probs[:, 0] - probs[:, 1],
        ),
    )
    weight = p_state.prod(axis=1)
    yes = (profiles == 0).sum(axis=1)
    veto = ((profiles == 1) & permanent).any(axis=1)
    want_total = np.bincount(yes, weights=weight, minlength=16)
    want_clean = np.bincount(yes[~veto], weights=weight[~veto], minlength=16)
    total, clean = distributions(probs, permanent)
    np.testing.assert_allclose(total, want_total, atol=1e-12)
    np.testing.assert_allclose(clean, want_clean, atol=1e-12)
    sub = Rule(RuleKind.SUBSTANTIVE)
    assert p_adopted(probs, permanent, sub) == pytest.approx(want_clean[9:].sum(), abs=1e-12)


def test_batch_equals_one_at_a_time():
    rng = np.random.default_rng(7)
    batch = rng.dirichlet(np.ones(4), size=(4, 3, 15))
    permanent = np.arange(15) < 5
    rule = Rule(RuleKind.SUBSTANTIVE)
    got = p_adopted(batch, permanent, rule)
    assert got.shape == (4, 3)
    for i, j in itertools.product(range(4), range(3)):
        assert got[i, j] == pytest.approx(p_adopted(batch[i, j], permanent, rule), abs=1e-14)


def test_sure_votes_give_a_point_mass():
    probs = np.zeros((15, 4))
    probs[:9, 0] = 1
    probs[9:, 2] = 1
    total, _ = distributions(probs, np.zeros(15, bool))
    assert total[9] == 1.0 and total.sum() == 1.0
