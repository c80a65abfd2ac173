"""Every day the record's Council changes: the right number of members, a president who
sits, and `unsc-sim new` drafts a scenario that loads. The Council of 25-31 December 1991:
the Russian Federation holds the USSR's seat, and so the month's presidency (letter of
President Yeltsin to the Secretary-General, 24 December 1991: the UN's page on the Russian
Federation's membership, https://www.un.org/en/about-us/member-states/russian-federation,
and the Repertoire 1989-1992 as quoted by https://ask.un.org/faq/378083)."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from unsc_sim import ScenarioError, loads, record
from unsc_sim.cli import main
from unsc_sim.model import Rule, RuleKind
from unsc_sim.record import FIRST_YEAR, LAST_YEAR, council_on, president, terms
from unsc_sim.record.new_scenario import draft


def change_days() -> list[dt.date]:
    """Each day a seat is taken, the last day of a holding and the day after it."""
    days = set()
    for t in terms():
        ends = (t.end, t.end + dt.timedelta(days=1)) if t.end else ()
        days.update(d for d in (t.start, *ends) if FIRST_YEAR <= d.year <= LAST_YEAR)
    return sorted(days)


@pytest.mark.parametrize("day", change_days(), ids=str)
def test_every_day_the_roster_changes_has_a_full_council_and_a_draft(day: dt.date):
    council = council_on(day)
    assert len(council) == Rule.on(RuleKind.PROCEDURAL, day).size  # 11 before 1966, then 15
    chair = record.president_on(day)
    assert chair.code in {t.code for t in council}
    s = loads(draft(day, proposed_by=(council[0].country.name,)), file=f"new-{day}.yaml")
    assert len(s.members) == len(council) and s.date == day
    assert s.member(s.president).code == chair.code


def test_the_russian_federation_holds_the_ussr_seat_and_presidency_from_25_december_1991():
    assert president(1991, 12).code == "SUN"  # the month's, from the rotation on the 1st
    for d in range(1, 32):
        day = dt.date(1991, 12, d)
        expected = "SUN" if d <= 24 else "RUS"
        assert record.president_on(day).code == expected, day
        assert expected in {t.code for t in council_on(day)}
    text = "title: t\ndate: 1991-12-{d}\ndefault: abstain\nmembers: {{}}\npresident: {p}\n"
    assert loads(text.format(d=27, p="Russia")).president == "Russian Federation"
    assert loads(text.format(d=24, p="USSR")).president == "USSR"
    with pytest.raises(ScenarioError) as info:
        loads(text.format(d=27, p="USSR"), file="s.yaml")
    assert str(info.value) == "s.yaml:5:12: president: 'USSR' is not a member in this scenario"


@pytest.mark.parametrize("day", range(25, 32))
def test_new_drafts_the_council_of_late_december_1991(day: int):
    date = f"1991-12-{day}"
    result = CliRunner().invoke(main, ["new", "--date", date, "--proposed-by", "United States"])
    assert result.exit_code == 0, result.output
    s = loads(result.stdout, file="new.yaml")
    assert "Russian Federation" in s.names and "USSR" not in s.names
    assert s.president == "Russian Federation"
