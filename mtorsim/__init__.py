"""mtorsim: Boolean-network simulation of mTORC1/mTORC2 signalling.

Layers, lowest first: ``formats`` (text -> syntax tree) -> ``network`` (immutable model) ->
``compiler`` (rules -> arrays) -> ``kernels`` (numba) -> ``simulate`` -> ``cli`` and ``plots``.
"""

__version__ = "0.1.0"
