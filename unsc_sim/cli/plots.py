"""Figures: unsc-sim plot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .. import engine
from .. import scenario as scenario_io
from ..analysis.sweep import DEFAULT_STEPS
from ..errors import UnscSimError
from ..notes import Note
from .common import SEED, SOURCES, TRIALS, emit, friendly, load, main, notes

FIGURE_FORMATS = (".png", ".svg", ".pdf")
# Variants one distribution figure can tell apart: one color each (plots.SERIES), bars still
# wide enough to read. A file of 1,000 hypotheticals is refused before any is computed.
MAX_FIGURE_VARIANTS = 6
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

    emit(save, output, protect)


@main.command()
@click.argument(
    "scenario_files",
    metavar="SCENARIO...",
    nargs=-1,
    type=click.Path(dir_okay=False),
)
@click.option(
    "--kind",
    type=click.Choice(
        ["distribution", "chamber", "swing", "sweep", "history", "calibration"],
        case_sensitive=False,
    ),
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
    "uncertain member with the largest swing, else the member with the largest swing).",
)
@click.option(
    "--steps",
    type=click.IntRange(min=2, max=201),
    default=DEFAULT_STEPS,
    show_default=True,
    help="sweep: grid points per member.",
)
@click.option(
    "--by",
    type=click.Choice(["vote", "p_yes"], case_sensitive=False),
    default="vote",
    show_default=True,
    help="chamber: color seats by vote or by P(yes).",
)
@TRIALS
@SEED
@SOURCES
@click.option(
    "-o",
    "--output",
    required=True,
    metavar="FILE",
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
    trials: int | None,
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
    history       the recorded votes on the scenarios' `topic:` year by year, with each
                  SCENARIO's baseline by its date (several SCENARIOs allowed); "no vote
                  held" only for a scenario that says `vote_held: false`
    calibration   the priors' backtest: predicted probability against observed frequency
                  (no SCENARIO)
    """
    from .. import analysis
    from ..output import plots

    if not output.lower().endswith(FIGURE_FORMATS):
        raise UnscSimError(f"{output}: unknown figure format (use .png, .svg or .pdf)")
    if kind == "calibration":
        if scenario_files or names or members:
            raise UnscSimError("--kind calibration takes no SCENARIO, -H or --vary")
        from ..record.backtest import backtest
        from ..record.tuning import PREVIOUS

        _save_figure(plots.calibration(backtest(), before=backtest(**PREVIOUS)), output, ())
        return
    if not scenario_files:
        raise click.UsageError(f"--kind {kind} needs a SCENARIO")
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
        count = len(names) or 1 + len(s.hypotheticals)
        if count > MAX_FIGURE_VARIANTS:
            raise UnscSimError(
                f"{scenario_files[0]}: {count:,} variants; a distribution figure shows at most "
                f"{MAX_FIGURE_VARIANTS} (choose some with -H NAME, or use `unsc-sim run`)"
            )
        results = engine.run(s, list(names) or None, **options)
        fig = plots.distribution(results, title=s.title, source=source)
    elif kind == "chamber":
        result = engine.simulate(s, name, **options)
        fig = plots.chamber(result, president=s.president, by=by, title=s.title, source=source)  # type: ignore[arg-type]
    elif kind == "swing":
        result = analysis.swing(s, name, **options)
        fig = plots.swing(result, title=s.title, source=source)
    elif kind == "sweep":
        found: list[Note] = []
        vary = scenario_io.resolve_members(members, s, option="--vary", notes=found)
        notes(found)
        vary = vary or [analysis.swing(s, name, **options).most_pivotal()]
        result = analysis.sweep(s, vary, hypothetical=name, steps=steps, **options)
        fig = plots.sweep(result, title=s.title, source=source)
    else:
        fig = _history_figure(scenario_files, scenarios)
    _save_figure(fig, output, scenario_files)


def _history_figure(paths: tuple[str, ...], scenarios: list[Any]) -> Any:
    """The recorded votes of the scenarios' topic, with each scenario's baseline by its date."""
    from ..output import plots
    from ..record.votes import TOPICS, recorded_votes

    for path, s in zip(paths, scenarios):
        if s.date is None:
            raise UnscSimError(f"{path}: history needs the scenario's date")
        if s.topic is None:
            raise UnscSimError(
                f"{path}: history needs the scenario's topic, e.g. `topic: dprk` "
                "(`unsc-sim history` lists the topics on record)"
            )
    topics = sorted({s.topic for s in scenarios})
    if len(topics) > 1:
        raise UnscSimError(f"history draws one topic; the scenarios have {', '.join(topics)}")
    votes = recorded_votes(topic=topics[0]) if topics[0] in TOPICS else ()
    if not votes:
        known = ", ".join(sorted({v.topic for v in recorded_votes()}))
        raise UnscSimError(
            f"{paths[0]}: no recorded votes on topic {topics[0]!r} (topics on record: {known})"
        )
    title = f"Procedural votes on the record, topic “{topics[0]}”"
    return plots.history(votes, scenarios=scenarios, title=title)
