"""One watched tab per explorer test module (a new one per test costs more than the test)."""

import pytest

from .watch import Watched


@pytest.fixture(scope="module")
def tab(browser):
    """A 1200 x 900 tab that accepts downloads (the page's save), for the module's tests."""
    context = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    yield Watched(context.new_page())
    context.close()


@pytest.fixture
def watched(tab):
    """The module's tab, on screen media, with no console error, page error or request
    other than file:// during the test."""
    tab.problems.clear()
    tab.page.emulate_media(media="screen")
    yield tab
    assert tab.problems == []
