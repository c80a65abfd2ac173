"""The domain: votes, rules, stances, members and scenarios as immutable values.

Every value is checked when it is built, and names and vote words are read the way scenario
files are: ``Stance.of("in favour")``, ``scenario.member("Ivory Coast")``. A caller's mistake
raises an ``UnscSimError`` subclass (also the matching built-in) naming the bad value.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from numbers import Real
from os import PathLike
from typing import TYPE_CHECKING, Any

from . import words
from .blocs import Between as Between
from .blocs import Bloc as Bloc
from .blocs import factor_correlation as factor_correlation
from .checks import fraction, names_list, set_field, text, text_names, whole_number
from .choices import STEP as STEP
from .choices import VOTES as VOTES
from .choices import Basis as Basis
from .choices import Choice as Choice
from .choices import RuleKind as RuleKind
from .choices import Vote as Vote
from .errors import (
    InvalidArgumentError,
    InvalidValueError,
    UnknownCountryError,
    UnknownHypotheticalError,
    UnknownMemberError,
)
from .notes import Level
from .notes import Note as Note
from .tallies import Report as Report
from .tallies import count_range as count_range

if TYPE_CHECKING:
    import numpy as np


# The Charter amendment of 1963 (in force 31 August 1965) took the Council from 11 members
# and 7 votes to 15 and 9; the larger Council first sat on 1 January 1966.
ENLARGEMENT = dt.date(1966, 1, 1)


@dataclass(frozen=True)
class Rule:
    """A voting rule: which article, how many members, how many affirmative votes."""

    kind: RuleKind = RuleKind.PROCEDURAL
    size: int = 15
    threshold: int = 9

    def __post_init__(self) -> None:
        set_field(self, "kind", RuleKind(self.kind))
        set_field(self, "size", whole_number(self.size, "the Council's size", 1))
        set_field(self, "threshold", whole_number(self.threshold, "the threshold", 1))
        if self.threshold > self.size:
            raise InvalidValueError(f"threshold {self.threshold} must be in 1..{self.size}")

    @classmethod
    def on(cls, kind: RuleKind | str, day: dt.date | None = None) -> Rule:
        """The rule in force on a date (the current one when no date is given)."""
        if day is not None and not isinstance(day, dt.date):
            raise InvalidArgumentError(f"day must be a datetime.date, not {day!r}")
        if day is not None and day < ENLARGEMENT:
            return cls(RuleKind(kind), 11, 7)
        return cls(RuleKind(kind), 15, 9)

    @property
    def veto(self) -> bool:
        return self.kind is RuleKind.SUBSTANTIVE


@dataclass(frozen=True)
class Stance:
    """A member's vote, sure or uncertain, and the evidence for it.

    The four probabilities must each be in 0..1 and sum to 1 (within 1e-9); ``Stance.of``
    reads vote words, percentages and rounded mappings.
    """

    yes: float = 0.0
    no: float = 0.0
    abstain: float = 0.0
    absent: float = 0.0
    basis: Basis | None = None
    source: str | None = None
    quote: str | None = None
    note: str | None = None
    from_votes: tuple[str, ...] = ()  # ids of the recorded votes a prior rests on

    def __post_init__(self) -> None:
        for word in words.VOTES:
            value = getattr(self, word)
            if isinstance(value, bool) or not isinstance(value, Real):
                raise InvalidValueError(f"P({word}) must be a number, not {value!r}")
            if not 0.0 <= value <= 1.0:  # also refuses NaN
                raise InvalidValueError(f"P({word}) = {value} is outside 0..1")
            set_field(self, word, float(value))
        total = math.fsum(self.probabilities)
        if abs(total - 1.0) > words.TOLERANCE:
            raise InvalidValueError(
                f"a stance's probabilities must sum to 1, these sum to {total:.10g}",
                hint="Stance.of() rescales values rounded to three decimals",
            )
        if self.basis is not None:
            set_field(self, "basis", Basis(self.basis))
        for key in ("source", "quote", "note"):
            if getattr(self, key) is not None:
                text(getattr(self, key), key, empty=True)

    @classmethod
    def sure(cls, vote: Vote | str, **evidence: Any) -> Stance:
        return cls(**{Vote(vote).value: 1.0}, **evidence)

    @classmethod
    def of(cls, value: Stance | Vote | str | Mapping[Any, Any], **evidence: Any) -> Stance:
        """A stance from a vote word, a mapping of probabilities, or a stance (with
        ``evidence`` replacing its own). Omitted votes get probability 0; percentages and
        values rounded to three decimals (0.333 x 3, rescaled) are read as in scenario files.

        >>> Stance.of({"yes": 0.4, "abstain": 0.6}, basis=Basis.ASSUMPTION).describe()
        'yes 0.4 / abstain 0.6'
        >>> Stance.of("in favour").vote, Stance.of({"for": "70%", "against": "30%"}).describe()
        (<Vote.YES: 'yes'>, 'yes 0.7 / no 0.3')
        """
        if isinstance(value, Stance):
            return replace(value, **evidence) if evidence else value
        if isinstance(value, str):
            return cls.sure(value, **evidence)
        if isinstance(value, Mapping):
            probs, _ = words.probabilities(value)
            return cls(*probs, **evidence)
        raise InvalidArgumentError(
            f"a stance is a vote word, a mapping of probabilities or a Stance, not {value!r}"
        )

    @property
    def probabilities(self) -> tuple[float, float, float, float]:
        return (self.yes, self.no, self.abstain, self.absent)

    @property
    def vote(self) -> Vote | None:
        """The vote when it is sure, else None."""
        for v, p in zip(VOTES, self.probabilities):
            if p == 1.0:
                return v
        return None

    def describe(self) -> str:
        """``yes`` for a sure vote, ``yes 0.4 / abstain 0.6`` otherwise."""
        if self.vote is not None:
            return self.vote.value
        return " / ".join(f"{v.value} {p:g}" for v, p in zip(VOTES, self.probabilities) if p)


@dataclass(frozen=True)
class Member:
    """A seat in a scenario: who, whether permanent, and its stance (anything ``Stance.of``
    reads)."""

    name: str
    stance: Stance
    permanent: bool = False
    code: str = ""
    party_to_dispute: bool = False
    written_as: str = ""  # the name as the file wrote it, when it was an alias
    persuadable: float = 1.0  # how readily it moves (what-it-takes ranking); 0: it will not

    def __post_init__(self) -> None:
        text(self.name, "a member's name")
        set_field(self, "stance", Stance.of(self.stance))
        for key in ("permanent", "party_to_dispute"):
            if not isinstance(getattr(self, key), bool):
                raise InvalidArgumentError(
                    f"{self.name}: {key} must be True or False, not {getattr(self, key)!r}"
                )
        text(self.code, f"{self.name}: code", empty=True)
        text(self.written_as, f"{self.name}: written_as", empty=True)
        p = self.persuadable
        # True and False as in files: it moves readily, or not at all.
        p = float(p) if isinstance(p, bool) else fraction(p, f"{self.name}: persuadable")
        set_field(self, "persuadable", p)


@dataclass(frozen=True)
class Hypothetical:
    """A named change of some members' stances (a mapping or pairs of name and stance)."""

    name: str
    changes: tuple[tuple[str, Stance], ...]
    description: str = ""

    def __post_init__(self) -> None:
        text(self.name, "a hypothetical's name")
        if self.name == BASELINE:
            raise InvalidValueError(f"{BASELINE!r} is reserved for the scenario itself")
        text(self.description, f"hypothetical {self.name!r}: description", empty=True)
        set_field(self, "changes", _changes(self.changes, f"hypothetical {self.name!r}"))


def _changes(changes: Any, what: str) -> tuple[tuple[str, Stance], ...]:
    """Pairs of (name, Stance) from a mapping or pairs; names as given, stances read."""
    if isinstance(changes, Mapping):
        pairs = list(changes.items())
    elif isinstance(changes, (str, bytes)) or not isinstance(changes, Iterable):
        raise InvalidArgumentError(
            f"{what}: changes must be a mapping of member to stance, not {changes!r}"
        )
    else:
        pairs = list(changes)
    out = []
    for pair in pairs:
        if not (isinstance(pair, tuple) and len(pair) == 2):
            raise InvalidArgumentError(f"{what}: {pair!r} is not a (member, stance) pair")
        name, stance = pair
        text(name, f"{what}: a member's name")
        try:
            out.append((name, Stance.of(stance)))
        except InvalidValueError as e:
            raise InvalidValueError(f"{what}: {name}: {e.message}", hint=e.hint) from None
    return tuple(out)


def _canonical(names: list[str], members: tuple[str, ...]) -> bool:
    """Whether names are distinct members' own names (then nothing needs resolving)."""
    return len(set(names)) == len(names) and set(names) <= set(members)


def as_scenario(value: Any, caller: str) -> Scenario:
    """``value`` if it is a ``Scenario``; else ``InvalidArgumentError`` naming the caller
    (``run(None)`` says so, not ``AttributeError`` from deep inside)."""
    if not isinstance(value, Scenario):
        hint = "load one with unsc_sim.load(path)" if isinstance(value, (str, PathLike)) else None
        raise InvalidArgumentError(f"{caller} needs a Scenario, not {value!r}", hint=hint)
    return value


BASELINE = "baseline"
CHAPTERS = ("VI", "VII")  # the Charter's chapters a scenario may name (Art. 27(3) needs VI)


@dataclass(frozen=True)
class Scenario:
    """A vote to simulate: the Council, the rule, the stances and the what-ifs.

    Names in ``president``, ``hypotheticals`` and ``blocs`` may be any common name of a
    member ("Ivory Coast"); they are stored as the member's own name. ``notes`` are what the
    loader read generously (aliases, rescaled probabilities), for the caller to show.
    """

    title: str
    rule: Rule
    members: tuple[Member, ...]
    date: dt.date | None = None
    president: str | None = None
    chapter: str | None = None
    hypotheticals: tuple[Hypothetical, ...] = ()
    blocs: tuple[Bloc, ...] = ()
    between: tuple[Between, ...] = ()
    description: str = ""
    proposed_by: tuple[str, ...] = ()  # who proposed the motion (members)
    opposed_by: tuple[str, ...] = ()  # who objected to it (members)
    path: str | None = field(default=None, compare=False)
    topic: str | None = None  # the agenda topic as the record names it (dprk, syria...)
    vote_held: bool | None = None  # False: no vote was taken (the file describes reports)
    sources: tuple[str, ...] = ()  # what the file as a whole cites (symbols, URLs, reports)
    reported: tuple[Report, ...] = ()  # tallies the reports give: evidence to condition on

    # What loading read generously (level note) or found but did not refuse (level warning),
    # each located like an error; the files the scenario was read from (itself and the sources
    # it cites), which outputs must not replace.
    notes: tuple[Note, ...] = field(default=(), compare=False)
    files: tuple[str, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        text(self.title, "a scenario's title")
        if not isinstance(self.rule, Rule):
            raise InvalidArgumentError(f"rule must be a Rule, not {self.rule!r}")
        members = names_list(self.members, "members")
        for m in members:
            if not isinstance(m, Member):
                raise InvalidArgumentError(f"members must be Member values, not {m!r}")
        set_field(self, "members", members)
        names = [m.name for m in members]
        twice = [n for i, n in enumerate(names) if n in names[:i]]
        codes = [m.code for m in members if m.code]
        twice += [c for i, c in enumerate(codes) if c in codes[:i]]
        if twice:
            raise InvalidValueError(f"member {twice[0]!r} is listed twice")
        if len(members) != self.rule.size:
            raise InvalidValueError(
                f"the Council has {self.rule.size} members, this scenario lists {len(members)}"
            )
        if self.date is not None and not isinstance(self.date, dt.date):
            raise InvalidArgumentError(f"date must be a datetime.date, not {self.date!r}")
        self._check_plain_fields()
        if self.president is not None:
            set_field(self, "president", self.resolve(self.president))
        set_field(self, "hypotheticals", self._check_hypotheticals())
        set_field(self, "blocs", self._check_blocs())
        factor_correlation(self.blocs, self.between)
        reported = names_list(self.reported, "reported")
        for r in reported:
            if not isinstance(r, Report):
                raise InvalidArgumentError(f"reported must be Report values, not {r!r}")
        set_field(self, "reported", reported)
        set_field(self, "notes", tuple(self.notes))

    def _check_plain_fields(self) -> None:
        """Chapter, description, topic, vote_held, sides and between: their kinds and values."""
        if self.chapter is not None:
            text(self.chapter, "chapter")
            if self.chapter not in CHAPTERS:
                raise InvalidValueError(
                    f"chapter must be one of {', '.join(CHAPTERS)} or None, not {self.chapter!r}"
                )
        text(self.description, "description", empty=True)
        if self.topic is not None:
            text(self.topic, "topic")
        if self.vote_held is not None and not isinstance(self.vote_held, bool):
            raise InvalidArgumentError(
                f"vote_held must be True, False or None, not {self.vote_held!r}"
            )
        for key in ("proposed_by", "opposed_by"):
            set_field(self, key, text_names(getattr(self, key), key))
        between = names_list(self.between, "between")
        for link in between:
            if not isinstance(link, Between):
                raise InvalidArgumentError(f"between must be Between values, not {link!r}")
        set_field(self, "between", between)
        if self.path is not None and not isinstance(self.path, str):
            raise InvalidArgumentError(f"path must be text or None, not {self.path!r}")

    def _check_hypotheticals(self) -> tuple[Hypothetical, ...]:
        out: list[Hypothetical] = []
        for h in names_list(self.hypotheticals, "hypotheticals"):
            if not isinstance(h, Hypothetical):
                raise InvalidArgumentError(f"hypotheticals must be Hypothetical values, not {h!r}")
            if any(h.name == other.name for other in out):
                raise InvalidValueError(f"hypothetical {h.name!r} is defined twice")
            if not _canonical([n for n, _ in h.changes], self.names):
                h = replace(h, changes=self._resolve_changes(h.changes, f"hypothetical {h.name!r}"))
            out.append(h)
        return tuple(out)

    def _check_blocs(self) -> tuple[Bloc, ...]:
        out: list[Bloc] = []
        taken: dict[str, str] = {}
        for b in names_list(self.blocs, "blocs"):
            if not isinstance(b, Bloc):
                raise InvalidArgumentError(f"blocs must be Bloc values, not {b!r}")
            if any(b.name == other.name for other in out):
                raise InvalidValueError(f"bloc {b.name!r} is defined twice")
            members = tuple(self.resolve(m) for m in b.members)
            for written, name in zip(b.members, members):
                if name in taken:
                    raise InvalidValueError(
                        f"{written!r} ({name}) is in bloc {taken[name]!r} and bloc {b.name!r}",
                        hint="a member may be in one bloc only",
                    )
                taken[name] = b.name
            out.append(b if members == b.members else replace(b, members=members))
        return tuple(out)

    def _resolve_changes(self, changes: Any, what: str) -> tuple[tuple[str, Stance], ...]:
        out: dict[str, Stance] = {}
        written: dict[str, str] = {}
        for name, stance in _changes(changes, what):
            who = self.resolve(name)
            if who in out:
                raise InvalidValueError(
                    f"{what}: {name!r} is {who}, already changed as {written[who]!r}"
                )
            out[who], written[who] = stance, name
        return tuple(out.items())

    def factor_correlation(self) -> np.ndarray:
        """The correlation matrix of the blocs' factors (identity without ``between``)."""
        return factor_correlation(self.blocs, self.between)

    @property
    def warnings(self) -> tuple[Note, ...]:
        """The notes of level warning: what is probably a mistake (printed even with --quiet)."""
        return tuple(n for n in self.notes if n.level is Level.WARNING)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.members)

    def resolve(self, name: str) -> str:
        """The member a name means: its own name, or any common name of its country."""
        if not isinstance(name, str):
            raise InvalidArgumentError(f"a member is named by text, not {name!r}")
        names = self.names
        if name in names:
            return name
        from .countries import resolve, suggest

        try:
            country = resolve(name)
        except UnknownCountryError:
            close = [n for n in suggest(name, n=5) if n in names]
            close = close or difflib.get_close_matches(name, names, n=2)
            hint = f"did you mean {' or '.join(close[:2])}?" if close else None
            raise UnknownMemberError(f"unknown member {name!r}", hint=hint) from None
        for m in self.members:
            if country.name == m.name or (m.code and m.code == country.code):
                return m.name
        raise UnknownMemberError(f"{name!r} is not a member in this scenario")

    def member(self, name: str) -> Member:
        """The member a name means (any common name: "Ivory Coast", "the US")."""
        return self.members[self.names.index(self.resolve(name))]

    def hypothetical(self, name: str) -> Hypothetical:
        if not isinstance(name, str):
            raise InvalidArgumentError(f"a hypothetical is named by text, not {name!r}")
        for h in self.hypotheticals:
            if h.name == name:
                return h
        known = [h.name for h in self.hypotheticals]
        close = difflib.get_close_matches(name, known, n=1)
        raise UnknownHypotheticalError(
            f"no hypothetical {name!r} (known: {', '.join(known) or 'none'})",
            hint=f"did you mean {close[0]!r}?" if close else None,
        )

    def with_stances(self, changes: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> Scenario:
        """The same scenario with some members' stances replaced.

        Members by any common name, stances as ``Stance.of`` reads them:
        ``s.with_stances({"Ivory Coast": "yes", "Kuwait": {"yes": 0.7, "abstain": 0.3}})``.
        """
        new = dict(self._resolve_changes(changes, "changes"))
        members = tuple(
            replace(m, stance=new[m.name]) if m.name in new else m for m in self.members
        )
        return replace(self, members=members)

    def variant(self, hypothetical: str | None = None) -> Scenario:
        """The baseline (None or "baseline") or a named hypothetical applied to it."""
        if hypothetical is not None and not isinstance(hypothetical, str):
            raise InvalidArgumentError(f"a hypothetical is named by text, not {hypothetical!r}")
        if hypothetical is None or hypothetical == BASELINE:
            return self
        return self.with_stances(self.hypothetical(hypothetical).changes)
