"""Refresh docs/demo-page.png: the demo page after assessing a project and asking how to
climb, as a new user sees it. `make screenshot` (or `python -m tests.browser.screenshot`).

It starts its own gateway (embedded mode, free ports), so it needs no running Ladder.
Constraints are filled in only where the API accepts them, so the picture always shows
real results from the code in this checkout."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.browser.stack import CHROMIUM, gateway

OUTPUT = Path(__file__).resolve().parents[2] / "docs" / "demo-page.png"
WIDTH = 1000

# A project typical of many: people came in before the key decisions but the organisation
# sets the limits. Options the questionnaire does not offer fall back to the first one.
ANSWERS = {
    "first_involved": ["before-decisions"],
    "who_decides": ["within-limits"],
    "stages": ["planning", "design"],
    "payment": ["expenses-only"],
}
CONSTRAINTS = {"budget_gbp": ("#budget", "6000"), "weeks": ("#weeks", "16"),
               "participants": ("#participants", "15")}
ACCESS_NEEDS = ("captions", "step-free")


def take(output: Path = OUTPUT) -> Path:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        sys.exit(f"No Chromium at {CHROMIUM}: run `make test-browser` once (it installs it).")
    with (tempfile.TemporaryDirectory() as logs, gateway(Path(logs)) as ladder,
          sync_playwright() as playwright):
        accepted = ladder.request_fields()
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        page = browser.new_page(viewport={"width": WIDTH, "height": 900})
        page.goto(ladder.url)
        widget = page.locator("ladder-recommendations")
        page.locator("#questionnaire").wait_for()
        for fieldset in page.locator("#questions fieldset").all():
            question = fieldset.get_attribute("id").removeprefix("q-")
            wanted = [fieldset.locator(f'input[value="{option}"]')
                      for option in ANSWERS.get(question, [])]
            for choice in [box for box in wanted if box.count()] or [fieldset.locator("input").first]:
                choice.check()
        page.locator("#classify").click()
        page.locator("#classification-heading").wait_for()
        for field, (selector, value) in CONSTRAINTS.items():
            if field in accepted:
                widget.locator(selector).fill(value)
        if "access_needs" in accepted:
            for need in ACCESS_NEEDS:
                widget.locator(f"#access-needs-{need}").check()
        widget.locator("#submit").click()
        widget.locator("#results-heading").wait_for()
        for details in widget.locator("details").all()[:1]:  # show one cost breakdown
            details.evaluate("node => { node.open = true; }")
        page.evaluate("document.activeElement && document.activeElement.blur()")
        output.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(output), full_page=True)
        browser.close()
    return output


if __name__ == "__main__":
    print(f"wrote {take()}")
