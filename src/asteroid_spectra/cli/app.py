"""The ``asteroid-spectra`` command.

Only typer and rich are imported at start-up, so ``--help`` and ``--version`` are instant;
each command imports the library parts it needs.
"""

from __future__ import annotations

from typing import Annotated

import typer

from asteroid_spectra._version import __version__
from asteroid_spectra.cli import catalog, classify, cluster, data, instrument, models, serve, study
from asteroid_spectra.cli.common import out

app = typer.Typer(
    name="asteroid-spectra",
    help="Asteroid reflectance spectra: fetch the surveys, inspect them, classify them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help text: typer's rich help formatting doubles the start-up time of --help.
    rich_markup_mode=None,
)
plot_app = typer.Typer(
    help="Draw figures (static PNG/PDF/SVG).", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(plot_app, name="plot")

app.command()(data.fetch)
app.command()(data.dataset)
app.command("spectra")(data.spectra)
plot_app.command("spectra")(data.plot_spectra)
app.command("models")(models.list_models)
app.command()(models.evaluate)
app.command()(models.train)
app.command()(instrument.calibrate)
app.command()(cluster.cluster)
app.command()(serve.serve)
app.command()(classify.classify)
app.command()(catalog.catalog)
app.command()(study.run)


def _version(value: bool) -> None:
    if value:
        out.print(f"asteroid-spectra {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Asteroid reflectance spectra: fetch the surveys, inspect them, classify them.

    Offline? Set ASTEROID_SPECTRA_MIRROR to a local copy of the archives.
    """


def main() -> None:
    """Entry point of the console script."""
    app()
