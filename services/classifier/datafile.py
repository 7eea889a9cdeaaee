"""What the classifier's data files share: frozen models, sources, and one way to load them.

Every data file (questionnaire, frameworks, signals, language) is reviewed like code and
checked on load, so a mistake fails at start-up with the file named, not in a request.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(Frozen):
    id: str
    publisher: str
    title: str
    url: str = Field(pattern=r"^https://")


Model = TypeVar("Model", bound=BaseModel)


def load_model(path: Path, model: type[Model], error: type[ValueError]) -> Model:
    """Read YAML at `path` as `model`; any problem becomes `error`, naming the file. Checks
    that raise ValueError (cross-references, patterns) are reported the same way."""
    try:
        return model.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValidationError, ValueError) as problem:
        raise error(f"{path}: {problem}") from problem
