"""The one format of everything the package saves: a directory with a card and its files.

An *artifact* — a trained taxonomy model, the latent map — is a directory:

``card.json``
    JSON: ``artifact`` (:data:`FORMAT`), ``kind`` (what it is, e.g. ``"taxonomy-model"``),
    whatever describes it (recipe, classes, grid, training data, metrics, versions) and
    ``files``, the sha256 of every other file, checked before any of them is read.
``*.safetensors``
    Arrays (:mod:`safetensors` numpy format) and network weights (state dicts).
``*.skops``
    Only for fitted scikit-learn objects, written with :mod:`skops.io` and loaded only if
    every type in the file is on the caller's explicit trusted list (nothing is unpickled).

:func:`save_artifact` writes the files into a staging directory that replaces the
destination only once complete (:func:`~asteroid_spectra.data.files.atomic_directory`);
:func:`open_artifact` verifies the card and every file before handing them out.

Examples
--------
>>> import numpy as np, tempfile
>>> target = Path(tempfile.mkdtemp()) / "demo"
>>> _ = save_artifact(target, "demo", {"note": "hi"},
...                   lambda files: files.write_arrays("arrays", {"x": np.arange(3.0)}))
>>> opened = open_artifact(target, "demo")
>>> opened.card["note"], opened.arrays("arrays")["x"].tolist()
('hi', [0.0, 1.0, 2.0])
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from asteroid_spectra.data.files import atomic_directory, sha256
from asteroid_spectra.data.jsonable import json_default
from asteroid_spectra.exceptions import ChecksumError, DataError

__all__ = [
    "CARD",
    "FORMAT",
    "Artifact",
    "ArtifactFiles",
    "open_artifact",
    "read_card",
    "save_artifact",
    "skops_types",
]

CARD = "card.json"
"""Name of the card file."""

FORMAT = "asteroid-spectra artifact 1"
"""Value of the card's ``artifact`` key: the format of the directory."""


class ArtifactFiles:
    """The files of an artifact being written (into its staging directory).

    Parameters
    ----------
    directory : Path
        The staging directory.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.names: list[str] = []

    def path(self, name: str) -> Path:
        """Register a file `name` written by the caller and return where to write it."""
        if "/" in name or name in (CARD, "") or name.startswith("."):
            raise DataError(f"An artifact file needs a plain name other than {CARD}; got {name!r}.")
        self.names.append(name)
        return self.directory / name

    def write_arrays(self, stem: str, arrays: Mapping[str, npt.ArrayLike]) -> None:
        """Write named numpy arrays to ``<stem>.safetensors``."""
        from safetensors.numpy import save_file

        contiguous = {key: np.ascontiguousarray(value) for key, value in arrays.items()}
        save_file(contiguous, str(self.path(f"{stem}.safetensors")))

    def write_tensors(self, stem: str, state: Mapping[str, Any]) -> None:
        """Write a torch state dict to ``<stem>.safetensors``."""
        from safetensors.torch import save_file

        tensors = {key: value.detach().contiguous() for key, value in state.items()}
        save_file(tensors, str(self.path(f"{stem}.safetensors")))

    def write_skops(self, stem: str, obj: Any, trusted: list[str]) -> None:
        """Write a fitted scikit-learn object to ``<stem>.skops``.

        Raises
        ------
        DataError
            If the file would hold a type outside `trusted` (nothing is saved).
        """
        import skops.io as sio

        path = self.path(f"{stem}.skops")
        sio.dump(obj, path)
        untrusted = sorted(skops_types(path) - set(trusted))
        if untrusted:
            raise DataError(
                f"This object contains types that cannot be loaded safely: "
                f"{', '.join(untrusted)}. It was not saved; choose one without them."
            )


def save_artifact(
    directory: str | Path,
    kind: str,
    card: Mapping[str, Any],
    write: Callable[[ArtifactFiles], None],
    *,
    overwrite: bool = False,
) -> Path:
    """Write an artifact: `write` fills the files, then the card records their sha256.

    Parameters
    ----------
    directory : str or Path
        Destination (created; replaced atomically when `overwrite`).
    kind : str
        What the artifact is (checked by :func:`open_artifact`).
    card : Mapping
        JSON-ready description (``artifact``, ``kind`` and ``files`` are set here).
    write : callable
        ``write(files)`` writes the artifact's files through :class:`ArtifactFiles`.
    overwrite : bool
        Replace an existing directory.

    Returns
    -------
    Path
        The directory.

    Raises
    ------
    DataError
        If `directory` exists and `overwrite` is False, or a file cannot be written.
    """
    directory = Path(directory)
    with atomic_directory(directory, overwrite=overwrite) as staging:
        files = ArtifactFiles(staging)
        write(files)
        content = {
            **card,
            "artifact": FORMAT,
            "kind": kind,
            "files": {name: sha256(staging / name) for name in files.names},
        }
        text = json.dumps(content, indent=2, sort_keys=True, default=json_default)
        (staging / CARD).write_text(text, encoding="utf-8")
    return directory


def read_card(directory: str | Path) -> dict[str, Any]:
    """Return the card of a saved artifact (not verified: see :func:`open_artifact`).

    Raises
    ------
    DataError
        If the card is missing or not JSON.
    """
    path = Path(directory) / CARD
    try:
        card: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DataError(
            f"{path} is missing or not a model card ({error}); is {directory} a saved model?"
        ) from None
    if not isinstance(card, dict):
        raise DataError(
            f"{path} is not a model card (a JSON object); is {directory} a saved model?"
        )
    return card


@dataclass(frozen=True)
class Artifact:
    """An opened artifact whose files have been verified against its card.

    Attributes
    ----------
    directory : Path
        Where it is.
    card : dict
        The card.
    """

    directory: Path
    card: dict[str, Any]

    def path(self, name: str) -> Path:
        """Return the path of the verified file `name`.

        Raises
        ------
        DataError
            If the card lists no such file.
        """
        if name not in self.card["files"]:
            raise DataError(
                f"The artifact in {self.directory} has no file {name!r} (it lists "
                f"{', '.join(sorted(self.card['files'])) or 'none'})."
            )
        return self.directory / name

    def has(self, name: str) -> bool:
        """Whether the card lists file `name`."""
        return name in self.card["files"]

    def arrays(self, stem: str) -> dict[str, npt.NDArray[Any]]:
        """Read the named arrays of ``<stem>.safetensors``."""
        from safetensors.numpy import load_file

        return dict(load_file(str(self.path(f"{stem}.safetensors"))))

    def tensors(self, stem: str) -> dict[str, Any]:
        """Read the torch state dict of ``<stem>.safetensors``."""
        from safetensors.torch import load_file

        return dict(load_file(str(self.path(f"{stem}.safetensors"))))

    def skops(self, stem: str, trusted: list[str]) -> Any:
        """Load the scikit-learn object of ``<stem>.skops`` if every type in it is trusted.

        Raises
        ------
        DataError
            If the file names a type outside `trusted` (nothing is instantiated).
        """
        import skops.io as sio

        path = self.path(f"{stem}.skops")
        # skops trusts every public scikit-learn type by default; the list decides here.
        found = set(sio.get_untrusted_types(file=path)) | skops_types(path)
        untrusted = sorted(found - set(trusted))
        if untrusted:
            raise DataError(
                f"{path} contains types that are not trusted: {', '.join(untrusted)}. "
                "Refusing to load it."
            )
        return sio.load(path, trusted=trusted)


def open_artifact(directory: str | Path, kind: str) -> Artifact:
    """Open a saved artifact of `kind` after verifying every file's sha256.

    Raises
    ------
    DataError
        If the card is missing, of another format or kind, or a file is missing.
    ChecksumError
        If a file differs from the hash recorded in the card.
    """
    directory = Path(directory)
    card = read_card(directory)
    if card.get("artifact") != FORMAT or card.get("kind") != kind:
        raise DataError(
            f"{directory} holds a {card.get('kind')!r} artifact of format "
            f"{card.get('artifact')!r}; expected a {kind!r} artifact of format {FORMAT!r}. "
            "Save it again with this version of asteroid-spectra."
        )
    files = card.get("files")
    if not isinstance(files, dict):
        raise DataError(f"The card in {directory} lists no files; the artifact is incomplete.")
    for name, expected in files.items():
        path = directory / name
        if not path.is_file():
            raise DataError(f"{path} is missing; the saved model in {directory} is incomplete.")
        actual = sha256(path)
        if actual != expected:
            raise ChecksumError(
                f"sha256 of {path} does not match its model card: expected {expected}, got "
                f"{actual}. The model was modified or corrupted; do not use it, train it again."
            )
    return Artifact(directory, card)


def skops_types(path: str | Path) -> set[str]:
    """Every type named in a skops file, except the builtin and numpy ones skops vets."""
    import zipfile

    names: set[str] = set()
    with zipfile.ZipFile(path) as archive:
        pending: list[Any] = [json.loads(archive.read("schema.json"))]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            module, name = node.get("__module__"), node.get("__class__")
            if (
                isinstance(module, str)
                and isinstance(name, str)
                and module.split(".")[0] not in ("builtins", "numpy")
            ):
                names.add(f"{module}.{name}")
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return names
