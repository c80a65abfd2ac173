"""How the quadrature engine integrates a scenario's blocs: groups, order, panels and work.

- Blocs whose factors are independent of the others are integrated one at a time (one
  dimension each) and their distributions convolved: any number of blocs.
- Blocs whose factors are correlated (``between``) are integrated together, up to three at
  a time: the last factor given the others is normal, so its part is the Gaussian blur of
  its own one-dimensional table, interpolated; the others form a tensor grid weighted by
  their joint density.
- Factors at correlation 1 or -1 are one factor; the second bloc's members load on it with
  the correlation's sign.
- Two factors nearly dependent (``between`` near 1 or -1) are rotated onto the eigenvectors
  of their correlation: every member loads on the heavy direction, and the light one (of
  variance 1 - |between|) only shifts each member's cut a little. The engine integrates the
  heavy direction as one factor for each node of the light one, never refining nodes to the
  width of the light one.

Before integrating, ``work`` estimates the arithmetic a component costs per configuration
(every axis counted); a component beyond ``MAX_WORK`` is left to the Monte Carlo engine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from .latent import Factors
from .nodes import NODES, PANEL, PANELS, SPAN, width

MAX_AXES = 3  # correlated factors integrated together, at most
UNIT = 1.0 - 1e-12  # a factor correlation this close to 1 or -1 merges the two factors
SINGULAR = 1e-9  # smallest eigenvalue below which correlated factors are dependent
ROTATE = 0.02  # two factors whose correlation has an eigenvalue below this are rotated
MAX_WORK = 2e9  # estimated operations per configuration of one component, at most
RATE = 1e8  # operations per second, measured on a shared 2-core machine (for messages)


@dataclass(frozen=True)
class Axis:
    """One factor, the members loading on it (signed sqrt(r)), and its uniform panels."""

    members: tuple[int, ...]
    loadings: tuple[float, ...]
    panels: int = PANELS

    def steepest(self) -> float:
        """The narrowest width of a member's step along this factor (0: a jump, r = 1)."""
        return min(width(x) for x in self.loadings)

    def nodes(self) -> int:
        """About how many nodes a table of this axis has (panels and refined breaks)."""
        panel = 2 * SPAN / self.panels
        breaks = 0
        for lam in self.loadings:
            w = width(lam)
            breaks += 1 + (2 * max(0, math.ceil(math.log2(panel / w))) if 0.0 < w < panel else 0)
        return (self.panels + breaks) * NODES


@dataclass(frozen=True)
class Rotation:
    """A component of two nearly dependent factors, rotated onto one heavy direction.

    The component's single axis holds every member with its loading on the heavy direction
    (scaled to a unit score); ``scale`` divides a member's cut and ``light`` is how far one
    unit of the light direction moves it (both per member of that axis).
    """

    scale: tuple[float, ...]
    light: tuple[float, ...]


@dataclass(frozen=True)
class Component:
    """Factors correlated with one another, in integration order (the last is blurred)."""

    axes: tuple[Axis, ...]
    correlation: np.ndarray
    rotation: Rotation | None = None

    def work(self) -> float:
        """Estimated operations to integrate one configuration (all axes counted)."""
        m = sum(len(a.members) for a in self.axes)
        if self.rotation is not None:
            return PANELS * NODES * self.axes[0].nodes() * m * (m + 8)
        if len(self.axes) == 1:
            return self.axes[0].nodes() * m * (m + 8)
        d = len(self.axes)
        outer = math.prod(a.nodes() for a in self.axes[:-1])
        last = self.axes[-1]
        columns = 2 * len(last.members) + 3
        spread = _spread(self.correlation)
        # A dependent last factor is read off the others: nothing to blur.
        blur = 0.0 if spread < math.sqrt(SINGULAR) else 4 * SPAN * d / (PANEL * spread) * 12
        return outer * 12 * columns * 4 + blur * last.nodes() * columns + outer * m * m


@dataclass(frozen=True)
class Plan:
    """Members by independent group: alone, or on a set of correlated factors."""

    independent: tuple[int, ...]
    components: tuple[Component, ...]
    reason: str | None = None  # why the engine cannot integrate these blocs, or None

    def work(self) -> float:
        """Estimated operations to integrate one configuration of every component."""
        return sum(c.work() for c in self.components)


def plan(factors: Factors, size: int) -> Plan:
    """Group the members: merge factors at correlation +-1, split independent factors."""
    active = [b for b, (members, r) in enumerate(factors.blocs) if r > 0.0 and members]
    c = factors.correlation
    roots: list[int] = []
    merged: dict[int, list[tuple[int, float]]] = {}  # root -> (bloc, sign)
    for b in active:
        root = next((a for a in roots if abs(c[a, b]) >= UNIT), None)
        if root is None:
            roots.append(b)
            merged[b] = [(b, 1.0)]
        else:
            merged[root].append((b, math.copysign(1.0, c[root, b])))
    axes = {}
    for root, group in merged.items():
        members: list[int] = []
        loadings: list[float] = []
        for b, sign in group:
            idx, r = factors.blocs[b]
            members += idx
            loadings += [sign * math.sqrt(r)] * len(idx)
        axes[root] = Axis(tuple(members), tuple(loadings))
    groups: list[list[int]] = []  # connected components of the correlation graph
    for root in roots:
        linked = [g for g in groups if any(abs(c[root, a]) > 0.0 for a in g)]
        for g in linked:
            groups.remove(g)
        groups.append(sorted([a for g in linked for a in g] + [root]))
    in_axes = {i for axis in axes.values() for i in axis.members}
    independent = tuple(i for i in range(size) if i not in in_axes)
    components, reasons = [], []
    for g in groups:
        comp, reason = component([axes[a] for a in g], c[np.ix_(g, g)])
        components.append(comp)
        reasons.append(reason)
    reason = next((r for r in reasons if r), None)
    return Plan(independent, tuple(components), reason)


def component(axes: list[Axis], corr: np.ndarray) -> tuple[Component, str | None]:
    """Order correlated factors for integration and size their panels; say why not."""
    d = len(axes)
    if d == 1:
        return Component(tuple(axes), corr), None
    if d > MAX_AXES:
        return Component(tuple(axes), corr), (
            f"{d} blocs with correlated factors (the exact engine takes {MAX_AXES})"
        )
    eigen = np.linalg.eigvalsh(corr)
    if d == 2 and eigen[0] < ROTATE:
        return rotated(axes, corr), None
    singular = eigen[0] < SINGULAR
    # The last factor is blurred, once per configuration of its members, and interpolated at
    # every node of the others: of two, the smaller (fewer configurations to blur in an
    # analysis); of three, the larger (fewer nodes to interpolate at). When the factors are
    # dependent, the smoothest: it is then read off the others, unblurred.
    size = [len(a.members) for a in axes]
    if singular:
        last = max(range(d), key=lambda a: axes[a].steepest())
    elif d == 2:
        last = min(range(d), key=lambda a: size[a])
    else:
        last = max(range(d), key=lambda a: size[a])
    order = [a for a in range(d) if a != last] + [last]
    axes = [axes[a] for a in order]
    corr = corr[np.ix_(order, order)]
    outer = corr[:-1, :-1]
    if singular:
        step = axes[-1].steepest()
        beta = np.linalg.solve(outer, corr[-1, :-1])
        if step == 0.0:
            return Component(tuple(axes), corr), (
                "blocs at correlation 1 whose factors are linearly dependent "
                "(a singular correlation matrix)"
            )
        spread = _spreads(outer)
        spread = [min(s, step / abs(b)) if b else s for s, b in zip(spread, beta)]
        spread.append(1.0)
    else:
        spread = _spreads(corr)
    panels = [math.ceil(2 * SPAN / (PANEL * s)) for s in spread]
    axes = [replace(a, panels=p) for a, p in zip(axes, panels)]
    comp = Component(tuple(axes), corr)
    work = comp.work()
    if work > MAX_WORK:
        return comp, (
            "correlations between blocs this close to 1 or -1 "
            f"(about {work / RATE:,.0f} s per configuration; {MAX_WORK / RATE:,.0f} s at most)"
        )
    return comp, None


def rotated(axes: list[Axis], corr: np.ndarray) -> Component:
    """Two nearly dependent factors as one heavy direction, the light one shifting cuts."""
    values, vectors = np.linalg.eigh(corr)
    root = vectors * np.sqrt(np.clip(values, 0.0, None))  # F = root @ (light, heavy)
    members, loadings, scale, light = [], [], [], []
    for a, axis in enumerate(axes):
        for i, lam in zip(axis.members, axis.loadings):
            heavy, shift = lam * root[a, 1], lam * root[a, 0]
            # Given the light direction, the score is heavy * H + (its own noise), of sd s.
            s = math.sqrt(max(0.0, 1.0 - lam * lam) + heavy * heavy)
            members.append(i)
            loadings.append(heavy / s)
            scale.append(1.0 / s)
            light.append(shift / s)
    axis = Axis(tuple(members), tuple(loadings))
    return Component((axis,), corr, Rotation(tuple(scale), tuple(light)))


def _spreads(corr: np.ndarray) -> list[float]:
    """Each factor's standard deviation given the others."""
    return (1.0 / np.sqrt(np.diag(np.linalg.inv(corr)))).tolist()


def _spread(corr: np.ndarray) -> float:
    """The last factor's standard deviation given the others (0 when dependent)."""
    outer = corr[:-1, :-1]
    beta = np.linalg.solve(outer, corr[-1, :-1])
    return math.sqrt(max(0.0, 1.0 - float(corr[-1, :-1] @ beta)))


def why_not(factors: Factors) -> str | None:
    """Why the exact engine cannot integrate these blocs, or None when it can."""
    size = 1 + max((max(m) for m, _ in factors.blocs if m), default=0)
    return plan(factors, size).reason
