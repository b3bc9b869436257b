"""The import contract: the data flow is the tree, and lower layers never import higher ones.

Every import in the package (top level or inside a function) is read from the source; an import
of a higher layer fails, except the listed lazy edges by which a result draws itself.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "mtorsim"

LAYERS = [
    {"errors", "types", "util", "kernels"},  # no model knowledge; kernels: numba, arrays in and out
    {"formats"},  # text -> syntax tree with locations
    {"network"},  # the immutable model
    {"compiler", "model"},  # rules -> arrays; the network with its vocabulary and settings
    {"treatment"},  # medium, genotype, drugs and doses applied to a network
    {"simulation", "attractors"},  # the analyses
    {"scenarios"},
    {"screening", "response", "intervention"},
    {"report", "conversion", "validation", "selectivity"},
    {"api"},
    {"plots", "cli", "__main__"},  # thin, on top
]
RANK = {name: k for k, names in enumerate(LAYERS) for name in names}

LAZY_DRAWING = {
    ("simulation.results", "plots.heatmap"),
    ("attractors.result", "plots.attractors"),
    ("scenarios.result", "plots.scenario"),
    ("screening.result", "plots.screen"),
    ("response.curves", "plots.response"),
    ("selectivity.window", "plots.window"),
}
"""Results draw themselves (``result.plot()``): a lazy import inside the method, never at module
level, and the plotting module imports the analysis only for type checking (no circle)."""


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        parts = [p for p in rel.parts if p != "__init__"]
        yield ".".join(parts), path


def _imports(path: Path):
    """(imported mtorsim module, top-level?, line) for every import in the file."""
    tree = ast.parse(path.read_text())
    top = {id(n) for n in tree.body}
    type_checking = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_checking |= {id(n) for n in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in type_checking:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mtorsim"):
            mods = [node.module] if node.module != "mtorsim" else [f"mtorsim.{a.name}" for a in node.names]
            for m in mods:
                yield m.removeprefix("mtorsim").lstrip("."), id(node) in top, node.lineno
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("mtorsim."):
                    yield a.name.removeprefix("mtorsim."), id(node) in top, node.lineno


def _layer(module: str) -> str:
    return module.split(".")[0] if module else "__init__"


def test_every_top_level_entry_has_a_layer():
    entries = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir() if p.name != "__pycache__"}
    entries -= {"__init__", "py"}  # py.typed
    entries = {e for e in entries if not e.endswith(".typed")}
    assert entries <= set(RANK), f"give these a layer in tests/test_layers.py: {sorted(entries - set(RANK))}"


@pytest.mark.parametrize("module,path", list(_modules()), ids=lambda x: str(x))
def test_no_upward_import(module, path):
    if module == "":  # mtorsim/__init__: loads the API lazily, by name
        return
    here = RANK[_layer(module)]
    for target, top_level, line in _imports(path):
        if not target:
            continue
        there = RANK[_layer(target)]
        if there <= here or _layer(target) == _layer(module):
            continue
        if (module, target) in LAZY_DRAWING and not top_level:
            continue
        pytest.fail(
            f"{path.relative_to(PACKAGE.parent)}:{line}: {module} (layer {here}) imports {target} (layer {there})"
        )


def test_kernels_import_only_kernels():
    for module, path in _modules():
        if _layer(module) == "kernels":
            for target, _, line in _imports(path):
                assert _layer(target) == "kernels", f"{path}:{line}: a kernel module imports {target}"


def test_plots_import_analyses_only_for_type_checking():
    """No import circle through drawing: plotting modules reach the analyses' result types only
    under TYPE_CHECKING, so a result's lazy ``plot()`` import closes no loop."""
    drawn = {target for _, target in LAZY_DRAWING}
    for module, path in _modules():
        if module in drawn:
            for target, _, line in _imports(path):
                source = next((m for m, t in LAZY_DRAWING if t == module), None)
                assert target != source, f"{path}:{line}: {module} imports {target} at run time (a circle)"
