"""Node tables of one factor, by configuration, and the byte-bounded cache that keeps them.

A configuration is one factor's members' levels (where yes ends, where no begins); its
table is the grid of nodes along the factor and the members' yes-count distributions at
each node (nodes.py). Analyses revisit configurations often, so tables (and the results
built on them) are kept, least recently used first out, within a budget of bytes.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

from .latent import quantiles
from .nodes import conditional, grid, left_out
from .nodes import offsets as break_offsets
from .plan import Axis


class Cache:
    """Least recently used values by key, within a budget of bytes (numpy arrays counted)."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.used = 0
        self.items: OrderedDict[bytes, tuple[Any, int]] = OrderedDict()

    def __contains__(self, key: bytes) -> bool:
        return key in self.items

    def __getitem__(self, key: bytes) -> Any:
        self.items.move_to_end(key)
        return self.items[key][0]

    def __setitem__(self, key: bytes, value: Any) -> None:
        size = _nbytes(value) + len(key) + 100
        if key in self.items:
            self.used -= self.items.pop(key)[1]
        self.items[key] = (value, size)
        self.used += size
        while self.used > self.budget and len(self.items) > 1:
            self.used -= self.items.popitem(last=False)[1][1]


def _nbytes(value: Any) -> int:
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, Table):
        return sum(a.nbytes for a in (value.x, value.v, value.dist, value.yes, value.no))
    return 64


@dataclass(frozen=True)
class Table:
    """One configuration of one factor's members: grid, weights, conditional distributions."""

    x: np.ndarray  # (nodes,)
    v: np.ndarray  # (nodes,) Gauss-Legendre weights, without the density
    dist: np.ndarray  # (nodes, 2, members + 1)
    yes: np.ndarray  # (members,) normal-scale cuts
    no: np.ndarray


@dataclass
class Tables:
    """Builds one factor's tables, and keeps the recent ones (by configuration)."""

    axis: Axis
    veto: np.ndarray
    nodes: int
    cache: Cache
    cuts_only: bool = False  # a rotated component: its nodes depend on the light direction

    def __post_init__(self) -> None:
        self.lam = np.array(self.axis.loadings)
        self.steps = np.concatenate([self.lam, self.lam[self.veto]])
        self.offsets = break_offsets(self.steps, self.axis.panels)

    def build(self, levels_: np.ndarray) -> list[Table]:
        """The tables of configurations given as rows of yes levels, then no levels."""
        m = len(self.axis.members)
        cut = quantiles(levels_)
        yes, no = cut[:, :m], cut[:, m:]
        if self.cuts_only:
            empty = np.empty(0)
            return [Table(empty, empty, empty, yes[r], no[r]) for r in range(len(levels_))]
        steps = np.concatenate([yes, no[:, self.veto]], axis=1)
        x, v = grid(steps, self.steps, self.offsets, self.axis.panels, self.nodes)
        dist = conditional(x, yes, no, self.lam, self.veto)
        out = []
        for row in range(len(levels_)):
            keep = v[row] > 0.0  # nodes of panels empty in this configuration weigh 0
            out.append(Table(x[row, keep], v[row, keep], dist[row, keep], yes[row], no[row]))
        return out

    def get(self, keys: list[bytes], levels_: np.ndarray) -> list[Table]:
        """The tables of these configurations (a batch at a time), built when not kept."""
        new = [i for i, k in enumerate(keys) if k not in self.cache]
        built = dict(zip(new, self.build(levels_[new]))) if new else {}
        for i, table in built.items():
            self.cache[keys[i]] = table
        return [built[i] if i in built else self.cache[k] for i, k in enumerate(keys)]

    def left_out(self, table: Table, x: np.ndarray) -> np.ndarray:
        """The table's distributions without each member in turn, at nodes x:
        (nodes, members, 2, members)."""
        return left_out(x[None], table.yes[None], table.no[None], self.lam, self.veto)[0]
