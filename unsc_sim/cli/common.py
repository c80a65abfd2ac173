"""Shared pieces of the command layer: the group, common options, and one output path."""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import click

from ..engine import DEFAULT_DRAWS, DEFAULT_TRIALS, MAX_TRIALS  # the library's, the CLI's
from ..errors import OutputError, UnscSimError, one_line, printable
from ..files import Whole
from ..model import Scenario
from ..notes import Level, Note
from ..output.formats import (
    Block,
    Content,
    Format,
    stream_csv,
    stream_json,
    to_csv,
    to_json,
    write_atomic,
)

# Documented limits (README, "Limits"): bounds on the work one command line may ask for.
STDOUT = ("-", "/dev/stdout")  # -o values meaning standard output
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
EXIT_TERMINATED = 143  # 128 + SIGTERM

_FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in Format], case_sensitive=False),
    default=None,
    help="table for people; json or csv for scripts [default: from the -o file's extension "
    "(.json, .csv; anything else a table), else table].",
)
FORMAT_OF_SUFFIX = {".json": Format.JSON, ".csv": Format.CSV}


def output_format(fmt: str | None, output: str | None) -> str:
    """The format asked for, else the one the output file's extension names (``.json``,
    ``.csv``), else a table (``.txt``, no extension, standard output)."""
    if fmt is not None:
        return fmt
    suffix = os.path.splitext(output or "")[1].lower()
    return FORMAT_OF_SUFFIX.get(suffix, Format.TABLE).value


def FORMAT(func: Callable[..., Any]) -> Callable[..., Any]:
    """The ``--format`` option; the command receives the format ``output_format`` chose."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        kwargs["fmt"] = output_format(kwargs.get("fmt"), kwargs.get("output"))
        return func(*args, **kwargs)

    return _FORMAT_OPTION(wrapper)


OUTPUT = click.option(
    "-o",
    "--output",
    metavar="FILE",
    default=None,
    help="Write to this file (atomically) instead of standard output ('-': standard output).",
)


def _remember_sources(ctx: click.Context, _param: Any, value: tuple[str, ...]) -> None:
    ctx.meta["unsc_sim.sources"] = tuple(value)


SOURCES = click.option(
    "--sources",
    multiple=True,
    metavar="DIR",
    type=click.Path(file_okay=False),
    expose_value=False,
    callback=_remember_sources,
    help="Also look for cited source files in DIR (repeatable): any folder, a project's "
    "seeds/ folder itself or the project holding it. By default only the scenario's folder "
    "and its project's seeds/ are read.",
)


class _Terminated(BaseException):
    """SIGTERM, raised so that a temporary output file is removed on the way out."""


# Each command's module, imported only when the command runs (or for --help): start-up reads
# only what one command needs.
COMMANDS = {
    "backtest": "backtest", "history": "record", "members": "run", "new": "new",
    "plot": "plots", "power": "power", "replay": "record", "report": "explorer",
    "roster": "record", "run": "run", "schema": "run", "sweep": "analysis",
    "swing": "analysis", "validate": "run", "whatif": "analysis",
}  # fmt: skip


class Group(click.Group):
    """The command group, with usage errors on one line like every other error; each
    command's module is imported when the command is asked for (``COMMANDS``)."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(f"{__package__}.{COMMANDS[cmd_name]}")
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMANDS))

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        with _one_line_usage():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        with _one_line_usage():
            return super().invoke(ctx)


class _UsageLine(click.ClickException):
    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"unsc-sim: error: {self.message}", err=True)


@contextlib.contextmanager
def _one_line_usage() -> Iterator[None]:
    try:
        yield
    except click.exceptions.NoArgsIsHelpError:
        raise
    except click.UsageError as e:
        where = f" (see '{e.ctx.command_path} --help')" if e.ctx is not None else ""
        raise _UsageLine(" ".join(e.format_message().split()) + where) from None


def friendly(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into one-line messages and exit code 2, without a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except OutputError as e:  # the work was done but could not be written: not bad input
            click.echo(f"unsc-sim: error: {one_line(str(e))}", err=True)
            sys.exit(1)
        except (UnscSimError, KeyError, ValueError) as e:
            plain_key_error = isinstance(e, KeyError) and not isinstance(e, UnscSimError)
            message = e.args[0] if plain_key_error and e.args else e
            click.echo(f"unsc-sim: error: {one_line(str(message))}", err=True)
            sys.exit(2)
        except KeyboardInterrupt:
            click.echo("unsc-sim: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except _Terminated:
            click.echo("unsc-sim: terminated", err=True)
            sys.exit(EXIT_TERMINATED)

    return wrapper


def emit(content: Content, output: str | None, inputs: tuple[str, ...] = ()) -> None:
    """The one way out for data: standard output (no ``-o``, ``-o -``, ``-o /dev/stdout``), or
    a regular file written atomically that is none of the command's inputs (the files named
    and every file a loaded scenario read). ``content`` is text, text in chunks (streamed as
    it is made) or a writer of bytes. Failures raise ``OutputError``.
    """
    if output is None or output in STDOUT:
        _to_stdout(content)
        return
    ctx = click.get_current_context(silent=True)
    read = tuple(ctx.meta.get("unsc_sim.inputs", ())) if ctx is not None else ()
    with _terminate_cleanly():
        write_atomic(output, content, protect=(*inputs, *read))


def _to_stdout(content: Content) -> None:
    stream = sys.stdout
    if stream is None:  # started with standard output closed (>&-)
        raise OutputError("cannot write to standard output: it is closed")
    try:
        stream.flush()
        out = Whole(stream.buffer)  # a short write is an error, not a lost tail
        if callable(content):
            content(out)
        else:
            for chunk in [content] if isinstance(content, str) else content:
                out.write(chunk.encode(stream.encoding, stream.errors or "strict"))
                out.flush()  # a full disk or a closed pipe is seen here, not at exit
        out.flush()
    except (OSError, ValueError) as e:
        # Point standard output at /dev/null so that the exit's own flush stays silent.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
            os.close(devnull)
        reason = getattr(e, "strerror", None) or e
        raise OutputError(f"cannot write to standard output: {reason}") from None


@contextlib.contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """While an output is written, SIGTERM unwinds (removing the temporary file) like Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum: int, _frame: Any) -> None:
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def publish(
    fmt: str,
    output: str | None,
    *,
    document: Any,
    rows: list[dict[str, Any]] | Callable[[], list[dict[str, Any]]],
    table: Callable[[], str],
    inputs: tuple[str, ...] = (),
) -> None:
    """Emit the JSON document, the CSV rows, or the text table, as ``--format`` asks
    (``document`` and ``rows`` may be functions, called only for their format)."""
    if fmt == Format.JSON:
        text = to_json(document() if callable(document) else document)
    elif fmt == Format.CSV:
        text = to_csv(rows() if callable(rows) else rows)
    else:
        text = printable(table())  # no terminal escape from a title or a name runs
    emit(text, output, inputs)


_QUIET, _NOTED = "unsc_sim.quiet", "unsc_sim.noted"


def is_quiet() -> bool:
    """Whether ``--quiet`` was given."""
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.meta.get(_QUIET))


def notes(found: Iterable[Note]) -> None:
    """Print notes on stderr, each once per run (an alias once per name): those of level note
    unless --quiet, warnings always."""
    ctx = click.get_current_context(silent=True)
    seen: set[tuple[str | None, str]] = ctx.meta.setdefault(_NOTED, set()) if ctx else set()
    for n in found:
        if (n.level is Level.NOTE and is_quiet()) or (n.field, n.message) in seen:
            continue
        seen.add((n.field, n.message))
        click.echo(f"{n.level.value}: {one_line(str(n))}", err=True)


def publish_stream(
    fmt: str,
    output: str | None,
    *,
    head: dict[str, Any],
    key: str,
    fields: Sequence[str],
    blocks: Callable[[], Iterable[Block]],
    table: Callable[[], Iterable[str]],
    inputs: tuple[str, ...] = (),
) -> None:
    """``publish`` for long row sets, written as they are formatted: the JSON document is
    ``{**head, key: [records]}``, the CSV has ``fields`` as header (rows come in ``blocks``
    of columns, see ``report.stream_json``), and ``table`` yields text."""
    if fmt == Format.JSON:
        chunks = stream_json(head, key, fields, blocks())
    elif fmt == Format.CSV:
        chunks = stream_csv(fields, blocks())
    else:
        chunks = map(printable, table())
    emit(chunks, output, inputs)


def progress_bar(total: int, unit: str) -> Any:
    """A progress bar on standard error, shown only on a terminal and only after a second
    (so short work stays silent); ``total=0`` (or ``--quiet``) gives one that shows nothing,
    without importing tqdm (it would double the start-up time of ``unsc-sim run``)."""
    if not total or is_quiet():
        return _NoBar()
    from tqdm import tqdm

    # disable=None: tqdm's "only when stderr is a terminal"
    options = {"unit": unit, "unit_scale": True, "leave": False, "delay": 1}
    return tqdm(total=total, disable=None, file=sys.stderr, **options)


class _NoBar:
    """The progress bar of work too short (or too quiet) to show one."""

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *_exc: object) -> None:
        return None

    def update(self, _n: int = 1) -> None:
        return None


def load(path: str) -> Scenario:
    """Load a scenario (with the ``--sources`` folders), say on stderr what was read
    generously (aliases, rounding) and what it warns about, and note the files it read so
    no output replaces them."""
    ctx = click.get_current_context(silent=True)
    meta = ctx.meta if ctx is not None else {}
    from .. import scenario as scenario_io  # here: record commands start without it

    s = scenario_io.load(path, sources=meta.get("unsc_sim.sources", ()))
    meta.setdefault("unsc_sim.inputs", []).extend(s.files)
    notes(s.notes)
    return s


@click.group(
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
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
    type=click.IntRange(min=1, max=MAX_TRIALS),
    default=None,
    help=f"Monte Carlo trials, only for blocs beyond the exact engine [default: "
    f"{DEFAULT_TRIALS:,}; {DEFAULT_DRAWS:,} weighted draws when conditioning on reports].",
)
SEED = click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=None,
    help="Seed for Monte Carlo (only for blocs beyond the exact engine).",
)


def records_out(
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
