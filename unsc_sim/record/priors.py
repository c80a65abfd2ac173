"""Priors from the record: how a member votes relative to the sides of a procedural motion.

For a motion on day D proposed by P (and opposed by O), member m's P(yes/no/abstain/absent)
comes from the full recorded votes strictly before D (tally-only rows are not evidence),
each weighing 2^(-age / ``half_life``), age in years:

- Sides: for each reference c in P and O other than m, m's votes in which c voted yes or no,
  each one *with* c, *against* c, abstaining or absent. With c proposing, "with" counts as yes
  and "against" as no; with c opposing, the reverse. Counts are averaged over the references.
  A member that proposes counts its own votes on motions it proposed; one that opposes, its
  votes on motions it opposed (yes and no swapped). No sides given: plain vote frequencies.
- Topic and kind: an earlier vote on the motion's topic weighs ``TOPIC_WEIGHT`` times more,
  one of its kind (agenda, invitation, ...) ``KIND_WEIGHT`` times more.
- Member x topic: with a topic given, the member's own votes on that topic, and of the
  motion's kind when one is given (read against the same references, undecayed: who objects
  to a DPRK human-rights item does not change with the years; inviting the PLO and adjourning
  a Middle East debate are different questions), are a last, most specific level, smoothed
  toward the member's prior with ``topic_alpha`` pseudo-votes (``TOPIC_ALPHA``; infinite: no
  such level).
- Smoothing, ``alpha`` pseudo-votes at each level, from ``NO_DATA`` down: the motions (how
  members on neither side voted where a proposer, or opponent, is recorded), all members
  read against the references, the other elected members of m's UN regional group
  (``data/regional_groups.csv``; a permanent member's record is its own), and m:
  p = (n + alpha * p_above) / (N + alpha). For a proposer (an objector) the "all members"
  level is every proposer's votes on its own motions (every objector's), undecayed: that
  members vote for their own motions is not a recent habit. A member with no vote of its own
  gets its group's prior.

P(adopted) treats the members' votes as a little correlated, one bloc at ``RHO`` (the engines'
bloc model, ``blocs.py``; ``backtest.yes_distribution``), then adds the sponsor camp's
selection offset (``selection.py``, shrunk by ``SHRINK``). The constants were chosen by
``tuning.tune`` on the votes before ``backtest.CUTOFF``; ``ALPHA`` is fixed, not tuned (see
the README).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from ..countries import resolve
from ..model import VOTES, Basis, Stance
from . import levels
from .council import FIRST_YEAR, LAST_YEAR, council_on
from .levels import FLIP
from .votes import RecordedVote, recorded_votes

ALPHA = 1.0  # pseudo-votes of smoothing at each level (fixed: one, as in Laplace's rule)
HALF_LIFE = 1.0  # years after which a recorded vote weighs half (chosen by tuning.tune)
RHO = 0.2  # correlation of the members' votes on one motion (chosen by tuning.tune)
TOPIC_WEIGHT = 1.0  # an earlier vote on the motion's topic weighs this many times more (tuned)
KIND_WEIGHT = 2.0  # an earlier vote of the motion's kind weighs this many times more (tuned)
# The member x topic effect: the member's own votes on the motion's topic and kind (read
# against the same sides, undecayed) pull its prior against this many pseudo-votes (tuned).
TOPIC_ALPHA = 2.0
SLOPE = 0.25  # the members' log-odds are tempered by this before the offset (``selection``; tuned)
SHRINK = 2.0  # sd of the prior on each sponsor camp's selection offset (``selection``; tuned)
# With no recorded vote at all: even odds of yes/no/abstain, a little absence.
NO_DATA = np.array([0.33, 0.33, 0.33, 0.01])
# One member under two codes: the Russian Federation continues the USSR's seat; Zaire and
# Upper Volta are today's Democratic Republic of the Congo and Burkina Faso.
SAME_MEMBER = {"SUN": "RUS", "ZAR": "COD", "HVO": "BFA"}


@cache
def regional_groups() -> dict[str, str]:
    """Member code -> UN regional group, from ``data/regional_groups.csv``."""
    path = resources.files("unsc_sim") / "data" / "regional_groups.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return {row["code"]: row["group"] for row in csv.DictReader(f)}


@cache
def _seated(day: dt.date) -> dict[str, str]:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        return {}
    return {t.country.name: t.code for t in council_on(day)}


def member_code(name: str, day: dt.date) -> str:
    """A member's code (one code per member across renamings), by its name on ``day``."""
    code = _seated(day).get(name) or resolve(name).code
    return SAME_MEMBER.get(code, code)


@dataclass(frozen=True, eq=False)
class Record:
    """Full recorded votes as arrays: one row per vote, one column per member."""

    ids: tuple[str, ...]
    days: np.ndarray  # (T,) date ordinals
    codes: tuple[str, ...]
    votes: np.ndarray  # (T, C) index into VOTES; -1 where the member did not sit
    proposed: np.ndarray  # (T, C) bool: the member proposed the motion
    opposed: np.ndarray  # (T, C) bool: the member opposed it
    topics: np.ndarray  # (T,) str: each vote's topic
    kinds: np.ndarray  # (T,) str: each vote's kind (agenda, invitation, ...)

    @classmethod
    def of(cls, votes: Iterable[RecordedVote]) -> Record:
        """The rows whose member lists are full (tally-only rows are left out)."""
        full = sorted((v for v in votes if v.members_known), key=lambda v: (v.date, v.id))
        rows = [{member_code(n, v.date): VOTES.index(x) for n, x in v.votes.items()} for v in full]
        codes = tuple(sorted({c for r in rows for c in r}))
        col = {c: j for j, c in enumerate(codes)}
        shape = (len(full), len(codes))
        table = np.full(shape, -1, dtype=np.int8)
        proposed, opposed = np.zeros(shape, bool), np.zeros(shape, bool)
        for i, (v, r) in enumerate(zip(full, rows)):
            for c, x in r.items():
                table[i, col[c]] = x
            for side, names in ((proposed, v.proposed_by), (opposed, v.opposed_by)):
                for n in names:
                    if member_code(n, v.date) in col:
                        side[i, col[member_code(n, v.date)]] = True
        days = np.array([v.date.toordinal() for v in full], dtype=np.int64)
        topics = np.array([v.topic for v in full], dtype=object)
        kinds = np.array([v.kind.value for v in full], dtype=object)
        ids = tuple(v.id for v in full)
        return cls(ids, days, codes, table, proposed, opposed, topics, kinds)

    def before(self, day: dt.date) -> Record:
        """The votes strictly before ``day``, and only the members that cast them: the same
        arrays, bit for bit, however many later votes the record holds."""
        n = int(np.searchsorted(self.days, day.toordinal(), side="left"))
        seen = (self.votes[:n] >= 0).any(axis=0)
        return Record(
            self.ids[:n],
            self.days[:n],
            tuple(c for c, keep in zip(self.codes, seen) if keep),
            self.votes[:n][:, seen],
            self.proposed[:n][:, seen],
            self.opposed[:n][:, seen],
            self.topics[:n],
            self.kinds[:n],
        )


@cache
def _permanent() -> frozenset[str]:
    """Codes of the permanent members (their records are their own, not their group's)."""
    from .council import terms

    return frozenset(SAME_MEMBER.get(t.code, t.code) for t in terms() if t.permanent)


@cache
def _recorded() -> Record:
    return Record.of(recorded_votes())


@dataclass(frozen=True)
class Prior:
    """A member's prior for one vote, and what it rests on."""

    member: str
    day: dt.date
    probabilities: tuple[float, float, float, float]
    relation: str  # "sides", "proposer", "opposer" or "no sides"
    sides: tuple[str, ...]  # the references: proposers, then opponents
    group: str | None
    own: float  # the member's own evidence, in weighted votes (averaged over the references)
    votes: tuple[str, ...]  # ids of the member's recorded votes the prior rests on
    alpha: float
    half_life: float
    topic: str | None = None
    same_topic: tuple[str, ...] = ()  # ids of ``votes`` on ``topic``
    topic_weight: float = 1.0
    topic_alpha: float = math.inf
    topic_votes: float = 0.0  # the member's same-topic evidence, in votes (undecayed)

    @property
    def yes(self) -> float:
        return self.probabilities[0]

    @property
    def new_member(self) -> bool:
        """No recorded vote of its own before the day: the prior is its group's."""
        return not self.votes

    @property
    def note(self) -> str:
        smoothing = f"alpha={self.alpha:g}, half-life {self.half_life:g} years"
        toward = f"{self.group} and all members" if self.group else "all members"
        what = {
            "sides": f"with or against {', '.join(self.sides)}",
            "proposer": "on motions it proposed",
            "opposer": "on motions it opposed",
            "no sides": "(no sides given: plain frequencies)",
        }[self.relation]
        if self.relation in ("proposer", "opposer"):
            side = "proposed" if self.relation == "proposer" else "opposed"
            toward = f"every member's votes on the motions it {side} (undecayed), {toward}"
        on_topic = ""
        if self.topic:
            named = ", ".join(reversed(self.same_topic[-5:]))
            more = f" and {len(self.same_topic) - 5} earlier" if len(self.same_topic) > 5 else ""
            pull = (
                f"; its own {self.topic_votes:.2g} vote(s) on it pull the prior against "
                f"{self.topic_alpha:g} pseudo-votes"
                if math.isfinite(self.topic_alpha) and self.topic_votes
                else ""
            )
            on_topic = f" On {self.topic} (weighing {self.topic_weight:g} times more{pull}): " + (
                f"{named}{more}." if named else "none of its own votes."
            )
        if self.new_member:
            return (
                f"Prior from the record before {self.day}: no recorded vote of its own {what}, "
                f"so the prior of {toward} ({smoothing}).{on_topic}"
            )
        latest = ", ".join(reversed(self.votes[-3:]))
        earlier = f" and {len(self.votes) - 3} earlier" if len(self.votes) > 3 else ""
        weighed = "after decay and the topic's weight" if self.topic else "after decay"
        return (
            f"Prior from the record before {self.day}: {len(self.votes)} recorded vote(s) "
            f"{what} ({latest}{earlier}; {weighed} they weigh as {self.own:.2f} vote(s) "
            f"of that day), smoothed toward {toward} ({smoothing}).{on_topic}"
        )

    def stance(self) -> Stance:
        return Stance(*self.probabilities, basis=Basis.PRIOR, note=self.note, from_votes=self.votes)


def check(
    alpha: float, half_life: float, topic_weight: float, kind_weight: float, topic_alpha: float
) -> None:
    """ValueError unless the constants of ``priors`` are all positive."""
    if not (alpha > 0 and half_life > 0 and topic_weight > 0 and kind_weight > 0
            and topic_alpha > 0):  # fmt: skip
        raise ValueError(
            "alpha, half_life and the weights must be positive, not "
            f"{alpha}, {half_life}, {topic_weight} and {kind_weight}"
        )


@dataclass(frozen=True, eq=False)
class Reading:
    """What the priors of one motion's members read from the record, whatever the constants
    (``reading``): the votes before its day, each member's relation to the sides and the
    outcome tables of each relation. ``Reading.priors`` weighs them."""

    members: tuple[str, ...]
    day: dt.date
    record: Record  # the votes strictly before ``day``
    topic: str | None
    kind: str | None
    at: tuple[np.ndarray | None, np.ndarray | None]  # (T,) on the topic, of the kind (or None)
    names: tuple[str, ...]  # the sides as named: proposers, then opponents
    directions: tuple[int, ...]  # the references' (the sides with a recorded vote)
    codes: tuple[str, ...]  # the members'
    rows: np.ndarray  # (M,) the members' columns (C: no recorded vote)
    groups: tuple[str | None, ...]
    mates: np.ndarray  # (M, L) the columns of each member's regional mates (padding: C)
    wanted: tuple[str, ...]  # each member's relation (before any fallback to "no sides")
    outcomes: dict[str, list[np.ndarray]]  # relation -> its (T, C) outcome tables
    motions: dict[int, np.ndarray]  # direction -> (T, C) the bystanders' outcomes
    pooled: dict[str, np.ndarray]  # "proposer", "opposer" -> (4,) every one's, undecayed
    topical: dict[str, np.ndarray]  # relation -> (M, 4) member x topic counts, undecayed
    used: dict[str, tuple[tuple[str, ...], ...]]  # relation -> each member's evidence
    same_topic: dict[str, tuple[tuple[str, ...], ...]]  # relation -> those on the topic

    def priors(
        self,
        *,
        alpha: float = ALPHA,
        half_life: float = HALF_LIFE,
        topic_weight: float = TOPIC_WEIGHT,
        kind_weight: float = KIND_WEIGHT,
        topic_alpha: float = TOPIC_ALPHA,
    ) -> tuple[Prior, ...]:
        """Each member's prior under these constants (those of ``priors``)."""
        check(alpha, half_life, topic_weight, kind_weight, topic_alpha)
        record = self.record
        on = ((self.at[0], topic_weight), (self.at[1], kind_weight))
        w = levels.weights(record.days, self.day, half_life, on=on)
        tables = {r: [levels.counts(o, w) for o in self.outcomes[r]] for r in set(self.wanted)}
        # Nothing recorded yet to read the sides from: plain frequencies.
        recorded = {r: any(t.sum() != 0 for t in ts) for r, ts in tables.items()}
        relations = [r if recorded[r] else "no sides" for r in self.wanted]
        if "no sides" in relations and "no sides" not in tables:
            tables["no sides"] = [levels.counts(record.votes, w)]
        motions = {d: levels.counts(o, w).sum(axis=0) for d, o in self.motions.items()}
        found: dict[int, Prior] = {}
        for relation in dict.fromkeys(relations):
            who = [i for i, r in enumerate(relations) if r == relation]
            bases = [motions[d] for d in self.directions] if relation == "sides" else []
            above = [levels.held_mean(np.array(bases).reshape(-1, 1, 4))]
            if relation in self.pooled:
                above.append(levels.held_mean(self.pooled[relation].reshape(1, 1, 4)))
            else:
                every = np.stack([t.sum(axis=0) for t in tables[relation]])[:, None]
                above.append(levels.held_mean(every))
            stack = levels.padded(tables[relation])
            p, own = levels.member_levels(
                stack, NO_DATA, above, self.rows[who], self.mates[who], alpha
            )
            n_topic = self.topical[relation][who]
            p = levels.pulled(p, n_topic, topic_alpha)
            if relation == "opposer":
                p = p[:, FLIP]  # with its own side means "no" for a member opposing the motion
            named = self.names if relation == "sides" else ()  # none of them is a member here
            sums = zip(p.tolist(), own.sum(axis=1).tolist(), n_topic.sum(axis=1).tolist())
            for i, (probabilities, evidence, topic_votes) in zip(who, sums):
                found[i] = Prior(
                    member=self.members[i],
                    day=self.day,
                    probabilities=tuple(probabilities),  # type: ignore[arg-type]
                    relation=relation,
                    sides=named,
                    group=self.groups[i],
                    own=evidence,
                    votes=self.used[relation][i],
                    alpha=alpha,
                    half_life=half_life,
                    topic=self.topic,
                    same_topic=self.same_topic[relation][i],
                    topic_weight=topic_weight,
                    topic_alpha=topic_alpha,
                    topic_votes=topic_votes,
                )
        return tuple(found[i] for i in range(len(self.members)))


@cache
def _elected_by_group() -> dict[str, tuple[str, ...]]:
    """UN regional group -> the codes of its members that are not permanent (file order)."""
    out: dict[str, tuple[str, ...]] = {}
    for code, group in regional_groups().items():
        if code not in _permanent():
            out[group] = (*out.get(group, ()), code)
    return out


def _outcomes(record: Record, relative: list[np.ndarray], relation: str) -> list[np.ndarray]:
    """The (T, C) outcome tables a relation reads the members' votes from (-1: no evidence)."""
    if relation == "sides":
        return relative
    if relation == "proposer":  # a member's votes on motions it proposed
        return [np.where(record.proposed, record.votes, -1)]
    if relation == "opposer":  # on those it opposed, yes and no swapped
        flipped = np.where(record.votes >= 0, FLIP[record.votes], -1)
        return [np.where(record.opposed, flipped, -1)]
    return [record.votes]


def reading(
    members: Sequence[str],
    day: dt.date,
    *,
    proposed_by: Sequence[str] = (),
    opposed_by: Sequence[str] = (),
    topic: str | None = None,
    kind: str | None = None,
    record: Record | None = None,
) -> Reading:
    """What ``priors`` reads from the record for these members on ``day`` (its options but
    the constants): the same priors, whatever the constants, for less work each."""
    topic = topic.casefold() if topic else None
    kind = kind.casefold() if kind else None
    record = (_recorded() if record is None else record).before(day)  # leave the future out
    col = {c: j for j, c in enumerate(record.codes)}
    sides = [(member_code(n, day), +1) for n in proposed_by] + [
        (member_code(n, day), -1) for n in opposed_by
    ]
    both = {c for c, d in sides if d > 0} & {c for c, d in sides if d < 0}
    if both:
        raise ValueError(f"on both sides of the motion: {', '.join(sorted(both))}")
    refs = [(col[c], d) for c, d in sides if c in col]
    codes = tuple(member_code(name, day) for name in members)
    direction = dict(reversed(sides))  # the first side each code is on
    wanted = tuple(
        {1: "proposer", -1: "opposer"}.get(direction.get(c, 0)) or ("sides" if refs else "no sides")
        for c in codes
    )
    relative = [levels.relative(record.votes, j, d) for j, d in refs if "sides" in wanted]
    outcomes = {r: _outcomes(record, relative, r) for r in {*wanted, "no sides"}}
    # The motions: how members not on a side voted where a proposer (opponent) is recorded.
    bystanders = np.where(record.proposed | record.opposed, -1, record.votes)
    motions = {
        d: np.where(side.any(axis=1, keepdims=True), bystanders, -1)
        for d, side in ((+1, record.proposed), (-1, record.opposed))
        if any(d == e for _, e in refs) and "sides" in wanted
    }
    # Members vote with their own motions (and against those they oppose) almost always,
    # whenever and on whatever topic: every proposer's (opponent's) votes pooled, undecayed.
    ones = np.ones(len(record.days))
    pooled = {
        r: levels.counts(outcomes[r][0], ones).sum(axis=0)
        for r in ("proposer", "opposer")
        if r in outcomes
    }
    c = len(record.codes)
    rows = np.array([col.get(code, c) for code in codes], dtype=np.intp)
    groups, elected = regional_groups(), _elected_by_group()
    group = tuple(groups.get(code) for code in codes)
    present = {g: [(m, col[m]) for m in elected.get(g, ()) if m in col] for g in group if g}
    mates = [[j for m, j in present[g] if m != code] if g else [] for code, g in zip(codes, group)]
    width = max((len(m) for m in mates), default=0)
    at_topic = None if topic is None else record.topics == topic
    at_kind = None if kind is None else record.kinds == kind
    # The member x topic level: the same readings, on the topic (and kind) only, undecayed.
    on = (at_topic & (at_kind if kind else True)).astype(float) if topic else None
    ids = np.array(record.ids, dtype=object)
    on_topic = set(ids[at_topic]) if topic else set()
    hit = np.array([i in on_topic for i in record.ids], dtype=bool)  # a vote on the topic
    used, same = {}, {}
    for r, tables in outcomes.items():
        mask = np.any([o >= 0 for o in tables], axis=0)
        used[r] = tuple(() if j == c else tuple(ids[mask[:, j]]) for j in rows)
        same[r] = tuple(() if j == c else tuple(ids[mask[:, j] & hit]) for j in rows)
    topical = {
        r: levels.held_mean(levels.padded([levels.counts(o, on) for o in tables])[:, rows])
        if on is not None
        else np.zeros((len(codes), 4))
        for r, tables in outcomes.items()
    }
    return Reading(
        members=tuple(members),
        day=day,
        record=record,
        topic=topic,
        kind=kind,
        at=(at_topic, at_kind),
        names=(*proposed_by, *opposed_by),
        directions=tuple(d for _, d in refs),
        codes=codes,
        rows=rows,
        groups=group,
        mates=np.array([m + [c] * (width - len(m)) for m in mates], dtype=np.intp),
        wanted=wanted,
        outcomes=outcomes,
        motions=motions,
        pooled=pooled,
        topical=topical,
        used=used,
        same_topic=same,
    )


def priors(
    members: Sequence[str],
    day: dt.date,
    *,
    proposed_by: Sequence[str] = (),
    opposed_by: Sequence[str] = (),
    topic: str | None = None,
    kind: str | None = None,
    record: Record | None = None,
    alpha: float = ALPHA,
    half_life: float = HALF_LIFE,
    topic_weight: float = TOPIC_WEIGHT,
    kind_weight: float = KIND_WEIGHT,
    topic_alpha: float = TOPIC_ALPHA,
) -> tuple[Prior, ...]:
    """The prior of each member for a procedural vote on ``day`` (names as the Council had
    them, or any name ``countries.resolve`` knows), from votes strictly before ``day``.

    ``topic`` and ``kind`` (case-insensitive) make the earlier votes on the same topic weigh
    ``topic_weight`` times more, and those of the same kind ``kind_weight`` times more; the
    member's own same-topic votes then pull its prior against ``topic_alpha`` pseudo-votes."""
    check(alpha, half_life, topic_weight, kind_weight, topic_alpha)
    found = reading(members, day, proposed_by=proposed_by, opposed_by=opposed_by, topic=topic,
                    kind=kind, record=record)  # fmt: skip
    return found.priors(alpha=alpha, half_life=half_life, topic_weight=topic_weight,
                        kind_weight=kind_weight, topic_alpha=topic_alpha)  # fmt: skip


def prior(member: str, day: dt.date, **options: object) -> Prior:
    """One member's prior (the options of ``priors``)."""
    return priors([member], day, **options)[0]  # type: ignore[arg-type]
