"""Priors from the record: leave-future-out, sides, smoothing by hand, new members."""

from __future__ import annotations

import datetime as dt
import json
import math

import numpy as np
import pytest

from unsc_sim.model import Basis
from unsc_sim.record import council_on, recorded_votes
from unsc_sim.record.priors import NO_DATA, Record, prior, priors, regional_groups
from unsc_sim.record.votes import read_votes

WEST = ["Belgium", "France", "Germany", "Poland", "United Kingdom", "United States"]
EAST = ["China", "Russian Federation", "South Africa", "Equatorial Guinea"]
JUNE_2019, JUNE_2020 = dt.date(2019, 6, 1), dt.date(2020, 6, 1)


def row(day: str, yes, no=(), abstain=(), absent=(), *, slug="t", **extra) -> str:
    """One recorded-votes row as YAML; members of that day's Council not named abstain."""
    when = dt.date.fromisoformat(day)
    named = {*yes, *no, *abstain, *absent}
    rest = [t.country.name for t in council_on(when) if t.country.name not in named]
    counts = extra.pop("counts", None)
    fields = {
        "id": f"{day}-{slug}",
        "date": day,  # unquoted below
        "topic": "other",
        "kind": "agenda",
        "subject": "s",
        "yes": list(yes),
        "no": list(no),
        "abstain": [*abstain, *([] if counts else rest)],
        "absent": list(absent),
        "adopted": len(yes) >= (7 if when.year < 1966 else 9)
        if not counts
        else extra.pop("adopted"),
        "sources": ["S/PV.1"],
        **({"counts": counts} if counts else {}),
        **extra,
    }
    text = json.dumps(fields, ensure_ascii=False).replace(f'"{day}",', f"{day},", 1)
    return f"- {text}\n"  # JSON is YAML; the date unquoted, so that it reads as a date


def votes(*rows: str):
    return read_votes("".join(rows))


# The 2019 Council: a Western motion, then a Russian one.
V1 = row("2019-03-01", [*WEST, "Peru", "Kuwait", "Dominican Republic"], EAST,
         slug="west", proposed_by=["United States"])  # fmt: skip
V2 = row("2019-05-01", EAST, WEST, slug="russia", proposed_by=["Russian Federation"])
FIXTURE = votes(V1, V2)
# By hand, with alpha = 1 and no decay. The motions: in V1 the 14 members besides the US
# voted 8-4-2, in V2 the 14 besides the Russian Federation 3-6-5.
P_MOTIONS = (np.array([11, 10, 7, 0]) + NO_DATA) / (28 + 1)
# Every member but the US, read against the US (yes: with it, no: against it).
N_ALL = np.array([13, 8, 7, 0])


def test_smoothing_matches_a_hand_computation():
    # France against the United States (proposing): with it in V1 (yes) and V2 (no).
    got = prior("France", JUNE_2019, proposed_by=["United States"],
                record=Record.of(FIXTURE), alpha=1.0, half_life=math.inf)  # fmt: skip
    p_all = (N_ALL + P_MOTIONS) / (N_ALL.sum() + 1)
    n_group = np.array([4, 0, 0, 0])  # Belgium, Germany: the elected members of its group
    p_group = (n_group + p_all) / (n_group.sum() + 1)
    want = (np.array([2, 0, 0, 0]) + p_group) / 3
    assert got.probabilities == pytest.approx(tuple(want))
    assert got.relation == "sides" and got.group == "Western European and other States"
    assert got.votes == ("2019-03-01-west", "2019-05-01-russia") and not got.new_member
    stance = got.stance()
    assert stance.basis is Basis.PRIOR and stance.from_votes == got.votes
    assert "2 recorded vote(s) with or against United States" in (stance.note or "")
    assert "weigh as 2.00 vote(s)" in (stance.note or "")  # an infinite half-life keeps both


def test_the_note_says_how_little_old_votes_weigh():
    # About two years later under a one-year half-life, each vote weighs about a quarter.
    later = JUNE_2019.replace(year=2021)
    got = prior("France", later, proposed_by=["United States"], record=Record.of(FIXTURE),
                alpha=1.0, half_life=1.0)  # fmt: skip
    ages = [(later - dt.date.fromisoformat(v[:10])).days / 365.2425 for v in got.votes]
    assert got.own == pytest.approx(sum(2**-a for a in ages))
    assert 0.4 < got.own < 0.5
    assert f"weigh as {got.own:.2f} vote(s) of that day" in got.note


def test_who_proposes_decides_the_direction():  # alpha = 1: two votes must tell
    record = Record.of(FIXTURE)
    for name in ("France", "United Kingdom", "Poland"):
        west = prior(name, JUNE_2019, proposed_by=["United States"], record=record, alpha=1)
        russia = prior(name, JUNE_2019, proposed_by=["Russian Federation"], record=record, alpha=1)
        assert west.yes > 0.6 > west.probabilities[1]
        assert russia.probabilities[1] > 0.5 > russia.yes
    china = prior("China", JUNE_2019, proposed_by=["United States"], record=record, alpha=1)
    assert china.probabilities[1] > 0.5 > china.yes


def test_a_member_on_a_side_votes_with_its_side():
    record = Record.of(FIXTURE)
    us = prior("United States", JUNE_2019, proposed_by=["United States"], record=record, alpha=1)
    assert us.relation == "proposer" and us.yes > 0.75
    assert us.votes == ("2019-03-01-west",)  # the motion it proposed
    # An objector reads only the motions it opposed (none here yet: plain frequencies).
    alone = prior("Russian Federation", JUNE_2019, opposed_by=["Russian Federation"],
                  record=record, alpha=1)  # fmt: skip
    assert alone.relation == "no sides"
    objected = row(
        "2019-04-01",
        [*WEST, "Peru", "Kuwait", "Dominican Republic"],
        EAST,
        slug="objected",
        proposed_by=["France"],
        opposed_by=["Russian Federation"],
    )
    with_objection = Record.of(votes(V1, objected, V2))
    russia = prior("Russian Federation", JUNE_2019, opposed_by=["Russian Federation"],
                   record=with_objection, alpha=1)  # fmt: skip
    assert russia.relation == "opposer" and russia.probabilities[1] > 0.75
    assert russia.votes == ("2019-04-01-objected",)
    with pytest.raises(ValueError, match="both sides"):
        priors(["France"], JUNE_2019, proposed_by=["France"], opposed_by=["France"])


def test_new_members_get_their_group_prior_and_say_so():
    record = Record.of(FIXTURE)
    council = [t.country.name for t in council_on(JUNE_2020)]
    found = {p.member: p for p in priors(council, JUNE_2020, proposed_by=["United States"],
                                         record=record, alpha=1.0, half_life=math.inf)}  # fmt: skip
    niger, tunisia = found["Niger"], found["Tunisia"]
    assert niger.new_member and niger.votes == () and niger.group == "African States"
    assert "no recorded vote of its own" in niger.note and "African States" in niger.note
    # The group: Côte d'Ivoire abstained twice; Equatorial Guinea and South Africa voted
    # against the US twice. The pool: as in the hand computation above.
    p_all = (N_ALL + P_MOTIONS) / (N_ALL.sum() + 1)
    n_group = np.array([0, 4, 2, 0])
    assert niger.probabilities == pytest.approx(tuple((n_group + p_all) / (n_group.sum() + 1)))
    assert tunisia.probabilities == niger.probabilities
    assert not found["France"].new_member and found["Estonia"].new_member
    assert found["Estonia"].probabilities != niger.probabilities  # another group


def test_every_member_of_every_council_has_a_group():
    groups = regional_groups()
    for year in range(1946, 2027):
        for t in council_on(dt.date(year, 6, 1)):
            assert t.code in groups, (year, t.country.name)
    assert set(groups.values()) == {
        "African States", "Asia-Pacific States", "Eastern European States",
        "Latin American and Caribbean States", "Western European and other States",
    }  # fmt: skip


def test_leave_future_out_a_future_vote_changes_nothing():
    day = dt.date(2019, 5, 1)  # V2's own date: V2 itself is the future
    sides = {"proposed_by": ["United States"], "opposed_by": ["China"]}
    council = [t.country.name for t in council_on(day)]
    before = priors(council, day, record=Record.of(FIXTURE[:1]), **sides)
    assert priors(council, day, record=Record.of(FIXTURE), **sides) == before
    later = votes(V1, V2, row("2019-09-01", EAST, WEST, slug="later"))
    assert priors(council, day, record=Record.of(later), **sides) == before
    assert before != priors(council, dt.date(2019, 5, 2), record=Record.of(FIXTURE), **sides)


def test_leave_future_out_on_the_record():
    record = recorded_votes()
    full = Record.of(record)
    for rv in record[-8:]:
        names = [t.country.name for t in council_on(rv.date)]
        sides = {"proposed_by": rv.proposed_by, "opposed_by": rv.opposed_by}
        past = Record.of([r for r in record if r.date < rv.date])
        assert priors(names, rv.date, record=full, **sides) == priors(
            names, rv.date, record=past, **sides
        )


def test_tally_only_rows_are_not_evidence():
    tally = row("2019-04-01", ["France"], slug="tally", counts={"yes": 9, "no": 4},
                adopted=True)  # fmt: skip
    with_tally = votes(V1, tally, V2)
    assert not with_tally[1].members_known
    record = Record.of(with_tally)
    assert "2019-04-01-tally" not in record.ids
    args = (["France", "Peru"], JUNE_2019)
    assert priors(*args, record=record) == priors(*args, record=Record.of(FIXTURE))


def test_the_ussr_seat_continues_as_the_russian_federation():
    soviet = votes(row("1960-03-01", ["USSR", "Poland", "Ceylon", "Tunisia", "France",
                                     "Italy", "Argentina"], ["United States"],
                       proposed_by=["USSR"]))  # fmt: skip
    later = prior("Russian Federation", dt.date(2000, 6, 1), opposed_by=["United States"],
                  record=Record.of(soviet), half_life=math.inf)  # fmt: skip
    assert later.votes == ("1960-03-01-t",) and later.yes > 0.5


def test_no_sides_gives_plain_frequencies_and_no_record_gives_no_data():
    record = Record.of(FIXTURE)
    plain = prior("France", JUNE_2019, record=record)
    assert plain.relation == "no sides" and plain.votes == tuple(v.id for v in FIXTURE)
    empty = prior("France", dt.date(2019, 1, 1), record=record)
    assert empty.probabilities == pytest.approx(tuple(NO_DATA)) and empty.new_member
    with pytest.raises(ValueError, match="positive"):
        prior("France", JUNE_2019, record=record, alpha=0)


def test_priors_sum_to_one_on_the_record():
    for rv in recorded_votes()[-5:]:
        for p in priors(list(rv.votes), rv.date, proposed_by=rv.proposed_by):
            assert sum(p.probabilities) == pytest.approx(1.0)


def test_older_votes_weigh_less():
    # Two votes a year apart, France with the US in the first, against it in the second.
    first = row("2019-03-01", [*WEST, "Peru", "Kuwait", "Dominican Republic"], EAST, slug="a")
    second = row("2020-03-01", ["China", "Russian Federation", "United States"],
                 ["France", "Belgium"], slug="b")  # fmt: skip
    record = Record.of(votes(first, second))
    day = dt.date(2020, 6, 1)

    def france(half_life: float) -> float:
        return prior("France", day, proposed_by=["United States"], record=record,
                     alpha=1, half_life=half_life).yes  # fmt: skip

    assert france(math.inf) > france(8.0) > france(1.0)  # the recent "against" counts more
    with pytest.raises(ValueError, match="positive"):
        prior("France", day, record=record, half_life=0)
