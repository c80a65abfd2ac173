"""Reported tallies in the explorer (issue 19): the page conditions on them as the engine does.

The page's JavaScript (``conditionMixture``, ``counterfactualMixture``, ``givenWorld``) is
compared with ``unsc_sim.simulate`` to 1e-12: on the shipped 2018 file with the reports on and
off, every variant, with clicks; on random scenarios with reports, written as files and
loaded; and on blocs. The switch works by click, keyboard and the address's fragment.
"""

import dataclasses
import json

import numpy as np

import unsc_sim
from unsc_sim import Vote
from unsc_sim.output.explorer import page_data, render, scenario_data

from ..conftest import SCENARIOS, SEED
from ..helpers import NAMES
from .test_explore import TOL, library, seat, variants

VOTE_WORDS = [v.value for v in Vote]
STEM = "2018-12-dprk-human-rights"

# What the page computes for a case: every number the tests compare.
EVALUATE = """text => JSON.stringify(JSON.parse(text).map(c => {
    const r = unscSim.evaluate(c.data, c.hypothetical, c.overrides, {reports: c.reports});
    return {p: r.p_adopted, veto: r.p_veto, total: r.total, clean: r.clean,
            expected: ["yes", "no", "abstain", "absent"].map(v => r.expected[v]),
            posterior: r.posterior, pivot: r.pivot || null, adopted: r.adopted,
            pivots: r.pivots.map(x => [x.member, x.why, x.veto]), independent: r.independent};
}))"""


def unreported(s):
    return dataclasses.replace(s, reported=())


def compare(page, cases) -> list[dict]:
    """Each case through ``unscSim.evaluate``, checked against ``simulate``."""
    got = json.loads(
        page.evaluate(
            EVALUATE,
            json.dumps(
                [
                    {
                        "data": c["data"],
                        "hypothetical": c["name"],
                        "overrides": c["clicks"],
                        "reports": c["reports"],
                    }
                    for c in cases
                ]
            ),
        )
    )
    assert len(got) == len(cases)
    for g, c in zip(got, cases):
        s = c["scenario"] if c["reports"] else unreported(c["scenario"])
        r = unsc_sim.simulate(s, c["name"], changes=c["clicks"] or None, seed=SEED)
        where = (c["name"], c["clicks"], c["reports"])
        assert abs(g["p"] - r.p_adopted) <= TOL, where
        assert abs(g["veto"] - r.p_veto) <= TOL, where
        np.testing.assert_allclose(g["total"], r.total, rtol=0, atol=TOL, err_msg=str(where))
        np.testing.assert_allclose(g["clean"], r.clean, rtol=0, atol=TOL, err_msg=str(where))
        expected = [r.expected[v] for v in VOTE_WORDS]
        np.testing.assert_allclose(g["expected"], expected, rtol=0, atol=TOL, err_msg=str(where))
        if s.reported:
            np.testing.assert_allclose(g["posterior"], r.posterior, rtol=0, atol=TOL)
            if r.decision is None:
                np.testing.assert_allclose(g["pivot"], r.pivot, rtol=0, atol=TOL)
        else:
            assert g["posterior"] is None
        d = r.decision
        assert g["adopted"] == (None if d is None else d.adopted), where
        assert [tuple(p) for p in g["pivots"]] == library(r)["pivots"], where
    return got


# ---- Without a browser ----


def test_page_data_carries_both_switch_states():
    s = unsc_sim.load(SCENARIOS / f"{STEM}.yaml")
    data = page_data(s, seed=SEED)
    assert data["reported"] == [
        {"counts": {"yes": {"min": 8, "max": 8}}, "source": s.reported[0].source,
         "quote": s.reported[0].quote}
    ]  # fmt: skip
    assert data["reported_line"].startswith("reported: 8 yes (seeds/000_")
    assert data["vote_held_line"].startswith("no vote was held")
    for on, key in ((s, "python"), (unreported(s), "python_unreported")):
        assert list(data[key]) == variants(s)
        for name, record in data[key].items():
            r = unsc_sim.simulate(on, name, seed=SEED)
            assert record["p_adopted"] == r.p_adopted
            assert record["distribution"] == r.total.tolist()
    assert data["python"]["baseline"]["verdict"].startswith("Not adopted: 8 yes, one short of 9.")
    assert "python_unreported" not in page_data(unreported(s), seed=SEED)


# ---- In the browser ----


def test_2018_every_variant_both_switch_states_and_clicks(watched, pages):
    s, path = pages[STEM]
    page = watched.open(path)
    data = page_data(s, seed=SEED)
    clicks = [{}, {"Kazakhstan": "yes"}, {"Kuwait": "abstain", "China": "yes"},
              {"Côte d'Ivoire": "yes"}, {"Ethiopia": "absent", "United Kingdom": "no"}]  # fmt: skip
    cases = [
        {"scenario": s, "data": data, "name": name, "clicks": c, "reports": on}
        for name in variants(s)
        for c in clicks
        for on in (True, False)
    ]
    got = compare(page, cases)
    assert {g["p"] for g in got} >= {0.0, 1.0}  # the reports decide some outcomes outright


def random_yaml(rng: np.random.Generator, i: int) -> tuple[str, dict[str, str]]:
    """A scenario file with independent members and reports drawn from one roll call (so
    the reports are possible), a hypothetical, and some clicks."""
    kind = ("procedural", "substantive")[i % 2]
    probs = []
    for _ in NAMES:
        if rng.random() < 0.3:
            probs.append(np.eye(4)[rng.integers(0, 4)])
        else:
            p = rng.dirichlet(np.full(4, 0.6))
            p[rng.random(4) < 0.25] = 0.0  # some votes a member will not cast
            probs.append(p / p.sum() if p.sum() > 0 else np.eye(4)[0])
    roll = [rng.choice(4, p=p) for p in probs]
    counts = {v: sum(1 for x in roll if x == k) for k, v in enumerate(VOTE_WORDS)}
    reported = []
    for _ in range(1 + (i % 4 == 0)):
        lines = []
        for v in rng.choice(VOTE_WORDS, int(rng.integers(1, 4)), replace=False):
            c = counts[v]
            if rng.random() < 0.5:
                lines.append(f"{v}: {c}")
            else:
                lo, hi = max(0, c - int(rng.integers(0, 3))), c + int(rng.integers(0, 3))
                lines.append(
                    f"{v}: {{min: {lo}" + (f", max: {hi}}}" if rng.random() < 0.8 else "}")
                )
        lines.append("source: S/PV.9999")
        reported.append("  - " + "\n    ".join(lines))

    def stance(p) -> str:
        parts = [f"{v}: {float(x)!r}" for v, x in zip(VOTE_WORDS, p) if x > 0]
        return "{vote: {" + ", ".join(parts) + "}}"

    members = "\n".join(f"  {name}: {stance(p)}" for name, p in zip(NAMES, probs))
    changed = rng.choice(15, 2, replace=False)
    new = rng.dirichlet(np.ones(4))
    hypothetical = f"  h:\n    {NAMES[changed[0]]}: yes\n    {NAMES[changed[1]]}: {stance(new)}\n"
    text = (
        f"title: random {i}\nrule: {kind}\nmembers:\n{members}\n"
        f"reported:\n" + "\n".join(reported) + f"\nhypotheticals:\n{hypothetical}"
    )
    clicks = {
        str(NAMES[j]): VOTE_WORDS[rng.integers(0, 4)]
        for j in rng.choice(15, int(rng.integers(0, 3)), replace=False)
    }
    return text, clicks


def test_random_scenarios_with_reports_agree_with_the_engine(watched, pages, tmp_path):
    """100 random files with independent members and possible reports, read by the loader."""
    rng = np.random.default_rng(2019)
    cases = []
    for i in range(100):
        text, clicks = random_yaml(rng, i)
        path = tmp_path / f"random-{i}.yaml"
        path.write_text(text, encoding="utf-8")
        s = unsc_sim.load(path)
        assert s.reported
        data = scenario_data(s)  # what evaluate reads (the engine's runs are not needed)
        for name in variants(s):
            cases.append({"scenario": s, "data": data, "name": name, "clicks": clicks,
                          "reports": bool(i % 5)})  # fmt: skip
    page = watched.open(pages[STEM][1])
    got = compare(page, cases)
    assert sum(g["posterior"] is not None for g in got) >= 150


BLOCS = """title: A bloc and a report (test scenario)
rule: substantive
members:
  United States: {vote: {yes: 0.8, abstain: 0.2}}
  China: {vote: {yes: 0.4, abstain: 0.4, no: 0.2}}
  France: {vote: {yes: 0.7, abstain: 0.3}}
  United Kingdom: {vote: {yes: 0.8, abstain: 0.2}}
  Russia: {vote: {yes: 0.3, abstain: 0.5, no: 0.2}}
  Bolivia: {vote: {yes: 0.5, abstain: 0.5}}
  Côte d'Ivoire: {vote: {yes: 0.6, abstain: 0.4}}
  Equatorial Guinea: {vote: {yes: 0.6, abstain: 0.4}}
  Ethiopia: {vote: {yes: 0.6, abstain: 0.4}}
  Kazakhstan: {vote: {yes: 0.5, abstain: 0.5}}
  Kuwait: yes
  Netherlands: yes
  Peru: yes
  Poland: yes
  Sweden: yes
reported: {yes: {min: 10, max: 11}, source: S/PV.9999}
blocs:
  western: {members: [United States, France, United Kingdom], correlation: 0.8}
BETWEEN
hypotheticals:
  us-sure:
    United States: yes
  china-torn:
    China: {vote: {yes: 0.5, no: 0.5}}
"""


def test_blocs_with_reports_agree_with_the_engine(watched, pages, tmp_path):
    """One bloc: the page integrates over the engine's own nodes, each weighted by
    P(reports | node), the variants and clicks as counterfactuals."""
    path = tmp_path / "bloc.yaml"
    path.write_text(BLOCS.replace("BETWEEN\n", ""), encoding="utf-8")
    s = unsc_sim.load(path)
    data = page_data(s, seed=SEED)
    page = watched.open(pages[STEM][1])
    cases = [
        {"scenario": s, "data": data, "name": name, "clicks": c, "reports": on}
        for name in variants(s)
        for c in ({}, {"France": "no"}, {"Kazakhstan": "yes", "China": "abstain"})
        for on in (True, False)
    ]
    got = compare(page, cases)
    assert not any(g["independent"] for g in got)


def test_linked_blocs_with_reports_show_the_engine_then_compute_without_blocs(watched, tmp_path):
    """Correlated factors: Python samples; the page shows its numbers, and after a click
    conditions on the reports as if members voted independently, and says so."""
    text = BLOCS.replace(
        "BETWEEN\n", "  eastern: {members: [China, Russia], correlation: 0.6}\n"
        "between:\n  - {blocs: [western, eastern], correlation: 0.5}\n"
    )  # fmt: skip
    text = text[: text.index("hypotheticals:")]  # the baseline is enough (and sampling is slow)
    (tmp_path / "linked.yaml").write_text(text, encoding="utf-8")
    s = unsc_sim.load(tmp_path / "linked.yaml")
    page_path = tmp_path / "linked.html"
    page_path.write_text(render(s, seed=SEED, trials=2_000), encoding="utf-8")
    page = watched.open(page_path)
    r = unsc_sim.simulate(s, seed=SEED, trials=2_000)
    assert float(page.locator("[data-outcome]").get_attribute("data-p-adopted")) == r.p_adopted
    seat(page, "Kazakhstan").click()
    plain = dataclasses.replace(s, blocs=(), between=())
    expected = unsc_sim.simulate(plain, changes={"Kazakhstan": "yes"}).p_adopted
    shown = float(page.locator("[data-outcome]").get_attribute("data-p-adopted"))
    assert abs(shown - expected) <= TOL
    assert "as if members voted independently" in page.locator("#notes").text_content()


def outcome(page) -> float:
    return float(page.locator("[data-outcome]").get_attribute("data-p-adopted"))


def test_the_switch_by_click_keyboard_and_fragment(watched, pages):
    s, path = pages[STEM]
    on = unsc_sim.simulate(s, "held-anyway")
    off = unsc_sim.simulate(unreported(s), "held-anyway")
    page = watched.open(path, "#hypothetical=held-anyway")
    button = page.locator('[data-action="reports"]')
    assert button.is_visible() and button.get_attribute("aria-pressed") == "true"
    assert abs(outcome(page) - on.p_adopted) <= TOL
    button.click()
    assert (
        button.get_attribute("aria-pressed") == "false" and "Reports: off" in button.text_content()
    )
    assert abs(outcome(page) - off.p_adopted) <= TOL
    assert page.url.endswith("#hypothetical=held-anyway&reports=off")
    assert "switched off" in page.locator("#reported-line").text_content()
    assert page.locator("[data-posterior]").count() == 0
    button.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("unscSim.state.reports") is True
    assert abs(outcome(page) - on.p_adopted) <= TOL
    page.keyboard.press(" ")
    assert page.evaluate("unscSim.state.reports") is False
    # The fragment: a link with reports=off opens with them off, and clicks keep the switch.
    other = watched.open(path, "#reports=off&Kazakhstan=yes")
    assert other.evaluate("unscSim.state") == {
        "hypothetical": "baseline", "overrides": {"Kazakhstan": "yes"}, "selected": None,
        "reports": False,
    }  # fmt: skip
    expected = unsc_sim.simulate(unreported(s), changes={"Kazakhstan": "yes"}).p_adopted
    assert abs(outcome(other) - expected) <= TOL
    other.get_by_role("button", name="Reset").click()  # reset: the file's variant, reports on
    other.evaluate("location.hash = '#reports=on'")
    other.wait_for_function("unscSim.state.reports === true")
    assert abs(outcome(other) - unsc_sim.simulate(s).p_adopted) <= TOL


def test_reports_are_shown(watched, pages):
    s, path = pages[STEM]
    data = page_data(s, seed=SEED)
    page = watched.open(path)
    assert page.locator("#reported-line").text_content() == data["reported_line"]
    assert page.locator("#vote-held-line").text_content() == data["vote_held_line"]
    for name in variants(s):
        page.select_option("[data-hypothetical]", name)
        assert page.locator("#verdict-sentence").text_content() == data["python"][name]["verdict"]
    page.select_option("[data-hypothetical]", "baseline")
    r = unsc_sim.simulate(s)
    kazakhstan = dict(zip(VOTE_WORDS, r.posterior[s.names.index("Kazakhstan")]))
    cell = page.locator('[data-posterior="Kazakhstan"]').text_content()
    assert cell.startswith("given the reports: yes ")
    assert f"{kazakhstan['yes'] * 100:.1f}%" in cell
    seat(page, "Kazakhstan").hover()
    assert "Given the reports: yes" in page.locator("#detail").text_content()
    page.select_option("[data-hypothetical]", "ivory-coast-yes")
    assert "redrawn" in page.locator('[data-posterior="Côte d\'Ivoire"]').text_content()
    # A file without reports has no switch and no reported line.
    page = watched.open(pages["2019-12-dprk-human-rights"][1])
    assert not page.locator('[data-action="reports"]').is_visible()
    assert page.locator("#reported-line").text_content() == ""
