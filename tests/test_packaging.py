"""pyproject.toml lists its packages by hand: every package folder of mtorsim must be there,
or an installed (non-editable) mtorsim lacks it."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_listed():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "mtorsim").rglob("__init__.py")
        if "__pycache__" not in p.parts
    }
    assert found <= listed, sorted(found - listed)


def test_a_source_tree_finds_its_models(monkeypatch):
    """Run from a clone without an editable install (as CI does), the models are the folder
    beside the package, not inside it."""
    from importlib import resources

    from mtorsim.model import catalog

    def missing(name):
        raise ModuleNotFoundError(name)

    monkeypatch.setattr(resources, "files", missing)
    assert catalog.models_root() == Path(__file__).resolve().parent.parent / "models"
    assert "mtor" in catalog.shipped()


def test_every_model_file_is_package_data():
    """What a shipped model folder holds is installed with it (a .tsv once was not)."""
    from fnmatch import fnmatch

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["mtorsim.models"]
    missing = [
        str(p.relative_to(ROOT / "models"))
        for p in sorted((ROOT / "models").glob("*/*"))
        if p.is_file()
        and p.suffix not in (".py", ".pyc")
        and "__pycache__" not in p.parts
        and not any(fnmatch(str(p.relative_to(ROOT / "models")), x) for x in patterns)
    ]
    assert not missing, f"add to [tool.setuptools.package-data]: {missing}"


def test_the_development_extra_has_what_the_readme_development_block_runs():
    """Every tool the README's development block calls (pytest, ruff, mypy, coverage, hypothesis
    for the suite) is in ``[dev]``."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Development", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    dev = {
        re.split(r"[<>=\[ ]", x, maxsplit=1)[0].lower()
        for x in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["dev"]
    }
    used = set(re.findall(r"python -m (\w+)", block)) | {
        w for w in ("ruff", "mypy") if re.search(rf"(^|&& ){w}\b", block, re.M)
    }
    assert used >= {"pytest", "coverage", "ruff", "mypy"}
    assert used <= dev, sorted(used - dev)
    assert "hypothesis" in dev and "numpydoc" in dev  # the suite imports them


@pytest.mark.slow
def test_installed_then_editable_runs_from_any_folder(tmp_path):
    """``pip install .`` and a run (numba writes its cache), then ``pip install -e .`` in the same
    environment: the tool runs from another folder and imports the source tree; nothing was
    written inside the installed package."""
    import os
    import subprocess
    import sys
    import sysconfig

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # the dependencies come from this environment (no download): a .pth file puts its site-packages on the path
    Path(site, "outer.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    pip = [str(py), "-m", "pip", "install", "-q", "--no-deps"]
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    subprocess.run([*pip, str(ROOT)], check=True, env=env, cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    tool = str(venv / "bin" / "mtorsim")
    first = subprocess.run(
        [tool, "simulate", "mtor", "--steps", "2"], capture_output=True, text=True, cwd=elsewhere, env=env
    )
    assert first.returncode == 0, first.stderr
    installed = Path(site, "mtorsim")
    assert not [p for p in installed.rglob("*") if p.suffix in (".nbi", ".nbc")], "numba wrote into the package"
    subprocess.run([*pip, "-e", str(ROOT)], check=True, env=env, cwd=tmp_path)
    again = subprocess.run(
        [tool, "simulate", "mtor", "--steps", "2"], capture_output=True, text=True, cwd=elsewhere, env=env
    )
    assert again.returncode == 0, again.stderr
    where = subprocess.run(
        [str(py), "-c", "import mtorsim; print(mtorsim.__file__)"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        check=True,
    )
    assert Path(where.stdout.strip()).resolve().is_relative_to(ROOT)
