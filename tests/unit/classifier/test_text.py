"""Free-text classification: evidence that points at the words, negation, hedges, labels
that never lift a project, English only, the limits, and text with answers."""

from __future__ import annotations

import pytest

from services.classifier.app import NOT_ENGLISH, ClassifierApp
from services.classifier.schema import MAX_DESCRIPTION_CHARS, Classification
from services.common.errors import InvalidArgument
from services.common.rungs import Rung
from tests.eval.run import load_items

APP = ClassifierApp()


def classify(description: str | None = None, answers: dict | None = None) -> dict:
    request: dict = {}
    if description is not None:
        request["description"] = description
    if answers:
        request["answers"] = answers
    result = APP.classify(request, publish=lambda *_: None)
    assert Classification.model_validate(result).model_dump(mode="json") == result
    return result


def found(result: dict, signal: str) -> list[dict]:
    return [e for e in result["evidence"] if e["signal"] == f"text/{signal}"]


CONSULTATION_TRAP = (
    "Our co-production day for the new day centre was held after the plans had already been "
    "approved by the cabinet. Carers filled in a one-off survey about the colour of the walls. "
    "They were not paid and nobody told them what happened next."
)
CO_PRODUCTION = (
    "Parents and staff ran the project as equal partners from the start. Parents co-chair the "
    "steering group, designed the sessions with staff, deliver them as paid peer facilitators "
    "and evaluate the service every year. Decisions are made jointly."
)


def test_every_span_is_the_words_it_quotes():
    text = CONSULTATION_TRAP
    for e in classify(text)["evidence"]:
        span = e["span"]
        assert text[span["start"]:span["end"]] == span["quote"]
        assert span["quote"].strip() == span["quote"] and span["quote"]


@pytest.mark.parametrize(("signal", "words"), [
    ("decision-already-made", "plans had already been approved"),
    ("one-off", "one-off"),
    ("unpaid", "were not paid"),
    ("label-co-production", "co-production"),
])
def test_spans_point_at_the_words_that_show_the_signal(signal, words):
    [evidence] = found(classify(CONSULTATION_TRAP), signal)
    assert evidence["span"]["quote"] == words
    assert CONSULTATION_TRAP.index(words) == evidence["span"]["start"]


def test_spans_count_characters_not_bytes_even_after_unusual_ones():
    # "İ" lower-cases to two characters, and the emoji is one code point: offsets must still
    # point at the original text.
    text = "İstanbul 🙂 café residents were paid £20 an hour for every meeting of the panel."
    [evidence] = found(classify(text), "paid-for-time")
    span = evidence["span"]
    assert text[span["start"]:span["end"]] == span["quote"]
    assert "paid" in span["quote"]


def test_every_span_in_the_development_set_is_exact():
    for item in load_items():
        for e in classify(item["text"])["evidence"]:
            span = e["span"]
            assert item["text"][span["start"]:span["end"]] == span["quote"], item["id"]


def test_a_negated_stage_rules_it_out():
    result = classify("Young people designed the sessions, but they were not involved in delivery "
                      "or evaluation, which staff do.")
    delivery = found(result, "involved-in-delivery")
    assert delivery and all(e["negated"] for e in delivery)
    assert delivery[0]["statement"] == "People do not take part in delivery."
    assert result["rung"] == "co-design"


def test_negation_reaches_through_a_list():
    result = classify("Residents were not involved in planning, design or delivery of the scheme.")
    assert all(e["negated"] for e in found(result, "involved-in-delivery"))


def test_no_payment_means_not_paid():
    result = classify("Members of the panel meet monthly. There is no payment for taking part.")
    [unpaid] = found(result, "unpaid")
    assert unpaid["counted"] and unpaid["answer"] == ["nothing"]
    assert not any(v["evidenced"] for v in result["values"] if v["value"] == "reciprocity")


def test_a_negation_in_another_clause_does_not_reach():
    result = classify("Nobody was turned away. Everyone on the panel was paid £25 an hour.")
    [paid] = found(result, "paid-for-time")
    assert not paid["negated"]


def test_a_hope_is_not_a_fact():
    hoped = classify("The group designed the leaflet. We hope to pay members for their time next year.")
    [paid] = found(hoped, "paid-for-time")
    assert paid["hedged"]
    done = classify("The group designed the leaflet. We pay members for their time.")
    assert not found(done, "paid-for-time")[0]["hedged"]
    hoped_values = {v["value"]: v["evidenced"] for v in hoped["values"]}
    assert hoped_values["reciprocity"] is False


def test_a_decision_that_something_should_be_is_not_a_hope():
    result = classify("The youth council decided the pledge should be rewritten from scratch by "
                      "young people.")
    [design] = found(result, "involved-in-design")
    assert not design["hedged"]


def test_in_a_participants_own_voice_we_are_the_people_who_take_part():
    ours = ("I'm one of the parent carers on the forum. We designed the new training with the "
            "council and we deliver the sessions to school staff.")
    theirs = "We designed the new training with the council and we deliver the sessions to school staff."
    assert found(classify(ours), "involved-in-delivery")
    # An organisation's "we" is the organisation: nothing says people deliver anything.
    assert not found(classify(theirs), "involved-in-delivery")


def test_people_recruited_through_user_led_groups_do_not_make_a_project_user_led():
    recruited = classify("Panel members were recruited through local user-led groups.")
    assert not found(recruited, "user-led")
    run_by = classify("The service is user-led: it is run by and for people who hear voices.")
    assert found(run_by, "user-led")


def test_a_stage_said_once_firmly_is_not_drowned_by_another_said_often():
    reading = APP.reader.read("Residents designed the new garden. Peer researchers analysed the data; "
                              "peer researchers interviewed neighbours; peer researchers evaluated "
                              "the pilot; peer researchers audited the service.")
    assert set(reading.answers["stages"].options) == {"design", "evaluation"}


def test_a_label_is_reported_but_never_counted():
    result = classify(CONSULTATION_TRAP)
    [label] = found(result, "label-co-production")
    assert label["counted"] is False and label["points_to"] == "co-production"
    assert Rung(result["rung"]) <= Rung.CONSULTATION
    assert "calls it co-production" in result["summary"]
    assert "a project's own label is not evidence" in result["summary"]


def test_a_label_never_moves_the_scores():
    facts = ("Carers filled in a one-off survey after the decision had already been made. They "
             "were not told what changed.")
    plain = classify(facts)
    for label in ("Our co-production project. ", "This co-designed, co-produced service. "):
        labelled = classify(label + facts)
        assert labelled["rung"] == plain["rung"]
        assert labelled["scores"] == plain["scores"]


def test_the_facts_can_sit_above_the_label():
    result = classify("This consultation has run for two years: the panel meets monthly, and after "
                      "each meeting we tell members what changed as a result of their feedback.")
    assert result["rung"] == "engagement"
    assert "calls it consultation, but the facts show engagement" in result["summary"]


def test_real_co_production_never_needs_the_word():
    result = classify(CO_PRODUCTION)
    assert result["rung"] == "co-production"
    assert not any(e["signal"].startswith("text/label-") for e in result["evidence"])


def test_a_description_with_no_facts_claims_nothing():
    result = classify("The Riverside project is about dementia in our town. It started this year.")
    assert result["rung"] == Rung.INFORMING.value
    assert result["confidence"] == 0
    assert "cannot place this project" in result["summary"]


def test_the_same_description_always_gets_the_same_answer():
    assert classify(CO_PRODUCTION) == classify(CO_PRODUCTION)


@pytest.mark.parametrize("text", [
    "Mae'r prosiect wedi cael ei gyd-gynhyrchu gyda phobl sy'n defnyddio gwasanaethau iechyd meddwl, "
    "ac maen nhw wedi bod yn rhan o bob cam o'r gwaith.",
    "Le projet a été conçu avec les patients et leurs familles, qui ont participé à toutes les "
    "décisions depuis le début.",
    "Das Projekt wurde gemeinsam mit den Patienten entwickelt und sie sind an allen Entscheidungen "
    "beteiligt.",
    "患者と一緒にサービスを設計しました。",
    "zxq vbnm qwrt plkj hgf dsaz",
])
def test_text_that_is_not_english_is_refused_by_name(text):
    with pytest.raises(InvalidArgument) as caught:
        classify(text)
    assert caught.value.violations == [{"field": "description", "description": NOT_ENGLISH}]


def test_bilingual_text_with_english_is_read():
    text = ("Parents designed the new leaflet with staff. Dyluniodd rhieni y daflen newydd gyda staff. "
            "Parents were paid for their time.")
    assert classify(text)["rung"] in {"engagement", "co-design"}


@pytest.mark.parametrize(("description", "words"), [
    ("", "is empty"),
    ("   \n\t ", "is empty"),
    ("x" * (MAX_DESCRIPTION_CHARS + 1), "at most 20000"),
])
def test_bad_descriptions_are_named(description, words):
    with pytest.raises(InvalidArgument) as caught:
        classify(description)
    [violation] = caught.value.violations
    assert violation["field"] == "description" and words in violation["description"]


def test_a_description_at_the_limit_is_read():
    sentence = "Residents were paid for their time and designed the garden with staff. "
    text = (sentence * (MAX_DESCRIPTION_CHARS // len(sentence) + 1))[:MAX_DESCRIPTION_CHARS]
    assert len(text) == MAX_DESCRIPTION_CHARS
    assert classify(text)["rung"] in {"co-design", "co-production"}


def test_neither_description_nor_answers_is_refused():
    with pytest.raises(InvalidArgument) as caught:
        classify()
    assert {v["field"] for v in caught.value.violations} == {"description", "answers"}


def test_answers_take_precedence_and_disagreements_are_conflicts():
    text = "Members are paid £20 an hour. They meet monthly to advise the council."
    result = classify(text, {"payment": "nothing"})
    [conflict] = [c for c in result["conflicts"] if c["question_ids"] == ["payment"]]
    assert conflict["span"]["quote"] == "paid £20"
    assert "The answer was used" in conflict["description"]
    payment = [e for e in result["evidence"] if e.get("question_id") == "payment"]
    assert {(e["source"], e["counted"]) for e in payment} == {("answer", True), ("text", False)}
    assert {v["value"]: v["evidenced"] for v in result["values"]}["reciprocity"] is False


def test_text_fills_in_what_the_answers_leave_open():
    answers = {"first_involved": "from-the-start", "who_decides": "jointly"}
    alone = classify(None, answers)
    with_text = classify("People designed, delivered and evaluated the service with staff.", answers)
    assert with_text["rung"] == "co-production" and alone["rung"] == "co-design"
    assert "stages" in alone["unanswered"] and "stages" not in with_text["unanswered"]


def test_values_with_and_without_evidence():
    result = classify("The panel meets monthly in a step-free venue with BSL interpreters. Members "
                      "are paid for their time. We reached out to young carers through community "
                      "groups.")
    values = {v["value"]: v for v in result["values"]}
    assert list(values) == ["equality", "diversity", "accessibility", "reciprocity"]
    assert values["accessibility"]["evidenced"]
    assert "text/communication-support" in values["accessibility"]["signals"]
    assert values["reciprocity"]["evidenced"] and values["diversity"]["evidenced"]
    assert values["equality"]["evidenced"] is False and values["equality"]["step"]
    assert "No evidence of equality" in result["summary"]


def test_steps_to_the_next_rung_come_from_what_is_missing():
    result = classify("Patients and carers designed the new discharge leaflet with staff, who now "
                      "hand it out. The audit is done by the quality team.")
    assert result["rung"] == "co-design" and result["next_rung"] == "co-production"
    assert any("delivering the service and in evaluating it" in step
               for step in result["missing_for_next_rung"])
