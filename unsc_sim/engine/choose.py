"""The one engine choice: which engine evaluates a scenario, exact or sampled.

The exact dynamic programme serves independent members; with blocs, the quadrature engine
integrates it over the bloc factors when it can (``quadrature.why_not`` says when not), and
Monte Carlo samples beyond that. ``simulate`` and every analysis ask here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from numbers import Integral
from typing import Any

import numpy as np

from ..charter import p_adopted, with_proviso
from ..errors import InvalidValueError
from ..model import BASELINE, Choice, Scenario
from . import DEFAULT_DRAWS, DEFAULT_TRIALS, MAX_TRIALS, exact, given, montecarlo, quadrature
from .latent import Factors, factors_of

# The documented limit (README, "Limits"), the CLI's and the library's: about 10 s of
# sampling per variant with blocs on 2 cores. 10**400 trials would run for ever.


def trials_for(trials: int | None, *, weighted: bool = False) -> int:
    """The trials asked for, or the default: ``DEFAULT_DRAWS`` for weighted draws of the
    factors (conditioning on reports), ``DEFAULT_TRIALS`` for plain sampling."""
    if trials is not None:
        return trials
    return DEFAULT_DRAWS if weighted else DEFAULT_TRIALS


def check_sampling(trials: Any, seed: Any) -> None:
    """Refuse a number of trials outside 1..MAX_TRIALS (None: the default) or a seed that is
    not a whole number >= 0."""
    if trials is not None and (
        isinstance(trials, bool) or not isinstance(trials, Integral) or trials < 1
    ):
        raise InvalidValueError(f"trials must be a whole number of at least 1, not {trials!r}")
    if trials is not None and trials > MAX_TRIALS:
        # repr() of a huge int is slow, or refused beyond 4,300 digits: show its size
        shown = (
            f"{trials:,}" if trials < 10**30 else f"about 1e{int(trials.bit_length() * 0.30103)}"
        )
        raise InvalidValueError(f"trials must be at most {MAX_TRIALS:,}, not {shown}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0):
        raise InvalidValueError(f"seed must be a whole number >= 0 or None, not {seed!r}")


class Method(Choice):
    """How to compute: auto picks exact whenever it applies.

    exact: the dynamic programme for independent members, integrated over the bloc factors
    by quadrature when there are blocs (up to three correlated at a time; quadrature.py).
    montecarlo: sampling, for any blocs, with a standard error (montecarlo.py).
    """

    AUTO = "auto"
    EXACT = "exact"
    MONTECARLO = "montecarlo"


def arrays(scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """(members x 4 probabilities, permanent mask) in the scenario's member order."""
    probs = np.array([m.stance.probabilities for m in scenario.members], dtype=float)
    permanent = np.array([m.permanent for m in scenario.members], dtype=bool)
    return probs, permanent


def prepare(scenario: Scenario, hypothetical: str | None) -> tuple[Scenario, np.ndarray]:
    """The variant as the engines see it (the Art. 27(3) proviso applied) and its probabilities."""
    variant = with_proviso(scenario.variant(hypothetical))
    return variant, arrays(variant)[0]


@dataclass(frozen=True)
class Engine:
    """The engine chosen for a variant: its bloc factors (computed once, None without blocs)
    and, when the quadrature engine can integrate them, its integrator."""

    method: Method
    factors: Factors | None = None
    integrator: quadrature.Integrator | None = None


def choose(variant: Scenario, permanent: np.ndarray, method: Method | str = "auto") -> Engine:
    """The engine for a variant: auto is exact whenever it applies, else Monte Carlo.

    Asking for exact where the quadrature engine cannot integrate the blocs raises
    ``QuadratureError`` saying why.
    """
    method = Method(method)
    if not variant.blocs:
        return Engine(Method.EXACT if method is Method.AUTO else method)
    factors = factors_of(variant)
    reason = quadrature.why_not(factors)
    found = None if reason else quadrature.Integrator(permanent, factors)
    if method is Method.AUTO:
        method = Method.MONTECARLO if found is None else Method.EXACT
    if method is Method.EXACT and found is None:
        raise quadrature.QuadratureError(
            f"the exact engine cannot integrate {reason}; use the Monte Carlo engine"
        )
    return Engine(method, factors, found)


@dataclass(frozen=True)
class Evaluator:
    """P(adopted) for a batch of probability arrays (batch, members, 4), and how."""

    method: str  # "exact" or "montecarlo"
    evaluate: Callable[[np.ndarray], np.ndarray]
    integrator: quadrature.Integrator | None = None  # the exact bloc engine, when used

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        return self.evaluate(batch)


def evaluator(
    scenario: Scenario,
    *,
    trials: int | None = None,
    seed: int | None,
    world: given.Given | None = None,
) -> Evaluator:
    """P(adopted) for a batch of probability arrays (batch, members, 4) of this scenario.

    With ``world`` (``conditioning``), the counterfactual P(adopted) on the reported world.
    """
    check_sampling(trials, seed)
    if world is not None:
        return Evaluator("montecarlo" if world.mixture.sampled else "exact", world.p_adopted)
    _, permanent = arrays(scenario)
    rule = scenario.rule
    engine = choose(scenario, permanent)
    if engine.factors is None:
        return Evaluator("exact", lambda batch: exact.p_adopted(batch, permanent, rule))
    found, factors = engine.integrator, engine.factors
    if found is not None:
        return Evaluator("exact", lambda batch: found.p_adopted(batch, rule), found)
    seed = int(np.random.SeedSequence().entropy % 2**63) if seed is None else seed
    between = factors.correlation if factors.correlated else None

    def sampled(batch: np.ndarray) -> np.ndarray:
        out = []
        for probs in batch:
            s = montecarlo.sample(
                probs,
                permanent,
                blocs=factors.blocs,
                between=between,
                trials=trials_for(trials),
                seed=seed,
            )
            out.append(p_adopted(s.total / s.trials, s.clean / s.trials, rule))
        return np.array(out)

    return Evaluator("montecarlo", sampled)


def conditioning(
    scenario: Scenario,
    named: Iterable[str] = (),
    *,
    method: Method | str = "auto",
    trials: int | None = None,
    seed: int | None,
) -> tuple[Method, given.Given] | None:
    """The reported world of a scenario with reports (None without): its engine and nodes.

    ``named`` are the members a variant names (by any common name), redrawn even when their
    stance is the file's. Independent members are exact; blocs are exact over quadrature
    nodes of independent factors (``given.nodes``), else (or with ``method="montecarlo"``)
    conditioned over Monte Carlo draws of the factors by exact weighting.
    """
    if not scenario.reported:
        return None
    check_sampling(trials, seed)
    method = Method(method)
    base = with_proviso(scenario)
    probs, permanent = arrays(base)
    redrawn = frozenset(scenario.names.index(scenario.resolve(n)) for n in named)
    factors = factors_of(base)
    mixture = None
    if not scenario.blocs and method is not Method.MONTECARLO:
        mixture = given.independent()
    elif method is not Method.MONTECARLO:
        mixture = given.nodes(probs, factors)
        if mixture is None and method is Method.EXACT:
            raise quadrature.QuadratureError(
                "the exact engine conditions on reports only for blocs whose factors are "
                f"independent, on at most {given.MAX_NODES:,} nodes; use the Monte Carlo engine"
            )
    if mixture is None:
        seed = int(np.random.SeedSequence().entropy % 2**63) if seed is None else seed
        mixture = given.draws(factors, trials_for(trials, weighted=True), seed)
    chosen = Method.MONTECARLO if mixture.sampled else Method.EXACT
    world = given.Given(probs, permanent, scenario.rule, scenario.reported, mixture, redrawn)
    return chosen, world


def world(
    scenario: Scenario,
    hypothetical: str | None = None,
    *,
    also: Iterable[str] = (),
    trials: int | None = None,
    seed: int | None,
) -> given.Given | None:
    """The reported world for an analysis of a variant (``evaluator(world=...)``): the
    members the hypothetical names, and ``also`` (a sweep's varied members), redrawn."""
    named = [] if hypothetical in (None, BASELINE) else scenario.hypothetical(hypothetical).changes
    found = conditioning(scenario, [n for n, _ in named] + list(also), trials=trials, seed=seed)
    return None if found is None else found[1]
