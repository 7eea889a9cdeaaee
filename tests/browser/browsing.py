"""Steps the browser tests share: axe-core's verdict, where the focus is, the Tab key."""

from __future__ import annotations

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page) -> list[str]:
    """WCAG 2.0, 2.1 and 2.2 A and AA rules; shadow roots are checked too."""
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_22_AA,
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + "; ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in result["violations"]
    ]


def focused_id(page) -> str:
    """The id of the element with focus, looking inside shadow roots."""
    return page.evaluate("""() => {
        let active = document.activeElement;
        while (active && active.shadowRoot && active.shadowRoot.activeElement) {
            active = active.shadowRoot.activeElement;
        }
        return active ? active.id || active.tagName.toLowerCase() : "";
    }""")


def tab_to(page, element_id: str, most: int = 40) -> int:
    """Press Tab until the element has focus; returns how many presses it took."""
    for presses in range(1, most + 1):
        page.keyboard.press("Tab")
        if focused_id(page) == element_id:
            return presses
    raise AssertionError(f"Tab never reached #{element_id} in {most} presses")
