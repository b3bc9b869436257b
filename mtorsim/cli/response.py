"""``mtorsim response``: dose-response curves of a simulated cell population per genotype and drug."""

from __future__ import annotations

import json

import click

from mtorsim.cli.common import (
    Output,
    as_flags,
    cohort_option,
    echo_cohort,
    load_model_for_cli,
    model_options,
    output_options,
    parse_env,
    vocabulary_option,
)
from mtorsim.errors import MtorsimError
from mtorsim.util.safeio import write_atomic


def _doses(text: str | None) -> list[float] | None:
    if text is None:
        return None
    try:
        return [float(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise MtorsimError(f"--doses {text}: give numbers separated by commas, e.g. --doses 1,10,100") from None


def _fmt(v, spec: str = ".3g") -> str:
    return "n/a" if v is None else format(v, spec)


def _ci(ci) -> str:
    return "" if not ci else f" [{_fmt(ci[0])}, {_fmt(ci[1])}]"


def _ic50(d: dict, key: str) -> str:
    if d[key] is not None:
        return _fmt(d[key]) + _ci(d[f"{key}_ci"])
    return {">": f"> {_fmt(d['doses'][-1])}", "<": f"< {_fmt(d['doses'][0])}"}.get(d[f"{key}_censored"] or "", "n/a")


def render(res, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(res.to_dict(), indent=1)
    if fmt == "csv":
        lines = ["background,drugs,dose,unit,viability,viability_lo,viability_hi,gr,gr_lo,gr_hi"]
        for c in res.curves:
            d = c.to_dict()
            for i, dose in enumerate(c.doses):
                v_ci, g_ci = (d["viability_ci"] or [None] * len(c.doses))[i], (d["gr_ci"] or [None] * len(c.doses))[i]
                cells = [d["viability"][i], *(v_ci or [None, None]), d["gr"][i], *(g_ci or [None, None])]
                lines.append(
                    f"{c.background},{' + '.join(c.drugs)},{dose:.6g},{c.unit},"
                    + ",".join("" if x is None else f"{x:.6g}" for x in cells)
                )
        return "\n".join(lines)
    out = []
    assay = res.settings["assay"]
    out.append(
        f"# {res.settings.get('model')}: {assay['assay_time']:g} h assay, {assay['runs']} cells x "
        f"{len(res.settings['potency_strata'])} potency strata, seed {assay['seed']}; 95% intervals by bootstrap"
    )
    for c in res.curves:
        d = c.to_dict()
        out.append("")
        out.append(f"{c.background} x {' + '.join(c.drugs)}  (untreated: {c.doublings:.2f} doublings)")
        for drug, e in c.exposure.items():
            clin = e.get("clinical") or {}
            where = (
                f"clinical free Cmax {_fmt(e['free_cmax'])} {e['unit']}"
                + (f" ({clin['dose']})" if clin.get("dose") else "")
                if e.get("free_cmax")
                else "clinical exposure not given in the vocabulary"
            )
            out.append(f"  {drug}: {where}")
        out.append(f"  {'dose':>10}  {'viability':>22}  {'GR':>22}")
        for i, dose in enumerate(c.doses):
            v = _fmt(d["viability"][i], ".3f") + _ci((d["viability_ci"] or [None] * len(c.doses))[i])
            g = _fmt(d["gr"][i], ".3f") + _ci((d["gr_ci"] or [None] * len(c.doses))[i])
            out.append(f"  {dose:>10.4g}  {v:>22}  {g:>22}")
        out.append(
            f"  IC50 {_ic50(d, 'ic50')}  GR50 {_ic50(d, 'gr50')}  Emax {_fmt(d['emax'], '.3f')}{_ci(d['emax_ci'])}  "
            f"GRmax {_fmt(d['grmax'], '.3f')}{_ci(d['grmax_ci'])}  AUC {_fmt(d['auc'], '.3f')}{_ci(d['auc_ci'])}"
        )
        for note in c.notes:
            out.append(f"  note: {note}")
    return "\n".join(out)


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("model")
@model_options
@vocabulary_option
@click.option("--env", "envs", multiple=True, metavar="NAME=0|1", help="Environment condition (repeatable).")
@click.option(
    "--mutation", "mutations", multiple=True, metavar="NAME", help="Mutation of the one genotype (repeatable)."
)
@click.option(
    "--background",
    "backgrounds",
    multiple=True,
    metavar="NAME",
    help="A genotype: 'wildtype' or mutations joined by '+' (repeatable: one curve each; instead of --mutation).",
)
@cohort_option
@click.option(
    "--drug",
    "drugs",
    multiple=True,
    required=True,
    metavar="NAME[+NAME]",
    help="A drug, or a fixed-ratio combination A+B dosed as multiples of each drug's reference dose "
    "(repeatable: one curve each).",
)
@click.option(
    "--doses",
    default=None,
    metavar="D1,D2,...",
    help="Dose grid, increasing, in the drug's unit (combinations: multiples of the reference doses); "
    "default: 9 log-spaced doses around the target's IC50 and the clinical free Cmax.",
)
@click.option(
    "--runs",
    type=int,
    default=1000,
    show_default=True,
    help="Simulated cells (every dose and potency stratum weighs the same cells).",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed; the same seed, the same numbers.")
@click.option(
    "--strata",
    type=int,
    default=None,
    help="Potency strata of the cell-to-cell variation (points of the lognormal; they cost no simulation) [default: 16].",
)
@click.option(
    "--bootstrap", type=int, default=200, show_default=True, help="Bootstrap resamples for the 95% intervals."
)
@click.option("--assay-time", type=float, default=None, help="Hours of treatment [default: the assay's, 72].")
@click.option("--threads", type=int, default=None, help="Worker threads [default: all cores]; numbers do not change.")
@output_options(out=(".json", ".csv"), plot="Plot the curves (.png, .svg, .pdf): viability and GR per drug set.")
def response(
    model,
    fmt,
    strict,
    vocabulary,
    envs,
    mutations,
    backgrounds,
    cohort,
    drugs,
    doses,
    runs,
    seed,
    strata,
    bootstrap,
    assay_time,
    threads,
    output: Output,
):
    """Dose-response of a simulated cell population: relative viability and GR value per dose,
    IC50/GR50, Emax/GRmax and AUC with 95% intervals, for a genotype and each drug.

    Each simulated cell follows the model in continuous time from a random start: untreated for
    a burn-in, then with the drug for the assay time (72 h); it divides at a rate set by its
    proliferation readout and dies at a rate set by its survival readout ([model.assay] in the
    vocabulary, whose values and sources the JSON settings list). A dose engages each drug target
    by its published potency (Hill occupancy) in that share of the cells: in each cell a target
    is engaged or not for the whole assay, a drug's most potently hit targets first. Cells also
    differ in their start, their division rate and their sensitivity to the drug (--strata). Viability is the cell count relative to untreated cells;
    GR normalises by the untreated growth (Hafner 2016).

    \b
    Examples:
      mtorsim response mtor --mutation TSC2_loss --drug everolimus
      mtorsim response mtor --background wildtype --background PIK3CA_activating --drug alpelisib --plot a.png
      mtorsim response mtor --drug everolimus --drug sapanisertib --doses 0.1,1,10,100,1000 --format json
      mtorsim response mtor --mutation KRAS_activating --drug alpelisib+trametinib
      mtorsim response mtor --cohort models/mtor/cell_lines.tsv --drug alpelisib --drug everolimus
    """
    from mtorsim.api import dose_response
    from mtorsim.cli.common import progress_bar

    m = load_model_for_cli(model, fmt, strict, vocabulary)
    if m.vocabulary is None:
        raise MtorsimError(f"{m.name} has no vocabulary, so drugs cannot be named; give --vocabulary FILE")
    with progress_bar("populations") as bar:
        res = dose_response(
            m,
            env=parse_env(envs, m.vocabulary),
            mutations=mutations,
            backgrounds=list(backgrounds) or None,
            cohort=cohort,
            drugs=list(drugs),
            doses=_doses(doses),
            runs=runs,
            seed=seed,
            strata=strata,
            bootstrap=bootstrap,
            assay_time=assay_time,
            threads=threads,
            progress=bar,
        )
    echo_cohort(res.settings.get("cohort"))
    for note in res.notes:
        click.echo(f"note: {as_flags(note)}", err=True)
    text = render(res, output.format)
    click.echo(text)
    if output.out:
        write_atomic(output.out, render(res, "csv" if output.out.suffix.lower() == ".csv" else "json"))
        click.echo(f"saved {output.out}", err=True)
    if output.plot:
        res.plot(str(output.plot), overwrite=True)  # checked before the work
        click.echo(f"saved {output.plot}", err=True)
