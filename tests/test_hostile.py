"""Hostile and random input: the loader loads or raises ``ScenarioError``, never anything else.

Also the outputs' side of trust: the same seed gives the same bytes, and output files are
replaced atomically and never overwrite an input.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from unsc_sim import Scenario, ScenarioError, load, loads
from unsc_sim import report as report_module
from unsc_sim.cli import main
from unsc_sim.safeyaml import MAX_BYTES
from unsc_sim.scenario import BLOC_KEYS, STANCE_KEYS, TOP_KEYS, VOTE_WORDS

from .conftest import ROOT, SCENARIOS

S2018 = SCENARIOS / "2018-12-dprk-human-rights.yaml"
SHIPPED = sorted(SCENARIOS.glob("*.yaml"))
COUNCIL_2018 = (
    "United States", "China", "France", "United Kingdom", "Russian Federation",
    "Bolivia", "Côte d'Ivoire", "Equatorial Guinea", "Ethiopia", "Kazakhstan",
    "Kuwait", "Netherlands", "Peru", "Poland", "Sweden",
)  # fmt: skip
OTHER_NAMES = ("Ivory Coast", "UK", "Britain", "Russia", "U.S.", "Germany", "Frnace", "Atlantis")
SOURCES = (
    "seeds/000_0963a4101a18558c.txt",
    "seeds/002_bc6ab423fb04c07b.txt",
    "seeds/missing.txt",
    "S/PV.8209",
    "/etc/passwd",
    "../seeds/000_0963a4101a18558c.txt",
    "pyproject.toml",
)
QUOTES = ("despite opposition from China", "couldn’t persuade Ivory Coast", "not in any source")
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def load_error(text: str | bytes, file: str = "hostile.yaml") -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        loads(text, file=file, base=ROOT)
    assert len(str(info.value).splitlines()) == 1
    return info.value


def council_text(**changes: str) -> str:
    stances = {name: "abstain" for name in COUNCIL_2018} | changes
    rows = "".join(f"  {name}: {vote}\n" for name, vote in stances.items())
    return f"title: t\ndate: 2018-12-10\nmembers:\n{rows}"


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


def test_a_huge_integer_is_a_located_yaml_error():
    e = load_error("title: t\ndate: " + "9" * 5000 + "\nmembers: {}\n")
    assert e.message.startswith("not valid YAML: cannot read") and (e.line, e.column) == (2, 7)


@pytest.mark.parametrize("source", ["/etc/passwd", "../../seeds/000_0963a4101a18558c.txt"])
def test_sources_cannot_leave_the_scenario_tree(source: str):
    e = load_error(council_text(China=f"{{vote: no, source: '{source}', quote: root}}"))
    assert e.field == "members.China.source" and "relative" in e.message


def test_a_binary_or_unreadable_source_is_a_scenario_error(tmp_path: Path):
    (tmp_path / "blob.bin").write_bytes(b"\xff\xfe\x00binary")
    text = council_text(China="{vote: no, source: blob.bin, quote: x}")
    with pytest.raises(ScenarioError, match="is not UTF-8 text"):
        loads(text, base=tmp_path)
    long_name = council_text(China=f"{{vote: no, source: {'a' * 5000}, quote: x}}")
    with pytest.raises(ScenarioError, match=r"cannot be read: File name too long"):
        loads(long_name, base=tmp_path)


def test_line_breaks_in_names_stay_on_one_line():
    e = load_error(council_text() + '  "Fr\\nance\\u2028": yes\n')
    assert "\n" not in str(e) and "\u2028" not in str(e)
    assert "Fr\\nance\\u2028" in str(e)


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


# --- outputs: deterministic bytes, atomic writes, inputs protected ----------------------


def run_cli(*args: str, hash_seed: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    code = "from unsc_sim.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, env=env, check=True
    )


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_same_seed_same_bytes(fmt: str, tmp_path: Path):
    common = ("run", str(S2018), "--method", "montecarlo", "--trials", "20000", "--format", fmt)
    outputs = []
    for i, hash_seed in enumerate(("1", "2")):
        out = tmp_path / f"out{i}.{fmt}"
        run_cli(*common, "--seed", "7", "-o", str(out), hash_seed=hash_seed)
        outputs.append(out.read_bytes())
    stdout = run_cli(*common, "--seed", "7", hash_seed="3").stdout
    assert outputs[0] == outputs[1] == stdout
    assert b"montecarlo" in stdout
    other = run_cli(*common, "--seed", "8", hash_seed="1").stdout
    assert other != stdout  # the seed is really used: held-anyway is sampled


def test_output_replaces_the_file_whole_via_rename(tmp_path: Path, monkeypatch):
    out = tmp_path / "result.json"
    out.write_text("x" * 100_000, encoding="utf-8")  # longer than the new content
    renames: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: Any, dst: Any) -> None:
        renames.append((str(src), str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(report_module.os, "replace", spy)
    result = CliRunner().invoke(main, ["run", str(S2018), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["results"][0]["hypothetical"] == "baseline"
    assert [Path(dst) for _, dst in renames] == [out.resolve()]
    assert Path(renames[0][0]).parent == out.resolve().parent  # same folder: rename is atomic
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.json"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch):
    out = tmp_path / "result.csv"
    out.write_text("old\n", encoding="utf-8")

    def broken(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report_module.os, "replace", broken)
    with pytest.raises(OSError):
        report_module.write_atomic(out, "new\n")
    assert out.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.csv"]


@pytest.mark.parametrize("command", ["run", "members"])
def test_an_input_given_as_output_is_refused(command: str, tmp_path: Path):
    before = S2018.read_bytes()
    link = tmp_path / "link.yaml"
    link.symlink_to(S2018)
    for target in (str(S2018), f"{SCENARIOS}/../scenarios/{S2018.name}", str(link)):
        result = CliRunner().invoke(main, [command, str(S2018), "-o", target])
        assert result.exit_code == 2, target
        assert "refusing to overwrite the input file" in result.stderr
        assert result.stderr.splitlines()[-1].startswith("unsc-sim: error: ")
        assert "Traceback" not in result.output
    assert S2018.read_bytes() == before
    assert link.is_symlink()
