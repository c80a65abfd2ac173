"""Scenario commands: run, validate, members, schema."""

from __future__ import annotations

import re
import sys
from typing import Any

import click

from .. import engine
from .. import scenario as scenario_io
from ..engine.choose import trials_for
from ..engine.simulation import report_record
from ..errors import UnscSimError
from ..model import VOTES, Scenario
from ..notes import Level, Note
from ..output import words
from ..output.formats import to_table
from .common import (
    FORMAT,
    MAX_TRIALS,
    OUTPUT,
    SOURCES,
    emit,
    friendly,
    load,
    main,
    notes,
    progress_bar,
    publish,
)

VOTE_WORDS = tuple(v.value for v in VOTES)
RUN_COLUMNS = ("hypothetical", "yes", "no", "abstain", "absent", "adopted", "margin", "p_adopted")


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
    type=click.Choice([m.value for m in engine.Method], case_sensitive=False),
    default="auto",
    show_default=True,
    help="exact integrates blocs too (up to three correlated at a time); auto uses it "
    "whenever it applies, else montecarlo.",
)
@click.option(
    "--trials",
    type=click.IntRange(min=1, max=MAX_TRIALS),
    default=None,
    help=f"Monte Carlo trials [default: {engine.DEFAULT_TRIALS:,}; {engine.DEFAULT_DRAWS:,} "
    "weighted draws when conditioning on reports].",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=None,
    help="Seed for Monte Carlo (the same seed gives the same output).",
)
@SOURCES
@FORMAT
@OUTPUT
@friendly
def run(
    scenario_file: str,
    names: tuple[str, ...],
    settings: tuple[str, ...],
    method: str,
    trials: int | None,
    seed: int | None,
    fmt: str,
    output: str | None,
) -> None:
    """Apply Article 27 to a scenario's baseline and hypotheticals.

    For each variant: the tally, the threshold, whether it is adopted and by what margin (a
    vetoed motion shows "vetoed", never a margin), P(adopted) (and, under the veto,
    P(vetoed)), and the pivotal members: those whose own vote decides the outcome (a yes
    voter whose abstention would fail the motion; a non-yes voter whose yes would pass it; a
    permanent member whose "no" would veto it), with why. Exit status 0 whatever the outcome.
    """
    s = load(scenario_file)
    found: list[Note] = []
    changes = scenario_io.parse_assignments(settings, s, notes=found)
    notes(found)
    for name in names:
        s.variant(name)  # fail early, with the list of known names
    sampled = method == "montecarlo" or (method == "auto" and bool(s.blocs))
    variants = (len(names) or 1 + len(s.hypotheticals)) + bool(changes)
    per = trials_for(trials, weighted=bool(s.reported))
    with progress_bar(variants * per if sampled and not s.reported else 0, "trial") as bar:
        results = engine.run(
            s,
            list(names) or None,
            changes=changes,
            method=method,
            trials=trials,
            seed=seed,
            progress=bar.update,
        )
    records = [words.record(r) for r in results]
    for r, record in zip(results, records):
        record["adopted"] = words.adopted_cell(r)
    document = {
        "title": s.title,
        "date": s.date.isoformat() if s.date else None,
        "rule": s.rule.kind.value,
        "council_size": s.rule.size,
        "threshold": s.rule.threshold,
        "president": s.president,
        "vote_held": s.vote_held,
        "reported": records[0].get("reported", []) if records else [],
        "results": records,
    }

    def table() -> str:
        return _run_table(s, results, records)

    publish(
        fmt,
        output,
        document=document,
        rows=[
            {k: v for k, v in r.items() if k not in ("distribution", "most_likely")}
            for r in records
        ],
        table=table,
        inputs=(scenario_file,),
    )


PIVOTAL_HEADING = (
    "Pivotal members, whose own vote decides the outcome (sure votes: how; uncertain ones:\n"
    "P(its vote decides) = P(adopted | it votes yes) - P(adopted | it votes no), when >= 0.5):"
)


def _run_table(s: Scenario, results: list[engine.Result], records: list[dict[str, Any]]) -> str:
    article = "27(3), with veto" if s.rule.veto else "27(2)"
    president = f"; president: {s.president}" if s.president else ""
    lines = [
        s.title,
        f"{s.rule.kind.value} vote (Art. {article}): {s.rule.threshold} of {s.rule.size} "
        f"needed{president}",
        *filter(None, (words.vote_held_line(s), words.reported_line(s))),
        "",
    ]
    columns = RUN_COLUMNS + (("p_vetoed",) if s.rule.veto else ())
    rows = []
    fractional = False
    for result, r in zip(results, records):
        row = {c: r.get(c) for c in columns}
        for c in ("yes", "no", "abstain", "absent"):  # expected counts when uncertain
            value = words.count_cell(result, c)
            fractional |= isinstance(value, float)
            row[c] = f"{value:.2f}" if isinstance(value, float) else str(value)
        if r["outcome"] == "vetoed":  # it had the votes: a count margin would read as success
            row["margin"] = "vetoed"
        row["p_adopted"] = f"{r['p_adopted']:.4f}"
        if r["p_adopted_se"] is not None:
            row["p_adopted"] += f" ± {r['p_adopted_se']:.4f}"
        if s.rule.veto:
            row["p_vetoed"] = f"{r['p_vetoed']:.4f}"
        rows.append(row)
    lines.append(to_table(rows, right=(*columns[1:5], "margin", "p_adopted", "p_vetoed")))
    if fractional:
        lines.append(words.EXPECTED_NOTE)
    lines.append("")
    lines += [_wrap(f"{r['hypothetical']}: {r['verdict']}") for r in records]
    lines.append("")
    lines.append(PIVOTAL_HEADING)
    lines += [_wrap(f"{r.hypothetical}: {words.pivots_text(r)}") for r in results]
    for r in records:
        if r["vetoed_by"]:
            lines.append(
                f"{r['hypothetical']}: vetoed by {', '.join(r['vetoed_by'])} "
                f"({r['yes']} yes votes, {r['threshold']} needed)"
            )
        if r["obliged_to_abstain"]:
            parties = ", ".join(r["obliged_to_abstain"])
            lines.append(
                f"{r['hypothetical']}: Art. 27(3) proviso, abstaining as parties: {parties}"
            )
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int = 100) -> str:
    """Wrap after commas, semicolons and full stops, and before a parenthesis, never
    inside a name."""
    pieces = re.split(r"(?<=[,;:.]) | (?=\()", text)
    lines, line = [], "  "
    for piece in pieces:
        if len(line) + len(piece) > width and line.strip():
            lines.append(line.rstrip())
            line = "    "
        line += piece + " "
    return "\n".join([*lines, line.rstrip()])


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@FORMAT
@OUTPUT
@click.option(
    "--strict", is_flag=True, help="Exit status 2 on warnings too (such as a quote not verified)."
)
@SOURCES
@friendly
def validate(files: tuple[str, ...], fmt: str, output: str | None, strict: bool) -> None:
    """Load and check scenario files, citations included (every quote must be in its source).

    Checks every file and reports each: `FILE: ok (...)` on standard output, or its error on
    standard error (with --format json or csv, both in the output); warnings go to standard
    error (a quote from a URL or a UN document symbol cannot be checked here: "quote not
    verified"). Exit status 2 if any file has an error, or with --strict a warning.
    """
    rows = [_check_file(path) for path in files]
    if strict:
        for r in rows:
            if r["ok"] and r["warnings"]:
                count = len(r["warnings"])
                error = f"{r['file']}: {count} warning{'s' if count > 1 else ''} with --strict"
                r |= {"ok": False, "error": error}
    failed = [r for r in rows if not r["ok"]]

    def table() -> str:
        return "".join(f"{r['file']}: ok ({_summary(r)})\n" for r in rows if r["ok"])

    if fmt == "table":
        for r in failed:
            click.echo(f"unsc-sim: error: {r['error']}", err=True)
    document = {"ok": not failed, "files": rows}
    publish(fmt, output, document=document, rows=rows, table=table, inputs=files)
    if failed:
        sys.exit(2)


def _check_file(path: str) -> dict[str, Any]:
    """One file's result: counts and notes, or the error (one line) and where it is."""
    record: dict[str, Any] = {"file": path, "ok": True, "members": None, "hypotheticals": None,
                              "unsourced": [], "notes": [], "warnings": [], "error": None,
                              "line": None, "column": None, "field": None}  # fmt: skip
    try:
        s = load(path)
    except UnscSimError as e:
        record |= {"ok": False, "error": str(e)}
        record |= {k: getattr(e, k, None) for k in ("line", "column", "field")}
        return record
    record |= {
        "members": len(s.members),
        "hypotheticals": len(s.hypotheticals),
        "unsourced": [m.name for m in s.members if m.stance.basis is None],
        "notes": [str(n) for n in s.notes if n.level is Level.NOTE],
        "warnings": [str(n) for n in s.warnings],
    }
    return record


def _summary(r: dict[str, Any]) -> str:
    def count(n: int, what: str) -> str:
        return f"{n} {what}{'' if n == 1 else 's'}"

    text = f"{count(r['members'], 'member')}, {count(r['hypotheticals'], 'hypothetical')}"
    if r["unsourced"]:
        text += f"; {count(len(r['unsourced']), 'stance')} without a source"
    return text


@main.command()
@click.argument("scenario_file", metavar="SCENARIO", type=click.Path(dir_okay=False))
@click.option("--hypothetical", "-H", "name", default=None, help="Show a hypothetical's stances.")
@SOURCES
@FORMAT
@OUTPUT
@friendly
def members(scenario_file: str, name: str | None, fmt: str, output: str | None) -> None:
    """Each member's stance with its basis, source and quote.

    JSON gives every member's probabilities (`p`) and, for a prior from the record
    (`default: record`), the recorded votes it rests on (`from_votes`).
    """
    loaded = load(scenario_file)
    s = loaded.variant(name)
    posterior = engine.simulate(loaded, seed=0).posterior if loaded.reported else ()
    rows = [{
        "member": m.name,
        "permanent": m.permanent,
        "president": m.name == s.president,
        "stance": m.stance.describe(),
        "p": dict(zip(VOTE_WORDS, m.stance.probabilities)),
        "basis": m.stance.basis.value if m.stance.basis else "unsourced",
        "source": m.stance.source,
        "quote": m.stance.quote,
        "note": m.stance.note,
        "from_votes": list(m.stance.from_votes),
    } for m in s.members]  # fmt: skip
    if posterior:  # who were the eight? each member's P(vote | reports), highest P(yes) first
        for row, post in zip(rows, posterior):
            row["posterior"] = dict(zip(VOTE_WORDS, post))
        rows.sort(key=lambda r: -r["posterior"]["yes"])

    def table() -> str:
        return _members_text(s, rows)

    flat = [
        {
            **{k: v for k, v in r.items() if k not in ("p", "from_votes")},
            **{f"p_{v}": p for v, p in r["p"].items()},
            **{f"posterior_{v}": p for v, p in r.get("posterior", {}).items()},
            "from_votes": "; ".join(r["from_votes"]),
        }
        for r in rows
    ]
    sides = {"proposed_by": list(s.proposed_by), "opposed_by": list(s.opposed_by)}
    reported = [report_record(r) for r in loaded.reported]
    publish(
        fmt,
        output,
        document={"title": s.title, **sides, "reported": reported, "members": rows},
        rows=flat,
        table=table,
        inputs=(scenario_file,),
    )


def _members_text(s: Scenario, rows: list[dict[str, Any]]) -> str:
    keys = ("member", "permanent", "president", "stance", "basis")
    cells = [{k: r[k] for k in keys} for r in rows]
    if s.reported:
        for cell, r in zip(cells, rows):
            cell["given the reports"] = words.probabilities_text(list(r["posterior"].values()))
    table = to_table(cells)
    reported = words.reported_line(s)
    if reported:
        table += (
            f"{reported}: 'given the reports' is each member's P(vote | reports), "
            "the members by P(yes), highest first\n"
        )
    evidence = []
    for r in rows:
        lines = [f"  {r['member']}: {r['stance']} ({r['basis']})"]
        if r["source"]:
            lines.append(f"    source: {r['source']}")
        if r["quote"]:
            # verbatim, without added quote marks: the quote may hold its own (“yes” votes)
            lines.append(f"    quote:  {r['quote']}")
        if r["note"]:
            lines.append(f"    note:   {r['note']}")
        evidence.append("\n".join(lines))
    return f"{s.title}\n\n{table}\nEvidence:\n" + "\n".join(evidence) + "\n"


@main.command()
@OUTPUT
@friendly
def schema(output: str | None) -> None:
    """Print the JSON Schema of scenario files, for editors (yaml-language-server).

    Shipped scenarios start with `# yaml-language-server: $schema=...` pointing at the copy
    in unsc_sim/data/scenario.schema.json; the loader remains the final judge (quotes,
    sums, member counts are checked only when a file loads).
    """
    import json

    from ..scenario.schema import scenario_schema

    emit(json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n", output)
