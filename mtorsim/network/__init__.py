"""The network model: an immutable Boolean network (``Network``), constant propagation
(``reduction``) and its feedback structure (``feedback``)."""

from mtorsim.network.network import SIGNS, Network

__all__ = ["SIGNS", "Network"]
