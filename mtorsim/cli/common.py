"""Options and helpers shared by the commands."""

from __future__ import annotations

import contextlib
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from mtorsim.errors import MtorsimError

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar


def model_options(fn):
    """--from and --strict, for commands that read a model."""
    fn = click.option(
        "--strict",
        is_flag=True,
        help="Treat a regulator without a rule as an error (catches typos) instead of a free input.",
    )(fn)
    fn = click.option(
        "--from",
        "fmt",
        type=click.Choice(["rules", "bnet", "sbml"]),
        default=None,
        help="Model format; by default taken from the suffix (.rules/.booleannet, .bnet, .sbml/.xml for "
        "SBML-qual) or the content.",
    )(fn)
    return fn


def load(model: str, fmt: str | None, strict: bool):
    """Resolve and load a model; warn about implicit free inputs. Returns (network, defaults)."""
    from mtorsim.catalog import resolve
    from mtorsim.network import Network

    path, defaults = resolve(model)
    net = Network.load(path, fmt=fmt, strict=strict)
    _warn_inputs(net, path)
    return net, defaults


def load_model_for_cli(model: str, fmt: str | None, strict: bool, vocabulary: str | None = None):
    """``api.load_model``, warning about implicit free inputs and what the reader noticed."""
    from mtorsim.api import load_model

    m = load_model(model, vocabulary, strict=strict, fmt=fmt)
    _warn_inputs(m.network, m.path)
    return m


def _warn_inputs(net, path) -> None:
    for message in net.meta.get("warnings", ()):
        warn(f"{path}: {message}")
    if net.implicit_inputs:
        names = ", ".join(net.implicit_inputs)
        warn(
            f"{len(net.implicit_inputs)} regulator(s) have no rule and are treated as free inputs "
            f"(they keep their initial value): {names}. Use --strict to make this an error."
        )


@contextlib.contextmanager
def library_warnings(flags: dict[str, str] | None = None) -> Iterator[None]:
    """Print the library's warnings raised inside as ``warning: ...`` with parameters as flags."""
    from mtorsim.errors import MtorsimWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", MtorsimWarning)
        try:
            yield
        finally:
            for w in caught:
                if issubclass(w.category, MtorsimWarning):
                    warn(as_flags(str(w.message), flags))
                else:
                    warnings.showwarning(w.message, w.category, w.filename, w.lineno)


def warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


FIGURES = (".png", ".svg", ".pdf")


def check_writable(path: str | os.PathLike, force: bool, suffixes=None, what: str = "output") -> Path:
    """Before any work: the folder exists and is writable, the path is a regular file (or new),
    an existing file needs --force, the suffix is one of ``suffixes``."""
    from mtorsim.safeio import check_output

    return check_output(path, force, suffixes, what)


def parse_assignment(text: str, what: str) -> tuple[str, str]:
    """'NAME=VALUE' -> (NAME, VALUE)."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise MtorsimError(f"{what} '{text}': write NAME=VALUE, e.g. {what} AKT=1")
    return name.strip(), value.strip()


def parse_env(envs, vocab) -> dict[str, int]:
    """``--env NAME=0|1`` options -> {condition: value}, checked against the vocabulary."""
    if vocab is None:
        raise MtorsimError(
            "--env names a condition of the model's vocabulary, and this model has none; give --vocabulary FILE"
        )
    env = {}
    for text in envs:
        name, value = parse_assignment(text, "--env")
        vocab.condition(name)
        if value not in ("0", "1"):
            raise MtorsimError(f"--env {text}: the value must be 0 or 1")
        if name in env:
            raise MtorsimError(f"--env {name} is given twice; give each condition once")
        env[name] = int(value)
    return env


class progress_bar:
    """A progress bar on stderr (only when it is a terminal), as a context manager giving a
    callable ``(n, total)``: n more items done out of ``total``."""

    def __init__(self, label: str):
        self.label = label
        self.bar: ProgressBar[int] | None = None

    def __enter__(self):
        return self

    def __call__(self, n: int, total: int) -> None:
        import sys

        if not sys.stderr.isatty():
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr, show_eta=True, show_pos=True)
            self.bar.__enter__()
        self.bar.update(n)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)


PARAMETER_FLAGS = {
    "fixed": "--set/--inputs",
    "length": "--steps/--time",
    "fmt": "--from",
    "drugs": "--drug",
    "mutations": "--mutation",
    "init_groups": "--init-group",
    "scores": "--score",
    "rates_file": "--rates",
    "rates": "--rates",
    "params": "--param",
    "cfg": "--cfg",
    "path": "SCENARIOS_FILE (mtorsim check MODEL SCENARIOS_FILE)",
    "estimate": "--no-estimate",
}
"""Library parameters whose command-line flag is not the name with dashes."""


def as_flags(text: str, flags: dict[str, str] | None = None) -> str:
    """A library message with its parameter names (written `name`) as this command line's flags
    (``max_memory`` -> ``--max-memory``); ``flags`` names a command's own."""
    import re

    table = {**PARAMETER_FLAGS, **(flags or {})}
    return re.sub(r"`([a-z][a-z0-9_]*)`", lambda m: table.get(m[1], "--" + m[1].replace("_", "-")), text)
