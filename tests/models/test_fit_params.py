"""Routing the optional fit arguments (fine labels, sample errors) to the models that take them."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from asteroid_spectra.models.classical import make_svm
from asteroid_spectra.models.fit_params import fit_kwargs
from asteroid_spectra.models.grouped import GroupedClassifier
from asteroid_spectra.models.torch_estimator import TorchClassifier


def svm_bus(target: str = "main-group") -> GroupedClassifier:
    return GroupedClassifier(make_svm(scaling=None, C=30.0, gamma=10.0), target=target)


# --- fit_kwargs ----------------------------------------------------------------------
FINE = np.array(["S", "C"], dtype=object)
ERROR = np.full((2, 49), 0.01)


@pytest.mark.parametrize(
    ("model", "fine", "error", "keys"),
    [
        (svm_bus(), FINE, ERROR, {"fine_labels"}),
        (svm_bus(), None, ERROR, set()),
        (TorchClassifier(), FINE, ERROR, {"sample_error"}),
        (TorchClassifier(), FINE, None, set()),
        (make_svm(), FINE, ERROR, set()),
        (LogisticRegression(), FINE, ERROR, set()),
    ],
    ids=["grouped", "grouped-no-fine", "torch", "torch-no-error", "svm", "logistic"],
)
def test_fit_kwargs_routes_only_what_fit_accepts(
    model: Any, fine: Any, error: Any, keys: set[str]
) -> None:
    kwargs = fit_kwargs(model, fine, error)
    assert set(kwargs) == keys
    if "fine_labels" in keys:
        assert kwargs["fine_labels"] is fine
    if "sample_error" in keys:
        assert kwargs["sample_error"] is error
