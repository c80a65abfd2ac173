"""`unsc-sim history`: member lists in every format, one vote in full, and the filters."""

import csv
import datetime as dt
import io
import json

import pytest
from click.testing import CliRunner

from unsc_sim import record as history
from unsc_sim.cli import main
from unsc_sim.countries import resolve

FULL, TALLY = "2014-12-22-dprk", "2017-10-24-syria"


def run(*args: str) -> str:
    result = CliRunner().invoke(main, ["history", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def refused(*args: str) -> str:
    result = CliRunner().invoke(main, ["history", *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.stderr


def test_json_rows_keep_the_counts_and_add_members_sides_and_kind():
    rows = {r["id"]: r for r in json.loads(run("--format", "json"))["votes"]}
    assert len(rows) == len(history.recorded_votes())
    for vote in history.recorded_votes():
        row = rows[vote.id]
        assert [row[k] for k in ("yes", "no", "abstain", "absent")] == [
            vote.count(k) for k in ("yes", "no", "abstain", "absent")
        ]
        assert (row["topic"], row["kind"]) == (vote.topic, vote.kind.value)
        assert row["proposed_by"] == list(vote.proposed_by)
        assert row["opposed_by"] == list(vote.opposed_by)
        named = row["members"] if vote.members_known else row["named"]
        assert ("members" in row) == vote.members_known
        assert named == {n: v.value for n, v in vote.votes.items()}
        if vote.members_known:  # the lists carry the counts
            assert sum(v == "yes" for v in named.values()) == row["yes"]
    dprk = rows[FULL]
    assert dprk["members"]["Chad"] == "abstain" and dprk["proposed_by"][0] == "Australia"
    assert rows[TALLY]["named"] == {
        "Bolivia": "yes",
        "China": "yes",
        "Kazakhstan": "yes",
        "Russian Federation": "yes",
        "France": "no",
        "United Kingdom": "no",
        "United States": "no",
    }
    assert (rows[TALLY]["yes"], rows[TALLY]["no"], rows[TALLY]["abstain"]) == (4, 8, 3)


def test_csv_flattens_the_member_lists():
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(run("--format", "csv")))}
    dprk = rows[FULL]
    assert dprk["no_members"] == "China;Russian Federation"
    assert dprk["abstain_members"] == "Chad;Nigeria" and dprk["yes"] == "11"
    assert dprk["members_known"] == "true" and dprk["kind"] == "agenda"
    assert "Luxembourg" in dprk["proposed_by"].split(";")
    tally = rows[TALLY]
    assert (tally["members_known"], tally["yes"], tally["abstain_members"]) == ("false", "4", "")


def test_table_has_a_compact_member_column():
    lines = {line.split()[0]: line for line in run("--topic", "dprk").splitlines()[2:]}
    assert "N: CHN RUS" in lines[FULL] and "A: NGA TCD" in lines[FULL]
    assert "Y: ARG AUS" in lines[FULL] and "adopted 11-2-2" in lines[FULL]
    tally = run("--topic", "syria")
    row = next(line for line in tally.splitlines() if line.startswith(TALLY))
    assert "Y: BOL CHN KAZ RUS  " in row and "N: FRA GBR USA +5" in row and "A: +3" in row


def test_one_vote_in_full():
    text = run(FULL)
    assert "abstain 2: Chad, Nigeria" in text and "S/PV.7353" in text
    assert "proposed by: Australia, Chile" in text and "opposed by: China" in text
    assert "Sources: S/PV.7353" in text
    tally = run(TALLY)
    assert (
        "tally only" in tally
        and "yes 4: Bolivia, China, Kazakhstan, Russian Federation\n" in tally
        and "no 8: France, United Kingdom, United States (+5 not named)" in tally
    )
    assert "abstain 3: 3 not named" in tally
    doc = json.loads(run(FULL, "--format", "json"))
    assert [v["id"] for v in doc["votes"]] == [FULL]


def test_since_and_topic_filter_together():
    rows = json.loads(run("--topic", "ukraine", "--since", "2022-01-01", "--format", "json"))
    dates = [dt.date.fromisoformat(r["date"]) for r in rows["votes"]]
    assert dates and min(dates) >= dt.date(2022, 1, 1)
    assert {r["topic"] for r in rows["votes"]} == {"ukraine"}
    assert "2018-11-26-ukraine" not in {r["id"] for r in rows["votes"]}


@pytest.mark.parametrize("since", ["2022", "2022-01"])
def test_since_takes_a_year_or_a_month_from_its_first_day(since):
    whole = json.loads(run("--since", "2022-01-01", "--format", "json"))
    short = json.loads(run("--since", since, "--format", "json"))
    assert short == whole
    assert "2019-05-20-ukraine" not in {r["id"] for r in short["votes"]}


def test_member_shows_its_vote_on_every_vote_it_sat_for():
    doc = json.loads(run("--member", "Ivory Coast", "--format", "json"))
    assert (doc["member"], doc["code"]) == ("Côte d'Ivoire", "CIV")
    sat = [
        v for v in history.recorded_votes() if "CIV" in {t.code for t in history.council_on(v.date)}
    ]
    assert [r["id"] for r in doc["votes"]] == [v.id for v in sat]
    votes = {r["id"]: r["vote"] for r in doc["votes"]}
    assert votes["2018-03-19-syria"] == "abstain" and votes["2019-05-20-ukraine"] == "abstain"
    assert votes["2018-11-26-ukraine"] == "abstain"
    text = run("--member", "Russia", "--since", "2017-01-01")
    row = next(line for line in text.splitlines() if line.startswith(TALLY))
    assert "Russian Federation" in row and " yes " in row
    india = json.loads(run("--member", "India", "--since", "2022-01-01", "--format", "json"))
    assert [(r["id"], r["vote"]) for r in india["votes"]][:2] == [
        ("2022-01-31-ukraine", "abstain"),
        ("2022-02-27-ukraine", "abstain"),
    ]


def test_member_of_a_tally_only_vote_not_named_is_unknown():
    doc = json.loads(run("--member", "Italy", "--since", "2017-10-01", "--format", "json"))
    votes = {r["id"]: r["vote"] for r in doc["votes"]}
    assert votes[TALLY] is None and votes["2017-12-11-dprk"] == "yes"
    assert f"{TALLY}" in run("--member", "Italy", "--since", "2017-10-01")
    assert "not named" in run("--member", "Italy", "--since", "2017-10-01")


def test_proposed_by_resolves_aliases():
    rows = json.loads(run("--proposed-by", "Russia", "--format", "json"))["votes"]
    assert rows and all("Russian Federation" in r["proposed_by"] for r in rows)
    assert "2018-11-26-ukraine" in {r["id"] for r in rows}
    us = {r["id"] for r in json.loads(run("--proposed-by", "U.S.", "--format", "json"))["votes"]}
    assert "2019-01-26-venezuela" in us and "2018-11-26-ukraine" not in us


@pytest.mark.parametrize(
    "args, message",
    [
        (["--member", "Narnia"], "unknown country 'Narnia'"),
        (["--proposed-by", "Atlantis"], "unknown country 'Atlantis'"),
        (["--topic", "dprkk"], "did you mean dprk"),
        (["--since", "2024-13-01"], "Invalid value for '--since'"),
        ([FULL, "--topic", "dprk"], "give a vote ID or filters"),
        (["2014-12-22-dprkk"], "2014-12-22-dprk"),
    ],
)
def test_bad_filters_exit_2_with_one_message(args, message):
    assert message in refused(*args)


def test_output_file_holds_the_same_data(tmp_path):
    path = tmp_path / "votes.csv"
    CliRunner().invoke(main, ["history", "--topic", "dprk", "--format", "csv", "-o", str(path)])
    assert path.read_text(encoding="utf-8") == run("--topic", "dprk", "--format", "csv")
    assert resolve("ROK").name in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--member", "Liechtenstein"], "No recorded vote held while Liechtenstein sat matches."),
        (["--topic", "cuba", "--since", "2000"], "No recorded vote matches."),
    ],
)
def test_an_empty_answer_says_so_in_words(args, says):
    assert run(*args).strip() == says
    assert json.loads(run(*args, "--format", "json"))["votes"] == []
