"""HTTP API over the classification service (FastAPI): ``asteroid-spectra serve``.

See :mod:`asteroid_spectra.api.app` for the endpoints and settings.
"""

from asteroid_spectra.api.app import create_app, create_app_from_env

__all__ = ["create_app", "create_app_from_env"]
