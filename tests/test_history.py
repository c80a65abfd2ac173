"""The historical data layer: Council membership, presidencies and recorded procedural votes."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
from collections import defaultdict
from importlib import resources

import pytest

from unsc_sim import history
from unsc_sim.countries import resolve
from unsc_sim.model import Rule, RuleKind, Vote

YEARS = range(history.FIRST_YEAR, history.LAST_YEAR + 1)
DAYS = ((1, 1), (3, 31), (6, 15), (9, 30), (12, 31))
SOURCE = re.compile(r"^(https?://\S+|S/PV\.\d+|S/RES/\d+\(\d{4}\)|A/RES/\d+\([IVXL]+\))$")


def codes_on(day: dt.date) -> set[str]:
    return {t.code for t in history.council_on(day)}


def names(*names: str) -> set[str]:
    return {resolve(n).code for n in names}


P5 = ("China", "France", "Russian Federation", "United Kingdom", "United States")


# --- membership -----------------------------------------------------------------------------


@pytest.mark.parametrize("year", YEARS)
def test_council_size_and_permanent_members_every_year(year):
    size = 11 if year < 1966 else 15
    for month, day in DAYS:
        council = history.council_on(dt.date(year, month, day))
        assert len(council) == size, (year, month, day, [t.code for t in council])
        assert sum(t.permanent for t in council) == 5
        assert len({t.code for t in council}) == size


def test_no_seat_is_held_twice_at_once():
    by_code = defaultdict(list)
    for term in history.terms():
        assert term.end is None or term.start <= term.end, term
        by_code[term.code].append(term)
    for code, held in by_code.items():
        held.sort(key=lambda t: t.start)
        for a, b in itertools.pairwise(held):
            assert a.end is not None and a.end < b.start, (code, a, b)


def test_permanent_seats_pass_without_a_gap():
    china = {t.code: t for t in history.terms() if t.code in ("ROC", "CHN")}
    soviet = {t.code: t for t in history.terms() if t.code in ("SUN", "RUS")}
    assert china["ROC"].end + dt.timedelta(days=1) == china["CHN"].start
    assert soviet["SUN"].end + dt.timedelta(days=1) == soviet["RUS"].start


def test_council_of_2018():
    # P5 + the elected members listed in the 2018 votes, e.g. SC/13601 (26 Nov 2018) and the
    # 19 March 2018 vote (S/PV.8209); elected terms: tellerreport/rd.nl/government.nl rows.
    elected = ("Bolivia", "Côte d'Ivoire", "Equatorial Guinea", "Ethiopia", "Kazakhstan")
    elected += ("Kuwait", "Netherlands", "Peru", "Poland", "Sweden")
    for month in range(1, 13):
        assert codes_on(dt.date(2018, month, 15)) == names(*P5, *elected)


def test_council_of_2019():
    # Press release SC/13680 (26 January 2019) names all fifteen members.
    elected = ("Belgium", "Côte d'Ivoire", "Dominican Republic", "Equatorial Guinea", "Germany")
    elected += ("Indonesia", "Kuwait", "Peru", "Poland", "South Africa")
    for month in range(1, 13):
        assert codes_on(dt.date(2019, month, 15)) == names(*P5, *elected)


def test_china_seat_and_soviet_seat_holders():
    # A/RES/2758 (XXVI) of 25 October 1971 seated the People's Republic of China.
    assert "ROC" in codes_on(dt.date(1970, 6, 1)) and "CHN" not in codes_on(dt.date(1970, 6, 1))
    assert "CHN" in codes_on(dt.date(1972, 6, 1)) and "ROC" not in codes_on(dt.date(1972, 6, 1))
    # The Russian Federation continued the USSR's seat from December 1991.
    assert "SUN" in codes_on(dt.date(1990, 6, 1)) and "RUS" not in codes_on(dt.date(1990, 6, 1))
    assert "RUS" in codes_on(dt.date(1992, 6, 1)) and "SUN" not in codes_on(dt.date(1992, 6, 1))


def test_members_on_gives_countries_named_as_then():
    assert "Ceylon" in {c.name for c in history.members_on(dt.date(1960, 5, 1))}
    assert "Zaire" in {c.name for c in history.members_on(dt.date(1982, 5, 1))}
    assert "Viet Nam" in {c.name for c in history.members_on(dt.date(2020, 5, 1))}


def test_roster_size_threshold_and_president():
    before, after = history.roster(1965, 6), history.roster(1966, 6)
    assert (before.size, before.threshold, len(before.members)) == (11, 7, 11)
    assert (after.size, after.threshold, len(after.members)) == (15, 9, 15)
    assert history.roster(2018, 12).president.code == "CIV"
    year = history.roster(1971)
    assert year.month == 1 and any("China takes a seat" in c for c in year.changes)


@pytest.mark.parametrize("year, month", [(1945, 12), (2027, 1), (2018, 0), (2018, 13)])
def test_bad_year_or_month(year, month):
    with pytest.raises(ValueError, match=r"outside|not in"):
        history.president(year, month)
    with pytest.raises(ValueError):
        history.roster(year, month)


# --- presidency -----------------------------------------------------------------------------


def test_rotation_matches_every_recorded_presidency():
    checked = [p for p in history.recorded_presidencies() if p.kind == "check"]
    assert sum(p.year >= 2010 for p in checked) >= 100
    wrong = [
        (p.year, p.month, p.code, history.president(p.year, p.month).code)
        for p in checked
        if history.president(p.year, p.month).code != p.code
    ]
    assert wrong == []


def test_scenario_presidencies():
    # Côte d'Ivoire in December 2018, the United States in December 2019 (both recorded).
    assert history.president(2018, 12).name == "Côte d'Ivoire"
    assert history.president(2019, 12).name == "United States"


def test_recorded_presidencies_cover_what_the_checks_need():
    recorded = {(p.year, p.month) for p in history.recorded_presidencies()}
    assert all(any((y, m) in recorded for m in range(1, 13)) for y in range(2010, 2027))
    assert all((y, m) in recorded for y in range(2017, 2021) for m in range(1, 13))
    assert all((y, 12) in recorded for y in range(2014, 2020))


def test_president_sits_on_the_council_that_month():
    for year in YEARS:
        for month in (1, 7, 12):
            assert history.president(year, month).code in codes_on(dt.date(year, month, 1))


# --- recorded votes -------------------------------------------------------------------------


@pytest.mark.parametrize("vote", history.recorded_votes(), ids=lambda r: r.id)
def test_recorded_vote_lists_exactly_the_council(vote):
    voters = {resolve(name).code for name in vote.votes}
    assert voters == codes_on(vote.date)


@pytest.mark.parametrize("vote", history.recorded_votes(), ids=lambda r: r.id)
def test_recorded_vote_outcome_follows_article_27_2(vote):
    rule = Rule.on(RuleKind.PROCEDURAL, vote.date)
    assert vote.adopted == (vote.count(Vote.YES) >= rule.threshold)


def test_required_votes_are_there():
    ids = {r.id for r in history.recorded_votes()}
    for needed in ("2014-12-22-dprk", "2015-12-10-dprk", "2016-12-09-dprk", "2017-12-11-dprk"):
        assert needed in ids
    syria = history.recorded_vote("2018-03-19-syria")
    assert syria.meeting == "S/PV.8209" and not syria.adopted
    assert (syria.count("yes"), syria.count("no"), syria.count("abstain")) == (8, 4, 3)


def test_recorded_votes_sorted_and_filtered():
    votes = history.recorded_votes()
    assert [r.date for r in votes] == sorted(r.date for r in votes)
    dprk = history.recorded_votes("dprk")
    assert dprk and all(r.topic == "dprk" for r in dprk)
    assert history.recorded_vote("2014-12-22-dprk").votes["Chad"] is Vote.ABSTAIN


def test_unknown_vote_id_suggests_close_ones():
    with pytest.raises(KeyError, match="2014-12-22-dprk"):
        history.recorded_vote("2014-12-22-dprkk")


# --- sources --------------------------------------------------------------------------------


def rows(name: str) -> list[dict[str, str]]:
    path = resources.files("unsc_sim") / "data" / name
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("name", ["terms.csv", "presidencies.csv"])
def test_every_csv_row_has_a_source(name):
    for row in rows(name):
        parts = [s.strip() for s in row["source"].split(";")]
        assert parts and all(SOURCE.match(p) for p in parts), row


def test_every_recorded_vote_has_sources():
    for vote in history.recorded_votes():
        assert vote.sources and all(SOURCE.match(s) for s in vote.sources), vote.id
        assert vote.meeting is None or re.fullmatch(r"S/PV\.\d+", vote.meeting)
