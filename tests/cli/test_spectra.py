"""``asteroid-spectra spectra ASTEROID``: the table, ``--json``, ``--plot`` and errors.

The command runs in-process on a synthetic observation table and survey tables
(``observations`` and ``load_table`` patched where ``spectra_of`` imports them).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import matplotlib.image
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from asteroid_spectra import schema
from asteroid_spectra.cli import app as cli
from asteroid_spectra.data import datasets
from asteroid_spectra.data import observations as observations_module
from asteroid_spectra.data.observations import LABELS, OBSERVATION_COLUMNS

runner = CliRunner()

# survey, object_id, name, file, wavelengths, labels of the asteroid
SPECTRA: list[tuple[str, str, str | None, str, list[float], dict[str, str]]] = [
    ("smass2", "4", "Vesta", "a000004.[2]", [0.435, 0.55, 0.7, 0.925], {"bus_class": "V"}),
    ("irtf-spex", "4", "Vesta", "data/p/4_a.tab", [0.82, 1.2, 1.8, 2.44], {"bus_class": "V"}),
    ("smass2", "1995 BM2", None, "au1995BM2.[2]", [0.44, 0.55, 0.92], {}),
]


def observation_table() -> pd.DataFrame:
    rows = []
    for survey, object_id, name, file, wavelength, labels in SPECTRA:
        rows.append(
            {
                schema.OBJECT_ID: object_id,
                schema.NUMBER: int(object_id) if object_id.isdigit() else None,
                schema.DESIGNATION: None if object_id.isdigit() else object_id,
                schema.NAME: name,
                schema.SURVEY: survey,
                schema.FILE: file,
                "wavelength_min": wavelength[0],
                "wavelength_max": wavelength[-1],
                "n_points": len(wavelength),
                **{column: labels.get(column) for column in LABELS},
                "demeo_class": "V" if object_id == "4" else None,
            }
        )
    table = pd.DataFrame(rows, columns=list(OBSERVATION_COLUMNS))
    for column in table.columns:
        if table[column].dtype == object:
            table[column] = table[column].astype("string")
    return table


def survey_table(name: str, table: str | None = None, **kwargs: Any) -> pd.DataFrame:
    samples = [
        {
            schema.OBJECT_ID: object_id,
            schema.FILE: file,
            schema.WAVELENGTH: w,
            schema.REFLECTANCE: 1 + 0.1 * w,
            schema.ERROR: 0.01,
        }
        for survey, object_id, _, file, wavelength, _ in SPECTRA
        if survey == name
        for w in wavelength
    ]
    return pd.DataFrame(samples)


@pytest.fixture(autouse=True)
def synthetic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(observations_module, "observations", lambda *a, **k: observation_table())
    monkeypatch.setattr(datasets, "load_table", survey_table)


def test_json_lists_the_classes_and_every_spectrum() -> None:
    result = runner.invoke(cli.app, ["spectra", "vesta", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "object_id": "4",
        "name": "Vesta",
        "bus_class": "V",
        "demeo_class": "V",
        "tholen_class": None,
        "primass_class": None,
        "spectra": [
            {
                "survey": "smass2",
                "file": "a000004.[2]",
                "wavelength_min": 0.435,
                "wavelength_max": 0.925,
                "n_points": 4,
            },
            {
                "survey": "irtf-spex",
                "file": "data/p/4_a.tab",
                "wavelength_min": 0.82,
                "wavelength_max": 2.44,
                "n_points": 4,
            },
        ],
        "notes": [],
    }
    assert result.stdout.count("\n") == 1  # one JSON object, one line


def test_json_of_an_unnamed_unclassified_asteroid_has_nulls() -> None:
    result = runner.invoke(cli.app, ["spectra", "1995bm2", "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["object_id"] == "1995 BM2"
    assert body["name"] is None
    assert [body[column] for column in LABELS] == [None] * 4
    assert [s["file"] for s in body["spectra"]] == ["au1995BM2.[2]"]


def test_table_has_a_titled_row_per_spectrum() -> None:
    result = runner.invoke(cli.app, ["spectra", "4"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].strip() == "(4) Vesta: bus_class V, demeo_class V"
    for header in ("survey", "file", "range (µm)", "points"):
        assert header in result.stdout
    rows = [line.split("│")[1:-1] for line in lines if line.startswith("│")]
    assert [[cell.strip() for cell in row] for row in rows] == [
        ["smass2", "a000004.[2]", "0.435-0.925", "4"],  # "[2]" printed, not taken as markup
        ["irtf-spex", "data/p/4_a.tab", "0.820-2.440", "4"],
    ]
    assert "wrote" not in result.stderr


def test_table_of_an_unclassified_asteroid_says_so() -> None:
    result = runner.invoke(cli.app, ["spectra", "1995 BM2"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].strip() == "1995 BM2: no classes"


def test_plot_writes_the_image_and_says_where(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "vesta.png"
    result = runner.invoke(cli.app, ["spectra", "Vesta", "--plot", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["object_id"] == "4"  # stdout stays pure JSON
    assert f"wrote {path}" in result.stderr
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = matplotlib.image.imread(path)
    assert image.shape[:2] == (675, 1200)  # 8 × 4.5 inches at 150 dpi
    assert np.ptp(image[..., :3]) > 0.5  # something is drawn


def test_unknown_asteroid_is_a_clear_error_with_exit_code_1(tmp_path: Path) -> None:
    path = tmp_path / "none.png"
    result = runner.invoke(cli.app, ["spectra", "Vestaa", "--plot", str(path)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: No spectrum of the asteroid 'Vestaa' in any survey (searched numbers, names "
        "and provisional designations). Did you mean 'Vesta'?"
    )
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert not path.exists()


def test_the_asteroid_argument_is_required() -> None:
    result = runner.invoke(cli.app, ["spectra"])
    assert result.exit_code == 2
    assert "missing argument 'asteroid'" in result.stderr.lower()


def test_a_plot_path_matplotlib_cannot_write_fails_before_any_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the surveys were read before the path was checked")

    monkeypatch.setattr("asteroid_spectra.spectra.asteroid.spectra_of", no_reading)
    path = tmp_path / "vesta.pgn"
    result = runner.invoke(cli.app, ["spectra", "Vesta", "--plot", str(path)])
    assert result.exit_code == 1
    message = result.stderr.strip()
    assert message.startswith(
        f"error: Cannot write a figure to '{path}': its suffix must be one of "
    )
    assert ".png" in message
    assert message.endswith("(e.g. vesta.png).")
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []
