"""Choose methods from the catalogue that can reach a target rung."""

from __future__ import annotations

from services.common.rungs import Rung
from services.recommender.catalogue import Catalogue, Method
from services.recommender.schema import MethodSummary, Recommendation


def recommend(catalogue: Catalogue, target: Rung, limit: int) -> list[Recommendation]:
    """Methods that can reach `target`; those aimed squarely at it first (their highest rung
    is the target, so the organisation is not paying for more than it asked), then the
    cheaper."""
    fitting = [method for method in catalogue.methods if target in method.rungs]
    fitting.sort(key=lambda m: (max(m.rungs) != target, m.cost.fixed_gbp, m.id))
    return [_recommendation(method, target) for method in fitting[:limit]]


def _recommendation(method: Method, target: Rung) -> Recommendation:
    reasons = [f"Can reach {target.value}."]
    if max(method.rungs) > target:
        reasons.append(f"Can go further, up to {max(method.rungs).value}.")
    reasons.append(
        f"Cost band {method.cost.band.value}: about £{method.cost.fixed_gbp:,} "
        "before paying participants."
    )
    return Recommendation(
        method=MethodSummary(
            id=method.id,
            name=method.name,
            summary=method.summary,
            rungs=sorted(method.rungs),
            sources=[str(source.url) for source in method.sources],
        ),
        reasons=reasons,
    )
