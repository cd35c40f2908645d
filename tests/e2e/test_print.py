"""Printing a list from the browser (walkthrough §2.13): only the content, black on white."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_browser import log_in

pytestmark = pytest.mark.e2e


def test_the_register_prints_without_menu_buttons_or_search_and_with_a_dated_title(
    page: Page, live_app: str, shots
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_app, "vanphong")
    page.get_by_role("link", name="Đảng bộ Tổng công ty Bưu điện Việt Nam").first.click()
    page.get_by_role("link", name="Sổ danh sách đảng viên").click()
    expect(page.get_by_role("heading", name="Sổ danh sách đảng viên")).to_be_visible()
    expect(page.locator(".app-header")).to_be_visible()
    expect(page.locator(".print-heading")).to_be_hidden()  # on screen: not shown
    page.emulate_media(media="print")
    for hidden in (
        ".app-header",
        "nav.navbar",
        ".skip-link",
        ".lang-switch",
        "form[role=search]",
        ".pagination",
    ):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.get_by_role("link", name="Tải về Excel")).to_be_hidden()
    expect(page.get_by_role("button", name="Tìm kiếm")).to_be_hidden()
    expect(page.locator("main table")).to_be_visible()
    expect(page.locator("main table thead")).to_be_visible()
    expect(page.get_by_role("heading", name="Sổ danh sách đảng viên")).to_be_visible()
    expect(page.locator(".print-heading")).to_be_visible()
    expect(page.locator(".print-heading")).to_have_text(re.compile(r"In ngày \d{2}/\d{2}/\d{4}"))
    styles = page.evaluate(
        """() => {
          const cell = document.querySelector('main table tbody td');
          const link = document.querySelector('main table tbody a');
          const body = getComputedStyle(document.body);
          const c = getComputedStyle(cell), a = getComputedStyle(link);
          return {bg: body.backgroundColor, colour: body.color, border: c.borderTopStyle, borderColour: c.borderTopColor,
                  link: a.color, underline: a.textDecorationLine,
                  head: getComputedStyle(document.querySelector('main table thead')).display,
                  row: getComputedStyle(document.querySelector('main table tbody tr')).breakInside};
        }"""
    )
    assert styles["bg"] == "rgb(255, 255, 255)" and styles["colour"] == "rgb(0, 0, 0)"
    assert styles["border"] == "solid" and styles["borderColour"] == "rgb(0, 0, 0)"
    assert styles["link"] == "rgb(0, 0, 0)" and styles["underline"] == "none"
    assert styles["head"] == "table-header-group" and styles["row"] == "avoid"
    page.pdf(path=str(shots / "so-dang-vien-in.pdf"), format="A4")
