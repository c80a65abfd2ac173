"""The record's parsed form in the cache folder equals the YAML it was made from."""

from __future__ import annotations

import json

import pytest

from unsc_sim.record import stored, votes


@pytest.fixture(scope="module")
def parsed():
    """The record parsed from its YAML once for the module (a parse takes about a second)."""
    return votes.parse_record()


def fresh(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    votes._all_votes.cache_clear()


def test_the_stored_form_equals_the_yaml(monkeypatch, tmp_path, parsed):
    fresh(monkeypatch, tmp_path)
    built = votes._all_votes()  # a miss: parsed from YAML, then stored
    assert (tmp_path / "unsc-sim" / "record.json").is_file()
    votes._all_votes.cache_clear()
    read = votes._all_votes()  # a hit
    assert read == built == parsed
    assert [r.to_record() for r in read] == [r.to_record() for r in parsed]
    votes._all_votes.cache_clear()


def test_a_damaged_or_foreign_form_is_rebuilt(monkeypatch, tmp_path, parsed):
    fresh(monkeypatch, tmp_path)
    path = tmp_path / "unsc-sim" / "record.json"
    path.parent.mkdir()
    parses = []  # each rebuild parses the YAML: counted, the parse itself tested above
    monkeypatch.setattr(votes, "parse_record", lambda: parses.append(1) or parsed)
    for n, text in enumerate(("{", "[]", '{"key": "other", "value": []}', '{"key": 1}'), 1):
        path.write_text(text)
        votes._all_votes.cache_clear()
        assert votes._all_votes() == parsed and len(parses) == n
        assert json.loads(path.read_text())["key"] != "other"
    key = json.loads(path.read_text())["key"]
    path.write_text(json.dumps({"key": key, "value": [{"id": "x"}]}))  # right key, bad rows
    votes._all_votes.cache_clear()
    assert votes._all_votes() == parsed and len(parses) == 5
    votes._all_votes.cache_clear()


def test_a_link_is_neither_read_nor_written_through(monkeypatch, tmp_path, parsed):
    fresh(monkeypatch, tmp_path)
    target = tmp_path / "target.json"
    target.write_text("keep")
    (tmp_path / "unsc-sim").mkdir()
    (tmp_path / "unsc-sim" / "record.json").symlink_to(target)
    assert votes._all_votes() == parsed
    assert target.read_text() == "keep"
    assert not (tmp_path / "unsc-sim" / "record.json").is_symlink()
    votes._all_votes.cache_clear()


def test_an_unwritable_cache_folder_only_costs_time(monkeypatch, tmp_path, parsed):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # a file: no folder can be made in it
    votes._all_votes.cache_clear()
    assert votes._all_votes() == parsed
    votes._all_votes.cache_clear()


def test_the_key_follows_the_inputs():
    assert stored.digest([b"a"]) != stored.digest([b"b"])
    assert stored.digest([b"ab"]) != stored.digest([b"a", b"b"])


def test_a_stored_backtest_equals_the_computed_one(monkeypatch, tmp_path):
    from unsc_sim.record import backtest as bt

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = bt.backtest()  # computed, then stored
    again = bt.backtest()  # read
    assert again == first
    assert again.evidence == first.evidence  # not compared by ==
    assert again.to_records() == first.to_records()
    assert again.member_records() == first.member_records()
    other = bt.backtest(rho=0.3)  # a slot of its own: the default's stays
    assert other.rho == 0.3 and bt.backtest() == first
    assert {p.name for p in (tmp_path / "unsc-sim").iterdir()} >= {
        "backtest.json",
        "backtest-other.json",
    }


def test_plain_values_come_back_equal():
    import datetime as dt

    from unsc_sim.record.scoring import Bin

    value = (Bin("vote", 0.0, 0.1, 3, None, 0.5), dt.date(1991, 12, 25), (1, 2.5, "x", None))
    classes = {"Bin": Bin}
    assert stored.unplain(json.loads(json.dumps(stored.plain(value))), classes) == value
