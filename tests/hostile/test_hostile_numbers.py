"""Hostile numbers: every documented limit answers or names itself in one line (trials, alpha,
steps, max-k, power games, sweeps, figure variants)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from unsc_sim import load
from unsc_sim.cli import main
from unsc_sim.output import formats as report_module

from .common import S2018, cli, council_text, one_error_line, snapshot, write

# --- hostile numbers: work is bounded ------------------------------------------------------

HOSTILE_NUMBERS = {
    # name: (arguments, exit status, a piece of the one error line (None: no error))
    "trials 10**20": (
        ["run", str(S2018), "--trials", str(10**20)],
        2,
        "'--trials': 100000000000000000000 is not in the range 1<=x<=100000000",
    ),
    "trials 0": (["run", str(S2018), "--trials", "0"], 2, "is not in the range 1<=x<=100000000"),
    "swing trials 10**9": (["swing", str(S2018), "--trials", str(10**9)], 2, "is not in the range"),
    "alpha nan": (["backtest", "--alpha", "nan"], 2, "'--alpha': nan is not a number"),
    "alpha inf": (["backtest", "--alpha", "inf"], 2, "'--alpha': inf is not in the range"),
    "alpha 0": (["backtest", "--alpha", "0"], 2, "'--alpha': 0.0 is not in the range"),
    "alpha -1": (["backtest", "--alpha", "-1"], 2, "'--alpha': -1.0 is not in the range"),
    "steps 1002": (
        ["sweep", str(S2018), "--vary", "Peru", "--steps", "1002"],
        2,
        "'--steps': 1002 is not in the range",
    ),
    "max-k 16": (["whatif", str(S2018), "--max-k", "16"], 2, "'--max-k': 16 is not in the range"),
    "weights 10**12": (
        ["power", "--weights", "3*1000000000000", "--quota", "2000000000000"],
        0,
        None,
    ),
    "weights 10**18": (
        ["power", "--weights", f"{10**18},{10**18 - 1},3", "--quota", str(10**18 + 1)],
        0,
        None,
    ),
    "quota above the total": (
        ["power", "--weights", "1,2,3", "--quota", "7"],
        2,
        "quota must be an integer from 1 to 6, got 7",
    ),
    "20,000 distinct weights": (
        ["power", "--weights", ",".join(map(str, range(1, 20_001))), "--quota", "100000000"],
        2,
        "game too large: 20,000 members, 20,000 distinct weights",
    ),
    "1,100 equal members": (["power", "--weights", "1100*1", "--quota", "1100"], 0, None),
    "100,000 members": (["power", "--weights", "100000*1", "--quota", "50001"], 0, None),
    "100,000 members, two weights": (
        ["power", "--weights", "50000*1,50000*2", "--quota", "75001"],
        2,
        "game too large: 100,000 members, 2 distinct weights",
    ),
    "10**9 members": (
        ["power", "--weights", "1000000000*1", "--quota", "5"],
        2,
        "--weights: 1,000,000,000 members; the limit is 100,000",
    ),
}


@pytest.mark.parametrize("case", HOSTILE_NUMBERS, ids=str)
def test_hostile_numbers_answer_or_name_the_limit(case: str, tmp_path: Path):
    args, status, expected = HOSTILE_NUMBERS[case]
    result = cli(*args, "--format", "json", cwd=tmp_path, timeout=300)
    assert result.returncode == status, result.stderr
    if expected is None:
        assert "NaN" not in result.stdout and "Infinity" not in result.stdout
        rows = json.loads(result.stdout)["indices"]
        assert abs(sum(r["banzhaf"] for r in rows) - 1) < 1e-9
        assert abs(sum(r["shapley_shubik"] for r in rows) - 1) < 1e-9
    else:
        assert expected in one_error_line(result.stderr) and result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_equal_members_get_their_closed_forms():
    from fractions import Fraction

    from unsc_sim.analysis.power import WeightedGame, power_indices

    unanimity = power_indices(WeightedGame((1,) * 1100, 1100))  # a FloatingPointError before
    assert unanimity.banzhaf[0] == unanimity.shapley_shubik[0] == 1 / 1100
    assert unanimity.banzhaf_absolute[0] == 0.0  # 2**-1099 is below float64's range
    exact = power_indices(WeightedGame((5,) * 7, 16), exact=True)  # quota 16 is 4 of 7
    assert exact.banzhaf_absolute[0] == Fraction(20, 64) and exact.shapley_shubik[0] == Fraction(
        1, 7
    )
    huge = power_indices(WeightedGame((10**12, 10**12 - 1, 3), 10**12 + 1))
    assert huge.shapley_shubik == pytest.approx((1 / 3,) * 3)


def test_sweeps_are_bounded_and_stream_the_same_bytes():
    from unsc_sim.analysis.sweep import MAX_SWEEP_POINTS, sweep
    from unsc_sim.cli.analysis import _sweep_blocks

    s = load(S2018)
    with pytest.raises(ValueError, match="at most 1,002,001 points"):
        sweep(s, ["Peru", "Kuwait"], steps=1002)
    assert MAX_SWEEP_POINTS == 1001 * 1001
    r = sweep(s, ["Peru", "Kuwait"], steps=7, hypothetical="held-anyway")
    head = {"title": s.title, "hypothetical": r.hypothetical, "members": list(r.members)}
    streamed = "".join(report_module.stream_json(head, "points", r.fields, _sweep_blocks(r, 5)))
    assert streamed == report_module.to_json({**head, "points": r.to_records()})
    streamed = "".join(report_module.stream_csv(r.fields, _sweep_blocks(r, 5)))
    assert streamed == report_module.to_csv(r.to_records())
    table = CliRunner().invoke(main, ["sweep", str(S2018), "--vary", "Peru", "--vary", "Kuwait",
                                      "-H", "held-anyway", "--steps", "7"]).stdout  # fmt: skip
    named = {"p_yes_1": "P(Peru yes)", "p_yes_2": "P(Kuwait yes)", "p_adopted": "p_adopted"}
    rows = [{named[k]: v for k, v in x.items() if k in named} for x in r.to_records()]
    assert table.split("\n\n", 1)[1] == report_module.to_table(rows)


@pytest.mark.parametrize("how", ["the file's hypotheticals", "seven -H"])
def test_plot_refuses_more_variants_than_a_figure_shows(how: str, tmp_path: Path):
    names = [f"h{i}" for i in range(1000 if how.startswith("the file") else 7)]
    text = council_text() + "hypotheticals:\n" + "".join(f"  {n}: {{Peru: yes}}\n" for n in names)
    path = write(tmp_path, "many.yaml", text)
    picked = [] if how.startswith("the file") else [x for n in names for x in ("-H", n)]
    before = snapshot(tmp_path)
    start = time.perf_counter()
    result = cli("plot", str(path), *picked, "-o", str(tmp_path / "f.png"), timeout=60)
    assert time.perf_counter() - start < 30  # refused before anything is computed
    assert result.returncode == 2, result.stderr
    count = len(names) + (1 if how.startswith("the file") else 0)
    assert one_error_line(result.stderr) == (
        f"{path}: {count:,} variants; a distribution figure shows at most 6 "
        "(choose some with -H NAME, or use `unsc-sim run`)"
    )
    assert snapshot(tmp_path) == before
