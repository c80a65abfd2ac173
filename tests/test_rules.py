"""Article 27 against an independent brute-force count of every profile."""

import itertools

import numpy as np
import pytest

from unsc_sim.model import Rule, RuleKind, Vote
from unsc_sim.rules import CODE, decide, decide_profiles, pivotal

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
            assert set(got.vetoed_by) == {n for n, v in zip(NAMES, p5) if v is Vote.NO}
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
