"""Golden text output of the main command: `unsc-sim run` on both shipped scenarios, exactly.

Regenerate after a deliberate change to the wording or the numbers (and read the diff):

    for y in 2018 2019; do unsc-sim run scenarios/$y-12-*.yaml >tests/data/golden/run-$y.txt; done
"""

from pathlib import Path

import pytest
from click.testing import CliRunner

from unsc_sim.cli import main

from ..conftest import SCENARIOS

GOLDEN = Path(__file__).parent.parent / "data" / "golden"


@pytest.mark.parametrize("year", [2018, 2019])
def test_run_prints_the_golden_text(year):
    result = CliRunner().invoke(main, ["run", str(SCENARIOS / f"{year}-12-dprk-human-rights.yaml")])
    assert result.exit_code == 0, result.output
    assert result.stdout == (GOLDEN / f"run-{year}.txt").read_text(encoding="utf-8")


def test_the_golden_2018_text_tells_the_reported_story():
    """The order of the story: the reports, the count, the swing member, the what-if."""
    text = (GOLDEN / "run-2018.txt").read_text(encoding="utf-8")
    report = text.index("reported: 8 yes")
    count = text.index("baseline: Not adopted: 8 yes, one short of 9. Côte d'Ivoire")
    what_if = text.index("ivory-coast-yes: Adopted: 9 yes, 9 needed.")
    assert report < count < what_if
    assert "at 0.50" not in text and "0.50 each" not in text
