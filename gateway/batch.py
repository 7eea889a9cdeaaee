"""ClassifyBatch: many classifications on one stream, each item answered on its own.

Items are classified a few at a time (WINDOW) through the same LadderApi as Classify, and
answered in the order they came, so a client can match answers by position as well as by
item_id. An item that fails gets its error (what Classify would have answered) and the
stream goes on; only a broken stream ends it.
"""

from __future__ import annotations

import contextvars
import logging
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from ladder.v1 import classifier_pb2

from gateway.convert import classifier as convert
from gateway.errors import INTERNAL_MESSAGE, mapping_for
from services.common.errors import InvalidArgument, LadderError

log = logging.getLogger(__name__)

WINDOW = 4  # items in flight per stream: enough to overlap trips over the bus
MAX_ITEM_ID_CHARS = 128


def classify_batch(
    classify: Callable[[dict[str, Any]], dict[str, Any]],
    items: Iterator[Any],
    executor: ThreadPoolExecutor,
    is_malformed: Callable[[Any], str | None],
) -> Iterator[classifier_pb2.ClassifyBatchResponse]:
    in_flight: deque[tuple[str, int, Future]] = deque()
    for index, item in enumerate(items):
        problem = is_malformed(item)
        item_id = "" if problem else item.item_id
        future: Future = Future()
        if problem:
            future.set_exception(InvalidArgument.one("request", problem))
        elif len(item_id) > MAX_ITEM_ID_CHARS:
            too_long = f"longer than {MAX_ITEM_ID_CHARS} characters"
            future.set_exception(InvalidArgument.one("item_id", too_long))
            item_id = item_id[:MAX_ITEM_ID_CHARS]
        else:
            # The caller's identity and request id travel with the item into the worker.
            context = contextvars.copy_context()
            request = convert.classify_request(item.request)
            future = executor.submit(context.run, classify, request)
        in_flight.append((item_id, index, future))
        while len(in_flight) >= WINDOW:
            yield _answer(*in_flight.popleft())
    while in_flight:
        yield _answer(*in_flight.popleft())


def _answer(item_id: str, index: int, future: Future) -> classifier_pb2.ClassifyBatchResponse:
    try:
        classification = future.result()
    except Exception as error:  # noqa: BLE001 (each item's failure, whatever it is, is its answer)
        return classifier_pb2.ClassifyBatchResponse(item_id=item_id, index=index, error=_item_error(error))
    return classifier_pb2.ClassifyBatchResponse(
        item_id=item_id, index=index, classification=convert.classification_message(classification)
    )


def _item_error(error: Exception) -> classifier_pb2.ItemError:
    code = mapping_for(error).grpc_code.name
    if not isinstance(error, LadderError):
        log.error("batch item failed", exc_info=error)
        return convert.batch_item_error(code, INTERNAL_MESSAGE, [])
    violations = error.violations if isinstance(error, InvalidArgument) else []
    # Classify's fields are the item's request's fields.
    violations = [
        v if v["field"] in {"request", "item_id"} else {**v, "field": f"request.{v['field']}"}
        for v in violations
    ]
    return convert.batch_item_error(code, error.message, violations)
