"""The malformed corpus: each file fails with one located, typed error, in the library and the CLI.

``tests/data/malformed/NN-name.yaml`` holds one mistake each (on the 2018 Council), and
``expected.yaml`` says where the loader must report it and what it must say.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from unsc_sim import ScenarioError, UnscSimError, load
from unsc_sim.cli import main

from ..conftest import DATA, SCENARIOS

CORPUS = DATA / "malformed"
FILES = sorted(CORPUS.glob("[0-9]*.yaml"))
EXPECTED: dict[str, dict[str, Any]] = YAML(typ="safe", pure=True).load(
    (CORPUS / "expected.yaml").read_text(encoding="utf-8")
)
KEYS = {"line", "column", "field", "message", "hint"}
S2018 = str(SCENARIOS / "2018-12-dprk-human-rights.yaml")


def error_of(path: Path) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load(path)
    return info.value


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def test_the_corpus_and_its_expectations_match():
    assert len(FILES) >= 40
    assert sorted(EXPECTED) == [p.name for p in FILES]
    for name, want in EXPECTED.items():
        assert {"line", "column", "field", "message"} <= set(want) <= KEYS, name
        assert want["message"], name


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_library_raises_the_expected_typed_error(path: Path):
    want = EXPECTED[path.name]
    e = error_of(path)
    assert isinstance(e, UnscSimError) and isinstance(e, ValueError)
    assert e.file == str(path)
    assert (e.line, e.column, e.field) == (want["line"], want["column"], want["field"])
    assert want["message"] in e.message
    if "hint" in want:
        assert e.hint is not None and want["hint"] in e.hint
    else:
        assert e.hint is None
    text = str(e)
    place = ":".join(str(p) for p in (path, e.line, e.column) if p is not None)
    assert text.startswith(f"{place}: {e.field}: " if e.field else f"{place}: ")
    assert text.endswith(f"({e.hint})" if e.hint else e.message)
    assert len(text.splitlines()) == 1


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_cli_run_prints_one_line_and_exits_2(path: Path):
    result = invoke("run", str(path))
    assert result.exit_code == 2, result.output
    assert result.stderr == f"unsc-sim: error: {error_of(path)}\n"
    assert result.stdout == ""
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "name",
    ["06-unknown-top-key.yaml", "13-unknown-member-ivory-coast.yaml", "69-latin1.yaml"],
)
def test_cli_members_prints_the_same_line(name: str):
    path = CORPUS / name
    result = invoke("members", str(path), "--format", "json")
    assert result.exit_code == 2
    assert result.stderr == f"unsc-sim: error: {error_of(path)}\n"
    assert result.stdout == ""


def test_validate_checks_every_file_and_reports_every_error():
    bad = CORPUS / "26-probabilities-sum-over.yaml"
    later = CORPUS / "33-quote-not-found.yaml"
    result = invoke("validate", str(bad), S2018, str(later))
    assert result.exit_code == 2
    assert result.stdout == f"{S2018}: ok (15 members, 4 hypotheticals)\n"
    notes = [n for n in result.stderr.splitlines() if n.startswith("note: ")]
    errors = [n for n in result.stderr.splitlines() if not n.startswith("note: ")]
    assert all(n.startswith(f"note: {S2018}: ") for n in notes)  # aliases in the good file
    assert errors == [f"unsc-sim: error: {error_of(bad)}", f"unsc-sim: error: {error_of(later)}"]
    assert "they sum to 1.1" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "name",
    [
        "01-not-yaml.yaml",
        "15-duplicate-member-alias.yaml",
        "51-python-tag.yaml",
        "70-nul-byte.yaml",
    ],
)
def test_validate_one_bad_file(name: str):
    path = CORPUS / name
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"unsc-sim: error: {error_of(path)}\n"


def test_a_missing_file_is_a_one_line_error(tmp_path: Path):
    path = tmp_path / "nowhere.yaml"
    e = error_of(path)
    assert e.file == str(path) and "cannot read file" in e.message
    result = invoke("run", str(path))
    assert result.exit_code == 2
    assert result.stderr == f"unsc-sim: error: {e}\n"
