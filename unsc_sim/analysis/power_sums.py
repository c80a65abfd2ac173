"""The sums behind the power indices: generating functions over weight sums, quadrature of
the Shapley–Shubik integral, and exact counts, each for (weight, count) groups of members."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import TypeVar

import numpy as np

Value = float | Fraction
Acc = TypeVar("Acc")
Item = TypeVar("Item")
Out = TypeVar("Out")
Group = tuple[int, int]  # (weight, number of members with that weight)
Table = dict[tuple[int, int], int]  # (coalition size, weight) -> number of coalitions

# Entries per array in a block of quadrature nodes (16 MB of floats), whatever the game's size.
BLOCK = 1 << 21


def reduced(groups: list[Group], quota: int) -> tuple[list[Group], int]:
    """The same game with weights divided by their common factor (10**12 each is 1 each)."""
    factor = math.gcd(*(w for w, _ in groups))
    return [(w // factor, c) for w, c in groups], -(-quota // factor)


def equal_weights(n: int, quota: int, *, exact: bool) -> tuple[Value, Value, Value]:
    """Shapley–Shubik, absolute and normalized Banzhaf of n members of weight 1 each."""
    # Decisive when exactly quota - 1 of the other n - 1 vote yes.
    ways = math.comb(n - 1, quota - 1)
    if exact:
        return Fraction(1, n), Fraction(ways, 1 << (n - 1)), Fraction(1, n)
    # ways / 2**(n - 1) from the top 64 bits of ways (0.0 when below 2**-1074).
    shift = max(ways.bit_length() - 64, 0)
    return 1 / n, math.ldexp(float(ways >> shift), shift - (n - 1)), 1 / n


def counting(groups: list[Group], quota: int, n: int) -> tuple[list[Fraction], list[Fraction]]:
    pairs = _leave_one_out({(0, 0): 1}, groups, _exact_add(quota), _exact_finish(n, quota))
    ss, absolute = (list(column) for column in zip(*pairs))
    return ss, absolute


def _leave_one_out(
    base: Acc,
    items: Sequence[Item],
    add: Callable[[Acc, Item], Acc],
    finish: Callable[[Acc, Item], Out],
) -> list[Out]:
    """``finish(others, item)`` per item, ``others`` being ``base`` with every other item added.

    Divide and conquer: O(m log m) calls to ``add`` for m items instead of O(m^2).
    """
    if len(items) == 1:
        return [finish(base, items[0])]
    mid = len(items) // 2
    left, right = items[:mid], items[mid:]
    with_right, with_left = base, base
    for item in right:
        with_right = add(with_right, item)
    for item in left:
        with_left = add(with_left, item)
    return _leave_one_out(with_right, left, add, finish) + _leave_one_out(
        with_left, right, add, finish
    )


def banzhaf_absolute(groups: list[Group], quota: int) -> list[float]:
    """Per group: P(the others' yes weight lies in [quota - w, quota - 1]), others voting 1/2."""
    base = np.zeros(quota)
    base[0] = 1.0

    def finish(others: np.ndarray, group: Group) -> float:
        weight, count = group
        others = _add_votes(others, (weight, count - 1))
        return float(others[max(quota - weight, 0) :].sum())

    return _leave_one_out(base, groups, _add_votes, finish)


def _add_votes(dist: np.ndarray, group: Group) -> np.ndarray:
    """Distribution of yes weight after adding a group voting yes w.p. 1/2 each.

    Sums from len(dist) up are dropped: they already reach the quota.
    """
    weight, count = group
    pmf = _half_binomial(count)
    size = len(dist)
    out = np.zeros(size)
    if count < weight:  # few terms: shift and add
        for yes, prob in enumerate(pmf[: (size - 1) // weight + 1]):
            out[yes * weight :] += prob * dist[: size - yes * weight]
    else:  # many terms: one convolution per residue class modulo the weight
        for r in range(min(weight, size)):
            out[r::weight] = np.convolve(dist[r::weight], pmf)[: len(out[r::weight])]
    return out


def _half_binomial(count: int) -> np.ndarray:
    """Binomial(count, 1/2) probabilities, each correctly rounded."""
    # int / int rounds correctly and never overflows, unlike comb(count, k) * 0.5**count.
    out, comb, scale = [], 1, 1 << count
    for k in range(count + 1):
        out.append(comb / scale)
        comb = comb * (count - k) // (k + 1)
    return np.array(out)


def shapley_shubik(groups: list[Group], quota: int) -> list[float]:
    """Per group, Owen's integral of the probability of being pivotal: ∫ P_p(pivotal) dp.

    With others voting yes w.p. p, P_p is a polynomial of degree n - 1 in p, so Gauss–Legendre
    with ceil(n / 2) or more nodes integrates it exactly. At each node the distribution of
    everyone's yes weight is a product of binomial generating functions, inverted by one FFT;
    one member's vote is then divided out of it. All quantities are probabilities, so nothing
    can overflow.
    """
    n = sum(count for _, count in groups)
    period = sum(weight * count for weight, count in groups) + 1  # all sums, no wrap-around
    freq = np.arange(period // 2 + 1)
    # Yes and no swap at node 1 - p, mirroring the others' weight about their total: use the
    # nodes p < 1/2 only (an even number of nodes has none at 1/2) and read each window twice.
    nodes = -(-n // 2) + (-(-n // 2)) % 2
    yes, no, lam = (column[nodes // 2 :] for column in _gauss_legendre(nodes))
    roots = np.exp(-2j * np.pi * np.arange(period) / period)
    step = max(1, BLOCK // period)
    out = np.zeros(len(groups))
    for start in range(0, len(yes), step):
        block = slice(start, start + step)
        p, q = yes[block, None], no[block, None]
        spectrum = np.ones((len(p), len(freq)), complex)
        for weight, count in groups:
            spectrum *= _power(q + p * roots[weight * freq % period], count)
        everyone = np.fft.irfft(spectrum, n=period, axis=1)
        for g, (weight, _) in enumerate(groups):
            low, high, rest = max(quota - weight, 0), quota - 1, period - 1 - weight
            # q times the others' distribution, up to both windows.
            others = remove_vote(everyone, weight, p / q, max(high, rest - low) + 1)
            pivotal = others[:, low : high + 1].sum(axis=1)
            pivotal += others[:, max(rest - high, 0) : rest - low + 1].sum(axis=1)
            out[g] += (lam[block] / q[:, 0]) @ pivotal
    # Round-off can leave a dummy at -1e-17.
    return np.maximum(out, 0.0).tolist()


def remove_vote(dist: np.ndarray, weight: int, ratio: np.ndarray, stop: int) -> np.ndarray:
    """Row by row, x[:stop] with dist = x + ratio * (x shifted by weight)."""
    # Forward substitution scales errors by ratio = p / (1 - p) < 1 a step: stable.
    x = dist[:, :stop].copy()
    for s in range(weight, stop, weight):
        end = min(s + weight, stop)
        x[:, s:end] -= ratio * x[:, s - weight : end - weight]
    return x


def _power(z: np.ndarray, exponent: int) -> np.ndarray:
    """z ** exponent by repeated squaring: few roundings and no complex log/exp."""
    if exponent == 1:
        return z
    out = np.ones_like(z)
    while exponent:
        if exponent & 1:
            out = out * z
        exponent >>= 1
        if exponent:
            z = z * z
    return out


def _gauss_legendre(nodes: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nodes p, 1 - p and weights of Gauss–Legendre quadrature on [0, 1]."""
    # numpy's leggauss (an eigenvalue problem) loses digits at hundreds of nodes; Newton's
    # method on the three-term recurrence keeps machine precision.
    x = np.cos(np.pi * (np.arange(nodes) + 0.75) / (nodes + 0.5))
    for _ in range(100):
        value, slope = _legendre(nodes, x)
        step = value / slope
        x = x - step
        if np.max(np.abs(step)) <= 4e-16:
            break
    slope = _legendre(nodes, x)[1]
    return (1 + x) / 2, (1 - x) / 2, 1 / ((1 - x * x) * slope * slope)


def _legendre(degree: int, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P_degree(x) and its derivative."""
    prev, cur = np.ones_like(x), x
    for k in range(2, degree + 1):
        prev, cur = cur, ((2 * k - 1) * x * cur - (k - 1) * prev) / k
    return cur, degree * (x * cur - prev) / (x * x - 1)


def _exact_add(quota: int) -> Callable[[Table, Group], Table]:
    def add(table: Table, group: Group) -> Table:
        """Coalition counts by size and weight after adding a group; weights >= quota dropped."""
        weight, count = group
        out: Table = defaultdict(int)
        for (size, total), ways in table.items():
            for k in range(min(count, (quota - 1 - total) // weight) + 1):
                out[size + k, total + k * weight] += ways * math.comb(count, k)
        return out

    return add


def _exact_finish(n: int, quota: int) -> Callable[[Table, Group], tuple[Fraction, Fraction]]:
    """Exact (Shapley–Shubik, absolute Banzhaf) of a group's member from the other groups."""
    add = _exact_add(quota)

    def finish(table: Table, group: Group) -> tuple[Fraction, Fraction]:
        weight, count = group
        swings = [
            (size, ways)
            for (size, total), ways in add(table, (weight, count - 1)).items()
            if total >= quota - weight
        ]
        # A swing coalition of k others is followed by the member in k! (n - 1 - k)! orderings.
        orders = sum(ways * math.factorial(k) * math.factorial(n - 1 - k) for k, ways in swings)
        return (
            Fraction(orders, math.factorial(n)),
            Fraction(sum(ways for _, ways in swings), 2 ** (n - 1)),
        )

    return finish
