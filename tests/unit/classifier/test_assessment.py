"""The structured self-assessment: the rules in data, applied by the small engine."""

from pathlib import Path

import pytest
import yaml

from services.classifier.app import ClassifierApp
from services.classifier.assessment import assess, validate_answers
from services.classifier.questionnaire import (
    DEFAULT_PATH,
    QuestionnaireError,
    load_questionnaire,
)
from services.classifier.schema import Classification
from services.common.errors import InvalidArgument
from services.common.rungs import Rung

Q = load_questionnaire()

FULL_PROFILES = [
    # (every question answered, the rung the facts describe)
    ({"first_involved": ["not-involved"], "who_decides": ["provider-alone"], "stages": [],
      "continuity": ["short-series"], "feedback": ["views-not-asked"], "leadership": ["no-role"],
      "role": ["are-taught"], "compulsory": ["compulsory"], "payment": ["nothing"],
      "expenses": ["not-covered"], "accessibility": [], "diversity": ["not-considered"]},
     Rung.COERCION),
    ({"first_involved": ["not-involved"], "who_decides": ["provider-alone"], "stages": [],
      "continuity": ["one-off"], "feedback": ["views-not-asked"], "leadership": ["no-role"],
      "role": ["are-taught"], "compulsory": ["voluntary"], "payment": ["nothing"],
      "expenses": ["not-covered"], "accessibility": ["accessible-places"], "diversity": ["open-invitation"]},
     Rung.EDUCATING),
    ({"first_involved": ["after-decisions"], "who_decides": ["provider-alone"], "stages": [],
      "continuity": ["one-off"], "feedback": ["views-not-asked"], "leadership": ["no-role"],
      "role": ["hear-about-decisions"], "compulsory": ["voluntary"], "payment": ["nothing"],
      "expenses": ["not-covered"], "accessibility": ["accessible-information"],
      "diversity": ["open-invitation"]},
     Rung.INFORMING),
    ({"first_involved": ["after-decisions"], "who_decides": ["provider-after-listening"], "stages": [],
      "continuity": ["one-off"], "feedback": ["not-told"], "leadership": ["no-role"],
      "role": ["give-views"], "compulsory": ["voluntary"], "payment": ["nothing"],
      "expenses": ["not-covered"], "accessibility": [], "diversity": ["open-invitation"]},
     Rung.CONSULTATION),
    ({"first_involved": ["before-decisions"], "who_decides": ["within-limits"], "stages": ["planning"],
      "continuity": ["ongoing"], "feedback": ["told-what-changed"], "leadership": ["staff-lead"],
      "role": ["give-views"], "compulsory": ["voluntary"], "payment": ["expenses-only"],
      "expenses": ["covered"], "accessibility": ["choice-of-ways"], "diversity": ["open-invitation"]},
     Rung.ENGAGEMENT),
    ({"first_involved": ["from-the-start"], "who_decides": ["jointly"], "stages": ["design"],
      "continuity": ["short-series"], "feedback": ["told-what-changed"], "leadership": ["staff-lead"],
      "role": ["work-alongside"], "compulsory": ["voluntary"], "payment": ["paid"],
      "expenses": ["covered"], "accessibility": ["needs-asked", "accessible-places"],
      "diversity": ["reached-out"]},
     Rung.CO_DESIGN),
    ({"first_involved": ["from-the-start"], "who_decides": ["jointly"],
      "stages": ["planning", "design", "delivery", "evaluation"],
      "continuity": ["ongoing"], "feedback": ["told-what-changed"], "leadership": ["shared"],
      "role": ["work-alongside"], "compulsory": ["voluntary"], "payment": ["paid"],
      "expenses": ["covered"], "accessibility": ["needs-asked", "communication-support"],
      "diversity": ["reached-out"]},
     Rung.CO_PRODUCTION),
]

CONSULTED = FULL_PROFILES[3][0]


@pytest.mark.parametrize(("answers", "expected"), FULL_PROFILES)
def test_a_full_profile_lands_on_its_rung_with_evidence_for_every_answer(answers, expected):
    result = assess(Q, answers)
    assert result.rung is expected
    assert {item.question.id for item in result.evidence} == set(answers)
    assert result.scores[expected] == max(result.scores.values())
    assert result.unanswered == ()
    assert result.conflicts == ()


def test_paid_people_after_the_decisions_are_still_only_consulted():
    # Payment alone does not make co-production: the decisive facts are who decides and when.
    answers = {"first_involved": ["after-decisions"], "who_decides": ["provider-after-listening"],
               "stages": [], "payment": ["paid"]}
    assert assess(Q, answers).rung is Rung.CONSULTATION


def test_design_without_delivery_is_co_design_not_co_production():
    answers = {"first_involved": ["from-the-start"], "who_decides": ["jointly"],
               "stages": ["planning", "design"], "payment": ["paid"]}
    result = assess(Q, answers)
    assert result.rung is Rung.CO_DESIGN
    assert result.next_rung is Rung.CO_PRODUCTION
    assert any("delivering" in step for step in result.missing_for_next_rung)


def test_fewer_answers_mean_lower_confidence():
    full = assess(Q, CONSULTED)
    partial = assess(Q, {"first_involved": ["after-decisions"], "who_decides": ["provider-after-listening"]})
    assert partial.rung is Rung.CONSULTATION
    assert partial.confidence < full.confidence
    assert set(partial.unanswered) == {q.id for q in Q.questions} - {"first_involved", "who_decides"}


def test_a_tie_goes_to_the_lower_rung():
    # "paid" fits engagement, co-design and co-production equally: claim no more than engagement.
    result = assess(Q, {"payment": ["paid"]})
    assert result.rung is Rung.ENGAGEMENT
    assert result.confidence < 0.2


def test_contradictory_answers_are_reported():
    result = assess(Q, {"first_involved": ["not-involved"], "who_decides": ["jointly"]})
    assert len(result.conflicts) == 1
    assert set(result.conflicts[0].question_ids) == {"first_involved", "who_decides"}


def test_the_top_rung_has_nothing_above_it():
    result = assess(Q, FULL_PROFILES[-1][0])
    assert result.next_rung is None
    assert result.missing_for_next_rung == ()


def test_steps_come_from_the_facts_that_do_not_fit_the_next_rung():
    result = assess(Q, CONSULTED)  # consultation; next is engagement
    assert result.next_rung is Rung.ENGAGEMENT
    stages = Q.question("stages")
    expected = next(f.action for f in stages.facts if f.affinity(Rung.ENGAGEMENT) == 1.0)
    assert expected in result.missing_for_next_rung


@pytest.mark.parametrize(("answers", "field", "words"), [
    ({"when": ["soon"]}, "answers.when", "unknown question id"),
    ({"payment": ["lots"]}, "answers.payment", "'lots' is not an allowed answer"),
    ({"payment": ["paid", "nothing"]}, "answers.payment", "exactly one"),
    ({"stages": ["design", "design"]}, "answers.stages", "repeated"),
])
def test_bad_answers_are_named(answers, field, words):
    with pytest.raises(InvalidArgument) as caught:
        validate_answers(Q, answers)
    assert any(v["field"] == field and words in v["description"] for v in caught.value.violations)


def test_the_loader_refuses_a_fact_about_an_unknown_option(tmp_path: Path):
    data = yaml.safe_load(DEFAULT_PATH.read_text())
    data["questions"][0]["facts"][0]["when"] = {"any_of": ["no-such-option"]}
    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(QuestionnaireError, match="unknown options"):
        load_questionnaire(path)


def test_the_loader_refuses_an_answer_no_fact_covers(tmp_path: Path):
    data = yaml.safe_load(DEFAULT_PATH.read_text())
    payment = next(q for q in data["questions"] if q["id"] == "payment")
    payment["facts"] = [f for f in payment["facts"] if f["id"] != "nothing"]
    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(QuestionnaireError, match="no fact covers"):
        load_questionnaire(path)


def test_the_loader_refuses_an_unknown_rung(tmp_path: Path):
    data = yaml.safe_load(DEFAULT_PATH.read_text())
    data["questions"][0]["facts"][0]["fits"] = ["partnership"]
    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(QuestionnaireError, match="fits"):
        load_questionnaire(path)


@pytest.mark.parametrize(("answers", "expected"), FULL_PROFILES)
def test_every_answer_matches_the_published_schema(answers, expected):
    # The app builds its answer as JSON directly (it is on the hot path); the schema the
    # OpenAPI document publishes must still describe it exactly.
    result = ClassifierApp().classify({"answers": answers}, publish=lambda *_: None)
    assert Classification.model_validate(result).model_dump(mode="json") == result
    assert result["rung"] == expected.value


def test_answers_the_questionnaire_lists_as_contradictory_are_reported():
    # Some rung fits both (consultation), but they cannot both be true.
    result = assess(Q, {"payment": ["expenses-only"], "expenses": ["not-covered"]})
    assert [set(c.question_ids) for c in result.conflicts] == [{"payment", "expenses"}]
    assert "expenses" in result.conflicts[0].description


def test_a_one_off_cannot_run_the_whole_cycle():
    result = assess(Q, {"continuity": ["one-off"], "stages": ["design", "delivery", "evaluation"]})
    assert [set(c.question_ids) for c in result.conflicts] == [{"continuity", "stages"}]


def test_compulsory_attendance_with_no_voice_is_coercion_and_voluntary_is_not():
    base = {"role": ["are-taught"], "feedback": ["views-not-asked"], "first_involved": ["not-involved"]}
    assert assess(Q, {**base, "compulsory": ["compulsory"]}).rung is Rung.COERCION
    assert assess(Q, {**base, "compulsory": ["voluntary"]}).rung is Rung.EDUCATING


def test_the_loader_refuses_a_contradiction_about_an_unknown_option(tmp_path: Path):
    data = yaml.safe_load(DEFAULT_PATH.read_text())
    data["contradictions"][0]["answers"]["payment"] = ["generous"]
    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(QuestionnaireError, match="no options"):
        load_questionnaire(path)
