"""The explorer page: built by Python, run in a real headless Chromium (Playwright).

The page's numbers are compared with the Python engine's, on the shipped scenarios and on
hundreds of random ones fed to the page's JavaScript entry point (``window.unscSim``).
Browser tests skip when Debian's ``chromium`` is not installed, and fail then under ``CI=1``
(the ``browser`` fixture in conftest.py).
"""

import dataclasses
import html
import json
import re
import struct

import numpy as np
import pytest
from click.testing import CliRunner

import unsc_sim
from unsc_sim import (
    Bloc,
    Hypothetical,
    Member,
    Rule,
    RuleKind,
    Scenario,
    Stance,
    Vote,
    simulate,
)
from unsc_sim.cli import main
from unsc_sim.output import words
from unsc_sim.output.explorer import embed_json, page_data, render, scenario_data

from ..conftest import SCENARIOS, SEED, TEST_PAGES
from ..helpers import NAMES, scenario_from
from .watch import SHOWN, Watched

SHIPPED = sorted(SCENARIOS.glob("*.yaml"))
TOL = 1e-12
VOTE_WORDS = [v.value for v in Vote]


def load(path):
    return unsc_sim.load(path)


def variants(s: Scenario) -> list[str]:
    return ["baseline", *(h.name for h in s.hypotheticals)]


def linked(s: Scenario) -> bool:
    """Blocs whose factors are correlated: the page shows the engine's numbers for them."""
    return any(x.correlation != 0 for x in s.between)


def engine(s: Scenario, name: str = "baseline", changes=None):
    """The Python engine's result for what the page shows."""
    changes = {m: Stance.sure(v) for m, v in (changes or {}).items()}
    if changes and linked(s):  # the page says clicks then ignore the blocs
        s = dataclasses.replace(s, blocs=(), between=())
    return simulate(s, name, changes=changes, seed=SEED)


def library(result) -> dict:
    """The library's veto and pivots for a result: vetoed_by, and (member, why, veto) each,
    the why in the words every view shows (``words.pivot_why``)."""
    d = result.decision
    return {
        "vetoed_by": [] if d is None else list(d.vetoed_by),
        "pivots": [(p.member, words.pivot_why(p), p.veto) for p in result.pivots],
    }


# ---- Without a browser ----


@pytest.mark.parametrize("path", SHIPPED + TEST_PAGES, ids=lambda p: p.stem)
def test_page_is_self_contained_and_small(path):
    page = render(load(path), seed=SEED)
    assert len(page.encode()) < 1_000_000
    assert '<meta charset="utf-8">' in page
    assert "default-src 'none'" in page  # the browser itself refuses any fetch
    # Outside the data (where sources may be web addresses, shown as links), no address at all.
    start = page.index('<script type="application/json" id="unsc-sim-data">')
    code = page[:start] + page[page.index("</script>", start) :]
    assert not re.search(r"<(link|img|iframe|object|embed)\b|\b(src|href)=|@import", code)
    urls = set(re.findall(r"https?://[^\s\"'`)]+", code))
    assert urls <= {"http://www.w3.org/2000/svg"}  # the SVG namespace, never fetched
    assert set(re.findall(r"url\(([^)]*)\)", code)) <= {"#pat-no", "#pat-abstain",
                                                      "#pat-absent", "#pat-vetoed"}  # fmt: skip


@pytest.mark.parametrize("path", SHIPPED + TEST_PAGES, ids=lambda p: p.stem)
def test_embedded_results_are_the_engines(path):
    s = load(path)
    data = page_data(s, seed=SEED)
    assert list(data["python"]) == variants(s)
    for name, record in data["python"].items():
        r = engine(s, name)
        assert record["p_adopted"] == r.p_adopted  # full precision, not rounded
        assert record["distribution"] == r.total.tolist()
        assert record["pivotal"] == list(r.pivotal)
        assert record["method"] == r.method.value


def test_json_in_the_page_cannot_end_its_script():
    text = embed_json({"title": "</script><script>alert(1)</script><!-- & -->"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert html.unescape(text) == text  # nothing an HTML parser would rewrite


def luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_colours_pass_wcag_aa():
    page = render(load(SHIPPED[0]))
    palette = dict(re.findall(r"--([a-z]+): (#[0-9a-f]{6})", page.split("</style>")[0]))
    paper = palette["paper"]
    # Text (4.5:1, WCAG 1.4.3) on the page and the panels; the white glyphs on the seats.
    for name in ("ink", "muted", "yes", "no", "abstain", "absent", "uncertain", "pivotal"):
        assert contrast(palette[name], paper) >= 4.5, name
        assert contrast(palette[name], palette["panel"]) >= 4.5, name
    # The seats' fills against the page (non-text contrast, 3:1, WCAG 1.4.11).
    for name in ("yes", "no", "abstain"):
        assert contrast(palette[name], paper) >= 3.0, name


def test_report_command_writes_the_page(tmp_path):
    out = tmp_path / "page.html"
    result = CliRunner().invoke(main, ["report", str(SHIPPED[0]), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == render(load(SHIPPED[0]))
    to_stdout = CliRunner().invoke(main, ["report", str(SHIPPED[0]), "-H", "held-anyway"])
    assert to_stdout.exit_code == 0
    assert '"start":"held-anyway"' in to_stdout.stdout


def test_report_command_errors_are_one_line(tmp_path):
    result = CliRunner().invoke(main, ["report", str(SHIPPED[0]), "-H", "nope", "-o", "x.html"])
    assert result.exit_code == 2
    assert "no hypothetical 'nope'" in result.output and "Traceback" not in result.output
    result = CliRunner().invoke(main, ["report", str(SHIPPED[0]), "-o", str(SHIPPED[0])])
    assert result.exit_code == 2 and "refusing to overwrite" in result.output


def test_jupyter_shows_the_explorer_in_a_frame():
    s = load(SHIPPED[0])
    shown = s._repr_html_()
    (srcdoc,) = re.findall(r'srcdoc="([^"]*)"', shown)
    assert html.unescape(srcdoc) == unsc_sim.explore(s).html == render(s)
    with pytest.raises(KeyError, match="no hypothetical"):
        unsc_sim.explore(s, "nope")


# ---- In the browser ----


# What the page shows: the outcome's attributes, the seats' votes, the pivotal seats.
def seat(page, name):
    """The seat's shape (the seat's group also holds its label, farther out)."""
    return page.locator(f'[data-member="{name}"] .shape')


def assert_shows(w: Watched, s: Scenario, name: str, changes=None, shown=None) -> None:
    """The page shows the engine's result for this variant (and these clicks)."""
    r = engine(s, name, changes)
    shown = shown or w.shown()
    assert shown["hypothetical"] == name
    assert abs(float(shown["p-adopted"]) - r.p_adopted) <= TOL
    assert abs(float(shown["yes"]) - r.expected["yes"]) <= TOL
    d = r.decision
    assert shown["adopted"] == ("uncertain" if d is None else str(d.adopted).lower())
    votes = {m.name: (m.stance.vote.value if m.stance.vote else "mixed") for m in r.members}
    assert shown["seats"] == votes
    if linked(s) and not changes:  # the engine's own numbers, embedded in the page
        assert shown["pivotal"] == list(r.pivotal)
    else:
        assert shown["pivotal"] == [p[0] for p in library(r)["pivots"]]


@pytest.mark.parametrize("stem", [p.stem for p in SHIPPED + TEST_PAGES])
def test_each_variant_agrees_with_the_engine(watched, pages, stem):
    s, path = pages[stem]
    page = watched.open(path)
    options = page.eval_on_selector_all("[data-hypothetical] option", "os => os.map(o => o.value)")
    assert options == variants(s)
    for name in variants(s):
        page.select_option("[data-hypothetical]", name)
        assert_shows(watched, s, name)


def random_scenario(rng: np.random.Generator, i: int) -> Scenario:
    """Procedural or substantive, 15 or 11 members, sure or uncertain, some with the proviso."""
    kind = (RuleKind.PROCEDURAL, RuleKind.SUBSTANTIVE)[i % 2]
    small = i % 7 == 3
    rule = Rule(kind, 11, 7) if small else Rule(kind)
    n = rule.size
    sure = (n, 0, int(rng.integers(0, n + 1)))[i % 3]

    def stance() -> Stance:
        if rng.random() < sure / n:
            return Stance.sure(VOTE_WORDS[rng.integers(0, 4)])
        p = rng.dirichlet(np.full(4, 0.6))
        return Stance(*map(float, p))

    chapter = "VI" if i % 5 == 0 else None
    members = tuple(
        Member(name, stance(), permanent=j < 5, party_to_dispute=chapter is not None and j == i % n)
        for j, name in enumerate(NAMES[:n])
    )
    hypotheticals = tuple(
        Hypothetical(f"h{k}", tuple((NAMES[j], stance()) for j in rng.choice(n, 3, replace=False)))
        for k in range(int(rng.integers(0, 3)))
    )
    blocs = ()
    if i % 4 == 1:  # blocs with independent factors, the page integrates them
        order = rng.permutation(n)
        cut = int(rng.integers(2, n - 2))
        groups = [order[:cut], order[cut : cut + int(rng.integers(1, 4))]]
        blocs = tuple(
            Bloc(f"b{k}", tuple(NAMES[j] for j in g), float(rng.choice([0.0, 0.3, 0.8, 0.99, 1.0])))
            for k, g in enumerate(groups)
        )
    return Scenario(
        f"random {i}", rule, members, chapter=chapter, hypotheticals=hypotheticals, blocs=blocs
    )


def test_random_scenarios_agree_with_the_engine(watched, pages):
    """400 random scenarios (a quarter with blocs), one variant and random clicks each,
    through window.unscSim."""
    rng = np.random.default_rng(20260)
    cases, expected = [], []
    for i in range(400):
        s = random_scenario(rng, i)
        name = str(rng.choice(variants(s)))
        clicks = {
            str(NAMES[j]): VOTE_WORDS[rng.integers(0, 4)]
            for j in rng.choice(s.rule.size, int(rng.integers(0, 4)), replace=False)
        }
        cases.append({"data": scenario_data(s), "hypothetical": name, "overrides": clicks})
        expected.append((s, engine(s, name, clicks)))
    page = watched.open(pages["2018-12-dprk-human-rights"][1])
    # JSON text crosses to the page far faster than Playwright's structured arguments.
    got = json.loads(
        page.evaluate(
            """text => JSON.stringify(JSON.parse(text).map(c => {
                const r = unscSim.evaluate(c.data, c.hypothetical, c.overrides);
                return {p: r.p_adopted, veto: r.p_veto, total: r.total, clean: r.clean,
                        yes: r.expected_yes, adopted: r.adopted, vetoed_by: r.vetoed_by,
                        pivots: r.pivots.map(x => [x.member, x.why, x.veto])};
            }))""",
            json.dumps(cases),
        )
    )
    assert len(got) == len(expected) == 400
    kinds = set()
    for g, (s, r) in zip(got, expected):
        kinds.add((r.rule.kind, r.rule.size, r.decision is None, bool(r.obliged), bool(s.blocs)))
        assert abs(g["p"] - r.p_adopted) <= TOL
        assert abs(g["veto"] - r.p_veto) <= TOL
        np.testing.assert_allclose(g["total"], r.total, rtol=0, atol=TOL)
        np.testing.assert_allclose(g["clean"], r.clean, rtol=0, atol=TOL)
        assert abs(g["yes"] - r.expected["yes"]) <= TOL
        d = r.decision
        assert g["adopted"] == (None if d is None else d.adopted)
        lib = library(r)
        assert g["vetoed_by"] == lib["vetoed_by"]
        assert [tuple(p) for p in g["pivots"]] == lib["pivots"]
    assert len(kinds) >= 12  # both rules, both sizes, sure and uncertain, proviso, blocs


def test_random_scenarios_shown_in_the_page(watched, pages):
    """The page's own display (data attributes, seats) for random scenarios via unscSim.show."""
    rng = np.random.default_rng(11)
    page = watched.open(pages["2018-12-dprk-human-rights"][1])
    for i in range(20):
        s = random_scenario(rng, i)
        # One round trip per scenario: show it, then pick each variant in the selector.
        shown = page.evaluate(
            f"""([text, names]) => {{
                unscSim.show(JSON.parse(text));
                const select = document.querySelector("[data-hypothetical]");
                return names.map(name => {{
                    select.value = name;
                    select.dispatchEvent(new Event("change"));
                    return ({SHOWN})();
                }});
            }}""",
            [json.dumps(page_data(s)), variants(s)],
        )
        for name, got in zip(variants(s), shown, strict=True):
            assert_shows(watched, s, name, shown=got)


def test_generated_random_pages(watched, tmp_path):
    """A few whole pages of random scenarios, one with a title that tries to end the script."""
    rng = np.random.default_rng(5)
    for i in range(4):
        s = random_scenario(rng, i + 1)
        s = dataclasses.replace(s, title=f"</script><script>alert({i})</script> & <b>{i}</b>")
        path = tmp_path / f"random-{i}.html"
        path.write_text(render(s), encoding="utf-8")
        page = watched.open(path)
        assert page.locator("h1").text_content() == s.title
        for name in variants(s):
            page.select_option("[data-hypothetical]", name)
            assert_shows(watched, s, name)


def test_clicks_cycle_and_recompute(watched, pages):
    s, path = pages["2018-12-dprk-human-rights"]
    page = watched.open(path)
    # A sure stance: the other three votes, then back to its own.
    name, member = next(
        (v, m.name)
        for v in variants(s)
        for m in s.variant(v).members
        if m.stance.vote is Vote.ABSTAIN
    )
    page.select_option("[data-hypothetical]", name)
    for vote in ["yes", "no", "absent", None]:
        seat(page, member).click()
        assert watched.seats()[member] == (vote or "abstain")
        assert_shows(watched, s, name, {member: vote} if vote else None)
    # An uncertain stance: yes, no, abstain, absent, and back to the file's probabilities.
    name, member = next(
        (v, m.name) for v in variants(s) for m in s.variant(v).members if m.stance.vote is None
    )
    page.select_option("[data-hypothetical]", name)
    assert watched.seats()[member] == "mixed"
    for vote in ["yes", "no", "abstain", "absent", None]:
        seat(page, member).click()
        assert watched.seats()[member] == (vote or "mixed")
        assert_shows(watched, s, name, {member: vote} if vote else None)


def test_keyboard_operation(watched, pages):
    s, path = pages["2018-12-dprk-human-rights"]
    page = watched.open(path)
    focused = ""
    for _ in range(10):  # the variant selector and the reset button come first
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.dataset.member || ''")
        if focused:
            break
    assert focused == "United States"  # the leftmost seat: sure yes voters first, as in the plots
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert label.startswith("United States, permanent member: yes")
    page.keyboard.press("Enter")
    assert watched.seats()["United States"] == "no"
    page.keyboard.press(" ")
    assert watched.seats()["United States"] == "abstain"
    assert_shows(watched, s, "baseline", {"United States": "abstain"})
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.member") != "United States"
    page.keyboard.press("Shift+Tab")
    assert "changed; the variant says yes" in page.evaluate(
        "document.activeElement.getAttribute('aria-label')"
    )
    assert page.evaluate("window.scrollY") == 0  # Space cycled the seat, it did not scroll


def test_obliged_member_cannot_be_clicked(watched, pages):
    _, path = pages["substantive-proviso"]
    page = watched.open(path)
    uk = page.locator('[data-member="United Kingdom"]')
    assert uk.get_attribute("aria-disabled") == "true"
    assert "obliged to abstain" in uk.get_attribute("aria-label")
    before = watched.outcome()
    seat(page, "United Kingdom").click(force=True)  # aria-disabled: Playwright would wait
    assert watched.seats()["United Kingdom"] == "abstain" and watched.outcome() == before
    assert "proviso" in page.locator("#notes").text_content()


def test_blocs_are_integrated_in_the_page(watched, pages):
    s, path = pages["blocs"]
    page = watched.open(path)
    independent = simulate(dataclasses.replace(s, blocs=())).p_adopted
    assert abs(float(watched.outcome()["p-adopted"]) - independent) > 0.01  # blocs matter
    assert_shows(watched, s, "baseline")
    seat(page, "United States").click()  # a bloc member
    seat(page, "Kazakhstan").click()  # not in a bloc
    assert_shows(watched, s, "baseline", {"United States": "yes", "Kazakhstan": "yes"})
    assert "integrates over each bloc's factor exactly" in page.locator("#notes").text_content()


def test_linked_blocs_show_the_engine_then_say_clicks_ignore_them(watched, pages):
    s, path = pages["blocs-between"]
    page = watched.open(path)
    assert float(watched.outcome()["p-adopted"]) == engine(s).p_adopted  # embedded
    assert "the engine's exact result" in page.locator("#p-adopted").text_content()
    seat(page, "Kazakhstan").click()
    assert_shows(watched, s, "baseline", {"Kazakhstan": "yes"})  # independent, exactly
    assert "as if members voted independently" in page.locator("#notes").text_content()


def test_url_fragment_round_trip(watched, pages, browser):
    s, path = pages["2018-12-dprk-human-rights"]
    page = watched.open(path)
    page.select_option("[data-hypothetical]", "held-anyway")
    seat(page, "Kuwait").click()  # mixed -> yes
    seat(page, "Kuwait").click()  # -> no
    seat(page, "Ethiopia").click()  # mixed -> yes
    url = page.url
    assert url.endswith("#hypothetical=held-anyway&Kuwait=no&Ethiopia=yes")
    shown, seats = watched.outcome(), watched.seats()
    other = Watched(browser.new_page())
    try:
        other.open(path, "#" + url.split("#", 1)[1])
        assert other.outcome() == shown and other.seats() == seats
        assert_shows(other, s, "held-anyway", {"Kuwait": "no", "Ethiopia": "yes"})
        # A link with names the page does not know: those are left out, and it says so.
        other.page.goto(path.as_uri() + "#Atlantis=yes&Kuwait=maybe&hypothetical=nope")
        assert "Atlantis=yes" in other.page.locator("#notes").text_content()
        assert_shows(other, s, "baseline")
    finally:
        other.page.close()
    assert other.problems == []


def test_reset_returns_to_the_file(watched, pages):
    s, path = pages["2019-12-dprk-human-rights"]
    page = watched.open(path, "#hypothetical=us-supports&Kuwait=abstain")
    assert_shows(watched, s, "us-supports", {"Kuwait": "abstain"})
    seat(page, "China").click()
    page.get_by_role("button", name="Reset").click()
    assert page.eval_on_selector("[data-hypothetical]", "e => e.value") == "baseline"
    assert_shows(watched, s, "baseline")
    assert "#" not in page.url


def test_the_notebook_frame_works(watched, pages):
    """What Jupyter displays (the page in an iframe's srcdoc) runs and computes."""
    s, _ = pages["2018-12-dprk-human-rights"]
    page = watched.page
    page.set_content(f"<!DOCTYPE html><meta charset='utf-8'><body>{s._repr_html_()}</body>")
    outcome = page.frame_locator("iframe").locator("[data-outcome]")
    assert abs(float(outcome.get_attribute("data-p-adopted")) - engine(s).p_adopted) <= TOL
    page.frame_locator("iframe").locator('[data-member="China"] .shape').click()
    expected = engine(s, changes={"China": "yes"}).p_adopted  # its first click: no -> yes
    assert abs(float(outcome.get_attribute("data-p-adopted")) - expected) <= TOL


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("stem", [p.stem for p in SHIPPED])
def test_screenshot_and_one_page_print(watched, pages, stem, tmp_path_factory):
    """A screenshot of each shipped page (kept in the run's tmp dir); print fits one page."""
    _, path = pages[stem]
    page = watched.open(path)
    shot = tmp_path_factory.getbasetemp() / "screenshots" / f"{stem}.png"
    shot.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    width, height = png_size(shot.read_bytes())
    assert width == 1200 and height > 900
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1


def test_evidence_on_hover_and_in_the_list(watched, pages):
    s, path = pages["2018-12-dprk-human-rights"]
    page = watched.open(path)
    seat(page, "United States").hover()
    detail = page.locator("#detail").text_content()
    us = s.member("United States").stance
    assert us.quote in detail and us.source in detail and "Vote now: yes" in detail
    seat(page, "United States").click()
    assert "Vote now: no (changed by you)" in page.locator("#detail").text_content()
    links = page.eval_on_selector_all("td.source a", "as => as.map(a => [a.href, a.rel])")
    urls = {u for m in s.members for u in re.findall(r"https?://[^\s;]+", m.stance.source or "")}
    assert {href for href, _ in links} == urls and all(
        rel == "noopener noreferrer" for _, rel in links
    )
    row = page.locator('tr[data-row="Côte d\'Ivoire"]').text_content()
    ivory = s.member("Côte d'Ivoire").stance
    assert all(x in row for x in (ivory.quote, ivory.note, ivory.basis.value, "president"))
    assert "Ivory Coast" in row  # how the file wrote the name


def test_the_watch_catches_requests_and_errors(watched, pages):
    """A negative control: the checks every browser test ends with can fail."""
    page = watched.open(pages["2018-12-dprk-human-rights"][1])
    page.evaluate("() => { fetch('https://example.org/x').catch(() => {}); }")
    page.evaluate("() => { setTimeout(() => { throw new Error('boom'); }, 0); }")
    page.wait_for_timeout(200)
    assert any("example.org" in p for p in watched.problems)  # refused by the page's CSP
    assert any("boom" in p for p in watched.problems)
    watched.problems.clear()


def test_a_lopsided_count_is_explained_in_the_page_as_by_the_cli(watched, tmp_path):
    """Four sure yes and a bloc of seven voting yes together with P 0.6: 4 or 11 yes, so
    P(adopted) 0.6 with 8.2 yes expected; the page says why, in the CLI's words, before and
    after a click (a yes voter turned to no: 3 or 10 yes)."""
    probs = [[1.0, 0, 0, 0]] * 4 + [[0.6, 0.4, 0, 0]] * 7 + [[0, 1.0, 0, 0]] * 4
    s = scenario_from(np.array(probs), blocs=[(list(range(4, 11)), 1.0)])
    path = tmp_path / "lopsided.html"
    path.write_text(render(s), encoding="utf-8")
    page = watched.open(path)
    said = page.locator("#verdict-sentence").text_content()
    assert words.skew_text(engine(s)).strip() in said and "median 11 yes" in said
    member = s.members[0].name
    seat(page, member).click()
    vote = watched.seats()[member]
    assert vote == "no"
    assert page.locator("#verdict-sentence").text_content() == (
        words.skew_text(engine(s, "baseline", {member: vote})).strip()
    )
    assert "median 10 yes" in page.locator("#verdict-sentence").text_content()
