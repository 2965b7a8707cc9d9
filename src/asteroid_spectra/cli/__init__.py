"""Command-line interface (typer + rich), a thin adapter over the library."""
