"""A recorded vote as a scenario file (``unsc-sim history ID --as-scenario`` and ``replay``).

A row that names every member's vote becomes a scenario of sure, recorded stances. A
tally-only row (the sources give the counts and name only some members) becomes evidence: the
named members keep their recorded votes, the others get their priors from the record before
the day (``default: record``), and the tally is a ``reported:`` block, so that the baseline
is the Council given the tally and each unnamed member's posterior says how it likely voted.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..errors import UnscSimError
from ..model import VOTES
from .council import president
from .provenance import classify
from .votes import RecordedVote

# A UN document symbol as a scenario cites it (``scenario.citations`` checks it in full).
SYMBOL = re.compile(r"(?:S|A|SC|GA|SG)/[A-Z0-9.]\S*(?: \(Resumption \d+\))?")
INFERRED_NOTE = (
    "not named by the sources: its prior from the recorded votes before the day, "
    "conditioned on the recorded tally"
)


def tally_text(v: RecordedVote) -> str:
    """``4-8-3`` (yes-no-abstain; ``?`` for a count not given), then ``, 1 absent``."""
    counts = [v.count(x) for x in VOTES]
    text = "-".join("?" if n is None else str(n) for n in counts[:3])
    return text + (f", {counts[3]} absent" if counts[3] else "")


def primary_source(v: RecordedVote) -> str:
    """The source a scenario cites for the row: its first primary source that is a web page,
    else its meeting record (S/PV...), else its first web page. A printed source (a volume of
    Resolutions and Decisions) cannot be cited in a scenario, which takes files, URLs and UN
    symbols only; a row with nothing else is refused."""
    found = [classify(s) for s in v.sources]
    citable = [s for s in found if s.host is not None or SYMBOL.fullmatch(s.text)]
    first = next((s.text for s in citable if s.kind == "primary"), None)
    first = first or v.meeting or next((s.text for s in citable), None)
    if first is None:
        raise UnscSimError(
            f"{v.id}: no source a scenario can cite (a URL or a UN document symbol); the row "
            f"rests on {v.sources[0][:80]!r}"
        )
    return first


def _q(text: str) -> str:
    """A JSON string is a valid YAML double-quoted scalar."""
    return json.dumps(text, ensure_ascii=False)


def scenario_text(v: RecordedVote) -> str:
    """The text of a scenario file for the recorded vote ``v`` (procedural, as recorded).

    >>> from unsc_sim.record import recorded_vote
    >>> "reported:" in scenario_text(recorded_vote("2017-10-24-syria"))
    True
    """
    source = v.meeting or (v.sources[0] if v.members_known else primary_source(v))
    outcome = "adopted" if v.adopted else "not adopted"
    about = (
        f"The Council's recorded procedural vote of {v.date:%d %B %Y} "
        f"({v.meeting or 'meeting record not identified'}): {v.subject}; {outcome} "
        f"{tally_text(v)}."
    )
    about += f" Proposed by {', '.join(v.proposed_by)}." if v.proposed_by else ""
    about += f" Opposed by {', '.join(v.opposed_by)}." if v.opposed_by else ""
    if not v.members_known:
        about += (
            f" Tally only: the sources name {len(v.votes)} of the members' votes; the others "
            "are each member's prior from the recorded votes before this day (default: "
            "record), and the tally is evidence (reported), so each one's posterior says how "
            "it likely voted."
        )
    about += f" {v.note}" if v.note else ""
    lines = [
        f"# From the record: unsc-sim history {v.id} --as-scenario",
        f"title: {_q(v.subject + ', ' + v.date.isoformat())}",
        f"date: {v.date.isoformat()}",
        "rule: procedural",
        f"topic: {v.topic}",
    ]
    # With members left to `default:`, the loader takes the president from the rotation.
    chair = president(v.date.year, v.date.month).name
    lines.append(f"president: {_q(chair)}" if v.members_known else f"# president: {chair}")
    for key in ("proposed_by", "opposed_by"):
        names = getattr(v, key)
        lines += [f"{key}: [{', '.join(_q(n) for n in names)}]"] if names else []
    lines += [f"description: {_q(about)}", "sources:", *(f"  - {_q(s)}" for s in v.sources)]
    if not v.members_known:
        lines.append("reported:")
        lines += [f"  {x.value}: {v.count(x)}" for x in VOTES if v.count(x) is not None]
        lines += [f"  source: {_q(primary_source(v))}", "default: record"]
    lines.append("members:" if v.votes else "members: {}")
    for name, vote in v.votes.items():
        lines.append(f"  {_q(name)}: {{vote: {vote.value}, basis: recorded, source: {_q(source)}}}")
    if v.members_known and v.of("abstain"):  # a first what-if to edit: the abstainers come over
        lines += ["hypotheticals:", "  all-abstainers-yes:"]
        lines += [f"    {_q(n)}: yes" for n in v.of("abstain")]
    return "\n".join(lines) + "\n"


def replay_members(v: RecordedVote, result: Any) -> list[dict[str, Any]]:
    """Each member of a replayed vote: its recorded vote (None when not named), its basis
    (``recorded``, or ``inferred`` for a member the sources do not name), and its posterior
    given the tally (``result``: the baseline of ``scenario_text(v)``, simulated)."""
    post = result.posterior or [m.stance.probabilities for m in result.members]
    rows = []
    for m, probs in zip(result.members, post):
        cast = v.vote_of(m.name)
        rows.append({
            "member": m.name,
            "vote": cast.value if cast else None,
            "basis": "recorded" if cast else "inferred",
            "prior": {x.value: float(p) for x, p in zip(VOTES, m.stance.probabilities)},
            "posterior": {x.value: float(p) for x, p in zip(VOTES, probs)},
            "note": None if cast else INFERRED_NOTE,
        })  # fmt: skip
    return rows
