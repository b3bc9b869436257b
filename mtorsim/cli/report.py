"""``mtorsim report``: the review's clinical questions end to end, as one self-contained HTML or
Markdown file."""

from __future__ import annotations

from pathlib import Path

import click

from mtorsim.cli.common import as_flags, check_writable, progress_bar
from mtorsim.cli.scenario import estimate_options, load_with_vocabulary, scenario_options
from mtorsim.errors import MtorsimError


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("model")
@scenario_options
@click.option(
    "--out",
    "out_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="Report file: .html (one file, images inline) or .md (images in <stem>_files/ beside it).",
)
@click.option(
    "--readout",
    default=None,
    metavar="NAME",
    help="Readout sections 1 and 2 rank on (default: the vocabulary's response readout, for mtor "
    "TumourGrowth = 0.5 Proliferation + 0.5 Survival; else the first readout).",
)
@click.option(
    "--background",
    "backgrounds",
    multiple=True,
    metavar="NAME",
    help="Genotype background: 'wildtype' or mutation names joined by '+' (repeatable; default: the "
    "vocabulary's [model] report_backgrounds, else wildtype and every single mutation).",
)
@click.option(
    "--drug",
    "drugs",
    multiple=True,
    metavar="NAME",
    help="Report on these drugs (repeatable; default: the vocabulary's [model] report_drugs, one per class, "
    "else every drug).",
)
@click.option("--max-combo", type=int, default=2, show_default=True, help="Largest number of drugs combined.")
@click.option(
    "--jobs",
    type=int,
    default=1,
    show_default=True,
    help="Run screen cells in this many processes (the cores you have).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing report (and its image folder).")
def report(
    model,
    fmt,
    strict,
    vocabulary,
    update,
    method,
    max_combinations,
    estimate_runs,
    seed,
    burn_in,
    treatment_time,
    no_estimate,
    out_path,
    readout,
    backgrounds,
    drugs,
    max_combo,
    jobs,
    force,
):
    """Write a report on MODEL answering the review's clinical questions:

    \b
    1. each drug in each genotype background, in each medium the vocabulary names
       ([model.conditions]; for mtor full medium and nutrient-poor): heatmap of the response
       readout, which backgrounds respond (effect >= 0.5), partly (>= 0.1) or not, and why a
       drug fails there (the vocabulary's explanations: a feedback, a bypass, an escape);
    2. the best combinations per background (top 5 on the readout, Bliss and HSA excess,
       flagged where cyclic attractors make a synergy an artefact of averaging);
    3. the vocabulary's drug contrast ([model.contrast]; for mtor rapalog vs kinase inhibitor
       vs RapaLink on S6K, p4EBP1, p4EBP1_S65, eIF4F and AKT_S473) in wildtype full medium;
    4. each drug's relative viability at its reference dose (clinical free Cmax where known) in
       the simulated viability assay, ranked per background with 95% intervals, ties named;
    5. where every number comes from: each drug's potency per target and clinical exposure,
       marked published, recalled or assumption, and the assay's assumptions.

    The report states what the model cannot tell (no pharmacokinetics, toxicity or tumour
    microenvironment, and the model's own limits). Sections 1 and 2 come from one screen (as
    `mtorsim screen`). The file is deterministic (no dates) and needs no network access to view.

    \b
    Examples:
      mtorsim report mtor --out mtor_report.html
      mtorsim report mtor --out mtor_report.md --max-combo 1 --background wildtype --background PTEN_loss
    """
    from mtorsim.plots.report import write_report
    from mtorsim.report.build import build_report, image_dir, output_kind

    kind = output_kind(out_path)
    check_writable(out_path, force)
    if kind == "md":
        folder = image_dir(out_path)
        if folder.exists() and not folder.is_dir():
            raise MtorsimError(f"{folder}: exists and is not a folder; the Markdown report keeps its images there")
        if folder.exists() and any(folder.iterdir()) and not force:
            raise MtorsimError(f"{folder}: already exists; choose another name or pass --force to overwrite it")
    if jobs < 1:
        raise MtorsimError(f"--jobs must be 1 or more, not {jobs}")
    m = load_with_vocabulary(model, fmt, strict, vocabulary)
    net, vocab = m.network, m.vocabulary
    p = Path(model)
    name = p.name if p.is_file() else model
    options = {
        "max_combinations": max_combinations,
        "estimate": estimate_options(estimate_runs, seed, burn_in, treatment_time, no_estimate),
    }
    with progress_bar("report") as bar:
        rep = build_report(
            net,
            vocab,
            name,
            update=update,
            method=method,
            readout=readout,
            backgrounds=backgrounds,
            drugs=drugs,
            max_combo=max_combo,
            jobs=jobs,
            options=options,
            progress=bar,
        )
    for line in rep.notes:
        click.echo(f"note: {as_flags(line)}", err=True)
    written = write_report(rep, out_path)
    click.echo(
        f"wrote {written[0]}" + (f" and {len(written) - 1} image(s) in {written[1].parent}" if len(written) > 1 else "")
    )
