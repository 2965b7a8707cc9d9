"""The HTTP API: classify spectra, list the models and classes, serve reference spectra.

A thin adapter over :class:`~asteroid_spectra.models.classify.Classifier`. The
spectra of concurrent requests are classified together in one vectorised call
(:class:`~asteroid_spectra.api.batching.MicroBatcher`) on one worker thread, with BLAS
and OpenMP limited to one thread (under contention, multithreaded BLAS is far slower
here). Responses are serialised with orjson; values that are not finite become ``null``.

Run it with ``asteroid-spectra serve`` or any ASGI server::

    uvicorn --factory asteroid_spectra.api.app:create_app_from_env

Environment variables read by :func:`create_app_from_env`:

``ASTEROID_SPECTRA_MAX_BATCH``
    Most spectra per request (default 1000).
``ASTEROID_SPECTRA_MAX_BODY_BYTES``
    Largest request body in bytes (default 8 MiB).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from functools import partial
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from asteroid_spectra._version import __version__
from asteroid_spectra.api import explore, schemas
from asteroid_spectra.api.batching import MicroBatcher
from asteroid_spectra.api.inputs import Item, classify_jobs, form_items, json_items
from asteroid_spectra.api.limits import BodySizeLimit
from asteroid_spectra.exceptions import ParameterError, StateError

if TYPE_CHECKING:
    from asteroid_spectra.models.classify import Classifier

__all__ = ["MAX_BATCH_ENV", "MAX_BODY_BYTES_ENV", "JSONBytes", "create_app", "create_app_from_env"]

MAX_BATCH_ENV = "ASTEROID_SPECTRA_MAX_BATCH"
MAX_BODY_BYTES_ENV = "ASTEROID_SPECTRA_MAX_BODY_BYTES"
DEFAULT_MAX_BATCH = 1000
DEFAULT_MAX_BODY_BYTES = 8 * 1024 * 1024


class JSONBytes(JSONResponse):
    """JSON response serialised with orjson (numpy arrays allowed; NaN and inf → null)."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        """Serialise `content`; bytes are sent as they are (already serialised)."""
        return content if isinstance(content, bytes) else schemas.dumps(content)


def _limit_threads() -> None:
    """Limit BLAS and OpenMP pools of the calling thread (and the process) to one thread."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1)


# --- the application ---------------------------------------------------------------------
def _openapi(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """OpenAPI document including the classify body, which the handler parses itself."""

    def build() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            body_schema = schemas.classify_body.json_schema(
                ref_template="#/components/schemas/{model}"
            )
            components = document.setdefault("components", {}).setdefault("schemas", {})
            components.update(body_schema.pop("$defs", {}))
            body_schema.pop("discriminator", None)  # a callable one has no OpenAPI form
            classify = document["paths"]["/v1/classify"]["post"]
            classify["requestBody"] = {
                "required": True,
                "content": {
                    "application/json": {"schema": body_schema},
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "file": {
                                    "type": "array",
                                    "items": {"type": "string", "format": "binary"},
                                    "description": "Text tables: wavelength, reflectance"
                                    "[, error] columns, optional header and # comments.",
                                },
                                "unit": {"type": "string", "description": "um, nm or angstrom"},
                            },
                            "required": ["file"],
                        }
                    },
                },
            }
            classify["responses"]["422"] = {
                "description": "Malformed request: the location and reason of each problem.",
                "content": {
                    "application/json": {
                        "schema": {"$ref": "#/components/schemas/HTTPValidationError"}
                    }
                },
            }
            app.openapi_schema = document
        return app.openapi_schema

    return build


def create_app(
    classifier: Classifier | None = None,
    *,
    max_batch: int = DEFAULT_MAX_BATCH,
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
    batch_window: float = 0.0,
) -> FastAPI:
    """Build the HTTP API application.

    Starting it (the ASGI lifespan) loads the SMASSII reference spectra and classifies a
    spectrum once, which trains or loads the default full-range model (a few seconds
    on first use, then cached on disk); if the classifier cannot classify that flat
    spectrum on its own grid, starting fails with
    :class:`~asteroid_spectra.exceptions.StateError`.

    Parameters
    ----------
    classifier : Classifier, optional
        Default: ``Classifier()``, the recommended models.
    max_batch : int
        Most spectra one request may hold (more: 413).
    max_body_bytes : int
        Largest request body in bytes (more: 413).
    batch_window : float
        Seconds to wait for concurrent requests to join a batch (0: classify what is
        queued at once).

    Returns
    -------
    FastAPI

    Raises
    ------
    ParameterError
        If a limit is not a positive integer or the window is negative.
    """
    import asyncio
    import gc
    from concurrent.futures import ThreadPoolExecutor

    for label, value in (("max_batch", max_batch), ("max_body_bytes", max_body_bytes)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ParameterError(
                f"The '{label}' parameter of create_app must be a positive integer. "
                f"Got {value!r} instead."
            )
    if not batch_window >= 0:
        raise ParameterError(
            "The 'batch_window' parameter of create_app must be a number of seconds >= 0. "
            f"Got {batch_window!r} instead."
        )
    state: dict[str, Any] = {}

    def start() -> None:
        """Load models and reference data (worker thread), then limit thread pools."""
        import numpy as np

        from asteroid_spectra.models.classify import Classifier
        from asteroid_spectra.spectra.reference import ReferenceSpectra, demeo_templates
        from asteroid_spectra.spectra.spectrum import Spectrum

        chosen = Classifier() if classifier is None else classifier
        grid = np.asarray(chosen.families[0].grid, dtype=np.float64)
        warm = chosen.classify_spectra([Spectrum(grid, np.ones_like(grid))])[0]
        if warm.error is not None:
            raise StateError(
                "At start-up the classifier must classify a flat spectrum on its own grid; "
                f"it failed with: {warm.error} Check the model given to create_app."
            )
        models = [f.get((float(f.grid[0]), float(f.grid[-1]))) for f in chosen.families]
        state["classifier"] = chosen
        state["models"] = {
            "models": [model.card for model in models],
            "note": "One model per taxonomy a spectrum's coverage allows (Bus from the "
            "visible, Bus-DeMeo from the near infrared, Tholen from the ECAS colours). "
            "Spectra covering only part of a grid are classified by models of the same "
            "recipe trained on the covered span (trained on first use, then cached).",
        }
        state["reference"] = ReferenceSpectra.load()
        state["demeo_templates"] = {
            name: schemas.dumps(template) for name, template in demeo_templates().items()
        }
        state["classes"] = state["reference"].classes()
        state["reference_cache"] = {}
        _limit_threads()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="classify")
        try:
            await asyncio.get_running_loop().run_in_executor(executor, start)
            app.state.reference = state["reference"]  # also read by the explore routes
            _limit_threads()
            # Models and data live as long as the process: moving them out of the garbage
            # collector's reach makes full collections short (p99 latency 200 -> 50 ms).
            gc.collect()
            gc.freeze()
            batcher: MicroBatcher[list[Item], bytes] = MicroBatcher(
                partial(classify_jobs, state["classifier"]),
                executor,
                max_size=max(max_batch, 64),
                window=batch_window,
            )
            state["batcher"] = batcher
            batcher.start()
            try:
                yield
            finally:
                await batcher.stop()
        finally:
            executor.shutdown(wait=True, cancel_futures=True)

    app = FastAPI(
        title="asteroid-spectra",
        version=__version__,
        description="Classify asteroid reflectance spectra into the main groups "
        "(C, S, X, Other) and Bus classes, with calibrated probabilities, abstention and an "
        "out-of-distribution score. Wavelengths in µm, nm or Å; any coverage including "
        "0.55-0.80 µm.",
        lifespan=lifespan,
        default_response_class=JSONBytes,
    )
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    errors: dict[int | str, dict[str, Any]] = {
        413: {"model": schemas.ErrorOut, "description": "Too many spectra or too large a body."},
        415: {"model": schemas.ErrorOut, "description": "Neither JSON nor multipart."},
    }

    @app.post(
        "/v1/classify",
        response_model=None,
        responses={200: {"model": schemas.ClassifyResponse}, **errors},
        summary="Classify spectra (JSON arrays or uploaded text files)",
        tags=["classify"],
    )
    async def classify(request: Request) -> Response:
        """Classify one spectrum or a batch; results come back in input order.

        Send JSON — one spectrum object or ``{"spectra": [...]}`` — or
        ``multipart/form-data`` with one ``file`` part per spectrum (text tables) and an
        optional ``unit`` field. A spectrum that cannot be classified (coverage short of
        0.55-0.80 µm, too few valid points, a unit that does not fit the values) gets a
        result with ``error`` set; the others are classified as usual.
        """
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "multipart/form-data":
            items = await form_items(request, max_batch)
        elif content_type in ("", "application/json") or content_type.endswith("+json"):
            items = json_items(await request.body(), max_batch)
        else:
            raise HTTPException(
                415,
                f"Unsupported content type {content_type!r}; expected application/json "
                "(spectra as arrays) or multipart/form-data (spectra as 'file' parts).",
            )
        body: bytes = await state["batcher"].submit(items, len(items))
        return JSONBytes(body)

    @app.get("/v1/models", response_model=schemas.ModelsOut, tags=["about"])
    async def models() -> Response:
        """Return the model card: recipe, classes, grid, training data, versions."""
        return JSONBytes(state["models"])

    @app.get("/v1/classes", response_model=schemas.ClassesOut, tags=["about"])
    async def classes() -> Response:
        """Return the main groups, Bus classes, their mapping and SMASSII counts."""
        return JSONBytes(state["classes"])

    @app.get(
        "/v1/reference-spectra",
        response_model=schemas.ReferenceSpectraOut,
        tags=["about"],
    )
    async def reference_spectra(
        group: Annotated[
            str | None,
            Query(description="Main group.", json_schema_extra={"enum": _main_groups()}),
        ] = None,
        bus_class: Annotated[
            str | None,
            Query(description="Bus class.", json_schema_extra={"enum": _bus_classes()}),
        ] = None,
    ) -> Response:
        """SMASSII spectra of a main group and/or Bus class, with their mean and std.

        Without a filter, all 1339 labelled spectra.
        """
        _check_choice("group", group, _main_groups())
        _check_choice("bus_class", bus_class, _bus_classes())
        cache: dict[tuple[str | None, str | None], bytes] = state["reference_cache"]
        key = (group, bus_class)
        if key not in cache:
            cache[key] = schemas.dumps(state["reference"].select(group, bus_class))
        return JSONBytes(cache[key])

    @app.get("/v1/demeo-templates", response_model=schemas.DemeoTemplateOut, tags=["about"])
    async def demeo_template(
        demeo_class: Annotated[
            str,
            Query(
                description="Bus-DeMeo class (without the trailing w of weathered spectra).",
                json_schema_extra={"enum": _demeo_template_classes()},
            ),
        ],
    ) -> Response:
        """Return the published template of a Bus-DeMeo class (DeMeo et al. 2009)."""
        _check_choice("demeo_class", demeo_class, _demeo_template_classes())
        return JSONBytes(state["demeo_templates"][demeo_class])

    @app.get("/healthz", response_model=schemas.HealthOut, tags=["about"])
    async def healthz() -> Response:
        """Report that the server is up with its models loaded."""
        return JSONBytes({"status": "ok", "version": __version__})

    from asteroid_spectra.viewer import web

    app.include_router(web.router)
    app.include_router(explore.router)
    app.openapi = _openapi(app)  # type: ignore[method-assign]
    return app


def _main_groups() -> list[str]:
    from asteroid_spectra.schema import MAIN_GROUPS

    return list(MAIN_GROUPS)


def _demeo_template_classes() -> list[str]:
    from asteroid_spectra.schema import DEMEO_CLASSES

    return list(DEMEO_CLASSES)


def _bus_classes() -> list[str]:
    from asteroid_spectra.schema import BUS_CLASSES

    return list(BUS_CLASSES)


def _check_choice(name: str, value: str | None, choices: list[str]) -> None:
    if value is not None and value not in choices:
        raise RequestValidationError(
            [
                {
                    "type": "enum",
                    "loc": ["query", name],
                    "msg": f"Input should be one of {', '.join(choices)} (case-sensitive); "
                    f"got {value!r}",
                }
            ]
        )


def _positive_int(environ: Mapping[str, str], name: str, default: int) -> int:
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise ParameterError(
            f"{name} must be a positive integer. Got {text!r} instead; unset it to use {default}."
        )
    return value


def create_app_from_env(environ: Mapping[str, str] | None = None) -> FastAPI:
    """Build the app with limits from the environment (the ``serve`` command's factory).

    Parameters
    ----------
    environ : Mapping, optional
        Default :data:`os.environ`; reads :data:`MAX_BATCH_ENV` and
        :data:`MAX_BODY_BYTES_ENV`.

    Raises
    ------
    ParameterError
        If a variable is set but not a positive integer.
    """
    env = os.environ if environ is None else environ
    return create_app(
        max_batch=_positive_int(env, MAX_BATCH_ENV, DEFAULT_MAX_BATCH),
        max_body_bytes=_positive_int(env, MAX_BODY_BYTES_ENV, DEFAULT_MAX_BODY_BYTES),
    )
