"""Entry point: a click group whose commands are imported only when invoked (fast --help)."""

from __future__ import annotations

import importlib

import click

from mtorsim.errors import MtorsimError

# name -> (module, function, one-line help); modules are imported only when the command runs.
COMMANDS = {
    "info": ("mtorsim.cli.info", "info", "Summarise a model: size, inputs, constants, in-degrees, signed edges."),
    "convert": ("mtorsim.cli.convert", "convert", "Convert a model between .rules (BooleanNet), .bnet and SBML-qual."),
    "simulate": ("mtorsim.cli.simulate", "simulate", "Simulate trajectories (sync, async with rates, random-order)."),
    "attractors": (
        "mtorsim.cli.attractors",
        "attractors",
        "Attractors (fixed points, cycles, async terminal SCCs) with basins.",
    ),
    "scenario": (
        "mtorsim.cli.scenario",
        "scenario",
        "Environment, mutations and drugs by name -> attractors and readouts.",
    ),
    "check": ("mtorsim.cli.scenario", "check", "Run named scenarios and compare readouts with expected values."),
    "response": (
        "mtorsim.cli.response",
        "response",
        "Dose-response of a simulated cell population: viability, GR, IC50/GR50, Emax, AUC.",
    ),
    "window": (
        "mtorsim.cli.window",
        "window",
        "Therapeutic window: the tumour beside normal tissue and T cells under the same doses.",
    ),
    "explain": (
        "mtorsim.cli.control",
        "explain",
        "Why a treatment fails: escape routes (feedback, incomplete inhibition, bypass), computed.",
    ),
    "control": (
        "mtorsim.cli.control",
        "control",
        "The smallest drug sets that bring a readout to a goal, certified and ranked.",
    ),
    "validate": (
        "mtorsim.cli.validate",
        "validate",
        "Score the model against published genotype-drug facts (the model's validation.tsv).",
    ),
    "screen": (
        "mtorsim.cli.screen",
        "screen",
        "Screen drugs and drug pairs over genotypes: ranking, synergy, compensation.",
    ),
    "wiring": (
        "mtorsim.cli.wiring",
        "wiring",
        "Draw a model's wiring diagram (signed edges, layered from the inputs).",
    ),
    "plot": ("mtorsim.cli.plot", "plot", "Draw a trajectory heatmap from a saved simulation result."),
    "report": (
        "mtorsim.cli.report",
        "report",
        "Self-contained HTML/Markdown report of the review's clinical questions.",
    ),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr, _ = COMMANDS[name]
        return getattr(importlib.import_module(module), attr)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except MtorsimError as exc:
            from mtorsim.cli.common import as_flags

            click.echo(f"error: {as_flags(str(exc))}", err=True)
            ctx.exit(2)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except SystemError as exc:  # Ctrl-C that arrives inside a numba kernel surfaces as this
            if not _interrupted(exc):
                raise
            click.echo("interrupted", err=True)
            ctx.exit(130)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, short) for name, (_, _, short) in COMMANDS.items()])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="mtorsim")
@click.option(
    "--max-memory",
    default=None,
    metavar="SIZE",
    help="Memory the command may use for its big arrays, e.g. 8G [default: 4G, or half the available memory "
    "if less; or $MTORSIM_MAX_MEMORY]; exhaustive attractor searches shrink to it, results that would not "
    "fit are refused before work, and results above 1 GiB are announced.",
)
def cli(max_memory: str | None) -> None:
    """mtorsim: Boolean-network simulation of mTORC1/mTORC2 signalling.

    MODEL arguments take a model file (.rules / .booleannet in BooleanNet syntax, .bnet, SBML-qual,
    or a MaBoSS .bnd with its .cfg for continuous time) or the name of a shipped model (mtor,
    mtor-insulin, mtor-tcell, zanudo2021-mcf7).

    \b
    Examples:
      mtorsim info zanudo2021-mcf7
      mtorsim simulate zanudo2021-mcf7 --set Alpelisib=1 --plot alpelisib.png
      mtorsim attractors model.bnet --update async --inputs EGF=1
      mtorsim simulate model.bnd --cfg model.cfg --update continuous --runs 50000
      mtorsim convert model.bnet model.rules
      mtorsim explain mtor --drug everolimus --goal 'Proliferation<=0.25'
      mtorsim control mtor --mutation TSC2_loss
      mtorsim --max-memory 4G attractors mtor
    """
    from mtorsim.util.resources import parse_size, set_budget

    try:
        set_budget(parse_size(max_memory) if max_memory is not None else None)
    except MtorsimError as exc:
        from mtorsim.cli.common import as_flags

        raise click.UsageError(as_flags(str(exc))) from None


def _interrupted(exc: BaseException) -> bool:
    """Whether a KeyboardInterrupt lies in the exception's chain."""
    e: BaseException | None = exc
    for _ in range(10):
        if e is None:
            return False
        if isinstance(e, KeyboardInterrupt):
            return True
        e = e.__context__ or e.__cause__
    return False


def main() -> None:
    """Run the CLI; user errors print one paragraph and exit with status 2, never a traceback."""
    import gc

    # a big model is millions of small acyclic objects: collect cycles less often (2x faster reading)
    gc.set_threshold(100_000, 50, 100)
    from mtorsim.cli.common import library_warnings

    with library_warnings():
        cli(prog_name="mtorsim")


if __name__ == "__main__":
    main()
