"""Request and response bodies of the HTTP API (pydantic models, shown at ``/docs``).

A request body is one spectrum or ``{"spectra": [...]}``; wavelengths are in the unit
given per spectrum (µm, nm or Å; guessed from the values when omitted), and ``null`` in
an array stands for a missing sample (JSON has no NaN). A response never contains NaN:
values that are not finite are ``null``.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    TypeAdapter,
    field_validator,
    model_validator,
)

from asteroid_spectra.exceptions import SpectrumError

__all__ = [
    "MAX_POINTS",
    "ClassesOut",
    "ClassificationOut",
    "ClassifyRequest",
    "ClassifyResponse",
    "DemeoTemplateOut",
    "ErrorOut",
    "HealthOut",
    "ModelsOut",
    "ReferenceSpectraOut",
    "ReferenceSpectrumOut",
    "SpectrumIn",
    "classify_body",
    "dumps",
]

MAX_POINTS = 100_000
"""Most samples one spectrum of a request may have."""

Samples = Annotated[
    list[float | None],
    Field(max_length=MAX_POINTS, description=f"At most {MAX_POINTS:,} values; null = missing."),
]


class SpectrumIn(BaseModel):
    """One spectrum: wavelength, reflectance and optional 1-sigma errors, sample by sample.

    Junk rows (non-positive or missing wavelength, missing or non-positive reflectance,
    repeated wavelengths) are repaired and reported in the result's ``notes``.
    """

    model_config = ConfigDict(extra="forbid")

    wavelength: Samples = Field(description="Wavelengths in `unit`.")
    reflectance: Samples = Field(description="Reflectance, any scale (normalised at 0.55 µm).")
    error: Samples | None = Field(default=None, description="1-sigma errors of the reflectance.")
    unit: str | None = Field(
        default=None,
        description="Wavelength unit: um, nm or angstrom (also micron, µm, Å, …); "
        "null guesses it from the values.",
        examples=["um", "nm", "angstrom"],
    )
    name: str | None = Field(
        default=None,
        max_length=256,
        description="Name echoed as the result's `source` (default `#<index>`).",
    )

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, unit: str | None) -> str | None:
        from asteroid_spectra.spectra.units import parse_unit

        if unit is not None:
            parse_unit(unit)  # UnitError is a ValueError: pydantic reports it (422)
        return unit

    @model_validator(mode="after")
    def _same_lengths(self) -> SpectrumIn:
        size = len(self.wavelength)
        for name in ("reflectance", "error"):
            values = getattr(self, name)
            if values is not None and len(values) != size:
                # A SpectrumError is a ValueError: pydantic reports it (422).
                raise SpectrumError(
                    f"{name} has {len(values)} values but wavelength has {size}; give one "
                    f"{name} value per wavelength (null for a missing one)"
                )
        return self


class ClassifyRequest(BaseModel):
    """A batch of spectra, classified in one call; results come back in the same order."""

    model_config = ConfigDict(extra="forbid")

    spectra: list[SpectrumIn] = Field(min_length=1)


def _body_kind(value: Any) -> str:
    return "batch" if isinstance(value, dict) and "spectra" in value else "single"


classify_body: TypeAdapter[ClassifyRequest | SpectrumIn] = TypeAdapter(
    Annotated[
        Annotated[ClassifyRequest, Tag("batch")] | Annotated[SpectrumIn, Tag("single")],
        Discriminator(_body_kind),
    ]
)
"""Validator of a JSON classify body: a batch (has ``"spectra"``) or one spectrum."""


class ClassificationOut(BaseModel):
    """Classification of one spectrum, or why it failed (``error``).

    See :class:`~asteroid_spectra.models.results.Classification` for the meaning of
    each field.
    """

    source: str
    main_group: str | None
    main_group_probability: float | None
    bus_class: str | None
    bus_probability: float | None
    probabilities: dict[str, float | None]
    bus_probabilities: dict[str, float | None]
    uncertain: bool | None
    bus_uncertain: bool | None
    demeo_class: str | None
    demeo_probability: float | None
    demeo_probabilities: dict[str, float | None]
    demeo_uncertain: bool | None
    tholen_class: str | None
    tholen_probability: float | None
    tholen_probabilities: dict[str, float | None]
    tholen_uncertain: bool | None
    ood_score: float | None
    wavelength_min: float | None = Field(description="First wavelength used (µm).")
    wavelength_max: float | None = Field(description="Last wavelength used (µm).")
    n_points: int | None
    model: str | None
    notes: list[str]
    error: str | None


class ClassifyResponse(BaseModel):
    """One result per spectrum, in request order."""

    results: list[ClassificationOut]


class ModelsOut(BaseModel):
    """Model cards (description, classes, grid, training data, versions) of the models."""

    models: list[dict[str, Any]]
    note: str


class ClassesOut(BaseModel):
    """The taxonomy and how many SMASSII spectra each class has."""

    main_groups: list[str]
    bus_classes: list[str]
    bus_to_main_group: dict[str, str]
    main_group_counts: dict[str, int]
    bus_class_counts: dict[str, int]
    n_labelled: int
    source: str


class ReferenceSpectrumOut(BaseModel):
    """One SMASSII spectrum on the 49-point grid, unity at 0.55 µm."""

    object_id: str
    name: str
    bus_class: str
    main_group: str
    reflectance: list[float | None]


class ReferenceSpectraOut(BaseModel):
    """SMASSII spectra of a class, with their mean and standard deviation per wavelength."""

    wavelength: list[float] = Field(description="The SMASSII grid (µm).")
    spectra: list[ReferenceSpectrumOut]
    mean: list[float | None] | None
    std: list[float | None] | None


class DemeoTemplateOut(BaseModel):
    """A Bus-DeMeo class template (DeMeo et al. 2009): mean spectrum and spread."""

    demeo_class: str
    wavelength: list[float] = Field(description="0.45-2.45 µm every 0.05 µm.")
    mean: list[float] = Field(description="Mean reflectance, unity at 0.55 µm.")
    std: list[float] = Field(description="Standard deviation of the class's spectra.")


class HealthOut(BaseModel):
    """Liveness: the server has loaded its models and answers."""

    status: str
    version: str


class ErrorOut(BaseModel):
    """An error: what went wrong, what was expected and what to do."""

    detail: str


def dumps(content: Any) -> bytes:
    """Serialise a response body with orjson: numpy arrays allowed, NaN and inf → null."""
    import orjson

    return orjson.dumps(content, option=orjson.OPT_SERIALIZE_NUMPY)
