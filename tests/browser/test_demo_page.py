"""The demo portal page at / in a real browser: the questionnaire, the classification, then
the widget for that rung; accessible (WCAG 2.2 AA), in English and Welsh.

The page's own fallback (no questionnaire: the widget asks for the rung) is tested
whatever the gateway offers."""

from __future__ import annotations

import json

import pytest

from tests.browser.browsing import axe_violations, focused_id


def answer_every_question(page) -> dict[str, list[str]]:
    """Tick the first option of every question; returns what was chosen, by question."""
    chosen: dict[str, list[str]] = {}
    for fieldset in page.locator("#questions fieldset").all():
        first = fieldset.locator("input").first
        first.check()
        chosen[fieldset.get_attribute("id").removeprefix("q-")] = [first.get_attribute("value")]
    return chosen


def test_without_the_questionnaire_the_page_explains_and_still_offers_the_widget(page, ladder):
    page.route("**/v1/questionnaire", lambda route: route.fulfill(
        status=503, content_type="application/json",
        body=json.dumps({"error": {"code": "unavailable", "message": "no answer", "request_id": "q-1"}})))
    page.goto(ladder.url)
    problem = page.locator("#questionnaire-problem")
    problem.wait_for()
    assert "The questionnaire could not be loaded." in problem.inner_text()
    assert "not answering just now (error 503)" in problem.inner_text()
    assert page.locator("#questionnaire").is_hidden()
    assert axe_violations(page) == []

    widget = page.locator("ladder-recommendations")
    widget.locator("#current-rung").select_option("informing")
    widget.locator("#submit").click()
    widget.locator("#status").filter(has_text="Methods that fit:").wait_for()
    assert widget.locator("#results-heading").inner_text() == "Ways to reach consultation"
    assert axe_violations(page) == []


def test_assess_a_project_then_see_how_to_climb(page, ladder):
    sent: list[dict] = []
    page.on("request", lambda request: sent.append(json.loads(request.post_data))
            if request.method == "POST" else None)
    page.goto(ladder.url)
    page.locator("#questionnaire").wait_for()
    assert axe_violations(page) == []
    chosen = answer_every_question(page)
    assert chosen, "the questionnaire rendered no questions"
    page.locator("#classify").click()

    heading = page.locator("#classification-heading")
    heading.wait_for()
    assert focused_id(page) == "classification-heading"
    classified = sent[0]["answers"]
    assert set(classified) == set(chosen)
    rung = page.locator("ladder-recommendations").get_attribute("current-rung")
    assert rung and heading.inner_text() == f"Your project is at: {rung}"
    assert page.locator("#classification-summary").inner_text()

    widget = page.locator("ladder-recommendations")
    assert widget.locator("#current-rung-text").inner_text() == f"Your project is at: {rung}"
    widget.locator("#submit").click()
    widget.locator("#status").filter(has_text="Methods that fit:").wait_for()
    assert sent[-1]["current_rung"] == rung
    assert axe_violations(page) == []


def test_no_answers_get_a_problem_that_leads_back_to_the_questions(page, ladder):
    page.goto(ladder.url)
    page.locator("#questionnaire").wait_for()
    page.locator("#classify").focus()
    page.keyboard.press("Enter")
    problem = page.locator("#classification-problem")
    problem.wait_for()
    assert focused_id(page) == "classification-problem"
    assert "There is a problem" in problem.inner_text()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the link to the field named in the problem
    # With neither answers nor a description, the API names the description (free text
    # alone is enough to classify); the link leads to that field or to a question.
    focused = focused_id(page)
    assert focused == "description" or focused.startswith("q-")
    assert axe_violations(page) == []


def test_the_page_in_welsh(page, ladder):
    page.goto(ladder.url + "?lang=cy")
    page.locator("ladder-recommendations").locator(".title").wait_for(state="attached")
    assert page.evaluate("document.documentElement.lang") == "cy"
    assert page.locator("h1").inner_text() == "Ble mae eich prosiect ar ysgol cydgynhyrchu?"
    switch = page.locator("#language-switch")
    assert switch.inner_text() == "English" and switch.get_attribute("lang") == "en"
    widget_title = page.locator("ladder-recommendations").locator(".title")
    assert widget_title.text_content() == "Ffyrdd o ddringo ysgol cydgynhyrchu"
    switch.click()
    page.wait_for_url("**/?lang=en")
    assert page.locator("h1").inner_text() == "Where does your project stand on the ladder of co-production?"


@pytest.mark.parametrize("width", [640, 320])
def test_the_page_reflows_at_200_and_400_percent_zoom(page, ladder, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(ladder.url)
    page.locator("ladder-recommendations").locator("#submit").wait_for(state="attached")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
