"""Summaries of survey tables: the numbers of the reference tutorial's statistics step."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from asteroid_spectra import schema

__all__ = ["summarise"]


def summarise(table: pd.DataFrame) -> dict[str, Any]:
    """Summarise a long spectra table (from :func:`~asteroid_spectra.data.load_table`).

    Parameters
    ----------
    table : DataFrame
        One row per sample, with identity columns and, for labelled surveys,
        ``labelled``, ``main_group`` and ``bus_class``.

    Returns
    -------
    dict
        JSON-ready: ``survey``, ``n_spectra``, ``n_wavelengths``, ``wavelength_range_um``,
        ``citation``; for labelled surveys also ``n_labelled``, ``n_unlabelled``,
        ``n_bus_classes``, ``main_group_counts`` (C, S, X, Other) and
        ``bus_class_counts`` (in taxonomy order); with errors and flags also
        ``n_missing_values``, ``flagged_fraction_by_band`` and ``median_error``.
    """
    provenance = table.attrs.get("provenance", {})
    objects = table.drop_duplicates(schema.OBJECT_ID)
    wavelength = table[schema.WAVELENGTH]
    summary: dict[str, Any] = {
        "survey": provenance.get("source", str(objects[schema.SURVEY].iloc[0])),
        "n_spectra": len(objects),
        "n_wavelengths": int(wavelength.nunique()),
        "wavelength_range_um": [float(wavelength.min()), float(wavelength.max())],
    }
    if schema.LABELLED in objects:
        labelled = objects[objects[schema.LABELLED]]
        groups = labelled[schema.MAIN_GROUP].value_counts()
        classes = labelled[schema.BUS_CLASS].value_counts()
        summary |= {
            "n_labelled": len(labelled),
            "n_unlabelled": len(objects) - len(labelled),
            "n_bus_classes": len(classes),
            "main_group_counts": {g: int(groups.get(g, 0)) for g in schema.MAIN_GROUPS},
            "bus_class_counts": {c: int(classes[c]) for c in schema.BUS_CLASSES if c in classes},
        }
    if schema.FLAG in table:
        bands = table.groupby(schema.WAVELENGTH)[schema.FLAG]
        summary |= {
            "n_missing_values": int(table[schema.REFLECTANCE].isna().sum()),
            "flagged_fraction_by_band": {
                f"{w:.3f}": round(float(v), 4)
                for w, v in bands.apply(lambda f: (f != 0).mean()).items()
            },
            "median_error": float(np.nanmedian(table[schema.ERROR].to_numpy(dtype=float))),
        }
    summary["citation"] = provenance.get("citation")
    return summary
