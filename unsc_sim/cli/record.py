"""The record: roster, history, replay, backtest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import click

from ..countries import Country, resolve
from ..errors import UnscSimError
from ..model import VOTES, Rule, RuleKind
from ..output.formats import to_table
from ..record.as_scenario import scenario_text, tally_text
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
        emit(scenario_text(record.recorded_vote(vote_id)), output)
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
        "result": f"{outcome} {tally_text(v)}",
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
    if not v.members_known:
        _replay_tally(v, fmt, output)
        return
    rule = Rule.on(RuleKind.PROCEDURAL, v.date)
    d = decide(dict(v.votes), rule)
    row = {"id": v.id, "date": v.date.isoformat(), "meeting": v.meeting, "yes": d.tally.yes,
           "no": d.tally.no, "abstain": d.tally.abstain, "absent": d.tally.absent,
           "threshold": rule.threshold, "adopted": d.adopted, "recorded_adopted": v.adopted,
           "agrees": d.adopted == v.adopted, "tally_only": False, "sources": list(v.sources),
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


def _replay_tally(v: Any, fmt: str, output: str | None) -> None:
    """A tally-only vote replayed as evidence: the named members as recorded, the others from
    their record priors given the tally, each with its posterior (labelled inferred)."""
    from ..engine.simulation import simulate
    from ..output.words import adopted_cell, probabilities_text
    from ..record.as_scenario import replay_members
    from ..scenario import loads
    from .common import notes

    s = loads(scenario_text(v), file=f"<history {v.id} --as-scenario>")
    notes(n for n in s.notes if n.field != "default")  # the record bloc is said in the table
    r = simulate(s)
    members = replay_members(v, r)
    adopted = adopted_cell(r)
    counts = {x.value: v.count(x) for x in VOTES}
    row = {"id": v.id, "date": v.date.isoformat(), "meeting": v.meeting, **counts,
           "threshold": s.rule.threshold, "adopted": adopted, "p_adopted": r.p_adopted,
           "recorded_adopted": v.adopted, "agrees": adopted == v.adopted, "tally_only": True,
           "members": members, "sources": list(v.sources),
           "unconfirmed": v.unconfirmed or None}  # fmt: skip

    def table() -> str:
        named = sum(m["basis"] == "recorded" for m in members)
        grid = to_table([
            {"member": m["member"], "recorded": m["vote"] or "not named", "basis": m["basis"],
             "given the tally": probabilities_text(list(m["posterior"].values()))}
            for m in members
        ])  # fmt: skip
        said = {True: "adopted", False: "not adopted"}.get(
            adopted, f"adopted with probability {r.p_adopted:.2f}"
        )
        return (
            f"{v.subject} ({v.date}, {v.meeting or 'meeting record not identified'})\n"
            f"  tally only: {tally_text(v)}; the sources name {named} of {s.rule.size} votes. "
            "The others are inferred: each member's prior from the recorded votes before the "
            "day, given the tally.\n\n"
            f"{grid}\n"
            f"Article 27(2), {s.rule.threshold} of {s.rule.size}: {said} ({tally_text(v)});"
            f" recorded: {'adopted' if v.adopted else 'not adopted'}"
            f" -> {'agrees' if row['agrees'] else 'DISAGREES'}\n"
            f"Sources: {'; '.join(v.sources)}\n"
            + (f"UNCONFIRMED: {v.unconfirmed}\n" if v.unconfirmed else "")
        )

    rows = [
        {"id": v.id, "member": m["member"], "vote": m["vote"], "basis": m["basis"]}
        | {f"p_{k}": p for k, p in m["posterior"].items()}
        for m in members
    ]
    publish(fmt, output, document=row, rows=rows, table=table)
