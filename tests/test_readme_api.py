"""The README's "Python API" examples run as doctests: the documented calls and outputs are real."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_api_examples():
    text = README.read_text(encoding="utf-8")
    section = text.split("## Python API", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert blocks, "the README has no Python API examples"
    parser = doctest.DocTestParser()
    test = parser.get_doctest("\n".join(blocks), {}, "README Python API", str(README), 0)
    assert len(test.examples) >= 8
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0, f"{runner.failures} README example(s) failed (see the output above)"


def test_importing_mtorsim_stays_light():
    import subprocess
    import sys

    code = "import sys, mtorsim; print(any(m.split('.')[0] in ('numba', 'matplotlib') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_readme_cli_and_api_examples_agree(run_cli):
    """The README asks the MCF7 fixed-point question twice, once on the command line and once in
    Python: both must give the same attractors (the command line once ignored the medium)."""
    import json
    import shlex

    import mtorsim

    text = README.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("mtorsim attractors zanudo2021-mcf7"))
    args = shlex.split(line.split("#", 1)[0])[1:]
    cli = json.loads(run_cli(*args, "--format", "json").stdout)
    api = mtorsim.find_attractors("zanudo2021-mcf7", method="fixed-points", fixed={"Alpelisib": 1})
    assert (len(cli["attractors"]), cli["complete"]) == (len(api.attractors), api.complete)
    assert sorted(json.dumps(a["states"], sort_keys=True) for a in cli["attractors"]) == sorted(
        json.dumps(a["states"], sort_keys=True) for a in api.to_dict()["attractors"]
    )


def test_readme_error_example_is_what_the_tool_prints(run_cli, tmp_path, monkeypatch):
    """The README's error example, reproduced on a file whose third line is the one it shows."""
    text = README.read_text(encoding="utf-8")
    block = text.split("## Errors", 1)[1].split("```\n", 2)[1]
    shown = re.search(r"^  3 \| (.*)$", block, re.M).group(1)
    (tmp_path / "model.rules").write_text(f"RHEB* = RHEB\nAKT* = AKT\n{shown}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_cli("info", "model.rules")
    assert result.stderr.strip() == block.strip()
