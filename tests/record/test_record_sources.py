"""The record's sources against the policy: allowed hosts only, hosts spelled plainly, and
every vote since 2000 citing its meeting record or press release (or saying why not)."""

from __future__ import annotations

import csv
import re
from importlib import resources

import pytest

from unsc_sim import record as history
from unsc_sim.record.provenance import allowed_host, cites_meeting_or_press, classify, source_hosts

DATA = resources.files("unsc_sim") / "data"
FILES = (
    "procedural_votes.yaml",
    "procedural_votes_1946_1999.yaml",
    "terms.csv",
    "presidencies.csv",
)
URL = re.compile(r"https?://([^/\s\"',;)>\]]+)")


def _hosts(name: str) -> list[tuple[int, str]]:
    text = (DATA / name).read_text(encoding="utf-8")
    return [
        (n, m.group(1)) for n, line in enumerate(text.splitlines(), 1) for m in URL.finditer(line)
    ]


@pytest.mark.parametrize("name", FILES)
def test_every_cited_host_is_on_the_allow_list(name: str) -> None:
    refused = [
        f"{name}:{n}: {host}"
        for n, host in _hosts(name)
        if allowed_host(host.lower().removeprefix("www.")) is None
    ]
    assert not refused, "hosts not in data/source_hosts.csv:\n" + "\n".join(refused)


@pytest.mark.parametrize("name", FILES)
def test_hosts_are_spelled_plainly(name: str) -> None:
    bad = [f"{name}:{n}: {h}" for n, h in _hosts(name) if h.endswith(".") or h != h.lower()]
    assert not bad, "\n".join(bad)


def test_the_allow_list_is_well_formed() -> None:
    with (DATA / "source_hosts.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    hosts = [r["host"] for r in rows]
    assert len(hosts) == len(set(hosts)), "a host is listed twice"
    for r in rows:
        assert r["host"] == r["host"].lower().strip(".") and not r["host"].startswith("www.")
        assert r["kind"] in ("primary", "secondary"), r
        assert r["who"].strip(), r


@pytest.mark.parametrize(
    ("host", "allowed"),
    [("reuters.com", True), ("unispal.un.org", True), ("history.state.gov.", False),
     ("machinman.net", False), ("fakeun.org", False)],
)  # fmt: skip
def test_allowed_host_matches_whole_labels(host: str, allowed: bool) -> None:
    assert (allowed_host(host) is not None) is allowed


# What a reason must speak of when a row since 2000 cites neither an S/PV nor an SC/ document.
WHY_NO_SYMBOL = re.compile(r"S/PV|SC/|meeting record|press release|meeting number", re.I)


def test_every_vote_since_2000_cites_its_meeting_or_says_why_not() -> None:
    uncited = [
        v for v in history.recorded_votes() if v.date.year >= 2000 and not cites_meeting_or_press(v)
    ]
    silent = [v.id for v in uncited if not WHY_NO_SYMBOL.search(v.unconfirmed)]
    assert not silent, f"no S/PV or SC/ document, and `unconfirmed` does not say why: {silent}"
    # A row without a meeting symbol says so in its note, whatever else it cites.
    unnamed = [
        v.id
        for v in history.recorded_votes()
        if v.date.year >= 2000 and v.meeting is None and "meeting" not in v.note.lower()
    ]
    assert not unnamed, unnamed


def test_the_policy_check_catches_a_row_without_symbol_or_reason() -> None:
    from unsc_sim.record.votes import read_votes

    row = (
        "- {id: 2019-01-01-syria, date: 2019-01-01, topic: syria, kind: agenda, subject: s,"
        ' counts: {yes: 9, "no": 6}, adopted: true, sources: [REASON]}'
    )
    (bare,) = read_votes(row.replace("REASON", "https://www.reuters.com/x"))
    (pressed,) = read_votes(row.replace("REASON", "https://press.un.org/en/2019/sc13650.doc.htm"))
    assert not cites_meeting_or_press(bare) and cites_meeting_or_press(pressed)
    assert not WHY_NO_SYMBOL.search(bare.unconfirmed)


UNCONFIRMED = sorted(v.id for v in history.recorded_votes() if v.unconfirmed)
CONFIRMED = next(v.id for v in history.recorded_votes() if not v.unconfirmed)


def test_the_history_table_marks_exactly_the_unconfirmed_rows() -> None:
    from click.testing import CliRunner

    from unsc_sim.cli import main

    out = CliRunner().invoke(main, ["history"]).output
    marked = sorted(line.split()[0] for line in out.splitlines() if " ! " in line)
    assert marked == UNCONFIRMED and len(UNCONFIRMED) >= 9


@pytest.mark.parametrize("command", ["history", "replay"])
def test_one_vote_says_unconfirmed_and_why(command: str) -> None:
    from click.testing import CliRunner

    from unsc_sim.cli import main

    for vote_id in (*UNCONFIRMED, CONFIRMED):
        vote = history.recorded_vote(vote_id)
        result = CliRunner().invoke(main, [command, vote_id])  # tally-only rows replay too
        assert result.exit_code == 0, (command, vote_id, result.output)
        out, reason = result.output, vote.unconfirmed
        lines = [line for line in out.splitlines() if line.startswith("UNCONFIRMED")]
        assert lines == ([f"UNCONFIRMED: {reason}"] if reason else []), (command, vote_id)


def test_every_vote_has_a_primary_source_or_says_why_not() -> None:
    missing = [
        v.id
        for v in history.recorded_votes()
        if not any(classify(s).kind == "primary" for s in v.sources)
        and not cites_meeting_or_press(v)
        and not v.unconfirmed
    ]
    assert not missing, missing


def test_known_hosts_kinds() -> None:
    assert source_hosts()["press.un.org"].kind == "primary"
    assert classify("https://www.securitycouncilreport.org/x").kind == "secondary"
    assert classify("Resolutions and Decisions of the Security Council 1953").kind == "primary"
    assert classify("https://machinman.net/un/").kind == "not-allowed"
