"""Save as scenario and copy link: what the reader set in the page, kept as a scenario file
that `unsc-sim validate` accepts and `unsc-sim run` reproduces (issue #22)."""

import json
import shutil

import numpy as np
import pytest
from click.testing import CliRunner

import unsc_sim
from unsc_sim.cli import main
from unsc_sim.output.explorer import page_data

from ..conftest import ROOT, SEED
from .test_explore import TOL, random_scenario, seat, variants
from .watch import Watched


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the project's layout: scenarios/ beside seeds/, and the test scenarios."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "scenarios", root / "scenarios")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    shutil.copytree(ROOT / "tests" / "data" / "explore", root / "explore")
    return root


CASES = [  # (page, folder in the project, fragment, clicks after opening)
    ("2018-12-dprk-human-rights", "scenarios", "#hypothetical=held-anyway", ["Kuwait", "Ethiopia"]),
    ("2019-12-dprk-human-rights", "scenarios", "", ["China"]),
    ("2018-12-dprk-human-rights", "scenarios", "#hypothetical=ivory-coast-yes", []),
    ("substantive-proviso", "explore", "", ["China", "China"]),
    ("blocs", "explore", "", ["United States", "Kazakhstan"]),
]


def run_json(path, *args) -> list[dict]:
    result = CliRunner().invoke(main, ["run", str(path), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    text = result.stdout
    document = json.loads(text[text.index("{") :] if text.lstrip()[0] != "[" else text)
    return document["results"] if isinstance(document, dict) else document


@pytest.mark.parametrize("stem, folder, fragment, clicks", CASES, ids=[c[0] for c in CASES])
def test_saved_scenario_validates_and_reproduces_the_page(
    watched, pages, project, stem, folder, fragment, clicks
):
    s, path = pages[stem]
    page = watched.open(path, fragment)
    for name in clicks:
        seat(page, name).click()
    shown = page.evaluate(
        "({p: unscSim.result.p_adopted, yes: unscSim.result.expected_yes,"
        " total: unscSim.result.total, state: unscSim.state})"
    )
    with page.expect_download() as download:
        page.click('[data-action="save"]')
    name = download.value.suggested_filename
    assert name == f"{stem}-explorer.yaml"
    saved = project / folder / name  # beside the original, where its seeds/ sources resolve
    download.value.save_as(saved)
    assert "Saved" in page.locator("#share").text_content()

    checked = CliRunner().invoke(main, ["validate", str(saved)])
    assert checked.exit_code == 0, checked.output
    again = unsc_sim.load(saved)
    hypothetical = "baseline" if not (clicks or fragment) else "explorer"
    r = unsc_sim.simulate(again, hypothetical, seed=SEED)
    assert abs(r.p_adopted - shown["p"]) <= TOL
    assert abs(r.expected["yes"] - shown["yes"]) <= TOL
    np.testing.assert_allclose(r.total, shown["total"], rtol=0, atol=TOL)
    (record,) = run_json(saved, "-H", hypothetical, "--seed", str(SEED))
    assert abs(record["p_adopted"] - shown["p"]) <= TOL
    # Nothing of the file is lost: its own variants give what they gave.
    before = unsc_sim.run(s, seed=SEED)
    after = {x.hypothetical: x for x in unsc_sim.run(again, seed=SEED)}
    for x in before:
        assert abs(after[x.hypothetical].p_adopted - x.p_adopted) <= TOL, x.hypothetical
    # The reader's clicks are assumptions, with a note; the variant's own changes keep theirs.
    text = saved.read_text(encoding="utf-8")
    for member, vote in shown["state"]["overrides"].items():
        stance = dict(again.hypothetical("explorer").changes)[member]
        assert stance.vote.value == vote and stance.basis.value == "assumption" and stance.note
    assert text.startswith("# Saved from the unsc-sim")


def test_saved_random_scenarios_reproduce_the_page(watched, pages, tmp_path):
    """Random 15-member scenarios (some with blocs, some under the proviso) with random clicks:
    the page's saved text loads and gives the page's numbers."""
    rng = np.random.default_rng(3)
    page = watched.open(pages["2018-12-dprk-human-rights"][1])
    checked = 0
    for i in range(18):
        s = random_scenario(rng, i)
        if s.rule.size != 15:  # eleven seats need a date before 1966
            continue
        name = str(rng.choice(variants(s)))
        members = [m.name for m in s.members]
        clicks = {members[j]: str(rng.choice(["yes", "no", "abstain", "absent"])) for j in
                  rng.choice(15, 2, replace=False)}  # fmt: skip
        got = page.evaluate(
            """([text, name, clicks]) => {
                location.hash = "";
                unscSim.show(JSON.parse(text));
                const menu = document.querySelector("[data-hypothetical]");
                menu.value = name;
                menu.dispatchEvent(new Event("change"));
                for (const [member, vote] of Object.entries(clicks)) {
                    const seat = document.querySelector(`[data-member="${member}"]`);
                    for (let k = 0; k < 5 && unscSim.state.overrides[member] !== vote; k++) {
                        if (seat.getAttribute("aria-disabled")) break;
                        seat.dispatchEvent(new MouseEvent("click"));
                    }
                }
                const saved = unscSim.scenarioYaml();
                return {text: saved.text, hypothetical: saved.hypothetical,
                        p: unscSim.result.p_adopted, total: unscSim.result.total};
            }""",
            [json.dumps(page_data(s)), name, clicks],
        )
        path = tmp_path / f"random-{i}.yaml"
        path.write_text(got["text"], encoding="utf-8")
        again = unsc_sim.load(path)
        r = unsc_sim.simulate(again, got["hypothetical"] or "baseline")
        assert abs(r.p_adopted - got["p"]) <= TOL, i
        np.testing.assert_allclose(r.total, got["total"], rtol=0, atol=TOL)
        checked += 1
    assert checked >= 12


def test_copy_link_gives_the_state(watched, pages, browser):
    path = pages["2018-12-dprk-human-rights"][1]
    page = watched.open(path, "#hypothetical=held-anyway")
    seat(page, "Kuwait").click()  # mixed -> yes
    seat(page, "Kuwait").click()  # -> no
    page.click('[data-action="copy-link"]')
    link = page.locator("[data-share-link]").input_value()
    assert link == page.url and link.endswith("#hypothetical=held-anyway&Kuwait=no")
    other = Watched(browser.new_page())
    try:
        other.page.goto(link)
        assert other.page.evaluate("unscSim.state") == page.evaluate("unscSim.state") | {
            "selected": None
        }
        assert other.outcome() == watched.outcome()
    finally:
        other.page.close()
    assert other.problems == []
    seat(page, "Kuwait").click()  # a change of state clears the old link
    assert page.locator("[data-share-link]").count() == 0
