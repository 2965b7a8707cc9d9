"""The optional per-sample arguments of ``fit``: fine labels and measured errors.

Some models learn from more than the spectra and their labels:
:class:`~asteroid_spectra.models.grouped.GroupedClassifier` takes the Bus classes of the
spectra (``fine_labels``), :class:`~asteroid_spectra.models.torch_estimator.TorchClassifier`
their 1-sigma errors (``sample_error``). :func:`fit_kwargs` gives a model those it accepts,
so evaluation, training and benchmarks fit every model the same way.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy.typing as npt

__all__ = ["fit_kwargs"]


def fit_kwargs(
    model: Any,
    fine: npt.ArrayLike | None = None,
    error: npt.ArrayLike | None = None,
) -> dict[str, Any]:
    """Return the extra ``fit`` arguments `model` accepts: ``fine_labels``, ``sample_error``."""
    return {
        name: value
        for name, value in (("fine_labels", fine), ("sample_error", error))
        if value is not None and _accepts(model, name)
    }


def _accepts(model: Any, name: str) -> bool:
    """Tell whether ``model.fit`` takes `name`.

    Directly, or by passing ``**kwargs`` on to its wrapped ``estimator`` (as
    GroupedClassifier does).
    """
    parameters = inspect.signature(model.fit).parameters
    if name in parameters:
        return True
    forwards = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    inner = getattr(model, "estimator", None)
    return forwards and inner is not None and hasattr(inner, "fit") and _accepts(inner, name)
