"""The app factory and request schemas, without starting the server."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from asteroid_spectra.api import create_app, create_app_from_env, schemas
from asteroid_spectra.service.results import Classification


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
