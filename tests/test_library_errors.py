"""The library forgives like the CLI, and refuses a caller's mistakes with typed, named errors.

Forgiving: members by any common name ("Ivory Coast", "the US"), stances as vote words or
mappings wherever a ``Stance`` is taken. Refusing: every wrong call below raises an
``UnscSimError`` that is also the matching built-in, with a message naming the bad value;
never a bare KeyError or AttributeError, a numpy warning, or a silent wrong number.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

import unsc_sim
from unsc_sim import (
    Bloc,
    Hypothetical,
    Member,
    Rule,
    RuleKind,
    Scenario,
    Stance,
    UnscSimError,
    Vote,
    countries,
    simulate,
    sweep,
)
from unsc_sim import charter as rules
from unsc_sim import record as history
from unsc_sim.analysis import power, swing, what_it_takes
from unsc_sim.engine.simulation import run
from unsc_sim.errors import UnknownHypotheticalError, UnknownMemberError
from unsc_sim.model import Between

from .conftest import SCENARIOS
from .helpers import NAMES

# The reports' sure eight (Kazakhstan as on Syria): sure outcomes for exact checks.
S2018 = unsc_sim.load(SCENARIOS / "2018-12-dprk-human-rights.yaml").variant(
    "kazakhstan-as-on-syria"
)
SURE = Stance.sure("abstain")


def members(n: int = 15) -> tuple[Member, ...]:
    return tuple(Member(name, SURE, permanent=i < 5) for i, name in enumerate(NAMES[:n]))


# --- forgiving: names and vote words where a Stance or a member is taken -----------------


def test_changes_take_aliases_and_vote_words():
    by_alias = simulate(S2018, changes={"Ivory Coast": "yes"})
    by_name = simulate(S2018, changes={"Côte d'Ivoire": Stance.sure(Vote.YES)})
    assert by_alias.p_adopted == by_name.p_adopted == 1.0
    assert (
        simulate(S2018, changes={"the U.S.": "against", "Ivory Coast": "in favour"}).p_adopted == 0
    )


def test_changes_take_probability_mappings():
    r = simulate(S2018, "ivory-coast-yes", changes={"Kuwait": {"yes": 0.7, "abstain": 0.3}})
    assert r.p_adopted == pytest.approx(0.7, abs=1e-12)
    pct = simulate(
        S2018, "ivory-coast-yes", changes={"Kuwait": {"for": "70%", "abstention": "30%"}}
    )
    assert pct.p_adopted == pytest.approx(0.7, abs=1e-12)


def test_sweep_and_lookups_take_aliases():
    swept = sweep(S2018, ["Ivory Coast"], steps=3)
    assert swept.members == ("Côte d'Ivoire",)
    assert swept.p_adopted.tolist() == [0.0, 0.5, 1.0]
    assert S2018.member("the UK").name == "United Kingdom"
    assert S2018.resolve("the Russian Federation") == "Russian Federation"


def test_stance_of_reads_words_mappings_and_stances():
    assert Stance.of("yes") == Stance.sure("yes") == Stance(yes=1.0)
    assert Stance.of("Abstention").vote is Vote.ABSTAIN
    assert Stance.of({"in favor": 0.25, "against": 0.75}).probabilities == (0.25, 0.75, 0, 0)
    assert Stance.of(SURE) is SURE
    assert Stance.of(SURE, note="n").note == "n"
    thirds = Stance.of({"yes": 0.333, "no": 0.333, "abstain": 0.333})
    assert thirds.probabilities == pytest.approx((1 / 3, 1 / 3, 1 / 3, 0))
    assert math.fsum(thirds.probabilities) == pytest.approx(1.0, abs=1e-15)


def test_objects_built_by_hand_take_aliases_and_store_member_names():
    h = Hypothetical("h", {"Ivory Coast": "yes", "the US": {"no": 1}})
    bloc = Bloc("b", ["Peru", "the Netherlands"], 0.5)
    s = Scenario("t", Rule(), members(), hypotheticals=(h,), president="the U.S.", blocs=(bloc,))
    assert s.hypothetical("h").changes == (
        ("Côte d'Ivoire", Stance.sure("yes")),
        ("United States", Stance.sure("no")),
    )
    assert s.president == "United States"
    assert s.blocs[0].members == ("Peru", "Netherlands")
    assert Member("France", "yes").stance.vote is Vote.YES
    assert Rule("substantive").kind is RuleKind.SUBSTANTIVE


# --- refusing: a broad table of wrong calls ----------------------------------------------

S = S2018


def _with(**fields: Any) -> Callable[[], Any]:
    return lambda: replace(S, **fields)


WRONG: list[tuple[str, Callable[[], Any], type[Exception], str]] = [
    # unknown names
    ("member not a country", lambda: S.member("Atlantis"), KeyError, "'Atlantis'"),
    ("member not seated", lambda: S.member("Germany"), KeyError, "'Germany'"),
    ("changes: not seated", lambda: simulate(S, changes={"Germany": "yes"}), KeyError, "Germany"),
    (
        "changes: not a country",
        lambda: simulate(S, changes={"Atlantis": "yes"}),
        KeyError,
        "Atlantis",
    ),
    ("unknown hypothetical", lambda: simulate(S, "nope"), KeyError, "'nope'"),
    ("unknown hypothetical in run", lambda: run(S, ["baseline", "nope"]), KeyError, "'nope'"),
    ("swing: unknown hypothetical", lambda: swing(S, "nope"), KeyError, "'nope'"),
    ("sweep: not seated", lambda: sweep(S, ["Germany"]), KeyError, "Germany"),
    (
        "sweep: same member twice",
        lambda: sweep(S, ["Ivory Coast", "Côte d'Ivoire"]),
        ValueError,
        "Côte d'Ivoire",
    ),
    ("recorded vote", lambda: history.recorded_vote("1999-dprk"), KeyError, "'1999-dprk'"),
    # a string where a list was meant, and other wrong kinds
    ("sweep: text for a list", lambda: sweep(S, "Peru"), TypeError, "'Peru'"),
    ("sweep: short text for a list", lambda: sweep(S, "US"), TypeError, "'US'"),
    ("run: text for a list", lambda: run(S, "held-anyway"), TypeError, "'held-anyway'"),
    ("changes: text", lambda: simulate(S, changes="Peru=yes"), TypeError, "'Peru=yes'"),
    ("changes: stance a number", lambda: simulate(S, changes={"Peru": 1}), TypeError, "1"),
    ("member name a number", lambda: S.member(3), TypeError, "3"),
    ("hypothetical a list", lambda: simulate(S, ["held-anyway"]), TypeError, "['held-anyway']"),
    ("simulate a path", lambda: simulate("scenarios/x.yaml"), TypeError, "'scenarios/x.yaml'"),
    ("Bloc members text", lambda: Bloc("b", "Peru", 0.5), TypeError, "'Peru'"),
    (
        "Scenario rule text",
        lambda: Scenario("t", "procedural", members()),
        TypeError,
        "'procedural'",
    ),
    ("Member stance None", lambda: Member("Peru", None), TypeError, "None"),
    ("load a number", lambda: unsc_sim.load(123), TypeError, "123"),
    ("loads None", lambda: unsc_sim.loads(None), TypeError, "None"),
    ("council_on text", lambda: history.council_on("2018-01-01"), TypeError, "'2018-01-01'"),
    ("roster text", lambda: history.roster("2018"), TypeError, "'2018'"),
    ("Rule.on text date", lambda: Rule.on("procedural", "1950-01-01"), TypeError, "'1950-01-01'"),
    ("power_indices text", lambda: power.power_indices("substantive"), TypeError, "'substantive'"),
    ("country a number", lambda: countries.resolve(5), TypeError, "5"),
    ("what_it_takes max_best text", lambda: what_it_takes(S, max_best="3"), ValueError, "'3'"),
    # vote words and probabilities
    ("vote word", lambda: Stance.of("yess"), ValueError, "'yess'"),
    ("Vote()", lambda: Vote("maybe"), ValueError, "'maybe'"),
    (
        "changes: bad word",
        lambda: simulate(S, changes={"Peru": "abstension"}),
        ValueError,
        "'abstension'",
    ),
    ("mapping: bad key", lambda: Stance.of({"yes": 0.5, "mabye": 0.5}), ValueError, "'mabye'"),
    ("mapping: same vote twice", lambda: Stance.of({"yes": 0.5, "for": 0.5}), ValueError, "'for'"),
    ("mapping: sum", lambda: Stance.of({"yes": 0.6, "no": 0.5}), ValueError, "1.1"),
    (
        "mapping: sum just outside rounding",
        lambda: Stance.of({"yes": 0.33, "no": 0.33, "abstain": 0.33}),
        ValueError,
        "0.99",
    ),
    ("mapping: percentage over 100", lambda: Stance.of({"yes": "120%"}), ValueError, "120%"),
    ("mapping: text", lambda: Stance.of({"yes": "most"}), ValueError, "'most'"),
    ("mapping: empty", lambda: Stance.of({}), ValueError, "{}"),
    ("probability above 1", lambda: Stance(1.5, -0.5), ValueError, "1.5"),
    ("probability negative", lambda: Stance(yes=-0.5, no=1.5), ValueError, "-0.5"),
    ("probability NaN", lambda: Stance(math.nan, 0.0, 0.0, 1.0), ValueError, "nan"),
    ("probability inf", lambda: Stance(math.inf), ValueError, "inf"),
    ("probabilities sum below 1", lambda: Stance(0.5), ValueError, "0.5"),
    ("all zero", lambda: Stance(), ValueError, "sum to 0"),
    ("probability a bool", lambda: Stance(True), ValueError, "True"),
    ("basis", lambda: Stance.sure("yes", basis="rumour"), ValueError, "'rumour'"),
    (
        "sweep a NaN P(yes) through changes",
        lambda: simulate(S, changes={"Peru": {"yes": math.nan}}),
        ValueError,
        "nan",
    ),
    # rules, councils, blocs
    ("rule kind", lambda: Rule("veto"), ValueError, "'veto'"),
    ("rule kind typo", lambda: Rule.on("substantial"), ValueError, "'substantial'"),
    ("threshold above size", lambda: Rule(size=15, threshold=16), ValueError, "16"),
    ("size zero", lambda: Rule(size=0, threshold=0), ValueError, "0"),
    ("size not whole", lambda: Rule(size=15.5), ValueError, "15.5"),
    ("council too small", lambda: Scenario("t", Rule(), members(14)), ValueError, "14"),
    (
        "council too large",
        lambda: Scenario("t", Rule.on("procedural", dt.date(1960, 1, 1)), members()),
        ValueError,
        "15",
    ),
    (
        "duplicate member",
        lambda: Scenario("t", Rule(), members(14) + members(1)),
        ValueError,
        "'United States'",
    ),
    (
        "duplicate member via replace",
        _with(members=S.members[:14] + S.members[:1]),
        ValueError,
        "'United States'",
    ),
    ("correlation above 1", lambda: Bloc("b", ("Peru", "Kuwait"), 1.5), ValueError, "1.5"),
    ("correlation below 0", lambda: Bloc("b", ("Peru", "Kuwait"), -0.2), ValueError, "-0.2"),
    ("correlation NaN", lambda: Bloc("b", ("Peru", "Kuwait"), math.nan), ValueError, "nan"),
    ("bloc of none", lambda: Bloc("b", (), 0.5), ValueError, "'b'"),
    ("bloc lists a member twice", lambda: Bloc("b", ("Peru", "Peru"), 0.5), ValueError, "'Peru'"),
    (
        "overlapping blocs",
        _with(blocs=(Bloc("a", ("Peru", "Kuwait"), 0.5), Bloc("b", ("Kuwait", "Poland"), 0.5))),
        ValueError,
        "'Kuwait'",
    ),
    (
        "overlapping blocs via an alias",
        _with(
            blocs=(
                Bloc("a", ("Côte d'Ivoire", "Kuwait"), 0.5),
                Bloc("b", ("Ivory Coast", "Poland"), 0.5),
            )
        ),
        ValueError,
        "'Ivory Coast'",
    ),
    (
        "bloc of a non-member",
        _with(blocs=(Bloc("a", ("Peru", "Germany"), 0.5),)),
        KeyError,
        "'Germany'",
    ),
    (
        "hypothetical of a non-member",
        _with(hypotheticals=(Hypothetical("h", {"Germany": "yes"}),)),
        KeyError,
        "'Germany'",
    ),
    (
        "hypothetical changes one member twice",
        _with(hypotheticals=(Hypothetical("h", {"Ivory Coast": "yes", "Côte d'Ivoire": "no"}),)),
        ValueError,
        "Côte d'Ivoire, already",
    ),
    ("hypothetical named baseline", lambda: Hypothetical("baseline", {}), ValueError, "'baseline'"),
    (
        "two hypotheticals of one name",
        _with(hypotheticals=(Hypothetical("h", {}), Hypothetical("h", {}))),
        ValueError,
        "'h'",
    ),
    ("president not a member", _with(president="Germany"), KeyError, "'Germany'"),
    (
        "exact engine beyond three correlated blocs",
        lambda: simulate(
            replace(
                S,
                blocs=tuple(
                    Bloc(name, pair, 0.5)
                    for name, pair in zip(
                        "abcd",
                        [
                            ("Peru", "Kuwait"),
                            ("Poland", "Sweden"),
                            ("Bolivia", "Ethiopia"),
                            ("Kazakhstan", "Netherlands"),
                        ],
                    )
                ),
                between=tuple(Between(p, 0.1) for p in (("a", "b"), ("b", "c"), ("c", "d"))),
            ),
            method="exact",
        ),
        ValueError,
        "exact",
    ),
    # options
    ("method", lambda: simulate(S, method="fast"), ValueError, "'fast'"),
    ("side", lambda: what_it_takes(S, side="win"), ValueError, "'win'"),
    ("trials zero", lambda: simulate(S, method="montecarlo", trials=0), ValueError, "0"),
    (
        "trials not whole",
        lambda: simulate(S, method="montecarlo", trials=1e5),
        ValueError,
        "100000.0",
    ),
    ("seed negative", lambda: simulate(S, method="montecarlo", seed=-1), ValueError, "-1"),
    ("seed in run", lambda: run(S, seed=-5), ValueError, "-5"),
    ("swing trials", lambda: swing(S, trials=0), ValueError, "0"),
    ("sweep steps", lambda: sweep(S, ["Peru"], steps=1), ValueError, "1"),
    ("sweep three members", lambda: sweep(S, ["Peru", "Kuwait", "Poland"]), ValueError, "3"),
    ("roster year", lambda: history.roster(1900), ValueError, "1900"),
    ("record topic", lambda: history.recorded_votes("dprkk"), ValueError, "'dprkk'"),
    ("record kind", lambda: history.recorded_votes(kind="agendaa"), ValueError, "'agendaa'"),
    ("roster month", lambda: history.roster(2018, 13), ValueError, "13"),
    ("weighted game quota", lambda: power.WeightedGame((1, 2), 5), ValueError, "5"),
    ("council game rule", lambda: power.council_game("unanimous"), ValueError, "'unanimous'"),
    (
        "decide with a short Council",
        lambda: rules.decide({"Peru": Vote.YES}, Rule()),
        ValueError,
        "1",
    ),
]


@pytest.mark.parametrize(
    ("call", "builtin", "named"), [w[1:] for w in WRONG], ids=[w[0] for w in WRONG]
)
def test_a_wrong_call_raises_a_typed_error_naming_the_value(
    call: Callable[[], Any], builtin: type[Exception], named: str
):
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        with pytest.raises(UnscSimError) as info:
            call()
    e = info.value
    assert isinstance(e, builtin), type(e).__mro__
    assert named in str(e)
    assert len(str(e).splitlines()) == 1
    assert str(e).startswith(str(e.args[0]))  # not KeyError's repr() of the message


def test_unknown_names_say_what_they_could_be():
    with pytest.raises(UnknownMemberError, match="did you mean Côte d'Ivoire"):
        S.member("Ivory Cost")
    with pytest.raises(UnknownHypotheticalError, match="did you mean 'held-anyway'"):
        S.hypothetical("held_anyway")
    with pytest.raises(UnknownMemberError, match="'Germany' is not a member"):
        simulate(S, changes={"Germany": "yes"})
