"""The command line: outputs scripts can parse, and one-line errors with exit code 2."""

import json

from click.testing import CliRunner

from unsc_sim.cli import main

from .conftest import SCENARIOS

S2018 = str(SCENARIOS / "2018-12-dprk-human-rights.yaml")


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_run_json_has_the_documented_shape():
    result = invoke("run", S2018, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["rule"] == "procedural" and doc["threshold"] == 9
    base = doc["results"][0]
    assert base["hypothetical"] == "baseline"
    assert (base["yes"], base["no"], base["abstain"], base["absent"]) == (8, 4, 3, 0)
    assert base["adopted"] is False and base["p_adopted"] == 0.0
    assert "Côte d'Ivoire" in base["pivotal"]
    assert len(base["distribution"]) == 16


def test_set_adds_a_custom_row():
    result = invoke("run", S2018, "--set", "Ivory Coast=yes", "-H", "baseline", "--format", "csv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("hypothetical,yes,no,abstain,absent,adopted")
    assert lines[1].startswith("baseline,8,4,3,0,false")
    assert lines[2].startswith("custom,9,4,2,0,true")


def test_bad_input_is_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\nmembers:\n  France: yess\n", encoding="utf-8")
    result = invoke("run", str(bad))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert f"{bad}:3:11: members.France: 'yess' is not one of" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_hypothetical_and_bad_set():
    assert invoke("run", S2018, "-H", "nope").exit_code == 2
    result = invoke("run", S2018, "--set", "Atlantis=yes")
    assert result.exit_code == 2 and "unknown member 'Atlantis'" in result.stderr


def test_validate_and_members():
    result = invoke("validate", *map(str, sorted(SCENARIOS.glob("*.yaml"))))
    assert result.exit_code == 0 and result.stdout.count(": ok") == 2
    result = invoke("members", S2018, "--format", "json")
    rows = json.loads(result.stdout)["members"]
    ivory = next(r for r in rows if r["member"] == "Côte d'Ivoire")
    assert ivory["basis"] == "reported" and "Ivory Coast" in ivory["quote"]


def test_output_file_never_overwrites_the_input(tmp_path):
    result = invoke("run", S2018, "-o", S2018)
    assert result.exit_code == 2 and "refusing to overwrite" in result.stderr
    out = tmp_path / "r.json"
    assert invoke("run", S2018, "--format", "json", "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["results"]


S2019 = str(SCENARIOS / "2019-12-dprk-human-rights.yaml")


def test_swing_whatif_and_sweep_commands():
    result = invoke("swing", S2019, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["members"]
    us = next(r for r in rows if r["member"] == "United States")
    assert us["swing"] == 1.0 and us["stance"] == "abstain"
    result = invoke("whatif", S2019, "--side", "pass", "--format", "json")
    moves = json.loads(result.stdout)["moves"]
    assert ["United States"] in [m["members"] for m in moves if m["kind"] == "certain"]
    result = invoke("sweep", S2018, "--vary", "Ivory Coast", "--steps", "5", "--format", "csv")
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "hypothetical,member_1,p_yes_1,p_adopted"
    assert lines[-1] == "baseline,Côte d'Ivoire,1.0,1.0"
    assert invoke("sweep", S2018, "--vary", "Atlantis").exit_code == 2


def test_montecarlo_output_is_reproducible_with_a_seed():
    args = ("run", S2018, "--method", "montecarlo", "--trials", "20000", "--seed", "3")
    first, second = invoke(*args, "--format", "json"), invoke(*args, "--format", "json")
    assert first.stdout == second.stdout
    held = json.loads(first.stdout)["results"][3]
    assert held["seed"] == 3 and held["trials"] == 20000
    assert abs(held["p_adopted"] - 0.616) <= 4 * held["p_adopted_se"]


def test_power_command_reproduces_published_values():
    result = invoke("power", "--rule", "substantive", "--format", "json")
    rows = json.loads(result.stdout)["indices"]
    assert abs(rows[0]["shapley_shubik"] - 421 / 2145) < 1e-12
    assert abs(rows[-1]["shapley_shubik"] - 4 / 2145) < 1e-12
    assert abs(rows[0]["banzhaf"] - 848 / 5080) < 1e-12
    assert invoke("power", "--weights", "1,2,x", "--quota", "2").exit_code == 2


def test_backtest_command_scores_against_baselines():
    doc = json.loads(invoke("backtest", "--format", "json").stdout)
    scores = {(s["level"], s["predictor"], s["period"]): s for s in doc["scores"]}
    assert {p for _, p, _ in scores} == {
        "model", "always 0.5", "uniform", "base rate", "own frequency",
    }  # fmt: skip
    assert scores["vote", "always 0.5", "all"]["brier"] == 0.25
    assert len(doc["votes"]) >= 15 and doc["member_votes"] and doc["calibration"]
    assert doc["sides"] == "proposed_by" and doc["cutoff"] == "2000-01-01"
    rows = invoke("backtest", "--format", "csv", "--members").stdout.splitlines()
    assert rows[0].startswith("id,date,member,vote,new_member,model_yes")
    assert len(rows) == 1 + len(doc["member_votes"])
    tune = ("backtest", "--tune", "--cutoff", "2019-01-01", "--format", "json")
    tuned = json.loads(invoke(*tune).stdout)
    first = [g for g in tuned["grid"] if g["step"] == "half_life"]
    assert tuned["half_life"] == min(first, key=lambda g: g["member_log_loss"])["half_life"]
    assert invoke("backtest", "--alpha", "0").exit_code == 2
    early = invoke("backtest", "--tune", "--cutoff", "1900-01-01")
    assert early.exit_code == 2 and "no recorded vote with member lists before" in early.stderr
