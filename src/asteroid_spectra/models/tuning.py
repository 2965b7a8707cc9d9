"""Hyperparameter tuning with Optuna, as an estimator (so outer CV makes it nested).

:class:`OptunaSearchClassifier` runs an Optuna study (TPE sampler, median pruner) on the
data given to :meth:`~OptunaSearchClassifier.fit` only, scoring each trial by an inner
stratified cross-validation, then refits the best configuration on all of that data.
Evaluated by :func:`~asteroid_spectra.models.evaluation.evaluate`, each outer training
fold gets its own study, so no test fold ever leaks into tuning.

Studies are stored (SQLite in the cache directory by default, or any Optuna storage URL
such as ``postgresql://…``) under a name derived from the data, the search space and the
seed: running the same fit again resumes the study, and several processes or machines
pointed at one storage tune it together.

References
----------
Akiba, T. et al. (2019). Optuna: a next-generation hyperparameter optimization
framework. KDD. Bergstra, J. et al. (2011). Algorithms for hyper-parameter optimization.
NeurIPS (TPE).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.metrics import get_scorer
from sklearn.model_selection import StratifiedKFold
from sklearn.utils.validation import check_is_fitted, validate_data

from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.models.classical import make_svm
from asteroid_spectra.models.torch_estimator import TorchClassifier

__all__ = ["SPACES", "OptunaSearchClassifier", "SearchSpace", "default_storage"]


@dataclass(frozen=True)
class SearchSpace:
    """A search space: how a trial suggests parameters and how they build a model.

    Attributes
    ----------
    suggest : callable
        ``suggest(trial) -> dict`` of parameters.
    build : callable
        ``build(params, random_state) -> estimator`` (unfitted).
    epoch_pruning : bool
        Whether trials report a validation loss per epoch (nets) rather than a score per
        inner fold.
    """

    suggest: Callable[[Any], dict[str, Any]]
    build: Callable[[dict[str, Any], int], Any]
    epoch_pruning: bool = False


def _suggest_svm(trial: Any) -> dict[str, Any]:
    scaling = trial.suggest_categorical("scaling", ["standard", "none"])
    gamma_range = (1e-4, 1.0) if scaling == "standard" else (0.1, 300.0)
    return {
        "scaling": scaling,
        "C": trial.suggest_float("C", 0.1, 1e4, log=True),
        "gamma": trial.suggest_float(f"gamma_{scaling}", *gamma_range, log=True),
        "class_weight": trial.suggest_categorical("class_weight", ["none", "balanced"]),
    }


def _build_svm(params: dict[str, Any], random_state: int, calibrate: bool = True) -> Any:
    return make_svm(
        scaling=None if params["scaling"] == "none" else params["scaling"],
        C=params["C"],
        gamma=params["gamma"],
        class_weight=None if params["class_weight"] == "none" else params["class_weight"],
        calibrate=calibrate,
    )


def _suggest_dense(trial: Any) -> dict[str, Any]:
    layers = trial.suggest_int("layers", 1, 3)
    width = trial.suggest_categorical("width", [16, 32, 64, 128, 256])
    return {
        "module__hidden": tuple(max(8, width // 2**i) for i in range(layers)),
        "module__dropout": trial.suggest_float("dropout", 0.0, 0.5),
        "lr": trial.suggest_float("lr", 3e-4, 1e-2, log=True),
        "weight_decay": trial.suggest_float("weight_decay", 1e-6, 1e-2, log=True),
        "noise": trial.suggest_float("noise", 1e-4, 0.02, log=True),
        "label_smoothing": trial.suggest_float("label_smoothing", 0.0, 0.1),
    }


def _suggest_conv(trial: Any) -> dict[str, Any]:
    first = trial.suggest_categorical("channels", [8, 16, 32])
    return {
        "module__channels": (first, 2 * first),
        "module__kernel_size": trial.suggest_categorical("kernel_size", [3, 5, 7]),
        "module__hidden": trial.suggest_categorical("hidden", [32, 64, 128]),
        "module__dropout": trial.suggest_float("dropout", 0.0, 0.5),
        "lr": trial.suggest_float("lr", 3e-4, 1e-2, log=True),
        "weight_decay": trial.suggest_float("weight_decay", 1e-6, 1e-2, log=True),
        "noise": trial.suggest_float("noise", 1e-4, 0.02, log=True),
    }


def _build_net(module: str) -> Callable[[dict[str, Any], int], Any]:
    def build(params: dict[str, Any], random_state: int) -> Any:
        return TorchClassifier(module, random_state=random_state, **params)

    return build


SPACES = {
    "svm": SearchSpace(_suggest_svm, _build_svm),
    "dense": SearchSpace(_suggest_dense, _build_net("dense"), epoch_pruning=True),
    "conv": SearchSpace(_suggest_conv, _build_net("conv"), epoch_pruning=True),
}
"""Search spaces by name."""


def default_storage() -> str:
    """SQLite storage URL in the cache directory (``<cache>/optuna/studies.db``)."""
    from asteroid_spectra.config import get_settings

    folder = get_settings().cache_dir / "optuna"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'studies.db'}"


class OptunaSearchClassifier(MetaEstimatorMixin, ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Tune a model with Optuna on the training data, then refit the best one.

    Parameters
    ----------
    space : {"svm", "dense", "conv"}
        Search space (see :data:`SPACES`).
    n_trials : int
        Completed trials the study should reach (a resumed study runs only the rest).
    cv : int
        Inner stratified folds scoring each trial (nets use one inner validation split
        and report its loss per epoch, so the median pruner can stop bad trials early).
    scoring : str
        A scikit-learn scorer name maximised by the study, or ``"f1_x"`` for the F1 of
        the X class (the x-vs-rest target).
    storage : str, optional
        Optuna storage URL; default :func:`default_storage` (SQLite in the cache).
        Pass ``"memory"`` to keep the study in memory.
    study_name : str, optional
        Study name; default derived from the space, the data and the seed.
    timeout : float, optional
        Stop the study after this many seconds.
    random_state : int
        Seed of the sampler, the inner splits and the models.

    Attributes
    ----------
    best_params_ : dict
        Parameters of the best trial.
    best_score_ : float
        Its inner-CV score.
    best_estimator_ : estimator
        The best configuration refitted on all the data given to :meth:`fit`.
    study_name_ : str
        Name of the study in the storage.
    """

    def __init__(
        self,
        space: str = "svm",
        *,
        n_trials: int = 30,
        cv: int = 3,
        scoring: str = "accuracy",
        storage: str | None = None,
        study_name: str | None = None,
        timeout: float | None = None,
        random_state: int = 0,
    ) -> None:
        self.space = space
        self.n_trials = n_trials
        self.cv = cv
        self.scoring = scoring
        self.storage = storage
        self.study_name = study_name
        self.timeout = timeout
        self.random_state = random_state

    def _space(self) -> SearchSpace:
        try:
            return SPACES[self.space]
        except KeyError:
            raise ParameterError(
                f"The 'space' parameter of OptunaSearchClassifier must be one of "
                f"{', '.join(SPACES)}. Got {self.space!r} instead."
            ) from None

    def _name(self, X: npt.NDArray[Any], y: npt.NDArray[Any]) -> str:
        digest = hashlib.sha256()
        digest.update(np.ascontiguousarray(X).tobytes())
        digest.update("\x1f".join(map(str, y)).encode())
        digest.update(f"{self.space}|{self.cv}|{self.scoring}|{self.random_state}".encode())
        return f"asteroid-spectra-{self.space}-{digest.hexdigest()[:16]}"

    def fit(self, X: npt.ArrayLike, y: npt.ArrayLike, **fit_params: Any) -> OptunaSearchClassifier:
        """Run (or resume) the study on `X`, `y`, then refit the best configuration."""
        import optuna

        space = self._space()
        inputs, labels = validate_data(self, X, y)
        inputs, labels = np.asarray(inputs), np.asarray(labels)
        storage = None if self.storage == "memory" else (self.storage or default_storage())
        self.study_name_ = self.study_name or self._name(inputs, labels)
        previous = optuna.logging.get_verbosity()
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        try:
            self._run(optuna, space, inputs, labels, storage, fit_params)
        finally:
            optuna.logging.set_verbosity(previous)
        self.best_estimator_ = space.build(self.best_params_, self.random_state)
        self.best_estimator_.fit(inputs, labels, **fit_params)
        self.classes_ = self.best_estimator_.classes_
        return self

    def _run(
        self,
        optuna: Any,
        space: SearchSpace,
        inputs: npt.NDArray[Any],
        labels: npt.NDArray[Any],
        storage: str | None,
        fit_params: dict[str, Any],
    ) -> None:
        """Create or resume the study, run the missing trials, record the best one."""
        study = optuna.create_study(
            study_name=self.study_name_,
            storage=_open_storage(storage),
            direction="minimize" if space.epoch_pruning else "maximize",
            sampler=optuna.samplers.TPESampler(seed=self.random_state),
            pruner=optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=1),
            load_if_exists=True,
        )
        done = sum(t.state == optuna.trial.TrialState.COMPLETE for t in study.trials)
        if done < self.n_trials:
            objective = self._objective(space, inputs, labels, fit_params)
            study.optimize(objective, n_trials=self.n_trials - done, timeout=self.timeout)
        best = study.best_trial
        self.best_params_ = dict(best.user_attrs["params"])
        self.best_score_ = float(best.user_attrs["score"])
        self.n_trials_ = len(study.trials)
        self.trials_ = [
            {
                "number": t.number,
                "state": t.state.name,
                "value": t.value,
                "params": t.user_attrs.get("params"),
            }
            for t in study.trials
        ]

    def _objective(
        self,
        space: SearchSpace,
        X: npt.NDArray[Any],
        y: npt.NDArray[Any],
        fit_params: dict[str, Any],
    ) -> Callable[[Any], float]:
        import optuna

        scorer = _scorer(self.scoring)
        splitter = StratifiedKFold(self.cv, shuffle=True, random_state=self.random_state)

        def objective(trial: Any) -> float:
            params = space.suggest(trial)
            trial.set_user_attr("params", _jsonable(params))
            if space.epoch_pruning:
                model = space.build(params, self.random_state)

                def report(epoch: int, loss: float) -> None:
                    trial.report(loss, epoch)
                    if trial.should_prune():
                        raise optuna.TrialPruned()

                model.fit(X, y, on_epoch=report, **fit_params)
                loss = min(h["valid_loss"] for h in model.history_)
                trial.set_user_attr("score", -loss)
                return float(loss)
            scores = []
            for step, (train, test) in enumerate(splitter.split(X, y)):
                model = _build_fast(space, params, self.random_state)
                model.fit(X[train], y[train], **_rows(fit_params, train))
                scores.append(scorer(model, X[test], y[test]))
                trial.report(float(np.mean(scores)), step)
                if trial.should_prune():
                    raise optuna.TrialPruned()
            trial.set_user_attr("score", float(np.mean(scores)))
            return float(np.mean(scores))

        return objective

    def predict(self, X: npt.ArrayLike) -> npt.NDArray[Any]:
        """Predict with the refitted best model."""
        check_is_fitted(self, "best_estimator_")
        return np.asarray(self.best_estimator_.predict(X))

    def predict_proba(self, X: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Probabilities of the refitted best model."""
        check_is_fitted(self, "best_estimator_")
        return np.asarray(self.best_estimator_.predict_proba(X))


def _build_fast(space: SearchSpace, params: dict[str, Any], random_state: int) -> Any:
    """Build a trial's model; SVMs skip calibration (it does not change the ranking)."""
    if space.build is _build_svm:
        return _build_svm(params, random_state, calibrate=False)
    return clone(space.build(params, random_state))


def _open_storage(url: str | None) -> Any:
    """Open an Optuna storage; SQLite waits on locks and survives a concurrent first use.

    Several processes (parallel CV folds, or workers sharing one study) may open a new
    SQLite file at once: creating its schema races, and writers wait for each other's
    locks. Both are retried here rather than surfacing as errors.
    """
    if url is None or not url.startswith("sqlite"):
        return url
    import time

    import optuna
    import sqlalchemy.exc

    retried = (
        sqlalchemy.exc.OperationalError,
        sqlalchemy.exc.IntegrityError,
        optuna.exceptions.StorageInternalError,
    )
    attempts = 10
    for attempt in range(attempts):
        try:
            return optuna.storages.RDBStorage(url, engine_kwargs={"connect_args": {"timeout": 60}})
        except retried:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))
    return url  # pragma: no cover - the loop returns or raises


def _scorer(name: str) -> Any:
    if name == "f1_x":
        from sklearn.metrics import f1_score, make_scorer

        return make_scorer(f1_score, pos_label="X")
    return get_scorer(name)


def _rows(fit_params: dict[str, Any], rows: npt.NDArray[np.intp]) -> dict[str, Any]:
    return {
        key: value[rows] if hasattr(value, "__getitem__") and np.ndim(value) else value
        for key, value in fit_params.items()
    }


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in params.items()}
