"""Prediction speed of the default models: batch throughput and single-spectrum latency.

Trains (or loads from the cache) the default model of each target, then measures, in
this process:

- batch throughput: ``predict_proba`` on 50,000 spectra (the SMASSII spectra repeated);
- single-spectrum latency: median of 200 calls of ``predict_proba`` on one spectrum;
- the same for ``TaxonomyModel.classify`` (which adds the OOD score and the table).

Usage: ``python benchmarks/prediction_speed.py [--targets main-group,bus,x-vs-rest]``.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", default="main-group,bus,x-vs-rest")
    parser.add_argument("--batch", type=int, default=50_000)
    options = parser.parse_args()

    from asteroid_spectra.models.defaults import default_model
    from asteroid_spectra.spectra.sets import load_spectra

    spectra = load_spectra("smass2").reflectance
    batch = np.resize(spectra, (options.batch, spectra.shape[1]))
    for target in options.targets.split(","):
        model = default_model(target)
        for label, function in (
            ("predict_proba", model.predict_proba),
            ("classify", model.classify),
        ):
            function(batch[:100])  # warm up
            start = time.perf_counter()
            function(batch)
            rate = options.batch / (time.perf_counter() - start)
            latencies = []
            for i in range(200):
                one = spectra[i % len(spectra)][np.newaxis, :]
                start = time.perf_counter()
                function(one)
                latencies.append(time.perf_counter() - start)
            print(
                f"{target:<11} {model.name:<8} {label:<14} {rate:>9,.0f} spectra/s   "
                f"single median {1000 * statistics.median(latencies):.3f} ms"
            )


if __name__ == "__main__":
    main()
