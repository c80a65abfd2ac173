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

from unsc_sim.exact import conditional, p_adopted
from unsc_sim.model import Rule, RuleKind
from unsc_sim.montecarlo import sample

ROOT = Path(__file__).resolve().parent.parent
TRIALS = 1_000_000


def median_time(func: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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

    rows = [
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
