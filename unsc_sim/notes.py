"""The one message type: a located ``Note`` with a level.

Loading a scenario (or reading command-line settings) keeps going past what it can read
generously (level ``note``: an alias, rescaled probabilities) or what is probably a mistake but
not fatal (level ``warning``: a quote that cannot be checked, a bloc of one member). Both are
located like errors; the CLI prints notes unless ``--quiet`` and warnings always.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Level(str, Enum):
    NOTE = "note"
    WARNING = "warning"


@dataclass(frozen=True)
class Note:
    """A located message: ``str(note)`` is ``FILE[:LINE:COL]: field: message``.

    >>> str(Note("'Ivory Coast' read as Côte d'Ivoire", file="s.yaml", line=3, column=3))
    "s.yaml:3:3: 'Ivory Coast' read as Côte d'Ivoire"
    """

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None
    level: Level = Level.NOTE

    def __str__(self) -> str:
        place = ":".join(str(p) for p in (self.file, self.line, self.column) if p is not None)
        return ": ".join(p for p in (place, self.field or "", self.message) if p)
