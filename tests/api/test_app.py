"""The app factory and request schemas, without starting the server."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from asteroid_spectra.api import create_app, create_app_from_env, schemas
from asteroid_spectra.models.results import Classification


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_batch": 0}, "The 'max_batch' parameter of create_app must be a positive integer"),
        ({"max_batch": 2.5}, "Got 2.5 instead"),
        ({"max_body_bytes": -1}, "'max_body_bytes' parameter"),
        ({"batch_window": -0.1}, "'batch_window' parameter .* seconds >= 0"),
    ],
)
def test_create_app_checks_its_parameters(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        create_app(**kwargs)


@pytest.mark.parametrize("value", ["0", "ten", "-5"])
def test_environment_limits_must_be_positive_integers(value: str) -> None:
    with pytest.raises(ValueError, match=f"ASTEROID_SPECTRA_MAX_BATCH must be .* Got '{value}'"):
        create_app_from_env({"ASTEROID_SPECTRA_MAX_BATCH": value})


def test_openapi_documents_both_body_types_and_the_result_fields() -> None:
    document = create_app().openapi()
    post = document["paths"]["/v1/classify"]["post"]
    assert set(post["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert {"200", "413", "415", "422"} <= set(post["responses"])
    assert "HTTPValidationError" in document["components"]["schemas"]
    # The documented result has exactly the fields Classification.to_dict gives.
    documented = set(document["components"]["schemas"]["ClassificationOut"]["properties"])
    assert documented == set(Classification("x").to_dict())


def test_one_spectrum_or_a_batch_validates() -> None:
    single = schemas.classify_body.validate_python({"wavelength": [1], "reflectance": [2]})
    assert isinstance(single, schemas.SpectrumIn)
    batch = schemas.classify_body.validate_python(
        {"spectra": [{"wavelength": [1], "reflectance": [None]}]}
    )
    assert isinstance(batch, schemas.ClassifyRequest)
    assert batch.spectra[0].reflectance == [None]


def test_unit_names_are_checked_case_insensitively() -> None:
    item = {"wavelength": [1], "reflectance": [2]}
    assert schemas.SpectrumIn.model_validate({**item, "unit": "NM"}).unit == "NM"
    with pytest.raises(ValidationError, match="Unknown wavelength unit 'parsec'"):
        schemas.SpectrumIn.model_validate({**item, "unit": "parsec"})


def test_spectra_sharing_a_grid_are_classified_together_with_the_same_results() -> None:
    import numpy as np
    import orjson

    from asteroid_spectra.api.inputs import classify_jobs, json_items
    from asteroid_spectra.models.classify import Classifier

    class Recording(Classifier):
        """Counts the calls of each path; classifies by a fixed rule."""

        def __init__(self) -> None:
            self.calls: list[str] = []

        def classify_arrays(
            self, wavelength: Any, reflectance: Any, sources: Any = None, unit: Any = None
        ) -> list[Classification]:
            self.calls.append(f"arrays:{len(reflectance)}")
            return [Classification(name, main_group="S") for name in sources]

        def classify_spectra(self, spectra: Any, sources: Any = None) -> list[Classification]:
            self.calls.append(f"spectra:{len(spectra)}")
            return [Classification(name, main_group="C") for name in sources]

    grid = np.linspace(0.45, 0.9, 40).tolist()
    other = np.linspace(0.44, 0.92, 30).tolist()
    body = orjson.dumps(
        {
            "spectra": [
                {"wavelength": grid, "reflectance": [1.0] * 40, "name": "a"},
                {"wavelength": other, "reflectance": [1.0] * 30, "name": "lonely"},
                {"wavelength": grid, "reflectance": [1.1] * 40, "name": "b"},
                {"wavelength": grid, "reflectance": [1.0] * 40, "error": [0.01] * 40, "name": "e"},
                {"wavelength": grid, "reflectance": [1.2] * 40, "name": "c"},
            ]
        }
    )
    classifier = Recording()
    (response,) = classify_jobs(classifier, [json_items(body, 10)])
    results = orjson.loads(response)["results"]
    # Input order kept; the three spectra on `grid` without errors went together.
    assert [(r["source"], r["main_group"]) for r in results] == [
        ("a", "S"),
        ("lonely", "C"),
        ("b", "S"),
        ("e", "C"),
        ("c", "S"),
    ]
    assert classifier.calls == ["arrays:3", "spectra:2"]


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (
            {"wavelength": [0.5, 0.6], "reflectance": [1]},
            r"reflectance has 1 values but wavelength has 2; give one reflectance value per "
            r"wavelength \(null for a missing one\)",
        ),
        (
            {"wavelength": [0.5, 0.6], "reflectance": [1, 1], "error": [0.1, 0.1, 0.1]},
            r"error has 3 values but wavelength has 2; give one error value per wavelength",
        ),
    ],
)
def test_arrays_of_other_lengths_than_the_wavelengths_are_refused(
    item: dict[str, Any], message: str
) -> None:
    from asteroid_spectra.exceptions import SpectrumError

    with pytest.raises(ValidationError, match=message) as caught:
        schemas.SpectrumIn.model_validate(item)
    (detail,) = caught.value.errors()
    assert detail["type"] == "value_error"  # pydantic's 422 detail, as for a ValueError
    assert isinstance(detail["ctx"]["error"], SpectrumError)


def test_start_up_fails_when_the_classifier_cannot_classify_its_own_grid() -> None:
    import asyncio
    from types import SimpleNamespace

    import numpy as np

    from asteroid_spectra.exceptions import StateError
    from asteroid_spectra.models.classify import Classifier

    class Broken(Classifier):
        """Fails every spectrum, as a model trained on another grid would."""

        def __init__(self) -> None:
            grid = np.linspace(0.45, 0.9, 10)
            self.families = (SimpleNamespace(grid=grid),)  # type: ignore[assignment]

        def classify_spectra(self, spectra: Any, sources: Any = None) -> list[Classification]:
            return [Classification("#0", error="the model expects 49 wavelengths, got 10.")]

    app = create_app(Broken())

    async def start() -> None:  # what the ASGI server does before serving
        async with app.router.lifespan_context(app):
            pass

    with pytest.raises(
        StateError,
        match=r"^At start-up the classifier must classify a flat spectrum on its own grid; "
        r"it failed with: the model expects 49 wavelengths, got 10\. Check the model given "
        r"to create_app\.$",
    ):
        asyncio.run(start())
