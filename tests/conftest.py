import os
from pathlib import Path

import pytest

# One BLAS thread per process. The suite runs one xdist worker per core, and each worker (and
# each CLI or notebook child) would otherwise start OpenBLAS's own thread per core: the
# threads then fight over the cores, and the engine tests ran 15-22% slower in back-to-back
# runs. Set here, in the controller, before the workers start; a value given by the user wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
DATA = Path(__file__).resolve().parent / "data"
SEED = 7  # blocs are sampled: the explorer's pages and their tests use the same seed
TEST_PAGES = [
    DATA / "explore" / f"{name}.yaml" for name in ("substantive-proviso", "blocs", "blocs-between")
]


@pytest.fixture(scope="session")
def tuned():
    """The constants tuned on the record before 2000 (slow: one run for the whole session,
    shared by every test module that needs the tuning)."""
    from unsc_sim.record.tuning import tune

    return tune()


@pytest.fixture
def dec2018():
    from unsc_sim import load

    return load(SCENARIOS / "2018-12-dprk-human-rights.yaml")


@pytest.fixture
def dec2018_sure(dec2018):
    """December 2018 with every vote sure: Kazakhstan votes as on Syria (the reports' eight)."""
    return dec2018.variant("kazakhstan-as-on-syria")


@pytest.fixture
def dec2019():
    from unsc_sim import load

    return load(SCENARIOS / "2019-12-dprk-human-rights.yaml")


CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session, driven by Playwright.

    Without it the browser tests skip, except under ``CI=1``, where they fail: a differential
    test that cannot run must not pass silently.
    """
    import os
    import shutil

    chromium = shutil.which("chromium")
    if chromium is None:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI", "") not in ("", "0", "false"):
            pytest.fail(f"{message}; CI is set, so the browser tests fail rather than skip")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def pages(tmp_path_factory):
    """Each shipped and test scenario's explorer page, made by `unsc-sim report`."""
    from click.testing import CliRunner

    from unsc_sim import load
    from unsc_sim.cli import main

    folder = tmp_path_factory.mktemp("pages")
    out = {}
    for path in [*sorted(SCENARIOS.glob("*.yaml")), *TEST_PAGES]:
        target = folder / f"{path.stem}.html"
        result = CliRunner().invoke(
            main, ["report", str(path), "--seed", str(SEED), "-o", str(target)]
        )
        assert result.exit_code == 0, result.output
        out[path.stem] = (load(path), target)
    return out
