"""Words a reader cannot misread: verdicts, pivots, reports and counts, written once.

Every view (the run table and JSON, members, swing, whatif, sweep, figures, the explorer's
data and the notebooks) takes its sentences from here, so that a count, a probability or a
pivot reads the same everywhere. The engine returns numbers; this module says what they mean.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..charter import Pivot
from ..engine.simulation import Result
from ..model import STEP, VOTES, Report, Scenario, Vote, count_range

SURE = 1e-9  # a probability this close to 0 or 1 is said as "no" or "yes"
NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
           "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen")  # fmt: skip
HALF = 0.5  # pivots at this P(its vote decides) and no higher are said in one sentence
CROWD = 4  # ... when at least this many members share it


def number(k: int) -> str:
    """A count in words up to fifteen, in digits beyond: ``number(9)`` is ``'nine'``."""
    return NUMBERS[k] if 0 <= k < len(NUMBERS) else str(k)


def names(items: Sequence[str], conjunction: str = "and") -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def adopted_cell(result: Result) -> bool | None:
    """True or False when the outcome is sure (P(adopted) is 0 or 1 and computed exactly),
    even with uncertain stances; None (shown as ``-``) when it is uncertain."""
    d = result.decision
    if d is not None:
        return d.adopted
    if result.trials is not None:
        return None
    p = result.p_adopted
    return True if p >= 1 - SURE else False if p <= SURE else None


def sure_yes_count(result: Result) -> int | None:
    """The number of yes votes when it is certain, else None."""
    if result.trials is not None:
        return None
    k = int(np.argmax(result.total))
    return k if result.total[k] >= 1 - SURE else None


def sure_count(result: Result, vote: str) -> int | None:
    """A vote's count when certain, else None: the yes count from its distribution; another
    count when a report holds it exactly and this result is the world the reports describe
    (its expected counts are the members' posteriors summed, and equal the report)."""
    if vote == "yes":
        return sure_yes_count(result)
    if result.trials is not None or not result.posterior or result.expected_counts is None:
        return None
    column = [v.value for v in VOTES].index(vote)
    expected = result.expected_counts[column]
    if abs(expected - sum(row[column] for row in result.posterior)) > SURE:
        return None  # a counterfactual: the members it redraws need not keep the count
    for report in result.reported:
        lo, hi = report.counts.get(Vote(vote), (None, None))
        if lo is not None and lo == hi and abs(expected - lo) <= SURE:
            return int(lo)
    return None


def count_cell(result: Result, vote: str) -> int | float:
    """A vote's count for a table: a whole number when certain, else the expected count."""
    d = result.decision
    if d is not None:
        return int(getattr(d.tally, vote))
    sure = sure_count(result, vote)
    return result.expected[vote] if sure is None else sure


EXPECTED_NOTE = (
    "Counts with decimals are expected numbers of votes (some stances are uncertain), not tallies."
)


def would_make(result: Result) -> list[str]:
    """Members whose yes alone would surely make the motion pass (P(adopted) 0 -> 1), those
    likeliest to come over first: by the chance of a yes their own stance gives them (before
    the reports hold the count), then by how near their vote is to yes (an abstainer before a
    "no" voter, by the vote-distance scale), then in the file's order."""
    if not result.pivot:
        return []
    post = np.array(result.posterior or [m.stance.probabilities for m in result.members])
    steps = post @ np.array([STEP[v] for v in VOTES], dtype=float)
    found = [
        (-result.members[i].stance.yes, steps[i], i)
        for i, p in enumerate(result.pivot)
        if p >= 1 - SURE and post[i, 0] <= SURE
    ]
    return [result.members[i].name for *_, i in sorted(found)]


def _against(result: Result, who: list[str]) -> set[str]:
    """Of ``who``, the members likelier than not to vote no (given the reports)."""
    post = result.posterior or [m.stance.probabilities for m in result.members]
    return {m.name for m, p in zip(result.members, post) if m.name in who and p[1] >= HALF}


def would_make_text(result: Result) -> str:
    """Who would make the threshold with a yes, as a reader reads it: who could come over.

    Every member named would, by its yes alone, make the motion pass; the list stays true as a
    counterfactual. But a reader takes such a list as the members that could have come over,
    so those likeliest to (``would_make``'s order) lead, and the members voting no follow
    apart, after "even": "Côte d'Ivoire, Equatorial Guinea or Ethiopia would each make nine
    with a yes (as would even China, Russian Federation or Bolivia, which vote no)." Said
    this way the sentence neither hides the arithmetic nor suggests China was in play.
    """
    who = would_make(result)
    if not who:
        return ""
    nine = number(result.rule.threshold)
    no = _against(result, who)
    near, far = [n for n in who if n not in no], [n for n in who if n in no]
    if not near:
        return f"Only a member voting no could make {nine} with a yes: {names(far, 'or')}."
    if len(near) == 1:
        text = f"{near[0]}'s yes would make {nine}"
    else:
        text = f"{names(near, 'or')} would each make {nine} with a yes"
    if far:
        verb = "votes" if len(far) == 1 else "vote"
        text += f" (as would even {names(far, 'or')}, which {verb} no)"
    return text + "."


def verdict(result: Result) -> str:
    """One sentence on the outcome of a variant.

    "Not adopted: 8 yes, one short of 9. Côte d'Ivoire, Equatorial Guinea or Ethiopia would
    each make nine with a yes (as would even China, Russian Federation or Bolivia, which vote
    no)." (``would_make_text``) or "Adopted with probability 0.73 (8.6 yes expected)."
    """
    rule, p = result.rule, result.p_adopted
    t = rule.threshold
    d = result.decision
    yes = d.tally.yes if d is not None else sure_yes_count(result)
    sure = adopted_cell(result)
    expected = result.expected["yes"]
    if d is not None and d.vetoed_by:
        return f"Vetoed by {names(d.vetoed_by)}: {yes} yes, {t} needed."
    if sure is None:
        text = f"Adopted with probability {p:.2f} ({expected:.1f} yes expected)"
        if result.trials is not None and result.p_adopted_se is not None:
            text += f", ± {result.p_adopted_se:.2f} (sampled)"
        if rule.veto and result.p_vetoed > SURE:
            text += f"; vetoed with probability {result.p_vetoed:.2f}"
        return text + "." + skew_text(result)
    if sure:
        if yes is None:
            return f"Adopted: at least {t} yes ({expected:.1f} expected), {t} needed."
        return f"Adopted: {yes} yes, {t} needed."
    if yes is None:
        if rule.veto and result.p_vetoed >= 1 - SURE:
            return f"Vetoed ({expected:.1f} yes expected, {t} needed)."
        return f"Not adopted: {expected:.1f} yes expected, {t} needed."
    if yes >= t:
        return f"Not adopted: {yes} yes, {t} needed, but a permanent member votes no."
    short = t - yes
    text = f"Not adopted: {yes} yes, {number(short)} short of {t}."
    if short == 1 and (who := would_make_text(result)):
        text += f" {who}"
    return text


def pivot_why(pivot: Pivot) -> str:
    """Why a member is pivotal: the rule's words for sure votes, P(its vote decides) for
    uncertain ones (JavaScript twin: `pivotsUncertain` in data/explorer.html)."""
    return pivot.why or f"P(its vote decides) = {pivot.p:.2f}"


def record(result: Result) -> dict[str, Any]:
    """``Result.to_record()`` with the words a reader sees: the verdict and each pivot's why."""
    out = result.to_record()
    out["verdict"] = verdict(result)
    out["pivotal_why"] = [
        row | {"why": pivot_why(pv)} for row, pv in zip(out["pivotal_why"], result.pivots)
    ]
    return out


def skew_text(result: Result) -> str:
    """Why P(adopted) and the expected yes count point opposite ways, when they do (an
    expected count below the threshold with P(adopted) above 1/2, or the reverse); else "".

    The mean of a lopsided distribution of yes counts sits away from its middle: members who
    move together (blocs) make a few outcomes with far fewer (or far more) yes votes.
    """
    t, p = result.rule.threshold, result.p_adopted
    expected = result.expected["yes"]
    reach = float(result.total[t:].sum())  # P(at least t yes), veto or not
    median = int(np.searchsorted(np.cumsum(result.total), 0.5 - 1e-12))
    if expected < t - 0.5 and p > 0.5:
        return (
            f" The expected count is below {t} but most outcomes reach it (median {median} "
            "yes): a few outcomes with far fewer yes votes pull the average down."
        )
    if expected >= t - 0.5 and p < 0.5:
        if reach >= 0.5:
            return f" Most outcomes reach {t} yes, but a permanent member's veto decides it."
        return (
            f" The expected count reaches {t} but most outcomes fall short (median {median} "
            "yes): a few outcomes with far more yes votes pull the average up."
        )
    return ""


def pivots_text(result: Result) -> str:
    """Who decides, in words: sure votes grouped by why; uncertain ones with P(its vote
    decides), members certain to decide said so, and a crowd at exactly 0.50 in one sentence."""
    pivots = result.pivots
    if result.decision is not None:
        groups: dict[str, list[str]] = {}
        for pv in pivots:
            groups.setdefault(pv.why, []).append(pv.member)
        return "; ".join(f"{why}: {', '.join(who)}" for why, who in groups.items()) or "none"
    note = f" ({result.pivot_note})" if result.pivot_note else ""
    if not pivots:
        top = max(zip(result.pivot, result.members), key=lambda x: x[0], default=None)
        if top is None or top[0] < 0.005:  # "highest: United States 0.00" would say nothing
            return f"uncertain{note}; no member's vote decides it"
        return f"uncertain{note}; none at 0.5 or more (highest: {top[1].name} {top[0]:.2f})"
    half = [pv for pv in pivots if abs(pv.p - HALF) <= SURE]
    if not result.reported and len(half) < CROWD:  # as before reports: each with its P
        return f"uncertain{note}; " + ", ".join(
            f"{pv.member} {pv.p:.2f}" + (" (its veto decides)" if pv.veto else "") for pv in pivots
        )
    certain = [pv for pv in pivots if pv.p >= 1 - SURE]
    near = {name: k for k, name in enumerate(would_make(result))}
    certain.sort(key=lambda pv: near.get(pv.member, len(near)))
    half = [pv for pv in pivots if abs(pv.p - HALF) <= SURE]
    rest = [pv for pv in pivots if pv not in certain and pv not in half]
    veto = [pv.member for pv in certain if pv.veto]
    parts = []
    if certain:
        who = ", ".join(pv.member for pv in certain)
        if result.p_adopted <= SURE and not result.rule.veto:
            parts.append(f"its yes would make {result.rule.threshold}: {who}")
        elif result.p_adopted >= 1 - SURE:
            parts.append(f"its vote against would defeat it: {who}")
        else:
            parts.append(f"its vote decides whatever the others do: {who}")
        if veto:
            parts.append(f"its veto decides: {', '.join(veto)}")
    if rest:
        parts.append(
            "P(its vote decides) "
            + ", ".join(
                f"{pv.member} {pv.p:.2f}" + (" (its veto decides)" if pv.veto else "")
                for pv in rest
            )
        )
    if len(half) >= CROWD:
        lead = f"the outcome hangs on {names([pv.member for pv in certain])}; " if certain else ""
        parts.append(
            f"{lead}{len(half)} members decide only in the half of the cases where the "
            f"others leave it one vote from {result.rule.threshold} (P(its vote decides) = "
            "0.50 each): none of them alone"
        )
    elif half:
        parts.append("P(its vote decides) " + ", ".join(f"{pv.member} 0.50" for pv in half))
    return f"uncertain{note}; " + "; ".join(parts)


def probabilities_text(probs: Sequence[float]) -> str:
    """``yes 0.96 / abstain 0.04``; a sure vote as its word (``yes``)."""
    sure = [v.value for v, p in zip(VOTES, probs) if p >= 1 - SURE]
    if sure:
        return sure[0]
    return " / ".join(f"{v.value} {p:.2f}" for v, p in zip(VOTES, probs) if p > SURE)


def report_text(report: Report, size: int | None = None) -> str:
    """``8 yes (seeds/000_0963a4101a18558c.txt)``."""
    counts = ", ".join(
        f"{count_range(lo, hi, size)} {v.value}" for v, (lo, hi) in report.counts.items()
    )
    return f"{counts} ({report.source})" if report.source else counts


def reported_line(scenario: Scenario) -> str | None:
    """The line under a title: what the reports say, which the baseline is conditioned on."""
    if not scenario.reported:
        return None
    said = "; ".join(report_text(r, scenario.rule.size) for r in scenario.reported)
    return f"reported: {said}; the baseline is conditioned on it"


def vote_held_line(scenario: Scenario) -> str | None:
    """Said when the file records that no vote was taken."""
    if scenario.vote_held is False:
        return "no vote was held: the file describes what the reports say"
    return None


def conditioned_label(scenario: Scenario) -> str | None:
    """For analyses and figures: they start from the baseline given the reports."""
    if not scenario.reported:
        return None
    said = "; ".join(report_text(r, scenario.rule.size) for r in scenario.reported)
    return f"given the reports ({said})"
