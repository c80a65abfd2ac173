"""Votes and probabilities as people write them: "in favour", "abstention", "70%", 0.333 x 3.

One reading for scenario files, ``--set`` and library calls. Errors are
``InvalidValueError`` with a hint ("did you mean 'abstain'?"); ``key`` names the mapping key
that is wrong, so the scenario loader can point at it.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping
from numbers import Real
from typing import Any

from .errors import InvalidValueError

VOTES = ("yes", "no", "abstain", "absent")  # the order of every probability array
# What meeting records and reports write for a vote (compare S/PV records: "In favour",
# "Against", "Abstaining"), in lower case with single spaces.
SYNONYMS = {
    "in favour": "yes",
    "in favor": "yes",
    "for": "yes",
    "against": "no",
    "abstention": "abstain",
    "abstained": "abstain",
}
WORDS = {**{v: v for v in VOTES}, **SYNONYMS}
TOLERANCE = 1e-9  # a sum this close to 1 is 1
# Probabilities printed to three decimals (0.333 x 3 = 0.999) are accepted and rescaled.
ROUNDING = 1e-3
PERCENT = re.compile(r"\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*%\s*")


def vote(text: Any) -> str:
    """The vote a word means: ``"In favour"`` -> ``"yes"``; any case, spacing ignored."""
    if hasattr(text, "value") and text.value in VOTES:  # a Vote
        return str(text.value)
    if not isinstance(text, str):
        raise InvalidValueError(f"a vote is one of {', '.join(VOTES)}, not {text!r}")
    word = " ".join(text.lower().split())
    if word in WORDS:
        return WORDS[word]
    raise InvalidValueError(f"{text[:40]!r} is not one of {', '.join(VOTES)}", hint=suggest(word))


def suggest(word: str) -> str | None:
    """A "did you mean" naming the vote closest to a misspelt word, through its synonyms too
    (so "abstension" suggests abstain, as "abstention" is one of its words, never absent)."""
    close = difflib.get_close_matches(str(word).strip().lower(), list(WORDS), n=1)
    return f"did you mean {WORDS[close[0]]!r}?" if close else None


def probability(value: Any) -> float:
    """A probability from a number in 0..1 or a percentage such as ``"70%"``."""
    if isinstance(value, str):
        match = PERCENT.fullmatch(value)
        if not match:
            raise InvalidValueError(f"probability must be a number, not {value[:40]!r}")
        p = float(match.group(1)) / 100
        if not p <= 1.0:
            raise InvalidValueError(f"probability {value.strip()} is outside 0..100%")
        return p
    if isinstance(value, bool) or not isinstance(value, Real):
        raise InvalidValueError(f"probability must be a number, not {str(value)[:40]!r}")
    if not 0.0 <= value <= 1.0:  # also refuses NaN
        raise InvalidValueError(f"probability {value} is outside 0..1")
    return float(value)


def probabilities(mapping: Mapping[Any, Any]) -> tuple[tuple[float, float, float, float], str]:
    """(yes, no, abstain, absent) from a mapping of vote words to probabilities, and a note
    ('' unless the values were rescaled).

    Omitted votes get 0. Values must sum to 1; a sum within ``ROUNDING`` of 1 is read as
    rounded printing and rescaled to 1, and the note says so.

    >>> probabilities({"in favour": "70%", "abstention": 0.3})
    ((0.7, 0.0, 0.3, 0.0), '')
    >>> probabilities({"yes": 0.333, "no": 0.333, "abstain": 0.333})[1]
    'probabilities sum to 0.999: read as rounded and rescaled to sum to 1'
    """
    if not isinstance(mapping, Mapping) or not mapping:
        raise InvalidValueError(
            f"a vote is one of {', '.join(VOTES)} or a mapping of probabilities, not {mapping!r}"
        )
    found: dict[str, float] = {}
    written: dict[str, Any] = {}
    for key, value in mapping.items():
        if hasattr(key, "value") and key.value in VOTES:
            key = key.value  # a Vote
        if not isinstance(key, str) or key not in WORDS:
            raise InvalidValueError(
                f"{str(key)[:40]!r} is not one of {', '.join(VOTES)}",
                hint=suggest(str(key)),
                key=key,
                at_key=True,
            )
        word = WORDS[key]
        if word in found:
            raise InvalidValueError(
                f"{key!r} is {word!r}, already given as {written[word]!r}", key=key, at_key=True
            )
        try:
            found[word] = probability(value)
        except InvalidValueError as e:
            raise InvalidValueError(e.message, key=key) from None
        written[word] = key
    total = math.fsum(found.values())
    probs = tuple(found.get(v, 0.0) for v in VOTES)
    if abs(total - 1.0) <= TOLERANCE:
        return probs, ""  # type: ignore[return-value]
    if abs(total - 1.0) <= ROUNDING + 1e-12:
        note = f"probabilities sum to {total:.10g}: read as rounded and rescaled to sum to 1"
        return tuple(p / total for p in probs), note  # type: ignore[return-value]
    raise InvalidValueError("probabilities must sum to 1", hint=f"they sum to {total:.10g}")
