"""The historical data layer: Council membership, presidencies and recorded procedural votes."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
from collections import defaultdict
from importlib import resources

import pytest

from unsc_sim import record as history
from unsc_sim.charter import decide
from unsc_sim.countries import resolve
from unsc_sim.errors import ScenarioError
from unsc_sim.model import Rule, RuleKind, Vote
from unsc_sim.record.votes import read_votes

YEARS = range(history.FIRST_YEAR, history.LAST_YEAR + 1)
DAYS = ((1, 1), (3, 31), (6, 15), (9, 30), (12, 31))
SOURCE = re.compile(
    r"^(https?://\S+|S/PV\.\d+|A/\d+/PV\.\d+|SC/\d+|S/RES/\d+ ?\(\d{4}\)"
    r"|A/RES/\d+\([IVXL]+\)|S/\d{4}/\d+)$"
)
# The Council's printed volumes, cited by year (1946-1999 rows): a source, not a URL.
PUBLICATION = re.compile(
    r"^((Resolutions and Decisions|Repertoire of the Practice) of the Security Council\b.*\d{4}.*"
    r"|Documents on Australian Foreign Policy, vol\. \d+, doc\. \d+\b.*"
    r"|S/PV\.\d+ \(Part [IVX]+\)"
    r"|Yearbook of the United Nations \d{4}\b.*"
    # a named report without a link (agency or paper, date), or a state's telegram by number
    r"|[A-Z][^,]*, (\d{1,2} )?[A-Z][a-z]+ \d{4}\b.*"
    r"|(US Mission to the UN|State Department) telegram \d{4}[A-Z]+\d+\b.*)$"
)


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


@pytest.mark.parametrize("year, month", [(1945, 12), (2028, 1), (2018, 0), (2018, 13)])
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

VOTES_ON_RECORD = history.recorded_votes()
FULL = [r for r in VOTES_ON_RECORD if r.members_known]


def test_the_shipped_record_loads_and_replays():
    """The loader checks every row when the record loads (its council, names, tallies and
    the Art. 27(2) outcome; the malformed-row tests below show each check refusing a row).
    Here: the shipped record loads, and the Charter's own ``decide`` replays every full row."""
    assert len(VOTES_ON_RECORD) >= 184 and len(FULL) >= 169
    wrong = [
        v.id
        for v in FULL
        if decide(dict(v.votes), Rule.on(RuleKind.PROCEDURAL, v.date)).adopted is not v.adopted
    ]
    assert wrong == []


def test_required_votes_are_there():
    ids = {r.id for r in VOTES_ON_RECORD}
    for needed in ("2014-12-22-dprk", "2015-12-10-dprk", "2016-12-09-dprk", "2017-12-11-dprk"):
        assert needed in ids
    syria = history.recorded_vote("2018-03-19-syria")
    assert syria.meeting == "S/PV.8209" and not syria.adopted
    assert (syria.count("yes"), syria.count("no"), syria.count("abstain")) == (8, 4, 3)


def test_recorded_votes_sorted_and_filtered():
    votes = VOTES_ON_RECORD
    assert [r.date for r in votes] == sorted(r.date for r in votes)
    assert len({r.id for r in votes}) == len(votes)
    dprk = history.recorded_votes("dprk")
    assert dprk and all(r.topic == "dprk" for r in dprk)
    assert history.recorded_vote("2014-12-22-dprk").votes["Chad"] is Vote.ABSTAIN
    since = history.recorded_votes(since=dt.date(2018, 1, 1))
    assert since and all(r.date >= dt.date(2018, 1, 1) for r in since)
    assert len(since) < len(votes)
    invited = history.recorded_votes(kind="invitation")
    assert invited and all(r.kind is history.Kind.INVITATION for r in invited)


def test_member_filter_follows_the_seat_through_aliases():
    # Ukraine sat in 2016-2017: the 2016 DPRK vote is among its votes, the 2014 one is not.
    ukraine = {r.id for r in history.recorded_votes(member="Ukraine")}
    assert "2016-12-09-dprk" in ukraine and "2014-12-22-dprk" not in ukraine
    assert {r.id for r in history.recorded_votes(member="UK")} == {r.id for r in VOTES_ON_RECORD}
    assert history.recorded_vote("2016-12-09-dprk").vote_of("U.S.") is Vote.YES
    assert history.recorded_vote("2016-12-09-dprk").vote_of("Ivory Coast") is None


def test_proposed_by_and_theme_filters():
    russia = history.recorded_votes(proposed_by="Russia")
    assert russia and all("Russian Federation" in r.proposed_by for r in russia)
    assert "2018-11-26-ukraine" in {r.id for r in russia}
    assert "2018-11-26-ukraine" not in {r.id for r in history.recorded_votes(proposed_by="US")}
    rights = history.recorded_votes(theme="human-rights")
    assert rights and all("human-rights" in r.themes for r in rights)


def test_unknown_topic_is_refused_with_a_suggestion():
    with pytest.raises(ValueError, match="did you mean dprk"):
        history.recorded_votes("dprkk")


def test_unknown_vote_id_suggests_close_ones():
    with pytest.raises(KeyError, match="2014-12-22-dprk"):
        history.recorded_vote("2014-12-22-dprkk")


# A tally-only row: the source gives the count and names only the members voting against.
TALLY = """\
- id: 2017-10-24-syria
  date: 2017-10-24
  meeting: S/PV.8073
  topic: syria
  kind: adjournment
  subject: test row
  proposed_by: [Russian Federation]
  "no": [France, United Kingdom]
  counts: {yes: 4, "no": 7, abstain: 4, absent: 0}
  adopted: false
  sources: [S/PV.8073]
"""


def test_a_tally_only_row_counts_from_its_tally():
    (row,) = read_votes(TALLY)
    assert not row.members_known and row.kind is history.Kind.ADJOURNMENT
    assert (row.count("yes"), row.count("no"), row.count("abstain")) == (4, 7, 4)
    assert row.of("no") == ("France", "United Kingdom") and row.vote_of("Italy") is None
    (unknown,) = read_votes(TALLY.replace("absent: 0", "absent: null"))
    assert unknown.count("absent") is None and unknown.count("yes") == 4


FULL_ROW = """\
- id: 2016-12-09-dprk
  date: 2016-12-09
  meeting: S/PV.7830
  topic: dprk
  kind: agenda
  subject: test row
  "yes": [France, Japan, Malaysia, New Zealand, Spain, Ukraine, UK, US, Uruguay]
  "no": [Angola, China, Egypt, Russian Federation, Venezuela]
  abstain: [Senegal]
  absent: []
  adopted: true
  sources: [S/PV.7830]
"""


def test_the_test_rows_load():
    (row,) = read_votes(FULL_ROW)
    assert row.members_known and row.count("yes") == 9 and "United Kingdom" in row.votes


def edit(text: str, *pairs: str) -> str:
    for old, new in zip(pairs[::2], pairs[1::2], strict=True):
        assert old in text
        text = text.replace(old, new, 1)
    return text


SENEGAL = "abstain: [Senegal]"
MALFORMED = [
    (edit(FULL_ROW, "  sources: [S/PV.7830]\n", ""), ":1:3: sources: required"),
    (edit(FULL_ROW, "[S/PV.7830]", "[]"), ":1:3: sources: required"),
    (edit(FULL_ROW, SENEGAL, "abstain: []"), ":1:3: Senegal not listed"),
    (edit(FULL_ROW, "[Senegal]", "[Senegal, Chad]"), ":9:22: abstain: Chad did not sit"),
    (edit(FULL_ROW, "[Senegal]", "[Senegal, Japan]"), "Japan listed under two votes"),
    (edit(FULL_ROW, "[Senegal]", "[Senegal, Senegal]"), ":9:22: abstain: Senegal is listed twice"),
    (edit(FULL_ROW, "[Senegal]", "[Senegl]"), "unknown country 'Senegl'; did you mean Senegal"),
    (edit(FULL_ROW, "adopted: true", "adopted: false"), "9 yes of 15 is adopted under Article"),
    (edit(FULL_ROW, "topic: dprk", "topic: nk"), ":4:3: topic: unknown topic 'nk'"),
    (edit(FULL_ROW, "kind: agenda", "kind: vote"), ":5:3: kind: 'vote' is not one of agenda"),
    (edit(FULL_ROW, "subject:", "subjet:"), "subjet: unknown key; did you mean subject?"),
    (edit(FULL_ROW, "id: 2016-12-09", "id: 2016-12-10"), "'2016-12-10-dprk': expected 2016-12-09-"),
    (edit(FULL_ROW, "S/PV.7830\n", "8130\n"), "meeting: 8130 does not look like"),
    (edit(FULL_ROW, "topic: dprk", "topic: dprk\n  proposed_by: [Canada]"), "Canada did not sit"),
    (FULL_ROW + FULL_ROW, ":13:3: id: duplicate id 2016-12-09-dprk"),
    (edit(FULL_ROW, "adopted: true", "adopted: true\n  counts: {yes: 9}"), "drop counts"),
    (edit(TALLY, "abstain: 4", "abstain: 5"), "counts: counts add up to 16, not 15"),
    (edit(TALLY, '"no": 7', '"no": 1', "abstain: 4", "abstain: 10"), "2 named as no, count 1"),
    (edit(TALLY, "yes: 4", "yes: null"), "counts: a tally-only row needs the yes count"),
    (edit(TALLY, "yes: 4", "yes: -4"), "counts: yes: expected a whole number"),
    (edit(TALLY, "yes: 4", "yes: 9", "abstain: 4", "abstain: 0", '"no": 7', '"no": 6'), "adopted"),
    ("- 3\n", ":1:3: expected a mapping"),
    ("id: x\n", "expected a list of recorded votes"),
]  # fmt: skip


@pytest.mark.parametrize("text, message", MALFORMED)
def test_malformed_rows_are_refused_at_their_line(text, message):
    with pytest.raises(ScenarioError) as caught:
        read_votes(text, file="votes.yaml")
    assert str(caught.value).startswith("votes.yaml") and message in str(caught.value)


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
        cited = [SOURCE.match(s) or PUBLICATION.match(s) for s in vote.sources]
        assert vote.sources and all(cited), vote.id
        assert vote.meeting is None or re.fullmatch(r"S/PV\.\d+", vote.meeting)
        assert vote.press_release is None or re.fullmatch(r"SC/\d+", vote.press_release)
        if vote.members_known:
            assert vote.members_source, f"{vote.id}: which source names the members?"
