"""Command-line stances (`--set "Kuwait=abstain"`) and member names given as options."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from ..errors import (
    ScenarioError,
    UnscSimError,
)
from ..model import Scenario, Stance
from ..notes import Note
from .located import Located, clip
from .stances import read_probabilities


def parse_assignment(
    text: str, scenario: Scenario, *, option: str = "--set", notes: list[Note] | None = None
) -> tuple[str, Stance]:
    """``"Ivory Coast=yes"`` or ``"France=yes:70%,abstain:30%"`` -> (member name, stance).

    What was read generously (an alias, rescaled probabilities) is appended to ``notes``.
    """
    name, sep, vote = text.partition("=")
    if not sep or not name.strip() or not vote.strip():
        raise ScenarioError(f"expected MEMBER=VOTE, got {clip(text)!r}", field=option)
    who = resolve_member(name.strip(), scenario, option=option, notes=notes)
    doc = Located("")
    if ":" not in vote:
        probs = read_probabilities(vote, doc, None, None, option)
    else:
        mapping: dict[str, Any] = {}
        for part in vote.split(","):
            word, _, p = part.partition(":")
            word = " ".join(word.lower().split())
            if word in mapping:
                raise ScenarioError(f"{word!r} given twice in {vote!r}", field=option)
            try:
                mapping[word] = p.strip() if p.strip().endswith("%") else float(p)
            except ValueError:
                raise ScenarioError(f"bad probability in {clip(part)!r}", field=option) from None
        probs = read_probabilities(mapping, doc, None, None, option)
    if notes is not None:
        notes += [replace(n, field=f"{option} {text}") for n in doc.notes.values()]
    return who, Stance(*probs, note="set on the command line")


def resolve_member(
    name: str, scenario: Scenario, *, option: str, notes: list[Note] | None = None
) -> str:
    """The member a name on the command line means; an alias is noted in ``notes``."""
    try:
        who = scenario.resolve(name)
    except UnscSimError as e:
        raise ScenarioError(e.message, field=option, hint=e.hint) from None
    if notes is not None and name != who:
        notes.append(Note(f"{name!r} read as {who}", file=option))
    return who


def parse_assignments(
    texts: Iterable[str],
    scenario: Scenario,
    *,
    option: str = "--set",
    notes: list[Note] | None = None,
) -> dict[str, Stance]:
    """Several ``MEMBER=VOTE`` settings; a member set twice (under any name) is refused."""
    out: dict[str, Stance] = {}
    given: dict[str, str] = {}
    for text in texts:
        who, stance = parse_assignment(text, scenario, option=option, notes=notes)
        if who in out:
            raise ScenarioError(f"{who} is set twice, by {given[who]!r} and {text!r}", field=option)
        out[who], given[who] = stance, text
    return out


def resolve_members(
    names: Iterable[str], scenario: Scenario, *, option: str, notes: list[Note] | None = None
) -> list[str]:
    """Members named on the command line; one named twice (under any name) is refused."""
    out: dict[str, str] = {}
    for name in names:
        who = resolve_member(name, scenario, option=option, notes=notes)
        if who in out:
            same = "" if out[who] == name else f" (as {out[who]!r} and {name!r})"
            raise ScenarioError(f"{who} is given twice{same}", field=option)
        out[who] = name
    return list(out)
