"""Analyses: swing, whatif, sweep and power indices."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import click

from .. import scenario as scenario_io
from ..errors import UnscSimError
from ..report import Numbers, stream_table, to_table
from .common import (
    FORMAT,
    HYPOTHETICAL,
    OUTPUT,
    SEED,
    SOURCES,
    TRIALS,
    _records_out,
    friendly,
    load,
    main,
    progress_bar,
    publish,
    publish_stream,
)


@main.command()
@click.option(
    "--rule",
    type=click.Choice(["procedural", "substantive", "both"]),
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
@click.option("--exact", is_flag=True, help="Exact fractions (small games only).")
@FORMAT
@OUTPUT
@friendly
def power(
    rule: str,
    practice: bool,
    weights: str | None,
    quota: int | None,
    exact: bool,
    fmt: str,
    output: str | None,
) -> None:
    """Shapley-Shubik and Banzhaf power indices, exactly, by generating functions.

    The published Council values (substantive: Shapley-Shubik 421/2145 per permanent member,
    4/2145 per elected one) assume the classical yes/not-yes model, in which a permanent
    member's abstention blocks. Council practice since the late 1940s (upheld by the ICJ in
    1971) lets a permanent member abstain without a veto: --practice adds that variant.

    \b
      unsc-sim power
      unsc-sim power --weights "100*1,100*2,100*3" --quota 301
    """
    from .. import power as pw

    games: list[tuple[str, Any]] = []
    if weights is not None:
        if quota is None:
            raise UnscSimError("--weights needs --quota")
        games.append(
            ("weighted", pw.power_indices(pw.WeightedGame(_weights(weights), quota), exact=exact))
        )
    else:
        for kind in ["procedural", "substantive"] if rule == "both" else [rule]:
            games.append((kind, pw.council_power(kind, practice=False, exact=exact)))
            if practice and kind == "substantive":
                games.append(
                    (f"{kind}-practice", pw.council_power(kind, practice=True, exact=exact))
                )
    records = [{"game": name, **r} for name, result in games for r in result.to_records()]

    def table() -> str:
        return to_table(records)

    publish(fmt, output, document={"indices": records}, rows=records, table=table)


def _weights(text: str) -> tuple[int, ...]:
    from ..power import MAX_MEMBERS

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
               (with a permanent member's veto, under the substantive rule).
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
        f"({result.method})\n\n" + to_table(rows)
    )
    _records_out(
        s.title,
        "members",
        records,
        fmt,
        output,
        (scenario_file,),
        table,
        {"hypothetical": result.hypothetical, "p_adopted": result.p_adopted},
    )


@main.command()
@click.argument("scenario_file", metavar="SCENARIO", type=click.Path(dir_okay=False))
@HYPOTHETICAL
@click.option(
    "--side",
    type=click.Choice(["pass", "block", "both"]),
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
    trials: int,
    seed: int | None,
    fmt: str,
    output: str | None,
) -> None:
    """What it takes: whom to win over to make the motion pass, or to block it.

    For each side: the smallest sets of members whose switch makes the outcome certain, and
    for k = 1..K switches the set that moves P(adopted) most. Supporters switch members to
    yes; opponents switch them to no (for a permanent member under the substantive rule, a
    veto). Exact unless the scenario has blocs.
    """
    from ..analysis import what_it_takes

    s = load(scenario_file)
    sides = ["pass", "block"] if side == "both" else [side]
    results = [
        what_it_takes(s, name, side=x, max_best=max_k, trials=trials, seed=seed) for x in sides
    ]
    records = [r for res in results for r in res.to_records()]
    parts = []
    for res in results:
        verb = "pass for certain" if res.side.value == "pass" else "fail for certain"
        head = f"To make it {verb} (now P(adopted) = {res.p_adopted:.4f}):"
        if res.certain_size is None:
            lines = ["  no set of switches can"]
        else:
            lines = [
                f"  smallest sets ({res.certain_size} switch"
                f"{'es' if res.certain_size != 1 else ''}): "
                + "; ".join(", ".join(m.members) or "(none needed)" for m in res.certain)
            ]
        lines += [
            f"  best {len(m.members)}: {', '.join(m.members)} -> P(adopted) = {m.p_adopted:.4f}"
            for m in res.best
        ]
        parts.append("\n".join([head, *lines]))
    table = f"{s.title}: {results[0].hypothetical}\n\n" + "\n\n".join(parts) + "\n"
    _records_out(s.title, "moves", records, fmt, output, (scenario_file,), table)


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
    default=11,
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
    names = [scenario_io.parse_assignment(f"{m}=yes", s)[0] for m in members]
    with progress_bar(steps ** len(names), "point") as bar:
        result = compute(
            s, names, hypothetical=name, steps=steps, trials=trials, seed=seed, progress=bar.update
        )
    fields = result.fields
    blocks = functools.partial(_sweep_blocks, result)
    title = f"{s.title}: {result.hypothetical}, varying {' and '.join(names)} ({result.method})\n\n"

    def table() -> Iterator[str]:
        yield title
        shown = [i for i, f in enumerate(fields) if not f.startswith("member_")]
        columns = [fields[i] for i in shown]
        widths = [len(result.hypothetical)] + [6] * (len(shown) - 1)  # 0.0000 to 1.0000
        right = [i != 0 for i in shown]
        rows = ([block[i] for i in shown] for block in blocks())
        yield from stream_table(columns, rows, widths, right)

    publish_stream(
        fmt,
        output,
        head={"title": s.title, "hypothetical": result.hypothetical, "members": names},
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
            Numbers(np.round(level, 12), np.searchsorted(level, result.grid[start:stop, j]))
            for j, level in enumerate(levels)
        ]
        p = Numbers(np.round(result.p_adopted[start:stop], 12))
        yield [result.hypothetical, *result.members, *grid, p]
