"""What the hostile-input tests share: the 2018 Council as text, a located-error helper, the
real command in a child process, and a snapshot of a folder (names, kinds, modes, bytes)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from unsc_sim import Hypothetical, Scenario, ScenarioError, load, loads
from unsc_sim.notes import Note

from ..conftest import ROOT, SCENARIOS

S2018 = SCENARIOS / "2018-12-dprk-human-rights.yaml"
SHIPPED = sorted(SCENARIOS.glob("*.yaml"))
COUNCIL_2018 = (
    "United States", "China", "France", "United Kingdom", "Russian Federation",
    "Bolivia", "Côte d'Ivoire", "Equatorial Guinea", "Ethiopia", "Kazakhstan",
    "Kuwait", "Netherlands", "Peru", "Poland", "Sweden",
)  # fmt: skip
OTHER_NAMES = ("Ivory Coast", "UK", "Britain", "Russia", "U.S.", "Germany", "Frnace", "Atlantis")
SOURCES = (
    "seeds/000_0963a4101a18558c.txt",
    "seeds/002_bc6ab423fb04c07b.txt",
    "seeds/missing.txt",
    "S/PV.8209",
    "/etc/passwd",
    "../seeds/000_0963a4101a18558c.txt",
    "pyproject.toml",
)
QUOTES = ("despite opposition from China", "couldn’t persuade Ivory Coast", "not in any source")
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def load_error(text: str | bytes, file: str = "hostile.yaml") -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        loads(text, file=file, base=ROOT)
    assert len(str(info.value).splitlines()) == 1
    return info.value


def council_text(**changes: str) -> str:
    stances = {name: "abstain" for name in COUNCIL_2018} | changes
    rows = "".join(f"  {name}: {vote}\n" for name, vote in stances.items())
    return f"title: t\ndate: 2018-12-10\nmembers:\n{rows}"


# One table per group (hostile file, hostile path, hostile output target, hostile numbers).
# Each case asserts the exit status, the one line on standard error, and that nothing else
# changed on disk (the temporary folder's names, kinds, modes and bytes).


def snapshot(folder: Path) -> dict[str, tuple[int, int, bytes | None]]:
    out = {}
    for p in sorted(folder.rglob("*")):
        st = p.lstat()
        data = p.read_bytes() if stat.S_ISREG(st.st_mode) else None
        out[str(p.relative_to(folder))] = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode), data)
    return out


def cli(*args: str, timeout: float = 120, **popen: Any) -> subprocess.CompletedProcess[str]:
    """The real command in a child process (a hang or a traceback cannot hide)."""
    code = "from unsc_sim.cli import main; main(prog_name='unsc-sim')"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output="stdout" not in popen,
        stderr=subprocess.PIPE if "stdout" in popen else None,
        text=True,
        timeout=timeout,
        **popen,
    )


def one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("unsc-sim: error: ") and "Traceback" not in stderr
    return lines[0][len("unsc-sim: error: ") :]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def mkfifo_or_skip(path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    os.mkfifo(path)
    return path


def with_stance(member: str, stance: str, extra: str = "") -> str:
    return council_text().replace(f"  {member}: abstain\n", f"  {member}: {stance}\n") + extra


ESC, BEL, CSI = "\x1b", "\x07", "\x9b"
CR_NAME = "x\r=cmd|' /C calc'!A0"  # a spreadsheet that breaks the row at CR meets a formula


def hostile_scenario() -> Scenario:
    """Control characters where the library lets a caller put them: title, description, a
    member's name and note, hypothetical names, the notes."""
    s = load(S2018)
    peru = f"Pe{ESC}[8mru"
    members = tuple(
        replace(m, name=peru, stance=replace(m.stance, note=f"{ESC}]52;c;cm0gLXJmIH4={BEL}n"))
        if m.name == "Peru"
        else m
        for m in s.members
    )
    return replace(
        s,
        title=f"{ESC}[2JTitle{CSI}8m",
        description=f"d{ESC}[8mhidden",
        members=members,
        blocs=(),
        hypotheticals=(
            Hypothetical("x\r=cmd|' /C calc'!A0", {"Kuwait": "yes"}),
            Hypothetical(f"h{ESC}[8m", {peru: "yes", "Ivory Coast": "yes"}),
        ),
        notes=(Note(f"read {ESC}]52;c;eA=={BEL} generously", file="s.yaml", line=1),),
    )
