"""The Gaia DR3 table built from the 20 real parts (values from the files themselves)."""

from __future__ import annotations

import numpy as np
import pytest

from asteroid_spectra import schema
from asteroid_spectra.spectra.sets import SpectralSet

pytestmark = pytest.mark.integration


def test_catalogue_shape_and_grid(gaia: SpectralSet) -> None:
    # 60,518 asteroids x 16 bands, ../shared/data/README.md.
    assert gaia.reflectance.shape == (60518, 16)
    np.testing.assert_allclose(gaia.wavelength, schema.GAIA_DR3_WAVELENGTH)
    assert gaia.objects[schema.OBJECT_ID].is_unique
    assert (gaia.objects[schema.NUMBER].diff().dropna() > 0).all()


def test_values_flags_and_missing_bands_as_published(gaia: SpectralSet) -> None:
    assert gaia.flag is not None
    assert gaia.error is not None
    flags = dict(zip(*np.unique(gaia.flag, return_counts=True), strict=True))
    assert flags == {0: 881716, 1: 13341, 2: 73231}
    assert int(np.isnan(gaia.reflectance).sum()) == 27244
    np.testing.assert_array_equal(gaia.reflectance[:, 4], 1.0)  # normalised at 550 nm
    assert int((gaia.reflectance < 0).sum()) == 58  # kept, not clipped


def test_rows_match_the_published_lines(gaia: SpectralSet) -> None:
    # First lines of SsoReflectanceSpectrum_00.csv.gz: 9 Metis at 374 and 418 nm.
    metis = int(np.flatnonzero(gaia.objects[schema.NUMBER] == 9)[0])
    assert gaia.objects.loc[metis, schema.NAME] == "metis"
    np.testing.assert_allclose(gaia.reflectance[metis, :2], [0.6779131, 0.7806278], rtol=1e-7)
    assert gaia.flag is not None
    assert gaia.flag[metis, 6] == 1  # 638 nm flagged in the file


def test_provisional_denominations_become_mpc_designations(gaia: SpectralSet) -> None:
    objects = gaia.objects
    designations = objects[schema.DESIGNATION].dropna()
    assert designations.str.match(r"^\d{4} ([A-Z]{2}\d*|P-L|T-[123])$").all()
    assert len(designations) + objects[schema.NAME].notna().sum() == len(objects)


def test_labelled_smass2_asteroids_found_in_gaia(smass2: SpectralSet, gaia: SpectralSet) -> None:
    # Cross-survey issue: 1,321 labelled SMASSII asteroids also have a Gaia DR3 spectrum.
    in_gaia = smass2.labelled().objects[schema.OBJECT_ID].isin(gaia.objects[schema.OBJECT_ID])
    assert int(in_gaia.sum()) == 1321
