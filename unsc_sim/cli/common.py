"""Shared pieces of the command layer: the group, common options, and one output path."""

from __future__ import annotations

import functools
import sys
import warnings
from collections.abc import Callable
from typing import Any

import click

from .. import engine
from .. import scenario as scenario_io
from ..errors import ScenarioWarning, UnscSimError
from ..model import Scenario
from ..report import Format, to_csv, to_json, write_atomic

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
    """Load a scenario and say, on stderr, how alias names were read and what looks amiss."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ScenarioWarning)
        s = scenario_io.load(path)
    for w in caught:
        click.echo(f"warning: {w.message}", err=True)
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
