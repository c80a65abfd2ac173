"""The record: roster, history, replay, backtest."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import click

from ..countries import Country, resolve
from ..errors import UnscSimError
from ..model import VOTES, Rule, RuleKind
from ..output.formats import to_table
from .common import FORMAT, OUTPUT, emit, friendly, main, publish

MAX_ALPHA = 1e6  # beyond this every prior is the pooled one: more says nothing new


def _finite(_ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """Refuse NaN, which passes every range comparison (None: the option was not given)."""
    if value is not None and value != value:
        raise click.BadParameter(
            "nan is not a number", param_hint=f"'--{str(param.name).replace('_', '-')}'"
        )
    return value


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
    from .. import record as history

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
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m", "%Y"]),
    default=None,
    metavar="DATE",
    help="Only votes on or after this day (YYYY-MM-DD; YYYY-MM or YYYY: from its first day).",
)
@click.option(
    "--member",
    default=None,
    help="How this member voted: one row per recorded vote held while it sat.",
)
@click.option("--proposed-by", "proposed_by", default=None, help="Only votes this member proposed.")
@click.option(
    "--as-scenario",
    is_flag=True,
    help="Print the recorded vote ID as a scenario file, to ask what-ifs about it.",
)
@click.option(
    "--sources",
    "show_sources",
    is_flag=True,
    help="Per vote: its sources' kinds (primary/secondary), hosts, and why it is unconfirmed.",
)
@FORMAT
@OUTPUT
@friendly
def history(
    vote_id: str | None,
    topic: str | None,
    since: dt.datetime | None,
    member: str | None,
    proposed_by: str | None,
    as_scenario: bool,
    show_sources: bool,
    fmt: str,
    output: str | None,
) -> None:
    """Recorded procedural votes of the Council, member by member, with their sources.

    The table shows each vote's members in short (ISO codes; "+2" counts members a
    tally-only record does not name); `history ID` shows one vote in full. Names may be
    any spelling unsc-sim knows ("UK", "Ivory Coast").

    \b
      unsc-sim history --topic dprk
      unsc-sim history --member India --since 2020
      unsc-sim history 2014-12-22-dprk
      unsc-sim history 2014-12-22-dprk --as-scenario > dprk-2014.yaml
      unsc-sim history --sources --since 2000

    Rows marked "!" rest on a fact no acceptable source confirms (`unconfirmed` says why).
    """
    from .. import record

    filters = {"topic": topic, "member": member, "proposed_by": proposed_by}
    filters["since"] = since.date() if since else None
    if vote_id and any(filters.values()):
        raise click.UsageError("give a vote ID or filters (--topic, --since, ...), not both")
    if as_scenario:
        if not vote_id:
            raise UnscSimError("--as-scenario needs a vote ID (see `unsc-sim history`)")
        emit(_vote_as_scenario(record.recorded_vote(vote_id)), output)
        return
    if show_sources:
        votes = [record.recorded_vote(vote_id)] if vote_id else record.recorded_votes(**filters)
        _sources_report(votes, fmt, output)
        return
    if vote_id:
        v = record.recorded_vote(vote_id)
        document = {"votes": [v.to_record()]}
        publish(fmt, output, document=document, rows=[_flat(v)], table=lambda: _in_full(v))
        return
    votes = record.recorded_votes(**filters)
    if member:
        _member_votes(resolve(member), votes, fmt, output)
        return
    publish(
        fmt,
        output,
        document={"votes": [v.to_record() for v in votes]},
        rows=[_flat(v) for v in votes],
        table=lambda: (
            to_table([_line(v) for v in votes]) if votes else "No recorded vote matches.\n"
        ),
    )


def _sources_report(votes: Sequence[Any], fmt: str, output: str | None) -> None:
    """``history --sources``: one row per vote, from ``provenance``."""
    from ..record.provenance import provenance

    records = [provenance(v) for v in votes]
    rows = [
        r | {"hosts": r["hosts"], "sources": [s["source"] for s in r["sources"]]} for r in records
    ]

    def table() -> str:
        if not records:
            return "No recorded vote matches.\n"
        shown = [
            {"id": r["id"] + (" !" if r["unconfirmed"] else ""), "primary": r["primary"],
             "secondary": r["secondary"],
             "S/PV or SC/": "yes" if r["cites_meeting_or_press"] else "no",
             "hosts": " ".join(r["hosts"]), "unconfirmed": r["unconfirmed"] or ""}
            for r in records
        ]  # fmt: skip
        return to_table(shown)

    publish(fmt, output, document={"votes": records}, rows=rows, table=table)


def _flat(v: Any) -> dict[str, Any]:
    """A CSV row: the record with its member lists as four ";"-joined columns."""
    row = {k: x for k, x in v.to_record().items() if k not in ("members", "named")}
    return row | {f"{vote.value}_members": list(v.of(vote)) for vote in VOTES}


def _tally(v: Any) -> str:
    counts = [v.count(x) for x in VOTES]
    text = "-".join("?" if n is None else str(n) for n in counts[:3])
    return text + (f", {counts[3]} absent" if counts[3] else "")


def _short(v: Any) -> str:
    """Y: CHN FRA .. N: .. A: .. (ISO codes; "+k" for members a tally-only row leaves unnamed)."""
    parts = []
    for vote, label in zip(VOTES, ("Y", "N", "A", "absent")):
        codes = sorted(resolve(n).code for n in v.of(vote))
        n, more = v.count(vote), ""
        if not v.members_known:
            more = "+?" if n is None else (f"+{n - len(codes)}" if n > len(codes) else "")
        if codes or more:
            parts.append(f"{label}: {' '.join([*codes, more]).strip()}")
    return "  ".join(parts)


def _line(v: Any) -> dict[str, Any]:
    outcome = "adopted" if v.adopted else "failed"
    return {
        "id": v.id + (" !" if v.unconfirmed else ""),
        "kind": v.kind.value,
        "result": f"{outcome} {_tally(v)}",
        "meeting": v.meeting,
        "members": _short(v),
    }


def _in_full(v: Any) -> str:
    """One vote: what was decided, by whom, member by member, and the sources."""
    rule = Rule.on(RuleKind.PROCEDURAL, v.date)
    lines = [
        f"{v.id}: {v.subject}",
        f"  {v.date:%d %B %Y}, {v.meeting or 'meeting record not identified'}"
        + (f", press release {v.press_release}" if v.press_release else ""),
        f"  kind: {v.kind.value}; topic: {v.topic}"
        + (f"; themes: {', '.join(v.themes)}" if v.themes else ""),
    ]
    if v.agenda_item:
        lines.append(f"  agenda item: {v.agenda_item}")
    lines.append(f"  proposed by: {', '.join(v.proposed_by) or 'not recorded'}")
    lines.append(f"  opposed by: {', '.join(v.opposed_by) or 'not recorded'}")
    if not v.members_known:
        lines.append("  tally only: the sources do not name every member's vote")
    for vote in VOTES:
        n, names = v.count(vote), v.of(vote)
        unnamed = (n or 0) - len(names)
        listed = ", ".join(names) or ("" if unnamed > 0 or n is None else "-")
        listed += f" (+{unnamed} not named)" if names and unnamed > 0 else ""
        listed += f"{unnamed} not named" if unnamed > 0 and not names else ""
        lines.append(f"  {vote.value} {'?' if n is None else n}: {listed or 'not named'}")
    lines.append(
        f"Article 27(2), {rule.threshold} of {rule.size} needed: recorded "
        f"{'adopted' if v.adopted else 'not adopted'}"
    )
    if v.unconfirmed:
        lines.append(f"UNCONFIRMED: {v.unconfirmed}")
    if v.members_source:
        lines.append(f"Member lists: {v.members_source}")
    lines.append(f"Sources: {'; '.join(v.sources)}")
    if v.note:
        lines.append(f"Note: {v.note}")
    return "\n".join(lines) + "\n"


def _member_votes(who: Country, votes: Sequence[Any], fmt: str, output: str | None) -> None:
    """One row per vote: how the member (as the seat was named that day) voted."""
    from .. import record

    rows = []
    for v in votes:
        name = next(t.country.name for t in record.council_on(v.date) if t.code == who.code)
        cast = v.vote_of(name)
        rows.append({
            "id": v.id, "date": v.date.isoformat(), "topic": v.topic, "kind": v.kind.value,
            "member": name, "vote": cast.value if cast else None, "adopted": v.adopted,
            "proposed_by": list(v.proposed_by), "opposed_by": list(v.opposed_by),
        })  # fmt: skip

    def table() -> str:
        if not rows:
            return f"No recorded vote held while {who.name} sat matches.\n"
        shown = [r | {"vote": r["vote"] or "not named"} for r in rows]
        return to_table(shown, ["id", "member", "vote", "adopted", "kind", "proposed_by"])

    document = {"member": who.name, "code": who.code, "votes": rows}
    publish(fmt, output, document=document, rows=rows, table=table)


def _full_lists(v: Any) -> None:
    """Scenarios and replays need every member's vote, which a tally-only row lacks."""
    if not v.members_known:
        raise UnscSimError(
            f"{v.id}: the sources give only the tally of this vote, not every member's vote"
        )


def _vote_as_scenario(v: Any) -> str:
    import json

    from .. import record

    _full_lists(v)

    def q(text: str) -> str:  # a JSON string is a valid YAML double-quoted scalar
        return json.dumps(text, ensure_ascii=False)

    source = v.meeting or v.sources[0]
    outcome = "adopted" if v.adopted else "not adopted"
    about = (
        f"The Council's recorded procedural vote of {v.date:%d %B %Y} "
        f"({v.meeting or 'meeting record not identified'}): {v.subject}; {outcome} {_tally(v)}."
    )
    about += f" Proposed by {', '.join(v.proposed_by)}." if v.proposed_by else ""
    about += f" Opposed by {', '.join(v.opposed_by)}." if v.opposed_by else ""
    about += f" {v.note}" if v.note else ""
    lines = [
        f"# From the record: unsc-sim history {v.id} --as-scenario",
        f"title: {q(v.subject + ', ' + v.date.isoformat())}",
        f"date: {v.date.isoformat()}",
        "rule: procedural",
        f"topic: {v.topic}",
        f"president: {q(record.president(v.date.year, v.date.month).name)}",
    ]
    for key in ("proposed_by", "opposed_by"):
        names = getattr(v, key)
        lines += [f"{key}: [{', '.join(q(n) for n in names)}]"] if names else []
    lines += [f"description: {q(about)}", "sources:", *(f"  - {q(s)}" for s in v.sources)]
    lines.append("members:")
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
    from .. import record
    from ..charter import decide

    v = record.recorded_vote(vote_id)
    _full_lists(v)
    rule = Rule.on(RuleKind.PROCEDURAL, v.date)
    d = decide(dict(v.votes), rule)
    row = {"id": v.id, "date": v.date.isoformat(), "meeting": v.meeting, "yes": d.tally.yes,
           "no": d.tally.no, "abstain": d.tally.abstain, "absent": d.tally.absent,
           "threshold": rule.threshold, "adopted": d.adopted, "recorded_adopted": v.adopted,
           "agrees": d.adopted == v.adopted, "sources": list(v.sources),
           "unconfirmed": v.unconfirmed or None}  # fmt: skip

    def table() -> str:
        verdict = d.outcome.value
        margin = "vetoed by " + ", ".join(d.vetoed_by) if d.margin is None else f"{d.margin:+d}"
        return (
            f"{v.subject} ({v.date}, {v.meeting or 'meeting record not identified'})\n"
            f"  yes {d.tally.yes}: {', '.join(v.of('yes'))}\n"
            f"  no {d.tally.no}: {', '.join(v.of('no')) or '-'}\n"
            f"  abstain {d.tally.abstain}: {', '.join(v.of('abstain')) or '-'}\n"
            f"  absent {d.tally.absent}: {', '.join(v.of('absent')) or '-'}\n"
            f"Article 27(2), {rule.threshold} of {rule.size}: {verdict} (margin {margin});"
            f" recorded: {'adopted' if v.adopted else 'not adopted'}"
            f" -> {'agrees' if row['agrees'] else 'DISAGREES'}\n"
            f"Sources: {'; '.join(v.sources)}\n"
            + (f"UNCONFIRMED: {v.unconfirmed}\n" if v.unconfirmed else "")
        )

    publish(fmt, output, document=row, rows=[row], table=table)


class _Backtest(click.Command):
    """``backtest --help`` lists what the table's columns mean (from the table's own list)."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from ..record.backtest import MEMBER_COLUMNS, VOTE_COLUMNS

        super().format_help_text(ctx, formatter)
        with formatter.section("Table columns (per vote)"):
            formatter.write_dl(VOTE_COLUMNS)
        with formatter.section("With --members (per member vote)"):
            formatter.write_dl(MEMBER_COLUMNS)


@main.command(cls=_Backtest)
@click.option(
    "--alpha",
    type=click.FloatRange(min=0.0, min_open=True, max=MAX_ALPHA),
    callback=_finite,
    default=None,
    help="Smoothing: pseudo-votes toward the group and all members [default: 1].",
)
@click.option(
    "--half-life",
    type=click.FloatRange(min=0.0, min_open=True),
    callback=_finite,
    default=None,
    help="Years after which a recorded vote weighs half [default: the tuned value].",
)
@click.option(
    "--rho",
    type=click.FloatRange(min=0.0, max=1.0),
    default=None,
    help="Correlation of the members' votes on one motion, for P(adopted) [default: the "
    "tuned value].",
)
@click.option(
    "--topic-weight",
    type=click.FloatRange(min=0.0, min_open=True, max=MAX_ALPHA),
    callback=_finite,
    default=None,
    help="How many times more an earlier vote on the motion's topic weighs [default: tuned].",
)
@click.option(
    "--kind-weight",
    type=click.FloatRange(min=0.0, min_open=True, max=MAX_ALPHA),
    callback=_finite,
    default=None,
    help="How many times more an earlier vote of the motion's kind weighs [default: tuned].",
)
@click.option(
    "--shrink",
    type=click.FloatRange(min=0.0, max=MAX_ALPHA),
    callback=_finite,
    default=None,
    help="Standard deviation of the prior on each sponsor camp's selection offset (0: no "
    "selection term) [default: tuned].",
)
@click.option(
    "--cutoff",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Scores are shown before and from this date; --tune uses only votes before it "
    "[default: 2000-01-01].",
)
@click.option(
    "--with-opposed",
    is_flag=True,
    help="Also read the sides of past votes from opposed_by (the members a source records as "
    "objecting or calling the vote; few rows before 2000 name any).",
)
@click.option(
    "--members",
    "member_level",
    is_flag=True,
    help="CSV/table: one row per member vote instead of one per vote.",
)
@click.option(
    "--tune",
    is_flag=True,
    help="Choose the half-life and the topic and kind weights, then rho and the shrinkage, on "
    "the votes before the cut-off; show every score.",
)
@FORMAT
@OUTPUT
@friendly
def backtest(
    alpha: float | None,
    half_life: float | None,
    rho: float | None,
    topic_weight: float | None,
    kind_weight: float | None,
    shrink: float | None,
    cutoff: Any,
    with_opposed: bool,
    member_level: bool,
    tune: bool,
    fmt: str,
    output: str | None,
) -> None:
    """Predict each recorded procedural vote from the votes strictly before it.

    The model (unsc_sim/priors.py) reads each member's earlier votes with or against the
    members proposing the motion (same topic and kind weighing more), smoothed toward its UN
    regional group and all members; P(adopted) treats the members' votes as a little
    correlated (one bloc, correlation rho) and adds the sponsor camp's selection offset
    (unsc_sim/selection.py), refitted before each vote.
    Baselines: always 0.5, the base rate so far, each member's own past frequency. Scores:
    Brier and log loss of P(adopted) per vote (tally-only rows included); log loss and
    accuracy per member vote (full rows only); a calibration table. Shown whether the model
    does well or not.
    """
    from ..record import backtest as bt
    from ..record import priors, tuning

    day = cutoff.date() if cutoff else bt.CUTOFF
    if tune:
        t = tuning.tune(cutoff=day)
        grid = [
            {**g, "half_life": _years(g["half_life"]),
             **({"topic_alpha": _years(g["topic_alpha"])} if "topic_alpha" in g else {})}
            for g in t.grid
        ]  # fmt: skip
        chosen = (
            f"chosen: half-life {t.half_life:g} years, topic weight {t.topic_weight:g}, kind "
            f"weight {t.kind_weight:g}, member x topic alpha {t.topic_alpha:g} (member log "
            f"loss); rho={t.rho:g}, shrink {t.shrink:g}, slope {t.slope:g} (vote log loss); "
            f"alpha={priors.ALPHA:g} is fixed"
        )
        document = {"cutoff": day.isoformat(), "half_life": _years(t.half_life),
                    "topic_weight": t.topic_weight, "kind_weight": t.kind_weight,
                    "topic_alpha": _years(t.topic_alpha), "rho": t.rho, "shrink": t.shrink,
                    "slope": t.slope}  # fmt: skip
        publish(
            fmt,
            output,
            document={**document, "alpha": priors.ALPHA, "grid": grid},
            rows=grid,
            table=lambda: f"Votes before {day}:\n{to_table(grid)}\n{chosen}\n",
        )
        return
    result = bt.backtest(
        alpha=priors.ALPHA if alpha is None else alpha,
        half_life=priors.HALF_LIFE if half_life is None else half_life,
        rho=priors.RHO if rho is None else rho,
        topic_weight=priors.TOPIC_WEIGHT if topic_weight is None else topic_weight,
        kind_weight=priors.KIND_WEIGHT if kind_weight is None else kind_weight,
        shrink=priors.SHRINK if shrink is None else shrink,
        cutoff=day,
        opposed=with_opposed,
    )
    records = result.member_records if member_level else result.to_records

    def document() -> dict[str, Any]:  # built only for --format json
        return {
            "alpha": result.alpha,
            "half_life": _years(result.half_life),
            "rho": result.rho,
            "topic_weight": result.topic_weight,
            "kind_weight": result.kind_weight,
            "shrink": result.shrink,
            "topic_alpha": _years(result.topic_alpha),
            "slope": result.slope,
            "cutoff": day.isoformat(),
            "sides": "proposed_by and opposed_by" if with_opposed else "proposed_by",
            "scores": [asdict(s) for s in result.scores],
            "calibration": [asdict(b) for b in result.calibration],
            "votes": result.to_records(),
            "member_votes": result.member_records(),
        }

    publish(
        fmt,
        output,
        document=document,
        rows=records,
        table=lambda: bt.format_table(result, members=member_level),
    )


def _years(half_life: float) -> float | None:
    """A half-life for JSON: None for no decay (infinity is not JSON)."""
    return half_life if math.isfinite(half_life) else None
