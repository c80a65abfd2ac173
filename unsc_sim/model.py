"""The domain: votes, rules, stances, members and scenarios as immutable values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum

import numpy as np

from .errors import ScenarioError


class Vote(str, Enum):
    """How a member votes. The order is the column order of every probability array."""

    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"
    ABSENT = "absent"


VOTES: tuple[Vote, ...] = tuple(Vote)


class RuleKind(str, Enum):
    """Article 27(2) (procedural) or 27(3) (substantive, with the permanent members' veto)."""

    PROCEDURAL = "procedural"
    SUBSTANTIVE = "substantive"


class Basis(str, Enum):
    """Where a stance comes from."""

    REPORTED = "reported"  # a news report says so (seed file + quote)
    RECORDED = "recorded"  # the meeting record says so (S/PV symbol or UN press release)
    INFERRED = "inferred"  # reasoned from other evidence (note says how)
    ASSUMPTION = "assumption"  # the scenario's author assumes it (note says why)


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
        if not 0 < self.threshold <= self.size:
            raise ValueError(f"threshold {self.threshold} must be in 1..{self.size}")

    @classmethod
    def on(cls, kind: RuleKind | str, day: dt.date | None = None) -> Rule:
        """The rule in force on a date (the current one when no date is given)."""
        if day is not None and day < ENLARGEMENT:
            return cls(RuleKind(kind), 11, 7)
        return cls(RuleKind(kind), 15, 9)

    @property
    def veto(self) -> bool:
        return self.kind is RuleKind.SUBSTANTIVE


@dataclass(frozen=True)
class Stance:
    """A member's vote, sure or uncertain, and the evidence for it."""

    yes: float = 0.0
    no: float = 0.0
    abstain: float = 0.0
    absent: float = 0.0
    basis: Basis | None = None
    source: str | None = None
    quote: str | None = None
    note: str | None = None

    @classmethod
    def sure(cls, vote: Vote | str, **evidence: object) -> Stance:
        return cls(**{Vote(vote).value: 1.0}, **evidence)  # type: ignore[arg-type]

    @classmethod
    def of(cls, probabilities: Mapping[Vote | str, float], **evidence: object) -> Stance:
        """An uncertain stance; omitted votes get probability 0.

        >>> Stance.of({"yes": 0.4, "abstain": 0.6}, basis=Basis.ASSUMPTION).describe()
        'yes 0.4 / abstain 0.6'
        """
        return cls(**{Vote(k).value: float(v) for k, v in probabilities.items()}, **evidence)  # type: ignore[arg-type]

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
    """A seat in a scenario: who, whether permanent, and its stance."""

    name: str
    stance: Stance
    permanent: bool = False
    code: str = ""
    party_to_dispute: bool = False
    written_as: str = ""  # the name as the file wrote it, when it was an alias
    persuadable: float = 1.0  # how readily it moves (what-it-takes ranking); 0: it will not


@dataclass(frozen=True)
class Bloc:
    """Members whose votes move together: correlation r in 0..1 (see blocs.py for the model)."""

    name: str
    members: tuple[str, ...]
    correlation: float

    def __post_init__(self) -> None:
        field = f"blocs.{self.name}"
        if not self.members:
            raise ScenarioError("a bloc needs at least one member", field=f"{field}.members")
        if len(set(self.members)) < len(self.members):
            raise ScenarioError("a member is listed twice", field=f"{field}.members")
        if not 0.0 <= self.correlation <= 1.0:
            raise ScenarioError(
                f"correlation must be in 0..1, not {self.correlation!r}",
                field=f"{field}.correlation",
            )


@dataclass(frozen=True)
class Between:
    """The correlation of two blocs' factors, in -1..1: negative when they move apart."""

    blocs: tuple[str, str]
    correlation: float

    def __post_init__(self) -> None:
        if len(self.blocs) != 2 or self.blocs[0] == self.blocs[1]:
            raise ScenarioError("between needs two different blocs", field="between")
        if not -1.0 <= self.correlation <= 1.0:
            raise ScenarioError(
                f"correlation must be in -1..1, not {self.correlation!r}", field="between"
            )


# A correlation matrix may be singular (three blocs at -0.5 from one another): eigenvalues
# down to this much below zero are rounding, not a mistake.
PSD_TOLERANCE = 1e-10


def factor_correlation(blocs: tuple[Bloc, ...], between: tuple[Between, ...]) -> np.ndarray:
    """The blocs' factor correlation matrix, checked to be one (positive semi-definite)."""
    index = {b.name: i for i, b in enumerate(blocs)}
    matrix = np.eye(len(blocs))
    seen: set[frozenset[str]] = set()
    for link in between:
        unknown = [name for name in link.blocs if name not in index]
        if unknown:
            known = ", ".join(index) or "none"
            raise ScenarioError(f"no bloc {unknown[0]!r} (blocs: {known})", field="between")
        pair = frozenset(link.blocs)
        if pair in seen:
            raise ScenarioError(
                f"blocs {link.blocs[0]!r} and {link.blocs[1]!r} are paired twice", field="between"
            )
        seen.add(pair)
        i, j = (index[name] for name in link.blocs)
        matrix[i, j] = matrix[j, i] = link.correlation
    if between:
        smallest = float(np.linalg.eigvalsh(matrix)[0])
        if smallest < -PSD_TOLERANCE:
            raise ScenarioError(
                "these correlations between blocs cannot hold together (the matrix is not "
                f"positive semi-definite: smallest eigenvalue {smallest:.3g})",
                field="between",
                hint="blocs cannot all strongly oppose one another: three blocs can be at "
                "-0.5 from each other at most",
            )
    return matrix


@dataclass(frozen=True)
class Hypothetical:
    """A named change of some members' stances."""

    name: str
    changes: tuple[tuple[str, Stance], ...]
    description: str = ""


BASELINE = "baseline"


@dataclass(frozen=True)
class Scenario:
    """A vote to simulate: the Council, the rule, the stances and the what-ifs."""

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
    path: str | None = field(default=None, compare=False)
    topic: str | None = None  # the agenda topic as the record names it (dprk, syria...)
    vote_held: bool | None = None  # False: no vote was taken (the file describes reports)

    def __post_init__(self) -> None:
        if not self.blocs and not self.between:
            return
        names = set(self.names)
        owner: dict[str, str] = {}
        seen: set[str] = set()
        for bloc in self.blocs:
            if bloc.name in seen:
                raise ScenarioError(f"two blocs are named {bloc.name!r}", field="blocs")
            seen.add(bloc.name)
            for member in bloc.members:
                if member not in names:
                    raise ScenarioError(
                        f"{member!r} is not a member in this scenario",
                        field=f"blocs.{bloc.name}.members",
                    )
                if member in owner:
                    raise ScenarioError(
                        f"{member} is already in bloc {owner[member]!r}",
                        field=f"blocs.{bloc.name}.members",
                    )
                owner[member] = bloc.name
        factor_correlation(self.blocs, self.between)

    def factor_correlation(self) -> np.ndarray:
        """The correlation matrix of the blocs' factors (identity without ``between``)."""
        return factor_correlation(self.blocs, self.between)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(m.name for m in self.members)

    def member(self, name: str) -> Member:
        for m in self.members:
            if m.name == name:
                return m
        raise KeyError(name)

    def hypothetical(self, name: str) -> Hypothetical:
        for h in self.hypotheticals:
            if h.name == name:
                return h
        known = ", ".join(h.name for h in self.hypotheticals) or "none"
        raise KeyError(f"no hypothetical {name!r} (known: {known})")

    def with_stances(
        self, changes: Mapping[str, Stance] | tuple[tuple[str, Stance], ...]
    ) -> Scenario:
        """The same scenario with some members' stances replaced."""
        new = dict(changes)
        unknown = set(new) - set(self.names)
        if unknown:
            raise KeyError(f"not members of this scenario: {', '.join(sorted(unknown))}")
        members = tuple(replace(m, stance=new.get(m.name, m.stance)) for m in self.members)
        return replace(self, members=members)

    def variant(self, hypothetical: str | None = None) -> Scenario:
        """The baseline (None or "baseline") or a named hypothetical applied to it."""
        if hypothetical in (None, BASELINE):
            return self
        return self.with_stances(self.hypothetical(hypothetical).changes)

    def _repr_html_(self) -> str:
        """Jupyter shows a scenario as the interactive explorer (``unsc_sim.explore``)."""
        from .explore import explore

        return explore(self)._repr_html_()
