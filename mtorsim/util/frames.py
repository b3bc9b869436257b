"""Results as pandas DataFrames; pandas is optional (``pip install 'mtorsim[pandas]'``)."""

from __future__ import annotations

from typing import Any

from mtorsim.errors import MtorsimError


def to_dataframe(rows: Any, index: str | None = None):
    """A pandas DataFrame of ``rows`` (records or columns), indexed by the column ``index``."""
    try:
        import pandas as pd
    except ImportError:
        raise MtorsimError("to_dataframe() needs pandas: pip install pandas") from None
    df = pd.DataFrame(rows)
    return df.set_index(index) if index else df
