"""Issue 21 targets, run on demand: python benchmarks/bench_speed.py

Each row prints a median (whole processes where the issue says so) and its ratio to a
reference measured in the same run. Not part of the test suite: timings depend on the machine.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from unsc_sim.engine.exact import CHUNK, p_adopted
from unsc_sim.engine.latent import Factors
from unsc_sim.engine.quadrature import Integrator
from unsc_sim.model import Rule, RuleKind

ROOT = Path(__file__).resolve().parent.parent


def median_time(func: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cli(*args: str) -> Callable[[], object]:
    cmd = [sys.executable, "-m", "unsc_sim", *args]
    return lambda: subprocess.run(cmd, check=True, capture_output=True)


def main() -> None:
    numpy = median_time(
        lambda: subprocess.run([sys.executable, "-c", "import numpy"], check=True), 5
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        drafted = str(Path(tmp) / "d.yaml")
        cli("new", "--date", "2026-12-10", "--proposed-by", "United States", "-o", drafted)()
        for name in ("2018-12-dprk-human-rights.yaml", "2019-12-dprk-human-rights.yaml"):
            t = median_time(cli("whatif", str(ROOT / "scenarios" / name)), 3)
            rows.append((f"whatif {name}", t, "< 1 s"))
        rows.append(("whatif drafted scenario", median_time(cli("whatif", drafted), 3), "< 1 s"))
        rows.append(("run drafted scenario", median_time(cli("run", drafted), 3), ""))
        for command, target in (("backtest", 2.0), ("history", 1.5)):
            t = median_time(cli(command), 3)
            rows.append((f"{command} / import numpy", t / numpy, f"<= {target}"))
        t = median_time(cli("run", str(ROOT / "scenarios" / "2018-12-dprk-human-rights.yaml")), 5)
        rows.append(("run / import numpy", t / numpy, "<= 2.5"))

    rule = Rule(RuleKind.SUBSTANTIVE)
    permanent = np.arange(15) < 5
    rng = np.random.default_rng(1)
    probs = rng.dirichlet(np.ones(4), size=15)
    near = Factors.of(
        [([0, 2, 3, 11, 13], 0.8), ([1, 4, 5, 9], 0.7)], np.array([[1, 0.999], [0.999, 1]])
    )
    t = median_time(lambda: Integrator(permanent, near).p_adopted(probs, rule), 5)
    rows.append(("one P(adopted), between 0.999", t, "< 50 ms"))

    batch = rng.dirichlet(np.ones(4), size=(1_000_000, 15))
    whole = median_time(lambda: p_adopted(batch, permanent, rule), 3)
    chunked = median_time(
        lambda: [p_adopted(batch[i : i + CHUNK], permanent, rule) for i in range(0, 10**6, CHUNK)],
        3,
    )
    rows.append(("p_adopted 1e6 / chunks of 4096", whole / chunked, "<= 1.5"))
    print(f"{'benchmark':<48}{'median or ratio':>16}  target")
    for name, value, target in rows:
        print(f"{name:<48}{value:>16.3f}  {target}")


if __name__ == "__main__":
    main()
