"""A 2-D map of the SMASSII spectra, for placing a user's spectrum among them.

:class:`LatentMap` is the two-dimensional :class:`~.autoencoder.AutoencoderEmbedding` of
the latent-space study (seed 0, default architecture) fitted on the 1339 labelled
SMASSII spectra (Bus & Binzel 2002, Icarus 158, 146-177), together with the reference
spectra's coordinates and labels. :func:`latent_map` trains it on first use (about 20 s
on one core) and caches it on disk in safe formats, then keeps it in memory:

``<cache>/latent-map-<digest>/weights.safetensors``
    The network's state dict (:mod:`safetensors`; nothing is unpickled).
``<cache>/latent-map-<digest>/latent-map.json``
    Hyperparameters, input scaling (``offset_``, ``scale_``), the reference coordinates,
    object ids, names and classes, and the sha256 of the weights file, checked on load.

The digest covers the package version, the hyperparameters and the training spectra, so
an upgrade or other data train a new map. A cache that fails verification is retrained.

References
----------
Bus, S. J. & Binzel, R. P. (2002). Phase II of the Small Main-Belt Asteroid Spectroscopic
Survey: a feature-based taxonomy. Icarus 158, 146-177.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from asteroid_spectra import schema
from asteroid_spectra._version import __version__
from asteroid_spectra.config import Settings, get_settings
from asteroid_spectra.exceptions import DataError, SpectrumError

if TYPE_CHECKING:
    import pandas as pd

    from asteroid_spectra.cluster.autoencoder import AutoencoderEmbedding
    from asteroid_spectra.spectra.sets import SpectralSet

__all__ = ["LATENT_MAP_PARAMS", "LatentMap", "clear_latent_maps", "latent_map", "latent_map_path"]

SEED = 0
"""Seed of the map's autoencoder (as the first seed of the latent-space study)."""

LATENT_MAP_PARAMS: Mapping[str, Any] = {"latent_dim": 2, "random_state": SEED}
"""Parameters of the map's :class:`~.autoencoder.AutoencoderEmbedding`; the others are
the defaults (400 epochs at most, early stopping after 40)."""

WEIGHTS = "weights.safetensors"
META = "latent-map.json"
FORMAT = 1

_MEMORY: dict[Path, LatentMap] = {}
_LOCK = threading.Lock()

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class LatentMap:
    """A fitted 2-D autoencoder and the latent coordinates of its reference spectra.

    Attributes
    ----------
    embedding : AutoencoderEmbedding
        The fitted autoencoder (``latent_dim=2``).
    wavelength : ndarray, shape (m,)
        The grid (µm) spectra must be sampled on, unity at 0.55 µm.
    coordinates : ndarray, shape (n, 2)
        Latent coordinates of the reference spectra.
    object_id, name, bus_class, main_group : tuple of str, length n
        Identity and labels of the reference spectra.

    Examples
    --------
    >>> import numpy as np
    >>> from asteroid_spectra.schema import SMASS2_WAVELENGTH
    >>> atlas = latent_map()  # doctest: +SKIP
    >>> atlas.coordinates.shape  # doctest: +SKIP
    (1339, 2)
    >>> flat = np.ones((1, len(SMASS2_WAVELENGTH)))
    >>> atlas.project(flat).shape  # doctest: +SKIP
    (1, 2)
    """

    embedding: AutoencoderEmbedding
    wavelength: FloatArray
    coordinates: FloatArray
    object_id: tuple[str, ...]
    name: tuple[str, ...]
    bus_class: tuple[str, ...]
    main_group: tuple[str, ...]

    @classmethod
    def fit(cls, data: SpectralSet, params: Mapping[str, Any] | None = None) -> LatentMap:
        """Train the map on labelled spectra.

        Parameters
        ----------
        data : SpectralSet
            Complete spectra (no missing sample) with ``object_id``, ``bus_class`` and
            ``main_group`` columns; ``name`` and ``designation`` label them when present.
        params : Mapping, optional
            :class:`~.autoencoder.AutoencoderEmbedding` parameters replacing those of
            :data:`LATENT_MAP_PARAMS` (``latent_dim`` must stay 2).

        Returns
        -------
        LatentMap

        Raises
        ------
        SpectrumError
            If a spectrum has missing samples or a label column is missing.
        ValueError
            If `params` asks for another latent dimension than 2.
        """
        from threadpoolctl import threadpool_limits

        from asteroid_spectra.cluster.autoencoder import AutoencoderEmbedding

        chosen = _params(params)
        X = np.asarray(data.reflectance, dtype=np.float64)
        incomplete = np.flatnonzero(~np.all(np.isfinite(X), axis=1))
        if incomplete.size:
            raise SpectrumError(
                f"The latent map needs complete spectra; {incomplete.size} of {len(X)} have "
                f"missing samples (rows {incomplete[:5].tolist()}…). Drop or fill them first."
            )
        identity = _identity(data.objects)
        with threadpool_limits(1):  # tiny matrices: threads only cost
            embedding = AutoencoderEmbedding(**chosen).fit(X)
            coordinates = embedding.transform(X)
        return cls(embedding, np.asarray(data.wavelength, dtype=np.float64), coordinates, *identity)

    def project(self, X: npt.ArrayLike) -> FloatArray:
        """Latent coordinates of spectra sampled on the map's full grid.

        Parameters
        ----------
        X : array_like, shape (n, m) or (m,)
            Reflectance on :attr:`wavelength` (all m points), unity at 0.55 µm, as
            :func:`~asteroid_spectra.service.coverage.prepare` gives for a spectrum
            covering the whole grid.

        Returns
        -------
        ndarray, shape (n, 2)

        Raises
        ------
        SpectrumError
            If the spectra are not on the m-point grid or have non-finite values.
        """
        values = np.asarray(X, dtype=np.float64)
        if values.ndim == 1:
            values = values[np.newaxis, :]
        size = self.wavelength.size
        if values.ndim != 2 or values.shape[1] != size:
            raise SpectrumError(
                f"The latent map needs spectra on its {size}-point grid "
                f"({self.wavelength[0]:.2f}-{self.wavelength[-1]:.2f} µm), shape (n, {size}); "
                f"got shape {np.shape(X)}. Resample the spectra onto that grid first "
                "(service.coverage.prepare), which needs coverage of the whole range."
            )
        with np.errstate(over="ignore", invalid="ignore"):
            finite = np.all(np.isfinite(values.astype(np.float32)), axis=1)
        if not finite.all():
            raise SpectrumError(
                f"The latent map needs finite reflectance below {np.finfo(np.float32).max:.1e}; "
                f"{int((~finite).sum())} of {len(values)} spectra have other values. "
                "Fill or drop those samples first."
            )
        return np.asarray(self.embedding.transform(values), dtype=np.float64)

    # --- persistence -------------------------------------------------------------------
    def save(self, directory: str | Path) -> Path:
        """Write the map to `directory` (replaced atomically if it exists).

        The weights go to ``weights.safetensors``, everything else to
        ``latent-map.json`` together with the weights' sha256.

        Returns
        -------
        Path
            The directory.
        """
        from safetensors.torch import save_file

        from asteroid_spectra.data.fetch import sha256
        from asteroid_spectra.models.persistence import swap_in

        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}."))
        try:
            module = self.embedding.module_
            state = {k: v.detach().contiguous() for k, v in module.state_dict().items()}
            save_file(state, str(staging / WEIGHTS))
            embedding = self.embedding
            meta = {
                "format": FORMAT,
                "package": __version__,
                "params": _jsonable(embedding.get_params()),
                "n_features_in": int(embedding.n_features_in_),
                "offset": float(embedding.offset_),
                "scale": float(embedding.scale_),
                "best_epoch": int(embedding.best_epoch_),
                "history": embedding.history_,
                "wavelength": self.wavelength.tolist(),
                "x": self.coordinates[:, 0].tolist(),
                "y": self.coordinates[:, 1].tolist(),
                "object_id": list(self.object_id),
                "name": list(self.name),
                "bus_class": list(self.bus_class),
                "main_group": list(self.main_group),
                "files": {WEIGHTS: sha256(staging / WEIGHTS)},
            }
            (staging / META).write_text(json.dumps(meta, allow_nan=True), encoding="utf-8")
            swap_in(staging, directory)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return directory

    @classmethod
    def load(cls, directory: str | Path) -> LatentMap:
        """Load a map written by :meth:`save`, after verifying the weights' sha256.

        Raises
        ------
        ChecksumError
            If the weights file differs from the hash recorded in the JSON.
        DataError
            If a file is missing or malformed, or the reloaded network does not give the
            recorded coordinates.
        """
        from safetensors.torch import load_file

        from asteroid_spectra.cluster.autoencoder import AutoencoderEmbedding, ConvAutoencoder
        from asteroid_spectra.data.fetch import sha256
        from asteroid_spectra.exceptions import ChecksumError

        directory = Path(directory)
        meta_path, weights_path = directory / META, directory / WEIGHTS
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            expected = meta["files"][WEIGHTS]
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise DataError(
                f"{meta_path} is missing or not a latent-map description ({error!r}); "
                f"delete {directory} and the map will be trained again."
            ) from None
        if not weights_path.is_file():
            raise DataError(
                f"{weights_path} is missing; the latent map in {directory} is incomplete."
            )
        actual = sha256(weights_path)
        if actual != expected:
            raise ChecksumError(
                f"sha256 of {weights_path} does not match {META}: expected {expected}, got "
                f"{actual}. The weights were modified or corrupted; delete {directory} and "
                "the map will be trained again."
            )
        try:
            embedding = AutoencoderEmbedding(**_from_json(meta["params"]))
            module = ConvAutoencoder(
                int(meta["n_features_in"]),
                embedding.latent_dim,
                tuple(embedding.channels),
                embedding.kernel_size,
            )
            module.load_state_dict(load_file(str(weights_path)))
            module.eval()
            embedding.module_ = module
            embedding.n_features_in_ = int(meta["n_features_in"])
            embedding.offset_ = float(meta["offset"])
            embedding.scale_ = float(meta["scale"])
            embedding.best_epoch_ = int(meta["best_epoch"])
            embedding.history_ = list(meta["history"])
            coordinates = np.column_stack(
                [np.asarray(meta["x"], dtype=np.float64), np.asarray(meta["y"], dtype=np.float64)]
            )
            atlas = cls(
                embedding,
                np.asarray(meta["wavelength"], dtype=np.float64),
                coordinates,
                *(tuple(str(v) for v in meta[k]) for k in _IDENTITY),
            )
        except (KeyError, TypeError, ValueError, RuntimeError) as error:
            raise DataError(
                f"{directory} does not hold a usable latent map ({error}); delete it and the "
                "map will be trained again."
            ) from None
        rebuilt = atlas.embedding.transform(np.ones((1, atlas.wavelength.size)))
        lengths = {len(getattr(atlas, k)) for k in _IDENTITY} | {len(coordinates)}
        if len(lengths) != 1 or rebuilt.shape != (1, 2):
            raise DataError(
                f"{meta_path} is inconsistent: coordinates and labels have lengths "
                f"{sorted(lengths)} and the network gives {rebuilt.shape[1]} dimensions, "
                f"expected one length and 2. Delete {directory} to train the map again."
            )
        return atlas


_IDENTITY = ("object_id", "name", "bus_class", "main_group")


def _params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    chosen = {**LATENT_MAP_PARAMS, **(params or {})}
    if chosen["latent_dim"] != 2:
        raise ValueError(
            "The 'latent_dim' parameter of the latent map must be 2 (it is drawn in a plane). "
            f"Got {chosen['latent_dim']!r} instead."
        )
    return chosen


def _jsonable(params: Mapping[str, Any]) -> dict[str, Any]:
    """Hyperparameters as JSON values (tuples become lists; the seed must be an int)."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, tuple):
            value = list(value)
        if not isinstance(value, int | float | str | bool | list | type(None)):
            raise DataError(
                f"The latent map's parameter {key!r} must be a JSON value (an int seed, a "
                f"number…) to be saved; got {type(value).__name__}."
            )
        out[key] = value
    return out


def _from_json(params: Mapping[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()}


def _identity(objects: pd.DataFrame) -> tuple[tuple[str, ...], ...]:
    """Object ids, names (name, else designation, else id), Bus classes, main groups."""
    missing = [
        c for c in (schema.OBJECT_ID, schema.BUS_CLASS, schema.MAIN_GROUP) if c not in objects
    ]
    if missing:
        raise SpectrumError(
            f"The latent map's spectra need the columns {', '.join(missing)} in `objects`; "
            f"got {', '.join(map(str, objects.columns))}. Pass labelled spectra "
            "(SpectralSet.labelled())."
        )
    ids = objects[schema.OBJECT_ID].astype(str)
    names = ids.copy()
    for column in (schema.DESIGNATION, schema.NAME):  # the later one wins
        if column in objects:
            present = objects[column].notna()
            names[present] = objects.loc[present, column].astype(str)
    return (
        tuple(ids),
        tuple(names),
        tuple(objects[schema.BUS_CLASS].astype(str)),
        tuple(objects[schema.MAIN_GROUP].astype(str)),
    )


def _data_digest(data: SpectralSet) -> str:
    digest = hashlib.sha256(np.ascontiguousarray(data.reflectance, dtype=np.float64).tobytes())
    digest.update(np.ascontiguousarray(data.wavelength, dtype=np.float64).tobytes())
    for column in (schema.OBJECT_ID, schema.BUS_CLASS, schema.MAIN_GROUP):
        if column in data.objects:
            digest.update("\x1f".join(data.objects[column].astype(str)).encode())
    return digest.hexdigest()


def latent_map_path(
    settings: Settings | None = None,
    *,
    data: SpectralSet | None = None,
    params: Mapping[str, Any] | None = None,
) -> Path:
    """Where :func:`latent_map` caches the map of `data` trained with `params`.

    Parameters
    ----------
    settings : Settings, optional
        Cache location (default: from the environment).
    data : SpectralSet, optional
        Training spectra (default: the labelled SMASSII spectra, identified by the
        registered sha256 of their files, so they are not loaded here).
    params : Mapping, optional
        Autoencoder parameters replacing those of :data:`LATENT_MAP_PARAMS`.

    Returns
    -------
    Path
        ``<cache>/latent-map-<digest>``.
    """
    from asteroid_spectra.data.registry import collection

    settings = get_settings() if settings is None else settings
    if data is None:
        source: Any = [f.sha256 for f in collection("smass2")]
    else:
        source = _data_digest(data)
    key = json.dumps(
        {
            "package": __version__,
            "format": FORMAT,
            "params": _jsonable(_params(params)),
            "data": source,
        },
        sort_keys=True,
    )
    digest = hashlib.sha256(key.encode()).hexdigest()[:12]
    return settings.cache_dir / f"latent-map-{digest}"


def latent_map(
    settings: Settings | None = None,
    *,
    data: SpectralSet | None = None,
    params: Mapping[str, Any] | None = None,
) -> LatentMap:
    """Return the latent map, training and caching it on first use.

    The first call in a process loads the map from the cache (verifying the weights'
    sha256) or, if there is none or it fails verification, trains it (about 20 s for the
    1339 SMASSII spectra) and writes it there. Later calls return the same object.
    Thread-safe: concurrent first calls train once.

    Parameters
    ----------
    settings : Settings, optional
        Cache location (default: from the environment).
    data : SpectralSet, optional
        Training spectra (default: ``load_spectra("smass2").labelled()``).
    params : Mapping, optional
        Autoencoder parameters replacing those of :data:`LATENT_MAP_PARAMS` (for tests
        and studies; ``latent_dim`` must stay 2).

    Returns
    -------
    LatentMap
    """
    path = latent_map_path(settings, data=data, params=params)
    with _LOCK:
        if path in _MEMORY:
            return _MEMORY[path]
        atlas: LatentMap | None = None
        if path.is_dir():
            try:
                atlas = LatentMap.load(path)
            except DataError:
                atlas = None  # corrupt or stale: trained again below
        if atlas is None:
            if data is None:
                from asteroid_spectra.spectra.sets import load_spectra

                data = load_spectra("smass2", settings=settings).labelled()
            atlas = LatentMap.fit(data, params)
            atlas.save(path)
        _MEMORY[path] = atlas
        return atlas


def clear_latent_maps() -> None:
    """Forget the maps kept in memory (the disk cache stays); the next call reloads."""
    with _LOCK:
        _MEMORY.clear()
