"""Rows of 2000 onward checked against the UN documents they cite (golden facts per row)."""

from __future__ import annotations

import pytest

from unsc_sim import record as history
from unsc_sim.countries import resolve


def codes(names) -> set[str]:
    return {resolve(n).code for n in names}


@pytest.mark.parametrize(
    ("vote_id", "meeting", "press_release", "adopted"),
    [
        # SC/15644: Russia asked for a vote on the agenda of the 9589th meeting (1540 briefing).
        ("2024-03-26-non-proliferation", "S/PV.9589", "SC/15644", True),
    ],
)
def test_meeting_and_press_release_of_sourced_rows(vote_id, meeting, press_release, adopted):
    vote = history.recorded_vote(vote_id)
    assert (vote.meeting, vote.press_release, vote.adopted) == (meeting, press_release, adopted)
    assert (
        f"https://press.un.org/en/{vote.date.year}/{press_release.lower().replace('/', '')}.doc.htm"
        in vote.sources
    )


def test_rows_of_one_meeting_are_one_vote_each():
    # Two rows may share a meeting only as separate votes of that meeting (ids -2, -3, ...).
    seen: dict[str, str] = {}
    for vote in history.recorded_votes():
        if vote.meeting is None or vote.date.year < 2000:
            continue
        assert vote.meeting not in seen or vote.id.rsplit("-", 1)[-1].isdigit(), (
            vote.id,
            seen.get(vote.meeting),
        )
        seen.setdefault(vote.meeting, vote.id)


def test_the_1737_committee_agenda_vote_of_march_2026():
    # Reuters: 11-2-2; TASS names the two against and the two abstaining.
    vote = history.recorded_vote("2026-03-12-iran")
    assert (vote.count("yes"), vote.count("no"), vote.count("abstain")) == (11, 2, 2)
    assert codes(vote.opposed_by) == codes(["China", "Russian Federation"])
    assert codes(vote.proposed_by) == codes(["United States"])
    assert vote.adopted and vote.topic == "iran" and vote.members_known
