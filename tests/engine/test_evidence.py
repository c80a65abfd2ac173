"""Conditioning on reported tallies against brute-force enumeration of every vote profile."""

import itertools

import numpy as np
import pytest

from unsc_sim.charter import ABSTAIN, NO, YES, decide_profiles
from unsc_sim.engine import quadrature
from unsc_sim.engine.evidence import (
    bounds,
    condition,
    condition_mixture,
    counterfactual,
    counterfactual_mixture,
    counterfactual_pivots,
    effective_sample_size,
    node_joint,
    p_reported,
    tiny,
)
from unsc_sim.engine.latent import Factors
from unsc_sim.engine.montecarlo import given_factors, sample_given
from unsc_sim.errors import ImpossibleEvidenceError, InvalidValueError, UnscSimError
from unsc_sim.model import VOTES, Report, Rule, RuleKind, Vote
from unsc_sim.scenario.reports import tiny_warning

SURE = np.eye(4)


# --- an independent, slow implementation: every profile of the members' possible votes ---


def profiles(probs: np.ndarray) -> np.ndarray:
    """Every profile of votes the members can cast (at some node), as (profiles, members)."""
    options = [np.flatnonzero((probs[:, i] > 0).any(axis=0)) for i in range(probs.shape[1])]
    return np.array(list(itertools.product(*options)), dtype=np.int8)


def weight(probs: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """(nodes, profiles): the probability of each profile at each node."""
    n = codes.shape[1]
    return np.prod(probs[:, np.arange(n), codes], axis=-1)


def holds(codes: np.ndarray, reports) -> np.ndarray:
    ok = np.ones(len(codes), dtype=bool)
    for r in reports:
        for vote, (lo, hi) in r.counts.items():
            k = np.count_nonzero(codes == VOTES.index(vote), axis=1)
            ok &= (k >= lo) & (k <= (codes.shape[1] if hi is None else hi))
    return ok


class Brute:
    """Everything by enumeration, for a mixture (weights, (nodes, members, 4) probs)."""

    def __init__(self, weights, probs, permanent, rule, reports):
        self.w, self.p = np.asarray(weights, float), np.asarray(probs, float)
        self.perm, self.rule = np.asarray(permanent, bool), rule
        self.codes = profiles(self.p)
        # (nodes, profiles): P_j(profile and reports hold), weighted by the node's weight
        self.joint = self.w[:, None] * weight(self.p, self.codes) * holds(self.codes, reports)
        self.evidence = self.joint.sum()

    def posterior(self) -> np.ndarray:
        mass = self.joint.sum(axis=0)
        n = self.codes.shape[1]
        return np.array([[mass[self.codes[:, i] == c].sum() for c in range(4)] for i in range(n)])

    def redrawn(self, changes):
        """(mass (profiles,), new codes) for each redraw of ``changes`` (index -> probs)."""
        keys = sorted(changes or {})
        new = {i: np.broadcast_to(np.asarray(changes[i], float), (len(self.w), 4)) for i in keys}
        for combo in itertools.product(range(4), repeat=len(keys)):
            q = np.ones(len(self.w))
            for i, c in zip(keys, combo):
                q = q * new[i][:, c]
            if np.any(q):
                codes = self.codes.copy()
                codes[:, keys] = combo
                yield q @ self.joint / self.evidence, codes

    def distribution(self, changes=None) -> tuple[np.ndarray, np.ndarray]:
        """(total, clean) given the reports, after redrawing ``changes``."""
        n = self.codes.shape[1]
        total, clean = np.zeros(n + 1), np.zeros(n + 1)
        for mass, codes in self.redrawn(changes):
            yes = np.count_nonzero(codes == YES, axis=1)
            veto = np.any((codes == NO) & self.perm, axis=1) & self.rule.veto
            total += np.bincount(yes, mass, minlength=n + 1)
            clean += np.bincount(yes, mass * ~veto, minlength=n + 1)
        return total, clean

    def p_adopted(self, changes=None) -> float:
        return sum(m @ decide_profiles(c, self.perm, self.rule) for m, c in self.redrawn(changes))

    def pivots(self, changes=None) -> tuple[np.ndarray, np.ndarray]:
        n, changes = self.codes.shape[1], changes or {}
        p = np.array(
            [
                [self.p_adopted({**changes, i: SURE[v]}) for v in (YES, ABSTAIN, NO)]
                for i in range(n)
            ]
        )
        return p[:, 0] - p[:, 2], p[:, 1] - p[:, 2]


# --- random scenarios with reports that can happen ---


def random_case(seed: int, n: int, *, sure: int = 0, nodes: int = 0):
    """A random rule, permanent members, probabilities (some sure, some with zeros), reports.

    ``nodes`` > 0 gives a mixture: (weights, (nodes, n, 4) probs) sharing one support.
    """
    rng = np.random.default_rng(seed)
    kind = RuleKind.SUBSTANTIVE if rng.random() < 0.6 else RuleKind.PROCEDURAL
    permanent = np.zeros(n, bool)
    permanent[rng.choice(n, size=int(rng.integers(0, 4)), replace=False)] = True
    support = rng.random((n, 4)) < 0.75
    support[np.arange(n), rng.integers(0, 4, n)] = True
    support[rng.choice(n, size=sure, replace=False)] = SURE[rng.integers(0, 4, sure)] > 0
    k = max(nodes, 1)
    probs = rng.dirichlet(np.full(4, 0.8), size=(k, n)) * support
    probs /= probs.sum(axis=-1, keepdims=True)
    weights = rng.dirichlet(np.ones(k))
    # A profile drawn from node 0 gives counts the stances allow; ranges widen some of them.
    drawn = np.array([rng.choice(4, p=row) for row in probs[0]])
    # A threshold near the drawn yes count, so that outcomes and pivots are often uncertain.
    near = np.count_nonzero(drawn == YES) + int(rng.integers(-1, 2))
    rule = Rule(kind, size=n, threshold=int(np.clip(near, 1, n)))
    votes = rng.choice(4, size=int(rng.integers(1, 4)), replace=False)
    reports = []
    for c in votes:
        count = int(np.count_nonzero(drawn == c))
        if rng.random() < 0.5:
            value = count
        else:
            value = (
                max(0, count - int(rng.integers(0, 3))),
                min(n, count + int(rng.integers(0, 2))),
            )
        reports.append(Report({VOTES[c]: value}, source="test"))
    if rng.random() < 0.3:  # a second, looser report of the first count: both must hold
        c = votes[0]
        reports.append(Report({VOTES[c]: (0, int(np.count_nonzero(drawn == c)) + 1)}))
    if nodes:
        return rule, permanent, weights, probs, reports, rng
    return rule, permanent, probs[0], reports, rng


def random_changes(rng, probs: np.ndarray, n: int) -> dict[int, np.ndarray]:
    """1-3 members, each given a new stance: sure, random, or its own (still redrawn)."""
    members = rng.choice(n, size=int(rng.integers(1, 4)), replace=False)
    out = {}
    for i in members:
        kind = rng.integers(0, 3)
        if kind == 0:
            out[int(i)] = SURE[rng.integers(0, 4)]
        elif kind == 1:
            out[int(i)] = rng.dirichlet(np.ones(4))
        else:
            out[int(i)] = probs[..., i, :]  # the same stance: redrawn all the same
    return out


def check_against_brute(brute: Brute, got, rule):
    assert got.evidence == pytest.approx(brute.evidence, abs=1e-12, rel=1e-9)
    total, clean = brute.distribution()
    np.testing.assert_allclose(got.total, total, atol=1e-9)
    np.testing.assert_allclose(got.clean, clean, atol=1e-9)
    assert got.p_adopted == pytest.approx(brute.p_adopted(), abs=1e-9)
    np.testing.assert_allclose(got.posterior, brute.posterior() / brute.evidence, atol=1e-9)
    pivot, veto_pivot = brute.pivots()
    np.testing.assert_allclose(got.pivot, pivot, atol=1e-9)
    np.testing.assert_allclose(got.veto_pivot, veto_pivot, atol=1e-9)


@pytest.mark.parametrize("seed", range(36))
def test_independent_members_agree_with_enumeration(seed):
    n = 5 + seed % 3
    rule, permanent, probs, reports, rng = random_case(seed, n, sure=seed % 3)
    brute = Brute([1.0], probs[None], permanent, rule, reports)
    got = condition(probs, permanent, rule, reports)
    check_against_brute(brute, got, rule)
    assert p_reported(probs, reports) == pytest.approx(brute.evidence, rel=1e-9)
    for _ in range(3):
        changes = random_changes(rng, probs, n)
        cf = counterfactual(probs, permanent, rule, reports, changes)
        total, clean = brute.distribution(changes)
        np.testing.assert_allclose(cf.total, total, atol=1e-9)
        np.testing.assert_allclose(cf.clean, clean, atol=1e-9)
        assert cf.p_adopted == pytest.approx(brute.p_adopted(changes), abs=1e-9)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("size", [11, 15])
def test_full_councils_with_sure_members_agree_with_enumeration(seed, size):
    # Sure members leave at most 4^8 profiles for the enumeration.
    rule, permanent, probs, reports, rng = random_case(100 + seed, size, sure=size - 8)
    if size == 15:
        rule = Rule(rule.kind)  # the real Council: 9 of 15
    brute = Brute([1.0], probs[None], permanent, rule, reports)
    check_against_brute(brute, condition(probs, permanent, rule, reports), rule)
    changes = random_changes(rng, probs, size)
    cf = counterfactual(probs, permanent, rule, reports, changes)
    assert cf.p_adopted == pytest.approx(brute.p_adopted(changes), abs=1e-9)


@pytest.mark.parametrize("seed", range(8))
def test_mixtures_agree_with_enumeration_over_nodes_and_profiles(seed):
    n = 5 + seed % 2
    rule, permanent, weights, probs, reports, rng = random_case(
        200 + seed, n, nodes=2 + seed % 2, sure=1
    )
    brute = Brute(weights, probs, permanent, rule, reports)
    got = condition_mixture(weights, probs, permanent, rule, reports)
    check_against_brute(brute, got, rule)
    per_node = [
        Brute([w], p[None], permanent, rule, reports).evidence for w, p in zip(weights, probs)
    ]
    np.testing.assert_allclose(got.weights, np.array(per_node) / brute.evidence, atol=1e-12)
    # New stances that differ by node (as a bloc member's do given its factor).
    changes = {int(i): rng.dirichlet(np.ones(4), size=len(weights)) for i in rng.choice(n, 2)}
    cf = counterfactual_mixture(weights, probs, permanent, rule, reports, changes)
    total, clean = brute.distribution(changes)
    np.testing.assert_allclose(cf.total, total, atol=1e-9)
    np.testing.assert_allclose(cf.clean, clean, atol=1e-9)


@pytest.mark.parametrize("seed", range(8))
def test_counterfactual_pivots_agree_with_enumeration(seed):
    n = 5 + seed % 2
    rule, permanent, weights, probs, reports, rng = random_case(300 + seed, n, nodes=2, sure=1)
    brute = Brute(weights, probs, permanent, rule, reports)
    changes = random_changes(rng, probs, n)
    if seed % 2:  # new stances that differ by node
        changes = {i: rng.dirichlet(np.ones(4), size=len(weights)) for i in changes}
    pivot, veto_pivot = counterfactual_pivots(weights, probs, permanent, rule, reports, changes)
    want_pivot, want_veto = brute.pivots(changes)
    np.testing.assert_allclose(pivot, want_pivot, atol=1e-9)
    np.testing.assert_allclose(veto_pivot, want_veto, atol=1e-9)


def test_all_four_counts_reported_together():
    rule, permanent, probs, _, _ = random_case(7, 6)
    rng = np.random.default_rng(1)
    drawn = [rng.choice(4, p=row) for row in probs]
    counts = {v: int(np.count_nonzero(np.equal(drawn, c))) for c, v in enumerate(VOTES)}
    reports = [
        Report({Vote.YES: counts[Vote.YES], Vote.NO: counts[Vote.NO]}),
        Report({"abstain": (0, counts[Vote.ABSTAIN]), "absent": (counts[Vote.ABSENT], None)}),
    ]
    check_against_brute(
        Brute([1.0], probs[None], permanent, rule, reports),
        condition(probs, permanent, rule, reports),
        rule,
    )


def test_no_reports_change_nothing_and_redrawing_is_the_prior():
    rule, permanent, probs, _, _ = random_case(3, 7)
    reports = [Report({"yes": (0, None)})]
    got = condition(probs, permanent, rule, reports)
    brute = Brute([1.0], probs[None], permanent, rule, [])
    assert got.evidence == pytest.approx(1.0)
    np.testing.assert_allclose(got.posterior, probs, atol=1e-12)
    assert got.p_adopted == pytest.approx(brute.p_adopted(), abs=1e-12)


def test_redrawing_an_unchanged_member_differs_from_keeping_its_vote():
    # Three members, exactly one yes reported: member 0's posterior P(yes) is 1/3, but redrawn
    # from its stance it votes yes half of the time.
    rule = Rule(RuleKind.PROCEDURAL, size=3, threshold=2)
    probs = np.tile([0.5, 0.5, 0.0, 0.0], (3, 1))
    reports = [Report({"yes": 1})]
    base = condition(probs, np.zeros(3, bool), rule, reports)
    same = counterfactual(probs, np.zeros(3, bool), rule, reports, {0: probs[0]})
    assert base.p_adopted == 0.0
    assert same.p_adopted == pytest.approx(0.5 * 2 / 3)


# --- the 2018 Council, as the reports tell it ---


def test_december_2018_eight_yes_and_cote_divoire_the_ninth(dec2018):
    names = dec2018.names
    permanent = np.array([m.permanent for m in dec2018.members])
    probs = np.zeros((15, 4))
    doubt = {"Kazakhstan": 0.3, "Kuwait": 0.9}
    eight = ("United Kingdom", "France", "Netherlands", "Sweden", "Poland", "Peru", "Kuwait",
             "Kazakhstan")  # fmt: skip
    for i, name in enumerate(names):
        if name == "United States":
            probs[i] = SURE[YES]
        elif name in eight:
            y = doubt.get(name, 0.95)
            probs[i] = [y, (1 - y) / 2, (1 - y) / 2, 0.0]
        elif name in ("China", "Russian Federation", "Bolivia"):
            probs[i] = SURE[NO]
        else:  # Côte d'Ivoire (reported "not yes"), Equatorial Guinea, Ethiopia
            probs[i] = SURE[ABSTAIN]
    reports = [Report({"yes": 8}, source="seeds/000_0963a4101a18558c.txt", quote="eight")]
    rule = dec2018.rule
    base = condition(probs, permanent, rule, reports)
    assert base.p_adopted == pytest.approx(0.0, abs=1e-12)
    assert base.total[8] == pytest.approx(1.0, abs=1e-12)
    civ = names.index("Côte d'Ivoire")
    yes = counterfactual(probs, permanent, rule, reports, {civ: SURE[YES]})
    assert yes.p_adopted == pytest.approx(1.0, abs=1e-12)
    assert base.pivot[civ] == pytest.approx(1.0, abs=1e-12)
    # Exactly one of the eight did not vote yes: their pivots share that one certainty, and
    # Kazakhstan is the likeliest to be the one.
    idx = [names.index(m) for m in eight]
    assert base.pivot[idx].sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(base.pivot[idx], 1.0 - base.posterior[idx, YES], atol=1e-12)
    # Which one: in proportion to its odds of not voting yes (Kazakhstan 0.7 / 0.3, ...).
    odds = (1 - probs[idx, YES]) / probs[idx, YES]
    np.testing.assert_allclose(base.pivot[idx], odds / odds.sum(), atol=1e-12)
    assert names[idx[int(np.argmax(base.pivot[idx]))]] == "Kazakhstan"


# --- impossible and unlikely reports ---


@pytest.mark.parametrize(
    ("stances", "report", "says"),
    [
        ([SURE[YES]] * 3 + [SURE[NO]] * 4 + [[0.5, 0, 0.5, 0]] * 2, {"yes": 6},
         "reported yes: 6 cannot happen: at most 5 members can vote yes (the other 4 are sure"),
        ([SURE[YES]] * 3 + [SURE[NO]] * 4 + [[0.5, 0, 0.5, 0]] * 2, {"yes": (0, 2)},
         "reported yes: at most 2 cannot happen: at least 3 members are sure to vote yes"),
        ([SURE[YES]] * 3 + [SURE[NO]] * 4 + [[0.5, 0, 0.5, 0]] * 2, {"no": (5, None)},
         "reported no: at least 5 cannot happen: at most 4 members can vote no"),
        ([[0.5, 0.5, 0, 0]] * 9, {"yes": 5, "no": 5},
         "reported yes: 5, no: 5 cannot happen: together they need 10 of 9 members"),
        ([[0.5, 0.5, 0, 0]] * 4 + [[0, 0, 0.5, 0.5]] * 5, {"yes": 3, "abstain": 2, "no": 2},
         "reported yes: 3, no: 2 cannot happen: at most 4 members can vote yes or no (the"),
        ([[0.5, 0.5, 0, 0]] * 4 + [[0, 0, 0.5, 0.5]] * 5, {"abstain": (0, 2), "absent": (0, 2)},
         "reported abstain: at most 2, absent: at most 2 cannot happen: at least 5 members are"
         " sure to vote abstain or absent"),
        ([[0.5, 0.5, 0, 0]] * 4, {"yes": (0, 1), "no": (0, 1)},
         "reported yes: at most 1, no: at most 1 cannot happen: together they allow only 2 of"),
    ],
)  # fmt: skip
def test_impossible_reports_name_the_count(stances, report, says):
    probs = np.array(stances, dtype=float)
    rule = Rule(RuleKind.SUBSTANTIVE, size=len(probs), threshold=3)
    reports = [Report(report, line=12)]
    for call in (
        lambda: condition(probs, np.zeros(len(probs), bool), rule, reports),
        lambda: counterfactual(probs, np.zeros(len(probs), bool), rule, reports, {0: SURE[YES]}),
        lambda: p_reported(probs, reports),
    ):
        with pytest.raises(ImpossibleEvidenceError) as err:
            call()
        assert str(err.value).startswith(says)
        assert err.value.report.line == 12
        assert isinstance(err.value, (UnscSimError, ValueError))


def test_contradictory_reports_are_refused():
    with pytest.raises(
        ImpossibleEvidenceError, match="yes: 9 cannot happen: another report gives 8"
    ):
        bounds([Report({"yes": 8}), Report({"yes": 9})], 15)
    with pytest.raises(ImpossibleEvidenceError, match="yes: 16 cannot happen: the Council has 15"):
        bounds([Report({"yes": 16})], 15)


@pytest.mark.parametrize("bad", [-1, (3, 2), 2.5, True, "eight", (1, 2, 3)])
def test_malformed_counts_are_refused(bad):
    with pytest.raises(InvalidValueError):
        Report({"yes": bad})
    with pytest.raises(InvalidValueError):
        Report({})


def test_reports_are_values_and_bad_calls_are_refused():
    a = Report({"yes": 8}, source="s", quote="q", line=3)
    assert a == Report({Vote.YES: (8, 8)}, source="s", quote="q", line=3)
    assert hash(a) == hash(Report({"in favour": 8}, source="s", quote="q", line=3))
    assert bounds([Report({"no": (2, None)}), Report({"no": (None, 4), "yes": 8})], 15) == {
        Vote.YES: (8, 8),
        Vote.NO: (2, 4),
    }
    probs = np.tile([0.5, 0.5, 0, 0], (3, 1))
    rule = Rule(size=3, threshold=2)
    with pytest.raises(InvalidValueError, match=r"outside 0\.\.2"):
        counterfactual(probs, np.zeros(3, bool), rule, [Report({"yes": 1})], {3: SURE[YES]})
    with pytest.raises(InvalidValueError, match="rule is for 15 members"):
        condition(probs, np.zeros(3, bool), Rule(), [Report({"yes": 1})])


def test_tiny_evidence_is_a_warning_not_an_error():
    probs = np.array([[1e-4, 1 - 1e-4, 0, 0]] * 2 + [SURE[NO]] * 3)
    reports = [Report({"yes": 2})]
    got = condition(probs, np.zeros(5, bool), Rule(size=5, threshold=2), reports)
    assert got.evidence == pytest.approx(1e-8) and got.p_adopted == pytest.approx(1.0)
    assert tiny(got.evidence) and not tiny(0.5)
    assert "yes: 2" in tiny_warning(got.evidence, reports)
    assert tiny_warning(0.5, reports) is None


# --- Monte Carlo with exact weighting against quadrature over the same bloc ---


def test_weighted_sampling_agrees_with_quadrature_and_reports_its_ess():
    rng = np.random.default_rng(5)
    n = 9
    probs = rng.dirichlet(np.full(4, 0.8), size=n)
    probs[0] = SURE[YES]
    permanent = np.arange(n) < 3
    rule = Rule(RuleKind.SUBSTANTIVE, size=n, threshold=5)
    bloc = [([1, 2, 4, 5, 6], 0.6)]
    reports = [Report({"yes": (4, 5)}), Report({"abstain": (1, None)})]
    # Gauss-Hermite nodes of the factor: a mixture the exact layer conditions.
    x, w = np.polynomial.hermite_e.hermegauss(80)
    nodes = given_factors(probs, bloc, x[None])
    exact = condition_mixture(w / w.sum(), nodes, permanent, rule, reports, members=False)
    mc = sample_given(probs, permanent, rule, reports, blocs=bloc, trials=20_000, seed=3)
    p_mc = min(1.0, float(mc.clean @ (np.arange(n + 1) >= 5)))
    assert abs(p_mc - exact.p_adopted) <= 4 * mc.se
    assert mc.evidence == pytest.approx(exact.evidence, rel=0.05)
    assert 1_000 < mc.ess < 20_000
    # Each member keeps its own probabilities given the factor (the mixture is the stance).
    np.testing.assert_allclose((w / w.sum()) @ nodes.reshape(80, -1), probs.ravel(), atol=1e-9)


@pytest.mark.parametrize("r", [0.3, 0.6])
def test_members_given_the_factor_are_the_bloc_engines_model(r):
    # Unconditioned, the mixture over Gauss-Hermite nodes is the quadrature engine's answer.
    rng = np.random.default_rng(2)
    probs = rng.dirichlet(np.full(4, 0.8), size=9)
    permanent = np.arange(9) < 3
    bloc = [([1, 2, 4, 5, 6], r)]
    x, w = np.polynomial.hermite_e.hermegauss(120)
    nodes = given_factors(probs, bloc, x[None])
    rule = Rule(RuleKind.SUBSTANTIVE, size=9, threshold=5)
    got = condition_mixture(w / w.sum(), nodes, permanent, rule, [Report({"yes": (0, None)})])
    total, clean = quadrature.distributions(probs, permanent, Factors.of(bloc))
    np.testing.assert_allclose(got.total, total, atol=1e-10)
    np.testing.assert_allclose(got.clean, clean, atol=1e-10)


def test_weighted_sampling_without_blocs_is_exact():
    rule, permanent, probs, reports, _ = random_case(11, 7)
    mc = sample_given(probs, permanent, rule, reports, trials=100, seed=1)
    got = condition(probs, permanent, rule, reports, members=False)
    np.testing.assert_allclose(mc.total, got.total, atol=1e-12)
    assert mc.ess == pytest.approx(100) and mc.se == pytest.approx(0.0, abs=1e-12)


def test_node_joint_sums_to_each_nodes_evidence_and_ess():
    rule, permanent, _, probs, reports, _ = random_case(4, 6, nodes=3)
    joint = node_joint(probs, permanent, rule, reports)
    per_node = [Brute([1.0], p[None], permanent, rule, reports).evidence for p in probs]
    np.testing.assert_allclose(joint.sum(axis=(1, 2)), per_node, atol=1e-12)
    assert effective_sample_size([1, 1, 1, 1]) == 4.0
    assert effective_sample_size([1, 0, 0]) == 1.0
