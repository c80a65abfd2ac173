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


def case(seed: int, corr=(0.3, 0.75, 1.0)):
    """Three blocs with independent factors (the last at 1.0: a jump), two varied members
    in the smooth ones, one outside any bloc."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(15).tolist()
    blocs = [
        (sorted(order[:4]), corr[0]),
        (sorted(order[4:8]), corr[1]),
        (sorted(order[8:11]), corr[2]),
    ]
    kind = RuleKind.SUBSTANTIVE if seed % 2 else RuleKind.PROCEDURAL
    s = scenario_from(random_probs(seed, sure=2), rule=kind, blocs=blocs)
    varied = [order[int(rng.integers(0, 8))], order[11 + seed % 4]]
    return s, varied


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


@pytest.mark.parametrize("seed", range(6))
def test_the_grid_agrees_with_the_bloc_engine(seed):
    s, members = case(seed)
    assert grid.smooth(factors_of(s), members)
    got = sweep(s, [s.members[i].name for i in members], steps=7)
    np.testing.assert_allclose(got.p_adopted, slow(s, members, 7), rtol=0, atol=1e-10)
    one = sweep(s, [s.members[members[0]].name], steps=11)
    axis_only = slow(s, [members[0], members[0]], 11)[::12]  # the diagonal: the same member
    np.testing.assert_allclose(one.p_adopted, axis_only, rtol=0, atol=1e-10)


def test_steep_or_linked_blocs_take_the_engine_path():
    s, members = case(0, corr=(0.3, 0.95, 1.0))
    steep_member = s.blocs[1].members[0]
    index = s.names.index(steep_member)
    assert not grid.smooth(factors_of(s), [index])
    assert grid.smooth(factors_of(s), [members[1]])  # outside every bloc
    f = factors_of(s)
    linked = type(f)(f.blocs, np.array([[1, 0.3, 0], [0.3, 1, 0], [0, 0, 1]]))
    assert not grid.smooth(linked, [members[1]])
    # Still right through the engine's own path.
    got = sweep(s, [steep_member, s.members[members[1]].name], steps=5)
    np.testing.assert_allclose(got.p_adopted, slow(s, [index, members[1]], 5), atol=1e-10)
