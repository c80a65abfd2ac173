"""Text and terminals: control characters are refused at load, located, and escaped in every
table, note and message anyway; line breaks keep a message on one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from unsc_sim import loads
from unsc_sim import scenario as scenario_io
from unsc_sim.cli import main
from unsc_sim.output import formats as report_module

from .common import (
    BEL,
    CSI,
    ESC,
    S2018,
    cli,
    council_text,
    hostile_scenario,
    load_error,
    one_error_line,
    with_stance,
)


def test_line_breaks_in_names_stay_on_one_line():
    e = load_error(council_text() + '  "Fr\\nance\\u2028": yes\n')
    assert "\n" not in str(e) and "\u2028" not in str(e)
    assert "Fr\\nance\\u2028" in str(e)


# --- control characters: refused at load, located ------------------------------------------

# What a shared file could carry: OSC 52 writes the clipboard (xterm), ESC[2J clears the screen
# to spoof output, ESC[8m hides text, CSI is ESC[ in one character, CR overwrites a line.
PAYLOADS = {
    "clipboard": "\\e]52;c;cm0gLXJmIH4=\\a",
    "clear": "\\x1b[2J",
    "hidden": "\\e[8m",
    "csi": "\\x9b2J",
    "carriage return": "x\\r=cmd|' /C calc'!A0",
    "delete": "\\x7f",
    "nul": "\\0",
}
# C0 but tab and newline, DEL, C1: what no output may hold raw
CONTROLS = {c for c in (*range(32), 127, *range(0x80, 0xA0)) if c not in (9, 10)}
RAW = (ESC, BEL, CSI, "\r", "\x7f", "\0")  # what the payloads hold once read
FIELDS = {
    # where the payload goes (a double-quoted YAML string), the field and line:column it has
    "title": (lambda p: f'title: "t{p}"\n' + council_text()[len("title: t\n") :], "title", 1, 8),
    "member name": (lambda p: council_text() + f'  "Fr{p}ance": yes\n', "members", 19, 3),
    "note": (
        lambda p: with_stance("Peru", f'{{vote: yes, note: "n{p}"}}'),
        "members.Peru.note",
        16,
        27,
    ),
    "hypothetical name": (
        lambda p: council_text() + f'hypotheticals:\n  "h{p}": {{Peru: yes}}\n',
        "hypotheticals",
        20,
        3,
    ),
    "description": (lambda p: council_text() + f'description: "d{p}"\n', "description", 19, 14),
    "bloc name": (
        lambda p: (
            council_text() + f'blocs:\n  "b{p}": {{members: [Peru, Kuwait], correlation: 0.5}}\n'
        ),
        "blocs",
        20,
        3,
    ),
    "proposed_by": (
        lambda p: council_text() + f'proposed_by: [Peru, "x{p}"]\n',
        "proposed_by[1]",
        19,
        21,
    ),
}


@pytest.mark.parametrize("payload", PAYLOADS, ids=str)
@pytest.mark.parametrize("where", FIELDS, ids=str)
def test_control_characters_are_refused_at_load_with_their_place(where: str, payload: str):
    make, field, line, column = FIELDS[where]
    e = load_error(make(PAYLOADS[payload]))
    assert (e.field, e.line, e.column) == (field, line, column), str(e)
    assert e.message.startswith("text holds a control character (")
    assert e.message.endswith("); only tab and newline are allowed")
    assert not any(c in str(e) for c in RAW)  # the message itself escapes it


def test_tabs_newlines_and_folded_text_are_still_text():
    s = loads(
        council_text().replace("title: t", 'title: "a\\tb"')
        + "description: >\n  folded\n  lines\n\n  and a paragraph\n"
    )
    assert s.title == "a\tb" and s.description.startswith("folded lines\n")


# --- escaped in every table, CSV and plain output anyway (a Scenario built in code) ----------


CONTROL_OUTPUTS = {
    # name: (arguments after the scenario, the output format)
    "run table": (["run"], "table"),
    "run csv": (["run"], "csv"),
    "run json": (["run"], "json"),
    "members table": (["members"], "table"),
    "members csv": (["members"], "csv"),
    "swing table": (["swing", "-H", "x\r=cmd|' /C calc'!A0"], "table"),
    "swing csv": (["swing", "-H", "x\r=cmd|' /C calc'!A0"], "csv"),
    "whatif table": (["whatif", "-H", f"h{ESC}[8m"], "table"),
    "whatif csv": (["whatif", "-H", "x\r=cmd|' /C calc'!A0"], "csv"),
    "sweep table": (["sweep", "--vary", "Kuwait", "--steps", "3", "-H", f"h{ESC}[8m"], "table"),
    "sweep csv": (
        ["sweep", "--vary", "Kuwait", "--steps", "3", "-H", "x\r=cmd|' /C calc'!A0"],
        "csv",
    ),
}


@pytest.mark.parametrize("case", CONTROL_OUTPUTS, ids=str)
def test_control_characters_are_escaped_in_every_output(case: str, monkeypatch):
    command, fmt = CONTROL_OUTPUTS[case]
    monkeypatch.setattr(scenario_io, "load", lambda *_a, **_k: hostile_scenario())
    result = CliRunner().invoke(main, [command[0], "hostile.yaml", *command[1:], "--format", fmt])
    assert result.exit_code == 0, result.output
    out = result.stdout.replace("\r\n", "\n") if fmt == "csv" else result.stdout
    if fmt == "csv":  # a CR inside a value stays, quoted (test_hostile_csv)
        out = out.replace("x\r'=cmd", "x=cmd")
    for text in (out, result.stderr):
        assert not [c for c in text if ord(c) in CONTROLS], repr(text[:300])
    shown = ("\\x1b", "\\u001b", "x\\r=cmd", "x\r'=cmd")  # escaped or quoted, not dropped
    assert any(s in result.stdout for s in shown)
    assert "note: s.yaml:1: read \\x1b]52;c;eA==\\x07 generously" in result.stderr


def test_tables_escape_and_stay_aligned():
    table = report_module.to_table([{"name": f"a{ESC}[2J", "p": 0.5}, {"name": "bb", "p": 1.0}])
    lines = table.splitlines()
    assert ESC not in table and "a\\x1b[2J" in table
    assert len({line.index("0.5") for line in lines[2:3]} | {lines[3].index("1.0")}) == 1


def test_json_escapes_delete_and_c1_controls_too():
    text = report_module.to_json({"t": f"{CSI}2J{ESC}x\x7f\x85"})
    assert text == '{\n  "t": "\\u009b2J\\u001bx\\u007f\\u0085"\n}\n'
    assert json.loads(text)["t"] == f"{CSI}2J{ESC}x\x7f\x85"


def test_messages_of_every_error_stay_on_one_line_and_escape_controls(tmp_path: Path):
    out = tmp_path / f"o{ESC}[2J"
    out.symlink_to(tmp_path / "elsewhere")
    result = cli("--quiet", "run", str(S2018), "-o", str(out))
    assert result.returncode == 2
    line = one_error_line(result.stderr)
    assert ESC not in line and "o\\x1b[2J" in line
