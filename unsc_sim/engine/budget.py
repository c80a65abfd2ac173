"""The work a whole call may do, estimated before it starts (README, "Limits").

A file within every documented limit (1,000 hypotheticals, three correlated blocs) can ask
for hours of integration. Before ``run`` evaluates the variants of a file, or
``what_it_takes`` integrates its switched sets, the work is estimated from the quadrature
plan (``plan.Component.work``, calibrated at ``plan.RATE``) or from the trials; a call whose
estimate exceeds ``MAX_SECONDS`` switches to Monte Carlo when that fits (``auto`` only), or
is refused with one line giving the estimates, never by running for minutes.
"""

from __future__ import annotations

import math

from ..errors import InvalidValueError
from ..model import Scenario
from .choose import Method
from .latent import factors_of
from .plan import RATE, plan

MAX_SECONDS = 10.0  # estimated, per call, on the project's 2-core machine (as `power`)
# Seconds per trial of one variant with blocs, pivots included (three correlated blocs,
# 15 uncertain members: 1.4 s for 200,000 trials on the shared 2-core machine).
TRIAL_SECONDS = 7e-6
# One set of ``Integrator.switched`` in a component integrated again costs this share of a
# variant's estimate (which counts its pivots and first tables): measured 0.10-0.14.
SET_SHARE = 0.15


class TooMuchWork(InvalidValueError):
    """A call whose estimated work exceeds ``MAX_SECONDS``; the message gives the estimates."""


def variant_seconds(scenario: Scenario, trials: int) -> tuple[float, float]:
    """(exact, Monte Carlo) estimated seconds for one variant of the scenario, pivots
    included; exact is infinite where the quadrature engine cannot integrate the blocs."""
    if not scenario.blocs:
        return 0.0, 0.0  # the independent engine: microseconds
    found = plan(factors_of(scenario), len(scenario.members))
    exact = math.inf if found.reason else found.work() / RATE
    return exact, trials * TRIAL_SECONDS


def check_variants(
    scenario: Scenario, variants: int, *, method: Method | str, trials: int
) -> Method:
    """The method to run ``variants`` variants of the scenario with, within the budget.

    ``auto`` stays ``auto`` when the exact engine fits, becomes ``montecarlo`` when only
    sampling fits; otherwise (or when the method asked for does not fit) ``TooMuchWork``.
    """
    method = Method(method)
    exact, sampled = (variants * s for s in variant_seconds(scenario, trials))
    if method is not Method.MONTECARLO and exact <= MAX_SECONDS:
        return method
    if method is not Method.EXACT and sampled <= MAX_SECONDS:
        return Method.MONTECARLO
    ways = f"about {_seconds(exact)} exactly" if math.isfinite(exact) else "not exactly"
    raise TooMuchWork(
        f"{variants:,} variant{'s' * (variants != 1)} with these blocs: {ways}, "
        f"{_seconds(sampled)} by Monte Carlo at {trials:,} trials; {MAX_SECONDS:g} s at most",
        hint="fewer hypotheticals (-H), weaker or fewer correlated blocs, or fewer --trials",
    )


def check_sets(total: float, sets: int, what: str) -> None:
    """Refuse integrating ``sets`` switched sets estimated at ``total`` seconds in all."""
    if total > MAX_SECONDS:
        raise TooMuchWork(
            f"{what}: {sets:,} sets to integrate with these correlated blocs, about "
            f"{_seconds(total)}; {MAX_SECONDS:g} s at most",
            hint="a smaller --max-k, or weaker or fewer correlated blocs",
        )


def _seconds(s: float) -> str:
    return f"{s:,.0f} s" if s >= 10 else f"{s:.1g} s"
