"""The record: roster, history, replay, backtest."""

from __future__ import annotations

from typing import Any

import click

from ..errors import UnscSimError
from ..report import to_table
from .common import FORMAT, OUTPUT, emit, friendly, main, publish


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
    from .. import history

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
    from .. import history as record

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

    from .. import history as record

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
    from .. import history as record
    from ..model import Rule, RuleKind
    from ..rules import decide

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
    from .. import backtest as bt

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
