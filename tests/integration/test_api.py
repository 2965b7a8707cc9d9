"""The HTTP API against a real server (``asteroid-spectra serve`` in a subprocess).

The server (fixture ``api_server``) runs with ``--max-batch 50 --max-body-bytes
1000000``. Reference numbers: the 1339 labelled SMASSII spectra (C 396, S 549, X 237,
Other 157; Bus & Binzel 2002, Table 2 and the PDS archive's Bus.Taxonomy.txt).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import numpy as np
import pytest
from hypothesis import HealthCheck, settings

from asteroid_spectra import __version__
from asteroid_spectra.schema import DEMEO_WAVELENGTH, ECAS_WAVELENGTH, SMASS2_WAVELENGTH
from asteroid_spectra.spectra.sets import SpectralSet

pytestmark = pytest.mark.integration


def _no_constants(name: str) -> Any:
    raise AssertionError(f"the response contains {name}, which is not JSON")


def strict_json(response: httpx.Response) -> Any:
    """The body parsed as standard JSON (NaN or Infinity fail the test)."""
    return json.loads(response.text, parse_constant=_no_constants)


@pytest.fixture(scope="module")
def client(api_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=api_server, timeout=120) as session:
        yield session


def _row(smass2: SpectralSet, object_id: str) -> int:
    return int(np.flatnonzero(smass2.objects["object_id"].to_numpy(dtype=str) == object_id)[0])


def _in_nm(smass2: SpectralSet, object_id: str) -> dict[str, Any]:
    """A SMASSII spectrum as a request item, wavelengths in nm."""
    spectrum = smass2.spectrum(_row(smass2, object_id))
    return {
        "name": f"({object_id})",
        "unit": "nm",
        "wavelength": (spectrum.wavelength * 1000).round(3).tolist(),
        "reflectance": spectrum.reflectance.tolist(),
    }


def _classify(client: httpx.Client, body: Any) -> list[dict[str, Any]]:
    response = client.post("/v1/classify", json=body)
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = strict_json(response)["results"]
    return results


@pytest.fixture(scope="module")
def hebe(smass2: SpectralSet) -> Any:
    """A function giving (6) Hebe (Bus S) over lo-hi µm, densely sampled, as a request item."""
    spectrum = smass2.spectrum(_row(smass2, "6"))

    def visible(lo: float, hi: float, points: int = 120) -> dict[str, Any]:
        wavelength = np.linspace(lo, hi, points)
        reflectance = np.interp(wavelength, spectrum.wavelength, spectrum.reflectance)
        return {"wavelength": wavelength.tolist(), "reflectance": reflectance.tolist()}

    return visible


# --- service endpoints ---------------------------------------------------------------------
def test_health_docs_and_openapi(client: httpx.Client) -> None:
    assert strict_json(client.get("/healthz")) == {"status": "ok", "version": __version__}
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "swagger-ui" in docs.text.lower()
    document = strict_json(client.get("/openapi.json"))
    body = document["paths"]["/v1/classify"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}
    assert {"SpectrumIn", "ClassifyRequest", "ClassifyResponse"} <= set(
        document["components"]["schemas"]
    )


def test_classes_report_the_smass2_counts(client: httpx.Client) -> None:
    classes = strict_json(client.get("/v1/classes"))
    assert classes["main_groups"] == ["C", "S", "X", "Other"]
    assert len(classes["bus_classes"]) == 26
    assert classes["bus_to_main_group"]["Sq"] == "S"
    assert classes["bus_to_main_group"]["V"] == "Other"
    assert classes["main_group_counts"] == {"C": 396, "S": 549, "X": 237, "Other": 157}
    assert classes["n_labelled"] == 1339
    assert sum(classes["bus_class_counts"].values()) == 1339
    assert classes["bus_class_counts"]["S"] == 383
    assert classes["bus_class_counts"]["Q"] == 0  # no Q-type among the SMASSII labels


def test_models_returns_the_card_of_the_model_in_use(client: httpx.Client) -> None:
    models = strict_json(client.get("/v1/models"))["models"]
    assert [card["target"] for card in models] == ["main-group", "demeo", "tholen"]
    bus, demeo, tholen = models
    assert bus["wavelength_um"] == pytest.approx(SMASS2_WAVELENGTH.tolist())
    assert bus["training_data"]["n_spectra"] == 1339
    assert set(bus["classes"]) == {"C", "S", "X", "Other"}
    assert demeo["wavelength_um"] == pytest.approx(DEMEO_WAVELENGTH.tolist())
    assert demeo["training_data"]["n_spectra"] == 343  # the 17 classes with >= 5 spectra
    assert {"S", "Sw", "V", "C", "D"} <= set(demeo["classes"])
    assert tholen["wavelength_um"] == pytest.approx(ECAS_WAVELENGTH.tolist())
    assert tholen["training_data"]["n_spectra"] == 397
    assert set(tholen["classes"]) == {"B", "C", "D", "F", "G", "S", "T", "X"}


def test_reference_spectra_of_group_s(client: httpx.Client, smass2: SpectralSet) -> None:
    data = strict_json(client.get("/v1/reference-spectra", params={"group": "S"}))
    assert data["wavelength"] == pytest.approx(SMASS2_WAVELENGTH.tolist())
    assert len(data["spectra"]) == 549
    assert {s["main_group"] for s in data["spectra"]} == {"S"}
    assert all(len(s["reflectance"]) == 49 for s in data["spectra"])
    labelled = smass2.labelled()
    rows = labelled.objects["main_group"].to_numpy(dtype=str) == "S"
    expected = labelled.reflectance[rows]
    assert data["mean"] == pytest.approx(np.nanmean(expected, axis=0).tolist(), rel=1e-12)
    assert data["std"] == pytest.approx(np.nanstd(expected, axis=0).tolist(), rel=1e-12)
    # Unity at 0.55 µm, as published.
    assert data["mean"][11] == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize(
    ("params", "count"),
    [({"bus_class": "Sq"}, 52), ({"bus_class": "O"}, 1), ({"group": "C", "bus_class": "B"}, 60)],
)
def test_reference_spectra_filters(
    client: httpx.Client, params: dict[str, str], count: int
) -> None:
    data = strict_json(client.get("/v1/reference-spectra", params=params))
    assert len(data["spectra"]) == count
    assert len(data["mean"]) == 49


def test_reference_spectra_of_an_empty_class_have_no_mean(client: httpx.Client) -> None:
    data = strict_json(client.get("/v1/reference-spectra", params={"bus_class": "Q"}))
    assert data["spectra"] == []
    assert data["mean"] is None
    assert data["std"] is None


@pytest.mark.parametrize(("name", "value"), [("group", "Q"), ("bus_class", "s"), ("group", "")])
def test_reference_spectra_unknown_class_is_422(
    client: httpx.Client, name: str, value: str
) -> None:
    response = client.get("/v1/reference-spectra", params={name: value})
    assert response.status_code == 422
    (detail,) = strict_json(response)["detail"]
    assert detail["loc"] == ["query", name]
    assert "Input should be one of" in detail["msg"]


# --- classification ------------------------------------------------------------------------
def test_smass2_spectra_sent_in_nm_classify_to_their_group(
    client: httpx.Client, smass2: SpectralSet
) -> None:
    # (6) Hebe and (7) Iris are S (Bus S); sent in nm on the 49-point grid.
    results = _classify(client, {"spectra": [_in_nm(smass2, "6"), _in_nm(smass2, "7")]})
    for result in results:
        assert result["error"] is None
        assert result["main_group"] == "S"
        assert result["wavelength_min"] == pytest.approx(0.44)
        assert result["wavelength_max"] == pytest.approx(0.92)
        assert result["n_points"] == 49
        assert sum(result["probabilities"].values()) == pytest.approx(1.0)
        assert result["ood_score"] < 1  # a training spectrum is in distribution


def test_a_single_spectrum_object_needs_no_wrapper_and_matches_the_library(
    client: httpx.Client, smass2: SpectralSet
) -> None:
    from asteroid_spectra.models.classify import Classifier
    from asteroid_spectra.spectra.inputs import spectrum_from_input

    item = _in_nm(smass2, "6")
    (result,) = _classify(client, item)
    spectrum = spectrum_from_input((item["wavelength"], item["reflectance"]), "nm")
    (expected,) = Classifier().classify_spectra([spectrum], [item["name"]])
    assert result["source"] == "(6)"
    assert result["main_group"] == expected.main_group
    assert result["bus_class"] == expected.bus_class
    assert result["probabilities"] == pytest.approx(expected.probabilities, rel=1e-9)
    assert result["ood_score"] == pytest.approx(expected.ood_score, rel=1e-9)


def test_batch_results_come_back_in_input_order(client: httpx.Client, smass2: SpectralSet) -> None:
    # Ceres (C), Vesta (V: Other), Hebe (S), Psyche (X), twice over, plus a failure.
    ids = ["1", "4", "6", "16"] * 2
    items = [_in_nm(smass2, i) for i in ids]
    items.insert(3, {"wavelength": [0.3, 0.4, 0.5], "reflectance": [1, 1, 1], "name": "bad"})
    results = _classify(client, {"spectra": items})
    assert [r["source"] for r in results] == [item["name"] for item in items]
    groups = [r["main_group"] for r in results]
    assert groups == ["C", "Other", "S", None, "X", "C", "Other", "S", "X"]
    assert results[3]["error"] is not None


def test_junk_rows_are_dropped_and_reported_in_notes(client: httpx.Client, hebe: Any) -> None:
    item = hebe(0.44, 0.92)
    item["wavelength"] += [0.0, 0.6]  # a placeholder wavelength and a repeated one
    item["reflectance"] += [1.0, 1.05]
    item["reflectance"][10] = None  # JSON null: a missing sample
    (result,) = _classify(client, item)
    assert result["error"] is None
    assert result["main_group"] == "S"
    assert "dropped 1 row with a zero, negative or non-finite wavelength" in result["notes"]
    assert "dropped 1 row with a NaN or infinite reflectance" in result["notes"]
    assert any(note.startswith("sorted the rows") for note in result["notes"])


def test_partial_coverage_uses_the_covered_span(client: httpx.Client, hebe: Any) -> None:
    (result,) = _classify(client, hebe(0.49, 0.83))
    assert result["error"] is None
    assert result["main_group"] == "S"
    # The span used lies inside the covered 0.49-0.83 µm and includes 0.55-0.80 µm.
    assert 0.49 - 1e-9 <= result["wavelength_min"] <= 0.50 + 1e-9
    assert 0.80 - 1e-9 <= result["wavelength_max"] <= 0.83 + 1e-9
    span = result["wavelength_max"] - result["wavelength_min"]
    assert result["n_points"] == round(span / 0.01) + 1  # points of the 0.01 µm grid


def test_too_short_coverage_fails_that_spectrum_only(client: httpx.Client, hebe: Any) -> None:
    results = _classify(client, {"spectra": [hebe(0.44, 0.92), hebe(0.57, 0.90)]})
    assert results[0]["main_group"] == "S"
    assert results[1]["main_group"] is None
    assert "needs at least 0.55-0.80 µm" in results[1]["error"]
    assert "missing 0.550-0.570 µm" in results[1]["error"]


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"wavelength": [None] * 5, "reflectance": [1.0] * 5}, "no finite wavelength"),
        ({"wavelength": [0.5, 0.6], "reflectance": [1, 1], "unit": "um"}, "Too few points"),
        ({"wavelength": [450, 550, 650, 750, 850], "reflectance": [1] * 5, "unit": "um"}, "nm"),
        ({"wavelength": [], "reflectance": [], "unit": "nm"}, "Too few points"),
    ],
)
def test_unclassifiable_spectra_get_an_error_not_a_failed_request(
    client: httpx.Client, item: dict[str, Any], message: str
) -> None:
    (result,) = _classify(client, {"spectra": [item]})
    assert result["main_group"] is None
    assert message in result["error"]


# --- uploads -----------------------------------------------------------------------------
def test_multipart_upload_of_text_files(client: httpx.Client, smass2: SpectralSet) -> None:
    spectrum = smass2.spectrum(_row(smass2, "6"))
    rows = zip(spectrum.wavelength, spectrum.reflectance, strict=True)
    table = "\n".join(f"{w * 1000:.1f} {r:.5f}" for w, r in rows)
    files = [
        ("file", ("hebe.txt", "# Hebe\nwavelength (nm) reflectance\n" + table, "text/plain")),
        ("file", ("../../etc/passwd", "wavelength reflectance\n0.5 1\n0.6 x\n", "text/plain")),
    ]
    response = client.post("/v1/classify", files=files)
    assert response.status_code == 200, response.text
    hebe, junk = strict_json(response)["results"]
    assert hebe["source"] == "hebe.txt"
    assert hebe["main_group"] == "S"
    assert hebe["n_points"] == 49
    assert junk["source"] == "passwd"  # a label only, never a path
    assert junk["main_group"] is None
    assert "line 3" in junk["error"]


def test_multipart_unit_field_and_its_validation(client: httpx.Client, hebe: Any) -> None:
    item = hebe(0.44, 0.92)
    table = "\n".join(
        f"{w * 10000:.1f},{r}" for w, r in zip(item["wavelength"], item["reflectance"], strict=True)
    )
    files = {"file": ("s.csv", table, "text/csv")}
    ok = client.post("/v1/classify", files=files, data={"unit": "angstrom"})
    assert strict_json(ok)["results"][0]["main_group"] == "S"
    bad = client.post("/v1/classify", files=files, data={"unit": "parsec"})
    assert bad.status_code == 422
    assert strict_json(bad)["detail"][0]["loc"] == ["body", "unit"]
    assert "Unknown wavelength unit 'parsec'" in strict_json(bad)["detail"][0]["msg"]


def test_multipart_without_files_is_422(client: httpx.Client) -> None:
    response = client.post("/v1/classify", files={"other": ("x.txt", "1 2\n", "text/plain")})
    assert response.status_code == 422
    assert strict_json(response)["detail"][0]["loc"] == ["body", "file"]


# --- limits and validation ---------------------------------------------------------------------
def test_too_many_spectra_is_413_naming_the_limit(client: httpx.Client) -> None:
    item = {"wavelength": [0.5, 0.6, 0.7], "reflectance": [1, 1, 1]}
    response = client.post("/v1/classify", json={"spectra": [item] * 51})
    assert response.status_code == 413
    assert "at most 50 per request" in strict_json(response)["detail"]
    assert "got 51" in strict_json(response)["detail"]
    files = [("file", (f"{i}.txt", "0.5 1\n0.6 1\n0.7 1\n", "text/plain")) for i in range(51)]
    assert client.post("/v1/classify", files=files).status_code == 413
    assert client.post("/v1/classify", json={"spectra": [item] * 50}).status_code == 200


def test_oversized_body_is_413_by_length_and_by_stream(client: httpx.Client) -> None:
    big = b'{"spectra": [' + b" " * 1_100_000 + b"]}"
    response = client.post(
        "/v1/classify", content=big, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert "at most 1,000,000 bytes" in strict_json(response)["detail"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: chunked transfer
        for _ in range(20):
            yield b" " * 100_000

    streamed = client.post(
        "/v1/classify", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413
    assert "streamed" in strict_json(streamed)["detail"]


def test_more_than_100000_points_is_422(client: httpx.Client) -> None:
    values = "[" + ",".join(["1"] * 100_001) + "]"
    body = f'{{"wavelength": {values}, "reflectance": [1]}}'
    response = client.post(
        "/v1/classify", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    locs = [d["loc"] for d in strict_json(response)["detail"]]
    assert ["body", "wavelength"] in locs


@pytest.mark.parametrize(
    ("body", "loc", "message"),
    [
        (
            {"spectra": [{"wavelength": [0.5, 0.6, 0.7]}]},
            ["body", "spectra", 0, "reflectance"],
            "Field required",
        ),
        (
            {"wavelength": [0.5], "reflectance": [1], "unit": "furlong"},
            ["body", "unit"],
            "Unknown wavelength unit 'furlong'",
        ),
        (
            {"spectra": [{"wavelength": [0.5, 0.6], "reflectance": [1]}]},
            ["body", "spectra", 0],
            "reflectance has 1 values but wavelength has 2",
        ),
        (
            {"spectra": [{"wavelength": ["a"], "reflectance": [1]}]},
            ["body", "spectra", 0, "wavelength", 0],
            "valid number",
        ),
        ({"spectra": []}, ["body", "spectra"], "at least 1 item"),
        (
            {"wavelength": [1], "reflectance": [1], "colour": "red"},
            ["body", "colour"],
            "Extra inputs",
        ),
        ([1, 2], ["body"], "object"),
    ],
)
def test_malformed_requests_are_422_with_location_and_reason(
    client: httpx.Client, body: Any, loc: list[Any], message: str
) -> None:
    response = client.post("/v1/classify", json=body)
    assert response.status_code == 422
    details = strict_json(response)["detail"]
    assert any(d["loc"] == loc and message in d["msg"] for d in details), details


def test_invalid_json_and_wrong_content_type(client: httpx.Client) -> None:
    broken = client.post(
        "/v1/classify", content=b"{bad", headers={"content-type": "application/json"}
    )
    assert broken.status_code == 422
    assert strict_json(broken)["detail"][0]["type"] == "json_invalid"
    text = client.post("/v1/classify", content=b"0.5 1", headers={"content-type": "text/plain"})
    assert text.status_code == 415
    assert "multipart/form-data" in strict_json(text)["detail"]


def test_non_finite_values_never_reach_the_json(client: httpx.Client, hebe: Any) -> None:
    # Huge reflectance overflows inside the model; the response must stay standard JSON.
    item = hebe(0.44, 0.92)
    item["reflectance"] = [1e300 if i % 2 else 1.0 for i in range(len(item["wavelength"]))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (result,) = _classify(client, item)
    assert result["error"] is None or isinstance(result["error"], str)


# --- schema-driven fuzzing ---------------------------------------------------------------------
def test_schemathesis_finds_no_server_error(api_server: str) -> None:
    """Every operation, 30 generated requests each (schemathesis), answers without a 5xx.

    The operations are driven by hand: schemathesis' lazy pytest fixture does not work
    with pytest 9.
    """
    import schemathesis
    from hypothesis import given
    from schemathesis.checks import not_a_server_error

    schema = schemathesis.openapi.from_url(f"{api_server}/openapi.json")
    labels = []
    for result in schema.get_all_operations():
        operation = result.ok()
        labels.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
        def no_server_error(case: Any) -> None:
            case.call_and_validate(checks=[not_a_server_error], timeout=60)

        no_server_error()
    assert "POST /v1/classify" in labels
    assert (
        len(labels) == 8
    )  # with GET /v1/latent-space, POST /v1/neighbours, GET /v1/demeo-templates


# --- neighbours and latent space ---------------------------------------------------------------
def test_latent_space_places_the_1339_labelled_spectra(
    client: httpx.Client, smass2: SpectralSet
) -> None:
    data = strict_json(client.get("/v1/latent-space"))

    assert set(data) == {"x", "y", "object_id", "name", "bus_class", "main_group"}
    assert all(len(values) == 1339 for values in data.values())
    assert all(isinstance(v, float) for v in data["x"] + data["y"])  # no null
    labelled = smass2.labelled().objects
    assert data["object_id"] == labelled["object_id"].astype(str).tolist()
    assert data["bus_class"] == labelled["bus_class"].astype(str).tolist()
    counts = {g: data["main_group"].count(g) for g in ("C", "S", "X", "Other")}
    assert counts == {"C": 396, "S": 549, "X": 237, "Other": 157}  # Bus & Binzel 2002
    assert data["name"][data["object_id"].index("7")] == "Iris"
    document = strict_json(client.get("/openapi.json"))
    assert {"LatentSpaceOut", "NeighboursOut", "NeighbourOut"} <= set(
        document["components"]["schemas"]
    )


def test_neighbours_of_a_smass2_spectrum_start_with_itself(
    client: httpx.Client, smass2: SpectralSet
) -> None:
    # (7) Iris, Bus S (Bus & Binzel 2002), sent in nm: its own SMASSII spectrum is nearest.
    response = client.post("/v1/neighbours", json=_in_nm(smass2, "7"))
    assert response.status_code == 200, response.text
    data = strict_json(response)

    first, *others = data["neighbours"]
    assert len(data["neighbours"]) == 5
    assert (first["object_id"], first["name"], first["bus_class"]) == ("7", "Iris", "S")
    assert first["main_group"] == "S"
    assert first["distance"] == pytest.approx(0, abs=1e-6)
    distances = [n["distance"] for n in data["neighbours"]]
    assert distances == sorted(distances)
    assert others[0]["distance"] > 1e-3
    assert (data["wavelength_min"], data["wavelength_max"]) == (0.44, 0.92)
    assert data["wavelength"] == pytest.approx(SMASS2_WAVELENGTH.tolist())
    assert all(len(n["reflectance"]) == 49 for n in data["neighbours"])
    assert data["reflectance"] == pytest.approx(first["reflectance"], abs=1e-6)
    assert data["notes"] == []
    # Its latent position is its point of the latent space.
    space = strict_json(client.get("/v1/latent-space"))
    at = space["object_id"].index("7")
    assert data["latent"]["x"] == pytest.approx(space["x"][at], abs=1e-5)
    assert data["latent"]["y"] == pytest.approx(space["y"][at], abs=1e-5)


def test_neighbours_of_a_partial_spectrum_have_no_latent_position(
    client: httpx.Client, hebe: Any
) -> None:
    response = client.post("/v1/neighbours", params={"k": 3}, json=hebe(0.49, 0.83))
    assert response.status_code == 200, response.text
    data = strict_json(response)

    assert data["latent"] is None
    assert any("No latent position" in note and "0.44-0.92 µm" in note for note in data["notes"])
    assert (data["wavelength_min"], data["wavelength_max"]) == (0.50, 0.82)
    assert len(data["wavelength"]) == len(data["reflectance"]) == 33
    assert len(data["neighbours"]) == 3
    assert all(len(n["reflectance"]) == 33 for n in data["neighbours"])
    assert data["neighbours"][0]["main_group"] == "S"  # (6) Hebe is S
    assert data["neighbours"][0]["distance"] < 0.01


@pytest.mark.parametrize(
    ("item", "loc", "message"),
    [
        (
            {"wavelength": [0.57, 0.6, 0.7, 0.9], "reflectance": [1, 1, 1, 1]},
            ["body"],
            "needs at least 0.55-0.80 µm (missing 0.550-0.570 µm)",
        ),
        (
            {"wavelength": [450, 550, 650, 750, 850], "reflectance": [1] * 5, "unit": "um"},
            ["body"],
            "They look like nm or Å",
        ),
        ({"wavelength": [0.5], "reflectance": [1], "unit": "parsec"}, ["body", "unit"], "parsec"),
        ({"wavelength": [0.5, 0.6], "reflectance": [1]}, ["body"], "reflectance has 1 values"),
    ],
    ids=["coverage", "unit-mismatch", "unknown-unit", "lengths"],
)
def test_neighbours_of_an_unusable_spectrum_is_422_with_the_reason(
    client: httpx.Client, item: dict[str, Any], loc: list[Any], message: str
) -> None:
    response = client.post("/v1/neighbours", json=item)

    assert response.status_code == 422
    details = strict_json(response)["detail"]
    assert any(d["loc"] == loc and message in d["msg"] for d in details), details


def test_demeo_templates_are_the_published_ones(client: httpx.Client) -> None:
    from asteroid_spectra.data.datasets import load_table

    template = strict_json(client.get("/v1/demeo-templates", params={"demeo_class": "V"}))
    assert template["demeo_class"] == "V"
    assert template["wavelength"] == pytest.approx(DEMEO_WAVELENGTH.tolist())
    published = load_table("demeo2009", "templates")
    rows = published[published.demeo_class == "V"].sort_values("wavelength")
    assert template["mean"] == pytest.approx(rows["mean"].tolist())
    assert template["std"] == pytest.approx(rows["sigma"].tolist())
    assert template["mean"][2] == 1.0  # unity at 0.55 µm
    refused = client.get("/v1/demeo-templates", params={"demeo_class": "Sw"})
    assert refused.status_code == 422
    assert "Input should be one of B, C, Cb" in refused.text
