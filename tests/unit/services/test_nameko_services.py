"""The nameko adapters, with no broker: nameko's worker_factory gives a service instance
whose dependencies we choose. The real application objects are used; only the event
dispatcher (the bus) is nameko's mock, so we can see what would be published."""

from __future__ import annotations

import pytest
from nameko.testing.services import worker_factory

from services.classifier.app import ClassifierApp
from services.classifier.service import ClassifierService
from services.common.errors import InvalidArgument
from services.common.events import CLASSIFICATION_MADE
from services.matcher.app import MatcherApp
from services.matcher.service import MatcherService
from services.recommender.app import RecommenderApp
from services.recommender.service import RecommenderService


def test_classify_returns_json_and_publishes_that_a_classification_was_made():
    service = worker_factory(ClassifierService, app=ClassifierApp())
    result = service.classify({"answers": {"first_involved": "from-the-start", "who_decides": "jointly",
                                           "stages": ["design"], "payment": "paid"}})
    assert result["rung"] == "co-design"
    event_type, payload = service.dispatch.call_args.args
    assert event_type == CLASSIFICATION_MADE
    assert payload["rung"] == "co-design"
    assert "description" not in payload  # events never carry what people wrote


def test_invalid_input_raises_the_domain_error_and_publishes_nothing():
    service = worker_factory(ClassifierService, app=ClassifierApp())
    with pytest.raises(InvalidArgument) as caught:
        service.classify({"answers": {"payment": "lots"}})
    assert caught.value.violations[0]["field"] == "answers.payment"
    service.dispatch.assert_not_called()


def test_recommend_and_match_delegate_to_their_apps():
    recommender = worker_factory(RecommenderService, app=RecommenderApp())
    assert recommender.recommend({"current_rung": "informing"})["target_rung"] == "consultation"
    matcher = worker_factory(MatcherService, app=MatcherApp())
    found = matcher.match({"location": {"latitude": 51.45, "longitude": -2.59}, "radius_km": 5})
    assert [m["group"]["id"] for m in found["matches"]] == ["demo-org-008"]


def test_echo_returns_the_message_and_the_service_name():
    service = worker_factory(MatcherService, app=MatcherApp())
    assert service.echo("hi") == {"message": "hi", "service": "matcher", "request_id": ""}
