"""Analyses: swing, whatif, sweep and power indices."""

from __future__ import annotations

import sys
from typing import Any

import click

from .. import scenario as scenario_io
from ..errors import UnscSimError
from ..report import to_table
from .common import (
    FORMAT,
    HYPOTHETICAL,
    OUTPUT,
    SEED,
    TRIALS,
    _records_out,
    friendly,
    load,
    main,
    publish,
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
    out: list[int] = []
    for part in text.split(","):
        count, _, weight = part.strip().rpartition("*")
        try:
            out += [int(weight)] * (int(count) if count else 1)
        except ValueError:
            raise UnscSimError(f"--weights: {part.strip()!r} is not W or N*W") from None
    return tuple(out)


@main.command()
@click.argument("scenario_file", metavar="SCENARIO", type=click.Path(dir_okay=False))
@HYPOTHETICAL
@TRIALS
@SEED
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
    substantive rule, a veto). Exact unless the scenario has blocs.

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
    table = f"{s.title}: {results[0].hypothetical}\n\n{left_out}" + "\n\n".join(parts) + "\n"
    _records_out(
        s.title,
        "moves",
        records,
        fmt,
        output,
        (scenario_file,),
        table,
        {"hypothetical": results[0].hypothetical, "sides": summary},
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
    default=11,
    show_default=True,
    help="Grid points per member.",
)
@HYPOTHETICAL
@TRIALS
@SEED
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
    from tqdm import tqdm

    from ..analysis import sweep as compute

    s = load(scenario_file)
    names = [scenario_io.parse_assignment(f"{m}=yes", s)[0] for m in members]
    total = steps ** len(names)
    with tqdm(total=total, disable=None, file=sys.stderr, unit="point", leave=False) as bar:
        result = compute(
            s, names, hypothetical=name, steps=steps, trials=trials, seed=seed, progress=bar.update
        )
    records = result.to_records()
    rows = [{k: v for k, v in r.items() if not k.startswith("member_")} for r in records]
    table = (
        f"{s.title}: {result.hypothetical}, varying {' and '.join(names)} "
        f"({result.method})\n\n" + to_table(rows)
    )
    _records_out(
        s.title,
        "points",
        records,
        fmt,
        output,
        (scenario_file,),
        table,
        {"hypothetical": result.hypothetical, "members": names},
    )
