"""Engine benchmarks, run on demand: python benchmarks/bench_engine.py

Prints medians and ratios measured in this one run, against the targets of the issue.
Not part of the test suite: timings depend on the machine.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

from unsc_sim.analysis import swing, what_it_takes
from unsc_sim.engine.exact import conditional, p_adopted
from unsc_sim.engine.latent import Factors
from unsc_sim.engine.montecarlo import sample
from unsc_sim.engine.quadrature import NODES, Integrator
from unsc_sim.model import Between, Bloc, Member, Rule, RuleKind, Scenario, Stance

ROOT = Path(__file__).resolve().parent.parent
TRIALS = 1_000_000


def median_time(func: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


NAMES = ("United States", "China", "France", "United Kingdom", "Russian Federation",
         "Bolivia", "Côte d'Ivoire", "Equatorial Guinea", "Ethiopia", "Kazakhstan",
         "Kuwait", "Netherlands", "Peru", "Poland", "Sweden")  # fmt: skip


def scenario(probs: np.ndarray, blocs, between=()) -> Scenario:
    """A substantive scenario of these stances; blocs are (member indices, correlation)."""
    members = tuple(
        Member(n, Stance(*p), permanent=i < 5) for i, (n, p) in enumerate(zip(NAMES, probs))
    )
    named = tuple(Bloc(f"b{j}", tuple(NAMES[i] for i in m), r) for j, (m, r) in enumerate(blocs))
    links = tuple(Between((f"b{i}", f"b{j}"), r) for i, j, r in between)
    return Scenario("bench", Rule(RuleKind.SUBSTANTIVE), members, blocs=named, between=links)


def quadrature_rows(
    probs: np.ndarray, permanent: np.ndarray, blocs
) -> tuple[list[tuple[str, str, str]], float]:
    """The exact engine with blocs: speed, and its agreement with itself and with sampling.

    Returns the rows and the time of one scenario with the two blocs.
    """
    rule = Rule(RuleKind.SUBSTANTIVE)
    opposed = np.array([[1.0, -0.5], [-0.5, 1.0]])
    three = [*blocs, ([6, 7, 8], 0.7)]
    three_corr = np.array([[1.0, -0.5, 0.2], [-0.5, 1.0, -0.3], [0.2, -0.3, 1.0]])

    def one(factors: Factors) -> float:
        return median_time(lambda: Integrator(permanent, factors).p_adopted(probs, rule), 15)

    quad_one = one(Factors.of(blocs))
    quad_opposed = one(Factors.of(blocs, opposed))
    quad_three = one(Factors.of(three, three_corr))
    s = scenario(probs, blocs)
    s_opposed = scenario(probs, blocs, [(0, 1, -0.5)])
    quad_swing = median_time(lambda: swing(s), 9)
    quad_swing_opposed = median_time(lambda: swing(s_opposed), 5)
    whatif = median_time(
        lambda: [what_it_takes(s, side=x, max_best=15) for x in ("pass", "block")], 3
    )

    # Accuracy: twice the nodes, on random bloc scenarios of 1-3 blocs (correlated, up to r = 1).
    rng = np.random.default_rng(7)
    worst_nodes = 0.0
    worst_z = 0.0
    for trial in range(12):
        p = rng.dirichlet(np.full(4, 0.7), size=15)
        k = 1 + trial % 3
        order = rng.permutation(15)
        bl = [(order[4 * j : 4 * j + 4].tolist(), float(rng.choice([0.3, 0.8, 0.99, 1.0])))
              for j in range(k)]  # fmt: skip
        a = rng.normal(size=(k, k + 1))
        cov = a @ a.T
        corr = cov / np.sqrt(np.outer(np.diag(cov), np.diag(cov)))
        f = Factors.of(bl, corr)
        got = Integrator(permanent, f).distributions(p)
        twice = Integrator(permanent, f, nodes=2 * NODES).distributions(p)
        worst_nodes = max(
            worst_nodes, float(np.abs(np.concatenate(got) - np.concatenate(twice)).max())
        )
        if trial < 6:
            m = sample(p, permanent, blocs=bl, between=corr, trials=TRIALS, seed=trial)
            for exact, count in zip(got, (m.total, m.clean)):
                se = np.sqrt(np.maximum(exact * (1 - exact), 1 / TRIALS) / TRIALS)
                worst_z = max(worst_z, float((np.abs(count / TRIALS - exact) / se).max()))
    rows = [
        ("exact P(adopted) with two blocs, one scenario", f"{quad_one * 1e3:.1f} ms", "<= 5 ms"),
        ("  the same two blocs opposed (between -0.5)", f"{quad_opposed * 1e3:.1f} ms", ""),
        ("  three correlated blocs", f"{quad_three * 1e3:.0f} ms", ""),
        ("exact swing of all 15 members, two blocs", f"{quad_swing * 1e3:.0f} ms", "<= 50 ms"),
        ("  the same two blocs opposed (between -0.5)", f"{quad_swing_opposed * 1e3:.0f} ms", ""),
        ("exact what-it-takes, both sides, --max-k 15, two blocs", f"{whatif:.2f} s", "seconds"),
        (f"quadrature, {NODES} vs {2 * NODES} nodes per panel: max |diff| (12 scenarios)",
         f"{worst_nodes:.1e}", "<= 1e-10"),
        ("quadrature vs Monte Carlo 1e6: largest |z| (6 scenarios, 2 x 16 cells)",
         f"{worst_z:.2f}", "<= 4"),
    ]  # fmt: skip
    return rows, quad_one


def main() -> None:
    rng = np.random.default_rng(2018)
    rule = Rule(RuleKind.SUBSTANTIVE)
    permanent = np.arange(15) < 5
    probs = rng.dirichlet(np.ones(4), size=15)
    batch = rng.dirichlet(np.ones(4), size=(100_000, 15))
    blocs = [([0, 2, 3, 11, 13, 14], 0.6), ([1, 4, 5, 9], 0.5)]

    pivots = median_time(lambda: conditional(probs, permanent, rule), 500)
    one = median_time(lambda: p_adopted(probs, permanent, rule), 2000)
    many = median_time(lambda: p_adopted(batch, permanent, rule), 7)
    indep = median_time(lambda: sample(probs, permanent, trials=TRIALS, seed=1), 7)
    bloc = median_time(lambda: sample(probs, permanent, blocs=blocs, trials=TRIALS, seed=1), 7)

    # What numpy alone takes to draw the same random values the bloc run draws:
    # uniforms for the 5 independent members, normals for the 10 bloc members and 2 factors.
    draw = np.random.default_rng(1)
    raw_indep = median_time(lambda: draw.random((TRIALS, 15)), 7)
    raw_bloc = median_time(
        lambda: (draw.random((TRIALS, 5)), draw.standard_normal((TRIALS, 12))), 7
    )
    tracemalloc.start()
    sample(probs, permanent, blocs=blocs, trials=TRIALS, seed=1)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()

    scenario = str(ROOT / "scenarios" / "2018-12-dprk-human-rights.yaml")
    cli = [sys.executable, "-m", "unsc_sim", "run", scenario]
    bare = [sys.executable, "-c", "import numpy"]
    run_cli = median_time(lambda: subprocess.run(cli, check=True, capture_output=True), 9)
    run_numpy = median_time(lambda: subprocess.run(bare, check=True, capture_output=True), 9)

    quad, quad_one = quadrature_rows(probs, permanent, blocs)
    rows = [
        *quad,
        ("  ratio two blocs exact / independent exact (one scenario)",
         f"{quad_one / one:.0f}", ""),
        ("  ratio Monte Carlo 1e6 with the two blocs / exact with them",
         f"{bloc / quad_one:.0f}", ""),
        ("exact P(adopted), one 15-member scenario", f"{one * 1e6:.1f} µs", "<= 50 µs"),
        ("exact pivot probabilities of all 15 members", f"{pivots * 1e3:.3f} ms", "<= 0.5 ms"),
        ("exact P(adopted), 100,000 hypotheticals batched", f"{many:.3f} s", "<= 0.5 s"),
        ("Monte Carlo 1e6 x 15, independent", f"{indep * 1e3:.0f} ms", "<= 100 ms"),
        ("  numpy alone: 15e6 uniforms", f"{raw_indep * 1e3:.0f} ms", ""),
        ("Monte Carlo 1e6 x 15, two correlated blocs", f"{bloc * 1e3:.0f} ms", "<= 500 ms"),
        ("  peak traced memory of the bloc run", f"{peak:.0f} MB", "<= 200 MB"),
        ("  numpy alone: the same draws (5e6 uniforms, 12e6 normals)",
         f"{raw_bloc * 1e3:.0f} ms", ""),
        ("  ratio bloc run / numpy draws", f"{bloc / raw_bloc:.2f}", "<= 2.5"),
        ("`unsc-sim run` whole process", f"{run_cli * 1e3:.0f} ms", ""),
        ("  `python -c 'import numpy'`", f"{run_numpy * 1e3:.0f} ms", ""),
        ("  ratio run / import numpy", f"{run_cli / run_numpy:.2f}", "<= 4"),
    ]  # fmt: skip
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark'.ljust(width)}  {'median':>9}  target")
    for name, value, target in rows:
        print(f"{name.ljust(width)}  {value:>9}  {target}")


if __name__ == "__main__":
    main()
