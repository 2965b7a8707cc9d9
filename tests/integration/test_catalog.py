"""The whole Gaia DR3 catalogue, classified from the mirror: CLI, engines, a Dask scheduler."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from asteroid_spectra import schema
from asteroid_spectra.cli.app import app

pytestmark = pytest.mark.integration

runner = CliRunner()


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    """`asteroid-spectra catalog gaia-dr3 -o … --json` once (trains the default model)."""
    output = tmp_path_factory.mktemp("catalog") / "gaia_dr3_classes.parquet"
    figure = output.with_suffix(".png")
    result = runner.invoke(
        app, ["catalog", "gaia-dr3", "-o", str(output), "--figure", str(figure), "--json"]
    )
    assert result.exit_code == 0, result.stderr
    return output, json.loads(result.stdout)


def test_every_gaia_asteroid_gets_a_row(catalogue: tuple[Path, dict]) -> None:
    output, summary = catalogue
    frame = pd.read_parquet(output)
    assert len(frame) == summary["n_rows"] == 60518
    assert frame[schema.NUMBER].is_unique
    classified = frame[schema.MAIN_GROUP].notna()
    assert classified.sum() == summary["n_classified"] >= 60400
    # Unclassified rows say why; classified ones do not.
    assert frame.loc[~classified, "error"].str.contains("bands 0.418-0.946 µm are unflagged").all()
    assert frame.loc[classified, "error"].isna().all()
    assert summary["model"] == "logistic-bus"


def test_known_asteroids_get_their_textbook_groups(catalogue: tuple[Path, dict]) -> None:
    frame = pd.read_parquet(catalogue[0]).set_index(schema.NUMBER)
    # Ceres C, Vesta V (Other), Eros S, Psyche X (Bus & Binzel 2002, Table 4).
    assert frame.loc[1, schema.MAIN_GROUP] == "C"
    assert frame.loc[4, schema.MAIN_GROUP] == "Other"
    assert frame.loc[4, schema.BUS_CLASS] == "V"
    assert frame.loc[433, schema.MAIN_GROUP] == "S"
    assert frame.loc[16, schema.MAIN_GROUP] == "X"


def test_class_fractions_and_noise_are_those_of_a_survey(catalogue: tuple[Path, dict]) -> None:
    frame = pd.read_parquet(catalogue[0])
    fractions = frame[schema.MAIN_GROUP].value_counts(normalize=True)
    # S dominate the bright, C and X the dark; none is absent or overwhelming.
    assert 0.35 < fractions["S"] < 0.55
    assert all(0.08 < fractions[g] < 0.3 for g in ("C", "X", "Other"))
    # Faint spectra get lower probabilities, abstain more and lie farther from the training
    # spectra (measured: mean probability 0.81 → 0.75, abstention 3 % → 7 %, OOD 0.19 → 0.76).
    by_bin = frame.groupby("error_bin")[["probability", "uncertain", "ood_score"]].mean()
    assert by_bin.loc[">0.06", "probability"] < by_bin.loc["<0.01", "probability"] - 0.04
    assert by_bin.loc[">0.06", "uncertain"] > 2 * by_bin.loc["<0.01", "uncertain"]
    assert by_bin.loc[">0.06", "ood_score"] > 3 * by_bin.loc["<0.01", "ood_score"]
    probabilities = frame[[f"p_{g}" for g in schema.MAIN_GROUPS]].dropna().to_numpy(dtype=float)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, atol=1e-4)


def test_summary_figure_is_written(catalogue: tuple[Path, dict]) -> None:
    import matplotlib.image

    image = matplotlib.image.imread(catalogue[0].with_suffix(".png"))
    assert image.shape[0] > 800
    assert image.shape[1] > 1200


def test_dask_engine_on_a_scheduler_gives_the_same_catalogue(
    catalogue: tuple[Path, dict], tmp_path: Path
) -> None:
    from distributed import LocalCluster

    output = tmp_path / "dask.parquet"
    with LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        result = runner.invoke(
            app,
            [
                "catalog",
                "gaia-dr3",
                "-o",
                str(output),
                "--engine",
                "dask",
                "--scheduler",
                cluster.scheduler_address,
                "--json",
            ],
        )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["partitions"] == 4
    pd.testing.assert_frame_equal(pd.read_parquet(output), pd.read_parquet(catalogue[0]))


def test_cli_cross_survey_evaluation_prints_the_evaluate_keys() -> None:
    args = ["evaluate", "--target", "main-group", "--folds", "3", "--repeats", "1", "--json"]
    plain = runner.invoke(app, [*args, "--model", "logistic-bus"])
    cross = runner.invoke(app, [*args, "--cross-survey", "gaia-dr3", "--copies", "1"])
    assert plain.exit_code == 0, plain.stderr
    assert cross.exit_code == 0, cross.stderr
    plain_summary, summary = json.loads(plain.stdout), json.loads(cross.stdout)
    assert set(plain_summary) <= set(summary)
    assert summary["n_samples"] == 1323
    assert summary["protocol"]["scheme"] == "gaia"
    assert summary["protocol"]["n_asteroids"] == 1323
    assert 0.8 < summary["accuracy"]["mean"] < 0.95
    assert summary["catalogue_noise_accuracy"]["mean"] < summary["accuracy"]["mean"]
    assert {
        f"catalogue_noise_accuracy[{b}]" for b in ("<0.01", "0.01-0.03", "0.03-0.06", ">0.06")
    } <= set(summary)
