"""Run a trained taxonomy model with numpy alone: its inference form.

Importing scikit-learn costs ~2 s on the project's machine (it imports pandas and
scipy.stats), far more than classifying a spectrum. So a fitted model is also *compiled*
into an :class:`InferenceModel`: the arrays and the few numpy operations its prediction
consists of, saved beside the estimator as safetensors + JSON and run without importing
scikit-learn. :func:`compile_model` knows the estimators the registry builds from
scikit-learn parts and this package's own:

* ``StandardScaler`` and ``PCA`` (without whitening) transforms, in a ``Pipeline``, and
  this package's :class:`~asteroid_spectra.spectra.transformers.SlopeFeature` and
  :class:`~asteroid_spectra.spectra.transformers.SlopeRemover` (the slope of the line
  through unity at the normalisation wavelength, Bus & Binzel 2002), alone, in a
  ``Pipeline`` or side by side in a ``FeatureUnion`` (concatenated, without weights);
* the RBF :class:`~asteroid_spectra.models.fast_svm.FastSVC` decision function (libsvm's
  one-vs-one values turned one-vs-rest as scikit-learn does, :func:`svc_decision`);
* ``LogisticRegression`` decision function and probabilities;
* ``CalibratedClassifierCV(method="temperature")`` (Guo et al. 2017: softmax of the
  decision values times the fitted inverse temperature, averaged over its members);
* :class:`~asteroid_spectra.models.grouped.GroupedClassifier` (fine-class probabilities
  summed into the coarse classes).

The RBF kernel is computed from the squared distances of
:mod:`~asteroid_spectra.models.neighbours`, the module that also holds the
nearest-neighbour search of the out-of-distribution score.

Each operation repeats scikit-learn's arithmetic in the same order, so the results agree
to rounding (tested to 1e-12). Anything else (networks, trees, tuned searches…) is not
compiled: :func:`compile_model` returns None and the model predicts through its
estimator.

References
----------
Guo, C., Pleiss, G., Sun, Y. & Weinberger, K. Q. (2017). On calibration of modern neural
networks. ICML (temperature scaling). Chang, C.-C. & Lin, C.-J. (2011). LIBSVM: a library
for support vector machines. ACM TIST 2, 27 (one-vs-one decision values).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from asteroid_spectra.exceptions import DataError
from asteroid_spectra.models.neighbours import CHUNK, squared_distances
from asteroid_spectra.spectra.shape import remove_slope, slope

__all__ = ["InferenceModel", "compile_model", "svc_decision", "svc_tables"]

FloatArray = npt.NDArray[np.float64]
Node = dict[str, Any]
"""One operation: ``{"op": name, ...}`` with arrays referenced as ``{"array": key}``."""


def svc_tables(n_support: npt.NDArray[Any], dual_coef: FloatArray) -> tuple[Any, ...]:
    """Class blocks of the support vectors, their weights and the pair columns."""
    n_classes = len(n_support)
    first, second = np.triu_indices(n_classes, 1)
    starts = np.concatenate([[0], np.cumsum(n_support)]).astype(int)
    blocks = [slice(int(starts[c]), int(starts[c + 1])) for c in range(n_classes)]
    weights = [np.ascontiguousarray(dual_coef[:, block].T) for block in blocks]
    # column of per_class.reshape(n, -1) holding class c's term against class r
    left = first * (n_classes - 1) + (second - 1)
    right = second * (n_classes - 1) + first
    incidence = np.zeros((len(first), n_classes))
    incidence[np.arange(len(first)), first] = 1.0
    incidence[np.arange(len(first)), second] = -1.0
    return blocks, weights, left, right, incidence


def svc_decision(
    X: FloatArray,
    support_vectors: FloatArray,
    dual_coef: FloatArray,
    intercept: FloatArray,
    n_support: npt.NDArray[Any],
    gamma: float,
    tables: tuple[Any, ...] | None = None,
) -> FloatArray:
    """One-vs-rest decision values of a fitted RBF support-vector classifier.

    Parameters
    ----------
    X : ndarray, shape (n, m)
        Inputs.
    support_vectors : ndarray, shape (s, m)
        Support vectors, grouped by class (libsvm's order).
    dual_coef, intercept : ndarray
        libsvm's dual coefficients, shape (k - 1, s), and intercepts, shape (k(k-1)/2,)
        (scikit-learn's private ``_dual_coef_`` and ``_intercept_``).
    n_support : ndarray of int, shape (k,)
        Support vectors per class.
    gamma : float
        RBF width: the kernel is ``exp(-gamma |x - s|^2)``.
    tables : tuple, optional
        Precomputed :func:`svc_tables` (for repeated calls).

    Returns
    -------
    ndarray, shape (n,) for two classes, else (n, k)
        The values of ``sklearn.svm.SVC.decision_function`` with
        ``decision_function_shape="ovr"``: votes plus a confidence term in (-1/3, 1/3).
    """
    n_classes = len(n_support)
    blocks, weights, left, right, incidence = (
        svc_tables(n_support, dual_coef) if tables is None else tables
    )
    offset = np.arange(n_classes, dtype=float)
    out = np.empty((len(X),) if n_classes == 2 else (len(X), n_classes))
    for start in range(0, len(X), CHUNK):
        rows = slice(start, start + CHUNK)
        kernel = squared_distances(X[rows], support_vectors)
        kernel *= -gamma
        np.exp(kernel, out=kernel)
        # per_class[:, c, r] = sum over support vectors s of class c of coef[r, s] K[:, s]
        per_class = np.empty((kernel.shape[0], n_classes, n_classes - 1))
        for c, block in enumerate(blocks):
            np.matmul(kernel[:, block], weights[c], out=per_class[:, c, :])
        flat = per_class.reshape(kernel.shape[0], -1)
        ovo = np.take(flat, left, axis=1) + np.take(flat, right, axis=1)
        ovo += intercept
        if n_classes == 2:
            out[rows] = -ovo[:, 0]
            continue
        # votes: +1 to the pair's first class when ovo >= 0, else to its second; class k
        # is second in k pairs, hence the offset.
        votes = (ovo >= 0).astype(np.float64) @ incidence + offset
        confidence = ovo @ incidence
        out[rows] = votes + confidence / (3 * (np.abs(confidence) + 1))
    return out


def _softmax(values: FloatArray) -> FloatArray:
    """Row softmax in scikit-learn's order (``sklearn.utils.extmath.softmax``)."""
    out: FloatArray = values - values.max(axis=1, keepdims=True)
    np.exp(out, out=out)
    out /= out.sum(axis=1, keepdims=True)
    return out


def _logits(decision: FloatArray) -> FloatArray:
    """Decision values to logits as ``sklearn.calibration._convert_to_logits`` does."""
    if decision.ndim == 1 or decision.shape[1] == 1:
        column = decision.reshape(-1, 1)
        return np.concatenate([-column, column], axis=1)
    looks_like_proba = np.all((decision >= 0) & (decision <= 1)) and np.all(
        np.isclose(decision.sum(axis=1), 1.0)
    )
    return np.log(decision + 1e-12) if looks_like_proba else decision


class _Arrays:
    """Collects the arrays of a compiled model under unique keys."""

    def __init__(self) -> None:
        self.arrays: dict[str, npt.NDArray[Any]] = {}

    def add(self, value: Any) -> dict[str, str]:
        key = f"a{len(self.arrays)}"
        self.arrays[key] = np.ascontiguousarray(value)
        return {"array": key}


def _name(obj: Any) -> str:
    return f"{type(obj).__module__}.{type(obj).__qualname__}"


def _transform(step: Any, store: _Arrays) -> Node | None:
    name = _name(step)
    if name == "sklearn.pipeline.Pipeline":
        steps = [_transform(inner, store) for _, inner in step.steps]
        return None if any(s is None for s in steps) else {"op": "chain", "steps": steps}
    if name == "sklearn.pipeline.FeatureUnion":
        parts = [_transform(inner, store) for _, inner in step.transformer_list]
        if step.transformer_weights or any(p is None for p in parts):
            return None
        return {"op": "union", "parts": parts}
    if name in (
        "asteroid_spectra.spectra.transformers.SlopeFeature",
        "asteroid_spectra.spectra.transformers.SlopeRemover",
    ):
        grid = np.asarray(step.wavelength, dtype=np.float64)
        op = "slope" if name.endswith("SlopeFeature") else "remove_slope"
        return {"op": op, "wavelength": store.add(grid), "at": float(step.at)}
    if name == "sklearn.preprocessing._data.StandardScaler":
        return {
            "op": "scale",
            "mean": None if step.mean_ is None else store.add(step.mean_),
            "scale": None if step.scale_ is None else store.add(step.scale_),
        }
    if name == "sklearn.decomposition._pca.PCA" and not step.whiten:
        return {
            "op": "pca",
            "components": store.add(step.components_),
            "mean": store.add(step.mean_),
        }
    return None


def _decision(estimator: Any, store: _Arrays) -> Node | None:
    """Compile the decision function of a fitted estimator (a Pipeline or a classifier)."""
    name = _name(estimator)
    if name == "sklearn.pipeline.Pipeline":
        steps = [_transform(step, store) for _, step in estimator.steps[:-1]]
        final = _decision(estimator.steps[-1][1], store)
        if final is None or any(step is None for step in steps):
            return None
        return {"op": "chain", "steps": [*steps, final]}
    if name == "asteroid_spectra.models.fast_svm.FastSVC":
        if estimator.kernel != "rbf" or estimator.decision_function_shape != "ovr":
            return None
        return {
            "op": "svc",
            "support_vectors": store.add(estimator.support_vectors_),
            "dual_coef": store.add(estimator._dual_coef_),
            "intercept": store.add(estimator._intercept_),
            "n_support": store.add(np.asarray(estimator._n_support, dtype=np.int64)),
            "gamma": float(estimator._gamma),
        }
    if name == "sklearn.linear_model._logistic.LogisticRegression":
        return {
            "op": "linear",
            "coef": store.add(estimator.coef_),
            "intercept": store.add(estimator.intercept_),
        }
    return None


def _probabilities(estimator: Any, store: _Arrays) -> Node | None:
    """Compile ``predict_proba`` of a fitted estimator, or return None."""
    name = _name(estimator)
    if name == "sklearn.calibration.CalibratedClassifierCV":
        if estimator.method != "temperature":
            return None
        members = []
        for member in estimator.calibrated_classifiers_:
            decision = _decision(member.estimator, store)
            if decision is None or len(member.calibrators) != 1:
                return None
            members.append({"decision": decision, "beta": float(member.calibrators[0].beta_)})
        return {"op": "temperature", "members": members}
    if name == "sklearn.pipeline.Pipeline":
        final = estimator.steps[-1][1]
        if _name(final) == "sklearn.linear_model._logistic.LogisticRegression":
            decision = _decision(estimator, store)
            return None if decision is None else {"op": "logistic", "decision": decision}
    if name == "sklearn.linear_model._logistic.LogisticRegression":
        return {"op": "logistic", "decision": _decision(estimator, store)}
    return None


@dataclass(eq=False)
class InferenceModel:
    """The numpy-only form of a fitted model's probabilities.

    Attributes
    ----------
    spec : dict
        JSON-ready tree of operations (arrays referenced by key).
    arrays : dict of ndarray
        The arrays the operations use.
    """

    spec: Node
    arrays: Mapping[str, npt.NDArray[Any]]
    _tables: dict[str, tuple[Any, ...]] = field(default_factory=dict, init=False, repr=False)

    @property
    def classes(self) -> list[str]:
        """Labels of :meth:`probabilities`' first result's columns."""
        return list(self.spec["classes"])

    @property
    def fine_classes(self) -> list[str] | None:
        """Fine labels (a GroupedClassifier's learnt classes), else None."""
        fine = self.spec.get("fine_classes")
        return None if fine is None else list(fine)

    def _array(self, reference: Mapping[str, str] | None) -> Any:
        return None if reference is None else self.arrays[reference["array"]]

    def _run(self, node: Node, X: FloatArray) -> FloatArray:
        op = node["op"]
        if op == "chain":
            for step in node["steps"]:
                X = self._run(step, X)
            return X
        if op == "scale":
            mean, scale = self._array(node["mean"]), self._array(node["scale"])
            X = X - mean if mean is not None else X.copy()
            return X / scale if scale is not None else X
        if op == "union":
            return np.hstack([self._run(part, X) for part in node["parts"]])
        if op == "slope":
            grid = self._array(node["wavelength"])
            return np.asarray(slope(grid, X, at=node["at"]), dtype=np.float64)[:, np.newaxis]
        if op == "remove_slope":
            grid = self._array(node["wavelength"])
            return np.asarray(remove_slope(grid, X, at=node["at"]).reflectance, dtype=np.float64)
        if op == "pca":
            components = self._array(node["components"])
            out: FloatArray = X @ components.T
            out -= self._array(node["mean"]).reshape(1, -1) @ components.T
            return out
        if op == "svc":
            key = node["dual_coef"]["array"]
            tables = self._tables.get(key)
            if tables is None:
                tables = svc_tables(self._array(node["n_support"]), self._array(node["dual_coef"]))
                self._tables[key] = tables
            return svc_decision(
                X,
                self._array(node["support_vectors"]),
                self._array(node["dual_coef"]),
                self._array(node["intercept"]),
                self._array(node["n_support"]),
                node["gamma"],
                tables,
            )
        if op == "linear":
            scores: FloatArray = X @ self._array(node["coef"]).T + self._array(node["intercept"])
            return scores.reshape(-1) if scores.shape[1] == 1 else scores
        if op == "logistic":
            decision = self._run(node["decision"], X)
            if decision.ndim == 1:
                positive = 1.0 / (1.0 + np.exp(-decision))
                return np.vstack([1 - positive, positive]).T
            return _softmax(decision)
        if op == "temperature":
            members = node["members"]
            total = np.zeros((len(X), len(self.spec["learnt"])))
            for member in members:  # scikit-learn's average over the calibrated members
                proba = _softmax(member["beta"] * _logits(self._run(member["decision"], X)))
                proba[(proba > 1.0) & (proba <= 1.0 + 1e-5)] = 1.0
                total += proba
            total /= len(members)
            return total
        raise DataError(
            f"The model's inference form has an unknown operation {op!r}; it was saved by "
            "another version of asteroid-spectra. Train or save the model again."
        )

    def probabilities(self, X: FloatArray) -> tuple[FloatArray, FloatArray | None]:
        """Probabilities of :attr:`classes` and, for a grouped model, of the fine classes."""
        learnt = self._run(self.spec["proba"], X)
        membership = self._array(self.spec.get("membership"))
        if membership is None:
            return learnt, None
        return np.asarray(learnt @ membership, dtype=np.float64), learnt


def compile_model(estimator: Any) -> InferenceModel | None:
    """Compile a fitted estimator's ``predict_proba``, or return None if unsupported.

    Parameters
    ----------
    estimator : classifier
        Fitted; see the module docstring for the supported compositions.

    Returns
    -------
    InferenceModel or None
    """
    if not hasattr(estimator, "classes_"):  # not a fitted classifier
        return None
    store = _Arrays()
    spec: Node = {"classes": [str(c) for c in estimator.classes_]}
    spec["learnt"] = spec["classes"]
    inner = estimator
    if _name(estimator) == "asteroid_spectra.models.grouped.GroupedClassifier":
        inner = estimator.estimator_
        spec["fine_classes"] = spec["learnt"] = [str(c) for c in estimator.fine_classes_]
        spec["membership"] = store.add(np.asarray(estimator.membership_, dtype=np.float64))
    proba = _probabilities(inner, store)
    if proba is None:
        return None
    spec["proba"] = proba
    return InferenceModel(spec, store.arrays)
