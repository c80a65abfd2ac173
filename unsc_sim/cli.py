"""The ``unsc-sim`` command: a thin click layer over the library."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
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


RUN_COLUMNS = (
    "hypothetical",
    "yes",
    "no",
    "abstain",
    "absent",
    "adopted",
    "margin",
    "p_adopted",
    "pivotal",
)


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
    if fmt == Format.JSON:
        text = to_json(document)
    elif fmt == Format.CSV:
        text = to_csv(
            [
                {k: v for k, v in r.items() if k not in ("distribution", "most_likely")}
                for r in records
            ]
        )
    else:
        text = _run_table(s, records)
    emit(text, output, (scenario_file,))


def _run_table(s: Scenario, records: list[dict[str, Any]]) -> str:
    article = "27(3), with veto" if s.rule.veto else "27(2)"
    head = [
        s.title,
        f"{s.rule.kind.value} vote (Art. {article}): {s.rule.threshold} of {s.rule.size} needed"
        + (f"; president: {s.president}" if s.president else ""),
        "",
    ]
    rows = []
    for r in records:
        row = {c: r.get(c) for c in RUN_COLUMNS}
        for c in ("yes", "no", "abstain", "absent"):
            if isinstance(row[c], float):
                row[c] = f"{row[c]:.2f}"
        row["p_adopted"] = f"{r['p_adopted']:.4f}"
        if r["p_adopted_se"] is not None:
            row["p_adopted"] += f" ± {r['p_adopted_se']:.4f}"
        rows.append(row)
    notes = []
    for r in records:
        if r["vetoed_by"]:
            notes.append(f"{r['hypothetical']}: vetoed by {', '.join(r['vetoed_by'])}")
        if r["obliged_to_abstain"]:
            notes.append(
                f"{r['hypothetical']}: Art. 27(3) proviso, abstaining as parties: "
                f"{', '.join(r['obliged_to_abstain'])}"
            )
    return (
        "\n".join(head)
        + "\n"
        + to_table(rows)
        + "".join(f"\n{n}" for n in notes)
        + ("\n" if notes else "")
    )


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
    if fmt == Format.JSON:
        text = to_json({"title": s.title, "members": rows})
    elif fmt == Format.CSV:
        text = to_csv(rows)
    else:
        text = _members_text(s, rows)
    emit(text, output, (scenario_file,))


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
