"""A priori voting power: Shapley–Shubik and Banzhaf indices of weighted voting games.

Both indices are computed over weight sums, never by listing coalitions, and members of equal
weight are handled as one group, so the cost grows with the number of distinct weights rather
than members. Float results are built from probabilities in float64, never from counts that
could overflow; ``exact=True`` gives :class:`fractions.Fraction` values from Python integers.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from numbers import Integral
from typing import TYPE_CHECKING, Any

from ..errors import InvalidArgumentError, InvalidValueError, UnscSimError
from ..model import RuleKind
from .power_sums import (
    BLOCK,
    Group,
    Value,
    banzhaf_absolute,
    counting,
    equal_weights,
    reduced,
    shapley_shubik,
)

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class WeightedGame:
    """A coalition wins when its members' weights add up to at least ``quota``.

    ``names`` defaults to "1".."n".
    """

    weights: tuple[int, ...]
    quota: int
    names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if hasattr(self.weights, "__len__") and len(self.weights) > MAX_MEMBERS:
            raise TooLarge(f"{len(self.weights):,} members; the limit is {MAX_MEMBERS:,}")
        weights = tuple(self.weights)
        if not weights or not all(_is_int(w) and w >= 1 for w in weights):
            raise InvalidValueError(
                f"weights must be one or more positive integers, got {weights!r}"
            )
        weights = tuple(int(w) for w in weights)
        total = sum(weights)
        if not (_is_int(self.quota) and 1 <= self.quota <= total):
            raise InvalidValueError(
                f"quota must be an integer from 1 to {total}, got {self.quota!r}"
            )
        names = tuple(self.names) or tuple(str(i) for i in range(1, len(weights) + 1))
        if len(names) != len(weights):
            raise InvalidValueError(f"{len(names)} names given for {len(weights)} members")
        if len(set(names)) != len(names):
            raise InvalidValueError("member names must be unique")
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "quota", int(self.quota))
        object.__setattr__(self, "names", names)


class _Table:
    def to_records(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def to_frame(self) -> pd.DataFrame:
        """One row per member, columns as in ``to_records``."""
        import pandas as pd

        return pd.DataFrame.from_records(self.to_records())


@dataclass(frozen=True)
class PowerIndices(_Table):
    """Shapley–Shubik, normalized Banzhaf and absolute Banzhaf values, member by member.

    ``banzhaf_absolute`` is the probability of being decisive when every other member votes
    yes with probability 1/2; ``banzhaf`` is that normalized to sum to 1.
    """

    names: tuple[str, ...]
    weights: tuple[int, ...]
    shapley_shubik: tuple[Value, ...]
    banzhaf: tuple[Value, ...]
    banzhaf_absolute: tuple[Value, ...]

    def to_records(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per member; exact fractions become floats."""
        return [
            {
                "member": name,
                "weight": weight,
                "shapley_shubik": float(ss),
                "banzhaf": float(bz),
                "banzhaf_absolute": float(absolute),
            }
            for name, weight, ss, bz, absolute in zip(
                self.names, self.weights, self.shapley_shubik, self.banzhaf, self.banzhaf_absolute
            )
        ]


@dataclass(frozen=True)
class TernaryPower(_Table):
    """Banzhaf-type power when members vote yes, no or abstain (see :func:`council_power`)."""

    names: tuple[str, ...]
    banzhaf: tuple[Value, ...]
    banzhaf_absolute: tuple[Value, ...]

    def to_records(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per member; exact fractions become floats."""
        return [
            {"member": name, "banzhaf": float(bz), "banzhaf_absolute": float(absolute)}
            for name, bz, absolute in zip(self.names, self.banzhaf, self.banzhaf_absolute)
        ]


def council_game(
    rule: RuleKind | str,
    *,
    size: int = 15,
    permanent: int = 5,
    threshold: int = 9,
    names: Sequence[str] | None = None,
) -> WeightedGame:
    """The Council as a weighted game in the classical yes/not-yes model.

    Procedural: one vote each, quota ``threshold``. Substantive: a motion passes iff all
    permanent members and at least ``threshold`` members in all vote yes. With
    e = max(threshold - permanent, 0) elected votes still needed, permanent members weigh
    w = size - permanent - e + 1 and the quota is permanent * w + e (7 and 39 for 15/5/9,
    5 and 27 for the 11/5/7 Council before 1966). Permanent members come first; names
    default to P1.., E1...
    """
    rule = _rule(rule)
    _check_council(size, permanent, threshold)
    if names is None:
        names = [f"P{i}" for i in range(1, permanent + 1)]
        names += [f"E{i}" for i in range(1, size - permanent + 1)]
    if rule is RuleKind.PROCEDURAL:
        return WeightedGame((1,) * size, threshold, tuple(names))
    extra = max(threshold - permanent, 0)
    # Heaviest coalition lacking one permanent member, (permanent - 1) * w + all elected,
    # must stay below the lightest winning one, permanent * w + extra.
    heavy = size - permanent - extra + 1
    weights = (heavy,) * permanent + (1,) * (size - permanent)
    return WeightedGame(weights, permanent * heavy + extra, tuple(names))


def power_indices(game: WeightedGame, *, exact: bool = False) -> PowerIndices:
    """Shapley–Shubik and Banzhaf values of every member.

    Float Shapley–Shubik values are accurate to about 1e-14 absolute (they go through FFTs);
    Banzhaf values to a few ulps. ``exact=True`` returns Fractions; its tables grow with
    members times quota, so it suits games of up to a few dozen members.

    The method follows the game's size (see :func:`plan`): members of one weight have
    closed forms; otherwise generating functions over weight sums (cost: members x weight
    sum x distinct weights), or, when weights are huge but members few, exact counting over
    the coalition weights that occur. A game none of them does within ``MAX_SECONDS`` and
    ``MAX_BYTES`` raises :class:`TooLarge` instead of running for hours.

    >>> council = power_indices(council_game("substantive"), exact=True)
    >>> council.shapley_shubik[0], council.shapley_shubik[-1]
    (Fraction(421, 2145), Fraction(4, 2145))
    """
    if not isinstance(game, WeightedGame):
        raise InvalidArgumentError(f"power_indices takes a WeightedGame, not {game!r}")
    groups, member_group = _groups(game)
    groups, quota = reduced(groups, game.quota)
    method = plan(groups, quota, exact=exact)
    n = len(game.weights)
    if method is Method.EQUAL:
        ss, absolute, relative = equal_weights(n, quota, exact=exact)
        return PowerIndices(game.names, game.weights, (ss,) * n, (relative,) * n, (absolute,) * n)
    if method is Method.COUNTING:
        ss, absolute = counting(groups, quota, n)
        if not exact:
            ss, absolute = [float(v) for v in ss], [float(v) for v in absolute]
    else:
        ss = shapley_shubik(groups, quota)
        absolute = banzhaf_absolute(groups, quota)
        if not any(absolute) and _counting_steps(groups, quota) <= MAX_COUNTING_STEPS:
            # Every swing probability is below 2**-1074: count exactly, then round.
            ss, absolute = (list(map(float, c)) for c in counting(groups, quota, n))
        # A positive swing probability is at least 2**-(n-1), nonzero in float64 up to n = 1075,
        # so 0.0 proves a dummy: report an exact 0 rather than FFT round-off.
        if n <= 1075:
            ss = [0.0 if swing == 0 else value for value, swing in zip(ss, absolute)]
    return PowerIndices(
        names=game.names,
        weights=game.weights,
        shapley_shubik=tuple(ss[g] for g in member_group),
        banzhaf=_normalize(absolute, member_group),
        banzhaf_absolute=tuple(absolute[g] for g in member_group),
    )


def banzhaf(game: WeightedGame, *, exact: bool = False) -> tuple[Value, ...]:
    """Normalized Banzhaf values alone (skips the costlier Shapley–Shubik computation)."""
    groups, member_group = _groups(game)
    groups, quota = reduced(groups, game.quota)
    if exact or plan(groups, quota, exact=False, shapley=False) is not Method.GENERATING:
        return power_indices(game, exact=exact).banzhaf
    return _normalize(banzhaf_absolute(groups, quota), member_group)


# Limits (README, "Limits"): what one call may cost, estimated before any work is done.
MAX_MEMBERS = 100_000
MAX_SECONDS = 10.0  # estimated on the project's 2-core machine
MAX_BYTES = 500_000_000
MAX_COUNTING_STEPS = 20_000_000  # exact counting: table entries times groups, in Python


class TooLarge(UnscSimError, ValueError):
    """A game too large for any method within the limits; the message says which."""


class Method(str, Enum):
    """How :func:`power_indices` computes a game."""

    EQUAL = "equal"  # one weight: closed forms
    GENERATING = "generating"  # generating functions over weight sums, in floats
    COUNTING = "counting"  # exact counts over the coalition weights that occur


def plan(groups: Sequence[Group], quota: int, *, exact: bool, shapley: bool = True) -> Method:
    """The method for a game of these (weight, count) groups, or ``TooLarge``."""
    n = sum(count for _, count in groups)
    if n > MAX_MEMBERS:
        raise TooLarge(f"{n:,} members; the limit is {MAX_MEMBERS:,}")
    if len(groups) == 1:
        return Method.EQUAL
    steps = _counting_steps(groups, quota)
    if exact:
        if steps <= MAX_COUNTING_STEPS:
            return Method.COUNTING
        raise TooLarge(
            f"exact fractions would take about {steps:.1e} table steps (limit "
            f"{MAX_COUNTING_STEPS:.0e}); leave out --exact for floats"
        )
    seconds, size = _generating_cost(groups, quota, shapley=shapley)
    if seconds <= MAX_SECONDS and size <= MAX_BYTES:
        return Method.GENERATING
    if steps <= MAX_COUNTING_STEPS:
        return Method.COUNTING
    total = sum(w * c for w, c in groups)
    raise TooLarge(
        f"game too large: {n:,} members, {len(groups):,} distinct weights, weight sum "
        f"{total:,}: about {seconds:,.0f} s and {size / 1e6:,.0f} MB by generating "
        f"functions, {steps:.1e} steps by exact counting (limits {MAX_SECONDS:g} s, "
        f"{MAX_BYTES / 1e6:,.0f} MB, {MAX_COUNTING_STEPS:.0e} steps)"
    )


def _generating_cost(groups: Sequence[Group], quota: int, *, shapley: bool) -> tuple[float, int]:
    """Estimated seconds and peak bytes of the float path (fit to this implementation)."""
    n = sum(count for _, count in groups)
    period = sum(w * c for w, c in groups) + 1
    levels = math.log2(len(groups) + 1)
    banzhaf_seconds = 3e-9 * n * quota * levels
    banzhaf_bytes = 8 * quota * (2 * levels + 4)
    if not shapley:
        return banzhaf_seconds, int(banzhaf_bytes)
    half = (-(-n // 2) + 1) // 2
    rows = max(1, BLOCK // period)
    blocks = -(-half // rows)
    loop = blocks * sum(-(-period // w) for w, _ in groups)  # Python steps of remove_vote
    seconds = banzhaf_seconds + 2e-6 * loop + 20e-9 * half * period * len(groups)
    size = max(banzhaf_bytes, 16 * 8 * min(rows, half) * period)
    return seconds, int(size)


def _counting_steps(groups: Sequence[Group], quota: int) -> float:
    """Table entries (coalition size and weight below the quota) times the groups added."""
    n = sum(count for _, count in groups)
    entries = 1.0
    for _, count in groups:
        entries *= count + 1
        if entries > n * quota:
            entries = float(n * quota)
            break
    return entries * sum(count for _, count in groups) * math.log2(len(groups) + 1)


def council_power(
    rule: RuleKind | str,
    *,
    practice: bool,
    size: int = 15,
    permanent: int = 5,
    threshold: int = 9,
    names: Sequence[str] | None = None,
    exact: bool = False,
) -> PowerIndices | TernaryPower:
    """Voting power in the Council, by the letter of the Charter or by its practice.

    ``practice=False``: :func:`power_indices` of :func:`council_game`, the classical model in
    which a permanent member's abstention blocks (the source of the published values).

    ``practice=True``: the practice since 1946, upheld by the ICJ (Namibia advisory opinion,
    1971), in which only a permanent member's "no" blocks; abstention or absence does not.
    Every member independently votes yes, abstains (or is absent) or votes no, each with
    probability 1/3. A motion passes when at least ``threshold`` members vote yes and, under
    the substantive rule, no permanent member votes no. A member's absolute power is the
    probability that switching its own vote between yes and no changes the outcome: for a
    permanent member under the substantive rule, the probability that the motion passes
    given its yes. As outcomes are monotone in no < abstain < yes, this is twice the mean
    probability that a one-step change (no-abstain, abstain-yes) is decisive, the swing of
    Felsenthal & Machover's ternary voting games (1997), so the normalized values (summing
    to 1) are the same under either convention. Returns a :class:`TernaryPower`.
    """
    rule = _rule(rule)
    game = council_game(rule, size=size, permanent=permanent, threshold=threshold, names=names)
    if not practice:
        return power_indices(game, exact=exact)
    vetoes = permanent if rule is RuleKind.SUBSTANTIVE else 0
    elected = size - vetoes
    # Decisive means the motion passes on this member's yes and fails on its no.
    counts = []
    if vetoes:
        counts.append(sum(_ternary_yes_counts(vetoes - 1, elected)[threshold - 1 :]))
    if elected:
        counts.append(_ternary_yes_counts(vetoes, elected - 1)[threshold - 1])
    member_group = [0] * vetoes + [len(counts) - 1] * elected
    absolute = tuple(Fraction(counts[g], 3 ** (size - 1)) for g in member_group)
    relative = _normalize(absolute, range(size))
    # Exact first, then one rounding: floats come out correctly rounded.
    convert = Fraction if exact else float
    return TernaryPower(
        names=game.names,
        banzhaf=tuple(convert(v) for v in relative),
        banzhaf_absolute=tuple(convert(v) for v in absolute),
    )


def _ternary_yes_counts(vetoes: int, others: int) -> list[int]:
    """Profiles with y yes votes and no veto-holder voting no, for y = 0..vetoes + others."""
    # Coefficients of (1 + x)^vetoes (abstain or yes) times (2 + x)^others (no/abstain or yes).
    return [
        sum(
            math.comb(vetoes, a) * math.comb(others, y - a) * 2 ** (others - y + a)
            for a in range(max(0, y - others), min(vetoes, y) + 1)
        )
        for y in range(vetoes + others + 1)
    ]


def _is_int(value: object) -> bool:
    return isinstance(value, Integral) and not isinstance(value, bool)


def _rule(rule: RuleKind | str) -> RuleKind:
    try:
        return RuleKind(getattr(rule, "value", rule))
    except ValueError:
        choices = ", ".join(repr(r.value) for r in RuleKind)
        raise InvalidValueError(f"unknown rule {rule!r}; expected one of {choices}") from None


def _check_council(size: int, permanent: int, threshold: int) -> None:
    if not (_is_int(size) and size >= 1):
        raise InvalidValueError(f"size must be a positive integer, got {size!r}")
    if size > MAX_MEMBERS:  # before building a tuple of 2**63 weights
        raise TooLarge(f"{size:,} members; the limit is {MAX_MEMBERS:,}")
    if not (_is_int(permanent) and 0 <= permanent <= size):
        raise InvalidValueError(
            f"permanent must be an integer from 0 to size={size}, got {permanent!r}"
        )
    if not (_is_int(threshold) and 1 <= threshold <= size):
        raise InvalidValueError(
            f"threshold must be an integer from 1 to size={size}, got {threshold!r}"
        )


def _groups(game: WeightedGame) -> tuple[list[Group], list[int]]:
    """Distinct weights with their multiplicities, and each member's group index."""
    counts = Counter(game.weights)
    weights = sorted(counts)
    index = {w: g for g, w in enumerate(weights)}
    return [(w, counts[w]) for w in weights], [index[w] for w in game.weights]


def _normalize(values: Sequence[Value], member_group: Sequence[int]) -> tuple[Value, ...]:
    total = sum(values[g] for g in member_group)
    if total == 0:
        # Only reachable in floats: every swing probability below 2**-1074.
        raise TooLarge("Banzhaf swing probabilities underflow float64 (below 2**-1074) here")
    return tuple(values[g] / total for g in member_group)
