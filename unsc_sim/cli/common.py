"""Shared pieces of the command layer: the group, common options, and one output path."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable
from typing import Any

import click

from .. import engine
from .. import scenario as scenario_io
from ..errors import UnscSimError
from ..model import Note, Scenario
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
            plain_key_error = isinstance(e, KeyError) and not isinstance(e, UnscSimError)
            message = e.args[0] if plain_key_error and e.args else e
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


_QUIET, _NOTED = "unsc_sim.quiet", "unsc_sim.noted"


def is_quiet() -> bool:
    """Whether ``--quiet`` was given."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.meta.get(_QUIET))


def notes(found: Iterable[Note]) -> None:
    """Print notes on stderr, each once per run (an alias once per name), unless --quiet."""
    ctx = click.get_current_context(silent=True)
    seen: set[tuple[str | None, str]] = ctx.meta.setdefault(_NOTED, set()) if ctx else set()
    for n in found:
        if is_quiet() or (n.field, n.message) in seen:
            continue
        seen.add((n.field, n.message))
        click.echo(f"note: {n}", err=True)


def load(path: str) -> Scenario:
    """Load a scenario and say, on stderr, what was read generously (aliases, rounding)."""
    s = scenario_io.load(path)
    notes(s.notes)
    return s


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="unsc-sim")
@click.option("--quiet", "-q", is_flag=True, help="No notes on standard error (errors still show).")
@click.pass_context
def main(ctx: click.Context, quiet: bool) -> None:
    """Simulate UN Security Council votes under Article 27 of the Charter.

    A scenario file (YAML) lists the fifteen members, each with a stance (a sure vote or
    probabilities) and its source; `unsc-sim run` applies the rules to it and to its
    hypotheticals. Start with:

    \b
      unsc-sim run scenarios/2018-12-dprk-human-rights.yaml
      unsc-sim members scenarios/2018-12-dprk-human-rights.yaml
      unsc-sim run scenarios/2018-12-dprk-human-rights.yaml --set "Ivory Coast=yes"
    """
    ctx.meta[_QUIET] = quiet


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
