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
