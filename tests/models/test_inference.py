"""The numpy-only inference form agrees with scikit-learn and imports none of it."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import numpy as np
import pytest

from asteroid_spectra.exceptions import DataError
from asteroid_spectra.models.fit_params import fit_kwargs
from asteroid_spectra.models.inference import InferenceModel, compile_model
from asteroid_spectra.models.registry import build_model
from asteroid_spectra.models.targets import coarse_labels

COMPILED = [
    "svm",
    "svm-unscaled",
    "svm-bus",
    "svm-robust",
    "svm-slope",
    "logistic",
    "logistic-bus",
]


def fitted(name: str, target: str, train: Any) -> Any:
    estimator = build_model(name, target, train.wavelength, random_state=0)
    labels = coarse_labels(target, train.fine)
    return estimator.fit(train.X, labels, **fit_kwargs(estimator, train.fine))


@pytest.mark.parametrize("target", ["x-vs-rest", "main-group", "bus"])
@pytest.mark.parametrize("name", COMPILED)
def test_compiled_probabilities_match_scikit_learn(
    name: str, target: str, train: Any, held_out: Any
) -> None:
    estimator = fitted(name, target, train)
    compiled = compile_model(estimator)
    assert compiled is not None
    assert compiled.classes == [str(c) for c in estimator.classes_]
    proba, fine = compiled.probabilities(held_out.X)
    np.testing.assert_allclose(proba, estimator.predict_proba(held_out.X), rtol=1e-10, atol=1e-13)
    if hasattr(estimator, "predict_fine_proba"):
        assert compiled.fine_classes == [str(c) for c in estimator.fine_classes_]
        assert fine is not None
        expected = estimator.predict_fine_proba(held_out.X)
        np.testing.assert_allclose(fine, expected, rtol=1e-10, atol=1e-13)
    else:
        assert compiled.fine_classes is None
        assert fine is None


def test_compiled_svm_is_exact_on_its_own_decision_function(train: Any, held_out: Any) -> None:
    # FastSVC runs the same numpy decision function, so the calibrated probabilities of
    # an SVM model agree to the last bit.
    estimator = fitted("svm-bus", "main-group", train)
    compiled = compile_model(estimator)
    assert compiled is not None
    np.testing.assert_array_equal(
        compiled.probabilities(held_out.X)[0], estimator.predict_proba(held_out.X)
    )


@pytest.mark.parametrize("name", ["svm-augmented", "extra-trees", "svm-grid"])
def test_estimators_without_an_inference_form_are_not_compiled(name: str, train: Any) -> None:
    estimator = build_model(name, "main-group", train.wavelength, random_state=0)
    if name == "extra-trees":
        estimator.set_params(n_estimators=10)
    if name == "svm-grid":
        estimator.set_params(cv=2, param_grid={"svc__C": [1.0]})
    estimator.fit(train.X, train.y, **fit_kwargs(estimator, train.fine))
    assert compile_model(estimator) is None


def _slope_union(grid: np.ndarray, at: float, weights: Any = None) -> Any:
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    from asteroid_spectra.spectra.transformers import SlopeFeature, SlopeRemover

    shape = Pipeline([("remove", SlopeRemover(grid, at=at)), ("project", PCA(3))])
    features = FeatureUnion(
        [("slope", SlopeFeature(grid, at=at)), ("shape", shape)], transformer_weights=weights
    )
    return Pipeline([("features", features), ("logistic", LogisticRegression(max_iter=2000))])


def test_slope_features_anchored_elsewhere_match_scikit_learn(train: Any, held_out: Any) -> None:
    # The slope line through unity at 0.70 µm (as near-infrared models use 1.2 µm).
    at = 0.70
    column = int(np.argmin(np.abs(train.wavelength - at)))
    X, X_test = (x / x[:, [column]] for x in (train.X, held_out.X))
    estimator = _slope_union(train.wavelength, at).fit(X, train.y)
    compiled = compile_model(estimator)
    assert compiled is not None
    expected = estimator.predict_proba(X_test)
    np.testing.assert_allclose(compiled.probabilities(X_test)[0], expected, rtol=1e-10, atol=1e-13)


def test_a_weighted_feature_union_is_not_compiled(train: Any) -> None:
    weights = {"slope": 2.0, "shape": 1.0}
    estimator = _slope_union(train.wavelength, 0.55, weights).fit(train.X, train.y)
    assert compile_model(estimator) is None


def test_a_slope_too_steep_for_the_grid_is_a_spectrum_error(train: Any) -> None:
    from asteroid_spectra.exceptions import SpectrumError

    compiled = compile_model(fitted("svm-slope", "main-group", train))
    assert compiled is not None
    steep = 1 + 12.0 * (train.wavelength - 0.55)[np.newaxis, :]  # zero at 0.47 µm
    with pytest.raises(SpectrumError, match=r"slope line is not positive over the whole grid"):
        compiled.probabilities(steep)


def test_an_unfitted_or_non_classifier_estimator_is_not_compiled(train: Any) -> None:
    from sklearn.linear_model import LinearRegression

    assert compile_model(build_model("svm", "main-group", train.wavelength)) is None
    assert compile_model(LinearRegression().fit(train.X, train.X[:, 0])) is None


def test_the_inference_form_survives_its_json_and_arrays(train: Any, held_out: Any) -> None:
    import json

    estimator = fitted("svm-robust", "main-group", train)
    compiled = compile_model(estimator)
    assert compiled is not None
    copy = InferenceModel(
        json.loads(json.dumps(compiled.spec)), {k: v.copy() for k, v in compiled.arrays.items()}
    )
    np.testing.assert_array_equal(
        copy.probabilities(held_out.X)[0], compiled.probabilities(held_out.X)[0]
    )


def test_an_unknown_operation_is_a_data_error(train: Any, held_out: Any) -> None:
    estimator = fitted("logistic", "main-group", train)
    compiled = compile_model(estimator)
    assert compiled is not None
    spec = {**compiled.spec, "proba": {"op": "quantum"}}
    with pytest.raises(DataError, match=r"unknown operation 'quantum'.*save the model again"):
        InferenceModel(spec, compiled.arrays).probabilities(held_out.X)


def test_running_an_inference_form_imports_no_scikit_learn(
    train: Any, held_out: Any, tmp_path: Any
) -> None:
    import json

    from safetensors.numpy import save_file

    compiled = compile_model(fitted("svm-robust", "main-group", train))
    assert compiled is not None
    save_file(dict(compiled.arrays), str(tmp_path / "arrays.safetensors"))
    (tmp_path / "spec.json").write_text(json.dumps(compiled.spec))
    np.save(tmp_path / "X.npy", held_out.X[:5])
    code = f"""
import json, sys
import numpy as np
from safetensors.numpy import load_file
from asteroid_spectra.models.inference import InferenceModel
model = InferenceModel(json.loads(open({str(tmp_path / "spec.json")!r}).read()),
                       load_file({str(tmp_path / "arrays.safetensors")!r}))
proba = model.probabilities(np.load({str(tmp_path / "X.npy")!r}))[0]
heavy = sorted(m for m in ("sklearn", "scipy", "pandas", "torch") if m in sys.modules)
print(json.dumps({{"proba": proba.tolist(), "heavy": heavy}}))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout)
    assert result["heavy"] == []
    np.testing.assert_array_equal(result["proba"], compiled.probabilities(held_out.X[:5])[0])
