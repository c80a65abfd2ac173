"""simulate(): one scenario variant in, a ``Result`` out, by the exact or the sampling engine."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..charter import (
    Decision,
    Pivot,
    decide,
    obliged_to_abstain,
    p_adopted,
    pivots,
    with_proviso,
)
from ..checks import text_names
from ..model import BASELINE, VOTES, Member, Report, Rule, Scenario, Stance, as_scenario
from . import budget, exact, montecarlo, quadrature
from .choose import Method, arrays, check_sampling, choose, conditioning, trials_for

CUSTOM = "custom"  # the label of a result with ad hoc changes, in the library as in the CLI


@dataclass(frozen=True)
class Result:
    """The outcome of one variant of a scenario: distribution, P(adopted), tallies."""

    hypothetical: str
    rule: Rule
    members: tuple[Member, ...]
    total: np.ndarray = field(repr=False)  # P(k yes votes), k = 0..size
    clean: np.ndarray = field(repr=False)  # P(k yes votes and no permanent "no")
    method: Method
    trials: int | None = None
    seed: int | None = None
    obliged: tuple[str, ...] = ()  # members the Art. 27(3) proviso made abstain
    pivot: tuple[float, ...] = ()  # P(adopted | it votes yes) - P(adopted | it votes no)
    veto_pivot: tuple[float, ...] = ()  # P(adopted | it abstains) - P(adopted | it votes no)
    # Blocs beyond the exact engine leave the pivot probabilities computed as if members
    # voted independently (sure votes are unaffected); this says so wherever they are shown.
    pivot_note: str = ""
    # Given reported tallies: the reports, P(reports) under the stances, each member's
    # posterior P(vote | reports) in the baseline, the conditioned expected counts, and the
    # effective number of weighted draws when sampled. Without reports: empty and None.
    reported: tuple[Report, ...] = ()
    evidence: float | None = None
    posterior: tuple[tuple[float, float, float, float], ...] = ()
    expected_counts: tuple[float, float, float, float] | None = None
    ess: float | None = None

    def __repr__(self) -> str:
        """One line: which variant, P(adopted), the expected yes votes, and how computed.

        >>> import unsc_sim
        >>> s = unsc_sim.load("scenarios/2018-12-dprk-human-rights.yaml")
        >>> unsc_sim.simulate(s, "held-anyway")
        Result('held-anyway', p_adopted=0.616, expected_yes=8.8, method='exact')
        """
        yes = float(np.dot(np.arange(len(self.total)), self.total))
        return (
            f"Result({self.hypothetical!r}, p_adopted={self.p_adopted:.4g}, "
            f"expected_yes={yes:.4g}, method={self.method.value!r})"
        )

    @property
    def p_adopted(self) -> float:
        return float(p_adopted(self.total, self.clean, self.rule))

    @property
    def p_adopted_se(self) -> float | None:
        """Standard error of a sampled P(adopted); None when exact.

        Computed at the Agresti-Coull proportion (x + 2) / (n + 4), not at x / n: when every
        trial agrees (P = 0 or 1, as with few trials) the plain formula gives 0, a certainty
        no sample provides. For many trials the two agree.
        """
        if self.trials is None:
            return None
        trials = self.trials if self.ess is None else self.ess  # weighted draws: their ESS
        n = trials + 4
        p = (self.p_adopted * trials + 2) / n
        return math.sqrt(p * (1.0 - p) / n)

    @property
    def p_veto(self) -> float:
        """P(at least one permanent member votes no); 0 for procedural votes.

        It includes "no" votes on a motion short of votes; ``p_vetoed`` does not.
        """
        return float(1.0 - self.clean.sum()) if self.rule.veto else 0.0

    @property
    def p_vetoed(self) -> float:
        """P(the motion has the votes and a permanent member's "no" defeats it).

        P(adopted) + P(vetoed) + P(too few votes) = 1.
        """
        if not self.rule.veto:
            return 0.0
        t = self.rule.threshold
        return max(0.0, float(self.total[t:].sum() - self.clean[t:].sum()))

    @property
    def expected(self) -> dict[str, float]:
        """Expected number of each vote (given the reports, when there are any)."""
        if self.expected_counts is not None:
            return {v.value: float(s) for v, s in zip(VOTES, self.expected_counts)}
        sums = np.sum([m.stance.probabilities for m in self.members], axis=0)
        return {v.value: float(s) for v, s in zip(VOTES, sums)}

    @property
    def decision(self) -> Decision | None:
        """The Article 27 decision when every vote is sure, else None."""
        votes = {m.name: m.stance.vote for m in self.members}
        if any(v is None for v in votes.values()):
            return None
        return decide(votes, self.rule, self._permanent)  # type: ignore[arg-type]

    @property
    def pivots(self) -> tuple[Pivot, ...]:
        """Members whose own vote decides the outcome, with why (see ``rules.pivots``).

        One definition for sure and uncertain variants: P(its vote decides) = P(adopted | it
        votes yes) - P(adopted | it votes no). With sure votes that is 1 or 0, and the pivots
        are ``rules.pivots``; with uncertain ones, the members for whom it is at least 1/2
        (their ``why`` is empty: ``output.words.pivot_why`` words it).
        A party the Art. 27(3) proviso obliges to abstain cannot change its vote: never pivotal.
        """
        if self.decision is not None:
            votes = {m.name: m.stance.vote for m in self.members}
            found = pivots(votes, self.rule, self._permanent)  # type: ignore[arg-type]
        else:
            found = tuple(
                Pivot(m.name, "", q >= 0.5, p)  # numbers only: output/words says why
                for m, p, q in zip(self.members, self.pivot, self.veto_pivot)
                if p >= 0.5
            )
        return tuple(p for p in found if p.member not in self.obliged)

    @property
    def pivotal(self) -> tuple[str, ...]:
        """The names of the pivotal members (``pivots``)."""
        return tuple(p.member for p in self.pivots)

    @property
    def veto_players(self) -> tuple[str, ...]:
        """Pivotal permanent members whose "no" (cast or withdrawn) is what decides."""
        return tuple(p.member for p in self.pivots if p.veto)

    @property
    def _permanent(self) -> frozenset[str]:
        return frozenset(m.name for m in self.members if m.permanent)

    def most_likely(self, k: int = 3) -> list[tuple[int, float]]:
        """The k most likely yes counts with their probabilities."""
        order = np.argsort(-self.total, kind="stable")[:k]
        return [(int(i), float(self.total[i])) for i in order if self.total[i] > 0]

    @property
    def distribution(self) -> Any:
        """P(k yes votes) as a pandas Series indexed by k."""
        import pandas as pd

        return pd.Series(
            self.total, index=pd.RangeIndex(len(self.total), name="yes_votes"), name="probability"
        )

    def to_frame(self) -> Any:
        """One row per yes count: probability, and P(that count and no veto)."""
        import pandas as pd

        return pd.DataFrame({
            "hypothetical": self.hypothetical,
            "yes_votes": np.arange(len(self.total)),
            "probability": self.total,
            "probability_no_veto": self.clean,
            "adopted_if_no_veto": np.arange(len(self.total)) >= self.rule.threshold,
        })  # fmt: skip

    def to_record(self) -> dict[str, Any]:
        """A flat, JSON-ready summary (the ``results`` rows of ``unsc-sim run``)."""
        d = self.decision
        expected = self.expected
        record: dict[str, Any] = {"hypothetical": self.hypothetical}
        if d is not None:
            record |= {
                "yes": d.tally.yes,
                "no": d.tally.no,
                "abstain": d.tally.abstain,
                "absent": d.tally.absent,
                "adopted": d.adopted,
                "outcome": d.outcome.value,
                "margin": d.margin,  # None when vetoed: the count did not decide it
                "vetoed_by": list(d.vetoed_by),
            }
        else:
            record |= {k: v for k, v in expected.items()}
            record |= {"adopted": None, "outcome": None, "margin": None, "vetoed_by": []}
        record |= {
            "threshold": self.rule.threshold,
            "p_adopted": self.p_adopted,
            "p_adopted_se": None if self.p_adopted_se is None else self.p_adopted_se,
            "p_vetoed": self.p_vetoed,
            "p_veto": self.p_veto,
            "expected_yes": expected["yes"],
            "pivotal": list(self.pivotal),
            "veto_players": list(self.veto_players),
            "pivot_note": self.pivot_note or None,
            "pivotal_why": [
                {"member": p.member, "why": p.why or None, "veto": p.veto, "p_decides": p.p}
                for p in self.pivots
            ],
            "obliged_to_abstain": list(self.obliged),
            "most_likely": [{"yes": k, "probability": p} for k, p in self.most_likely()],
            "distribution": [float(p) for p in self.total],
            # P(k yes votes and no permanent "no"): the veto-free part, for substantive votes
            "distribution_no_veto": ([float(p) for p in self.clean] if self.rule.veto else None),
            "method": self.method.value,
            "trials": self.trials,
            "seed": self.seed,
        }
        if self.reported:
            record |= {
                "reported": [report_record(r) for r in self.reported],
                "evidence": self.evidence,
                "ess": self.ess,
            }
        return record


def report_record(report: Report) -> dict[str, Any]:
    """A report as JSON: each count as {min, max} (max null: no maximum), source, quote."""
    counts = {v.value: {"min": lo, "max": hi} for v, (lo, hi) in report.counts.items()}
    return {"counts": counts, "source": report.source, "quote": report.quote}


def _pivots(
    probs: np.ndarray,
    permanent: np.ndarray,
    scenario: Scenario,
    integrator: quadrature.Integrator | None,
) -> tuple[np.ndarray, np.ndarray]:
    # One pass: the others' votes with each member left out, then its sure votes added.
    if integrator is None:
        total, clean = exact.left_out(probs, permanent)
    else:
        total, clean = integrator.left_out(probs)
    return exact.pivots(total, clean, permanent, scenario.rule)


def simulate(
    scenario: Scenario,
    hypothetical: str | None = None,
    *,
    changes: Mapping[str, Stance | str | Mapping[str, Any]] | None = None,
    method: Method | str = Method.AUTO,
    trials: int | None = None,
    seed: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Result:
    """Evaluate the baseline, a named hypothetical, or ad hoc ``changes`` on top of either.

    ``changes`` name members as scenario files do ("Ivory Coast") and give stances as
    ``Stance.of`` reads them ("yes", ``{"yes": 0.7, "abstain": 0.3}``).
    ``progress`` is called with trials done as sampling goes on (not called when exact).
    ``trials`` None: ``DEFAULT_TRIALS``, or ``DEFAULT_DRAWS`` weighted draws given reports.
    """
    as_scenario(scenario, "simulate")
    check_sampling(trials, seed)
    variant = scenario.variant(hypothetical)
    if changes:
        variant = variant.with_stances(changes)
    if scenario.reported:
        return _given(scenario, variant, hypothetical, changes, method, trials, seed)
    obliged = obliged_to_abstain(variant)
    variant = with_proviso(variant)
    probs, permanent = arrays(variant)
    engine = choose(variant, permanent, method)
    method, integrate = engine.method, engine.integrator
    if method is Method.EXACT:
        if integrate is None:
            total, clean = exact.distributions(probs, permanent)
        else:
            total, clean = integrate.distributions(probs)
        run_trials = run_seed = None
    else:
        factors = engine.factors
        s = montecarlo.sample(
            probs,
            permanent,
            blocs=factors.blocs if factors else (),
            between=factors.correlation if factors and factors.correlated else None,
            trials=trials_for(trials),
            seed=seed,
            progress=progress,
        )
        total, clean = s.total / s.trials, s.clean / s.trials
        run_trials, run_seed = s.trials, s.seed
    pivot, veto_pivot = _pivots(probs, permanent, variant, integrate)
    return Result(
        CUSTOM if changes else hypothetical or BASELINE,
        variant.rule,
        variant.members,
        total,
        clean,
        method,
        run_trials,
        run_seed,
        obliged,
        tuple(pivot.tolist()),
        tuple(veto_pivot.tolist()),
        "P(its vote decides) ignores the blocs (members taken as independent)"
        if variant.blocs and integrate is None
        else "",
    )


def _given(
    scenario: Scenario,
    variant: Scenario,
    hypothetical: str | None,
    changes: Mapping[str, Any] | None,
    method: Method | str,
    trials: int | None,
    seed: int | None,
) -> Result:
    """``simulate`` on the reported world: the baseline conditioned, a variant counterfactual."""
    named = [] if hypothetical in (None, BASELINE) else scenario.hypothetical(hypothetical).changes
    named = [name for name, _ in named] + list(changes or ())
    found = conditioning(scenario, named, method=method, trials=trials, seed=seed)
    assert found is not None
    chosen, world = found
    obliged = obliged_to_abstain(variant)
    probs = arrays(with_proviso(variant))[0]
    dist = world.distribution(probs)
    pivot, veto_pivot = world.pivots(probs)
    base = world.conditioned
    assert base.posterior is not None
    sampled = world.mixture.sampled
    return Result(
        CUSTOM if changes else hypothetical or BASELINE,
        variant.rule,
        variant.members,
        np.asarray(dist.total),
        np.asarray(dist.clean),
        chosen,
        world.mixture.draws if sampled else None,
        int(world.mixture.seed) if sampled else None,
        obliged,
        tuple(pivot.tolist()),
        tuple(veto_pivot.tolist()),
        reported=scenario.reported,
        evidence=base.evidence,
        posterior=tuple(tuple(row) for row in base.posterior.tolist()),
        expected_counts=tuple(world.expected(probs).tolist()),
        ess=world.ess,
    )


def run(
    scenario: Scenario,
    hypotheticals: list[str] | None = None,
    *,
    changes: Mapping[str, Stance] | None = None,
    seed: int | None = None,
    **options: Any,
) -> list[Result]:
    """The baseline and every hypothetical (or the named ones), then ``changes`` as "custom".

    ``changes`` apply to the one named hypothetical, else to the baseline. Every variant
    uses the same seed (common random numbers), so sampled differences are not noise alone.
    Given reports and correlated blocs, ``trials`` None draws as many weighted draws as fit
    the budget (``budget.fit_draws``).
    """
    as_scenario(scenario, "run")
    if hypotheticals is not None:
        hypotheticals = list(text_names(hypotheticals, "hypotheticals"))
    check_sampling(options.get("trials"), seed)
    if seed is None:
        seed = int(np.random.SeedSequence().entropy % 2**63)
    names = hypotheticals or [BASELINE, *(h.name for h in scenario.hypotheticals)]
    variants = len(names) + bool(changes)
    options["trials"] = budget.fit_draws(scenario, variants, options.get("trials"))
    options["method"] = budget.check_variants(
        scenario,
        variants,
        method=options.get("method", Method.AUTO),
        trials=options.get("trials"),
    )
    results = [simulate(scenario, name, seed=seed, **options) for name in names]
    if changes:
        base = names[0] if hypotheticals and len(hypotheticals) == 1 else BASELINE
        results.append(simulate(scenario, base, changes=changes, seed=seed, **options))
    return results
