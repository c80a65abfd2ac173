"""Benchmark unsc_sim.analysis.power against the PyPI package powerindex.

Run on demand from the repository root: ``python benchmarks/bench_power.py``.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from importlib.metadata import version

import numpy as np

from unsc_sim.analysis.power import WeightedGame, banzhaf, council_game, power_indices
from unsc_sim.model import RuleKind

TOLERANCE = 1e-9


def median_seconds(run: Callable[[], object], *, repeat: int) -> float:
    """Median wall time of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def random_games(count: int, *, seed: int) -> list[WeightedGame]:
    """Games with every weight below the quota: powerindex fails otherwise (negative slice)."""
    rng = np.random.default_rng(seed)
    games = []
    for _ in range(count):
        weights = tuple(int(w) for w in rng.integers(1, 30, size=int(rng.integers(3, 25))))
        games.append(WeightedGame(weights, int(rng.integers(max(weights) + 1, sum(weights) + 1))))
    return games


def powerindex_values(game: WeightedGame) -> tuple[list[float], list[float]]:
    from powerindex import Game

    theirs = Game(game.quota, list(game.weights))
    theirs.calc_shapley_shubik()
    theirs.calc_banzhaf()
    return theirs.shapley_shubik, theirs.banzhaf


def agreement(games: list[WeightedGame]) -> float:
    """Largest |difference| in Shapley–Shubik or normalized Banzhaf over ``games``."""
    worst = 0.0
    for game in games:
        ours = power_indices(game)
        theirs_ss, theirs_bz = powerindex_values(game)
        worst = max(
            worst,
            float(np.max(np.abs(np.subtract(ours.shapley_shubik, theirs_ss)))),
            float(np.max(np.abs(np.subtract(ours.banzhaf, theirs_bz)))),
        )
    return worst


def main() -> None:
    from powerindex import Game

    games = [council_game(rule) for rule in RuleKind] + random_games(20, seed=2024)
    worst = agreement(games)

    weights = tuple(w for w in range(1, 11) for _ in range(100))
    big = WeightedGame(weights, math.ceil(sum(weights) / 2) + 1)
    ours_bz = median_seconds(lambda: banzhaf(big), repeat=21)
    theirs_bz = median_seconds(lambda: Game(big.quota, list(big.weights)).calc_banzhaf(), repeat=3)

    assembly = WeightedGame((1,) * 193, 129)
    ours_ss = median_seconds(lambda: power_indices(assembly), repeat=21)
    start = time.perf_counter()
    try:
        Game(assembly.quota, list(assembly.weights)).calc_shapley_shubik()
        theirs_ss = f"{time.perf_counter() - start:.2f} s"
    except OverflowError as error:  # float(171!) overflows: it fails from 171 members on
        theirs_ss = f"OverflowError ({error}) after {time.perf_counter() - start:.2f} s"

    print(f"unsc-sim vs powerindex {version('powerindex')}: medians of repeated time.perf_counter")
    print(
        f"(a) agreement on {len(games)} games (Council, both rules; {len(games) - 2} random): "
        f"max |diff| {worst:.1e} in Shapley-Shubik and Banzhaf "
        f"({'within' if worst <= TOLERANCE else 'EXCEEDS'} {TOLERANCE:g})"
    )
    print(
        f"(b) Banzhaf, 1,000 members, weights 1..10 (100 each), quota {big.quota}: "
        f"unsc-sim {ours_bz * 1e3:.1f} ms, powerindex {theirs_bz * 1e3:.0f} ms, "
        f"{theirs_bz / ours_bz:.0f}x faster"
    )
    print(
        f"(c) Shapley-Shubik (with Banzhaf), 193 members, quota {assembly.quota}: "
        f"unsc-sim {ours_ss * 1e3:.1f} ms; powerindex {theirs_ss}"
    )


if __name__ == "__main__":
    main()
