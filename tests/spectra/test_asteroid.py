"""Every spectrum of one asteroid: lookup, the spectra and their classes, ``asp.spectra``.

The observation table and the survey tables are small synthetic frames: ``observations``
and ``load_table`` are patched where :func:`~asteroid_spectra.spectra.asteroid.spectra_of`
imports them at call time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pytest

import asteroid_spectra
from asteroid_spectra import schema
from asteroid_spectra.config import Settings
from asteroid_spectra.data import datasets
from asteroid_spectra.data import observations as observations_module
from asteroid_spectra.data.observations import LABELS, OBSERVATION_COLUMNS, SPECTRAL_TABLES
from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.spectra.asteroid import AsteroidSpectra, find_asteroid, spectra_of
from asteroid_spectra.spectra.spectrum import Spectrum

NOT_FOUND = (
    "No spectrum of the asteroid {!r} in any survey (searched numbers, names and "
    "provisional designations)."
)
"""The message of an unknown asteroid, before any "Did you mean" hint."""


@dataclass
class Catalogue:
    """A synthetic observation table and the survey tables its rows come from."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    samples: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {survey: [] for survey in SPECTRAL_TABLES}
    )
    calls: list[tuple[str, str | None]] = field(default_factory=list)

    def add(
        self,
        survey: str,
        object_id: str,
        file: str,
        wavelength: Sequence[float],
        reflectance: Sequence[float],
        error: Sequence[float] | None = None,
        *,
        name: str | None = None,
        designation: str | None = None,
        **labels: str,
    ) -> None:
        """Add one spectrum: its row of the observation table and its samples."""
        finite = np.isfinite(reflectance)
        self.rows.append(
            {
                schema.OBJECT_ID: object_id,
                schema.NUMBER: int(object_id) if object_id.isdigit() else None,
                schema.DESIGNATION: designation,
                schema.NAME: name,
                schema.SURVEY: survey,
                schema.FILE: file,
                "wavelength_min": float(np.min(np.asarray(wavelength)[finite])),
                "wavelength_max": float(np.max(np.asarray(wavelength)[finite])),
                "n_points": int(finite.sum()),
                **{column: labels.get(column) for column in LABELS},
            }
        )
        for i, (w, r) in enumerate(zip(wavelength, reflectance, strict=True)):
            sample = {
                schema.OBJECT_ID: object_id,
                schema.WAVELENGTH: w,
                schema.REFLECTANCE: r,
            }
            if survey != "gaia-dr3":  # Gaia DR3's table has no file column
                sample[schema.FILE] = file
            if survey != "demeo2009":  # the Bus-DeMeo spectra have no errors
                sample[schema.ERROR] = np.nan if error is None else error[i]
            self.samples[survey].append(sample)

    def table(self) -> pd.DataFrame:
        frame = pd.DataFrame(self.rows, columns=list(OBSERVATION_COLUMNS))
        frame[schema.NUMBER] = frame[schema.NUMBER].astype("Int64")
        for column in (schema.OBJECT_ID, schema.DESIGNATION, schema.NAME, schema.FILE):
            frame[column] = frame[column].astype("string")
        for column in (schema.SURVEY, *LABELS):
            frame[column] = frame[column].astype("string")
        return frame

    def observations(self, settings: Settings | None = None, **kwargs: Any) -> pd.DataFrame:
        return self.table()

    def load_table(
        self, name: str, table: str | None = None, *, settings: Settings | None = None
    ) -> pd.DataFrame:
        self.calls.append((name, table))
        assert table == SPECTRAL_TABLES[name]
        frame = pd.DataFrame(self.samples[name])
        frame[schema.OBJECT_ID] = frame[schema.OBJECT_ID].astype("string")
        if schema.FILE in frame:
            frame[schema.FILE] = frame[schema.FILE].astype("string")
        return frame


# Vesta's samples, by survey and file (wavelength, reflectance, error or None).
VESTA = {
    ("smass2", "a000004.[2]"): ([0.44, 0.55, 0.70, 0.92], [np.nan, 1.0, 1.1, 0.8], [0.02] * 4),
    ("gaia-dr3", "4"): ([0.374, 0.55, 0.726, 1.034], [0.8, 1.0, 1.1, 0.9], [0.01] * 4),
    ("smass1", "a000004.[1]"): ([0.42, 0.55, 1.0], [0.9, 1.0, 0.7], None),
    ("irtf-spex", "data/p1/4_a.tab"): ([0.82, 1.5, 2.44], [0.8, 1.0, 0.9], [0.01, np.nan, 0.01]),
    ("irtf-spex", "data/p2/4_b.tab"): ([0.9, 1.6, 2.1, 2.5], [0.7, 1.1, 1.0, 1.0], None),
    ("demeo2009", "demeo.csv:350"): ([0.45, 0.55, 2.45], [0.9, 1.0, 1.2], None),
}
VESTA_LABELS = {"bus_class": "V", "demeo_class": "V", "tholen_class": "V"}


def standard_catalogue() -> Catalogue:
    """4 Vesta (6 spectra, 5 surveys), 36465 (2000 QR19, unnamed), 1995 BM2, 13 Egeria
    and 3 Juno and the two asteroids named Hygiea (10 and 2000 AB)."""
    c = Catalogue()
    for (survey, file), (wavelength, reflectance, error) in VESTA.items():
        c.add(survey, "4", file, wavelength, reflectance, error, name="Vesta", **VESTA_LABELS)
    c.add(
        "gaia-dr3",
        "36465",
        "36465",
        [0.4, 0.55, 0.9],
        [0.9, 1.0, 1.1],
        [0.01] * 3,
        designation="2000 QR19",
        primass_class="C",
    )
    c.add(
        "primass-l",
        "36465",
        "p/036465_1_vis.tab",
        [0.5, 0.55, 0.9],
        [1.0] * 3,
        designation="2000 QR19",
        primass_class="C",
    )
    c.add(
        "primass-l",
        "36465",
        "p/036465_2_vis.tab",
        [0.4, 0.55, 0.9],
        [1.0] * 3,
        designation="2000 QR19",
        primass_class="X",
    )
    c.add(
        "smass2",
        "1995 BM2",
        "au1995BM2.[2]",
        [0.44, 0.55, 0.92],
        [0.9, 1.0, 1.2],
        designation="1995 BM2",
        bus_class="Sq",
    )
    c.add("smass2", "13", "a000013.[2]", [0.44, 0.55, 0.92], [1.0] * 3, name="Egeria")
    c.add("smass2", "3", "a000003.[2]", [0.44, 0.55, 0.92], [1.0] * 3, name="Juno")
    c.add("smass2", "10", "a000010.[2]", [0.44, 0.55, 0.92], [1.0] * 3, name="Hygiea")
    c.add(
        "smass2",
        "2000 AB",
        "au2000AB.[2]",
        [0.44, 0.55, 0.92],
        [1.0] * 3,
        name="Hygiea",
        designation="2000 AB",
    )
    return c


@pytest.fixture
def catalogue(monkeypatch: pytest.MonkeyPatch) -> Catalogue:
    """The standard catalogue, served in place of the observation and survey tables."""
    c = standard_catalogue()
    monkeypatch.setattr(observations_module, "observations", c.observations)
    monkeypatch.setattr(datasets, "load_table", c.load_table)
    return c


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return standard_catalogue().table()


# --- find_asteroid ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "asteroid", [4, "4", " 4 ", "(4)", "(4) Vesta", "Vesta", "vesta", "VESTA", " vEsTa"]
)
def test_find_asteroid_by_number_or_name_in_any_case(table: pd.DataFrame, asteroid: Any) -> None:
    assert find_asteroid(asteroid, table) == "4"


@pytest.mark.parametrize("asteroid", ["1995 BM2", "1995BM2", "1995 bm2", "1995bm2"])
def test_find_asteroid_by_provisional_designation(table: pd.DataFrame, asteroid: str) -> None:
    assert find_asteroid(asteroid, table) == "1995 BM2"


def test_find_asteroid_by_the_provisional_designation_of_a_numbered_asteroid(
    table: pd.DataFrame,
) -> None:
    assert find_asteroid("2000 QR19", table) == "36465"


def test_unknown_asteroid_is_a_parameter_error_with_the_close_names(table: pd.DataFrame) -> None:
    with pytest.raises(ParameterError) as error:
        find_asteroid("Vestaa", table)
    assert str(error.value) == NOT_FOUND.format("Vestaa") + " Did you mean 'Vesta'?"


def test_several_close_names_are_suggested_best_first(table: pd.DataFrame) -> None:
    with pytest.raises(ParameterError) as error:
        find_asteroid("egera", table)
    # difflib ratio: egeria 0.909 — juno and vesta are too far (cutoff 0.8)
    assert str(error.value).endswith(" Did you mean 'Egeria'?")
    with pytest.raises(ParameterError) as error:
        find_asteroid("hygeia", table)  # several asteroids share the close name: once
    assert str(error.value) == NOT_FOUND.format("hygeia") + " Did you mean 'Hygiea'?"


@pytest.mark.parametrize("asteroid", ["Xyzzy", 99999, "2001 XX1"])
def test_unknown_asteroid_without_close_names_has_no_hint(
    table: pd.DataFrame, asteroid: Any
) -> None:
    with pytest.raises(ParameterError) as error:
        find_asteroid(asteroid, table)
    assert str(error.value) == NOT_FOUND.format(asteroid)
    assert isinstance(error.value, ValueError)


def test_a_name_shared_by_several_asteroids_asks_for_the_number(table: pd.DataFrame) -> None:
    with pytest.raises(ParameterError) as error:
        find_asteroid("hygiea", table)
    assert str(error.value) == (
        "The name 'hygiea' is that of several asteroids (10, 2000 AB); give its number instead."
    )
    assert find_asteroid(10, table) == "10"
    assert find_asteroid("2000 AB", table) == "2000 AB"


# --- spectra_of ------------------------------------------------------------------------------


def test_spectra_of_returns_every_spectrum_in_the_order_of_the_table(catalogue: Catalogue) -> None:
    vesta = spectra_of("vesta")
    assert isinstance(vesta, AsteroidSpectra)
    assert (vesta.object_id, vesta.name) == ("4", "Vesta")
    assert len(vesta) == 6
    assert [(s.meta["survey"], s.meta["file"]) for s in vesta.spectra] == list(VESTA)
    assert vesta.labels == {**VESTA_LABELS, "primass_class": None}
    assert list(vesta.observations.columns) == list(OBSERVATION_COLUMNS)
    assert list(vesta.observations[schema.FILE]) == [file for _, file in VESTA]
    assert vesta.observations.index.equals(pd.RangeIndex(6))


def test_each_survey_table_is_read_once(catalogue: Catalogue) -> None:
    spectra_of(4)
    assert catalogue.calls == [
        ("smass2", "raw"),
        ("gaia-dr3", "spectra"),
        ("smass1", "spectra"),
        ("irtf-spex", "spectra"),  # once for its two files
        ("demeo2009", "spectra"),
    ]


def test_spectra_hold_the_published_samples_without_missing_reflectances(
    catalogue: Catalogue,
) -> None:
    spectra = {(s.meta["survey"], s.meta["file"]): s for s in spectra_of("4").spectra}
    smass2 = spectra["smass2", "a000004.[2]"]  # 0.44 µm has no reflectance: dropped
    np.testing.assert_array_equal(smass2.wavelength, [0.55, 0.70, 0.92])
    np.testing.assert_array_equal(smass2.reflectance, [1.0, 1.1, 0.8])
    np.testing.assert_array_equal(smass2.error, [0.02] * 3)
    # the two SpeX files are two spectra, each with its own samples
    np.testing.assert_array_equal(
        spectra["irtf-spex", "data/p1/4_a.tab"].wavelength, [0.82, 1.5, 2.44]
    )
    np.testing.assert_array_equal(
        spectra["irtf-spex", "data/p2/4_b.tab"].reflectance, [0.7, 1.1, 1.0, 1.0]
    )
    # Gaia DR3 (no file column): the asteroid's samples
    np.testing.assert_array_equal(spectra["gaia-dr3", "4"].wavelength, [0.374, 0.55, 0.726, 1.034])


@pytest.mark.parametrize(
    ("survey", "file"),
    [
        ("smass1", "a000004.[1]"),  # every error missing
        ("demeo2009", "demeo.csv:350"),  # no error column at all
        ("irtf-spex", "data/p1/4_a.tab"),  # an error for only some samples
    ],
)
def test_spectra_without_a_complete_error_column_have_no_errors(
    catalogue: Catalogue, survey: str, file: str
) -> None:
    spectra = {(s.meta["survey"], s.meta["file"]): s for s in spectra_of("4").spectra}
    assert spectra[survey, file].error is None


def test_labels_are_the_first_class_given_on_the_asteroids_rows(catalogue: Catalogue) -> None:
    result = spectra_of("36465")
    assert result.labels == {
        "bus_class": None,
        "demeo_class": None,
        "tholen_class": None,
        "primass_class": "C",
    }
    assert result.name is None
    assert [s.meta["survey"] for s in result.spectra] == ["gaia-dr3", "primass-l", "primass-l"]


def test_an_unknown_asteroid_reads_no_survey_table(catalogue: Catalogue) -> None:
    with pytest.raises(ParameterError, match=r"Did you mean 'Vesta'\?$"):
        spectra_of("Vestaa")
    assert catalogue.calls == []


@pytest.mark.parametrize(
    ("survey", "wavelength", "reflectance"),
    [
        ("gaia-dr3", [0.374, 0.55, 0.726, 1.034], [0.8, 1.0, 1.1, -0.06]),
        ("ecas", [0.55], [1.0]),
    ],
)
def test_one_unusable_spectrum_does_not_hide_the_others(
    catalogue: Catalogue, survey: str, wavelength: list[float], reflectance: list[float]
) -> None:
    catalogue.add("smass2", "152", "a000152.[2]", [0.44, 0.55, 0.92], [0.9, 1.0, 1.1], name="Atala")
    catalogue.add(
        survey,
        "152",
        "152" if survey == "gaia-dr3" else "data/152.csv",
        wavelength,
        reflectance,
        name="Atala",
    )
    result = spectra_of("Atala")
    assert result.spectra[0].meta["file"] == "a000152.[2]"
    if survey == "gaia-dr3":  # the negative sample is dropped, the spectrum kept
        assert len(result) == 2
        np.testing.assert_array_equal(result.spectra[1].reflectance, [0.8, 1.0, 1.1])
        assert result.notes == (
            "gaia-dr3 152: dropped 1 sample(s) with a zero or negative reflectance",
        )
    else:  # one sample is not a spectrum: skipped, and said so
        assert len(result) == 1
        assert result.notes == ("ecas data/152.csv: skipped, only 1 usable sample(s)",)


# --- AsteroidSpectra -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("object_id", "name", "title"),
    [
        ("4", "Vesta", "(4) Vesta"),
        ("36465", None, "36465"),
        ("1995 BM2", None, "1995 BM2"),
        ("1998 MQ", "Nomen", "Nomen (1998 MQ)"),
    ],
)
def test_title_names_the_asteroid_as_usual(object_id: str, name: str | None, title: str) -> None:
    spectrum = Spectrum([0.5, 0.55, 0.6], [1.0, 1.0, 1.0])
    result = AsteroidSpectra(object_id, name, {}, (spectrum, spectrum), pd.DataFrame())
    assert result.title == title
    assert len(result) == 2


def test_the_package_is_callable_as_spectra_of(
    catalogue: Catalogue, empty_settings: Settings
) -> None:
    import asteroid_spectra as asp

    assert asp.spectra is asteroid_spectra.spectra
    vesta = asp.spectra("Vesta")
    assert vesta.title == "(4) Vesta"
    assert [s.meta["survey"] for s in vesta.spectra] == [survey for survey, _ in VESTA]
    assert asp.spectra(4, settings=empty_settings).labels == vesta.labels  # kwargs passed on
    with pytest.raises(ParameterError, match="No spectrum of the asteroid 'Ceres'"):
        asp.spectra("Ceres")
    assert asp.spectra.Spectrum is Spectrum  # still the package of the spectra modules
