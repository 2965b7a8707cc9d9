"""CLI command to learn an instrument correction from spectra of known asteroids: calibrate."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from asteroid_spectra.cli.common import check_figure_path, console, fail, out, save_figure

if TYPE_CHECKING:
    from asteroid_spectra.spectra.correction import InstrumentCorrection

__all__ = ["calibrate"]

SHOWN_WAVELENGTHS = (0.45, 0.55, 0.70, 0.85, 0.90)
"""Wavelengths (µm) at which the table shows the factor, where the correction covers them."""


def _table(correction: InstrumentCorrection) -> Table:
    """Tabulate the factor at :data:`SHOWN_WAVELENGTHS` and count the pairs."""
    reference = correction.provenance.get("reference", {})
    same, mean = reference.get("n_same_asteroid", 0), reference.get("n_class_mean", 0)
    lo, hi = correction.span
    table = Table(
        title=f"Instrument correction, {lo:.2f}-{hi:.2f} µm: {correction.n_spectra} spectra "
        f"({same} against the same asteroid, {mean} against their class mean)"
    )
    table.add_column("wavelength (µm)", justify="right")
    table.add_column("factor (yours / SMASSII)", justify="right")
    table.add_column("change", justify="right")
    for wavelength, factor in zip(
        SHOWN_WAVELENGTHS, correction.factor_at(SHOWN_WAVELENGTHS), strict=True
    ):
        if factor == factor:  # not NaN: covered
            table.add_row(f"{wavelength:.2f}", f"{factor:.4f}", f"{100 * (factor - 1):+.1f} %")
    return table


def _check_options(
    directory: Path | None, labels: Path | None, output: Path | None, overwrite: bool
) -> tuple[Path, Path, Path]:
    """Return the three paths; a ParameterError or DataError if one is missing or in the way."""
    from asteroid_spectra.exceptions import DataError, ParameterError

    if directory is None or labels is None or output is None:
        given = (("--data", directory), ("--labels", labels), ("--output", output))
        missing = [name for name, value in given if value is None]
        raise ParameterError(
            "calibrate needs --data (the folder of your spectrum files), --labels (the CSV of "
            "their Bus classes and, ideally, object_id) and -o/--output (the correction's JSON "
            f"file). Got no {', '.join(missing)}; add {'them' if len(missing) > 1 else 'it'}."
        )
    if output.exists() and not overwrite:
        raise DataError(f"{output} exists; choose another file or --overwrite.")
    return directory, labels, output


def calibrate(
    data_dir: Annotated[
        Path | None,
        typer.Option("--data", help="Folder of your spectrum files (with --labels)."),
    ] = None,
    labels: Annotated[
        Path | None,
        typer.Option(
            "--labels",
            help="CSV of your spectra's Bus classes: columns file, class and, optionally, "
            "object_id (the asteroid; compared with its own SMASSII spectrum if it has one).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="JSON file to write the correction to."),
    ] = None,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing output file.")] = False,
    figure: Annotated[
        Path | None, typer.Option(help="Draw the factor against wavelength (PNG, PDF, SVG).")
    ] = None,
) -> None:
    """Learn your instrument's systematic from your spectra of asteroids of known Bus class.

    Each spectrum is compared with SMASSII (Bus & Binzel 2002): the SMASSII spectrum of the
    same asteroid when object_id names one SMASSII observed (number or provisional
    designation), else the mean SMASSII spectrum of its Bus class. The correction is the
    median ratio at each wavelength, 1 at 0.55 µm; `classify --correction FILE` divides it
    out of your other spectra. Needs at least 3 spectra.
    """
    from asteroid_spectra.exceptions import AsteroidSpectraError

    try:
        directory, labels_csv, path = _check_options(data_dir, labels, output, overwrite)
        if figure is not None:
            check_figure_path(figure)
        from asteroid_spectra.models.instrument import (
            calibrate_instrument,
            read_calibration_spectra,
        )

        with console.status(f"Reading the spectra listed in {labels_csv.name}…"):
            spectra = read_calibration_spectra(directory, labels_csv)
        with console.status("Comparing them with SMASSII…"):
            correction = calibrate_instrument(spectra)
        correction.to_json(path)
    except AsteroidSpectraError as error:
        raise fail(error) from None
    for note in correction.provenance.get("notes", ()):
        console.print(f"note: {note}", highlight=False)
    out.print(_table(correction))
    console.print(f"wrote the instrument correction to {path}")
    if figure is not None:
        from asteroid_spectra.plotting.instrument import plot_correction

        named = dataclasses.replace(correction, source=path.name)
        save_figure(plot_correction(named), figure)
        console.print(f"wrote {figure}")
