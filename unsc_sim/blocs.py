"""Blocs as values: members whose votes move together, the correlations between blocs, and
the factor correlation matrix they make (the model itself is in ``engine/latent.py``)."""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Real
from typing import TYPE_CHECKING

from .checks import fraction, names_list, set_field, text
from .errors import InvalidArgumentError, InvalidValueError, ScenarioError

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class Bloc:
    """Members whose votes move together: correlation r in 0..1 (model: engine/latent.py)."""

    name: str
    members: tuple[str, ...]
    correlation: float

    def __post_init__(self) -> None:
        text(self.name, "a bloc's name")
        members = names_list(self.members, f"bloc {self.name!r}: members")
        if not members:
            raise InvalidValueError(f"bloc {self.name!r} needs at least one member")
        for who in members:
            text(who, f"bloc {self.name!r}: a member's name")
        twice = [m for i, m in enumerate(members) if m in members[:i]]
        if twice:
            raise InvalidValueError(f"bloc {self.name!r} lists {twice[0]!r} twice")
        set_field(self, "members", members)
        set_field(
            self, "correlation", fraction(self.correlation, f"bloc {self.name!r}: correlation")
        )


@dataclass(frozen=True)
class Between:
    """The correlation of two blocs' factors, in -1..1: negative when they move apart."""

    blocs: tuple[str, str]
    correlation: float

    def __post_init__(self) -> None:
        blocs = names_list(self.blocs, "between: blocs")
        for name in blocs:
            text(name, "between: a bloc's name")
        if len(blocs) != 2 or blocs[0] == blocs[1]:
            raise ScenarioError("between needs two different blocs", field="between")
        set_field(self, "blocs", blocs)
        rho = self.correlation
        if isinstance(rho, bool) or not isinstance(rho, Real):
            raise InvalidArgumentError(f"between: correlation must be a number, not {rho!r}")
        if not -1.0 <= rho <= 1.0:  # also refuses NaN
            raise ScenarioError(f"correlation must be in -1..1, not {rho!r}", field="between")
        set_field(self, "correlation", float(rho))


# A correlation matrix may be singular (three blocs at -0.5 from one another): eigenvalues
# down to this much below zero are rounding, not a mistake.
PSD_TOLERANCE = 1e-10


def factor_correlation(blocs: tuple[Bloc, ...], between: tuple[Between, ...]) -> np.ndarray:
    """The blocs' factor correlation matrix, checked to be one (positive semi-definite)."""
    import numpy as np  # here: commands that read only the record start without numpy

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
