"""The result of classifying one spectrum, in the shapes the CLI and the HTTP API print."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from asteroid_spectra.schema import MAIN_GROUPS

__all__ = ["Classification", "table_columns"]


@dataclass(frozen=True)
class Classification:
    """Classification of one spectrum, or why it failed.

    Attributes
    ----------
    source : str
        File name, or the name given with the spectrum.
    main_group : str or None
        Most probable of C, S, X, Other.
    main_group_probability : float or None
        Its probability.
    bus_class : str or None
        Most probable Bus class (``"<group>*"`` for a group's rare classes learnt
        together, e.g. ``"Other*"`` for O and R), when the model learnt Bus classes.
    bus_probability : float or None
        Its probability.
    probabilities : dict
        Calibrated probability of each main group.
    bus_probabilities : dict
        Calibrated probability of each Bus class the model learnt.
    uncertain : bool or None
        True when the main group's probability is below the model's abstention
        threshold (0.5): treat the class as a guess.
    bus_uncertain : bool or None
        The same for the Bus class.
    demeo_class, demeo_probability, demeo_probabilities, demeo_uncertain
        The same for the Bus-DeMeo taxonomy (DeMeo et al. 2009), when the spectrum
        covers the near infrared (a trailing ``w``: a weathered, redder spectrum).
    tholen_class, tholen_probability, tholen_probabilities, tholen_uncertain
        The same for the Tholen (1984) taxonomy, when the spectrum covers the ECAS
        filters (0.337-1.041 µm).
    ood_score : float or None
        Distance to the training spectra in units of their own 99th-percentile spacing:
        above 1, the spectrum is unlike the training set and the classification an
        extrapolation.
    wavelength_min, wavelength_max : float or None
        Wavelength range used (µm) by the model that gave the main group (the Bus one
        if the spectrum covers the visible, else the Bus-DeMeo one, else the Tholen one).
    n_points : int or None
        Grid points that model used.
    model : str or None
        Its name.
    notes : tuple of str
        Repairs and choices made on the way (junk rows dropped, gaps filled…).
    error : str or None
        Why the spectrum could not be classified; the other fields are then None.
    """

    source: str
    main_group: str | None = None
    main_group_probability: float | None = None
    bus_class: str | None = None
    bus_probability: float | None = None
    probabilities: dict[str, float] = field(default_factory=dict)
    bus_probabilities: dict[str, float] = field(default_factory=dict)
    uncertain: bool | None = None
    bus_uncertain: bool | None = None
    demeo_class: str | None = None
    demeo_probability: float | None = None
    demeo_probabilities: dict[str, float] = field(default_factory=dict)
    demeo_uncertain: bool | None = None
    tholen_class: str | None = None
    tholen_probability: float | None = None
    tholen_probabilities: dict[str, float] = field(default_factory=dict)
    tholen_uncertain: bool | None = None
    ood_score: float | None = None
    wavelength_min: float | None = None
    wavelength_max: float | None = None
    n_points: int | None = None
    model: str | None = None
    notes: tuple[str, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True if the spectrum was classified."""
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary of every field."""
        return {
            "source": self.source,
            "main_group": self.main_group,
            "main_group_probability": self.main_group_probability,
            "bus_class": self.bus_class,
            "bus_probability": self.bus_probability,
            "probabilities": dict(self.probabilities),
            "bus_probabilities": dict(self.bus_probabilities),
            "uncertain": self.uncertain,
            "bus_uncertain": self.bus_uncertain,
            "demeo_class": self.demeo_class,
            "demeo_probability": self.demeo_probability,
            "demeo_probabilities": dict(self.demeo_probabilities),
            "demeo_uncertain": self.demeo_uncertain,
            "tholen_class": self.tholen_class,
            "tholen_probability": self.tholen_probability,
            "tholen_probabilities": dict(self.tholen_probabilities),
            "tholen_uncertain": self.tholen_uncertain,
            "ood_score": self.ood_score,
            "wavelength_min": self.wavelength_min,
            "wavelength_max": self.wavelength_max,
            "n_points": self.n_points,
            "model": self.model,
            "notes": list(self.notes),
            "error": self.error,
        }

    def to_row(self, target: str = "all") -> dict[str, Any]:
        """Flat row of the columns of `target` (see :func:`table_columns`)."""
        row: dict[str, Any] = {
            "source": self.source,
            "main_group": self.main_group,
            "bus_class": self.bus_class,
        }
        for group in MAIN_GROUPS:
            row[f"p_{group}"] = self.probabilities.get(group) if self.ok else None
        row.update(
            {
                "main_group_probability": self.main_group_probability,
                "bus_probability": self.bus_probability,
                "uncertain": self.uncertain,
                "bus_uncertain": self.bus_uncertain,
                **{
                    f"{taxonomy}_{field_}": getattr(self, f"{taxonomy}_{field_}")
                    for taxonomy in ("demeo", "tholen")
                    for field_ in ("class", "probability", "uncertain")
                },
                "ood_score": self.ood_score,
                "wavelength_min": self.wavelength_min,
                "wavelength_max": self.wavelength_max,
                "model": self.model,
                "notes": "; ".join(self.notes),
                "error": self.error or "",
            }
        )
        return {column: row[column] for column in table_columns(target)}


def table_columns(target: str = "all") -> list[str]:
    """Columns of the CSV and table output for `target`.

    ``main-group``, ``bus``, ``demeo``, ``tholen`` or ``all`` (every taxonomy).
    """
    main = ["main_group", *(f"p_{g}" for g in MAIN_GROUPS), "uncertain"]
    taxonomies = {
        name: [f"{name}_class", f"{name}_probability", f"{name}_uncertain"]
        for name in ("bus", "demeo", "tholen")
    }
    chosen = {
        "main-group": main,
        **taxonomies,
        "all": [*main, *(c for columns in taxonomies.values() for c in columns)],
    }[target]
    return [
        "source",
        *chosen,
        "ood_score",
        "wavelength_min",
        "wavelength_max",
        "model",
        "notes",
        "error",
    ]
