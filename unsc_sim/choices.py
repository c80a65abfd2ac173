"""The fixed choices of the domain: votes (in the column order of every probability array, and
the step scale between them), the two rules of Article 27, and where a stance comes from."""

from __future__ import annotations

import difflib
from enum import Enum

from . import words
from .errors import InvalidValueError


class Choice(str, Enum):
    """A fixed choice; a value that is none of them gets an error naming it and the choices."""

    @classmethod
    def _missing_(cls, value: object) -> Choice:
        choices = [m.value for m in cls]
        if isinstance(value, str) and value.strip().lower() in choices:  # "Substantive"
            return cls(value.strip().lower())
        close = difflib.get_close_matches(str(value).strip().lower(), choices, n=1)
        raise InvalidValueError(
            f"{value!r} is not one of {', '.join(choices)}",
            hint=f"did you mean {close[0]!r}?" if close else None,
        )


class Vote(str, Enum):
    """How a member votes. The order is the column order of every probability array.

    ``Vote("in favour")`` is ``Vote.YES``: the words of ``words.SYNONYMS`` are read too.
    """

    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"
    ABSENT = "absent"

    @classmethod
    def _missing_(cls, value: object) -> Vote:
        return cls(words.vote(value))


VOTES: tuple[Vote, ...] = tuple(Vote)
# How far apart the votes are: an abstention (or absence) sits between yes and no. Pivots
# name the nearest switch by it and ``what_it_takes`` counts effort in these steps. The
# explorer's twin is ``STEP`` in data/explorer.html.
STEP = {Vote.YES: 0, Vote.ABSTAIN: 1, Vote.ABSENT: 1, Vote.NO: 2}


class RuleKind(Choice):
    """Article 27(2) (procedural) or 27(3) (substantive, with the permanent members' veto)."""

    PROCEDURAL = "procedural"
    SUBSTANTIVE = "substantive"


class Basis(Choice):
    """Where a stance comes from."""

    REPORTED = "reported"  # a news report says so (seed file + quote)
    RECORDED = "recorded"  # the meeting record says so (S/PV symbol or UN press release)
    INFERRED = "inferred"  # reasoned from other evidence (note says how)
    ASSUMPTION = "assumption"  # the scenario's author assumes it (note says why)
    PRIOR = "prior"  # a prior from the member's earlier recorded votes (note names them)
