"""The history figure: recorded procedural votes on one topic and dated scenarios, year by
year, with the rows no acceptable source confirms drawn as such."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..model import VOTES, Rule, Scenario, Vote
from .canvas import COLORS, GREY, MIN_LABEL, finish, new_axes, percent

UNCONFIRMED = "x"  # the hatch of a recorded vote whose row says `unconfirmed: "why"`


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
    simulated outcome. A recorded vote whose row is ``unconfirmed`` (a fact rests on no
    acceptable source; ``unsc-sim history ID`` says which) is cross-hatched, its bars carry the
    ``gid`` "unconfirmed:ID", and the legend says "unconfirmed". Years without a bar between
    two bars get an axis break (``gid`` "gap:FIRST-LAST") saying so, so that distant years
    never look adjacent.
    """
    from ..engine.simulation import simulate

    ax, own = new_axes(ax, (min(16.0, max(9.0, 1.15 * (len(votes) + len(scenarios)))), 5.4))
    bars: list[tuple[Any, ...]] = []
    for v in votes:
        tally = [v.count(x) or 0 for x in VOTES]  # an unconfirmed count draws no segment
        label = f"{v.date.year}\n{v.meeting or v.date.strftime('%d %b')}"
        outcome = "adopted" if v.adopted else "not adopted"
        hatch, gid = (UNCONFIRMED, f"unconfirmed:{v.id}") if v.unconfirmed else (None, None)
        bars.append((v.date, label, tally, Rule.on("procedural", v.date), outcome, hatch, gid))
    for s in scenarios:
        r = simulate(s)  # the baseline given the reports, when the file has any
        tally = [r.expected[v.value] for v in VOTES]
        if s.vote_held is False:
            label, outcome, hatch = "no vote held", "no vote held", "//"
        else:
            p = r.p_adopted
            label, hatch = "scenario", ".."
            outcome = {1.0: "adopted", 0.0: "not adopted"}.get(p, f"P(adopted) {percent(p)}")
            outcome = f"simulated:\n{outcome}"
        bars.append((s.date, f"{s.date.year}\n{label}", tally, s.rule, outcome, hatch, None))
    bars.sort(key=lambda b: b[0])
    stack = (Vote.YES, Vote.ABSTAIN, Vote.ABSENT, Vote.NO)
    xs: list[float] = []
    for i, (day, *_) in enumerate(bars):
        skipped = day.year - bars[i - 1][0].year - 1 if i else 0
        xs.append(xs[-1] + (1.8 if skipped > 0 else 1.0) if i else 0.0)
        if skipped > 0:
            _year_gap(ax, xs[-1] - 0.9, bars[i - 1][0].year + 1, day.year - 1)
    for x, (_, _, tally, rule, outcome, hatch, gid) in zip(xs, bars):
        bottom, style = 0.0, dict(alpha=0.55, hatch=hatch) if hatch else {}
        if hatch == UNCONFIRMED:  # a recorded vote at full colour, crossed in white
            style = dict(hatch=hatch, gid=gid)
        for v in stack:
            n = float(tally[VOTES.index(v)])
            bar = ax.bar(x, n, 0.62, bottom=bottom, color=COLORS[v], ec="white", lw=0.8, **style)
            ink = "black" if v is Vote.ABSTAIN else "white"
            shown = f"{n:.3g}" if n >= MIN_LABEL else ""  # a sliver's label would cover the next
            ax.bar_label(bar, [shown], label_type="center", color=ink)
            bottom += n
        ax.hlines(rule.threshold, x - 0.42, x + 0.42, color="black", lw=2, ls="--")
        italic = "italic" if hatch and hatch != UNCONFIRMED else None
        if any(abs(n - round(n)) > 1e-9 for n in tally):  # never read as a tally
            outcome += "\n(expected counts)"
        ax.text(x, bottom + 0.3, outcome, ha="center", fontsize=9, style=italic)
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
    if any(b[5] == UNCONFIRMED for b in bars):
        cross = UNCONFIRMED * 2  # denser in the small legend key, to show a whole cross
        handles.append(Patch(fc="0.55", ec="white", hatch=cross, label="unconfirmed"))
    handles.append(Line2D([], [], color="black", lw=2, ls="--", label="votes needed"))
    ax.legend(handles=handles, loc="upper center", ncol=6, fontsize=8.5, frameon=False)
    if source is None and own:
        seen = ", ".join(sorted(str(s.date.year) for s in scenarios))
        source = "Sources: recorded votes from UN records and press reports (unsc_sim.record)"
        if any(b[5] == UNCONFIRMED for b in bars):
            source += "; unconfirmed: see unsc-sim history ID"
        source += f"; {seen}: scenario baselines, each stance with its own source" if seen else ""
    heading = "Year by year: yes, abstain and no votes against the votes needed"
    return finish(ax, own, heading, title, source)


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
