"""Analyses: swing, whatif, sweep and power indices."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator
from typing import Any

import click

from .. import scenario as scenario_io
from ..analysis.sweep import DEFAULT_STEPS
from ..errors import UnscSimError
from ..model import Scenario
from ..notes import Note
from ..output import words
from ..output.formats import JSON_DIGITS, Numbers, stream_table, to_table
from .common import (
    FORMAT,
    HYPOTHETICAL,
    OUTPUT,
    SEED,
    SOURCES,
    TRIALS,
    friendly,
    load,
    main,
    notes,
    progress_bar,
    publish,
    publish_stream,
    records_out,
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


@main.command()
@click.argument("scenario_file", metavar="SCENARIO", type=click.Path(dir_okay=False))
@HYPOTHETICAL
@TRIALS
@SEED
@SOURCES
@FORMAT
@OUTPUT
@friendly
def swing(
    scenario_file: str,
    name: str | None,
    trials: int,
    seed: int | None,
    fmt: str,
    output: str | None,
) -> None:
    """Rank members by how much their vote moves P(adopted).

    \b
    swing      P(adopted | it votes yes) - P(adopted | it does not), where "does not"
               spreads its own non-yes probability (a sure yes voter abstains); the
               derivative of P(adopted) in its P(yes).
    p_pivotal  P(adopted | yes) - P(adopted | no): the chance its vote alone decides
               (with a permanent member's veto, under the substantive rule); `run` lists
               the members with p_pivotal >= 0.5 as pivotal (for sure votes it is 1 or 0).
    """
    from ..analysis import swing as compute

    s = load(scenario_file)
    result = compute(s, name, trials=trials, seed=seed)
    records = result.to_records()
    rows = [{"member": r["member"], "stance": r["stance"], "p_yes": r["p_yes"],
             "if_yes": r["p_adopted_if_yes"], "if_not": r["p_adopted_if_not"],
             "swing": r["swing"], "p_pivotal": r["p_pivotal"]} for r in records]  # fmt: skip
    table = (
        f"{s.title}: {result.hypothetical}, P(adopted) = {result.p_adopted:.4f} "
        f"({result.method})\n{_given_line(s)}\n" + to_table(rows)
    )
    records_out(
        s.title,
        "members",
        records,
        fmt,
        output,
        (scenario_file,),
        table,
        {
            "hypothetical": result.hypothetical,
            "p_adopted": result.p_adopted,
            "given": words.conditioned_label(s),
        },
    )


@main.command()
@click.argument("scenario_file", metavar="SCENARIO", type=click.Path(dir_okay=False))
@HYPOTHETICAL
@click.option(
    "--side",
    type=click.Choice(["pass", "block", "both"], case_sensitive=False),
    default="both",
    show_default=True,
    help="Supporters (switch to yes), opponents (switch to no).",
)
@click.option(
    "--max-k",
    type=click.IntRange(1, 15),
    default=3,
    show_default=True,
    help="Best moves of 1..K members.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help="Show at most N of the smallest sets (the rest are counted).",
)
@click.option(
    "--never",
    multiple=True,
    metavar="MEMBER",
    help="A member that will not move (repeatable; any common name).",
)
@TRIALS
@SEED
@SOURCES
@FORMAT
@OUTPUT
@friendly
def whatif(
    scenario_file: str,
    name: str | None,
    side: str,
    max_k: int,
    limit: int,
    never: tuple[str, ...],
    trials: int,
    seed: int | None,
    fmt: str,
    output: str | None,
) -> None:
    """What it takes: whom to win over to make the motion pass, or to block it.

    For each side: the smallest sets of members whose switch makes the outcome certain,
    easiest first, and for k = 1..K switches the set that moves P(adopted) most. Supporters
    switch members to yes; opponents switch them to no (for a permanent member under the
    substantive rule, a veto). Exact, with blocs too (sampled only beyond the exact engine).

    \b
    Easiest means: fewest steps, then the members' own P(target vote), then name.
    Steps: abstain or absent -> yes (or no) 1; no -> yes (or yes -> no) 2; a permanent
    member crossing that way 3; divided by the member's `persuadable` in the file.
    --never MEMBER and `persuadable: false` leave a member out.
    """
    from ..analysis import what_it_takes

    s = load(scenario_file)
    sides = ["pass", "block"] if side == "both" else [side]
    results = [
        what_it_takes(
            s, name, side=x, max_best=max_k, limit=limit, never=never, trials=trials, seed=seed
        )
        for x in sides
    ]
    records = [r for res in results for r in res.to_records()]
    summary = [{
        "side": res.side.value, "p_adopted": res.p_adopted, "already_certain": res.already,
        "certain_size": res.certain_size, "sets_total": res.certain_total,
        "sets_shown": len(res.certain), "sets_not_shown": res.more, "method": res.method,
    } for res in results]  # fmt: skip
    parts = [_whatif_text(res) for res in results]
    left_out = f"left out (will not move): {', '.join(results[0].never)}\n\n" if never else ""
    left_out += "".join(
        f"left out (persuadable: false): {m.name}\n\n" for m in s.members if m.persuadable <= 0
    )
    head = f"{s.title}: {results[0].hypothetical}\n{_given_line(s)}\n"
    table = f"{head}{left_out}" + "\n\n".join(parts) + "\n"
    records_out(
        s.title,
        "moves",
        records,
        fmt,
        output,
        (scenario_file,),
        table,
        {
            "hypothetical": results[0].hypothetical,
            "sides": summary,
            "given": words.conditioned_label(s),
        },
    )


def _whatif_text(res: Any) -> str:
    """One side of `whatif` for people: status, the smallest sets, the best moves."""
    verb = "pass" if res.side.value == "pass" else "fail"
    head = f"To make it {verb} for certain (now P(adopted) = {res.p_adopted:.4f}):"
    if res.already:
        return f"{head}\n  already {verb}s for certain: nothing to do"
    target = "yes" if res.side.value == "pass" else "no"

    def who(members: tuple[str, ...]) -> str:
        found = [res.candidate(n) for n in members]
        return ", ".join(f"{c.member} ({c.stance} -> {target}, {_steps(c.effort)})" for c in found)

    if res.certain_size is None:
        lines = ["  no set of switches can"]
    else:
        n = res.certain_size
        lines = [f"  smallest sets ({n} switch{'es' if n != 1 else ''}), easiest first:"]
        lines += [f"    {i}. {who(m.members)}" for i, m in enumerate(res.certain, start=1)]
        if res.more:
            lines.append(f"    and {res.more} more (--limit {res.certain_total} shows them all)")
    lines += [
        f"  best {len(m.members)}: {', '.join(m.members)} -> P(adopted) = {m.p_adopted:.4f}"
        for m in res.best
    ]
    return "\n".join([head, *lines])


def _steps(x: float) -> str:
    return f"{x:.3g} step" + ("" if x == 1 else "s")


@main.command()
@click.argument("scenario_file", metavar="SCENARIO", type=click.Path(dir_okay=False))
@click.option(
    "--vary",
    "members",
    multiple=True,
    required=True,
    metavar="MEMBER",
    help="Member whose P(yes) goes from 0 to 1 (once or twice).",
)
@click.option(
    "--steps",
    type=click.IntRange(min=2, max=1001),
    default=DEFAULT_STEPS,
    show_default=True,
    help="Grid points per member.",
)
@HYPOTHETICAL
@TRIALS
@SEED
@SOURCES
@FORMAT
@OUTPUT
@friendly
def sweep(
    scenario_file: str,
    members: tuple[str, ...],
    steps: int,
    name: str | None,
    trials: int,
    seed: int | None,
    fmt: str,
    output: str | None,
) -> None:
    """P(adopted) as one or two members' P(yes) go from 0 to 1.

    The rest of each varied member's probability keeps its proportions (a sure yes voter's
    rest is abstention). A progress bar shows on long sampled sweeps, on a terminal only.
    """
    from ..analysis import sweep as compute

    s = load(scenario_file)
    found: list[Note] = []
    names = scenario_io.resolve_members(members, s, option="--vary", notes=found)
    notes(found)
    if len(names) > 2:
        raise UnscSimError(f"--vary: give one member or two, not {len(names)}")
    with progress_bar(steps ** len(names), "point") as bar:
        result = compute(
            s, names, hypothetical=name, steps=steps, trials=trials, seed=seed, progress=bar.update
        )
    fields = result.fields
    blocks = functools.partial(_sweep_blocks, result)
    title = (
        f"{s.title}: {result.hypothetical}, varying {' and '.join(names)} ({result.method})\n"
        f"{_given_line(s)}\n"
    )

    def table() -> Iterator[str]:
        # The title names the hypothetical; the columns name the members (p_yes_1 says less).
        yield title
        shown = [i for i, f in enumerate(fields) if f.startswith("p_")]
        columns = [f"P({m} yes)" for m in names] + ["p_adopted"]
        widths = [6] * len(shown)  # 0.0000 to 1.0000
        rows = ([block[i] for i in shown] for block in blocks())
        yield from stream_table(columns, rows, widths, [True] * len(shown))

    publish_stream(
        fmt,
        output,
        head={
            "title": s.title,
            "hypothetical": result.hypothetical,
            "members": names,
            "given": words.conditioned_label(s),
        },
        key="points",
        fields=fields,
        blocks=blocks,
        table=table,
        inputs=(scenario_file,),
    )


def _sweep_blocks(result: Any, size: int = 65_536) -> Iterator[list[Any]]:
    """A sweep's points in blocks of columns (names as text, values rounded to 12 decimals);
    each grid axis is a few distinct values, formatted once."""
    import numpy as np

    k = len(result.members)
    levels = [np.unique(result.grid[:, j]) for j in range(k)]
    for start in range(0, len(result.p_adopted), size):
        stop = start + size
        grid = [
            Numbers(
                np.round(level, JSON_DIGITS), np.searchsorted(level, result.grid[start:stop, j])
            )
            for j, level in enumerate(levels)
        ]
        p = Numbers(np.round(result.p_adopted[start:stop], JSON_DIGITS))
        yield [result.hypothetical, *result.members, *grid, p]


def _given_line(s: Scenario) -> str:
    """A line saying the analysis starts from the baseline given the reports (or nothing)."""
    label = words.conditioned_label(s)
    return f"{label}: the baseline is conditioned on them\n" if label else ""
