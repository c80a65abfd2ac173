"""The JSON Schema of scenarios: shipped as a file, valid, and in agreement with the loader.

Agreement means: every shipped scenario passes both; a file the loader accepts, the schema
accepts (checked on random documents); and on the malformed corpus, the schema rejects
every structural mistake. What only the loader can catch is listed in ``LOADER_ONLY`` with
the reason; what is refused before there is a document at all is in ``NOT_A_DOCUMENT``.
One more the schema cannot see: a NaN probability (``.nan``), since JSON has no NaN.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from unsc_sim import ScenarioError, load, loads, words
from unsc_sim.cli import main
from unsc_sim.record import council_on
from unsc_sim.scenario.blocs import BETWEEN_KEYS, BLOC_KEYS
from unsc_sim.scenario.loader import TOP_KEYS, read_yaml
from unsc_sim.scenario.schema import scenario_schema, schema_json
from unsc_sim.scenario.stances import STANCE_KEYS

from ..conftest import ROOT, SCENARIOS
from ..hostile.common import COUNCIL_2018, FUZZ
from ..hostile.test_hostile_yaml import DOCUMENTS, to_json, to_yaml
from .test_malformed import CORPUS, FILES

SCHEMA_FILE = ROOT / "unsc_sim" / "data" / "scenario.schema.json"
SHIPPED = sorted(SCENARIOS.glob("*.yaml"))
VALIDATOR = Draft202012Validator(scenario_schema(), format_checker=FormatChecker())

# Mistakes the schema cannot see, and why.
LOADER_ONLY = {
    # names: the schema knows no countries, and not who sits in this scenario
    "12-unknown-member.yaml": "whether a name is a country",
    "13-unknown-member-ivory-coast.yaml": "whether a name is a country",
    "37-hypothetical-unknown-country.yaml": "whether a name is a country",
    "43-bloc-unknown-country.yaml": "whether a name is a country",
    "57-president-unknown.yaml": "whether a name is a country",
    "36-hypothetical-non-member.yaml": "whether a country is a member of this scenario",
    "42-bloc-non-member.yaml": "whether a country is a member of this scenario",
    "56-president-non-member.yaml": "whether a country is a member of this scenario",
    "71-president-not-in-rotation.yaml": "the presidency's rotation",
    "73-roster-date-mismatch.yaml": "the roster's year against the date's",
    "41-hypothetical-duplicate-alias.yaml": "two names (aliases) for one country",
    "48-member-in-two-blocs.yaml": "a member in two blocs (the blocs are separate mappings)",
    "76-between-unknown-bloc.yaml": "whether a name is one of the scenario's blocs",
    "77-between-not-a-correlation-matrix.yaml": "that the correlations form a correlation matrix",
    "81-between-pair-repeated.yaml": "two entries for one pair of blocs (in either order)",
    # arithmetic and evidence
    "26-probabilities-sum-over.yaml": "that probabilities sum to 1",
    "27-probabilities-sum-under.yaml": "that probabilities sum to 1",
    "33-quote-not-found.yaml": "that a quote occurs in its source file",
    "34-source-missing.yaml": "that a source file exists",
    "63-source-absolute.yaml": "source paths leaving the scenario's tree (URLs are fine)",
    "64-source-parent.yaml": "source paths leaving the scenario's tree (URLs are fine)",
}
# Refused while reading the YAML: there is no document for the schema to look at.
NOT_A_DOCUMENT = {
    "01-not-yaml.yaml": "syntax",
    "02-tab-indent.yaml": "syntax",
    "14-duplicate-member.yaml": "duplicate key",
    "53-duplicate-top-key.yaml": "duplicate key",
    "51-python-tag.yaml": "tag",
    "52-alias.yaml": "alias",
    "62-merge-key.yaml": "merge key",
    "67-too-deep.yaml": "nesting depth",
    "69-latin1.yaml": "encoding",
    "70-nul-byte.yaml": "control character",
}
# Everything else is structural and the schema rejects it too. Two notes: 15 and 16 (two
# names for one country among the members) fail the schema only by the member count; the
# schema cannot tell that the names are one country (compare 41).
SCHEMA_REJECTS = sorted({p.name for p in FILES} - set(LOADER_ONLY) - set(NOT_A_DOCUMENT))


def plain(value: Any) -> Any:
    """ruamel's round-trip values as the JSON an editor would validate (keys as text)."""
    if hasattr(value, "items"):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


def instance(text: str | bytes) -> Any:
    return plain(read_yaml(text))


def schema_errors(document: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(document)]


# --- the schema itself -------------------------------------------------------------------


def test_the_shipped_file_is_the_schema():
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    assert json.loads(text) == scenario_schema()
    assert text == schema_json()


def test_the_schema_is_valid_draft_2020_12():
    schema = scenario_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def _properties(node: Any, path: str = "#", conditional: bool = False):
    """Every (path, subschema) named under "properties" or "$defs", outside if/then/else
    (those only add constraints to properties described elsewhere)."""
    if isinstance(node, dict):
        for key, value in node.items():
            inner = conditional or key in ("if", "then", "else")
            if key in ("properties", "$defs") and not inner:
                for name, sub in value.items():
                    yield f"{path}/{key}/{name}", sub
            yield from _properties(value, f"{path}/{key}", inner)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _properties(value, f"{path}/{i}", conditional)


def test_every_property_has_a_description():
    found = dict(_properties(scenario_schema()))
    assert len(found) > 20
    missing = [path for path, sub in found.items() if not sub.get("description")]
    assert missing == []


def test_the_schema_names_exactly_the_keys_the_loader_knows():
    schema = scenario_schema()
    assert sorted(schema["properties"]) == sorted(TOP_KEYS)
    assert sorted(schema["$defs"]["evidence"]["properties"]) == sorted(STANCE_KEYS)
    assert sorted(schema["$defs"]["bloc"]["properties"]) == sorted(BLOC_KEYS)
    assert sorted(schema["$defs"]["between"]["properties"]) == sorted(BETWEEN_KEYS)
    assert schema["$defs"]["between"]["additionalProperties"] is False
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["evidence"]["additionalProperties"] is False
    assert schema["$defs"]["bloc"]["additionalProperties"] is False
    assert schema["$defs"]["probabilities"]["additionalProperties"] is False


def test_cli_schema_prints_the_schema():
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == scenario_schema()


# --- shipped scenarios -------------------------------------------------------------------


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_scenarios_pass_the_schema_and_point_editors_at_it(path: Path):
    load(path)
    assert schema_errors(instance(path.read_bytes())) == []
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, first
    assert (path.parent / match.group(1)).resolve() == SCHEMA_FILE.resolve()


# --- the malformed corpus ----------------------------------------------------------------


def test_the_corpus_is_fully_classified():
    names = {p.name for p in FILES}
    assert set(LOADER_ONLY) <= names and set(NOT_A_DOCUMENT) <= names
    assert not set(LOADER_ONLY) & set(NOT_A_DOCUMENT)
    assert len(SCHEMA_REJECTS) >= 30


@pytest.mark.parametrize("name", SCHEMA_REJECTS)
def test_the_schema_rejects_structural_mistakes(name: str):
    assert schema_errors(instance((CORPUS / name).read_bytes())) != []


@pytest.mark.parametrize("name", sorted(LOADER_ONLY))
def test_mistakes_only_the_loader_catches(name: str):
    """The schema passes these (so the list above is accurate); the loader refuses them."""
    assert schema_errors(instance((CORPUS / name).read_bytes())) == []
    with pytest.raises(ScenarioError):
        load(CORPUS / name)


@pytest.mark.parametrize("name", sorted(NOT_A_DOCUMENT))
def test_mistakes_refused_before_there_is_a_document(name: str):
    with pytest.raises(ScenarioError):
        instance((CORPUS / name).read_bytes())


# --- agreement on random documents -------------------------------------------------------


@FUZZ
@given(document=DOCUMENTS, serialize=st.sampled_from([to_yaml, to_json]))
def test_what_the_loader_accepts_the_schema_accepts(document: Any, serialize: Any):
    text = serialize(document)
    try:
        loads(text, base=ROOT)
    except ScenarioError:
        return
    assert schema_errors(instance(text)) == []


@pytest.mark.parametrize(
    ("stance", "accepted"),
    [
        ("YES", True),  # the loader reads vote words in any case
        ("' abstain '", True),
        ("{yes: 1}", True),
        ("{vote: yes, quote: x, source: S/PV.8209}", True),  # symbols are cited, not read
        ("{vote: {no: 0.25, absent: 0.75}, basis: recorded, party_to_dispute: false}", True),
        ("{vote: yes, basis: assumption, note: ~}", False),
        ("{vote: yes, quote: x, source: ~}", False),
        ("{yes: 0.5, no: 0.5, vote: yes}", False),
        ("In  Favour", True),  # vote words as reports write them
        ("' abstention '", True),
        ("{in favour: 70%, abstention: 30%}", True),  # percentages
        ("{vote: {against: '100 %'}, basis: recorded}", True),
        ("{yes: 0.333, no: 0.333, abstain: 0.333}", True),  # rounded: rescaled, with a note
        ("{yes: 120%}", False),
        ("{yes: 70 percent, no: 30%}", False),
        ("{Yes: 1}", False),  # keys are lower case
        ("{}", False),
        ("~", False),
        ("{vote: yes, persuadable: false}", True),
        ("{vote: no, persuadable: 0.25}", True),
        ("{vote: no, persuadable: 1.5}", False),
        ("{vote: no, persuadable: maybe}", False),
    ],
)
def test_loader_and_schema_agree_on_edge_cases(stance: str, accepted: bool):
    members = "".join(f"  {name}: abstain\n" for name in COUNCIL_2018 if name != "France")
    text = f"title: t\ndate: 2018-12-10\nmembers:\n{members}  France: {stance}\n"
    assert (schema_errors(instance(text)) == []) is accepted
    if accepted:
        assert loads(text, base=ROOT).member("France")
    else:
        with pytest.raises(ScenarioError):
            loads(text, base=ROOT)


def _vote_like(draw: st.DrawFn) -> str:
    """A vote word or synonym in random case and spacing, sometimes mangled."""
    word = draw(st.sampled_from(sorted(words.WORDS)))
    word = "".join(c.upper() if draw(st.booleans()) else c for c in word)
    word = word.replace(" ", draw(st.sampled_from([" ", "  ", "\t", "", "-"])))
    return draw(st.sampled_from(["", " "])) + word + draw(st.sampled_from(["", "", " ", "s"]))


VOTE_LIKE = st.composite(_vote_like)()
HALF = ["50%", " 50 %", "050%", "50.%", "50.000%", ".5%", "0.5", "5e1%", "50%%", "%50"]
PERCENT_LIKE = st.one_of(st.sampled_from(HALF), st.text(alphabet="0123456789.% ", max_size=7))


@FUZZ
@given(
    vote=VOTE_LIKE,
    key=st.one_of(VOTE_LIKE, st.sampled_from(sorted(words.WORDS))),
    share=st.one_of(PERCENT_LIKE, st.sampled_from([0.5, 1, 0])),
)
def test_loader_and_schema_agree_on_vote_words_and_percentages(vote: str, key: str, share: Any):
    """Whatever the loader accepts among vote words and percentages, the schema accepts."""
    members = {name: "abstain" for name in COUNCIL_2018}
    members |= {"France": vote, "Peru": {key: share, "absent": 0.5}}
    text = json.dumps({"title": "t", "date": "2018-12-10", "members": members})
    try:
        loads(text, base=ROOT)
    except ScenarioError:
        return
    assert schema_errors(instance(text)) == []


def council(year: int) -> list[str]:
    return [t.country.name for t in council_on(dt.date(year, 6, 1))]


@pytest.mark.parametrize(
    ("head", "names", "accepted"),
    [
        ("date: 2018-12-10", council(2018), True),
        ("date: 2018-12-10", council(2018)[:14], False),
        ("date: 2018-12-10\ndefault: abstain", council(2018)[:3], True),
        ("date: 1960-06-01", council(1960), True),
        ("roster: 1950", council(1950), True),
        ("roster: 1950", council(2018), False),
        ("date: 1960-06-01\ndefault: record", council(1960)[:2], True),
        ("roster: 1950\ndefault: record", [*council(1950), "Germany"], False),
    ],
)
def test_loader_and_schema_agree_on_the_council_size(head: str, names: list[str], accepted: bool):
    members = "".join(f"  {name}: abstain\n" for name in names)
    text = f"title: t\n{head}\nmembers:\n{members}"
    assert (schema_errors(instance(text)) == []) is accepted
    if accepted:
        loads(text, base=ROOT)
    else:
        with pytest.raises(ScenarioError):
            loads(text, base=ROOT)


@pytest.mark.parametrize(
    ("extra", "accepted"),
    [
        ("topic: dprk\nvote_held: false\n", True),
        ("topic: ' Syria '\n", True),
        ("topic: north korea\n", False),
        ("topic: 7\n", False),
        ("vote_held: sometimes\n", False),
    ],
)
def test_loader_and_schema_agree_on_topic_and_vote_held(extra: str, accepted: bool):
    members = "".join(f"  {name}: abstain\n" for name in COUNCIL_2018)
    text = f"title: t\ndate: 2018-12-10\nmembers:\n{members}{extra}"
    assert (schema_errors(instance(text)) == []) is accepted
    if accepted:
        loads(text, base=ROOT)
    else:
        with pytest.raises(ScenarioError):
            loads(text, base=ROOT)
