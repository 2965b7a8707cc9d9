"""schema: the Bus class → main group map refuses unknown classes."""

from __future__ import annotations

import pytest

from asteroid_spectra import schema
from asteroid_spectra.exceptions import ParameterError


@pytest.mark.parametrize("bus_class", ["Zz", "cgh", ""])
def test_an_unknown_bus_class_is_refused_with_the_known_ones(bus_class: str) -> None:
    with pytest.raises(
        ParameterError,
        match=rf"^Unknown Bus class {bus_class!r}; expected one of B, C, Cb, Cg, .*, T, V\.$",
    ):
        schema.main_group(bus_class)


@pytest.mark.parametrize(
    ("taxonomy", "label", "group"),
    [
        ("bus", "Sq", "S"),
        ("demeo", "Sqw", "S"),
        ("demeo", "Vw", "Other"),
        ("demeo", "Xn", "X"),
        ("demeo", "Cgh", "C"),
        ("demeo", "Sw", "S"),
        ("demeo", "Sv", "S"),
        ("demeo", "Svw", "S"),
        ("demeo", "Q", "Other"),
        ("tholen", "G", "C"),
        ("tholen", "M", "X"),
        ("tholen", "CXU", "C"),
        ("tholen", "XFU", "X"),
        ("tholen", "V", "Other"),
    ],
)
def test_taxonomy_main_group(taxonomy: str, label: str, group: str) -> None:
    assert schema.taxonomy_main_group(taxonomy, label) == group


@pytest.mark.parametrize(
    ("taxonomy", "label", "message"),
    [
        ("tholen1984", "S", r"'taxonomy' parameter of taxonomy_main_group must be 'bus'"),
        ("demeo", "Sk", r"Unknown demeo class 'Sk'; expected one of B, C, .*trailing w"),
        ("demeo", "Sww", r"Unknown demeo class 'Sww'"),
        ("demeo", "wS", r"Unknown demeo class 'wS'"),
        ("demeo", "c", r"Unknown demeo class 'c'"),
        ("demeo", "Ld", r"Unknown demeo class 'Ld'"),  # a Bus class only
        ("tholen", "Z", r"Unknown tholen class 'Z'; .*as the first letter"),
        ("tholen", "", r"Unknown tholen class ''"),
    ],
)
def test_taxonomy_main_group_refuses_unknown_input(taxonomy: str, label: str, message: str) -> None:
    with pytest.raises(ParameterError, match=message):
        schema.taxonomy_main_group(taxonomy, label)


def test_every_class_of_each_taxonomy_has_a_main_group() -> None:
    assert set(schema.DEMEO_TO_MAIN_GROUP.values()) == set(schema.MAIN_GROUPS)
    assert set(schema.THOLEN_TO_MAIN_GROUP.values()) == set(schema.MAIN_GROUPS)
    assert len(schema.DEMEO_CLASSES) == 25
    assert len(schema.THOLEN_CLASSES) == 15
