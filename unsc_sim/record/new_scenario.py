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
from .backtest import CUTOFF, yes_distribution
from .council import FIRST_YEAR, LAST_YEAR, council_on, president_on
from .forecast import Forecast, forecast
from .priors import RHO, Prior
from .votes import TOPICS, Kind, recorded_votes, topic_name

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


def _check_day(day: dt.date) -> None:
    """Refuse, in words, a day whose Council the package does not know."""
    if day.year > LAST_YEAR:
        raise ScenarioError(
            f"the Council of {day} is not known: the roster (unsc_sim/data/terms.csv) ends "
            f"on 31 December {LAST_YEAR}",
            field="--date",
            hint=f"members elected for {LAST_YEAR + 1} are added with their sources once the "
            "General Assembly's election is on record; until then draft for a day up to "
            f"{LAST_YEAR}-12-31 and edit the members",
        )
    if day.year < FIRST_YEAR:
        raise ScenarioError(
            f"the Council first met in {FIRST_YEAR}; there is no roster for {day}", field="--date"
        )


def draft(
    day: dt.date,
    *,
    proposed_by: Sequence[str],
    opposed_by: Sequence[str] = (),
    topic: str | None = None,
    kind: str | None = None,
) -> str:
    """The text of a scenario for a procedural vote on ``day``: every member of that day's
    Council with its prior from the recorded votes before ``day`` (the note names them, and
    the same-topic ones), the president from the rotation, and a hypothetical to edit; the
    description gives P(adopted) with and without the selection term."""
    if not proposed_by:
        raise ScenarioError("name at least one member proposing the motion", field="--proposed-by")
    topic = None if topic is None else topic_name(topic)
    if topic is not None and topic not in TOPICS:
        raise ScenarioError(f"unknown topic {topic!r}", field="--topic", hint=", ".join(TOPICS))
    kinds = [k.value for k in Kind]
    kind = kind.casefold() if kind else None
    if kind is not None and kind not in kinds:
        raise ScenarioError(f"unknown kind {kind!r}", field="--kind", hint=", ".join(kinds))
    _check_day(day)
    council = council_on(day)
    proposers = _members(proposed_by, day, "--proposed-by")
    opponents = _members(opposed_by, day, "--opposed-by")
    names = [t.country.name for t in council]
    fc = forecast(names, day, proposed_by=proposers, opposed_by=opponents, topic=topic, kind=kind)
    found = fc.priors
    rule = Rule.on(RuleKind.PROCEDURAL, day)
    about = f" on {topic}" if topic else ""
    lines = [
        f"# Drafted by `unsc-sim new` from the recorded procedural votes before {day}.",
        "# Edit the stances you know better than the record (give them a basis and source).",
        f"title: {_q(f'Procedural vote{about} proposed by {_and(proposers)}, {day:%d %B %Y}')}",
        f"date: {day.isoformat()}",
        "rule: procedural",
        f"president: {_q(president_on(day).name)}",
        f"proposed_by: [{', '.join(_q(n) for n in proposers)}]",
    ]
    if opponents:
        lines.append(f"opposed_by: [{', '.join(_q(n) for n in opponents)}]")
    if topic:
        lines.append(f"topic: {topic}")
    lines.append(f"description: {_q(_description(day, rule, topic, kind, fc))}")
    lines.append("members:")
    for p in found:
        lines += [
            f"  {_q(p.member)}:",
            f"    vote: {_vote(p)}",
            "    basis: prior",
            f"    note: {_q(p.note)}",
        ]
    if RHO > 0:
        lines += [
            "blocs:",
            "  # A small shared factor: the members' votes on one motion move together a little",
            f"  # (unsc-sim backtest: the record before {CUTOFF} chose this correlation);",
            "  # remove the bloc for independent votes.",
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


def _description(
    day: dt.date, rule: Rule, topic: str | None, kind: str | None, fc: Forecast
) -> str:
    text = (
        f"A procedural vote (Art. 27(2): {rule.threshold} of {rule.size}) on {day}"
        + (f", of the kind '{kind}'" if kind else "")
        + ". Each member's stance is its prior from the recorded procedural votes before that "
        "date (unsc-sim backtest shows how such priors have done)."
    )
    o = fc.offset
    text += (
        f" P(adopted) from these stances: {fc.p_members:.2f} (what `unsc-sim run` gives). "
        "The backtested model adds that motions are called by sponsors who expect to win: "
        f"with the {o.camp} camp's offset ({o.value:+.2f} on the log-odds, fitted on {o.votes} "
        f"earlier {o.camp} motions) it gives {fc.p_adopted:.2f}."
    )
    probs = np.array([p.probabilities for p in fc.priors])
    expected = float(probs[:, 0].sum())
    if (expected < rule.threshold - 0.5) == (fc.p_members > 0.5):
        total = yes_distribution(probs, fc.rho)
        likeliest = int(np.argmax(total))
        text += (
            f" Expected yes votes ({expected:.1f}) and P(adopted) ({fc.p_members:.2f}) point "
            f"different ways: the number of yes votes is skewed (likeliest {likeliest}), so "
            f"the mean sits on the other side of {rule.threshold} from the bulk."
        )
    if topic:
        earlier = [v for v in recorded_votes(topic) if v.date < day][-5:]
        done = "; ".join(
            f"{v.id} ({'adopted' if v.adopted else 'not adopted'})" for v in reversed(earlier)
        )
        text += f" Recorded votes on {topic}, latest first: {done or 'none'}."
    return text
