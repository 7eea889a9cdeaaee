"""<ladder-recommendations> in a real browser, embedded in a portal page on another origin
and calling the real gateway: isolation from the host's CSS, keyboard alone, WCAG 2.2 AA,
Welsh, readable errors, 200% zoom."""

from __future__ import annotations

import json
import uuid

import pytest

from tests.browser.browsing import axe_violations, focused_id, tab_to
from tests.browser.stack import host_page

CONSULTATION = '<ladder-recommendations current-rung="consultation"></ladder-recommendations>'

# Everything a careless or hostile portal stylesheet might do to an embedded widget.
HOSTILE = """
  body * { display: none !important; color: red !important; font-size: 2px !important;
           visibility: hidden !important; opacity: 0 !important; width: 10px !important;
           height: 10px !important; overflow: hidden !important; position: absolute !important;
           left: -9999px !important; font-family: "Comic Sans MS", cursive !important;
           line-height: 0 !important; background: black !important; }
  button, input, select, label, fieldset, legend, h2, h3, p, ul, li, a {
    all: unset !important; display: none !important; }
  :root { font-size: 2px !important; color-scheme: dark; }
"""


def open_widget(page, portal, ladder, element=CONSULTATION, lang="en", style="", body_before=""):
    name = f"/{uuid.uuid4().hex}.html"
    page.goto(portal.put(name, host_page(ladder.url, element, lang=lang, style=style,
                                         body_before=body_before, api_key=ladder.widget_key)))
    widget = page.locator("ladder-recommendations")
    widget.locator("#submit").wait_for()
    return widget


def wait_for_status(widget, *words: str) -> str:
    status = widget.locator("#status")
    status.filter(has_text=words[0]).wait_for(timeout=10_000)
    said = status.inner_text()
    for word in words:
        assert word in said, said
    return said


def test_the_widget_renders_and_works_inside_a_hostile_host_page(page, portal, ladder):
    widget = open_widget(page, portal, ladder, style=HOSTILE)
    box = widget.bounding_box()
    assert box and box["x"] >= 0 and box["width"] > 600 and box["height"] > 400, box
    title = widget.locator(".title")
    assert title.is_visible() and title.inner_text() == "Ways to climb the ladder of co-production"
    styles = title.evaluate("""node => { const s = getComputedStyle(node);
        return [s.color, parseFloat(s.fontSize), s.visibility, s.fontFamily]; }""")
    assert styles[0] == "rgb(11, 12, 12)" and styles[1] >= 20 and styles[2] == "visible", styles
    assert "Comic" not in styles[3]
    button = widget.locator("#submit")
    assert button.is_visible()
    assert button.evaluate("node => getComputedStyle(node).backgroundColor") == "rgb(29, 79, 145)"
    label = widget.locator("label[for=budget]")
    assert label.is_visible() and label.evaluate("node => parseFloat(getComputedStyle(node).fontSize)") >= 14

    button.click()
    wait_for_status(widget, "Methods that fit:")
    assert widget.locator(".method").first.is_visible()


def test_the_widget_leaves_the_host_pages_own_styles_alone(page, portal, ladder):
    host_bits = ('<h2 id="host-heading">News</h2><p id="host-text">Hello</p>'
                 '<button id="host-button">Go</button>')
    computed = """() => ['host-heading', 'host-text', 'host-button'].map(id => {
        const s = getComputedStyle(document.getElementById(id));
        return [s.color, s.fontSize, s.fontFamily, s.backgroundColor, s.margin, s.padding, s.border];
    })"""
    page.goto(portal.put(f"/{uuid.uuid4().hex}.html",
                         host_page(ladder.url, "", body_before=host_bits).replace(
                             f'<script src="{ladder.url}widget/ladder.js" defer></script>', "")))
    without_widget = page.evaluate(computed)
    open_widget(page, portal, ladder, body_before=host_bits)
    assert page.evaluate(computed) == without_widget


def test_keyboard_alone_reaches_every_control_and_gets_results_announced(page, portal, ladder):
    widget = open_widget(page, portal, ladder)
    sent: list[dict] = []
    page.on("request", lambda request: sent.append(json.loads(request.post_data))
            if request.url.endswith("/v1/recommendations") and request.method == "POST" else None)

    tab_to(page, "target-rung")
    page.keyboard.press("ArrowDown")  # the next rung up -> engagement
    page.keyboard.press("ArrowDown")  # -> co-design
    order = ["target-rung"]
    while order[-1] != "submit" and len(order) < 30:
        page.keyboard.press("Tab")
        order.append(focused_id(page))
    assert order == ["target-rung", "budget", "weeks", "participants", "mode-any",
                     *[f"access-needs-{need}" for need in (
                         "bsl", "captions", "easy-read", "large-print", "hearing-loop",
                         "step-free", "personal-assistant", "quiet-space", "paper")],
                     "submit"]
    page.keyboard.press("Enter")

    said = wait_for_status(widget, "Methods that fit:")
    status = widget.locator("#status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    assert sent[-1]["current_rung"] == "consultation" and sent[-1]["target_rung"] == "co-design"
    # Focus moves to the results, so the next Tab continues from there.
    assert focused_id(page) == "results-heading"
    assert widget.locator("#results-heading").inner_text() == "Ways to reach co-design"
    count = int(said.split(":")[1].strip(" ."))
    assert count == widget.locator(".method").count() > 0


def test_keyboard_alone_corrects_a_field_the_api_refuses(page, portal, ladder):
    widget = open_widget(page, portal, ladder)
    tab_to(page, "budget")
    page.keyboard.type("-5")
    page.keyboard.press("Enter")  # submits the form from the text box

    wait_for_status(widget, "There is a problem", "Budget:")
    assert focused_id(page) == "error-summary"
    budget = widget.locator("#budget")
    assert budget.get_attribute("aria-invalid") == "true"
    assert "budget-error" in budget.get_attribute("aria-describedby")
    assert widget.locator("#budget-error").is_visible() and widget.locator("#budget-error").inner_text()
    page.keyboard.press("Tab")  # to the link naming the field
    assert widget.locator(".error-summary a").inner_text().startswith("Budget:")
    page.keyboard.press("Enter")
    assert focused_id(page) == "budget"


def test_no_wcag_22_aa_violations_in_the_form_the_results_or_an_error(page, portal, ladder):
    widget = open_widget(page, portal, ladder)
    assert axe_violations(page) == []
    widget.locator("#submit").click()
    wait_for_status(widget, "Methods that fit:")
    for details in widget.locator("details").all():  # the cost breakdowns, opened
        details.evaluate("node => { node.open = true; }")
    assert axe_violations(page) == []
    widget.locator("#budget").fill("lots")  # refused before it is sent: not a number
    widget.locator("#submit").click()
    wait_for_status(widget, "There is a problem", "Budget:")
    assert axe_violations(page) == []


def test_welsh_on_a_welsh_page(page, portal, ladder):
    widget = open_widget(page, portal, ladder, lang="cy")
    assert widget.locator(".title").inner_text() == "Ffyrdd o ddringo ysgol cydgynhyrchu"
    assert widget.locator("#submit").inner_text() == "Dangos ffyrdd o ddringo"
    assert widget.locator("#current-rung-text").inner_text() == "Mae eich prosiect ar y gris: ymgynghori"
    assert widget.locator(".ladder").get_attribute("lang") == "cy"
    assert widget.locator("label[for=access-needs-easy-read]").inner_text() == "Dogfennau Hawdd eu Deall"
    widget.locator("#submit").click()
    if "language" in ladder.request_fields():
        wait_for_status(widget, "Dulliau sy'n addas:")
    else:  # until the recommender takes a language, the API names the field, in Welsh words
        wait_for_status(widget, "Mae problem", "Iaith:")
    assert axe_violations(page) == []


def test_the_lang_attribute_on_the_element_wins_and_can_change(page, portal, ladder):
    widget = open_widget(page, portal, ladder, element=(
        '<ladder-recommendations lang="cy" budget-gbp="800"></ladder-recommendations>'))
    assert widget.locator(".title").inner_text() == "Ffyrdd o ddringo ysgol cydgynhyrchu"
    assert widget.locator("label[for=current-rung]").inner_text() == "Ble mae eich prosiect nawr"
    assert widget.locator("#budget").input_value() == "800"
    widget.locator("#budget").fill("1200")
    widget.evaluate("node => node.setAttribute('lang', 'en')")
    assert widget.locator(".title").inner_text() == "Ways to climb the ladder of co-production"
    assert widget.locator("#budget").input_value() == "1200"  # what the reader typed is kept


def test_preset_constraints_fill_the_form_and_are_sent(page, portal, ladder):
    widget = open_widget(page, portal, ladder, element=(
        '<ladder-recommendations current-rung="informing" target-rung="engagement" budget-gbp="£2,500"'
        ' weeks="8" participants="12" mode="online" access-needs="captions, easy-read" limit="3">'
        "</ladder-recommendations>"))
    assert widget.locator("#target-rung").input_value() == "engagement"
    assert widget.locator("#weeks").input_value() == "8"
    assert widget.locator("#mode-online").is_checked()
    assert [box.get_attribute("value") for box in widget.locator("input[name=access-needs]:checked").all()] \
        == ["captions", "easy-read"]
    with page.expect_request("**/v1/recommendations") as sent:
        widget.locator("#submit").click()
    assert json.loads(sent.value.post_data) == {
        "current_rung": "informing", "target_rung": "engagement", "budget_gbp": 2500, "weeks": 8,
        "participants": 12, "mode": "online", "access_needs": ["captions", "easy-read"], "limit": 3}
    widget.locator(".error-summary, #results-heading").first.wait_for()  # either way, never blank


# The answer in the shape agreed with the recommender (every part of it), for the rendering
# tests below: the widget must show all of it, and survive parts that are missing or odd.
AGREED_ANSWER = {
    "current_rung": "consultation", "target_rung": "engagement",
    "recommendations": [{
        "method": {"id": "user-panel", "name": "User panel", "summary": "A standing group of people.",
                   "rungs": ["consultation", "engagement"], "modes": ["in-person", "online"],
                   "sources": ["https://www.example.org/guides/user-panels",
                               "https://www.example.org/guides/paying-people"]},
        "score": 0.82, "reasons": ["Meets every access need you named."],
        "trade_offs": ["Members can become professionalised over time."], "weeks": 8,
        "estimated_cost": {"total_gbp": 3150.0, "items": [
            {"item": "facilitation and venue", "gbp": 1800.0},
            {"item": "paying 12 participants 3 hours at £25", "gbp": 900.0},
            {"item": "BSL interpreters", "gbp": 450.0}]},
    }],
    "plan": [{"rung": "engagement", "method_ids": ["user-panel"], "why": "Ongoing say before decisions."}],
    "organisation_actions": [{"piece": "culture", "action": "Leaders say in public what changed."},
                             {"piece": "review", "action": "Check each year who is missing."}],
    "nothing_fits": None,
}


def answer_with(page, answer) -> None:
    page.route("**/v1/recommendations", lambda route: route.fulfill(
        status=200, content_type="application/json", body=json.dumps(answer),
        headers={"access-control-allow-origin": "*"}))


def test_every_part_of_the_agreed_answer_is_shown(page, portal, ladder):
    widget = open_widget(page, portal, ladder)
    answer_with(page, AGREED_ANSWER)
    page.evaluate("document.addEventListener('ladder-results', e => { window.heard = e.detail; })")
    widget.locator("#submit").click()
    wait_for_status(widget, "Methods that fit: 1.")
    assert page.evaluate("window.heard") == AGREED_ANSWER  # the host page hears the answer too
    method = widget.locator(".method")
    shown = method.inner_text()
    for words in ("User panel", "A standing group of people.", "Time: 8 weeks", "Estimated cost: £3,150",
                  "Ways to take part: In person, Online", "Meets every access need you named.",
                  "Trade-offs", "Members can become professionalised over time."):
        assert words in shown, (words, shown)
    method.locator("summary").click()
    assert "paying 12 participants 3 hours at £25: £900" in method.locator("details").inner_text()
    # Two sources on one site: each link says which page it is.
    assert [link.inner_text() for link in method.locator("a").all()] == [
        "example.org: user panels", "example.org: paying people"]
    output = widget.locator("#output").inner_text()
    assert "A plan, rung by rung" in output and "engagement: User panel" in output
    assert "Ongoing say before decisions." in output
    assert "Culture: Leaders say in public what changed." in output
    assert "Review: Check each year who is missing." in output
    assert axe_violations(page) == []


def test_when_nothing_fits_the_widget_says_why_and_what_would_change_it(page, portal, ladder):
    widget = open_widget(page, portal, ladder, lang="cy")
    answer_with(page, {**AGREED_ANSWER, "recommendations": [], "plan": [], "nothing_fits": {
        "reasons": ["Every method that reaches engagement costs more than £500."],
        "what_would_change_it": ["An extra £1,200 would make a citizens' panel possible."]}})
    widget.locator("#submit").click()
    wait_for_status(widget, "Dulliau sy'n addas: 0.", "Does dim byd yn addas")
    output = widget.locator("#output").inner_text()
    assert "costs more than £500" in output and "An extra £1,200" in output
    assert "Beth fyddai'n newid hyn" in output and "Diwylliant:" in output
    assert axe_violations(page) == []


def test_missing_or_odd_parts_of_an_answer_never_break_the_widget(page, portal, ladder):
    widget = open_widget(page, portal, ladder)
    answer_with(page, {"recommendations": [
        {"method": {"name": "Only a name"}}, None, {"method": "not an object", "estimated_cost": 7},
        {"method": {"id": "x", "sources": ["javascript:alert(1)", "not a url"]}, "reasons": "not a list"}],
        "plan": "not a list", "organisation_actions": [{"piece": "culture"}], "nothing_fits": {}})
    widget.locator("#submit").click()
    wait_for_status(widget, "Methods that fit: 3.")
    assert "Only a name" in widget.locator(".method").first.inner_text()
    assert widget.locator(".method a").count() == 0  # no link made of something not a web address


def test_a_current_rung_the_api_does_not_know_gets_its_problem_named(page, portal, ladder):
    widget = open_widget(page, portal, ladder,
                         element='<ladder-recommendations current-rung="the-top"></ladder-recommendations>')
    widget.locator("#submit").click()
    said = wait_for_status(widget, "There is a problem", "Where your project is now:")
    assert "'co-production'" in said  # the API's own description follows the field's label
    assert widget.locator(".error-summary").is_visible()
    assert "Reference: " in widget.locator(".error-summary").inner_text()


@pytest.mark.parametrize("status, body, headline, reference", [
    (500, {"error": {"code": "internal", "message": "boom", "request_id": "req-500"}},
     "had a problem (error 500)", "Reference: req-500"),
    (500, "<html><body>Internal Server Error</body></html>", "had a problem (error 500)", None),
    (503, {"error": {"code": "unavailable", "message": "classifier did not answer", "request_id": "r-503"}},
     "not answering just now (error 503)", "Reference: r-503"),
    (404, {"detail": "Not Found"}, "refused the request (error 404)", None),
])
def test_a_failing_api_gets_a_readable_error_never_a_blank_box(page, portal, ladder, status, body,
                                                                headline, reference):
    widget = open_widget(page, portal, ladder)
    page.route("**/v1/recommendations", lambda route: route.fulfill(
        status=status, body=body if isinstance(body, str) else json.dumps(body),
        content_type="text/html" if isinstance(body, str) else "application/json",
        headers={"access-control-allow-origin": portal.origin}))
    page.evaluate("document.addEventListener('ladder-error', e => { window.heard = e.detail; })")
    widget.locator("#submit").click()
    wait_for_status(widget, "There is a problem", headline)
    assert page.evaluate("window.heard.status") == status
    summary = widget.locator(".error-summary")
    assert summary.is_visible() and headline in summary.inner_text()
    assert reference is None or reference in summary.inner_text()
    assert focused_id(page) == "error-summary"


def test_nothing_listening_at_the_api_gets_a_readable_error(page, portal, ladder):
    from tests.support.servers import free_port

    widget = open_widget(page, portal, ladder, element=(
        f'<ladder-recommendations api-base="http://127.0.0.1:{free_port()}/" current-rung="informing">'
        "</ladder-recommendations>"))
    widget.locator("#submit").click()
    wait_for_status(widget, "There is a problem", "Could not reach the Ladder service")
    assert widget.locator(".error-summary").is_visible()


def test_a_portal_on_an_origin_not_configured_is_refused_by_cors(page, portal, ladder):
    name = f"/{uuid.uuid4().hex}.html"
    portal.put(name, host_page(ladder.url, CONSULTATION, api_key=ladder.widget_key))
    page.goto(portal.other_origin + name)  # same page, but an origin the gateway was not told of
    widget = page.locator("ladder-recommendations")
    widget.locator("#submit").click()
    wait_for_status(widget, "There is a problem", "Could not reach the Ladder service")


@pytest.mark.parametrize("width", [640, 320])
def test_at_200_and_400_percent_zoom_nothing_is_clipped_and_it_still_works(page, portal, ladder, width):
    page.set_viewport_size({"width": width, "height": 800})
    widget = open_widget(page, portal, ladder)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for control in widget.locator("input, select, button, label, legend").all():
        box = control.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= width, (
            control.evaluate("n => n.outerHTML"), box)
    widget.locator("#submit").click()
    wait_for_status(widget, "Methods that fit:")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    heading = widget.locator(".method-heading").first.bounding_box()
    assert heading and heading["x"] + heading["width"] <= width
