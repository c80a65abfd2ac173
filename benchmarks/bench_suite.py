"""The test suite's wall time against an earlier commit's, run on demand:

    python benchmarks/bench_suite.py [--against 4d95561] [--pairs 3]

Each side is a fresh clone (of HEAD, and of the earlier commit) with its own virtual
environment (``pip install -q -e '.[test]'``), beside a link to ``../shared`` as in CI. The
two run their own README test command, ``python -m pytest``, one after the other, pair after
pair, so that both see the same machine load; each pair prints the two times and their ratio,
and the last line the median ratio. The default earlier commit is the last one before the
layers-as-folders restructure (issue 18). Not part of the test suite: it takes 10 to 20
minutes and the times depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEFORE = "4d95561"  # the last commit before the restructure (issue 18)


def clone(rev: str, into: Path) -> Path:
    """A clone of ``rev`` in ``into/main`` with its venv, and ``into/shared`` as in CI."""
    into.mkdir()
    shared = ROOT.parent / "shared"
    if shared.exists():
        (into / "shared").symlink_to(shared)
    work = into / "main"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(work)], check=True)
    subprocess.run(["git", "-C", str(work), "checkout", "-q", rev], check=True)
    subprocess.run([sys.executable, "-m", "venv", str(work / ".venv")], check=True)
    pip = [str(work / ".venv" / "bin" / "python"), "-m", "pip", "install", "-q", "-e"]
    done = subprocess.run([*pip, ".[test]"], cwd=work, capture_output=True, text=True)
    if done.returncode != 0:  # pip's warnings are shown only when the install fails
        sys.exit(f"pip install failed in {work}:\n{done.stderr[-2000:]}")
    return work


def suite_seconds(work: Path) -> float:
    """One run of ``python -m pytest`` in ``work``; the suite must pass."""
    start = time.perf_counter()
    done = subprocess.run(
        [str(work / ".venv" / "bin" / "python"), "-m", "pytest", "-q"],
        cwd=work,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"the suite failed in {work}:\n{done.stdout[-2000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description="The test suite's wall time against an earlier commit's, pair by pair."
    )
    parser.add_argument("--against", default=BEFORE, help="earlier commit (default %(default)s)")
    parser.add_argument("--pairs", type=int, default=3, help="runs of each (default %(default)s)")
    args = parser.parse_args()
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        new, old = clone("HEAD", Path(tmp) / "new"), clone(args.against, Path(tmp) / "old")
        ratios = []
        print(f"pair  {head} (s)  {args.against} (s)  ratio")
        for pair in range(1, args.pairs + 1):
            a, b = suite_seconds(new), suite_seconds(old)
            ratios.append(a / b)
            print(f"{pair:>4}  {a:>8.1f}  {b:>11.1f}  {a / b:5.2f}", flush=True)
        print(f"median ratio {statistics.median(ratios):.2f} over {args.pairs} pairs")


if __name__ == "__main__":
    main()
