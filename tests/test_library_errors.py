"""The library forgives like the CLI, and refuses a caller's mistakes with typed, named errors.

Forgiving: members by any common name ("Ivory Coast", "the US"), stances as vote words or
mappings wherever a ``Stance`` is taken. Refusing: every wrong call below raises an
``UnscSimError`` that is also the matching built-in, with a message naming the bad value;
never a bare KeyError or AttributeError, a numpy warning, or a silent wrong number.
"""

from __future__ import annotations

import datetime as dt
import math
import time
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
    ScenarioError,
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
NAN, INF = math.nan, math.inf


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
    # issue 24: wrong kinds raise typed errors, never AttributeError or numpy's ambiguity
    ("run None", lambda: run(None), TypeError, "run needs a Scenario, not None"),
    ("swing 0", lambda: swing(0), TypeError, "swing needs a Scenario, not 0"),
    ("explore {}", lambda: unsc_sim.explore({}), TypeError, "explore needs a Scenario, not {}"),
    ("what_it_takes None", lambda: what_it_takes(None), TypeError, "None"),
    ("sweep a path", lambda: sweep("s.yaml", ["Peru"]), TypeError, "'s.yaml'"),
    ("run a list", lambda: run([S]), TypeError, "run needs a Scenario"),
    (
        "simulate an array for a name",
        lambda: simulate(S, np.array(["held-anyway", "ivory-coast-yes"])),
        TypeError,
        "array(['held-anyway', 'ivory-coast-yes']",
    ),
    ("run an array of numbers", lambda: run(S, np.array([1, 2])), TypeError, "names (text)"),
    ("sweep a mapping", lambda: sweep(S, {"Peru": 1}), TypeError, "{'Peru': 1}"),
    (
        "Member persuadable NaN",
        lambda: Member("Peru", "yes", persuadable=math.nan),
        ValueError,
        "nan",
    ),
    (
        "Member persuadable inf",
        lambda: Member("Peru", "yes", persuadable=math.inf),
        ValueError,
        "inf",
    ),
    ("Member persuadable -1", lambda: Member("Peru", "yes", persuadable=-1), ValueError, "-1"),
    ("Member persuadable 1.5", lambda: Member("Peru", "yes", persuadable=1.5), ValueError, "1.5"),
    ("Member persuadable text", lambda: Member("Peru", "yes", persuadable="x"), TypeError, "'x'"),
    ("Member code a number", lambda: Member("Peru", "yes", code=5), TypeError, "5"),
    ("Stance NaN in no", lambda: Stance(0.5, math.nan, 0.5), ValueError, "nan"),
    ("Stance an array", lambda: Stance(np.array([0.5]), 0.5), ValueError, "array([0.5])"),
    ("chapter a number", _with(chapter=7), TypeError, "7"),
    ("chapter not VI or VII", _with(chapter="IX"), ValueError, "'IX'"),
    ("chapter lower case", _with(chapter="vi"), ValueError, "'vi'"),
    ("description a number", _with(description=5), TypeError, "5"),
    ("description None", _with(description=None), TypeError, "None"),
    ("vote_held text", _with(vote_held="no"), TypeError, "'no'"),
    ("proposed_by text", _with(proposed_by="Peru"), TypeError, "'Peru'"),
    ("between not Between", _with(between=(("a", "b", 0.5),)), TypeError, "('a', 'b', 0.5)"),
    ("Between text", lambda: Between(("a", "b"), "0.5"), TypeError, "'0.5'"),
    ("Between one bloc as text", lambda: Between("ab", 0.5), TypeError, "'ab'"),
    ("Bloc correlation text", lambda: Bloc("b", ("Peru", "Kuwait"), "0.5"), TypeError, "'0.5'"),
    ("Bloc correlation inf", lambda: Bloc("b", ("Peru", "Kuwait"), math.inf), ValueError, "inf"),
    ("loads base a number", lambda: unsc_sim.loads("title: t", base=5), TypeError, "5"),
    ("loads sources text", lambda: unsc_sim.loads("title: t", sources="dir"), TypeError, "'dir'"),
    ("load sources None", lambda: unsc_sim.load("s.yaml", sources=None), TypeError, "None"),
    ("loads file a number", lambda: unsc_sim.loads("title: t", file=3), TypeError, "3"),
    # the CLI's limits are the library's
    ("trials 10**400", lambda: simulate(S, trials=10**400), ValueError, "about 1e400"),
    ("trials 10**9 in run", lambda: run(S, trials=10**9), ValueError, "100,000,000"),
    ("swing trials 10**9", lambda: swing(S, trials=10**9), ValueError, "100,000,000"),
    (
        "council_game of 2**63 members",
        lambda: power.council_game("procedural", size=2**63),
        ValueError,
        "9,223,372,036,854,775,808 members; the limit is 100,000",
    ),
    (
        "weighted game of 10**12 members",
        lambda: power.WeightedGame(range(10**12), 5),
        ValueError,
        "1,000,000,000,000 members",
    ),
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


def test_paths_may_be_text_and_name_lists_arrays():
    text = (SCENARIOS / "2018-12-dprk-human-rights.yaml").read_text(encoding="utf-8")
    s = unsc_sim.loads(text, base=str(SCENARIOS))  # a plain string, as load() takes
    assert s == unsc_sim.loads(text, base=SCENARIOS)
    assert s.files == unsc_sim.loads(text, base=SCENARIOS).files != ()
    results = run(S, np.array(["baseline", "held-anyway"]))
    assert [r.hypothetical for r in results] == ["baseline", "held-anyway"]
    assert sweep(S, np.array(["Ivory Coast"]), steps=3).members == ("Côte d'Ivoire",)
    assert Member("Peru", "yes", persuadable=False).persuadable == 0.0
    assert Member("Peru", "yes", persuadable=np.float64(0.25)).persuadable == 0.25


def test_a_between_correlation_of_nan_is_refused():
    # Between's range errors are ScenarioErrors (field "between"), so not in the table above.
    with pytest.raises(ScenarioError, match=r"correlation must be in -1\.\.1, not nan"):
        Between(("a", "b"), math.nan)


def test_the_limits_refuse_at_once():
    start = time.perf_counter()
    for call in (
        lambda: simulate(S, method="montecarlo", trials=10**400),
        lambda: power.council_game("substantive", size=2**63),
        lambda: unsc_sim.swing(S, trials=10**12),
    ):
        with pytest.raises(UnscSimError):
            call()
    assert time.perf_counter() - start < 1.0
