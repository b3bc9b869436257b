"""Options and helpers shared by the commands."""

from __future__ import annotations

import contextlib
import functools
import os
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import click

from mtorsim.errors import MtorsimError
from mtorsim.types import ORDERS, Order

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
        type=click.Choice(["rules", "bnet", "sbml", "bnd"]),
        default=None,
        help="Model format; by default taken from the suffix (.rules/.booleannet, .bnet, .sbml/.xml for "
        "SBML-qual, .bnd for MaBoSS) or the content.",
    )(fn)
    return fn


def population_options(runs: int):
    """--runs (default ``runs``), --seed and --threads, for commands that simulate cell populations."""

    def decorate(fn):
        fn = click.option(
            "--threads", type=int, default=None, help="Worker threads [default: all cores]; numbers do not change."
        )(fn)
        fn = click.option(
            "--seed", type=int, default=0, show_default=True, help="Random seed; the same seed, the same numbers."
        )(fn)
        return click.option(
            "--runs", type=int, default=runs, show_default=True, help="Simulated cells per population."
        )(fn)

    return decorate


def load(model: str, fmt: str | None, strict: bool):
    """Resolve and load a model; warn about implicit free inputs. Returns (network, defaults)."""
    from mtorsim.model.catalog import resolve
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
    _warn_unused_constants(net, path)
    if net.implicit_inputs:
        names = ", ".join(net.implicit_inputs)
        warn(
            f"{len(net.implicit_inputs)} regulator(s) have no rule and are treated as free inputs "
            f"(they keep their initial value): {names}. Use --strict to make this an error."
        )


def _warn_unused_constants(net, path) -> None:
    for name, hint in net.unused_constants():
        warn(
            f"{path}: '{name}' is given a value but has no rule and no rule reads it (a constant nothing "
            "uses); if it is meant as a node's initial value, check the name" + (f" ({hint})" if hint else "")
        )


@contextlib.contextmanager
def library_warnings(flags: dict[str, str] | None = None) -> Iterator[None]:
    """Print the library's warnings raised inside as ``warning: ...`` with parameters as flags,
    when they are raised (a warning before long work comes before it)."""
    from mtorsim.errors import MtorsimWarning

    with warnings.catch_warnings():
        warnings.simplefilter("always", MtorsimWarning)
        shown = warnings.showwarning

        def show(message, category, filename, lineno, file=None, line=None):
            if issubclass(category, MtorsimWarning):
                warn(as_flags(str(message), flags))
            else:
                shown(message, category, filename, lineno, file, line)

        warnings.showwarning = show
        yield


@dataclass(frozen=True)
class Output:
    """What a command prints and saves: ``--format``, ``--out``, ``--plot``, ``--order``,
    ``--show`` and ``--force``, with the files checked before any work starts."""

    format: str = "table"
    out: Path | None = None
    plot: Path | None = None
    order: Order = "file"
    show: tuple[str, ...] = ()
    force: bool = False

    def shown(self, net) -> list[int]:
        """Indices of the --show nodes (checked against ``net``), or of every node."""
        return [net.index(n) for n in self.show] or list(range(len(net)))


def output_options(
    formats: tuple[str, ...] = ("table", "json", "csv"),
    out: tuple[str, ...] | None = None,
    plot: str | None = None,
    order: bool = False,
    show: str | None = None,
    force: str | None = None,
):
    """Add the output options a command has (one spelling for all commands) and hand the
    command one ``output: Output``. ``out``: the suffixes --out takes; ``plot``, ``show``: the
    help of --plot and --show (None: no such option); ``order``: a --order for a node heatmap;
    ``force``: --force's help, by default the files it overwrites."""

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kw):
            out_file, plot_file, overwrite = kw.pop("out_file", None), kw.pop("plot_file", None), kw.pop("force", False)
            kw["output"] = Output(
                kw.pop("out_format"),
                check_writable(out_file, overwrite, out, "--out") if out_file else None,
                check_writable(plot_file, overwrite, FIGURES, "--plot") if plot_file else None,
                kw.pop("order", "file"),
                tuple(kw.pop("show_nodes", ())),
                overwrite,
            )
            return fn(*args, **kw)

        files = [f for f, on in (("--out", out), ("--plot", plot)) if on]
        opts = [
            click.option("--format", "out_format", type=click.Choice(formats), default=formats[0], show_default=True)
        ]
        if out:
            opts.append(
                click.option(
                    "--out",
                    "out_file",
                    type=click.Path(dir_okay=False),
                    default=None,
                    help=f"Also save the result ({' or '.join(out)}) to this file.",
                )
            )
        if plot:
            opts.append(click.option("--plot", "plot_file", type=click.Path(dir_okay=False), default=None, help=plot))
        if order:
            opts.append(
                click.option(
                    "--order",
                    type=click.Choice(ORDERS),
                    default="file",
                    show_default=True,
                    help="Node order in the heatmap.",
                )
            )
        if show:
            opts.append(click.option("--show", "show_nodes", multiple=True, metavar="NODE", help=show))
        if files or force:
            opts.append(
                click.option(
                    "--force", is_flag=True, help=force or f"Overwrite {' and '.join(files)} files that exist."
                )
            )
        for opt in reversed(opts):
            wrapper = opt(wrapper)
        return wrapper

    return decorate


def warn(message: str) -> None:
    click.echo(f"warning: {message}", err=True)


FIGURES = (".png", ".svg", ".pdf")


def check_writable(path: str | os.PathLike, force: bool, suffixes=None, what: str = "output") -> Path:
    """Before any work: the folder exists and is writable, the path is a regular file (or new),
    an existing file needs --force, the suffix is one of ``suffixes``."""
    from mtorsim.util.safeio import check_output

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


def treatment_options(windows: bool = False, doses: bool = True):
    """The treatment flags every command shares: ``--env``, ``--mutation``, ``--drug`` and
    ``--dose`` (passed on as ``envs``, ``mutations``, ``drugs``, ``doses``); with ``windows``
    mutations and drugs take ``@START-END``. Build the value with :func:`treatment_from_cli`."""
    at = "[@START-END]" if windows else ""
    opts = [
        click.option(
            "--env",
            "envs",
            multiple=True,
            metavar="NAME=0|1",
            help="Environment condition from the model's vocabulary, over its defaults (repeatable).",
        ),
        click.option(
            "--mutation",
            "mutations",
            multiple=True,
            metavar=f"NAME{at}",
            help="Mutation from the vocabulary (repeatable)"
            + (", for the whole run or from START to END." if windows else "."),
        ),
        click.option(
            "--drug",
            "drugs",
            multiple=True,
            metavar=f"NAME{at}",
            help="Drug (or alias) from the vocabulary (repeatable)"
            + (", for the whole run or from START to END." if windows else "."),
        ),
    ]
    if doses:
        opts.append(
            click.option(
                "--dose",
                "doses",
                multiple=True,
                metavar="NAME=D",
                help="Dose of a drug in the drug's unit (see `mtorsim info MODEL --drugs`); its targets are "
                "engaged by potency (Hill); default: the vocabulary's efficacy (full unless given).",
            )
        )

    def decorate(fn):
        for opt in reversed(opts):
            fn = opt(fn)
        return fn

    return decorate


def parse_doses(texts) -> dict[str, float]:
    """``--dose NAME=D`` options -> {drug: dose}."""
    import math

    out = {}
    for text in texts:
        name, value = parse_assignment(text, "--dose")
        try:
            dose = float(value)
        except ValueError:
            raise MtorsimError(f"--dose {text}: the dose must be a number (in the drug's unit)") from None
        if not (math.isfinite(dose) and dose >= 0):
            raise MtorsimError(f"--dose {text}: the dose must be a finite number > 0")
        if dose == 0:
            raise MtorsimError(
                f"--dose {text}: a dose of 0 is no drug; leave {name} out of --drug for the untreated "
                "result (`mtorsim response` sweeps doses from 0 itself)"
            )
        if name in out:
            raise MtorsimError(f"--dose {name} is given twice; give each drug's dose once")
        out[name] = dose
    return out


def treatment_from_cli(vocab, envs=(), mutations=(), drugs=(), doses=(), fixed=None, holds=()):
    """The command line's treatment flags as one :class:`mtorsim.treatment.Treatment`."""
    from mtorsim.treatment.treatment import Treatment

    env = parse_env(envs, vocab) if envs else {}
    if (mutations or drugs) and vocab is None:
        raise MtorsimError(
            "--mutation and --drug name entries of the model's vocabulary, and this model has none; "
            "give --vocabulary FILE (or hold nodes with --set)"
        )
    return Treatment.of(env, mutations, drugs, parse_doses(doses), fixed, holds)


vocabulary_option = click.option(
    "--vocabulary",
    default=None,
    type=click.Path(dir_okay=False),
    help="Vocabulary TOML (default: MODEL's <stem>.toml or vocabulary.toml beside it).",
)
"""The --vocabulary option of every command that names vocabulary entries."""


cohort_option = click.option(
    "--cohort",
    default=None,
    type=click.Path(dir_okay=False),
    metavar="FILE",
    help="Genotype table (TSV: sample, gene, alteration[, zygosity, lineage]): one background per sample, "
    "read through the vocabulary's genes; what the model cannot express is listed (e.g. "
    "models/mtor/cell_lines.tsv).",
)
"""The --cohort option of the commands that take several genotypes."""


def echo_cohort(samples: list[dict] | None) -> None:
    """Say on stderr how each sample of a cohort was read, and what could not be."""
    for s in samples or []:
        muts = "+".join(s["mutations"]) or "wildtype"
        click.echo(f"cohort: {s['sample']} = {muts}", err=True)
        for line in s["unread"]:
            click.echo(f"  not modelled: {line}", err=True)
        for line in s["notes"]:
            click.echo(f"  note: {line}", err=True)


class progress_bar:
    """Progress on stderr, as a context manager giving a callable ``(n, total)``: n more items
    done out of ``total``. A bar on a terminal; otherwise (a log, a pipe, ``--format json``
    into a file) a line every ``EVERY`` seconds once the work has taken that long, so a long job
    is never silent and a short one prints nothing."""

    EVERY = 5.0
    LONG = 60.0  # seconds: work projected to take longer is announced once, early

    def __init__(self, label: str):
        import time

        self.label = label
        self.bar: ProgressBar[int] | None = None
        self.done = 0
        self.start = time.monotonic()
        self.last = self.start
        self.announced = False
        self.first: tuple[float, int] | None = None  # time and count at the first update

    def _announce(self, total: int) -> None:
        """Once, when the pace is known (3 s in, measured from the first update so that start-up
        costs do not count): the time left, when it is long."""
        import time

        now = time.monotonic()
        if self.first is None:
            self.first = (now, self.done)
            return
        t0, d0 = self.first
        if self.announced or now - t0 < 3.0 or self.done <= d0:
            return
        self.announced = True
        left = (now - t0) * (total - self.done) / (self.done - d0)
        if left > self.LONG:
            when = f"{left / 60:.0f} min" if left >= 90 else f"{left:.0f} s"
            click.echo(f"note: {self.label}: about {when} left at this pace (Ctrl-C stops it)", err=True)

    def __enter__(self):
        return self

    def _line(self, total: int) -> None:
        import time

        now = time.monotonic()
        if now - self.last < self.EVERY:
            return
        self.last = now
        spent = now - self.start
        left = spent * (total - self.done) / self.done if self.done else None
        eta = f", about {left:.0f} s left" if left is not None else ""
        click.echo(f"{self.label}: {self.done}/{total} ({100 * self.done / max(total, 1):.0f}%){eta}", err=True)

    def __call__(self, n: int, total: int) -> None:
        import sys

        self.done += n
        if not sys.stderr.isatty():  # a terminal has the bar's own estimate
            self._announce(total)
            self._line(total)
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
    "path": "SCENARIOS_FILE (mtorsim check MODEL SCENARIOS_FILE)",
    "estimate": "--no-estimate",
    "sweep": "--env-sweep",
    "backgrounds": "--background",
}
"""Library parameters whose command-line flag is not the name with dashes."""


def as_flags(text: str, flags: dict[str, str] | None = None) -> str:
    """A library message with its parameter names (written `name`) as this command line's flags
    (``max_memory`` -> ``--max-memory``); ``flags`` names a command's own."""
    import re

    table = {**PARAMETER_FLAGS, **(flags or {})}
    return re.sub(r"`([a-z][a-z0-9_]*)`", lambda m: table.get(m[1], "--" + m[1].replace("_", "-")), text)
