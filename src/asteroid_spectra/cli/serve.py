"""CLI command of the HTTP API: serve."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from asteroid_spectra.cli.common import console, fail

__all__ = ["FACTORY", "serve"]

FACTORY = "asteroid_spectra.api.app:create_app_from_env"
"""The app factory uvicorn imports in each worker process."""


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    max_batch: Annotated[
        int | None, typer.Option(min=1, help="Most spectra per request (default 1000).")
    ] = None,
    max_body_bytes: Annotated[
        int | None, typer.Option(min=1, help="Largest request body in bytes (default 8 MiB).")
    ] = None,
    access_log: Annotated[bool, typer.Option(help="Log every request.")] = False,
) -> None:
    """Serve the HTTP API (classification, models, classes, reference spectra; docs at /docs).

    The first start trains the default model (a few seconds), later starts load it from
    the cache. Limits can also be set with ASTEROID_SPECTRA_MAX_BATCH and
    ASTEROID_SPECTRA_MAX_BODY_BYTES.
    """
    from asteroid_spectra.exceptions import MissingDependencyError
    from asteroid_spectra.extras import require

    try:
        require("serve", "asteroid-spectra serve")
    except MissingDependencyError as error:
        raise fail(error) from None
    import uvicorn

    from asteroid_spectra.api.app import MAX_BATCH_ENV, MAX_BODY_BYTES_ENV

    # The factory runs in each worker process and reads its limits from the environment.
    if max_batch is not None:
        os.environ[MAX_BATCH_ENV] = str(max_batch)
    if max_body_bytes is not None:
        os.environ[MAX_BODY_BYTES_ENV] = str(max_body_bytes)
    console.print(f"serving on http://{host}:{port} (docs: /docs), {workers} worker(s)")
    uvicorn.run(
        FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
        log_level="info",
    )
