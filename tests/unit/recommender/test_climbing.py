"""What climbing each rung takes: the shipped data is complete, and the loader refuses data
that would leave a rung without a step or a jigsaw piece without an action."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from services.common.rungs import Rung
from services.recommender.catalogue import CatalogueError
from services.recommender.climbing import CLIMBABLE, DEFAULT_PATH, JigsawPiece, load_climbing

CLIMBING = load_climbing()


def test_every_rung_above_coercion_has_a_step_with_sources():
    assert set(CLIMBING.rungs) == set(CLIMBABLE)
    for rung, step in CLIMBING.rungs.items():
        assert step.step.strip(), rung
        assert all(source.url.startswith("https://") for source in step.sources)


@pytest.mark.parametrize("rung", CLIMBABLE, ids=str)
def test_every_rung_has_an_action_for_every_piece_of_the_jigsaw(rung):
    actions = CLIMBING.actions_for((rung,))
    assert [a.piece for a in actions] == list(JigsawPiece)
    for action in actions:
        assert action.action.strip() and action.sources


def test_actions_come_rung_by_rung_in_jigsaw_order():
    actions = CLIMBING.actions_for((Rung.CO_PRODUCTION, Rung.ENGAGEMENT))
    assert [(a.rung, a.piece) for a in actions] == [
        (rung, piece) for rung in (Rung.ENGAGEMENT, Rung.CO_PRODUCTION) for piece in JigsawPiece
    ]


def _data() -> dict[str, Any]:
    return yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))


def _refused(tmp_path: Path, data: dict[str, Any]) -> str:
    path = tmp_path / "climbing.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogueError) as caught:
        load_climbing(path)
    return str(caught.value)


def test_refuses_a_rung_without_a_step(tmp_path):
    data = _data()
    del data["rungs"]["co-design"]
    assert "rungs: missing co-design" in _refused(tmp_path, data)


def test_refuses_a_missing_piece_of_the_jigsaw(tmp_path):
    data = _data()
    data["organisation_actions"] = [
        a for a in data["organisation_actions"]
        if not (a["rung"] == "engagement" and a["piece"] == "review")
    ]
    assert "no action for engagement/review" in _refused(tmp_path, data)


def test_refuses_an_action_for_coercion_or_an_unknown_piece(tmp_path):
    data = _data()
    data["organisation_actions"][0]["rung"] = "coercion"
    data["organisation_actions"][1]["piece"] = "finance"
    message = _refused(tmp_path, data)
    assert "organisation_actions[0].rung" in message
    assert "organisation_actions[1].piece" in message


def test_refuses_an_action_without_sources(tmp_path):
    data = _data()
    data["organisation_actions"][2]["sources"] = []
    assert "organisation_actions[2].sources" in _refused(tmp_path, data)
