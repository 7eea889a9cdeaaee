"""The method catalogue: the shipped data is complete and consistent, and the loader refuses
bad data with a message that says which method and which field to fix."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pydantic
import pytest
import yaml

from services.common.rungs import Rung
from services.recommender.catalogue import (
    AccessNeed,
    Catalogue,
    CatalogueError,
    Method,
    Mode,
    load_catalogue,
)

CATALOGUE = load_catalogue()
METHOD_IDS = [method.id for method in CATALOGUE.methods]
RUNGS_TO_COVER = [rung for rung in Rung if rung >= Rung.INFORMING]
ONLINE_ONLY_IDS = [m.id for m in CATALOGUE.methods if set(m.modes) == {Mode.ONLINE}]


@pytest.fixture(params=METHOD_IDS)
def method(request: pytest.FixtureRequest) -> Method:
    return CATALOGUE.by_id(request.param)


# --- the shipped catalogue --------------------------------------------------------------


def test_the_catalogue_loads_from_its_default_path() -> None:
    assert isinstance(load_catalogue(), Catalogue)


def test_the_catalogue_has_at_least_fifty_methods() -> None:
    assert len(CATALOGUE.methods) >= 50


@pytest.mark.parametrize("rung", RUNGS_TO_COVER, ids=str)
def test_every_rung_from_informing_up_is_reachable_by_at_least_three_methods(rung: Rung) -> None:
    reaching = [m.id for m in CATALOGUE.methods if rung in m.rungs]
    assert len(reaching) >= 3, f"only {reaching} reach {rung}"


def test_no_method_reaches_coercion() -> None:
    assert not [m.id for m in CATALOGUE.methods if Rung.COERCION in m.rungs]


def test_by_id_finds_a_method_and_refuses_an_unknown_one() -> None:
    assert CATALOGUE.by_id(METHOD_IDS[0]) is CATALOGUE.methods[0]
    with pytest.raises(KeyError, match="no-such-method"):
        CATALOGUE.by_id("no-such-method")


def test_method_access_answers_every_need(method: Method) -> None:
    assert set(method.access) == set(AccessNeed)


def test_method_access_entries_are_consistent(method: Method) -> None:
    for need, provision in method.access.items():
        assert provision.note.strip(), f"{need}: empty note"
        assert provision.cost_per_session_gbp >= 0
        if not provision.can_meet:
            assert provision.cost_per_session_gbp == 0, f"{need}: unmet need has a cost"


@pytest.mark.parametrize("method_id", ONLINE_ONLY_IDS)
def test_online_only_methods_charge_nothing_for_venue_adjustments(method_id: str) -> None:
    method = CATALOGUE.by_id(method_id)
    for need in (AccessNeed.STEP_FREE, AccessNeed.HEARING_LOOP, AccessNeed.QUIET_SPACE):
        assert method.access[need].cost_per_session_gbp == 0, need


def test_method_welsh_costs_are_stated(method: Method) -> None:
    welsh = method.welsh
    assert welsh.note.strip()
    # Running bilingually always costs something: materials to translate or sessions to staff.
    assert welsh.translation_gbp + welsh.cost_per_session_gbp > 0


def test_method_sources_are_https(method: Method) -> None:
    assert method.sources
    for source in method.sources:
        parts = urlsplit(source.url)
        assert parts.scheme == "https" and parts.netloc, source.url
        assert source.publisher.strip() and source.title.strip()


def test_method_figures_are_coherent(method: Method) -> None:
    assert 1 <= method.group_size.min <= method.group_size.max
    assert 1 <= method.duration_weeks.min <= method.duration_weeks.typical
    assert method.sessions >= 1
    assert method.participant_hours > 0
    assert method.cost.band.contains(method.cost.fixed_gbp)
    assert method.rungs == tuple(sorted(method.rungs))
    assert method.top_rung == max(method.rungs)


def test_method_text_is_filled_in(method: Method) -> None:
    for text in (method.name, method.summary, method.payment, method.when_not_to_use):
        assert text.strip()
    assert method.purpose and method.modes and method.skills and method.cost.components


def test_models_are_frozen() -> None:
    with pytest.raises(pydantic.ValidationError):
        CATALOGUE.methods[0].name = "something else"  # type: ignore[misc]


# --- the loader refuses bad data ---------------------------------------------------------


def _method(method_id: str = "focus-group") -> dict[str, Any]:
    provision = {"can_meet": True, "cost_per_session_gbp": 0, "note": "not needed"}
    return {
        "id": method_id,
        "name": "Focus group",
        "summary": "A guided small-group discussion.",
        "purpose": ["gather-views"],
        "rungs": ["consultation", "engagement"],
        "group_size": {"min": 6, "max": 10},
        "duration_weeks": {"min": 3, "typical": 6},
        "sessions": 1,
        "participant_hours": 3,
        "effort": "low",
        "cost": {
            "band": "low",
            "fixed_gbp": 1500,
            "per_participant_gbp": 15,
            "components": ["facilitator"],
        },
        "modes": ["in-person"],
        "access": {need.value: dict(provision) for need in AccessNeed},
        "welsh": {"translation_gbp": 100, "cost_per_session_gbp": 300, "note": "interpreter"},
        "skills": ["facilitation"],
        "payment": "£25 an hour",
        "when_not_to_use": "When nothing can change.",
        "sources": [{"publisher": "Example", "title": "Example", "url": "https://example.org/"}],
    }


def _write(tmp_path: Path, *methods: dict[str, Any]) -> Path:
    path = tmp_path / "methods.yaml"
    path.write_text(
        yaml.safe_dump({"version": 1, "methods": list(methods)}, allow_unicode=True),
        encoding="utf-8",
    )
    return path


def _refused(tmp_path: Path, *methods: dict[str, Any]) -> str:
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(_write(tmp_path, *methods))
    return str(caught.value)


def test_a_good_file_loads(tmp_path: Path) -> None:
    catalogue = load_catalogue(_write(tmp_path, _method("one"), _method("two")))
    assert [m.id for m in catalogue.methods] == ["one", "two"]


def test_catalogue_error_is_a_value_error() -> None:
    assert issubclass(CatalogueError, ValueError)


def test_refuses_a_duplicate_id(tmp_path: Path) -> None:
    message = _refused(tmp_path, _method("focus-group"), _method("focus-group"))
    assert "methods[1] (focus-group).id" in message
    assert "methods[0]" in message


def test_refuses_an_unknown_rung(tmp_path: Path) -> None:
    bad = _method()
    bad["rungs"] = ["consultation", "partnership"]
    message = _refused(tmp_path, bad)
    assert "methods[0] (focus-group).rungs[1]" in message
    assert "partnership" in message


def test_refuses_coercion_as_a_rung(tmp_path: Path) -> None:
    bad = _method()
    bad["rungs"] = ["coercion"]
    assert "methods[0] (focus-group).rungs" in _refused(tmp_path, bad)


def test_refuses_a_missing_access_key(tmp_path: Path) -> None:
    bad = _method()
    del bad["access"]["easy-read"]
    message = _refused(tmp_path, bad)
    assert "methods[0] (focus-group).access" in message
    assert "easy-read" in message


def test_refuses_an_unknown_access_key(tmp_path: Path) -> None:
    bad = _method()
    bad["access"]["braille"] = copy.deepcopy(bad["access"]["paper"])
    assert "methods[0] (focus-group).access.braille" in _refused(tmp_path, bad)


def test_refuses_a_fixed_cost_outside_its_band(tmp_path: Path) -> None:
    bad = _method()
    bad["cost"]["fixed_gbp"] = 60000
    message = _refused(tmp_path, bad)
    assert "methods[0] (focus-group).cost.fixed_gbp: 60000 is outside band 'low' (< £2,000)" in (message)


@pytest.mark.parametrize(
    ("field", "low_key", "high_key"),
    [("group_size", "min", "max"), ("duration_weeks", "min", "typical")],
)
def test_refuses_min_above_max(tmp_path: Path, field: str, low_key: str, high_key: str) -> None:
    bad = _method()
    bad[field] = {low_key: 12, high_key: 4}
    message = _refused(tmp_path, bad)
    assert f"methods[0] (focus-group).{field}.{high_key}: 4 is less than min 12" in message


def test_refuses_a_plain_http_source(tmp_path: Path) -> None:
    bad = _method()
    bad["sources"][0]["url"] = "http://example.org/"
    assert "methods[0] (focus-group).sources[0].url" in _refused(tmp_path, bad)


def test_refuses_a_method_without_sources(tmp_path: Path) -> None:
    bad = _method()
    bad["sources"] = []
    assert "methods[0] (focus-group).sources" in _refused(tmp_path, bad)


def test_refuses_an_id_that_is_not_kebab_case(tmp_path: Path) -> None:
    assert "methods[0] (Focus_Group).id" in _refused(tmp_path, _method("Focus_Group"))


def test_refuses_a_cost_for_a_need_that_cannot_be_met(tmp_path: Path) -> None:
    bad = _method()
    bad["access"]["bsl"] = {"can_meet": False, "cost_per_session_gbp": 300, "note": "no"}
    assert "methods[0] (focus-group).access.bsl.cost_per_session_gbp" in _refused(tmp_path, bad)


def test_refuses_an_unknown_field(tmp_path: Path) -> None:
    bad = _method()
    bad["colour"] = "blue"
    assert "methods[0] (focus-group).colour: unknown field" in _refused(tmp_path, bad)


def test_refuses_a_method_without_welsh_costs(tmp_path: Path) -> None:
    bad = _method()
    del bad["welsh"]
    assert "methods[0] (focus-group).welsh: required field is missing" in _refused(tmp_path, bad)


def test_refuses_a_negative_welsh_cost(tmp_path: Path) -> None:
    bad = _method()
    bad["welsh"]["cost_per_session_gbp"] = -5
    assert "methods[0] (focus-group).welsh.cost_per_session_gbp" in _refused(tmp_path, bad)


def test_refuses_a_missing_field(tmp_path: Path) -> None:
    bad = _method()
    del bad["payment"]
    assert "methods[0] (focus-group).payment: required field is missing" in _refused(tmp_path, bad)


def test_reports_every_broken_method_not_just_the_first(tmp_path: Path) -> None:
    first, second = _method("one"), _method("two")
    first["effort"] = "enormous"
    second["sessions"] = 0
    message = _refused(tmp_path, first, second)
    assert "methods[0] (one).effort" in message
    assert "methods[1] (two).sessions" in message


def test_refuses_a_number_written_as_text(tmp_path: Path) -> None:
    bad = _method()
    bad["cost"]["fixed_gbp"] = "1500"
    assert "methods[0] (focus-group).cost.fixed_gbp" in _refused(tmp_path, bad)


def test_refuses_a_file_that_is_not_a_catalogue(tmp_path: Path) -> None:
    path = tmp_path / "methods.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="methods"):
        load_catalogue(path)


def test_refuses_an_unknown_version(tmp_path: Path) -> None:
    path = tmp_path / "methods.yaml"
    path.write_text(yaml.safe_dump({"version": 2, "methods": [_method()]}), encoding="utf-8")
    with pytest.raises(CatalogueError, match="version"):
        load_catalogue(path)


def test_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CatalogueError, match="cannot read"):
        load_catalogue(tmp_path / "absent.yaml")


def test_reports_a_duplicate_id_alongside_other_problems(tmp_path: Path) -> None:
    broken = _method("two")
    broken["effort"] = "enormous"
    message = _refused(tmp_path, _method("one"), broken, _method("one"))
    assert "methods[1] (two).effort" in message
    assert "methods[2] (one).id: 'one' is already used by methods[0]" in message


def test_a_catalogue_built_in_code_also_refuses_duplicate_ids() -> None:
    method = CATALOGUE.methods[0]
    with pytest.raises(pydantic.ValidationError, match="already used"):
        Catalogue(version=1, methods=(method, method))


def test_reports_a_malformed_id_without_crashing(tmp_path: Path) -> None:
    first, second = _method(), _method()
    first["id"] = ["not", "text"]
    del second["id"]
    message = _refused(tmp_path, first, second, _method("fine"))
    assert "methods[0] (['not', 'text']).id" in message
    assert "methods[1] (?).id: required field is missing" in message
    assert "already used" not in message
