"""Save and load taxonomy models in safe formats, verified by checksums.

A saved model is a directory:

``model.skops``
    The :class:`~asteroid_spectra.models.classifier.TaxonomyModel` without its network
    weights, written with :mod:`skops.io` and loaded only if every type in it is on the
    explicit :data:`TRUSTED_TYPES` list (nothing is unpickled).
``weights-<i>.safetensors``
    The state dict of each neural network inside, in :mod:`safetensors` format.
``card.json``
    The model card: target, classes, grid, training-data checksums, CV metrics, library
    versions, seed, and the sha256 of every other file, checked before loading.

Files are written to a temporary directory that is renamed into place, so a crash never
leaves a half-written model.
"""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from asteroid_spectra.data.fetch import sha256
from asteroid_spectra.exceptions import ChecksumError, DataError

__all__ = ["TRUSTED_TYPES", "load_model", "save_model", "swap_in"]

CARD = "card.json"
MODEL = "model.skops"

TRUSTED_TYPES = [
    "asteroid_spectra.models.augment.AugmentedClassifier",
    "asteroid_spectra.models.classifier.TaxonomyModel",
    "asteroid_spectra.models.fast_svm.FastSVC",
    "asteroid_spectra.models.grouped.GroupedClassifier",
    "asteroid_spectra.models.torch_estimator.TorchClassifier",
    "asteroid_spectra.models.tuning.OptunaSearchClassifier",
    "asteroid_spectra.models.uncertainty.DistanceOOD",
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
"""Every type a saved model may contain; anything else is refused at load time."""


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


def _object_types(path: Path) -> set[str]:
    """Every type named in a skops file, except the builtin and numpy ones skops vets."""
    import zipfile

    names: set[str] = set()
    with zipfile.ZipFile(path) as archive:
        pending = [json.loads(archive.read("schema.json"))]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            module, name = node.get("__module__"), node.get("__class__")
            if (
                isinstance(module, str)
                and isinstance(name, str)
                and module.split(".")[0] not in ("builtins", "numpy")
            ):
                names.add(f"{module}.{name}")
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return names


def _networks(model: Any) -> list[Any]:
    from asteroid_spectra.models.torch_estimator import TorchClassifier

    return [o for o in _walk(model) if isinstance(o, TorchClassifier) and hasattr(o, "module_")]


def save_model(model: Any, directory: str | Path, *, overwrite: bool = False) -> Path:
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
    """
    import skops.io as sio
    from safetensors.torch import save_file

    directory = Path(directory)
    if directory.exists() and not overwrite:
        raise DataError(f"{directory} exists; choose another directory or pass overwrite=True.")
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}."))
    try:
        clone = copy.deepcopy(model)
        weights = []
        for index, network in enumerate(_networks(clone)):
            name = f"weights-{index}.safetensors"
            state = {k: v.contiguous() for k, v in network.module_.state_dict().items()}
            save_file(state, str(staging / name))
            network.module_ = None
            network.weights_file_ = name
            weights.append(name)
        sio.dump(clone, staging / MODEL)
        untrusted = sorted(_object_types(staging / MODEL) - set(TRUSTED_TYPES))
        if untrusted:
            raise DataError(
                f"This model contains types that cannot be loaded safely: "
                f"{', '.join(untrusted)}. It was not saved; choose a model without them "
                "(see asteroid_spectra.models.persistence.TRUSTED_TYPES)."
            )
        card = dict(model.card)
        card["files"] = {name: sha256(staging / name) for name in [MODEL, *weights]}
        (staging / CARD).write_text(json.dumps(card, indent=2, sort_keys=True, default=str))
        swap_in(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return directory


def swap_in(staging: Path, directory: Path) -> None:
    """Rename `staging` to `directory`; an old `directory` is kept until that succeeded."""
    if not directory.exists():
        staging.replace(directory)
        return
    backup = Path(tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}.old."))
    backup.rmdir()
    directory.replace(backup)
    try:
        staging.replace(directory)
    except BaseException:
        backup.replace(directory)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def read_card(directory: str | Path) -> dict[str, Any]:
    """Return the model card of a saved model.

    Raises
    ------
    DataError
        If the card is missing or not JSON.
    """
    path = Path(directory) / CARD
    try:
        card: dict[str, Any] = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise DataError(
            f"{path} is missing or not a model card ({error}); is {directory} a saved model?"
        ) from None
    return card


def load_model(directory: str | Path) -> Any:
    """Load a model saved by :func:`save_model`, after verifying every file's sha256.

    Raises
    ------
    ChecksumError
        A file differs from the hash recorded in the card.
    DataError
        Missing files, or types outside :data:`TRUSTED_TYPES` (nothing untrusted is
        ever instantiated).
    """
    import skops.io as sio
    from safetensors.torch import load_file

    from asteroid_spectra.models.nets import build

    directory = Path(directory)
    card = read_card(directory)
    files = card.get("files", {})
    if MODEL not in files:
        raise DataError(f"The card in {directory} lists no {MODEL}; the model is incomplete.")
    for name, expected in files.items():
        path = directory / name
        if not path.is_file():
            raise DataError(f"{path} is missing; the saved model in {directory} is incomplete.")
        actual = sha256(path)
        if actual != expected:
            raise ChecksumError(
                f"sha256 of {path} does not match its model card: expected {expected}, got "
                f"{actual}. The model was modified or corrupted; do not use it, train it again."
            )
    # skops trusts every public scikit-learn estimator by default; the list decides here.
    found = set(sio.get_untrusted_types(file=directory / MODEL)) | _object_types(directory / MODEL)
    untrusted = sorted(found - set(TRUSTED_TYPES))
    if untrusted:
        raise DataError(
            f"{directory / MODEL} contains types that are not trusted: {', '.join(untrusted)}. "
            "Refusing to load it."
        )
    model = sio.load(directory / MODEL, trusted=TRUSTED_TYPES)
    for network in _walk(model):
        name = getattr(network, "weights_file_", None)
        if name is None:
            continue
        params = {k.removeprefix("module__"): v for k, v in network._module_params().items()}
        module = build(network.module, network.n_features_in_, len(network.classes_), **params)
        module.load_state_dict(load_file(str(directory / name)))
        module.eval()
        network.module_ = module
        del network.weights_file_
    return model
