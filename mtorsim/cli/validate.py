"""``mtorsim validate``: the model against published genotype-drug facts, fact by fact, with the
score."""

from __future__ import annotations

import json

import click

from mtorsim.cli.common import (
    Output,
    load_model_for_cli,
    model_options,
    output_options,
    population_options,
    vocabulary_option,
)
from mtorsim.errors import MtorsimError
from mtorsim.util.safeio import write_atomic

COLUMNS = ("id", "drug", "genotype", "comparator", "expected", "auc_genotype", "auc_comparator", "delta", "predicted")


def _score_line(name: str, s: dict) -> str:
    if not s["facts"]:
        return f"{name}: no facts"
    base = s["baseline"]
    return (
        f"{name}: {s['matched']} of {s['facts']} ({100 * s['fraction']:.0f}%); always '{base['always']}' "
        f"would match {base['matched']} ({100 * base['fraction']:.0f}%)"
    )


def render(res, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(res.to_dict(), indent=1)
    if fmt == "csv":
        lines = [",".join((*COLUMNS, "match", "evidence", "reference"))]
        for r in res.rows:
            cells = [r["id"], "+".join(r["drugs"]), *(str(r[c]) for c in COLUMNS[2:])]
            cells += [str(r["match"]), r["evidence"], r["reference"]]
            lines.append(",".join('"' + c.replace('"', '""') + '"' if "," in c or '"' in c else c for c in cells))
        return "\n".join(lines)
    out = [
        f"# {res.settings.get('model')}: {len(res.rows)} published facts from {res.settings.get('table')}; "
        f"viability AUC of genotype minus comparator, 'same' within {res.margin:g}",
        f"{'fact':<12} {'drug':<24} {'genotype vs comparator':<58} {'expected':<10} {'model':>14} {'':<10}",
    ]
    for r in res.rows:
        pair = f"{r['genotype']} vs {r['comparator']}"
        if r["env"]:
            pair += " (" + ",".join(f"{k}={v}" for k, v in r["env"].items()) + ")"
        mark = "ok" if r["match"] else "MISS"
        out.append(
            f"{r['id']:<12} {'+'.join(r['drugs']):<24} {pair:<58} {r['expected']:<10} "
            f"{r['delta']:>+8.3f} {r['predicted']:<10} {mark}"
        )
    out.append("")
    for name, s in res.scores().items():
        out.append(_score_line(name, s))
    return "\n".join(out)


@click.command(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.argument("model")
@click.argument("table", required=False, type=click.Path(dir_okay=False))
@model_options
@vocabulary_option
@population_options(runs=300)
@click.option(
    "--margin",
    type=float,
    default=0.05,
    show_default=True,
    help="A difference of viability AUC smaller than this predicts 'same'.",
)
@click.option("--only", multiple=True, metavar="ID", help="Pose only these facts (repeatable).")
@output_options(out=(".json", ".csv"))
def validate(model, table, fmt, strict, vocabulary, runs, seed, margin, only, threads, output: Output):
    """Pose the published genotype-drug facts in TABLE (default: the model's validation.tsv) to
    the model and score its answers.

    Each fact says that a genotype is more sensitive, more resistant or as sensitive to a drug
    as a comparator genotype, with its evidence and reference. Both are grown in the simulated
    viability assay of `mtorsim response` over the drug's dose grid; the model predicts
    'sensitive' when the genotype's viability AUC is lower by at least --margin, 'resistant'
    when it is higher, else 'same'. The score is given over all facts, over those measured on
    cells or animals, over patient-only facts and over the confirmed ones, each beside what
    always giving the commonest answer would score.

    \b
    Examples:
      mtorsim validate mtor
      mtorsim validate mtor --only TSC_01 --only RAS_05
      mtorsim validate mtor my_facts.tsv --format json --out validation.json
    """
    from mtorsim.api import validate as run
    from mtorsim.cli.common import progress_bar

    m = load_model_for_cli(model, fmt, strict, vocabulary)
    if m.vocabulary is None:
        raise MtorsimError(f"{m.name} has no vocabulary, so facts cannot name drugs; give --vocabulary FILE")
    with progress_bar("populations") as bar:
        res = run(m, table=table, runs=runs, seed=seed, margin=margin, only=only, threads=threads, progress=bar)
    click.echo(render(res, output.format))
    if output.out:
        write_atomic(output.out, render(res, "csv" if output.out.suffix.lower() == ".csv" else "json"))
        click.echo(f"saved {output.out}", err=True)
