"""Default models, trained on first use and cached, so classification needs no setup.

:func:`default_model` returns the recommended model of a target on a wavelength span. The
first call trains it on the SMASSII spectra (from the cache, the mirror or the network; a
few seconds) and saves it under ``<cache>/models/``; later calls load and verify the saved
files, and calls in the same process reuse the loaded model
(:func:`~asteroid_spectra.data.cache.cached`). The cache key covers the package version,
the data checksums and the recipe, so an upgrade retrains. :func:`survey_model` does the
same for the model that classifies Gaia DR3 spectra (trained on the Gaia spectra of the
SMASSII asteroids, with degraded copies).
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt

from asteroid_spectra.config import Settings
from asteroid_spectra.data.cache import cache_path, cached
from asteroid_spectra.data.registry import collection
from asteroid_spectra.models.classifier import TaxonomyModel
from asteroid_spectra.models.persistence import load_model, save_model
from asteroid_spectra.models.registry import best_model, survey_best_model
from asteroid_spectra.models.targets import check_target, taxonomy_of
from asteroid_spectra.schema import DEMEO_WAVELENGTH, ECAS_WAVELENGTH, SMASS2_WAVELENGTH

__all__ = [
    "SEED",
    "Span",
    "default_model",
    "default_model_path",
    "full_span",
    "span_key",
    "survey_model",
    "survey_model_path",
]

SEED = 0
"""Seed of every default model."""

Span = tuple[float, float]

SPAN_DECIMALS = 3
"""Decimals (µm) a span is rounded to wherever it names a model: 1 nm."""


def span_key(span: tuple[float, float] | npt.ArrayLike) -> Span:
    """Return a span's first and last wavelength (µm), rounded to :data:`SPAN_DECIMALS`.

    The one rounding of a span: the model family's lookup, the cache recipe and the
    cached model's name all use it.

    Examples
    --------
    >>> span_key((0.47999999, 0.86000001))
    (0.48, 0.86)
    >>> span_key(np.array([0.44, 0.45, 0.92]))
    (0.44, 0.92)
    """
    values = np.asarray(span, dtype=np.float64)
    return round(float(values[0]), SPAN_DECIMALS), round(float(values[-1]), SPAN_DECIMALS)


TRAINING_DATA = MappingProxyType(
    {"bus": ("smass2",), "demeo": ("demeo2009",), "tholen": ("ecas", "tholen1984")}
)
"""The collections each taxonomy's default models learn from."""

GRIDS = MappingProxyType(
    {"bus": SMASS2_WAVELENGTH, "demeo": DEMEO_WAVELENGTH, "tholen": ECAS_WAVELENGTH}
)
"""The full grid of each taxonomy's default models."""


def full_span(target: str) -> Span:
    """Return the span of the whole grid of `target`'s taxonomy (0.44-0.92 µm for Bus).

    Examples
    --------
    >>> full_span("main-group"), full_span("demeo")
    ((0.44, 0.92), (0.45, 2.45))
    """
    return span_key(GRIDS[taxonomy_of(target)])


def _save(model: TaxonomyModel, path: Path) -> None:
    save_model(model, path, overwrite=True)


def default_model_path(
    target: str, settings: Settings | None = None, span: Span | None = None
) -> Path:
    """Where the default model of `target` on the wavelength `span` (µm) is cached."""
    check_target(target)
    full = full_span(target)
    key = full if span is None else span_key(span)
    recipe = {
        "model": best_model(target),
        "seed": SEED,
        "data": [f.sha256 for name in TRAINING_DATA[taxonomy_of(target)] for f in collection(name)],
        "span": list(key),
    }
    name = target if key == full else f"{target}-{key[0]:.3f}-{key[1]:.3f}"
    return cache_path(name, recipe, folder="models", settings=settings)


def default_model(
    target: str = "main-group",
    *,
    span: Span | None = None,
    settings: Settings | None = None,
) -> TaxonomyModel:
    """Return the recommended model of `target`, training and caching it on first use.

    Parameters
    ----------
    target : str
        One of :data:`~asteroid_spectra.models.targets.TARGETS`: the Bus targets learn
        from SMASSII, ``demeo`` from the Bus-DeMeo spectra, ``tholen`` from ECAS
        (:data:`TRAINING_DATA`).
    span : (float, float), optional
        Train on the grid points in this range (µm) only, for spectra that cover less
        than the whole grid (0.44-0.92 µm for Bus); default the whole grid.
    settings : Settings, optional
        Where the cache is.

    A cached model whose files fail verification is retrained.
    """
    key = full_span(target) if span is None else span_key(span)

    def train() -> TaxonomyModel:
        from asteroid_spectra.models.training import train_model

        model: TaxonomyModel = train_model(target, "best", seed=SEED, span=key)[0]
        return model

    return cached(default_model_path(target, settings, key), train, load=load_model, save=_save)


def survey_model_path(
    target: str = "main-group", survey: str = "gaia-dr3", settings: Settings | None = None
) -> Path:
    """Where the default model of `target` for `survey` spectra is cached."""
    from asteroid_spectra.models.survey_sets import NOISE_COPIES, OOD_REFERENCE

    check_target(target)
    recipe: dict[str, Any] = {
        "model": survey_best_model(target),
        "seed": SEED,
        "copies": NOISE_COPIES,
        "ood_reference": OOD_REFERENCE,
        "data": [f.sha256 for name in ("smass2", survey) for f in collection(name)],
    }
    return cache_path(f"{survey}-{target}", recipe, folder="models", settings=settings)


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

    def train() -> TaxonomyModel:
        from asteroid_spectra.models.training import train_model

        model: TaxonomyModel = train_model(target, "best", seed=SEED, survey=survey)[0]
        return model

    path = survey_model_path(target, survey, settings)
    return cached(path, train, load=load_model, save=_save)
