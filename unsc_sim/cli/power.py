"""The power command: a priori voting power (Shapley-Shubik, Banzhaf) of Council games."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from ..errors import UnscSimError
from ..output.formats import to_table
from .common import (
    FORMAT,
    OUTPUT,
    friendly,
    main,
    publish,
)


@main.command()
@click.option(
    "--rule",
    type=click.Choice(["procedural", "substantive", "both"], case_sensitive=False),
    default="both",
    show_default=True,
    help="Which Council rule (ignored with --weights).",
)
@click.option(
    "--practice",
    is_flag=True,
    help="Also the Charter-practice variant: only a permanent member's 'no' blocks "
    "(members vote yes, no or abstain with probability 1/3 each).",
)
@click.option(
    "--weights",
    default=None,
    metavar="W1,W2,...",
    help="Any weighted voting game: comma-separated integer weights (or N*W).",
)
@click.option(
    "--quota",
    type=click.IntRange(min=1),
    default=None,
    help="The weight a coalition needs, with --weights.",
)
@click.option(
    "--exact",
    is_flag=True,
    help="Exact fractions such as 421/2145 (small games only); JSON and CSV add *_float.",
)
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    metavar="YYYY-MM-DD",
    help="Name the members of the Council on this day (and take its size and rule).",
)
@click.option(
    "--roster",
    "year",
    type=int,
    default=None,
    metavar="YEAR",
    help="Name the members of the Council on 1 January of YEAR.",
)
@FORMAT
@OUTPUT
@friendly
def power(
    rule: str,
    practice: bool,
    weights: str | None,
    quota: int | None,
    exact: bool,
    day: dt.datetime | None,
    year: int | None,
    fmt: str,
    output: str | None,
) -> None:
    """Shapley-Shubik and Banzhaf power indices, exactly, by generating functions.

    The published Council values (substantive: Shapley-Shubik 421/2145 per permanent member,
    4/2145 per elected one) assume the classical yes/not-yes model, in which a permanent
    member's abstention blocks. Council practice since the late 1940s (upheld by the ICJ in
    1971) lets a permanent member abstain without a veto: --practice adds that variant.
    Members are P1..P5 and E1..E10 unless --date or --roster names them.

    \b
      unsc-sim power --exact
      unsc-sim power --roster 1950 --rule substantive
      unsc-sim power --weights "100*1,100*2,100*3" --quota 301
    """
    from ..analysis import power as pw

    on = _council_day(day, year, weights)
    games: list[tuple[str, Any]] = []
    if weights is not None:
        if quota is None:
            raise UnscSimError("--weights needs --quota")
        games.append(
            ("weighted", pw.power_indices(pw.WeightedGame(_weights(weights), quota), exact=exact))
        )
    else:
        for kind in ["procedural", "substantive"] if rule == "both" else [rule]:
            council = _council(kind, on)
            games.append((kind, pw.council_power(kind, practice=False, exact=exact, **council)))
            if practice and kind == "substantive":
                games.append(
                    (
                        f"{kind}-practice",
                        pw.council_power(kind, practice=True, exact=exact, **council),
                    )
                )
    records = [r for name, result in games for r in _power_records(name, result, exact=exact)]
    fractions = [k for k in records[0] if exact and k in _INDICES]

    def table() -> str:
        head = ""
        if on is not None:
            size = len(_council("procedural", on)["names"])
            head = f"The Council on {on.isoformat()} ({size} members)\n\n"
        return head + to_table(records, right=fractions)

    document = {"date": on.isoformat() if on else None, "exact": exact, "indices": records}
    publish(fmt, output, document=document, rows=records, table=table)


_INDICES = ("shapley_shubik", "banzhaf", "banzhaf_absolute")


def _power_records(name: str, result: Any, *, exact: bool) -> list[dict[str, Any]]:
    """Rows of a power table; with ``exact``, each index as a fraction ("421/2145") beside
    its float (``shapley_shubik_float``)."""
    rows = []
    for i, r in enumerate(result.to_records()):
        row = {"game": name, **r}
        if exact:
            row |= {k: str(getattr(result, k)[i]) for k in _INDICES if k in r}
            row |= {f"{k}_float": r[k] for k in _INDICES if k in r}
        rows.append(row)
    return rows


def _council_day(day: dt.datetime | None, year: int | None, weights: str | None) -> dt.date | None:
    """The day whose Council names the members: --date, or 1 January of --roster."""
    if day is not None and year is not None:
        raise UnscSimError("give --date or --roster, not both")
    if (day is not None or year is not None) and weights is not None:
        raise UnscSimError("--date and --roster name Council members; --weights has none")
    if year is not None:
        return dt.date(year, 1, 1)
    return day.date() if day is not None else None


def _council(kind: str, day: dt.date | None) -> dict[str, Any]:
    """council_power's size, permanent seats, threshold and names for the Council on a day
    (permanent members first); the defaults (P1..P5, E1..E10) without a day."""
    if day is None:
        return {}
    from ..model import Rule
    from ..record.council import council_on

    terms = sorted(council_on(day), key=lambda t: not t.permanent)
    rule = Rule.on(kind, day)
    if len(terms) != rule.size:
        raise UnscSimError(f"the record has {len(terms)} members on {day}, not {rule.size}")
    return {
        "size": rule.size,
        "permanent": sum(t.permanent for t in terms),
        "threshold": rule.threshold,
        "names": [t.country.name for t in terms],
    }


def _weights(text: str) -> tuple[int, ...]:
    from ..analysis.power import MAX_MEMBERS

    pairs: list[tuple[int, int]] = []
    for part in text.split(","):
        count, _, weight = part.strip().rpartition("*")
        try:
            pairs.append((int(count) if count else 1, int(weight)))
        except ValueError:
            raise UnscSimError(f"--weights: {part.strip()[:40]!r} is not W or N*W") from None
    members = sum(count for count, _ in pairs)
    if members > MAX_MEMBERS:  # counted before a list of them is built
        raise UnscSimError(f"--weights: {members:,} members; the limit is {MAX_MEMBERS:,}")
    return tuple(w for count, weight in pairs for w in [weight] * count)
