"""Checks every domain value makes when it is built: a caller's mistake raises an
``UnscSimError`` subclass (also the matching built-in) that names the bad value."""

from __future__ import annotations

from collections.abc import Iterable
from numbers import Integral
from typing import Any

from .errors import InvalidArgumentError, InvalidValueError


def whole_number(value: Any, what: str, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, Integral) or value < low:
        raise InvalidValueError(f"{what} must be a whole number of at least {low}, not {value!r}")
    return int(value)


def text(value: Any, what: str, *, empty: bool = False) -> str:
    if not isinstance(value, str) or not (empty or value.strip()):
        kind = "text" if empty else "non-empty text"
        raise InvalidArgumentError(f"{what} must be {kind}, not {value!r}")
    return value


def names_list(value: Any, what: str) -> tuple[Any, ...]:
    """A tuple from a list or tuple of names; text (one name) is refused, not split."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        example = f"e.g. [{value!r}], " if isinstance(value, str) else ""
        raise InvalidArgumentError(f"{what} must be a list of names, {example}not {value!r}")
    return tuple(value)


def set_field(obj: object, name: str, value: Any) -> None:
    object.__setattr__(obj, name, value)  # normalising a field of a frozen dataclass
