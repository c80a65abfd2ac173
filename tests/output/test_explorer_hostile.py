"""The explorer page against hostile input (issue #24): a link's unknown text is echoed only
in part, the page's data is filled in once, the notebook's frame cannot reach the notebook,
and a browser test cannot pass without a browser under CI=1."""

import dataclasses
import html
import os
import re
import subprocess
import sys

import pytest

from unsc_sim.output.explorer import DATA_MARK, TITLE_MARK, fill, render

from ..conftest import ROOT
from .test_explore import assert_shows


def test_unknown_fragment_is_echoed_at_most_200_characters(watched, pages):
    s, path = pages["2018-12-dprk-human-rights"]
    page = watched.open(path, "#" + "A" * 1_000_000 + "=x&Kuwait=no")
    notice = page.locator("#notes .warn").text_content()
    assert "AAAA" in notice and "…" in notice
    assert len(notice) < 200 + 60  # the echo and the sentence around it
    assert_shows(watched, s, "baseline", {"Kuwait": "no"})  # the rest of the link still works


@pytest.mark.parametrize("mark", [DATA_MARK, TITLE_MARK])
def test_a_title_holding_a_mark_stays_a_title(watched, pages, tmp_path, mark):
    s, _ = pages["2018-12-dprk-human-rights"]
    s = dataclasses.replace(s, title=f"Before {mark} after </title>")
    text = render(s)
    head = text[: text.index("</title>") + len("</title>")]
    assert head.count("<title>") == 1 and '"version"' not in head
    assert f"<title>{html.escape(s.title)} · unsc-sim explorer</title>" in text
    assert text.count('id="unsc-sim-data"') == 1
    path = tmp_path / "page.html"
    path.write_text(text, encoding="utf-8")
    page = watched.open(path)
    assert page.title() == f"{s.title} · unsc-sim explorer"
    assert page.locator("h1").text_content() == s.title
    assert_shows(watched, s, "baseline")


def test_fill_needs_each_mark_once():
    with pytest.raises(ValueError, match="exactly once"):
        fill("no mark here", {DATA_MARK: "{}"})
    with pytest.raises(ValueError, match="exactly once"):
        fill(DATA_MARK * 2, {DATA_MARK: "{}"})


def test_notebook_frame_is_sandboxed_and_cannot_read_its_parent(watched, pages):
    s, _ = pages["2018-12-dprk-human-rights"]
    shown = s._repr_html_()
    (sandbox,) = re.findall(r'<iframe sandbox="([^"]*)"', shown)
    assert "allow-scripts" in sandbox.split() and "allow-same-origin" not in sandbox
    page = watched.page
    page.set_content(
        f"<!DOCTYPE html><meta charset='utf-8'><title>notebook secret</title><body>{shown}</body>"
    )
    frame = page.frame_locator("iframe")
    frame.locator("[data-outcome]").wait_for()
    inner = page.frames[1]
    reached = inner.evaluate(
        """() => ["document.title", "location.href", "localStorage"].map((what) => {
            try { return String(what === "localStorage" ? window.localStorage.length
                : what === "document.title" ? parent.document.title : parent.location.href); }
            catch (e) { return "blocked"; }
        })"""
    )
    assert reached == ["blocked", "blocked", "blocked"]
    assert inner.evaluate("window.origin") == "null"  # an opaque origin, not the notebook's


def run_browser_test(env: dict[str, str]) -> subprocess.CompletedProcess:
    test = "tests/output/test_explore.py::test_the_watch_catches_requests_and_errors"
    # The installed plugins (xdist, nbmake, hypothesis) play no part: without them the run
    # starts in a third of the time.
    env = {**env, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", test, "-q", "-p", "no:cacheprovider", "-o", "addopts="],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def test_missing_chromium_fails_under_ci_and_skips_otherwise(tmp_path):
    bare = {k: v for k, v in os.environ.items() if k != "CI"}
    bare["PATH"] = str(tmp_path)  # no chromium on it (python is called by its full path)
    failed = run_browser_test({**bare, "CI": "1"})
    assert failed.returncode == 1, failed.stdout
    assert "CI is set" in failed.stdout and "1 error" in failed.stdout
    skipped = run_browser_test(bare)
    assert skipped.returncode == 0, skipped.stdout
    assert "1 skipped" in skipped.stdout
