"""Hypotheticals: named variants, each a set of changed stances."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..model import (
    BASELINE,
    Hypothetical,
    Stance,
)
from .located import Located, check_name, clip, join_path, read_description
from .stances import read_stance

MAX_HYPOTHETICALS = 1_000  # each is a full evaluation; more is a generated file gone wrong


def read_hypotheticals(
    data: Any, doc: Located, base: Path, member: Callable
) -> tuple[Hypothetical, ...]:
    node = data.get("hypotheticals")
    node = {} if node is None else node
    if not hasattr(node, "items"):
        raise doc.fail(
            "hypotheticals must be a mapping of name to changes",
            data,
            "hypotheticals",
            field="hypotheticals",
        )
    out = []
    if len(node) > MAX_HYPOTHETICALS:
        raise doc.fail(
            f"{len(node):,} hypotheticals; a file may hold at most {MAX_HYPOTHETICALS:,}",
            data,
            "hypotheticals",
            field="hypotheticals",
            hint="split it into several files",
        )
    for name, changes in node.items():
        field = join_path("hypotheticals", clip(name))
        check_name(
            doc, node, name, field, what="hypothetical", section="hypotheticals", example="peru-yes"
        )
        if str(name) == BASELINE:
            raise doc.fail(
                "'baseline' is reserved for the scenario itself",
                node,
                name,
                field=field,
                at_key=True,
            )
        if not hasattr(changes, "items") or not changes:
            raise doc.fail(
                "a hypothetical maps members to their new stances", node, name, field=field
            )
        description = read_description(changes, doc, field)
        if all(k == "description" for k in changes):
            raise doc.fail(
                "a hypothetical maps members to their new stances; this one only has a description",
                node,
                name,
                field=field,
                at_key=True,
            )
        pairs: list[tuple[str, Stance]] = []
        seen: dict[str, Any] = {}
        for written, value in changes.items():
            if written == "description":
                continue
            who = member(written, changes, written, join_path(field, written), True)
            if who in seen:
                raise doc.fail(
                    f"{clip(written)!r} is {who}, already changed as {clip(seen[who])!r}",
                    changes,
                    written,
                    field=join_path(field, written),
                    at_key=True,
                )
            seen[who] = written
            stance, _ = read_stance(
                value, doc, changes, written, join_path(field, written), base, party=False
            )
            pairs.append((who, stance))
        out.append(Hypothetical(str(name), tuple(pairs), description))
    return tuple(out)
