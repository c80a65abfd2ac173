"""Hostile YAML: tags, aliases, duplicates, size, encoding, nesting; random and mutated
documents load or raise a located ``ScenarioError``; what `validate FILE` meets gives one
located line and touches nothing."""

from __future__ import annotations

import io
import json
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from unsc_sim import Scenario, ScenarioError, load, loads
from unsc_sim.cli import main
from unsc_sim.scenario.blocs import BLOC_KEYS
from unsc_sim.scenario.loader import TOP_KEYS
from unsc_sim.scenario.safeyaml import MAX_BYTES, MAX_EVENTS, read
from unsc_sim.scenario.stances import STANCE_KEYS, VOTE_WORDS

from ..conftest import ROOT, SCENARIOS
from .common import (
    COUNCIL_2018,
    FUZZ,
    OTHER_NAMES,
    QUOTES,
    S2018,
    SHIPPED,
    SOURCES,
    cli,
    council_text,
    load_error,
    mkfifo_or_skip,
    one_error_line,
    snapshot,
    with_stance,
    write,
)

# --- tags, aliases, duplicates, size, encoding ------------------------------------------


def test_a_python_tag_is_refused_and_never_runs(tmp_path: Path):
    marker = tmp_path / "pwned"
    text = f'title: !!python/object/apply:os.system ["echo pwned > {marker}"]\nmembers: {{}}\n'
    e = load_error(text)
    assert "tags are not allowed" in e.message and (e.line, e.column) == (1, 8)
    assert not marker.exists()
    path = tmp_path / "evil.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(path)])
    assert result.exit_code == 2 and "tags are not allowed" in result.stderr
    assert not marker.exists()


@pytest.mark.parametrize(
    "text",
    [
        "title: !!python/name:os.system\nmembers: {}\n",
        "title: !!python/object/new:subprocess.Popen [[ls]]\nmembers: {}\n",
        "title: !!binary aGVsbG8=\nmembers: {}\n",
        "title: t\nmembers: !!set {France}\n",
        "title: !custom x\nmembers: {}\n",
        "%TAG !e! tag:example.com,2000:\n---\ntitle: !e!thing x\nmembers: {}\n",
        "title: ! t\nmembers: {}\n",
    ],
)
def test_every_kind_of_tag_is_refused(text: str):
    assert "tags are not allowed" in load_error(text).message


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    return "\n".join(lines) + f"\ntitle: *a{levels}\nmembers: {{}}\n"


def test_billion_laughs_is_refused_at_the_first_anchor(record_property):
    text = billion_laughs(9)  # 10**10 "lol"s if it were expanded
    tracemalloc.start()
    start = time.perf_counter()
    e = load_error(text)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    record_property("seconds", seconds)
    record_property("peak_bytes", peak)
    assert "anchors and aliases" in e.message and (e.line, e.column) == (1, 5)


def test_an_alias_alone_is_refused():
    e = load_error(council_text(France="&v yes", Peru="*v"))
    assert "anchors and aliases" in e.message and e.line == 6


def test_merge_keys_are_refused():
    e = load_error("<<: {title: t}\nmembers: {}\n")
    assert "merge keys" in e.message and (e.line, e.column) == (1, 1)


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ("title: a\ntitle: b\nmembers: {}\n", 2, "title"),
        (council_text() + "  Sweden: yes\n", 19, "Sweden"),
        (council_text(France="{vote: yes, vote: no}"), 6, "vote"),
        (council_text() + "hypotheticals:\n  h: {Peru: yes}\n  h: {Peru: no}\n", 21, "h"),
    ],
)
def test_duplicate_keys_are_refused_not_overwritten(text: str, line: int, key: str):
    e = load_error(text)
    assert f'duplicate key "{key}"' in e.message and e.line == line


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"title: t\nmembers: {}\n" + b"# padding\n" * 200_000)  # 2 MB
    assert path.stat().st_size > 2 * MAX_BYTES
    with pytest.raises(ScenarioError, match="larger than 1,000,000 bytes"):
        load(path)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1


def test_latin1_bytes_are_not_utf8():
    e = load_error("title: Côte d'Ivoire\nmembers: {}\n".encode("latin-1"))
    assert e.message == "not UTF-8 text (byte 8)" and (e.line, e.column) == (1, 9)


def test_a_nul_character_is_refused_with_its_place():
    e = load_error(b"title: t\nmembers:\n  Fr\x00ance: yes\n")
    assert "#x0000" in e.message and (e.line, e.column) == (3, 5)


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n", b"\xef\xbb\xbf"])
def test_an_empty_document_is_not_a_scenario(text: str | bytes):
    assert "the file is empty" in load_error(text).message


def test_a_list_at_the_top_is_not_a_scenario():
    e = load_error("- title: t\n- members: {}\n")
    assert e.message.endswith("not a list") and (e.line, e.column) == (1, 1)


def test_deep_nesting_is_refused_before_the_parser_recurses():
    e = load_error("title: t\nroster: " + "[" * 5000 + "]" * 5000 + "\nmembers: {}\n")
    assert "nested more than" in e.message and e.line == 2


def test_the_event_limit_counts_every_event_and_refuses_the_first_beyond(monkeypatch):
    from unsc_sim.scenario import safeyaml

    assert MAX_EVENTS == 50_000
    monkeypatch.setattr(safeyaml, "MAX_EVENTS", 100)  # the same count, a shorter document
    # A flow list of n items is n + 6 events (stream, document and list, start and end).
    fits = "[" + ", ".join(["1"] * (100 + 1 - 6)) + "]"
    assert len(read(fits)[0]) == 100 + 1 - 6
    with pytest.raises(ScenarioError, match="too many nodes") as info:
        read(fits[:-1] + ", 22]", file="many.yaml")
    assert info.value.line == 1  # the limit is reached at the stream's end, past the list


def test_a_huge_integer_is_a_located_yaml_error():
    e = load_error("title: t\ndate: " + "9" * 5000 + "\nmembers: {}\n")
    assert e.message.startswith("not valid YAML: cannot read") and (e.line, e.column) == (2, 7)


# --- property-based: random and mutated documents ---------------------------------------

NAMES = st.sampled_from(COUNCIL_2018 + OTHER_NAMES)
JUNK = st.text(max_size=12)
KEYS = st.one_of(st.sampled_from(TOP_KEYS + STANCE_KEYS + BLOC_KEYS + VOTE_WORDS), NAMES, JUNK)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from((*VOTE_WORDS, "Yes", "yess", "2018-12-10", "1960-01-01", "2018-02-30")),
    NAMES,
    JUNK,
)
ANYTHING = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20,
)
PROBABILITY = st.one_of(st.sampled_from([0, 0.25, 0.5, 0.75, 1, 1.5, -0.25]), st.floats(), SCALARS)
VOTE = st.one_of(
    st.sampled_from(VOTE_WORDS),
    st.dictionaries(st.sampled_from(VOTE_WORDS), PROBABILITY, min_size=1, max_size=4),
    ANYTHING,
)
EVIDENCE = st.fixed_dictionaries(
    {"vote": VOTE},
    optional={
        "basis": st.sampled_from(("reported", "recorded", "inferred", "assumption", "rumour")),
        "source": st.one_of(st.sampled_from(SOURCES), JUNK, SCALARS),
        "quote": st.one_of(st.sampled_from(QUOTES), SCALARS),
        "note": st.one_of(JUNK, SCALARS),
        "party_to_dispute": st.one_of(st.booleans(), SCALARS),
        "junk": ANYTHING,
    },
)
STANCE = st.one_of(VOTE, EVIDENCE)
COUNCIL = st.fixed_dictionaries({name: STANCE for name in COUNCIL_2018})


@st.composite
def nearly_valid_council(draw: st.DrawFn) -> dict[Any, Any]:
    """The 2018 Council with sure votes, one member (maybe) renamed or given any stance."""
    members: dict[Any, Any] = {name: draw(st.sampled_from(VOTE_WORDS)) for name in COUNCIL_2018}
    name = draw(st.sampled_from(COUNCIL_2018))
    if draw(st.booleans()):
        del members[name]
        name = draw(st.one_of(NAMES, KEYS))
    members[name] = draw(st.one_of(st.sampled_from(VOTE_WORDS), EVIDENCE, VOTE))
    return members


MEMBERS = st.one_of(
    nearly_valid_council(),
    nearly_valid_council(),
    COUNCIL,
    st.dictionaries(NAMES, STANCE, max_size=16),
    ANYTHING,
)
HYPOTHETICALS = st.dictionaries(
    st.one_of(st.sampled_from(("h", "baseline")), JUNK),
    st.one_of(st.dictionaries(st.one_of(NAMES, st.just("description")), STANCE, max_size=3)),
    max_size=3,
)
BLOCS = st.dictionaries(
    st.one_of(st.sampled_from(("a", "b", "c")), JUNK),
    st.one_of(
        st.fixed_dictionaries(
            {"members": st.lists(NAMES, max_size=4)},
            optional={"correlation": PROBABILITY, "junk": SCALARS},
        ),
        ANYTHING,
    ),
    max_size=3,
)
BETWEEN = st.lists(
    st.one_of(
        st.fixed_dictionaries(
            {
                "blocs": st.lists(st.one_of(st.sampled_from(("a", "b", "c")), JUNK), max_size=3),
                "correlation": st.one_of(st.floats(-1.5, 1.5), SCALARS),
            },
            optional={"junk": SCALARS},
        ),
        ANYTHING,
    ),
    max_size=3,
)
SCENARIOS_ = st.fixed_dictionaries(
    {"title": st.one_of(st.just("t"), st.just("t"), SCALARS), "members": MEMBERS},
    optional={
        "date": st.sampled_from(("2018-12-10", "1960-06-01", "2018-02-30", "10 Dec 2018")),
        "rule": st.one_of(st.sampled_from(("procedural", "substantive", "substantial")), SCALARS),
        "president": st.one_of(NAMES, SCALARS),
        "chapter": st.one_of(st.sampled_from(("VI", "VII", "vi", "VIII")), SCALARS),
        "description": st.one_of(JUNK, SCALARS),
        "hypotheticals": st.one_of(HYPOTHETICALS, ANYTHING),
        "blocs": st.one_of(BLOCS, ANYTHING),
        "between": st.one_of(BETWEEN, ANYTHING),
        "roster": st.one_of(st.integers(min_value=1940, max_value=2030), ANYTHING),
        "default": st.one_of(st.just("record"), STANCE),
        "titel": SCALARS,
    },
)
DOCUMENTS = st.one_of(SCENARIOS_, ANYTHING)


def to_yaml(document: Any) -> str:
    out = io.StringIO()
    YAML(typ="safe", pure=True).dump(document, out)
    return out.getvalue()


def to_json(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, allow_nan=True)


def loads_or_scenario_error(text: str | bytes, base: Path = ROOT) -> Scenario | None:
    """The property: a Scenario, or a located one-line ScenarioError; anything else fails."""
    try:
        scenario = loads(text, file="fuzz.yaml", base=base)
    except ScenarioError as e:
        assert e.file == "fuzz.yaml"
        assert e.message and len(str(e).splitlines()) == 1
        return None
    assert isinstance(scenario, Scenario)
    return scenario


@FUZZ
@given(document=DOCUMENTS, serialize=st.sampled_from([to_yaml, to_json]))
def test_random_documents_load_or_raise_scenario_error(document: Any, serialize: Any):
    loads_or_scenario_error(serialize(document))


@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes_load_or_raise_scenario_error(data: bytes):
    loads_or_scenario_error(data)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(SHIPPED)).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        if not text:
            break
        lines = text.splitlines(keepends=True)
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "replace", "cut"]))
        if op in ("delete", "duplicate"):
            i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[i : i + 1] = [] if op == "delete" else [lines[i], lines[i]]
            text = "".join(lines)
            continue
        i = draw(st.integers(min_value=0, max_value=max(len(text) - 2, 0)))
        if op == "swap":
            text = text[:i] + text[i + 1 : i + 2] + text[i : i + 1] + text[i + 2 :]
        elif op == "insert":
            junk = draw(st.one_of(st.text(max_size=8), st.sampled_from(["&a ", "*a", "!!", ": "])))
            text = text[:i] + junk + text[i:]
        elif op == "replace":
            text = text[:i] + draw(st.characters()) + text[i + 1 :]
        else:
            text = text[:i]
    return text


@FUZZ
@given(text=mutated())
def test_mutated_shipped_scenarios_load_or_raise_scenario_error(text: str):
    loads_or_scenario_error(text, base=SCENARIOS)


def test_the_strategies_reach_valid_scenarios():
    """Guard against a fuzzer that only ever produces one early error."""
    assert loads_or_scenario_error(S2018.read_text(encoding="utf-8"), base=SCENARIOS)
    document = {name: "yes" for name in COUNCIL_2018}
    assert loads_or_scenario_error(to_json({"title": "t", "members": document}))


# --- hostile file: what `validate FILE` meets ----------------------------------------------

HOSTILE_FILES = {
    # name: (make the file in tmp, the error after "unsc-sim: error: ", with {path})
    "character device": (
        lambda tmp: Path("/dev/zero"),
        "{path}: a character device, not a regular file",
    ),
    "fifo": (
        lambda tmp: mkfifo_or_skip(tmp / "fifo.yaml"),
        "{path}: a FIFO (named pipe), not a regular file",
    ),
    "folder": (
        lambda tmp: (tmp / "dir.yaml").mkdir() or tmp / "dir.yaml",
        "Invalid value for 'FILES...': File '{path}' is a directory.",
    ),
    "over the limit": (
        lambda tmp: write(tmp, "big.yaml", "title: t\n" + "#" * MAX_BYTES),
        "{path}: file is larger than 1,000,000 bytes",
    ),
    "empty": (lambda tmp: write(tmp, "empty.yaml", ""), "{path}:1:1: a scenario must be a mapping"),
    "roster 0": (
        lambda tmp: write(tmp, "r.yaml", "title: t\nroster: 0\nmembers: {France: yes}\n"),
        "{path}:2:9: roster: rosters cover 1946-2027, not 0",
    ),
    "lone surrogate": (
        lambda tmp: write(tmp, "s.yaml", 'title: "a\\ud800"\nmembers: {France: yes}\n'),
        "{path}:1:8: text holds a lone surrogate",
    ),
    "hypothetical named by a number": (
        lambda tmp: write(
            tmp, "h.yaml", council_text() + "hypotheticals:\n  1: {Peru: yes}\n  '1': {Peru: no}\n"
        ),
        "{path}:20:3: hypotheticals.1: a hypothetical is named by text, not a number "
        "(quote it: '1')",
    ),
    "bloc named by a number": (
        lambda tmp: write(
            tmp,
            "b.yaml",
            council_text()
            + "blocs:\n  1: {members: [Peru, Kuwait], correlation: 0.5}\n"
            + "  '1': {members: [Sweden, Poland], correlation: 0.5}\n",
        ),
        "{path}:20:3: blocs.1: a bloc is named by text, not a number (quote it: '1')",
    ),
    "party_to_dispute in a hypothetical": (
        lambda tmp: write(
            tmp,
            "p.yaml",
            council_text()
            + "hypotheticals:\n  h:\n    Peru: {vote: yes, party_to_dispute: true}\n",
        ),
        "{path}:21:23: hypotheticals.h.Peru.party_to_dispute: "
        "party_to_dispute is a fact about a member",
    ),
    "party_to_dispute in the default": (
        lambda tmp: write(
            tmp,
            "d.yaml",
            council_text().replace("  Sweden: abstain\n", "")
            + "default: {vote: abstain, party_to_dispute: true}\n",
        ),
        "{path}:18:26: default.party_to_dispute: party_to_dispute is a fact about a member",
    ),
    "hypothetical with only a description": (
        lambda tmp: write(
            tmp,
            "o.yaml",
            council_text() + "hypotheticals:\n  h:\n    description: Peru votes yes\n",
        ),
        "{path}:20:3: hypotheticals.h: a hypothetical maps members to their new stances; "
        "this one only has a description",
    ),
    "too many hypotheticals": (
        lambda tmp: write(
            tmp,
            "many.yaml",
            council_text()
            + "hypotheticals:\n"
            + "".join(f"  h{i}: {{Peru: yes}}\n" for i in range(1001)),
        ),
        "{path}:20:3: hypotheticals: 1,001 hypotheticals; a file may hold at most 1,000 "
        "(split it into several files)",
    ),
    "an empty bloc name": (
        lambda tmp: write(
            tmp,
            "e.yaml",
            council_text() + "blocs:\n  '': {members: [Peru, Kuwait], correlation: 1}\n",
        ),
        "{path}:20:3: blocs: a bloc's name is empty (name it, e.g. 'west')",
    ),
    "an empty hypothetical name": (
        lambda tmp: write(tmp, "e.yaml", council_text() + "hypotheticals:\n  ' ': {Peru: yes}\n"),
        "{path}:20:3: hypotheticals: a hypothetical's name is empty (name it, e.g. 'peru-yes')",
    ),
    "a date before the Council": (
        lambda tmp: write(tmp, "d.yaml", council_text().replace("2018-12-10", "1900-01-01")),
        "{path}:2:7: date: 1900-01-01 is before the Security Council first met (1946) "
        "(the record's Councils cover 1946-2027)",
    ),
    "a date after the record, with a default": (
        lambda tmp: write(
            tmp,
            "d.yaml",
            "title: t\ndate: 2030-01-01\ndefault: abstain\nmembers: {}\n",
        ),
        "{path}:2:7: date: 2030-01-01 is after the record's Councils (1946-2027), so "
        "`default:` has no Council to fill (list all the members, without `default:`)",
    ),
    "a huge unknown name": (
        lambda tmp: write(tmp, "n.yaml", council_text() + f"president: {'Z' * 20_000}\n"),
        "{path}:19:12: president: unknown member '" + "Z" * 60 + "…'",
    ),
}


@pytest.mark.parametrize("case", HOSTILE_FILES, ids=str)
def test_hostile_files_give_one_located_line_and_touch_nothing(case: str, tmp_path: Path):
    make, expected = HOSTILE_FILES[case]
    path = make(tmp_path)
    before = snapshot(tmp_path)
    result = cli("validate", str(path), timeout=60)  # a FIFO used to block here for ever
    assert result.returncode == 2, result.stderr
    assert one_error_line(result.stderr).startswith(expected.format(path=path))
    assert result.stdout == ""
    assert snapshot(tmp_path) == before


def test_an_ignored_party_to_dispute_is_a_warning():
    s = loads(with_stance("Peru", "{vote: yes, party_to_dispute: true}"), file="w.yaml")
    assert tuple(map(str, s.warnings)) == (
        "w.yaml:16:39: members.Peru.party_to_dispute: party_to_dispute has no effect: the "
        "Art. 27(3) proviso applies only with rule: substantive and chapter: VI",
    )


def test_a_date_after_the_record_with_every_member_listed_loads():
    s = loads(council_text().replace("2018-12-10", "2030-06-01"))
    assert len(s.members) == 15 and s.president is None  # no rotation on record to check
