"""Conversions between protobuf messages and the services' JSON, including properties
that must hold for every value (hypothesis)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from ladder.v1 import classifier_pb2, common_pb2, matcher_pb2, recommender_pb2

from gateway.convert import classifier as classifier_convert
from gateway.convert import common as convert
from gateway.convert import matcher as matcher_convert
from gateway.convert import recommender as recommender_convert
from services.classifier.schema import ClassifyRequest
from services.common.rungs import Rung


def test_every_rung_converts_both_ways():
    for rung in Rung:
        number = convert.rung_from_json(rung.value)
        assert common_pb2.Rung.Name(number) == "RUNG_" + rung.name
        assert convert.rung_to_json(number) == rung.value
    assert convert.rung_to_json(common_pb2.RUNG_UNSPECIFIED) is None
    assert convert.rung_from_json(None) == common_pb2.RUNG_UNSPECIFIED


@given(st.integers(min_value=8, max_value=2**31 - 1))
def test_unknown_rung_numbers_become_text_validation_will_refuse(number):
    assert convert.rung_to_json(number) == str(number)


option_ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=20)


@given(
    st.dictionaries(st.from_regex(r"[a-z_]{1,20}", fullmatch=True),
                    st.lists(option_ids, max_size=4), max_size=6),
    st.text(max_size=200),
)
def test_classify_requests_survive_the_trip_to_json(answers, description):
    message = classifier_pb2.ClassifyRequest(
        description=description,
        answers={q: classifier_pb2.Choices(options=o) for q, o in answers.items()},
    )
    as_json = classifier_convert.classify_request(message)
    assert as_json["answers"] == answers
    assert as_json.get("description") == (description or None)
    ClassifyRequest.model_validate(as_json)  # always the right shape for validation


def test_unset_optional_fields_are_left_for_the_defaults():
    assert matcher_convert.match_request(matcher_pb2.MatchRequest()) == {}
    assert recommender_convert.recommend_request(recommender_pb2.RecommendRequest()) == {}
    explicit_zero = matcher_pb2.MatchRequest(radius_km=0, limit=0)
    assert matcher_convert.match_request(explicit_zero) == {"radius_km": 0, "limit": 0}


@given(st.sampled_from(list(Rung)), st.floats(min_value=0, max_value=1))
def test_classifications_convert_to_protobuf(rung, confidence):
    answer = {
        "rung": rung.value, "confidence": confidence,
        "scores": [{"rung": r.value, "score": 0.5} for r in Rung],
        "evidence": [{"signal": "payment/paid", "statement": "Paid.", "points_to": rung.value,
                      "source": "text", "question_id": None, "answer": [],
                      "span": {"start": 3, "end": 9, "quote": "paid f"}}],
        "summary": "s", "next_rung": None, "missing_for_next_rung": [], "unanswered": [],
        "conflicts": [],
    }
    message = classifier_convert.classify_response(answer).classification
    assert convert.rung_to_json(message.rung) == rung.value
    assert message.confidence == confidence
    assert message.evidence[0].span.end == 9
    assert message.evidence[0].source == common_pb2.EVIDENCE_SOURCE_TEXT
