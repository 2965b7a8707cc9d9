"""HTTP API over the library's classification (FastAPI): ``asteroid-spectra serve``.

See :mod:`asteroid_spectra.api.app` for the endpoints and settings.

Importing the package loads none of its modules: each name loads its module on first use
(:func:`lazy_loader.attach`), so importing it does not import fastapi.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import lazy_loader

if TYPE_CHECKING:
    from asteroid_spectra.api.app import create_app as create_app
    from asteroid_spectra.api.app import create_app_from_env as create_app_from_env
else:
    __getattr__, __dir__, __all__ = lazy_loader.attach(
        __name__,
        submod_attrs={
            "app": ["create_app", "create_app_from_env"],
        },
    )
