"""IRTF SpeX parsing: one spectrum per file, papers and times from names, junk, inventory.

The synthetic files imitate the published collection (/work/shared/data/README.md):
CRLF-terminated three-column spectra (µm, reflectance, error) under
``data/<paper>/<number>_<yymmdd>t<hhmmss>.tab`` (or ``_<yymmdd>.tab``), some ending with
an all-zero padding row (as six ``moskovitzetal2010`` files do), and the inventory of
``P,<LID>`` lines, some of which cut the paper folder short (as published).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from asteroid_spectra import schema
from asteroid_spectra.config import Settings
from asteroid_spectra.data.datasets import load_table
from asteroid_spectra.data.sources.irtf_spex import (
    INVENTORY,
    IRTF_SPEX,
    inventory_notes,
    observation_time,
)
from asteroid_spectra.exceptions import DataError, ParseError

from .conftest import LINE_ENDINGS, column_text

Write = Callable[[Mapping[str, bytes]], dict[str, Path]]

WAVELENGTH = [0.82, 0.825, 1.5, 2.49]


def spectrum(
    scale: float = 1.0, ending: str = "\r\n", extra: list[list[object]] | None = None
) -> bytes:
    rows: list[list[object]] = [
        [f"{w:.4f}", f"{scale * (0.9 + 0.1 * w):.5f}", f"{0.002 * (i + 1):.5f}"]
        for i, w in enumerate(WAVELENGTH)
    ]
    return column_text(rows + (extra or []), ending)


LID = "P,urn:nasa:pds:gbo.ast.irtf-spex-collection.spectra:data:{}_tab::1.0"
FILES = {
    "irtf_spex/data/clarketal2004/16_001009t135950.tab": spectrum(),
    "irtf_spex/data/clarketal2004/785_040128t123341.tab": spectrum(1.1),
    "irtf_spex/data/ockertbelletal2008/785_020617t065422.tab": spectrum(1.2),
    "irtf_spex/data/moskovitzetal2010/4_001009t051541.tab": spectrum(
        extra=[["0.0000", "0.00000", "0.00000"]]
    ),
    "irtf_spex/data/moskovitzetal2010/1468_030930.tab": spectrum(),
    # telluric residuals at the band edges
    "irtf_spex/data/sunshineetal2008/246_030816t072356.tab": column_text(
        [
            [0.8, -0.01, 0.1],
            [0.82, 0.0, 0.1],
            [1.0, 0.97, 0.01],
            [2.4, 1.1, 0.02],
            [2.5, -0.2, 0.3],
        ],
        "\r\n",
    ),
    INVENTORY: "\r\n".join(
        LID.format(name)
        for name in [
            "clarketal2004_16_001009t135950",
            "clarketal2004_785_040128t123341",
            "ockertbelletal2008_785_020617t065422",
            "moskovitzetal201_4_001009t051541",  # cut short, as published
            "moskovitzetal2010_1468_030930",
            "rivkinetal2005_1_010315t102909",  # not published
        ]
    ).encode(),
}


def parse(write: Write, files: Mapping[str, bytes] = FILES) -> tuple[pd.DataFrame, list[str]]:
    parsed = IRTF_SPEX.parse(write(files))["spectra"]
    return parsed.frame, parsed.notes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("010328t134842", "2001-03-28T13:48:42"),
        ("001009t051541", "2000-10-09T05:15:41"),
        ("991231t235959", "1999-12-31T23:59:59"),
        ("030930", "2003-09-30"),
        ("031330t000000", None),  # month 13
        ("030931", None),  # 31 September
        ("010328t250000", None),
        ("010328T134842", None),
        ("20010328", None),
    ],
)
def test_observation_time_from_the_name(text: str, expected: str | None) -> None:
    assert observation_time(text) == expected


def test_each_file_is_one_spectrum(write_files: Write) -> None:
    frame, notes = parse(write_files)
    files = frame.drop_duplicates(schema.FILE).set_index(schema.FILE)

    assert len(files) == 6
    assert frame[schema.OBJECT_ID].nunique() == 5
    zwetana = files[files[schema.OBJECT_ID] == "785"]
    assert zwetana["paper"].tolist() == ["clarketal2004", "ockertbelletal2008"]
    assert zwetana["observation_time"].tolist() == ["2004-01-28T12:33:41", "2002-06-17T06:54:22"]
    assert files.loc["data/moskovitzetal2010/1468_030930.tab", "observation_time"] == "2003-09-30"
    two = frame[frame[schema.OBJECT_ID] == "785"].groupby(schema.FILE)[schema.REFLECTANCE].first()
    np.testing.assert_allclose(sorted(two), [1.1 * 0.982, 1.2 * 0.982], atol=1e-5)
    assert notes[:2] == [
        "6 spectra of 5 asteroids, 0.82-2.49 µm",
        "4 papers: clarketal2004 2, moskovitzetal2010 2, ockertbelletal2008 1, sunshineetal2008 1",
    ]


def test_values_and_columns(write_files: Write) -> None:
    frame, _ = parse(write_files)
    vesta = frame[frame[schema.OBJECT_ID] == "4"]

    assert vesta[schema.WAVELENGTH].tolist() == WAVELENGTH  # padding row dropped
    assert vesta[schema.ERROR].tolist() == [0.002, 0.004, 0.006, 0.008]
    assert list(frame.columns) == [
        *schema.IDENTITY_COLUMNS,
        schema.FILE,
        "paper",
        "observation_time",
        schema.WAVELENGTH,
        schema.REFLECTANCE,
        schema.ERROR,
    ]
    dtypes = frame.dtypes.astype(str).to_dict()
    assert dtypes[schema.NUMBER] == "Int64"
    assert dtypes["paper"] == dtypes["observation_time"] == dtypes[schema.FILE] == "string"
    assert dtypes[schema.WAVELENGTH] == dtypes[schema.ERROR] == "float64"
    assert (frame[schema.SURVEY] == "irtf-spex").all()
    assert frame[schema.NAME].isna().all()


def test_junk_notes(write_files: Write) -> None:
    frame, notes = parse(write_files)

    edges = frame[frame[schema.OBJECT_ID] == "246"]
    assert edges[schema.WAVELENGTH].tolist() == [1.0, 2.4]
    assert notes[2:4] == [
        "dropped 1 all-zero padding rows in 1 file: "
        "irtf_spex/data/moskovitzetal2010/4_001009t051541.tab",
        "dropped 3 non-positive reflectance samples in 1 file (telluric residuals at band "
        "edges): irtf_spex/data/sunshineetal2008/246_030816t072356.tab",
    ]


def test_inventory_is_compared_with_the_files(write_files: Write) -> None:
    _, notes = parse(write_files)

    assert notes[4:] == [
        "inventory lists 6 products, 5 of them published",
        "1 inventory LIDs cut the paper folder short; matched by file name",
        "inventory lists files not published: data/rivkinetal2005/1_010315t102909.tab",
        "published files not in the inventory: data/sunshineetal2008/246_030816t072356.tab",
    ]


def test_a_malformed_inventory_line_names_file_and_line() -> None:
    text = LID.format("clarketal2004_16_001009t135950") + "\nV,urn:nasa:pds:other:1.0\n"

    with pytest.raises(ParseError, match=r"inventory\.csv, line 2: expected 'P,urn:nasa:pds"):
        inventory_notes(text, set())


def test_an_unclean_time_is_noted(write_files: Write) -> None:
    frame, notes = parse(
        write_files, {"irtf_spex/data/clarketal2004/16_001399t000000.tab": spectrum()}
    )

    assert frame["observation_time"].isna().all()
    assert notes[-1] == (
        "1 file without a clean observation time in the name: "
        "data/clarketal2004/16_001399t000000.tab"
    )


@pytest.mark.parametrize("ending", LINE_ENDINGS)
def test_every_line_ending_parses_alike(write_files: Write, ending: str) -> None:
    name = "irtf_spex/data/clarketal2004/16_001009t135950.tab"
    frame, _ = parse(write_files, {name: spectrum(ending=LINE_ENDINGS[ending])})

    assert frame[schema.WAVELENGTH].tolist() == WAVELENGTH


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "irtf_spex/data/clarketal2004/16_001009t135950.tab",
            b"0.8200 0.87675 0.00803\r\n0.8250 0.88570\r\n",
            r"16_001009t135950\.tab, line 2: expected 3 \(as line 1\) numbers, "
            r"got '0.8250 0.88570'",
        ),
        (
            "irtf_spex/data/clarketal2004/16_001009t135950.tab",
            b"0.8200 0.87675 0.00803\r\n0.8200 0.88570 0.00768\r\n",
            r"16_001009t135950\.tab, line 2: expected increasing wavelengths, got 0.82 after 0.82",
        ),
        (
            "irtf_spex/data/clarketal2004/ceres_001009t135950.tab",
            spectrum(),
            r"ceres_001009t135950\.tab: expected a file name starting with an asteroid number",
        ),
    ],
)
def test_a_bad_file_fails_the_parse(
    write_files: Write, name: str, content: bytes, message: str
) -> None:
    with pytest.raises(ParseError, match=message):
        parse(write_files, {**FILES, name: content})


def test_no_spectrum_is_a_data_error(write_files: Write) -> None:
    with pytest.raises(DataError, match=r"No IRTF SpeX spectrum .* fetch irtf-spex"):
        parse(write_files, {INVENTORY: FILES[INVENTORY]})


def test_load_table_caches_the_spectra(register_survey: Callable[..., Settings]) -> None:
    settings = register_survey(IRTF_SPEX, FILES)

    first = load_table("irtf-spex", settings=settings)
    again = load_table("irtf-spex", settings=settings)

    pd.testing.assert_frame_equal(first, again)
    assert again.attrs["provenance"]["notes"][2].startswith("dropped 1 all-zero padding rows")
