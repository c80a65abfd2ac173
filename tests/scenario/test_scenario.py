"""Scenario files: the shipped cases, names, citations and the errors users meet first."""

import textwrap

import numpy as np
import pytest

from unsc_sim import ScenarioError, Vote, load, loads, simulate
from unsc_sim.engine.simulation import run

from ..conftest import ROOT, SCENARIOS

P5 = ["United States", "China", "France", "United Kingdom", "Russian Federation"]
ELECTED_2018 = ["Bolivia", "Côte d'Ivoire", "Equatorial Guinea", "Ethiopia", "Kazakhstan",
                "Kuwait", "Netherlands", "Peru", "Poland", "Sweden"]  # fmt: skip


def scenario_text(members: dict[str, str], extra: str = "") -> str:
    lines = "\n".join(f"  {name}: {vote}" for name, vote in members.items())
    return f"title: t\ndate: 2018-12-10\nmembers:\n{lines}\n{textwrap.dedent(extra)}"


def council(**overrides: str) -> dict[str, str]:
    votes = dict.fromkeys(P5 + ELECTED_2018, "abstain")
    votes.update(overrides)
    return votes


def test_december_2018_eight_votes_fail_and_ivory_coast_would_pass(dec2018):
    results = {r.hypothetical: r for r in run(dec2018)}
    # Kazakhstan's records disagree (yes on the DPRK in 2017, no on Syria in 2018): even odds
    kazakhstan = dec2018.member("Kazakhstan").stance
    assert (kazakhstan.yes, kazakhstan.no, kazakhstan.abstain) == (0.5, 0.25, 0.25)
    assert "S/PV.8209" in kazakhstan.source and "2017-12-11-dprk" in kazakhstan.note
    # the reported count is evidence: the baseline holds the eight, so it is one short
    assert [r.counts for r in dec2018.reported] == [{Vote.YES: (8, 8)}]
    assert results["baseline"].decision is None  # who the eight were stays uncertain
    assert results["baseline"].p_adopted == 0.0 and results["baseline"].expected["yes"] == 8
    assert "Kazakhstan voted no on Syria, abstained on" in " ".join(dec2018.description.split())
    base = results["kazakhstan-as-on-syria"].decision  # the reports' eight, for sure
    assert (base.tally.yes, base.adopted, base.margin) == (8, False, -1)
    assert "Côte d'Ivoire" in results["kazakhstan-as-on-syria"].pivotal
    assert results["ivory-coast-yes"].p_adopted == 1.0
    assert results["ivory-coast-yes"].expected["yes"] == pytest.approx(9)
    assert "Côte d'Ivoire" in results["baseline"].pivotal  # its yes would make nine
    # Kuwait redrawn as an abstainer: nine only if Kuwait was the one of the eight uncertain
    # members (seven at yes 0.9, Kazakhstan 0.5) left out of the reported eight; relative
    # weights 0.1 for each of the seven, 0.9 for Kazakhstan: 0.1 / (7 * 0.1 + 0.9) = 1/16
    assert results["ivory-coast-yes-kuwait-abstains"].p_adopted == pytest.approx(0.0625)
    held = results["held-anyway"]
    # the reported eight kept; nine if one of the three abstainers comes over: 1 - .6 * .8 * .8
    assert held.p_adopted == pytest.approx(1 - 0.6 * 0.8 * 0.8, abs=1e-12)
    assert dec2018.president == "Côte d'Ivoire"
    assert (dec2018.topic, dec2018.vote_held) == ("dprk", False)


def test_december_2019_uses_the_recorded_votes_of_the_new_members(dec2019):
    from unsc_sim.record import recorded_vote

    venezuela, ukraine = recorded_vote("2019-01-26-venezuela"), recorded_vote("2019-05-20-ukraine")
    for name in ("Belgium", "Dominican Republic", "Indonesia", "South Africa"):
        stance = dec2019.member(name).stance
        assert stance.basis.value == "inferred", name
        assert "S/PV.8452" in stance.source and "sc13815" in stance.source, name
        assert "no recorded" not in stance.note.lower(), name
        for vote in (venezuela, ukraine):  # the note says how it voted, as the record has it
            assert vote.votes[name].value in {"yes", "no", "abstain"}
    assert venezuela.votes["Belgium"].value == "yes" and ukraine.votes["Belgium"].value == "no"
    assert {v.votes["Dominican Republic"].value for v in (venezuela, ukraine)} == {"yes"}
    assert dec2019.member("Belgium").stance.vote.value == "yes"
    assert dec2019.member("Dominican Republic").stance.vote.value == "yes"


def test_december_2019_the_us_is_the_missing_ninth(dec2019):
    base = simulate(dec2019)
    assert base.decision.tally.yes == 8 and not base.decision.adopted
    assert "United States" in base.pivotal
    assert dec2019.member("United States").stance.vote is Vote.ABSTAIN
    assert dec2019.president == "United States"
    assert simulate(dec2019, "us-supports").decision.adopted
    assert not simulate(dec2019, "us-supports-kuwait-wavers").decision.adopted


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_stance_is_sourced(path):
    s = load(path)
    for m in s.members:
        assert m.stance.basis is not None, m.name
        assert m.stance.source or m.stance.note, m.name


def test_bare_yes_and_no_are_votes_in_values_and_keys():
    text = scenario_text(council(France="yes", China="no", Peru="{yes: 0.4, no: 0.6}"))
    s = loads(text, base=ROOT)
    assert s.member("France").stance.vote is Vote.YES
    assert s.member("China").stance.vote is Vote.NO
    assert s.member("Peru").stance.probabilities == (0.4, 0.6, 0.0, 0.0)


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("Ivory Coast", "Côte d'Ivoire"),
        ("Russia", "Russian Federation"),
        ("U.S.", "United States"),
        ("UK", "United Kingdom"),
        ("Britain", "United Kingdom"),
        ("Bolivia", "Bolivia"),
    ],
)
def test_aliases_resolve(alias, canonical):
    votes = council()
    del votes[canonical]
    votes[alias] = "yes"
    s = loads(scenario_text(votes))
    m = s.member(canonical)
    assert m.stance.vote is Vote.YES
    assert m.written_as == (alias if alias != canonical else "")


def error_for(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        loads(text, file="bad.yaml", base=ROOT)
    return info.value


def test_wrong_quote_fails_with_its_line():
    votes = council()
    text = scenario_text(votes).replace(
        "  China: abstain",
        '  China:\n    vote: "no"\n    source: seeds/002_bc6ab423fb04c07b.txt\n'
        '    quote: "China warmly supported the meeting"',
    )
    e = error_for(text)
    assert (e.line, e.field) == (8, "members.China.quote")
    assert "quote not found" in str(e)
    assert str(e).startswith("bad.yaml:8:12: members.China.quote:")


def test_missing_source_file():
    text = scenario_text(council()).replace(
        "  China: abstain", '  China:\n    vote: "no"\n    source: seeds/nope.txt\n    quote: "x"'
    )
    assert "source file 'seeds/nope.txt' not found" in str(error_for(text))


def test_unknown_member_suggests():
    votes = council()
    del votes["France"]
    votes["Frnace"] = "yes"
    e = error_for(scenario_text(votes))
    assert e.field == "members.Frnace"
    assert e.hint == "did you mean France?"


def test_missing_member():
    votes = council()
    del votes["Peru"]
    e = error_for(scenario_text(votes))
    assert "missing members for 2018-12-10: Peru" in str(e)
    undated = scenario_text(votes).replace("date: 2018-12-10\n", "")
    assert "has 15 members, this file lists 14" in str(error_for(undated))


def test_duplicate_member_even_through_an_alias():
    votes = council()
    text = scenario_text(votes) + "  Ivory Coast: yes\n"
    e = error_for(text)
    assert "'Ivory Coast' is Côte d'Ivoire, already listed as \"Côte d'Ivoire\"" in str(e)
    assert e.line == 19
    dup = error_for(scenario_text(votes) + "  France: yes\n")
    assert "duplicate key" in str(dup)


def test_inferred_basis_needs_a_note():
    text = scenario_text(council()).replace(
        "  China: abstain", "  China: {vote: abstain, basis: inferred}"
    )
    e = error_for(text)
    assert e.field == "members.China.note"


def test_hypothetical_with_unknown_member():
    e = error_for(scenario_text(council(), "hypotheticals:\n  h:\n    Germany: yes\n"))
    assert e.field == "hypotheticals.h.Germany" and "not a member" in str(e)


ROSTER_FILE = """\
title: partial
roster: 2019
members:
  United States: yes
  Germany: yes
  China: no
"""


def test_roster_fills_open_members_with_the_default():
    s = loads(ROSTER_FILE + "default: {abstain: 0.7, yes: 0.3}\n")
    assert len(s.members) == 15 and s.rule.threshold == 9
    belgium = s.member("Belgium")
    assert belgium.stance.probabilities == (0.3, 0.0, 0.7, 0.0)
    assert belgium.stance.basis.value == "assumption" and belgium.stance.note
    assert s.member("Russian Federation").permanent
    assert s.president == "Dominican Republic"  # January 2019, from the rotation
    e = error_for(ROSTER_FILE)
    assert e.field == "members" and "missing members for 2019-01-01" in str(e)


def test_default_record_gives_priors_from_earlier_votes():
    s = loads(ROSTER_FILE.replace("roster: 2019", "date: 2019-12-10") + "default: record\n")
    france = s.member("France").stance
    assert france.basis.value == "prior" and france.from_votes and france.note
    assert sum(france.probabilities) == pytest.approx(1.0)
    assert s.president == "United States"


SIDED = """\
title: sided
date: 2019-12-10
proposed_by: [US, UK]
opposed_by: [Russia]
default: record
members: {}
"""


def test_members_may_be_empty_when_the_default_fills_the_council_with_priors():
    from unsc_sim.record.priors import priors

    s = loads(SIDED)
    assert (s.proposed_by, s.opposed_by) == (
        ("United States", "United Kingdom"),
        ("Russian Federation",),
    )
    want = priors(s.names, s.date, proposed_by=s.proposed_by, opposed_by=s.opposed_by)
    assert [m.stance for m in s.members] == [p.stance() for p in want]
    assert len(s.members) == 15 and all(m.stance.basis.value == "prior" for m in s.members)
    # The sides change the priors: the same file without them reads plain frequencies.
    plain = loads("\n".join(x for x in SIDED.splitlines() if "_by" not in x) + "\n")
    assert plain.member("France").stance != s.member("France").stance
    assert "with or against United States" in (s.member("France").stance.note or "")


def test_default_record_makes_the_filled_members_one_bloc_as_the_backtest_scores_them():
    from unsc_sim import simulate
    from unsc_sim.record.backtest import yes_distribution
    from unsc_sim.record.priors import RHO

    s = loads(SIDED)
    assert [(b.name, set(b.members), b.correlation) for b in s.blocs] == [
        ("record", set(s.names), RHO)
    ]
    assert any("one bloc at correlation" in n.message for n in s.notes)
    probs = np.array([m.stance.probabilities for m in s.members])
    assert simulate(s).p_adopted == pytest.approx(yes_distribution(probs, RHO)[9:].sum(), abs=1e-9)
    # Members the file lists keep their own stances, outside the bloc.
    listed = loads(SIDED.replace("members: {}", "members:\n  Kuwait: {yes: 0.5, no: 0.5}"))
    (bloc,) = listed.blocs
    assert "Kuwait" not in bloc.members and len(bloc.members) == 14
    # Blocs the file declares replace it.
    own = SIDED + "blocs:\n  west:\n    members: [France, United Kingdom]\n    correlation: 0.5\n"
    assert [b.name for b in loads(own).blocs] == ["west"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ("proposed_by: [US, UK]", "proposed_by[0]", "'Japan' is not a member"),
        ("opposed_by: [Russia]", "opposed_by", "must be a list"),
        ("opposed_by: [Russia]", "opposed_by[0]", "already in proposed_by"),
        ("proposed_by: [US, UK]", "proposed_by[1]", "unknown member 'Atlantis'"),
        ("default: record", "members", "members must be a mapping"),
    ],
)
def test_sides_and_empty_members_errors(change, field, message):
    replacement = {
        "'Japan' is not a member": "proposed_by: [Japan]",
        "must be a list": "opposed_by: Russia",
        "already in proposed_by": "opposed_by: [United States]",
        "unknown member 'Atlantis'": "proposed_by: [US, Atlantis]",
        "members must be a mapping": "",
    }[message]
    e = error_for(SIDED.replace(change, replacement))
    assert e.field == field and message in str(e)


def test_a_prior_stance_needs_a_note():
    text = scenario_text(council()).replace(
        "  China: abstain", "  China: {vote: {no: 0.8, abstain: 0.2}, basis: prior}"
    )
    assert error_for(text).field == "members.China.note"


def test_president_is_checked_against_the_rotation():
    votes = council()
    e = error_for(scenario_text(votes, "president: France\n"))
    assert (e.field, e.hint) == ("president", "the rotation gives Côte d'Ivoire")
    assert loads(scenario_text(votes)).president == "Côte d'Ivoire"


def test_a_member_not_on_the_council_that_year():
    votes = council()
    del votes["Sweden"]
    votes["Germany"] = "yes"
    e = error_for(scenario_text(votes))
    assert "Germany was not on the Council on 2018-12-10" in str(e)
    assert e.hint == "the Council then also had Sweden"


def _quoting(source: str) -> str:
    return scenario_text(council()).replace(
        "  China: abstain", f'  China:\n    vote: "no"\n    source: {source}\n    quote: "x"'
    )


def test_a_source_cannot_escape_through_a_symlink_or_be_huge(tmp_path):
    (tmp_path / "outside.txt").write_text("x", encoding="utf-8")
    inner = tmp_path / "project"
    inner.mkdir()
    (inner / "link.txt").symlink_to(tmp_path / "outside.txt")
    e = error_for_base(_quoting("link.txt"), inner)
    assert "leads outside the folders a scenario may read" in str(e)
    assert str(tmp_path) not in str(e)
    (inner / "big.txt").write_bytes(b"x" * 5_000_001)
    assert "larger than 5,000,000 bytes" in str(error_for_base(_quoting("big.txt"), inner))


def error_for_base(text: str, base) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        loads(text, file="bad.yaml", base=base)
    return info.value


def test_an_unused_default_is_still_checked():
    # Without a date the default fills nothing, but a bad one is still an error (the schema
    # refuses it too).
    members = "".join(f"  {n}: yes\n" for n in P5 + ELECTED_2018)
    e = error_for(f"title: t\nmembers:\n{members}default: {{yes: null}}\n")
    assert e.field == "default.yes" and "must be a number" in str(e)


def test_persuadable_is_a_members_own_and_checked():
    text = (
        scenario_text(council())
        .replace("  China: abstain", "  China: {vote: no, persuadable: false}")
        .replace("  Peru: abstain", "  Peru: {vote: abstain, persuadable: 0.5}")
    )
    s = loads(text)
    assert s.member("China").persuadable == 0.0 and s.member("Peru").persuadable == 0.5
    assert s.member("France").persuadable == 1.0
    for value in ("2", "-0.1", "maybe", ".nan"):
        bad = scenario_text(council()).replace(
            "  China: abstain", f"  China: {{vote: no, persuadable: {value}}}"
        )
        e = error_for(bad)
        assert (e.line, e.column, e.field) == (5, 34, "members.China.persuadable"), value
        assert "persuadable must be true, false or a number in 0..1" in e.message
    e = error_for(
        scenario_text(
            council(), "hypotheticals:\n  h:\n    China: {vote: no, persuadable: false}\n"
        )
    )
    assert (e.line, e.field) == (21, "hypotheticals.h.China.persuadable")
    assert "belongs to a member's entry under members" in e.message


def test_topic_and_vote_held():
    s = loads(scenario_text(council(), "topic: DPRK\nvote_held: false\n"))
    assert (s.topic, s.vote_held) == ("dprk", False)
    plain = loads(scenario_text(council()))
    assert (plain.topic, plain.vote_held) == (None, None)
    e = error_for(scenario_text(council(), "topic: North Korea!\n"))
    assert (e.line, e.field) == (19, "topic") and "short name such as dprk" in e.message
    e = error_for(scenario_text(council(), "vote_held: no\n"))
    assert (e.line, e.field) == (19, "vote_held") and "true or false" in e.message


# --- names and vote words people actually write ------------------------------------------


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("the U.S.", "United States"),
        ("the US", "United States"),
        ("the UK", "United Kingdom"),
        ("The Netherlands", "Netherlands"),
        ("the Russian Federation", "Russian Federation"),
        ("the Ivory Coast", "Côte d'Ivoire"),
    ],
)
def test_a_leading_the_is_read(written, canonical):
    votes = council()
    del votes[canonical]
    votes[written] = "yes"
    s = loads(scenario_text(votes, f"hypotheticals:\n  h:\n    {written}: no\n"))
    assert s.member(canonical).stance.vote is Vote.YES
    assert s.hypothetical("h").changes[0][0] == canonical
    assert [n.message for n in s.notes] == [f"{written!r} read as {canonical}"]


@pytest.mark.parametrize(
    ("word", "vote"),
    [
        ("in favour", Vote.YES),
        ("In Favor", Vote.YES),
        ("for", Vote.YES),
        ("against", Vote.NO),
        ("abstention", Vote.ABSTAIN),
        ("abstained", Vote.ABSTAIN),
        ("'  Against '", Vote.NO),
    ],
)
def test_vote_words_as_reports_write_them(word, vote):
    s = loads(
        scenario_text(council(France=word, Peru=f"{{vote: {word}, basis: assumption, note: n}}"))
    )
    assert s.member("France").stance.vote is vote
    assert s.member("Peru").stance.vote is vote


@pytest.mark.parametrize(
    "typo", ["abstension", "abstentions", "abstaination", "abstaind", "abstainned"]
)
def test_abstention_never_suggests_absent(typo):
    e = error_for(scenario_text(council(France=typo)))
    assert e.hint == "did you mean 'abstain'?"
    assert "absent" not in (e.hint or "")


def test_percentages_and_vote_words_in_probability_mappings():
    s = loads(scenario_text(council(
        France="{in favour: 70%, abstention: 30%}",
        Peru="{vote: {yes: '12.5 %', against: 0.875}, basis: assumption, note: n}",
    )))  # fmt: skip
    assert s.member("France").stance.probabilities == pytest.approx((0.7, 0, 0.3, 0))
    assert s.member("Peru").stance.probabilities == pytest.approx((0.125, 0.875, 0, 0))
    assert s.notes == ()


@pytest.mark.parametrize(
    ("mapping", "message", "hint"),
    [
        ("{yes: 120%}", "probability 120% is outside 0..100%", None),
        ("{yes: 70 percent, no: 30%}", "probability must be a number, not '70 percent'", None),
        ("{yes: 0.5, for: 0.5}", "'for' is 'yes', already given as 'yes'", None),
        ("{yes: 0.33, no: 0.33, abstain: 0.33}", "probabilities must sum to 1", "they sum to 0.99"),
    ],
)
def test_bad_percentages_and_sums_are_located(mapping, message, hint):
    e = error_for(scenario_text(council(France=mapping)))
    assert e.message == message and e.hint == hint
    assert e.field.startswith("members.France") and e.line == 6


def test_probabilities_rounded_to_three_decimals_are_rescaled_with_a_note():
    text = scenario_text(
        council(France="{yes: 0.333, no: 0.333, abstain: 0.333}"),
        "hypotheticals:\n  h:\n    Peru: {in favour: 33.3%, against: 33.3%, abstention: 33.3%}\n",
    )
    s = loads(text, file="r.yaml")
    for name in ("France",):
        assert s.member(name).stance.probabilities == pytest.approx((1 / 3, 1 / 3, 1 / 3, 0))
        assert sum(s.member(name).stance.probabilities) == pytest.approx(1, abs=1e-15)
    assert dict(s.hypothetical("h").changes)["Peru"].yes == pytest.approx(1 / 3)
    assert [str(n) for n in s.notes] == [
        "r.yaml:6:11: members.France: probabilities sum to 0.999: "
        "read as rounded and rescaled to sum to 1",
        "r.yaml:21:11: hypotheticals.h.Peru: probabilities sum to 0.999: "
        "read as rounded and rescaled to sum to 1",
    ]


def test_an_alias_is_noted_once_however_often_it_is_used():
    votes = council()
    del votes["Côte d'Ivoire"]
    votes["Ivory Coast"] = "abstain"
    extra = """\
        president: Ivory Coast
        hypotheticals:
          a: {Ivory Coast: yes}
          b: {Ivory Coast: no, Russia: yes}
        blocs:
          x: {members: [Ivory Coast, Russia], correlation: 0.5}
    """
    s = loads(scenario_text(votes, extra), file="a.yaml")
    assert [str(n) for n in s.notes] == [
        "a.yaml: 'Ivory Coast' read as Côte d'Ivoire",
        "a.yaml: 'Russia' read as Russian Federation",
    ]
