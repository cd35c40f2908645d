"""What the user sees lands on the screen, on the demo: a refused form on the long meeting page opens at
its error, not at the top of the page; the member register on a 390 px phone is a list of cards that
does not scroll sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.test_browser import log_in

pytestmark = pytest.mark.e2e


BOX = """(selector) => {
    const r = document.querySelector(selector).getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, height: window.innerHeight, y: window.scrollY};
}"""


def _whole_on_screen(page: Page, selector: str) -> None:
    """The element is whole inside the window, once the page has settled (within 3 s)."""
    try:
        page.wait_for_function(
            f"(selector) => {{ const b = ({BOX})(selector); return b.top >= -1 && b.bottom <= b.height + 1; }}",
            arg=selector,
            timeout=3000,
        )
    except PlaywrightTimeoutError:
        pytest.fail(f"{selector} is off screen: {page.evaluate(BOX, selector)}")


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
    _whole_on_screen(page, "#agenda-errors")
    page.screenshot(path=shots / "agenda-error-on-screen.png")


def test_the_member_register_on_a_phone_is_cards_without_sideways_scroll(
    page: Page, live_app: str, shots
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_app, "vanphong")
    # the register of a đảng bộ: its cards name each member's cell
    page.get_by_label("Tìm theo tên (có thể gõ không dấu)").fill("dang bo co quan tong cong ty")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_role("link", name="Đảng bộ Cơ quan Tổng công ty").first.click()
    page.get_by_role("link", name="Sổ danh sách đảng viên").first.click()
    cards = page.locator(".member-cards .member-card")
    expect(cards.first).to_be_visible()
    expect(page.locator("table").first).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=shots / "register-phone.png", full_page=True)
