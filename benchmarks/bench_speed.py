"""Issue 21 targets, run on demand: python benchmarks/bench_speed.py

Each row prints a median (whole processes where the issue says so) and its ratio to a
reference measured in the same run. Not part of the test suite: timings depend on the machine.
"""

from __future__ import annotations

import os
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


def cli(*args: str, code: int = 0, env: dict[str, str] | None = None) -> Callable[[], object]:
    cmd = [sys.executable, "-m", "unsc_sim", "-q", *args]

    def call() -> object:
        done = subprocess.run(cmd, capture_output=True, env=env)
        assert done.returncode == code, done.stderr
        return done

    return call


def peak_kb(args: tuple[str, ...]) -> float:
    """The peak resident memory (KB) of one whole ``unsc-sim`` process (Linux, via wait4)."""
    child = subprocess.Popen([sys.executable, "-m", "unsc_sim", "-q", *args])
    _, status, usage = os.wait4(child.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return float(usage.ru_maxrss)


NAMES = ("United States", "China", "France", "United Kingdom", "Russian Federation", "Bolivia",
         "Côte d'Ivoire", "Equatorial Guinea", "Ethiopia", "Kazakhstan", "Kuwait", "Netherlands",
         "Peru", "Poland", "Sweden")  # fmt: skip


def three_blocs(path: Path, corr: tuple[float, ...], hypotheticals: int = 0) -> str:
    """A file with three correlated blocs, every member uncertain (issue 24's work cases)."""
    lines = ["title: three correlated blocs", "rule: substantive", "members:"]
    rng = np.random.default_rng(1)
    for name in NAMES:
        yes, no = rng.uniform(0.2, 0.7), rng.uniform(0.05, 0.2)
        lines.append(f"  {name}: {{vote: {{yes: {yes:.2f}, no: {no:.2f}, "
                     f"abstain: {1 - round(yes, 2) - round(no, 2):.2f}}}}}")  # fmt: skip
    groups = ((0, 2, 3, 11, 14), (1, 4, 5, 9), (6, 7, 8, 10))
    lines.append("blocs:")
    for b, (group, r) in enumerate(zip(groups, corr)):
        lines.append(
            f"  b{b}: {{members: [{', '.join(NAMES[i] for i in group)}], correlation: {r}}}"
        )
    lines += ["between:"] + [
        f"  - {{blocs: [b{i}, b{j}], correlation: {r}}}"
        for i, j, r in ((0, 1, 0.3), (0, 2, 0.2), (1, 2, -0.2))
    ]
    if hypotheticals:
        lines += ["hypotheticals:"]
        lines += [f"  h{i}: {{{NAMES[i % 15]}: yes}}" for i in range(hypotheticals)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


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
        out = str(Path(tmp) / "sweep.csv")
        one = ("sweep", drafted, "--vary", "China", "--steps", "1001", "-o", out)
        rows.append(("sweep 1,001 drafted scenario (s)", median_time(cli(*one), 3), "< 2 s"))
        two = (*one[:4], "--vary", "France", *one[4:])
        rows.append(("sweep 1,001 x 1,001 drafted (s)", median_time(cli(*two), 1), "< 60 s"))
        peak = peak_kb(two)
        rows.append(("  peak memory of that sweep (MB)", peak / 1024, "< 300 MB"))
        for command, target in (("backtest", 2.0), ("history", 1.5)):
            cli(command)()  # the record's parsed form and the backtest, into the cache folder
            t = median_time(cli(command), 3)
            rows.append((f"{command} / import numpy", t / numpy, f"<= {target}"))
        cold = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "cold")}
        rows.append(
            ("backtest, empty cache folder (s)", median_time(cli("backtest", env=cold), 1), "")
        )
        five = three_blocs(Path(tmp) / "five.yaml", (0.6, 0.5, 0.7), 4)
        t = median_time(cli("run", five), 3) / 5
        rows.append(("run 3 corr. blocs, s per variant (5)", t, "< 0.5 s"))
        many = three_blocs(Path(tmp) / "many.yaml", (0.6, 0.5, 0.7), 1000)
        for command in ("run", "report", "plot"):
            t = median_time(cli(command, many, "-o", str(Path(tmp) / "out"), code=2), 1)
            rows.append((f"{command} 1,000 hyp., 3 corr. blocs (refused)", t, "< 30 s"))
        for corr in ((0.9, 0.95, 0.99), (1.0, 1.0, 1.0)):
            strong = three_blocs(Path(tmp) / "strong.yaml", corr)
            t = median_time(cli("whatif", strong, code=2), 1)
            rows.append((f"whatif 3 corr. blocs at {corr[0]}-{corr[-1]} (refused)", t, "< 30 s"))
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
