"""catalog.input: the wide table needs a SpectralSet."""

from __future__ import annotations

import pytest

from asteroid_spectra.catalog.input import wide_frame
from asteroid_spectra.exceptions import ParameterError


@pytest.mark.parametrize(("value", "kind"), [([[1.0, 2.0]], "list"), (None, "NoneType")])
def test_wide_frame_refuses_anything_but_a_spectral_set(value: object, kind: str) -> None:
    with pytest.raises(
        ParameterError,
        match=rf"^The 'spectra' parameter of wide_frame must be a SpectralSet \(e\.g\. "
        rf"load_spectra\('gaia-dr3'\)\)\. Got {kind} instead\.$",
    ):
        wide_frame(value)
