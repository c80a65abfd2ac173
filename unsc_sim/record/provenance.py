"""Where the record's facts come from: each cited source as primary or secondary, by host.

The policy (README, "Source policy"): a row rests on a primary UN document where one exists
(a meeting record S/PV, a press release SC/, the Repertoire, the Dag Hammarskjöld Library's
tables, the Yearbook, FRUS for US positions); on a named news organisation's own site only
where none does; never on aggregators, mirrors, document dumps or blogs. The hosts allowed,
with their kind, are in ``data/source_hosts.csv``; ``tests/record/test_record_sources.py`` holds
every data file to it.

>>> classify("S/PV.8209").kind
'primary'
>>> classify("https://www.reuters.com/article/x").host
'reuters.com'
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

SourceKind = Literal["primary", "secondary", "not-allowed"]

_DATA = resources.files("unsc_sim") / "data"
_URL = re.compile(r"https?://([^/:?#\s]+)", re.IGNORECASE)
# A UN document symbol, as the data files write them: S/PV.8209, S/RES/88 (1950),
# S/2014/872, SC/13115, A/RES/2758(XXVI), GA/12152, S/INF/2/Rev.1.
_SYMBOL = re.compile(r"(?:S|A|SC|GA|SG)/[A-Z0-9.]")
_MEETING_OR_PRESS = re.compile(r"(?:S/PV\.\d+|SC/\d+)\b")
# Official publications cited by title (no link): the UN's own volumes, and states' published
# documents. Anything else cited without a link is a named report, hence secondary.
_PRIMARY_TITLES = (
    "Resolutions and Decisions of the Security Council",
    "Repertoire of the Practice of the Security Council",
    "Yearbook of the United Nations",
    "Official Records",
    "Documents on Australian Foreign Policy",
    "US Mission to the UN telegram",
    "State Department telegram",
)


@dataclass(frozen=True)
class Host:
    """An allowed host: its kind and who publishes there."""

    host: str
    kind: SourceKind
    who: str


@dataclass(frozen=True)
class Source:
    """One cited source: the text as cited, its kind, and its host (None for a symbol or title)."""

    text: str
    kind: SourceKind
    host: str | None = None


@cache
def source_hosts() -> dict[str, Host]:
    """The allow-list ``data/source_hosts.csv``, by host (lower case, without ``www.``)."""
    with (_DATA / "source_hosts.csv").open(encoding="utf-8", newline="") as fh:
        rows = [Host(r["host"], r["kind"], r["who"]) for r in csv.DictReader(fh)]  # type: ignore[arg-type]
    return {h.host: h for h in rows}


def host_of(url: str) -> str | None:
    """The host a URL names, lower case, without ``www.`` (None if ``url`` is none).

    >>> host_of("https://WWW.UN.org/depts/dhl/")
    'un.org'
    """
    m = _URL.match(url.strip())
    if m is None:
        return None
    host = m.group(1).lower()
    return host[4:] if host.startswith("www.") else host


def allowed_host(host: str) -> Host | None:
    """The allow-list entry covering ``host`` (itself or a parent domain), if any.

    A trailing dot is not normalised here: ``history.state.gov.`` is refused, so the data
    files must spell hosts plainly.

    >>> allowed_host("unispal.un.org").host
    'unispal.un.org'
    >>> allowed_host("example.org") is None
    True
    """
    hosts = source_hosts()
    parts = host.split(".")
    for i in range(len(parts) - 1):
        entry = hosts.get(".".join(parts[i:]))
        if entry is not None:
            return entry
    return None


def classify(source: str) -> Source:
    """One source as primary, secondary or not allowed, with its host."""
    text = source.strip()
    host = host_of(text)
    if host is not None:
        entry = allowed_host(host)
        return Source(text, entry.kind if entry else "not-allowed", host)
    if _SYMBOL.match(text):
        return Source(text, "primary")
    if text.strip('"').startswith(_PRIMARY_TITLES):
        return Source(text, "primary")
    return Source(text, "secondary")


def cites_meeting_or_press(vote: Any) -> bool:
    """Whether a recorded vote cites an S/PV record or an SC/ press release (by symbol or link).

    ``vote`` is a ``RecordedVote``.
    """
    cited = [vote.meeting or "", vote.press_release or "", *vote.sources]
    return any(_MEETING_OR_PRESS.search(s) or re.search(r"/sc\d+", s) for s in cited)


def provenance(vote: Any) -> dict[str, Any]:
    """A recorded vote's sources, each with kind and host, and whether the row is confirmed.

    ``vote`` is a ``RecordedVote``; the result is a flat record for tables.
    """
    sources = [classify(s) for s in vote.sources]
    kinds = {s.kind for s in sources}
    return {
        "id": vote.id,
        "primary": sum(s.kind == "primary" for s in sources),
        "secondary": sum(s.kind == "secondary" for s in sources),
        "not_allowed": sum(s.kind == "not-allowed" for s in sources),
        "hosts": sorted({s.host for s in sources if s.host}),
        "cites_meeting_or_press": cites_meeting_or_press(vote),
        "secondary_only": "primary" not in kinds,
        "unconfirmed": vote.unconfirmed or None,
        "sources": [{"source": s.text, "kind": s.kind, "host": s.host} for s in sources],
    }
