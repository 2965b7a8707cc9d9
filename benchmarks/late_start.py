"""Visible spectra starting after 0.50 µm: PRIMASS-L through the default classification.

Every PRIMASS-L spectrum (438; most start at 0.50-0.51 µm) is classified by the default
models (:class:`~asteroid_spectra.models.classify.Classifier`); printed: how many are
classified, how many carry the note that they start after 0.50 µm (refused before the
rule accepted starts up to 0.55 µm), and their main-group agreement with PRIMASS-L's own
Bus-scheme class and mean top probability, beside the other spectra's.

Usage: ``python benchmarks/late_start.py``.
"""

from __future__ import annotations

import time

import numpy as np


def main() -> None:
    from asteroid_spectra import schema
    from asteroid_spectra.data.datasets import load_table
    from asteroid_spectra.models.classify import Classifier
    from asteroid_spectra.spectra.spectrum import Spectrum

    table = load_table("primass-l", "spectra")
    classes = load_table("primass-l", "classes").set_index(schema.FILE)[schema.PRIMASS_CLASS]
    spectra, truth = [], []
    for file, part in table.groupby(schema.FILE):
        part = part[part[schema.REFLECTANCE] > 0]
        spectra.append(Spectrum(part[schema.WAVELENGTH], part[schema.REFLECTANCE]))
        truth.append(classes.get(file))
    start = time.perf_counter()
    results = Classifier().classify_spectra(spectra)
    seconds = time.perf_counter() - start
    late = np.array([r.ok and any("starts after 0.50" in n for n in r.notes) for r in results])
    ok = np.array([r.ok for r in results])
    known = np.array([isinstance(t, str) for t in truth])
    agree = np.array(
        [
            r.ok and isinstance(t, str) and r.main_group == schema.main_group(t)
            for r, t in zip(results, truth, strict=True)
        ]
    )
    probability = np.array([r.main_group_probability or np.nan for r in results])
    print(
        f"{len(results)} spectra classified in {seconds:.1f} s: {ok.sum()} with a class, "
        f"{late.sum()} of them starting after 0.50 µm"
    )
    for name, mask in (("start after 0.50 µm", late), ("the others", ok & ~late)):
        with_label = mask & known
        print(
            f"{name}: main-group agreement with PRIMASS-L {agree[with_label].mean():.3f} "
            f"({with_label.sum()} labelled), mean top probability "
            f"{np.nanmean(probability[mask]):.3f}"
        )


if __name__ == "__main__":
    main()
