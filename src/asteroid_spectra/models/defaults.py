"""Default models, trained on first use and cached, so classification needs no setup.

:func:`default_model` returns the recommended model of a target. The first call trains
it on the SMASSII spectra (from the cache, the mirror or the network; a few seconds) and
saves it under ``<cache>/models/``; later calls load and verify the saved files. The
cache key covers the package version, the data checksums and the recipe, so an upgrade
retrains. :func:`survey_model` does the same for the model that classifies Gaia DR3
spectra (trained on the Gaia spectra of the SMASSII asteroids, with degraded copies).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from pathlib import Path

from asteroid_spectra._version import __version__
from asteroid_spectra.config import Settings, get_settings
from asteroid_spectra.data.registry import collection
from asteroid_spectra.exceptions import DataError
from asteroid_spectra.models.classifier import TaxonomyModel
from asteroid_spectra.models.persistence import load_model, save_model
from asteroid_spectra.models.registry import best_model
from asteroid_spectra.models.targets import check_target, smass2_target
from asteroid_spectra.models.training import train_model

__all__ = ["default_model", "default_model_path", "survey_model", "survey_model_path"]

SEED = 0


def _cache_path(settings: Settings | None, name: str, recipe: Mapping[str, object]) -> Path:
    """``<cache>/models/<name>-<digest of the package version and the recipe>``."""
    settings = get_settings() if settings is None else settings
    key = json.dumps({"package": __version__, "seed": SEED, **recipe}, sort_keys=True)
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    return settings.cache_dir / "models" / f"{name}-{digest}"


def _cached(path: Path, train: Callable[[], TaxonomyModel]) -> TaxonomyModel:
    """Load the model saved at `path`, or train, save and return it (also if unverifiable)."""
    if path.is_dir():
        try:
            model: TaxonomyModel = load_model(path)
            return model
        except DataError:
            pass
    model = train()
    save_model(model, path, overwrite=True)
    return model


def default_model_path(
    target: str, settings: Settings | None = None, span: tuple[float, float] | None = None
) -> Path:
    """Where the default model of `target` (on the wavelength `span`, µm) is cached."""
    check_target(target)
    recipe = {
        "model": best_model(target),
        "data": [f.sha256 for f in collection("smass2")],
        "span": None if span is None else [round(v, 4) for v in span],
    }
    name = target if span is None else f"{target}-{span[0]:.2f}-{span[1]:.2f}"
    return _cache_path(settings, name, recipe)


def default_model(
    target: str = "main-group",
    *,
    span: tuple[float, float] | None = None,
    settings: Settings | None = None,
) -> TaxonomyModel:
    """Return the recommended model of `target`, training and caching it on first use.

    Parameters
    ----------
    target : str
        ``"x-vs-rest"``, ``"main-group"`` or ``"bus"``.
    span : (float, float), optional
        Train on the SMASSII grid points in this range (µm) only, for spectra that cover
        less than 0.44-0.92 µm; default the whole grid.
    settings : Settings, optional
        Where the cache is.

    A cached model whose files fail verification is retrained.
    """

    def train() -> TaxonomyModel:
        data = smass2_target(target)
        if span is not None:
            data = data.crop(*span)
        return train_model(target, "best", seed=SEED, data=data, repeats=0)[0]

    return _cached(default_model_path(target, settings, span), train)


def survey_model_path(
    target: str = "main-group", survey: str = "gaia-dr3", settings: Settings | None = None
) -> Path:
    """Where the default model of `target` for `survey` spectra is cached."""
    from asteroid_spectra.models.crosssurvey import NOISE_COPIES, OOD_REFERENCE
    from asteroid_spectra.models.registry import survey_best_model

    check_target(target)
    recipe = {
        "model": survey_best_model(target),
        "copies": NOISE_COPIES,
        "ood_reference": OOD_REFERENCE,
        "data": [f.sha256 for name in ("smass2", survey) for f in collection(name)],
    }
    return _cache_path(settings, f"{survey}-{target}", recipe)


def survey_model(
    target: str = "main-group", survey: str = "gaia-dr3", *, settings: Settings | None = None
) -> TaxonomyModel:
    """Return the recommended model for `survey` spectra, training and caching it on first use.

    Parameters
    ----------
    target : str
        ``"x-vs-rest"``, ``"main-group"`` or ``"bus"``.
    survey : str
        Only ``"gaia-dr3"``.
    settings : Settings, optional
        Where the cache is.

    A cached model whose files fail verification is retrained.
    """
    from asteroid_spectra.models.crosssurvey import load_cross_survey
    from asteroid_spectra.models.training import train_survey_model

    def train() -> TaxonomyModel:
        data = load_cross_survey(target, survey)
        model: TaxonomyModel = train_survey_model(target, "best", data=data, seed=SEED)[0]
        return model

    return _cached(survey_model_path(target, survey, settings), train)
