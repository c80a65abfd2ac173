"""Figures of results: yes-vote distribution, chamber, swing, sweep, voting history and the
calibration of the priors' backtest.

Each function takes results (and an optional ``ax`` to draw into) and returns the
``matplotlib.figure.Figure``: no pyplot, no global state, no display, no files written.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import LinearSegmentedColormap, Normalize, to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Patch, RegularPolygon, Wedge
from matplotlib.ticker import FuncFormatter

from ..model import VOTES, Scenario, Vote
from . import words
from .canvas import COLORS, GREY, finish, new_axes, percent
from .history_plot import history as history  # its own module; callers keep plots.history

if TYPE_CHECKING:
    from ..analysis import Sweep, Swing
    from ..engine.simulation import Result
    from ..record.backtest import Backtest

UNCERTAIN = "#7e57c2"  # a stance that is not a sure vote
SERIES = ("#2c3e50", "#2f80c9", "#9b59b6", "#16a085", "#d35400", "#7f8c8d")  # one per variant
SCENARIO_MARK = dict(ls="", marker="o", ms=10, mfc="#ff6f00", mec="white", mew=2, zorder=5)
SQUARE = dict(ls="", marker="s", mfc="white", mec="black", mew=2)  # a permanent member's seat
STAR = dict(ls="", marker="*", mfc="#ffd54f", mec="black")  # the president's seat
PCT = "{x:.0%}"  # a format string makes a new formatter for every axis that uses it
SMALL = 1e-9  # a swing below this is no swing (rounding of exact sums)


def source_line(scenario: Scenario) -> str:
    """The footer text: the scenario's title, date and file, and the tool's version."""
    from .. import __version__

    when = f" ({scenario.date.isoformat()})" if scenario.date else ""
    where = f", {Path(scenario.path).name}" if scenario.path else ""
    given = words.conditioned_label(scenario)  # the baseline is conditioned on the reports
    given = f"; {given}" if given else ""
    return f"Source: scenario “{scenario.title}”{when}{where}{given}; unsc-sim {__version__}"


def _vote_handles(votes: set[Vote | None]) -> list[Any]:
    handles: list[Any] = [Patch(color=COLORS[v], label=v.value) for v in VOTES if v in votes]
    return handles + ([Patch(color=UNCERTAIN, label="uncertain")] if None in votes else [])


def distribution(
    results: Result | Sequence[Result],
    *,
    title: str | None = None,
    source: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """P(k yes votes) for one result, or several side by side; the threshold drawn.

    Under the veto, the mass at or above the threshold in which a permanent member votes no
    is drawn apart (hatched red, ``gid="vetoed:NAME"``), so the adopted zone holds only
    P(adopted); the legend gives P(adopted) and P(vetoed) separately.
    """
    results = [results] if hasattr(results, "total") else list(results)  # type: ignore[arg-type]
    ax, own = new_axes(ax, (9, 5))
    rule = results[0].rule
    t = rule.threshold
    k = np.arange(rule.size + 1)
    width = 0.84 / len(results)
    top = max(float(r.total.max()) for r in results)
    ax.axvspan(t - 0.5, rule.size + 0.6, color=COLORS[Vote.YES], alpha=0.08, lw=0)
    ax.axvline(t - 0.5, color="0.15", ls="--", lw=1.2)
    zone = "adopted unless vetoed →" if rule.veto else "adopted →"
    ax.text(t - 0.3, top * 1.13, f"{t} needed: {zone}", va="center")
    vetoed_drawn = False
    for i, r in enumerate(results):
        label = f"{r.hypothetical}: P(adopted) {percent(r.p_adopted)}"
        label += f" ± {r.p_adopted_se:.1%}" if r.p_adopted_se is not None else ""
        label += f", P(vetoed) {percent(r.p_vetoed)}" if r.p_vetoed > 0 else ""
        x = k + (i - (len(results) - 1) / 2) * width
        # From the threshold up, only the veto-free mass is adoption: the rest, a permanent
        # member's "no" on a motion with the votes, is stacked above it, hatched in red.
        vetoed = np.where(k >= t, r.total - r.clean, 0.0) if rule.veto else np.zeros_like(r.total)
        vetoed = np.clip(vetoed, 0.0, None)
        color = SERIES[i % len(SERIES)]
        parts = [ax.bar(x, r.total - vetoed, width * 0.95, color=color, label=label)]
        if vetoed.any():
            parts.append(ax.bar(
                x, vetoed, width * 0.95, bottom=r.total - vetoed, fc=(*to_rgb(color), 0.25),
                ec=COLORS[Vote.NO], hatch="xx", lw=np.where(vetoed > 0, 0.8, 0.0),
                gid=f"vetoed:{r.hypothetical}",
            ))  # fmt: skip
            vetoed_drawn = True
        for bars in parts if len(results) == 1 else ():
            values = [b.get_height() for b in bars]
            ax.bar_label(bars, [f"{p:.0%}" if p >= 0.01 else "" for p in values], fontsize=8.5)
    handles, _ = ax.get_legend_handles_labels()
    if vetoed_drawn:  # one legend entry for every series' vetoed part
        text = 'vetoed: the votes, and a permanent member\'s "no"'
        handles.append(Patch(fc="white", ec=COLORS[Vote.NO], hatch="xx", label=text))
    ax.set(xlim=(-0.6, rule.size + 0.6), ylim=(0, top * 1.22), xticks=k, ylabel="Probability")
    ax.set_xlabel(f"Number of yes votes (of {rule.size})")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}" if v <= 1.001 else ""))
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(handles=handles, loc="upper left", fontsize=9, frameon=False)
    article = "27(3), veto applies" if rule.veto else "27(2)"
    heading = f"How many yes votes? {rule.threshold} of {rule.size} needed (Art. {article})"
    return finish(ax, own, heading, title, source)


def chamber(
    result: Result,
    *,
    president: str | None = None,
    by: Literal["vote", "p_yes"] = "vote",
    title: str | None = None,
    source: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """The fifteen seats on an arc, yes voters first, colored by vote or by P(yes).

    Permanent members sit in squares, the president's seat has a star, and an uncertain
    stance is a small pie when ``by="vote"``. The dashed mark follows the seat that would
    cast the last vote needed. A vetoing member's seat has a red ring (``gid="veto:NAME"``)
    and the summary says "vetoed by NAME". Each seat patch has ``gid="seat:NAME"``.
    """
    if by not in ("vote", "p_yes"):
        raise ValueError(f"by must be 'vote' or 'p_yes', not {by!r}")
    ax, own = new_axes(ax, (9, 6.2))
    rank = ({Vote.YES: 0, Vote.ABSTAIN: 1, Vote.ABSENT: 2, Vote.NO: 3} if by == "vote" else {}).get
    seats = sorted(result.members, key=lambda m: (rank(m.stance.vote, 0), -m.stance.yes, m.name))
    angles = np.linspace(np.pi, 0, len(seats))
    size = min(0.1, 0.9 * np.sin(np.pi / (2 * max(len(seats) - 1, 1))))
    # P(yes) from white to the yes green: no red, so that an abstainer never looks like a "no";
    # a dot in the seat gives its likeliest vote other than yes, in the vote colours.
    cmap, norm = (
        LinearSegmentedColormap.from_list("p_yes", ["white", COLORS[Vote.YES]]),
        Normalize(0, 1),
    )
    dots: set[Vote] = set()
    for m, a in zip(seats, angles):
        x, y, vote = np.cos(a), np.sin(a), m.stance.vote
        face = cmap(norm(m.stance.yes)) if by == "p_yes" else COLORS.get(vote, "white")
        if m.permanent:  # a square with a heavy edge
            seat = RegularPolygon((x, y), 4, radius=1.3 * size, orientation=np.pi / 4, ec="k")
        else:
            seat = Circle((x, y), size, ec="0.25")
        ax.add_patch(seat).set(gid=f"seat:{m.name}", fc=face, lw=2.2 if m.permanent else 0.8)
        start, pie = 90.0, [(v, p) for v, p in zip(VOTES, m.stance.probabilities) if p]
        for v, p in pie if by == "vote" and vote is None else ():  # an uncertain stance
            ax.add_patch(Wedge((x, y), size * 0.92, start, start + 360 * p, fc=COLORS[v], lw=0))
            start += 360 * p
        rest = [(p, v) for v, p in zip(VOTES, m.stance.probabilities) if p and v is not Vote.YES]
        if by == "p_yes" and rest:
            other = max(rest, key=lambda pv: pv[0])[1]
            dots.add(other)
            dot = Circle((x, y), size * 0.38, fc=COLORS[other], ec="white", lw=0.8)
            ax.add_patch(dot).set(gid=f"dot:{m.name}:{other.value}")
        if m.name == president:
            ax.plot(x, y, ms=15, zorder=4, **STAR)
        left, r = a > np.pi / 2 + 0.01, 1 + size * 1.6
        name = m.name + (" (president)" if m.name == president else "")
        kw = dict(ha="right" if left else "left", fontweight="bold" if m.permanent else None)
        rot = dict(rotation=np.degrees(a) - (180 if left else 0), rotation_mode="anchor")
        ax.text(r * np.cos(a), r * np.sin(a), name, va="center", **rot, **kw)
    t = result.rule.threshold
    if 0 < t < len(seats):
        c, s = np.cos((angles[t - 1] + angles[t]) / 2), np.sin((angles[t - 1] + angles[t]) / 2)
        ax.plot([0.64 * c, 0.9 * c], [0.64 * s, 0.9 * s], ls="--", color="0.15", lw=1.2)
        rot = np.degrees(np.arctan2(s, c)) - 90
        ax.text(0.56 * c, 0.56 * s, f"{t} needed", ha="center", va="center", rotation=rot)
    e, p = result.expected, result.p_adopted
    big = " · ".join(f"{e[v.value]:.3g} {v.value}" for v in VOTES if e[v.value] or v != "absent")
    decision = result.decision
    if decision is not None:
        vetoed_by = decision.vetoed_by
        small = f"vetoed by {', '.join(vetoed_by)}" if vetoed_by else decision.outcome.value
    else:
        vetoed_by = ()
        small = f"expected; P(adopted) {percent(p)}"
        small += f", P(vetoed) {percent(result.p_vetoed)}" if result.p_vetoed > 0 else ""
    for m, a in zip(seats, angles):
        if m.name in vetoed_by:  # a red ring round the vetoing seat
            ring = Circle((np.cos(a), np.sin(a)), 1.6 * size, fill=False, ec=COLORS[Vote.NO])
            ax.add_patch(ring).set(gid=f"veto:{m.name}", lw=2.5, ls="-")
    ax.text(0, 0.2, big, ha="center", fontsize=14, fontweight="bold")
    ax.text(0, 0.06, f"{small} ({t} needed)", ha="center", fontsize=11, color=GREY)
    used = {v for m in seats for v, p in zip(VOTES, m.stance.probabilities) if p}
    handles = _vote_handles(used) if by == "vote" else []
    for v in (v for v in VOTES if v in dots):
        dot = dict(ls="", marker="o", mfc=COLORS[v], mec="white")
        handles.append(Line2D([], [], ms=8, label=f"if not yes: {v.value}", **dot))
    handles += [Line2D([], [], ms=10, label="permanent member", **SQUARE)]
    handles += [Line2D([], [], ms=13, label="president", **STAR)] if president else []
    if vetoed_by:
        ring = dict(ls="", marker="o", mfc="none", mec=COLORS[Vote.NO], mew=2.5)
        handles += [Line2D([], [], ms=16, label="veto", **ring)]
    ax.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False)
    if by == "p_yes":
        kw = dict(orientation="horizontal", shrink=0.35, pad=0.02, aspect=30, format=PCT)
        ax.figure.colorbar(ScalarMappable(norm, cmap), ax=ax, label="P(yes)", **kw)
    ax.set(xlim=(-1.8, 1.8), ylim=(-0.4, 1.75), aspect="equal")
    ax.set_axis_off()
    heading = f"The {len(seats)} seats by {'vote' if by == 'vote' else 'P(yes)'}"
    return finish(ax, own, f"{heading}: {result.hypothetical}", title, source)


def swing(
    swing_result: Swing,
    *,
    title: str | None = None,
    source: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Members ranked by swing: P(adopted | it votes yes) - P(adopted | it does not)."""
    rows = swing_result.rows
    ax, own = new_axes(ax, (9, 1.2 + 0.36 * len(rows)))
    y = np.arange(len(rows))[::-1]
    votes = [{v.value: v for v in VOTES}.get(r.stance) for r in rows]
    bars = ax.barh(y, [r.swing for r in rows], 0.7, color=[COLORS.get(v, UNCERTAIN) for v in votes])
    moves = [abs(r.swing) > SMALL or abs(r.p_pivotal) > SMALL for r in rows]
    labels = [f"{100 * r.swing:.0f} pts" if abs(r.swing) > SMALL else "" for r in rows]
    ax.bar_label(bars, labels, padding=3, fontsize=8.5)
    handles = _vote_handles(set(votes))
    p = percent(swing_result.p_adopted)
    if not any(moves):  # sure votes far from the threshold: a figure of empty bars says nothing
        why = (
            f"No member's vote alone moves P(adopted): it is {p} whichever way any one member "
            "votes,\nso every bar is empty (the outcome is settled by more than one vote)."
        )
        ax.text(0.5, 0.5, why, transform=ax.transAxes, ha="center", va="center", fontsize=10,
                bbox=dict(fc="white", ec="0.6"), gid="flat")  # fmt: skip
    elif not all(moves):
        handles.append(Patch(fc="white", ec="0.6", label="no bar: its vote alone\nchanges nothing"))
    if any(abs(r.p_pivotal - r.swing) > 1e-9 for r in rows):
        style = dict(ls="", marker="D", mfc="white", mec="0.1")
        ax.plot([r.p_pivotal for r in rows], y, **style)
        handles.append(Line2D([], [], label="yes rather than no (p_pivotal)", **style))
    ax.set_yticks(y, [f"{r.member} ({r.stance})" for r in rows], fontsize=9)
    ax.set(xlim=(0, 1.12), ylabel="Member (its stance)")
    ax.xaxis.set_major_formatter(lambda v, _: f"{100 * v:.0f}")
    ax.set_xlabel("P(adopted | it votes yes) − P(adopted | it does not), percentage points")
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(handles=handles, title="its stance", fontsize=8.5, loc="lower right")
    heading = f"Who decides? {swing_result.hypothetical}, P(adopted) {p}"
    return finish(ax, own, heading, title, source)


def sweep(
    sweep_result: Sweep,
    *,
    title: str | None = None,
    source: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """P(adopted) against one member's P(yes) (a curve) or two members' (a heat map).

    The scenario's own point is marked (``gid="scenario"``) and the even chance drawn: a
    dotted line on the curve, a white contour on the heat map (``gid="p50"``), or, where
    P(adopted) never crosses 50%, a note saying so (``gid="no-p50"``). A flat curve says why.
    """
    s, (first, *second) = sweep_result, sweep_result.members
    ax, own = new_axes(ax, (8, 5) if not second else (7.5, 6.2))
    low, high = float(s.p_adopted.min()), float(s.p_adopted.max())
    here = s.p_adopted_at
    if not second:
        x = s.grid[:, 0]
        style = dict(marker="o", ms=4) if len(x) <= 21 else {}
        ax.plot(x, s.p_adopted, color=SERIES[1], lw=2, label=s.hypothetical, **style)
        ax.axhline(0.5, color="0.5", ls=":", lw=1, label="even chance")
        if s.at and here is not None:
            label = f"the scenario: P(yes) {s.at[0]:.0%}, P(adopted) {percent(here)}"
            ax.plot(s.at[0], here, gid="scenario", label=label, **SCENARIO_MARK)
        if high - low < SMALL:
            why = f"Flat: P(adopted) is {percent(high)} whatever {first} does;\n"
            why += "its vote decides nothing here."
            ax.text(0.5, 0.3, why, transform=ax.transAxes, ha="center", va="center",
                    bbox=dict(fc="white", ec="0.6"), gid="flat")  # fmt: skip
        ax.set(xlim=(0, 1), ylim=(-0.03, 1.03), ylabel="P(adopted)")
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left")
        heading = f"P(adopted) as {first}'s P(yes) goes from 0 to 1: {s.hypothetical}"
    else:
        a, b = np.unique(s.grid[:, 0]), np.unique(s.grid[:, 1])
        z = s.p_adopted.reshape(len(a), len(b)).T  # rows: the second member; columns: the first
        mesh = ax.pcolormesh(a, b, z, shading="nearest", cmap="viridis", vmin=0, vmax=1)
        ax.figure.colorbar(mesh, ax=ax, label="P(adopted)", format=PCT)
        handles: list[Any] = []
        if low < 0.5 < high:
            ax.contour(a, b, z, levels=[0.5], colors="white", linewidths=1.5).set(gid="p50")
            handles.append(Line2D([], [], color="white", lw=1.5, label="P(adopted) = 50%"))
        else:
            side = "above" if low >= 0.5 else "below"
            span = f"{percent(low)} to {percent(high)}"
            note = f"no 50% line: P(adopted) is {side} 50% everywhere ({span})"
            handles.append(Patch(fc="none", ec="none", label=note, gid="no-p50"))
        if s.at and here is not None:
            label = f"the scenario: P(adopted) {percent(here)}"
            ax.plot(*s.at, gid="scenario", **SCENARIO_MARK)
            handles.append(Line2D([], [], label=label, **SCENARIO_MARK))
        ax.legend(handles=handles, loc="upper left", facecolor="0.3", labelcolor="white")
        ax.set(ylabel=f"P({second[0]} votes yes)", aspect="equal")
        heading = f"P(adopted) over two members' P(yes): {s.hypothetical}"
    ax.set_xlabel(f"P({first} votes yes)")
    ax.xaxis.set_major_formatter(PCT)
    ax.yaxis.set_major_formatter(PCT)
    return finish(ax, own, heading, title, source)


def calibration(
    result: Backtest,
    *,
    before: Backtest | None = None,
    title: str | None = None,
    source: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """The backtest's calibration: predicted probability against how often the event
    happened, per bin, for P(adopted) (votes) and the members' vote probabilities."""
    ax, own = new_axes(ax, (7, 6))
    ax.plot([0, 1], [0, 1], color="0.5", ls=":", lw=1, label="perfect calibration")
    styles = {"vote": (SERIES[1], "o", "P(adopted), per vote"),
              "member": (SERIES[4], "s", "P(each vote), per member vote")}  # fmt: skip
    for level, (color, marker, label) in styles.items():
        bins = [b for b in result.calibration if b.level == level and b.n]
        x = [b.mean_predicted for b in bins]
        y = [b.observed for b in bins]
        n = sum(b.n for b in bins)
        ax.plot(x, y, color=color, lw=1.2, alpha=0.6)
        ax.scatter(x, y, s=[12 + 200 * b.n / n for b in bins], color=color, marker=marker,
                   zorder=3, label=f"{label}: {n} predictions")  # fmt: skip
        for b in bins:
            below = -11 if b.observed > 0.05 else 5  # keep the count inside the axes
            ax.annotate(str(b.n), (b.mean_predicted, b.observed), xytext=(5, below),
                        textcoords="offset points", fontsize=7.5, color=color)  # fmt: skip
    if before is not None:  # the earlier model's P(adopted), drawn last: the collections
        bins = [b for b in before.calibration if b.level == "vote" and b.n]  # above stay first
        x, y = [b.mean_predicted for b in bins], [b.observed for b in bins]
        old = before.score("vote", "model")
        ax.plot(x, y, color=GREY, lw=1, ls="--", alpha=0.8)
        ax.scatter(x, y, s=[12 + 200 * b.n / old.n for b in bins], facecolors="none",
                   edgecolors=GREY, marker="o", zorder=2,
                   label=f"P(adopted), previous model (Brier {old.brier:.3f})")  # fmt: skip
    ax.set(xlim=(-0.02, 1.02), ylim=(-0.02, 1.02), aspect="equal")
    ax.set(xlabel="Predicted probability (mean of the bin)", ylabel="Observed frequency")
    ax.xaxis.set_major_formatter(PCT)
    ax.yaxis.set_major_formatter(PCT)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=8.5)
    vote = result.score("vote", "model")
    heading = (
        f"Calibration of the priors, leave-future-out over {vote.n} recorded votes "
        f"(Brier {vote.brier:.3f}; marker area: votes in the bin)"
    )
    if source is None and own:
        source = "Source: unsc-sim backtest (recorded procedural votes, unsc_sim.record)"
    return finish(ax, own, heading, title, source)
