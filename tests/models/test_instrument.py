"""Learning a user's instrument correction against a (here synthetic) SMASSII reference.

The reference set stands in for SMASSII: Bus-like prototypes (``tests/conftest.py``; Bus &
Binzel 2002) with jittered slopes, identified by number or provisional designation as the
SMASSII objects table. The user's spectra are some of them again, biased by +8 % at
0.90 µm (rising from 0.75 µm, the size of the Gaia DR3 / SMASSII difference), rescaled,
densely resampled and written as text files with a labels CSV.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.exceptions import DataError, ParameterError
from asteroid_spectra.models.instrument import (
    calibrate_instrument,
    read_calibration_spectra,
    references_for,
)
from asteroid_spectra.models.targets import TargetData
from asteroid_spectra.spectra.correction import InstrumentCorrection

from ..conftest import GRID, prototype
from ..spectra.test_correction import red_bias

CLASSES = ("C", "S", "X", "V")


@pytest.fixture
def reference(rng: np.random.Generator) -> TargetData:
    """40 reference spectra, 10 per class: numbers 1-39 and one provisional designation."""
    labels = [CLASSES[i % len(CLASSES)] for i in range(40)]
    X = np.array([prototype(c) * (1 + rng.normal(0, 0.08) * (GRID - 0.55)) for c in labels])
    numbers = pd.array([*range(1, 40), None], dtype="Int64")
    objects = pd.DataFrame(
        {
            schema.OBJECT_ID: [*map(str, range(1, 40)), "1995 BM2"],
            schema.NUMBER: numbers,
            schema.DESIGNATION: pd.array([None] * 39 + ["1995 BM2"], dtype="string"),
        }
    )
    fine = np.array(labels, dtype=object)
    return TargetData(
        target="main-group",
        X=X / X[:, 11:12],
        y=fine.copy(),
        fine=fine,
        wavelength=GRID.copy(),
        objects=objects,
        excluded=pd.DataFrame(),
        excluded_X=np.empty((0, GRID.size)),
    )


def write_user_folder(
    folder: Path, reference: TargetData, rows: list[int], object_ids: list[str] | None
) -> Path:
    """Write the biased spectra of reference `rows` (0.44-0.925 µm, dense) and labels.csv."""
    folder.mkdir(parents=True, exist_ok=True)
    header = "file,class" + (",object_id" if object_ids is not None else "")
    lines = [header]
    wavelength = np.linspace(0.44, 0.925, 200)
    for k, row in enumerate(rows):
        values = np.interp(wavelength, GRID, reference.X[row]) * red_bias(wavelength) * 0.2
        np.savetxt(folder / f"s{k:02d}.txt", np.c_[wavelength, values])
        cells = [f"s{k:02d}.txt", str(reference.fine[row])]
        lines.append(",".join(cells + ([object_ids[k]] if object_ids is not None else [])))
    labels = folder / "labels.csv"
    labels.write_text("\n".join(lines) + "\n")
    return labels


def test_same_asteroid_references_give_the_bias(tmp_path: Path, reference: TargetData) -> None:
    rows = [0, 5, 10, 17, 22, 39]
    ids = ["1", "6 Hebe", "(11)", "18", "23", "1995bm2"]  # labels as parse_label reads them
    labels = write_user_folder(tmp_path / "data", reference, rows, ids)
    spectra = read_calibration_spectra(tmp_path / "data", labels)
    correction = calibrate_instrument(spectra, reference=reference)
    assert isinstance(correction, InstrumentCorrection)
    assert correction.span == (0.44, 0.92)
    np.testing.assert_allclose(correction.factor, red_bias(GRID), rtol=0.003)
    counts = correction.provenance["reference"]
    assert (counts["n_same_asteroid"], counts["n_class_mean"]) == (6, 0)
    assert counts["survey"] == "given"
    assert {f["reference"] for f in correction.provenance["files"]} == {"same asteroid"}
    assert correction.provenance["labels"]["name"] == "labels.csv"


def test_without_identities_the_class_means_are_the_reference(
    tmp_path: Path, reference: TargetData
) -> None:
    rows = list(range(16))
    labels = write_user_folder(tmp_path / "data", reference, rows, None)
    correction = calibrate_instrument(
        read_calibration_spectra(tmp_path / "data", labels), reference=reference
    )
    counts = correction.provenance["reference"]
    assert (counts["n_same_asteroid"], counts["n_class_mean"]) == (0, 16)
    # Each spectrum differs from its class mean by its own slope (±8 %/µm): the median
    # over 16 pairs is within ~1 % of the bias, not exact.
    assert abs(float(correction.factor_at(0.90)) - 1.08) < 0.015


def test_unmatched_names_fall_back_to_the_class_mean(tmp_path: Path, reference: TargetData) -> None:
    ids = ["Ceres", "999999", "2", "2001 XX9"]  # a name alone, unknown number/designation
    labels = write_user_folder(tmp_path / "data", reference, [0, 1, 2, 3], ids)
    spectra = read_calibration_spectra(tmp_path / "data", labels)
    _, kinds = references_for(spectra, reference)
    assert kinds == ["class mean", "class mean", "same asteroid", "class mean"]


def test_a_class_without_reference_is_skipped_with_a_note(
    tmp_path: Path, reference: TargetData
) -> None:
    labels = write_user_folder(tmp_path / "data", reference, [0, 1, 2, 3], None)
    labels.write_text(labels.read_text().replace("s03.txt,V", "s03.txt,Q"))
    correction = calibrate_instrument(
        read_calibration_spectra(tmp_path / "data", labels), reference=reference
    )
    assert correction.n_spectra == 3
    assert correction.provenance["notes"][-1] == (
        "1 spectra have no SMASSII reference (no spectrum of their asteroid, and SMASSII has "
        "no class Q) and were not used: s03.txt"
    )


def test_fewer_than_three_pairs_is_an_error(tmp_path: Path, reference: TargetData) -> None:
    labels = write_user_folder(tmp_path / "data", reference, [0, 1, 2], None)
    labels.write_text(labels.read_text().replace("s02.txt,X", "s02.txt,Q"))
    spectra = read_calibration_spectra(tmp_path / "data", labels)
    with pytest.raises(DataError, match=r"needs at least 3 .* got 2 .* Observe more asteroids"):
        calibrate_instrument(spectra, reference=reference)


def test_only_bus_classes(tmp_path: Path, reference: TargetData) -> None:
    labels = write_user_folder(tmp_path / "data", reference, [0, 1, 2], None)
    spectra = read_calibration_spectra(tmp_path / "data", labels)
    with pytest.raises(ParameterError, match=r"from Bus classes only .* carry demeo classes"):
        calibrate_instrument(dataclasses.replace(spectra, taxonomy="demeo"), reference=reference)
    labels.write_text(labels.read_text().replace("file,class", "file,demeo_class"))
    with pytest.raises(ParameterError, match=r"Bus classes only .* has 'demeo_class'\. Give"):
        read_calibration_spectra(tmp_path / "data", labels)


def test_spectra_off_the_reference_grid_are_refused(tmp_path: Path, reference: TargetData) -> None:
    labels = write_user_folder(tmp_path / "data", reference, [0, 1, 2], None)
    spectra = read_calibration_spectra(tmp_path / "data", labels)
    shifted = dataclasses.replace(spectra, wavelength=spectra.wavelength + 0.005)
    with pytest.raises(ParameterError, match=r"points of the SMASSII grid .*; got 0\.445, 0\.455"):
        calibrate_instrument(shifted, reference=reference)
