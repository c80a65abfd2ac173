"""The ``unsc-sim`` command: a thin click layer over the library."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import engine
from . import scenario as scenario_io
from .errors import UnscSimError
from .model import Scenario
from .report import Format, to_csv, to_json, to_table, write_atomic

FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in Format]),
    default="table",
    show_default=True,
    help="table for people; json or csv for scripts.",
)
OUTPUT = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write to this file (atomically) instead of standard output.",
)


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into one-line messages and exit code 2, without a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (UnscSimError, KeyError, ValueError) as e:
            message = e.args[0] if isinstance(e, KeyError) and e.args else e
            click.echo(f"unsc-sim: error: {message}", err=True)
            sys.exit(2)

    return wrapper


def emit(text: str, output: str | None, inputs: tuple[str, ...] = ()) -> None:
    """Data to stdout, or atomically to a file that is not one of the inputs."""
    if output:
        write_atomic(output, text, protect=inputs)
    else:
        click.echo(text, nl=False)


def publish(
    fmt: str,
    output: str | None,
    *,
    document: Any,
    rows: list[dict[str, Any]],
    table: Callable[[], str],
    inputs: tuple[str, ...] = (),
) -> None:
    """Emit the JSON document, the CSV rows, or the text table, as ``--format`` asks."""
    if fmt == Format.JSON:
        text = to_json(document)
    elif fmt == Format.CSV:
        text = to_csv(rows)
    else:
        text = table()
    emit(text, output, inputs)


def load(path: str) -> Scenario:
    """Load a scenario and say, on stderr, how alias names were read."""
    s = scenario_io.load(path)
    for m in s.members:
        if m.written_as:
            click.echo(f"note: {path}: {m.written_as!r} read as {m.name}", err=True)
    return s


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="unsc-sim")
def main() -> None:
    """Simulate UN Security Council votes under Article 27 of the Charter.

    A scenario file (YAML) lists the fifteen members, each with a stance (a sure vote or
    probabilities) and its source; `unsc-sim run` applies the rules to it and to its
    hypotheticals. Start with:

    \b
      unsc-sim run scenarios/2018-12-dprk-human-rights.yaml
      unsc-sim members scenarios/2018-12-dprk-human-rights.yaml
      unsc-sim run scenarios/2018-12-dprk-human-rights.yaml --set "Ivory Coast=yes"
    """


RUN_COLUMNS = ("hypothetical", "yes", "no", "abstain", "absent", "adopted", "margin", "p_adopted")


@main.command()
@click.argument("scenario_file", metavar="SCENARIO", type=click.Path(dir_okay=False))
@click.option(
    "--hypothetical",
    "-H",
    "names",
    multiple=True,
    help="Evaluate only this hypothetical (repeatable; 'baseline' is the scenario).",
)
@click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="MEMBER=VOTE",
    help='Ad hoc change, e.g. "Ivory Coast=yes" or "France=yes:0.7,abstain:0.3" '
    "(repeatable); shown as the extra row 'custom'.",
)
@click.option(
    "--method",
    type=click.Choice([m.value for m in engine.Method]),
    default="auto",
    show_default=True,
    help="exact needs independent members; auto uses it when it can.",
)
@click.option(
    "--trials",
    type=click.IntRange(min=1),
    default=engine.DEFAULT_TRIALS,
    show_default=True,
    help="Monte Carlo trials.",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=None,
    help="Seed for Monte Carlo (the same seed gives the same output).",
)
@FORMAT
@OUTPUT
@friendly
def run(
    scenario_file: str,
    names: tuple[str, ...],
    settings: tuple[str, ...],
    method: str,
    trials: int,
    seed: int | None,
    fmt: str,
    output: str | None,
) -> None:
    """Apply Article 27 to a scenario's baseline and hypotheticals.

    For each variant: the tally, the threshold, whether it is adopted and by what margin,
    P(adopted), and the pivotal members (a yes voter whose abstention would fail the motion;
    a non-yes voter whose yes would pass it). Exit status 0 whatever the vote's outcome.
    """
    s = load(scenario_file)
    changes = dict(scenario_io.parse_assignment(text, s) for text in settings)
    for name in names:
        s.variant(name)  # fail early, with the list of known names
    results = engine.run(
        s, list(names) or None, changes=changes, method=method, trials=trials, seed=seed
    )
    records = [r.to_record() for r in results]
    document = {
        "title": s.title,
        "date": s.date.isoformat() if s.date else None,
        "rule": s.rule.kind.value,
        "council_size": s.rule.size,
        "threshold": s.rule.threshold,
        "president": s.president,
        "results": records,
    }

    def table() -> str:
        return _run_table(s, records)

    publish(
        fmt,
        output,
        document=document,
        rows=[
            {k: v for k, v in r.items() if k not in ("distribution", "most_likely")}
            for r in records
        ],
        table=table,
        inputs=(scenario_file,),
    )


def _run_table(s: Scenario, records: list[dict[str, Any]]) -> str:
    article = "27(3), with veto" if s.rule.veto else "27(2)"
    president = f"; president: {s.president}" if s.president else ""
    lines = [
        s.title,
        f"{s.rule.kind.value} vote (Art. {article}): {s.rule.threshold} of {s.rule.size} "
        f"needed{president}",
        "",
    ]
    rows = []
    for r in records:
        row = {c: r.get(c) for c in RUN_COLUMNS}
        for c in ("yes", "no", "abstain", "absent"):  # expected counts when uncertain
            row[c] = f"{row[c]:.2f}" if isinstance(row[c], float) else str(row[c])
        row["p_adopted"] = f"{r['p_adopted']:.4f}"
        if r["p_adopted_se"] is not None:
            row["p_adopted"] += f" ± {r['p_adopted_se']:.4f}"
        rows.append(row)
    lines.append(to_table(rows, right=("yes", "no", "abstain", "absent", "margin", "p_adopted")))
    lines.append("Pivotal members (whose vote alone would change the outcome):")
    lines += [f"  {r['hypothetical']}: {', '.join(r['pivotal']) or 'none'}" for r in records]
    for r in records:
        if r["vetoed_by"]:
            lines.append(f"{r['hypothetical']}: vetoed by {', '.join(r['vetoed_by'])}")
        if r["obliged_to_abstain"]:
            parties = ", ".join(r["obliged_to_abstain"])
            lines.append(
                f"{r['hypothetical']}: Art. 27(3) proviso, abstaining as parties: {parties}"
            )
    return "\n".join(lines) + "\n"


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@friendly
def validate(files: tuple[str, ...]) -> None:
    """Load and check scenario files, citations included (every quote must be in its source).

    Prints one line per file; exit status 2 at the first file with an error.
    """
    for path in files:
        s = load(path)
        unsourced = [m.name for m in s.members if m.stance.basis is None]
        extra = f"; {len(unsourced)} stance(s) without a source" if unsourced else ""
        click.echo(
            f"{path}: ok ({len(s.members)} members, {len(s.hypotheticals)} hypotheticals{extra})"
        )


@main.command()
@click.argument("scenario_file", metavar="SCENARIO", type=click.Path(dir_okay=False))
@click.option("--hypothetical", "-H", "name", default=None, help="Show a hypothetical's stances.")
@FORMAT
@OUTPUT
@friendly
def members(scenario_file: str, name: str | None, fmt: str, output: str | None) -> None:
    """Each member's stance with its basis, source and quote."""
    s = load(scenario_file).variant(name)
    rows = [{
        "member": m.name,
        "permanent": m.permanent,
        "president": m.name == s.president,
        "stance": m.stance.describe(),
        "basis": m.stance.basis.value if m.stance.basis else "unsourced",
        "source": m.stance.source,
        "quote": m.stance.quote,
        "note": m.stance.note,
    } for m in s.members]  # fmt: skip

    def table() -> str:
        return _members_text(s, rows)

    publish(
        fmt,
        output,
        document={"title": s.title, "members": rows},
        rows=rows,
        table=table,
        inputs=(scenario_file,),
    )


def _members_text(s: Scenario, rows: list[dict[str, Any]]) -> str:
    table = to_table(
        [{k: r[k] for k in ("member", "permanent", "president", "stance", "basis")} for r in rows]
    )
    evidence = []
    for r in rows:
        lines = [f"  {r['member']}: {r['stance']} ({r['basis']})"]
        if r["source"]:
            lines.append(f"    source: {r['source']}")
        if r["quote"]:
            lines.append(f"    quote:  \u201c{r['quote']}\u201d")
        if r["note"]:
            lines.append(f"    note:   {r['note']}")
        evidence.append("\n".join(lines))
    return f"{s.title}\n\n{table}\nEvidence:\n" + "\n".join(evidence) + "\n"


@main.command()
@click.argument("year", type=int)
@click.option(
    "--month",
    "-m",
    type=click.IntRange(1, 12),
    default=None,
    help="A month (default: January, with the year's seat changes listed).",
)
@FORMAT
@OUTPUT
@friendly
def roster(year: int, month: int | None, fmt: str, output: str | None) -> None:
    """The Council of a year (or month): members, permanent seats, terms and the presidency.

    Every membership row carries its source (`--format json` shows them).
    """
    from . import history

    r = history.roster(year, month)
    rows = [{
        "member": t.country.name,
        "code": t.code,
        "permanent": t.permanent,
        "term_start": t.start.isoformat(),
        "term_end": t.end.isoformat() if t.end else None,
        "president": t.country.name == r.president.name,
        "source": t.source,
    } for t in r.members]  # fmt: skip

    def table() -> str:
        when = f"{year}-{r.month:02d}"
        grid = to_table([{k: v for k, v in row.items() if k != "source"} for row in rows])
        changes = "".join(f"\n  {c}" for c in r.changes)
        return (
            f"Security Council, {when}: {r.size} members, {r.threshold} votes needed; "
            f"president: {r.president.name}\n\n{grid}"
            + (f"\nSeat changes:{changes}\n" if changes else "")
        )

    publish(
        fmt,
        output,
        document={
            "year": r.year,
            "month": r.month,
            "size": r.size,
            "threshold": r.threshold,
            "president": r.president.name,
            "changes": list(r.changes),
            "members": rows,
        },
        rows=rows,
        table=table,
    )


@main.command()
@click.argument("vote_id", metavar="[ID]", required=False)
@click.option("--topic", default=None, help="Only votes on this topic (dprk, syria, ukraine...).")
@click.option(
    "--as-scenario",
    is_flag=True,
    help="Print the recorded vote ID as a scenario file, to ask what-ifs about it.",
)
@FORMAT
@OUTPUT
@friendly
def history(
    vote_id: str | None, topic: str | None, as_scenario: bool, fmt: str, output: str | None
) -> None:
    """Recorded procedural votes of the Council, member by member, with their sources.

    \b
      unsc-sim history --topic dprk
      unsc-sim history 2014-12-22-dprk --as-scenario > dprk-2014.yaml
    """
    from . import history as record

    if as_scenario:
        if not vote_id:
            raise UnscSimError("--as-scenario needs a vote ID (see `unsc-sim history`)")
        emit(_vote_as_scenario(record.recorded_vote(vote_id)), output)
        return
    votes = [record.recorded_vote(vote_id)] if vote_id else record.recorded_votes(topic)
    rows = [{
        "id": v.id, "date": v.date.isoformat(), "meeting": v.meeting, "topic": v.topic,
        "yes": v.count("yes"), "no": v.count("no"), "abstain": v.count("abstain"),
        "absent": v.count("absent"), "adopted": v.adopted, "subject": v.subject,
        "sources": list(v.sources),
    } for v in votes]  # fmt: skip

    def table() -> str:
        return to_table(
            [
                {
                    k: r[k]
                    for k in ("id", "date", "meeting", "yes", "no", "abstain", "absent", "adopted")
                }
                for r in rows
            ]
        )

    publish(fmt, output, document={"votes": rows}, rows=rows, table=table)


def _full_lists(v: Any) -> None:
    """Scenarios and replays need every member's vote, which a tally-only row lacks."""
    if not v.members_known:
        raise UnscSimError(
            f"{v.id}: the sources give only the tally of this vote, not every member's vote"
        )


def _vote_as_scenario(v: Any) -> str:
    import json

    from . import history as record

    _full_lists(v)
    q = json.dumps  # a JSON string is a valid YAML double-quoted scalar
    source = v.meeting or v.sources[0]
    lines = [
        f"title: {q(v.subject + ', ' + v.date.isoformat())}",
        f"date: {v.date.isoformat()}",
        "rule: procedural",
        f"president: {q(record.president(v.date.year, v.date.month).name)}",
        f"description: {q('Recorded vote ' + v.id + ': ' + '; '.join(v.sources))}",
        "members:",
    ]
    for name, vote in v.votes.items():
        lines.append(f"  {q(name)}: {{vote: {vote.value}, basis: recorded, source: {q(source)}}}")
    if v.of("abstain"):  # a first what-if to edit: the abstainers come over
        lines += ["hypotheticals:", "  all-abstainers-yes:"]
        lines += [f"    {q(n)}: yes" for n in v.of("abstain")]
    return "\n".join(lines) + "\n"


@main.command()
@click.argument("vote_id", metavar="ID")
@FORMAT
@OUTPUT
@friendly
def replay(vote_id: str, fmt: str, output: str | None) -> None:
    """Run Article 27(2) on a recorded vote and compare with what the Council recorded."""
    from . import history as record
    from .model import Rule, RuleKind
    from .rules import decide

    v = record.recorded_vote(vote_id)
    _full_lists(v)
    rule = Rule.on(RuleKind.PROCEDURAL, v.date)
    d = decide(dict(v.votes), rule)
    row = {"id": v.id, "date": v.date.isoformat(), "meeting": v.meeting, "yes": d.tally.yes,
           "no": d.tally.no, "abstain": d.tally.abstain, "absent": d.tally.absent,
           "threshold": rule.threshold, "adopted": d.adopted, "recorded_adopted": v.adopted,
           "agrees": d.adopted == v.adopted, "sources": list(v.sources)}  # fmt: skip

    def table() -> str:
        verdict = "adopted" if d.adopted else "not adopted"
        return (
            f"{v.subject} ({v.date}, {v.meeting or 'meeting record not identified'})\n"
            f"  yes {d.tally.yes}: {', '.join(v.of('yes'))}\n"
            f"  no {d.tally.no}: {', '.join(v.of('no')) or '-'}\n"
            f"  abstain {d.tally.abstain}: {', '.join(v.of('abstain')) or '-'}\n"
            f"  absent {d.tally.absent}: {', '.join(v.of('absent')) or '-'}\n"
            f"Article 27(2), {rule.threshold} of {rule.size}: {verdict} (margin {d.margin:+d});"
            f" recorded: {'adopted' if v.adopted else 'not adopted'}"
            f" -> {'agrees' if row['agrees'] else 'DISAGREES'}\n"
            f"Sources: {'; '.join(v.sources)}\n"
        )

    publish(fmt, output, document=row, rows=[row], table=table)


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
    from . import power as pw

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
@OUTPUT
@friendly
def schema(output: str | None) -> None:
    """Print the JSON Schema of scenario files, for editors (yaml-language-server).

    Shipped scenarios start with `# yaml-language-server: $schema=...` pointing at the copy
    in unsc_sim/data/scenario.schema.json; the loader remains the final judge (quotes,
    sums, member counts are checked only when a file loads).
    """
    import json

    from .schema import scenario_schema

    emit(json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n", output)


@main.command()
@click.option(
    "--alpha",
    type=click.FloatRange(min=0.0, min_open=True),
    default=1.0,
    show_default=True,
    help="Smoothing toward the pooled votes of all members.",
)
@FORMAT
@OUTPUT
@friendly
def backtest(alpha: float, fmt: str, output: str | None) -> None:
    """Predict each recorded procedural vote from the votes strictly before it.

    Each member's prior is its own earlier procedural votes, smoothed toward all members'
    (see unsc_sim/backtest.py). Reports P(adopted) and the predicted tally beside what
    happened, then Brier score and log loss against two baselines: always 0.5, and the
    base rate of earlier adoptions. The table is shown whether the model does well or not.
    """
    from . import backtest as bt

    result = bt.backtest(alpha=alpha)
    scores = {
        "model": {"brier": result.brier, "log_loss": result.log_loss},
        "always_half": {"brier": result.brier_half, "log_loss": result.log_loss_half},
        "base_rate": {"brier": result.brier_base_rate, "log_loss": result.log_loss_base_rate},
    }
    records = result.to_records()
    publish(
        fmt,
        output,
        document={"alpha": alpha, "scores": scores, "votes": records},
        rows=records,
        table=lambda: bt.format_table(result),
    )


HYPOTHETICAL = click.option(
    "--hypothetical",
    "-H",
    "name",
    default=None,
    help="Analyse this hypothetical instead of the baseline.",
)
TRIALS = click.option(
    "--trials",
    type=click.IntRange(min=1),
    default=engine.DEFAULT_TRIALS,
    show_default=True,
    help="Monte Carlo trials (used only with blocs).",
)
SEED = click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=None,
    help="Seed for Monte Carlo (used only with blocs).",
)


def _records_out(
    title: str,
    key: str,
    records: list[dict[str, Any]],
    fmt: str,
    output: str | None,
    inputs: tuple[str, ...],
    table: str,
    extra: dict[str, Any] | None = None,
) -> None:
    document = {"title": title, **(extra or {}), key: records}
    publish(fmt, output, document=document, rows=records, table=lambda: table, inputs=inputs)


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
    from .analysis import swing as compute

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
    from .analysis import what_it_takes

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

    from .analysis import sweep as compute

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


FIGURE_FORMATS = (".png", ".svg", ".pdf")
# Dates in the files would make every run differ: leave them out.
FIGURE_METADATA = {
    ".png": {"Software": None},
    ".svg": {"Date": None},
    ".pdf": {"CreationDate": None},
}


def _save_figure(fig: Any, output: str, protect: tuple[str, ...]) -> None:
    """Save a figure atomically, in the format its extension names."""
    import matplotlib as mpl

    suffix = Path(output).suffix.lower()

    def save(f: Any) -> None:
        # A fixed salt keeps SVG element ids, and so the file, the same from run to run.
        with mpl.rc_context({"svg.hashsalt": "unsc-sim"}):
            fig.savefig(f, format=suffix[1:], dpi=150, metadata=FIGURE_METADATA[suffix])

    write_atomic(output, save, protect=protect)


@main.command()
@click.argument(
    "scenario_files",
    metavar="SCENARIO...",
    nargs=-1,
    required=True,
    type=click.Path(dir_okay=False),
)
@click.option(
    "--kind",
    type=click.Choice(["distribution", "chamber", "swing", "sweep", "history"]),
    default="distribution",
    show_default=True,
    help="Which figure.",
)
@click.option(
    "--hypothetical",
    "-H",
    "names",
    multiple=True,
    help="Variant to draw (repeatable for distribution, which draws all by default; "
    "others draw the baseline by default; history draws baselines only).",
)
@click.option(
    "--vary",
    "members",
    multiple=True,
    metavar="MEMBER",
    help="sweep: the member whose P(yes) goes from 0 to 1 (once or twice; default: the "
    "member with the largest swing).",
)
@click.option(
    "--steps",
    type=click.IntRange(min=2, max=201),
    default=21,
    show_default=True,
    help="sweep: grid points per member.",
)
@click.option(
    "--by",
    type=click.Choice(["vote", "p_yes"]),
    default="vote",
    show_default=True,
    help="chamber: color seats by vote or by P(yes).",
)
@TRIALS
@SEED
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="The figure file: .png, .svg or .pdf (written atomically).",
)
@friendly
def plot(
    scenario_files: tuple[str, ...],
    kind: str,
    names: tuple[str, ...],
    members: tuple[str, ...],
    steps: int,
    by: str,
    trials: int,
    seed: int | None,
    output: str,
) -> None:
    """Draw a scenario as a PNG, SVG or PDF figure (the format is the file's extension).

    \b
    distribution  P(each number of yes votes), the threshold drawn; variants side by side
    chamber       the fifteen seats colored by vote (or --by p_yes), president marked
    swing         members ranked by how much their vote moves P(adopted)
    sweep         P(adopted) against one member's P(yes) (--vary once: a curve) or two
                  members' (--vary twice: a heat map)
    history       the recorded DPRK human-rights agenda votes year by year, with each
                  SCENARIO given as a year "as reported" (several SCENARIOs allowed)
    """
    from . import analysis, plots

    if not output.lower().endswith(FIGURE_FORMATS):
        raise UnscSimError(f"{output}: unknown figure format (use .png, .svg or .pdf)")
    if len(scenario_files) > 1 and kind != "history":
        raise UnscSimError(f"--kind {kind} takes one SCENARIO (only history takes several)")
    if members and kind != "sweep":
        raise UnscSimError("--vary applies to --kind sweep only")
    if (len(names) > 1 and kind != "distribution") or (names and kind == "history"):
        raise UnscSimError(f"--kind {kind} takes {'no' if kind == 'history' else 'one'} -H")
    scenarios = [load(path) for path in scenario_files]
    s, name = scenarios[0], names[0] if names else None
    source = plots.source_line(s)
    options: dict[str, Any] = {"trials": trials, "seed": seed}
    if kind == "distribution":
        results = engine.run(s, list(names) or None, **options)
        fig = plots.distribution(results, title=s.title, source=source)
    elif kind == "chamber":
        result = engine.simulate(s, name, **options)
        fig = plots.chamber(result, president=s.president, by=by, title=s.title, source=source)  # type: ignore[arg-type]
    elif kind == "swing":
        result = analysis.swing(s, name, **options)
        fig = plots.swing(result, title=s.title, source=source)
    elif kind == "sweep":
        vary = [scenario_io.parse_assignment(f"{m}=yes", s)[0] for m in members]
        vary = vary or [analysis.swing(s, name, **options).rows[0].member]
        result = analysis.sweep(s, vary, hypothetical=name, steps=steps, **options)
        fig = plots.sweep(result, title=s.title, source=source)
    else:
        from .history import recorded_votes

        undated = [p for p, x in zip(scenario_files, scenarios) if x.date is None]
        if undated:
            raise UnscSimError(f"{undated[0]}: history needs the scenario's date")
        title = "DPRK human rights on the Security Council agenda"
        fig = plots.history(recorded_votes(topic="dprk"), reported=scenarios, title=title)
    _save_figure(fig, output, scenario_files)
