"""Start-up: a command imports what it needs (its module, numpy only if it computes)."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys

import pytest

from unsc_sim.cli import common, main


def test_every_command_lives_where_the_group_looks_for_it():
    for module in sorted(set(common.COMMANDS.values())):
        importlib.import_module(f"unsc_sim.cli.{module}")
    where = {n: inspect.getmodule(c.callback).__name__ for n, c in main.commands.items()}
    assert where == {n: f"unsc_sim.cli.{m}" for n, m in common.COMMANDS.items()}


@pytest.mark.parametrize("command", [["history", "--topic", "dprk"], ["roster", "2018"]])
def test_record_commands_start_without_numpy_or_the_engine(command, tmp_path):
    code = (
        "import sys\nfrom unsc_sim.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m == 'numpy' or m.startswith('unsc_sim.engine.')))"
    )
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": ""}
    out = subprocess.run(
        [sys.executable, "-c", code, *command], capture_output=True, text=True, env=env
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"
