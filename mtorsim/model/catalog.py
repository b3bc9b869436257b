"""Shipped models: resolve a name such as ``zanudo2021-mcf7`` to its files."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from mtorsim.errors import MtorsimError, did_you_mean
from mtorsim.formats.io import read_toml

RULE_FILES = ("model.rules", "model.bnet")


def models_root() -> Path:
    """Installed models (``mtorsim.models``), or ``models/`` beside the package in a source tree."""
    try:
        return Path(str(resources.files("mtorsim.models")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "models"


def shipped() -> dict[str, Path]:
    """Shipped model names (folder names with '-' for '_') and their folders."""
    root = models_root()
    return {
        p.name.replace("_", "-"): p
        for p in sorted(root.iterdir())
        if p.is_dir() and any((p / f).is_file() for f in RULE_FILES)
    }


def resolve(model: str) -> tuple[Path, dict]:
    """A model file path, or a shipped model name; returns the rules file and its defaults."""
    p = Path(model)
    if p.is_file() or p.suffix or "/" in model or "\\" in model:
        return p, {}
    models = shipped()
    key = model.replace("_", "-").lower()
    if key not in models:
        hint = did_you_mean(model, models)
        raise MtorsimError(
            f"'{model}' is neither a file nor a shipped model"
            + (f"; {hint}" if hint else f"; shipped models: {', '.join(models)}")
        )
    folder = models[key]
    rules = next(folder / f for f in RULE_FILES if (folder / f).is_file())
    defaults: dict = {}
    if (folder / "simulate.toml").is_file():
        defaults = read_toml(folder / "simulate.toml", "settings file")
        for k in ("init_file", "slow", "rates"):
            if k in defaults:
                defaults[k] = str(folder / defaults[k])
    return rules, defaults


def vocabulary_path(model_file: Path, given: str | None = None) -> Path:
    """The vocabulary of a model: ``given``, else ``<stem>.toml`` or ``vocabulary.toml`` beside it."""
    if given:
        return Path(given)
    for candidate in (model_file.with_suffix(".toml"), model_file.parent / "vocabulary.toml"):
        if candidate.is_file() and candidate.name != "simulate.toml":
            return candidate
    raise MtorsimError(
        f"{model_file}: no vocabulary found (looked for {model_file.with_suffix('.toml').name} and vocabulary.toml "
        "beside it); pass `vocabulary` FILE"
    )


def _beside(model_file: Path, suffix: str, plain: str, what: str, param: str) -> Path:
    """``<stem><suffix>`` or ``plain`` beside a model file."""
    for candidate in (model_file.with_name(f"{model_file.stem}{suffix}"), model_file.parent / plain):
        if candidate.is_file():
            return candidate
    raise MtorsimError(
        f"{model_file}: no {what} beside it (looked for {model_file.stem}{suffix} and {plain}); give one as `{param}`"
    )


def scenarios_path(model_file: Path) -> Path:
    """The scenarios file of a model: ``<stem>.scenarios.toml`` or ``scenarios.toml`` beside it."""
    return _beside(model_file, ".scenarios.toml", "scenarios.toml", "scenarios file", "path")


def validation_path(model_file: Path) -> Path:
    """The published facts a model is validated on: ``<stem>.validation.tsv`` or
    ``validation.tsv`` beside it."""
    return _beside(model_file, ".validation.tsv", "validation.tsv", "facts table", "table")
