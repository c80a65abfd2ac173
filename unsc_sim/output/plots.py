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
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Patch, RegularPolygon, Wedge
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter

from ..model import VOTES, Rule, Scenario, Vote
from . import words

if TYPE_CHECKING:
    from ..analysis import Sweep, Swing
    from ..engine.simulation import Result
    from ..record.backtest import Backtest

COLORS = {Vote.YES: "#1a7f37", Vote.NO: "#c62828", Vote.ABSTAIN: "#f2a007", Vote.ABSENT: "#9e9e9e"}
UNCERTAIN = "#7e57c2"  # a stance that is not a sure vote
SERIES = ("#2c3e50", "#2f80c9", "#9b59b6", "#16a085", "#d35400", "#7f8c8d")  # one per variant
GREY = "0.35"
SCENARIO_MARK = dict(ls="", marker="o", ms=10, mfc="#ff6f00", mec="white", mew=2, zorder=5)
SQUARE = dict(ls="", marker="s", mfc="white", mec="black", mew=2)  # a permanent member's seat
STAR = dict(ls="", marker="*", mfc="#ffd54f", mec="black")  # the president's seat
PCT = "{x:.0%}"  # a format string makes a new formatter for every axis that uses it
SMALL = 1e-9  # a swing below this is no swing (rounding of exact sums)
MIN_LABEL = 0.25  # members: a stacked segment thinner than this gets no number


def source_line(scenario: Scenario) -> str:
    """The footer text: the scenario's title, date and file, and the tool's version."""
    from .. import __version__

    when = f" ({scenario.date.isoformat()})" if scenario.date else ""
    where = f", {Path(scenario.path).name}" if scenario.path else ""
    given = words.conditioned_label(scenario)  # the baseline is conditioned on the reports
    given = f"; {given}" if given else ""
    return f"Source: scenario “{scenario.title}”{when}{where}{given}; unsc-sim {__version__}"


def percent(p: float) -> str:
    """61.6%; 0% and 100% only when exact."""
    if p in (0.0, 1.0):
        return f"{p:.0%}"
    return "<0.1%" if p < 0.0005 else ">99.9%" if p > 0.9995 else f"{p:.1%}"


def _axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Axes, bool]:
    if ax is not None:
        return ax, False
    # Constrained layout, with a strip at the bottom kept free for the source line.
    fig = Figure(figsize=size, layout=ConstrainedLayoutEngine(rect=(0, 0.045, 1, 0.955)))
    return fig.add_subplot(), True


def _finish(ax: Axes, own: bool, heading: str, title: str | None, source: str | None) -> Figure:
    fig = ax.figure.figure
    foot = None
    if source or own:
        foot = fig.text(0.01, 0.008, source or "unsc-sim", fontsize=7.5, color=GREY, va="bottom")
    if own:
        heading_text = ax.set_title(heading, loc="left", fontsize=10.5, color=GREY)
        top = None
        if title:
            top = fig.suptitle(title, x=0.01, ha="left", fontsize=13, fontweight="bold")
        _wrap_titles(fig, ax, heading_text, top, foot)  # type: ignore[arg-type]
    else:
        ax.set_title(f"{title}\n{heading}" if title else heading, loc="left", fontsize=10.5)
    return fig  # type: ignore[return-value]


def _wrap_titles(
    fig: Figure, ax: Axes, heading: Text, title: Text | None, foot: Text | None
) -> None:
    """Wrap the title and the source line to the figure's width and the heading to the room
    right of the axes' left edge (known only once the layout has run: one draw without
    rendering), measured in the font drawn, so none is ever clipped at the right edge."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    right = 0.985 * fig.bbox.width
    for text in (title, foot):
        if text is not None:
            _wrap_to(text, right - 0.01 * fig.bbox.width, renderer)
    fig.draw_without_rendering()
    for _ in range(2):  # the wrapped heading is taller: the layout moves, then settles
        if _wrap_to(heading, right - ax.get_position().x0 * fig.bbox.width, renderer):
            fig.draw_without_rendering()


def _wrap_to(text: Text, width: float, renderer: Any) -> bool:
    """Break ``text`` at spaces so that each line is at most ``width`` pixels wide; whether
    its text changed."""
    before = text.get_text()
    words, lines = " ".join(before.split("\n")).split(" "), [""]
    for word in words:
        trial = f"{lines[-1]} {word}" if lines[-1] else word
        text.set_text(trial)
        if lines[-1] and text.get_window_extent(renderer).width > width:
            lines.append(word)
        else:
            lines[-1] = trial
    text.set_text("\n".join(lines))
    return text.get_text() != before


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
    ax, own = _axes(ax, (9, 5))
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
    return _finish(ax, own, heading, title, source)


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
    ax, own = _axes(ax, (9, 6.2))
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
    return _finish(ax, own, f"{heading}: {result.hypothetical}", title, source)


def swing(
    swing_result: Swing,
    *,
    title: str | None = None,
    source: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Members ranked by swing: P(adopted | it votes yes) - P(adopted | it does not)."""
    rows = swing_result.rows
    ax, own = _axes(ax, (9, 1.2 + 0.36 * len(rows)))
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
    return _finish(ax, own, heading, title, source)


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
    ax, own = _axes(ax, (8, 5) if not second else (7.5, 6.2))
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
    return _finish(ax, own, heading, title, source)


def history(
    votes: Sequence[Any],
    *,
    scenarios: Sequence[Scenario] = (),
    title: str | None = None,
    source: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Recorded procedural votes (``history.RecordedVote``) and dated scenarios, by date.

    Bars stack yes, abstain, absent and no. A scenario's baseline is drawn hatched: "no vote
    held" only when the scenario says so (``vote_held: false``), else "scenario" with its
    simulated outcome. Years without a bar between two bars get an axis break (``gid``
    "gap:FIRST-LAST") saying so, so that distant years never look adjacent.
    """
    from ..engine.simulation import simulate

    ax, own = _axes(ax, (min(16.0, max(9.0, 1.15 * (len(votes) + len(scenarios)))), 5.4))
    bars: list[tuple[Any, ...]] = []
    for v in votes:
        tally = [v.count(x) or 0 for x in VOTES]  # an unconfirmed count draws no segment
        label = f"{v.date.year}\n{v.meeting or v.date.strftime('%d %b')}"
        outcome = "adopted" if v.adopted else "not adopted"
        bars.append((v.date, label, tally, Rule.on("procedural", v.date), outcome, None))
    for s in scenarios:
        tally = np.sum([m.stance.probabilities for m in s.members], axis=0)
        if s.vote_held is False:
            label, outcome, hatch = "no vote held", "no vote held", "//"
        else:
            p = simulate(s).p_adopted
            label, hatch = "scenario", ".."
            outcome = {1.0: "adopted", 0.0: "not adopted"}.get(p, f"P(adopted) {percent(p)}")
            outcome = f"simulated:\n{outcome}"
        bars.append((s.date, f"{s.date.year}\n{label}", tally, s.rule, outcome, hatch))
    bars.sort(key=lambda b: b[0])
    stack = (Vote.YES, Vote.ABSTAIN, Vote.ABSENT, Vote.NO)
    xs: list[float] = []
    for i, (day, *_) in enumerate(bars):
        skipped = day.year - bars[i - 1][0].year - 1 if i else 0
        xs.append(xs[-1] + (1.8 if skipped > 0 else 1.0) if i else 0.0)
        if skipped > 0:
            _year_gap(ax, xs[-1] - 0.9, bars[i - 1][0].year + 1, day.year - 1)
    for x, (_, _, tally, rule, outcome, hatch) in zip(xs, bars):
        bottom, style = 0.0, dict(alpha=0.55, hatch=hatch) if hatch else {}
        for v in stack:
            n = float(tally[VOTES.index(v)])
            bar = ax.bar(x, n, 0.62, bottom=bottom, color=COLORS[v], ec="white", lw=0.8, **style)
            ink = "black" if v is Vote.ABSTAIN else "white"
            shown = f"{n:.3g}" if n >= MIN_LABEL else ""  # a sliver's label would cover the next
            ax.bar_label(bar, [shown], label_type="center", color=ink)
            bottom += n
        ax.hlines(rule.threshold, x - 0.42, x + 0.42, color="black", lw=2, ls="--")
        ax.text(
            x, bottom + 0.3, outcome, ha="center", fontsize=9, style="italic" if hatch else None
        )
    ax.set_xticks(xs, [b[1] for b in bars])
    ax.set(ylim=(0, 18.5), xlim=(-0.6, (xs[-1] if xs else 0) + 0.6), yticks=range(0, 16, 3))
    ax.set(ylabel="Members voting", xlabel="Year and meeting record")
    ax.spines[["top", "right"]].set_visible(False)
    used = [v for v in stack if any(b[2][VOTES.index(v)] for b in bars)]
    handles: list[Any] = [Patch(color=COLORS[v], label=v.value) for v in used]
    if any(b[5] == "//" for b in bars):
        handles.append(Patch(fc="white", ec="0.4", hatch="//", label="no vote held (as reported)"))
    if any(b[5] == ".." for b in bars):
        handles.append(Patch(fc="white", ec="0.4", hatch="..", label="scenario (simulated)"))
    handles.append(Line2D([], [], color="black", lw=2, ls="--", label="votes needed"))
    ax.legend(handles=handles, loc="upper center", ncol=6, fontsize=8.5, frameon=False)
    if source is None and own:
        seen = ", ".join(sorted(str(s.date.year) for s in scenarios))
        source = "Sources: recorded votes from UN records and press reports (unsc_sim.record)"
        source += f"; {seen}: scenario baselines, each stance with its own source" if seen else ""
    heading = "Year by year: yes, abstain and no votes against the votes needed"
    return _finish(ax, own, heading, title, source)


def _year_gap(ax: Axes, x: float, first: int, last: int) -> None:
    """An axis break at x, saying which years have no vote on record (the record, not the
    Council, may be silent)."""
    years = str(first) if first == last else f"{first}–{last}"
    ax.text(x, 0.6, f"none recorded\n{years}", ha="center", va="bottom", fontsize=8, color=GREY,
            rotation=90, gid=f"gap:{first}-{last}")  # fmt: skip
    mark = ax.get_xaxis_transform()  # x in data, y in axes fractions
    for dx in (-0.06, 0.06):  # two slanted strokes across the axis: the usual break mark
        ax.plot([x + dx - 0.05, x + dx + 0.05], [-0.02, 0.02], color="black", lw=1.2,
                transform=mark, clip_on=False)  # fmt: skip


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
    ax, own = _axes(ax, (7, 6))
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
    return _finish(ax, own, heading, title, source)
