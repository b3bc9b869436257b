"""The SBML-qual package's structure: no import cycle with formats.io, a light import, and
regulator signs that agree with the network's."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import mtorsim.formats.sbml as sbml
from mtorsim.formats.ast import And, Not, Or, Rule, Var
from mtorsim.network import Network

PACKAGE = Path(sbml.__file__).parent


def imported_modules(path: Path) -> set[str]:
    """Every module an SBML source file imports, at the top or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_sbml_does_not_import_formats_io():
    for path in sorted(PACKAGE.glob("*.py")):
        assert "mtorsim.formats.io" not in imported_modules(path), path.name


def test_importing_sbml_loads_neither_numpy_nor_libsbml():
    code = "import sys, mtorsim.formats.sbml\nprint(sorted(m for m in ('numpy', 'libsbml') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_signs_agree_with_the_network():
    regs = [Var(f"r{i}") for i in range(18)]
    rules = [
        Rule("a", And((regs[0], Not(regs[1])))),
        Rule("b", Or((And((regs[0], regs[2])), And((Not(regs[0]), regs[3]))))),
        Rule("c", Or(tuple(regs[:17]))),  # above the truth-table limit: signs from the syntax
        Rule("d", Or((And(tuple(regs[:17])), Not(regs[17])))),
    ]
    rules += [Rule(r.name, r) for r in regs]
    net = Network.from_rules(rules)
    for i, rule in enumerate(net.as_rules()):
        derived = sbml.signs(rule.expr)
        assert tuple(derived.values()) == net.signs[i]
        assert list(derived) == [net.nodes[j] for j in net.regulators[i]]
