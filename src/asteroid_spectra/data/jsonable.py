"""The one JSON fallback for what the standard library cannot write: numpy values.

Pass :func:`json_default` as ``json.dumps(..., default=json_default)`` wherever results,
cards or reports are written as JSON.
"""

from __future__ import annotations

from typing import Any

__all__ = ["json_default"]


def json_default(value: Any) -> Any:
    """Return a JSON-ready form of a numpy array (a list) or scalar (a Python number).

    Raises
    ------
    TypeError
        For anything else, as :func:`json.dumps` expects of its ``default``.

    Examples
    --------
    >>> import json, numpy as np
    >>> json.dumps({"x": np.arange(2), "y": np.float32(0.5)}, default=json_default)
    '{"x": [0, 1], "y": 0.5}'
    """
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
