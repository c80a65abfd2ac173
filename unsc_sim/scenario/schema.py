"""A JSON Schema (draft 2020-12) of the scenario format, for editors and other tools.

The schema describes what ``scenario.loads`` accepts, with a description on every
property so that editors (yaml-language-server and the like) show help and complete
values. It checks the shape of a file: keys, types, vote words, ranges, the size of the
Council for the date. What needs the loader itself is left to it: whether a name is a
country and a member (and on the Council that day, and president that month), whether
aliases repeat a member, whether probabilities sum to 1, whether a quote occurs in its
source file, and the YAML-level refusals (tags, aliases, merge keys, duplicate keys, size,
encoding, depth).

``unsc_sim/data/scenario.schema.json`` holds the same schema; the tests keep the two equal.
"""

from __future__ import annotations

from typing import Any

from .. import words
from ..model import ENLARGEMENT, Basis, RuleKind, Vote
from ..record.council import FIRST_YEAR, LAST_YEAR

_VOTES = [v.value for v in Vote]


def _any_case(word: str) -> str:
    """A pattern for a word in any case, its spaces any run of white space."""
    return "".join(
        r"\s+" if c == " " else f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in word
    )


# The loader reads a vote word (or one of its synonyms, "in favour") in any case and ignores
# surrounding spaces; editors complete the canonical lower-case words from the enum, and the
# pattern accepts the rest.
_ANY_CASE_VOTE = rf"^\s*(?:{'|'.join(_any_case(w) for w in words.WORDS)})\s*$"
# A percentage from 0% to 100% ("70%", "33.3 %"), as the loader reads it.
_PERCENT = r"^\s*0*(?:100(?:\.0*)?|[0-9]{1,2}(?:\.[0-9]*)?|\.[0-9]+)\s*%\s*$"
# Any name the loader might resolve contains a Latin letter ("U.S.", "Côte d'Ivoire").
_NAME = {"type": "string", "pattern": "[A-Za-z]"}
# Dates before the enlargement (1 January 1966): years 0001-1965.
_BEFORE_ENLARGEMENT = r"^(?:0[0-9]{3}|1[0-8][0-9]{2}|19[0-5][0-9]|196[0-5])-"


def _vote() -> dict[str, Any]:
    return {
        "description": (
            "A sure vote: yes, no, abstain or absent (also in favour, against, abstention)."
        ),
        "anyOf": [
            {"type": "string", "enum": _VOTES},
            {"type": "string", "pattern": _ANY_CASE_VOTE},
        ],
    }


def _probabilities() -> dict[str, Any]:
    return {
        "type": "object",
        "description": (
            "An uncertain vote: the probability of each outcome, each in 0..1 or a "
            "percentage, summing to 1 (outcomes left out have probability 0), e.g. "
            "{yes: 0.7, abstain: 0.3} or {in favour: 70%, abstention: 30%}. Values printed "
            "to three decimals (0.333 x 3) are rescaled to sum to 1, with a note."
        ),
        "properties": {
            word: {
                "anyOf": [
                    {"type": "number", "minimum": 0, "maximum": 1},
                    {"type": "string", "pattern": _PERCENT},
                ],
                "description": (
                    f"Probability that the member votes {vote!r}, 0..1 or a percentage"
                    + ("." if word == vote else f" ({word!r} is read as {vote!r}).")
                ),
            }
            for word, vote in words.WORDS.items()
        },
        "additionalProperties": False,
        "minProperties": 1,
    }


def _evidence() -> dict[str, Any]:
    bases = [b.value for b in Basis]
    return {
        "type": "object",
        "description": "A stance with its evidence: the vote and where it comes from.",
        "properties": {
            "vote": {
                "description": "The vote: a vote word or a mapping of probabilities.",
                "anyOf": [{"$ref": "#/$defs/vote"}, {"$ref": "#/$defs/probabilities"}],
            },
            "basis": {
                "type": "string",
                "enum": bases,
                "description": (
                    "Where the stance comes from: reported (a news report; with source and "
                    "quote), recorded (a meeting record such as S/PV.8209), inferred "
                    "(reasoned from other evidence; needs a note), assumption (the "
                    "scenario's own; needs a note) or prior (from the member's earlier "
                    "recorded votes, as `unsc-sim new` writes it; the note names them). "
                    "Default: reported when there is a quote."
                ),
            },
            "source": {
                "type": ["string", "null"],
                "description": (
                    "A file relative to the scenario's folder (looked up there and in each "
                    "parent folder, e.g. seeds/000_0963a4101a18558c.txt; no absolute path, "
                    "no '..'), a URL, or a UN document symbol such as S/PV.8209."
                ),
            },
            "quote": {
                "type": ["string", "null"],
                "description": (
                    "Words that must occur verbatim in the source file (whitespace, curly "
                    "quotes and dashes are matched loosely); needs a source."
                ),
            },
            "note": {
                "type": ["string", "null"],
                "description": "Why: required when the basis is inferred, assumption or prior.",
            },
            "party_to_dispute": {
                "type": "boolean",
                "description": (
                    "true if the member is a party to the dispute: under Art. 27(3) it "
                    "abstains in a substantive decision under Chapter VI."
                ),
            },
            "persuadable": {
                "anyOf": [{"type": "boolean"}, {"type": "number", "minimum": 0, "maximum": 1}],
                "description": (
                    "Under members only: how readily the member moves, for `unsc-sim whatif`. "
                    "false (or 0): it will not; true (1, the default); a number in between "
                    "divides how far it must move by that much (0.5: twice as hard)."
                ),
            },
        },
        "required": ["vote"],
        "additionalProperties": False,
        "allOf": [
            {
                "if": {
                    "properties": {"basis": {"enum": ["inferred", "assumption", "prior"]}},
                    "required": ["basis"],
                },
                "then": {"properties": {"note": {"type": "string"}}, "required": ["note"]},
            },
            {
                "if": {"properties": {"quote": {"type": "string"}}, "required": ["quote"]},
                "then": {"properties": {"source": {"type": "string"}}, "required": ["source"]},
            },
        ],
    }


def _stance() -> dict[str, Any]:
    return {
        "description": (
            "A member's stance: a vote word (yes | no | abstain | absent), a mapping of "
            "probabilities, or a mapping with vote, basis, source, quote, note and "
            "party_to_dispute."
        ),
        "anyOf": [
            {"$ref": "#/$defs/vote"},
            {"$ref": "#/$defs/probabilities"},
            {"$ref": "#/$defs/evidence"},
        ],
    }


def _members_count(key: str, small: int, large: int) -> dict[str, Any]:
    """members' minProperties or maxProperties: 11 before the enlargement, else 15."""
    return {
        "if": {
            "anyOf": [
                {
                    "required": ["date"],
                    "properties": {"date": {"type": "string", "pattern": _BEFORE_ENLARGEMENT}},
                },
                {
                    "not": {"required": ["date"]},
                    "required": ["roster"],
                    "properties": {"roster": {"type": "integer", "maximum": ENLARGEMENT.year - 1}},
                },
            ],
        },
        "then": {"properties": {"members": {key: small}}},
        "else": {"properties": {"members": {key: large}}},
    }


def _side(description: str) -> dict[str, Any]:
    return {
        "type": ["array", "null"],
        "items": _NAME,
        "uniqueItems": True,
        "description": description + " Members of the scenario, by any common name.",
    }


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file, as a JSON-ready dict."""
    rules = [k.value for k in RuleKind]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "unsc-sim scenario",
        "description": (
            "A UN Security Council vote to simulate: the members and their stances, the "
            "voting rule (Article 27 of the Charter) and named hypotheticals."
        ),
        "type": "object",
        "properties": {
            "title": {
                "type": "string",
                "pattern": r"\S",
                "description": "What the vote is about; shown above every result.",
            },
            "date": {
                "type": ["string", "null"],
                "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                "format": "date",
                "description": (
                    "The day of the vote, YYYY-MM-DD. It sets the Council's size: 11 members "
                    f"before {ENLARGEMENT.isoformat()}, 15 from then on (and without a date)."
                ),
            },
            "rule": {
                "type": "string",
                "enum": rules,
                "default": RuleKind.PROCEDURAL.value,
                "description": (
                    "procedural: Art. 27(2), nine affirmative votes of fifteen, no veto. "
                    "substantive: Art. 27(3), nine votes including the concurring votes of "
                    "the permanent members (a permanent member's 'no' is a veto)."
                ),
            },
            "president": {
                "anyOf": [_NAME, {"type": "null"}],
                "description": (
                    "The member holding the presidency that month (any common name); with a "
                    "date in the record it must match the rotation, and defaults to it."
                ),
            },
            "chapter": {
                "description": (
                    "VI or VII: the Charter chapter of the decision. Under Chapter VI a party "
                    "to the dispute abstains in a substantive vote (Art. 27(3))."
                ),
                "anyOf": [
                    {"type": "string", "enum": ["VI", "VII"]},
                    {"type": "string", "pattern": r"^\s*[Vv][Iiı][Iiı]?\s*$"},
                ],
            },
            "description": {
                "type": ["string", "null"],
                "description": "Background: what happened and where each stance comes from.",
            },
            "members": {
                "type": "object",
                "description": (
                    "The Council's members on the date (15; 11 before 1966), by any common "
                    "name (Ivory Coast, Russia, UK...), each with its stance; with default, "
                    "only those whose stance differs."
                ),
                "propertyNames": _NAME,
                "additionalProperties": {"$ref": "#/$defs/stance"},
            },
            "hypotheticals": {
                "type": ["object", "null"],
                "description": (
                    "Named what-ifs: each changes some members' stances; 'baseline' is the "
                    "scenario itself and cannot be redefined."
                ),
                "propertyNames": {"not": {"const": "baseline"}},
                "additionalProperties": {"$ref": "#/$defs/hypothetical"},
            },
            "blocs": {
                "type": ["object", "null"],
                "description": (
                    "Members whose votes move together (a Gaussian copula with one factor "
                    "per bloc); a member may be in one bloc only."
                ),
                "additionalProperties": {"$ref": "#/$defs/bloc"},
            },
            "between": {
                "type": ["array", "null"],
                "description": (
                    "Correlations between blocs' factors, e.g. [{blocs: [western, eastern], "
                    "correlation: -0.5}]: negative when they move apart. Together they must "
                    "form a correlation matrix (positive semi-definite)."
                ),
                "items": {"$ref": "#/$defs/between"},
            },
            "topic": {
                "type": "string",
                "pattern": r"^\s*[A-Za-z][A-Za-z0-9-]{0,39}\s*$",
                "description": (
                    "The agenda topic as the record names it (dprk, syria, ukraine...; see "
                    "`unsc-sim history`): `unsc-sim plot --kind history` draws its recorded "
                    "votes."
                ),
            },
            "vote_held": {
                "type": "boolean",
                "description": (
                    "false when no vote was taken and the file describes what was reported; "
                    "figures of the record then label it 'no vote held'."
                ),
            },
            "reported": {
                "description": (
                    "What the reports say about the tally, as evidence: the baseline is the "
                    "stances' distribution of the votes given every report. A report counts "
                    "any of yes, no, abstain, absent (a whole number, or {min, max}) and "
                    "cites its source (and quote, checked like a stance's). Several: a list."
                ),
                "anyOf": [
                    {"$ref": "#/$defs/report"},
                    {"type": "array", "items": {"$ref": "#/$defs/report"}, "minItems": 1},
                ],
            },
            "roster": {
                "type": "integer",
                "minimum": FIRST_YEAR,
                "maximum": LAST_YEAR,
                "description": (
                    f"A year ({FIRST_YEAR}-{LAST_YEAR}) whose Council (on 1 January) the "
                    "members must match when there is no date; with a date, its year."
                ),
            },
            "sources": {
                "type": ["array", "null"],
                "items": {"type": "string", "minLength": 1},
                "description": (
                    "What the file as a whole cites (document symbols, URLs, reports), cited "
                    "and not read; each member's own source is checked against its quote."
                ),
            },
            "proposed_by": _side(
                "The members that requested the meeting or proposed the item or motion; "
                "`default: record` reads each member's earlier votes with or against them."
            ),
            "opposed_by": _side(
                "The members that objected to the motion or called the vote; `default: "
                "record` reads each member's earlier votes with or against them."
            ),
            "default": {
                "description": (
                    "The stance of every member of that day's Council the file leaves out: "
                    "a stance, or record (a prior from the member's earlier recorded votes, "
                    "relative to proposed_by and opposed_by; with no blocs declared, the "
                    "members it fills form one bloc at the backtested correlation). With a "
                    "default, members may be empty ({})."
                ),
                "anyOf": [
                    {"const": "record", "description": "A prior from the member's past votes."},
                    {"$ref": "#/$defs/stance"},
                ],
            },
        },
        "required": ["title", "members"],
        "additionalProperties": False,
        "allOf": [
            # At most the Council's size; exactly that without a default to fill the rest.
            _members_count("maxProperties", 11, 15),
            {"if": {"required": ["default"]}, "else": _members_count("minProperties", 11, 15)},
        ],
        "$defs": {
            "vote": _vote(),
            "probabilities": _probabilities(),
            "evidence": _evidence(),
            "stance": _stance(),
            "report": {
                "type": "object",
                "description": "One report of the tally: counts, source and quote.",
                "properties": {
                    **{
                        v.value: {
                            "description": f"How many members voted {v.value}.",
                            "anyOf": [
                                {"type": "integer", "minimum": 0},
                                {
                                    "type": "object",
                                    "properties": {
                                        "min": {
                                            "type": "integer",
                                            "minimum": 0,
                                            "description": "At least this many.",
                                        },
                                        "max": {
                                            "type": "integer",
                                            "minimum": 0,
                                            "description": "At most this many.",
                                        },
                                    },
                                    "additionalProperties": False,
                                    "minProperties": 1,
                                },
                            ],
                        }
                        for v in Vote
                    },
                    "source": {
                        "type": "string",
                        "description": "A file, a URL or a UN document symbol, as for stances.",
                    },
                    "quote": {
                        "type": "string",
                        "description": "Words that must occur verbatim in the source file.",
                    },
                },
                "required": ["source"],
                "anyOf": [{"required": [v.value]} for v in Vote],
                "additionalProperties": False,
            },
            "hypothetical": {
                "type": "object",
                "description": "Members (by any common name) and their stances in this what-if.",
                "properties": {
                    "description": {
                        "type": ["string", "null"],
                        "description": "What this hypothetical supposes.",
                    },
                },
                "propertyNames": _NAME,
                "additionalProperties": {"$ref": "#/$defs/stance"},
                "minProperties": 1,
            },
            "bloc": {
                "type": "object",
                "description": "Members whose votes are correlated.",
                "properties": {
                    "members": {
                        "type": "array",
                        "items": _NAME,
                        "minItems": 1,
                        "uniqueItems": True,
                        "description": (
                            "Members of the scenario (one alone changes nothing unless it is "
                            "correlated with another bloc under between)."
                        ),
                    },
                    "correlation": {
                        "type": "number",
                        "minimum": 0,
                        "maximum": 1,
                        "description": (
                            "How strongly their votes move together, 0..1 (1: as one)."
                        ),
                    },
                },
                "required": ["members", "correlation"],
                "additionalProperties": False,
            },
            "between": {
                "type": "object",
                "description": "The correlation of two blocs' factors.",
                "properties": {
                    "blocs": {
                        "type": "array",
                        "items": {"type": "string"},
                        "minItems": 2,
                        "maxItems": 2,
                        "uniqueItems": True,
                        "description": "The names of two different blocs.",
                    },
                    "correlation": {
                        "type": "number",
                        "minimum": -1,
                        "maximum": 1,
                        "description": "-1..1: negative when the two blocs move apart.",
                    },
                },
                "required": ["blocs", "correlation"],
                "additionalProperties": False,
            },
        },
    }


def schema_json() -> str:
    """The schema as the text of ``data/scenario.schema.json`` (and of ``unsc-sim schema``)."""
    import json

    return json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"
