"""Place a spectrum among the SMASSII spectra: nearest neighbours and latent position.

:data:`router` adds two routes to the HTTP API:

``GET /v1/latent-space``
    The 2-D latent coordinates of the 1339 labelled SMASSII spectra
    (:func:`~asteroid_spectra.cluster.latent_map.latent_map`: the autoencoder of the
    latent-space study, trained on first use — about 20 s — then cached).
``POST /v1/neighbours``
    For one spectrum (the body of ``/v1/classify`` for a single spectrum): the spectrum
    prepared on the covered part of the SMASSII grid
    (:func:`~asteroid_spectra.spectra.coverage.prepare`), its ``k`` nearest SMASSII
    spectra by RMS difference on those grid points, and its latent position when it covers
    the whole 0.44-0.92 µm grid.

The CPU work runs on the thread pool, never on the event loop. The reference spectra are
the ones :func:`~asteroid_spectra.api.app.create_app` loads at start-up; the latent map
is loaded on first use and kept for the life of the process.
"""

from __future__ import annotations

import threading
import warnings
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from asteroid_spectra.api import schemas

if TYPE_CHECKING:
    from asteroid_spectra.spectra.reference import ReferenceSpectra

__all__ = [
    "DEFAULT_NEIGHBOURS",
    "LatentPointOut",
    "LatentSpaceOut",
    "NeighbourOut",
    "NeighboursOut",
    "router",
]

DEFAULT_NEIGHBOURS = 5
"""Reference spectra returned by ``/v1/neighbours`` unless ``k`` says otherwise."""

MAX_NEIGHBOURS = 50

router = APIRouter(tags=["explore"])

_CACHE: dict[str, Any] = {}
_LOCK = threading.Lock()


# --- response bodies ---------------------------------------------------------------------
class LatentSpaceOut(BaseModel):
    """Latent coordinates of the labelled SMASSII spectra, one entry per spectrum."""

    x: list[float | None] = Field(description="First latent coordinate.")
    y: list[float | None] = Field(description="Second latent coordinate.")
    object_id: list[str]
    name: list[str]
    bus_class: list[str]
    main_group: list[str]


class NeighbourOut(BaseModel):
    """One SMASSII spectrum near the given one."""

    object_id: str
    name: str
    bus_class: str
    main_group: str
    distance: float | None = Field(
        description="RMS reflectance difference on the covered grid points (both spectra "
        "unity at 0.55 µm)."
    )
    reflectance: list[float | None] = Field(description="Its values on `wavelength`.")


class LatentPointOut(BaseModel):
    """A position in the latent space of ``/v1/latent-space``."""

    x: float | None
    y: float | None


class NeighboursOut(BaseModel):
    """The spectrum on the covered SMASSII grid, its nearest spectra and latent position."""

    wavelength_min: float = Field(description="First grid point used (µm).")
    wavelength_max: float = Field(description="Last grid point used (µm).")
    wavelength: list[float] = Field(description="The covered SMASSII grid points (µm).")
    reflectance: list[float | None] = Field(
        description="The spectrum on `wavelength`, unity at 0.55 µm."
    )
    neighbours: list[NeighbourOut] = Field(description="Nearest first.")
    latent: LatentPointOut | None = Field(
        description="Null unless the spectrum covers the whole 0.44-0.92 µm grid (see notes)."
    )
    notes: list[str]


# --- the work (thread pool) ----------------------------------------------------------------
def _latent_space_body() -> bytes:
    from asteroid_spectra.cluster.latent_map import latent_map

    atlas = latent_map()
    with _LOCK:
        if "latent-space" not in _CACHE:
            _CACHE["latent-space"] = schemas.dumps(
                {
                    "x": atlas.coordinates[:, 0].tolist(),
                    "y": atlas.coordinates[:, 1].tolist(),
                    "object_id": atlas.object_id,
                    "name": atlas.name,
                    "bus_class": atlas.bus_class,
                    "main_group": atlas.main_group,
                }
            )
        body: bytes = _CACHE["latent-space"]
        return body


def _unplaceable(error: Exception) -> RequestValidationError:
    return RequestValidationError([{"type": "value_error", "loc": ["body"], "msg": str(error)}])


def _neighbours_body(reference: ReferenceSpectra, spectrum: schemas.SpectrumIn, k: int) -> bytes:
    import numpy as np

    from asteroid_spectra.api.inputs import spectrum_from_arrays
    from asteroid_spectra.cluster.latent_map import latent_map
    from asteroid_spectra.exceptions import AsteroidSpectraError, SpectrumWarning
    from asteroid_spectra.spectra.coverage import prepare

    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", SpectrumWarning)  # repairs: reported in notes
            built = spectrum_from_arrays(
                spectrum.wavelength, spectrum.reflectance, spectrum.error, spectrum.unit
            )
            prepared = prepare(built, reference.wavelength)
    except AsteroidSpectraError as error:
        raise _unplaceable(error) from None
    notes = [*built.meta.get("repairs", ()), *prepared.notes]
    rows, distance = reference.nearest(prepared, k)
    columns_used = np.searchsorted(
        np.round(reference.wavelength, 6), np.round(prepared.wavelength, 6)
    )
    latent = None
    full = prepared.wavelength.size == reference.wavelength.size
    if full:
        try:
            point = latent_map().project(prepared.reflectance)[0]
        except AsteroidSpectraError as error:
            notes.append(f"No latent position: {error}")
        else:
            latent = {"x": point[0], "y": point[1]}
    else:
        lo, hi = prepared.span
        notes.append(
            "No latent position: the latent map needs the whole "
            f"{reference.wavelength[0]:.2f}-{reference.wavelength[-1]:.2f} µm grid; this "
            f"spectrum was prepared on {lo:.2f}-{hi:.2f} µm only."
        )
    return schemas.dumps(
        {
            "wavelength_min": prepared.span[0],
            "wavelength_max": prepared.span[1],
            "wavelength": prepared.wavelength,
            "reflectance": prepared.reflectance,
            "neighbours": [
                {
                    **reference.identity(row),
                    "distance": float(d),
                    "reflectance": reference.reflectance[row, columns_used],
                }
                for row, d in zip(rows.tolist(), distance.tolist(), strict=True)
            ],
            "latent": latent,
            "notes": notes,
        }
    )


# --- routes ---------------------------------------------------------------------------------
@router.get("/v1/latent-space", response_model=LatentSpaceOut)
async def latent_space() -> Response:
    """Return the latent coordinates of the 1339 labelled SMASSII spectra, with classes.

    The map is the 2-D convolutional autoencoder of the latent-space study (seed 0),
    trained on the first request (about 20 s) and cached on disk.
    """
    return Response(await run_in_threadpool(_latent_space_body), media_type="application/json")


@router.post("/v1/neighbours", response_model=NeighboursOut)
async def neighbours(
    request: Request,
    spectrum: schemas.SpectrumIn,
    k: Annotated[
        int, Query(ge=1, le=MAX_NEIGHBOURS, description="How many reference spectra.")
    ] = DEFAULT_NEIGHBOURS,
) -> Response:
    """Return the SMASSII spectra nearest to a spectrum, and its latent-space position.

    The spectrum (same body as a single spectrum of ``/v1/classify``) is prepared on the
    SMASSII grid points it covers, unity at 0.55 µm; the reference spectra are ranked by
    RMS difference on those points. The latent position needs the whole 0.44-0.92 µm
    grid; otherwise it is null and ``notes`` says why. A spectrum that cannot be
    prepared (coverage short of 0.55-0.80 µm, too few points, a unit that does not fit
    the values) is a 422 with the reason.
    """
    reference = request.app.state.reference  # loaded at start-up by create_app
    body = await run_in_threadpool(_neighbours_body, reference, spectrum, k)
    return Response(body, media_type="application/json")
