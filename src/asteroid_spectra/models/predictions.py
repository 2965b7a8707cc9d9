"""What a taxonomy model says about a batch of spectra, in one shape for every consumer.

:class:`Predictions` is the only place classification rows are built: the probabilities
of the model's classes and (for models that learnt Bus classes) of the Bus classes, the
most probable class and its probability, the abstention flag and the OOD score, each an
array over the batch. Consumers adapt it: the catalogue takes the arrays
(:attr:`Predictions.main_group` …), the CLI, the HTTP API and :func:`asteroid_spectra.classify`
take :meth:`Predictions.records`, tables take :meth:`Predictions.frame`.

A model of a taxonomy's classes (target ``bus``, ``demeo`` or ``tholen``) also reports
main groups: their probabilities are the sums of their classes'
(:func:`~asteroid_spectra.schema.taxonomy_main_group`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.schema import MAIN_GROUPS, taxonomy_main_group

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DEFAULT_THRESHOLD", "Predictions"]

FloatArray = npt.NDArray[np.float64]

DEFAULT_THRESHOLD = 0.5
"""Default minimum top-class probability of a confident classification: below it the model
finds it more likely than not that the spectrum belongs to another class (abstention)."""


def _group_of(taxonomy: str, label: str) -> str:
    """Return the main group of a class of `taxonomy`, or of a pseudo-class ``"<x>*"``.

    A pseudo-class gathers a group's rare classes (``"Other*"``) or, for a taxonomy's own
    target, a rare class alone (``"O*"``).
    """
    base = label[:-1] if label.endswith("*") else label
    return base if base in MAIN_GROUPS else taxonomy_main_group(taxonomy, base)


def _top(classes: tuple[str, ...], proba: FloatArray) -> tuple[npt.NDArray[np.object_], FloatArray]:
    best = proba.argmax(axis=1)
    return np.asarray(classes, dtype=object)[best], proba[np.arange(len(best)), best]


@dataclass(frozen=True, eq=False)
class Predictions:
    """Classification of a batch of spectra by one model.

    Attributes
    ----------
    target : str
        ``"x-vs-rest"``, ``"main-group"`` or ``"bus"``.
    classes : tuple of str
        The model's classes, the columns of :attr:`probabilities`.
    probabilities : ndarray, shape (n, len(classes))
        Calibrated probabilities.
    ood_score : ndarray, shape (n,)
        Out-of-distribution score (above 1: unlike every training spectrum).
    threshold : float
        Abstention threshold on the top probability.
    fine_classes : tuple of str or None
        Bus classes a grouped model learnt (``"<group>*"`` for a group's rare classes).
    fine_probabilities : ndarray, shape (n, len(fine_classes)), or None
        Their probabilities (the coarse ones are their sums).
    fine_taxonomy : str
        Taxonomy of `fine_classes` (``bus``, ``demeo`` or ``tholen``), which names the
        fields of :meth:`records` (``bus_class``, ``demeo_class``…) and decides the main
        groups.
    """

    target: str
    classes: tuple[str, ...]
    probabilities: FloatArray
    ood_score: FloatArray
    threshold: float
    fine_classes: tuple[str, ...] | None = None
    fine_probabilities: FloatArray | None = None
    fine_taxonomy: str = "bus"

    def __len__(self) -> int:
        return len(self.probabilities)

    # --- the model's own target -------------------------------------------------------
    @cached_property
    def _best(self) -> tuple[npt.NDArray[np.object_], FloatArray]:
        return _top(self.classes, self.probabilities)

    @property
    def label(self) -> npt.NDArray[np.object_]:
        """Most probable class of the model's target."""
        return self._best[0]

    @property
    def probability(self) -> FloatArray:
        """Its probability."""
        return self._best[1]

    @property
    def uncertain(self) -> npt.NDArray[np.bool_]:
        """True where the top probability is below :attr:`threshold` (abstention)."""
        return np.asarray(self.probability < self.threshold)

    # --- main groups ------------------------------------------------------------------
    @cached_property
    def _groups(self) -> tuple[tuple[str, ...], FloatArray] | None:
        """Main groups (C, S, X, Other order) and their probabilities, if the target has them."""
        if self.target == "main-group":
            index = [self.classes.index(g) for g in MAIN_GROUPS if g in self.classes]
            return tuple(self.classes[i] for i in index), self.probabilities[:, index]
        if self.target in ("bus", "demeo", "tholen"):
            membership = np.zeros((len(self.classes), len(MAIN_GROUPS)))
            for i, label in enumerate(self.classes):
                membership[i, MAIN_GROUPS.index(_group_of(self.taxonomy, label))] = 1.0
            return tuple(MAIN_GROUPS), self.probabilities @ membership
        return None

    @property
    def groups(self) -> tuple[str, ...]:
        """Main groups reported, in the order C, S, X, Other (empty for x-vs-rest)."""
        return () if self._groups is None else self._groups[0]

    @property
    def group_probabilities(self) -> FloatArray:
        """Probabilities of :attr:`groups`, shape (n, len(groups))."""
        if self._groups is None:
            return np.empty((len(self), 0))
        return self._groups[1]

    @cached_property
    def _group_best(self) -> tuple[npt.NDArray[np.object_], FloatArray]:
        return _top(self.groups, self.group_probabilities)

    @property
    def main_group(self) -> npt.NDArray[np.object_]:
        """Most probable main group (main-group and bus models)."""
        return self._group_best[0]

    @property
    def main_group_probability(self) -> FloatArray:
        """Its probability."""
        return self._group_best[1]

    @property
    def main_group_uncertain(self) -> npt.NDArray[np.bool_]:
        """True where the main group's probability is below :attr:`threshold`."""
        return np.asarray(self.main_group_probability < self.threshold)

    # --- the taxonomy's classes ---------------------------------------------------------
    @property
    def taxonomy(self) -> str:
        """Taxonomy of the fine classes.

        The target's own for a taxonomy's model; :attr:`fine_taxonomy` (by default
        ``bus``) for the learnt classes of a grouped model of a coarse target.
        """
        if self.target in ("bus", "demeo", "tholen"):
            return self.target
        return self.fine_taxonomy

    @property
    def taxonomy_classes(self) -> tuple[str, ...] | None:
        """Classes of :attr:`taxonomy` reported (a taxonomy model's, or the learnt ones)."""
        return self.classes if self.target == self.taxonomy else self.fine_classes

    @property
    def taxonomy_probabilities(self) -> FloatArray | None:
        """Their probabilities."""
        return self.probabilities if self.target == self.taxonomy else self.fine_probabilities

    @cached_property
    def _fine_best(self) -> tuple[npt.NDArray[np.object_], FloatArray] | None:
        classes, proba = self.taxonomy_classes, self.taxonomy_probabilities
        return None if classes is None or proba is None else _top(classes, proba)

    @property
    def fine_class(self) -> npt.NDArray[np.object_] | None:
        """Most probable class of :attr:`taxonomy`, or None if the model knows none."""
        return None if self._fine_best is None else self._fine_best[0]

    @property
    def fine_probability(self) -> FloatArray | None:
        """Its probability."""
        return None if self._fine_best is None else self._fine_best[1]

    @property
    def fine_uncertain(self) -> npt.NDArray[np.bool_] | None:
        """True where that class's probability is below :attr:`threshold`."""
        best = self.fine_probability
        return None if best is None else np.asarray(best < self.threshold)

    # --- adapters ---------------------------------------------------------------------
    def frame(self) -> pd.DataFrame:
        """One row per spectrum: the model's target, calibrated probabilities and flags.

        Columns: ``label``, ``probability`` (of the label), ``uncertain``, ``ood_score``,
        ``p_<class>`` for every class of the model, and for models that know a
        taxonomy's classes ``<taxonomy>_class`` and ``<taxonomy>_probability``
        (``bus_class``…).
        """
        import pandas as pd

        table = pd.DataFrame(
            {
                "label": self.label,
                "probability": self.probability,
                "uncertain": self.uncertain,
                "ood_score": self.ood_score,
            }
        )
        for i, label in enumerate(self.classes):
            table[f"p_{label}"] = self.probabilities[:, i]
        if self.fine_class is not None:
            table[f"{self.taxonomy}_class"] = self.fine_class
            table[f"{self.taxonomy}_probability"] = self.fine_probability
        return table

    def records(self) -> list[dict[str, Any]]:
        """One dictionary per spectrum with the fields of a classification result.

        ``main_group``, ``main_group_probability``, ``probabilities`` (main group →
        probability, in the order C, S, X, Other), ``uncertain``, ``ood_score`` (None
        where not finite) and, for models that know a taxonomy's classes,
        ``<taxonomy>_class``, ``_probability``, ``_probabilities`` and ``_uncertain``
        (``bus_class``, ``demeo_class``, ``tholen_class``…).
        """
        groups = self.groups
        if not groups:
            raise ParameterError(
                f"Classification records need a main-group or bus model; this is a "
                f"{self.target!r} model. Use its frame() instead."
            )
        ood = [value if np.isfinite(value) else None for value in self.ood_score.tolist()]
        out = [
            {
                "main_group": group,
                "main_group_probability": probability,
                "probabilities": dict(zip(groups, row, strict=True)),
                "uncertain": uncertain,
                "ood_score": score,
            }
            for group, probability, row, uncertain, score in zip(
                self.main_group.tolist(),
                self.main_group_probability.tolist(),
                self.group_probabilities.tolist(),
                self.main_group_uncertain.tolist(),
                ood,
                strict=True,
            )
        ]
        classes, proba = self.taxonomy_classes, self.taxonomy_probabilities
        if classes is not None and proba is not None and self.fine_class is not None:
            rows = zip(
                self.fine_class.tolist(),
                np.asarray(self.fine_probability).tolist(),
                proba.tolist(),
                np.asarray(self.fine_uncertain).tolist(),
                strict=True,
            )
            name = self.taxonomy
            for record, (label, probability, row, uncertain) in zip(out, rows, strict=True):
                record.update(
                    {
                        f"{name}_class": label,
                        f"{name}_probability": probability,
                        f"{name}_probabilities": dict(zip(classes, row, strict=True)),
                        f"{name}_uncertain": uncertain,
                    }
                )
        return out
