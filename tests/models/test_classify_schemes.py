"""Classifier across taxonomies: which schemes a coverage allows, how results merge.

The families are stubs (a fixed class per scheme, recording what they were given), so
these tests are about the classifier's bookkeeping: coverage per scheme, the main group
from the first scheme that classified, notes on the ranges used and on failures, errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

from asteroid_spectra.exceptions import CoverageError
from asteroid_spectra.models.classify import Classifier
from asteroid_spectra.models.schemes import SCHEMES, Scheme
from asteroid_spectra.schema import ECAS_WAVELENGTH, MAIN_GROUPS
from asteroid_spectra.spectra.spectrum import Spectrum

GROUP = {"bus": "S", "demeo": "Other", "tholen": "C"}
LABEL = {"bus": "Sq", "demeo": "V", "tholen": "G"}


@dataclass
class StubPredictions:
    scheme: str
    n: int

    def records(self) -> list[dict[str, Any]]:
        group = GROUP[self.scheme]
        row = {
            "main_group": group,
            "main_group_probability": 0.9,
            "probabilities": {g: 0.9 if g == group else 0.1 / 3 for g in MAIN_GROUPS},
            "uncertain": False,
            "ood_score": 0.5,
            f"{self.scheme}_class": LABEL[self.scheme],
            f"{self.scheme}_probability": 0.8,
            f"{self.scheme}_probabilities": {LABEL[self.scheme]: 0.8},
            f"{self.scheme}_uncertain": False,
        }
        return [dict(row) for _ in range(self.n)]


@dataclass
class StubModel:
    scheme: str
    wavelength: np.ndarray
    seen: list[np.ndarray] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"stub-{self.scheme}"

    def classify(self, values: np.ndarray) -> StubPredictions:
        assert values.shape[1] == self.wavelength.size
        self.seen.append(values)
        return StubPredictions(self.scheme, len(values))


@dataclass
class StubFamily:
    """A model per span, as the default families (one model for Tholen)."""

    scheme: Scheme
    models: dict[tuple[float, float], StubModel] = field(default_factory=dict)

    @property
    def rule(self) -> Any:
        return self.scheme.rule

    def get(self, span: tuple[float, float]) -> StubModel:
        grid = self.scheme.rule.grid
        if not self.scheme.per_span:
            if span[0] > grid[0] + 1e-9 or span[1] < grid[-1] - 1e-9:
                raise CoverageError("the Tholen stub needs the whole ECAS grid")
            span = (float(grid[0]), float(grid[-1]))
        keep = (grid >= span[0] - 1e-9) & (grid <= span[1] + 1e-9)
        return self.models.setdefault(span, StubModel(self.scheme.name, grid[keep]))


@pytest.fixture
def classifier() -> Classifier:
    stub = Classifier.__new__(Classifier)
    stub.families = tuple(StubFamily(scheme) for scheme in SCHEMES.values())  # type: ignore[misc]
    return stub


def sloped(start: float, stop: float, points: int = 600) -> Spectrum:
    wavelength = np.linspace(start, stop, points)
    return Spectrum(wavelength, 2 * (1 + 0.3 * (wavelength - 0.55)))


def test_a_visible_spectrum_gets_only_the_bus_class_and_no_noise(classifier: Classifier) -> None:
    (result,) = classifier.classify_spectra([sloped(0.44, 0.92)])
    assert (result.main_group, result.bus_class) == ("S", "Sq")
    assert (result.demeo_class, result.tholen_class) == (None, None)
    assert (result.wavelength_min, result.wavelength_max, result.model) == (0.44, 0.92, "stub-bus")
    assert result.notes == ()  # no data went unused, so the other taxonomies are not mentioned


def test_a_vis_nir_spectrum_gets_bus_and_demeo_classes_main_group_from_bus(
    classifier: Classifier,
) -> None:
    (result,) = classifier.classify_spectra([sloped(0.44, 2.46, 2000)])
    assert (result.main_group, result.bus_class, result.demeo_class) == ("S", "Sq", "V")
    assert result.tholen_class is None
    assert (result.wavelength_min, result.wavelength_max) == (0.44, 0.92)
    assert result.notes == (
        "Bus class from 0.44-0.92 µm; not used: 0.92-2.46 µm",
        "Bus-DeMeo class from 0.45-2.45 µm",
    )


def test_a_near_infrared_spectrum_gets_the_demeo_class_and_its_main_group(
    classifier: Classifier,
) -> None:
    (result,) = classifier.classify_spectra([sloped(0.82, 2.49)])
    assert (result.main_group, result.demeo_class, result.bus_class) == ("Other", "V", None)
    assert (result.wavelength_min, result.wavelength_max, result.model) == (
        0.85,
        2.45,
        "stub-demeo",
    )
    assert [n for n in result.notes if n.startswith("no ")] == [
        "no Bus class: needs at least 0.55-0.80 µm",
        "no Tholen class: needs at least 0.34-1.04 µm",
    ]
    assert "normalised at 1.2 µm: the spectrum does not cover 0.55 µm" in result.notes
    assert "Bus-DeMeo class from 0.85-2.45 µm; not used: 0.82-0.85 µm and 2.45-2.49 µm" in (
        result.notes
    )
    (demeo,) = classifier.families[1].models.values()  # type: ignore[attr-defined]
    (values,) = demeo.seen
    np.testing.assert_allclose(values[0, np.isclose(demeo.wavelength, 1.2)], 1.0)


def test_ecas_colours_get_the_tholen_class_and_a_visible_bus_class(
    classifier: Classifier,
) -> None:
    colours = Spectrum(ECAS_WAVELENGTH, np.array([0.9, 0.93, 0.97, 1.0, 1.04, 1.06, 1.05, 1.07]))
    (result,) = classifier.classify_spectra([colours])
    # 0.437-0.948 µm of the filters covers the Bus minimum: both taxonomies answer.
    assert (result.tholen_class, result.bus_class) == ("G", "Sq")
    assert result.main_group == "S"  # Bus first
    assert "Tholen class from 0.34-1.04 µm" in result.notes


def test_a_spectrum_no_taxonomy_can_use_gets_every_reason(classifier: Classifier) -> None:
    (result,) = classifier.classify_spectra([sloped(0.60, 0.95)])
    assert not result.ok
    assert result.main_group is None
    assert result.error is not None
    reasons = result.error.split(" Bus-DeMeo: ")
    assert reasons[0].startswith("Bus: The spectrum covers 0.600-0.950 µm; classification needs")
    assert "Bus-DeMeo classification needs at least 0.85-2.40 µm" in reasons[1]
    assert " Tholen: The spectrum covers 0.600-0.950 µm; Tholen classification" in reasons[1]


def test_spectra_of_each_scheme_are_classified_together(classifier: Classifier) -> None:
    spectra = [sloped(0.44, 0.92), sloped(0.44, 2.46, 2000), sloped(0.45, 0.90), sloped(0.82, 2.49)]
    results = classifier.classify_spectra(spectra)
    assert [r.bus_class for r in results] == ["Sq", "Sq", "Sq", None]
    assert [r.demeo_class for r in results] == [None, "V", None, "V"]
    bus, demeo, _ = classifier.families
    batches = {span: [len(v) for v in m.seen] for span, m in bus.models.items()}  # type: ignore[attr-defined]
    assert batches == {(0.44, 0.92): [2], (0.46, 0.90): [1]}  # one call per span
    assert {span: [len(v) for v in m.seen] for span, m in demeo.models.items()} == {  # type: ignore[attr-defined]
        (0.45, 2.45): [1],
        (0.85, 2.45): [1],
    }
