"""Place a project on the ladder from its self-assessment answers.

Small and general: every judgement about what an answer means lives in the
questionnaire data. Here we only match answers to facts, score rungs, and explain.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

from services.classifier.questionnaire import Fact, Question, QuestionKind, Questionnaire
from services.common.errors import InvalidArgument
from services.common.rungs import RUNGS_BOTTOM_UP, Rung

# Confidence rises with the lead of the winner over the runner-up, up to this margin.
FULL_CONFIDENCE_MARGIN = 0.3
# Never claim certainty: a self-assessment is someone's account, not the facts themselves.
MAX_CONFIDENCE = 0.95


@dataclass(frozen=True)
class AnswerEvidence:
    question: Question
    chosen: tuple[str, ...]
    fact: Fact


@dataclass(frozen=True)
class Conflict:
    question_ids: tuple[str, str]
    description: str


@dataclass(frozen=True)
class Assessment:
    rung: Rung
    confidence: float
    scores: dict[Rung, float]
    evidence: tuple[AnswerEvidence, ...]
    unanswered: tuple[str, ...]
    conflicts: tuple[Conflict, ...]
    next_rung: Rung | None
    missing_for_next_rung: tuple[str, ...] = field(default=())


def validate_answers(questionnaire: Questionnaire, answers: dict[str, list[str]]) -> None:
    """Raise InvalidArgument naming every unknown question and every disallowed option."""
    violations = []
    for question_id, chosen in answers.items():
        question = questionnaire.question(question_id)
        where = f"answers.{question_id}"
        if question is None:
            known = ", ".join(q.id for q in questionnaire.questions)
            violations.append({"field": where, "description": f"unknown question id; known: {known}"})
            continue
        allowed = question.option_ids
        for option in chosen:
            if option not in allowed:
                violations.append({
                    "field": where,
                    "description": f"{option!r} is not an allowed answer; allowed: {', '.join(allowed)}",
                })
        if question.kind is QuestionKind.SINGLE and len(chosen) != 1:
            violations.append({"field": where, "description": "takes exactly one answer"})
        if len(set(chosen)) != len(chosen):
            violations.append({"field": where, "description": "an answer is repeated"})
    if violations:
        raise InvalidArgument(violations)


def assess(questionnaire: Questionnaire, answers: dict[str, list[str]]) -> Assessment:
    """Classify from answers already checked by `validate_answers`."""
    evidence = []
    for question in questionnaire.questions:
        if question.id in answers:
            chosen = tuple(answers[question.id])
            fact = question.fact_for(frozenset(chosen))
            if fact is not None:  # the questionnaire guarantees one for valid answers
                evidence.append(AnswerEvidence(question, chosen, fact))

    answered_weight = sum(item.question.weight for item in evidence)
    totals = [0.0] * len(RUNGS_BOTTOM_UP)
    for item in evidence:
        weight = item.question.weight
        for position, affinity in enumerate(item.fact.affinities):
            totals[position] += weight * affinity
    scores = {
        rung: totals[rung.position] / answered_weight if answered_weight else 0.0
        for rung in RUNGS_BOTTOM_UP
    }
    # Highest score wins; on a tie the lower rung wins, so gaps never lift a project.
    ranked = sorted(RUNGS_BOTTOM_UP, key=lambda rung: (-scores[rung], rung.position))
    rung, runner_up = ranked[0], ranked[1]
    coverage = answered_weight / questionnaire.total_weight
    margin = scores[rung] - scores[runner_up]
    confidence = coverage * (0.4 + 0.6 * min(1.0, margin / FULL_CONFIDENCE_MARGIN))

    next_rung = rung.next_up()
    return Assessment(
        rung=rung,
        confidence=round(min(MAX_CONFIDENCE, confidence), 2),
        scores={r: round(s, 3) for r, s in scores.items()},
        evidence=tuple(evidence),
        unanswered=tuple(q.id for q in questionnaire.questions if q.id not in answers),
        conflicts=_conflicts(questionnaire, answers, evidence),
        next_rung=next_rung,
        missing_for_next_rung=_steps_towards(next_rung, questionnaire, evidence) if next_rung else (),
    )


def _conflicts(
    questionnaire: Questionnaire, answers: dict[str, list[str]], evidence: list[AnswerEvidence]
) -> tuple[Conflict, ...]:
    """Two answers contradict when the questionnaire lists them as contradictory, or when
    no rung is compatible with both."""
    found = [
        Conflict(question_ids=tuple(c.answers), description=c.description.strip())  # type: ignore[arg-type]
        for c in questionnaire.contradictions if c.holds(answers)
    ]
    reported = {frozenset(c.question_ids) for c in found}
    for first, second in combinations(evidence, 2):
        if frozenset((first.question.id, second.question.id)) in reported:
            continue
        if not first.fact.compatible & second.fact.compatible:
            found.append(Conflict(
                question_ids=(first.question.id, second.question.id),
                description=(
                    f"'{first.fact.statement}' ({first.question.id}) does not fit with "
                    f"'{second.fact.statement}' ({second.question.id}): no rung of the ladder "
                    "has both. Check these answers."
                ),
            ))
    return tuple(found)


def _steps_towards(
    target: Rung, questionnaire: Questionnaire, evidence: list[AnswerEvidence]
) -> tuple[str, ...]:
    """For each answered question whose fact does not fully fit the target rung, the action
    of the first fact of that question that does; then the questions left unanswered."""
    steps = []
    answered = {item.question.id: item for item in evidence}
    for question in questionnaire.questions:
        item = answered.get(question.id)
        if item is None or item.fact.affinity(target) == 1.0:
            continue
        step = next(
            (f.action for f in question.facts if f.affinity(target) == 1.0 and f.action), None
        )
        if step:
            steps.append(step)
    unanswered = [q.text for q in questionnaire.questions if q.id not in answered]
    if unanswered:
        steps.append("Answer the questions left open, so the picture is complete: " + " ".join(unanswered))
    return tuple(steps)
