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


def test_every_vote_since_2000_cites_its_meeting_or_says_why_not() -> None:
    missing = [
        v.id
        for v in history.recorded_votes()
        if v.date.year >= 2000 and not cites_meeting_or_press(v) and not v.unconfirmed
    ]
    assert not missing, f"no S/PV or SC/ document and no stated reason: {missing}"


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
