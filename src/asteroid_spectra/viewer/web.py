"""The spectra viewer web page, served next to the HTTP API.

:data:`router` serves the viewer at ``GET /`` and its assets under ``GET /static/…``:
the page's script and style sheet (shipped in ``viewer/static``), and the plotly.js
bundle shipped inside the installed ``plotly`` Python package, so the page works without
network access. The page itself talks only to the API (``/v1/classes``,
``/v1/reference-spectra``, ``/v1/classify``); nothing here computes anything.

Assets are referenced with a version query (``?v=…``) so they can be cached for a year;
the page itself is revalidated on every load.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
from functools import cache
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse

from asteroid_spectra._version import __version__

__all__ = ["STATIC_DIR", "plotly_bundle_path", "router"]

STATIC_DIR = Path(__file__).parent / "static"
"""Directory of the page's own files (``index.html``, ``viewer.js``, ``viewer.css``)."""

_ASSETS = {"viewer.js": "text/javascript", "viewer.css": "text/css"}
_LONG_CACHE = {"Cache-Control": "public, max-age=31536000, immutable"}

router = APIRouter(include_in_schema=False)


def plotly_bundle_path() -> Path | None:
    """Return the path of ``plotly.min.js`` inside the installed plotly package, or None.

    The package is located without importing it (importing plotly takes a second).
    """
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        bundle = Path(location) / "package_data" / "plotly.min.js"
        if bundle.is_file():
            return bundle
    return None


@cache
def _page() -> str:
    try:
        plotly_version = importlib.metadata.version("plotly")
    except importlib.metadata.PackageNotFoundError:
        plotly_version = "missing"
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    return html.replace("{{plotly_version}}", plotly_version).replace("{{version}}", __version__)


@router.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
def index() -> HTMLResponse:
    """Serve the viewer page."""
    return HTMLResponse(_page(), headers={"Cache-Control": "no-cache"})


@router.api_route("/static/plotly.min.js", methods=["GET", "HEAD"])
def plotly_js() -> FileResponse:
    """Serve the plotly.js bundle of the installed plotly package."""
    bundle = plotly_bundle_path()
    if bundle is None:
        raise HTTPException(
            status_code=404,
            detail="The viewer needs plotly.js from the plotly package, which is not "
            "installed; install it with: pip install 'asteroid-spectra[study]'.",
        )
    return FileResponse(bundle, media_type="text/javascript", headers=_LONG_CACHE)


@router.api_route("/static/{name}", methods=["GET", "HEAD"])
def asset(name: str) -> FileResponse:
    """Serve the page's script or style sheet."""
    if name not in _ASSETS:
        raise HTTPException(
            status_code=404,
            detail=f"No static file {name!r}; expected one of {', '.join(sorted(_ASSETS))}, "
            "plotly.min.js.",
        )
    return FileResponse(STATIC_DIR / name, media_type=_ASSETS[name], headers=_LONG_CACHE)
