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
from .council import FIRST_YEAR, LAST_YEAR, council_on
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
_DAYS_PER_YEAR = 365.2425
# With no recorded vote at all: even odds of yes/no/abstain, a little absence.
NO_DATA = np.array([0.33, 0.33, 0.33, 0.01])
# One member under two codes: the Russian Federation continues the USSR's seat; Zaire and
# Upper Volta are today's Democratic Republic of the Congo and Burkina Faso.
SAME_MEMBER = {"SUN": "RUS", "ZAR": "COD", "HVO": "BFA"}
YES, NO, ABSTAIN, ABSENT = range(4)
FLIP = np.array([NO, YES, ABSTAIN, ABSENT])  # yes and no swapped


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
                f", pulling with {self.topic_votes:.2g} vote(s) against {self.topic_alpha:g}"
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


def _weights(
    record: Record,
    day: dt.date,
    half_life: float,
    *,
    topic: str | None = None,
    kind: str | None = None,
    topic_weight: float = 1.0,
    kind_weight: float = 1.0,
) -> np.ndarray:
    """Each vote's weight: 2^(-age in years / half_life) (1 with an infinite half-life),
    times ``topic_weight`` on the motion's topic and ``kind_weight`` on its kind."""
    if math.isfinite(half_life):
        w = np.exp2(-(day.toordinal() - record.days) / _DAYS_PER_YEAR / half_life)
    else:
        w = np.ones(len(record.days))
    if topic is not None:
        w = w * np.where(record.topics == topic, topic_weight, 1.0)
    if kind is not None:
        w = w * np.where(record.kinds == kind, kind_weight, 1.0)
    return w


def _counts(outcome: np.ndarray, w: np.ndarray) -> np.ndarray:
    """(C, 4) weighted counts of each outcome index per member column (-1 is not counted)."""
    return np.stack([w @ (outcome == o) for o in range(4)], axis=1)


def _relative(votes: np.ndarray, ref: int, direction: int) -> np.ndarray:
    """Every member's vote as an outcome of the new motion, read against member ``ref``."""
    out = np.full(votes.shape, -1, dtype=np.int8)
    mine = votes[:, ref : ref + 1]
    decided = ((mine == YES) | (mine == NO)) & ((votes == YES) | (votes == NO))
    with_, against = (YES, NO) if direction > 0 else (NO, YES)
    out[decided & (votes == mine)] = with_
    out[decided & (votes != mine)] = against
    sat = (mine == YES) | (mine == NO)
    out[sat & (votes == ABSTAIN)] = ABSTAIN
    out[sat & (votes == ABSENT)] = ABSENT
    out[:, ref] = -1  # a reference tells nothing about itself
    return out


def _held_mean(stack: np.ndarray) -> np.ndarray:
    """(K, M, 4) counts -> (M, 4): each row averaged over the K tables in which it holds any
    (zeros where none does); ``np.mean`` of those tables, bit for bit."""
    held = stack.sum(axis=2) > 0
    n = held.sum(axis=0)[:, None]
    total = np.where(held[..., None], stack, 0.0).sum(axis=0)
    return np.where(n > 0, total / np.maximum(n, 1), 0.0)


def _smooth(levels: list[np.ndarray], alpha: float) -> np.ndarray:
    """From ``NO_DATA`` down the levels ((M, 4) counts each, or (1, 4) shared by all):
    p = (n + alpha * p) / (N + alpha) at each."""
    p = NO_DATA
    for n in levels:
        p = (n + alpha * p) / (n.sum(axis=1, keepdims=True) + alpha)
    return p


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


def _motions(record: Record, w: np.ndarray, direction: int) -> np.ndarray:
    """(4,) how members on neither side voted where a proposer (opponent) is recorded."""
    bystanders = np.where(record.proposed | record.opposed, -1, record.votes)
    side = record.proposed if direction > 0 else record.opposed
    return _counts(np.where(side.any(axis=1, keepdims=True), bystanders, -1), w).sum(axis=0)


def _rows(tables: list[np.ndarray], at: list[int | None]) -> np.ndarray:
    """(K, M, 4): the rows ``at`` of each (C, 4) table (zeros for None)."""
    stack = np.stack(tables)
    pad = np.concatenate([stack, np.zeros((len(tables), 1, 4))], axis=1)
    return pad[:, [len(stack[0]) if j is None else j for j in at]]


def _read(
    tables: list[np.ndarray],
    levels: list[np.ndarray],
    topical: list[np.ndarray],
    rows: list[int | None],
    mates: list[list[int]],
    alpha: float,
    topic_alpha: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Members at ``rows`` (None: no vote of their own) with regional ``mates``: (M, 4)
    probabilities from the ``levels`` above the group, then the group's and each member's
    ``tables`` (one (C, 4) table per reference) and its ``topical`` ones; (M,) own evidence
    and (M,) member x topic evidence."""
    stack = np.stack(tables)
    group = _held_mean(np.stack([stack[:, m].sum(axis=1) for m in mates], axis=1))
    own = _held_mean(_rows(tables, rows))
    p = _smooth([*levels, group, own], alpha)
    n_topic = _held_mean(_rows(topical, rows)) if topical else np.zeros((len(rows), 4))
    n = n_topic.sum(axis=1, keepdims=True)
    if math.isfinite(topic_alpha):
        p = np.where(n > 0, (n_topic + topic_alpha * p) / (n + topic_alpha), p)
    return p, own.sum(axis=1), n[:, 0]


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
    if not (alpha > 0 and half_life > 0 and topic_weight > 0 and kind_weight > 0
            and topic_alpha > 0):  # fmt: skip
        raise ValueError(
            "alpha, half_life and the weights must be positive, not "
            f"{alpha}, {half_life}, {topic_weight} and {kind_weight}"
        )
    topic = topic.casefold() if topic else None
    kind = kind.casefold() if kind else None
    record = (_recorded() if record is None else record).before(day)  # leave the future out
    w = _weights(record, day, half_life, topic=topic, kind=kind, topic_weight=topic_weight,
                 kind_weight=kind_weight)  # fmt: skip
    col = {c: j for j, c in enumerate(record.codes)}
    names = [*proposed_by, *opposed_by]
    sides = [(member_code(n, day), +1) for n in proposed_by] + [
        (member_code(n, day), -1) for n in opposed_by
    ]
    both = {c for c, d in sides if d > 0} & {c for c, d in sides if d < 0}
    if both:
        raise ValueError(f"on both sides of the motion: {', '.join(sorted(both))}")
    refs = [(col[c], d) for c, d in sides if c in col]
    relative = [_relative(record.votes, j, d) for j, d in refs]
    codes = [member_code(name, day) for name in members]
    direction = dict(reversed(sides))  # the first side each code is on
    wanted = [
        {1: "proposer", -1: "opposer"}.get(direction.get(c, 0)) or ("sides" if refs else "no sides")
        for c in codes
    ]
    outcomes = {r: _outcomes(record, relative, r) for r in {*wanted}}
    tables = {r: [_counts(o, w) for o in outcomes[r]] for r in outcomes}
    # Nothing recorded yet to read the sides from: plain frequencies.
    relations = [r if any(t.sum() != 0 for t in tables[r]) else "no sides" for r in wanted]
    if "no sides" not in tables:
        outcomes["no sides"] = _outcomes(record, relative, "no sides")
        tables["no sides"] = [_counts(o, w) for o in outcomes["no sides"]]
    # The member x topic level: the same readings, on the topic (and kind) only, undecayed.
    on = (record.topics == topic) & ((record.kinds == kind) if kind else True)
    on = on.astype(float) if topic else np.zeros(len(record.days))
    on_topic = set(np.array(record.ids, dtype=object)[record.topics == topic]) if topic else ()
    ids = np.array(record.ids, dtype=object)
    groups, elected = regional_groups(), _elected_by_group()
    found: dict[int, Prior] = {}
    for relation in dict.fromkeys(relations):
        who = [i for i, r in enumerate(relations) if r == relation]
        bases = [_motions(record, w, d) for _, d in refs] if relation == "sides" else []
        above = [_held_mean(np.array(bases).reshape(-1, 1, 4))]
        if relation in ("proposer", "opposer"):
            # Members vote with their own motions (and against those they oppose) almost
            # always, whenever and on whatever topic: every proposer's (opponent's) votes
            # pooled, undecayed.
            pooled = _counts(outcomes[relation][0], np.ones(len(record.days))).sum(axis=0)
            above.append(_held_mean(pooled.reshape(1, 1, 4)))
        else:
            above.append(_held_mean(np.stack([t.sum(axis=0) for t in tables[relation]])[:, None]))
        rows = [col.get(codes[i]) for i in who]
        mates = [
            [col[c] for c in elected.get(g, ()) if c in col and c != codes[i]] if g else []
            for i in who
            for g in [groups.get(codes[i])]
        ]
        topical = [_counts(o, on) for o in outcomes[relation]] if topic else []
        p, own, n_topic = _read(tables[relation], above, topical, rows, mates, alpha, topic_alpha)
        if relation == "opposer":
            p = p[:, FLIP]  # with its own side means "no" for a member opposing the motion
        used = np.any([o >= 0 for o in outcomes[relation]], axis=0)  # the member's evidence
        for k, (i, j) in enumerate(zip(who, rows)):
            code = codes[i]
            votes = () if j is None else tuple(ids[used[:, j]])
            named = (n for n, (c, _) in zip(names, sides) if relation == "sides" and c != code)
            found[i] = Prior(
                member=members[i],
                day=day,
                probabilities=tuple(p[k].tolist()),  # type: ignore[arg-type]
                relation=relation,
                sides=tuple(named),
                group=groups.get(code),
                own=float(own[k]),
                votes=votes,
                alpha=alpha,
                half_life=half_life,
                topic=topic,
                same_topic=tuple(v for v in votes if v in on_topic),
                topic_weight=topic_weight,
                topic_alpha=topic_alpha,
                topic_votes=float(n_topic[k]),
            )
    return tuple(found[i] for i in range(len(members)))


def prior(member: str, day: dt.date, **options: object) -> Prior:
    """One member's prior (the options of ``priors``)."""
    return priors([member], day, **options)[0]  # type: ignore[arg-type]
