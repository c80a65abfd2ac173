"""Recorded procedural votes: the ``RecordedVote`` value, reading the files, and queries.

The record is ``data/procedural_votes_1946_1999.yaml`` and ``data/procedural_votes.yaml``; the
schema is in the header of the second. A full row lists every member
sitting that day exactly once; a tally-only row gives ``counts`` (any of them null when
unconfirmed) and may name some members. Either way ``adopted`` must follow Article 27(2)
from the yes count when it is known. Errors are ``ScenarioError``s at the row's line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass
from functools import cache
from types import MappingProxyType
from typing import Any

from ..countries import resolve
from ..errors import InvalidValueError, NotFoundError, ScenarioError, UnknownCountryError
from ..model import VOTES, Choice, Rule, RuleKind, Vote
from . import stored
from .council import DATA, FIRST_YEAR, LAST_YEAR, council_on

# Two files, one schema (docs in the files' headers): the first may not exist yet.
VOTE_FILES = ("procedural_votes_1946_1999.yaml", "procedural_votes.yaml")
TOPICS = (
    "dprk", "syria", "ukraine", "middle-east", "myanmar", "zimbabwe", "venezuela", "iran",
    "yugoslavia", "cyprus", "south-africa", "namibia", "korea", "china-representation", "suez",
    "hungary", "lebanon", "congo", "admission", "rules-of-procedure", "greece", "indonesia",
    "czechoslovakia", "berlin", "trieste", "guatemala", "algeria", "oman", "laos", "goa", "cuba",
    "cambodia", "vietnam", "india-pakistan", "afghanistan", "panama", "iraq-kuwait",
    "non-proliferation", "other",
)  # fmt: skip


class Kind(Choice):
    """What a procedural vote decided."""

    AGENDA = "agenda"  # adoption of the agenda, or inclusion of an item
    INVITATION = "invitation"  # rule 37/39 or other participation
    ADJOURNMENT = "adjournment"
    POSTPONEMENT = "postponement"
    PROCEDURAL_RESOLUTION = "procedural-resolution"  # e.g. a "Uniting for Peace" referral
    OTHER = "other"


@dataclass(frozen=True)
class RecordedVote:
    """A recorded procedural vote (names as the Council had them on the day).

    ``votes`` holds the members whose vote the sources name: all of them for a full row, only
    some (or none) for a tally-only row, whose ``counts`` give the recorded numbers (None where
    unconfirmed). ``count`` reads the lists or the counts, so it serves both.
    """

    id: str
    date: dt.date
    meeting: str | None
    topic: str
    subject: str
    votes: Mapping[str, Vote]
    adopted: bool
    sources: tuple[str, ...]
    note: str = ""
    _: KW_ONLY
    kind: Kind = Kind.OTHER
    press_release: str | None = None
    themes: tuple[str, ...] = ()
    agenda_item: str = ""
    proposed_by: tuple[str, ...] = ()
    opposed_by: tuple[str, ...] = ()
    members_source: str | None = None
    counts: Mapping[Vote, int | None] | None = None  # tally-only rows only
    unconfirmed: str = ""  # why a fact rests on no acceptable source (README, Source policy)

    @property
    def members_known(self) -> bool:
        """Whether ``votes`` names the whole Council."""
        return self.counts is None

    def of(self, vote: Vote | str) -> tuple[str, ...]:
        """The members named as casting this vote (all of them when ``members_known``)."""
        return tuple(name for name, v in self.votes.items() if v is Vote(vote))

    def count(self, vote: Vote | str) -> int | None:
        """How many cast this vote: None when a tally-only row does not give the number."""
        if self.counts is None:
            return len(self.of(vote))
        return self.counts[Vote(vote)]

    def vote_of(self, member: str) -> Vote | None:
        """A member's vote (any name ``countries.resolve`` knows), None when not named."""
        code = resolve(member).code
        return next((v for n, v in self.votes.items() if resolve(n).code == code), None)

    def to_record(self) -> dict[str, Any]:
        """The vote as plain data: the four counts always (None if unconfirmed), then
        ``members`` (name -> vote) when the lists are known, else ``named`` (those named)."""
        names = {n: v.value for n, v in self.votes.items()}
        return {
            "id": self.id,
            "date": self.date.isoformat(),
            "meeting": self.meeting,
            "press_release": self.press_release,
            "topic": self.topic,
            "themes": list(self.themes),
            "kind": self.kind.value,
            "agenda_item": self.agenda_item,
            "subject": self.subject,
            "proposed_by": list(self.proposed_by),
            "opposed_by": list(self.opposed_by),
            **{v.value: self.count(v) for v in VOTES},
            "adopted": self.adopted,
            "members_known": self.members_known,
            ("members" if self.members_known else "named"): names,
            "members_source": self.members_source,
            "sources": list(self.sources),
            "note": self.note,
            "unconfirmed": self.unconfirmed or None,
        }


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


def _plain(r: RecordedVote) -> dict[str, Any]:
    """A row as JSON values that ``_unplain`` turns back into an equal ``RecordedVote``."""
    return {
        "id": r.id,
        "date": r.date.isoformat(),
        "meeting": r.meeting,
        "topic": r.topic,
        "subject": r.subject,
        "votes": [[n, v.value] for n, v in r.votes.items()],
        "adopted": r.adopted,
        "sources": list(r.sources),
        "note": r.note,
        "kind": r.kind.value,
        "press_release": r.press_release,
        "themes": list(r.themes),
        "agenda_item": r.agenda_item,
        "proposed_by": list(r.proposed_by),
        "opposed_by": list(r.opposed_by),
        "members_source": r.members_source,
        "counts": None if r.counts is None else [[v.value, n] for v, n in r.counts.items()],
        "unconfirmed": r.unconfirmed,
    }


def _unplain(d: dict[str, Any]) -> RecordedVote:
    counts = d["counts"]
    return RecordedVote(
        d["id"],
        dt.date.fromisoformat(d["date"]),
        d["meeting"],
        d["topic"],
        d["subject"],
        MappingProxyType({n: Vote(v) for n, v in d["votes"]}),
        d["adopted"],
        tuple(d["sources"]),
        d["note"],
        kind=Kind(d["kind"]),
        press_release=d["press_release"],
        themes=tuple(d["themes"]),
        agenda_item=d["agenda_item"],
        proposed_by=tuple(d["proposed_by"]),
        opposed_by=tuple(d["opposed_by"]),
        members_source=d["members_source"],
        counts=None if counts is None else MappingProxyType({Vote(v): n for v, n in counts}),
        unconfirmed=d["unconfirmed"],
    )


def parse_record() -> tuple[RecordedVote, ...]:
    """The record read from its YAML files and checked, by date (slow: seconds)."""
    out: list[RecordedVote] = []
    for name in VOTE_FILES:
        path = DATA / name
        if path.is_file():
            rows = read_votes(path.read_text(encoding="utf-8"), file=f"unsc_sim/data/{name}")
            ids = {r.id for r in out} & {r.id for r in rows}
            if ids:
                raise ScenarioError(f"id used in two files: {', '.join(sorted(ids))}", file=name)
            out += rows
    return tuple(sorted(out, key=lambda r: (r.date, r.id)))


@cache
def record_key() -> str:
    """A digest of everything the record depends on: its files, the data tables it is checked
    against, and the package's source (the key of parsed and derived forms in the cache)."""
    files = [DATA / n for n in VOTE_FILES if (DATA / n).is_file()]
    inputs = [n.encode() for n in VOTE_FILES] + [f.read_bytes() for f in files]
    inputs += [f.read_bytes() for f in sorted(DATA.iterdir(), key=str) if f.name.endswith(".csv")]
    return stored.digest(inputs)


@cache
def _all_votes() -> tuple[RecordedVote, ...]:
    """The record, from its parsed form in the cache folder when the data has not changed."""

    def build() -> tuple[tuple[RecordedVote, ...], list[dict[str, Any]]]:
        rows = parse_record()
        return rows, [_plain(r) for r in rows]

    def decode(plain: list[dict[str, Any]]) -> tuple[RecordedVote, ...]:
        return tuple(_unplain(d) for d in plain)

    return stored.cached("record", record_key(), build, decode)


def topic_name(text: str) -> str:
    """A topic as the record writes it: "Ukraine" and " DPRK " are ukraine and dprk.

    >>> topic_name("Middle-East")
    'middle-east'
    """
    return text.strip().lower()


def recorded_votes(
    topic: str | None = None,
    *,
    since: dt.date | None = None,
    member: str | None = None,
    proposed_by: str | None = None,
    theme: str | None = None,
    kind: Kind | str | None = None,
) -> tuple[RecordedVote, ...]:
    """The recorded procedural votes by date, those matching every filter given.

    ``member``: votes held while it sat on the Council (its vote may be unknown in a
    tally-only row); ``proposed_by``: votes it proposed. Names go through
    ``countries.resolve``; an unknown topic or kind raises ``ValueError``.
    """
    topic = None if topic is None else topic_name(topic)
    if topic is not None and topic not in TOPICS:
        close = difflib.get_close_matches(topic, TOPICS, n=2)
        hint = f"; did you mean {' or '.join(close)}?" if close else f" ({', '.join(TOPICS)})"
        raise InvalidValueError(f"unknown topic {topic!r}{hint}")
    want = None if kind is None else Kind(kind)
    sat = None if member is None else resolve(member).code
    asked = None if proposed_by is None else resolve(proposed_by).code

    def keep(r: RecordedVote) -> bool:
        return (
            (topic is None or r.topic == topic)
            and (since is None or r.date >= since)
            and (theme is None or theme in r.themes)
            and (want is None or r.kind is want)
            and (sat is None or any(t.code == sat for t in council_on(r.date)))
            and (asked is None or any(resolve(n).code == asked for n in r.proposed_by))
        )

    return tuple(r for r in _all_votes() if keep(r))


def recorded_vote(id: str) -> RecordedVote:
    """One recorded vote by id; ``NotFoundError`` (a KeyError) names the closest ids."""
    found = {r.id: r for r in _all_votes()}
    if id in found:
        return found[id]
    close = difflib.get_close_matches(id, list(found), n=3, cutoff=0.4)
    raise NotFoundError(f"no recorded vote {id!r} (closest: {', '.join(close) or 'none'})")
