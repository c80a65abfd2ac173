"""Exact engine for blocs: the exact dynamic programme integrated over the bloc factors.

Given the bloc factors, members vote independently (see blocs.py), so the distribution of
yes votes, jointly with the veto, is the expectation over the factors of what exact.py
computes for independent members. This module takes that expectation by quadrature:
deterministic, and accurate to about 1e-12.

- Blocs whose factors are independent of the others are integrated one at a time (one
  dimension each) and their distributions convolved: any number of blocs.
- Blocs whose factors are correlated (``between``) are integrated together, up to three at
  a time: the last factor given the others is normal, so its part is the Gaussian blur of
  its own one-dimensional table, interpolated; the others form a tensor grid weighted by
  their joint density (two correlated blocs cost a one-dimensional sum, three a
  two-dimensional one).
- Factors at correlation 1 or -1 are one factor; the second bloc's members load on it with
  the correlation's sign.

Each factor is integrated over [-SPAN, SPAN] in panels of Gauss-Legendre nodes. Given the
factor f, a member votes yes with probability Phi((cut - loading * f) / sqrt(1 - r)): a
smooth step centred at cut / loading, of width sqrt(1 - r) / loading, which becomes a jump
at r = 1. Panels break at every member's step and are refined geometrically around steep
ones, so that the integrand is smooth on every panel; at r = 1 it is constant on each
panel, and the comonotone case is integrated exactly rather than smoothed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import cache

import numpy as np

from .. import charter
from ..errors import UnscSimError
from ..model import Rule
from . import exact
from .latent import Factors, levels, ndtr, quantiles

NODES = 8  # Gauss-Legendre nodes per panel (16 agree with 8 to about 1e-13)
SPAN = 8.5  # each factor is integrated over [-SPAN, SPAN]: P(|F| > 8.5) = 2e-17
PANEL = 1.0  # longest panel, in units of the factor's (conditional) standard deviation
INTERPOLATION = 12  # Chebyshev points per half-spread panel of a blurred table (error 3e-15)
MAX_AXES = 3  # correlated factors integrated together, at most
MAX_GRID = 4e6  # nodes of the outer tensor grid of three correlated factors, at most
UNIT = 1.0 - 1e-12  # a factor correlation this close to 1 or -1 merges the two factors
SINGULAR = 1e-9  # smallest eigenvalue below which correlated factors are dependent
CHUNK = 200_000  # (point, node) pairs per vectorized step, to bound memory
BATCH = 256  # configurations integrated together
TABLES = 2048  # node tables kept per factor (tens of kB each)
RESULTS = 200_000  # distributions kept per group of factors (a few hundred bytes each)


class QuadratureError(UnscSimError, ValueError):
    """The blocs are beyond this engine (the Monte Carlo engine handles them)."""


@dataclass(frozen=True)
class Axis:
    """One factor, the members loading on it (signed sqrt(r)), and its uniform panels."""

    members: tuple[int, ...]
    loadings: tuple[float, ...]
    panels: int = math.ceil(2 * SPAN / PANEL)

    def steepest(self) -> float:
        """The narrowest width of a member's step along this factor (0: a jump, r = 1)."""
        return min(math.sqrt(max(0.0, 1.0 - x * x)) / abs(x) for x in self.loadings)


@dataclass(frozen=True)
class Component:
    """Factors correlated with one another, in integration order (the last is blurred)."""

    axes: tuple[Axis, ...]
    correlation: np.ndarray


@dataclass(frozen=True)
class Plan:
    """Members by independent group: alone, or on a set of correlated factors."""

    independent: tuple[int, ...]
    components: tuple[Component, ...]
    reason: str | None = None  # why the engine cannot integrate these blocs, or None


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
        comp, reason = _component([axes[a] for a in g], c[np.ix_(g, g)])
        components.append(comp)
        reasons.append(reason)
    reason = next((r for r in reasons if r), None)
    return Plan(independent, tuple(components), reason)


def _component(axes: list[Axis], corr: np.ndarray) -> tuple[Component, str | None]:
    """Order correlated factors for integration and size their panels."""
    d = len(axes)
    if d == 1:
        return Component(tuple(axes), corr), None
    if d > MAX_AXES:
        return Component(tuple(axes), corr), (
            f"{d} blocs with correlated factors (the exact engine takes {MAX_AXES})"
        )
    singular = np.linalg.eigvalsh(corr)[0] < SINGULAR
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
        width = axes[-1].steepest()
        beta = np.linalg.solve(outer, corr[-1, :-1])
        if width == 0.0:
            return Component(tuple(axes), corr), (
                "blocs at correlation 1 whose factors are linearly dependent "
                "(a singular correlation matrix)"
            )
        spread = _spreads(outer)
        spread = [min(s, width / abs(b)) if b else s for s, b in zip(spread, beta)]
        spread.append(1.0)
    else:
        spread = _spreads(corr)
    panels = [math.ceil(2 * SPAN / (PANEL * s)) for s in spread]
    axes = [replace(a, panels=p) for a, p in zip(axes, panels)]
    reason = None
    if math.prod(p * NODES for p in panels[:-1]) > MAX_GRID:
        reason = (
            "blocs near correlation 1 whose factors are linearly dependent"
            if singular
            else "correlations between blocs too close to 1 or -1"
        )
    return Component(tuple(axes), corr), reason


def _spreads(corr: np.ndarray) -> list[float]:
    """Each factor's standard deviation given the others."""
    return (1.0 / np.sqrt(np.diag(np.linalg.inv(corr)))).tolist()


def _offsets(loadings: np.ndarray, panels: int) -> np.ndarray:
    """(steps, points): where panels break around each step, relative to its centre.

    Every step breaks at its centre; a step narrower than a panel also at 1, 2, 4, ...
    times its width on either side (geometric refinement); missing points are NaN.
    """
    panel = 2 * SPAN / panels
    rows = []
    for lam in loadings:
        width = math.sqrt(max(0.0, 1.0 - lam * lam)) / abs(lam)
        row = [0.0]
        while 0.0 < width < panel:
            row += [-width, width]
            width *= 2.0
        rows.append(row)
    out = np.full((len(rows), max(map(len, rows), default=1)), np.nan)
    for i, row in enumerate(rows):
        out[i, : len(row)] = row
    return out


def _grid(
    cuts: np.ndarray, loadings: np.ndarray, offsets: np.ndarray, panels: int, nodes: int
) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights on [-SPAN, SPAN] for each row of cuts (configurations, steps).

    Each column of ``cuts`` is one step of one member (its yes, or a permanent member's no)
    on the normal scale, with its factor loading and ``_offsets``. Panels empty in every
    row (steps beyond the span, sure votes) are left out.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        centres = cuts / loadings
    breaks = (centres[:, :, None] + offsets).reshape(len(cuts), -1)
    uniform = np.broadcast_to(np.linspace(-SPAN, SPAN, panels + 1), (len(cuts), panels + 1))
    points = np.concatenate([uniform, breaks], axis=1)
    points = np.sort(np.clip(np.nan_to_num(points, nan=-SPAN), -SPAN, SPAN), axis=1)
    low, high = points[:, :-1], points[:, 1:]
    used = np.any(high > low, axis=0)
    low, high = low[:, used, None], high[:, used, None]
    t, w = _legendre(nodes)
    x = (low + high) / 2 + (high - low) / 2 * t
    v = (high - low) / 2 * w
    return x.reshape(len(cuts), -1), v.reshape(len(cuts), -1)


@cache
def _legendre(nodes: int) -> tuple[np.ndarray, np.ndarray]:
    return np.polynomial.legendre.leggauss(nodes)


@cache
def _chebyshev(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Chebyshev points of the second kind on [-1, 1] and their barycentric weights."""
    t = np.cos(np.pi * np.arange(n) / (n - 1))
    w = (-1.0) ** np.arange(n)
    w[[0, -1]] *= 0.5
    return t, w


def _below(cut: np.ndarray, lam: np.ndarray, x: np.ndarray) -> np.ndarray:
    """P(score < cut | factor x), (configs, nodes, members), for cut (configs, members)."""
    noise = np.sqrt(np.clip(1.0 - lam * lam, 0.0, None))
    d = cut[:, None, :] - lam * x[:, :, None]
    if np.all(noise > 0.0):
        d /= noise
        return ndtr(d)
    with np.errstate(divide="ignore", invalid="ignore"):
        smooth = ndtr(d / noise) if np.any(noise > 0.0) else 0.0
    return np.where(noise > 0.0, smooth, (d > 0.0).astype(float))


def _conditional(
    x: np.ndarray, yes: np.ndarray, no: np.ndarray, lam: np.ndarray, veto: np.ndarray
) -> np.ndarray:
    """(configs, nodes, 2, members + 1): yes-count distributions given the factor, all and
    veto-free, at each node; ``yes``/``no`` are the members' cuts (configs, members)."""
    m = len(lam)
    out = np.empty((*x.shape, 2, m + 1))
    rows = max(1, CHUNK // max(1, x.shape[1]))
    # P(no) is P(-score < -cut): one call for both, the permanent members' no after the yes.
    cuts = np.concatenate([yes, -no[:, veto]], axis=1)
    loadings = np.concatenate([lam, -lam[veto]])
    for start in range(0, len(x), rows):
        part = slice(start, start + rows)
        p = _below(cuts[part], loadings, x[part])
        p_yes = p[..., :m]
        stay = 1.0 - p_yes
        out[part, :, 0] = exact._batched(p_yes, stay)
        if veto.any():
            stay[..., veto] = np.clip(stay[..., veto] - p[..., m:], 0.0, None)
            out[part, :, 1] = exact._batched(p_yes, stay)
        else:
            out[part, :, 1] = out[part, :, 0]
    return out


@dataclass(frozen=True)
class _Table:
    """One configuration of one factor's members: grid, weights, conditional distributions."""

    x: np.ndarray  # (nodes,)
    v: np.ndarray  # (nodes,) Gauss-Legendre weights, without the density
    dist: np.ndarray  # (nodes, 2, members + 1)
    yes: np.ndarray  # (members,) normal-scale cuts
    no: np.ndarray


@dataclass
class _Tables:
    """Builds one factor's tables, and keeps the recent ones (by configuration)."""

    axis: Axis
    veto: np.ndarray
    nodes: int
    cache: dict[bytes, _Table] = field(default_factory=dict)

    def __post_init__(self) -> None:
        lam = np.array(self.axis.loadings)
        self.steps = np.concatenate([lam, lam[self.veto]])
        self.offsets = _offsets(self.steps, self.axis.panels)

    def build(self, levels_: np.ndarray) -> list[_Table]:
        """The tables of configurations given as rows of yes levels, then no levels."""
        m = len(self.axis.members)
        cut = quantiles(levels_)
        yes, no = cut[:, :m], cut[:, m:]
        steps = np.concatenate([yes, no[:, self.veto]], axis=1)
        x, v = _grid(steps, self.steps, self.offsets, self.axis.panels, self.nodes)
        dist = _conditional(x, yes, no, self.steps[:m], self.veto)
        out = []
        for row in range(len(levels_)):
            keep = v[row] > 0.0  # nodes of panels empty in this configuration weigh 0
            out.append(_Table(x[row, keep], v[row, keep], dist[row, keep], yes[row], no[row]))
        return out

    def get(self, keys: list[bytes], levels_: np.ndarray) -> list[_Table]:
        """The tables of these configurations (at most BATCH), built when not kept."""
        new = [i for i, k in enumerate(keys) if k not in self.cache]
        if new:
            if len(self.cache) + len(new) > TABLES:
                self.cache.clear()
            for i, table in zip(new, self.build(levels_[new])):
                self.cache[keys[i]] = table
        return [self.cache[k] for k in keys]


def _convolve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Convolve distributions along the last axis (the sum of independent counts)."""
    shape = np.broadcast_shapes(a.shape[:-1], b.shape[:-1])
    out = np.zeros((*shape, a.shape[-1] + b.shape[-1] - 1))
    for j in range(b.shape[-1]):
        out[..., j : j + a.shape[-1]] += a * b[..., j : j + 1]
    return out


def _pairs(r: np.ndarray) -> np.ndarray:
    """Sum (..., a, b) over a + b = k: the distribution of the sum of two counts."""
    out = np.zeros((*r.shape[:-2], r.shape[-2] + r.shape[-1] - 1))
    for i in range(r.shape[-2]):
        out[..., i : i + r.shape[-1]] += r[..., i, :]
    return out


@dataclass(frozen=True)
class _Geometry:
    """How the last factor of a component depends on the others: F_last given the others
    is normal with mean beta . F_others and standard deviation ``spread``."""

    beta: np.ndarray
    spread: float
    precision: np.ndarray  # of the other factors' joint density
    reach: float  # |beta . F_others| <= reach on the grid

    @classmethod
    def of(cls, corr: np.ndarray) -> _Geometry:
        outer = corr[:-1, :-1]
        beta = np.linalg.solve(outer, corr[-1, :-1])
        spread = math.sqrt(max(0.0, 1.0 - float(corr[-1, :-1] @ beta)))
        return cls(beta, spread, np.linalg.inv(outer), SPAN * float(np.abs(beta).sum()))

    @property
    def dependent(self) -> bool:
        return self.spread < math.sqrt(SINGULAR)


def _blur(table: _Table, geometry: _Geometry) -> np.ndarray:
    """The table's distributions (and mass) blurred by the spread, at Chebyshev points of
    panels of half a spread over [-reach, reach]: (panels, points, 2 * (members + 1) + 1)."""
    lo, hi = -geometry.reach, geometry.reach
    panels = max(1, math.ceil(2 * (hi - lo) / (PANEL * geometry.spread)))
    t, _ = _chebyshev(INTERPOLATION)
    points = lo + (hi - lo) / panels * (np.arange(panels)[:, None] + (1.0 - t) / 2)
    values = np.concatenate([table.dist.reshape(len(table.x), -1), np.ones((len(table.x), 1))], 1)
    out = np.empty((points.size, values.shape[1]))
    rows = max(1, CHUNK // len(table.x))
    for start in range(0, points.size, rows):
        y = points.ravel()[start : start + rows, None]
        kernel = table.v * _exp(-0.5 * ((table.x - y) / geometry.spread) ** 2)
        out[start : start + rows] = kernel @ values
    out /= geometry.spread * math.sqrt(2 * math.pi)
    return out.reshape(panels, INTERPOLATION, -1)


def _interpolate(blurred: np.ndarray, reach: float, mu: np.ndarray) -> np.ndarray:
    """Barycentric interpolation of ``_blur``'s panels at each mu: (len(mu), columns)."""
    panels = blurred.shape[0]
    h = 2 * reach / panels
    t, bary = _chebyshev(INTERPOLATION)
    where = np.clip((mu + reach) / h, 0.0, panels)
    panel = np.minimum(where.astype(int), panels - 1)
    local = 1.0 - 2.0 * (where - panel)  # the points run from t = 1 down to -1
    out = np.empty((len(mu), blurred.shape[2]))
    rows = max(1, CHUNK // (INTERPOLATION * blurred.shape[2]))
    for start in range(0, len(mu), rows):
        part = slice(start, start + rows)
        diff = local[part, None] - t
        diff[diff == 0.0] = 1e-300  # on a point: that point's value
        weights = bary / diff
        weights /= weights.sum(axis=1, keepdims=True)
        out[part] = np.einsum("nj,njk->nk", weights, blurred[panel[part]])
    return out


def _joint(
    comp: Component,
    geometry: _Geometry,
    tables: list[_Table],
    veto: np.ndarray,
    blurred: np.ndarray | None,
) -> np.ndarray:
    """(2, yes counts) of correlated factors: a grid over all but the last, weighted by their
    joint density, and the last one's part: its ``blurred`` table interpolated at its mean
    given the others or, when it depends on them (None), its distributions read off there;
    ``veto`` says which of its members are permanent."""
    precision, beta = geometry.precision, geometry.beta
    first = tables[0]
    if len(tables) == 2:
        weight = first.v * _exp(-0.5 * precision[0, 0] * first.x**2)
        mu = beta[0] * first.x
    else:
        second = tables[1]
        xa, xb = first.x[:, None], second.x[None, :]
        quad = precision[0, 0] * xa**2 + 2 * precision[0, 1] * xa * xb + precision[1, 1] * xb**2
        weight = first.v[:, None] * second.v[None, :] * _exp(-0.5 * quad)
        mu = beta[0] * xa + beta[1] * xb
    m = len(comp.axes[-1].members)
    if blurred is None:
        end = tables[-1]
        lam = np.array(comp.axes[-1].loadings)
        dist = _conditional(mu.reshape(1, -1), end.yes[None], end.no[None], lam, veto)
        inner, mass = dist[0].reshape(*mu.shape, 2, m + 1), np.ones(mu.shape)
    else:
        values = _interpolate(blurred, geometry.reach, mu.ravel())
        inner = values[:, :-1].reshape(*mu.shape, 2, m + 1)
        mass = values[:, -1].reshape(mu.shape)
    norm = float((weight * mass).sum())
    out = []
    for t in range(2):
        if len(tables) == 2:
            r = np.einsum("i,ia,ib->ab", weight, first.dist[:, t], inner[:, t])
        else:
            rest = (weight[:, None, :] * second.dist[:, t].T[None]) @ inner[:, :, t]
            r = np.einsum("ia,ic->ac", first.dist[:, t], _pairs(rest))
        out.append(_pairs(r) / norm)
    return np.array(out)


class Integrator:
    """Yes-count distributions of batches of stances, for fixed blocs and permanent members.

    Each bloc configuration is computed once and remembered, so that the many variants of an
    analysis (each changing one or a few members) cost little more than the distinct ones.
    """

    def __init__(self, permanent: np.ndarray, factors: Factors, *, nodes: int = NODES) -> None:
        self.permanent = np.asarray(permanent, dtype=bool)
        self.plan = plan(factors, len(self.permanent))
        if self.plan.reason:
            raise QuadratureError(f"the exact engine cannot integrate {self.plan.reason}")
        self.tables = [
            [_Tables(axis, self.permanent[list(axis.members)], nodes) for axis in comp.axes]
            for comp in self.plan.components
        ]
        self.geometry = [
            _Geometry.of(comp.correlation) if len(comp.axes) > 1 else None
            for comp in self.plan.components
        ]
        # By component: the last factor's blurred tables, and the results, by configuration.
        self.blurred: list[dict[bytes, np.ndarray]] = [{} for _ in self.plan.components]
        self.results: list[dict[bytes, np.ndarray]] = [{} for _ in self.plan.components]

    def distributions(self, probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(total, clean) for probs of shape (..., members, 4), as exact.distributions."""
        probs = np.asarray(probs, dtype=float)
        if not self.plan.components:  # no bloc with a correlation above 0
            return exact.distributions(probs, self.permanent)
        lead = probs.shape[:-2]
        batch = probs.reshape(-1, *probs.shape[-2:])
        free = list(self.plan.independent)
        if free:
            total, clean = exact.distributions(batch[:, free], self.permanent[free])
            dist = np.stack([total, clean], axis=1)
        else:
            dist = np.ones((len(batch), 2, 1))
        for c, comp in enumerate(self.plan.components):
            dist = _convolve(dist, self._component(batch, c, comp))
        dist = np.clip(dist, 0.0, None)  # rounding can leave -1e-18
        return dist[:, 0].reshape(*lead, -1), dist[:, 1].reshape(*lead, -1)

    def _component(self, batch: np.ndarray, c: int, comp: Component) -> np.ndarray:
        """(batch, 2, yes counts) of one component's members."""
        tables, results = self.tables[c], self.results[c]
        keys, inverse, levels_ = [], [], []
        for table in tables:
            yes, no = levels(batch[:, list(table.axis.members)])
            no[:, ~table.veto] = 1.0  # only permanent members' no matters
            rows = np.concatenate([yes, no], axis=1)
            unique, inv = _unique(rows)
            keys.append([row.tobytes() for row in unique])
            inverse.append(inv)
            levels_.append(unique)
        combos, which = _unique(np.stack(inverse, axis=1))
        wanted = [b"".join(keys[a][u] for a, u in enumerate(row)) for row in combos]
        todo = [i for i, key in enumerate(wanted) if key not in results]
        if len(results) + len(todo) > RESULTS:
            results.clear()
        for start in range(0, len(todo), BATCH):
            part = combos[todo[start : start + BATCH]]
            parts = []
            for a, table in enumerate(tables):
                use = np.unique(part[:, a])
                got = table.get([keys[a][u] for u in use], levels_[a][use])
                parts.append(dict(zip(use.tolist(), got)))
            for row, i in zip(part, todo[start : start + BATCH]):
                found = [parts[a][u] for a, u in enumerate(row.tolist())]
                results[wanted[i]] = self._integrate(c, comp, found, keys[-1][row[-1]])
        return np.array([results[key] for key in wanted])[which]

    def _integrate(self, c: int, comp: Component, found: list[_Table], last: bytes) -> np.ndarray:
        if len(found) == 1:
            table = found[0]
            w = table.v * _exp(-0.5 * table.x**2)
            return np.einsum("q,qtk->tk", w / w.sum(), table.dist)
        geometry = self.geometry[c]
        assert geometry is not None
        blurred = None
        if not geometry.dependent:
            blurs = self.blurred[c]
            if last not in blurs:
                if len(blurs) >= TABLES:
                    blurs.clear()
                blurs[last] = _blur(found[-1], geometry)
            blurred = blurs[last]
        return _joint(comp, geometry, found, self.tables[c][-1].veto, blurred)

    def p_adopted(self, probs: np.ndarray, rule: Rule) -> np.ndarray:
        """P(adopted) for probs of shape (..., members, 4)."""
        return charter.p_adopted(*self.distributions(probs), rule)


def _unique(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows and, for each row, the index of its distinct row."""
    if len(rows) == 1:
        return rows, np.zeros(1, dtype=int)
    unique, inverse = np.unique(rows, axis=0, return_inverse=True)
    return unique, inverse.reshape(-1)


def distributions(
    probs: np.ndarray, permanent: np.ndarray, factors: Factors, *, nodes: int = NODES
) -> tuple[np.ndarray, np.ndarray]:
    """(total, clean) yes-count distributions with blocs, as exact.distributions."""
    return Integrator(permanent, factors, nodes=nodes).distributions(probs)


def why_not(factors: Factors) -> str | None:
    """Why this engine cannot integrate these blocs, or None when it can."""
    size = 1 + max((max(m) for m, _ in factors.blocs if m), default=0)
    return plan(factors, size).reason


def _exp(x: np.ndarray) -> np.ndarray:
    """exp, where weights far out in the tails may underflow to 0 (harmless, not an error)."""
    with np.errstate(under="ignore"):
        return np.exp(x)
