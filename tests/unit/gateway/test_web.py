"""The widget and the demo page as the gateway serves them: files, cache headers, and CORS
limited to the configured origins. (What they do in a browser: tests/browser/.)"""

from __future__ import annotations

import importlib.util

import pytest
from fastapi.testclient import TestClient

from gateway.http_api import WEB_DIR, create_app
from services.common.settings import REPO_ROOT, Mode, Settings, SettingsError, load_settings

PORTAL = "https://portal.example.org"


def client_for(api, cors_origins=()) -> TestClient:
    app = create_app(api, lambda: {"classifier": True}, 1_048_576, cors_origins)
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture(scope="module")
def http(api):
    return client_for(api)


@pytest.fixture(scope="module")
def http_with_cors(api):
    return client_for(api, (PORTAL,))


def test_the_widget_script_is_served_as_javascript_and_kept_an_hour(http):
    response = http.get("/widget/ladder.js")
    assert response.status_code == 200
    assert response.content == (WEB_DIR / "widget" / "ladder.js").read_bytes()
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["cache-control"] == "public, max-age=3600"
    assert response.headers["cross-origin-resource-policy"] == "cross-origin"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert 'customElements.define(ELEMENT' in response.text


def test_the_demo_page_is_at_the_root_revalidated_and_locked_to_its_own_origin(http):
    response = http.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    # Its scripts and style sheet are linked relatively, and each of them is served.
    for path in ("widget/ladder.js", "demo/demo.js", "demo/demo.css"):
        assert f'"{path}"' in response.text
        assert http.get("/" + path).status_code == 200


def test_an_unchanged_file_answers_304_to_its_etag(http):
    etag = http.get("/widget/ladder.js").headers["etag"]
    again = http.get("/widget/ladder.js", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["cache-control"] == "public, max-age=3600"
    other = http.get("/widget/ladder.js", headers={"if-none-match": '"something-else"'})
    assert other.status_code == 200


def test_only_the_files_in_the_web_folder_are_served(http):
    assert http.get("/widget/nope.js").status_code == 404
    assert http.get("/widget/../http_api.py").status_code == 404
    assert http.get("/demo/index.html").status_code == 404  # the page lives at / only
    # The web routes are not part of the API's contract.
    documented = http.get("/openapi.json").json()["paths"]
    assert "/" not in documented and "/widget/ladder.js" not in documented


def test_without_configured_origins_no_cross_origin_call_is_allowed(http):
    response = http.post("/v1/recommendations", json={"current_rung": "consultation"},
                         headers={"origin": PORTAL})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    preflight = http.options("/v1/recommendations", headers={
        "origin": PORTAL, "access-control-request-method": "POST",
        "access-control-request-headers": "content-type"})
    assert "access-control-allow-origin" not in preflight.headers


def test_a_configured_origin_may_call_the_api_and_read_errors(http_with_cors):
    preflight = http_with_cors.options("/v1/recommendations", headers={
        "origin": PORTAL, "access-control-request-method": "POST",
        "access-control-request-headers": "content-type"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == PORTAL
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()

    ok = http_with_cors.post("/v1/recommendations", json={"current_rung": "consultation"},
                             headers={"origin": PORTAL})
    assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == PORTAL
    assert "x-request-id" in ok.headers["access-control-expose-headers"].lower()
    # A refusal carries the headers too, or the widget would see a network error, not the 422.
    refused = http_with_cors.post("/v1/recommendations", json={"current_rung": "top"},
                                  headers={"origin": PORTAL})
    assert refused.status_code == 422 and refused.headers["access-control-allow-origin"] == PORTAL


def test_another_origin_is_refused_even_when_some_are_configured(http_with_cors):
    preflight = http_with_cors.options("/v1/recommendations", headers={
        "origin": "https://elsewhere.example", "access-control-request-method": "POST"})
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    response = http_with_cors.post("/v1/recommendations", json={"current_rung": "consultation"},
                                   headers={"origin": "https://elsewhere.example"})
    assert "access-control-allow-origin" not in response.headers


def test_cors_origins_are_read_comma_separated(monkeypatch):
    monkeypatch.setenv("LADDER_CORS_ORIGINS", " https://a.example ,http://localhost:3000,")
    assert Settings().cors_origins == ("https://a.example", "http://localhost:3000")
    monkeypatch.delenv("LADDER_CORS_ORIGINS")
    assert Settings().cors_origins == ()


@pytest.mark.parametrize("value, complaint", [
    ("*", "list each origin"),
    ("https://portal.example/", "no path"),
    ("https://portal.example/intranet", "no path"),
    ("portal.example", "not an origin"),
    ("ftp://portal.example", "not an origin"),
])
def test_a_bad_cors_origin_stops_start_up_naming_the_variable(monkeypatch, value, complaint):
    monkeypatch.setenv("LADDER_CORS_ORIGINS", value)
    with pytest.raises(SettingsError) as stopped:
        load_settings()
    assert "LADDER_CORS_ORIGINS" in str(stopped.value) and complaint in str(stopped.value)


def test_make_run_tells_a_new_user_to_open_the_demo_page(http):
    spec = importlib.util.spec_from_file_location("launch", REPO_ROOT / "deploy" / "local" / "launch.py")
    launch = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(launch)
    banner = launch._banner(Settings(http_port=8123), Mode.EMBEDDED, "ldr_printed_key")
    assert "Open      http://127.0.0.1:8123/   (the demo page" in banner
    assert "API key   ldr_printed_key" in banner
    assert http.get("/").status_code == 200
