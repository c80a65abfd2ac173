"""Sweep benchmark, run on demand: python benchmarks/bench_sweep.py

Runs `unsc-sim sweep` as a user would (a whole process, output to a file) and reports wall
time and peak resident memory against the targets of issue 11: a 2-D sweep of 1001 x 1001
points in under 10 s and 300 MB, a 201 x 201 table in about a second.
Not part of the test suite: timings depend on the machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = ROOT / "scenarios" / "2018-12-dprk-human-rights.yaml"
CASES = (  # (steps, format, seconds target, MB target)
    (201, "table", 1.5, 300),
    (1001, "csv", 10, 300),
    (1001, "json", 10, 300),
    (1001, "table", 10, 300),
)
# CPU time and peak resident memory, reported by the child itself as it exits. On a shared
# machine the CPU time is the fairer figure: wall time then includes waiting for a core.
WRAPPER = (
    "import resource, sys, runpy; sys.argv = ['unsc-sim', *sys.argv[1:]]\n"
    "try:\n    runpy.run_module('unsc_sim', run_name='__main__')\n"
    "finally:\n"
    "    r = resource.getrusage(resource.RUSAGE_SELF)\n"
    "    print(f'cpu={r.ru_utime + r.ru_stime} peak_kb={r.ru_maxrss}', file=sys.stderr)\n"
)


def run(steps: int, fmt: str, out: Path) -> tuple[float, float, float, int]:
    args = ["sweep", str(SCENARIO), "--vary", "Ivory Coast", "--vary", "Ethiopia"]
    args += ["--steps", str(steps), "--format", fmt, "-o", str(out)]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *args], capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - start
    cpu, kb = done.stderr.rsplit("cpu=", 1)[1].split(" peak_kb=")
    return seconds, float(cpu), int(kb) / 1024, out.stat().st_size


def main() -> None:
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"{'sweep':<22}{'wall s':>8}{'cpu s':>8}{'target':>8}"
        f"{'peak MB':>9}{'target':>8}{'output':>10}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for steps, fmt, seconds_target, mb_target in CASES:
            out = Path(tmp) / f"sweep.{fmt}"
            seconds, cpu, mb, size = run(steps, fmt, out)
            name = f"{steps} x {steps} {fmt}"
            print(
                f"{name:<22}{seconds:>8.2f}{cpu:>8.2f}{'<= ' + str(seconds_target):>8}"
                f"{mb:>9.0f}{'<= ' + str(mb_target):>8}{size / 1e6:>8.1f}MB"
            )
            os.unlink(out)


if __name__ == "__main__":
    main()
