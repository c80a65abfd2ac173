"""The exception family: catch ``UnscSimError``, or the built-in each one also is."""

from __future__ import annotations


class UnscSimError(Exception):
    """Base class of every error unsc-sim raises on purpose."""


class ScenarioError(UnscSimError, ValueError):
    """A scenario (or other input file) is wrong at a known place.

    ``str(error)`` is the one-line message the CLI prints:
    ``FILE:LINE:COL: field.path: what is wrong (hint)``.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.hint = hint

    def located(
        self,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
    ) -> ScenarioError:
        """A copy with the missing location parts filled in."""
        return ScenarioError(
            self.message,
            file=self.file or file,
            line=self.line or line,
            column=self.column or column,
            field=self.field or field,
            hint=self.hint,
        )

    def __str__(self) -> str:
        place = ":".join(str(p) for p in (self.file, self.line, self.column) if p is not None)
        parts = [p for p in (place, self.field) if p]
        text = self.message + (f" ({self.hint})" if self.hint else "")
        return ": ".join([*parts, text]).translate(_ONE_LINE)


# Line breaks and other control characters (from a key or a file name) would split the
# one-line message: show them escaped, as repr() does.
_ONE_LINE = {c: repr(chr(c))[1:-1] for c in (*range(32), 127, 0x85, 0x2028, 0x2029)}


class UnknownCountryError(UnscSimError, LookupError):
    """A name that matches no country or Council seat."""

    def __init__(self, name: str, suggestions: tuple[str, ...] = ()) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {' or '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown country {name!r}{hint}")

    def __str__(self) -> str:
        return str(self.args[0])


class ScenarioWarning(UserWarning):
    """Something in a scenario that is allowed but probably not meant (one line, located)."""
