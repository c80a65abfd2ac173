"""Scenario files: YAML in (see ``safeyaml``), a checked ``Scenario`` out, every error located.

Every check names the file, line, column and field path of what is wrong, with a hint where
one helps ("did you mean Côte d'Ivoire?", "they sum to 1.1").
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from os import PathLike
from pathlib import Path
from typing import Any

from ..errors import (
    InvalidArgumentError,
    ScenarioError,
    UnscSimError,
)
from ..files import FileRefused, read_limited
from ..model import (
    Rule,
    RuleKind,
    Scenario,
)
from .blocs import read_between, read_blocs, warn_lonely
from .citations import search_roots
from .hypotheticals import read_hypotheticals
from .located import Located, clip, did_you_mean, join_path, kind_of, read_description
from .members import (
    SIDES,
    check_president,
    member_resolver,
    read_members,
    read_sides,
    record_bloc,
    roster_day,
)
from .reports import check_reports, read_reports
from .safeyaml import MAX_BYTES, read
from .stances import read_stance

TOP_KEYS = (
    "title", "date", "rule", "president", "chapter", "description",
    "members", "hypotheticals", "blocs", "between", "roster", "default", "topic",
    "vote_held", "proposed_by", "opposed_by", "sources", "reported",
)  # fmt: skip
TOPIC = re.compile(r"[a-z][a-z0-9-]{0,39}")


def load(path: str | Path, *, sources: tuple[str | Path, ...] = ()) -> Scenario:
    """Read and check a scenario file; raises ``ScenarioError`` naming file, line and field.

    Cited files are looked up in the scenario's folder, its project's ``seeds/`` and the
    ``sources`` folders (see ``unsc_sim.scenario.citations``). Only a regular file of at most
    ``safeyaml.MAX_BYTES`` is read, and never more than that.
    """
    if not isinstance(path, (str, PathLike)):
        raise InvalidArgumentError(f"load takes a file path, not {path!r}")
    path = Path(path)
    sources = _folders(sources)
    try:
        raw = read_limited(path, MAX_BYTES)
    except FileRefused as e:
        raise ScenarioError(str(e), file=str(path)) from None
    except OSError as e:
        raise ScenarioError(f"cannot read file: {e.strerror or e}", file=str(path)) from None
    s = loads(raw, file=str(path), base=path.parent, sources=sources)
    return replace(s, files=(str(path), *s.files))


def loads(
    text: str | bytes,
    *,
    file: str = "<string>",
    base: str | PathLike[str] | None = None,
    sources: tuple[str | Path, ...] = (),
) -> Scenario:
    """Parse a scenario from text; ``base`` is the scenario's folder, where relative
    ``source`` paths start (the current folder by default); ``sources`` adds folders."""
    if not isinstance(text, (str, bytes)):
        raise InvalidArgumentError(f"loads takes the text of a scenario, not {text!r}")
    if not isinstance(file, str):
        raise InvalidArgumentError(f"file is the name to show in messages, not {file!r}")
    if base is not None and not isinstance(base, (str, PathLike)):
        raise InvalidArgumentError(f"base is a folder's path, not {base!r}")
    base = Path(base) if base is not None else None
    sources = _folders(sources)
    doc = Located(file)
    data, doc.root = read(text, file=file)
    doc.roots = search_roots(base or Path.cwd(), sources)
    if not hasattr(data, "items"):
        what = "the file is empty" if data is None else f"not {kind_of(data)}"
        line, column = doc.root or (1, 1)
        raise ScenarioError(
            f"a scenario must be a mapping of keys (title, members, ...), {what}",
            file=file,
            line=line,
            column=column,
        )
    doc.check_keys(data, TOP_KEYS, "")
    for key in ("title", "members"):
        if key not in data:
            line, column = doc.root or (1, None)
            raise ScenarioError(
                f"missing required key {key!r}", file=file, line=line, column=column, field=key
            )
    scenario = _build(data, doc, base or Path.cwd())
    return replace(
        scenario,
        notes=scenario.notes + tuple(doc.warnings),
        files=tuple(dict.fromkeys(doc.files)),
    )


def _folders(sources: Any) -> tuple[str | Path, ...]:
    """The ``sources`` folders as a tuple of paths; one path alone is not split into letters."""
    if isinstance(sources, (str, bytes, PathLike)) or not isinstance(sources, (list, tuple)):
        raise InvalidArgumentError(
            f"sources must be a list of folders, e.g. [{sources!r}], not {sources!r}"
        )
    for folder in sources:
        if not isinstance(folder, (str, PathLike)):
            raise InvalidArgumentError(f"sources must be folder paths, not {folder!r}")
    return tuple(sources)


def read_yaml(text: str | bytes, *, file: str = "<string>") -> Any:
    """The YAML document as the loader sees it (size, encoding, tags, aliases, duplicate
    keys and depth checked; timestamps kept as text), before any scenario check."""
    return read(text, file=file)[0]


def _build(data: Any, doc: Located, base: Path) -> Scenario:
    title = _text(data, "title", doc)
    day = _date(data, doc)
    seated = roster_day(data, doc, day)
    rule = _rule(data, doc, day or seated)  # roster: 1950 without a date is an 11-seat Council
    chapter = None
    if "chapter" in data:
        chapter = str(data["chapter"]).strip().upper()
        if chapter not in ("VI", "VII"):
            raise doc.fail(
                f"chapter must be VI or VII, not {clip(data['chapter'])!r}",
                data,
                "chapter",
                field="chapter",
            )
    sides = read_sides(data, doc)
    if data.get("default", "record") != "record":
        read_stance(data["default"], doc, data, "default", "default", base, party=False)  # checked
    members = read_members(data, doc, base, rule, seated, sides)
    if rule.kind is not RuleKind.SUBSTANTIVE or chapter != "VI":
        for m in members:
            if m.party_to_dispute:
                written = m.written_as or m.name
                doc.warn(
                    "party_to_dispute has no effect: the Art. 27(3) proviso applies only with "
                    "rule: substantive and chapter: VI",
                    data["members"][written],
                    "party_to_dispute",
                    field=join_path(join_path("members", written), "party_to_dispute"),
                )
    names = {m.name for m in members}
    resolver = member_resolver(doc, names)
    proposed_by, opposed_by = (
        tuple(resolver(n, data[key], i, f"{key}[{i}]") for i, (n, _) in enumerate(sides[key]))
        for key in SIDES
    )
    president = None
    if data.get("president") is not None:
        president = resolver(data["president"], data, "president", "president")
    president = check_president(president, seated, data, doc)
    hypotheticals = read_hypotheticals(data, doc, base, resolver)
    blocs = read_blocs(data, doc, resolver) or record_bloc(data, doc, members)
    between = read_between(data, doc, blocs)
    warn_lonely(blocs, between, data, doc)
    description = read_description(data, doc, "")
    topic, vote_held = _topic(data, doc), _vote_held(data, doc)
    sources = _sources(data, doc)
    reported, places = read_reports(data, doc)
    try:
        scenario = Scenario(
            title=title,
            rule=rule,
            members=members,
            date=day,
            president=president,
            chapter=chapter,
            hypotheticals=hypotheticals,
            blocs=blocs,
            between=between,
            description=description,
            proposed_by=proposed_by,
            opposed_by=opposed_by,
            path=doc.file,
            topic=topic,
            vote_held=vote_held,
            sources=sources,
            reported=reported,
            notes=tuple(doc.notes.values()),
        )
    except UnscSimError as e:  # a check of the model's the loader does not make itself
        raise ScenarioError(str(e), file=doc.file or None) from None
    check_reports(scenario, places, doc)
    return scenario


def _topic(data: Any, doc: Located) -> str | None:
    """The agenda topic, a short name as the record uses it (dprk, syria, ukraine...)."""
    value = data.get("topic")
    if value is None:
        return None
    text = value.strip().lower() if isinstance(value, str) else ""
    if not TOPIC.fullmatch(text):
        raise doc.fail(
            f"topic must be a short name such as dprk, syria or ukraine, not {str(value)[:40]!r}",
            data,
            "topic",
            field="topic",
            hint="letters, digits and hyphens, as `unsc-sim history` lists topics",
        )
    return text


def _sources(data: Any, doc: Located) -> tuple[str, ...]:
    """What the file as a whole cites: a list of texts, cited and not read (a member's own
    ``source:`` is the one checked against its quote)."""
    value = data.get("sources")
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
        raise doc.fail(
            "sources must be a list of texts (document symbols, URLs, reports)",
            data,
            "sources",
            field="sources",
        )
    return tuple(x.strip() for x in value)


def _vote_held(data: Any, doc: Located) -> bool | None:
    """Whether the vote was taken: false for a scenario of a vote that never happened."""
    value = data.get("vote_held")
    if value is not None and not isinstance(value, bool):
        raise doc.fail("vote_held must be true or false", data, "vote_held", field="vote_held")
    return value


def _text(data: Any, key: str, doc: Located) -> str:
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        raise doc.fail(f"{key} must be non-empty text", data, key, field=key)
    return value.strip()


def _date(data: Any, doc: Located) -> dt.date | None:
    value = data.get("date")
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = value if isinstance(value, str) else ""
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise ValueError("not YYYY-MM-DD")
        return dt.date.fromisoformat(text)
    except ValueError as e:
        why = "" if str(e) == "not YYYY-MM-DD" else f" ({e})"
        raise doc.fail(
            f"date must be YYYY-MM-DD, not {str(value)[:40]!r}{why}", data, "date", field="date"
        ) from None


def _rule(data: Any, doc: Located, day: dt.date | None) -> Rule:
    value = data.get("rule", RuleKind.PROCEDURAL.value)
    try:
        kind = RuleKind(value)
    except ValueError:
        choices = " | ".join(k.value for k in RuleKind)
        raise doc.fail(
            f"rule must be {choices}, not {str(value)[:40]!r}",
            data,
            "rule",
            field="rule",
            hint=did_you_mean(value, [k.value for k in RuleKind]),
        ) from None
    return Rule.on(kind, day)
