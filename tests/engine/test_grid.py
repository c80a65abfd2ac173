"""Sweeps over bloc scenarios as node-wise matrix products, against the bloc engine."""

import numpy as np
import pytest

from unsc_sim import RuleKind
from unsc_sim.analysis import sweep
from unsc_sim.analysis.sweep import with_p_yes
from unsc_sim.charter import with_proviso
from unsc_sim.engine import grid
from unsc_sim.engine.choose import arrays, evaluator
from unsc_sim.engine.latent import factors_of

from ..helpers import random_probs, scenario_from


def case(seed: int, corr: float = 0.3, extra: tuple[float, ...] = ()):
    """One bloc of six at ``corr`` (more blocs: ``extra``), one varied member in it and one
    outside every bloc; procedural and substantive in turn."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(15).tolist()
    blocs = [(sorted(order[:6]), corr)]
    blocs += [(sorted(order[6 + 3 * k : 9 + 3 * k]), r) for k, r in enumerate(extra)]
    kind = RuleKind.SUBSTANTIVE if seed % 2 else RuleKind.PROCEDURAL
    s = scenario_from(random_probs(seed, sure=2), rule=kind, blocs=blocs)
    return s, [order[int(rng.integers(0, 6))], order[14]]


def slow(s, members, steps):
    """Every point of the grid by the bloc engine, one batch."""
    prepared = with_proviso(s)
    base = arrays(prepared)[0]
    axis = np.linspace(0, 1, steps)
    batch = []
    for a in axis:
        for b in axis:
            row = base.copy()
            for i, p in zip(members, (a, b)):
                row[i] = with_p_yes(prepared.members[i].stance, float(p)).probabilities
            batch.append(row)
    return evaluator(prepared, seed=None)(np.array(batch))


def fast(s, members, steps):
    """The grid by node-wise matrix products, or None where it does not apply."""
    prepared = with_proviso(s)
    base, permanent = arrays(prepared)
    axis = np.linspace(0, 1, steps)
    levels = [
        np.array([with_p_yes(prepared.members[i].stance, float(p)).probabilities for p in axis])
        for i in members
    ]
    return grid.grid(base, permanent, prepared.rule, factors_of(prepared), members, levels)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("corr", [0.05, 0.3, 0.75])
def test_the_grid_agrees_with_the_bloc_engine(seed, corr):
    s, members = case(seed, corr)
    assert grid.smooth(factors_of(s), members)
    got = fast(s, members, 7)
    assert got is not None  # this path, not the engine's
    np.testing.assert_allclose(got, slow(s, members, 7), rtol=0, atol=1e-12)
    one = fast(s, members[:1], 11)
    np.testing.assert_allclose(one, slow(s, [members[0]] * 2, 11)[::12], rtol=0, atol=1e-12)
    # The sweep takes it, with the same numbers.
    shown = sweep(s, [s.members[i].name for i in members], steps=7)
    np.testing.assert_array_equal(shown.p_adopted, got)


def test_steep_linked_or_many_blocs_take_the_engine_path():
    s, members = case(0, 0.95)
    assert not grid.smooth(factors_of(s), members[:1])  # a step narrower than a panel
    assert grid.smooth(factors_of(s), members[1:])  # outside every bloc
    f = factors_of(case(0, 0.3, (0.5,))[0])
    linked = type(f)(f.blocs, np.array([[1, 0.3], [0.3, 1]]))
    assert not grid.smooth(linked, members[1:])
    two, members = case(1, 0.3, (0.5, 1.0))
    assert fast(two, members, 5) is None  # the tensor grid of three factors is too large
    names = [two.members[i].name for i in members]
    np.testing.assert_allclose(sweep(two, names, steps=5).p_adopted, slow(two, members, 5))
    steep = sweep(s, [s.members[i].name for i in members], steps=5)
    np.testing.assert_allclose(steep.p_adopted, slow(s, members, 5), rtol=0, atol=1e-12)
