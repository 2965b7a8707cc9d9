"""A 2-D map of the SMASSII spectra, for placing a user's spectrum among them.

:class:`LatentMap` is the two-dimensional :class:`~.autoencoder.AutoencoderEmbedding` of
the latent-space study (seed 0, default architecture) fitted on the 1339 labelled
SMASSII spectra (Bus & Binzel 2002, Icarus 158, 146-177), together with the reference
spectra's coordinates and labels. :func:`latent_map` trains it on first use (about 20 s
on one core) and caches it (:func:`~asteroid_spectra.data.cache.cached`) as an artifact
(:mod:`asteroid_spectra.data.artifacts`), then keeps it in memory:

``<cache>/latent-map-<digest>/card.json``
    Hyperparameters, input scaling (``offset_``, ``scale_``), training history, the
    reference spectra's object ids, names and classes, and the sha256 of the other files,
    checked on load.
``arrays.safetensors``
    The grid and the reference coordinates.
``weights.safetensors``
    The network's state dict (nothing is unpickled).

The digest covers the package version, the hyperparameters and the training spectra, so
an upgrade or other data train a new map. A cache that fails verification is retrained.

References
----------
Bus, S. J. & Binzel, R. P. (2002). Phase II of the Small Main-Belt Asteroid Spectroscopic
Survey: a feature-based taxonomy. Icarus 158, 146-177.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from asteroid_spectra import schema
from asteroid_spectra.cluster.latent_params import map_params, params_from_json, params_to_json
from asteroid_spectra.config import Settings
from asteroid_spectra.data.artifacts import ArtifactFiles, open_artifact, save_artifact
from asteroid_spectra.data.cache import cache_path, cached
from asteroid_spectra.exceptions import DataError, SpectrumError

if TYPE_CHECKING:
    import pandas as pd

    from asteroid_spectra.cluster.autoencoder import AutoencoderEmbedding
    from asteroid_spectra.spectra.sets import SpectralSet

__all__ = ["LatentMap", "latent_map", "latent_map_path"]

KIND = "latent-map"
"""Artifact kind of a saved map."""

WEIGHTS = "weights.safetensors"
ARRAYS = "arrays.safetensors"
META = "card.json"

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
            :data:`~.latent_params.LATENT_MAP_PARAMS` (``latent_dim`` must stay 2).

        Returns
        -------
        LatentMap

        Raises
        ------
        SpectrumError
            If a spectrum has missing samples or a label column is missing.
        ParameterError
            If `params` asks for another latent dimension than 2.
        """
        from threadpoolctl import threadpool_limits

        from asteroid_spectra.cluster.autoencoder import AutoencoderEmbedding

        chosen = map_params(params)
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
            :func:`~asteroid_spectra.spectra.coverage.prepare` gives for a spectrum
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
                "(spectra.coverage.prepare), which needs coverage of the whole range."
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

        Returns
        -------
        Path
            The directory.
        """
        from asteroid_spectra._version import __version__

        embedding = self.embedding
        card = {
            "package": __version__,
            "params": params_to_json(embedding.get_params()),
            "n_features_in": int(embedding.n_features_in_),
            "offset": float(embedding.offset_),
            "scale": float(embedding.scale_),
            "best_epoch": int(embedding.best_epoch_),
            "history": embedding.history_,
            **{key: list(getattr(self, key)) for key in _IDENTITY},
        }

        def write(files: ArtifactFiles) -> None:
            files.write_tensors(
                WEIGHTS.removesuffix(".safetensors"), embedding.module_.state_dict()
            )
            files.write_arrays(
                ARRAYS.removesuffix(".safetensors"),
                {"wavelength": self.wavelength, "coordinates": self.coordinates},
            )

        return save_artifact(directory, KIND, card, write, overwrite=True)

    @classmethod
    def load(cls, directory: str | Path) -> LatentMap:
        """Load a map written by :meth:`save`, after verifying every file's sha256.

        Raises
        ------
        ChecksumError
            If a file differs from the hash recorded in its card.
        DataError
            If a file is missing or malformed, or the reloaded network does not give the
            recorded coordinates.
        """
        from asteroid_spectra.cluster.autoencoder import AutoencoderEmbedding, ConvAutoencoder

        directory = Path(directory)
        artifact = open_artifact(directory, KIND)
        meta = artifact.card
        try:
            embedding = AutoencoderEmbedding(**params_from_json(meta["params"]))
            module = ConvAutoencoder(
                int(meta["n_features_in"]),
                embedding.latent_dim,
                tuple(embedding.channels),
                embedding.kernel_size,
            )
            module.load_state_dict(artifact.tensors(WEIGHTS.removesuffix(".safetensors")))
            module.eval()
            embedding.module_ = module
            embedding.n_features_in_ = int(meta["n_features_in"])
            embedding.offset_ = float(meta["offset"])
            embedding.scale_ = float(meta["scale"])
            embedding.best_epoch_ = int(meta["best_epoch"])
            embedding.history_ = list(meta["history"])
            arrays = artifact.arrays(ARRAYS.removesuffix(".safetensors"))
            atlas = cls(
                embedding,
                np.asarray(arrays["wavelength"], dtype=np.float64),
                np.asarray(arrays["coordinates"], dtype=np.float64),
                *(tuple(str(v) for v in meta[k]) for k in _IDENTITY),
            )
        except (KeyError, TypeError, ValueError, RuntimeError) as error:
            raise DataError(
                f"{directory} does not hold a usable latent map ({error}); delete it and the "
                "map will be trained again."
            ) from None
        rebuilt = atlas.embedding.transform(np.ones((1, atlas.wavelength.size)))
        lengths = {len(getattr(atlas, k)) for k in _IDENTITY} | {len(atlas.coordinates)}
        if len(lengths) != 1 or rebuilt.shape != (1, 2):
            raise DataError(
                f"{directory / META} is inconsistent: coordinates and labels have lengths "
                f"{sorted(lengths)} and the network gives {rebuilt.shape[1]} dimensions, "
                f"expected one length and 2. Delete {directory} to train the map again."
            )
        return atlas


_IDENTITY = ("object_id", "name", "bus_class", "main_group")


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
        Autoencoder parameters replacing those of :data:`~.latent_params.LATENT_MAP_PARAMS`.

    Returns
    -------
    Path
        ``<cache>/latent-map-<digest>``.
    """
    from asteroid_spectra.data.registry import collection

    source: Any = [f.sha256 for f in collection("smass2")] if data is None else _data_digest(data)
    recipe = {"params": params_to_json(map_params(params)), "data": source}
    return cache_path("latent-map", recipe, folder="", settings=settings)


def latent_map(
    settings: Settings | None = None,
    *,
    data: SpectralSet | None = None,
    params: Mapping[str, Any] | None = None,
) -> LatentMap:
    """Return the latent map, training and caching it on first use.

    The first call in a process loads the map from the cache (verifying every file's
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
        Autoencoder parameters replacing those of
        :data:`~.latent_params.LATENT_MAP_PARAMS` (for tests and studies; ``latent_dim``
        must stay 2).

    Returns
    -------
    LatentMap
    """

    def build() -> LatentMap:
        spectra = data
        if spectra is None:
            from asteroid_spectra.spectra.sets import load_spectra

            spectra = load_spectra("smass2", settings=settings).labelled()
        return LatentMap.fit(spectra, params)

    return cached(
        latent_map_path(settings, data=data, params=params),
        build,
        load=LatentMap.load,
        save=lambda atlas, path: atlas.save(path),
    )
