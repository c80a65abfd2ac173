"""Links and files: what a scenario's ``source:`` may read (only inside its roots), and what
``-o`` may replace (a regular file, atomically, never an input, never through a link)."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from unsc_sim import ScenarioError, UnscSimError, loads
from unsc_sim.cli import main
from unsc_sim.output import formats as report_module

from ..conftest import ROOT, SCENARIOS
from .common import (
    S2018,
    cli,
    council_text,
    load_error,
    mkfifo_or_skip,
    one_error_line,
    snapshot,
    with_stance,
    write,
)


@pytest.mark.parametrize("source", ["/etc/passwd", "../../seeds/000_0963a4101a18558c.txt"])
def test_sources_cannot_leave_the_scenario_tree(source: str):
    e = load_error(council_text(China=f"{{vote: no, source: '{source}', quote: root}}"))
    assert e.field == "members.China.source" and "relative" in e.message


def test_a_binary_or_unreadable_source_is_a_scenario_error(tmp_path: Path):
    (tmp_path / "blob.bin").write_bytes(b"\xff\xfe\x00binary")
    text = council_text(China="{vote: no, source: blob.bin, quote: x}")
    with pytest.raises(ScenarioError, match="is not UTF-8 text"):
        loads(text, base=tmp_path)
    long_name = council_text(China=f"{{vote: no, source: {'a' * 5000}, quote: x}}")
    with pytest.raises(ScenarioError, match=r"source file .aaaa.* not found"):
        loads(long_name, base=tmp_path)


# --- outputs: deterministic bytes, atomic writes, inputs protected ----------------------


def run_cli(*args: str, hash_seed: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    code = "from unsc_sim.cli import main; main(prog_name='unsc-sim')"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, env=env, check=True
    )


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_same_seed_same_bytes(fmt: str, tmp_path: Path):
    common = ("run", str(S2018), "--method", "montecarlo", "--trials", "20000", "--format", fmt)
    outputs = []
    for i, hash_seed in enumerate(("1", "2")):
        out = tmp_path / f"out{i}.{fmt}"
        run_cli(*common, "--seed", "7", "-o", str(out), hash_seed=hash_seed)
        outputs.append(out.read_bytes())
    stdout = run_cli(*common, "--seed", "7", hash_seed="3").stdout
    assert outputs[0] == outputs[1] == stdout
    assert b"montecarlo" in stdout
    other = run_cli(*common, "--seed", "8", hash_seed="1").stdout
    assert other != stdout  # the seed is really used: held-anyway is sampled


def test_output_replaces_the_file_whole_via_rename(tmp_path: Path, monkeypatch):
    out = tmp_path / "result.json"
    out.write_text("x" * 100_000, encoding="utf-8")  # longer than the new content
    renames: list[tuple[str, str]] = []
    real_replace = os.replace

    def spy(src: Any, dst: Any) -> None:
        renames.append((str(src), str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(report_module.os, "replace", spy)
    result = CliRunner().invoke(main, ["run", str(S2018), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8"))["results"][0]["hypothetical"] == "baseline"
    assert [Path(dst) for _, dst in renames] == [out.resolve()]
    assert Path(renames[0][0]).parent == out.resolve().parent  # same folder: rename is atomic
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.json"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch):
    out = tmp_path / "result.csv"
    out.write_text("old\n", encoding="utf-8")

    def broken(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report_module.os, "replace", broken)
    with pytest.raises(OSError):
        report_module.write_atomic(out, "new\n")
    assert out.read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.csv"]


@pytest.mark.parametrize("command", ["run", "members"])
def test_an_input_given_as_output_is_refused(command: str, tmp_path: Path):
    before = S2018.read_bytes()
    link = tmp_path / "link.yaml"
    link.symlink_to(S2018)
    for target in (str(S2018), f"{SCENARIOS}/../scenarios/{S2018.name}", str(link)):
        result = CliRunner().invoke(main, [command, str(S2018), "-o", target])
        assert result.exit_code == 2, target
        assert "refusing to overwrite the input file" in result.stderr
        assert result.stderr.splitlines()[-1].startswith("unsc-sim: error: ")
        assert "Traceback" not in result.output
    assert S2018.read_bytes() == before
    assert link.is_symlink()


# --- hostile path: what `source:` may read ------------------------------------------------

QUOTED = "{{vote: 'no', source: '{source}', quote: '{quote}'}}"


def quoting(source: str, quote: str = "x", extra: str = "") -> str:
    return with_stance("China", QUOTED.format(source=source, quote=quote), extra)


def link_out(tmp: Path) -> None:
    (tmp / "outside.txt").write_text("secret", encoding="utf-8")
    (tmp / "scen" / "out.txt").symlink_to(tmp / "outside.txt")


HOSTILE_SOURCES = {
    # name: (source, quote, make extra files under tmp (the scenario is tmp/scen/s.yaml),
    #        exit status, the one stderr line after the file name)
    "etc/passwd": (
        "etc/passwd",
        "root:x:0:0",
        None,
        2,
        ":5:31: members.China.source: source file 'etc/passwd' not found",
    ),
    "proc/self/environ": (
        "proc/self/environ",
        "PATH=",
        None,
        2,
        ":5:31: members.China.source: source file 'proc/self/environ' not found",
    ),
    "a link out": (
        "out.txt",
        "secret",
        link_out,
        2,
        ":5:31: members.China.source: source file 'out.txt' leads outside",
    ),
    "SEEDS/...": (
        "SEEDS/000_0963a4101a18558c.txt",
        "x",
        None,
        2,
        ":5:31: members.China.source: 'SEEDS/000_0963a4101a18558c.txt' is neither "
        "a UN document symbol nor a URL",
    ),
    "X/nothing": (
        "X/nothing",
        "x",
        None,
        2,
        ":5:31: members.China.source: 'X/nothing' is neither a UN document symbol nor a URL",
    ),
    "S/RES without year": (
        "S/RES/2397",
        "x",
        None,
        2,
        ":5:31: members.China.source: 'S/RES/2397' is neither",
    ),
    "empty quote": ("S/PV.8209", "", None, 2, ":5:51: members.China.quote: quote is empty"),
    "blank quote": ("S/PV.8209", "   ", None, 2, ":5:51: members.China.quote: quote is empty"),
    "a FIFO source": (
        "pipe.txt",
        "x",
        lambda tmp: mkfifo_or_skip(tmp / "scen" / "pipe.txt"),
        2,
        ":5:31: members.China.source: source file 'pipe.txt' is refused: a FIFO",
    ),
}


@pytest.mark.parametrize("case", HOSTILE_SOURCES, ids=str)
def test_sources_are_read_only_inside_their_roots(case: str, tmp_path: Path):
    source, quote, make, status, expected = HOSTILE_SOURCES[case]
    (tmp_path / "scen").mkdir()
    if make:
        make(tmp_path)
    path = write(tmp_path / "scen", "s.yaml", quoting(source, quote))
    before = snapshot(tmp_path)
    result = cli("validate", str(path), timeout=60)
    assert result.returncode == status, result.stderr
    assert one_error_line(result.stderr).startswith(f"{path}{expected}")
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "source",
    ["S/PV.8209", "S/PV.7353 (Resumption 1)", "https://press.un.org/en/2018/sc13632.doc.htm"],
)
def test_a_quote_from_a_cited_document_is_not_verified_and_strict_refuses_it(
    source: str, tmp_path: Path
):
    path = write(tmp_path, "s.yaml", quoting(source, "anything at all"))
    result = cli("validate", str(path))
    assert result.returncode == 0 and result.stdout.startswith(f"{path}: ok")
    assert result.stderr.splitlines() == [
        f"warning: {path}:5:{31 + len(source) + 11}: members.China.quote: quote not verified: "
        f"{'url' if source.startswith('http') else 'symbol'} {source!r} is cited, not read"
    ]
    strict = cli("validate", "--strict", str(path))
    assert strict.returncode == 2 and strict.stdout == ""
    assert strict.stderr.splitlines()[-1] == (f"unsc-sim: error: {path}: 1 warning with --strict")


def test_reported_needs_a_source():
    e = load_error(with_stance("Peru", "{vote: yes, basis: reported, note: a report}"))
    assert e.message == "basis 'reported' needs a source" and e.field == "members.Peru.source"


def test_sources_flag_adds_a_root_and_nothing_else(tmp_path: Path):
    notes = tmp_path / "notes"
    notes.mkdir()
    write(notes, "a.txt", "Peru said it would vote yes.")
    (tmp_path / "scen").mkdir()
    path = write(tmp_path / "scen", "s.yaml", quoting("a.txt", "it would vote yes"))
    assert "source file 'a.txt' not found" in cli("validate", str(path)).stderr
    ok = cli("validate", "--sources", str(notes), str(path))
    assert ok.returncode == 0 and ok.stderr == "", ok.stderr
    # The quote check is no oracle for other files: a root does not reach its parent.
    outside = write(tmp_path / "scen", "t.yaml", quoting("../secret.txt"))
    assert cli("validate", "--sources", str(notes), str(outside)).returncode == 2


def test_the_shipped_project_offers_only_its_seeds(tmp_path: Path):
    from unsc_sim.scenario.citations import search_roots

    roots = search_roots(SCENARIOS)
    assert [r.inside for r in roots] == [SCENARIOS.resolve(), (ROOT / "seeds").resolve()]
    text = quoting("pyproject.toml", "unsc-sim")
    assert loads(text, base=ROOT).files == (str(ROOT / "pyproject.toml"),)  # its own folder
    with pytest.raises(ScenarioError, match="leads outside the folders"):
        loads(text, base=SCENARIOS)  # the project root offers seeds/, not pyproject.toml


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ("S/PV.8209", "symbol"),
        ("S/PV.7353 (Resumption 1)", "symbol"),
        ("S/RES/2397 (2017)", "symbol"),
        ("S/2019/123", "symbol"),
        ("S/25704", "symbol"),
        ("S/2019/123/Add.1", "symbol"),
        ("A/RES/73/180", "symbol"),
        ("A/73/PV.45", "symbol"),
        ("SC/13632", "symbol"),
        ("GA/12090", "symbol"),
        ("https://press.un.org/x", "url"),
        ("seeds/000.txt", "file"),
        ("notes.txt", "file"),
        ("./DATA/x.txt", "file"),
        ("S/PV.abc", None),
        ("S/RES/2397", None),
        ("SC/abc", None),
        ("A/RES", None),
        ("SEEDS/x.txt", None),
        ("X/nothing", None),
        ("S/2019/", None),
        ("https://", None),
    ],
)
def test_document_symbols_must_match_a_real_pattern(source: str, kind: str | None):
    from unsc_sim.scenario.citations import SourceError, classify

    if kind is None:
        with pytest.raises(SourceError, match="neither a UN document symbol nor a URL"):
            classify(source)
    else:
        assert classify(source).value == kind


# --- hostile output target: what -o may replace ----------------------------------------------


def project_copy(tmp: Path) -> Path:
    """A copy of the shipped project's 2018 scenario and seeds, so nothing real is at risk."""
    import shutil

    for folder in ("scenarios", "seeds"):
        shutil.copytree(ROOT / folder, tmp / folder)
    return tmp / "scenarios" / S2018.name


def make_device(tmp: Path) -> Path:
    try:
        os.mknod(tmp / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError, OSError) as e:
        pytest.skip(f"cannot create a device node here: {e}")
    return tmp / "null"


def make_socket(tmp: Path) -> Path:
    import socket

    if not hasattr(socket, "AF_UNIX"):
        pytest.skip("no Unix sockets on this platform")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp / "sock"))
    sock.close()  # the socket file stays
    return tmp / "sock"


HOSTILE_TARGETS = {
    # name: (make the target under tmp, the error after "unsc-sim: error: ")
    "device node": (make_device, "refusing to write over {target}: a character device"),
    "fifo": (
        lambda tmp: mkfifo_or_skip(tmp / "fifo"),
        "refusing to write over {target}: a FIFO (named pipe)",
    ),
    "socket": (make_socket, "refusing to write over {target}: a socket"),
    "folder": (lambda tmp: tmp / "scenarios", "refusing to write over {target}: a folder"),
    "the scenario": (
        lambda tmp: tmp / "scenarios" / S2018.name,
        "refusing to overwrite the input file {target}",
    ),
    "a seed it quotes": (
        lambda tmp: tmp / "seeds" / "000_0963a4101a18558c.txt",
        "refusing to overwrite the input file {target}",
    ),
    "a folder that does not exist": (
        lambda tmp: tmp / "no" / "out.json",
        "cannot write {target}: No such file or directory",
    ),
}


@pytest.mark.parametrize("case", HOSTILE_TARGETS, ids=str)
def test_hostile_output_targets_are_refused_and_left_alone(case: str, tmp_path: Path):
    make, expected = HOSTILE_TARGETS[case]
    scenario = project_copy(tmp_path)
    target = make(tmp_path)
    before = snapshot(tmp_path)
    result = cli("run", str(scenario), "--format", "json", "-o", str(target))
    assert result.returncode in (1, 2), result.stderr
    assert result.returncode == (1 if case.startswith("a folder that") else 2)
    line = [x for x in result.stderr.splitlines() if not x.startswith("note: ")]
    assert one_error_line("\n".join(line)) == expected.format(target=target)
    assert result.stdout == ""
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("target", ["-", "/dev/stdout"])
def test_dash_and_dev_stdout_mean_standard_output(target: str, tmp_path: Path):
    result = cli("run", str(S2018), "--format", "csv", "-o", target, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("hypothetical,yes,no")
    assert list(tmp_path.iterdir()) == []


def test_an_existing_target_keeps_its_permissions(tmp_path: Path):
    out = write(tmp_path, "out.json", "old")
    out.chmod(0o640)
    assert cli("run", str(S2018), "--format", "json", "-o", str(out)).returncode == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert json.loads(out.read_text(encoding="utf-8"))["results"]
    new = tmp_path / "new.json"
    old_umask = os.umask(0o022)
    os.umask(old_umask)
    assert cli("run", str(S2018), "-o", str(new)).returncode == 0
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~old_umask


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this platform")
def test_a_full_disk_on_standard_output_is_one_line_and_exit_1():
    with open("/dev/full", "w") as full:
        result = cli("run", str(S2018), stdout=full)
    assert result.returncode == 1
    lines = [x for x in result.stderr.splitlines() if not x.startswith("note: ")]
    assert lines == ["unsc-sim: error: cannot write to standard output: No space left on device"]


def test_a_closed_standard_output_is_an_error_not_silence():
    result = subprocess.run(
        [sys.executable, "-c", "from unsc_sim.cli import main; main()", "run", str(S2018)],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: os.close(1),
        timeout=120,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        "unsc-sim: error: cannot write to standard output: it is closed"
    )


def test_a_broken_pipe_is_one_line_and_no_traceback():
    # 10,000 rows, 660 kB of CSV: ten times what a pipe holds, so a write meets the closed end.
    args = ["sweep", str(S2018), "--vary", "Peru", "--vary", "Kuwait", "--steps", "100"]
    child = subprocess.Popen(
        [sys.executable, "-c", "from unsc_sim.cli import main; main()", *args, "--format", "csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert child.stdout is not None and child.stderr is not None
    assert child.stdout.read(100).startswith(b"hypothetical,")
    child.stdout.close()  # the reader goes away, as `| head` does
    stderr = child.stderr.read().decode()
    assert child.wait(timeout=120) == 1
    lines = [x for x in stderr.splitlines() if not x.startswith("note: ")]
    assert lines == ["unsc-sim: error: cannot write to standard output: Broken pipe"]


class ShortThenFull:
    """A binary stream that takes ``room`` bytes, then fails as a full disk or a closed pipe
    does (Python's buffered writer returns the short count of the first call)."""

    def __init__(self, room: int, error: int = 28) -> None:
        self.room, self.error, self.taken = room, error, b""

    def write(self, data: Any) -> int:
        if self.room == 0:
            raise OSError(self.error, os.strerror(self.error))
        part = bytes(data[: self.room])
        self.room -= len(part)
        self.taken += part
        return len(part)

    def flush(self) -> None:
        pass


def test_a_short_write_is_an_error_not_a_lost_tail():
    from unsc_sim.files import Whole

    with pytest.raises(OSError, match="No space left"):
        Whole(ShortThenFull(10)).write(b"x" * 100)
    stream = ShortThenFull(1000)
    assert Whole(stream).write(memoryview(b"abc")) == 3 and stream.taken == b"abc"
    stuck = ShortThenFull(10)
    stuck.write = lambda data: 0  # type: ignore[method-assign]
    with pytest.raises(OSError, match="took no more bytes"):
        Whole(stuck).write(b"x")


def test_a_file_cut_short_by_a_full_disk_is_never_put_in_place(tmp_path: Path, monkeypatch):
    target = tmp_path / "out.png"
    target.write_bytes(b"the old figure")
    real = os.fdopen

    def short(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        f = real(fd, mode, *args, **kwargs)
        f.write = ShortThenFull(5).write  # type: ignore[method-assign]
        return f

    monkeypatch.setattr(report_module.os, "fdopen", short)
    with pytest.raises(report_module.OutputError, match="No space left"):
        report_module.write_atomic(target, lambda f: f.write(b"a whole new figure"))
    assert target.read_bytes() == b"the old figure"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.png"]


@pytest.mark.parametrize(("signum", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_while_writing_leaves_no_temporary_file(signum: int, status: int, tmp_path: Path):
    out = tmp_path / "sweep.json"
    # 2019 has no reports: the million points take about a second, their 170 MB of JSON
    # about as long to write, which is when the signal comes.
    s2019 = SCENARIOS / "2019-12-dprk-human-rights.yaml"
    args = ["sweep", str(s2019), "--vary", "Peru", "--vary", "Kuwait", "--steps", "1001"]
    # A shell starts a background job (`cmd &`, and so a test run started that way) with
    # SIGINT ignored, and Python then leaves it ignored: give the child Ctrl-C as a terminal
    # gives it, Python's own handler, so the test does not depend on how it was started.
    start = "import signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            start + "from unsc_sim.cli import main; main()",
            *args,
            "--format",
            "json",
            "-o",
            str(out),
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    # Wait (by polling, not by timing) for the temporary file, then interrupt.
    while child.poll() is None and not list(tmp_path.glob(".sweep.json.*.unsc-sim.tmp")):
        time.sleep(0.01)
    if child.poll() is not None:
        pytest.skip("the sweep finished before it could be interrupted")
    child.send_signal(signum)
    _, stderr = child.communicate(timeout=120)
    assert child.returncode == status
    assert stderr.splitlines()[-1] in ("unsc-sim: terminated", "unsc-sim: interrupted")
    assert list(tmp_path.iterdir()) == []


# --- links: -o never writes through one; a project's seeds/ that is one leads out ----------

# Every command that writes a file with -o, as a shared project's README might ask for it.
WRITERS = {
    "run": ["run", "{scenario}", "--format", "json"],
    "members": ["members", "{scenario}"],
    "swing": ["swing", "{scenario}", "--format", "csv"],
    "whatif": ["whatif", "{scenario}", "-H", "held-anyway"],
    "sweep": ["sweep", "{scenario}", "--vary", "Peru", "--steps", "3"],
    "validate": ["validate", "{scenario}"],
    "report": ["report", "{scenario}"],
    "plot": ["plot", "{scenario}", "--kind", "chamber"],
    "new": ["new", "--date", "2018-12-10", "--proposed-by", "United States"],
    "roster": ["roster", "1991", "--month", "12"],
    "history": ["history", "--topic", "dprk"],
    "power": ["power", "--weights", "3,2,1", "--quota", "4"],
    "schema": ["schema"],
}


@pytest.mark.parametrize("command", WRITERS, ids=str)
def test_no_command_writes_through_a_symbolic_link(command: str, tmp_path: Path):
    scenario = project_copy(tmp_path)
    victim = write(tmp_path, "bashrc", "precious\n")
    out = tmp_path / ("out.png" if command == "plot" else "out.txt")
    out.symlink_to(victim)
    before = snapshot(tmp_path)
    args = [a.format(scenario=scenario) for a in WRITERS[command]]
    result = cli(*args, "-o", str(out))
    assert result.returncode == 2, result.stderr
    lines = [x for x in result.stderr.splitlines() if not x.startswith(("note: ", "warning: "))]
    assert one_error_line("\n".join(lines)) == (
        f"refusing to write through the symbolic link {out} (to {victim}); "
        "remove the link or write to another file"
    )
    assert snapshot(tmp_path) == before  # the link and its target untouched, no temporary


def test_the_writer_never_follows_a_link_not_even_a_dangling_one(tmp_path: Path):
    out = tmp_path / "out.json"
    out.symlink_to(tmp_path / "created-elsewhere.json")
    with pytest.raises(UnscSimError, match="refusing to write through the symbolic link"):
        report_module.write_atomic(out, "{}\n")
    assert out.is_symlink() and not (tmp_path / "created-elsewhere.json").exists()
    # A link among the folders on the way is the caller's own: it is followed.
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "via").symlink_to(real)
    report_module.write_atomic(str(tmp_path / "via" / "x.json"), "{}\n")
    assert (real / "x.json").read_text(encoding="utf-8") == "{}\n"


def test_a_rename_replaces_a_link_that_appears_late_not_its_target(tmp_path: Path, monkeypatch):
    """Between the check and the rename a link may appear: rename(2) replaces the link."""
    victim = write(tmp_path, "victim", "precious\n")
    out = tmp_path / "out.json"
    real_replace = os.replace

    def swap_then_replace(src: Any, dst: Any) -> None:
        out.symlink_to(victim)  # an attacker's link, just in time
        real_replace(src, dst)

    monkeypatch.setattr(report_module.os, "replace", swap_then_replace)
    report_module.write_atomic(out, "new\n")
    assert not out.is_symlink() and out.read_text(encoding="utf-8") == "new\n"
    assert victim.read_text(encoding="utf-8") == "precious\n"


@pytest.mark.parametrize("where", ["outside", "inside the project"])
def test_a_seeds_folder_that_is_a_link_leads_out(where: str, tmp_path: Path):
    secret = tmp_path / "secret"
    secret.mkdir()
    write(secret, "passwd", "root:x:0:0:root:/root:/bin/bash\n")
    project = tmp_path / "proj"
    (project / "scenarios").mkdir(parents=True)
    if where == "outside":
        (project / "seeds").symlink_to(secret)  # proj/seeds -> /etc, as the issue found
    else:
        (project / "notes").mkdir()
        write(project / "notes", "passwd", "root:x:0:0:root:/root:/bin/bash\n")
        (project / "seeds").symlink_to(project / "notes")
    path = write(project / "scenarios", "s.yaml", quoting("seeds/passwd", "root:x:0:0"))
    before = snapshot(tmp_path)
    result = cli("validate", str(path))
    assert result.returncode == 2, result.stderr
    assert one_error_line(result.stderr).startswith(
        f"{path}:5:31: members.China.source: source file 'seeds/passwd' leads outside the "
        "folders a scenario may read"
    )
    assert snapshot(tmp_path) == before
    # The same quote from a real seeds/ folder is read and verified.
    (project / "seeds").unlink()
    (project / "seeds").mkdir()
    write(project / "seeds", "passwd", "root:x:0:0:root:/root:/bin/bash\n")
    assert cli("validate", str(path)).returncode == 0
