"""The bus's JSON codec: orjson, with kombu's wire format (services/common/wire.py)."""

from __future__ import annotations

import json

import pytest
from kombu.exceptions import EncodeError
from kombu.serialization import dumps, loads

import services.common.nameko_adapter  # noqa: F401  (registers the codec, as every process does)
from services.common import wire

PAYLOAD = {"result": {"rung": "co-design", "confidence": 0.5, "evidence": [{"span": None}],
                      "summary": "Café, naïve — “quoted” ✓"}, "error": None}


def test_kombus_json_serializer_is_orjson_after_import():
    content_type, encoding, body = dumps(PAYLOAD, serializer="json")
    assert (content_type, encoding) == ("application/json", "utf-8")
    assert body == wire.dumps(PAYLOAD)


def test_the_standard_library_and_orjson_read_each_others_messages():
    _, _, body = dumps(PAYLOAD, serializer="json")
    assert json.loads(body) == PAYLOAD  # what a consumer without the codec does
    written_elsewhere = json.dumps(PAYLOAD).encode()  # a producer without the codec
    assert loads(written_elsewhere, "application/json", "utf-8") == PAYLOAD


def test_a_value_json_cannot_carry_is_refused_not_sent():
    with pytest.raises(EncodeError):
        dumps({"when": object()}, serializer="json")
