"""The model card: what a trained model is, what it learnt from, how well it does.

Every trained :class:`~asteroid_spectra.models.classifier.TaxonomyModel` carries a card
(saved as ``card.json``): the recipe and its parameters, the classes and the grid, the
training data's file checksums and a digest of the spectra, the cross-validation's
headline numbers, the tuning study if any, library versions, seed, date and citation
(Mitchell, M. et al. 2019, Model cards for model reporting, FAT* '19).
"""

from __future__ import annotations

import contextlib
import hashlib
import platform
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

import numpy as np

from asteroid_spectra._version import __version__
from asteroid_spectra.data.registry import collection
from asteroid_spectra.models.registry import MODELS

if TYPE_CHECKING:
    from asteroid_spectra.models.classifier import TaxonomyModel
    from asteroid_spectra.models.evaluation import Evaluation
    from asteroid_spectra.models.targets import TargetData

__all__ = ["HEADLINE_KEYS", "model_card"]

HEADLINE_KEYS = ("accuracy", "balanced_accuracy", "f1_weighted", "f1_macro", "f1", "brier", "ece")
"""Cross-validation metrics a card records (with per-bin and catalogue-noise accuracy)."""


def _versions() -> dict[str, str]:
    """Versions of Python and the libraries a model depends on (read, not imported)."""
    versions = {"asteroid-spectra": __version__, "python": platform.python_version()}
    for name in ("numpy", "scikit-learn", "torch"):
        with contextlib.suppress(PackageNotFoundError):  # all three are dependencies
            versions[name] = version(name)
    return versions


def _data_digest(data: TargetData) -> str:
    digest = hashlib.sha256(np.ascontiguousarray(data.X).tobytes())
    digest.update("\x1f".join(map(str, data.fine)).encode())
    return digest.hexdigest()


def model_card(
    model: TaxonomyModel, data: TargetData, evaluation: Evaluation | None, seed: int
) -> dict[str, Any]:
    """Build the JSON-ready model card of a freshly trained model.

    Parameters
    ----------
    model : TaxonomyModel
        The fitted model.
    data : TargetData
        What it was trained on (SMASSII; :mod:`~asteroid_spectra.models.training`
        replaces the training-data section for other surveys).
    evaluation : Evaluation or None
        Its cross-validation, whose headline numbers go in the card.
    seed : int
        The seed it was trained with.

    Returns
    -------
    dict
        JSON-ready.
    """
    spec = MODELS.get(model.name)
    card: dict[str, Any] = {
        "format": "asteroid-spectra model 1",
        "model": model.name,
        "description": spec.description if spec else model.name,
        "target": model.target,
        "classes": model.classes,
        "fine_classes": model.fine_classes,
        "wavelength_um": [float(w) for w in model.wavelength],
        "normalisation_um": 0.55,
        "abstention_threshold": model.threshold,
        "ood": {
            "n_neighbors": model.ood.n_neighbors,
            "quantile": model.ood.quantile,
            "reference_size": int(model.ood.reference_spectra_.shape[0]),
        },
        "seed": seed,
        "params": {k: repr(v) for k, v in model.estimator.get_params(deep=False).items()},
        "training_data": {
            "survey": "smass2",
            "n_spectra": len(data.y),
            "files": [{"name": f.name, "sha256": f.sha256} for f in collection("smass2")],
            "spectra_sha256": _data_digest(data),
        },
        "versions": _versions(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "citation": "Bus, S. J. & Binzel, R. P. (2002). Icarus 158, 146-177 (taxonomy, data).",
    }
    search = model.estimator
    if not hasattr(search, "best_params_"):  # a search inside a GroupedClassifier
        search = getattr(model.estimator, "estimator_", None)
    if hasattr(search, "best_params_"):
        card["tuning"] = {
            "space": search.space,
            "best_params": search.best_params_,
            "best_inner_cv_score": search.best_score_,
            "n_trials": search.n_trials_,
            "study_name": search.study_name_,
            "scoring": search.scoring,
        }
    if evaluation is not None:
        summary = evaluation.summary()
        card["cross_validation"] = {
            "folds": evaluation.folds,
            "repeats": evaluation.repeats,
            "seed": evaluation.seed,
            **{
                k: v
                for k, v in summary.items()
                if k in HEADLINE_KEYS or k.startswith(("accuracy[", "catalogue_noise_"))
            },
        }
        if "protocol" in summary:
            card["cross_validation"]["protocol"] = summary["protocol"]
    return card
