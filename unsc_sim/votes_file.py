"""Reading a recorded-votes file: each row checked against the schema and its day's Council.

The schema is in the header of ``data/procedural_votes.yaml``. A full row lists every member
sitting that day exactly once; a tally-only row gives ``counts`` (any of them null when
unconfirmed) and may name some members. Either way ``adopted`` must follow Article 27(2)
from the yes count when it is known. Errors are ``ScenarioError``s at the row's line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from types import MappingProxyType
from typing import Any

from .countries import resolve
from .errors import ScenarioError, UnknownCountryError
from .history import FIRST_YEAR, LAST_YEAR, TOPICS, Kind, RecordedVote, council_on
from .model import VOTES, Rule, RuleKind, Vote

LISTS = ("yes", "no", "abstain", "absent")
_KEYS = (
    "id", "date", "meeting", "press_release", "topic", "themes", "kind", "agenda_item",
    "subject", "proposed_by", "opposed_by", *LISTS, "counts", "members_source", "adopted",
    "sources", "unconfirmed", "note",
)  # fmt: skip
_REQUIRED = ("id", "date", "topic", "kind", "subject", "adopted", "sources")
_ID = re.compile(r"(\d{4}-\d{2}-\d{2})-[a-z0-9]+(-[a-z0-9]+)*")
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_MEETING = re.compile(r"S/PV\.\d+")
_PRESS = re.compile(r"SC/\d+")


def _fail(message: str, file: str, node: Any, key: Any = None, field: str = "") -> ScenarioError:
    """An error at a row (or at one of its keys, or at an item of a list)."""
    line = col = None
    lc = getattr(node, "lc", None)
    if lc is not None:
        if key is None:
            line, col = lc.line, lc.col
        elif isinstance(key, int):
            line, col = lc.item(key)
        else:
            line, col = lc.key(key)
    return ScenarioError(
        message,
        file=file,
        line=None if line is None else line + 1,
        column=None if col is None else col + 1,
        field=field or (str(key) if isinstance(key, str) else None),
    )


def _names(e: Any, key: str, day: dt.date, file: str) -> tuple[str, ...]:
    """A list of members, each resolved to its name on the Council of ``day``."""
    value = e.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _fail("expected a list of members", file, e, key)
    council = {t.code: t.country.name for t in council_on(day)}
    out = []
    for i, name in enumerate(value):
        try:
            code = resolve(str(name)).code
        except UnknownCountryError as err:
            raise _fail(str(err), file, value, i, key) from None
        if code not in council:
            raise _fail(f"{name} did not sit on the Council on {day}", file, value, i, key)
        if council[code] in out:
            raise _fail(f"{name} is listed twice", file, value, i, key)
        out.append(council[code])
    return tuple(out)


def _text(e: Any, key: str, file: str, pattern: re.Pattern[str] | None = None) -> str | None:
    value = e.get(key)
    if value is None:
        return None
    if pattern is not None and not (isinstance(value, str) and pattern.fullmatch(value)):
        raise _fail(f"{value!r} does not look like {pattern.pattern}", file, e, key)
    if not isinstance(value, str) or not value.strip():
        raise _fail("expected text", file, e, key)
    return value


def _counts(e: Any, file: str) -> dict[Vote, int | None] | None:
    given = e.get("counts")
    if given is None:
        return None
    if not isinstance(given, dict) or set(given) - set(LISTS):
        raise _fail(f"expected a mapping of {', '.join(LISTS)} to numbers", file, e, "counts")
    out: dict[Vote, int | None] = {}
    for v in VOTES:
        n = given.get(v.value)
        if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 0):
            raise _fail(f"{v.value}: expected a whole number or null", file, e, "counts")
        out[v] = n
    return out


def _check_tally(
    e: Any,
    file: str,
    lists: dict[Vote, tuple[str, ...]],
    counts: dict[Vote, int | None] | None,
    size: int,
) -> None:
    """A full row names the whole Council; a tally-only row's lists fit inside its counts."""
    named = sum(map(len, lists.values()))
    if counts is None:
        if named < size:
            listed = {n for names in lists.values() for n in names}
            missing = [
                t.country.name for t in council_on(e["date"]) if t.country.name not in listed
            ]
            raise _fail(
                f"{', '.join(missing)} not listed: a full row lists the whole Council of"
                f" {e['date']} (or give counts for a tally-only row)",
                file,
                e,
            )
        return
    if counts[Vote.YES] is None:
        raise _fail("a tally-only row needs the yes count", file, e, "counts")
    for v, n in counts.items():
        if n is not None and len(lists[v]) > n:
            raise _fail(f"{len(lists[v])} named as {v.value}, count {n}", file, e, "counts")
    known = [n for n in counts.values() if n is not None]
    if len(known) == len(counts) and sum(known) != size:
        raise _fail(f"counts add up to {sum(known)}, not {size}", file, e, "counts")
    if named == size:
        raise _fail("the lists name the whole Council: drop counts", file, e, "counts")


def _row(e: Any, file: str) -> RecordedVote:
    """One row of a votes file, checked against the schema and the Council of its date."""
    for key in e:
        if key not in _KEYS:
            close = difflib.get_close_matches(str(key), _KEYS, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise _fail(f"unknown key{hint}", file, e, key)
    for key in _REQUIRED:
        if e.get(key) in (None, "", []):
            raise _fail("required", file, e, field=key)
    id_, day = str(e["id"]), e["date"]
    where = _ID.fullmatch(id_)
    if not isinstance(day, dt.date) or not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise _fail(f"expected a date in {FIRST_YEAR}..{LAST_YEAR}", file, e, "date")
    if not where or where.group(1) != day.isoformat():
        raise _fail(f"{id_!r}: expected {day}-slug", file, e, "id")
    if e["topic"] not in TOPICS:
        raise _fail(f"unknown topic {e['topic']!r} (add it to history.TOPICS)", file, e, "topic")
    try:
        kind = Kind(e["kind"])
    except ValueError:
        kinds = ", ".join(k.value for k in Kind)
        raise _fail(f"{e['kind']!r} is not one of {kinds}", file, e, "kind") from None
    themes = e.get("themes") or []
    if not isinstance(themes, list) or not all(_SLUG.fullmatch(str(t)) for t in themes):
        raise _fail("expected a list of slugs (human-rights, ...)", file, e, "themes")
    sources = e["sources"]
    if not isinstance(sources, list) or not all(isinstance(s, str) and s for s in sources):
        raise _fail("expected a list of sources (UN symbols or URLs)", file, e, "sources")
    if not isinstance(e["adopted"], bool):
        raise _fail("expected true or false", file, e, "adopted")

    lists = {v: _names(e, v.value, day, file) for v in VOTES}
    votes = {name: v for v in VOTES for name in lists[v]}
    if len(votes) < sum(map(len, lists.values())):
        twice = [n for n in votes if sum(n in names for names in lists.values()) > 1]
        raise _fail(f"{', '.join(twice)} listed under two votes", file, e)
    counts = _counts(e, file)
    _check_tally(e, file, lists, counts, len(council_on(day)))
    rule = Rule.on(RuleKind.PROCEDURAL, day)
    yes = len(lists[Vote.YES]) if counts is None else counts[Vote.YES]
    if yes is not None and (yes >= rule.threshold) != e["adopted"]:
        outcome = "adopted" if yes >= rule.threshold else "not adopted"
        raise _fail(
            f"{yes} yes of {rule.size} is {outcome} under Article 27(2)", file, e, "adopted"
        )
    return RecordedVote(
        id_,
        day,
        _text(e, "meeting", file, _MEETING),
        e["topic"],
        str(e["subject"]),
        MappingProxyType(votes),
        e["adopted"],
        tuple(sources),
        str(e.get("note") or ""),
        kind=kind,
        press_release=_text(e, "press_release", file, _PRESS),
        themes=tuple(themes),
        agenda_item=_text(e, "agenda_item", file) or "",
        proposed_by=_names(e, "proposed_by", day, file),
        opposed_by=_names(e, "opposed_by", day, file),
        members_source=_text(e, "members_source", file),
        counts=None if counts is None else MappingProxyType(counts),
        unconfirmed=_text(e, "unconfirmed", file) or "",
    )


def read_votes(text: str, *, file: str = "<string>") -> tuple[RecordedVote, ...]:
    """The rows of one votes file, each checked; ``ScenarioError`` names the file and line."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        entries = YAML(typ="rt", pure=True).load(text)
    except YAMLError as err:
        raise ScenarioError(f"not valid YAML: {' '.join(str(err).split())}", file=file) from None
    if entries is None:
        return ()
    if not isinstance(entries, list):
        raise ScenarioError("expected a list of recorded votes", file=file)
    out, seen = [], set()
    for i, e in enumerate(entries):
        if not isinstance(e, dict):
            raise _fail("expected a mapping (one recorded vote)", file, entries, i)
        row = _row(e, file)
        if row.id in seen:
            raise _fail(f"duplicate id {row.id}", file, e, "id")
        seen.add(row.id)
        out.append(row)
    return tuple(out)
