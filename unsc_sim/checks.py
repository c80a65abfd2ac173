"""Checks every domain value makes when it is built: a caller's mistake raises an
``UnscSimError`` subclass (also the matching built-in) that names the bad value."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from numbers import Integral, Real
from typing import Any

from .errors import InvalidArgumentError, InvalidValueError


def whole_number(value: Any, what: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < low:
        raise InvalidValueError(f"{what} must be a whole number of at least {low}, not {value!r}")
    return int(value)


def fraction(value: Any, what: str, low: float = 0.0, high: float = 1.0) -> float:
    """A real number in low..high: TypeError for another kind, ValueError for NaN, inf or a
    number outside (numpy scalars are numbers; arrays are not)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise InvalidArgumentError(f"{what} must be a number in {low:g}..{high:g}, not {value!r}")
    if not low <= value <= high:  # also refuses NaN
        raise InvalidValueError(f"{what} must be a number in {low:g}..{high:g}, not {value!r}")
    return float(value)


def text(value: Any, what: str, *, empty: bool = False) -> str:
    if not isinstance(value, str) or not (empty or value.strip()):
        kind = "text" if empty else "non-empty text"
        raise InvalidArgumentError(f"{what} must be {kind}, not {value!r}")
    return value


def names_list(value: Any, what: str) -> tuple[Any, ...]:
    """A tuple from a list or tuple of names; text (one name) is refused, not split."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        example = f"e.g. [{value!r}], " if isinstance(value, str) else ""
        raise InvalidArgumentError(f"{what} must be a list of names, {example}not {value!r}")
    return tuple(value)


def text_names(value: Any, what: str) -> tuple[str, ...]:
    """Names from a list, a tuple or a 1-d array of text (``names_list``), each checked to be
    text: an array is never asked for its truth value."""
    names = names_list(value, what)
    for name in names:
        if not isinstance(name, str):
            raise InvalidArgumentError(f"{what} must be names (text), not {name!r}")
    return tuple(str(name) for name in names)


def set_field(obj: object, name: str, value: Any) -> None:
    object.__setattr__(obj, name, value)  # normalising a field of a frozen dataclass
