"""A researcher's folder of labelled spectra: read, checked, brought onto one grid.

The spectra are the Bus-like prototypes of ``tests/conftest.py`` (C flat, X a moderate
red slope, S a steep one with the 0.9-µm band onset; Bus & Binzel 2002), written to
``tmp_path`` as plain two-column text files, a third of them in nm.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from asteroid_spectra.exceptions import CoverageError, DataError, ParameterError, ParseError
from asteroid_spectra.schema import DEMEO_WAVELENGTH
from asteroid_spectra.spectra.coverage import VIS_NIR, VISIBLE
from asteroid_spectra.spectra.label_table import known_classes, read_labels, shortlist
from asteroid_spectra.spectra.labelled import read_labelled

from ..conftest import GRID, prototype

CLASSES = ("C", "S", "X")
"""Bus classes of the synthetic set; also main groups, so separable at both levels."""


def synthetic_spectrum(
    name: str, rng: np.random.Generator, lo: float = 0.44, hi: float = 0.93
) -> tuple[np.ndarray, np.ndarray]:
    """A prototype on `lo`-`hi` µm, its slope jittered, scaled and with 0.3 % noise."""
    wavelength = np.linspace(lo, hi, int(rng.integers(120, 250)))
    tilt = 1 + rng.normal(0, 0.05) * (wavelength - 0.55)
    values = prototype(name, wavelength) * tilt * rng.uniform(0.1, 0.3)
    return wavelength, values * (1 + rng.normal(0, 0.003, wavelength.size))


def write_labelled_folder(
    folder: Path,
    *,
    per_class: int = 8,
    classes: Sequence[str] = CLASSES,
    seed: int = 0,
    header: str = "file,class,object_id",
) -> Path:
    """Write `per_class` spectra of each class to `folder` and their labels CSV; return it.

    Every third file is in nm (unit guessed on reading); two consecutive spectra of a
    class share an asteroid. The first file, ``C00.txt``, covers 0.47-0.905 µm and so
    limits the common span to 0.48-0.90 µm.
    """
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    rows = [header]
    for name in classes:
        for index in range(per_class):
            file = f"{name}{index:02d}.txt"
            lo, hi = (0.47, 0.905) if (name, index) == (classes[0], 0) else (0.44, 0.93)
            wavelength, values = synthetic_spectrum(name, rng, lo, hi)
            in_nm = index % 3 == 1
            np.savetxt(folder / file, np.c_[wavelength * (1000 if in_nm else 1), values])
            rows.append(f"{file},{name},{name}-{index // 2}")
    labels = folder / "labels.csv"
    labels.write_text("\n".join(rows) + "\n")
    return labels


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of 24 labelled spectra (8 each of C, S, X) with labels.csv inside."""
    write_labelled_folder(tmp_path / "data")
    return tmp_path / "data"


def test_reads_every_spectrum_onto_the_common_span_normalised(folder: Path) -> None:
    labelled = read_labelled(folder, folder / "labels.csv")
    assert labelled.reflectance.shape == (24, 43)
    assert labelled.span == (0.48, 0.90)  # C00.txt: 0.47-0.905 µm, trimmed to 0.02 µm steps
    np.testing.assert_allclose(labelled.wavelength, GRID[4:47])
    column = int(np.argmin(np.abs(labelled.wavelength - 0.55)))
    np.testing.assert_allclose(labelled.reflectance[:, column], 1.0)
    assert labelled.normalised_at == 0.55
    assert labelled.labels.tolist() == [c for c in CLASSES for _ in range(8)]
    assert labelled.taxonomy == "bus"
    assert "the latest start: C00.txt; the earliest end: C00.txt" in labelled.notes[-1]


def test_spectra_match_their_prototypes_whatever_the_unit(tmp_path: Path) -> None:
    wavelength = np.linspace(0.43, 0.95, 300)
    values = prototype("S", wavelength)
    np.savetxt(tmp_path / "um.txt", np.c_[wavelength, values])
    np.savetxt(tmp_path / "nm.txt", np.c_[wavelength * 1000, values])
    (tmp_path / "labels.csv").write_text("file,class\num.txt,S\nnm.txt,Sq\n")
    labelled = read_labelled(tmp_path, tmp_path / "labels.csv")
    np.testing.assert_allclose(labelled.reflectance[0], labelled.reflectance[1], atol=1e-12)
    np.testing.assert_allclose(labelled.reflectance[0], prototype("S"), atol=2e-3)
    assert labelled.span == (0.44, 0.92)


def test_records_identity_checksums_and_provenance(folder: Path) -> None:
    labelled = read_labelled(folder, folder / "labels.csv")
    objects = labelled.objects
    assert objects["object_id"].tolist()[:4] == ["C-0", "C-0", "C-1", "C-1"]
    assert objects["bus_class"].tolist()[8] == "S"
    digest = hashlib.sha256((folder / "S00.txt").read_bytes()).hexdigest()
    assert objects.loc[objects["file"] == "S00.txt", "sha256"].item() == digest
    assert objects["span"].iloc[0] == "0.48-0.9"
    provenance = labelled.provenance()
    labels_digest = hashlib.sha256((folder / "labels.csv").read_bytes()).hexdigest()
    assert provenance["labels"] == {"name": "labels.csv", "sha256": labels_digest}
    assert provenance["n_spectra"] == 24
    assert provenance["n_objects"] == 12
    assert provenance["span_um"] == [0.48, 0.9]
    assert provenance["files"][8] == {"name": "S00.txt", "sha256": digest}


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("file,class", [f"{c}{i:02d}.txt" for c in "CS" for i in range(2)]),  # no column
        ("File,Bus_Class,Object", ["C-0", "C-0", "S-0", "S-0"]),  # synonyms, any case
    ],
)
def test_object_column_is_optional(tmp_path: Path, header: str, expected: list[str]) -> None:
    labels = tmp_path / "labels.csv"
    write_labelled_folder(tmp_path, per_class=2, classes=("C", "S"))
    body = labels.read_text().splitlines()[1:]
    columns = header.count(",") + 1
    labels.write_text("\n".join([header, *(",".join(r.split(",")[:columns]) for r in body)]))
    labelled = read_labelled(tmp_path, labels)
    assert labelled.objects["object_id"].tolist() == expected


def test_an_empty_object_cell_makes_the_file_its_own_asteroid(tmp_path: Path) -> None:
    labels = write_labelled_folder(tmp_path, per_class=2, classes=("C", "S"))
    labels.write_text(labels.read_text().replace("C01.txt,C,C-0", "C01.txt,C,"))
    labelled = read_labelled(tmp_path, labels)
    assert labelled.objects["object_id"].tolist()[:2] == ["C-0", "C01.txt"]


def test_files_not_listed_are_noted_not_used(folder: Path) -> None:
    (folder / "notes.txt").write_text("observing log\n")
    (folder / ".hidden").write_text("x")
    labelled = read_labelled(folder, folder / "labels.csv")
    assert len(labelled.labels) == 24
    assert labelled.notes[0] == (
        f"1 file(s) in {folder} are not listed in labels.csv and were not used: notes.txt"
    )


def test_listed_paths_may_be_absolute_and_the_csv_elsewhere(folder: Path, tmp_path: Path) -> None:
    labels = tmp_path / "elsewhere.csv"
    labels.write_text(f"file,class\n{folder / 'C01.txt'},C\nS01.txt,S\n")
    labelled = read_labelled(folder, labels)
    assert labelled.objects["path"].tolist() == [str(folder / "C01.txt"), str(folder / "S01.txt")]
    assert "23 file(s)" in labelled.notes[0]  # 22 spectra and the folder's own labels.csv


def test_a_given_span_is_used_instead_of_the_common_one(folder: Path) -> None:
    labelled = read_labelled(folder, folder / "labels.csv", span=(0.50, 0.86))
    assert labelled.span == (0.50, 0.86)
    assert labelled.wavelength.size == 37
    assert not any("span all spectra cover" in note for note in labelled.notes)


def test_bus_demeo_spectra_without_the_visible_are_normalised_at_1_2_um(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    rows = ["file,demeo_class"]
    for index, lo in enumerate((0.45, 0.45, 0.82)):
        wavelength = np.linspace(lo, 2.46, 400)
        values = 1 + 0.2 * (wavelength - 0.55) + rng.normal(0, 0.001, wavelength.size)
        np.savetxt(tmp_path / f"s{index}.txt", np.c_[wavelength, values])
        rows.append(f"s{index}.txt,{('S', 'Sw', 'C')[index]}")
    (tmp_path / "labels.csv").write_text("\n".join(rows) + "\n")
    labelled = read_labelled(tmp_path, tmp_path / "labels.csv", taxonomy="demeo", rule=VIS_NIR)
    assert labelled.span == (0.85, 2.45)
    assert labelled.normalised_at == 1.2
    np.testing.assert_allclose(labelled.wavelength, DEMEO_WAVELENGTH[8:])
    np.testing.assert_allclose(labelled.reflectance[:, labelled.wavelength == 1.2], 1.0)
    assert labelled.labels.tolist() == ["S", "Sw", "C"]
    assert labelled.notes == (
        "used 0.85-2.45 µm, the span all spectra cover (the latest start: s2.txt)",
    )


def test_known_classes_and_shortlist() -> None:
    assert known_classes("bus")[:3] == ("B", "C", "Cb")
    assert {"Sqw", "Xn", "V"} <= set(known_classes("demeo"))
    assert shortlist([str(i) for i in range(7)]) == "0, 1, 2, 3, 4 and 2 more"
    with pytest.raises(ParameterError, match="'taxonomy' parameter must be one of bus, demeo"):
        known_classes("mahlke")


# --- errors --------------------------------------------------------------------------------
CSV_ERRORS = [
    ("wavelength,class\nC00.txt,C\n", ParseError, "expected a 'file' column naming each"),
    ("file,label\nC00.txt,C\n", ParseError, r"expected a 'class' \(or 'bus_class'\) column"),
    ("file,demeo_class\nC00.txt,C\n", ParseError, "it has 'demeo_class': read it for the demeo"),
    ("file,class,bus_class\nC00.txt,C,C\n", ParseError, "got 'class' and 'bus_class'; keep one"),
    ("file,class,object,object_id\nC00.txt,C,1,1\n", ParseError, "one asteroid column"),
    ("file,class\n", ParseError, "the table has none"),
    ("", ParseError, "expected a CSV table with a header row"),
    ("file,class\nC00.txt,C\nS00.txt,\n", ParseError, r"empty 'class' in data row\(s\) 2"),
    ("file,class\nC00.txt,C\nC00.txt,S\n", ParseError, "listed more than once: C00.txt"),
    ("file,class\nC00.txt,C\nS00.txt,Q9\n", ParseError, r"unknown bus class\(es\) 'Q9' \(S00"),
    ("file,class\nC00.txt,C\nS00.txt,Sqw\n", ParseError, "unknown bus class"),  # DeMeo only
    ("file,class\nC00.txt,C\nnope.txt,S\n", DataError, r"1 file\(s\) listed in labels.csv are"),
]


@pytest.mark.parametrize(("text", "kind", "match"), CSV_ERRORS)
def test_a_bad_labels_csv_is_refused(
    folder: Path, text: str, kind: type[Exception], match: str
) -> None:
    (folder / "labels.csv").write_text(text)
    with pytest.raises(kind, match=match):
        read_labelled(folder, folder / "labels.csv")


@pytest.mark.parametrize(
    ("name", "match"),
    [("data", "The data folder .*missing does not exist"), ("labels", "The labels file .*")],
)
def test_a_missing_folder_or_csv_is_refused(folder: Path, name: str, match: str) -> None:
    missing = folder / "missing"
    arguments = (missing, folder / "labels.csv") if name == "data" else (folder, missing)
    with pytest.raises(DataError, match=match):
        read_labelled(*arguments)


def test_read_labels_reports_unreadable_text(tmp_path: Path) -> None:
    (tmp_path / "labels.csv").write_bytes(b'file,class\n"unclosed,C\n')
    with pytest.raises(ParseError, match="could not parse it"):
        read_labels(tmp_path / "labels.csv")


def test_spectra_that_cannot_be_used_are_all_named(folder: Path) -> None:
    wavelength = np.linspace(0.65, 0.92, 50)
    np.savetxt(folder / "C03.txt", np.c_[wavelength, np.ones(50)])
    (folder / "S03.txt").write_text("not a spectrum\n")
    with pytest.raises(DataError, match=r"2 of 24 spectra cannot be used — C03\.txt: ") as raised:
        read_labelled(folder, folder / "labels.csv")
    message = str(raised.value)
    assert "C03.txt: The spectrum covers 0.650-0.920 µm" in message
    assert "S03.txt: expected rows of 2 or 3 numbers" in message
    assert message.endswith("Fix or remove those files (and their rows of the labels CSV).")


def test_a_spectrum_short_of_the_coverage_is_a_coverage_error(folder: Path) -> None:
    wavelength = np.linspace(0.44, 0.75, 50)
    np.savetxt(folder / "X05.txt", np.c_[wavelength, np.ones(50)])
    with pytest.raises(
        CoverageError, match=r"1 of 24 spectra cannot be used — X05\.txt: .*0\.750-0\.80"
    ):
        read_labelled(folder, folder / "labels.csv")


def test_a_span_no_spectrum_may_lack_is_refused_naming_the_short_ones(folder: Path) -> None:
    with pytest.raises(
        CoverageError, match=r"1 of 24 spectra do not cover the requested 0\.44-0\.92 µm: C00"
    ):
        read_labelled(folder, folder / "labels.csv", span=(0.44, 0.92))


def test_a_span_short_of_the_rule_is_refused(folder: Path) -> None:
    lo, hi = VISIBLE.min_coverage
    with pytest.raises(ParameterError, match=f"must include the {lo:g}-{hi:g} µm that class"):
        read_labelled(folder, folder / "labels.csv", span=(0.60, 0.80))
