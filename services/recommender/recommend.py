"""A recommendation: methods that reach the target within the constraints, ranked and
explained; an outline plan rung by rung; what the organisation itself must change; and, when
nothing fits, why and what would change that.

The answer is built as JSON directly (it is on every request's path); tests check every
answer against schema.RecommendResponse.
"""

from __future__ import annotations

from typing import Any

from services.common.rungs import Rung
from services.recommender.catalogue import Catalogue
from services.recommender.climbing import Climbing
from services.recommender.constraints import Constraints, Estimate, estimate
from services.recommender.nothing_fits import explain
from services.recommender.plan import outline, rungs_to_climb
from services.recommender.ranking import Ranked, rank


def recommend(
    catalogue: Catalogue,
    climbing: Climbing,
    current: Rung,
    target: Rung,
    constraints: Constraints,
    limit: int,
) -> dict[str, Any]:
    estimates = [estimate(method, constraints) for method in catalogue.methods]
    fitting = [e for e in estimates if e.fits]

    def ranked_at(rung: Rung) -> list[Ranked]:
        return rank([e for e in fitting if rung in e.method.rungs], rung, constraints)

    ranked = ranked_at(target)
    nothing_fits = None
    if not ranked:
        reaching = [e for e in estimates if target in e.method.rungs]
        why = explain(reaching, target, constraints,
                      lambda rung: [r.estimate for r in ranked_at(rung)], current)
        nothing_fits = {
            "reasons": why.reasons,
            "what_would_change_it": why.what_would_change_it,
            "excluded": [{"constraint": hard.value, "methods": n} for hard, n in why.excluded],
            "methods_reaching_target": why.reaching,
        }

    steps = rungs_to_climb(current, target)
    by_rung = {rung: (ranked if rung == target else ranked_at(rung)) for rung in steps}
    plan = outline(steps, by_rung, constraints, climbing)

    return {
        "current_rung": current.value,
        "target_rung": target.value,
        "payment_rate_gbp_per_hour": constraints.payment_rate_gbp_per_hour,
        "recommendations": [_recommendation(r) for r in ranked[:limit]],
        "plan": [
            {
                "rung": step.rung.value,
                "method_ids": [step.chosen.estimate.method.id] if step.chosen else [],
                "why": step.why,
                "estimated_cost_gbp": step.chosen.estimate.total_gbp if step.chosen else 0.0,
                "weeks": step.weeks,
                "starts_week": step.starts_week,
            }
            for step in plan
        ],
        "organisation_actions": [
            {
                "piece": action.piece.value,
                "action": action.action,
                "rung": action.rung.value,
                "sources": [source.url for source in action.sources],
            }
            for action in climbing.actions_for(steps)
        ],
        "nothing_fits": nothing_fits,
    }


def _recommendation(r: Ranked) -> dict[str, Any]:
    e: Estimate = r.estimate
    method = e.method
    return {
        "method": {
            "id": method.id,
            "name": method.name,
            "summary": method.summary,
            "rungs": [rung.value for rung in method.rungs],
            "modes": [mode.value for mode in method.modes],
            "when_not_to_use": method.when_not_to_use,
            "sources": [source.url for source in method.sources],
        },
        "score": r.score,
        "reasons": r.reasons,
        "trade_offs": r.trade_offs,
        "weeks": e.weeks,
        "estimated_cost": {
            "total_gbp": e.total_gbp,
            "items": [{"item": item, "gbp": amount} for item, amount in e.items()],
        },
    }
