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

from ..charter import with_proviso
from ..errors import InvalidValueError
from ..model import Scenario
from . import given
from .choose import Method, arrays, check_sampling, trials_for
from .evidence import bounds
from .latent import factors_of
from .plan import RATE, plan
from .tally import Grid

MAX_SECONDS = 10.0  # estimated, per call, on the project's 2-core machine (as `power`)
# Seconds per trial of one variant with blocs, pivots included (three correlated blocs,
# 15 uncertain members: 1.4 s for 200,000 trials on the shared 2-core machine).
TRIAL_SECONDS = 7e-6
# One set of ``Integrator.switched`` in a component integrated again costs this share of a
# variant's estimate (which counts its pivots and first tables): measured 0.10-0.14.
SET_SHARE = 0.15
# Seconds per node (or weighted draw) of one variant conditioned on reports, per member
# squared and count state: the posteriors and pivots take n (n + 1) / 2 steps each (measured
# 1.3e-8 to 1.8e-8 with 10 to 420 states, 15 members, on the shared 2-core machine).
GIVEN_SECONDS = 2e-8
MIN_DRAWS = 2_000  # weighted draws when none are asked for: fewer than 20,000 to fit the budget
# Seconds per weighted draw of one sweep point given reports (a small DP on the kept members'
# shared part: measured 1.9e-6 for two swept members), and of one switched set (its kept
# members' part too: 4.5e-6).
ROW_SECONDS = 2e-6
SET_SECONDS = 5e-6
SETS = 500  # switched sets ``what_it_takes`` evaluates on a Council of 15, about


class TooMuchWork(InvalidValueError):
    """A call whose estimated work exceeds ``MAX_SECONDS``; the message gives the estimates."""


def variant_seconds(scenario: Scenario, trials: int | None) -> tuple[float, float]:
    """(exact, Monte Carlo) estimated seconds for one variant of the scenario, pivots
    included; exact is infinite where the quadrature engine cannot integrate the blocs."""
    if not scenario.blocs:
        return 0.0, 0.0  # the independent engine: microseconds
    if scenario.reported:
        exact, draw = given_seconds(scenario)
        return exact, trials_for(trials, weighted=True) * draw
    found = plan(factors_of(scenario), len(scenario.members))
    exact = math.inf if found.reason else found.work() / RATE
    return exact, trials_for(trials) * TRIAL_SECONDS


def given_seconds(scenario: Scenario) -> tuple[float, float]:
    """(over the quadrature nodes, per weighted draw) estimated seconds for one variant of a
    scenario with reports and blocs; the nodes' is infinite when the factors are correlated."""
    base = with_proviso(scenario)
    probs, permanent = arrays(base)
    n = len(probs)
    states = Grid(n, bounds(scenario.reported, n), veto=base.rule.veto and any(permanent)).size
    per = n * n * states * GIVEN_SECONDS
    mixture = given.nodes(probs, factors_of(base))
    return (math.inf if mixture is None else len(mixture.weights) * per), per


def analysis_draws(
    scenario: Scenario, rows: int, trials: int | None, what: str, row_seconds: float = ROW_SECONDS
) -> int | None:
    """The weighted draws for an analysis of ``rows`` sweep points or switched sets, given
    reports and correlated blocs (None otherwise: the analysis is exact or samples plainly):
    ``trials`` when asked for, else as many as fit ``MAX_SECONDS``, at least ``MIN_DRAWS``.
    More work than the budget at those draws is refused with the estimate."""
    check_sampling(trials, None)
    if not (scenario.reported and scenario.blocs):
        return trials
    exact, draw = given_seconds(scenario)
    if math.isfinite(exact):
        return trials  # exact over the quadrature nodes of independent factors
    per = rows * row_seconds + draw
    draws = trials
    if draws is None:
        draws = max(MIN_DRAWS, min(trials_for(None, weighted=True), int(MAX_SECONDS / per)))
    if draws * per > MAX_SECONDS:
        raise TooMuchWork(
            f"{what}: {rows:,} points given the reports with correlated blocs, about "
            f"{_seconds(draws * per)} at {draws:,} weighted draws; {MAX_SECONDS:g} s at most",
            hint="fewer --steps or --trials, or weaker or fewer correlated blocs",
        )
    return draws


def fit_draws(scenario: Scenario, variants: int, trials: int | None) -> int | None:
    """The weighted draws to run ``variants`` variants with: ``trials`` when asked for, else
    as many as fit ``MAX_SECONDS`` between ``MIN_DRAWS`` and ``DEFAULT_DRAWS``."""
    if trials is not None or not (scenario.reported and scenario.blocs):
        return trials
    per = variants * given_seconds(scenario)[1]
    return max(MIN_DRAWS, min(trials_for(None, weighted=True), int(MAX_SECONDS / per)))


def check_variants(
    scenario: Scenario, variants: int, *, method: Method | str, trials: int | None
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
    weighted = bool(scenario.reported)
    draws = (
        f"{trials_for(trials, weighted=weighted):,} {'weighted draws' if weighted else 'trials'}"
    )
    raise TooMuchWork(
        f"{variants:,} variant{'s' * (variants != 1)} with these blocs: {ways}, "
        f"{_seconds(sampled)} by Monte Carlo at {draws}; {MAX_SECONDS:g} s at most",
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
