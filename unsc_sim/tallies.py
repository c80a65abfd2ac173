"""Reported tallies as values: what a report says about the count of each vote."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Integral
from types import MappingProxyType

from .checks import set_field, text
from .choices import Vote
from .errors import InvalidArgumentError, InvalidValueError

Bound = tuple[int, int | None]  # a reported count's (min, max); None: no maximum


@dataclass(frozen=True)
class Report:
    """What one report says about the tally: each vote's count, exact (8) or (min, max).

    ``line`` is where the report stands in its file, for located messages.

    >>> Report({"in favour": 8}).counts[Vote.YES], Report({"no": (2, None)}).counts[Vote.NO]
    ((8, 8), (2, None))
    """

    counts: Mapping[Vote, Bound]
    source: str | None = None
    quote: str | None = None
    line: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.counts, Mapping):
            raise InvalidArgumentError(f"a report's counts are a mapping, not {self.counts!r}")
        counts = {}
        for vote, value in dict(self.counts).items():
            pair = (value, value) if _whole(value) else value
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise InvalidValueError(f"reported {vote}: {value!r} is not a count or (min, max)")
            lo, hi = (0 if pair[0] is None else pair[0]), pair[1]
            if not (_whole(lo) and (hi is None or _whole(hi))):
                raise InvalidValueError(f"reported {vote}: {value!r} is not a whole number")
            lo, hi = int(lo), (None if hi is None else int(hi))
            if lo < 0 or (hi is not None and hi < lo):
                raise InvalidValueError(f"reported {vote}: {value!r} is not a count or range")
            counts[Vote(vote)] = (lo, hi)
        if not counts:
            raise InvalidValueError("a report must give at least one count")
        set_field(self, "counts", MappingProxyType(counts))
        for key in ("source", "quote"):
            if getattr(self, key) is not None:
                text(getattr(self, key), f"a report's {key}")

    def __hash__(self) -> int:
        return hash((tuple(self.counts.items()), self.source, self.quote, self.line))


def _whole(x: object) -> bool:
    return isinstance(x, Integral) and not isinstance(x, bool)


def count_range(lo: int, hi: int | None, size: int | None = None) -> str:
    """A reported count in words: ``8``, ``at least 8``, ``at most 9``, ``8 to 9``.

    >>> count_range(8, 8), count_range(8, None), count_range(0, 9), count_range(8, 15, 15)
    ('8', 'at least 8', 'at most 9', 'at least 8')
    """
    if lo == hi:
        return str(lo)
    if hi is None or hi == size:
        return f"at least {lo}"
    return f"at most {hi}" if lo == 0 else f"{lo} to {hi}"
