"""Structured JSON log lines, one per event, carrying the request id.

The request id is set at the gateway (taken from the caller's `x-request-id` or made
new) and travels over the bus in nameko's context data; whoever handles the request
puts it in `request_id_var` so every line logged while handling it carries it.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

REQUEST_ID_HEADER = "x-request-id"  # HTTP header and gRPC metadata key
# A caller's id is kept only if it is short and plain, so it cannot forge log fields.
_REQUEST_ID_PATTERN = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

# Attributes every LogRecord has; anything else passed as `extra=` is emitted as a field.
_STANDARD_ATTRS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


def new_request_id() -> str:
    return uuid.uuid4().hex


def accept_request_id(given: str | None) -> str:
    """The caller's request id if well formed, otherwise a new one."""
    return given if given and _REQUEST_ID_PATTERN.match(given) else new_request_id()


class JsonFormatter(logging.Formatter):
    def __init__(self, process_name: str) -> None:
        super().__init__()
        self.process_name = process_name

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "process": self.process_name,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            line["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str)


def configure_logging(process_name: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter(process_name))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Per-request lines from these libraries duplicate ours; keep their warnings.
    for noisy in ("uvicorn.access", "kombu", "amqp", "nameko"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
