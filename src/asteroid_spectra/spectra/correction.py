r"""An instrument's multiplicative systematic, learnt from spectra of known asteroids.

Each spectrograph leaves a smooth multiplicative signature on the reflectance spectra it
produces (solar-analogue stars, slit, the detector's red end): Gaia DR3 spectra (Gaia
Collaboration, Galluccio et al. 2023, *A&A* 674, A35) sit about 8 % above the SMASSII ones
(Bus & Binzel 2002, *Icarus* 158, 106-145) of the same asteroids at 0.90 µm. If the same
asteroids (or asteroids of the same class) have reference spectra, the signature is the
per-wavelength ratio

.. math:: f(\lambda) = \operatorname{median}_i
   \frac{s_i(\lambda) / s_i(0.55)}{r_i(\lambda) / r_i(0.55)},

over the pairs of the instrument's spectra :math:`s_i` and their references :math:`r_i`
(:func:`fit_correction`); the median keeps one odd pair (a misidentified asteroid, a bad
night) from moving it. It is the per-band median ratio by which the ``smass2`` cross-survey
scheme brings SMASSII spectra onto Gaia DR3
(:func:`~asteroid_spectra.models.survey_sets.survey_correction`).
:class:`InstrumentCorrection` holds :math:`f` and divides it out of any other spectrum of
that instrument (:meth:`InstrumentCorrection.apply`); it is saved as a small JSON file
(:meth:`~InstrumentCorrection.to_json`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from asteroid_spectra.data.files import atomic_path
from asteroid_spectra.data.jsonable import json_default
from asteroid_spectra.exceptions import DataError, ParameterError, ParseError
from asteroid_spectra.schema import NORMALISATION_WAVELENGTH

if TYPE_CHECKING:
    from asteroid_spectra.spectra.spectrum import Spectrum

__all__ = ["FORMAT", "MIN_PAIRS", "InstrumentCorrection", "fit_correction"]

FloatArray = npt.NDArray[np.float64]

FORMAT = "asteroid-spectra instrument correction 1"
"""The ``format`` field of a correction's JSON file."""

MIN_PAIRS = 3
"""Fewest spectrum/reference pairs a correction is learnt from (at every wavelength)."""

_KEYS = ("format", "normalisation_um", "wavelength_um", "factor", "n_spectra", "provenance")
"""The keys of a correction's JSON file, in the order written."""

_TOLERANCE = 1e-6
"""Wavelength tolerance (µm) of range tests, and of the unit factor at 0.55 µm."""


def _checked(wavelength: FloatArray, factor: FloatArray, n_spectra: object) -> None:
    """Raise ParameterError unless the fields make a valid correction."""
    if wavelength.ndim != 1 or factor.shape != wavelength.shape or wavelength.size < 2:
        raise ParameterError(
            "An InstrumentCorrection needs 'wavelength' and 'factor' of one shape (m,), m >= 2. "
            f"Got shapes {wavelength.shape} and {factor.shape} instead."
        )
    if not np.all(np.isfinite(wavelength)) or not np.all(np.diff(wavelength) > 0):
        raise ParameterError(
            "The 'wavelength' of an InstrumentCorrection must be finite and strictly "
            f"increasing (µm). Got {np.round(wavelength, 4).tolist()} instead."
        )
    bad = ~np.isfinite(factor) | (factor <= 0)
    if bad.any():
        raise ParameterError(
            "The 'factor' of an InstrumentCorrection must be finite and positive. Got "
            f"{factor[bad].tolist()[:5]} at {np.round(wavelength[bad], 4).tolist()[:5]} µm "
            "instead."
        )
    at = NORMALISATION_WAVELENGTH
    if not wavelength[0] - _TOLERANCE <= at <= wavelength[-1] + _TOLERANCE:
        raise ParameterError(
            f"An InstrumentCorrection must cover its normalisation wavelength {at} µm. Got "
            f"{wavelength[0]:g}-{wavelength[-1]:g} µm instead."
        )
    unity = float(np.interp(at, wavelength, factor))
    if abs(unity - 1) > 1e-3:
        raise ParameterError(
            f"The 'factor' of an InstrumentCorrection must be 1 at {at} µm (it compares "
            f"spectra normalised there). Got {unity:.4f} instead."
        )
    if isinstance(n_spectra, bool) or not isinstance(n_spectra, int | np.integer):
        raise ParameterError(
            f"The 'n_spectra' of an InstrumentCorrection must be an integer. Got "
            f"{n_spectra!r} instead."
        )
    if n_spectra < MIN_PAIRS:
        raise ParameterError(
            f"The 'n_spectra' of an InstrumentCorrection must be at least {MIN_PAIRS}. Got "
            f"{n_spectra} instead."
        )


@dataclass(frozen=True, eq=False)
class InstrumentCorrection:
    """An instrument's multiplicative systematic, relative to reference spectra.

    Parameters
    ----------
    wavelength : array_like, shape (m,)
        Wavelengths (µm), strictly increasing, covering 0.55 µm.
    factor : array_like, shape (m,)
        The instrument's spectra divided by the reference ones (dimensionless, finite,
        positive), 1 at the normalisation wavelength 0.55 µm.
    n_spectra : int
        How many spectrum/reference pairs it was learnt from (at least :data:`MIN_PAIRS`).
    provenance : Mapping
        JSON-ready description of how it was learnt (the labels CSV and files with their
        sha256, the reference used); no dates, so the same inputs give the same file.
    source : str
        Where it was read from (a file name, set by :meth:`from_json`); named in the
        notes of the spectra it corrects. Not saved.

    Raises
    ------
    ParameterError
        If the arrays differ in shape, the wavelengths do not increase or miss 0.55 µm, a
        factor is not finite and positive, or is not 1 at 0.55 µm.

    Examples
    --------
    >>> from asteroid_spectra.spectra.spectrum import Spectrum
    >>> correction = InstrumentCorrection([0.45, 0.55, 0.90], [1.0, 1.0, 1.08], 12)
    >>> spectrum = Spectrum([0.50, 0.55, 0.90], [1.0, 1.0, 1.296])
    >>> corrected = correction.apply(spectrum)
    >>> corrected.reflectance.round(3).tolist()
    [1.0, 1.0, 1.2]
    >>> corrected.meta["repairs"]
    ['corrected with an instrument correction (instrument correction, 0.45-0.90 µm)']
    """

    wavelength: FloatArray
    factor: FloatArray
    n_spectra: int
    provenance: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""

    def __post_init__(self) -> None:
        wavelength = np.array(self.wavelength, dtype=np.float64)
        factor = np.array(self.factor, dtype=np.float64)
        _checked(wavelength, factor, self.n_spectra)
        for name, array in (("wavelength", wavelength), ("factor", factor)):
            array.setflags(write=False)
            object.__setattr__(self, name, array)
        object.__setattr__(self, "n_spectra", int(self.n_spectra))
        object.__setattr__(self, "provenance", MappingProxyType(dict(self.provenance)))

    @property
    def span(self) -> tuple[float, float]:
        """First and last wavelength (µm)."""
        return float(self.wavelength[0]), float(self.wavelength[-1])

    def factor_at(self, wavelength: npt.ArrayLike) -> FloatArray:
        """Return the factor interpolated linearly at `wavelength` (µm); NaN outside the span."""
        points = np.asarray(wavelength, dtype=np.float64)
        lo, hi = self.span
        inside = (points >= lo - _TOLERANCE) & (points <= hi + _TOLERANCE)
        values = np.interp(points, self.wavelength, self.factor)
        return np.asarray(np.where(inside, values, np.nan), dtype=np.float64)

    def apply(self, spectrum: Spectrum) -> Spectrum:
        """Return `spectrum` with the instrument's systematic divided out.

        Reflectance and errors are divided by the factor interpolated linearly onto the
        spectrum's wavelengths; samples outside the correction's span are left as they
        are. A note (``meta["repairs"]``, which :func:`~asteroid_spectra.classify` reports)
        says which correction was applied, and another which part was left as is. The
        input is not changed.

        Parameters
        ----------
        spectrum : Spectrum
            A spectrum of the instrument the correction was learnt for.

        Returns
        -------
        Spectrum
            A new spectrum; ``meta["instrument_correction"]`` names the correction.
        """
        lo, hi = self.span
        points = spectrum.wavelength
        factor = self.factor_at(points)
        outside = np.isnan(factor)
        divisor = np.where(outside, 1.0, factor)
        name = self.source or "an instrument correction"
        notes = [str(note) for note in spectrum.meta.get("repairs", ())]
        if not outside.all():
            notes.append(f"corrected with {name} (instrument correction, {lo:.2f}-{hi:.2f} µm)")
        if outside.any():
            parts = [f"{points[0]:.2f}-{lo:.2f} µm"] if points[0] < lo - _TOLERANCE else []
            if points[-1] > hi + _TOLERANCE:
                parts.append(f"{hi:.2f}-{points[-1]:.2f} µm")
            left = "the whole spectrum" if outside.all() else " and ".join(parts)
            notes.append(f"{name} covers {lo:.2f}-{hi:.2f} µm only: {left} left uncorrected")
        meta = {**spectrum.meta, "repairs": notes, "instrument_correction": name}
        error = None if spectrum.error is None else spectrum.error / divisor
        return spectrum.replace(reflectance=spectrum.reflectance / divisor, error=error, meta=meta)

    # --- JSON ------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form :meth:`to_json` writes."""
        values = {
            "format": FORMAT,
            "normalisation_um": NORMALISATION_WAVELENGTH,
            "wavelength_um": [round(float(w), 6) for w in self.wavelength],
            "factor": [float(f) for f in self.factor],
            "n_spectra": self.n_spectra,
            "provenance": dict(self.provenance),
        }
        return {key: values[key] for key in _KEYS}

    def to_json(self, path: str | Path) -> Path:
        """Write the correction to `path` as JSON, atomically (never half-written).

        Returns
        -------
        Path
            `path`.
        """
        target = Path(path)
        text = json.dumps(self.to_dict(), indent=2, default=json_default) + "\n"
        with atomic_path(target) as temporary:
            temporary.write_text(text, encoding="utf-8")
        return target

    @classmethod
    def from_json(cls, path: str | Path) -> InstrumentCorrection:
        """Read a correction written by :meth:`to_json`, checking every field.

        Raises
        ------
        DataError
            If the file does not exist or cannot be read.
        ParseError
            If it is not JSON, lacks or adds keys, has another ``format`` or
            normalisation, or its values make no valid correction (wavelengths not
            increasing, factors not finite and positive…); the message names the file.
        """
        file = Path(path)
        if not file.is_file():
            raise DataError(
                f"The instrument correction {file} does not exist (or is not a file); expected "
                "a JSON file written by `asteroid-spectra calibrate -o FILE`. Check the path."
            )
        try:
            values = json.loads(file.read_text(encoding="utf-8"))
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ParseError(
                f"expected the JSON of an instrument correction; could not parse it ({error}). "
                "Write it again with `asteroid-spectra calibrate`",
                path=file,
            ) from None
        except OSError as error:
            raise DataError(f"Cannot read the instrument correction {file}: {error}.") from None
        return cls(**_fields_of(values, file), source=file.name)


def _fields_of(values: object, file: Path) -> dict[str, Any]:
    """Return the constructor's fields from a parsed JSON file; ParseError if malformed."""
    if not isinstance(values, dict):
        raise ParseError(
            f"expected a JSON object with the keys {', '.join(_KEYS)}; got a "
            f"{type(values).__name__}",
            path=file,
        )
    missing = [key for key in _KEYS if key not in values]
    unexpected = sorted(set(values) - set(_KEYS))
    if missing or unexpected:
        parts = [f"missing {', '.join(missing)}"] if missing else []
        parts += [f"unexpected {', '.join(unexpected)}"] if unexpected else []
        raise ParseError(
            f"expected the keys {', '.join(_KEYS)}; {'; '.join(parts)}. Write it again with "
            "`asteroid-spectra calibrate`",
            path=file,
        )
    if values["format"] != FORMAT or values["normalisation_um"] != NORMALISATION_WAVELENGTH:
        raise ParseError(
            f"expected format {FORMAT!r} normalised at {NORMALISATION_WAVELENGTH} µm; got "
            f"{values['format']!r} at {values['normalisation_um']!r}",
            path=file,
        )
    if not isinstance(values["provenance"], dict):
        raise ParseError("expected 'provenance' to be a JSON object", path=file)
    arrays = {}
    for key in ("wavelength_um", "factor"):
        column = values[key]
        if not isinstance(column, list) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in column
        ):
            raise ParseError(f"expected {key!r} to be a list of numbers; got {column!r}", path=file)
        arrays[key] = np.asarray(column, dtype=np.float64)
    fields = {
        "wavelength": arrays["wavelength_um"],
        "factor": arrays["factor"],
        "n_spectra": values["n_spectra"],
        "provenance": values["provenance"],
    }
    try:
        _checked(fields["wavelength"], fields["factor"], fields["n_spectra"])
    except ParameterError as error:
        message = f"{error} Write it again with `asteroid-spectra calibrate`"
        raise ParseError(message, path=file) from None
    return fields


def _normalised(wavelength: FloatArray, rows: FloatArray, at: float) -> FloatArray:
    """Divide each row by its value interpolated linearly at `at` (NaN where undefined)."""
    right = int(np.clip(np.searchsorted(wavelength, at), 1, wavelength.size - 1))
    weight = (at - wavelength[right - 1]) / (wavelength[right] - wavelength[right - 1])
    scale = (1 - weight) * rows[:, right - 1] + weight * rows[:, right]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(rows / scale[:, None], dtype=np.float64)


def fit_correction(
    spectra: npt.ArrayLike, references: npt.ArrayLike, wavelength: npt.ArrayLike
) -> InstrumentCorrection:
    """Learn an instrument's multiplicative systematic: the median spectrum/reference ratio.

    Each spectrum and its reference are normalised at 0.55 µm (linear interpolation), then
    the factor at each wavelength is the median of their ratios (module docstring). NaN
    and non-positive values are left out of a wavelength's median (NaN-safe).

    Parameters
    ----------
    spectra : array_like, shape (n, m)
        The instrument's spectra, on `wavelength`.
    references : array_like, shape (n, m)
        The reference spectrum of each (the same asteroid, or its class), on `wavelength`.
    wavelength : array_like, shape (m,)
        Common grid (µm), strictly increasing, covering 0.55 µm.

    Returns
    -------
    InstrumentCorrection
        ``n_spectra`` the number of usable pairs; ``provenance`` the method and the
        fewest pairs at any wavelength.

    Raises
    ------
    ParameterError
        If the shapes differ or the grid does not increase or miss 0.55 µm.
    DataError
        If fewer than :data:`MIN_PAIRS` pairs are usable, overall or at some wavelength.

    Examples
    --------
    >>> wavelength = np.array([0.45, 0.55, 0.70, 0.90])
    >>> references = np.array([[0.9, 1.0, 1.1, 1.2], [1.1, 1.0, 0.9, 0.8], [1, 1, 1, 1]])
    >>> bias = np.array([1.0, 1.0, 1.02, 1.08])
    >>> fit_correction(references * bias * 3, references, wavelength).factor.tolist()
    [1.0, 1.0, 1.02, 1.08]
    """
    grid = np.asarray(wavelength, dtype=np.float64)
    own = np.atleast_2d(np.asarray(spectra, dtype=np.float64))
    other = np.atleast_2d(np.asarray(references, dtype=np.float64))
    if grid.ndim != 1 or own.shape != other.shape or own.shape[1] != grid.size:
        raise ParameterError(
            "fit_correction needs 'spectra' and 'references' of shape (n, m) on a 'wavelength' "
            f"of shape (m,). Got {own.shape}, {other.shape} and {grid.shape} instead."
        )
    at = NORMALISATION_WAVELENGTH
    if grid.size < 2 or np.any(np.diff(grid) <= 0) or not grid[0] <= at <= grid[-1]:
        raise ParameterError(
            f"The 'wavelength' parameter of fit_correction must increase strictly and cover "
            f"{at} µm. Got {np.round(grid, 4).tolist()} instead."
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = _normalised(grid, own, at) / _normalised(grid, other, at)
    usable = np.isfinite(ratio) & (ratio > 0) & (own > 0) & (other > 0)
    ratio = np.where(usable, ratio, np.nan)
    rows = int(usable.any(axis=1).sum())
    per_point = usable.sum(axis=0)
    if rows < MIN_PAIRS or per_point.min() < MIN_PAIRS:
        short = grid[per_point < MIN_PAIRS]
        where = (
            f" at {', '.join(f'{w:g}' for w in short[:5])} µm"
            if rows >= MIN_PAIRS
            else f" (of {own.shape[0]} given)"
        )
        raise DataError(
            f"An instrument correction needs at least {MIN_PAIRS} spectrum/reference pairs at "
            f"every wavelength; got {min(rows, int(per_point.min()))}{where}. Observe more "
            "asteroids of known class (or with reference spectra) and add them to the labels CSV."
        )
    factor = np.nanmedian(ratio, axis=0)
    factor = factor / np.interp(at, grid, factor)
    provenance = {
        "method": f"per-wavelength median of spectrum/reference ratios, both normalised at {at} µm",
        "min_pairs_per_wavelength": int(per_point.min()),
    }
    return InstrumentCorrection(grid, factor, rows, provenance)
