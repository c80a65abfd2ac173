"""Sourced early votes: the 1975-1976 rows match what their sources say, vote by vote."""

from __future__ import annotations

import datetime as dt

import pytest

from unsc_sim import record as history
from unsc_sim.countries import resolve

JTA_JANUARY = "arabs-may-offer-moderate-draft-resolution-in-security-council"
JTA_MARCH = "security-council-votes-ii-i-with-3-abstentions-to-seat-the-plo"


def codes(names) -> set[str]:
    return {resolve(n).code for n in names}


def tally(vote) -> tuple[int, int, int, int]:
    return tuple(vote.count(k) for k in ("yes", "no", "abstain", "absent"))


def test_january_1976_plo_row_cites_the_january_report_not_the_march_one():
    vote = history.recorded_vote("1976-01-12-plo")
    assert JTA_JANUARY in vote.members_source
    assert not any(JTA_MARCH in s for s in vote.sources)
    assert tally(vote) == (11, 1, 3, 0)


def test_march_1976_plo_invitation_at_the_1893rd_meeting():
    vote = history.recorded_vote("1976-03-22-plo")
    assert vote.date == dt.date(1976, 3, 22) and vote.meeting == "S/PV.1893"
    assert JTA_MARCH in vote.members_source and vote.adopted
    assert tally(vote) == (11, 1, 3, 0)
    assert codes(vote.of("no")) == codes(["United States"])
    assert codes(vote.of("abstain")) == codes(["France", "Italy", "United Kingdom"])


def test_republic_of_korea_application_kept_off_the_agenda_7_6_2():
    vote = history.recorded_vote("1975-08-06-korea")
    assert vote.meeting == "S/PV.1834" and not vote.adopted
    assert tally(vote) == (7, 6, 2, 0)
    assert codes(vote.of("no")) == codes(
        ["USSR", "Byelorussian SSR", "United Republic of Tanzania", "Mauritania", "Iraq", "China"]
    )
    assert codes(vote.of("abstain")) == codes(["Cameroon", "Guyana"])


@pytest.mark.parametrize("vote_id", ["1975-08-06-admission", "1975-08-06-admission-2"])
def test_viet_nam_applications_put_on_the_agenda_14_0_1(vote_id):
    vote = history.recorded_vote(vote_id)
    assert vote.meeting == "S/PV.1834" and vote.adopted
    assert tally(vote) == (14, 0, 1, 0)
    assert codes(vote.of("abstain")) == codes(["United States"])
