"""Fingerprints of every command's output, to show that a refactoring changed no result.

    python tests/fingerprint.py > before.tsv      # on the old code
    python tests/fingerprint.py > after.tsv       # on the new code
    diff before.tsv after.tsv                     # empty: byte-identical

Each line is ``sha256  exit-code  command``: the hash covers stdout, stderr and any file the
command wrote. Commands run in-process (click's runner) in a scratch folder; not a test (it takes a
few minutes) but the tool a change that moves code runs before and after.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import sys
import tempfile
from pathlib import Path

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "corpus"
SAMPLE = ["bbm-003_MAMMALIAN-CELL-CYCLE", "bbm-070_MAPK-CANCER-CELL-FATE", "bbm-215_MTOR-PATHWAY"]

COMMANDS = [
    "info mtor --format json",
    "info zanudo2021-mcf7 --format json",
    "simulate mtor --steps 10 --format json",
    "simulate mtor --update async --runs 200 --time 10 --drug everolimus --mutation TSC2_loss --format json",
    "simulate mtor --update random-order --runs 100 --steps 5 --drug sapanisertib@2- --format csv",
    "simulate mtor --update continuous --runs 300 --max-time 10 --drug everolimus@3-8 --format json",
    "simulate mtor --update sync --runs 130 --steps 6 --env amino_acids=0 --set AKT=1@2-4 --format json",
    "simulate zanudo2021-mcf7 --set Alpelisib=1 --runs 300 --format json",
    "simulate {data}/maboss/toy.bnd --format json",
    "attractors mtor --format json",
    "attractors mtor --update async --format json",
    "attractors mtor --method fixed-points --format json",
    "attractors zanudo2021-mcf7 --method fixed-points --set Alpelisib=1 --limit 20 --format json",
    "attractors {corpus}/bbm-215_MTOR-PATHWAY.bnet --count --format json",
    "attractors {corpus}/bbm-215_MTOR-PATHWAY.bnet --count --update async --format json",
    "attractors {corpus}/bbm-215_MTOR-PATHWAY.bnet --count --method fixed-points --format json",
    "scenario mtor --format json",
    "scenario mtor --mutation TSC2_loss --drug everolimus --drug trametinib --format json",
    "scenario mtor --mutation PIK3CA_activating --drug sapanisertib --dose sapanisertib=3 --format json",
    "scenario mtor --env amino_acids=0 --env extracellular_protein=1 --update async --mutation KRAS_activating --format json",
    "scenario mtor --drug everolimus --no-estimate --format json",
    "scenario {data}/toy/toy.rules --drug everolimus --format json",
    "check mtor --format json --runs 200",
    "check {data}/toy/toy.rules --format json",
    "screen mtor --background wildtype --background TSC2_loss --drug everolimus --drug trametinib --drug alpelisib --format json --runs 200",
    "screen mtor --background KRAS_activating --env-sweep amino_acids --max-combo 1 --format csv --runs 200",
    "report mtor --background wildtype --background TSC2_loss --max-combo 1 --runs 100 --out report.md",
    "convert mtor out.bnet",
    "convert mtor out.bnd",
    "convert {corpus}/bbm-070_MAPK-CANCER-CELL-FATE.bnet out.rules",
]
for name in SAMPLE:
    COMMANDS += [
        f"attractors {{corpus}}/{name}.bnet --format json",
        f"attractors {{corpus}}/{name}.bnet --update async --format json",
        f"simulate {{corpus}}/{name}.bnet --update async --runs 300 --time 5 --format json",
        f"simulate {{corpus}}/{name}.bnet --update continuous --runs 300 --max-time 5 --format json",
    ]


def fingerprint(command: str) -> tuple[str, int]:
    from click.testing import CliRunner

    from mtorsim.cli.main import cli

    args = shlex.split(command.format(data=DATA, corpus=CORPUS))
    with tempfile.TemporaryDirectory() as tmp:
        cwd = os.getcwd()
        os.chdir(tmp)
        try:
            res = CliRunner().invoke(cli, args, catch_exceptions=False)
            h = hashlib.sha256()
            h.update(res.stdout.encode())
            h.update(b"\0")
            h.update(res.stderr.encode())
            for p in sorted(Path(tmp).rglob("*")):
                if p.is_file():
                    h.update(p.name.encode() + b"\0" + p.read_bytes())
            return h.hexdigest()[:16], res.exit_code
        finally:
            os.chdir(cwd)


def main() -> None:
    only = sys.argv[1:]
    for command in COMMANDS:
        if only and not any(o in command for o in only):
            continue
        digest, code = fingerprint(command)
        print(f"{digest}\t{code}\t{command}", flush=True)


if __name__ == "__main__":
    main()
