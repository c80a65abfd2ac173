"""The fast paths of the engines against the slow ones they replace, on random scenarios.

Each faster path (pivots from one pass, what-it-takes on the same tables, rotated factors,
chunked batches) must give what the plain evaluation gives: exactly, or within 1e-12.
"""

from __future__ import annotations

import numpy as np
import pytest

from unsc_sim.charter import ABSTAIN, NO, YES
from unsc_sim.engine import exact
from unsc_sim.engine import quadrature as quad
from unsc_sim.engine.choose import arrays
from unsc_sim.engine.latent import Factors, factors_of
from unsc_sim.model import Rule, RuleKind

from ..helpers import random_probs, scenario_from
from .test_blocs import random_blocs

PERMANENT = np.arange(15) < 5


def slow_pivots(probs, permanent, rule, integrator=None):
    """Every member set to yes, abstain and no in turn, each variant integrated again."""
    n = len(probs)
    batch = np.repeat(probs[None], 3 * n, axis=0)
    for i in range(n):
        for j, vote in enumerate((YES, ABSTAIN, NO)):
            batch[3 * i + j, i] = np.eye(4)[vote]
    if integrator is None:
        p = exact.p_adopted(batch, permanent, rule)
    else:
        p = integrator.p_adopted(batch, rule)
    p = np.asarray(p).reshape(n, 3)
    return p[:, 0] - p[:, 2], p[:, 1] - p[:, 2]


def fast_pivots(probs, permanent, rule, integrator=None):
    if integrator is None:
        total, clean = exact.left_out(probs, permanent)
    else:
        total, clean = integrator.left_out(probs)
    return exact.pivots(total, clean, permanent, rule)


def test_leave_one_out_is_the_dp_without_the_member():
    rng = np.random.default_rng(1)
    up = rng.random((7, 9))
    stay = 1.0 - up - rng.random((7, 9)) * 0.1 * (up < 0.9)
    got = exact.leave_one_out(up, stay)
    for j in range(9):
        keep = [i for i in range(9) if i != j]
        assert np.abs(got[:, j] - exact.batched(up[:, keep], stay[:, keep])).max() < 1e-15


@pytest.mark.parametrize("seed", range(20))
@pytest.mark.parametrize("kind", [RuleKind.SUBSTANTIVE, RuleKind.PROCEDURAL])
def test_independent_pivots_in_one_pass(seed, kind):
    probs = random_probs(seed, sure=seed % 4)
    rule = Rule(kind)
    slow = slow_pivots(probs, PERMANENT, rule)
    fast = fast_pivots(probs, PERMANENT, rule)
    for a, b in zip(slow, fast):
        assert np.abs(a - b).max() < 1e-12


@pytest.mark.parametrize("seed", range(24))
def test_bloc_pivots_in_one_pass(seed):
    s = random_blocs(seed)
    probs, permanent = arrays(s)
    factors = factors_of(s)
    if quad.why_not(factors):
        pytest.skip("beyond the exact engine")
    slow = slow_pivots(probs, permanent, s.rule, quad.Integrator(permanent, factors))
    fast = fast_pivots(probs, permanent, s.rule, quad.Integrator(permanent, factors))
    for a, b in zip(slow, fast):
        assert np.abs(a - b).max() < 1e-12


@pytest.mark.parametrize("between", [0.999, -0.9999, 0.99999, -0.99999, 0.9999999])
@pytest.mark.parametrize("r", [0.6, 0.95, 1.0])
def test_rotated_pivots_in_one_pass(between, r):
    probs = random_probs(5, sure=2)
    s = scenario_from(
        probs,
        rule=RuleKind.SUBSTANTIVE,
        blocs=[([0, 2, 3, 5, 6], r), ([1, 4, 7, 8], 0.8)],
        between=[(0, 1, between)],
    )
    p, permanent = arrays(s)
    f = factors_of(s)
    slow = slow_pivots(p, permanent, s.rule, quad.Integrator(permanent, f))
    fast = fast_pivots(p, permanent, s.rule, quad.Integrator(permanent, f))
    for a, b in zip(slow, fast):
        assert np.abs(a - b).max() < 1e-12


def test_chunked_batches_equal_one_pass(monkeypatch):
    rng = np.random.default_rng(3)
    batch = rng.dirichlet(np.ones(4), size=(3, 1000, 15))
    for kind in RuleKind:
        rule = Rule(kind)
        whole = exact.p_adopted(batch, PERMANENT, rule)
        monkeypatch.setattr(exact, "CHUNK", 7)
        assert np.array_equal(exact.p_adopted(batch, PERMANENT, rule), whole)
        monkeypatch.undo()


def test_factor_cache_is_bounded_in_bytes(monkeypatch):
    # A quarter of a megabyte instead of 64: 400 configurations then fill every cache.
    monkeypatch.setattr(quad, "CACHE_BYTES", 2**18)
    f = Factors.of([([0, 1, 2, 3], 0.9), ([4, 5, 6], 0.7)], np.array([[1, 0.4], [0.4, 1]]))
    engine = quad.Integrator(PERMANENT, f)
    rng = np.random.default_rng(0)
    for _ in range(2):
        engine.distributions(rng.dirichlet(np.ones(4), size=(200, 15)))
    tables = [t.cache for axes in engine.tables for t in axes]
    assert len(engine.results[0].items) < 400  # the oldest results were dropped
    for cache in engine.results + engine.blurred + tables:
        assert 0 < cache.used <= cache.budget or len(cache.items) == 1  # the newest stays


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("vote", [YES, NO, ABSTAIN])
def test_switched_sets_counted_at_the_scenarios_nodes(seed, vote):
    s = random_blocs(seed)
    probs, permanent = arrays(s)
    factors = factors_of(s)
    if quad.why_not(factors):
        pytest.skip("beyond the exact engine")
    rng = np.random.default_rng(seed)
    sets = [tuple(rng.choice(15, size=k, replace=False).tolist()) for k in (0, 1, 2, 3, 3)]
    row = np.eye(4)[vote]
    batch = np.repeat(probs[None], len(sets), axis=0)
    for r, members in enumerate(sets):
        batch[r, list(members)] = row
    slow = quad.Integrator(permanent, factors).distributions(batch)
    fast = quad.Integrator(permanent, factors).switched(probs, sets, row)
    for a, b in zip(slow, fast):
        assert np.abs(a - b).max() < 1e-12
