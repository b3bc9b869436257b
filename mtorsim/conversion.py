"""Writing a model in another format: .rules (BooleanNet), .bnet, SBML-qual, or MaBoSS .bnd with
its .cfg. The Boolean functions are kept exactly; what a format cannot hold is reported."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mtorsim.model import Model, as_model
from mtorsim.network import Network
from mtorsim.util.safeio import check_output


@dataclass
class Converted:
    """The files a conversion wrote, and what the target format could not keep.

    Parameters
    ----------
    written : list of Path
        The files written (a .bnd target's .cfg second).
    format : str
        The target format.
    nodes : int
        Nodes written.
    dropped : list of str
        What the target format could not keep (initial values, annotations...).
    """

    written: list[Path]
    format: str
    nodes: int
    dropped: list[str] = field(default_factory=list)


def convert(
    model: Model | Network | str | Path,
    target: str | Path,
    to: str | None = None,
    cfg: str | Path | Sequence[str | Path] = (),
    force: bool = False,
) -> Converted:
    """Write a model in another format; a .bnd target comes with a .cfg beside it.

    The Boolean functions are kept exactly; what the target format cannot hold is reported.

    Parameters
    ----------
    model : Model or Network or str or Path
        The model to write.
    target : str or Path
        The file to write.
    to : {"rules", "bnet", "sbml", "bnd"}, optional
        The format (default: from the suffix of ``target``).
    cfg : str or Path or sequence of them, default ()
        MaBoSS .cfg files for a .bnd target's rates, initial states and settings (default: the
        .cfg beside a MaBoSS model; defaults otherwise).
    force : bool, default False
        Overwrite files that exist.

    Returns
    -------
    Converted
        ``written`` (the paths), ``format``, ``nodes``, ``dropped`` (what the format could not
        keep).
    """
    from mtorsim.formats.io import detect_format, write_rules

    net = model if isinstance(model, Network) else as_model(model).network
    out = check_output(target, force)
    fmt = to or detect_format(out)
    cfg_out = check_output(out.with_suffix(".cfg"), force) if fmt == "bnd" else None
    header = [f"converted by mtorsim from {net.source}"]
    if net.implicit_inputs:
        header.append(f"free inputs without a rule in the source, written as X = X: {', '.join(net.implicit_inputs)}")
    dropped = list(net.meta.get("dropped", ()))
    dropped += write_rules(net.as_rules(), out, fmt, header, net.meta)
    written = [out]
    if cfg_out is not None:
        _write_cfg(net, Path(net.source) if net.source else None, cfg, cfg_out)
        written.append(cfg_out)
    return Converted(written, fmt, len(net), list(dict.fromkeys(dropped)))


def _write_cfg(net: Network, source: Path | None, cfgs: str | Path | Sequence[str | Path], path: Path) -> None:
    """The .cfg beside a written .bnd: values from the given (or sibling) .cfg files, else defaults."""
    from mtorsim.formats.maboss.model import format_cfg
    from mtorsim.simulation.runconfig import load_run_config, sibling_cfg
    from mtorsim.util.safeio import write_atomic

    files = [cfgs] if isinstance(cfgs, str | Path) else list(cfgs)
    beside = sibling_cfg(source) if source is not None else None
    if not files and net.meta.get("rates") is not None and beside:
        files = [beside]
    rc = load_run_config(net, files)
    istate = {n: rc.init.values.get(n, rc.init.default) for n in net.nodes} if files else {}
    write_atomic(path, format_cfg(net.as_rules(), net.meta, rc.rates.params, rc.settings, istate, rc.init.joint))
