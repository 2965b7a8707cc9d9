"""PyTorch networks as scikit-learn classifiers (skorch-style, without the god class).

:class:`TorchClassifier` trains an architecture from :mod:`~asteroid_spectra.models.nets`
with mini-batch AdamW, early stopping on a stratified inner validation split, optional
training-time augmentation (Gaussian noise, per-sample measured errors, random slopes) and
temperature scaling of the logits on the same validation split, so ``predict_proba`` is
calibrated. Parameters named ``module__*`` go to the architecture's constructor. The
split, scaling and augmentation are in :mod:`~asteroid_spectra.models.torch_inputs`, the
training loop and the temperature fit in :mod:`~asteroid_spectra.models.torch_training`.

Training runs inside :func:`torch.random.fork_rng`, so it is reproducible for an integer
``random_state`` and leaves the global torch random state untouched.

References
----------
Guo, C. et al. (2017). On calibration of modern neural networks. ICML (temperature
scaling).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, check_random_state, validate_data

from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.models.torch_inputs import augment, fit_scaling, validation_split
from asteroid_spectra.models.torch_training import torch_session

__all__ = ["TorchClassifier"]

EpochCallback = Callable[[int, float], None]


class TorchClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """A neural-network classifier with the scikit-learn estimator contract.

    Parameters
    ----------
    module : {"dense", "conv"}
        Architecture (see :mod:`asteroid_spectra.models.nets`).
    max_epochs : int
        Upper bound on training epochs.
    batch_size : int
        Mini-batch size.
    lr : float
        AdamW learning rate.
    weight_decay : float
        AdamW weight decay.
    label_smoothing : float
        Label smoothing of the cross-entropy loss.
    class_weight : {None, "balanced"}
        Weight the loss by inverse class frequency.
    validation_fraction : float
        Fraction of the training data held out (stratified) for early stopping and
        temperature scaling; 0 trains on everything for ``max_epochs``.
    patience : int
        Epochs without improvement of the validation loss before stopping.
    scheduler : {None, "onecycle"}
        Learning-rate schedule: constant, or one cycle up to ``lr`` and down over
        ``max_epochs`` (Smith & Topin 2019; then training runs all epochs).
    input_scaling : {"standard", "centre", None}
        ``"standard"`` standardises each feature with training statistics; ``"centre"``
        subtracts 1 (spectra normalised to unity) and divides by one global spread, which
        keeps the relative size of the variations at every wavelength (standardising
        amplifies the near-constant samples around 0.55 µm into noise); None leaves
        inputs as they are.
    noise : float
        Standard deviation of Gaussian noise added to the training inputs at each epoch.
    error_noise : float
        Multiplier of the per-sample errors given to :meth:`fit` as ``sample_error``:
        training inputs get Gaussian noise of ``error_noise * sample_error`` each epoch.
    slope_noise : float
        Standard deviation (µm⁻¹) of random slopes applied to training spectra,
        ``x * (1 + s * (wavelength - 0.55))``; needs ``wavelength``.
    wavelength : array_like, optional
        Wavelength (µm) of each feature, for slope augmentation.
    calibrate : bool
        Fit a temperature to the validation logits so probabilities are calibrated.
    random_state : int, RandomState or None
        Seed of initialisation, batching, dropout and augmentation.
    **module_params
        ``module__<name>`` arguments of the architecture, e.g. ``module__hidden=(25, 10)``.
        Like every parameter they are only stored; :meth:`fit` refuses a keyword that is
        neither a named parameter nor ``module__<name>``.

    Attributes
    ----------
    classes_ : ndarray
        Class labels.
    module_ : torch.nn.Module
        The trained network (best validation epoch).
    temperature_ : float
        Logit temperature (1 when not calibrated).
    history_ : list of dict
        Per epoch: ``epoch``, ``train_loss``, ``valid_loss`` (NaN without validation).
    best_epoch_ : int
        Epoch whose weights were kept.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (40, 8)), rng.normal(2, 1, (40, 8))])
    >>> y = np.repeat(["a", "b"], 40)
    >>> model = TorchClassifier(max_epochs=30, random_state=0, module__hidden=(8,))
    >>> float(model.fit(X, y).score(X, y)) > 0.9
    True
    """

    def __init__(
        self,
        module: str = "dense",
        *,
        max_epochs: int = 300,
        batch_size: int = 64,
        lr: float = 3e-3,
        weight_decay: float = 1e-4,
        label_smoothing: float = 0.0,
        class_weight: str | None = None,
        validation_fraction: float = 0.15,
        patience: int = 30,
        scheduler: str | None = None,
        input_scaling: str | None = "standard",
        noise: float = 0.0,
        error_noise: float = 0.0,
        slope_noise: float = 0.0,
        wavelength: Any = None,
        calibrate: bool = True,
        random_state: Any = None,
        **module_params: Any,
    ) -> None:
        self.module = module
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.weight_decay = weight_decay
        self.label_smoothing = label_smoothing
        self.class_weight = class_weight
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.scheduler = scheduler
        self.input_scaling = input_scaling
        self.noise = noise
        self.error_noise = error_noise
        self.slope_noise = slope_noise
        self.wavelength = wavelength
        self.calibrate = calibrate
        self.random_state = random_state
        for key, value in module_params.items():  # checked in fit, like every parameter
            setattr(self, key, value)

    # --- parameters: route module__* like skorch ---------------------------------------
    def _extra_params(self) -> dict[str, Any]:
        """Keyword arguments beyond the named parameters (``module__*``, or mistakes).

        They are the public attributes that are neither a named parameter nor learnt
        (a trailing underscore).
        """
        named = set(self._get_param_names())
        return {
            k: v
            for k, v in vars(self).items()
            if k not in named and not k.startswith("_") and not k.endswith("_")
        }

    def _module_params(self) -> dict[str, Any]:
        return {k: v for k, v in self._extra_params().items() if k.startswith("module__")}

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Return the parameters, including the ``module__*`` ones.

        An unexpected keyword given to ``__init__`` is returned too, so that a clone
        keeps it and its :meth:`fit` refuses it as well.
        """
        params: dict[str, Any] = super().get_params(deep=deep)
        params.update(self._extra_params())
        return params

    def set_params(self, **params: Any) -> TorchClassifier:
        """Set parameters; ``module__*`` keys are accepted."""
        for key in [k for k in params if k.startswith("module__")]:
            setattr(self, key, params.pop(key))
        super().set_params(**params)
        return self

    # --- training ----------------------------------------------------------------------
    def _check_params(self) -> None:
        unexpected = sorted(k for k in self._extra_params() if not k.startswith("module__"))
        if unexpected:
            noun = "an unexpected parameter" if len(unexpected) == 1 else "unexpected parameters"
            raise ParameterError(
                f"TorchClassifier got {noun} "
                f"{', '.join(repr(k) for k in unexpected)}; architecture parameters must be "
                f"prefixed with 'module__' (e.g. module__{unexpected[0]}=...), and its own "
                f"parameters are {', '.join(self._get_param_names())}."
            )
        if self.input_scaling not in ("standard", "centre", None):
            raise ParameterError(
                "The 'input_scaling' parameter of TorchClassifier must be 'standard', "
                f"'centre' or None. Got {self.input_scaling!r} instead."
            )
        if self.class_weight not in (None, "balanced"):
            raise ParameterError(
                "The 'class_weight' parameter of TorchClassifier must be None or 'balanced'. "
                f"Got {self.class_weight!r} instead."
            )
        if self.scheduler not in (None, "onecycle"):
            raise ParameterError(
                "The 'scheduler' parameter of TorchClassifier must be None or 'onecycle'. "
                f"Got {self.scheduler!r} instead."
            )
        if not 0 <= self.validation_fraction < 1:
            raise ParameterError(
                "The 'validation_fraction' parameter of TorchClassifier must be in [0, 1). "
                f"Got {self.validation_fraction!r} instead."
            )
        if self.slope_noise > 0 and self.wavelength is None:
            raise ParameterError(
                "The 'slope_noise' parameter of TorchClassifier needs 'wavelength' (µm of each "
                "feature). Got wavelength=None instead."
            )

    def fit(
        self,
        X: npt.ArrayLike,
        y: npt.ArrayLike,
        sample_error: npt.ArrayLike | None = None,
        on_epoch: EpochCallback | None = None,
    ) -> TorchClassifier:
        """Train the network.

        Parameters
        ----------
        X : array_like, shape (n_samples, n_features)
            Training inputs (e.g. reflectance on a wavelength grid).
        y : array_like, shape (n_samples,)
            Class labels.
        sample_error : array_like, shape (n_samples, n_features), optional
            1-sigma errors of the inputs, used by ``error_noise`` augmentation.
        on_epoch : callable, optional
            Called as ``on_epoch(epoch, valid_loss)`` after each epoch (e.g. to let an
            Optuna trial prune); may raise to stop training.

        Returns
        -------
        TorchClassifier
            The fitted estimator.

        Raises
        ------
        ParameterError
            If a parameter has a value it cannot take, a keyword given to ``__init__`` is
            neither a named parameter nor ``module__<name>``, or `sample_error` does not
            have the shape of `X`.
        """
        self._check_params()
        inputs, labels = validate_data(self, X, y, dtype=np.float32)
        check_classification_targets(labels)
        if self.slope_noise > 0 and np.size(self.wavelength) != inputs.shape[1]:
            raise ParameterError(
                "The 'wavelength' parameter of TorchClassifier must have one value per feature "
                f"({inputs.shape[1]}). Got {np.size(self.wavelength)} values instead."
            )
        encoder = LabelEncoder().fit(labels)
        self.classes_ = encoder.classes_
        target = encoder.transform(labels).astype(np.int64)
        errors = None
        if sample_error is not None:
            errors = np.asarray(sample_error, dtype=np.float32)
            if errors.shape != inputs.shape:
                raise ParameterError(
                    f"sample_error must have the shape of X {inputs.shape}; got {errors.shape}."
                )
            errors = np.nan_to_num(errors, nan=0.0)
        rng = check_random_state(self.random_state)
        seed = int(rng.randint(0, 2**31 - 1))
        train, valid = validation_split(target, self.validation_fraction, seed)
        self.mean_, self.scale_ = fit_scaling(inputs[train], self.input_scaling)
        with torch_session(seed):
            self._train(inputs, target, errors, train, valid, np.random.default_rng(seed), on_epoch)
        return self

    def _augment(
        self,
        X: npt.NDArray[np.float32],
        errors: npt.NDArray[np.float32] | None,
        rng: np.random.Generator,
    ) -> npt.NDArray[np.float32]:
        """Perturb a batch with this model's settings (:func:`~.torch_inputs.augment`)."""
        return augment(
            X,
            errors,
            rng,
            noise=self.noise,
            error_noise=self.error_noise,
            slope_noise=self.slope_noise,
            wavelength=self.wavelength,
        )

    def _scaled(self, X: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        scaled: npt.NDArray[np.float32] = ((X - self.mean_) / self.scale_).astype(np.float32)
        return scaled

    def _train(
        self,
        X: npt.NDArray[np.float32],
        target: npt.NDArray[np.int64],
        errors: npt.NDArray[np.float32] | None,
        train: npt.NDArray[np.intp],
        valid: npt.NDArray[np.intp],
        rng: np.random.Generator,
        on_epoch: EpochCallback | None,
    ) -> None:
        import torch
        from torch import nn

        from asteroid_spectra.models.nets import build
        from asteroid_spectra.models.torch_training import fit_temperature, train_module

        params = {k.removeprefix("module__"): v for k, v in self._module_params().items()}
        n_classes = len(self.classes_)
        module = build(self.module, X.shape[1], n_classes, **params)
        weight = None
        if self.class_weight == "balanced":
            counts = np.bincount(target[train], minlength=n_classes).astype(np.float32)
            weight = torch.from_numpy(counts.sum() / (n_classes * np.maximum(counts, 1)))
        loss_fn = nn.CrossEntropyLoss(weight=weight, label_smoothing=self.label_smoothing)

        def batch(rows: npt.NDArray[np.intp], rng: np.random.Generator) -> npt.NDArray[np.float32]:
            return self._scaled(
                self._augment(X[rows], None if errors is None else errors[rows], rng)
            )

        x_valid = self._scaled(X[valid]) if valid.size else None
        result = train_module(
            module,
            loss_fn,
            batch,
            target,
            train,
            x_valid,
            target[valid] if valid.size else None,
            max_epochs=self.max_epochs,
            batch_size=self.batch_size,
            lr=self.lr,
            weight_decay=self.weight_decay,
            patience=self.max_epochs if self.scheduler else self.patience,
            rng=rng,
            on_epoch=on_epoch,
            scheduler=self.scheduler,
        )
        self.module_ = module
        self.history_ = result.history
        self.best_epoch_ = result.best_epoch
        self.temperature_ = 1.0
        if self.calibrate and x_valid is not None:
            with torch.no_grad():
                logits = module(torch.from_numpy(x_valid)).numpy().astype(np.float64)
            self.temperature_ = fit_temperature(logits, target[valid])

    # --- prediction --------------------------------------------------------------------
    def _logits(self, X: npt.ArrayLike) -> npt.NDArray[np.float64]:
        import torch

        check_is_fitted(self, "module_")
        inputs = validate_data(self, X, reset=False, dtype=np.float32)
        with torch.no_grad():
            logits = self.module_(torch.from_numpy(self._scaled(inputs))).numpy()
        return np.asarray(logits, dtype=np.float64) / self.temperature_

    def decision_function(self, X: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Temperature-scaled logits, shape (n_samples, n_classes) (n_samples,) if binary."""
        logits = self._logits(X)
        if len(self.classes_) == 2:
            return logits[:, 1] - logits[:, 0]
        return logits

    def predict_proba(self, X: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Calibrated class probabilities, shape (n_samples, n_classes)."""
        from scipy.special import softmax

        return np.asarray(softmax(self._logits(X), axis=1))

    def predict(self, X: npt.ArrayLike) -> npt.NDArray[Any]:
        """Most probable class of each sample."""
        logits = self._logits(X)
        return np.asarray(self.classes_[np.argmax(logits, axis=1)])
