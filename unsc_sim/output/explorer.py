"""The vote explorer: one self-contained HTML page (chamber, tally, P(adopted), evidence).

The page recomputes in the browser with a port of the exact engine (``exact.py``, and
``quadrature.py`` for blocs whose factors are independent) and of Article 27 (``rules.py``).
With reported tallies it conditions on them as ``evidence.py`` does (``given.py``'s nodes for
blocs), and a switch shows the stances alone. The Python engine's results for the file's
variants, with the reports and without, travel in the page's JSON: the page shows them where
it cannot compute (blocs with correlated factors), and tests compare both.
"""

from __future__ import annotations

import dataclasses
import html
import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from ..charter import obliged_to_abstain
from ..engine import given, nodes
from ..engine import latent as blocs
from ..engine.latent import normal_levels, quantiles
from ..engine.simulation import Result, report_record, run
from ..model import BASELINE, VOTES, Member, Scenario, Stance, as_scenario
from . import words

TEMPLATE = "explorer.html"
DATA_MARK = "/*UNSC_SIM_DATA*/null"
TITLE_MARK = "<!--UNSC_SIM_TITLE-->"
FRAME_HEIGHT = 860  # px: the chamber, the outcome and the top of the evidence list
# Scripts and downloads, never allow-same-origin: the frame cannot reach the notebook.
SANDBOX = "allow-scripts allow-downloads"


@dataclass(frozen=True)
class Explorer:
    """An explorer page; Jupyter shows it inline, ``save`` writes it to a file."""

    html: str
    title: str = ""

    def _repr_html_(self) -> str:
        # An iframe keeps the page's styles and script apart from the notebook's; its sandbox
        # (scripts, but not the notebook's origin) keeps any script bug away from the notebook,
        # and lets "Save as scenario" download. The text before it shows only where the
        # notebook does not run HTML (an untrusted one).
        doc = html.escape(self.html, quote=True)
        return (
            '<div style="position:relative;width:100%">'
            "<p>(The interactive vote explorer shows here when the notebook is trusted.)</p>"
            f'<iframe sandbox="{SANDBOX}" srcdoc="{doc}" '
            f'title="{html.escape(self.title, quote=True)}" '
            f'style="position:absolute;top:0;left:0;width:100%;height:{FRAME_HEIGHT}px;'
            'border:1px solid #d0d7de;background:white;resize:vertical"></iframe>'
            f'<div style="height:{FRAME_HEIGHT}px"></div></div>'
        )

    def save(self, path: str) -> None:
        """Write the page atomically."""
        from .formats import write_atomic

        write_atomic(path, self.html)


def explore(
    scenario: Scenario,
    hypothetical: str | None = None,
    *,
    trials: int | None = None,
    seed: int | None = None,
) -> Explorer:
    """The interactive explorer of a scenario, opened on its baseline or a hypothetical.

    >>> import unsc_sim
    >>> page = unsc_sim.explore(unsc_sim.load("scenarios/2018-12-dprk-human-rights.yaml"))
    >>> page.html.startswith("<!DOCTYPE html>"), "data-outcome" in page.html
    (True, True)
    """
    as_scenario(scenario, "explore")
    return Explorer(render(scenario, hypothetical, trials=trials, seed=seed), scenario.title)


def _scenario_html(scenario: Scenario) -> str:
    """Jupyter shows a scenario as the interactive explorer (``explore``)."""
    return explore(scenario)._repr_html_()


# Bound from here, above the domain: model.py knows nothing of pages.
Scenario._repr_html_ = _scenario_html  # type: ignore[attr-defined]


def render(
    scenario: Scenario,
    hypothetical: str | None = None,
    *,
    trials: int | None = None,
    seed: int | None = None,
) -> str:
    """The explorer as one HTML document: inline styles and script, no external resource."""
    data = page_data(scenario, hypothetical, trials=trials, seed=seed)
    return fill(_template(), {TITLE_MARK: html.escape(scenario.title), DATA_MARK: embed_json(data)})


def fill(template: str, values: dict[str, str]) -> str:
    """The template with each mark (there exactly once) replaced once by its value.

    Values are never searched for marks, so a title that contains the data mark stays text.

    >>> fill("<t>A</t><s>B</s>", {"A": "B", "B": "{}"})
    '<t>B</t><s>{}</s>'
    """
    found = []
    for mark, value in values.items():
        if template.count(mark) != 1:
            raise ValueError(f"the page template must hold {mark!r} exactly once")
        found.append((template.index(mark), mark, value))
    parts, end = [], 0
    for start, mark, value in sorted(found):
        parts += [template[end:start], value]
        end = start + len(mark)
    return "".join([*parts, template[end:]])


def embed_json(data: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``</script>``, no HTML comment openers."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page_data(
    scenario: Scenario,
    hypothetical: str | None = None,
    *,
    trials: int | None = None,
    seed: int | None = None,
) -> dict[str, Any]:
    """Everything the page shows, JSON-ready: the scenario and the engine's result per variant.

    ``python`` holds ``Result.to_record()`` of each variant, with P(adopted) and the
    distributions at full precision (the page's own numbers are compared with them).
    """
    if hypothetical not in (None, BASELINE):
        scenario.hypothetical(hypothetical)  # a KeyError naming the known ones
    results = run(scenario, trials=trials, seed=seed)
    from .. import __version__

    data = {
        "version": __version__,
        **scenario_data(scenario),
        "start": hypothetical or BASELINE,
        "python": {r.hypothetical: _record(r) for r in results},
        "reported_line": words.reported_line(scenario),
        "vote_held_line": words.vote_held_line(scenario),
    }
    if scenario.reported:
        # The page's switch turns the reports off: the same scenario without ``reported:``.
        off = dataclasses.replace(scenario, reported=())
        found = run(off, trials=trials, seed=seed)
        data["python_unreported"] = {r.hypothetical: _record(r) for r in found}
    return data


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as the page's script reads it (``window.unscSim.evaluate`` takes this)."""
    return {
        "title": scenario.title,
        "description": scenario.description,
        "date": scenario.date.isoformat() if scenario.date else None,
        "president": scenario.president,
        "chapter": scenario.chapter,
        "file": scenario.path.replace("\\", "/").rsplit("/", 1)[-1] if scenario.path else None,
        "topic": scenario.topic,
        "vote_held": scenario.vote_held,
        "proposed_by": list(scenario.proposed_by),
        "opposed_by": list(scenario.opposed_by),
        "rule": {
            "kind": scenario.rule.kind.value,
            "size": scenario.rule.size,
            "threshold": scenario.rule.threshold,
        },
        "members": [_member(m) for m in scenario.members],
        "hypotheticals": [
            {
                "name": h.name,
                "description": h.description,
                "changes": {name: _stance(st) for name, st in h.changes},
            }
            for h in scenario.hypotheticals
        ],
        "blocs": [
            {"name": b.name, "members": list(b.members), "correlation": b.correlation}
            for b in scenario.blocs
        ],
        "between": [
            {"blocs": list(x.blocs), "correlation": x.correlation} for x in scenario.between
        ],
        "obliged": list(obliged_to_abstain(scenario)),
        "quadrature": _quadrature() if scenario.blocs else None,
        # Reported tallies (issue 19): the page conditions on them unless switched off.
        "reported": [report_record(r) for r in scenario.reported],
        "given": _given() if scenario.blocs and scenario.reported else None,
    }


def _member(m: Member) -> dict[str, Any]:
    return {
        "name": m.name,
        "code": m.code,
        "permanent": m.permanent,
        "party_to_dispute": m.party_to_dispute,
        "written_as": m.written_as,
        "persuadable": m.persuadable,
        **_stance(m.stance),
    }


def _stance(s: Stance) -> dict[str, Any]:
    # The normal-scale levels where yes ends and no begins (blocs.py), for the page's port
    # of the bloc integration; JSON has no infinity, so those are written as text.
    p = np.array(s.probabilities)
    cuts = normal_levels(p)
    # The levels of montecarlo.given_factors (yes, then abstain, then absent end), for the
    # page's port of the reported world's bloc nodes.
    levels = quantiles(np.cumsum(p[[0, 2, 3]]).clip(0.0, 1.0))
    return {
        "stance": dict(zip((v.value for v in VOTES), s.probabilities)),
        "cuts": _finite(cuts),
        "levels": _finite(levels),
        "basis": s.basis.value if s.basis else None,
        "source": s.source,
        "quote": s.quote,
        "note": s.note,
    }


def _finite(values: Any) -> list[float | str]:
    """JSON has no infinity: those are written as text."""
    return [c if math.isfinite(c) else ("inf" if c > 0 else "-inf") for c in map(float, values)]


def _given() -> dict[str, Any]:
    """The constants of the reported world's bloc nodes (engine/given.py) the page ports."""
    t, w = nodes.legendre(given.GAUSS)
    return {
        "span": given.SPAN,
        "panel": given.PANEL,
        "steep": list(given.STEEP),
        "max_nodes": given.MAX_NODES,
        "nodes": t.tolist(),
        "weights": w.tolist(),
    }


def _quadrature() -> dict[str, Any]:
    """The constants of the exact bloc engine the page's port uses, from the library."""
    t, w = nodes.legendre(nodes.NODES)
    return {
        "span": nodes.SPAN,
        "panels": nodes.PANELS,
        "nodes": t.tolist(),
        "weights": w.tolist(),
        "k": blocs.SERIES_CENTRE,
        "series": list(blocs.series()),
    }


def _record(r: Result) -> dict[str, Any]:
    record = words.record(r)
    record["p_adopted"] = r.p_adopted
    record["p_veto"] = r.p_veto
    record["expected_yes"] = r.expected["yes"]
    record["distribution"] = r.total.tolist()
    record["distribution_no_veto"] = r.clean.tolist() if r.rule.veto else None
    record["adopted_sure"] = words.adopted_cell(r)
    # Each member's P(vote | reports) in the baseline, by name (empty without reports).
    record["posterior"] = {
        m.name: dict(zip(("yes", "no", "abstain", "absent"), post))
        for m, post in zip(r.members, r.posterior)
    }
    return record


@cache
def _template() -> str:
    return resources.files("unsc_sim").joinpath("data", TEMPLATE).read_text(encoding="utf-8")
