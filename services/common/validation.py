"""Turn pydantic validation errors into field violations a client can act on."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from services.common.errors import InvalidArgument

Model = TypeVar("Model", bound=BaseModel)


def field_path(loc: tuple[Any, ...]) -> str:
    """('answers', 'stages', 0) -> 'answers.stages[0]'."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "body"


def violations_from(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """One violation per field; where pydantic tried several types (a union), their
    messages are joined, so the client sees every shape the field could take."""
    by_field: dict[str, list[str]] = {}
    for problem in errors:
        messages = by_field.setdefault(field_path(tuple(problem["loc"])), [])
        if problem["msg"] not in messages:
            messages.append(problem["msg"])
    return [{"field": field, "description": "; or ".join(messages)} for field, messages in by_field.items()]


def parse(model: type[Model], data: Any) -> Model:
    """Validate `data` as `model`, raising InvalidArgument that names every bad field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise InvalidArgument(violations_from(error.errors(include_url=False))) from None
