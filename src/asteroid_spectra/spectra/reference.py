"""The SMASSII reference spectra as plain arrays: class counts, selections, neighbours.

Loaded once (pandas there, none in the request path of the API): the 1339 labelled
SMASSII spline-fit spectra on their 49-point grid (0.44-0.92 µm, unity at 0.55 µm), with
Bus class and main group (Bus & Binzel 2002, Icarus 158, 146-177).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from asteroid_spectra import schema

if TYPE_CHECKING:
    from asteroid_spectra.spectra.coverage import Prepared

__all__ = ["ReferenceSpectra", "demeo_templates"]


@dataclass(frozen=True)
class ReferenceSpectra:
    """Labelled reference spectra on one grid.

    Attributes
    ----------
    wavelength : ndarray, shape (m,)
        Grid, µm.
    reflectance : ndarray, shape (n, m)
        One spectrum per row (NaN where a sample is missing).
    object_id, name : list of str, length n
        Identity of each spectrum (name falls back to the designation, then the id).
    bus_class, main_group : ndarray of str, shape (n,)
        Labels.
    """

    wavelength: npt.NDArray[np.float64]
    reflectance: npt.NDArray[np.float64]
    object_id: list[str]
    name: list[str]
    bus_class: npt.NDArray[np.str_]
    main_group: npt.NDArray[np.str_]

    @classmethod
    def load(cls) -> ReferenceSpectra:
        """Load the labelled SMASSII spectra (cache, mirror or download)."""
        from asteroid_spectra.spectra.sets import load_spectra

        labelled = load_spectra("smass2").labelled()
        objects = labelled.objects
        names = objects[schema.NAME].fillna(objects[schema.DESIGNATION])
        names = names.fillna(objects[schema.OBJECT_ID])
        return cls(
            wavelength=np.asarray(labelled.wavelength, dtype=np.float64),
            reflectance=np.ascontiguousarray(labelled.reflectance, dtype=np.float64),
            object_id=[str(v) for v in objects[schema.OBJECT_ID]],
            name=[str(v) for v in names],
            bus_class=objects[schema.BUS_CLASS].astype(str).to_numpy(dtype=str),
            main_group=objects[schema.MAIN_GROUP].astype(str).to_numpy(dtype=str),
        )

    def classes(self) -> dict[str, Any]:
        """Return the taxonomy (groups, Bus classes, mapping) and the spectra per class."""
        return {
            "main_groups": list(schema.MAIN_GROUPS),
            "bus_classes": list(schema.BUS_CLASSES),
            "bus_to_main_group": dict(schema.BUS_TO_MAIN_GROUP),
            "main_group_counts": {g: int((self.main_group == g).sum()) for g in schema.MAIN_GROUPS},
            "bus_class_counts": {c: int((self.bus_class == c).sum()) for c in schema.BUS_CLASSES},
            "n_labelled": len(self.name),
            "source": "SMASSII (Bus & Binzel 2002), labelled spectra",
        }

    def identity(self, row: int) -> dict[str, str]:
        """Return ``object_id``, ``name``, ``bus_class`` and ``main_group`` of one spectrum."""
        return {
            "object_id": self.object_id[row],
            "name": self.name[row],
            "bus_class": str(self.bus_class[row]),
            "main_group": str(self.main_group[row]),
        }

    def select(self, group: str | None = None, bus_class: str | None = None) -> dict[str, Any]:
        """Return the spectra of a main group and/or Bus class, with mean and std per point.

        Parameters
        ----------
        group, bus_class : str, optional
            Filters (both: spectra matching both); neither: every spectrum.

        Returns
        -------
        dict
            ``wavelength``, ``spectra`` (``object_id``, ``name``, ``bus_class``,
            ``main_group``, ``reflectance``), ``mean`` and ``std`` (None when no spectrum
            matches), ready for JSON (numpy arrays; NaN where no value).
        """
        keep = np.ones(len(self.name), dtype=bool)
        if group is not None:
            keep &= self.main_group == group
        if bus_class is not None:
            keep &= self.bus_class == bus_class
        rows = np.flatnonzero(keep)
        mean = std = None
        if rows.size:
            with warnings.catch_warnings():  # an all-NaN column gives NaN (JSON null) quietly
                warnings.simplefilter("ignore", RuntimeWarning)
                mean = np.nanmean(self.reflectance[rows], axis=0)
                std = np.nanstd(self.reflectance[rows], axis=0)
        return {
            "wavelength": self.wavelength,
            "spectra": [
                {**self.identity(i), "reflectance": self.reflectance[i]} for i in rows.tolist()
            ],
            "mean": mean,
            "std": std,
        }

    def nearest(
        self, prepared: Prepared, k: int = 5
    ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float64]]:
        """Return the rows of the `k` spectra nearest a prepared spectrum, nearest first.

        The distance is the root-mean-square difference of reflectance over the grid
        points of `prepared` (both spectra unity at 0.55 µm); missing reference samples
        are left out of the mean.

        Parameters
        ----------
        prepared : Prepared
            A spectrum from :func:`~asteroid_spectra.spectra.coverage.prepare` on a grid
            contained in :attr:`wavelength`.
        k : int
            How many rows (fewer if there are fewer spectra).

        Returns
        -------
        rows : ndarray of int, shape (k,)
        distance : ndarray of float, shape (k,)
            NaN where a distance cannot be computed (those rows come last).
        """
        columns = np.searchsorted(np.round(self.wavelength, 6), np.round(prepared.wavelength, 6))
        values = self.reflectance[:, columns]
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)  # rows without any sample: NaN
            distance = np.sqrt(np.nanmean((values - prepared.reflectance) ** 2, axis=1))
        rows = np.argsort(distance, kind="stable")[:k]
        return rows, distance[rows]


def demeo_templates(settings: Any = None) -> dict[str, dict[str, Any]]:
    """Return the Bus-DeMeo class templates (DeMeo et al. 2009), by class.

    Each is ``{"demeo_class", "wavelength", "mean", "std"}``: the class's mean spectrum
    and its standard deviation on the 0.45-2.45 µm grid, unity at 0.55 µm, as published.
    """
    from asteroid_spectra.data.datasets import load_table

    table = load_table("demeo2009", "templates", settings=settings)
    return {
        str(name): {
            "demeo_class": str(name),
            "wavelength": rows["wavelength"].astype(float).tolist(),
            "mean": rows["mean"].astype(float).tolist(),
            "std": rows["sigma"].astype(float).tolist(),
        }
        for name, rows in table.sort_values("wavelength").groupby("demeo_class", sort=True)
    }
