"""A scenario's members: names, seats on the day, `roster:`, `default:`, president, sides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..countries import resolve
from ..errors import (
    ScenarioError,
    UnknownCountryError,
)
from ..model import (
    Basis,
    Bloc,
    Member,
    Rule,
    Stance,
)
from ..record.council import FIRST_YEAR, LAST_YEAR, council_on, president_on
from .located import Located, clip, join_path
from .stances import read_stance

SIDES = ("proposed_by", "opposed_by")


def _country(name: Any, doc: Located, node: Any, key: Any, field: str, *, at_key: bool = False):
    if not isinstance(name, str):
        raise doc.fail(
            f"a member must be named by text, not {clip(name)}",
            node,
            key,
            field=field,
            at_key=at_key,
        )
    try:
        country = resolve(name)
    except UnknownCountryError as e:
        hint = f"did you mean {' or '.join(e.suggestions)}?" if e.suggestions else None
        raise doc.fail(
            f"unknown member {clip(name)!r}", node, key, field=field, hint=hint, at_key=at_key
        ) from None
    if name != country.name:  # an alias: say so once per name, wherever it is used
        doc.note(f"alias {name}", ScenarioError(f"{name!r} read as {country.name}", file=doc.file))
    return country


def read_sides(data: Any, doc: Located) -> dict[str, list[tuple[str, str]]]:
    """``proposed_by`` and ``opposed_by``: (name as written, canonical name) of members, each
    on one side only."""
    out: dict[str, list[tuple[str, str]]] = {}
    seen: dict[str, str] = {}
    for key in SIDES:
        node = data.get(key)
        node = [] if node is None else node
        if not isinstance(node, list):
            raise doc.fail(f"{key} must be a list of members", data, key, field=key)
        out[key] = []
        for i, written in enumerate(node):
            field = f"{key}[{i}]"
            country = _country(written, doc, node, i, field)
            if country.name in seen:
                raise doc.fail(
                    f"{written!r} is {country.name}, already in {seen[country.name]}",
                    node,
                    i,
                    field=field,
                )
            seen[country.name] = key
            out[key].append((written, country.name))
    return out


def read_members(
    data: Any,
    doc: Located,
    base: Path,
    rule: Rule,
    seated: dt.date | None,
    sides: dict[str, list[tuple[str, str]]],
) -> tuple[Member, ...]:
    node = data["members"]
    empty_ok = "default" in data and seated is not None  # `members: {}`: the default fills all
    if not hasattr(node, "items") or not (node or empty_ok):
        hint = "or `members: {}` with a date and `default:`" if hasattr(node, "items") else None
        raise doc.fail(
            "members must be a mapping of member name to stance",
            data,
            "members",
            field="members",
            hint=hint,
        )
    seen: dict[str, str] = {}
    members = []
    for written, value in node.items():
        field = join_path("members", written)
        country = _country(written, doc, node, written, field, at_key=True)
        if country.name in seen:
            raise doc.fail(
                f"{clip(written)!r} is {country.name}, "
                f"already listed as {clip(seen[country.name])!r}",
                node,
                written,
                field=field,
                at_key=True,
            )
        seen[country.name] = written
        stance, party = read_stance(value, doc, node, written, field, base, member=True)
        members.append(Member(
            name=country.name,
            stance=stance,
            permanent=country.permanent,
            code=country.code,
            party_to_dispute=party,
            written_as=written if written != country.name else "",
            persuadable=_persuadable(value, doc, field),
        ))  # fmt: skip
    if seated is not None:
        members += _seat(members, data, doc, base, seated, sides)
    if len(members) != rule.size:
        when = f" on {data['date']}" if "date" in data else ""
        raise doc.fail(
            f"the Council{when} has {rule.size} members, this file lists {len(members)}",
            data,
            "members",
            field="members",
            hint="give `default:` to fill in the members the file leaves open" if seated else None,
        )
    return tuple(members)


def roster_day(data: Any, doc: Located, day: dt.date | None) -> dt.date | None:
    """The day whose Council the members must match: ``date``, or 1 January of ``roster``."""
    if "roster" not in data:
        seated = day
    else:
        year = data["roster"]
        if isinstance(year, bool) or not isinstance(year, int):
            raise doc.fail("roster must be a year, e.g. 2018", data, "roster", field="roster")
        if day is not None and day.year != year:
            raise doc.fail(
                f"roster {year} does not match the date {day}", data, "roster", field="roster"
            )
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise doc.fail(
                f"rosters cover {FIRST_YEAR}-{LAST_YEAR}, not {str(year)[:12]}",
                data,
                "roster",
                field="roster",
            )
        seated = day or dt.date(year, 1, 1)
    if seated is not None and not FIRST_YEAR <= seated.year <= LAST_YEAR:
        if "roster" in data:
            raise doc.fail(
                f"rosters cover {FIRST_YEAR}-{LAST_YEAR}", data, "roster", field="roster"
            )
        if seated.year < FIRST_YEAR:  # the Council first met on 17 January 1946
            raise doc.fail(
                f"{seated} is before the Security Council first met (1946)",
                data,
                "date",
                field="date",
                hint=f"the record's Councils cover {FIRST_YEAR}-{LAST_YEAR}",
            )
        if "default" in data:
            raise doc.fail(
                f"{seated} is after the record's Councils ({FIRST_YEAR}-{LAST_YEAR}), so "
                "`default:` has no Council to fill",
                data,
                "date",
                field="date",
                hint="list all the members, without `default:`",
            )
        return None  # a later date: the members as listed, their count still checked
    return seated


def _seat(
    members: list[Member],
    data: Any,
    doc: Located,
    base: Path,
    day: dt.date,
    sides: dict[str, list[tuple[str, str]]],
) -> list[Member]:
    """Check the listed members against the Council on ``day``; fill the rest with ``default``."""
    seats = {t.code: t for t in council_on(day)}
    node = data["members"]
    listed = {m.code for m in members}
    missing = [t.country.name for code, t in seats.items() if code not in listed]
    for m in members:
        if m.code not in seats:
            written = m.written_as or m.name
            hint = f"the Council then also had {', '.join(missing)}" if missing else None
            raise doc.fail(
                f"{m.name} was not on the Council on {day}",
                node,
                written,
                field=join_path("members", written),
                hint=hint,
                at_key=True,
            )
    if not missing:
        return []
    if "default" not in data:
        raise doc.fail(
            f"missing members for {day}: {', '.join(missing)}",
            data,
            "members",
            field="members",
            hint="list them, or give `default:` for the members the file leaves open",
        )
    open_seats = [t for code, t in seats.items() if code not in listed]
    stances = _default(data, doc, base, [t.country.name for t in open_seats], day, sides)
    return [
        Member(t.country.name, stance, permanent=t.permanent, code=t.code)
        for t, stance in zip(open_seats, stances)
    ]


def record_bloc(data: Any, doc: Located, members: tuple[Member, ...]) -> tuple[Bloc, ...]:
    """With ``default: record`` and no ``blocs``, the members the record fills vote as one bloc
    at the correlation the backtest chose, so that P(adopted) is the backtested model's."""
    if data.get("default") != "record" or "blocs" in data:
        return ()
    from ..record.priors import RHO  # here: a file without `default: record` never reads it

    listed = {resolve(name).name for name in data["members"]}
    filled = tuple(m.name for m in members if m.name not in listed)
    if len(filled) < 2 or RHO == 0:
        return ()
    doc.note(
        "record bloc",
        ScenarioError(
            f"record: the {len(filled)} members it fills vote as one bloc at "
            f"correlation {RHO:g}, as `unsc-sim backtest` scores the record's priors "
            "(declare `blocs:` to choose otherwise)",
            file=doc.file,
            field="default",
        ),
    )
    return (Bloc("record", filled, RHO),)


def _default(
    data: Any,
    doc: Located,
    base: Path,
    names: list[str],
    day: dt.date,
    sides: dict[str, list[tuple[str, str]]],
) -> list[Stance]:
    """The ``default`` stances of the members the file leaves open (``record``: priors from
    their earlier recorded votes, relative to the sides of the motion)."""
    value = data["default"]
    if value == "record":
        from ..record.forecast import forecast  # here: only such files load the record

        proposed_by, opposed_by = ([name for _, name in sides[key]] for key in SIDES)
        topic = data.get("topic") if isinstance(data.get("topic"), str) else None
        found = forecast(names, day, proposed_by=proposed_by, opposed_by=opposed_by, topic=topic)
        return [p.stance() for p in found.priors]
    stance, _ = read_stance(value, doc, data, "default", "default", base, party=False)
    if stance.basis is None:
        note = "the scenario's default for members it leaves open"
        stance = replace(stance, basis=Basis.ASSUMPTION, note=stance.note or note)
    return [stance] * len(names)


def check_president(
    president: str | None, seated: dt.date | None, data: Any, doc: Located
) -> str | None:
    """The president named, checked against the rotation; the rotation's when none is named."""
    if seated is None:
        return president
    holder = president_on(seated)
    # Compare seats, not spellings: a file may write "Germany" for the Federal Republic's seat.
    if president is not None and resolve(president).code != holder.code:
        when = f"{seated:%B %Y}" if holder == _month_president(seated) else str(seated)
        raise doc.fail(
            f"{president} did not hold the presidency in {when}",
            data,
            "president",
            field="president",
            hint=f"the rotation gives {holder.name}",
        )
    return holder.name if president is None else president


def _month_president(day: dt.date) -> Any:
    from ..record.council import president

    return president(day.year, day.month)


def _persuadable(value: Any, doc: Located, field: str) -> float:
    """A member's ``persuadable``: true (1, the default), false (0: it will not move) or 0..1."""
    if not hasattr(value, "items") or "persuadable" not in value:
        return 1.0
    p = value["persuadable"]
    if isinstance(p, bool):
        return float(p)
    if isinstance(p, (int, float)) and 0.0 <= p <= 1.0:  # NaN fails both comparisons
        return float(p)
    raise doc.fail(
        f"persuadable must be true, false or a number in 0..1, not {str(p)[:40]!r}",
        value,
        "persuadable",
        field=join_path(field, "persuadable"),
    )


def member_resolver(doc: Located, names: set[str]) -> Callable[..., str]:
    def member(name: Any, node: Any, key: Any, field: str, at_key: bool = False) -> str:
        country = _country(name, doc, node, key, field, at_key=at_key)
        if country.name not in names:
            raise doc.fail(
                f"{clip(name)!r} is not a member in this scenario",
                node,
                key,
                field=field,
                at_key=at_key,
            )
        return country.name

    return member
