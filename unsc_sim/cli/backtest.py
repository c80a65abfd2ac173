"""The backtest command: the record's priors scored leave-future-out against baselines."""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import Any

import click

from ..output.formats import to_table
from .common import FORMAT, OUTPUT, friendly, main, publish

MAX_ALPHA = 1e6  # beyond this every prior is the pooled one: more says nothing new


def _finite(_ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    """Refuse NaN, which passes every range comparison (None: the option was not given)."""
    if value is not None and value != value:
        raise click.BadParameter(
            "nan is not a number", param_hint=f"'--{str(param.name).replace('_', '-')}'"
        )
    return value


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

    The model (unsc_sim/record/priors.py) reads each member's earlier votes with or against the
    members proposing the motion (same topic and kind weighing more), smoothed toward its UN
    regional group and all members; P(adopted) treats the members' votes as a little
    correlated (one bloc, correlation rho) and adds the sponsor camp's selection offset
    (unsc_sim/record/selection.py), refitted before each vote.
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
            f"loss); rho={t.rho:g}, shrink {t.shrink:g}, slope {t.slope:g} (vote log loss, ties "
            f"within {tuning.TIE:g} to the smallest rho); "
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
