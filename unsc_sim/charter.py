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
from enum import Enum

import numpy as np

from .errors import InvalidValueError
from .model import STEP, VOTES, Rule, RuleKind, Scenario, Stance, Vote

# Column index of each vote in probability arrays and of each code in vote matrices.
CODE = {v: i for i, v in enumerate(VOTES)}
YES, NO, ABSTAIN, ABSENT = (CODE[v] for v in VOTES)


@dataclass(frozen=True)
class Tally:
    yes: int = 0
    no: int = 0
    abstain: int = 0
    absent: int = 0


class Outcome(str, Enum):
    """How a sure vote ends: a veto is told apart from a motion short of votes."""

    ADOPTED = "adopted"
    NOT_ADOPTED = "not adopted"  # too few affirmative votes (whatever the permanent members did)
    VETOED = "vetoed"  # enough affirmative votes, defeated by a permanent member's "no"


@dataclass(frozen=True)
class Decision:
    """The outcome of one sure vote.

    ``vetoed_by`` names the permanent members voting "no" on a motion that had the votes: a
    "no" on a motion short of votes is only a "no" (as the Council's own veto lists count).
    """

    adopted: bool
    tally: Tally
    threshold: int
    vetoed_by: tuple[str, ...] = ()

    @property
    def outcome(self) -> Outcome:
        if self.adopted:
            return Outcome.ADOPTED
        return Outcome.VETOED if self.vetoed_by else Outcome.NOT_ADOPTED

    @property
    def margin(self) -> int | None:
        """Affirmative votes above (or, negative, below) the threshold; None when vetoed.

        A vetoed motion had the votes, so a count above the threshold would read as success.
        """
        return None if self.vetoed_by else self.tally.yes - self.threshold


def tally(votes: Mapping[str, Vote]) -> Tally:
    """Count each kind of vote."""
    counts = dict.fromkeys(VOTES, 0)
    for v in votes.values():
        counts[Vote(v)] += 1
    return Tally(*counts.values())


def decide(votes: Mapping[str, Vote], rule: Rule, permanent: Collection[str] = ()) -> Decision:
    """Apply Article 27 to one sure vote (member name -> vote).

    The explorer's JavaScript twin is ``decide`` in ``data/explorer.html``."""
    if len(votes) != rule.size:
        raise InvalidValueError(f"the Council has {rule.size} members, got {len(votes)} votes")
    t = tally(votes)
    enough = t.yes >= rule.threshold
    vetoes = tuple(
        m for m, v in votes.items() if enough and rule.veto and m in permanent and v is Vote.NO
    )
    return Decision(enough and not vetoes, t, rule.threshold, vetoes)


def adopted(yes: np.ndarray | int, vetoed: np.ndarray | bool, rule: Rule) -> np.ndarray:
    """Vectorized twin of ``decide`` on yes counts and veto flags."""
    passed = np.asarray(yes) >= rule.threshold
    return passed & ~np.asarray(vetoed) if rule.veto else passed


def p_adopted(total: np.ndarray, clean: np.ndarray, rule: Rule) -> np.ndarray:
    """P(adopted) from yes-count distributions: ``total[..., k]`` = P(k yes votes) and
    ``clean[..., k]`` = P(k yes votes and no permanent "no"); leading axes are a batch.

    Under the veto only the clean mass counts. Rounding can leave a sure outcome at 1 + 2e-16,
    so the result is clipped at 1. One definition for every engine and view; the explorer's
    JavaScript twin is ``pAdopted`` in ``data/explorer.html``.

    >>> import numpy as np
    >>> from unsc_sim.model import Rule
    >>> float(p_adopted(np.array([0.5, 0.5]), np.array([0.5, 0.5]), Rule(size=1, threshold=1)))
    0.5
    """
    dist = np.asarray(clean if rule.veto else total, dtype=float)
    if dist.ndim == 1:  # one scenario: Python floats are cheaper than numpy calls here
        return np.float64(min(1.0, sum(dist[rule.threshold :].tolist())))
    return np.minimum(dist[..., rule.threshold :].sum(axis=-1), 1.0)


def decide_profiles(codes: np.ndarray, permanent: np.ndarray, rule: Rule) -> np.ndarray:
    """Adoption for a (profiles, members) matrix of vote codes (see ``CODE``)."""
    yes = np.count_nonzero(codes == YES, axis=-1)
    vetoed = np.any((codes == NO) & permanent, axis=-1)
    return adopted(yes, vetoed, rule)


@dataclass(frozen=True)
class Pivot:
    """A member whose own vote decides the outcome, and how.

    ``p`` is P(its vote decides): 1 for sure votes; for uncertain ones, P(adopted | it votes
    yes) - P(adopted | it votes no). ``veto`` is true when what decides is a permanent
    member's "no" against its abstention: its "no" would veto the motion, or withdrawing its
    "no" would let it pass.
    """

    member: str
    why: str
    veto: bool = False
    p: float = 1.0


def pivots(
    votes: Mapping[str, Vote], rule: Rule, permanent: Collection[str] = ()
) -> tuple[Pivot, ...]:
    """Members whose switch alone changes the outcome, each with the nearest such switch.

    A member is pivotal when the outcome with its yes differs from the outcome with its "no"
    (the outcome is monotone in each vote, so then some switch of its own changes it). That
    covers a yes voter whose abstention fails the motion, a non-yes voter whose yes passes
    it, and, under the veto, a permanent member whose "no" would defeat an adopted motion or
    whose withdrawn "no" would let a vetoed one pass. JavaScript twin: ``pivotsSure``.
    """
    now = decide(votes, rule, permanent)
    out = []
    for member, vote in votes.items():
        outcome = {
            v: decide({**votes, member: v}, rule, permanent).adopted
            for v in (Vote.YES, Vote.ABSTAIN, Vote.NO)
        }
        if outcome[Vote.YES] == outcome[Vote.NO]:
            continue
        switch = min(
            (v for v in outcome if outcome[v] != now.adopted),
            key=lambda v: abs(STEP[v] - STEP[vote]),
        )
        veto = outcome[Vote.ABSTAIN] != outcome[Vote.NO]
        out.append(Pivot(member, _why(vote, switch, veto, now.tally.yes, rule), veto))
    return tuple(out)


def _why(vote: Vote, switch: Vote, veto: bool, yes: int, rule: Rule) -> str:
    if switch is Vote.NO:
        return 'its "no" would veto it'
    if veto:  # a lone "no" on a motion with the votes
        return "withdrawing its veto would adopt it"
    if switch is Vote.YES:
        return f"its yes would make {yes + 1} yes votes ({rule.threshold} needed)"
    return f"its abstention would leave {yes - 1} yes votes ({rule.threshold} needed)"


def pivotal(
    votes: Mapping[str, Vote], rule: Rule, permanent: Collection[str] = ()
) -> tuple[str, ...]:
    """The names of the pivotal members (see ``pivots``)."""
    return tuple(p.member for p in pivots(votes, rule, permanent))


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
