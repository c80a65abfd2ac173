from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
DATA = Path(__file__).resolve().parent / "data"


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
