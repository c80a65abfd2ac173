"""The tree is the architecture: layers as folders, imports downward only, small modules.

Layers, lowest first (README, Layout). A module may import its own layer and those below;
``unsc_sim/__init__.py`` (the public API) and ``__main__`` sit above everything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import unsc_sim

PACKAGE = Path(unsc_sim.__file__).parent
LAYERS = (
    ("errors", "files", "checks"),
    ("notes", "words", "choices", "tallies", "countries", "blocs", "model", "charter"),
    ("engine",),
    ("record",),
    ("scenario",),
    ("analysis",),
    ("output",),
    ("cli",),
)
RANK = {name: i for i, names in enumerate(LAYERS) for name in names}
MAX_LINES = 500
MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


def dotted(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for every import, lazy ones included."""
    here = dotted(path).split(".")
    package = here if path.name == "__init__.py" else here[:-1]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            out.append((target, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            out += [(a.name, [], node.lineno) for a in node.names]
    return out


def layer(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "unsc_sim" or len(parts) < 2:
        return None
    return RANK.get(parts[1])


def test_every_module_has_a_layer():
    missing = [dotted(p) for p in MODULES if layer(dotted(p)) is None]
    assert sorted(missing) == ["unsc_sim", "unsc_sim.__main__"]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_downward_only(path):
    own = layer(dotted(path))
    if own is None:
        return  # the public API and `python -m` sit above every layer
    upward = []
    for target, names, line in imports(path):
        candidates = (
            [target, *(f"{target}.{n}" for n in names)] if target == "unsc_sim" else [target]
        )
        for t in candidates:
            if (to := layer(t)) is not None and to > own:
                upward.append(f"line {line}: {t}")
    assert upward == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_private_name_is_imported_across_modules(path):
    private = [
        f"line {line}: {target}.{n}"
        for target, names, line in imports(path)
        for n in names
        if n.startswith("_") and not n.startswith("__")
    ]
    assert private == []


def test_no_private_name_is_read_from_another_module():
    found = []
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {
            a.asname or a.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.level
            for a in node.names
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in modules
                and node.attr.startswith("_")
                and not node.attr.endswith("_")  # __dunder__ and _repr_html_ are protocols
            ):
                found.append(
                    f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value.id}.{node.attr}"
                )
    assert found == []


def test_no_import_circle():
    graph: dict[str, set[str]] = {}
    names = {dotted(p) for p in MODULES}
    for path in MODULES:
        me = dotted(path)
        if me == "unsc_sim":
            continue
        edges = set()
        for target, taken, _ in imports(path):
            for t in [target, *(f"{target}.{n}" for n in taken)]:
                if t in names and t != me and t != "unsc_sim" and not me.startswith(t + "."):
                    edges.add(t)
        graph[me] = edges
    # A package's __init__ re-exports its modules: importing the package means its modules.
    for pkg in [n for n in names if any(m.startswith(n + ".") for m in names)]:
        graph.setdefault(pkg, set())
    seen: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        seen[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt.startswith(node + "."):
                continue  # a package importing its own modules
            if seen.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in seen and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        seen[node] = 2
        return None

    for node in sorted(graph):
        if node not in seen and (cycle := visit(node)):
            pytest.fail(" -> ".join(cycle))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_modules_are_small(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_the_public_names_are_unchanged():
    assert unsc_sim.__all__ == [
        "Basis", "Between", "Bloc", "Hypothetical", "Member", "Method", "Result", "Rule",
        "RuleKind", "Scenario", "ScenarioError", "Stance", "UnknownCountryError",
        "UnscSimError", "Vote", "council_game", "explore", "load", "loads", "power_indices",
        "run", "simulate", "sweep", "swing", "what_it_takes",
    ]  # fmt: skip


def test_the_domain_knows_no_page():
    """``Scenario._repr_html_`` is bound from output/; model.py imports nothing above it."""
    targets = [
        f"{t}.{n}" if t == "unsc_sim" else t
        for t, names, _ in imports(PACKAGE / "model.py")
        for n in names or [""]
    ]
    assert all(layer(t) is None or layer(t) <= RANK["model"] for t in targets), targets
    assert not any(".output" in t or ".engine" in t for t in targets)
    assert callable(getattr(unsc_sim.Scenario, "_repr_html_", None))
