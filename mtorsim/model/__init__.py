"""A model as users load it: the network with its vocabulary (``vocabulary``) and shipped run
settings (``load``), and the shipped models (``catalog``)."""

from mtorsim.model.load import Model, as_model, load_model

__all__ = ["Model", "as_model", "load_model"]
