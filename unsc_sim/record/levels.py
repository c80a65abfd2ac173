"""The arithmetic of the priors' levels (``priors``), for every member column at once.

Votes are outcome indices (yes, no, abstain, absent; -1: no evidence) in (T, C) tables, one
row per recorded vote and one column per member. Each function gives, bit for bit, what the
same computation member by member gives (the same sums in the same order), so that reading
the members together changes no prior.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import numpy as np

YES, NO, ABSTAIN, ABSENT = range(4)
FLIP = np.array([NO, YES, ABSTAIN, ABSENT])  # yes and no swapped
DAYS_PER_YEAR = 365.2425


def weights(
    days: np.ndarray,
    day: dt.date,
    half_life: float,
    *,
    on: Sequence[tuple[np.ndarray | None, float]] = (),
) -> np.ndarray:
    """Each vote's weight (``days``: date ordinals): 2^(-age in years / half_life) (1 with an
    infinite half-life), times ``weight`` for each (mask, weight) of ``on`` where the mask
    holds (None: no such factor)."""
    if math.isfinite(half_life):
        w = np.exp2(-(day.toordinal() - days) / DAYS_PER_YEAR / half_life)
    else:
        w = np.ones(len(days))
    for mask, weight in on:
        if mask is not None:
            w = w * np.where(mask, weight, 1.0)
    return w


def counts(outcome: np.ndarray, w: np.ndarray) -> np.ndarray:
    """(C, 4) weighted counts of each outcome index per member column (-1 is not counted)."""
    return np.stack([w @ (outcome == o) for o in range(4)], axis=1)


def relative(votes: np.ndarray, ref: int, direction: int) -> np.ndarray:
    """Every member's vote as an outcome of the new motion, read against member ``ref``."""
    out = np.full(votes.shape, -1, dtype=np.int8)
    mine = votes[:, ref : ref + 1]
    decided = ((mine == YES) | (mine == NO)) & ((votes == YES) | (votes == NO))
    with_, against = (YES, NO) if direction > 0 else (NO, YES)
    out[decided & (votes == mine)] = with_
    out[decided & (votes != mine)] = against
    sat = (mine == YES) | (mine == NO)
    out[sat & (votes == ABSTAIN)] = ABSTAIN
    out[sat & (votes == ABSENT)] = ABSENT
    out[:, ref] = -1  # a reference tells nothing about itself
    return out


def held_mean(stack: np.ndarray) -> np.ndarray:
    """(K, M, 4) counts -> (M, 4): each row averaged over the K tables in which it holds any
    (zeros where none does), as ``np.mean`` of those tables gives it."""
    held = stack.sum(axis=2) > 0
    if len(stack) == 1:  # the mean of one table is that table
        return np.where(held[0][:, None], stack[0], 0.0)
    n = held.sum(axis=0)[:, None]
    total = np.where(held[..., None], stack, 0.0).sum(axis=0)
    return np.where(n > 0, total / np.maximum(n, 1), 0.0)


def padded(tables: list[np.ndarray]) -> np.ndarray:
    """(K, C + 1, 4): the (C, 4) tables stacked, with a row of zeros at index C (no member)."""
    stack = np.stack(tables)
    return np.concatenate([stack, np.zeros((len(tables), 1, 4))], axis=1)


def smooth(start: np.ndarray, levels: list[np.ndarray], alpha: float) -> np.ndarray:
    """From ``start`` down the levels ((M, 4) counts each, or (1, 4) shared by all):
    p = (n + alpha * p) / (N + alpha) at each."""
    p = start
    for n in levels:
        p = (n + alpha * p) / (n.sum(axis=1, keepdims=True) + alpha)
    return p


def member_levels(
    tables: np.ndarray,
    start: np.ndarray,
    above: list[np.ndarray],
    rows: np.ndarray,
    mates: np.ndarray,
    alpha: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Members at ``rows`` of the ``padded`` tables (one per reference), their regional
    ``mates`` at (M, L) rows (padding: the zero row): (M, 4) probabilities smoothed from
    ``start`` down the ``above`` levels, the group's mean and the member's own; and that own
    mean, (M, 4)."""
    group = held_mean(tables[:, mates].sum(axis=2))
    own = held_mean(tables[:, rows])
    return smooth(start, [*above, group, own], alpha), own


def pulled(p: np.ndarray, n_topic: np.ndarray, topic_alpha: float) -> np.ndarray:
    """Each row of ``p`` pulled by the member's (M, 4) same-topic counts against
    ``topic_alpha`` pseudo-votes (infinite: not at all; rows without such counts stay)."""
    n = n_topic.sum(axis=1, keepdims=True)
    if not math.isfinite(topic_alpha):
        return p
    return np.where(n > 0, (n_topic + topic_alpha * p) / (n + topic_alpha), p)
