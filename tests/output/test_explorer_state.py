"""The explorer's one state: every way of changing it (clicks, keys, the variant menu, Reset,
the address's fragment) leaves every panel telling the same story (issue #22)."""

import re

from .test_explore import assert_shows, seat

# Every panel's reading of the state: menu, seats, table, "Changed by you", detail, summary.
PANELS = """() => {
    const st = unscSim.state;
    const changed = [...document.querySelectorAll("#chamber .seat.changed")]
        .map((g) => g.dataset.member).sort();
    const rows = [...document.querySelectorAll("#members tr[data-row]")]
        .filter((tr) => tr.querySelector("td.vote").textContent.includes("(changed)"))
        .map((tr) => tr.dataset.row).sort();
    return {
        state: st, menu: document.getElementById("hypothetical").value,
        seats: changed, rows, changes: document.getElementById("changes").textContent,
        detail: document.getElementById("detail").textContent,
        summary: document.getElementById("summary").textContent,
        hash: decodeURIComponent(location.hash.slice(1)),
    };
}"""


def agree(page, name: str, clicks: dict[str, str]) -> dict:
    """Every panel shows variant ``name`` with these clicks and nothing else."""
    p = page.evaluate(PANELS)
    assert p["state"]["hypothetical"] == p["menu"] == name
    assert p["state"]["overrides"] == clicks
    assert p["seats"] == p["rows"] == sorted(clicks)
    for member, vote in clicks.items():
        assert f"{member} → {vote}" in p["changes"]
    assert (p["changes"] == "") == (not clicks)
    assert ("changed by you" in p["summary"]) == bool(clicks)
    selected = p["state"]["selected"]
    if selected:
        assert ("(changed by you)" in p["detail"]) == (selected in clicks)
    for member, vote in clicks.items():
        assert f"{member}={vote}" in p["hash"]
    return p


def test_reset_then_variant_clears_the_evidence_panel(watched, pages):
    """The reported case: after Reset and a change of variant the panel still said
    "Kazakhstan / Vote now: no (changed by you)"."""
    s, path = pages["2018-12-dprk-human-rights"]
    page = watched.open(path)
    seat(page, "Kazakhstan").click()  # mixed -> yes
    seat(page, "Kazakhstan").click()  # -> no
    p = agree(page, "baseline", {"Kazakhstan": "no"})
    assert "Vote now: no (changed by you)" in p["detail"]
    page.get_by_role("button", name="Reset").click()
    p = agree(page, "baseline", {})
    assert "Vote now: yes 0.5 / no 0.25 / abstain 0.25" in p["detail"]
    assert "changed by you" not in p["detail"]
    page.select_option("[data-hypothetical]", "kazakhstan-as-on-syria")
    p = agree(page, "kazakhstan-as-on-syria", {})
    assert "Vote now: no" in p["detail"] and "changed by you" not in p["detail"]
    assert "variant “kazakhstan-as-on-syria”" in p["detail"]
    assert_shows(watched, s, "kazakhstan-as-on-syria")


def test_fragment_change_while_the_menu_has_focus(watched, pages):
    s, path = pages["2018-12-dprk-human-rights"]
    page = watched.open(path)
    page.focus("[data-hypothetical]")
    page.evaluate("location.hash = '#hypothetical=held-anyway&Kuwait=no'")
    page.wait_for_function("unscSim.state.hypothetical === 'held-anyway'")
    assert page.evaluate("document.activeElement.id") == "hypothetical"
    agree(page, "held-anyway", {"Kuwait": "no"})
    assert_shows(watched, s, "held-anyway", {"Kuwait": "no"})
    page.evaluate("location.hash = '#hypothetical=ivory-coast-yes'")  # and back again
    page.wait_for_function("unscSim.state.hypothetical === 'ivory-coast-yes'")
    agree(page, "ivory-coast-yes", {})
    assert_shows(watched, s, "ivory-coast-yes")


def test_keyboard_menu_and_seats_agree(watched, pages):
    s, path = pages["2018-12-dprk-human-rights"]
    page = watched.open(path)
    page.focus("[data-hypothetical]")
    page.keyboard.press("ArrowDown")  # the next variant, chosen from the keyboard
    first = s.hypotheticals[0].name
    agree(page, first, {})
    assert_shows(watched, s, first)
    page.focus('[data-member="Kuwait"]')
    page.keyboard.press("Enter")  # mixed -> yes
    agree(page, first, {"Kuwait": "yes"})
    assert page.evaluate("document.activeElement.dataset.member") == "Kuwait"  # focus kept
    assert_shows(watched, s, first, {"Kuwait": "yes"})
    page.focus("[data-hypothetical]")
    page.keyboard.press("ArrowUp")  # back to the baseline: the clicks belong to a variant
    agree(page, "baseline", {})
    assert_shows(watched, s, "baseline")


def test_reset_and_history_agree(watched, pages):
    s, path = pages["2019-12-dprk-human-rights"]
    page = watched.open(path, "#hypothetical=us-supports&Kuwait=abstain")
    agree(page, "us-supports", {"Kuwait": "abstain"})
    seat(page, "China").click()
    agree(page, "us-supports", {"Kuwait": "abstain", "China": "yes"})
    page.get_by_role("button", name="Reset").click()
    agree(page, "baseline", {})
    assert "#" not in page.url
    page.evaluate("location.hash = '#China=abstain'")
    page.wait_for_function("'China' in unscSim.state.overrides")
    agree(page, "baseline", {"China": "abstain"})
    assert_shows(watched, s, "baseline", {"China": "abstain"})
    assert re.search(r"China → abstain", page.locator("#changes").text_content())
