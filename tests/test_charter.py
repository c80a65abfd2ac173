"""Article 27 against an independent brute-force count of every profile."""

import itertools

import numpy as np
import pytest

from unsc_sim.charter import CODE, Outcome, decide, decide_profiles, pivotal, pivots
from unsc_sim.model import Rule, RuleKind, Vote

NAMES = [f"m{i:02d}" for i in range(15)]
PERMANENT = set(NAMES[:5])
PROCEDURAL = Rule(RuleKind.PROCEDURAL)
SUBSTANTIVE = Rule(RuleKind.SUBSTANTIVE)


def test_procedural_every_yes_not_yes_profile():
    # 2^15 profiles; the non-yes members alternate no/abstain/absent so all kinds appear,
    # and a permanent member's "no" must count as a plain "no".
    others = [Vote.NO, Vote.ABSTAIN, Vote.ABSENT]
    codes = np.zeros((2**15, 15), dtype=np.int8)
    for mask in range(2**15):
        votes = {
            n: Vote.YES if mask >> i & 1 else others[(mask + i) % 3] for i, n in enumerate(NAMES)
        }
        expected = bin(mask).count("1") >= 9
        assert decide(votes, PROCEDURAL, PERMANENT).adopted is expected
        codes[mask] = [CODE[votes[n]] for n in NAMES]
    vectorized = decide_profiles(codes, np.array([n in PERMANENT for n in NAMES]), PROCEDURAL)
    assert vectorized.tolist() == [bin(m).count("1") >= 9 for m in range(2**15)]


def test_substantive_all_permanent_votes_with_sampled_elected():
    rng = np.random.default_rng(27)
    perm_mask = np.array([n in PERMANENT for n in NAMES])
    rows, expected = [], []
    for p5 in itertools.product(list(Vote), repeat=5):
        for _ in range(40):
            elected = [list(Vote)[k] for k in rng.integers(0, 4, size=10)]
            votes = dict(zip(NAMES, [*p5, *elected]))
            yes = sum(v is Vote.YES for v in votes.values())
            veto = any(v is Vote.NO for v in p5)
            want = yes >= 9 and not veto
            got = decide(votes, SUBSTANTIVE, PERMANENT)
            assert got.adopted is want
            # a "no" is a veto only on a motion that had the votes
            vetoes = {n for n, v in zip(NAMES, p5) if v is Vote.NO} if yes >= 9 else set()
            assert set(got.vetoed_by) == vetoes
            assert got.outcome.value == (
                "adopted" if want else "vetoed" if vetoes else "not adopted"
            )
            assert got.margin == (None if vetoes else yes - 9)
            rows.append([CODE[votes[n]] for n in NAMES])
            expected.append(want)
    assert decide_profiles(np.array(rows), perm_mask, SUBSTANTIVE).tolist() == expected


def test_abstention_and_absence_of_permanent_member_are_not_a_veto():
    votes = dict.fromkeys(NAMES, Vote.YES)
    votes["m00"], votes["m01"] = Vote.ABSTAIN, Vote.ABSENT
    assert decide(votes, SUBSTANTIVE, PERMANENT).adopted
    votes["m02"] = Vote.NO
    assert not decide(votes, SUBSTANTIVE, PERMANENT).adopted
    assert decide(votes, PROCEDURAL, PERMANENT).adopted  # 12 yes: a "no" is only a "no"


def test_size_and_threshold_are_parameters():
    small = Rule(RuleKind.PROCEDURAL, size=11, threshold=7)
    names = NAMES[:11]
    votes = {n: Vote.YES if i < 7 else Vote.NO for i, n in enumerate(names)}
    assert decide(votes, small).adopted
    votes[names[0]] = Vote.ABSTAIN
    assert not decide(votes, small).adopted
    with pytest.raises(ValueError):
        decide(votes, PROCEDURAL)  # 11 votes for a 15-member rule
    with pytest.raises(ValueError):
        Rule(RuleKind.PROCEDURAL, size=15, threshold=16)


def test_pivotal_members_of_an_eight_vote_motion():
    votes = {n: Vote.YES if i < 8 else Vote.ABSTAIN for i, n in enumerate(NAMES)}
    assert pivotal(votes, PROCEDURAL) == tuple(NAMES[8:])
    votes[NAMES[8]] = Vote.YES  # nine: every yes voter is pivotal, nobody else
    assert pivotal(votes, PROCEDURAL) == tuple(NAMES[:9])
    votes[NAMES[9]] = Vote.YES  # ten: nobody alone changes it
    assert pivotal(votes, PROCEDURAL) == ()


def test_article_27_3_proviso_makes_a_party_abstain():
    from unsc_sim import simulate

    from .helpers import scenario_from

    probs = np.tile([1.0, 0.0, 0.0, 0.0], (15, 1))
    base = scenario_from(probs, rule=RuleKind.SUBSTANTIVE)
    from dataclasses import replace

    party = replace(base.members[0], party_to_dispute=True)
    s = replace(base, members=(party, *base.members[1:]), chapter="VI")
    result = simulate(s)
    assert result.obliged == (party.name,)
    assert result.decision.tally.abstain == 1 and result.decision.tally.yes == 14
    assert simulate(replace(s, chapter="VII")).obliged == ()  # only Chapter VI decisions
    assert simulate(replace(s, rule=PROCEDURAL)).obliged == ()  # not procedural votes


def test_a_vetoed_motion_shows_the_veto_not_a_margin():
    votes = dict.fromkeys(NAMES, Vote.YES)
    votes["m01"] = Vote.NO  # 14-1-0, a permanent member against
    d = decide(votes, SUBSTANTIVE, PERMANENT)
    assert not d.adopted and d.vetoed_by == ("m01",) and d.outcome is Outcome.VETOED
    assert d.margin is None  # 14 yes of 9 needed must not read as +5
    votes.update(dict.fromkeys(NAMES[5:12], Vote.ABSTAIN))  # 7-1-7: short of votes anyway
    d = decide(votes, SUBSTANTIVE, PERMANENT)
    assert d.vetoed_by == () and d.outcome is Outcome.NOT_ADOPTED and d.margin == -2


def test_permanent_members_of_an_adopted_substantive_motion_are_veto_players():
    votes = dict.fromkeys(NAMES, Vote.YES)
    votes["m02"] = Vote.ABSTAIN  # adopted 14-0-1: any permanent "no" would defeat it
    found = {p.member: p for p in pivots(votes, SUBSTANTIVE, PERMANENT)}
    assert set(found) == PERMANENT
    assert all(p.veto and p.why == 'its "no" would veto it' for p in found.values())
    assert pivotal(votes, PROCEDURAL, PERMANENT) == ()  # no veto: nobody decides 14-0-1
    votes["m02"] = Vote.NO  # vetoed: only withdrawing the veto changes it
    (lone,) = pivots(votes, SUBSTANTIVE, PERMANENT)
    assert lone.member == "m02" and lone.veto and "withdrawing its veto" in lone.why


def test_pivots_match_a_brute_force_over_every_switch():
    rng = np.random.default_rng(10)
    choices = list(Vote)
    for _ in range(300):
        votes = {n: choices[k] for n, k in zip(NAMES, rng.integers(0, 4, size=15))}
        rule = SUBSTANTIVE if rng.random() < 0.7 else PROCEDURAL
        before = decide(votes, rule, PERMANENT).adopted
        brute = {
            n
            for n in NAMES
            if any(decide({**votes, n: v}, rule, PERMANENT).adopted != before for v in Vote)
        }
        got = pivots(votes, rule, PERMANENT)
        assert {p.member for p in got} == brute
        for p in got:  # a veto player is a permanent member whose "no" against abstaining decides
            no = decide({**votes, p.member: Vote.NO}, rule, PERMANENT).adopted
            abstain = decide({**votes, p.member: Vote.ABSTAIN}, rule, PERMANENT).adopted
            assert p.veto == (no != abstain)
            assert not p.veto or (rule.veto and p.member in PERMANENT)


def test_a_party_obliged_to_abstain_is_never_pivotal():
    from dataclasses import replace

    from unsc_sim import simulate

    from .helpers import scenario_from

    probs = np.tile([0.0, 0.0, 1.0, 0.0], (15, 1))
    probs[:9] = [1.0, 0.0, 0.0, 0.0]  # nine yes, the party among them
    base = scenario_from(probs, rule=RuleKind.SUBSTANTIVE)
    party = replace(base.members[0], party_to_dispute=True)
    s = replace(base, members=(party, *base.members[1:]), chapter="VI")
    result = simulate(s)
    assert result.decision.tally.yes == 8 and not result.decision.adopted
    # Its yes would pass the draft, but the proviso leaves it no vote to cast.
    assert party.name not in result.pivotal and result.pivotal
    assert party.name in simulate(replace(s, chapter="VII")).pivotal


def test_a_party_obliged_to_abstain_has_no_swing_and_is_no_candidate():
    from dataclasses import replace

    from unsc_sim import swing, what_it_takes

    from .helpers import scenario_from

    probs = np.tile([0.0, 0.0, 1.0, 0.0], (15, 1))
    probs[:9] = [1.0, 0.0, 0.0, 0.0]
    base = scenario_from(probs, rule=RuleKind.SUBSTANTIVE)
    party = replace(base.members[0], party_to_dispute=True)
    s = replace(base, members=(party, *base.members[1:]), chapter="VI")
    row = next(r for r in swing(s).rows if r.member == party.name)
    assert (row.swing, row.p_pivotal) == (0.0, 0.0)
    needed = what_it_takes(s, side="pass")
    assert needed.certain_size == 1 and all(party.name not in m.members for m in needed.certain)
    assert party.name not in {c.member for c in needed.candidates}
