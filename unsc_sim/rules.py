"""Article 27 of the Charter as pure functions: a readable reference and a vectorized twin.

- 27(2) procedural: adopted iff the affirmative votes reach the threshold (9 of 15).
- 27(3) substantive: the same, and no permanent member votes "no". An abstention or absence
  of a permanent member is not a veto (the Council's practice since 1946, upheld by the ICJ
  in its 1971 Namibia advisory opinion).
- 27(3) proviso: in decisions under Chapter VI (and Art. 52(3)) a party to a dispute abstains.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np

from .errors import InvalidValueError
from .model import VOTES, Rule, RuleKind, Scenario, Stance, Vote

# Column index of each vote in probability arrays and of each code in vote matrices.
CODE = {v: i for i, v in enumerate(VOTES)}
YES, NO, ABSTAIN, ABSENT = (CODE[v] for v in VOTES)


@dataclass(frozen=True)
class Tally:
    yes: int = 0
    no: int = 0
    abstain: int = 0
    absent: int = 0


@dataclass(frozen=True)
class Decision:
    """The outcome of one sure vote."""

    adopted: bool
    tally: Tally
    threshold: int
    vetoed_by: tuple[str, ...] = ()

    @property
    def margin(self) -> int:
        """Affirmative votes above (or, negative, below) the threshold."""
        return self.tally.yes - self.threshold


def tally(votes: Mapping[str, Vote]) -> Tally:
    """Count each kind of vote."""
    counts = dict.fromkeys(VOTES, 0)
    for v in votes.values():
        counts[Vote(v)] += 1
    return Tally(*counts.values())


def decide(votes: Mapping[str, Vote], rule: Rule, permanent: Collection[str] = ()) -> Decision:
    """Apply Article 27 to one sure vote (member name -> vote)."""
    if len(votes) != rule.size:
        raise InvalidValueError(f"the Council has {rule.size} members, got {len(votes)} votes")
    t = tally(votes)
    vetoes = tuple(m for m, v in votes.items() if rule.veto and m in permanent and v is Vote.NO)
    return Decision(t.yes >= rule.threshold and not vetoes, t, rule.threshold, vetoes)


def adopted(yes: np.ndarray | int, vetoed: np.ndarray | bool, rule: Rule) -> np.ndarray:
    """Vectorized twin of ``decide`` on yes counts and veto flags."""
    passed = np.asarray(yes) >= rule.threshold
    return passed & ~np.asarray(vetoed) if rule.veto else passed


def decide_profiles(codes: np.ndarray, permanent: np.ndarray, rule: Rule) -> np.ndarray:
    """Adoption for a (profiles, members) matrix of vote codes (see ``CODE``)."""
    yes = np.count_nonzero(codes == YES, axis=-1)
    vetoed = np.any((codes == NO) & permanent, axis=-1)
    return adopted(yes, vetoed, rule)


def pivotal(
    votes: Mapping[str, Vote], rule: Rule, permanent: Collection[str] = ()
) -> tuple[str, ...]:
    """Members whose switch alone changes the outcome.

    A yes voter is pivotal if abstaining would fail the motion (its switch to "no" would
    add a veto too, but an abstention isolates the count); any other member is pivotal if
    voting yes would pass it.
    """
    before = decide(votes, rule, permanent).adopted
    out = []
    for member, vote in votes.items():
        switched = Vote.ABSTAIN if vote is Vote.YES else Vote.YES
        if decide({**votes, member: switched}, rule, permanent).adopted != before:
            out.append(member)
    return tuple(out)


def obliged_to_abstain(scenario: Scenario) -> tuple[str, ...]:
    """Members the Art. 27(3) proviso obliges to abstain (substantive, Chapter VI, party)."""
    if scenario.rule.kind is not RuleKind.SUBSTANTIVE or scenario.chapter != "VI":
        return ()
    return tuple(m.name for m in scenario.members if m.party_to_dispute)


def with_proviso(scenario: Scenario) -> Scenario:
    """The scenario with every member the proviso binds set to a sure abstention."""
    names = obliged_to_abstain(scenario)
    note = "Art. 27(3): a party to a dispute abstains in decisions under Chapter VI"
    return (
        scenario.with_stances({n: Stance.sure(Vote.ABSTAIN, note=note) for n in names})
        if names
        else scenario
    )
