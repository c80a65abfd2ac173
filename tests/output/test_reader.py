"""What a reader meets (issue 22): figures that explain, outputs that fit, records as
scenarios, shared scenarios, words read in any case, and the README's getting started."""

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import matplotlib.colors as mcolors
import pytest
from click.testing import CliRunner
from matplotlib.figure import Figure

import unsc_sim
from unsc_sim import analysis, engine
from unsc_sim.analysis.sweep import DEFAULT_STEPS
from unsc_sim.cli import main
from unsc_sim.model import RuleKind, Vote
from unsc_sim.output import plots
from unsc_sim.record import recorded_vote

from ..conftest import ROOT, SCENARIOS

S2018 = str(SCENARIOS / "2018-12-dprk-human-rights.yaml")
RECORD_ID = "2014-12-22-dprk"  # adopted 11-2-2: sure votes, no single vote decides it
TWO_VETOES = """\
title: Two vetoes and one doubt
rule: substantive
members:
  United States: yes
  China: no
  France: yes
  United Kingdom: yes
  Russia: no
  Bolivia: yes
  Côte d'Ivoire: yes
  Equatorial Guinea: yes
  Ethiopia: yes
  Kazakhstan: yes
  Kuwait: {yes: 0.5, abstain: 0.5}
  Netherlands: yes
  Peru: yes
  Poland: yes
  Sweden: yes
"""


def invoke(*args: str):
    return CliRunner().invoke(main, ["--quiet", *args])


def by_gid(fig: Figure, gid: str) -> list:
    return fig.findobj(lambda a: a.get_gid() == gid)


def texts(fig: Figure) -> str:
    found = fig.findobj(lambda a: hasattr(a, "get_text") and a.get_visible())
    return "\n".join(t.get_text() for t in found)


@pytest.fixture(scope="module")
def record_file(tmp_path_factory):
    """``history ID --as-scenario`` written to a file, as the README says to."""
    path = tmp_path_factory.mktemp("record") / "dprk-2014.yaml"
    result = invoke("history", RECORD_ID, "--as-scenario", "-o", str(path))
    assert result.exit_code == 0, result.output
    return path


# Figures


def test_long_titles_wrap_and_never_leave_the_figure(dec2018):
    title = "A scenario whose title goes on and on, " * 4
    swing = analysis.swing(dec2018, "held-anyway")
    fig = plots.swing(swing, title=title, source="Source: " + "a long citation, " * 12)
    fig.savefig(io.BytesIO(), format="png")  # a real draw, as the file gets it
    edge = fig.bbox
    wanted = {fig.get_suptitle(), fig.axes[0].get_title(loc="left"), fig.texts[0].get_text()}
    found = [t for t in fig.findobj(lambda a: hasattr(a, "get_text")) if t.get_text() in wanted]
    assert len(found) == 3
    for text in found:
        box = text.get_window_extent()
        assert edge.x0 - 1 <= box.x0 and box.x1 <= edge.x1 + 1, text.get_text()[:40]
    assert "\n" in fig.get_suptitle()


def test_sweep_curve_marks_the_scenario_and_the_even_chance(dec2018):
    one = analysis.sweep(dec2018, ["Côte d'Ivoire"], hypothetical="held-anyway")
    assert one.at == (0.4,)
    assert one.p_adopted_at == pytest.approx(unsc_sim.simulate(dec2018, "held-anyway").p_adopted)
    fig = plots.sweep(one)
    (mark,) = by_gid(fig, "scenario")
    assert (mark.get_xdata()[0], mark.get_ydata()[0]) == (0.4, pytest.approx(0.616))
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "even chance" in legend and any(x.startswith("the scenario") for x in legend)


def test_sweep_heat_map_draws_the_50_percent_contour_or_says_there_is_none(dec2018):
    crossing = plots.sweep(analysis.sweep(dec2018, ["Kazakhstan", "Côte d'Ivoire"]))
    assert by_gid(crossing, "p50") and by_gid(crossing, "scenario")
    above = analysis.sweep(dec2018, ["Bolivia", "Ethiopia"], hypothetical="ivory-coast-yes")
    fig = plots.sweep(above)
    assert not by_gid(fig, "p50")
    assert "no 50% line: P(adopted) is above 50% everywhere" in texts(fig)


def test_a_flat_sweep_says_why(dec2018_sure):
    fig = plots.sweep(analysis.sweep(dec2018_sure, ["France"], steps=3))
    (flat,) = by_gid(fig, "flat")
    assert "whatever France does" in flat.get_text()


def _notebook_namespace(path: Path) -> tuple[dict, list[dict]]:
    """Run the notebook's code cells up to (not including) the first sweep, from notebooks/."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    namespace: dict = {}
    here = os.getcwd()
    os.chdir(path.parent)
    try:
        for cell in cells:
            code = "".join(cell["source"])
            if cell["cell_type"] != "code" or "analysis.sweep" in code:
                if "analysis.sweep" in code:
                    break
                continue
            exec(re.sub(r"^%.*$", "", code, flags=re.M), namespace)
    finally:
        os.chdir(here)
    return namespace, cells


def test_notebook_3_figure_draws_the_white_line_and_the_dot_its_text_describes():
    namespace, cells = _notebook_namespace(ROOT / "notebooks" / "03-what-it-takes.ipynb")
    i = next(i for i, c in enumerate(cells) if "The white line" in "".join(c["source"]))
    text, code = "".join(cells[i]["source"]), "".join(cells[i + 1]["source"])
    *setup, last = code.strip().splitlines()
    exec("\n".join(setup), namespace)
    fig = eval(last, namespace)
    (contour,) = by_gid(fig, "p50")
    assert mcolors.to_hex(contour.get_edgecolor()[0]) == "#ffffff"  # "the white line"
    assert "orange dot" in text
    (dot,) = by_gid(fig, "scenario")
    assert mcolors.to_rgb(dot.get_markerfacecolor())[0] > 0.9  # orange: mostly red, no blue
    assert mcolors.to_rgb(dot.get_markerfacecolor())[2] < 0.1


def test_default_sweep_member_is_the_most_pivotal_uncertain_one(dec2018, monkeypatch, tmp_path):
    swing = analysis.swing(dec2018, "held-anyway")
    sure = next(r for r in swing.rows if r.stance == "yes")  # a sure vote: a flat sweep
    assert swing.most_pivotal() == "Côte d'Ivoire" != sure.member
    assert swing.rows[0].member == "Côte d'Ivoire"
    assert analysis.swing(dec2018, "kazakhstan-as-on-syria").most_pivotal() == "Bolivia"
    drawn: list[Figure] = []
    monkeypatch.setattr("unsc_sim.cli.plots._save_figure", lambda fig, *_: drawn.append(fig))
    result = invoke("plot", S2018, "--kind", "sweep", "-H", "held-anyway", "-o", "x.png")
    assert result.exit_code == 0, result.output
    assert drawn[0].axes[0].get_xlabel() == "P(Côte d'Ivoire votes yes)"


def test_swing_on_sure_votes_says_in_the_figure_why_it_is_flat(record_file):
    s = unsc_sim.load(record_file)
    fig = plots.swing(analysis.swing(s))
    (why,) = by_gid(fig, "flat")
    assert "No member's vote alone moves P(adopted)" in why.get_text()
    assert "0 pts" not in texts(fig)


def test_swing_leaves_zero_bars_unlabelled_and_says_so(dec2018_sure):
    fig = plots.swing(analysis.swing(dec2018_sure))
    assert "0 pts" not in texts(fig).replace("100 pts", "")
    assert "no bar: its vote alone\nchanges nothing" in texts(fig)


def test_abstain_is_never_drawn_like_no(dec2018_sure):
    assert plots.COLORS[Vote.ABSTAIN] != plots.COLORS[Vote.NO]
    result = unsc_sim.simulate(dec2018_sure)
    fig = plots.chamber(result, by="p_yes")
    seats = {
        a.get_gid()[5:]: a for a in fig.findobj(lambda a: str(a.get_gid()).startswith("seat:"))
    }
    red = mcolors.to_rgb(plots.COLORS[Vote.NO])
    for name in ("Côte d'Ivoire", "China"):  # a sure abstainer and a sure "no": P(yes) 0
        face = mcolors.to_rgb(seats[name].get_facecolor())
        assert sum(abs(a - b) for a, b in zip(face, red)) > 0.5  # not red
    (abstain,) = by_gid(fig, "dot:Côte d'Ivoire:abstain")
    (no,) = by_gid(fig, "dot:China:no")
    assert mcolors.to_hex(abstain.get_facecolor()) == plots.COLORS[Vote.ABSTAIN]
    assert mcolors.to_hex(no.get_facecolor()) == plots.COLORS[Vote.NO]


# Outputs


def test_every_command_with_output_and_format_shares_the_inference():
    ctx = click.Context(main)  # the commands load lazily: ask for each, as --help does
    commands = [main.get_command(ctx, name) for name in main.list_commands(ctx)]
    both = [c for c in commands if {"output", "fmt"} <= {p.name for p in c.params}]
    assert len(both) >= 10
    for command in both:
        fmt = next(p for p in command.params if p.name == "fmt")
        assert fmt.default is None and "extension" in (fmt.help or ""), command.name


@pytest.mark.parametrize(
    "args",
    [
        ("run", S2018),
        ("sweep", S2018, "--vary", "Kazakhstan", "--steps", "3"),
        ("roster", "2020"),
        ("members", S2018),
        ("history", "--topic", "dprk"),
        ("whatif", S2018, "--side", "pass"),
    ],
)
def test_output_extension_chooses_the_format_unless_format_says(tmp_path, args):
    table = invoke(*args).stdout
    for name in ("r.json", "r.csv", "r.txt", "r"):
        out = tmp_path / name
        assert invoke(*args, "-o", str(out)).exit_code == 0
        text = out.read_text(encoding="utf-8")
        if name.endswith(".json"):
            assert isinstance(json.loads(text), dict)
        elif name.endswith(".csv"):
            assert "," in text.splitlines()[0] and not text.startswith("{")
        else:
            assert text == table
    out = tmp_path / "forced.json"
    assert invoke(*args, "-o", str(out), "--format", "csv").exit_code == 0
    assert not out.read_text(encoding="utf-8").startswith("{")


def test_csv_cells_are_flat_text():
    result = invoke("run", S2018, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    why = next(r for r in rows if r["hypothetical"] == "kazakhstan-as-on-syria")["pivotal_why"]
    assert why.startswith("China: its yes would make 9 yes votes (9 needed); Côte d'Ivoire: ")
    assert not any("{" in cell or "'member'" in cell for row in rows for cell in row.values())


def test_closed_pipes_exit_as_the_readme_says():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`unsc-sim run SCENARIO | head -1` exits 0" in readme
    command = [sys.executable, "-m", "unsc_sim", "--quiet"]
    short = subprocess.run(
        ["bash", "-c", 'set -o pipefail; "$@" | head -1', "sh", *command, "run", S2018],
        capture_output=True,
        text=True,
    )
    assert (short.returncode, short.stderr) == (0, "")  # the pipe took the whole table
    read, write = os.pipe()
    os.close(read)  # the reader has gone before anything is written
    try:
        gone = subprocess.run([*command, "run", S2018], stdout=write, stderr=subprocess.PIPE)
    finally:
        os.close(write)
    assert gone.returncode == 1
    assert gone.stderr.decode().splitlines() == [
        "unsc-sim: error: cannot write to standard output: Broken pipe"
    ]


def test_sweep_table_names_the_members_and_says_the_variant_once():
    result = invoke("sweep", S2018, "--vary", "Kazakhstan", "--vary", "Ivory Coast", "--steps", "2")
    lines = result.stdout.splitlines()
    assert lines[0].startswith("DPRK human rights briefing, December 2018: baseline, varying")
    assert lines[1].startswith("given the reports")  # the 2018 baseline is conditioned
    assert lines[3].split("  ") == ["P(Kazakhstan yes)", "P(Côte d'Ivoire yes)", "p_adopted"]
    assert "baseline" not in "\n".join(lines[2:])
    assert "p_yes_1" not in result.stdout


def test_sweep_and_plot_share_one_default_step_count():
    def default(command: str) -> int:
        return next(p.default for p in main.commands[command].params if p.name == "steps")

    assert default("sweep") == default("plot") == DEFAULT_STEPS
    assert analysis.sweep.__kwdefaults__["steps"] == DEFAULT_STEPS


def test_no_member_deciding_is_said_in_words(tmp_path):
    path = tmp_path / "two-vetoes.yaml"
    path.write_text(TWO_VETOES, encoding="utf-8")
    result = invoke("run", str(path))
    assert result.exit_code == 0, result.output
    assert "  baseline: uncertain; no member's vote decides it\n" in result.stdout
    assert "0.00)" not in result.stdout and "none at 0.5" not in result.stdout


# Records as scenarios


def test_history_as_scenario_writes_topic_sides_description_and_sources(record_file):
    v = recorded_vote(RECORD_ID)
    s = unsc_sim.load(record_file)
    assert s.topic == "dprk"
    assert s.proposed_by == tuple(v.proposed_by) and s.opposed_by == tuple(v.opposed_by)
    assert s.sources == tuple(v.sources)
    assert s.description.startswith("The Council's recorded procedural vote of 22 December 2014")
    assert "adopted 11-2-2" in s.description and "http" not in s.description
    assert "Hammarskjöld" in record_file.read_text(encoding="utf-8")  # not \\u00f6
    out = record_file.parent / "history.png"
    result = invoke("plot", str(record_file), "--kind", "history", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0


def test_scenario_sources_must_be_a_list_of_texts(tmp_path):
    text = Path(S2018).read_text(encoding="utf-8")
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace("rule: procedural", "rule: procedural\nsources: S/PV.1", 1))
    result = invoke("validate", str(path), "--sources", str(ROOT))
    assert result.exit_code == 2 and "sources must be a list of texts" in result.output


# Sharing scenarios

COMMANDS = [
    ("run",),
    ("members",),
    ("validate",),
    ("swing",),
    ("whatif", "--side", "pass"),
    ("sweep", "--vary", "Kazakhstan", "--steps", "2"),
    ("plot", "--kind", "chamber", "-o", "{tmp}/f.png"),
    ("report", "-o", "{tmp}/p.html"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_sources_takes_the_seeds_folder_or_the_project(tmp_path, command):
    copy = tmp_path / "shared.yaml"
    shutil.copy(S2018, copy)
    name, *rest = (x.format(tmp=tmp_path) for x in command)
    alone = invoke(name, str(copy), *rest)
    assert alone.exit_code == 2
    assert "pass the project's seeds folder (--sources PATH/seeds)" in alone.output
    for folder in (ROOT / "seeds", ROOT):
        result = invoke(name, str(copy), *rest, "--sources", str(folder))
        assert result.exit_code == 0, (folder, result.output)


# Words


def test_topics_and_fixed_choices_are_read_in_any_case():
    assert (
        invoke("history", "--topic", "Ukraine").stdout
        == invoke("history", "--topic", "ukraine").stdout
    )
    assert json.loads(invoke("run", S2018, "--format", "JSON").stdout)["results"]
    assert invoke("power", "--rule", "Substantive").exit_code == 0
    assert invoke("whatif", S2018, "--side", "PASS").exit_code == 0
    assert invoke("run", S2018, "--method", "Exact").exit_code == 0
    assert RuleKind("Substantive") is RuleKind.SUBSTANTIVE
    assert len(unsc_sim.record.recorded_votes(topic=" DPRK ")) == len(
        unsc_sim.record.recorded_votes(topic="dprk")
    )


def test_plot_kinds_and_sides_in_any_case(tmp_path):
    out = str(tmp_path / "f.png")
    assert invoke("plot", S2018, "--kind", "Chamber", "--by", "P_YES", "-o", out).exit_code == 0


def test_a_changed_result_is_custom_in_the_library_as_in_the_cli(dec2018):
    changed = unsc_sim.simulate(dec2018, changes={"Ivory Coast": "yes"})
    assert changed.hypothetical == "custom"
    assert engine.run(dec2018, changes={"Ivory Coast": "yes"})[-1].hypothetical == "custom"
    assert unsc_sim.simulate(dec2018).hypothetical == "baseline"
    rows = json.loads(invoke("run", S2018, "--set", "Ivory Coast=yes", "--format", "json").stdout)
    assert rows["results"][-1]["hypothetical"] == "custom"


def test_result_repr_is_one_short_line(dec2018):
    text = repr(unsc_sim.simulate(dec2018, "held-anyway"))
    assert text == "Result('held-anyway', p_adopted=0.616, expected_yes=8.8, method='exact')"


def test_backtest_columns_are_explained_in_the_footer_and_the_help():
    from unsc_sim.record.backtest import MEMBER_COLUMNS, VOTE_COLUMNS, format_table

    help_text = invoke("backtest", "--help").stdout
    for name, _ in (*VOTE_COLUMNS, *MEMBER_COLUMNS):
        assert re.search(rf"^  {re.escape(name)} +\S", help_text, re.M), name
    assert {"base", "own", "mode"} <= {name for name, _ in VOTE_COLUMNS}

    class Empty:  # a backtest with no rows: the footer alone
        votes = members = scores = calibration = ()
        alpha, half_life, rho, opposed = 1.0, 2.0, 0.99, False
        topic_weight, kind_weight, shrink, topic_alpha, slope = 1.0, 2.0, 2.0, 0.0, 0.25

    footer = format_table(Empty())  # type: ignore[arg-type]
    assert "columns:\n  P(adopt) " in footer
    assert re.search(r"^  own +baseline: P\(adopted\) from each member's own", footer, re.M)


# Getting started


def test_readme_says_how_to_open_the_notebooks_and_how_long_the_tests_take():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install -e '.[notebooks]' && jupyter lab notebooks/" in readme
    assert re.search(r"takes about \d+-\d+ minutes", readme)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^notebooks = \["jupyterlab>=[\d.]+"\]$', pyproject, re.M)
