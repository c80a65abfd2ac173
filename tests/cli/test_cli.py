"""The command line: outputs scripts can parse, and one-line errors with exit code 2."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from unsc_sim.cli import main

from ..conftest import SCENARIOS

S2018 = str(SCENARIOS / "2018-12-dprk-human-rights.yaml")
NAMES_2018 = ("United States", "China", "France", "United Kingdom", "Russian Federation",
              "Bolivia", "Côte d'Ivoire", "Equatorial Guinea", "Ethiopia", "Kazakhstan",
              "Kuwait", "Netherlands", "Peru", "Poland", "Sweden")  # fmt: skip


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_run_json_has_the_documented_shape():
    result = invoke("run", S2018, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["rule"] == "procedural" and doc["threshold"] == 9
    base = doc["results"][0]
    assert base["hypothetical"] == "baseline"
    # the reported eight held exactly; who made up the no votes and abstentions stays uncertain
    assert base["yes"] == 8 and base["absent"] == 0
    assert (base["no"], base["abstain"]) == pytest.approx((3.28125, 3.71875))
    assert base["adopted"] is False and base["p_adopted"] == 0.0  # the report: one short
    assert len(base["distribution"]) == 16 and base["distribution"][8] == pytest.approx(1)
    results = {r["hypothetical"]: r for r in doc["results"]}
    swing = results["ivory-coast-yes"]  # the same Council as reported, Côte d'Ivoire a yes
    assert swing["yes"] == 9 and swing["adopted"] is True and swing["p_adopted"] == 1.0
    sure = results["kazakhstan-as-on-syria"]
    assert (sure["yes"], sure["no"], sure["abstain"], sure["absent"]) == (8, 4, 3, 0)
    assert sure["adopted"] is False and sure["p_adopted"] == 0.0 and sure["margin"] == -1
    assert "Côte d'Ivoire" in sure["pivotal"]


def test_set_adds_a_custom_row():
    args = ("--set", "Ivory Coast=yes", "-H", "kazakhstan-as-on-syria", "--format", "csv")
    result = invoke("run", S2018, *args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith("hypothetical,yes,no,abstain,absent,adopted")
    assert lines[1].startswith("kazakhstan-as-on-syria,8,4,3,0,false")
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
    held = json.loads(first.stdout)["results"][4]
    assert held["seed"] == 3 and held["trials"] == 20000
    assert abs(held["p_adopted"] - 0.616) <= 4 * held["p_adopted_se"]  # given the reports


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
    tune = ("backtest", "--tune", "--cutoff", "1960-01-01", "--format", "json")  # quick
    tuned = json.loads(invoke(*tune).stdout)
    first = [g for g in tuned["grid"] if g["step"] == "priors"]
    assert tuned["half_life"] == min(first, key=lambda g: g["member_log_loss"])["half_life"]
    assert invoke("backtest", "--alpha", "0").exit_code == 2
    early = invoke("backtest", "--tune", "--cutoff", "1900-01-01")
    assert early.exit_code == 2 and "no recorded vote with member lists before" in early.stderr


def test_backtest_accepts_every_rho_the_tuning_grid_may_choose():
    from unsc_sim.record.tuning import GRID_RHO

    default = json.loads(invoke("backtest", "--format", "json").stdout)
    for rho in (min(GRID_RHO), max(GRID_RHO)):
        shown = invoke("backtest", "--rho", str(rho), "--format", "json")
        assert shown.exit_code == 0, shown.stderr
        assert json.loads(shown.stdout)["rho"] == rho
    same = json.loads(invoke("backtest", "--rho", str(default["rho"]), "--format", "json").stdout)
    assert same["scores"] == default["scores"]
    assert invoke("backtest", "--rho", "1.01").exit_code == 2


SUBSTANTIVE = """\
title: A draft adopted 14-0-1
rule: substantive
members:
  United States: yes
  China: abstain
  France: yes
  United Kingdom: yes
  Russia: yes
  Bolivia: yes
  Côte d'Ivoire: yes
  Equatorial Guinea: yes
  Ethiopia: yes
  Kazakhstan: yes
  Kuwait: yes
  Netherlands: yes
  Peru: yes
  Poland: yes
  Sweden: yes
hypotheticals:
  china-vetoes:
    China: no
  russia-may-veto:
    Russia: {yes: 0.3, no: 0.7}
"""


def test_run_table_shows_veto_players_and_never_a_margin_for_a_veto(tmp_path):
    path = tmp_path / "draft.yaml"
    path.write_text(SUBSTANTIVE, encoding="utf-8")
    result = invoke("run", str(path))
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines() if line}
    assert rows["baseline"][5:7] == ["yes", "5"]  # adopted, margin +5
    assert rows["china-vetoes"][5:7] == ["no", "vetoed"]  # not "+5"
    assert rows["russia-may-veto"][-2:] == ["0.3000", "0.7000"]  # p_adopted, p_vetoed
    assert "p_vetoed" in rows["hypothetical"]
    text = result.stdout
    assert "P(its vote decides) = P(adopted | it votes yes) - P(adopted | it votes no)" in text
    assert (
        '  baseline: its "no" would veto it: United States, China, France, United Kingdom, '
        "Russian Federation\n" in text
    )
    assert "  china-vetoes: withdrawing its veto would adopt it: China\n" in text
    assert "  russia-may-veto: uncertain; Russian Federation 1.00 (its veto decides)\n" in text
    assert "china-vetoes: vetoed by China (14 yes votes, 9 needed)" in text
    doc = json.loads(invoke("run", str(path), "--format", "json").stdout)
    vetoed = doc["results"][1]
    assert (vetoed["margin"], vetoed["outcome"], vetoed["vetoed_by"]) == (None, "vetoed", ["China"])
    assert doc["results"][0]["veto_players"] == doc["results"][0]["pivotal"]
    csv_lines = invoke("run", str(path), "--format", "csv").stdout.splitlines()
    assert csv_lines[2].startswith("china-vetoes,14,1,0,0,false,vetoed,,China,")


def test_whatif_says_how_many_more_in_every_format_and_when_nothing_is_to_do():
    result = invoke("whatif", S2018, "-H", "kazakhstan-as-on-syria", "--limit", "2")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "    1. Côte d'Ivoire (abstain -> yes, 1 step)\n" in text
    assert "    and 5 more (--limit 7 shows them all)\n" in text
    assert "  best 1: Côte d'Ivoire -> P(adopted) = 1.0000\n" in text
    assert "To make it fail for certain (now P(adopted) = 0.0000):\n" in text
    assert "  already fails for certain: nothing to do" in text
    passing = invoke("whatif", S2018, "-H", "ivory-coast-yes", "--side", "pass").stdout
    assert "  already passes for certain: nothing to do" in passing
    assert "best 1: China" not in text
    sure = ("-H", "kazakhstan-as-on-syria", "--limit", "2")
    doc = json.loads(invoke("whatif", S2018, *sure, "--format", "json").stdout)
    passing, blocking = doc["sides"]
    assert (passing["sets_total"], passing["sets_shown"], passing["sets_not_shown"]) == (7, 2, 5)
    assert blocking["already_certain"] is True
    assert [m["kind"] for m in doc["moves"] if m["side"] == "block"] == ["already"]
    lines = invoke("whatif", S2018, *sure, "--format", "csv").stdout.splitlines()
    header = lines[0].split(",")
    assert header[-2:] == ["sets_total", "sets_not_shown"]
    assert lines[1].endswith(",7,5") and lines[1].split(",")[5] == "Côte d'Ivoire"


def test_whatif_never_and_persuadable(tmp_path):
    result = invoke("whatif", S2018, "--side", "pass", "--never", "Ivory Coast", "--limit", "1")
    assert result.exit_code == 0, result.output
    assert "left out (will not move): Côte d'Ivoire" in result.stdout
    assert "    1. Equatorial Guinea (abstain -> yes, 1 step)\n" in result.stdout
    text = Path(S2018).read_text(encoding="utf-8")
    text = text.replace(
        "  Equatorial Guinea: {vote: abstain,",
        "  Equatorial Guinea: {vote: abstain, persuadable: false,",
    ).replace("  Ethiopia: {vote: abstain,", "  Ethiopia: {vote: abstain, persuadable: 0.25,")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    shutil.copytree(SCENARIOS.parent / "seeds", tmp_path / "seeds")
    sure = ("-H", "kazakhstan-as-on-syria")
    result = invoke("whatif", str(path), *sure, "--side", "pass", "--never", "Côte d'Ivoire")
    assert result.exit_code == 0, result.output
    assert "left out (persuadable: false): Equatorial Guinea" in result.stdout
    assert "    1. Bolivia (no -> yes, 2 steps)\n" in result.stdout
    assert "Ethiopia (abstain -> yes, 4 steps)" in result.stdout  # one step, persuadable 0.25
    bad = invoke("whatif", S2018, "--never", "Germany")
    assert bad.exit_code == 2 and "never: 'Germany' is not a member" in bad.stderr


# --- power: exact fractions and the members' names ----------------------------------------


def test_power_exact_prints_fractions_in_every_format():
    args = ("power", "--rule", "substantive", "--exact")
    table = invoke(*args).stdout
    assert "421/2145" in table and "4/2145" in table
    rows = json.loads(invoke(*args, "--format", "json").stdout)["indices"]
    assert (rows[0]["shapley_shubik"], rows[-1]["shapley_shubik"]) == ("421/2145", "4/2145")
    assert rows[0]["banzhaf"] == "106/635"  # 848/5080 in lowest terms
    assert rows[0]["shapley_shubik_float"] == round(421 / 2145, 12)  # every float: 12 decimals
    lines = invoke(*args, "--format", "csv").stdout.splitlines()
    assert lines[0].split(",")[3:] == [
        "shapley_shubik", "banzhaf", "banzhaf_absolute",
        "shapley_shubik_float", "banzhaf_float", "banzhaf_absolute_float",
    ]  # fmt: skip
    assert lines[1].startswith("substantive,P1,7,421/2145,106/635,53/1024,0.196270")


def test_power_names_the_members_of_a_council():
    doc = json.loads(invoke("power", "--date", "2018-12-10", "--format", "json").stdout)
    assert doc["date"] == "2018-12-10"
    names = [r["member"] for r in doc["indices"] if r["game"] == "substantive"]
    assert names[:5] == ["China", "France", "Russian Federation", "United Kingdom", "United States"]
    assert "Côte d'Ivoire" in names[5:] and len(names) == 15
    old = invoke("power", "--roster", "1950", "--rule", "substantive", "--exact")
    assert old.exit_code == 0, old.output
    assert "The Council on 1950-01-01 (11 members)" in old.stdout
    assert "Republic of China" in old.stdout and "USSR" in old.stdout and "P1" not in old.stdout
    assert "76/385" in old.stdout  # Shapley-Shubik of a permanent member, 11 seats, 7 votes
    for bad in (["--roster", "1900"], ["--date", "2018-12-10", "--roster", "2018"],
                ["--roster", "2018", "--weights", "1,2", "--quota", "2"]):  # fmt: skip
        result = invoke("power", *bad)
        assert result.exit_code == 2 and "Traceback" not in result.output


# --- validate: every file, every error, and JSON ------------------------------------------


def test_validate_reports_every_file_as_json(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\nmembers:\n  France: yess\n", encoding="utf-8")
    missing = tmp_path / "missing.yaml"
    result = invoke("validate", str(bad), S2018, str(missing), "--format", "json")
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert doc["ok"] is False
    files = {r["file"]: r for r in doc["files"]}
    assert files[S2018]["ok"] and files[S2018]["hypotheticals"] == 4
    assert files[str(bad)]["error"].startswith(f"{bad}:3:11: members.France: 'yess'")
    assert (files[str(bad)]["line"], files[str(bad)]["column"]) == (3, 11)
    assert "cannot read file" in files[str(missing)]["error"]
    out = tmp_path / "v.csv"
    assert invoke("validate", S2018, "--format", "csv", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("file,ok,members,hypotheticals")


def test_validate_counts_in_the_singular(tmp_path):
    votes = "".join(f"  {n}: abstain\n" for n in NAMES_2018)
    one = tmp_path / "one.yaml"
    one.write_text(f"title: t\nmembers:\n{votes}hypotheticals:\n  h: {{Peru: yes}}\n", "utf-8")
    result = invoke("validate", str(one))
    assert result.stdout == f"{one}: ok (15 members, 1 hypothetical; 15 stances without a source)\n"


# --- notes: once per name, and --quiet ------------------------------------------------------


def test_alias_notes_once_per_name_and_quiet_silences_them():
    result = invoke("run", S2018, "--set", "Ivory Coast=yes", "--set", "the US=in favour")
    assert result.exit_code == 0, result.output
    assert result.stderr.count("'Ivory Coast' read as Côte d'Ivoire") == 1
    assert "note: --set: 'the US' read as United States" in result.stderr
    quiet = invoke("--quiet", "run", S2018, "--set", "Ivory Coast=yes")
    assert quiet.exit_code == 0 and quiet.stderr == ""
    rounded = invoke("run", S2018, "--set", "Kuwait=yes:0.333,no:0.333,abstain:0.333")
    assert "probabilities sum to 0.999: read as rounded and rescaled" in rounded.stderr
    assert (
        invoke("-q", "run", S2018, "--set", "Kuwait=yes:33.3%,no:33.3%,abstain:33.3%").stderr == ""
    )


# --- smaller manners ------------------------------------------------------------------------


def test_members_prints_quotes_without_nesting_quote_marks():
    text = invoke("members", S2018).stdout
    assert "    quote:  Diplomats said the U.S. had eight “yes” votes this year\n" in text
    assert "“Diplomats" not in text


def test_vary_names_its_own_option_and_refuses_repeats(tmp_path):
    result = invoke("sweep", S2018, "--vary", "Germany")
    assert result.exit_code == 2
    assert "--vary: 'Germany' is not a member" in result.stderr and "--set" not in result.stderr
    for command in (
        ["sweep", S2018],
        ["plot", S2018, "--kind", "sweep", "-o", str(tmp_path / "x.png")],
    ):
        for twice in (["Peru", "Peru"], ["Ivory Coast", "Côte d'Ivoire"]):
            result = invoke(*command, "--vary", twice[0], "--vary", twice[1])
            assert result.exit_code == 2, result.output
            assert "is given twice" in result.stderr


def test_conflicting_sets_for_one_member_are_refused():
    for second in ("France=no", "the French Republic=abstain", "France=yes"):
        result = invoke("run", S2018, "--set", "France=yes", "--set", second)
        assert result.exit_code == 2
        assert f"--set: France is set twice, by 'France=yes' and {second!r}" in result.stderr


def test_one_trial_does_not_claim_certainty():
    args = ("run", S2018, "--method", "montecarlo", "--trials", "1", "--seed", "1")
    assert "± 0.0000" not in invoke(*args).stdout
    for r in json.loads(invoke(*args, "--format", "json").stdout)["results"]:
        assert r["p_adopted_se"] > 0.2


def test_run_starts_without_pandas_matplotlib_or_tqdm():
    """Exact runs show no progress bar, so `unsc-sim run` need not import tqdm (nor plots)."""
    import subprocess
    import sys

    code = (
        "import sys\nfrom unsc_sim.cli import main\n"
        f"sys.argv = ['unsc-sim', 'run', {S2018!r}, '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('pandas', 'matplotlib', 'tqdm') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[-1] == "[]"
