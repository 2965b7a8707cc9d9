"""The data stage: the two surveys, their files, checksums, citations and Gaia flags."""

from __future__ import annotations

from asteroid_spectra.report.sections import Section, Table, png
from asteroid_spectra.report.stages.common import Progress, Settings

__all__ = ["data_stage"]


def data_stage(settings: Settings, progress: Progress) -> Section:
    """Describe the data: the two surveys, their files, checksums and citations."""
    from asteroid_spectra.data.datasets import load_table
    from asteroid_spectra.data.fetch import fetch
    from asteroid_spectra.data.registry import collection
    from asteroid_spectra.data.summary import summarise
    from asteroid_spectra.plotting.data import plot_flagged_fraction

    files = [f for name in ("smass2", "gaia-dr3") for f in collection(name)]
    for done, file in enumerate(files, 1):
        fetch(file)
        progress(done, len(files) + 2)
    summaries = {}
    for survey in ("smass2", "gaia-dr3"):
        summaries[survey] = summarise(load_table(survey))
    progress(len(files) + 2, len(files) + 2)
    smass, gaia = summaries["smass2"], summaries["gaia-dr3"]
    figure = plot_flagged_fraction(gaia.get("flagged_fraction_by_band", {}))
    citations = sorted({f.citation for f in files})
    return Section(
        key="data",
        title="Data and provenance",
        summary=(
            f"SMASSII gives {smass['n_labelled']:,} labelled visible spectra in "
            f"{smass['n_bus_classes']} Bus classes and Gaia DR3 {gaia['n_spectra']:,} "
            "asteroid spectra in 16 bands, every file verified against its registered "
            "sha256. Gaia's end bands are often flagged (0.374 µm for most asteroids), "
            "which is why the Gaia models use 0.418-0.946 µm."
        ),
        numbers={"smass2": smass, "gaia-dr3": gaia, "citations": citations},
        tables=[
            Table(
                "Surveys",
                ["survey", "spectra", "wavelengths", "range (µm)", "labelled"],
                [
                    [
                        name,
                        f"{s['n_spectra']:,}",
                        str(s["n_wavelengths"]),
                        "{:.3f}-{:.3f}".format(*s["wavelength_range_um"]),
                        f"{s['n_labelled']:,}" if "n_labelled" in s else "—",
                    ]
                    for name, s in summaries.items()
                ],
            ),
            Table(
                f"Files ({len(files)}), verified by sha256",
                ["file", "sha256", "origin"],
                [[f.name, f.sha256[:16] + "…", f.url] for f in files[:3]]
                + ([["…", f"{len(files) - 3} more Gaia DR3 parts", ""]] if len(files) > 3 else []),
            ),
            Table("Citations", ["reference"], [[c] for c in citations]),
        ],
        figures=[
            png(
                figure,
                "Gaia DR3 flags by band",
                "Fraction of the 60,518 asteroids "
                "whose value in each band is flagged (1 or 2) or missing.",
            )
        ],
    )
