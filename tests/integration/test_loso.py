"""Leave-one-survey-out on the mirror: every visible survey's labelled spectra on one grid."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from asteroid_spectra import schema
from asteroid_spectra.cli.app import app
from asteroid_spectra.spectra.survey_spectra import VISIBLE_SPAN, SurveySpectra, survey_spectra

pytestmark = pytest.mark.integration

runner = CliRunner()


@pytest.fixture(scope="module")
def visible() -> SurveySpectra:
    return survey_spectra()


def test_every_visible_survey_brings_its_labelled_spectra(visible: SurveySpectra) -> None:
    counts = visible.rows[schema.SURVEY].value_counts().to_dict()
    # Counted on the mirror (2026-12-03): labelled spectra covering 0.52-0.88 µm.
    assert counts == {
        "gaia-dr3": 1694,
        "smass2": 1339,
        "ecas": 453,
        "demeo2009": 372,
        "primass-l": 353,
        "smass1": 123,
    }
    # PRIMASS-L spectra stopping before 0.88 µm and ECAS asteroids missing a filter
    assert visible.left_out == {
        "smass2": 0,
        "smass1": 0,
        "primass-l": 65,
        "gaia-dr3": 0,
        "ecas": 23,
        "demeo2009": 0,
    }
    assert visible.wavelength[0] == pytest.approx(VISIBLE_SPAN[0])
    assert visible.wavelength[-1] == pytest.approx(VISIBLE_SPAN[1])
    assert np.isfinite(visible.X).all()
    np.testing.assert_allclose(visible.X[:, visible.wavelength == 0.55], 1.0)


def test_labels_travel_by_identity_in_order_of_preference(visible: SurveySpectra) -> None:
    rows = visible.rows
    vesta = rows[rows[schema.OBJECT_ID] == "4"]
    assert set(vesta[schema.SURVEY]) == {"smass2", "gaia-dr3", "smass1", "ecas", "demeo2009"}
    assert set(vesta["label"]) == {"V"}
    assert set(vesta["main_group"]) == {"Other"}
    # PRIMASS-L rows carry their own spectrum's class; Bus 2002 wins where it exists
    primass = rows[rows[schema.SURVEY] == "primass-l"]
    assert primass["label_source"].value_counts().to_dict() == {"primass-own": 347, "bus": 6}
    tholen = rows[rows["label_source"] == "tholen"]
    assert set(tholen["fine"]) <= set(schema.BUS_CLASSES)


def test_evaluate_leave_out_one_survey_from_the_command_line() -> None:
    result = runner.invoke(
        app,
        ["evaluate", "--leave-out", "smass1", "--folds", "3", "--repeats", "1", "--json"],
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["n_samples"] == 123
    assert summary["protocol"]["survey"] == "smass1"
    assert "smass1" not in summary["protocol"]["scheme"].split("(")[1]
    assert summary["accuracy"]["mean"] > 0.7
    assert {"accuracy[typical]", "ece", "brier"} <= set(summary)


@pytest.mark.parametrize(
    ("options", "match"),
    [
        (["--leave-out", "smass1", "--target", "bus"], "--leave-out evaluates main groups"),
        (["--leave-out", "ecas", "--cross-survey", "gaia-dr3"], "cannot be combined"),
    ],
)
def test_evaluate_leave_out_refuses_what_it_cannot_do(options: list[str], match: str) -> None:
    result = runner.invoke(app, ["evaluate", *options])
    assert result.exit_code == 1
    assert match in " ".join(result.output.split())


def test_train_multi_survey_saves_a_model_that_classifies_from_0_52_um(
    tmp_path: Path, visible: SurveySpectra
) -> None:
    output = tmp_path / "multi"
    result = runner.invoke(app, ["train", "--multi-survey", "-o", str(output), "--repeats", "0"])
    assert result.exit_code == 0, result.output
    card = json.loads((output / "card.json").read_text())
    surveys = card["training_data"]["surveys"]
    assert surveys["smass2"]["n_spectra"] == 1339
    assert surveys["smass2"]["correction"] == [1.0] * 37
    # Gaia DR3 sits above SMASSII at the red end (Gaia/SMASSII 1.085 at 0.90 µm)
    assert 1.03 < surveys["gaia-dr3"]["correction"][-1] < 1.12
    assert card["wavelength_um"][0] == pytest.approx(0.52)
    # Hebe's and Ceres's SMASSII spectra (training spectra: the saved model's path is tested)
    rows = visible.rows
    paths = []
    for number in ("6", "1"):
        row = np.flatnonzero((rows[schema.OBJECT_ID] == number) & (rows[schema.SURVEY] == "smass2"))
        paths.append(tmp_path / f"{number}.txt")
        np.savetxt(paths[-1], np.column_stack([visible.wavelength, visible.X[row[0]]]))
    classified = runner.invoke(
        app, ["classify", "--model", str(output), *map(str, paths), "--format", "json"]
    )
    assert classified.exit_code == 0, classified.output
    assert [r["main_group"] for r in json.loads(classified.stdout)] == ["S", "C"]


def test_train_multi_survey_refuses_other_targets() -> None:
    result = runner.invoke(app, ["train", "--multi-survey", "-o", "/tmp/x", "--target", "bus"])
    assert result.exit_code == 1
    assert "--multi-survey trains main groups" in " ".join(result.output.split())


def test_the_survey_spectra_are_cached_as_built(visible: SurveySpectra) -> None:
    from asteroid_spectra.data.cache import forget

    forget()  # drop the in-memory copy: read the Parquet file
    again = survey_spectra()
    assert again is not visible
    np.testing.assert_array_equal(again.X, visible.X)
    np.testing.assert_array_equal(again.wavelength, visible.wavelength)
    assert again.left_out == visible.left_out
    for column in ("object_id", "survey", "file", "label_source", "main_group", "fine"):
        assert again.rows[column].astype(str).tolist() == visible.rows[column].astype(str).tolist()
    np.testing.assert_array_equal(again.rows["noise"], visible.rows["noise"])
