"""The count states of the evidence programme: a forward and a backward step per member.

A state is (veto flag, yes count, each other count the reports constrain); ``evidence``
drives these steps to condition on reported tallies.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from ..charter import ABSENT, ABSTAIN, NO, YES
from ..model import VOTES, Vote


class Grid:
    """Count states: (veto flag, yes count, each other tracked count).

    A count the reports bound above by hi needs only 0..hi and one bin for "more", which
    keeps what enters it: such states fail the reports whatever the other members do.
    JavaScript twins: `makeGrid`, `pushState`, `pullState`, `yesMarginal` and `reach` in
    data/explorer.html.
    """

    def __init__(self, n: int, limits: Mapping[Vote, tuple[int, int]], *, veto: bool) -> None:
        self.n = n
        self.veto = veto
        others = [c for c in (NO, ABSTAIN, ABSENT) if VOTES[c] in limits]
        self.implied = others.pop() if len(others) == 3 else None
        self.tracked = [YES, *others]
        self.axis = {c: k for k, c in enumerate(self.tracked)}  # among the count axes
        top = {VOTES.index(v): hi for v, (_, hi) in limits.items()}
        sizes = [min(n, top.get(c, n) + 1) + 1 for c in self.tracked]
        self.over = [size < n + 1 for size in sizes]  # the last bin is "more than hi"
        self.shape = (2 if veto else 1, *sizes)
        self.size = math.prod(self.shape)
        counts = np.indices(self.shape[1:])
        mask = np.ones(self.shape[1:], dtype=bool)
        for vote, (lo, hi) in limits.items():
            c = VOTES.index(vote)
            k = n - counts.sum(axis=0) if c == self.implied else counts[self.axis[c]]
            mask &= (k >= lo) & (k <= hi)  # an implied count beside a "more" bin fails there too
        self.mask = mask.astype(float)

    def start(self, nodes: int) -> np.ndarray:
        dist = np.zeros((nodes, *self.shape))
        dist[(slice(None), *(0,) * len(self.shape))] = 1.0
        return dist

    def push(self, dist: np.ndarray, p: np.ndarray, permanent: bool) -> np.ndarray:
        """The states after one more member with probs p (N, 4) votes."""
        w = p.reshape(-1, *(1,) * len(self.shape), 4)
        vetoing = permanent and self.veto
        moves = [c for c in range(4) if c in self.axis or (vetoing and c == NO)]
        out = dist * w[..., [c for c in range(4) if c not in moves]].sum(axis=-1)
        for c in moves:
            moved = dist * w[..., c]
            into = out
            if vetoing and c == NO:  # a permanent member's "no": the veto flag is set
                moved = moved.sum(axis=1, keepdims=True)
                into = out[:, 1:]
            if c in self.axis:
                self._add_shifted(into, moved, c, 2)
            else:
                into += moved
        return out

    def pull(self, hold: np.ndarray, p: np.ndarray) -> np.ndarray:
        """P(reports hold | counts before one more member votes), from the same after it.

        ``hold`` and the result are (N, counts...), without the veto axis.
        """
        w = p.reshape(-1, *(1,) * (len(self.shape) - 1), 4)
        out = hold * w[..., [c for c in range(4) if c not in self.axis]].sum(axis=-1)
        for c in self.tracked:
            self._add_shifted(out, hold * w[..., c], c, 1, back=True)
        return out

    def _add_shifted(
        self, into: np.ndarray, part: np.ndarray, c: int, lead: int, *, back: bool = False
    ) -> None:
        """into[k + 1] += part[k] along c's axis (into[k] += part[k + 1] when ``back``)."""
        axis = lead + self.axis[c]
        src, dst = shift(part.ndim, axis)
        if back:
            into[src] += part[dst]
        else:
            into[dst] += part[src]
        if self.over[self.axis[c]]:  # "more than hi" stays there
            last = (slice(None),) * axis + (slice(-1, None),)
            into[last] += part[last]

    def apply_mask(self, dist: np.ndarray) -> np.ndarray:
        """(N, 2, n + 1): P(yes count, veto flag, reports hold) from full states."""
        return self.yes_marginal(dist * self.mask)

    def yes_marginal(self, dist: np.ndarray) -> np.ndarray:
        """(N, 2, n + 1) from masked states (whose "more" bins are empty)."""
        out = np.zeros((len(dist), 2, self.n + 1))
        yes = dist.sum(axis=tuple(range(3, dist.ndim)))
        keep = yes.shape[-1] - self.over[0]
        out[:, : yes.shape[1], :keep] = yes[..., :keep]
        return out

    def reach(self, counts: np.ndarray, c: int) -> np.ndarray:
        """P(reports hold) per node when the others have ``counts`` and one more votes c."""
        mask = self.mask
        if c in self.axis:  # the mask one step up c's axis ("more" bins fail either way)
            src, dst = shift(mask.ndim, self.axis[c])
            mask = np.zeros_like(mask)
            mask[src] = self.mask[dst]
        return (counts * mask).sum(axis=tuple(range(1, counts.ndim)))


def shift(ndim: int, axis: int) -> tuple[tuple[slice, ...], tuple[slice, ...]]:
    """Index tuples for count k (source) and k + 1 (destination) along an axis."""
    src = [slice(None)] * ndim
    dst = [slice(None)] * ndim
    src[axis], dst[axis] = slice(None, -1), slice(1, None)
    return tuple(src), tuple(dst)


def combine(held: np.ndarray, drawn: np.ndarray) -> np.ndarray:
    """Add the yes counts and or the veto flags of two independent parts, per node
    (JavaScript twin: `combine` in data/explorer.html)."""
    n1 = held.shape[-1]
    out = np.zeros((len(held), 2, n1))  # the kept members' yes count is below n + 1 - |changed|
    flags = [a for a in range(2) if held[:, a].any()]
    for b in range(2):
        for k in np.flatnonzero(drawn[:, b, :n1].any(axis=0)):  # the few counts drawn can reach
            for a in flags:
                out[:, a | b, k:] += held[:, a, : n1 - k] * drawn[:, b, k : k + 1]
    return out
