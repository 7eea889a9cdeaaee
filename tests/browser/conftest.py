"""Browser tier: the widget and the demo page in a real headless Chromium (Debian's
/usr/bin/chromium, driven by Playwright; no browser is ever downloaded), against the real
gateway in embedded mode. axe-core (from npm) checks WCAG 2.2 AA.

What may be faked: the answers the real gateway cannot be made to give on demand, fulfilled
by the browser's request routing: failures (a 500, a 503) and, for the rendering tests,
answers in the shape agreed with the recommender (every part present, nothing fits, parts
missing). Everything else is the real gateway.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.stack import AXE_SCRIPT, CHROMIUM, Gateway, Portal, gateway
from tests.support.servers import require


@pytest.fixture(scope="session")
def browser() -> Iterator:
    require(CHROMIUM.exists(), f"no Chromium at {CHROMIUM} (make test-browser installs it)")
    require(AXE_SCRIPT.exists(), f"no axe-core at {AXE_SCRIPT} (make install installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def portal() -> Iterator[Portal]:
    served = Portal()
    yield served
    served.close()


@pytest.fixture(scope="session")
def ladder(tmp_path_factory, portal) -> Iterator[Gateway]:
    with gateway(tmp_path_factory.mktemp("gateway"), cors_origins=portal.origin) as running:
        yield running


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh page at a laptop's size, with axe-core ready. Any uncaught script error or
    Content-Security-Policy refusal fails the test that caused it."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(path=str(AXE_SCRIPT))
    opened = context.new_page()
    problems: list[str] = []
    opened.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    opened.on("console", lambda message: problems.append(f"console: {message.text}")
              if "Content Security Policy" in message.text else None)
    yield opened
    context.close()
    assert not problems, problems
