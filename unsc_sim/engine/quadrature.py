"""Exact engine for blocs: the exact dynamic programme integrated over the bloc factors.

Given the bloc factors, members vote independently (see latent.py), so the distribution of
yes votes, jointly with the veto, is the expectation over the factors of what exact.py
computes for independent members. This module takes that expectation by quadrature:
deterministic, and accurate to about 1e-12. plan.py groups the factors and sizes the
panels; nodes.py places the nodes and tabulates the members' votes at each.

Correlated factors: the last factor given the others is normal, so its part is the
Gaussian blur of its own one-dimensional table, interpolated at its mean given the others;
the others form a tensor grid weighted by their joint density (two correlated blocs cost a
one-dimensional sum, three a two-dimensional one).

Pivots (``left_out``) need each member's vote set for sure, which leaves the others as they
were: the engine integrates, in the same pass and at the same nodes, the distribution of
the others' votes with each member left out (prefix and suffix tables at every node).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import charter
from ..charter import NO, YES
from ..errors import UnscSimError
from ..model import Rule
from . import exact
from .latent import Factors, levels
from .nodes import (
    CHUNK,
    NODES,
    PANELS,
    SPAN,
    blur,
    conditional,
    expo,
    grid,
    interpolate,
    left_out,
    probabilities,
)
from .plan import Axis, plan, why_not
from .tables import Cache, Table, Tables

__all__ = ["NODES", "Axis", "Integrator", "QuadratureError", "distributions", "why_not"]

BATCH = 256  # configurations integrated together
CACHE_BYTES = 64 * 2**20  # node tables, blurred tables and results kept, per integrator


class QuadratureError(UnscSimError, ValueError):
    """The blocs are beyond this engine (the Monte Carlo engine handles them)."""


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
        return self.spread < 3e-5  # sqrt of plan.SINGULAR


def _blur(table: Table, geometry: _Geometry, extra: np.ndarray | None = None) -> np.ndarray:
    """The table's distributions and mass (and ``extra`` columns) blurred by the spread."""
    columns = [table.dist.reshape(len(table.x), -1), np.ones((len(table.x), 1))]
    if extra is not None:
        columns.append(extra.reshape(len(table.x), -1))
    values = np.concatenate(columns, axis=1)
    return blur(table.x, table.v, values, geometry.spread, geometry.reach)


@dataclass
class _Joint:
    """A correlated component's grid over all factors but the last, and the last one's
    distributions at each node of it (``inner``, with its ``mass``)."""

    weight: np.ndarray  # (n1,) or (n1, n2): Gauss-Legendre weight times joint density
    inner: np.ndarray  # (*weight.shape, 2, m + 1)
    norm: float
    extra: np.ndarray | None = field(default=None)  # (*weight.shape, m, 2, m): left out

    def combine(self, d1: np.ndarray, d2: np.ndarray | None, inner: np.ndarray) -> np.ndarray:
        """(2, counts): the component's distribution from its axes' tables at the nodes."""
        out = []
        for t in range(2):  # d1 may have more axes after its first (members left out)
            if d2 is None:
                r = np.einsum("i,i...a,ib->...ab", self.weight, d1[..., t, :], inner[:, t])
            else:
                rest = (self.weight[:, None, :] * d2[:, t].T[None]) @ inner[:, :, t]
                r = np.einsum("i...a,ic->...ac", d1[..., t, :], _pairs(rest))
            out.append(_pairs(r) / self.norm)
        return np.stack(out, axis=-2)


class Integrator:
    """Yes-count distributions of batches of stances, for fixed blocs and permanent members.

    Each bloc configuration is computed once and remembered (within ``CACHE_BYTES``, least
    recently used first out), so that the many variants of an analysis (each changing one or
    a few members) cost little more than the distinct ones.
    """

    def __init__(self, permanent: np.ndarray, factors: Factors, *, nodes: int = NODES) -> None:
        self.permanent = np.asarray(permanent, dtype=bool)
        self.plan = plan(factors, len(self.permanent))
        if self.plan.reason:
            raise QuadratureError(f"the exact engine cannot integrate {self.plan.reason}")
        self.nodes = nodes
        budget = CACHE_BYTES // (3 * max(1, len(self.plan.components)))
        self.tables = [
            [
                Tables(
                    axis,
                    self.permanent[list(axis.members)],
                    nodes,
                    Cache(budget // len(comp.axes)),
                    comp.rotation is not None,
                )
                for axis in comp.axes
            ]
            for comp in self.plan.components
        ]
        self.geometry = [
            _Geometry.of(comp.correlation) if len(comp.axes) > 1 and comp.rotation is None else None
            for comp in self.plan.components
        ]
        # By component: the last factor's blurred tables, and the results, by configuration.
        self.blurred = [Cache(budget) for _ in self.plan.components]
        self.results = [Cache(budget) for _ in self.plan.components]

    def work(self) -> float:
        """Estimated operations to integrate one configuration of every component."""
        return self.plan.work()

    def switch_work(self) -> float:
        """Estimated operations of one set of ``switched``: the components it integrates
        again (several factors, or rotated); one-factor ones are re-counted at their nodes."""
        comps = self.plan.components
        return sum(c.work() for c in comps if len(c.axes) > 1 or c.rotation is not None)

    def distributions(self, probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(total, clean) for probs of shape (..., members, 4), as exact.distributions."""
        probs = np.asarray(probs, dtype=float)
        if not self.plan.components:  # no bloc with a correlation above 0
            return exact.distributions(probs, self.permanent)
        lead = probs.shape[:-2]
        batch = probs.reshape(-1, *probs.shape[-2:])
        out = np.empty((len(batch), 2, batch.shape[1] + 1))
        for start in range(0, len(batch), exact.CHUNK):  # memory bounded in the batch size
            out[start : start + exact.CHUNK] = self._distributions(batch[start:][: exact.CHUNK])
        return out[:, 0].reshape(*lead, -1), out[:, 1].reshape(*lead, -1)

    def _distributions(self, batch: np.ndarray) -> np.ndarray:
        free = list(self.plan.independent)
        if free:
            total, clean = exact.distributions(batch[:, free], self.permanent[free])
            dist = np.stack([total, clean], axis=1)
        else:
            dist = np.ones((len(batch), 2, 1))
        for c in range(len(self.plan.components)):
            dist = _convolve(dist, self._component(batch, c)[0])
        return np.clip(dist, 0.0, None)  # rounding can leave -1e-18

    def _component(self, batch: np.ndarray, c: int) -> tuple[np.ndarray, list[list[Table]] | None]:
        """(batch, 2, yes counts) of one component's members; for a batch of one, its tables."""
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
        found: dict[int, np.ndarray] = {}
        todo = []
        for i, key in enumerate(wanted):
            if key in results:
                found[i] = results[key]
            else:
                todo.append(i)
        used = None
        for start in range(0, len(todo), BATCH):
            part = combos[todo[start : start + BATCH]]
            parts = []
            for a, table in enumerate(tables):
                use = np.unique(part[:, a])
                got = table.get([keys[a][u] for u in use], levels_[a][use])
                parts.append(dict(zip(use.tolist(), got)))
            for row, i in zip(part, todo[start : start + BATCH]):
                used = [parts[a][u] for a, u in enumerate(row.tolist())]
                found[i] = results[wanted[i]] = self._integrate(c, used, keys[-1][row[-1]])
        out = np.array([found[i] for i in range(len(wanted))])[which]
        return out, None if used is None else [used]

    def _integrate(self, c: int, found: list[Table], last: bytes) -> np.ndarray:
        comp = self.plan.components[c]
        if comp.rotation is not None:
            return self._rotated(c, found[0])[0]
        if len(found) == 1:
            table = found[0]
            w = table.v * expo(-0.5 * table.x**2)
            return np.einsum("q,qtk->tk", w / w.sum(), table.dist)
        joint = self._joint(c, found, last)
        return joint.combine(found[0].dist, found[1].dist if len(found) == 3 else None, joint.inner)

    def _joint(self, c: int, tables: list[Table], last: bytes, extra: bool = False) -> _Joint:
        """The grid over all factors but the last, and the last one's part: its blurred
        table interpolated at its mean given the others or, when it depends on them, its
        distributions read off there. ``extra``: also without each of its members."""
        comp, geometry = self.plan.components[c], self.geometry[c]
        assert geometry is not None
        precision, beta = geometry.precision, geometry.beta
        first = tables[0]
        if len(tables) == 2:
            weight = first.v * expo(-0.5 * precision[0, 0] * first.x**2)
            mu = beta[0] * first.x
        else:
            second = tables[1]
            xa, xb = first.x[:, None], second.x[None, :]
            quad = precision[0, 0] * xa**2 + 2 * precision[0, 1] * xa * xb
            quad += precision[1, 1] * xb**2
            weight = first.v[:, None] * second.v[None, :] * expo(-0.5 * quad)
            mu = beta[0] * xa + beta[1] * xb
        end, ends = tables[-1], self.tables[c][-1]
        m = len(comp.axes[-1].members)
        loo = None
        if geometry.dependent:
            x = mu.reshape(1, -1)
            dist = conditional(x, end.yes[None], end.no[None], ends.lam, ends.veto)
            inner, mass = dist[0].reshape(*mu.shape, 2, m + 1), np.ones(mu.shape)
            if extra:
                loo = ends.left_out(end, mu.ravel()).reshape(*mu.shape, m, 2, m)
        else:
            if extra:
                blurred = _blur(end, geometry, ends.left_out(end, end.x))
            else:
                blurs = self.blurred[c]
                if last not in blurs:
                    blurs[last] = _blur(end, geometry)
                blurred = blurs[last]
            values = interpolate(blurred, geometry.reach, mu.ravel())
            size = 2 * (m + 1)
            inner = values[:, :size].reshape(*mu.shape, 2, m + 1)
            mass = values[:, size].reshape(mu.shape)
            if extra:
                loo = values[:, size + 1 :].reshape(*mu.shape, m, 2, m)
        return _Joint(weight, inner, float((weight * mass).sum()), loo)

    def _rotated(self, c: int, table: Table, extra: bool = False) -> tuple[np.ndarray, Any]:
        """A rotated component: the heavy direction integrated at each node of the light one.

        Returns (2, m + 1) and, with ``extra``, (m, 2, m) without each member in turn.
        """
        comp, tables = self.plan.components[c], self.tables[c][0]
        rotation = comp.rotation
        assert rotation is not None
        scale, light = np.array(rotation.scale), np.array(rotation.light)
        veto, m = tables.veto, len(tables.lam)
        yes, no = table.yes * scale, table.no * scale
        z, wz = self._light_nodes(tables, yes, no, light)
        full = np.zeros((2, m + 1))
        loo = np.zeros((m, 2, m)) if extra else None
        guess = PANELS * self.nodes * 4
        rows = max(1, 200_000 // (guess * (m if extra else 1)))
        for start in range(0, len(z), rows):
            shift = light * z[start : start + rows, None]
            y, n = yes - shift, no - shift
            steps = np.concatenate([y, n[:, veto]], axis=1)
            x, v = grid(steps, tables.steps, tables.offsets, PANELS, self.nodes)
            w = v * expo(-0.5 * x**2) * wz[start : start + rows, None]
            full += np.einsum("kq,kqtc->tc", w, conditional(x, y, n, tables.lam, veto))
            if loo is not None:
                loo += np.einsum("kq,kqjtc->jtc", w, left_out(x, y, n, tables.lam, veto))
        norm = full[0].sum()
        return full / norm, None if loo is None else loo / norm

    def _light_nodes(
        self, tables: Tables, yes: np.ndarray, no: np.ndarray, light: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Nodes along the light direction and their weights (with the density): panels
        break where two members' jumps along the heavy direction cross."""
        jumps = np.abs(np.abs(tables.steps) - 1.0) < 1e-15
        lam = tables.steps
        cut = np.concatenate([yes, -no[tables.veto]])
        move = np.concatenate([light, -light[tables.veto]])
        ok = jumps & np.isfinite(cut)
        a, b = (cut / lam)[ok], (move / lam)[ok]
        with np.errstate(divide="ignore", invalid="ignore"):
            cross = (a[:, None] - a[None, :]) / (b[:, None] - b[None, :])
        cross = cross[np.isfinite(cross) & (np.abs(cross) < SPAN)]
        x, v = grid(cross[None], np.ones(len(cross)), np.zeros((len(cross), 1)), PANELS, NODES)
        keep = v[0] > 0.0
        z, w = x[0, keep], v[0, keep] * expo(-0.5 * x[0, keep] ** 2)
        return z, w / w.sum()

    def p_adopted(self, probs: np.ndarray, rule: Rule) -> np.ndarray:
        """P(adopted) for probs of shape (..., members, 4)."""
        return charter.p_adopted(*self.distributions(probs), rule)

    def left_out(self, probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(total, clean) of the other members' yes votes, each member left out in turn:
        (members, members) each, at the nodes of one pass over the scenario (members, 4).

        A member whose vote is set for sure adds nothing uncertain: P(adopted) with it sure
        follows from these (``exact.pivots``), as if the scenario were integrated again.
        """
        probs = np.asarray(probs, dtype=float)
        n = len(probs)
        if not self.plan.components:
            return exact.left_out(probs, self.permanent)
        groups: list[list[int]] = []
        whole: list[np.ndarray] = []  # (2, counts) of each group
        without: list[np.ndarray] = []  # (members of the group, 2, counts - 1)
        free = list(self.plan.independent)
        if free:
            total, clean = exact.distributions(probs[free], self.permanent[free])
            t_loo, c_loo = exact.left_out(probs[free], self.permanent[free])
            groups.append(free)
            whole.append(np.stack([total, clean]))
            without.append(np.stack([t_loo, c_loo], axis=1))
        for c, comp in enumerate(self.plan.components):
            dist, used = self._component(probs[None], c)
            if used is None:  # every table kept: fetch them again (cheap)
                used = self._tables_of(probs, c)
            tables = used[0]
            groups.append([i for axis in comp.axes for i in axis.members])
            whole.append(dist[0])
            without.append(self._left_out(c, tables))
        out = np.zeros((n, 2, n))
        for g, members in enumerate(groups):
            rest = np.ones((2, 1))
            for h, dist in enumerate(whole):
                if h != g:
                    rest = _convolve(rest, dist)
            out[members] = np.clip(_convolve(without[g], rest), 0.0, None)
        return out[:, 0], out[:, 1]

    def switched(
        self, probs: np.ndarray, sets: list[tuple[int, ...]], vote: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(total, clean) of the scenario (members, 4) with each set's members voting
        ``vote`` (a sure vote's row of probabilities): (sets, members + 1) each.

        A sure vote adds nothing uncertain, so a one-factor component is re-counted at the
        nodes of the scenario itself, never integrated again; other components (correlated
        or rotated factors) are integrated as usual, but only when a set touches them.
        """
        probs = np.asarray(probs, dtype=float)
        vote = np.asarray(vote, dtype=float)
        n, rows = len(probs), len(sets)
        mask = np.zeros((rows, n), dtype=bool)
        for r, members in enumerate(sets):
            mask[r, list(members)] = True
        free = list(self.plan.independent)
        dist = np.ones((rows, 2, 1))
        if free and rows:
            batch = np.repeat(probs[None, free], rows, axis=0)
            batch[mask[:, free]] = vote
            dist = np.stack(exact.distributions(batch, self.permanent[free]), axis=1)
        for c, comp in enumerate(self.plan.components):
            members = [i for axis in comp.axes for i in axis.members]
            touched = mask[:, members].any(axis=1)
            part = np.empty((rows, 2, len(members) + 1))
            part[~touched] = self._component(probs[None], c)[0][0]
            if touched.any():
                part[touched] = self._switched(probs, mask[touched], vote, c)
            dist = _convolve(dist, part)
        dist = np.clip(dist, 0.0, None)
        return dist[:, 0], dist[:, 1]

    def _switched(self, probs: np.ndarray, mask: np.ndarray, vote: np.ndarray, c: int):
        comp = self.plan.components[c]
        if len(comp.axes) > 1 or comp.rotation is not None:
            batch = np.repeat(probs[None], len(mask), axis=0)
            batch[mask] = vote
            return self._component(batch, c)[0]
        tables = self.tables[c][0]
        table = self._tables_of(probs, c)[0][0]
        p_yes, stay, clean = probabilities(
            table.x[None], table.yes[None], table.no[None], tables.lam, tables.veto
        )
        sure, back = _unique(mask[:, list(tables.axis.members)])
        w = table.v * expo(-0.5 * table.x**2)
        w /= w.sum()
        veto = tables.veto
        no_clean = 0.0 if vote[NO] > 0 else 1.0 - vote[YES]
        out = np.empty((len(sure), 2, len(veto) + 1))
        step = max(1, CHUNK // max(1, len(table.x) * len(veto)))
        for start in range(0, len(sure), step):
            fix = sure[start : start + step, None, :]
            y = np.where(fix, vote[YES], p_yes)
            st = np.where(fix, 1.0 - vote[YES], stay)
            cl = np.where(fix, np.where(veto, no_clean, 1.0 - vote[YES]), clean)
            total = exact.batched(y, st)
            both = exact.batched(y, cl) if veto.any() else total
            out[start : start + step, 0] = np.einsum("rqk,q->rk", total, w)
            out[start : start + step, 1] = np.einsum("rqk,q->rk", both, w)
        return out[back]

    def _tables_of(self, probs: np.ndarray, c: int) -> list[list[Table]]:
        tables = []
        for table in self.tables[c]:
            yes, no = levels(probs[None, list(table.axis.members)])
            no[:, ~table.veto] = 1.0
            rows = np.concatenate([yes, no], axis=1)
            tables.append(table.get([rows[0].tobytes()], rows)[0])
        return [tables]

    def _left_out(self, c: int, tables: list[Table]) -> np.ndarray:
        """(members of the component, 2, counts): each member left out in turn."""
        comp = self.plan.components[c]
        if comp.rotation is not None:
            return self._rotated(c, tables[0], extra=True)[1]
        if len(tables) == 1:
            table = tables[0]
            w = table.v * expo(-0.5 * table.x**2)
            loo = self.tables[c][0].left_out(table, table.x)
            return np.einsum("q,qjtk->jtk", w / w.sum(), loo)
        joint = self._joint(c, tables, b"", extra=True)
        assert joint.extra is not None
        d = [t.dist for t in tables]
        second = d[1] if len(d) == 3 else None
        out = list(
            joint.combine(self.tables[c][0].left_out(tables[0], tables[0].x), second, joint.inner)
        )
        if second is not None:
            loo = self.tables[c][1].left_out(tables[1], tables[1].x)
            out += [joint.combine(d[0], loo[:, j], joint.inner) for j in range(loo.shape[1])]
        for j in range(joint.extra.shape[-3]):
            out.append(joint.combine(d[0], second, joint.extra[..., j, :, :]))
        return np.array(out)


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
