"""Choose the model for a wavelength span: one model per span, trained on first use.

One family per taxonomy scheme (:mod:`~asteroid_spectra.models.schemes`): Bus models on
the SMASSII grid, Bus-DeMeo models on the 0.45-2.45 µm grid, one Tholen model on the ECAS
filters.

A spectrum covering 0.47-0.86 µm is classified by the recommended model trained on the
SMASSII spectra cropped to 0.48-0.86 µm (spans end on multiples of
:data:`~asteroid_spectra.spectra.coverage.SPAN_STEP`), not by a model that would need the
missing ends filled in. :class:`ModelFamily` hands out those models through
:func:`~asteroid_spectra.models.defaults.default_model` (trained on first use in a second
or two, then cached on disk and in memory), keyed by
:func:`~asteroid_spectra.models.defaults.span_key`. A family built
around a user's own model (``--model DIR``) only has that model's span.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from asteroid_spectra.config import Settings
from asteroid_spectra.exceptions import AsteroidSpectraError, CoverageError
from asteroid_spectra.models.classifier import TaxonomyModel
from asteroid_spectra.models.defaults import Span, default_model, span_key
from asteroid_spectra.models.schemes import Scheme, scheme_of
from asteroid_spectra.spectra.coverage import CoverageRule

__all__ = ["ModelFamily"]


class ModelFamily:
    """The models of one taxonomy scheme, by the wavelength span they were trained on.

    Parameters
    ----------
    scheme : Scheme or str
        The taxonomy (:data:`~asteroid_spectra.models.schemes.SCHEMES`); ignored when
        `model` is given (its taxonomy decides).
    model : TaxonomyModel, optional
        Use this model for every spectrum instead of the defaults; spectra must then
        cover its whole grid.
    settings : Settings, optional
        Cache location of the default models.

    Raises
    ------
    AsteroidSpectraError
        If `model` is an x-vs-rest model (classification reports main groups).
    """

    def __init__(
        self,
        scheme: Scheme | str = "bus",
        model: TaxonomyModel | None = None,
        settings: Settings | None = None,
    ) -> None:
        if model is not None and model.target == "x-vs-rest":
            raise AsteroidSpectraError(
                "Classification needs a main-group or bus model; the given model is an "
                "x-vs-rest one. Train one with `asteroid-spectra train --target main-group`."
            )
        if model is not None:
            scheme = model.taxonomy
        self.scheme = scheme_of(scheme) if isinstance(scheme, str) else scheme
        self.target = self.scheme.target if model is None else model.target
        self.model = model
        self.settings = settings

    @property
    def grid(self) -> npt.NDArray[np.float64]:
        """The full grid (µm) spectra are prepared on."""
        return self.scheme.rule.grid if self.model is None else self.model.wavelength

    @property
    def rule(self) -> CoverageRule:
        """The coverage rule spectra are prepared by, on :attr:`grid`."""
        return self.scheme.rule if self.model is None else self.scheme.rule.on(self.grid)

    def get(self, span: Span) -> TaxonomyModel:
        """Return the model for spectra prepared on the grid points in `span` (µm).

        Raises
        ------
        CoverageError
            If a user's model (or a scheme with one model) is used and `span` does not
            include its grid.
        """
        if self.model is not None:
            return _covering(self.model, span)
        if not self.scheme.per_span:
            return _covering(default_model(self.target, settings=self.settings), span, default=True)
        return default_model(self.target, span=span_key(span), settings=self.settings)


def _covering(model: TaxonomyModel, span: Span, default: bool = False) -> TaxonomyModel:
    lo, hi = float(model.wavelength[0]), float(model.wavelength[-1])
    if span[0] > lo + 1e-9 or span[1] < hi - 1e-9:
        advice = (
            ""
            if default
            else " Use the default models (no --model), which adapt to the coverage, or a "
            "model trained on the spectrum's range."
        )
        raise CoverageError(
            f"The model {model.name!r} needs {lo:.2f}-{hi:.2f} µm; the spectrum "
            f"covers only {span[0]:.2f}-{span[1]:.2f} µm.{advice}"
        )
    return model
