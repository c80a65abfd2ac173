"""Reported tallies through the public API: scenario files in, conditioned results out.

Random scenarios (written as YAML and loaded with ``unsc_sim.loads``) are checked against
brute-force enumeration of every vote profile; then every view of a conditioned scenario,
impossible reports, and the December 2018 and 2019 files as the reports tell them.
"""

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

import unsc_sim
from unsc_sim.charter import decide_profiles
from unsc_sim.errors import ScenarioError
from unsc_sim.model import VOTES
from unsc_sim.output import words

from ..conftest import SCENARIOS


@pytest.fixture
def run_cli():
    from click.testing import CliRunner

    from unsc_sim.cli import main

    return lambda *args: CliRunner().invoke(main, list(args))


COUNCIL_2018 = ("United States", "China", "Côte d'Ivoire", "United Kingdom", "France",
                "Netherlands", "Sweden", "Poland", "Peru", "Kuwait", "Russian Federation",
                "Bolivia", "Kazakhstan", "Equatorial Guinea", "Ethiopia")  # fmt: skip
PERMANENT = {"United States", "China", "United Kingdom", "France", "Russian Federation"}
WORDS = [v.value for v in VOTES]


def stance_yaml(p) -> str:
    p = np.asarray(p, float)
    if p.max() == 1.0:
        return WORDS[int(np.argmax(p))]
    return "{" + ", ".join(f"{w}: {float(x)!r}" for w, x in zip(WORDS, p) if x > 0) + "}"


def random_file(seed: int):
    """A 2018 Council with 7 uncertain members, reported counts drawn from one profile, and
    three hypotheticals; the YAML and the probabilities behind it."""
    rng = np.random.default_rng(seed)
    rule = "substantive" if seed % 2 else "procedural"
    probs = np.eye(4)[rng.integers(0, 4, 15)]
    uncertain = rng.choice(15, size=7, replace=False)
    for i in uncertain:
        support = rng.random(4) < 0.7
        support[rng.integers(0, 4)] = True
        q = rng.dirichlet(np.ones(4)) * support
        probs[i] = np.round(q / q.sum(), 3)
        probs[i, int(np.argmax(probs[i]))] += 1 - probs[i].sum()  # sum exactly 1
    drawn = [rng.choice(4, p=row / row.sum()) for row in probs]
    counts = {}
    for c in rng.choice(4, size=int(rng.integers(1, 3)), replace=False):
        k = int(np.count_nonzero(np.equal(drawn, c)))
        counts[WORDS[c]] = (
            str(k) if rng.random() < 0.6 else f"{{min: {max(0, k - 1)}, max: {k + 1}}}"
        )
    hyps = {}
    for h in range(3):
        who = rng.choice(15, size=int(rng.integers(1, 3)), replace=False)
        hyps[f"h{h}"] = {int(i): np.eye(4)[rng.integers(0, 4)] if rng.random() < 0.5
                         else np.round(rng.dirichlet(np.ones(4)), 2) for i in who}  # fmt: skip
        for q in hyps[f"h{h}"].values():
            q[int(np.argmax(q))] += 1 - q.sum()
    lines = ["title: random", "date: 2018-12-10", f"rule: {rule}", "reported:"]
    lines += [f"  {w}: {v}" for w, v in counts.items()] + ["  source: S/PV.1"]
    lines += ["members:"] + [f"  {n}: {stance_yaml(p)}" for n, p in zip(COUNCIL_2018, probs)]
    lines += ["hypotheticals:"]
    for name, changes in hyps.items():
        lines += [f"  {name}:"] + [
            f"    {COUNCIL_2018[i]}: {stance_yaml(q)}" for i, q in changes.items()
        ]
    return "\n".join(lines) + "\n", probs, hyps


class Brute:
    def __init__(self, scenario, probs):
        self.rule = scenario.rule
        self.perm = np.array([m.permanent for m in scenario.members])
        options = [np.flatnonzero(row > 0) for row in probs]
        self.codes = np.array(list(itertools.product(*options)))
        w = np.prod(probs[np.arange(15), self.codes], axis=1)
        ok = np.ones(len(self.codes), bool)
        for r in scenario.reported:
            for vote, (lo, hi) in r.counts.items():
                k = np.count_nonzero(self.codes == VOTES.index(vote), axis=1)
                ok &= (k >= lo) & (k <= (15 if hi is None else hi))
        self.mass = w * ok / (w * ok).sum()

    def posterior(self):
        return np.array([[self.mass[self.codes[:, i] == c].sum() for c in range(4)]
                         for i in range(15)])  # fmt: skip

    def p_adopted(self, changes=None):
        changes = changes or {}
        keys = sorted(changes)
        total = 0.0
        for combo in itertools.product(range(4), repeat=len(keys)):
            q = np.prod([changes[i][c] for i, c in zip(keys, combo)])
            if q == 0:
                continue
            codes = self.codes.copy()
            codes[:, keys] = combo
            total += q * self.mass @ decide_profiles(codes, self.perm, self.rule)
        return total


@pytest.mark.parametrize("seed", range(12))
def test_random_scenarios_agree_with_enumeration(seed):
    text, probs, hyps = random_file(seed)
    s = unsc_sim.loads(text)
    brute = Brute(s, probs)
    base = unsc_sim.simulate(s)
    np.testing.assert_allclose(np.array(base.posterior), brute.posterior(), atol=1e-9)
    assert base.p_adopted == pytest.approx(brute.p_adopted(), abs=1e-9)
    assert base.expected["yes"] == pytest.approx(brute.posterior()[:, 0].sum(), abs=1e-9)
    for name, changes in hyps.items():
        got = unsc_sim.simulate(s, name)
        assert got.p_adopted == pytest.approx(brute.p_adopted(changes), abs=1e-9), name


def test_no_reports_leave_everything_as_it_was(dec2019):
    r = unsc_sim.simulate(dec2019)
    assert r.reported == () and r.evidence is None and r.posterior == ()
    assert "reported" not in r.to_record()


BLOCS = """title: blocs given a report
date: 2018-12-10
reported: {yes: {min: 7, max: 8}, source: S/PV.1}
members:
  United States: yes
  China: {no: 0.8, abstain: 0.2}
  Côte d'Ivoire: {yes: 0.4, abstain: 0.6}
  United Kingdom: {yes: 0.9, abstain: 0.1}
  France: {yes: 0.9, abstain: 0.1}
  Netherlands: {yes: 0.8, abstain: 0.2}
  Sweden: {yes: 0.8, abstain: 0.2}
  Poland: {yes: 0.7, abstain: 0.3}
  Peru: {yes: 0.6, abstain: 0.4}
  Kuwait: {yes: 0.6, abstain: 0.4}
  Russian Federation: no
  Bolivia: {no: 0.7, abstain: 0.3}
  Kazakhstan: {yes: 0.5, no: 0.5}
  Equatorial Guinea: {yes: 0.2, abstain: 0.8}
  Ethiopia: {yes: 0.2, abstain: 0.8}
blocs:
  western: {members: [United Kingdom, France, Netherlands, Sweden, Poland], correlation: 0.6}
hypotheticals:
  civ: {Côte d'Ivoire: yes}
"""


def test_blocs_exact_agrees_with_weighted_monte_carlo():
    s = unsc_sim.loads(BLOCS)
    for name in (None, "civ"):
        exact = unsc_sim.simulate(s, name, method="exact")
        mc = unsc_sim.simulate(s, name, method="montecarlo", trials=20_000, seed=3)
        assert exact.method.value == "exact" and mc.method.value == "montecarlo"
        assert mc.ess is not None and 1_000 < mc.ess <= 20_000
        assert abs(mc.p_adopted - exact.p_adopted) <= 4 * mc.p_adopted_se + 1e-3
        np.testing.assert_allclose(np.array(mc.posterior), np.array(exact.posterior), atol=0.03)
    assert exact.evidence == pytest.approx(mc.evidence, rel=0.05)


def test_impossible_report_is_one_located_line(tmp_path, run_cli):
    bad = (
        (SCENARIOS / "2018-12-dprk-human-rights.yaml")
        .read_text()
        .replace("  yes: 8\n", "  yes: 13\n")
    )
    path = tmp_path / "bad.yaml"
    path.write_text(bad)
    with pytest.raises(ScenarioError) as err:
        unsc_sim.load(path, sources=(SCENARIOS.parent,))
    assert err.value.line == bad.splitlines().index("  yes: 13") + 1
    assert "reported yes: 13 cannot happen: at most 9 members can vote yes" in str(err.value)
    result = run_cli("run", str(path), "--sources", str(SCENARIOS.parent))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith(f"unsc-sim: error: {path}:{err.value.line}:")
    assert "reported.yes" in lines[0] and "yes: 13" in lines[0]


def test_tiny_evidence_is_a_warning():
    text = BLOCS.replace("{yes: {min: 7, max: 8}, source: S/PV.1}", "{yes: 14, source: S/PV.1}")
    text = text.replace("blocs:\n  western: {members: [United Kingdom, France, Netherlands, "
                        "Sweden, Poland], correlation: 0.6}\n", "")  # fmt: skip
    text = text.replace("China: {no: 0.8, abstain: 0.2}", "China: {yes: 0.0001, no: 0.9999}")
    text = text.replace("Bolivia: {no: 0.7, abstain: 0.3}", "Bolivia: {yes: 0.001, no: 0.999}")
    s = unsc_sim.loads(text)
    assert any("probability of only" in str(w) and "yes: 14" in str(w) for w in s.warnings)


# --- December 2018 and 2019 as the reports tell them ---


def test_december_2018_reads_as_the_reports_say(dec2018):
    results = {r.hypothetical: r for r in unsc_sim.run(dec2018)}
    base, civ = results["baseline"], results["ivory-coast-yes"]
    assert words.sure_yes_count(base) == 8 and base.p_adopted == 0.0
    assert words.adopted_cell(base) is False
    assert words.sure_yes_count(civ) == 9 and civ.p_adopted == pytest.approx(1.0, abs=1e-12)
    assert words.adopted_cell(civ) is True
    assert words.verdict(base).startswith(
        "Not adopted: 8 yes, one short of 9. Côte d'Ivoire, Equatorial Guinea or Ethiopia"
    )
    assert "Côte d'Ivoire" in words.would_make(base)
    assert words.verdict(civ) == "Adopted: 9 yes, 9 needed."
    for r in results.values():  # nobody pivotal "at 0.50"
        assert all(abs(p.p - 0.5) > 1e-9 for p in r.pivots), r.hypothetical
    assert base.expected["yes"] == pytest.approx(8.0)
    # Who were the eight? The seven of both 2018 votes first, then Kazakhstan.
    order = sorted(zip(base.posterior, dec2018.names), key=lambda x: -x[0][0])
    assert [n for _, n in order][:1] == ["United States"]
    assert [n for _, n in order][8] == "Kazakhstan"
    assert dec2018.proposed_by == ("United States",) and dec2018.opposed_by == ("China",)


def test_december_2019_the_us_the_missing_ninth(dec2019):
    base = unsc_sim.simulate(dec2019)
    assert "United States" in base.pivotal
    assert words.verdict(base).startswith("Not adopted: 8 yes, one short of 9. United States")
    assert unsc_sim.simulate(dec2019, "us-supports").decision.adopted


# --- every view of a conditioned scenario ---


S2018 = str(SCENARIOS / "2018-12-dprk-human-rights.yaml")


def test_run_views(run_cli):
    table = run_cli("run", S2018).stdout
    assert "reported: 8 yes (seeds/000_0963a4101a18558c.txt)" in table.splitlines()[3]
    assert "no vote was held" in table
    assert "baseline: Not adopted: 8 yes, one short of 9." in table
    assert "expected numbers of votes" in table
    doc = json.loads(run_cli("run", S2018, "--format", "json").stdout)
    base = doc["results"][0]
    assert base["adopted"] is False and base["verdict"].startswith("Not adopted: 8 yes")
    assert base["reported"][0]["counts"] == {"yes": {"min": 8, "max": 8}}
    assert doc["vote_held"] is False and doc["reported"] == base["reported"]
    csv = run_cli("run", S2018, "--format", "csv").stdout.splitlines()
    assert "verdict" in csv[0] and csv[1].startswith("baseline,8")


def test_members_views(run_cli):
    doc = json.loads(run_cli("members", S2018, "--format", "json").stdout)
    rows = doc["members"]
    assert all(set(r["p"]) == set(r["posterior"]) == set(WORDS) for r in rows)
    yes = [r["posterior"]["yes"] for r in rows]
    assert yes == sorted(yes, reverse=True) and sum(yes) == pytest.approx(8.0)
    table = run_cli("members", S2018).stdout
    assert "given the reports" in table and "yes 0.44 / no 0.28 / abstain 0.28" in table
    assert "posterior_yes" in run_cli("members", S2018, "--format", "csv").stdout


@pytest.mark.parametrize(
    "args",
    [("swing",), ("whatif",), ("sweep", "--vary", "Kazakhstan", "--steps", "3")],
)
def test_analyses_say_they_are_conditioned(run_cli, args):
    out = run_cli(args[0], S2018, *args[1:]).stdout
    assert "given the reports (8 yes" in out
    doc = json.loads(run_cli(args[0], S2018, *args[1:], "--format", "json").stdout)
    assert doc["given"].startswith("given the reports")


def test_swing_and_sweep_use_the_conditioned_baseline(dec2018):
    civ = next(r for r in unsc_sim.swing(dec2018).rows if r.member == "Côte d'Ivoire")
    assert civ.p_adopted_if_yes == pytest.approx(1.0) and civ.p_adopted_if_not == 0.0
    sweep = unsc_sim.sweep(dec2018, ["Kazakhstan"], steps=3)
    want = unsc_sim.simulate(dec2018, changes={"Kazakhstan": "yes"}).p_adopted
    assert sweep.p_adopted[-1] == pytest.approx(want, abs=1e-12)


@pytest.mark.parametrize("kind", ["distribution", "swing", "chamber"])
def test_plots_of_a_conditioned_scenario(run_cli, tmp_path, kind):
    out = tmp_path / f"{kind}.svg"
    assert run_cli("plot", S2018, "--kind", kind, "-o", str(out)).exit_code == 0
    assert "given the reports" in out.read_text()


def test_page_data_has_reports_and_posteriors(dec2018):
    from unsc_sim.output.explorer import page_data

    data = page_data(dec2018, seed=1)
    assert data["reported"][0]["counts"]["yes"] == {"min": 8, "max": 8}
    base = data["python"]["baseline"]
    assert base["posterior"]["Kazakhstan"]["yes"] == pytest.approx(0.4375)
    assert base["verdict"].startswith("Not adopted") and base["adopted_sure"] is False


def test_a_batch_of_counterfactuals_equals_one_at_a_time():
    """``Given.p_adopted`` on a batch (a sweep's) shares the kept members' part: it must give
    what each row's own counterfactual gives, with and without blocs."""
    import numpy as np

    from unsc_sim.engine.choose import arrays, conditioning

    text = Path(S2018).read_text(encoding="utf-8")
    bloc = "blocs:\n  west: {members: [United Kingdom, France, Peru], correlation: 0.5}\n"
    for s in (unsc_sim.load(S2018), unsc_sim.loads(text + bloc, base=Path(S2018).parent)):
        _, world = conditioning(s, ["Peru", "Kuwait"], trials=1000, seed=1)
        probs, _ = arrays(s)
        rng = np.random.default_rng(7)
        batch = np.repeat(probs[None], 40, axis=0)
        for row in batch:
            for i in (s.names.index("Peru"), s.names.index("Kuwait")):
                y = rng.random()
                row[i] = (y, 0.0, 1 - y, 0.0)
        one_by_one = [world.distribution(row).p_adopted for row in batch]
        assert np.allclose(world.p_adopted(batch), one_by_one, atol=1e-12, rtol=0)
