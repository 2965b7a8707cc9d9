"""Cross-validation splits that keep each asteroid (or group of spectra) in one fold.

When one asteroid has several spectra — from several surveys, or copies of one spectrum —
a plain stratified K-fold would test a model on an asteroid it trained on. The
evaluations of this package that have groups (cross-survey, leave-one-survey-out,
Bus-DeMeo, a user's labelled spectra) all split with :func:`grouped_splits`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["Splits", "grouped_splits"]


Splits = list[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]]
"""``(train, test)`` index pairs, one per fold."""


def grouped_splits(
    groups: npt.ArrayLike, y: npt.ArrayLike, *, folds: int = 5, repeats: int = 5, seed: int = 0
) -> Splits:
    """Repeated stratified K-fold splits that keep each group (asteroid) in one fold.

    Each repeat is a :class:`~sklearn.model_selection.StratifiedGroupKFold` shuffled with
    seed ``seed + repeat``; with one row per group it is a stratified K-fold.

    Parameters
    ----------
    groups : array_like, shape (n,)
        Group of each row (e.g. its ``object_id``).
    y : array_like, shape (n,)
        Labels to stratify on.
    folds, repeats, seed : int
        The splitting scheme.

    Returns
    -------
    list of (train, test)
        ``folds * repeats`` index pairs into the rows.

    Examples
    --------
    >>> splits = grouped_splits(["a", "a", "b", "c", "d", "d"], list("xxyxyy"), folds=2, repeats=1)
    >>> all(len({"aabcdd"[i] for i in test} & {"aabcdd"[i] for i in train}) == 0
    ...     for train, test in splits)
    True
    """
    from sklearn.model_selection import StratifiedGroupKFold

    labels = np.asarray(y).astype(str)
    keys = np.asarray(groups).astype(str)
    splits: Splits = []
    for repeat in range(repeats):
        splitter = StratifiedGroupKFold(folds, shuffle=True, random_state=seed + repeat)
        splits.extend(splitter.split(np.zeros(len(labels)), labels, keys))
    return splits
