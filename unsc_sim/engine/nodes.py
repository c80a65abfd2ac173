"""Quadrature nodes along one factor, and the members' vote distributions at each node.

Each factor is integrated over [-SPAN, SPAN] in panels of Gauss-Legendre nodes. Given the
factor f, a member votes yes with probability Phi((cut - loading * f) / sqrt(1 - r)): a
smooth step centred at cut / loading, of width sqrt(1 - r) / loading, which becomes a jump
at r = 1. Panels break at every member's step and are refined geometrically around steep
ones, so that the integrand is smooth on every panel; at r = 1 it is constant on each
panel, and the comonotone case is integrated exactly rather than smoothed.

Blurring (a factor's table convolved with a normal kernel) and its interpolation serve the
last factor of a correlated component (quadrature.py).
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np

from . import exact
from .latent import ndtr

NODES = 8  # Gauss-Legendre nodes per panel (16 agree with 8 to about 1e-13)
SPAN = 8.5  # each factor is integrated over [-SPAN, SPAN]: P(|F| > 8.5) = 2e-17
PANEL = 1.0  # longest panel, in units of the factor's (conditional) standard deviation
PANELS = math.ceil(2 * SPAN / PANEL)  # uniform panels of a factor of standard deviation 1
INTERPOLATION = 12  # Chebyshev points per half-spread panel of a blurred table (error 3e-15)
CHUNK = 200_000  # (point, node) pairs per vectorized step, to bound memory


@cache
def legendre(nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes and weights on [-1, 1] (the explorer's port reads them too)."""
    return np.polynomial.legendre.leggauss(nodes)


@cache
def chebyshev(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Chebyshev points of the second kind on [-1, 1] and their barycentric weights."""
    t = np.cos(np.pi * np.arange(n) / (n - 1))
    w = (-1.0) ** np.arange(n)
    w[[0, -1]] *= 0.5
    return t, w


def expo(x: np.ndarray) -> np.ndarray:
    """exp, where weights far out in the tails may underflow to 0 (harmless, not an error)."""
    with np.errstate(under="ignore"):
        return np.exp(x)


def width(loading: float) -> float:
    """The width of a member's step along its factor (0: a jump, r = 1)."""
    return math.sqrt(max(0.0, 1.0 - loading * loading)) / abs(loading)


def offsets(loadings: np.ndarray, panels: int) -> np.ndarray:
    """(steps, points): where panels break around each step, relative to its centre.

    Every step breaks at its centre; a step narrower than a panel also at 1, 2, 4, ...
    times its width on either side (geometric refinement); missing points are NaN.
    """
    panel = 2 * SPAN / panels
    rows = []
    for lam in loadings:
        w = width(lam)
        row = [0.0]
        while 0.0 < w < panel:
            row += [-w, w]
            w *= 2.0
        rows.append(row)
    out = np.full((len(rows), max(map(len, rows), default=1)), np.nan)
    for i, row in enumerate(rows):
        out[i, : len(row)] = row
    return out


def grid(
    cuts: np.ndarray, loadings: np.ndarray, offsets_: np.ndarray, panels: int, nodes: int
) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights on [-SPAN, SPAN] for each row of cuts (configurations, steps).

    Each column of ``cuts`` is one step of one member (its yes, or a permanent member's no)
    on the normal scale, with its factor loading and ``offsets``. Panels empty in every
    row (steps beyond the span, sure votes) are left out.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        centres = cuts / loadings
    breaks = (centres[:, :, None] + offsets_).reshape(len(cuts), -1)
    uniform = np.broadcast_to(np.linspace(-SPAN, SPAN, panels + 1), (len(cuts), panels + 1))
    points = np.concatenate([uniform, breaks], axis=1)
    points = np.sort(np.clip(np.nan_to_num(points, nan=-SPAN), -SPAN, SPAN), axis=1)
    low, high = points[:, :-1], points[:, 1:]
    used = np.any(high > low, axis=0)
    low, high = low[:, used, None], high[:, used, None]
    t, w = legendre(nodes)
    x = (low + high) / 2 + (high - low) / 2 * t
    v = (high - low) / 2 * w
    return x.reshape(len(cuts), -1), v.reshape(len(cuts), -1)


def probabilities(
    x: np.ndarray, yes: np.ndarray, no: np.ndarray, lam: np.ndarray, veto: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(P(yes), P(not yes), P(not yes and no veto)) of each member at each node:
    (configs, nodes, members) each, for cuts ``yes``/``no`` of shape (configs, members)."""
    m = len(lam)
    return tuple(  # type: ignore[return-value]
        np.moveaxis(a.reshape(m, *x.shape), 0, -1) for a in members_first(x, yes, no, lam, veto)
    )


def members_first(
    x: np.ndarray, yes: np.ndarray, no: np.ndarray, lam: np.ndarray, veto: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``probabilities`` laid out members first, (members, configs * nodes) each, as the
    count DP reads them (``exact.counts_first``, no transposes).

    A member scores below ``cut`` given the factor x with probability
    Phi((cut - lam x) / sqrt(1 - lam^2)), a jump at lam = 1 (the explorer's twin: ``below``).
    """
    m = len(lam)
    # P(no) is P(-score < -cut): one pass for both, the permanent members' no after the yes.
    cut = np.concatenate([yes, -no[:, veto]], axis=1).T  # (steps, configs)
    load = np.concatenate([lam, -lam[veto]])
    noise = np.sqrt(np.clip(1.0 - load * load, 0.0, None))[:, None, None]
    d = cut[:, :, None] - load[:, None, None] * x[None]
    if np.all(noise > 0.0):
        d /= noise
        p = ndtr(d)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            smooth = ndtr(d / noise) if np.any(noise > 0.0) else 0.0
        p = np.where(noise > 0.0, smooth, (d > 0.0).astype(float))
    p = p.reshape(len(load), -1)
    p_yes = p[:m]
    stay = 1.0 - p_yes
    clean = stay.copy()
    clean[veto] = np.clip(stay[veto] - p[m:], 0.0, None)
    return p_yes, stay, clean


def conditional(
    x: np.ndarray, yes: np.ndarray, no: np.ndarray, lam: np.ndarray, veto: np.ndarray
) -> np.ndarray:
    """(configs, nodes, 2, members + 1): yes-count distributions given the factor, all and
    veto-free, at each node; ``yes``/``no`` are the members' cuts (configs, members)."""
    m = len(lam)
    out = np.empty((*x.shape, 2, m + 1))
    rows = max(1, CHUNK // max(1, x.shape[1]))
    for start in range(0, len(x), rows):
        part = slice(start, start + rows)
        shape = (*x[part].shape, m + 1)
        p_yes, stay, clean = members_first(x[part], yes[part], no[part], lam, veto)
        out[part, :, 0] = exact.counts_first(p_yes, stay).T.reshape(shape)
        if veto.any():
            out[part, :, 1] = exact.counts_first(p_yes, clean).T.reshape(shape)
        else:
            out[part, :, 1] = out[part, :, 0]
    return out


def left_out(
    x: np.ndarray, yes: np.ndarray, no: np.ndarray, lam: np.ndarray, veto: np.ndarray
) -> np.ndarray:
    """``conditional`` without each member in turn: (configs, nodes, members, 2, members)."""
    m = len(lam)
    p_yes, stay, clean = members_first(x, yes, no, lam, veto)

    def others(up_: np.ndarray, stay_: np.ndarray) -> np.ndarray:
        return np.moveaxis(exact.left_out_first(up_, stay_), -1, 0).reshape(*x.shape, m, m)

    total = others(p_yes, stay)
    both = others(p_yes, clean) if veto.any() else total
    return np.stack([total, both], axis=-2)


def blur(
    x: np.ndarray, v: np.ndarray, values: np.ndarray, spread: float, reach: float
) -> np.ndarray:
    """Columns of ``values`` at the nodes x (weights v) blurred by a normal kernel of sd
    ``spread``, at Chebyshev points of panels of half a spread over [-reach, reach]:
    (panels, points, columns)."""
    panels = blur_panels(spread, reach)
    t, _ = chebyshev(INTERPOLATION)
    points = -reach + 2 * reach / panels * (np.arange(panels)[:, None] + (1.0 - t) / 2)
    out = np.empty((points.size, values.shape[1]))
    rows = max(1, CHUNK // max(1, len(x)))
    for start in range(0, points.size, rows):
        y = points.ravel()[start : start + rows, None]
        kernel = v * expo(-0.5 * ((x - y) / spread) ** 2)
        out[start : start + rows] = kernel @ values
    out /= spread * math.sqrt(2 * math.pi)
    return out.reshape(panels, INTERPOLATION, -1)


def blur_panels(spread: float, reach: float) -> int:
    """Panels of a blurred table (half a spread each)."""
    return max(1, math.ceil(4 * reach / (PANEL * spread)))


def interpolate(blurred: np.ndarray, reach: float, mu: np.ndarray) -> np.ndarray:
    """Barycentric interpolation of ``blur``'s panels at each mu: (len(mu), columns)."""
    panels = blurred.shape[0]
    h = 2 * reach / panels
    t, bary = chebyshev(INTERPOLATION)
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
