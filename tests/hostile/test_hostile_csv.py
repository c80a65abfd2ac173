"""CSV and JSON for spreadsheets and scripts: no cell is a formula, CR LF line ends (RFC 4180),
no NaN or Infinity in JSON."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from unsc_sim import scenario as scenario_io
from unsc_sim.cli import main
from unsc_sim.output import formats as report_module

from .common import CR_NAME, ESC, council_text, hostile_scenario, write


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("-1", "-1"),
        ("+0.5", "+0.5"),
        ("Peru", "Peru"),
        ("a=b", "a=b"),
    ],
)
def test_csv_cells_are_never_formulas(cell: str, safe: str):
    assert report_module.safe_text(cell) == safe
    assert (
        report_module.to_csv([{"c": cell, "n": -1}])
        .splitlines()[1]
        .startswith(report_module.to_csv([{"c": safe}]).splitlines()[1])
    )
    assert report_module.to_csv([{"c": cell, "n": -1}]).endswith(",-1\r\n")


def test_a_formula_in_a_hypothetical_name_is_neutralised_in_csv(tmp_path: Path):
    path = write(tmp_path, "f.yaml", council_text() + "hypotheticals:\n  '=1+1': {Peru: yes}\n")
    result = CliRunner().invoke(main, ["run", str(path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2].startswith("'=1+1,")


def test_json_never_holds_nan_or_infinity():
    text = report_module.to_json({"a": float("nan"), "b": [float("inf"), -float("inf"), 1.5]})
    assert json.loads(text) == {"a": None, "b": [None, None, 1.5]}
    assert "NaN" not in text and "Infinity" not in text


# --- a line break inside a value: quoted, CR LF line ends, neutralised after every break ------

FORMULA = ("=", "+", "-", "@", "\t", "\r")


def naive_cells(text: str) -> list[str]:
    """The cells a reader that breaks rows at every CR or LF (quotes or not) would see."""
    return [c.strip('"') for line in re.split(r"\r\n|\r|\n", text) for c in line.split(",")]


@pytest.mark.parametrize(
    "value",
    [
        CR_NAME,
        "x\n=1+1",
        "x\r\n@SUM(A1)",
        "-1\n+2",
        "a\r\r=b",
        f"{ESC}[2J=x",
        "\r=HYPERLINK(1)",
    ],
)
def test_a_line_break_in_a_value_is_quoted_and_starts_no_formula(value: str):
    text = report_module.to_csv([{"name": value, "n": -1}, {"name": "b", "n": 2}])
    assert text.startswith("name,n\r\n") and text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))  # an RFC 4180 reader
    assert [len(r) for r in rows] == [2, 2, 2] and rows[2] == ["b", "2"]
    assert rows[1][1] == "-1"
    # Read as the text it was, less the neutralising quotes and escapes.
    assert rows[1][0].replace("'", "") == value.replace("'", "").replace(ESC, "\\x1b")
    # And a reader that splits rows at line breaks meets no formula either.
    assert not [c for c in naive_cells(text) if c.startswith(FORMULA) and not _number(c)]


def test_streamed_csv_is_byte_for_byte_the_whole_document():
    from unsc_sim.output.formats import Numbers

    names = [CR_NAME, f"h{ESC}[8m", "plain"]
    blocks = [[name, Numbers(np.array([0.25, -1.0]))] for name in names]
    streamed = "".join(report_module.stream_csv(["hypothetical", "p"], blocks))
    rows = [{"hypothetical": n, "p": v} for n in names for v in (0.25, -1.0)]
    assert streamed == report_module.to_csv(rows)
    assert streamed.count("\r\n") == 7 and "\"x\r'=cmd" in streamed


CSV_COMMANDS = {
    "run": ["run"],
    "swing -H": ["swing", "-H", CR_NAME],
    "whatif -H": ["whatif", "-H", CR_NAME],
    "sweep -H": ["sweep", "--vary", "Kuwait", "--steps", "3", "-H", CR_NAME],
}


@pytest.mark.parametrize("command", CSV_COMMANDS, ids=str)
def test_a_hypothetical_named_with_a_carriage_return_starts_no_formula(command: str, monkeypatch):
    """The issue's case: `x\\r=cmd|' /C calc'!A0` went out with a bare CR, and the next row
    started with the formula (run, swing -H, whatif -H, sweep -H)."""
    monkeypatch.setattr(scenario_io, "load", lambda *_a, **_k: hostile_scenario())
    out = io.BytesIO()
    args = [CSV_COMMANDS[command][0], "s.yaml", *CSV_COMMANDS[command][1:], "--format", "csv"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    out = result.stdout_bytes.decode("utf-8")
    assert "\r\n" in out and not re.search(r"[^\r]\n", out.replace("x\r'=cmd", ""))
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert len({len(r) for r in rows}) == 1  # the CR stayed inside its quoted cell
    assert any(r[0] == "x\r'=cmd|' /C calc'!A0" for r in rows)
    assert not [c for c in naive_cells(out) if c.startswith(FORMULA) and not _number(c)]


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
