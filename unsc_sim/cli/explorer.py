"""The explorer page: unsc-sim report."""

from __future__ import annotations

import click

from ..output.explorer import render
from .common import HYPOTHETICAL, OUTPUT, SEED, SOURCES, TRIALS, emit, friendly, load, main


@main.command()
@click.argument("scenario_file", metavar="SCENARIO", type=click.Path(dir_okay=False))
@HYPOTHETICAL
@TRIALS
@SEED
@SOURCES
@OUTPUT
@friendly
def report(
    scenario_file: str, name: str | None, trials: int | None, seed: int | None, output: str | None
) -> None:
    """Write the interactive vote explorer of SCENARIO: one self-contained HTML page.

    \b
    The page draws the chamber, the tally against the threshold, P(adopted), the pivotal
    members, the distribution of yes votes and the evidence for every stance. Clicking a
    seat (or Enter/Space on it) changes its vote and the page recomputes at once, exactly,
    with no network access; the address records the changes, to share them as a link.
      unsc-sim report scenarios/2018-12-dprk-human-rights.yaml -o 2018.html
    """
    s = load(scenario_file)
    page = render(s, name, trials=trials, seed=seed)
    emit(page, output, (scenario_file,))
