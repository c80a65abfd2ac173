"""Hostile and random input: the loader loads or raises ``ScenarioError``, never anything else.

Also the outputs' side of trust: the same seed gives the same bytes, and output files are
replaced atomically and never overwrite an input.
"""

from __future__ import annotations

import io
import json
import os
import signal
import stat
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
from unsc_sim.cli import main
from unsc_sim.output import formats as report_module
from unsc_sim.scenario.blocs import BLOC_KEYS
from unsc_sim.scenario.loader import TOP_KEYS
from unsc_sim.scenario.safeyaml import MAX_BYTES
from unsc_sim.scenario.stances import STANCE_KEYS, VOTE_WORDS

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
    with pytest.raises(ScenarioError, match=r"source file .aaaa.* not found"):
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
    code = "from unsc_sim.cli import main; main(prog_name='unsc-sim')"
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


# === issue 11: confine and bound everything ==============================================
# One table per group (hostile file, hostile path, hostile output target, hostile numbers).
# Each case asserts the exit status, the one line on standard error, and that nothing else
# changed on disk (the temporary folder's names, kinds, modes and bytes).


def snapshot(folder: Path) -> dict[str, tuple[int, int, bytes | None]]:
    out = {}
    for p in sorted(folder.rglob("*")):
        st = p.lstat()
        data = p.read_bytes() if stat.S_ISREG(st.st_mode) else None
        out[str(p.relative_to(folder))] = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode), data)
    return out


def cli(*args: str, timeout: float = 120, **popen: Any) -> subprocess.CompletedProcess[str]:
    """The real command in a child process (a hang or a traceback cannot hide)."""
    code = "from unsc_sim.cli import main; main(prog_name='unsc-sim')"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output="stdout" not in popen,
        stderr=subprocess.PIPE if "stdout" in popen else None,
        text=True,
        timeout=timeout,
        **popen,
    )


def one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("unsc-sim: error: ") and "Traceback" not in stderr
    return lines[0][len("unsc-sim: error: ") :]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def mkfifo_or_skip(path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(path)
    return path


def with_stance(member: str, stance: str, extra: str = "") -> str:
    return council_text().replace(f"  {member}: abstain\n", f"  {member}: {stance}\n") + extra


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


# --- hostile path: what `source:` may read ------------------------------------------------

QUOTED = "{{vote: 'no', source: '{source}', quote: '{quote}'}}"


def quoting(source: str, quote: str = "x", extra: str = "") -> str:
    return with_stance("China", QUOTED.format(source=source, quote=quote), extra)


def link_out(tmp: Path) -> None:
    (tmp / "outside.txt").write_text("secret", encoding="utf-8")
    (tmp / "scen" / "out.txt").symlink_to(tmp / "outside.txt")


HOSTILE_SOURCES = {
    # name: (source, quote, make extra files under tmp (the scenario is tmp/scen/s.yaml),
    #        exit status, the one stderr line after the file name)
    "etc/passwd": (
        "etc/passwd",
        "root:x:0:0",
        None,
        2,
        ":5:31: members.China.source: source file 'etc/passwd' not found",
    ),
    "proc/self/environ": (
        "proc/self/environ",
        "PATH=",
        None,
        2,
        ":5:31: members.China.source: source file 'proc/self/environ' not found",
    ),
    "a link out": (
        "out.txt",
        "secret",
        link_out,
        2,
        ":5:31: members.China.source: source file 'out.txt' leads outside",
    ),
    "SEEDS/...": (
        "SEEDS/000_0963a4101a18558c.txt",
        "x",
        None,
        2,
        ":5:31: members.China.source: 'SEEDS/000_0963a4101a18558c.txt' is neither "
        "a UN document symbol nor a URL",
    ),
    "X/nothing": (
        "X/nothing",
        "x",
        None,
        2,
        ":5:31: members.China.source: 'X/nothing' is neither a UN document symbol nor a URL",
    ),
    "S/RES without year": (
        "S/RES/2397",
        "x",
        None,
        2,
        ":5:31: members.China.source: 'S/RES/2397' is neither",
    ),
    "empty quote": ("S/PV.8209", "", None, 2, ":5:51: members.China.quote: quote is empty"),
    "blank quote": ("S/PV.8209", "   ", None, 2, ":5:51: members.China.quote: quote is empty"),
    "a FIFO source": (
        "pipe.txt",
        "x",
        lambda tmp: mkfifo_or_skip(tmp / "scen" / "pipe.txt"),
        2,
        ":5:31: members.China.source: source file 'pipe.txt' is refused: a FIFO",
    ),
}


@pytest.mark.parametrize("case", HOSTILE_SOURCES, ids=str)
def test_sources_are_read_only_inside_their_roots(case: str, tmp_path: Path):
    source, quote, make, status, expected = HOSTILE_SOURCES[case]
    (tmp_path / "scen").mkdir()
    if make:
        make(tmp_path)
    path = write(tmp_path / "scen", "s.yaml", quoting(source, quote))
    before = snapshot(tmp_path)
    result = cli("validate", str(path), timeout=60)
    assert result.returncode == status, result.stderr
    assert one_error_line(result.stderr).startswith(f"{path}{expected}")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "source",
    ["S/PV.8209", "S/PV.7353 (Resumption 1)", "https://press.un.org/en/2018/sc13632.doc.htm"],
)
def test_a_quote_from_a_cited_document_is_not_verified_and_strict_refuses_it(
    source: str, tmp_path: Path
):
    path = write(tmp_path, "s.yaml", quoting(source, "anything at all"))
    result = cli("validate", str(path))
    assert result.returncode == 0 and result.stdout.startswith(f"{path}: ok")
    assert result.stderr.splitlines() == [
        f"warning: {path}:5:{31 + len(source) + 11}: members.China.quote: quote not verified: "
        f"{'url' if source.startswith('http') else 'symbol'} {source!r} is cited, not read"
    ]
    strict = cli("validate", "--strict", str(path))
    assert strict.returncode == 2 and strict.stdout == ""
    assert strict.stderr.splitlines()[-1] == (f"unsc-sim: error: {path}: 1 warning with --strict")


def test_reported_needs_a_source():
    e = load_error(with_stance("Peru", "{vote: yes, basis: reported, note: a report}"))
    assert e.message == "basis 'reported' needs a source" and e.field == "members.Peru.source"


def test_sources_flag_adds_a_root_and_nothing_else(tmp_path: Path):
    notes = tmp_path / "notes"
    notes.mkdir()
    write(notes, "a.txt", "Peru said it would vote yes.")
    (tmp_path / "scen").mkdir()
    path = write(tmp_path / "scen", "s.yaml", quoting("a.txt", "it would vote yes"))
    assert "source file 'a.txt' not found" in cli("validate", str(path)).stderr
    ok = cli("validate", "--sources", str(notes), str(path))
    assert ok.returncode == 0 and ok.stderr == "", ok.stderr
    # The quote check is no oracle for other files: a root does not reach its parent.
    outside = write(tmp_path / "scen", "t.yaml", quoting("../secret.txt"))
    assert cli("validate", "--sources", str(notes), str(outside)).returncode == 2


def test_the_shipped_project_offers_only_its_seeds(tmp_path: Path):
    from unsc_sim.scenario.citations import search_roots

    roots = search_roots(SCENARIOS)
    assert [r.inside for r in roots] == [SCENARIOS.resolve(), (ROOT / "seeds").resolve()]
    text = quoting("pyproject.toml", "unsc-sim")
    assert loads(text, base=ROOT).files == (str(ROOT / "pyproject.toml"),)  # its own folder
    with pytest.raises(ScenarioError, match="leads outside the folders"):
        loads(text, base=SCENARIOS)  # the project root offers seeds/, not pyproject.toml


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("S/PV.8209", "symbol"),
        ("S/PV.7353 (Resumption 1)", "symbol"),
        ("S/RES/2397 (2017)", "symbol"),
        ("S/2019/123", "symbol"),
        ("S/25704", "symbol"),
        ("S/2019/123/Add.1", "symbol"),
        ("A/RES/73/180", "symbol"),
        ("A/73/PV.45", "symbol"),
        ("SC/13632", "symbol"),
        ("GA/12090", "symbol"),
        ("https://press.un.org/x", "url"),
        ("seeds/000.txt", "file"),
        ("notes.txt", "file"),
        ("./DATA/x.txt", "file"),
        ("S/PV.abc", None),
        ("S/RES/2397", None),
        ("SC/abc", None),
        ("A/RES", None),
        ("SEEDS/x.txt", None),
        ("X/nothing", None),
        ("S/2019/", None),
        ("https://", None),
    ],
)
def test_document_symbols_must_match_a_real_pattern(source: str, kind: str | None):
    from unsc_sim.scenario.citations import SourceError, classify

    if kind is None:
        with pytest.raises(SourceError, match="neither a UN document symbol nor a URL"):
            classify(source)
    else:
        assert classify(source).value == kind


# --- hostile output target: what -o may replace ----------------------------------------------


def project_copy(tmp: Path) -> Path:
    """A copy of the shipped project's 2018 scenario and seeds, so nothing real is at risk."""
    import shutil

    for folder in ("scenarios", "seeds"):
        shutil.copytree(ROOT / folder, tmp / folder)
    return tmp / "scenarios" / S2018.name


def make_device(tmp: Path) -> Path:
    try:
        os.mknod(tmp / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError, OSError) as e:
        pytest.skip(f"cannot create a device node here: {e}")
    return tmp / "null"


def make_socket(tmp: Path) -> Path:
    import socket

    if not hasattr(socket, "AF_UNIX"):
        pytest.skip("no Unix sockets on this platform")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp / "sock"))
    sock.close()  # the socket file stays
    return tmp / "sock"


HOSTILE_TARGETS = {
    # name: (make the target under tmp, the error after "unsc-sim: error: ")
    "device node": (make_device, "refusing to write over {target}: a character device"),
    "fifo": (
        lambda tmp: mkfifo_or_skip(tmp / "fifo"),
        "refusing to write over {target}: a FIFO (named pipe)",
    ),
    "socket": (make_socket, "refusing to write over {target}: a socket"),
    "folder": (lambda tmp: tmp / "scenarios", "refusing to write over {target}: a folder"),
    "the scenario": (
        lambda tmp: tmp / "scenarios" / S2018.name,
        "refusing to overwrite the input file {target}",
    ),
    "a seed it quotes": (
        lambda tmp: tmp / "seeds" / "000_0963a4101a18558c.txt",
        "refusing to overwrite the input file {target}",
    ),
    "a folder that does not exist": (
        lambda tmp: tmp / "no" / "out.json",
        "cannot write {target}: No such file or directory",
    ),
}


@pytest.mark.parametrize("case", HOSTILE_TARGETS, ids=str)
def test_hostile_output_targets_are_refused_and_left_alone(case: str, tmp_path: Path):
    make, expected = HOSTILE_TARGETS[case]
    scenario = project_copy(tmp_path)
    target = make(tmp_path)
    before = snapshot(tmp_path)
    result = cli("run", str(scenario), "--format", "json", "-o", str(target))
    assert result.returncode in (1, 2), result.stderr
    assert result.returncode == (1 if case.startswith("a folder that") else 2)
    line = [x for x in result.stderr.splitlines() if not x.startswith("note: ")]
    assert one_error_line("\n".join(line)) == expected.format(target=target)
    assert result.stdout == ""
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("target", ["-", "/dev/stdout"])
def test_dash_and_dev_stdout_mean_standard_output(target: str, tmp_path: Path):
    result = cli("run", str(S2018), "--format", "csv", "-o", target, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("hypothetical,yes,no")
    assert list(tmp_path.iterdir()) == []


def test_an_existing_target_keeps_its_permissions(tmp_path: Path):
    out = write(tmp_path, "out.json", "old")
    out.chmod(0o640)
    assert cli("run", str(S2018), "--format", "json", "-o", str(out)).returncode == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert json.loads(out.read_text(encoding="utf-8"))["results"]
    new = tmp_path / "new.json"
    old_umask = os.umask(0o022)
    os.umask(old_umask)
    assert cli("run", str(S2018), "-o", str(new)).returncode == 0
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~old_umask


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this platform")
def test_a_full_disk_on_standard_output_is_one_line_and_exit_1():
    with open("/dev/full", "w") as full:
        result = cli("run", str(S2018), stdout=full)
    assert result.returncode == 1
    lines = [x for x in result.stderr.splitlines() if not x.startswith("note: ")]
    assert lines == ["unsc-sim: error: cannot write to standard output: No space left on device"]


def test_a_closed_standard_output_is_an_error_not_silence():
    result = subprocess.run(
        [sys.executable, "-c", "from unsc_sim.cli import main; main()", "run", str(S2018)],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: os.close(1),
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "unsc-sim: error: cannot write to standard output: it is closed"
    )


def test_a_broken_pipe_is_one_line_and_no_traceback():
    args = ["sweep", str(S2018), "--vary", "Peru", "--vary", "Kuwait", "--steps", "400"]
    child = subprocess.Popen(
        [sys.executable, "-c", "from unsc_sim.cli import main; main()", *args, "--format", "csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    assert child.stdout.read(100).startswith(b"hypothetical,")
    child.stdout.close()  # the reader goes away, as `| head` does
    stderr = child.stderr.read().decode()
    assert child.wait(timeout=120) == 1
    lines = [x for x in stderr.splitlines() if not x.startswith("note: ")]
    assert lines == ["unsc-sim: error: cannot write to standard output: Broken pipe"]


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_while_writing_leaves_no_temporary_file(signum: int, status: int, tmp_path: Path):
    out = tmp_path / "sweep.json"
    args = ["sweep", str(S2018), "--vary", "Peru", "--vary", "Kuwait", "--steps", "1001"]
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from unsc_sim.cli import main; main()",
            *args,
            "--format",
            "json",
            "-o",
            str(out),
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    # Wait (by polling, not by timing) for the temporary file, then interrupt.
    while child.poll() is None and not list(tmp_path.glob(".sweep.json.*.unsc-sim.tmp")):
        time.sleep(0.01)
    if child.poll() is not None:
        pytest.skip("the sweep finished before it could be interrupted")
    child.send_signal(signum)
    _, stderr = child.communicate(timeout=120)
    assert child.returncode == status
    assert stderr.splitlines()[-1] in ("unsc-sim: terminated", "unsc-sim: interrupted")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("-1", "-1"),
        ("+0.5", "+0.5"),
        ("Peru", "Peru"),
        ("a=b", "a=b"),
    ],
)
def test_csv_cells_are_never_formulas(cell: str, safe: str):
    assert report_module.safe_text(cell) == safe
    assert (
        report_module.to_csv([{"c": cell, "n": -1}])
        .splitlines()[1]
        .startswith(report_module.to_csv([{"c": safe}]).splitlines()[1])
    )
    assert report_module.to_csv([{"c": cell, "n": -1}]).endswith(",-1\n")


def test_a_formula_in_a_hypothetical_name_is_neutralised_in_csv(tmp_path: Path):
    path = write(tmp_path, "f.yaml", council_text() + "hypotheticals:\n  '=1+1': {Peru: yes}\n")
    result = CliRunner().invoke(main, ["run", str(path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2].startswith("'=1+1,")


def test_json_never_holds_nan_or_infinity():
    text = report_module.to_json({"a": float("nan"), "b": [float("inf"), -float("inf"), 1.5]})
    assert json.loads(text) == {"a": None, "b": [None, None, 1.5]}
    assert "NaN" not in text and "Infinity" not in text


# --- hostile numbers: work is bounded ------------------------------------------------------

HOSTILE_NUMBERS = {
    # name: (arguments, exit status, a piece of the one error line (None: no error))
    "trials 10**20": (
        ["run", str(S2018), "--trials", str(10**20)],
        2,
        "'--trials': 100000000000000000000 is not in the range 1<=x<=100000000",
    ),
    "trials 0": (["run", str(S2018), "--trials", "0"], 2, "is not in the range 1<=x<=100000000"),
    "swing trials 10**9": (["swing", str(S2018), "--trials", str(10**9)], 2, "is not in the range"),
    "alpha nan": (["backtest", "--alpha", "nan"], 2, "'--alpha': nan is not a number"),
    "alpha inf": (["backtest", "--alpha", "inf"], 2, "'--alpha': inf is not in the range"),
    "alpha 0": (["backtest", "--alpha", "0"], 2, "'--alpha': 0.0 is not in the range"),
    "alpha -1": (["backtest", "--alpha", "-1"], 2, "'--alpha': -1.0 is not in the range"),
    "steps 1002": (
        ["sweep", str(S2018), "--vary", "Peru", "--steps", "1002"],
        2,
        "'--steps': 1002 is not in the range",
    ),
    "max-k 16": (["whatif", str(S2018), "--max-k", "16"], 2, "'--max-k': 16 is not in the range"),
    "weights 10**12": (
        ["power", "--weights", "3*1000000000000", "--quota", "2000000000000"],
        0,
        None,
    ),
    "weights 10**18": (
        ["power", "--weights", f"{10**18},{10**18 - 1},3", "--quota", str(10**18 + 1)],
        0,
        None,
    ),
    "quota above the total": (
        ["power", "--weights", "1,2,3", "--quota", "7"],
        2,
        "quota must be an integer from 1 to 6, got 7",
    ),
    "20,000 distinct weights": (
        ["power", "--weights", ",".join(map(str, range(1, 20_001))), "--quota", "100000000"],
        2,
        "game too large: 20,000 members, 20,000 distinct weights",
    ),
    "1,100 equal members": (["power", "--weights", "1100*1", "--quota", "1100"], 0, None),
    "100,000 members": (["power", "--weights", "100000*1", "--quota", "50001"], 0, None),
    "100,000 members, two weights": (
        ["power", "--weights", "50000*1,50000*2", "--quota", "75001"],
        2,
        "game too large: 100,000 members, 2 distinct weights",
    ),
    "10**9 members": (
        ["power", "--weights", "1000000000*1", "--quota", "5"],
        2,
        "--weights: 1,000,000,000 members; the limit is 100,000",
    ),
}


@pytest.mark.parametrize("case", HOSTILE_NUMBERS, ids=str)
def test_hostile_numbers_answer_or_name_the_limit(case: str, tmp_path: Path):
    args, status, expected = HOSTILE_NUMBERS[case]
    result = cli(*args, "--format", "json", cwd=tmp_path, timeout=300)
    assert result.returncode == status, result.stderr
    if expected is None:
        assert "NaN" not in result.stdout and "Infinity" not in result.stdout
        rows = json.loads(result.stdout)["indices"]
        assert abs(sum(r["banzhaf"] for r in rows) - 1) < 1e-9
        assert abs(sum(r["shapley_shubik"] for r in rows) - 1) < 1e-9
    else:
        assert expected in one_error_line(result.stderr) and result.stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_equal_members_get_their_closed_forms():
    from fractions import Fraction

    from unsc_sim.analysis.power import WeightedGame, power_indices

    unanimity = power_indices(WeightedGame((1,) * 1100, 1100))  # a FloatingPointError before
    assert unanimity.banzhaf[0] == unanimity.shapley_shubik[0] == 1 / 1100
    assert unanimity.banzhaf_absolute[0] == 0.0  # 2**-1099 is below float64's range
    exact = power_indices(WeightedGame((5,) * 7, 16), exact=True)  # quota 16 is 4 of 7
    assert exact.banzhaf_absolute[0] == Fraction(20, 64) and exact.shapley_shubik[0] == Fraction(
        1, 7
    )
    huge = power_indices(WeightedGame((10**12, 10**12 - 1, 3), 10**12 + 1))
    assert huge.shapley_shubik == pytest.approx((1 / 3,) * 3)


def test_sweeps_are_bounded_and_stream_the_same_bytes():
    from unsc_sim.analysis.sweep import MAX_SWEEP_POINTS, sweep
    from unsc_sim.cli.analysis import _sweep_blocks

    s = load(S2018)
    with pytest.raises(ValueError, match="at most 1,002,001 points"):
        sweep(s, ["Peru", "Kuwait"], steps=1002)
    assert MAX_SWEEP_POINTS == 1001 * 1001
    r = sweep(s, ["Peru", "Kuwait"], steps=7, hypothetical="held-anyway")
    head = {"title": s.title, "hypothetical": r.hypothetical, "members": list(r.members)}
    streamed = "".join(report_module.stream_json(head, "points", r.fields, _sweep_blocks(r, 5)))
    assert streamed == report_module.to_json({**head, "points": r.to_records()})
    streamed = "".join(report_module.stream_csv(r.fields, _sweep_blocks(r, 5)))
    assert streamed == report_module.to_csv(r.to_records())
    table = CliRunner().invoke(main, ["sweep", str(S2018), "--vary", "Peru", "--vary", "Kuwait",
                                      "-H", "held-anyway", "--steps", "7"]).stdout  # fmt: skip
    named = {"p_yes_1": "P(Peru yes)", "p_yes_2": "P(Kuwait yes)", "p_adopted": "p_adopted"}
    rows = [{named[k]: v for k, v in x.items() if k in named} for x in r.to_records()]
    assert table.split("\n\n", 1)[1] == report_module.to_table(rows)
