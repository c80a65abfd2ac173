"""Located messages: every error and note names the file, line, column and field path."""

from __future__ import annotations

import difflib
from typing import Any

from ..errors import (
    ScenarioError,
)
from ..notes import Level, Note
from .citations import Root


class Located:
    """Locates fields in the parsed document and raises errors that name them."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.root: tuple[int, int] | None = None  # 1-based line, column of the document's node
        self.notes: dict[str, Note] = {}  # what was read generously, once per subject
        self.roots: tuple[Root, ...] = ()  # where cited files may be read from
        self.warnings: list[Note] = []  # located like errors, level warning
        self.files: list[str] = []  # source files read

    def note(self, subject: str, error: ScenarioError) -> None:
        """Keep a note (located like an error) the first time ``subject`` comes up."""
        if subject not in self.notes:
            self.notes[subject] = Note(
                error.message, file=error.file, line=error.line, column=error.column,
                field=error.field,
            )  # fmt: skip

    def warn(self, message: str, node: Any = None, key: Any = None, *, field: str = "") -> None:
        e = self.fail(message, node, key, field=field)
        self.warnings.append(
            Note(e.message, e.file, e.line, e.column, e.field, level=Level.WARNING)
        )

    def fail(
        self,
        message: str,
        node: Any = None,
        key: Any = None,
        *,
        field: str = "",
        hint: str | None = None,
        at_key: bool = False,
    ) -> ScenarioError:
        line = column = None
        if node is not None and hasattr(node, "lc"):
            line, column = node.lc.line, node.lc.col
            if key is not None:
                try:
                    if isinstance(node, list):
                        line, column = node.lc.item(key)
                    else:
                        line, column = node.lc.key(key) if at_key else node.lc.value(key)
                except (KeyError, IndexError, TypeError):
                    pass  # no position recorded for this key: point at its container
            line, column = line + 1, column + 1
        return ScenarioError(
            message,
            file=self.file or None,
            line=line,
            column=column,
            field=field or None,
            hint=hint,
        )

    def check_keys(self, node: Any, allowed: tuple[str, ...], path: str) -> None:
        for key in node:
            if key not in allowed:
                hint = did_you_mean(key, list(allowed), fold=False)
                hint = hint or f"known keys: {', '.join(allowed)}"
                raise self.fail(
                    f"unknown key {clip(key)!r}",
                    node,
                    key,
                    field=join_path(path, key),
                    hint=hint,
                    at_key=True,
                )


def join_path(path: str, key: Any) -> str:
    return f"{path}.{clip(key)}" if path else clip(key)


def clip(value: Any, limit: int = 60) -> str:
    """User text for a message: at most ``limit`` characters, an ellipsis if cut."""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def did_you_mean(value: Any, choices: list[str], *, fold: bool = True) -> str | None:
    """A hint naming the closest choice; ``fold`` compares in lower case."""
    text = str(value).strip().lower() if fold else str(value)
    close = difflib.get_close_matches(text, choices, n=1)
    return f"did you mean {close[0]!r}?" if close else None


def kind_of(value: Any) -> str:
    """'a list', 'text', 'a number'... for messages about the wrong kind of value."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return type(value).__name__


def read_description(node: Any, doc: Located, path: str) -> str:
    value = node.get("description")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise doc.fail(
            "description must be text", node, "description", field=join_path(path, "description")
        )
    return value.strip()


def check_name(
    doc: Located, node: Any, name: Any, field: str, *, what: str, section: str, example: str
) -> None:
    """A bloc's or hypothetical's name (a key of ``section``): text, and not empty."""
    if not isinstance(name, str):
        raise doc.fail(
            f"a {what} is named by text, not {kind_of(name)}",
            node,
            name,
            field=field,
            hint=f"quote it: '{clip(name)}'",
            at_key=True,
        )
    if not name.strip():
        raise doc.fail(
            f"a {what}'s name is empty",
            node,
            name,
            field=section,
            hint=f"name it, e.g. '{example}'",
            at_key=True,
        )
