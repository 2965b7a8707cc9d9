"""Save and load taxonomy models as artifacts, verified by checksums.

A saved model is an artifact directory (:mod:`asteroid_spectra.data.artifacts`):

``card.json``
    The model card (target, classes, grid, training-data checksums, CV metrics, library
    versions, seed), the ``taxonomy_model`` section this module reads back (target, name,
    threshold, OOD parameters, the inference form's operations) and the sha256 of every
    other file, checked before anything is read.
``arrays.safetensors``
    The grid, the OOD reference spectra and the arrays of the numpy-only inference form
    (:mod:`~asteroid_spectra.models.inference`).
``model.skops``
    The fitted estimator without its network weights, written with :mod:`skops.io` and
    loaded only if every type in it is on the explicit :data:`TRUSTED_TYPES` list
    (checked when the model is opened; nothing is unpickled).
``weights-<i>.safetensors``
    The state dict of each neural network inside.

Classifying with a loaded model that has an inference form reads ``card.json`` and
``arrays.safetensors`` only; the estimator is loaded (skops, and torch for networks) on
first access to :attr:`~asteroid_spectra.models.classifier.TaxonomyModel.estimator`, after
checking its file's sha256 again. Files are written to a staging directory renamed into
place, so a crash never leaves a half-written model.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asteroid_spectra.data.artifacts import (
    Artifact,
    ArtifactFiles,
    open_artifact,
    read_card,
    save_artifact,
    skops_types,
)
from asteroid_spectra.data.files import sha256
from asteroid_spectra.exceptions import ChecksumError, DataError

if TYPE_CHECKING:
    from asteroid_spectra.models.classifier import TaxonomyModel

__all__ = ["KIND", "TRUSTED_TYPES", "load_model", "save_model"]

KIND = "taxonomy-model"
"""Artifact kind of a saved model."""

SECTION = "taxonomy_model"
"""Card key of what :func:`load_model` needs besides the arrays."""

ESTIMATOR = "model.skops"
ARRAYS = "arrays"

TRUSTED_TYPES = [
    "asteroid_spectra.models.augment.AugmentedClassifier",
    "asteroid_spectra.models.fast_svm.FastSVC",
    "asteroid_spectra.models.grouped.GroupedClassifier",
    "asteroid_spectra.models.torch_estimator.TorchClassifier",
    "asteroid_spectra.models.tuning.OptunaSearchClassifier",
    "asteroid_spectra.spectra.transformers.Derivative",
    "asteroid_spectra.spectra.transformers.SlopeFeature",
    "asteroid_spectra.spectra.transformers.SlopeRemover",
    "sklearn.calibration.CalibratedClassifierCV",
    "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._TemperatureScaling",
    "sklearn.calibration._SigmoidCalibration",
    "sklearn.decomposition._pca.PCA",
    "sklearn.ensemble._voting.VotingClassifier",
    "sklearn.ensemble._forest.ExtraTreesClassifier",
    "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.model_selection._search.GridSearchCV",
    "sklearn.model_selection._split.StratifiedKFold",
    "sklearn.neighbors._classification.KNeighborsClassifier",
    "sklearn.neighbors._unsupervised.NearestNeighbors",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.pipeline.Pipeline",
    "sklearn.preprocessing._data.StandardScaler",
    "sklearn.preprocessing._label.LabelEncoder",
    "sklearn.svm._classes.SVC",
    "sklearn.tree._classes.ExtraTreeClassifier",
]
"""Every type a saved estimator may contain; anything else is refused."""


def _walk(obj: Any, seen: set[int] | None = None) -> Iterator[Any]:
    """Yield every object reachable through attributes, lists, tuples and dicts."""
    seen = set() if seen is None else seen
    if id(obj) in seen or isinstance(obj, str | bytes | int | float | bool | type(None)):
        return
    seen.add(id(obj))
    yield obj
    if isinstance(obj, dict):
        children: Any = obj.values()
    elif isinstance(obj, list | tuple):
        children = obj
    elif type(obj).__module__.startswith(("asteroid_spectra", "sklearn")):
        children = vars(obj).values() if hasattr(obj, "__dict__") else ()
    else:
        children = ()
    for child in children:
        yield from _walk(child, seen)


def _is_network(obj: Any) -> bool:
    name = f"{type(obj).__module__}.{type(obj).__qualname__}"
    return name == "asteroid_spectra.models.torch_estimator.TorchClassifier"


def save_model(model: TaxonomyModel, directory: str | Path, *, overwrite: bool = False) -> Path:
    """Save a :class:`~asteroid_spectra.models.classifier.TaxonomyModel` to `directory`.

    Parameters
    ----------
    model : TaxonomyModel
        The fitted model (not modified).
    directory : str or Path
        Destination directory (created; must not exist unless `overwrite`).
    overwrite : bool
        Replace an existing directory.

    Returns
    -------
    Path
        The directory.

    Raises
    ------
    DataError
        If the directory exists (without `overwrite`) or the estimator holds a type
        outside :data:`TRUSTED_TYPES` (nothing is written).
    """
    section: dict[str, Any] = {
        "target": model.target,
        "name": model.name,
        "threshold": model.threshold,
        "taxonomy": model.taxonomy,
    }

    def write(files: ArtifactFiles) -> None:
        estimator = copy.deepcopy(model.estimator)
        networks = [o for o in _walk(estimator) if _is_network(o) and hasattr(o, "module_")]
        for index, network in enumerate(networks):
            stem = f"weights-{index}"
            files.write_tensors(stem, network.module_.state_dict())
            network.module_ = None
            network.weights_file_ = f"{stem}.safetensors"
        files.write_skops(ESTIMATOR.removesuffix(".skops"), estimator, TRUSTED_TYPES)
        ood = model.ood
        try:
            reference, k, scale = model.ood_parts
        except AttributeError:
            raise DataError(
                "The model's OOD scorer is not fitted; fit it on the training spectra "
                "(model.ood.fit(X)) before saving."
            ) from None
        section["ood"] = {
            "n_neighbors": int(getattr(ood, "n_neighbors", k)),
            "quantile": float(getattr(ood, "quantile", 0.99)),
            "max_samples": getattr(ood, "max_samples", None),
            "random_state": getattr(ood, "random_state", None),
            "k": k,
            "scale": scale,
        }
        inference = model.inference
        section["inference"] = None if inference is None else inference.spec
        arrays = {"wavelength": model.wavelength, "ood_reference": reference}
        if inference is not None:
            arrays |= {f"inference.{key}": value for key, value in inference.arrays.items()}
        files.write_arrays(ARRAYS, arrays)
        # The card is written after this function returns, with the section filled in.

    card = {**model.card, SECTION: section}
    return save_artifact(directory, KIND, card, write, overwrite=overwrite)


def _check_types(path: Path) -> None:
    """Refuse a skops file naming any type outside :data:`TRUSTED_TYPES` (not loaded)."""
    untrusted = sorted(skops_types(path) - set(TRUSTED_TYPES))
    if untrusted:
        raise DataError(
            f"{path} contains types that are not trusted: {', '.join(untrusted)}. "
            "Refusing to load it."
        )


def _load_estimator(artifact: Artifact) -> Any:
    """Load the verified estimator of `artifact`, with its networks rebuilt from weights."""
    path = artifact.path(ESTIMATOR)
    expected = artifact.card["files"][ESTIMATOR]
    actual = sha256(path)
    if actual != expected:  # changed since the artifact was opened
        raise ChecksumError(
            f"sha256 of {path} does not match its model card: expected {expected}, got "
            f"{actual}. The model was modified or corrupted; do not use it, train it again."
        )
    _check_types(path)
    estimator = artifact.skops(ESTIMATOR.removesuffix(".skops"), TRUSTED_TYPES)
    networks = [o for o in _walk(estimator) if getattr(o, "weights_file_", None) is not None]
    if networks:
        from asteroid_spectra.models.nets import build

        for network in networks:
            params = {k.removeprefix("module__"): v for k, v in network._module_params().items()}
            module = build(network.module, network.n_features_in_, len(network.classes_), **params)
            module.load_state_dict(
                artifact.tensors(network.weights_file_.removesuffix(".safetensors"))
            )
            module.eval()
            network.module_ = module
            del network.weights_file_
    return estimator


def _load_ood(arrays: dict[str, Any], settings: dict[str, Any]) -> Any:
    """Rebuild the fitted DistanceOOD from its saved reference (imports scikit-learn)."""
    from asteroid_spectra.models.uncertainty import DistanceOOD

    ood = DistanceOOD(
        n_neighbors=settings["n_neighbors"],
        quantile=settings["quantile"],
        max_samples=settings["max_samples"],
        random_state=settings["random_state"],
    )
    reference = arrays["ood_reference"]
    ood.reference_spectra_ = reference
    ood.k_ = int(settings["k"])
    ood.reference_ = float(settings["scale"])
    ood.n_features_in_ = int(reference.shape[1])
    return ood


def load_model(directory: str | Path) -> TaxonomyModel:
    """Load a model saved by :func:`save_model`, after verifying every file's sha256.

    Raises
    ------
    ChecksumError
        A file differs from the hash recorded in the card.
    DataError
        Missing files, another artifact kind or format, or an estimator naming types
        outside :data:`TRUSTED_TYPES` (nothing untrusted is ever instantiated).
    """
    from asteroid_spectra.models.classifier import TaxonomyModel
    from asteroid_spectra.models.inference import InferenceModel

    directory = Path(directory)
    card = read_card(directory)
    if ESTIMATOR not in card.get("files", {}):
        raise DataError(f"The card in {directory} lists no {ESTIMATOR}; the model is incomplete.")
    artifact = open_artifact(directory, KIND)
    _check_types(artifact.path(ESTIMATOR))
    try:
        section = artifact.card[SECTION]
        arrays = artifact.arrays(ARRAYS)
        inference = None
        if section["inference"] is not None:
            prefix = "inference."
            inner = {k.removeprefix(prefix): v for k, v in arrays.items() if k.startswith(prefix)}
            inference = InferenceModel(section["inference"], inner)
        ood = section["ood"]
        model = TaxonomyModel.restore(
            target=section["target"],
            name=section["name"],
            wavelength=arrays["wavelength"],
            threshold=float(section["threshold"]),
            card={k: v for k, v in artifact.card.items() if k not in _ARTIFACT_KEYS},
            inference=inference,
            ood_parts=(arrays["ood_reference"], int(ood["k"]), float(ood["scale"])),
            load_estimator=lambda: _load_estimator(artifact),
            load_ood=lambda: _load_ood(arrays, ood),
            taxonomy=section.get("taxonomy", "bus"),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise DataError(
            f"{directory} does not hold a usable model ({error!r}); train and save it again."
        ) from None
    if inference is None:  # predictions need the estimator: load it now, errors included
        _ = model.estimator
    return model


_ARTIFACT_KEYS = ("artifact", "kind", "files", SECTION)
"""Card keys of the artifact itself, not of the model card."""
