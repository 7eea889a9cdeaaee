"""What the browser tests and the screenshot script run against: the real gateway in
embedded mode (no broker) as its own process, and a portal on an origin of its own that
hosts the widget, as an intranet page would."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from gateway.auth import Permission, add_to_keys_file, new_key
from tests.support.processes import Process, wait_until
from tests.support.servers import free_port

CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


class Gateway:
    def __init__(self, process: Process, http_port: int, widget_key: str) -> None:
        self.process = process
        self.url = f"http://127.0.0.1:{http_port}/"
        self.widget_key = widget_key  # publishable, recommend only, for the portal's origin

    def get(self, path: str) -> tuple[int, dict]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as response:  # noqa: S310
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, {}

    def request_fields(self) -> set[str]:
        """The fields POST /v1/recommendations accepts, from the gateway's OpenAPI document."""
        _, document = self.get("openapi.json")
        return set(document["components"]["schemas"]["RecommendRequest"]["properties"])

    def ready(self) -> bool:
        try:
            return self.get("readyz")[0] == 200
        except OSError:  # not listening yet
            return False


@contextmanager
def gateway(log_dir: Path, cors_origins: str = "") -> Iterator[Gateway]:
    http_port = free_port()
    keys_file = log_dir / "api-keys.json"
    # The demo page's key (classify and recommend, on the gateway's own origin) and the
    # portal's widget key (recommend only, on the portal's origins).
    demo_key, demo = new_key("browser-tests", {Permission.CLASSIFY, Permission.RECOMMEND},
                             publishable=True, origins={f"http://127.0.0.1:{http_port}"})
    add_to_keys_file(keys_file, demo)
    widget_key = ""
    if cors_origins:
        widget_key, widget = new_key("browser-tests", {Permission.RECOMMEND}, publishable=True,
                                     origins=set(cors_origins.split(",")))
        add_to_keys_file(keys_file, widget)
    process = Process(["-m", "gateway"], {
        "LADDER_API_KEYS_FILE": str(keys_file),
        "LADDER_DEMO_KEY": demo_key,
        "LADDER_MODE": "embedded",
        "LADDER_HTTP_PORT": str(http_port),
        "LADDER_GRPC_PORT": str(free_port()),
        "LADDER_CORS_ORIGINS": cors_origins,
        "LADDER_DATABASE_URL": f"sqlite:///{log_dir / 'ladder.sqlite3'}",
        "LADDER_LOG_LEVEL": "WARNING",
    }, log_dir / "gateway.log")
    running = Gateway(process, http_port, widget_key)
    try:
        wait_until(lambda: running.ready() or not process.alive(), 60, "the gateway to be ready")
        assert process.alive(), process.output()
        yield running
    finally:
        process.terminate()


class Portal:
    """Pages served from another port: another origin, so the widget's calls to the
    gateway are real cross-origin requests that CORS must allow (or refuse)."""

    def __init__(self) -> None:
        pages: dict[str, bytes] = {}
        self.pages = pages

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
                body = pages.get(self.path.split("?")[0])
                self.send_response(200 if body is not None else 404)
                self.send_header("content-type", "text/html; charset=utf-8")
                self.send_header("cache-control", "no-store")
                self.end_headers()
                self.wfile.write(body or b"not found")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        # The same server by another name is another origin, one the gateway was not told of.
        self.other_origin = f"http://localhost:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def put(self, path: str, html: str) -> str:
        self.pages[path] = html.encode()
        return self.origin + path

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def host_page(gateway_url: str, element: str, *, lang: str = "en", style: str = "",
              body_before: str = "", api_key: str = "") -> str:
    """A small, valid portal page that embeds the widget as the README tells portals to,
    with the portal's publishable key on the element."""
    if api_key:
        element = element.replace("<ladder-recommendations", f'<ladder-recommendations api-key="{api_key}"')
    return f"""<!doctype html>
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Portal</title>
  <link rel="icon" href="data:,">
  <style>{style}</style>
  <script src="{gateway_url}widget/ladder.js" defer></script>
</head>
<body>
  <h1>Our intranet</h1>
  {body_before}
  {element}
</body>
</html>"""
