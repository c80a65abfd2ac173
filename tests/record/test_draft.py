"""`unsc-sim new`: a scenario drafted from the record validates and runs as written."""

from __future__ import annotations

import datetime as dt
import json
import math

import jsonschema
import numpy as np
import pytest
from click.testing import CliRunner

from unsc_sim import load
from unsc_sim.cli import main
from unsc_sim.record import council_on, president
from unsc_sim.record.backtest import yes_distribution
from unsc_sim.record.new_scenario import draft, rounded
from unsc_sim.record.priors import RHO, priors
from unsc_sim.scenario.loader import read_yaml
from unsc_sim.scenario.schema import scenario_schema

DAY = dt.date(2026, 12, 10)


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_new_writes_a_scenario_that_validates_and_runs(tmp_path):
    out = tmp_path / "dprk.yaml"
    args = ("new", "--date", "2026-12-10", "--proposed-by", "US", "--topic", "dprk")
    result = invoke(*args, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert invoke("validate", str(out)).exit_code == 0
    run = invoke("run", str(out), "--format", "json")
    assert run.exit_code == 0, run.output
    assert json.loads(run.stdout)["results"][0]["hypothetical"] == "baseline"
    jsonschema.validate(read_yaml(out.read_text()), scenario_schema())

    s = load(out)
    council = [t.country.name for t in council_on(DAY)]
    assert sorted(s.names) == sorted(council) and s.date == DAY
    assert s.president == president(2026, 12).name and s.proposed_by == ("United States",)
    want = {p.member: p for p in priors(council, DAY, proposed_by=["United States"], topic="dprk")}
    for m in s.members:
        assert m.stance.basis.value == "prior"
        assert m.stance.probabilities == pytest.approx(want[m.name].probabilities, abs=2e-4)
        assert m.stance.note == want[m.name].note
    assert s.topic == "dprk" and "dprk" in s.title and "2024-06-12-dprk" in s.description
    assert "# A what-if to edit" in out.read_text()
    # One bloc of the whole Council at the small tuned correlation, as the backtest scores the
    # priors: the run's P(adopted) is the backtest's P(at least nine yes) for the same
    # (rounded) probabilities.
    assert [(set(b.members), b.correlation) for b in s.blocs] == [(set(council), RHO)]
    base = json.loads(run.stdout)["results"][0]
    probs = np.array([m.stance.probabilities for m in s.members])
    want = yes_distribution(probs, RHO)[9:].sum()
    assert base["p_adopted"] == pytest.approx(want, abs=4 * (base["p_adopted_se"] or 0) + 1e-9)


def test_new_to_stdout_equals_the_library_text():
    result = invoke("new", "--date", "2026-12-10", "--proposed-by", "France",
                    "--opposed-by", "Russia")  # fmt: skip
    assert result.exit_code == 0
    text = draft(DAY, proposed_by=["France"], opposed_by=["Russia"])
    assert result.stdout == text and 'opposed_by: ["Russian Federation"]' in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--proposed-by", "Sweden"), "--proposed-by: Sweden is not on the Council on 2026-12-10"),
        (("--proposed-by", "US", "--topic", "dprkk"), "--topic: unknown topic 'dprkk'"),
        (("--proposed-by", "Atlantis"), "unknown country 'Atlantis'"),
    ],
)
def test_new_errors_are_one_line_and_exit_2(args, message):
    result = invoke("new", "--date", "2026-12-10", *args)
    assert result.exit_code == 2 and message in result.stderr
    assert result.stderr.count("\n") == 1 and not result.stdout


def test_rounded_probabilities_sum_to_exactly_one():
    for probs in ([0.33333, 0.33333, 0.33334, 0.0], [0.12345, 0.56789, 0.30866, 0.0]):
        r = rounded(probs)
        assert sum(round(x * 10_000) for x in r) == 10_000
        assert abs(sum(r) - 1) < 1e-12
        assert max(abs(a - b) for a, b in zip(r, probs)) <= 2e-4


def test_members_json_gives_probabilities_and_the_votes_behind_them(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("title: t\ndate: 2019-12-10\nproposed_by: [US]\ndefault: record\nmembers: {}\n")
    doc = json.loads(invoke("members", str(path), "--format", "json").stdout)
    assert doc["proposed_by"] == ["United States"] and len(doc["members"]) == 15
    names = [m["member"] for m in doc["members"]]
    found = priors(names, dt.date(2019, 12, 10), proposed_by=["United States"])
    found = {p.member: p for p in found}
    for m in doc["members"]:
        p = found[m["member"]]
        assert list(m["p"]) == ["yes", "no", "abstain", "absent"]
        assert tuple(m["p"].values()) == pytest.approx(p.probabilities, abs=1e-12)
        assert m["from_votes"] == list(p.votes) and m["basis"] == "prior"
    rows = invoke("members", str(path), "--format", "csv").stdout.splitlines()
    assert "p_yes" in rows[0] and "from_votes" in rows[0]


def _drafted(tmp_path, *args: str):
    out = tmp_path / "draft.yaml"
    result = invoke("new", "--date", "2026-12-10", "--proposed-by", "United States", *args,
                    "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    return load(out)


def _p(s, changes=None) -> float:
    from unsc_sim.engine import simulate

    return simulate(s, changes=changes).p_adopted


def test_a_drafted_us_proposal_answers_its_edits(tmp_path):
    # The issue's scenario (#20): a US-requested DPRK meeting in December 2026.
    s = _drafted(tmp_path, "--topic", "DPRK")  # topics in any case
    stance = {m.name: m.stance for m in s.members}
    assert stance["United States"].probabilities[0] >= 0.97  # proposers vote for their motions
    assert "On dprk" in (stance["China"].note or "")  # the note names the same-topic votes
    base = _p(s)
    assert _p(s, {"China": "no", "Russian Federation": "no"}) < base
    assert _p(s, {"China": "yes"}) > base
    elected = sorted((m for m in s.members if not m.permanent),
                     key=lambda m: -m.stance.probabilities[0])  # fmt: skip
    three = {m.name: "abstain" for m in elected[:3]}
    assert _p(s, three) < base - 0.15
    from unsc_sim.analysis import swing

    values = [round(r.swing, 3) for r in swing(s).rows]
    assert len(set(values)) > 3  # members differ in how much their vote matters


def test_the_drafted_dprk_proposal_meets_the_issue_checks(tmp_path):
    # The issue's checks (#20), with the shipped (pre-2000-tuned) constants.
    s = _drafted(tmp_path, "--topic", "dprk")
    without = _drafted(tmp_path)
    stance = {m.name: m.stance for m in s.members}
    assert stance["United States"].probabilities[0] >= 0.97
    china = stance["China"].probabilities[1]
    assert china >= 0.8
    assert china > next(m.stance.probabilities[1] for m in without.members if m.name == "China")
    elected = sorted((m for m in s.members if not m.permanent),
                     key=lambda m: -m.stance.probabilities[0])  # fmt: skip
    base, three = _p(s), _p(s, {m.name: "abstain" for m in elected[:3]})
    assert three < 0.35 < base
    # Every single edit moves P(adopted) the expected way.
    for m in s.members:
        if m.stance.probabilities[0] < 0.999:
            assert _p(s, {m.name: "yes"}) >= base - 1e-9, m.name
        assert _p(s, {m.name: "no"}) <= base + 1e-9, m.name


def test_the_member_by_topic_level_reads_the_votes_of_the_topic_and_kind():
    # China's five votes against US-requested DPRK agenda items pull its prior to "no"; with
    # another kind of motion given, those votes are not its record on that question.
    from unsc_sim.record.priors import TOPIC_ALPHA

    council = [t.country.name for t in council_on(DAY)]

    def china(**options) -> float:
        found = priors(council, DAY, proposed_by=["United States"], **options)
        return next(p for p in found if p.member == "China").probabilities[1]

    assert math.isfinite(TOPIC_ALPHA)
    on = china(topic="DPRK")
    assert on >= 0.8 and on > china() + 0.3
    assert china(topic="dprk", kind="agenda") >= 0.8
    assert china(topic="dprk", kind="invitation") == pytest.approx(china(kind="invitation"))
    assert china(topic="dprk", topic_alpha=math.inf) == pytest.approx(china())
