"""Classifier and classify(): inputs of every kind, coverage, errors kept per spectrum."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from asteroid_spectra.data.cache import forget
from asteroid_spectra.exceptions import AsteroidSpectraError, SpectrumWarning
from asteroid_spectra.models.classifier import TaxonomyModel
from asteroid_spectra.models.classify import Classifier, classify
from asteroid_spectra.models.family import ModelFamily
from asteroid_spectra.models.results import Classification, table_columns
from asteroid_spectra.spectra.inputs import files_of
from asteroid_spectra.spectra.spectrum import Spectrum

from ..conftest import GRID, prototype
from .conftest import fit_model


def dense(name: str, start: float = 0.44, stop: float = 0.92, points: int = 500) -> Spectrum:
    wavelength = np.linspace(start, stop, points)
    return Spectrum(wavelength, 2.5 * prototype(name, wavelength), meta={"source": name})


@pytest.fixture
def family(
    monkeypatch: pytest.MonkeyPatch, synthetic: Any, tmp_path: Path
) -> Iterator[list[tuple[float, float]]]:
    """Default models trained on the synthetic spectra, in an empty cache; records the
    spans that were trained."""
    asked: list[tuple[float, float]] = []

    def train_model(target: str, name: str, *, span: Any, **kwargs: Any) -> tuple[Any, None]:
        asked.append(span)
        keep = (span[0] - 1e-9 <= GRID) & (span[1] + 1e-9 >= GRID)
        return fit_model(synthetic, keep), None

    monkeypatch.setattr("asteroid_spectra.models.training.train_model", train_model)
    monkeypatch.setenv("ASTEROID_SPECTRA_CACHE", str(tmp_path / "cache"))
    forget()
    yield asked
    forget()


@pytest.mark.parametrize(("name", "group"), [("C", "C"), ("Sq", "S"), ("X", "X"), ("V", "Other")])
def test_prototypes_are_classified(name: str, group: str, model: TaxonomyModel) -> None:
    (result,) = Classifier(model).classify_spectra([dense(name)])
    assert result.ok
    assert result.source == name
    assert (result.main_group, result.bus_class) == (group, name)
    assert result.main_group_probability == max(result.probabilities.values())
    assert list(result.probabilities) == ["C", "S", "X", "Other"]
    assert sum(result.probabilities.values()) == pytest.approx(1.0)
    assert sum(result.bus_probabilities.values()) == pytest.approx(1.0)
    assert (result.wavelength_min, result.wavelength_max, result.n_points) == (0.44, 0.92, 49)
    assert result.model == "synthetic-svm"
    assert result.ood_score is not None
    assert result.ood_score < 1.5


def test_partial_coverage_uses_a_model_of_that_span(family: list[Any]) -> None:
    results = Classifier().classify_spectra(
        [dense("S", 0.48, 0.86), dense("C", 0.48, 0.86), dense("V"), dense("X", 0.49, 0.83)]
    )
    assert [r.main_group for r in results] == ["S", "C", "Other", "X"]
    assert [(r.wavelength_min, r.wavelength_max) for r in results] == [
        (0.48, 0.86),
        (0.48, 0.86),
        (0.44, 0.92),
        (0.50, 0.82),
    ]
    assert [r.n_points for r in results] == [39, 39, 49, 33]
    # One model per span, spectra of a span classified together.
    assert sorted(family, key=str) == sorted([(0.48, 0.86), (0.44, 0.92), (0.5, 0.82)], key=str)


def test_models_are_reused_across_calls(family: list[Any]) -> None:
    classifier = Classifier()
    classifier.classify_spectra([dense("S", 0.48, 0.86)])
    classifier.classify_spectra([dense("C", 0.47, 0.87)])
    assert family == [(0.48, 0.86)]


def test_a_failing_spectrum_gets_its_error_and_the_others_are_classified(
    model: TaxonomyModel,
) -> None:
    spectra = [dense("S"), dense("C", 0.57, 0.92), dense("X")]
    results = Classifier(model).classify_spectra(spectra)
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].main_group is None
    assert results[1].error is not None
    assert "needs at least 0.55-0.80 µm (missing 0.550-0.570 µm)" in results[1].error


def test_a_user_model_needs_its_whole_grid(model: TaxonomyModel) -> None:
    (result,) = Classifier(model).classify_spectra([dense("S", 0.48, 0.86)])
    assert result.error is not None
    assert "needs 0.44-0.92 µm; the spectrum covers only 0.48-0.86 µm" in result.error


def test_a_user_model_on_a_sub_range_classifies_wider_spectra(synthetic: Any) -> None:
    keep = (GRID >= 0.50) & (GRID <= 0.82)
    narrow = fit_model(synthetic, keep)
    (result,) = Classifier(narrow).classify_spectra([dense("Sq")])
    assert (result.main_group, result.bus_class) == ("S", "Sq")
    assert (result.wavelength_min, result.wavelength_max, result.n_points) == (0.50, 0.82, 33)


def test_a_bus_model_gives_main_groups_by_summing(synthetic: Any) -> None:
    X, _, fine = synthetic
    bus = fit_model(synthetic)
    bus.estimator.fit(X, fine)  # a plain model of the Bus classes
    estimator = bus.estimator.estimator_
    model = TaxonomyModel(estimator, "bus", "bus-svm", GRID, bus.ood)
    (result,) = Classifier(model).classify_spectra([dense("V")])
    assert (result.main_group, result.bus_class) == ("Other", "V")
    assert result.probabilities["Other"] == pytest.approx(
        result.bus_probabilities["V"] + result.bus_probabilities["D"]
    )


def test_x_vs_rest_models_are_refused(model: TaxonomyModel) -> None:
    binary = TaxonomyModel(model.estimator, "x-vs-rest", "binary", GRID, model.ood)
    with pytest.raises(AsteroidSpectraError, match="needs a main-group or bus model"):
        ModelFamily(model=binary)


def test_classify_accepts_tuples_arrays_spectra_paths_and_lists(
    family: list[Any], tmp_path: Path
) -> None:
    wavelength = np.linspace(440, 920, 300)  # nm: detected
    reflectance = prototype("S", wavelength / 1000)
    path = tmp_path / "s.txt"
    np.savetxt(path, np.c_[wavelength, reflectance])
    inputs: list[Any] = [
        (wavelength, reflectance),
        np.vstack([wavelength, reflectance]),
        Spectrum.from_arrays(wavelength, reflectance, unit="nm"),
        path,
        str(path),
    ]
    for item in inputs:
        result = classify(item)
        assert isinstance(result, Classification)
        assert result.main_group == "S", item
    many = classify(inputs)
    assert isinstance(many, list)
    assert [r.main_group for r in many] == ["S"] * 5


def test_classify_cleans_junk_rows_and_reports_them(family: list[Any]) -> None:
    wavelength = np.linspace(0.44, 0.92, 300)
    reflectance = prototype("C", wavelength)
    wavelength[5], reflectance[50] = 0.0, np.nan
    with pytest.warns(SpectrumWarning):
        result = classify((wavelength, reflectance))
    assert isinstance(result, Classification)
    assert result.main_group == "C"
    assert result.notes == (
        "dropped 1 row with a zero, negative or non-finite wavelength",
        "dropped 1 row with a NaN or infinite reflectance",
    )


def test_classify_keeps_bad_items_in_place(family: list[Any], tmp_path: Path) -> None:
    wavelength = np.linspace(0.44, 0.92, 300)
    results = classify(
        [(wavelength, prototype("X", wavelength)), tmp_path / "missing.txt", ([0.5, 0.6],)]
    )
    assert isinstance(results, list)
    assert results[0].main_group == "X"
    assert results[1].error is not None
    assert "cannot read the file" in results[1].error
    assert results[2].error is not None
    assert "got 1 arrays" in results[2].error


def test_classify_paths_expands_directories_and_reports_unreadable_files(
    model: TaxonomyModel, tmp_path: Path
) -> None:
    folder = tmp_path / "spectra"
    folder.mkdir()
    wavelength = np.linspace(0.44, 0.92, 100)
    np.savetxt(folder / "b.txt", np.c_[wavelength, prototype("D", wavelength)])
    np.savetxt(folder / "a.txt", np.c_[wavelength, prototype("B", wavelength)])
    (folder / "c.txt").write_bytes(b"\x00\x01binary")
    (folder / ".hidden").write_text("ignored")
    assert [p.name for p in files_of([folder])] == ["a.txt", "b.txt", "c.txt"]
    seen: list[tuple[int, int]] = []
    results = Classifier(model).classify_paths(
        [folder], on_file=lambda done, total: seen.append((done, total))
    )
    assert [Path(r.source).name for r in results] == ["a.txt", "b.txt", "c.txt"]
    assert [r.bus_class for r in results] == ["B", "D", None]
    assert results[2].error is not None
    assert "expected a text file" in results[2].error
    assert seen == [(0, 3), (1, 3), (2, 3)]


def test_rows_and_dicts_have_the_documented_fields(model: TaxonomyModel) -> None:
    good, bad = Classifier(model).classify_spectra([dense("S"), dense("S", 0.6, 0.9)])
    row = good.to_row("all")
    assert list(row) == table_columns("all")
    assert row["p_S"] == good.probabilities["S"]
    assert list(good.to_row("bus")) == [
        "source",
        "bus_class",
        "bus_probability",
        "bus_uncertain",
        "ood_score",
        "wavelength_min",
        "wavelength_max",
        "model",
        "notes",
        "error",
    ]
    assert bad.to_row("main-group")["p_S"] is None
    record = good.to_dict()
    assert record["main_group"] == "S"
    assert record["error"] is None
    assert set(record["bus_probabilities"]) == {"B", "C", "D", "S", "Sq", "V", "X"}


def test_classify_arrays_matches_classifying_each_spectrum(model: TaxonomyModel) -> None:
    wavelength = np.linspace(440.0, 920.0, 150)  # nm, guessed
    micron = wavelength / 1000
    rows = np.vstack([2.0 * prototype(n, micron) for n in ("S", "C", "V", "X", "Sq")])
    rows[3, 20] = np.nan  # a junk sample: this row takes the cleaning path
    classifier = Classifier(model)
    fast = classifier.classify_arrays(wavelength, rows, ["s", "c", "v", "x", "sq"])
    with pytest.warns(SpectrumWarning):
        slow = classify([(wavelength, row) for row in rows], model=model)
    assert isinstance(slow, list)
    assert [r.source for r in fast] == ["s", "c", "v", "x", "sq"]
    assert [r.bus_class for r in fast] == ["S", "C", "V", "X", "Sq"]
    for one, other in zip(fast, slow, strict=True):
        assert one.probabilities == pytest.approx(other.probabilities, abs=1e-12)
        assert one.notes == other.notes
    assert fast[3].notes == ("dropped 1 row with a NaN or infinite reflectance",)


def test_classify_arrays_takes_a_descending_grid(model: TaxonomyModel) -> None:
    wavelength = np.linspace(0.92, 0.44, 100)
    rows = np.vstack([prototype("D", wavelength), prototype("B", wavelength)])
    results = Classifier(model).classify_arrays(wavelength, rows)
    assert [(r.source, r.bus_class) for r in results] == [("#0", "D"), ("#1", "B")]


@pytest.mark.parametrize(
    ("wavelength", "message"),
    [
        (np.linspace(0.60, 0.92, 50), r"needs at least 0\.55-0\.80 µm"),
        (np.linspace(0.44, 0.92, 49), r"one value per wavelength \(49\)"),
    ],
)
def test_classify_arrays_reports_a_bad_grid_on_every_row(
    model: TaxonomyModel, wavelength: np.ndarray, message: str
) -> None:
    rows = np.ones((3, 50))
    results = Classifier(model).classify_arrays(wavelength, rows)
    assert len(results) == 3
    for result in results:
        assert result.error is not None
        assert re.search(message, result.error), result.error


def test_classifying_with_a_saved_model_imports_no_heavy_library(
    model: TaxonomyModel, tmp_path: Path
) -> None:
    import json
    import subprocess
    import sys

    from asteroid_spectra.models.persistence import save_model

    directory = save_model(model, tmp_path / "model")
    spectrum = dense("Sq")
    np.savetxt(tmp_path / "sq.txt", np.column_stack([spectrum.wavelength, spectrum.reflectance]))
    code = f"""
import json, sys
import asteroid_spectra as asp
from asteroid_spectra.models.persistence import load_model
result = asp.classify({str(tmp_path / "sq.txt")!r}, model=load_model({str(directory)!r}))
heavy = ("sklearn", "scipy", "pandas", "torch", "skops", "dask", "pyarrow", "matplotlib")
print(json.dumps({{"class": [result.main_group, result.bus_class],
                  "loaded": sorted(m for m in heavy if m in sys.modules)}}))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    out = json.loads(done.stdout)
    assert out["class"] == ["S", "Sq"]
    assert out["loaded"] == []  # the numpy-only inference form; no scikit-learn, no pandas
