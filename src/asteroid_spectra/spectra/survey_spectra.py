"""Every survey's labelled spectra on one grid: the data of learning across instruments.

:func:`survey_spectra` takes every published spectrum of the visible (or near-infrared)
surveys from the observation table (:func:`~asteroid_spectra.data.observations.observations`),
labels it by asteroid identity, and brings it onto the points of a model grid inside a
fixed span, normalised there, so that one matrix holds SMASSII, SMASSI, PRIMASS-L, Gaia
DR3, ECAS and Bus-DeMeo spectra side by side (the rows a leave-one-survey-out evaluation
and a multi-survey model learn from, :mod:`asteroid_spectra.models.loso`).

Labels
    The class that travels to a spectrum, in order of preference: its asteroid's Bus
    class (Bus & Binzel 2002); on a PRIMASS-L row its own spectrum's class (Bus scheme);
    the Bus-DeMeo class (DeMeo et al. 2009); the asteroid's PRIMASS-L class; its Tholen
    class (Tholen 1984). ``label_source`` says which; ``main_group`` is the class's main
    group (:func:`~asteroid_spectra.schema.taxonomy_main_group`) and ``fine`` its nearest
    Bus class (:func:`bus_like`), what grouped models learn from.
Resampling
    Band-averaging for spectra at least twice as dense as the grid, a cubic spline for
    coarse ones (Gaia's 44 nm bands, ECAS's eight filters;
    :func:`~asteroid_spectra.spectra.preprocess.resample`), after dropping Gaia DR3's
    flagged bands and cleaning junk rows
    (:func:`~asteroid_spectra.spectra.clean.clean_arrays`); a spectrum that does not cover
    the span (to within :data:`~asteroid_spectra.spectra.coverage.SNAP`) is left out and
    counted.
Noise
    ``noise``: the median relative 1-sigma error of the spectrum inside the span, where the
    survey publishes errors (NaN elsewhere), for noise augmentation from the spectrum's
    own errors.

The result is cached as Parquet (one row per spectrum, a column per grid point), keyed by
the surveys, the span, the grid and the sha256 of every source file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from asteroid_spectra import schema
from asteroid_spectra.config import Settings
from asteroid_spectra.exceptions import CoverageError, ParameterError, SpectrumError
from asteroid_spectra.schema import SMASS2_WAVELENGTH
from asteroid_spectra.spectra.clean import clean_arrays
from asteroid_spectra.spectra.coverage import SNAP
from asteroid_spectra.spectra.preprocess import normalise, resample

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "LABEL_ORDER",
    "VISIBLE_SPAN",
    "VISIBLE_SURVEYS",
    "SurveySpectra",
    "bus_like",
    "survey_spectra",
]

FloatArray = npt.NDArray[np.float64]

VISIBLE_SURVEYS = ("smass2", "smass1", "primass-l", "gaia-dr3", "ecas", "demeo2009")
"""Surveys whose spectra cover the visible span (Bus-DeMeo: the visible part of its
joined spectra)."""

VISIBLE_SPAN = (0.52, 0.88)
"""The span (µm) every visible survey covers: PRIMASS-L spectra start at 0.50-0.51 µm and
one in ten stops at 0.87 µm; SMASSI's, SMASSII's, Gaia's and ECAS's cover it all."""

LABEL_ORDER = ("bus", "primass-own", "demeo", "primass", "tholen")
"""Where a spectrum's label comes from, in order of preference (see the module notes)."""

_THOLEN_TO_BUS = {"E": "Xe", "M": "Xk", "P": "Xc", "F": "B", "G": "Cgh"}
_DEMEO_TO_BUS = {"Sv": "S", "Xn": "Xe"}


def bus_like(taxonomy: str, label: str) -> str:
    """Return the Bus class nearest to a class of `taxonomy`, for grouped models.

    Bus-DeMeo classes keep their name (a weathered ``w`` dropped; Sv → S, Xn → Xe);
    Tholen classes map by their first letter (E → Xe, M → Xk, P → Xc, F → B, G → Cgh, the
    others to the Bus class of the same letter). The main group is always kept.

    Examples
    --------
    >>> bus_like("demeo", "Sqw"), bus_like("tholen", "MU"), bus_like("bus", "Ld")
    ('Sq', 'Xk', 'Ld')
    """
    if taxonomy == "bus":
        return label
    if taxonomy == "demeo":
        base = label[:-1] if label.endswith("w") and label[:-1] in schema.DEMEO_CLASSES else label
        return _DEMEO_TO_BUS.get(base, base)
    first = label[:1]
    return _THOLEN_TO_BUS.get(first, first)


@dataclass(frozen=True, eq=False)
class SurveySpectra:
    """Labelled spectra of several surveys on one grid, one row per spectrum.

    Attributes
    ----------
    wavelength : ndarray, shape (m,)
        The grid points (µm).
    X : ndarray, shape (n, m)
        Reflectance, unity at 0.55 µm.
    rows : DataFrame
        ``object_id``, ``survey``, ``file``, ``label_source``, ``label`` (as published),
        ``main_group``, ``fine`` (nearest Bus class) and ``noise``, aligned with `X`.
    left_out : dict
        Per survey, labelled spectra left out because they do not cover the span.
    """

    wavelength: FloatArray
    X: FloatArray
    rows: pd.DataFrame = field(repr=False)
    left_out: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def surveys(self) -> tuple[str, ...]:
        """The surveys present, in the order of the rows."""
        return tuple(dict.fromkeys(self.rows[schema.SURVEY].tolist()))

    def subset(self, mask: npt.ArrayLike) -> SurveySpectra:
        """Return the rows where `mask` is true."""
        keep = np.asarray(mask, dtype=bool)
        return SurveySpectra(
            self.wavelength, self.X[keep], self.rows[keep].reset_index(drop=True), self.left_out
        )


def _label_rows(observations: pd.DataFrame) -> pd.DataFrame:
    """Add ``label_source``, ``label``, ``main_group`` and ``fine``; drop unlabelled rows."""
    import pandas as pd

    own = (observations[schema.SURVEY] == "primass-l").to_numpy()
    candidates = {
        "bus": (observations[schema.BUS_CLASS], "bus"),
        "primass-own": (observations[schema.PRIMASS_CLASS].where(own), "bus"),
        "demeo": (observations[schema.DEMEO_CLASS], "demeo"),
        "primass": (observations[schema.PRIMASS_CLASS], "bus"),
        "tholen": (observations[schema.THOLEN_CLASS], "tholen"),
    }
    source = pd.Series(pd.NA, index=observations.index, dtype="object")
    label = pd.Series(pd.NA, index=observations.index, dtype="object")
    taxonomy = pd.Series(pd.NA, index=observations.index, dtype="object")
    for name in LABEL_ORDER:
        values, scheme = candidates[name]
        take = source.isna() & values.notna()
        source[take], label[take], taxonomy[take] = name, values[take], scheme
    labelled = observations.assign(label_source=source, label=label, _taxonomy=taxonomy)
    labelled = labelled[labelled["label"].notna()].copy()
    pairs = list(zip(labelled["_taxonomy"], labelled["label"].astype(str), strict=True))
    labelled["main_group"] = [schema.taxonomy_main_group(t, c) for t, c in pairs]
    labelled["fine"] = [bus_like(t, c) for t, c in pairs]
    return labelled.drop(columns="_taxonomy")


def _on_grid(
    wavelength: FloatArray, reflectance: FloatArray, error: FloatArray, points: FloatArray
) -> tuple[FloatArray, float] | None:
    """One spectrum on `points`, normalised at 0.55 µm, and its median relative error."""
    inside = (wavelength >= points[0] - SNAP) & (wavelength <= points[-1] + SNAP)
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = error[inside] / reflectance[inside]
    relative = relative[np.isfinite(relative) & (relative > 0)]
    noise = float(np.median(relative)) if relative.size else float("nan")
    try:
        cleaned = clean_arrays(wavelength, reflectance)
    except SpectrumError:
        return None
    wavelength, reflectance = cleaned.wavelength, cleaned.reflectance
    if wavelength.size < 4:
        return None
    if wavelength[0] > points[0] + SNAP or wavelength[-1] < points[-1] - SNAP:
        return None
    target = np.clip(points, wavelength[0], wavelength[-1])
    try:
        values = resample(wavelength, reflectance, target, empty="nan").reflectance
        if not np.all(np.isfinite(values)):
            values = resample(wavelength, reflectance, target, method="linear").reflectance
        values = normalise(points, values, at=schema.NORMALISATION_WAVELENGTH).reflectance
    except (CoverageError, SpectrumError):
        return None
    return np.asarray(values, dtype=np.float64), noise


VERSION = 2
"""Version of the cached layout (part of its cache key)."""


def _save(data: SurveySpectra, path: Path) -> None:
    from asteroid_spectra.data.tables import write_parquet

    frame = data.rows.copy()
    for column, wavelength in enumerate(data.wavelength):
        frame[f"r{wavelength:.4f}"] = data.X[:, column]
    meta = {"wavelength_um": data.wavelength.tolist(), "left_out": data.left_out}
    write_parquet(frame, path, provenance={"source": "survey_spectra", **meta})


def _load(path: Path) -> SurveySpectra:
    from asteroid_spectra.data.tables import read_parquet

    frame = read_parquet(path)
    meta = frame.attrs["provenance"]
    values = [c for c in frame.columns if c.startswith("r0.") or c.startswith("r1.")]
    rows = frame.drop(columns=values).reset_index(drop=True)
    rows.attrs = {}
    return SurveySpectra(
        np.asarray(meta["wavelength_um"], dtype=np.float64),
        frame[values].to_numpy(np.float64),
        rows,
        {str(k): int(v) for k, v in meta["left_out"].items()},
    )


def survey_spectra(
    surveys: Sequence[str] = VISIBLE_SURVEYS,
    span: tuple[float, float] = VISIBLE_SPAN,
    *,
    grid: npt.ArrayLike = SMASS2_WAVELENGTH,
    settings: Settings | None = None,
    on_survey: Callable[[str], None] | None = None,
) -> SurveySpectra:
    """Return every labelled spectrum of `surveys` on the points of `grid` inside `span`.

    Parameters
    ----------
    surveys : sequence of str
        Surveys of the observation table (default :data:`VISIBLE_SURVEYS`).
    span : (float, float)
        First and last wavelength (µm) every spectrum must cover; it must contain 0.55 µm.
    grid : array_like
        The model grid (µm; default SMASSII's 0.44-0.92 µm in 0.01 µm steps).
    settings : Settings, optional
        Cache, mirror and timeout (default: from the environment).
    on_survey : callable, optional
        Called with each survey's name before its spectra are read (for progress).

    Returns
    -------
    SurveySpectra

    Raises
    ------
    ParameterError
        If a survey is unknown, or the span holds fewer than 4 grid points or not 0.55 µm.
    """
    from asteroid_spectra.data.observations import SPECTRAL_TABLES

    unknown = [s for s in surveys if s not in SPECTRAL_TABLES]
    if unknown:
        raise ParameterError(
            f"Unknown survey(s) {', '.join(unknown)}; expected some of "
            f"{', '.join(SPECTRAL_TABLES)}."
        )
    points = np.asarray(grid, dtype=np.float64)
    points = points[(points >= span[0] - 1e-9) & (points <= span[1] + 1e-9)]
    if points.size < 4 or not points[0] <= schema.NORMALISATION_WAVELENGTH <= points[-1]:
        raise ParameterError(
            f"The 'span' parameter of survey_spectra must hold at least 4 grid points and "
            f"0.55 µm. Got {span!r} instead."
        )
    from asteroid_spectra.data.cache import cache_path, cached
    from asteroid_spectra.data.datasets import source
    from asteroid_spectra.data.registry import collection

    names = [*surveys, "tholen1984"]
    recipe = {
        "version": VERSION,
        "surveys": list(surveys),
        "span": [float(span[0]), float(span[1])],
        "grid": [round(float(w), 6) for w in points],
        "sources": {name: source(name).version for name in names},
        "files": [f.sha256 for name in names for f in collection(name)],
    }
    path = cache_path(
        "survey-spectra", recipe, folder="tables", settings=settings, suffix=".parquet"
    )

    def build() -> SurveySpectra:
        return _build(list(surveys), points, settings, on_survey)

    return cached(path, build, load=_load, save=_save)


def _build(
    surveys: list[str],
    points: FloatArray,
    settings: Settings | None,
    on_survey: Callable[[str], None] | None,
) -> SurveySpectra:
    """Read, label and resample every survey's spectra (see :func:`survey_spectra`)."""
    from asteroid_spectra.data.datasets import load_table
    from asteroid_spectra.data.observations import SPECTRAL_TABLES, observations

    table = _label_rows(observations(settings))
    X: list[FloatArray] = []
    kept: list[int] = []
    noise: list[float] = []
    left_out: dict[str, int] = {}
    for survey in surveys:
        if on_survey is not None:
            on_survey(survey)
        wanted = table[table[schema.SURVEY] == survey]
        spectra = load_table(survey, SPECTRAL_TABLES[survey], settings=settings)
        if "flag" in spectra.columns and survey == "gaia-dr3":
            spectra = spectra[spectra["flag"] == 0]
        if schema.FILE not in spectra.columns:
            spectra = spectra.assign(**{schema.FILE: spectra[schema.OBJECT_ID].astype(str)})
        if schema.ERROR not in spectra.columns:
            spectra = spectra.assign(**{schema.ERROR: np.nan})
        spectra = spectra[spectra[schema.FILE].isin(set(wanted[schema.FILE]))]
        groups = spectra.groupby([schema.OBJECT_ID, schema.FILE], sort=False)
        arrays = {
            key: (
                part[schema.WAVELENGTH].to_numpy(np.float64),
                part[schema.REFLECTANCE].to_numpy(np.float64),
                part[schema.ERROR].to_numpy(np.float64),
            )
            for key, part in groups
        }
        missing = 0
        for index, object_id, file in zip(
            wanted.index, wanted[schema.OBJECT_ID], wanted[schema.FILE], strict=True
        ):
            found = arrays.get((object_id, file))
            result = None if found is None else _on_grid(*found, points)
            if result is None:
                missing += 1
                continue
            X.append(result[0])
            noise.append(result[1])
            kept.append(index)
        left_out[survey] = missing
    rows = table.loc[
        kept,
        [
            schema.OBJECT_ID,
            schema.SURVEY,
            schema.FILE,
            "label_source",
            "label",
            "main_group",
            "fine",
        ],
    ].reset_index(drop=True)
    rows = rows.astype({schema.OBJECT_ID: str, schema.SURVEY: str, schema.FILE: str})
    rows["noise"] = np.asarray(noise, dtype=np.float64)
    matrix = np.vstack(X) if X else np.empty((0, points.size))
    return SurveySpectra(points, matrix, rows, left_out)
