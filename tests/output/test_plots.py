"""Figures: each kind renders through the CLI, and the library returns labelled Figures."""

import itertools
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import matplotlib.colors as mcolors
import numpy as np
import pytest
from click.testing import CliRunner
from matplotlib.axes import Axes
from matplotlib.collections import QuadMesh
from matplotlib.figure import Figure

import unsc_sim
from unsc_sim import Stance, analysis
from unsc_sim.cli import main
from unsc_sim.output import plots
from unsc_sim.record import recorded_votes

from ..conftest import ROOT, SCENARIOS
from ..helpers import NAMES

S2018 = str(SCENARIOS / "2018-12-dprk-human-rights.yaml")
S2019 = str(SCENARIOS / "2019-12-dprk-human-rights.yaml")
MAGIC = {".png": b"\x89PNG\r\n\x1a\n", ".pdf": b"%PDF"}


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def legend_texts(ax: Axes) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


def seats(fig: Figure) -> dict[str, object]:
    found = fig.findobj(lambda a: str(a.get_gid()).startswith("seat:"))
    return {a.get_gid().removeprefix("seat:"): a for a in found}


@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        ("distribution", ()),
        ("chamber", ("--by", "p_yes", "-H", "held-anyway")),
        ("swing", ("-H", "held-anyway")),
        ("sweep", ("--vary", "Ivory Coast", "--steps", "5")),
        ("sweep", ("--vary", "Ivory Coast", "--vary", "Kuwait", "--steps", "5")),
        ("history", (S2019,)),
    ],
)
@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
def test_every_kind_renders_in_every_format(tmp_path, kind, extra, suffix):
    out = tmp_path / f"figure{suffix}"
    result = invoke("plot", S2018, "--kind", kind, *extra, "-o", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if suffix == ".svg":
        assert b"<svg" in data[:2000]
    else:
        assert data.startswith(MAGIC[suffix])
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left


def test_figures_are_reproducible_and_not_private(tmp_path):
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    for out in (first, second):
        assert invoke("plot", S2018, "--kind", "chamber", "-o", str(out)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(first.stat().st_mode) == 0o666 & ~umask


def test_unknown_extension_is_one_line_and_exit_2(tmp_path):
    out = tmp_path / "figure.jpg"
    result = invoke("plot", S2018, "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "unknown figure format" in result.stderr and ".png, .svg or .pdf" in result.stderr
    assert not out.exists()


def test_plot_refuses_to_overwrite_its_scenario(tmp_path):
    scenario = tmp_path / "scenario.png"  # a YAML file, whatever its name
    members = "".join(f"  {name}: yes\n" for name in NAMES)
    scenario.write_text(f"title: t\nrule: procedural\nmembers:\n{members}", encoding="utf-8")
    before = scenario.read_bytes()
    result = invoke("plot", str(scenario), "-o", str(scenario))
    assert result.exit_code == 2 and "refusing to overwrite" in result.stderr
    assert scenario.read_bytes() == before


@pytest.mark.parametrize(
    "args",
    [
        ("--kind", "chamber", "--vary", "Kuwait"),
        ("--kind", "swing", "-H", "ivory-coast-yes", "-H", "held-anyway"),
        ("--kind", "chamber", S2019),
        ("--kind", "chamber", "-H", "nope"),
    ],
)
def test_plot_usage_errors_exit_2(tmp_path, args):
    result = invoke("plot", S2018, *args, "-o", str(tmp_path / "f.png"))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith("unsc-sim: error:")
    assert "Traceback" not in result.output


def test_import_unsc_sim_does_not_import_matplotlib():
    code = "import unsc_sim, sys; assert 'matplotlib' not in sys.modules, 'imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_distribution_labels_and_threshold(dec2018):
    fig = plots.distribution(unsc_sim.run(dec2018), title=dec2018.title, source="the source")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Number of yes votes (of 15)" and ax.get_ylabel() == "Probability"
    assert "9 of 15 needed" in ax.get_title(loc="left")
    assert fig.get_suptitle() == dec2018.title
    assert legend_texts(ax) == [
        "baseline: P(adopted) 0%",  # the reported eight, one short
        "ivory-coast-yes: P(adopted) 100%",
        "kazakhstan-as-on-syria: P(adopted) 0%",
        "ivory-coast-yes-kuwait-abstains: P(adopted) 6.2%",
        "held-anyway: P(adopted) 61.6%",
    ]
    assert "the source" in texts(fig)
    assert [line.get_xdata()[0] for line in ax.get_lines()] == [8.5]  # the threshold line


def test_a_single_distribution_labels_its_bars(dec2018):
    fig = plots.distribution(unsc_sim.simulate(dec2018, "held-anyway"))
    labels = set(texts(fig))
    # the reported eight kept; Côte d'Ivoire 0.4, Equatorial Guinea and Ethiopia 0.2 each
    assert {"38%", "45%", "15%", "2%"} <= labels
    assert "unsc-sim" in labels  # the default source line


def test_chamber_has_fifteen_seats_president_and_permanent_members(dec2018):
    result = unsc_sim.simulate(dec2018, "kazakhstan-as-on-syria")  # every vote sure
    fig = plots.chamber(result, president=dec2018.president)
    found = seats(fig)
    assert sorted(found) == sorted(dec2018.names)
    yes = mcolors.to_rgba(plots.COLORS[unsc_sim.Vote.YES])
    assert found["France"].get_facecolor() == yes
    assert found["China"].get_facecolor() == mcolors.to_rgba(plots.COLORS[unsc_sim.Vote.NO])
    permanent = {n for n, a in found.items() if a.get_linewidth() > 2}
    assert permanent == {m.name for m in dec2018.members if m.permanent}
    (star,) = [line for line in fig.axes[0].get_lines() if line.get_marker() == "*"]
    assert np.allclose(star.get_xydata()[0], found["Côte d'Ivoire"].center)
    labels = texts(fig)
    assert "Côte d'Ivoire (president)" in labels
    assert "8 yes · 4 no · 3 abstain" in labels and "not adopted (9 needed)" in labels
    assert {"yes", "no", "abstain", "permanent member", "president"} <= set(
        legend_texts(fig.axes[0])
    )


def test_chamber_by_p_yes_has_a_colorbar_and_pies_by_vote(dec2018):
    result = unsc_sim.simulate(dec2018, "held-anyway")
    fig = plots.chamber(result, president=dec2018.president, by="p_yes")
    assert len(seats(fig)) == 15
    assert any(ax.get_xlabel() == "P(yes)" for ax in fig.axes)  # the colorbar
    by_vote = plots.chamber(result, by="vote")
    wedges = by_vote.findobj(lambda a: type(a).__name__ == "Wedge")
    # given the reports: seven seats yes/abstain, Kazakhstan three ways, three redrawn two ways
    assert len(wedges) == 7 * 2 + 3 + 3 * 2
    assert "P(adopted) 61.6%" in " ".join(texts(by_vote))
    with pytest.raises(ValueError, match="by must be"):
        plots.chamber(result, by="colour")  # type: ignore[arg-type]


def test_swing_ranks_members_top_down(dec2018):
    s = analysis.swing(dec2018, "held-anyway")
    fig = plots.swing(s)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    order = sorted(zip(ax.get_yticks(), labels), reverse=True)
    assert [label for _, label in order] == [f"{r.member} ({r.stance})" for r in s.rows]
    # Côte d'Ivoire, redrawn from its own stance, moves the outcome most (the eight are kept)
    assert order[0][1] == "Côte d'Ivoire (yes 0.4 / abstain 0.6)"
    assert "percentage points" in ax.get_xlabel() and ax.get_ylabel() == "Member (its stance)"
    assert set(legend_texts(ax)) == {"yes", "no", "uncertain"}


def test_sweep_curve_and_heat_map(dec2018):
    one = analysis.sweep(dec2018, ["Côte d'Ivoire"], hypothetical="held-anyway", steps=5)
    ax = plots.sweep(one).axes[0]
    assert ax.get_xlabel() == "P(Côte d'Ivoire votes yes)" and ax.get_ylabel() == "P(adopted)"
    assert np.allclose(ax.get_lines()[0].get_ydata(), one.p_adopted)
    scenario = "the scenario: P(yes) 40%, P(adopted) 61.6%"
    assert legend_texts(ax) == ["held-anyway", "even chance", scenario]
    two = analysis.sweep(dec2018, ["Côte d'Ivoire", "Kuwait"], hypothetical="held-anyway", steps=5)
    fig = plots.sweep(two)
    ax = fig.axes[0]
    assert ax.get_ylabel() == "P(Kuwait votes yes)"
    (mesh,) = [c for c in ax.collections if isinstance(c, QuadMesh)]
    z = mesh.get_array().reshape(5, 5)
    assert z[0, 4] == pytest.approx(two.p_adopted[4 * 5])  # Côte d'Ivoire sure yes, Kuwait no
    # Kuwait swept is redrawn from its stance (yes 0.9), not kept as one of the reported eight:
    # at the file's point that is 59.6%, not run's 61.6% (a counterfactual names it)
    assert legend_texts(ax) == ["P(adopted) = 50%", "the scenario: P(adopted) 59.6%"]
    assert fig.axes[1].get_ylabel() == "P(adopted)"  # the colorbar


def test_history_draws_recorded_years_and_scenarios_that_say_no_vote_was_held(dec2018, dec2019):
    votes = recorded_votes(topic="dprk")
    fig = plots.history(votes, scenarios=[dec2019, dec2018])
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks[0] == "2014\nS/PV.7353"
    years = [int(t.split("\n")[0]) for t in ticks]
    assert years == sorted(years) and {2018, 2019} <= set(years)
    assert ticks[years.index(2018)] == "2018\nno vote held"  # the scenario says vote_held: false
    labels = texts(fig)
    assert labels.count("no vote held") == 1  # 2019: every count sure
    assert labels.count("no vote held\n(expected counts)") == 1  # 2018: given the reported eight
    assert labels.count("adopted") == sum(v.adopted for v in votes)
    assert ax.get_ylabel() == "Members voting"
    assert "no vote held (as reported)" in legend_texts(ax)
    assert any("2018, 2019: scenario baselines" in t for t in labels)


def test_history_never_calls_a_scenario_reported_unless_it_says_so(dec2018):
    from dataclasses import replace

    mine = replace(dec2018, vote_held=None, title="my what-if")
    fig = plots.history(recorded_votes(topic="dprk"), scenarios=[mine])
    labels = texts(fig)
    assert "no vote held" not in labels and not any("as reported" in t for t in labels)
    # its own simulated outcome, given the reports; fractional counts are said to be expected
    assert "simulated:\nnot adopted\n(expected counts)" in labels
    assert "scenario (simulated)" in legend_texts(fig.axes[0])


def test_history_marks_the_years_without_a_vote(dec2018, dec2019):
    votes = recorded_votes(topic="dprk")
    years = sorted({v.date.year for v in votes} | {2018, 2019})
    fig = plots.history(votes, scenarios=[dec2018, dec2019])
    gaps = [a.get_gid() for a in fig.findobj(lambda a: str(a.get_gid()).startswith("gap:"))]
    want = [f"gap:{a + 1}-{b - 1}" for a, b in itertools.pairwise(years) if b - a > 1]
    assert gaps == want and want  # e.g. 2020-2023 between 2019 and the next recorded vote
    ticks = fig.axes[0].get_xticks()
    steps = np.diff(ticks)
    assert sorted(set(np.round(steps, 6))) == [1.0, 1.8]  # a gap is wider than a year
    assert int(np.sum(np.isclose(steps, 1.8))) == len(want)


def test_plot_history_takes_its_topic_from_the_scenario(tmp_path):
    from unsc_sim.cli.plots import _history_figure

    text = Path(S2018).read_text(encoding="utf-8")
    other = tmp_path / "ukraine.yaml"
    other.write_text(text.replace("topic: dprk", "topic: ukraine"), encoding="utf-8")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    fig = _history_figure((str(other),), [unsc_sim.load(other)])
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert "2018\nS/PV.8409" in ticks and "2014\nS/PV.7353" not in ticks  # Ukraine, not DPRK
    assert fig.get_suptitle() == "Procedural votes on the record, topic “ukraine”"
    for replacement, message in [
        ("", "history needs the scenario's topic"),
        ("topic: atlantis", "no recorded votes on topic 'atlantis' (topics on record: "),
    ]:
        bad = tmp_path / "bad.yaml"
        bad.write_text(text.replace("topic: dprk", replacement), encoding="utf-8")
        result = invoke("plot", str(bad), "--kind", "history", "-o", str(tmp_path / "h.png"))
        assert result.exit_code == 2 and message in result.stderr, result.output
        assert not (tmp_path / "h.png").exists()
    mixed = invoke("plot", S2018, str(other), "--kind", "history", "-o", str(tmp_path / "h.png"))
    assert mixed.exit_code == 2 and "history draws one topic" in mixed.stderr


def test_plots_draw_into_a_given_axes(dec2018):
    fig = Figure()
    ax = fig.add_subplot()
    changed = dec2018.with_stances({"Kuwait": Stance.of({"yes": 0.5, "abstain": 0.5})})
    assert plots.distribution(unsc_sim.simulate(changed), ax=ax, title="T") is fig
    assert ax.get_title(loc="left").startswith("T\nHow many yes votes?")
    assert fig.get_suptitle() == ""


def test_source_line_and_percent(dec2018):
    line = plots.source_line(dec2018)
    assert "“DPRK human rights briefing, December 2018” (2018-12-10)" in line
    assert "2018-12-dprk-human-rights.yaml" in line and f"unsc-sim {unsc_sim.__version__}" in line
    assert [plots.percent(p) for p in (0.0, 1.0, 0.616, 1e-5, 0.99999)] == [
        "0%",
        "100%",
        "61.6%",
        "<0.1%",
        ">99.9%",
    ]


def test_notebooks_are_stored_without_outputs_and_with_cell_ids():
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert [p.name for p in notebooks] == [
        "01-december-2018.ipynb",
        "02-december-2019-presidency.ipynb",
        "03-what-it-takes.ipynb",
    ]
    for path in notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert nb["nbformat"] == 4 and nb["metadata"]["kernelspec"]["name"] == "python3"
        # nbformat 4.5 asks for an id on every cell (a missing one is a warning, to be an error)
        ids = [cell.get("id") for cell in nb["cells"]]
        assert None not in ids and len(set(ids)) == len(ids), path.name
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, path.name


def test_history_draws_a_tally_only_vote_from_its_counts():
    from unsc_sim.record.votes import read_votes

    (tally,) = read_votes(
        "- {id: 2017-10-24-syria, date: 2017-10-24, topic: syria, kind: adjournment,"
        ' subject: s, counts: {yes: 4, "no": 7, abstain: null}, adopted: false, sources: [x]}'
    )
    ax = plots.history([tally]).axes[0]
    labels = [t.get_text() for t in ax.texts]
    assert "4" in labels and "7" in labels and "not adopted" in labels


def test_calibration_draws_the_backtest_bins(tmp_path):
    from unsc_sim.record.backtest import backtest

    result = backtest()
    fig = plots.calibration(result)
    ax = fig.axes[0]
    points = [c.get_offsets() for c in ax.collections]
    for level, xy in zip(("vote", "member"), points):
        bins = [b for b in result.calibration if b.level == level and b.n]
        want = [(b.mean_predicted, b.observed) for b in bins]
        assert np.asarray(xy) == pytest.approx(np.array(want))
    out = tmp_path / "calibration.svg"
    assert invoke("plot", "--kind", "calibration", "-o", str(out)).exit_code == 0
    assert b"<svg" in out.read_bytes()[:2000]
    assert invoke("plot", S2018, "--kind", "calibration", "-o", str(out)).exit_code == 2
    assert invoke("plot", "--kind", "chamber", "-o", str(out)).exit_code == 2


def test_chamber_marks_the_vetoing_member_and_says_so():
    probs = np.tile([1.0, 0.0, 0.0, 0.0], (15, 1))
    probs[1] = [0.0, 1.0, 0.0, 0.0]  # 14-1-0 with a permanent member against
    from ..helpers import scenario_from

    result = unsc_sim.simulate(scenario_from(probs, rule=unsc_sim.RuleKind.SUBSTANTIVE))
    fig = plots.chamber(result)
    rings = fig.findobj(lambda a: str(a.get_gid()).startswith("veto:"))
    assert [a.get_gid() for a in rings] == [f"veto:{NAMES[1]}"]
    assert np.allclose(rings[0].center, seats(fig)[NAMES[1]].xy)  # a permanent seat: a square
    labels = texts(fig)
    assert f"vetoed by {NAMES[1]} (9 needed)" in labels and "veto" in legend_texts(fig.axes[0])
    assert not any(t.startswith("adopted") for t in labels)


def test_distribution_keeps_vetoed_mass_out_of_the_adopted_bars():
    from ..helpers import scenario_from

    probs = np.tile([1.0, 0.0, 0.0, 0.0], (15, 1))
    probs[1] = [0.3, 0.7, 0.0, 0.0]  # China may veto a motion with 14 or 15 votes
    result = unsc_sim.simulate(scenario_from(probs, rule=unsc_sim.RuleKind.SUBSTANTIVE))
    assert result.p_adopted == pytest.approx(0.3) and result.p_vetoed == pytest.approx(0.7)
    fig = plots.distribution(result)
    ax = fig.axes[0]
    solid, hatched = ax.containers  # the veto-free bars, then the vetoed part stacked on them
    assert {p.get_gid() for p in hatched} == {"vetoed:baseline"}
    assert sum(p.get_height() for p in solid) == pytest.approx(0.3)  # P(adopted) only
    assert sum(p.get_height() for p in hatched) == pytest.approx(0.7)
    assert all(p.get_hatch() == "xx" for p in hatched if p.get_height() > 0)
    labels = legend_texts(ax)
    assert labels[0] == "baseline: P(adopted) 30.0%, P(vetoed) 70.0%"
    assert labels[1].startswith("vetoed")


def test_history_labels_no_slivers_and_says_none_recorded(dec2018):
    from dataclasses import replace

    sliver = replace(dec2018.members[0], stance=Stance(0.4999, 0.0, 0.5, 0.0001))
    s = replace(dec2018, members=(sliver, *dec2018.members[1:]), vote_held=None)
    fig = plots.history(recorded_votes(topic="dprk"), scenarios=[s])
    labels = texts(fig)
    assert "0.0001" not in labels  # the absent sliver of the scenario's bar
    gaps = fig.findobj(lambda a: str(a.get_gid()).startswith("gap:"))
    assert gaps and all(g.get_text().startswith("none recorded\n") for g in gaps)


def test_history_marks_unconfirmed_rows_and_says_so_in_the_legend():
    votes = recorded_votes(topic="dprk")
    doubtful = {v.id for v in votes if v.unconfirmed}
    assert doubtful  # 2024-06-12-dprk: member lists from copies of news reports
    fig = plots.history(votes)
    ax = fig.axes[0]
    marked = fig.findobj(lambda a: str(a.get_gid()).startswith("unconfirmed:"))
    assert {a.get_gid().removeprefix("unconfirmed:") for a in marked} == doubtful
    assert len(marked) == 4 * len(doubtful) and all(p.get_hatch() for p in marked)
    plain = [p for c in ax.containers for p in c.patches if p not in marked]
    assert plain and not any(p.get_hatch() for p in plain)
    assert "unconfirmed" in legend_texts(ax)
    assert any("unconfirmed: see unsc-sim history ID" in t for t in texts(fig))
    sure = plots.history([v for v in votes if not v.unconfirmed])
    assert "unconfirmed" not in legend_texts(sure.axes[0])
