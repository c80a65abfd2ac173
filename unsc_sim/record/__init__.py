"""The Council's record: rosters and presidencies, recorded votes, priors and their backtest.

``council`` (terms, presidencies, rosters) and ``votes`` (recorded procedural votes) are the
sourced data; ``priors``, ``backtest``, ``scoring`` and ``new_scenario`` build on them.
"""

from .council import (
    FIRST_YEAR,
    LAST_YEAR,
    Presidency,
    Roster,
    Term,
    council_on,
    members_on,
    president,
    president_on,
    recorded_presidencies,
    roster,
    terms,
)
from .votes import TOPICS, Kind, RecordedVote, recorded_vote, recorded_votes

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "TOPICS",
    "Kind",
    "Presidency",
    "RecordedVote",
    "Roster",
    "Term",
    "council_on",
    "members_on",
    "president",
    "president_on",
    "recorded_presidencies",
    "recorded_vote",
    "recorded_votes",
    "roster",
    "terms",
]
