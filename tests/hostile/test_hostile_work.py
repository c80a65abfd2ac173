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

from ..helpers import NAMES, random_probs, scenario_from


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


# A whole call's work (``engine.budget``): 1,000 hypotheticals with three correlated blocs, and
# what it takes with them, used to run for minutes; now refused, or sampled, before starting.
THREE = [([0, 2, 3, 11, 13], 0.6), ([1, 4, 5, 9], 0.5), ([6, 7, 8, 10], 0.7)]


def three_blocs(corr=(0.6, 0.5, 0.7), between=(0.3, 0.2, -0.2), hypotheticals=0):
    from dataclasses import replace

    from unsc_sim import Hypothetical, Stance

    blocs = [(idx, r) for (idx, _), r in zip(THREE, corr)]
    links = [(0, 1, between[0]), (0, 2, between[1]), (1, 2, between[2])]
    s = scenario_from(random_probs(5), rule=RuleKind.SUBSTANTIVE, blocs=blocs, between=links)
    sure = Stance(1.0, 0.0, 0.0, 0.0)
    extra = tuple(
        Hypothetical(f"h{i}", ((s.members[i % 15].name, sure),)) for i in range(hypotheticals)
    )
    return replace(s, hypotheticals=extra)


def test_a_thousand_hypotheticals_with_three_correlated_blocs_are_refused_with_estimates():
    from unsc_sim import run
    from unsc_sim.engine.budget import TooMuchWork

    s = three_blocs(hypotheticals=1000)
    with pytest.raises(TooMuchWork, match=r"1,001 variants .* exactly, .* by Monte Carlo"):
        run(s)
    with pytest.raises(TooMuchWork):
        run(s, method="exact")


def test_the_budget_samples_when_only_sampling_fits_and_keeps_what_fits():
    from unsc_sim.engine.budget import MAX_SECONDS, check_variants, variant_seconds

    s = three_blocs()
    exact, sampled = variant_seconds(s, 1000)
    many = int(MAX_SECONDS / exact) + 1
    assert many * sampled <= MAX_SECONDS
    assert check_variants(s, many, method="auto", trials=1000).value == "montecarlo"
    assert check_variants(s, 1, method="auto", trials=200_000).value == "auto"
    assert check_variants(scenario_from(random_probs(1)), 10**6, method="auto", trials=10**8)


@pytest.mark.parametrize("corr", [(0.9, 0.95, 0.99), (1.0, 1.0, 1.0)])
def test_what_it_takes_with_three_strong_correlated_blocs_is_refused_with_an_estimate(corr):
    from unsc_sim import what_it_takes
    from unsc_sim.engine.budget import TooMuchWork

    with pytest.raises(TooMuchWork, match=r"sets to integrate .* about \d+ s; 10 s at most"):
        what_it_takes(three_blocs(corr))


def test_the_cli_refuses_in_one_line_with_exit_2(tmp_path):
    from click.testing import CliRunner

    from unsc_sim.cli import main

    lines = ["title: t", "rule: substantive", "members:"]
    for name, p in zip(NAMES, random_probs(5)):
        y, n = (round(float(v), 3) for v in p[:2])
        lines.append(f"  {name}: {{vote: {{yes: {y}, no: {n}, abstain: {round(1 - y - n, 3)}}}}}")
    lines += ["blocs:"] + [
        f"  b{j}: {{members: [{', '.join(NAMES[i] for i in idx)}], correlation: {r}}}"
        for j, (idx, r) in enumerate(THREE)
    ]
    lines += ["between:"] + [
        f"  - {{blocs: [b{i}, b{j}], correlation: {r}}}"
        for i, j, r in ((0, 1, 0.3), (0, 2, 0.2), (1, 2, -0.2))
    ]
    lines += ["hypotheticals:"] + [f"  h{i}: {{{NAMES[i % 15]}: yes}}" for i in range(1000)]
    path = tmp_path / "s.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["-q", "run", str(path)])
    assert result.exit_code == 2, result.output
    (line,) = result.output.strip().splitlines()
    assert line.startswith("unsc-sim: error: 1,001 variants with these blocs")


# Reports with correlated blocs: weighted draws, each conditioned exactly. Pivots of a
# variant took 3 n counterfactuals over 200,000 draws (minutes); now one pass, and draws fit.
def reported_three_blocs(hypotheticals=3, counts=None):
    from dataclasses import replace

    from unsc_sim.model import Report

    s = three_blocs(hypotheticals=hypotheticals)
    return replace(s, reported=(Report(counts or {"yes": (4, 11)}, source="test"),))


def test_reports_with_correlated_blocs_draw_what_fits_the_budget(monkeypatch):
    from unsc_sim import run
    from unsc_sim.engine import DEFAULT_DRAWS, budget
    from unsc_sim.engine.budget import MIN_DRAWS, variant_seconds

    # A budget of 1.5 s rather than 10: the draws then come from the budget, between the
    # floor and the default (at 10 s four variants get the default), and the test is quick.
    monkeypatch.setattr(budget, "MAX_SECONDS", 1.5)
    s = reported_three_blocs()
    results = run(s, seed=1)
    draws = results[0].trials
    assert {r.trials for r in results} == {draws} and MIN_DRAWS < draws < DEFAULT_DRAWS
    assert len(results) * variant_seconds(s, draws)[1] <= 1.5 * 1.01
    assert all(r.ess is not None and 0 < r.ess <= draws for r in results)
    # More variants, fewer draws each: the whole call keeps to the budget.
    assert MIN_DRAWS < run(reported_three_blocs(5), seed=1)[0].trials < draws


def test_reports_with_correlated_blocs_refuse_too_many_draws_with_the_estimate():
    from unsc_sim import run
    from unsc_sim.engine.budget import TooMuchWork

    with pytest.raises(TooMuchWork, match=r"4 variants .* not exactly, .* 10,000,000 weighted"):
        run(reported_three_blocs(), trials=10_000_000)


def test_a_sweep_given_reports_with_correlated_blocs_is_refused_beyond_the_budget():
    from unsc_sim.analysis import sweep
    from unsc_sim.engine.budget import TooMuchWork

    s = reported_three_blocs(0)
    names = [s.members[0].name, s.members[1].name]
    with pytest.raises(TooMuchWork, match=r"sweep: 10,201 points .* at 2,000 weighted draws"):
        sweep(s, names, steps=101)
    small = sweep(s, names, steps=5, seed=2)
    assert np.all((small.p_adopted >= 0) & (small.p_adopted <= 1))
