"""Analyses of a scenario: swing, whatif and sweep."""

from __future__ import annotations

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
    publish_stream,
    records_out,
)


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
    trials: int | None,
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
    trials: int | None,
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
        does = "passes" if verb == "pass" else "fails"
        return f"{head}\n  already {does} for certain: nothing to do"
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
    trials: int | None,
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
