"""Recorded votes through the rules, the CLI, and back in as scenarios."""

import json

import pytest
from click.testing import CliRunner

from unsc_sim import Vote, load, simulate
from unsc_sim.cli import main
from unsc_sim.record import recorded_votes

VOTES = tuple(v for v in recorded_votes() if v.members_known)  # replays need every member


@pytest.mark.parametrize("vote", VOTES, ids=lambda v: v.id)
def test_a_recorded_vote_opens_as_a_scenario(vote, tmp_path):
    result = CliRunner().invoke(main, ["history", vote.id, "--as-scenario"])
    assert result.exit_code == 0, result.output
    path = tmp_path / f"{vote.id}.yaml"
    path.write_text(result.stdout, encoding="utf-8")
    s = load(path)
    assert simulate(s).decision.adopted is vote.adopted
    assert simulate(s).decision.tally.yes == vote.count("yes")


def test_replay_and_history_commands():
    runner = CliRunner()
    result = runner.invoke(main, ["replay", "2018-03-19-syria", "--format", "json"])
    row = json.loads(result.stdout)
    assert (row["yes"], row["no"], row["abstain"], row["adopted"]) == (8, 4, 3, False)
    assert row["agrees"] and "S/PV.8209" in row["sources"]
    listed = json.loads(
        runner.invoke(main, ["history", "--topic", "dprk", "--format", "json"]).stdout
    )
    assert {"2014-12-22-dprk", "2015-12-10-dprk", "2016-12-09-dprk", "2017-12-11-dprk"} <= {
        v["id"] for v in listed["votes"]
    }
    bad = runner.invoke(main, ["replay", "2018-03-19-syri"])
    assert bad.exit_code == 2 and "2018-03-19-syria" in bad.stderr


def test_roster_command():
    result = CliRunner().invoke(main, ["roster", "2018", "--month", "12", "--format", "json"])
    doc = json.loads(result.stdout)
    assert doc["president"] == "Côte d'Ivoire" and len(doc["members"]) == 15
    assert all(m["source"] for m in doc["members"])
    assert CliRunner().invoke(main, ["roster", "1900"]).exit_code == 2


def test_a_unanimous_vote_opens_as_a_scenario_without_hypotheticals(tmp_path):
    from dataclasses import replace

    from unsc_sim import Vote
    from unsc_sim.record.as_scenario import scenario_text

    vote = VOTES[0]
    unanimous = replace(vote, votes=dict.fromkeys(vote.votes, Vote.YES))
    path = tmp_path / "unanimous.yaml"
    path.write_text(scenario_text(unanimous), encoding="utf-8")
    s = load(path)
    assert s.hypotheticals == () and simulate(s).decision.tally.yes == len(vote.votes)


TALLIES = tuple(v for v in recorded_votes() if not v.members_known)
CITABLE = tuple(v for v in TALLIES if v.id != "1946-08-29-admission")  # a printed source only


@pytest.mark.parametrize("vote", CITABLE, ids=lambda v: v.id)
def test_a_tally_only_vote_opens_as_a_scenario_conditioned_on_its_tally(vote, tmp_path):
    """The named members as recorded, the others from the record priors, the tally as a report:
    the file validates, and its baseline holds the tally exactly and the recorded outcome."""
    result = CliRunner().invoke(main, ["history", vote.id, "--as-scenario"])
    assert result.exit_code == 0, result.output
    path = tmp_path / f"{vote.id}.yaml"
    path.write_text(result.stdout, encoding="utf-8")
    assert CliRunner().invoke(main, ["validate", str(path)]).exit_code == 0
    s = load(path)
    assert "default: record" in result.stdout and len(s.reported) == 1
    r = simulate(s)
    assert r.p_adopted == pytest.approx(1.0 if vote.adopted else 0.0, abs=1e-9)
    for x in ("yes", "no", "abstain", "absent"):
        if vote.count(x) is not None:
            assert r.expected[x] == pytest.approx(vote.count(x), abs=1e-9)
    for m, post in zip(s.members, r.posterior):
        cast = vote.vote_of(m.name)
        if cast is not None:  # a named member keeps its recorded vote
            assert post[list(Vote).index(cast)] == pytest.approx(1.0)


def test_replay_of_a_tally_only_vote_shows_each_unnamed_members_posterior():
    runner = CliRunner()
    doc = json.loads(runner.invoke(main, ["replay", "2017-10-24-syria", "--format", "json"]).stdout)
    assert doc["tally_only"] and doc["agrees"] and doc["adopted"] is False
    assert (doc["yes"], doc["no"], doc["abstain"], doc["absent"]) == (4, 8, 3, 0)
    members = {m["member"]: m for m in doc["members"]}
    inferred = [m for m in doc["members"] if m["basis"] == "inferred"]
    assert len(members) == 15 and len(inferred) == 8  # seven are named
    assert members["France"]["posterior"]["no"] == 1.0 and members["France"]["vote"] == "no"
    assert all(m["vote"] is None and m["posterior"]["yes"] < 1e-9 for m in inferred)  # 4 named
    # the posteriors of the eight unnamed add up to the five "no" and three abstentions left
    assert sum(m["posterior"]["no"] for m in inferred) == pytest.approx(5)
    assert sum(m["posterior"]["abstain"] for m in inferred) == pytest.approx(3)
    assert any(m["prior"] != m["posterior"] for m in inferred)  # the tally moved them
    table = runner.invoke(main, ["replay", "2017-10-24-syria"]).stdout
    assert "tally only: 4-8-3" in table and "inferred" in table and "given the tally" in table
    assert "not adopted (4-8-3); recorded: not adopted -> agrees" in table
    rows = runner.invoke(main, ["replay", "2017-10-24-syria", "--format", "csv"]).stdout
    assert rows.splitlines()[0] == "id,member,vote,basis,p_yes,p_no,p_abstain,p_absent"


def test_a_tally_only_vote_with_a_partial_tally_replays(monkeypatch):
    from unsc_sim import record as history
    from unsc_sim.record.votes import read_votes

    (tally,) = read_votes(
        "- {id: 2017-10-24-syria, date: 2017-10-24, topic: syria, kind: adjournment,"
        ' subject: s, counts: {yes: 4, "no": 7}, adopted: false, sources: [S/PV.8073]}'
    )
    monkeypatch.setattr(history, "recorded_vote", lambda id: tally)
    doc = json.loads(CliRunner().invoke(main, ["replay", tally.id, "--format", "json"]).stdout)
    assert doc["abstain"] is None and doc["agrees"] and len(doc["members"]) == 15
    assert all(m["basis"] == "inferred" for m in doc["members"])  # nobody named
    assert sum(m["posterior"]["yes"] for m in doc["members"]) == pytest.approx(4)
    assert sum(m["posterior"]["no"] for m in doc["members"]) == pytest.approx(7)
    text = CliRunner().invoke(main, ["history", tally.id, "--as-scenario"]).stdout
    assert 'reported:\n  yes: 4\n  no: 7\n  source: "S/PV.8073"' in text


def test_a_tally_only_vote_without_a_citable_source_is_refused():
    result = CliRunner().invoke(main, ["replay", "1946-08-29-admission"])
    assert result.exit_code == 2 and "no source a scenario can cite" in result.stderr
