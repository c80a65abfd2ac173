"""Recorded votes through the rules, the CLI, and back in as scenarios."""

import json

import pytest
from click.testing import CliRunner

from unsc_sim import load, simulate
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
    from unsc_sim.cli.record import _vote_as_scenario

    vote = VOTES[0]
    unanimous = replace(vote, votes=dict.fromkeys(vote.votes, Vote.YES))
    path = tmp_path / "unanimous.yaml"
    path.write_text(_vote_as_scenario(unanimous), encoding="utf-8")
    s = load(path)
    assert s.hypotheticals == () and simulate(s).decision.tally.yes == len(vote.votes)


def test_a_tally_only_vote_cannot_replay_or_open_as_a_scenario(monkeypatch):
    from unsc_sim import record as history
    from unsc_sim.cli.record import _vote_as_scenario
    from unsc_sim.errors import UnscSimError
    from unsc_sim.record.votes import read_votes

    (tally,) = read_votes(
        "- {id: 2017-10-24-syria, date: 2017-10-24, topic: syria, kind: adjournment,"
        ' subject: s, counts: {yes: 4, "no": 7}, adopted: false, sources: [S/PV.8073]}'
    )
    with pytest.raises(UnscSimError, match="only the tally"):
        _vote_as_scenario(tally)
    monkeypatch.setattr(history, "recorded_vote", lambda id: tally)
    for args in (["replay", tally.id], ["history", tally.id, "--as-scenario"]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2 and "2017-10-24-syria: the sources give only the tally" in (
            result.stderr
        )
