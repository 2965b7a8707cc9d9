"""Classify one partition of a catalogue: a pure function of a wide frame and a model.

:func:`classify_frame` is what every engine runs on every partition, in-process or on a
Dask worker: repair the flagged bands (:func:`~asteroid_spectra.spectra.bands.repair_bands`),
classify the repairable rows with the model, and report per asteroid the main group, its
probabilities, the most probable Bus class, the abstention flag, the OOD score, the
spectrum's median band error and its bin, and how many bands were flagged or repaired. A
spectrum that cannot be classified keeps its row with the reason in ``error``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from asteroid_spectra import schema
from asteroid_spectra.catalog.input import IDENTITY, band_columns
from asteroid_spectra.exceptions import AsteroidSpectraError
from asteroid_spectra.spectra.bands import (
    MIN_GOOD_BANDS,
    band_index,
    error_bin,
    median_error,
    repair_bands,
)

__all__ = ["OUTPUT_COLUMNS", "classify_frame", "output_template"]

OUTPUT_COLUMNS = (
    *IDENTITY,
    schema.MAIN_GROUP,
    "probability",
    *(f"p_{group}" for group in schema.MAIN_GROUPS),
    schema.BUS_CLASS,
    "bus_probability",
    "uncertain",
    "ood_score",
    "median_error",
    "error_bin",
    "n_flagged",
    "n_repaired",
    "bands_used",
    "error",
)
"""Columns of a classified catalogue, in order."""


def output_template() -> pd.DataFrame:
    """Return an empty classified catalogue with the output dtypes (Dask's ``meta``)."""
    float32 = "float32"
    dtypes: dict[str, Any] = {
        schema.NUMBER: "Int64",
        schema.DESIGNATION: "string",
        schema.NAME: "string",
        "source_id": "Int64",
        "num_of_spectra": "Int32",
        schema.MAIN_GROUP: "string",
        "probability": float32,
        **{f"p_{group}": float32 for group in schema.MAIN_GROUPS},
        schema.BUS_CLASS: "string",
        "bus_probability": float32,
        "uncertain": "boolean",
        "ood_score": float32,
        "median_error": float32,
        "error_bin": "string",
        "n_flagged": "int8",
        "n_repaired": "int8",
        "bands_used": "string",
        "error": "string",
    }
    return pd.DataFrame({name: pd.Series(dtype=dtypes[name]) for name in OUTPUT_COLUMNS})


def _check_model(model: Any) -> None:
    if getattr(model, "target", None) != "main-group":
        raise AsteroidSpectraError(
            "Catalogue classification needs a main-group model (one that learnt Bus classes "
            f"also reports them); got a {getattr(model, 'target', type(model).__name__)!r} "
            "model. Use the default Gaia DR3 model or train one with --target main-group."
        )


def classify_frame(frame: pd.DataFrame, model: Any) -> pd.DataFrame:
    """Classify the band spectra of a wide frame (one row per asteroid).

    Parameters
    ----------
    frame : DataFrame
        Identity columns and ``reflectance_<nm>``, ``error_<nm>``, ``flag_<nm>`` for the
        16 Gaia DR3 bands (:func:`~asteroid_spectra.catalog.input.wide_frame`).
    model : TaxonomyModel
        A main-group model on Gaia bands (its grid must be a subset of the 16).

    Returns
    -------
    DataFrame
        :data:`OUTPUT_COLUMNS`, one row per input row, in input order.

    Raises
    ------
    AsteroidSpectraError
        If the model is not a main-group model or the frame lacks band columns.
    """
    _check_model(model)
    reflectance, error, flag = band_columns()
    missing = [c for c in (*reflectance, *error, *flag) if c not in frame.columns]
    if missing:
        raise AsteroidSpectraError(
            f"The catalogue partition lacks {len(missing)} band column(s) (first: "
            f"{missing[0]}); expected the wide Gaia DR3 layout of "
            "asteroid_spectra.catalog.wide_frame."
        )
    values = frame[reflectance].to_numpy(dtype=np.float64, na_value=np.nan)
    errors = frame[error].to_numpy(dtype=np.float64, na_value=np.nan)
    flags = frame[flag].to_numpy(dtype=np.int8, na_value=0)
    repaired = repair_bands(values, flags, errors, bands=model.wavelength)
    n = len(frame)
    out = output_template().reindex(range(n))
    for name in IDENTITY:
        if name in frame.columns:
            out[name] = frame[name].astype(out[name].dtype).array
    median = median_error(errors)
    out["median_error"] = median.astype(np.float32)
    out["error_bin"] = pd.array(error_bin(median), dtype="string")
    bad = (flags != 0) | ~np.isfinite(values)
    out["n_flagged"] = bad.sum(axis=1).astype(np.int8)
    out["n_repaired"] = repaired.n_filled.astype(np.int8)
    out["bands_used"] = pd.array(
        [f"{model.wavelength[0]:.3f}-{model.wavelength[-1]:.3f}"] * n, dtype="string"
    )
    usable = repaired.usable
    if usable.any():
        predictions = model.classify(repaired.reflectance[usable])
        rows = np.flatnonzero(usable)
        out.loc[rows, schema.MAIN_GROUP] = predictions.label
        out.loc[rows, "probability"] = predictions.probability.astype(np.float32)
        for i, group in enumerate(predictions.classes):
            if f"p_{group}" in out.columns:
                out.loc[rows, f"p_{group}"] = predictions.probabilities[:, i].astype(np.float32)
        if predictions.fine_class is not None and predictions.taxonomy == "bus":
            out.loc[rows, schema.BUS_CLASS] = predictions.fine_class
            out.loc[rows, "bus_probability"] = np.asarray(predictions.fine_probability, np.float32)
        out.loc[rows, "uncertain"] = predictions.uncertain
        out.loc[rows, "ood_score"] = predictions.ood_score.astype(np.float32)
    if not usable.all():
        count = _good_count(flags, values, model)
        out.loc[~usable, "error"] = [
            f"only {k} of the {model.wavelength.size} bands "
            f"{model.wavelength[0]:.3f}-{model.wavelength[-1]:.3f} µm are unflagged; "
            f"classification needs at least {MIN_GOOD_BANDS}"
            for k in count[~usable]
        ]
    return out


def _good_count(flags: np.ndarray, values: np.ndarray, model: Any) -> np.ndarray:
    """Good (unflagged, finite) values of each row among the model's bands."""
    index = band_index(model.wavelength)
    return np.asarray(((flags[:, index] == 0) & np.isfinite(values[:, index])).sum(axis=1))
