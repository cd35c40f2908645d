"""What the user sees lands on the screen, on the demo: a refused form on the long meeting page opens at
its error, not at the top of the page; the member register on a 390 px phone is a list of cards that
does not scroll sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_browser import log_in

pytestmark = pytest.mark.e2e


def _on_screen(page: Page, selector: str) -> dict[str, float]:
    """The element's box against the window (after the page has settled)."""
    page.wait_for_load_state("load")
    return dict(
        page.evaluate(
            """(selector) => {
                const r = document.querySelector(selector).getBoundingClientRect();
                return {top: r.top, bottom: r.bottom, height: window.innerHeight, y: window.scrollY};
            }""",
            selector,
        )
    )


def test_a_refused_agenda_item_opens_the_page_at_its_error(page: Page, live_app: str, shots) -> None:
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, live_app, "bithuchibo")
    page.goto(f"{live_app}/hop/")
    page.locator("ul.meeting-list a").first.click()  # the next meeting, planned: its page is long
    page.get_by_label("Nội dung").fill("Quán triệt nghị quyết")
    page.get_by_label("Tài liệu (số, ký hiệu văn bản)").fill("99-NQ/ĐU")
    page.get_by_role("button", name="Thêm", exact=True).click()
    box = page.locator("#agenda-errors")
    expect(box).to_contain_text("Tài liệu (số, ký hiệu văn bản)")
    expect(box).to_contain_text("99-NQ/ĐU")
    expect(box).to_be_focused()
    assert page.evaluate("document.documentElement.scrollHeight") > 1.5 * 800  # a long page indeed
    box_at = _on_screen(page, "#agenda-errors")
    assert box_at["top"] >= -1 and box_at["bottom"] <= box_at["height"] + 1, box_at
    page.screenshot(path=shots / "agenda-error-on-screen.png")
