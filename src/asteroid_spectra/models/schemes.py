"""The taxonomies a spectrum is classified in, each with the coverage its models need.

A *scheme* names a taxonomy, the target of its default models and the coverage rule
(:class:`~asteroid_spectra.spectra.coverage.CoverageRule`) a spectrum must meet for them:

``bus``
    Bus & Binzel (2002): main group and Bus class from the visible spectrum on the
    SMASSII grid (:data:`~asteroid_spectra.spectra.coverage.VISIBLE`, at least
    0.55-0.80 µm), by models trained on the covered span.
``demeo``
    Bus-DeMeo (DeMeo et al. 2009): from a vis-NIR or near-infrared-only spectrum on the
    0.45-2.45 µm grid (:data:`~asteroid_spectra.spectra.coverage.VIS_NIR`, at least
    0.85-2.40 µm), by models trained on the covered span.
``tholen``
    Tholen (1984): from the eight ECAS colours or a spectrum covering 0.337-1.041 µm
    (:data:`~asteroid_spectra.spectra.coverage.ECAS`), by one model.

The classifier (:mod:`asteroid_spectra.models.classify`) runs every scheme a spectrum's
coverage allows; the main group comes from the first of them in this order.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from asteroid_spectra.exceptions import ParameterError
from asteroid_spectra.spectra.coverage import ECAS, VIS_NIR, VISIBLE, CoverageRule

__all__ = ["SCHEMES", "Scheme", "scheme_of"]


@dataclass(frozen=True)
class Scheme:
    """A taxonomy the classifier reports.

    Attributes
    ----------
    name : str
        ``"bus"``, ``"demeo"`` or ``"tholen"``: the prefix of its result fields
        (``bus_class``, ``demeo_class``, ``tholen_class``).
    title : str
        For notes and messages.
    target : str
        Target of its default models (:mod:`~asteroid_spectra.models.targets`).
    rule : CoverageRule
        What a spectrum must cover.
    per_span : bool
        Whether its default models are trained on each covered span (else one model
        on the rule's whole grid).
    """

    name: str
    title: str
    target: str
    rule: CoverageRule
    per_span: bool = True


SCHEMES: MappingProxyType[str, Scheme] = MappingProxyType(
    {
        scheme.name: scheme
        for scheme in (
            Scheme("bus", "Bus", "main-group", VISIBLE),
            Scheme("demeo", "Bus-DeMeo", "demeo", VIS_NIR),
            Scheme("tholen", "Tholen", "tholen", ECAS, per_span=False),
        )
    }
)
"""The schemes, in the order the main group is taken from."""


def scheme_of(taxonomy: str) -> Scheme:
    """Return the scheme of `taxonomy` (``"bus"``, ``"demeo"`` or ``"tholen"``).

    Raises
    ------
    ParameterError
        If there is no such scheme.
    """
    try:
        return SCHEMES[taxonomy]
    except KeyError:
        raise ParameterError(
            f"Unknown taxonomy {taxonomy!r}; expected one of {', '.join(SCHEMES)}."
        ) from None
