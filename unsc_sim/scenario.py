"""Scenario files: YAML in (see ``safeyaml``), a checked ``Scenario`` out, every error located.

Every check names the file, line, column and field path of what is wrong, with a hint where
one helps ("did you mean Côte d'Ivoire?", "they sum to 1.1").
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from os import PathLike
from pathlib import Path
from typing import Any

from . import words
from .countries import resolve
from .errors import (
    InvalidArgumentError,
    InvalidValueError,
    ScenarioError,
    UnknownCountryError,
    UnscSimError,
)
from .files import FileRefused, read_limited
from .model import (
    BASELINE,
    VOTES,
    Basis,
    Between,
    Bloc,
    Hypothetical,
    Member,
    Note,
    Rule,
    RuleKind,
    Scenario,
    Stance,
    factor_correlation,
)
from .safeyaml import MAX_BYTES, read
from .sources import Root, SourceError, cite, search_roots

TOP_KEYS = (
    "title", "date", "rule", "president", "chapter", "description",
    "members", "hypotheticals", "blocs", "between", "roster", "default", "topic",
    "vote_held", "proposed_by", "opposed_by",
)  # fmt: skip
SIDES = ("proposed_by", "opposed_by")
STANCE_KEYS = ("vote", "basis", "source", "quote", "note", "party_to_dispute", "persuadable")
TOPIC = re.compile(r"[a-z][a-z0-9-]{0,39}")
BLOC_KEYS = ("members", "correlation")
BETWEEN_KEYS = ("blocs", "correlation")
VOTE_WORDS = tuple(v.value for v in VOTES)
MAX_HYPOTHETICALS = 1_000  # each is a full evaluation; more is a generated file gone wrong
NOTE_NEEDED = (Basis.INFERRED, Basis.ASSUMPTION, Basis.PRIOR)  # bases that must say why


class _Doc:
    """Locates fields in the parsed document and raises errors that name them."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.root: tuple[int, int] | None = None  # 1-based line, column of the document's node
        self.notes: dict[str, Note] = {}  # what was read generously, once per subject
        self.roots: tuple[Root, ...] = ()  # where cited files may be read from
        self.warnings: list[str] = []  # one-line located messages, as errors are
        self.files: list[str] = []  # source files read

    def note(self, subject: str, error: ScenarioError) -> None:
        """Keep a note (located like an error) the first time ``subject`` comes up."""
        if subject not in self.notes:
            self.notes[subject] = Note(
                error.message, file=error.file, line=error.line, column=error.column,
                field=error.field,
            )  # fmt: skip

    def warn(self, message: str, node: Any = None, key: Any = None, *, field: str = "") -> None:
        self.warnings.append(str(self.fail(message, node, key, field=field)))

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
                hint = _did_you_mean(key, list(allowed), fold=False)
                hint = hint or f"known keys: {', '.join(allowed)}"
                raise self.fail(
                    f"unknown key {_clip(key)!r}",
                    node,
                    key,
                    field=_join(path, key),
                    hint=hint,
                    at_key=True,
                )


def _join(path: str, key: Any) -> str:
    return f"{path}.{_clip(key)}" if path else _clip(key)


def _clip(value: Any, limit: int = 60) -> str:
    """User text for a message: at most ``limit`` characters, an ellipsis if cut."""
    text = str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def load(path: str | Path, *, sources: tuple[str | Path, ...] = ()) -> Scenario:
    """Read and check a scenario file; raises ``ScenarioError`` naming file, line and field.

    Cited files are looked up in the scenario's folder, its project's ``seeds/`` and the
    ``sources`` folders (see ``unsc_sim.sources``). Only a regular file of at most
    ``safeyaml.MAX_BYTES`` is read, and never more than that.
    """
    if not isinstance(path, (str, PathLike)):
        raise InvalidArgumentError(f"load takes a file path, not {path!r}")
    path = Path(path)
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
    base: Path | None = None,
    sources: tuple[str | Path, ...] = (),
) -> Scenario:
    """Parse a scenario from text; ``base`` is the scenario's folder, where relative
    ``source`` paths start (the current folder by default); ``sources`` adds folders."""
    if not isinstance(text, (str, bytes)):
        raise InvalidArgumentError(f"loads takes the text of a scenario, not {text!r}")
    doc = _Doc(file)
    data, doc.root = read(text, file=file)
    doc.roots = search_roots(base or Path.cwd(), sources)
    if not hasattr(data, "items"):
        what = "the file is empty" if data is None else f"not {_kind(data)}"
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
    return replace(scenario, warnings=tuple(doc.warnings), files=tuple(dict.fromkeys(doc.files)))


def read_yaml(text: str | bytes, *, file: str = "<string>") -> Any:
    """The YAML document as the loader sees it (size, encoding, tags, aliases, duplicate
    keys and depth checked; timestamps kept as text), before any scenario check."""
    return read(text, file=file)[0]


def _kind(value: Any) -> str:
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


def _build(data: Any, doc: _Doc, base: Path) -> Scenario:
    title = _text(data, "title", doc)
    day = _date(data, doc)
    seated = _roster_day(data, doc, day)
    rule = _rule(data, doc, day or seated)  # roster: 1950 without a date is an 11-seat Council
    chapter = None
    if "chapter" in data:
        chapter = str(data["chapter"]).strip().upper()
        if chapter not in ("VI", "VII"):
            raise doc.fail(
                f"chapter must be VI or VII, not {_clip(data['chapter'])!r}",
                data,
                "chapter",
                field="chapter",
            )
    sides = _sides(data, doc)
    if data.get("default", "record") != "record":
        _stance(data["default"], doc, data, "default", "default", base, party=False)  # checked
    members = _members(data, doc, base, rule, seated, sides)
    if rule.kind is not RuleKind.SUBSTANTIVE or chapter != "VI":
        for m in members:
            if m.party_to_dispute:
                written = m.written_as or m.name
                doc.warn(
                    "party_to_dispute has no effect: the Art. 27(3) proviso applies only with "
                    "rule: substantive and chapter: VI",
                    data["members"][written],
                    "party_to_dispute",
                    field=_join(_join("members", written), "party_to_dispute"),
                )
    names = {m.name for m in members}
    resolver = _member_resolver(doc, names)
    proposed_by, opposed_by = (
        tuple(resolver(n, data[key], i, f"{key}[{i}]") for i, (n, _) in enumerate(sides[key]))
        for key in SIDES
    )
    president = None
    if data.get("president") is not None:
        president = resolver(data["president"], data, "president", "president")
    president = _check_president(president, seated, data, doc)
    hypotheticals = _hypotheticals(data, doc, base, resolver)
    blocs = _blocs(data, doc, resolver) or _record_bloc(data, doc, members)
    between = _between(data, doc, blocs)
    _warn_lonely(blocs, between, data, doc)
    description = _description(data, doc, "")
    topic, vote_held = _topic(data, doc), _vote_held(data, doc)
    try:
        return Scenario(
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
            notes=tuple(doc.notes.values()),
        )
    except UnscSimError as e:  # a check of the model's the loader does not make itself
        raise ScenarioError(str(e), file=doc.file or None) from None


def _topic(data: Any, doc: _Doc) -> str | None:
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


def _vote_held(data: Any, doc: _Doc) -> bool | None:
    """Whether the vote was taken: false for a scenario of a vote that never happened."""
    value = data.get("vote_held")
    if value is not None and not isinstance(value, bool):
        raise doc.fail("vote_held must be true or false", data, "vote_held", field="vote_held")
    return value


def _description(node: Any, doc: _Doc, path: str) -> str:
    value = node.get("description")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise doc.fail(
            "description must be text", node, "description", field=_join(path, "description")
        )
    return value.strip()


def _text(data: Any, key: str, doc: _Doc) -> str:
    value = data[key]
    if not isinstance(value, str) or not value.strip():
        raise doc.fail(f"{key} must be non-empty text", data, key, field=key)
    return value.strip()


def _date(data: Any, doc: _Doc) -> dt.date | None:
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


def _rule(data: Any, doc: _Doc, day: dt.date | None) -> Rule:
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
            hint=_did_you_mean(value, [k.value for k in RuleKind]),
        ) from None
    return Rule.on(kind, day)


def _did_you_mean(value: Any, choices: list[str], *, fold: bool = True) -> str | None:
    """A hint naming the closest choice; ``fold`` compares in lower case."""
    text = str(value).strip().lower() if fold else str(value)
    close = difflib.get_close_matches(text, choices, n=1)
    return f"did you mean {close[0]!r}?" if close else None


def _country(name: Any, doc: _Doc, node: Any, key: Any, field: str, *, at_key: bool = False):
    if not isinstance(name, str):
        raise doc.fail(
            f"a member must be named by text, not {_clip(name)}",
            node,
            key,
            field=field,
            at_key=at_key,
        )
    try:
        country = resolve(name)
    except UnknownCountryError as e:
        hint = f"did you mean {' or '.join(e.suggestions)}?" if e.suggestions else None
        raise doc.fail(
            f"unknown member {_clip(name)!r}", node, key, field=field, hint=hint, at_key=at_key
        ) from None
    if name != country.name:  # an alias: say so once per name, wherever it is used
        doc.note(f"alias {name}", ScenarioError(f"{name!r} read as {country.name}", file=doc.file))
    return country


def _sides(data: Any, doc: _Doc) -> dict[str, list[tuple[str, str]]]:
    """``proposed_by`` and ``opposed_by``: (name as written, canonical name) of members, each
    on one side only."""
    out: dict[str, list[tuple[str, str]]] = {}
    seen: dict[str, str] = {}
    for key in SIDES:
        node = data.get(key)
        node = [] if node is None else node
        if not isinstance(node, list):
            raise doc.fail(f"{key} must be a list of members", data, key, field=key)
        out[key] = []
        for i, written in enumerate(node):
            field = f"{key}[{i}]"
            country = _country(written, doc, node, i, field)
            if country.name in seen:
                raise doc.fail(
                    f"{written!r} is {country.name}, already in {seen[country.name]}",
                    node,
                    i,
                    field=field,
                )
            seen[country.name] = key
            out[key].append((written, country.name))
    return out


def _members(
    data: Any,
    doc: _Doc,
    base: Path,
    rule: Rule,
    seated: dt.date | None,
    sides: dict[str, list[tuple[str, str]]],
) -> tuple[Member, ...]:
    node = data["members"]
    empty_ok = "default" in data and seated is not None  # `members: {}`: the default fills all
    if not hasattr(node, "items") or not (node or empty_ok):
        hint = "or `members: {}` with a date and `default:`" if hasattr(node, "items") else None
        raise doc.fail(
            "members must be a mapping of member name to stance",
            data,
            "members",
            field="members",
            hint=hint,
        )
    seen: dict[str, str] = {}
    members = []
    for written, value in node.items():
        field = _join("members", written)
        country = _country(written, doc, node, written, field, at_key=True)
        if country.name in seen:
            raise doc.fail(
                f"{_clip(written)!r} is {country.name}, "
                f"already listed as {_clip(seen[country.name])!r}",
                node,
                written,
                field=field,
                at_key=True,
            )
        seen[country.name] = written
        stance, party = _stance(value, doc, node, written, field, base, member=True)
        members.append(Member(
            name=country.name,
            stance=stance,
            permanent=country.permanent,
            code=country.code,
            party_to_dispute=party,
            written_as=written if written != country.name else "",
            persuadable=_persuadable(value, doc, field),
        ))  # fmt: skip
    if seated is not None:
        members += _seat(members, data, doc, base, seated, sides)
    if len(members) != rule.size:
        when = f" on {data['date']}" if "date" in data else ""
        raise doc.fail(
            f"the Council{when} has {rule.size} members, this file lists {len(members)}",
            data,
            "members",
            field="members",
            hint="give `default:` to fill in the members the file leaves open" if seated else None,
        )
    return tuple(members)


def _roster_day(data: Any, doc: _Doc, day: dt.date | None) -> dt.date | None:
    """The day whose Council the members must match: ``date``, or 1 January of ``roster``."""
    from .history import FIRST_YEAR, LAST_YEAR

    if "roster" not in data:
        seated = day
    else:
        year = data["roster"]
        if isinstance(year, bool) or not isinstance(year, int):
            raise doc.fail("roster must be a year, e.g. 2018", data, "roster", field="roster")
        if day is not None and day.year != year:
            raise doc.fail(
                f"roster {year} does not match the date {day}", data, "roster", field="roster"
            )
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise doc.fail(
                f"rosters cover {FIRST_YEAR}-{LAST_YEAR}, not {str(year)[:12]}",
                data,
                "roster",
                field="roster",
            )
        seated = day or dt.date(year, 1, 1)
    if seated is not None and not FIRST_YEAR <= seated.year <= LAST_YEAR:
        if "roster" in data:
            raise doc.fail(
                f"rosters cover {FIRST_YEAR}-{LAST_YEAR}", data, "roster", field="roster"
            )
        return None  # a date outside the record: the member count is still checked
    return seated


def _seat(
    members: list[Member],
    data: Any,
    doc: _Doc,
    base: Path,
    day: dt.date,
    sides: dict[str, list[tuple[str, str]]],
) -> list[Member]:
    """Check the listed members against the Council on ``day``; fill the rest with ``default``."""
    from .history import council_on

    seats = {t.code: t for t in council_on(day)}
    node = data["members"]
    listed = {m.code for m in members}
    missing = [t.country.name for code, t in seats.items() if code not in listed]
    for m in members:
        if m.code not in seats:
            written = m.written_as or m.name
            hint = f"the Council then also had {', '.join(missing)}" if missing else None
            raise doc.fail(
                f"{m.name} was not on the Council on {day}",
                node,
                written,
                field=_join("members", written),
                hint=hint,
                at_key=True,
            )
    if not missing:
        return []
    if "default" not in data:
        raise doc.fail(
            f"missing members for {day}: {', '.join(missing)}",
            data,
            "members",
            field="members",
            hint="list them, or give `default:` for the members the file leaves open",
        )
    open_seats = [t for code, t in seats.items() if code not in listed]
    stances = _default(data, doc, base, [t.country.name for t in open_seats], day, sides)
    return [
        Member(t.country.name, stance, permanent=t.permanent, code=t.code)
        for t, stance in zip(open_seats, stances)
    ]


def _record_bloc(data: Any, doc: _Doc, members: tuple[Member, ...]) -> tuple[Bloc, ...]:
    """With ``default: record`` and no ``blocs``, the members the record fills vote as one bloc
    at the correlation the backtest chose, so that P(adopted) is the backtested model's."""
    if data.get("default") != "record" or "blocs" in data:
        return ()
    listed = {resolve(name).name for name in data["members"]}
    filled = tuple(m.name for m in members if m.name not in listed)
    from .priors import RHO

    if len(filled) < 2 or RHO == 0:
        return ()

    doc.note(
        "record bloc",
        ScenarioError(
            f"record: the {len(filled)} members it fills vote as one bloc at "
            f"correlation {RHO:g}, as `unsc-sim backtest` scores the record's priors "
            "(declare `blocs:` to choose otherwise)",
            file=doc.file,
            field="default",
        ),
    )
    return (Bloc("record", filled, RHO),)


def _default(
    data: Any,
    doc: _Doc,
    base: Path,
    names: list[str],
    day: dt.date,
    sides: dict[str, list[tuple[str, str]]],
) -> list[Stance]:
    """The ``default`` stances of the members the file leaves open (``record``: priors from
    their earlier recorded votes, relative to the sides of the motion)."""
    value = data["default"]
    if value == "record":
        from .backtest import forecast

        proposed_by, opposed_by = ([name for _, name in sides[key]] for key in SIDES)
        topic = data.get("topic") if isinstance(data.get("topic"), str) else None
        found = forecast(names, day, proposed_by=proposed_by, opposed_by=opposed_by, topic=topic)
        return [p.stance() for p in found.priors]
    stance, _ = _stance(value, doc, data, "default", "default", base, party=False)
    if stance.basis is None:
        note = "the scenario's default for members it leaves open"
        stance = replace(stance, basis=Basis.ASSUMPTION, note=stance.note or note)
    return [stance] * len(names)


def _check_president(
    president: str | None, seated: dt.date | None, data: Any, doc: _Doc
) -> str | None:
    """The president named, checked against the rotation; the rotation's when none is named."""
    if seated is None:
        return president
    from .history import president as rotation

    holder = rotation(seated.year, seated.month)
    # Compare seats, not spellings: a file may write "Germany" for the Federal Republic's seat.
    if president is not None and resolve(president).code != holder.code:
        raise doc.fail(
            f"{president} did not hold the presidency in {seated:%B %Y}",
            data,
            "president",
            field="president",
            hint=f"the rotation gives {holder.name}",
        )
    return holder.name if president is None else president


def _persuadable(value: Any, doc: _Doc, field: str) -> float:
    """A member's ``persuadable``: true (1, the default), false (0: it will not move) or 0..1."""
    if not hasattr(value, "items") or "persuadable" not in value:
        return 1.0
    p = value["persuadable"]
    if isinstance(p, bool):
        return float(p)
    if isinstance(p, (int, float)) and 0.0 <= p <= 1.0:  # NaN fails both comparisons
        return float(p)
    raise doc.fail(
        f"persuadable must be true, false or a number in 0..1, not {str(p)[:40]!r}",
        value,
        "persuadable",
        field=_join(field, "persuadable"),
    )


def _stance(
    value: Any,
    doc: _Doc,
    parent: Any,
    key: Any,
    field: str,
    base: Path,
    *,
    member: bool = False,
    party: bool = True,
) -> tuple[Stance, bool]:
    """A stance from a vote word, a probability mapping, or a mapping with evidence.

    ``member``: the stance is a member's own (under ``members``), where ``persuadable`` may be.
    ``party``: whether ``party_to_dispute`` may stand here (on a member, not in a
    hypothetical or the default, where it would be ignored).
    """
    if isinstance(value, str) or _is_probabilities(value):
        return Stance(*_probabilities(value, doc, parent, key, field)), False
    if not hasattr(value, "items"):
        raise doc.fail(
            f"a stance is a vote ({', '.join(VOTE_WORDS)}), probabilities or a mapping",
            parent,
            key,
            field=field,
            hint=_bool_hint(value),
        )
    if "vote" not in value and any(k in words.WORDS for k in value):
        # {yes: 0.5, mabye: 0.5} is a probability mapping with a typo, not a stance mapping
        return Stance(*_probabilities(value, doc, parent, key, field)), False
    doc.check_keys(value, STANCE_KEYS, field)
    if "persuadable" in value and not member:
        raise doc.fail(
            "persuadable belongs to a member's entry under members",
            value,
            "persuadable",
            field=_join(field, "persuadable"),
        )
    if not party and "party_to_dispute" in value:
        raise doc.fail(
            "party_to_dispute is a fact about a member, not a stance: it has no effect here",
            value,
            "party_to_dispute",
            field=_join(field, "party_to_dispute"),
            hint="set it on the member under `members:`",
            at_key=True,
        )
    if "vote" not in value:
        raise doc.fail("missing required key 'vote'", parent, key, field=_join(field, "vote"))
    probs = _probabilities(value["vote"], doc, value, "vote", _join(field, "vote"))
    evidence: dict[str, Any] = {}
    for k in ("source", "quote", "note"):
        if value.get(k) is not None:
            if not isinstance(value[k], str):
                raise doc.fail(f"{k} must be text", value, k, field=_join(field, k))
            evidence[k] = " ".join(value[k].split())
            if not evidence[k]:
                raise doc.fail(f"{k} is empty", value, k, field=_join(field, k))
    basis = _basis(value, evidence, doc, field)
    if basis in NOTE_NEEDED and "note" not in evidence:
        raise doc.fail(
            f"basis {basis.value!r} needs a note saying why",
            value,
            "basis",
            field=_join(field, "note"),
        )
    if "quote" in evidence and "source" not in evidence:
        raise doc.fail("a quote needs a source", value, "quote", field=_join(field, "source"))
    if basis is Basis.REPORTED and "source" not in evidence:
        raise doc.fail(
            "basis 'reported' needs a source",
            value,
            "basis",
            field=_join(field, "source"),
            hint="a seed file, a URL or a UN document symbol",
        )
    if "source" in evidence:
        _cite(evidence, doc, value, field)
    party = value.get("party_to_dispute", False)
    if not isinstance(party, bool):
        raise doc.fail(
            "party_to_dispute must be true or false",
            value,
            "party_to_dispute",
            field=_join(field, "party_to_dispute"),
        )
    return Stance(*probs, basis=basis, **evidence), party


def _cite(evidence: dict[str, Any], doc: _Doc, value: Any, field: str) -> None:
    """Check the source (and quote): a located error, or a warning when unverifiable.

    Several sources may be given as one text separated by "; " (each checked), but a quote
    is checked against one source only.
    """
    parts = [p.strip() for p in evidence["source"].split("; ")]
    if len(parts) > 1 and "quote" in evidence:
        raise doc.fail(
            "a quote is checked against one source: give one source with a quote",
            value,
            "source",
            field=_join(field, "source"),
        )
    try:
        citations = [cite(part, evidence.get("quote"), doc.roots) for part in parts]
    except SourceError as e:
        raise doc.fail(str(e), value, e.field, field=_join(field, e.field), hint=e.hint) from None
    doc.files += [str(c.path) for c in citations if c.path is not None]
    citation = citations[0]
    if "quote" in evidence and not citation.verified:
        doc.warn(
            f"quote not verified: {citation.kind.value} {evidence['source'][:80]!r} is cited, "
            "not read",
            value,
            "quote",
            field=_join(field, "quote"),
        )


def _basis(value: Any, evidence: dict[str, Any], doc: _Doc, field: str) -> Basis | None:
    if "basis" not in value:
        return Basis.REPORTED if "quote" in evidence else None
    try:
        return Basis(value["basis"])
    except ValueError:
        choices = ", ".join(b.value for b in Basis)
        raise doc.fail(
            f"basis must be one of {choices}, not {str(value['basis'])[:40]!r}",
            value,
            "basis",
            field=_join(field, "basis"),
            hint=_did_you_mean(value["basis"], [b.value for b in Basis]),
        ) from None


def _bool_hint(value: Any) -> str | None:
    if isinstance(value, bool):
        return f"{str(value).lower()} is a YAML boolean, not a vote: write yes or no"
    return None


def _is_probabilities(value: Any) -> bool:
    return hasattr(value, "items") and bool(value) and all(k in words.WORDS for k in value)


def _probabilities(
    value: Any, doc: _Doc, parent: Any, key: Any, field: str
) -> tuple[float, float, float, float]:
    """A vote word ("yes", "in favour") or a mapping of probabilities ("70%" allowed)."""
    if isinstance(value, str):
        try:
            word = words.vote(value)
        except InvalidValueError as e:
            raise doc.fail(e.message, parent, key, field=field, hint=e.hint) from None
        return tuple(float(w == word) for w in VOTE_WORDS)  # type: ignore[return-value]
    if not hasattr(value, "items") or not value:
        raise doc.fail(
            f"a vote is one of {', '.join(VOTE_WORDS)} or a mapping of probabilities",
            parent,
            key,
            field=field,
            hint=_bool_hint(value),
        )
    try:
        probs, note = words.probabilities(value)
    except InvalidValueError as e:
        if e.key is None:  # the sum: point at the whole mapping
            raise doc.fail(e.message, parent, key, field=field, hint=e.hint) from None
        raise doc.fail(
            e.message, value, e.key, field=_join(field, e.key), hint=e.hint, at_key=e.at_key
        ) from None
    if note:
        doc.note(f"sum {field}", doc.fail(note, parent, key, field=field))
    return probs


def _member_resolver(doc: _Doc, names: set[str]) -> Callable[..., str]:
    def member(name: Any, node: Any, key: Any, field: str, at_key: bool = False) -> str:
        country = _country(name, doc, node, key, field, at_key=at_key)
        if country.name not in names:
            raise doc.fail(
                f"{_clip(name)!r} is not a member in this scenario",
                node,
                key,
                field=field,
                at_key=at_key,
            )
        return country.name

    return member


def _hypotheticals(data: Any, doc: _Doc, base: Path, member: Callable) -> tuple[Hypothetical, ...]:
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
        field = _join("hypotheticals", _clip(name))
        if not isinstance(name, str):
            raise doc.fail(
                f"a hypothetical is named by text, not {_kind(name)}",
                node,
                name,
                field=field,
                hint=f"quote it: '{_clip(name)}'",
                at_key=True,
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
        description = _description(changes, doc, field)
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
            who = member(written, changes, written, _join(field, written), True)
            if who in seen:
                raise doc.fail(
                    f"{_clip(written)!r} is {who}, already changed as {_clip(seen[who])!r}",
                    changes,
                    written,
                    field=_join(field, written),
                    at_key=True,
                )
            seen[who] = written
            stance, _ = _stance(
                value, doc, changes, written, _join(field, written), base, party=False
            )
            pairs.append((who, stance))
        out.append(Hypothetical(str(name), tuple(pairs), description))
    return tuple(out)


def _blocs(data: Any, doc: _Doc, member: Callable) -> tuple[Bloc, ...]:
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
        field = _join("blocs", name)
        if not isinstance(name, str):
            raise doc.fail(
                f"a bloc is named by text, not {_kind(name)}",
                node,
                name,
                field=field,
                hint=f"quote it: '{_clip(name)}'",
                at_key=True,
            )
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
                field=_join(field, "members"),
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
                "missing required key 'correlation'", node, name, field=_join(field, "correlation")
            )
        rho = spec.get("correlation")
        if isinstance(rho, bool) or not isinstance(rho, (int, float)) or not 0.0 <= rho <= 1.0:
            raise doc.fail(
                f"correlation must be a number in 0..1, not {str(rho)[:40]!r}",
                spec,
                "correlation",
                field=_join(field, "correlation"),
            )
        out.append(Bloc(str(name), tuple(names), float(rho)))
    return tuple(out)


def _between(data: Any, doc: _Doc, blocs: tuple[Bloc, ...]) -> tuple[Between, ...]:
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
                raise doc.fail(f"missing required key {key!r}", node, i, field=_join(field, key))
        pair = spec["blocs"]
        if not isinstance(pair, list) or len(pair) != 2:
            raise doc.fail(
                "blocs must be a list of two bloc names", spec, "blocs", field=_join(field, "blocs")
            )
        for j, name in enumerate(pair):
            if str(name) not in names:
                hint = _did_you_mean(name, names, fold=False) or (
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
                field=_join(field, "correlation"),
            )
        out.append(Between((str(pair[0]), str(pair[1])), float(rho)))
    try:
        factor_correlation(blocs, tuple(out))  # a correlation matrix, or why not
    except ScenarioError as e:
        raise doc.fail(
            e.message, data, "between", field="between", hint=e.hint, at_key=True
        ) from None
    return tuple(out)


def _warn_lonely(blocs: tuple[Bloc, ...], between: tuple[Between, ...], data: Any, doc: _Doc):
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


def parse_assignment(
    text: str, scenario: Scenario, *, option: str = "--set", notes: list[Note] | None = None
) -> tuple[str, Stance]:
    """``"Ivory Coast=yes"`` or ``"France=yes:70%,abstain:30%"`` -> (member name, stance).

    What was read generously (an alias, rescaled probabilities) is appended to ``notes``.
    """
    name, sep, vote = text.partition("=")
    if not sep or not name.strip() or not vote.strip():
        raise ScenarioError(f"expected MEMBER=VOTE, got {_clip(text)!r}", field=option)
    who = resolve_member(name.strip(), scenario, option=option, notes=notes)
    doc = _Doc("")
    if ":" not in vote:
        probs = _probabilities(vote, doc, None, None, option)
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
                raise ScenarioError(f"bad probability in {_clip(part)!r}", field=option) from None
        probs = _probabilities(mapping, doc, None, None, option)
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
