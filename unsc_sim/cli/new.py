"""Drafting a scenario from the record: new."""

from __future__ import annotations

from typing import Any

import click

from .common import emit, friendly, main


@main.command()
@click.option(
    "--date",
    "day",
    required=True,
    type=click.DateTime(["%Y-%m-%d"]),
    help="The day of the vote (YYYY-MM-DD, any day whose Council is on record: 1946-2027): "
    "its Council and president.",
)
@click.option(
    "--proposed-by",
    "proposed_by",
    required=True,
    multiple=True,
    metavar="MEMBER",
    help="A member proposing the motion or requesting the meeting (repeatable).",
)
@click.option(
    "--opposed-by",
    "opposed_by",
    multiple=True,
    metavar="MEMBER",
    help="A member objecting to it (repeatable).",
)
@click.option(
    "--topic",
    default=None,
    help="A topic of the record (dprk, syria, ...; any case): earlier votes on it weigh more.",
)
@click.option(
    "--kind",
    default=None,
    help="What the vote decides (agenda, invitation, adjournment, postponement, "
    "procedural-resolution, other): earlier votes of that kind weigh more.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the scenario to this file (atomically) instead of standard output.",
)
@friendly
def new(
    day: Any,
    proposed_by: tuple[str, ...],
    opposed_by: tuple[str, ...],
    topic: str | None,
    kind: str | None,
    output: str | None,
) -> None:
    """Draft a scenario for a procedural vote from the record.

    Every member of that day's Council gets its prior from the recorded votes before the
    date, relative to the members proposing (and opposing) the motion and weighing votes on
    the same topic and kind more, as probabilities with `basis: prior` and a note naming the
    votes; the description adds the backtested P(adopted), with the sponsor camp's selection
    offset. The president comes from the rotation; a hypothetical to edit is included. The
    file validates and runs as written:

    \b
      unsc-sim new --date 2026-12-10 --proposed-by "United States" -o dprk.yaml
      unsc-sim run dprk.yaml
    """
    from ..record.new_scenario import draft

    text = draft(day.date(), proposed_by=proposed_by, opposed_by=opposed_by, topic=topic, kind=kind)
    emit(text, output)
