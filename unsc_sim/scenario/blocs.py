"""Blocs and the correlations between them, as a file gives them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import (
    ScenarioError,
)
from ..model import (
    Between,
    Bloc,
    factor_correlation,
)
from .located import Located, check_name, did_you_mean, join_path

BLOC_KEYS = ("members", "correlation")
BETWEEN_KEYS = ("blocs", "correlation")


def read_blocs(data: Any, doc: Located, member: Callable) -> tuple[Bloc, ...]:
    node = data.get("blocs")
    node = {} if node is None else node
    if not hasattr(node, "items"):
        raise doc.fail(
            "blocs must be a mapping of name to {members, correlation}",
            data,
            "blocs",
            field="blocs",
        )
    out, taken = [], {}
    for name, spec in node.items():
        field = join_path("blocs", name)
        check_name(doc, node, name, field, what="bloc", section="blocs", example="west")
        if not hasattr(spec, "items"):
            raise doc.fail(
                "a bloc is a mapping with members and correlation", node, name, field=field
            )
        doc.check_keys(spec, BLOC_KEYS, field)
        people = spec.get("members")
        if not isinstance(people, list) or not people:
            raise doc.fail(
                "a bloc needs a list of members",
                spec,
                "members",
                field=join_path(field, "members"),
            )
        names = []
        for i, who in enumerate(people):
            resolved = member(who, people, i, f"{field}.members[{i}]")
            if resolved in taken:
                raise doc.fail(
                    f"{resolved} is already in bloc {taken[resolved]!r}",
                    people,
                    i,
                    field=f"{field}.members[{i}]",
                )
            taken[resolved] = str(name)
            names.append(resolved)
        if "correlation" not in spec:
            raise doc.fail(
                "missing required key 'correlation'",
                node,
                name,
                field=join_path(field, "correlation"),
            )
        rho = spec.get("correlation")
        if isinstance(rho, bool) or not isinstance(rho, (int, float)) or not 0.0 <= rho <= 1.0:
            raise doc.fail(
                f"correlation must be a number in 0..1, not {str(rho)[:40]!r}",
                spec,
                "correlation",
                field=join_path(field, "correlation"),
            )
        out.append(Bloc(str(name), tuple(names), float(rho)))
    return tuple(out)


def read_between(data: Any, doc: Located, blocs: tuple[Bloc, ...]) -> tuple[Between, ...]:
    node = data.get("between")
    if node is None:
        return ()
    if not isinstance(node, list):
        raise doc.fail(
            "between must be a list of {blocs: [A, B], correlation: r}",
            data,
            "between",
            field="between",
        )
    names = [b.name for b in blocs]
    out: list[Between] = []
    seen: dict[frozenset[str], int] = {}
    for i, spec in enumerate(node):
        field = f"between[{i}]"
        if not hasattr(spec, "items"):
            raise doc.fail("an entry is a mapping with blocs and correlation", node, i, field=field)
        doc.check_keys(spec, BETWEEN_KEYS, field)
        for key in BETWEEN_KEYS:
            if key not in spec:
                raise doc.fail(
                    f"missing required key {key!r}", node, i, field=join_path(field, key)
                )
        pair = spec["blocs"]
        if not isinstance(pair, list) or len(pair) != 2:
            raise doc.fail(
                "blocs must be a list of two bloc names",
                spec,
                "blocs",
                field=join_path(field, "blocs"),
            )
        for j, name in enumerate(pair):
            if str(name) not in names:
                hint = did_you_mean(name, names, fold=False) or (
                    f"blocs: {', '.join(names)}" if names else "no blocs are declared"
                )
                raise doc.fail(
                    f"no bloc {str(name)!r}", pair, j, field=f"{field}.blocs[{j}]", hint=hint
                )
        if str(pair[0]) == str(pair[1]):
            raise doc.fail(
                "a bloc's own factor has correlation 1: name two different blocs",
                pair,
                1,
                field=f"{field}.blocs[1]",
            )
        key = frozenset(str(p) for p in pair)
        if key in seen:
            raise doc.fail(
                f"blocs {str(pair[0])!r} and {str(pair[1])!r} are already paired in "
                f"between[{seen[key]}]",
                node,
                i,
                field=field,
            )
        seen[key] = i
        rho = spec["correlation"]
        if isinstance(rho, bool) or not isinstance(rho, (int, float)) or not -1.0 <= rho <= 1.0:
            raise doc.fail(
                f"correlation must be a number in -1..1, not {str(rho)[:40]!r}",
                spec,
                "correlation",
                field=join_path(field, "correlation"),
            )
        out.append(Between((str(pair[0]), str(pair[1])), float(rho)))
    try:
        factor_correlation(blocs, tuple(out))  # a correlation matrix, or why not
    except ScenarioError as e:
        raise doc.fail(
            e.message, data, "between", field="between", hint=e.hint, at_key=True
        ) from None
    return tuple(out)


def warn_lonely(blocs: tuple[Bloc, ...], between: tuple[Between, ...], data: Any, doc: Located):
    """A bloc of one member with no ``between`` entry changes nothing: say so, don't refuse."""
    linked = {name for link in between for name in link.blocs}
    for i, bloc in enumerate(blocs):
        if len(bloc.members) == 1 and bloc.name not in linked:
            spec = list(data["blocs"].values())[i]
            doc.warn(
                "a bloc of one member changes nothing (add members, or correlate it with "
                "another bloc under between)",
                spec,
                "members",
                field=f"blocs.{bloc.name}.members",
            )
