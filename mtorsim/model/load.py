"""A model as users load it: the network, its vocabulary and the shipped run settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mtorsim.errors import MtorsimError
from mtorsim.model.vocabulary import Vocabulary
from mtorsim.network import Network


@dataclass(frozen=True)
class Model:
    """A network with its vocabulary and the shipped run settings.

    Parameters
    ----------
    network : Network
        The immutable Boolean network (``nodes``, ``rules``, ``inputs``).
    vocabulary : Vocabulary or None
        Environment conditions, mutations, drugs and readouts by name; None for a plain model.
    name : str
        The shipped name or the file name.
    path : Path
        The model file.
    settings : dict
        The shipped run settings (``simulate.toml``); empty for a plain file.
    """

    network: Network
    vocabulary: Vocabulary | None
    name: str
    path: Path
    settings: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        v = self.vocabulary
        extra = (
            f", {len(v.mutations)} mutations, {len(v.drugs)} drugs, {len(v.readouts)} readouts" if v is not None else ""
        )
        return f"Model({self.name!r}: {len(self.network)} nodes{extra})"


def load_model(
    model: str | Path, vocabulary: str | Path | None = None, strict: bool = False, fmt: str | None = None
) -> Model:
    """A model with its vocabulary and shipped settings.

    Parameters
    ----------
    model : str or Path
        A model file (.rules, .bnet, .sbml, .bnd) or a shipped model name (``"mtor"``,
        ``"zanudo2021-mcf7"``).
    vocabulary : str or Path, optional
        The vocabulary TOML (default: ``<stem>.toml`` or ``vocabulary.toml`` beside the model
        file; none is fine for a plain model).
    strict : bool, default False
        A regulator without a rule is an error instead of a free input.
    fmt : {"rules", "bnet", "sbml", "bnd"}, optional
        The format, over the one read from the suffix or content.

    Returns
    -------
    Model
        ``network`` (immutable: ``nodes``, ``rules``, ``inputs``), ``vocabulary`` (or None),
        ``settings`` (the shipped ``simulate.toml``), ``name``, ``path``.
    """
    from mtorsim.model.catalog import resolve, vocabulary_path
    from mtorsim.model.vocabulary import load_vocabulary

    path, settings = resolve(str(model))
    net = Network.load(path, fmt=fmt, strict=strict)
    vocab = None
    try:
        vocab_file = vocabulary_path(path, str(vocabulary) if vocabulary else None)
    except MtorsimError:
        vocab_file = None
    if vocab_file is not None:
        vocab = load_vocabulary(vocab_file, net)
    name = str(model) if not Path(str(model)).is_file() else path.name
    return Model(net, vocab, name, path, dict(settings))


def as_model(model: Model | Network | str | Path) -> Model:
    """``model``, loaded when it is a path or a shipped name; a bare network has no vocabulary."""
    if isinstance(model, Model):
        return model
    if isinstance(model, Network):
        source = str(model.source or "network")
        return Model(model, None, Path(source).name, Path(source))
    if not isinstance(model, str | Path):
        raise MtorsimError(
            f"`model` must be a Model, a Network, a model file or a shipped model name, not {type(model).__name__}"
        )
    return load_model(model)
