"""The Council over time: who sat when (1946-2026) and who presided.

Sourced data files back it: ``data/terms.csv`` (one row per seat holding) and
``data/presidencies.csv`` (presidencies found in UN and other public sources). Every row
names its source; a ``source`` cell may hold several, separated by ``"; "``.
"""

from __future__ import annotations

import csv
import datetime as dt
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..countries import Country, by_code
from ..errors import InvalidArgumentError, InvalidValueError
from ..model import Rule, RuleKind

FIRST_YEAR, LAST_YEAR = 1946, 2027
ANCHOR = (2010, 1)  # the sourced month (presidencies.csv) the rotation rolls from
MONTHS = tuple((y, m) for y in range(FIRST_YEAR, LAST_YEAR + 1) for m in range(1, 13))
DATA = resources.files("unsc_sim") / "data"


def _check(year: int, month: int | None = None) -> None:
    if isinstance(year, bool) or not isinstance(year, int):
        raise InvalidArgumentError(f"a year is a whole number such as 2018, not {year!r}")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidValueError(f"year {year} is outside {FIRST_YEAR}..{LAST_YEAR}")
    if month is not None and not 1 <= month <= 12:
        raise InvalidValueError(f"month {month} is not in 1..12")


def _fold(text: str) -> str:
    """Sort key for English alphabetical order: case and accents folded."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


@dataclass(frozen=True)
class Term:
    """One seat holding; ``end`` is None for a permanent seat still held."""

    code: str
    start: dt.date
    end: dt.date | None
    permanent: bool
    source: str
    name: str = ""  # the name it sat under, when not today's (e.g. "Ceylon")

    @property
    def country(self) -> Country:
        """The member as named at the time (the name also orders the rotation)."""
        country = by_code(self.code)
        return Country(self.code, self.name, self.name) if self.name else country

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@cache
def terms() -> tuple[Term, ...]:
    """Every seat holding, from ``data/terms.csv``."""
    with (DATA / "terms.csv").open(encoding="utf-8", newline="") as f:
        return tuple(
            Term(
                row["code"],
                dt.date.fromisoformat(row["start"]),
                dt.date.fromisoformat(row["end"]) if row["end"] else None,
                row["permanent"] == "true",
                row["source"],
                row.get("name") or "",
            )
            for row in csv.DictReader(f)
        )


@cache
def _key(term: Term) -> str:
    return _fold(term.country.official)


@cache
def council_on(day: dt.date) -> tuple[Term, ...]:
    """The members sitting on a day, in the English alphabetical order of their names."""
    if not isinstance(day, dt.date):
        raise InvalidArgumentError(f"a day is a datetime.date, not {day!r}")
    _check(day.year)
    return tuple(sorted((t for t in terms() if t.covers(day)), key=_key))


def members_on(day: dt.date) -> tuple[Country, ...]:
    """The countries sitting on a day, in rotation order."""
    return tuple(t.country for t in council_on(day))


# --- presidency -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Presidency:
    """A presidency found in a source: ``kind`` is "check" (tested), "override" (imposed), or
    "succession": the seat of the month's president changed hands during the month, and
    ``code``, its new holder, presides from its first day on the Council (``president_on``)."""

    year: int
    month: int
    code: str
    source: str
    kind: str = "check"


@cache
def recorded_presidencies() -> tuple[Presidency, ...]:
    """The presidencies in ``data/presidencies.csv``, by date."""
    with (DATA / "presidencies.csv").open(encoding="utf-8", newline="") as f:
        rows = [
            Presidency(int(r["year"]), int(r["month"]), r["code"], r["source"], r["kind"])
            for r in csv.DictReader(f)
        ]
    return tuple(sorted(rows, key=lambda p: (p.year, p.month)))


def _seat(code: str, ym: tuple[int, int]) -> Term:
    for term in council_on(dt.date(*ym, 1)):
        if term.code == code:
            return term
    raise ValueError(f"{code} did not sit on the Council in {ym[0]}-{ym[1]:02d}")


def _step(president: Term, ym: tuple[int, int], forward: bool = True) -> Term:
    """Rule 18: the member of month ``ym`` that follows (or precedes) ``president`` (cyclic)."""
    council = council_on(dt.date(*ym, 1))
    if forward:
        return next((t for t in council if _key(t) > _key(president)), council[0])
    return next((t for t in reversed(council) if _key(t) < _key(president)), council[-1])


def _overrides() -> dict[int, Term]:
    months = MONTHS
    codes = {(p.year, p.month): p.code for p in recorded_presidencies() if p.kind == "override"}
    return {i: _seat(codes[ym], ym) for i, ym in enumerate(months) if ym in codes}


@cache
def _rotation_from_anchor() -> dict[tuple[int, int], Term]:
    """The anchor month and every month after it (most scenarios need only these)."""
    months, at = MONTHS, _overrides()
    anchor_code = next(p.code for p in recorded_presidencies() if (p.year, p.month) == ANCHOR)
    a = months.index(ANCHOR)
    seq: dict[int, Term] = {a: _seat(anchor_code, ANCHOR)}
    for i in range(a + 1, len(months)):
        seq[i] = at.get(i) or _step(seq[i - 1], months[i])
    return {months[i]: term for i, term in seq.items()}


@cache
def _rotation_before_anchor() -> dict[tuple[int, int], Term]:
    """Backward from the anchor, but forward from any earlier override."""
    months, at = MONTHS, _overrides()
    a = months.index(ANCHOR)
    seq: dict[int, Term] = {a: _rotation_from_anchor()[ANCHOR]}
    for i in range(a - 1, -1, -1):
        seq[i] = at.get(i) or _step(seq[i + 1], months[i], forward=False)
    for j in sorted(k for k in at if k < a):
        for i in range(j + 1, a):
            if i in at:
                break
            seq[i] = _step(seq[i - 1], months[i])
    return {months[i]: term for i, term in seq.items() if i < a}


def president(year: int, month: int) -> Country:
    """The member presiding in a month under rule 18 of the provisional rules of procedure.

    The presidency passes monthly in the English alphabetical order of the members' names (as
    they were then: "Ceylon", "Upper Volta"); on 1 January it goes to the new Council's member
    that follows the December president. The rotation rolls forward and backward from one
    sourced month (``ANCHOR``, January 2010: China). Rows of kind "override" in
    presidencies.csv take precedence and roll forward from their month: January 1946
    (Australia; presidencies then ran from the 17th, and month m means the one that began on
    the 17th) and December 1946 (the United States, kept on by resolution 14 (1946) so that
    the rotation would follow the calendar year). With those two, the rule reproduces every
    presidency recorded in presidencies.csv, 1950-2026 (1947-1949 and most months before 1999
    are unchecked). Where a member changed its name mid-term (Upper Volta, August 1984) the
    rule as applied here re-sorts it by the new name; whether the Council did is unchecked.
    """
    _check(year, month)
    if (year, month) >= ANCHOR:
        return _rotation_from_anchor()[(year, month)].country
    return _rotation_before_anchor()[(year, month)].country


def president_on(day: dt.date) -> Country:
    """The member presiding on a day: the month's (``president``), or, where that member's
    seat passed to another during the month, the seat's new holder from its first day.

    December 1991, the USSR's month, is such a month (a "succession" row of presidencies.csv):
    by a letter of 24 December 1991 the President of the Russian Federation informed the
    Secretary-General that the USSR's membership in the Security Council and all other UN
    organs was continued by the Russian Federation (the UN's page on the Russian Federation's
    membership; the Repertoire 1989-1992), which held the seat, and so the month's presidency,
    from 25 December. Where a member sat under a new name from a day within its month (Upper
    Volta, Burkina Faso from 4 August 1984), the term that starts the next day continues it.

    >>> import datetime as dt
    >>> president_on(dt.date(1991, 12, 24)).code, president_on(dt.date(1991, 12, 25)).code
    ('SUN', 'RUS')
    """
    if not isinstance(day, dt.date):
        raise InvalidArgumentError(f"a day is a datetime.date, not {day!r}")
    month = president(day.year, day.month)
    seated = {t.code: t for t in council_on(day)}
    if month.code in seated:
        return month
    for p in recorded_presidencies():
        this_month = (p.year, p.month) == (day.year, day.month)
        if this_month and p.kind == "succession" and p.code in seated:
            return seated[p.code].country
    first = council_on(dt.date(day.year, day.month, 1))
    ended = next(t for t in first if t.code == month.code).end
    following = [
        t for t in seated.values() if ended is not None and t.start == ended + dt.timedelta(1)
    ]
    if len(following) == 1:
        return following[0].country
    raise ValueError(f"no president on record for {day}: {month.name} no longer sat")


# --- rosters --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Roster:
    """The Council of a month: members (terms), president, size and procedural threshold."""

    year: int
    month: int
    members: tuple[Term, ...]
    president: Country
    size: int
    threshold: int
    changes: tuple[str, ...] = ()  # seat changes during the month (or the year, if asked)

    @property
    def countries(self) -> tuple[Country, ...]:
        return tuple(t.country for t in self.members)

    @property
    def permanent(self) -> tuple[Country, ...]:
        return tuple(t.country for t in self.members if t.permanent)


def _changes(first: dt.date, last: dt.date) -> tuple[str, ...]:
    """Seats that changed hands strictly after ``first`` and up to ``last``."""
    out = []
    for t in sorted(terms(), key=lambda t: t.start):
        if first < t.start <= last:
            out.append(f"{t.start}: {t.country.name} takes a seat")
        if t.end is not None and first <= t.end < last:
            out.append(f"{t.end}: {t.country.name} leaves its seat")
    return tuple(sorted(out))


def roster(year: int, month: int | None = None) -> Roster:
    """The Council on the first day of a month; with no month, January plus the year's changes."""
    _check(year, month)
    day = dt.date(year, month or 1, 1)
    end = dt.date(year + 1, 1, 1) if month in (None, 12) else dt.date(year, month + 1, 1)
    last = end - dt.timedelta(days=1)
    rule = Rule.on(RuleKind.PROCEDURAL, day)
    return Roster(
        year,
        month or 1,
        council_on(day),
        president(year, month or 1),
        rule.size,
        rule.threshold,
        _changes(day, last),
    )
