"""A new scenario drafted from the record: the Council of a date, its president, and every
member's prior (``priors.py``) as probabilities with ``basis: prior``, ready to edit and run."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from functools import partial

import numpy as np

from ..countries import resolve
from ..errors import ScenarioError
from ..model import VOTES, Rule, RuleKind
from .backtest import CUTOFF
from .council import council_on, president
from .priors import RHO, Prior, priors
from .votes import TOPICS, recorded_votes, topic_name

DIGITS = 4  # probabilities are written to 4 decimals and still sum to exactly 1
_q = partial(json.dumps, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _members(names: Sequence[str], day: dt.date, option: str) -> list[str]:
    """Names of members sitting on ``day``, as the Council had them."""
    seated = {t.code: t.country.name for t in council_on(day)}
    out = []
    for name in names:
        code = resolve(name).code
        if code not in seated:
            raise ScenarioError(
                f"{name} is not on the Council on {day}",
                field=option,
                hint=f"members then: {', '.join(seated.values())}",
            )
        out.append(seated[code])
    return out


def rounded(probabilities: Sequence[float]) -> list[float]:
    """Probabilities to ``DIGITS`` decimals that still sum to exactly 1 (the largest absorbs
    the rounding), so that the file passes the loader's check of the sum."""
    unit = 10**DIGITS
    ticks = [round(p * unit) for p in probabilities]
    ticks[max(range(len(ticks)), key=lambda i: probabilities[i])] += unit - sum(ticks)
    return [t / unit for t in ticks]


def _vote(prior: Prior) -> str:
    pairs = [f"{v.value}: {p:.{DIGITS}f}" for v, p in zip(VOTES, rounded(prior.probabilities))]
    return "{" + ", ".join(pairs) + "}"


def draft(
    day: dt.date,
    *,
    proposed_by: Sequence[str],
    opposed_by: Sequence[str] = (),
    topic: str | None = None,
) -> str:
    """The text of a scenario for a procedural vote on ``day``: every member of that day's
    Council with its prior from the recorded votes before ``day`` (the note names them), the
    president from the rotation, and a hypothetical to edit."""
    if not proposed_by:
        raise ScenarioError("name at least one member proposing the motion", field="--proposed-by")
    topic = None if topic is None else topic_name(topic)
    if topic is not None and topic not in TOPICS:
        raise ScenarioError(f"unknown topic {topic!r}", field="--topic", hint=", ".join(TOPICS))
    council = council_on(day)
    proposers = _members(proposed_by, day, "--proposed-by")
    opponents = _members(opposed_by, day, "--opposed-by")
    found = priors(
        [t.country.name for t in council], day, proposed_by=proposers, opposed_by=opponents
    )
    rule = Rule.on(RuleKind.PROCEDURAL, day)
    about = f" on {topic}" if topic else ""
    lines = [
        f"# Drafted by `unsc-sim new` from the recorded procedural votes before {day}.",
        "# Edit the stances you know better than the record (give them a basis and source).",
        f"title: {_q(f'Procedural vote{about} proposed by {_and(proposers)}, {day:%d %B %Y}')}",
        f"date: {day.isoformat()}",
        "rule: procedural",
        f"president: {_q(president(day.year, day.month).name)}",
        f"proposed_by: [{', '.join(_q(n) for n in proposers)}]",
    ]
    if opponents:
        lines.append(f"opposed_by: [{', '.join(_q(n) for n in opponents)}]")
    if topic:
        lines.append(f"topic: {topic}")
    lines.append(f"description: {_q(_description(day, rule, topic))}")
    lines.append("members:")
    for p in found:
        lines += [
            f"  {_q(p.member)}:",
            f"    vote: {_vote(p)}",
            "    basis: prior",
            f"    note: {_q(p.note)}",
        ]
    lines += [
        "blocs:",
        "  # The members' votes on one motion move together (unsc-sim backtest: the record",
        f"  # before {CUTOFF} chose this correlation); remove the bloc for independent votes.",
        "  council:",
        f"    correlation: {RHO:g}",
        "    members:",
        *(f"      - {_q(p.member)}" for p in found),
    ]
    # The persuadable: likeliest vote not yes, yet P(yes) at least 0.25 (else the closest one).
    others = sorted((p for p in found if np.argmax(p.probabilities) != 0), key=lambda p: -p.yes)
    undecided = [p.member for p in others if p.yes >= 0.25] or [p.member for p in others[:1]]
    if undecided:
        lines += [
            "hypotheticals:",
            "  # A what-if to edit: the members whose likeliest vote is not yes but whose P(yes)",
            "  # is at least 0.25 vote yes. `unsc-sim run` shows it beside the baseline.",
            "  persuadable-yes:",
            f"    description: {_q('These members vote yes: ' + ', '.join(undecided))}",
            *(f"    {_q(n)}: yes" for n in undecided),
        ]
    return "\n".join(lines) + "\n"


def _and(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _description(day: dt.date, rule: Rule, topic: str | None) -> str:
    text = (
        f"A procedural vote (Art. 27(2): {rule.threshold} of {rule.size}) on {day}. Each "
        "member's stance is its prior from the recorded procedural votes before that date "
        "(unsc-sim backtest shows how such priors have done)."
    )
    if topic:
        earlier = [v for v in recorded_votes(topic) if v.date < day][-5:]
        done = "; ".join(
            f"{v.id} ({'adopted' if v.adopted else 'not adopted'})" for v in reversed(earlier)
        )
        text += f" Recorded votes on {topic}, latest first: {done or 'none'}."
    return text
