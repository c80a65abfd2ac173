"""Work bounds (issue 24): near-singular blocs are rotated or refused, never ground through.

Each case used to run for minutes (or hang); the engine now estimates the work of every
axis of a component before integrating and rotates two nearly dependent factors.
"""

from __future__ import annotations

import numpy as np
import pytest

from unsc_sim import RuleKind, simulate
from unsc_sim.analysis import swing
from unsc_sim.engine import quadrature as quad
from unsc_sim.engine.choose import arrays
from unsc_sim.engine.latent import factors_of
from unsc_sim.engine.montecarlo import sample
from unsc_sim.engine.plan import MAX_WORK, plan

from .helpers import random_probs, scenario_from


def two_blocs(between: float, r: float = 0.8):
    probs = random_probs(11, sure=1)
    blocs = [([0, 2, 3, 11, 13], r), ([1, 4, 5, 9], 0.7)]
    return scenario_from(probs, rule=RuleKind.SUBSTANTIVE, blocs=blocs, between=[(0, 1, between)])


@pytest.mark.parametrize("between", [-0.9999, 0.99999, -0.99999, 0.9999999, 0.999])
def test_near_dependent_pair_is_rotated_and_agrees_with_sampling(between):
    s = two_blocs(between)
    result = simulate(s)
    assert result.method.value == "exact"
    probs, permanent = arrays(s)
    f = factors_of(s)
    trials = 400_000
    m = sample(probs, permanent, blocs=f.blocs, between=f.correlation, trials=trials, seed=3)
    for exact, count in ((result.total, m.total), (result.clean, m.clean)):
        se = np.sqrt(np.maximum(exact * (1 - exact), 1 / trials) / trials)
        assert (np.abs(count / trials - exact) / se).max() < 4


def test_rotation_is_what_the_plan_does_for_a_near_dependent_pair():
    f = factors_of(two_blocs(0.9999))
    (component,) = plan(f, 15).components
    assert component.rotation is not None
    assert component.work() < MAX_WORK


def test_three_near_dependent_blocs_are_refused_with_an_estimate():
    probs = random_probs(4)
    blocs = [([0, 1, 2], 0.99), ([3, 4, 5], 0.99), ([6, 7, 8], 0.99)]
    between = [(0, 1, 0.9999), (0, 2, 0.9999), (1, 2, 0.9999)]
    s = scenario_from(probs, rule=RuleKind.SUBSTANTIVE, blocs=blocs, between=between)
    reason = quad.why_not(factors_of(s))
    assert reason is not None and "s per configuration" in reason
    assert simulate(s, trials=20_000, seed=1).method.value == "montecarlo"


def test_the_work_estimate_counts_every_axis():
    probs = random_probs(4)
    blocs = [([0, 1, 2], 0.999), ([3, 4, 5], 0.999), ([6, 7, 8], 0.999)]
    between = [(0, 1, 0.3), (0, 2, 0.3), (1, 2, 0.3)]
    s = scenario_from(probs, rule=RuleKind.SUBSTANTIVE, blocs=blocs, between=between)
    (component,) = plan(factors_of(s), 15).components
    one_axis = component.axes[0].nodes()
    assert component.work() > one_axis * component.axes[1].nodes()


def test_fifteen_one_member_blocs_paired_at_a_tenth_swing():
    probs = random_probs(8)
    blocs = [([i], 0.5) for i in range(15)]
    between = [(i, i + 1, 0.1) for i in range(0, 14, 2)]
    s = scenario_from(probs, rule=RuleKind.SUBSTANTIVE, blocs=blocs, between=between)
    rows = swing(s).rows
    assert len(rows) == 15 and all(-1e-12 <= r.p_pivotal <= 1 + 1e-12 for r in rows)
