"""Reading YAML safely: YAML 1.2, and nothing a scenario does not need.

ruamel.yaml in round-trip mode keeps bare ``yes``/``no`` as strings (a YAML 1.1 loader turns
them into booleans, in keys too), refuses duplicate keys, and keeps the line and column of
every node. Each parse event is checked as the parser makes it, before the composer uses it
(one parse, nothing built from a refused event): tags (``!!python/...``), anchors and
aliases (no "billion laughs"), merge keys, oversized or too deeply nested documents, and
control characters other than tab and newline in any text (``"\\e]52;..."`` would reach a
terminal from a title) are refused, each at its line, column and field. Timestamps stay
text (the scenario checks ``date`` itself), and a scalar Python cannot build (an impossible
date, an integer of thousands of digits) is a YAML error at its own line, not a stray
``ValueError``.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import CONTROLS, ScenarioError

MAX_BYTES = 1_000_000
MAX_EVENTS = 50_000
MAX_DEPTH = 32
_SURROGATE = re.compile("[\ud800-\udfff]")
# Control characters but tab and newline: written as escapes ("\e]52;...", "\x1b[2J", "\r")
# in a quoted scalar, they would reach a terminal or a CSV reader from a title or a name.
_CONTROL = re.compile("[" + "".join(map(chr, sorted(CONTROLS))).replace("\\", "\\\\") + "]")


def read(text: str | bytes, *, file: str = "<string>") -> tuple[Any, tuple[int, int] | None]:
    """The YAML document and the (line, column) of its root node; ``ScenarioError`` if refused."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    if len(text) > MAX_BYTES:
        raise ScenarioError(f"file is larger than {MAX_BYTES:,} bytes", file=file)
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            line, column = _position(e.object, e.start)
            raise ScenarioError(
                f"not UTF-8 text (byte {e.start})", file=file, line=line, column=column
            ) from None
    yaml = YAML(typ="rt")
    yaml.Constructor = _constructor()
    yaml.Parser = _parser()
    checker = _Checker(file)
    yaml.parser.checker = checker
    try:
        return yaml.load(text), checker.root
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = (e.problem or e.context or "invalid YAML").strip()
        if "duplicate key" in problem:
            problem = problem.split(" with value")[0]
        elif problem.startswith("but ") and e.context:
            problem = f"{e.context.strip()}, {problem}"
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise ScenarioError(
            f"not valid YAML: {' '.join(problem.split())}",
            file=file,
            line=line,
            column=column,
        ) from None
    except ReaderError as e:
        line, column = _position(text, e.position)
        what = (
            f"character #x{e.character:04x}"
            if isinstance(e.character, int)
            else f"byte {e.character!r}"
        )
        raise ScenarioError(
            f"not valid YAML: unacceptable {what} ({e.reason})",
            file=file,
            line=line,
            column=column,
        ) from None
    except YAMLError as e:
        raise ScenarioError(f"not valid YAML: {' '.join(str(e).split())}", file=file) from None


def _position(text: str | bytes, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset into text (or bytes)."""
    newline = "\n" if isinstance(text, str) else b"\n"
    line = text.count(newline, 0, offset) + 1  # type: ignore[arg-type]
    return line, offset - (text.rfind(newline, 0, offset) + 1) + 1  # type: ignore[arg-type]


class _Checker:
    """Refuses, event by event, what a scenario never needs; notes the root node's place."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.root: tuple[int, int] | None = None
        self.count = 0
        # per open collection: [is a mapping, nodes seen in it, its current key]
        self.stack: list[list[Any]] = []

    def see(self, event: Any) -> None:
        kind = type(event).__name__
        stack = self.stack
        mark = event.start_mark
        where = {"file": self.file, "line": mark.line + 1, "column": mark.column + 1}
        if self.count > MAX_EVENTS:
            raise ScenarioError("document too large (too many nodes)", **where)
        self.count += 1
        if kind == "AliasEvent" or getattr(event, "anchor", None):
            raise ScenarioError("anchors and aliases (&name, *name) are not allowed", **where)
        if getattr(event, "tag", None) is not None:
            raise ScenarioError(f"tags are not allowed ({event.tag})", **where)
        if self.root is None and kind in ("ScalarEvent", "MappingStartEvent", "SequenceStartEvent"):
            self.root = (where["line"], where["column"])
        if kind == "ScalarEvent":
            if _SURROGATE.search(event.value):
                # "\ud800" escapes give text that cannot be written out as UTF-8 again.
                raise ScenarioError(
                    "text holds a lone surrogate (a \\uD800-\\uDFFF escape), not a character",
                    **where,
                )
            is_key = bool(stack) and stack[-1][0] and stack[-1][1] % 2 == 0
            if is_key and not event.style and event.value == "<<":
                raise ScenarioError("merge keys (<<) are not allowed", **where)
            # ruamel marks the folds of a folded (>) scalar with BEL; a file cannot hold a raw
            # BEL (the reader refuses it), so there it is no character of the text.
            text = event.value.replace("\a", "") if event.style == ">" else event.value
            found = _CONTROL.search(text)
            if found:
                raise ScenarioError(
                    f"text holds a control character ({found.group()!r}); only tab and "
                    "newline are allowed",
                    field=_path(stack[:-1] if is_key else stack) or None,
                    **where,
                )
            if is_key:
                stack[-1][2] = event.value
            if stack:
                stack[-1][1] += 1
        elif kind in ("MappingStartEvent", "SequenceStartEvent"):
            stack.append([kind == "MappingStartEvent", 0, None])
            if len(stack) > MAX_DEPTH:
                raise ScenarioError(f"nested more than {MAX_DEPTH} levels deep", **where)
        elif kind in ("MappingEndEvent", "SequenceEndEvent"):
            stack.pop()
            if stack:
                stack[-1][1] += 1


def _path(stack: list[list[Any]]) -> str:
    """The field path of the node the event stack is at: ``members.France``, ``x[2]``."""
    path = ""
    for is_mapping, seen, key in stack:
        if is_mapping:
            key = str(key)
            key = key if len(key) <= 60 else key[:60] + "…"
            path = f"{path}.{key}" if path else key
        else:
            path += f"[{seen}]"
    return path


_PARSER: Any = None


def _parser() -> Any:
    """ruamel's round-trip parser, handing each event to its ``checker`` as it is made."""
    global _PARSER
    if _PARSER is None:
        from ruamel.yaml.parser import RoundTripParser

        class Parser(RoundTripParser):
            checker: _Checker

            def _made(self) -> None:
                if self.current_event is None and self.state:
                    self.current_event = self.state()
                    if self.current_event is not None:
                        self.checker.see(self.current_event)

            def check_event(self, *choices: Any) -> bool:
                self._made()
                return super().check_event(*choices)

            def peek_event(self) -> Any:
                self._made()
                return super().peek_event()

            def get_event(self) -> Any:
                self._made()
                return super().get_event()

        _PARSER = Parser
    return _PARSER


_CONSTRUCTOR: Any = None


def _constructor() -> Any:
    """ruamel's round-trip constructor, with timestamps kept as text and scalar errors marked."""
    global _CONSTRUCTOR
    if _CONSTRUCTOR is None:
        from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor

        class Constructor(RoundTripConstructor):
            def construct_non_recursive_object(self, node: Any, tag: str | None = None) -> Any:
                try:
                    return super().construct_non_recursive_object(node, tag)
                except (ValueError, OverflowError, TypeError) as e:
                    raise ConstructorError(
                        None, None, f"cannot read {str(node.value)[:40]!r}: {e}", node.start_mark
                    ) from None

            def construct_text(self, node: Any) -> Any:
                return self.construct_scalar(node)

        Constructor.add_constructor("tag:yaml.org,2002:timestamp", Constructor.construct_text)
        _CONSTRUCTOR = Constructor
    return _CONSTRUCTOR
