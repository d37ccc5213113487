"""Imports run down the layers, never back up (ARCHITECTURE.md names the same order).

A module may import its own package and any package of a lower layer. Route tables
(``routes.py``, ``*_routes.py``) and ``setup.py`` modules are the doors: they sit above
every feature and reach services through the typed app keys.
``server`` and ``run`` wire everything.
Packages of one layer never import each other in a loop.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"

# Bottom first. Each entry is one layer; packages in one layer may import each other
# as long as they form no loop.
LAYERS: list[set[str]] = [
    {"settings"},
    {"core"},
    {"sandbox", "access"},
    {"workers", "thumbnails"},
    {"ytdlp"},
    {"presets", "conditions", "dl_fields", "definitions"},
    {"downloads"},
    {"archives", "nfo", "files", "player", "library"},
    {"realtime", "system", "notifications", "tasks", "logs"},
    {"compat"},
    {"keys"},
    {"doors"},  # the route and command tables of every feature
    {"server", "run", "migrations"},
]
RANK = {name: rank for rank, layer in enumerate(LAYERS) for name in layer}
# The HTTP route tables, a feature's setup(), and compat/layers.py (the table of layers).
DOOR_MODULES = ("routes", "setup", "layers")


def modules() -> list[Path]:
    return sorted(APP.rglob("*.py"))


def unit_of(path: Path) -> str:
    """The layer unit a module belongs to: its package, or "doors" for route tables."""
    relative = path.relative_to(APP)
    if len(relative.parts) == 1:
        return relative.stem
    door = relative.stem in DOOR_MODULES or relative.stem.endswith("_routes")
    if door and relative.parts[0] != "core":  # core's route helpers serve every door
        return "doors"
    return relative.parts[0]


def imported_units(path: Path) -> set[tuple[str, str]]:
    """(unit, module name) for every ``app.*`` import, whatever the spelling."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:
                raise AssertionError(f"{path}: relative import {node.module!r}")
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    units = set()
    for name in found:
        parts = name.split(".")
        if parts[0] != "app" or len(parts) < 2:
            continue
        target = APP.joinpath(*parts[1:])
        if target.with_suffix(".py").is_file():
            units.add((unit_of(target.with_suffix(".py")), name))
        elif (target / "__init__.py").is_file():
            units.add((parts[1], name))
    return units


def test_every_package_has_a_layer() -> None:
    units = {unit_of(path) for path in modules()} - {"__init__"}
    assert units <= set(RANK), f"add to LAYERS (and ARCHITECTURE.md): {units - set(RANK)}"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(APP)))
def test_imports_run_down_the_layers(path: Path) -> None:
    unit = unit_of(path)
    if unit == "__init__":
        return
    upward = sorted(
        name
        for target, name in imported_units(path)
        if target != unit and RANK.get(target, len(LAYERS)) > RANK[unit]
    )
    assert not upward, f"{unit} (layer {RANK[unit]}) imports from above: {upward}"


def test_no_package_loops() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in modules():
        unit = unit_of(path)
        graph[unit].update(t for t, _ in imported_units(path) if t != unit)
    roots = LAYERS[-1] | {"doors", "keys"}

    def visit(unit: str, trail: tuple[str, ...]) -> None:
        if unit in trail:
            raise AssertionError("import loop: " + " -> ".join((*trail, unit)))
        for target in sorted(graph[unit] - roots):
            visit(target, (*trail, unit))

    for unit in sorted(set(graph) - roots):
        visit(unit, ())


def test_the_test_catches_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("from app.downloads.queue import DownloadQueue\n")
    assert ("downloads", "app.downloads.queue") in imported_units(module)
    assert RANK["downloads"] > RANK["ytdlp"]


def test_architecture_md_names_the_same_order() -> None:
    rows = [
        line.split("|")[2]
        for line in (ROOT / "ARCHITECTURE.md").read_text().splitlines()
        if re.match(r"\| \d+ \|", line)
    ]
    documented = [set(re.findall(r"`(\w+)`", cell)) or {cell.split()[0]} for cell in rows]
    assert documented == LAYERS
