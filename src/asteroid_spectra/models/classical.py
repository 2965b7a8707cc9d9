"""Classical classifiers for spectra: SVM pipelines, tree ensembles, logistic regression.

All factories return unfitted scikit-learn estimators whose ``predict_proba`` is
calibrated: SVMs and other margin classifiers are wrapped in
:class:`~sklearn.calibration.CalibratedClassifierCV` with temperature scaling fitted on
inner cross-validated decision values (``ensemble=False``: one final model, so
prediction costs a single SVM; temperature scaling keeps its decisions).
"""

from __future__ import annotations

from typing import Any

from sklearn.calibration import CalibratedClassifierCV
from sklearn.decomposition import PCA
from sklearn.ensemble import ExtraTreesClassifier, HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.models.fast_svm import FastSVC

__all__ = [
    "calibrated",
    "make_extra_trees",
    "make_gradient_boosting",
    "make_logistic",
    "make_svm",
    "reference_grid_search",
]


def calibrated(estimator: Any, cv: int = 5) -> CalibratedClassifierCV:
    """Wrap `estimator` so its probabilities are temperature-scaled on inner CV folds.

    References
    ----------
    Guo, C. et al. (2017). On calibration of modern neural networks. ICML.
    """
    return CalibratedClassifierCV(estimator, method="temperature", cv=cv, ensemble=False)


def make_svm(
    *,
    scaling: str | None = "standard",
    kernel: str = "rbf",
    C: float = 10.0,
    gamma: float | str = "scale",
    class_weight: str | None = None,
    components: int | None = None,
    calibrate: bool = True,
    random_state: int | None = None,
) -> Any:
    """Support-vector classifier on reflectance spectra.

    Parameters
    ----------
    scaling : {"standard", None}
        ``"standard"`` standardises each wavelength (the reference tutorial's choice);
        None feeds the normalised reflectance as it is, which keeps the near-constant
        samples around 0.55 µm from being amplified into noise.
    kernel : {"rbf", "linear"}
        SVC kernel.
    C, gamma : float
        SVC regularisation and RBF width.
    class_weight : {None, "balanced"}
        SVC class weights.
    components : int, optional
        Project the spectra onto their first `components` principal components before
        the SVC. A handful of components carries the spectral shapes and drops most of a
        noisy spectrum's white noise, which a narrow RBF kernel would otherwise read as
        distance from every training spectrum (``benchmarks/robustness.py``).
    calibrate : bool
        Temperature-scale the probabilities (see :func:`calibrated`).
    random_state : int, optional
        Seed of the principal-component solver.

    Notes
    -----
    The SVC is a :class:`~asteroid_spectra.models.fast_svm.FastSVC`: scikit-learn's SVC
    with a BLAS decision function (same values, several times faster to predict).
    """
    steps: list[tuple[str, Any]] = []
    if scaling == "standard":
        steps.append(("scale", StandardScaler()))
    elif scaling is not None:
        raise ParameterError(
            f"The 'scaling' parameter must be 'standard' or None. Got {scaling!r}."
        )
    if components is not None:
        steps.append(("project", PCA(n_components=components, random_state=random_state)))
    steps.append(("svc", FastSVC(kernel=kernel, C=C, gamma=gamma, class_weight=class_weight)))
    pipeline = Pipeline(steps)
    return calibrated(pipeline) if calibrate else pipeline


def reference_grid_search(cv: int = 5, random_state: int = 0) -> GridSearchCV:
    """Return the reference tutorial's style of SVM grid search, kept for parity.

    Standardised reflectance, linear and RBF kernels, ``C`` in 0.1-1000 and ``gamma`` in
    1e-3-0.1 or ``"scale"``, selected by weighted F1 on a stratified ``cv``-fold split of
    the training data. Like the reference, it has no calibrated probabilities.
    """
    pipeline = Pipeline([("scale", StandardScaler()), ("svc", FastSVC())])
    grid = [
        {"svc__kernel": ["linear"], "svc__C": [0.1, 1, 10, 100]},
        {
            "svc__kernel": ["rbf"],
            "svc__C": [1, 10, 100, 1000],
            "svc__gamma": [1e-3, 1e-2, 1e-1, "scale"],
        },
    ]
    splitter = StratifiedKFold(cv, shuffle=True, random_state=random_state)
    return GridSearchCV(pipeline, grid, scoring="f1_weighted", cv=splitter, refit=True)


def make_extra_trees(n_estimators: int = 500, random_state: int | None = 0) -> Any:
    """Extremely randomised trees on reflectance (probabilities are vote fractions)."""
    return ExtraTreesClassifier(n_estimators=n_estimators, random_state=random_state, n_jobs=1)


def make_gradient_boosting(random_state: int | None = 0) -> Any:
    """Histogram gradient boosting with early stopping on an inner split."""
    return HistGradientBoostingClassifier(random_state=random_state, early_stopping=True)


def make_logistic(C: float = 1.0) -> Any:
    """Multinomial logistic regression on standardised reflectance."""
    return Pipeline(
        [("scale", StandardScaler()), ("logistic", LogisticRegression(C=C, max_iter=5000))]
    )
