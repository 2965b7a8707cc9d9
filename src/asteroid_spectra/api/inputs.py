"""From a classify request to results: parse the body, build and classify the spectra.

The event loop only validates a request (:func:`json_items`, :func:`form_items`) into
:data:`Item` s: a name and a zero-argument builder of the
:class:`~asteroid_spectra.spectra.spectrum.Spectrum` (and, for JSON spectra without
errors, the raw arrays). The builders run on the worker thread, inside
:func:`classify_jobs`, which classifies the spectra of several requests in one
vectorised call and serialises one response body per request; JSON spectra sharing a
wavelength grid skip the per-spectrum builders
(:meth:`~asteroid_spectra.models.classify.Classifier.classify_arrays`).

Client file names are labels only: the last path component is echoed as ``source``,
nothing is ever opened by a name a client sent.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import PureWindowsPath
from typing import TYPE_CHECKING, Any, NamedTuple

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from asteroid_spectra.api import schemas

if TYPE_CHECKING:
    from pydantic import ValidationError

    from asteroid_spectra.models.classify import Classifier
    from asteroid_spectra.spectra.spectrum import Spectrum

__all__ = ["Item", "classify_jobs", "form_items", "json_items", "spectrum_from_arrays"]


MAX_GRIDS_PER_KEY = 8
"""Distinct grids with the same length and ends compared before giving up grouping."""


class Item(NamedTuple):
    """One spectrum of a request: its name and how to build it (run on the worker thread).

    `grid` and `reflectance` are the JSON arrays of a spectrum without errors, so that
    spectra sharing a grid can be classified together without building each one.
    """

    name: str
    build: Callable[[], Spectrum]
    grid: list[float | None] | None = None
    reflectance: Sequence[float | None] | None = None
    unit: str | None = None


# --- on the worker thread ----------------------------------------------------------------
def classify_jobs(classifier: Classifier, jobs: list[list[Item]]) -> list[bytes]:
    """Build and classify the spectra of several requests in one call.

    Parameters
    ----------
    classifier : Classifier
        The classifier.
    jobs : list of list of Item
        The spectra of each request.

    Returns
    -------
    list of bytes
        One JSON body ``{"results": [...]}`` per job, results in the job's order; a
        spectrum that could not be built or classified has ``error`` set.
    """
    import numpy as np
    import orjson

    from asteroid_spectra.exceptions import AsteroidSpectraError, SpectrumWarning
    from asteroid_spectra.models.results import Classification

    items = [item for job in jobs for item in job]
    results: list[Classification | None] = [None] * len(items)
    # Group the spectra sent on one grid: a cheap key first, then exact list equality.
    shared: dict[tuple[Any, ...], list[list[int]]] = defaultdict(list)
    for index, item in enumerate(items):
        grid = item.grid
        if grid is None:
            continue
        key = (len(grid), grid[0] if grid else None, grid[-1] if grid else None, item.unit)
        candidates = shared[key]
        for members in candidates:
            if items[members[0]].grid == grid:
                members.append(index)
                break
        else:
            if len(candidates) < MAX_GRIDS_PER_KEY:  # bounds the comparisons per request
                candidates.append([index])
            else:
                shared[(index,)].append([index])
    single: list[int] = []
    for members in (m for groups in shared.values() for m in groups):
        grid, unit = items[members[0]].grid, items[members[0]].unit
        if len(members) == 1:
            single.extend(members)
            continue
        rows = np.array([items[i].reflectance for i in members], dtype=np.float64)
        names_of = [items[i].name for i in members]
        wavelength = np.array(grid, dtype=np.float64)
        for index, result in zip(
            members, classifier.classify_arrays(wavelength, rows, names_of, unit), strict=True
        ):
            results[index] = result
    single += [i for i, item in enumerate(items) if item.grid is None]
    spectra: list[Spectrum] = []
    names: list[str] = []
    slots: list[int] = []
    with warnings.catch_warnings():  # repairs are reported in each result's notes
        warnings.simplefilter("ignore", SpectrumWarning)
        for index in sorted(single):
            try:
                spectra.append(items[index].build())
            except AsteroidSpectraError as error:
                results[index] = Classification(items[index].name, error=str(error))
                continue
            names.append(items[index].name)
            slots.append(index)
    for index, result in zip(slots, classifier.classify_spectra(spectra, names), strict=True):
        results[index] = result
    bodies = []
    start = 0
    for job in jobs:
        chunk = results[start : start + len(job)]
        start += len(job)
        bodies.append(orjson.dumps({"results": [r.to_dict() for r in chunk if r is not None]}))
    return bodies


def spectrum_from_arrays(
    wavelength: Sequence[float | None],
    reflectance: Sequence[float | None],
    error: Sequence[float | None] | None,
    unit: str | None,
) -> Spectrum:
    """Build the cleaned spectrum of a JSON request's arrays (``null`` = missing sample)."""
    import numpy as np

    from asteroid_spectra.spectra.inputs import spectrum_from_input

    # None (JSON null, a missing sample) becomes NaN; cleaning drops those rows.
    columns = [np.array(wavelength, dtype=np.float64), np.array(reflectance, dtype=np.float64)]
    if error is not None:
        columns.append(np.array(error, dtype=np.float64))
    return spectrum_from_input(tuple(columns), unit)


def _from_text(data: bytes, unit: str | None, where: str) -> Spectrum:
    from asteroid_spectra.exceptions import SpectrumError
    from asteroid_spectra.spectra.io import parse_text

    spectrum = parse_text(data, unit=unit, where=where, clean=True, meta={"source": where})
    if len(spectrum) > schemas.MAX_POINTS:
        raise SpectrumError(
            f"{where}: the file has {len(spectrum):,} samples; at most {schemas.MAX_POINTS:,} "
            "per spectrum are accepted. Bin or crop the spectrum first."
        )
    return spectrum


# --- on the event loop -------------------------------------------------------------------
def too_many(count: int, max_batch: int) -> HTTPException:
    """Return the 413 for a request with more than `max_batch` spectra."""
    return HTTPException(
        413,
        f"Too many spectra: at most {max_batch:,} per request are accepted; got {count:,}. "
        f"Split them into requests of at most {max_batch:,}.",
    )


def _validation_error(error: ValidationError) -> RequestValidationError:
    """Pydantic's errors as FastAPI's 422, located in the body (union tag dropped)."""
    details = []
    for detail in error.errors(include_url=False, include_context=False, include_input=False):
        loc = list(detail["loc"])
        if loc and loc[0] in ("batch", "single"):
            loc = loc[1:]
        details.append({**detail, "loc": ["body", *loc]})
    return RequestValidationError(details)


def json_items(body: bytes, max_batch: int) -> list[Item]:
    """Validate a JSON body (one spectrum or ``{"spectra": [...]}``) into items.

    Raises
    ------
    RequestValidationError
        Malformed JSON or a field that does not validate (422, with its location).
    HTTPException
        More than `max_batch` spectra (413).
    """
    from pydantic import ValidationError

    parsed: schemas.ClassifyRequest | schemas.SpectrumIn | None = None
    if b'"spectra"' in body:
        # Most likely a batch: validate it straight from JSON (the tagged union below
        # first builds Python objects to find the tag, a third slower for large batches).
        try:
            parsed = schemas.ClassifyRequest.model_validate_json(body)
        except ValidationError:
            parsed = None  # the union below reports the errors against the right model
    if parsed is None:
        try:
            parsed = schemas.classify_body.validate_json(body)
        except ValidationError as error:
            raise _validation_error(error) from None
    spectra = parsed.spectra if isinstance(parsed, schemas.ClassifyRequest) else [parsed]
    if len(spectra) > max_batch:
        raise too_many(len(spectra), max_batch)
    return [
        Item(
            s.name if s.name is not None else f"#{i}",
            partial(spectrum_from_arrays, s.wavelength, s.reflectance, s.error, s.unit),
            None if s.error is not None else s.wavelength,
            s.reflectance,
            s.unit,
        )
        for i, s in enumerate(spectra)
    ]


def _check_unit(unit: str | None) -> None:
    from asteroid_spectra.exceptions import UnitError
    from asteroid_spectra.spectra.units import parse_unit

    if unit is None:
        return
    try:
        parse_unit(unit)
    except UnitError as error:
        raise RequestValidationError(
            [{"type": "value_error", "loc": ["body", "unit"], "msg": str(error)}]
        ) from None


async def form_items(request: Request, max_batch: int) -> list[Item]:
    """Read a multipart body (``file`` parts, optional ``unit`` field) into items.

    Raises
    ------
    RequestValidationError
        No ``file`` part, or an unknown unit (422).
    HTTPException
        More than `max_batch` files (413), or a malformed multipart body (400).
    """
    try:
        form = await request.form(max_files=max_batch + 1, max_fields=max_batch + 16)
    except HTTPException as error:
        if "Too many files" in str(error.detail):
            raise too_many(max_batch + 1, max_batch) from None
        raise
    try:
        unit_value = form.get("unit")
        unit = unit_value if isinstance(unit_value, str) and unit_value.strip() else None
        _check_unit(unit)
        parts = form.getlist("file")
        if not parts:
            raise RequestValidationError(
                [
                    {
                        "type": "missing",
                        "loc": ["body", "file"],
                        "msg": "Field required: send each spectrum as a 'file' part (a text "
                        "table of wavelength, reflectance[, error]).",
                    }
                ]
            )
        if len(parts) > max_batch:
            raise too_many(len(parts), max_batch)
        items: list[Item] = []
        for index, part in enumerate(parts):
            if isinstance(part, str):
                data, filename = part.encode(), None
            else:
                data, filename = await part.read(), part.filename
            # A client's file name is only a label: keep its last component, never open it.
            name = (PureWindowsPath(filename).name if filename else "") or f"#{index}"
            items.append(Item(name, partial(_from_text, data, unit, name)))
        return items
    finally:
        await form.close()
