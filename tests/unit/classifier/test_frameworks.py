"""The three frameworks and the crosswalk: data checked on load, reported on every answer."""

from pathlib import Path

import pytest
import yaml

from services.classifier.app import ClassifierApp
from services.classifier.frameworks import DEFAULT_PATH, FrameworksError, load_frameworks
from services.common.rungs import RUNGS_BOTTOM_UP, Rung

F = load_frameworks()


def test_each_framework_has_its_published_number_of_rungs_with_definitions_and_sources():
    counts = {f.id: len(f.rungs) for f in F.frameworks}
    assert counts == {"co-production-ladder": 7, "arnstein": 8, "iap2": 5}
    for framework in F.frameworks:
        assert framework.sources
        assert all(rung.definition and rung.group for rung in framework.rungs)
    assert all(source.url.startswith("https://") for source in F.sources)


def test_the_crosswalk_is_marked_as_a_judgement():
    assert F.crosswalk.judgement is True
    assert "judgement" in F.crosswalk.note
    placement = F.placement(Rung.CONSULTATION)
    assert [p["framework"] for p in placement] == ["co-production-ladder", "arnstein", "iap2"]
    assert [p["crosswalk_judgement"] for p in placement] == [False, True, True]


@pytest.mark.parametrize(("rung", "arnstein", "iap2"), [
    (Rung.COERCION, ["manipulation"], ["inform"]),
    (Rung.CONSULTATION, ["consultation"], ["consult"]),
    (Rung.ENGAGEMENT, ["placation"], ["involve"]),
    (Rung.CO_PRODUCTION, ["partnership", "delegated-power"], ["collaborate", "empower"]),
])
def test_rungs_map_across_as_the_crosswalk_says(rung, arnstein, iap2):
    ladder, arn, iap = F.placement(rung)
    assert [r["id"] for r in ladder["rungs"]] == [rung.value]
    assert [r["id"] for r in arn["rungs"]] == arnstein
    assert [r["id"] for r in iap["rungs"]] == iap2


def test_a_user_led_project_reaches_citizen_control():
    result = ClassifierApp().classify(
        {"answers": {"who_decides": "people-themselves", "stages": ["design", "delivery", "evaluation"]}},
        publish=lambda *_: None,
    )
    assert result["rung"] == "co-production"
    assert [r["id"] for r in result["frameworks"][1]["rungs"]] == ["citizen-control"]
    assert [r["id"] for r in result["frameworks"][2]["rungs"]] == ["empower"]


def test_every_classification_reports_all_three_frameworks():
    result = ClassifierApp().classify({"answers": {"first_involved": "after-decisions"}},
                                      publish=lambda *_: None)
    assert [f["framework"] for f in result["frameworks"]] == ["co-production-ladder", "arnstein", "iap2"]
    assert result["frameworks"][0]["rungs"][0]["id"] == result["rung"]


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "frameworks.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_the_loader_refuses_a_ladder_that_is_not_the_seven_rungs(tmp_path):
    data = yaml.safe_load(DEFAULT_PATH.read_text())
    data["frameworks"][0]["rungs"].pop()
    with pytest.raises(FrameworksError, match="seven rungs"):
        load_frameworks(_write(tmp_path, data))


def test_the_loader_refuses_a_crosswalk_to_an_unknown_rung(tmp_path):
    data = yaml.safe_load(DEFAULT_PATH.read_text())
    data["crosswalk"]["rungs"][3]["arnstein"] = ["consultancy"]
    with pytest.raises(FrameworksError, match="no rung"):
        load_frameworks(_write(tmp_path, data))


def test_the_loader_refuses_a_crosswalk_that_steps_down(tmp_path):
    data = yaml.safe_load(DEFAULT_PATH.read_text())
    data["crosswalk"]["rungs"][5]["iap2"] = ["inform"]  # co-design below engagement's involve
    with pytest.raises(FrameworksError, match="steps down"):
        load_frameworks(_write(tmp_path, data))


def test_the_ladder_in_the_data_is_the_ladder_in_the_code():
    assert [r.id for r in F.framework("co-production-ladder").rungs] == [r.value for r in RUNGS_BOTTOM_UP]
