"""Who proposed and who objected, 1946-1999: sides from sources, never copied from the votes."""

from __future__ import annotations

import datetime as dt

import pytest

from unsc_sim import record as history
from unsc_sim.countries import resolve

EARLY = [v for v in history.recorded_votes() if v.date < dt.date(2000, 1, 1)]


def codes(names) -> set[str]:
    return {resolve(n).code for n in names}


def test_every_early_row_naming_objectors_says_where_they_come_from():
    # Voting no is not objecting: opposed_by names members a source records as objecting,
    # proposing the counter-motion or calling for the vote, and the note says which source.
    for vote in EARLY:
        if vote.opposed_by:
            assert "opposed_by" in (vote.note or ""), vote.id


@pytest.mark.parametrize(
    ("vote_id", "proposed", "opposed"),
    [
        # The letter S/8758 (Resolutions and Decisions 1968); the Soviet letter (Repertoire).
        (
            "1968-08-21-czechoslovakia",
            ["Canada", "Denmark", "France", "Paraguay", "United Kingdom", "United States"],
            ["USSR"],
        ),
        # Christian Science Monitor, 10 January 1980: the two members moved the call.
        ("1980-01-09-afghanistan", ["Mexico", "Philippines"], []),
        # The Somali draft (New York Times, 6 December 1971).
        ("1971-12-06-india-pakistan", ["Somalia"], []),
        # The official volume names only the voters of a PLO invitation.
        ("1980-02-22-plo", [], []),
        # The US called for the vote (USUN cable 4896).
        ("1976-11-01-plo", [], ["United States"]),
        # Libya and Pakistan asked for the meeting (S/12017); Scranton objected (JTA).
        ("1976-03-22-plo", ["Libya", "Pakistan"], ["United States"]),
        # Tunisia's letter S/13950, called its proposal by the President (S/PV.2222).
        ("1980-05-20-plo", ["Tunisia"], []),
        # The paragraph stood on the provisional agenda; no member is named moving or objecting.
        ("1975-08-06-korea", [], []),
    ],
)
def test_sides_of_sourced_rows(vote_id, proposed, opposed):
    vote = history.recorded_vote(vote_id)
    assert codes(vote.proposed_by) == codes(proposed)
    assert codes(vote.opposed_by) == codes(opposed)
