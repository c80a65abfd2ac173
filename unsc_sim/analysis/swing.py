"""Swing members: how much each member's vote moves P(adopted).

Exact, with blocs too (the quadrature engine); only blocs beyond that engine are sampled,
with one seed shared by every variant (common random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..charter import obliged_to_abstain
from ..engine import budget, exact
from ..engine.choose import evaluator, prepare, world
from ..model import BASELINE, VOTES, Scenario, as_scenario

SURE = frozenset(v.value for v in VOTES)  # how Stance.describe() writes a sure vote


@dataclass(frozen=True)
class SwingRow:
    member: str
    stance: str
    p_yes: float
    p_adopted_if_yes: float
    p_adopted_if_not: float
    swing: float  # P(adopted | yes) - P(adopted | its own non-yes)
    p_pivotal: float  # P(adopted | yes) - P(adopted | no): its vote alone decides


@dataclass(frozen=True)
class Swing:
    """Members ranked by how much their vote moves P(adopted)."""

    hypothetical: str
    p_adopted: float
    rows: tuple[SwingRow, ...]
    method: str

    def to_records(self) -> list[dict[str, Any]]:
        return [{"hypothetical": self.hypothetical, **vars(r)} for r in self.rows]

    def most_pivotal(self) -> str:
        """The uncertain member with the largest swing (else the largest swing of all): the
        member worth sweeping, whose P(yes) is in doubt and moves the outcome.

        >>> import unsc_sim
        >>> s = unsc_sim.load("scenarios/2018-12-dprk-human-rights.yaml")
        >>> swing(s, "held-anyway").most_pivotal()
        "Côte d'Ivoire"
        """
        uncertain = [r for r in self.rows if 0.0 < r.p_yes < 1.0 or r.stance not in SURE]
        return (uncertain or list(self.rows))[0].member

    def to_frame(self) -> Any:
        import pandas as pd

        return pd.DataFrame(self.to_records())


def swing(
    scenario: Scenario,
    hypothetical: str | None = None,
    *,
    trials: int | None = None,
    seed: int | None = None,
) -> Swing:
    """For each member: P(adopted) if it votes yes, if it does not, and the difference.

    ``swing`` is the derivative of P(adopted) in the member's P(yes), the rest of its
    probability kept in proportion (a sure yes voter is taken to abstain). ``p_pivotal``
    compares yes with no, so for a permanent member under the veto it counts its veto too;
    when every member votes yes or no with probability 1/2, it is the absolute Banzhaf index.

    >>> import unsc_sim
    >>> s = unsc_sim.load("scenarios/2019-12-dprk-human-rights.yaml")
    >>> us = next(r for r in swing(s).rows if r.member == "United States")
    >>> us.stance, us.swing
    ('abstain', 1.0)
    """
    variant, probs = prepare(as_scenario(scenario, "swing"), hypothetical)
    trials = budget.analysis_draws(scenario, 2 * len(variant.members), trials, "swing")
    reported = world(scenario, hypothetical, trials=trials, seed=seed)
    evaluate = evaluator(variant, trials=trials, seed=seed, world=reported)
    # One batch: every member switched three ways, then the scenario as it is.
    p = evaluate(np.concatenate([exact.switched(probs), probs[None]]))
    cond = p[:-1].reshape(len(probs), 3)
    # A party the Art. 27(3) proviso obliges to abstain has no vote to move.
    bound = set(obliged_to_abstain(scenario.variant(hypothetical)))
    cond[[m.name in bound for m in variant.members]] = p[-1]
    rows = [
        SwingRow(m.name, m.stance.describe(), m.stance.yes, float(c[0]), float(c[1]),
                 float(c[0] - c[1]), float(c[0] - c[2]))
        for m, c in zip(variant.members, cond)
    ]  # fmt: skip
    rows.sort(key=lambda r: (-r.swing, -r.p_pivotal, r.member))
    return Swing(hypothetical or BASELINE, float(p[-1]), tuple(rows), evaluate.method)
