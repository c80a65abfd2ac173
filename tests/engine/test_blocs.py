"""Blocs: the latent order, the quadrature engine against hand computations, brute force and
Monte Carlo, factors that oppose each other, and how scenarios declare them."""

from __future__ import annotations

import itertools
import math
import shutil
from dataclasses import replace

import numpy as np
import pytest
from click.testing import CliRunner

from unsc_sim import RuleKind, ScenarioError, Stance, UnscSimError, loads, simulate
from unsc_sim.analysis import sweep, swing, what_it_takes
from unsc_sim.cli import main
from unsc_sim.engine import quadrature as quad
from unsc_sim.engine.choose import arrays
from unsc_sim.engine.exact import distributions as independent
from unsc_sim.engine.latent import SUPPORT, Factors, factors_of, ndtr, normal_levels
from unsc_sim.engine.montecarlo import sample
from unsc_sim.model import Between, Bloc, Vote

from ..conftest import ROOT, SCENARIOS
from ..helpers import random_probs, scenario_from

ABSENT = (0.0, 0.0, 0.0, 1.0)
PERMANENT = np.arange(15) < 5


def Phi(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2))


def two_members(a, b, r, *, between=(), rule=RuleKind.SUBSTANTIVE, second_bloc=False):
    """The United States (a) and China (b), both permanent, the other 13 sure absentees."""
    probs = np.array([a, b, *[ABSENT] * 13], dtype=float)
    if second_bloc:  # each in its own bloc, both at correlation r
        return scenario_from(probs, rule=rule, blocs=[([0], r), ([1], r)], between=between)
    return scenario_from(probs, rule=rule, blocs=[([0, 1], r)])


def random_blocs(seed: int):
    """Random stances, 1-3 blocs (sizes 2-5, correlations up to 1) and factor correlations."""
    rng = np.random.default_rng(seed)
    probs = random_probs(seed, sure=2)
    k = 1 + seed % 3
    order = rng.permutation(15)
    blocs, start = [], 0
    for size in rng.integers(2, 6, size=k):
        r = float(rng.choice([0.2, 0.5, 0.8, 0.95, 0.999, 1.0]))
        blocs.append((order[start : start + size].tolist(), r))
        start += size
    a = rng.normal(size=(k, k + 1))
    cov = a @ a.T
    corr = cov / np.sqrt(np.outer(np.diag(cov), np.diag(cov)))
    between = [(i, j, float(corr[i, j])) for i in range(k) for j in range(i + 1, k)]
    rule = RuleKind.SUBSTANTIVE if seed % 2 else RuleKind.PROCEDURAL
    return scenario_from(probs, rule=rule, blocs=blocs, between=between)


# --- the normal distribution function -----------------------------------------------------


def test_ndtr_agrees_with_the_standard_library():
    x = np.linspace(-40, 40, 80_001)
    want = np.array([Phi(v) for v in x])
    assert np.abs(ndtr(x) - want).max() < 3e-15
    assert ndtr(np.array([-np.inf, np.inf])).tolist() == [0.0, 1.0]
    assert np.isnan(ndtr(np.nan))


def test_ndtr_in_blocks_is_ndtr_in_one_piece(monkeypatch):
    from unsc_sim.engine import latent

    rng = np.random.default_rng(5)
    x = np.concatenate([rng.normal(0, 4, 100_003), [-np.inf, np.inf, np.nan, 0.0, -41, 41]])
    x = x.reshape(-1, 7)[:, ::-1]  # any shape, not contiguous
    blocks = latent.ndtr(x)
    monkeypatch.setattr(latent, "BLOCK", x.size)
    whole = latent.ndtr(x)
    assert blocks.shape == x.shape
    np.testing.assert_array_equal(blocks, whole)  # bit for bit, NaN where NaN
    monkeypatch.setattr(latent, "BLOCK", 7)
    np.testing.assert_array_equal(latent.ndtr(x), whole)


# --- the latent order ---------------------------------------------------------------------


def test_the_latent_scale_is_ordered_by_support():
    assert SUPPORT == (Vote.YES, Vote.ABSTAIN, Vote.ABSENT, Vote.NO)


# Two permanent members in one bloc at correlation 1 read one score through their own
# cumulative probabilities in the order yes, abstain, absent, no. With
#   United States: yes 0.5, abstain 0.2, no 0.3  -> yes [0, .5), abstain [.5, .7), no [.7, 1)
#   China:         yes 0.3, abstain 0.3, no 0.4  -> yes [0, .3), abstain [.3, .6), no [.6, 1)
# the joint distribution is: both yes .3; US yes and China abstains .2; both abstain .1;
# US abstains and China votes no .1; both no .3. So P(2 yes) = .3, P(1 yes) = .2,
# P(0 yes) = .5, and without a veto: .3, .2 and .1 (both abstaining); P(veto) = .4.
# (Reading yes, no, abstain instead would give P(veto) = .5 and no single yes without one.)
COMONOTONE_PAIR = ((0.5, 0.3, 0.2, 0.0), (0.3, 0.4, 0.3, 0.0))  # yes, no, abstain, absent


@pytest.mark.parametrize("method", ["exact", "montecarlo"])
def test_a_bloc_of_two_at_correlation_one_gives_the_joint_computed_by_hand(method):
    r = simulate(two_members(*COMONOTONE_PAIR, 1.0), method=method, trials=400_000, seed=1)
    tol = 1e-12 if method == "exact" else 4 * math.sqrt(0.25 / 400_000)
    np.testing.assert_allclose(r.total[:3], [0.5, 0.2, 0.3], atol=tol)
    np.testing.assert_allclose(r.clean[:3], [0.1, 0.2, 0.3], atol=tol)
    assert r.p_veto == pytest.approx(0.4, abs=tol)


@pytest.mark.parametrize("method", ["exact", "montecarlo"])
def test_a_bloc_of_two_at_correlation_one_half_follows_sheppards_formula(method):
    # Both yes or no with probability 1/2: both cut at 0, so P(both yes) is the orthant
    # probability 1/4 + arcsin(r) / (2 pi) = 1/3 at r = 1/2; a "no" is a veto.
    coin = (0.5, 0.5, 0.0, 0.0)
    r = simulate(two_members(coin, coin, 0.5), method=method, trials=400_000, seed=2)
    tol = 1e-12 if method == "exact" else 4 * math.sqrt(0.25 / 400_000)
    np.testing.assert_allclose(r.total[:3], [1 / 3, 1 / 3, 1 / 3], atol=tol)
    np.testing.assert_allclose(r.clean[:3], [0.0, 0.0, 1 / 3], atol=tol)


def test_a_bloc_of_two_at_correlation_zero_is_the_product():
    r = simulate(two_members(*COMONOTONE_PAIR, 0.0))
    (ya, na, aa, _), (yb, nb, ab, _) = COMONOTONE_PAIR
    assert r.total[2] == pytest.approx(ya * yb, abs=1e-15)
    assert r.clean[0] == pytest.approx(aa * ab, abs=1e-15)
    assert r.p_veto == pytest.approx(1 - (1 - na) * (1 - nb), abs=1e-15)


# --- the quadrature engine ----------------------------------------------------------------


@pytest.mark.parametrize("rule", list(RuleKind))
def test_correlation_zero_is_the_independent_engine_exactly(rule):
    probs = random_probs(21, sure=3)
    plain = simulate(scenario_from(probs, rule=rule))
    zero = simulate(scenario_from(probs, rule=rule, blocs=[([0, 2, 3, 11], 0.0), ([1, 4], 0.0)]))
    assert zero.method.value == "exact"
    assert np.array_equal(zero.total, plain.total) and np.array_equal(zero.clean, plain.clean)
    assert zero.pivot == plain.pivot


def comonotone(probs, permanent, members):
    """The yes-count distributions of one bloc at correlation 1 and the rest independent,
    from the breakpoints of a single standard normal factor (no quadrature)."""
    yes, no = normal_levels(probs[members])
    veto = permanent[members]
    cuts = np.unique(np.concatenate([yes, no[veto], [-np.inf, np.inf]]))
    bloc = np.zeros((2, len(members) + 1))
    for lo, hi in itertools.pairwise(cuts):
        f = (max(lo, -50) + min(hi, 50)) / 2  # any point of the piece: votes are fixed there
        k = int(np.sum(f < yes))
        mass = Phi(hi) - Phi(lo)
        bloc[0, k] += mass
        if not np.any(f >= no[veto]):
            bloc[1, k] += mass
    rest = [i for i in range(len(probs)) if i not in members]
    total, clean = independent(probs[rest], permanent[rest])
    return np.convolve(bloc[0], total), np.convolve(bloc[1], clean)


@pytest.mark.parametrize("seed", range(6))
def test_correlation_one_gives_the_comonotone_distribution(seed):
    probs = random_probs(seed, sure=2)
    members = [0, 2, 3, 6, 11, 13]
    factors = Factors.of([(members, 1.0)])
    got = quad.distributions(probs, PERMANENT, factors)
    want = comonotone(probs, PERMANENT, members)
    np.testing.assert_allclose(got[0], want[0], atol=1e-12)
    np.testing.assert_allclose(got[1], want[1], atol=1e-12)


def fine_reference(probs, permanent, blocs, rho, n=2001):
    """Two blocs with factor correlation rho by a fine Simpson grid on [-8.5, 8.5]^2: a
    different rule, grid and code path than the engine's, for smooth cases (r < 1)."""
    g = np.linspace(-8.5, 8.5, n)
    w = np.ones(n)
    w[1:-1:2], w[2:-1:2] = 4, 2
    tables = []
    for members, r in blocs:
        yes, no = normal_levels(probs[members])
        lam, s = math.sqrt(r), math.sqrt(1 - r)
        p_yes = ndtr((yes - lam * g[:, None]) / s)
        p_no = ndtr((lam * g[:, None] - no) / s) * permanent[members]
        other = np.zeros_like(p_yes)
        stances = np.stack([p_yes, p_no, 1 - p_yes - p_no, other], axis=-1)
        total, clean = independent(stances, permanent[members])
        tables.append((total, clean))
    weight = (
        w[:, None]
        * w[None, :]
        * np.exp(
            -(g[:, None] ** 2 - 2 * rho * g[:, None] * g[None, :] + g[None, :] ** 2)
            / (2 * (1 - rho**2))
        )
    )
    weight /= weight.sum()
    rest = [i for i in range(len(probs)) if all(i not in m for m, _ in blocs)]
    free = independent(probs[rest], permanent[rest])
    out = []
    for t in range(2):
        joint = tables[0][t].T @ weight @ tables[1][t]
        pair = np.zeros(sum(joint.shape) - 1)
        for i, row in enumerate(joint):
            pair[i : i + len(row)] += row
        out.append(np.convolve(pair, free[t]))
    return out


@pytest.mark.parametrize(
    ("r1", "r2", "rho"), [(0.6, 0.3, -0.5), (0.9, 0.5, 0.8), (0.4, 0.8, -0.95)]
)
def test_two_correlated_blocs_agree_with_a_fine_grid(r1, r2, rho):
    probs = random_probs(31, sure=1)
    blocs = [([0, 2, 3, 11, 13], r1), ([1, 4, 5, 9], r2)]
    got = quad.distributions(probs, PERMANENT, Factors.of(blocs, np.array([[1, rho], [rho, 1]])))
    want = fine_reference(probs, PERMANENT, blocs, rho)
    np.testing.assert_allclose(got[0], want[0], atol=1e-10)
    np.testing.assert_allclose(got[1], want[1], atol=1e-10)


@pytest.mark.parametrize("seed", range(9))
def test_twice_the_nodes_changes_nothing_beyond_1e_10(seed):
    s = random_blocs(seed)
    probs, permanent = arrays(s)
    factors = factors_of(s)
    a = quad.distributions(probs, permanent, factors, nodes=quad.NODES)
    b = quad.distributions(probs, permanent, factors, nodes=2 * quad.NODES)
    assert np.abs(np.concatenate(a) - np.concatenate(b)).max() <= 1e-10
    # Each member keeps its own probabilities, so the expected yes count is unchanged.
    assert (np.arange(16) * a[0]).sum() == pytest.approx(probs[:, 0].sum(), abs=1e-12)
    assert a[0].sum() == pytest.approx(1.0, abs=1e-14)


def within_four_standard_errors(sampled, exact, trials):
    # A cell of probability p holds a binomial count; below 1/trials the floor keeps a
    # single stray trial from counting as many standard errors.
    se = np.sqrt(np.maximum(exact * (1 - exact), 1.0 / trials) / trials)
    return np.abs(sampled - exact) <= 4 * se


def both_engines(s, trials, seed):
    """The exact engine's (total, clean) and a sample's, without the pivots simulate adds."""
    probs, permanent = arrays(s)
    factors = factors_of(s)
    exact = quad.distributions(probs, permanent, factors)
    between = factors.correlation if factors.correlated else None
    m = sample(probs, permanent, blocs=factors.blocs, between=between, trials=trials, seed=seed)
    return exact, (m.total / trials, m.clean / trials)


@pytest.mark.parametrize("seed", range(6))
def test_quadrature_agrees_with_a_million_trials(seed):
    s = random_blocs(seed)
    assert simulate(s, method="exact").trials is None
    trials = 1_000_000
    exact, sampled = both_engines(s, trials, seed)
    for got, want in zip(sampled, exact):
        assert within_four_standard_errors(got, want, trials).all()


def test_sure_outcomes_stay_sure_with_blocs(dec2018_sure):
    blocs = (Bloc("abstainers", ("Côte d'Ivoire", "Equatorial Guinea", "Ethiopia"), 0.7),)
    s = replace(dec2018_sure, blocs=blocs)
    assert simulate(s).p_adopted == 0.0
    assert simulate(s, "ivory-coast-yes").p_adopted == pytest.approx(1.0, abs=1e-12)


# --- the veto under blocs -----------------------------------------------------------------


@pytest.mark.parametrize("r", [0.0, 0.5, 0.9, 1.0])
def test_the_veto_under_a_bloc_of_the_permanent_five(r):
    # Each permanent member votes no with probability .3 or .2. Independent, a veto comes
    # with probability 1 - .7^3 .8^2; as one bloc at correlation 1, the members' "no"
    # intervals all end the scale, so a veto comes exactly when the likeliest "no" does: .3.
    probs = np.array(
        [(0.6, 0.3, 0.1, 0.0)] * 3 + [(0.5, 0.2, 0.3, 0.0)] * 2 + [(1.0, 0, 0, 0)] * 10
    )
    s = scenario_from(probs, rule=RuleKind.SUBSTANTIVE, blocs=[([0, 1, 2, 3, 4], r)])
    exact = simulate(s)
    sampled = simulate(s, method="montecarlo", trials=400_000, seed=5)
    assert sampled.p_veto == pytest.approx(exact.p_veto, abs=4 * math.sqrt(0.25 / 400_000))
    if r == 0.0:
        assert exact.p_veto == pytest.approx(1 - 0.7**3 * 0.8**2, abs=1e-15)
    if r == 1.0:
        assert exact.p_veto == pytest.approx(0.3, abs=1e-12)
    # Whatever r, P(adopted) is P(no veto): the other ten always vote yes.
    assert exact.p_adopted == pytest.approx(1 - exact.p_veto, abs=1e-12)


def test_correlation_makes_a_veto_less_likely():
    probs = np.array([(0.6, 0.3, 0.1, 0.0)] * 5 + [(1.0, 0, 0, 0)] * 10)
    vetoes = [
        simulate(scenario_from(probs, rule=RuleKind.SUBSTANTIVE, blocs=[(range(5), r)])).p_veto
        for r in (0.0, 0.3, 0.6, 0.9, 1.0)
    ]
    assert all(a > b for a, b in itertools.pairwise(vetoes))


# --- blocs that oppose each other ---------------------------------------------------------

COIN = (0.5, 0.5, 0.0, 0.0)


@pytest.mark.parametrize(
    ("rho", "both_yes"),
    [(-1.0, 0.0), (-0.5, 1 / 6), (0.0, 0.25), (0.5, 1 / 3), (1.0, 0.5)],
)
@pytest.mark.parametrize("method", ["exact", "montecarlo"])
def test_opposing_blocs_follow_the_orthant_probability(rho, both_yes, method):
    # Two blocs of one member each at correlation 1: the members read their factors, which
    # are correlated by rho; both yes is the orthant probability 1/4 + arcsin(rho) / (2 pi).
    s = two_members(COIN, COIN, 1.0, between=[(0, 1, rho)], second_bloc=True)
    r = simulate(s, method=method, trials=400_000, seed=7)
    tol = 1e-12 if method == "exact" else 4 * math.sqrt(0.25 / 400_000)
    np.testing.assert_allclose(r.total[:3], [both_yes, 1 - 2 * both_yes, both_yes], atol=tol)
    # Both are permanent: any "no" is a veto, so only "both yes" is veto-free.
    np.testing.assert_allclose(r.clean[:3], [0.0, 0.0, both_yes], atol=tol)


def test_opposing_blocs_lower_p_adopted_when_both_are_needed():
    # Nine yes votes needed: the western five for sure, two uncertain blocs of three. When
    # the blocs oppose each other, one's yes comes with the other's no more often.
    probs = np.array([(1.0, 0, 0, 0)] * 5 + [(0.6, 0, 0.4, 0)] * 6 + [ABSENT] * 4)
    blocs = [([5, 6, 7], 0.8), ([8, 9, 10], 0.8)]
    p = [
        simulate(scenario_from(probs, blocs=blocs, between=[(0, 1, rho)])).p_adopted
        for rho in (-0.9, -0.5, 0.0, 0.5, 0.9)
    ]
    assert all(a < b for a, b in itertools.pairwise(p))


def test_three_mutually_opposed_blocs_form_a_singular_matrix_the_engine_integrates():
    probs = random_probs(41, sure=2)
    blocs = [([0, 2, 3], 0.6), ([1, 4, 9], 0.8), ([5, 6, 7, 8], 0.5)]
    between = [(0, 1, -0.5), (0, 2, -0.5), (1, 2, -0.5)]
    s = scenario_from(probs, rule=RuleKind.SUBSTANTIVE, blocs=blocs, between=between)
    assert quad.why_not(factors_of(s)) is None
    trials = 1_000_000
    exact, sampled = both_engines(s, trials, 3)
    for got, want in zip(sampled, exact):
        assert within_four_standard_errors(got, want, trials).all()


# --- which engine runs --------------------------------------------------------------------


def four_correlated_blocs():
    blocs = [([0, 5], 0.5), ([1, 6], 0.5), ([2, 7], 0.5), ([3, 8], 0.5)]
    between = [(0, 1, 0.2), (1, 2, 0.2), (2, 3, 0.2)]
    return scenario_from(random_probs(8), blocs=blocs, between=between)


def test_auto_is_exact_with_up_to_three_correlated_blocs_and_samples_beyond():
    assert simulate(random_blocs(2)).method.value == "exact"
    assert (
        quad.why_not(Factors.of([([i], 0.5) for i in range(10)])) is None
    )  # independent factors: any number
    s = four_correlated_blocs()
    assert simulate(s, trials=1000, seed=1).method.value == "montecarlo"
    with pytest.raises(UnscSimError, match="4 blocs with correlated factors") as info:
        simulate(s, method="exact")
    assert isinstance(info.value, ValueError) and "Monte Carlo" in str(info.value)


def test_exact_refuses_dependent_factors_of_blocs_at_correlation_one():
    blocs = [([0, 2], 1.0), ([1, 4], 1.0), ([5, 6], 1.0)]
    between = [(0, 1, -0.5), (0, 2, -0.5), (1, 2, -0.5)]
    s = scenario_from(random_probs(9), blocs=blocs, between=between)
    assert simulate(s, trials=1000, seed=1).method.value == "montecarlo"
    with pytest.raises(quad.QuadratureError, match="linearly dependent"):
        simulate(s, method="exact")


def test_the_cli_says_which_method_ran(tmp_path):
    text = (SCENARIOS / "2018-12-dprk-human-rights.yaml").read_text(encoding="utf-8")
    text += (
        "blocs:\n  abstainers:\n    members: [Côte d'Ivoire, Equatorial Guinea, Ethiopia]\n"
        "    correlation: 0.6\n"
    )
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")  # the scenario's quotes are checked
    path = tmp_path / "blocs.yaml"
    path.write_text(text, encoding="utf-8")
    for method in ("auto", "exact"):
        result = CliRunner().invoke(
            main, ["run", str(path), "-H", "held-anyway", "--method", method, "--format", "json"]
        )
        assert result.exit_code == 0, result.output
        assert '"method": "exact"' in result.stdout and '"trials": null' in result.stdout


# --- analyses with blocs ------------------------------------------------------------------


def bloc_scenario():
    probs = random_probs(51, sure=2)
    blocs = [([0, 2, 3, 11, 13], 0.7), ([1, 4, 5, 9], 0.9)]
    return scenario_from(probs, rule=RuleKind.SUBSTANTIVE, blocs=blocs, between=[(0, 1, -0.4)])


def test_swing_with_blocs_is_exact_and_matches_switching_each_member():
    s = bloc_scenario()
    result = swing(s)
    assert result.method == "exact"
    assert result.p_adopted == pytest.approx(simulate(s).p_adopted, abs=1e-14)
    for row in result.rows:
        if_yes = simulate(s, changes={row.member: Stance(1.0)})
        assert row.p_adopted_if_yes == pytest.approx(if_yes.p_adopted, abs=1e-14)


def test_what_it_takes_and_sweep_with_blocs_are_exact():
    s = bloc_scenario()
    needed = what_it_takes(s, max_best=2)
    assert needed.method == "exact"
    for move in needed.best:
        changes = {m: Stance(1.0) for m in move.members}
        assert move.p_adopted == pytest.approx(simulate(s, changes=changes).p_adopted, abs=1e-14)
    curve = sweep(s, ["France"], steps=5)
    assert curve.method == "exact" and np.all(np.diff(curve.p_adopted) >= -1e-15)


def test_a_certain_outcome_that_only_opposing_blocs_make():
    # Eight sure yes votes and two members, each yes or abstaining with probability 1/2, in
    # blocs at correlation 1 whose factors are at -1: exactly one of the two votes yes, so
    # nine votes are certain with no switch at all (independent, P(adopted) would be 3/4).
    probs = np.array([(1.0, 0, 0, 0)] * 8 + [(0.5, 0, 0.5, 0)] * 2 + [ABSENT] * 5)
    s = scenario_from(probs, blocs=[([8], 1.0), ([9], 1.0)], between=[(0, 1, -1.0)])
    needed = what_it_takes(s)
    assert needed.p_adopted == pytest.approx(1.0, abs=1e-12)
    assert needed.certain_size == 0
    blocked = what_it_takes(s, side="block")
    assert blocked.certain_size == 1  # one sure vote fewer leaves eight (independent: two)


def test_sampled_analyses_beyond_the_exact_engine_agree_with_it(monkeypatch):
    s = bloc_scenario()
    exact_rows = {r.member: r.swing for r in swing(s).rows}
    monkeypatch.setattr("unsc_sim.engine.plan.MAX_AXES", 1)  # two correlated blocs: beyond it
    sampled = swing(s, trials=100_000, seed=4)
    assert sampled.method == "montecarlo"
    for r in sampled.rows:
        # a difference of two estimates on common random numbers: 4 SE of each is generous
        assert r.swing == pytest.approx(exact_rows[r.member], abs=4 * 2 * 0.5 / math.sqrt(100_000))


# --- declaring blocs ----------------------------------------------------------------------


def test_the_model_checks_blocs_and_their_correlations():
    from unsc_sim.errors import InvalidValueError

    s = scenario_from(random_probs(1), blocs=[([0, 1], 0.5), ([2, 3], 0.5), ([4, 5], 0.5)])
    with pytest.raises(InvalidValueError, match="is in bloc 'b0' and bloc 'again'"):
        replace(s, blocs=(*s.blocs, Bloc("again", ("China",), 0.3)))
    with pytest.raises(InvalidValueError, match=r"0\.\.1"):
        Bloc("b", ("China",), 1.2)
    with pytest.raises(ScenarioError, match=r"-1\.\.1"):
        Between(("b0", "b1"), -1.2)
    with pytest.raises(ScenarioError, match="no bloc 'b7'"):
        replace(s, between=(Between(("b0", "b7"), 0.5),))
    strong = tuple(Between(p, -0.8) for p in (("b0", "b1"), ("b0", "b2"), ("b1", "b2")))
    with pytest.raises(ScenarioError, match="positive semi-definite") as info:
        replace(s, between=strong)
    assert info.value.field == "between" and isinstance(info.value, ValueError)
    edge = tuple(Between(p, -0.5) for p in (("b0", "b1"), ("b0", "b2"), ("b1", "b2")))
    assert replace(s, between=edge).factor_correlation()[0, 1] == -0.5  # singular, allowed


BLOCS_YAML = """title: t
date: 2018-12-10
default: abstain
members:
  United States: yes
blocs:
  p3: {members: [United States, United Kingdom, France], correlation: 0.8}
  alone: {members: [Kuwait], correlation: 0.5}
"""


def test_a_bloc_of_one_member_loads_with_a_located_warning():
    import re

    s = loads(BLOCS_YAML, file="f.yaml")
    (warning,) = [str(w) for w in s.warnings if "one member" in str(w)]
    assert re.match(r"f\.yaml:8:\d+: blocs\.alone\.members: .*one member", warning)
    assert [b.name for b in s.blocs] == ["p3", "alone"]
    linked = BLOCS_YAML + "between:\n  - {blocs: [alone, p3], correlation: -0.6}\n"
    s = loads(linked, file="f.yaml")
    assert not [str(w) for w in s.warnings if "one member" in str(w)]
    assert s.between == (Between(("alone", "p3"), -0.6),)
    assert s.factor_correlation().tolist() == [[1.0, -0.6], [-0.6, 1.0]]


def test_the_cli_prints_the_warning_and_runs(tmp_path):
    path = tmp_path / "one.yaml"
    path.write_text(BLOCS_YAML, encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(path)])
    assert result.exit_code == 0
    assert "warning: " in result.stderr and "one member changes nothing" in result.stderr
    assert "warning" not in result.stdout


@pytest.mark.parametrize("seed", range(6))
def test_certainty_with_blocs_below_one_matches_the_integrated_engine(seed):
    # Below correlation 1 whether P(adopted) is exactly 1 (or 0) depends only on which votes
    # are possible, so what_it_takes decides it with the independent DP; the bloc engine,
    # over every set of switches, must find the same smallest sets.
    rng = np.random.default_rng(seed)
    probs = random_probs(seed, sure=9)
    uncertain = [i for i in range(15) if probs[i].max() < 1.0]
    blocs = [(uncertain[:3], 0.8), (uncertain[3:], 0.3)]
    rule = (RuleKind.PROCEDURAL, RuleKind.SUBSTANTIVE)[int(rng.integers(0, 2))]
    s = scenario_from(probs, rule=rule, blocs=blocs)
    _, permanent = arrays(s)
    integrator = quad.Integrator(permanent, factors_of(s))
    for side, goal, column in (("pass", 1.0, 0), ("block", 0.0, 1)):
        needed = what_it_takes(s, side=side, max_best=0, limit=100)
        candidates = [i for i in range(15) if probs[i, column] < 1.0]
        groups = [
            g for k in range(len(candidates) + 1) for g in itertools.combinations(candidates, k)
        ]
        batch = np.repeat(probs[None], len(groups), axis=0)
        for row, g in enumerate(groups):
            batch[row, list(g)] = np.eye(4)[column]
        hits = [
            g for g, p in zip(groups, integrator.p_adopted(batch, s.rule)) if abs(p - goal) < 1e-9
        ]
        k = min(len(g) for g in hits)
        assert needed.certain_size == k
        if k:
            smallest = [{s.names[i] for i in g} for g in hits if len(g) == k]
            assert needed.certain_total == len(smallest)
            assert all(set(m.members) in smallest for m in needed.certain)
