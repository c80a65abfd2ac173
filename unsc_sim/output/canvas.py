"""The frame every figure shares: the vote colours, a new figure with a strip kept free for
the source line, and titles wrapped to the figure's width."""

from __future__ import annotations

from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.text import Text

from ..model import Vote

COLORS = {Vote.YES: "#1a7f37", Vote.NO: "#c62828", Vote.ABSTAIN: "#f2a007", Vote.ABSENT: "#9e9e9e"}
GREY = "0.35"
MIN_LABEL = 0.25  # members: a stacked segment thinner than this gets no number


def percent(p: float) -> str:
    """61.6%; 0% and 100% only when exact."""
    if p in (0.0, 1.0):
        return f"{p:.0%}"
    return "<0.1%" if p < 0.0005 else ">99.9%" if p > 0.9995 else f"{p:.1%}"


def new_axes(ax: Axes | None, size: tuple[float, float]) -> tuple[Axes, bool]:
    """The axes to draw into: ``ax`` itself, or a new figure's (and whether it is ours)."""
    if ax is not None:
        return ax, False
    # Constrained layout, with a strip at the bottom kept free for the source line.
    fig = Figure(figsize=size, layout=ConstrainedLayoutEngine(rect=(0, 0.045, 1, 0.955)))
    return fig.add_subplot(), True


def finish(ax: Axes, own: bool, heading: str, title: str | None, source: str | None) -> Figure:
    """Heading, title and source line, wrapped to fit a figure of our own; the figure."""
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
    # Measured at the figure's dpi; saved at 150-200 dpi, hinting draws small text up to 8%
    # wider, so the lines are wrapped to 90% of the room.
    right = 0.985 * fig.bbox.width
    for text in (title, foot):
        if text is not None:
            _wrap_to(text, 0.9 * (right - 0.01 * fig.bbox.width), renderer)
    fig.draw_without_rendering()
    for _ in range(2):  # the wrapped heading is taller: the layout moves, then settles
        if _wrap_to(heading, 0.9 * (right - ax.get_position().x0 * fig.bbox.width), renderer):
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
