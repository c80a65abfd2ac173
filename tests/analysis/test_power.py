"""Tests for the power indices: published Council values, brute force, large games, validation."""

from __future__ import annotations

import itertools
import json
import math
from enum import Enum
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unsc_sim.analysis.power import (
    PowerIndices,
    TernaryPower,
    WeightedGame,
    banzhaf,
    council_game,
    council_power,
    power_indices,
)
from unsc_sim.model import RuleKind

# --- brute force, straight from the definitions --------------------------------------------


def coalition_table(weights: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Weight and size of all 2^n coalitions; member i is bit n - 1 - i of the index."""
    sums, sizes = np.zeros(1, np.int64), np.zeros(1, np.int64)
    for w in weights:
        sums = (sums[:, None] + np.array([0, w])).ravel()
        sizes = (sizes[:, None] + np.array([0, 1])).ravel()
    return sums, sizes


def brute_force(weights: list[int], quota: int) -> tuple[list[Fraction], list[Fraction]]:
    """Exact Shapley–Shubik and absolute Banzhaf by the swing-count formula over all coalitions."""
    n = len(weights)
    sums, sizes = coalition_table(weights)
    ss, absolute = [], []
    for i in range(n):
        # Split every coalition into (without i, with i); same other members in both.
        without = sums.reshape(2**i, 2, -1)[:, 0]
        with_i = sums.reshape(2**i, 2, -1)[:, 1]
        swing = (without < quota) & (with_i >= quota)
        per_size = np.bincount(sizes.reshape(2**i, 2, -1)[:, 0][swing], minlength=n)
        orders = sum(
            int(c) * math.factorial(k) * math.factorial(n - 1 - k) for k, c in enumerate(per_size)
        )
        ss.append(Fraction(orders, math.factorial(n)))
        absolute.append(Fraction(int(swing.sum()), 2 ** (n - 1)))
    return ss, absolute


def ternary_brute_force(size: int, vetoes: int, threshold: int) -> list[Fraction]:
    """P(switching yes <-> no changes the outcome) by listing all 3^size profiles."""
    # Vote codes 0 = no, 1 = abstain, 2 = yes; member i is digit size - 1 - i of the index.
    yes, blocked = np.zeros(1, np.int8), np.zeros(1, bool)
    for i in range(size):
        yes = (yes[:, None] + np.array([0, 0, 1], np.int8)).ravel()
        blocked = (blocked[:, None] | np.array([i < vetoes, False, False])).ravel()
    passes = (yes >= threshold) & ~blocked
    out = []
    for i in range(size):
        by_vote = passes.reshape(3**i, 3, -1)
        out.append(Fraction(np.count_nonzero(by_vote[:, 2] != by_vote[:, 0]), 3 ** (size - 1)))
    return out


def normalized(values: list[Fraction]) -> list[Fraction]:
    return [v / sum(values) for v in values]


def as_floats(values) -> list[float]:
    return [float(v) for v in values]


# --- the Council ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "permanent", "threshold", "heavy", "quota"),
    [(15, 5, 9, 7, 39), (11, 5, 7, 5, 27)],  # today's Council; 1945-1965
)
def test_council_game_classic_weights(size, permanent, threshold, heavy, quota):
    game = council_game("substantive", size=size, permanent=permanent, threshold=threshold)
    assert game.weights == (heavy,) * permanent + (1,) * (size - permanent)
    assert game.quota == quota


@pytest.mark.parametrize("rule", list(RuleKind))
def test_council_game_matches_article_27(rule):
    """Winning <=> threshold yes votes (and, if substantive, all permanent) for every council."""
    shapes = [(s, p, t) for s in range(1, 8) for p in range(s + 1) for t in range(1, s + 1)]
    for size, permanent, threshold in [*shapes, (15, 5, 9), (11, 5, 7)]:
        game = council_game(rule, size=size, permanent=permanent, threshold=threshold)
        sums, sizes = coalition_table(list(game.weights))
        permanent_in, _ = coalition_table([1] * permanent + [0] * (size - permanent))
        wins = sizes >= threshold
        if rule is RuleKind.SUBSTANTIVE:
            wins &= permanent_in == permanent
        assert np.array_equal(sums >= game.quota, wins), (size, permanent, threshold)


def test_council_published_values_exact():
    # The 15-member Council in the classical yes/not-yes model, the standard textbook
    # computation (e.g. Felsenthal & Machover 1998, "The Measurement of Voting Power"; Straffin
    # 1993, "Game Theory and Strategy"): Shapley–Shubik 421/2145 per permanent and 4/2145 per
    # elected member; Banzhaf 848/5080 and 84/5080 (848 and 84 swings out of 2^14).
    result = power_indices(council_game(RuleKind.SUBSTANTIVE), exact=True)
    assert result.shapley_shubik == (Fraction(421, 2145),) * 5 + (Fraction(4, 2145),) * 10
    assert result.banzhaf == (Fraction(848, 5080),) * 5 + (Fraction(84, 5080),) * 10
    assert result.banzhaf[0] == Fraction(106, 635) and result.banzhaf[-1] == Fraction(21, 1270)
    assert result.banzhaf_absolute == (Fraction(848, 2**14),) * 5 + (Fraction(84, 2**14),) * 10

    procedural = power_indices(council_game("procedural"), exact=True)
    assert procedural.shapley_shubik == (Fraction(1, 15),) * 15
    assert procedural.banzhaf == (Fraction(1, 15),) * 15
    # Decisive when exactly 8 of the other 14 vote yes.
    assert procedural.banzhaf_absolute == (Fraction(math.comb(14, 8), 2**14),) * 15


def test_original_council_shapley_shubik_1954():
    # Shapley & Shubik (1954), "A method for evaluating the distribution of power in a committee
    # system", APSR 48:787-792: 11 members, 7 votes with all five permanent ones; each
    # permanent member 76/385, each elected member 1/462.
    result = power_indices(council_game("substantive", size=11, threshold=7), exact=True)
    assert result.shapley_shubik == (Fraction(76, 385),) * 5 + (Fraction(1, 462),) * 6


@pytest.mark.parametrize("rule", list(RuleKind))
def test_council_float_matches_exact(rule):
    game = council_game(rule)
    floats, exact = power_indices(game), power_indices(game, exact=True)
    for field in ("shapley_shubik", "banzhaf", "banzhaf_absolute"):
        assert all(type(v) is float for v in getattr(floats, field))
        np.testing.assert_allclose(
            getattr(floats, field), as_floats(getattr(exact, field)), atol=1e-15
        )


def test_rule_accepts_str_and_enum_like_values():
    class Other(Enum):
        SUBSTANTIVE = "substantive"

    expected = council_game(RuleKind.SUBSTANTIVE)
    assert council_game("substantive") == expected
    assert council_game(Other.SUBSTANTIVE) == expected


def test_council_default_and_custom_names():
    assert council_game("procedural").names[:6] == ("P1", "P2", "P3", "P4", "P5", "E1")
    names = [f"M{i}" for i in range(15)]
    assert council_game("procedural", names=names).names == tuple(names)


# --- against brute force ------------------------------------------------------------------------


@st.composite
def weighted_games(draw, max_members: int = 10, max_weight: int = 12):
    weights = draw(st.lists(st.integers(1, max_weight), min_size=1, max_size=max_members))
    return weights, draw(st.integers(1, sum(weights)))


@settings(max_examples=150, deadline=None)
@given(weighted_games())
def test_matches_brute_force(game):
    weights, quota = game
    ss, absolute = brute_force(weights, quota)
    result = power_indices(WeightedGame(tuple(weights), quota))
    np.testing.assert_allclose(result.shapley_shubik, as_floats(ss), rtol=0, atol=1e-12)
    np.testing.assert_allclose(result.banzhaf_absolute, as_floats(absolute), rtol=0, atol=1e-12)
    np.testing.assert_allclose(result.banzhaf, as_floats(normalized(absolute)), rtol=0, atol=1e-12)
    np.testing.assert_allclose(banzhaf(WeightedGame(tuple(weights), quota)), result.banzhaf)


@settings(max_examples=60, deadline=None)
@given(weighted_games(max_members=8))
def test_exact_matches_brute_force(game):
    weights, quota = game
    ss, absolute = brute_force(weights, quota)
    result = power_indices(WeightedGame(tuple(weights), quota), exact=True)
    assert list(result.shapley_shubik) == ss
    assert list(result.banzhaf_absolute) == absolute
    assert list(result.banzhaf) == normalized(absolute)


def test_float_matches_exact_on_mid_size_games():
    """Beyond brute force: up to 40 members, against the exact integer computation."""
    rng = np.random.default_rng(20240915)
    for _ in range(15):
        n = int(rng.integers(11, 41))
        weights = tuple(int(w) for w in rng.integers(1, int(rng.integers(2, 31)), size=n))
        quota = int(rng.integers(1, sum(weights) + 1))
        floats = power_indices(WeightedGame(weights, quota))
        exact = power_indices(WeightedGame(weights, quota), exact=True)
        for field in ("shapley_shubik", "banzhaf", "banzhaf_absolute"):
            np.testing.assert_allclose(
                getattr(floats, field), as_floats(getattr(exact, field)), rtol=0, atol=1e-13
            )


def test_dictator_and_dummy():
    dictator = power_indices(WeightedGame((5, 1, 1), 3))
    assert dictator.banzhaf == (1.0, 0.0, 0.0)
    assert dictator.shapley_shubik == pytest.approx((1.0, 0.0, 0.0), abs=1e-15)
    assert dictator.shapley_shubik[1:] == (0.0, 0.0)
    dummy = power_indices(WeightedGame((5, 5, 1), 10))
    assert dummy.shapley_shubik[2] == dummy.banzhaf[2] == 0.0
    assert dummy.shapley_shubik[:2] == pytest.approx((0.5, 0.5), abs=1e-15)


# --- large games ------------------------------------------------------------------------------


def test_general_assembly_two_thirds():
    result = power_indices(WeightedGame((1,) * 193, 129))
    assert np.all(np.isfinite(result.shapley_shubik + result.banzhaf + result.banzhaf_absolute))
    np.testing.assert_allclose(result.shapley_shubik, 1 / 193, rtol=1e-12)
    np.testing.assert_allclose(result.banzhaf, 1 / 193, rtol=1e-12)
    # Decisive when exactly 128 of the other 192 vote yes.
    np.testing.assert_allclose(result.banzhaf_absolute, math.comb(192, 128) / 2**192, rtol=1e-12)
    exact = power_indices(WeightedGame((1,) * 193, 129), exact=True)
    assert exact.shapley_shubik == (Fraction(1, 193),) * 193


@pytest.fixture(scope="module")
def thousand():
    weights = tuple(w for w in range(1, 11) for _ in range(100))
    game = WeightedGame(weights, math.ceil(sum(weights) / 2) + 1)
    return game, power_indices(game)


def test_thousand_members_finite_and_normalized(thousand):
    _, result = thousand
    for values in (result.shapley_shubik, result.banzhaf, result.banzhaf_absolute):
        assert np.all(np.isfinite(values)) and min(values) > 0
    assert math.fsum(result.shapley_shubik) == pytest.approx(1, abs=1e-12)
    assert math.fsum(result.banzhaf) == pytest.approx(1, abs=1e-12)


def test_thousand_members_symmetric_and_monotone(thousand):
    game, result = thousand
    for values in (result.shapley_shubik, result.banzhaf, result.banzhaf_absolute):
        by_weight = {}
        for weight, value in zip(game.weights, values):
            by_weight.setdefault(weight, set()).add(value)
        assert all(len(group) == 1 for group in by_weight.values())  # equal weight, equal power
        per_weight = [by_weight[w].pop() for w in sorted(by_weight)]
        assert all(a < b for a, b in itertools.pairwise(per_weight))


def test_thousand_members_banzhaf_against_plain_convolution(thousand):
    """Member-by-member convolution, no grouping: the others' yes-weight distribution."""
    game, result = thousand
    for member in range(0, 1000, 100):
        dist = np.ones(1)
        for other, weight in enumerate(game.weights):
            if other != member:
                vote = np.zeros(weight + 1)
                vote[[0, weight]] = 0.5  # no, or yes with this weight
                dist = np.convolve(dist, vote)
        window = dist[game.quota - game.weights[member] : game.quota].sum()
        assert result.banzhaf_absolute[member] == pytest.approx(window, rel=1e-12)


# --- Charter practice (ternary model) -------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "permanent", "threshold"), [(5, 2, 3), (7, 3, 4), (11, 5, 7), (15, 5, 9)]
)
@pytest.mark.parametrize("rule", list(RuleKind))
def test_practice_matches_brute_force(rule, size, permanent, threshold):
    vetoes = permanent if rule is RuleKind.SUBSTANTIVE else 0
    expected = ternary_brute_force(size, vetoes, threshold)
    shape = {"size": size, "permanent": permanent, "threshold": threshold}
    exact = council_power(rule, practice=True, exact=True, **shape)
    assert isinstance(exact, TernaryPower)
    assert list(exact.banzhaf_absolute) == expected
    assert list(exact.banzhaf) == normalized(expected)
    floats = council_power(rule, practice=True, **shape)
    assert floats.banzhaf == tuple(float(v) for v in normalized(expected))


def test_practice_shifts_power_to_elected_members():
    letter = council_power("substantive", practice=False, exact=True)
    practice = council_power("substantive", practice=True, exact=True)
    assert isinstance(letter, PowerIndices)
    assert practice.banzhaf[-1] > letter.banzhaf[-1] and practice.banzhaf[0] < letter.banzhaf[0]
    assert council_power("procedural", practice=True, exact=True).banzhaf == (Fraction(1, 15),) * 15


def test_letter_is_the_weighted_game():
    assert council_power("substantive", practice=False) == power_indices(
        council_game("substantive")
    )


# --- output -------------------------------------------------------------------------------------


def test_to_frame_and_records():
    result = power_indices(council_game("substantive"), exact=True)
    frame = result.to_frame()
    assert list(frame.columns) == [
        "member",
        "weight",
        "shapley_shubik",
        "banzhaf",
        "banzhaf_absolute",
    ]
    assert frame["shapley_shubik"].iloc[0] == pytest.approx(421 / 2145)
    assert frame["weight"].tolist() == [7] * 5 + [1] * 10
    records = json.loads(json.dumps(result.to_records()))
    assert records[5] == {
        "member": "E1",
        "weight": 1,
        "shapley_shubik": 4 / 2145,
        "banzhaf": 21 / 1270,
        "banzhaf_absolute": 84 / 2**14,
    }
    ternary = council_power("substantive", practice=True)
    assert list(ternary.to_frame().columns) == ["member", "banzhaf", "banzhaf_absolute"]
    assert json.loads(json.dumps(ternary.to_records()))[0]["member"] == "P1"


# --- validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: WeightedGame((), 1),
        lambda: WeightedGame((3, -1), 1),
        lambda: WeightedGame((3, 0), 1),
        lambda: WeightedGame((3, 1.5), 1),
        lambda: WeightedGame((3, True), 1),
        lambda: WeightedGame((3, 1), 0),
        lambda: WeightedGame((3, 1), 5),
        lambda: WeightedGame((3, 1), 2.0),
        lambda: WeightedGame((3, 1), 2, ("a",)),
        lambda: WeightedGame((3, 1), 2, ("a", "a")),
        lambda: council_game("unanimous"),
        lambda: council_game("substantive", size=0),
        lambda: council_game("substantive", permanent=16),
        lambda: council_game("substantive", threshold=16),
        lambda: council_game("substantive", threshold=0),
        lambda: council_game("substantive", names=["x"] * 14),
        lambda: council_power("veto", practice=True),
        lambda: council_power("substantive", practice=True, permanent=-1),
    ],
)
def test_bad_input_raises_value_error(make):
    with pytest.raises(ValueError):
        make()
