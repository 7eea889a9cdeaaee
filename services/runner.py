"""Run one Ladder service on RabbitMQ: `python -m services.runner classifier`.

This process is eventlet-patched (nameko needs it), so it must never import grpcio.
"""

from __future__ import annotations

import warnings

# eventlet announces on import that it is in bug-fix mode; known, and noted in the README.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()  # before anything else opens a socket

import argparse  # noqa: E402
import importlib  # noqa: E402
import logging  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402

from nameko.runners import ServiceRunner  # noqa: E402

from services.common.health import HOST_CONFIG_KEY, PORT_CONFIG_KEY  # noqa: E402
from services.common.logs import configure_logging  # noqa: E402
from services.common.replicas import DIRECTORY_SYNC_CONFIG_KEY, REPLICA_ID_CONFIG_KEY  # noqa: E402
from services.common.settings import Settings, load_settings  # noqa: E402

SERVICES = {
    "classifier": "services.classifier.service:ClassifierService",
    "recommender": "services.recommender.service:RecommenderService",
    "matcher": "services.matcher.service:MatcherService",
}

log = logging.getLogger("services.runner")


def service_class(name: str) -> type:
    module_name, class_name = SERVICES[name].split(":")
    return getattr(importlib.import_module(module_name), class_name)


def nameko_config(settings: Settings) -> dict:
    return {
        "AMQP_URI": settings.amqp_uri,
        "serializer": "json",
        HOST_CONFIG_KEY: settings.host,
        PORT_CONFIG_KEY: settings.service_http_port,
        REPLICA_ID_CONFIG_KEY: settings.replica_id,
        DIRECTORY_SYNC_CONFIG_KEY: settings.directory_sync_seconds,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run one Ladder service on RabbitMQ.")
    parser.add_argument("service", choices=sorted(SERVICES))
    args = parser.parse_args(argv)

    settings = load_settings()
    configure_logging(args.service, settings.log_level)
    runner = ServiceRunner(nameko_config(settings))
    runner.add_service(service_class(args.service))

    def on_sigterm(signum: int, frame: object) -> None:
        # Signal handlers run in the main loop and cannot use eventlet primitives; stop in
        # a greenlet: the runner stops consuming, finishes workers in flight, then exits.
        log.info("stopping: finishing work in flight")
        eventlet.spawn_n(runner.stop)

    signal.signal(signal.SIGTERM, on_sigterm)
    runner.start()
    log.info("started", extra={"service": args.service})
    waiter = eventlet.spawn(runner.wait)
    try:
        waiter.wait()
    except KeyboardInterrupt:
        runner.stop()
    log.info("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
