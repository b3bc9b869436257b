"""pyproject.toml lists its packages by hand: every package folder of mtorsim must be there,
or an installed (non-editable) mtorsim lacks it."""

from __future__ import annotations

import tomllib
from pathlib import Path

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
        and p.suffix != ".py"
        and not any(fnmatch(str(p.relative_to(ROOT / "models")), x) for x in patterns)
    ]
    assert not missing, f"add to [tool.setuptools.package-data]: {missing}"
