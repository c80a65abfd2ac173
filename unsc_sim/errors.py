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
        return one_line(": ".join([*parts, text]))


# Control characters (C0 but tab and newline, DEL, C1) from a file: shown escaped, as repr()
# does, so that no terminal runs them (ESC]52 writes the clipboard, ESC[2J clears the screen,
# CSI is ESC[ in one byte) and no carriage return overwrites a line.
CONTROLS = frozenset(c for c in (*range(32), 127, *range(0x80, 0xA0)) if chr(c) not in "\t\n")
_VISIBLE = {c: repr(chr(c))[1:-1] for c in CONTROLS}
# A one-line message escapes line breaks and tabs too.
_ONE_LINE = {**_VISIBLE, **{c: repr(chr(c))[1:-1] for c in (9, 10, 0x2028, 0x2029)}}


def printable(text: str) -> str:
    r"""Text with control characters other than tab and newline escaped as ``repr`` does.

    >>> print(printable("a\x1b[2Jb\rc"))
    a\x1b[2Jb\rc
    """
    return text.translate(_VISIBLE)


def one_line(text: str) -> str:
    """``printable`` text that also keeps to one line (tabs, line breaks escaped)."""
    return text.translate(_ONE_LINE)


class UnknownCountryError(UnscSimError, LookupError):
    """A name that matches no country or Council seat."""

    def __init__(self, name: str, suggestions: tuple[str, ...] = ()) -> None:
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {' or '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown country {name!r}{hint}")

    def __str__(self) -> str:
        return str(self.args[0])


class _Hinted(UnscSimError):
    """An error with a message naming the bad value and an optional hint."""

    def __init__(
        self, message: str, *, hint: str | None = None, key: object = None, at_key: bool = False
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        # Where in a mapping the fault is, for located messages: the key's value, or the key.
        self.key = key
        self.at_key = at_key

    def __str__(self) -> str:
        return self.message + (f" ({self.hint})" if self.hint else "")


class InvalidValueError(_Hinted, ValueError):
    """A value outside what it may be: a probability above 1, a Council of 14 members..."""


class InvalidArgumentError(_Hinted, TypeError):
    """An argument of the wrong kind: text where a list of names was meant, a list for a name."""


class NotFoundError(_Hinted, KeyError):
    """A name that is not there: a recorded vote, a hypothetical, a member."""

    __str__ = _Hinted.__str__  # not KeyError's repr() of the message


class UnknownMemberError(NotFoundError):
    """A name that is no member of this scenario (perhaps no country at all)."""


class UnknownHypotheticalError(NotFoundError):
    """A hypothetical the scenario does not define."""


class OutputError(UnscSimError, OSError):
    """An output could not be written (refused target, full disk, closed standard output)."""


class ImpossibleEvidenceError(InvalidValueError):
    """Reports the stances make impossible (probability 0): the message names the count.

    ``vote`` is the vote whose count cannot be reached (None when only the counts together
    cannot), ``report`` the report that gives it, for a located message.
    """

    def __init__(self, message: str, *, vote: object = None, report: object = None) -> None:
        super().__init__(message)
        self.vote = vote
        self.report = report
