"""Study in a browser: a member confirms on a 360 px phone with the keyboard; the office follows the
completion by organisation and drills down to a cell; the cell secretary ticks who studied."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_browser import log_in
from tests.e2e.test_documents import no_sideways_scroll

pytestmark = pytest.mark.e2e
CONFIRM = "Tôi đã học tập, quán triệt"


def test_a_member_confirms_a_study_on_a_phone(page: Page, live_app: str, shots) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, live_app, "dangvien")
    page.get_by_role("button", name="Mở menu").click()
    page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Học tập của tôi").click()
    expect(page.get_by_role("heading", name="Việc học tập của tôi", level=1)).to_be_visible()
    card = page.get_by_role("article").filter(has=page.get_by_role("heading", name="Nghị quyết 69-NQ/ĐU"))
    expect(card.get_by_text("còn 5 ngày")).to_be_visible()
    expect(page.get_by_role("status").get_by_text("Sắp đến hạn")).to_be_visible()
    button = card.get_by_role("button", name=CONFIRM)
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 300  # big enough for a thumb
    no_sideways_scroll(page)
    page.screenshot(path=shots / "hoc-tap-cua-toi.png", full_page=True)

    button.focus()
    page.keyboard.press("Enter")  # keyboard only
    expect(
        page.get_by_text(re.compile(r"Cảm ơn đồng chí\. Đã ghi nhận đồng chí học tập, quán triệt 69-NQ/ĐU"))
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Nghị quyết 69-NQ/ĐU")).to_have_count(0)
    done = page.locator("ul.study-done")
    expect(done.get_by_text("69-NQ/ĐU")).to_be_visible()
    expect(done.get_by_text("đảng viên tự xác nhận")).to_be_visible()
    no_sideways_scroll(page)
    page.screenshot(path=shots / "hoc-tap-da-xac-nhan.png", full_page=True)


def test_the_office_follows_completion_and_the_secretary_records_a_meeting(
    page: Page, live_app: str, shots
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_app, "vanphong")
    page.goto(f"{live_app}/van-ban/?q=69-NQ")
    page.get_by_role("link", name="69-NQ/ĐU").first.click()
    section = page.locator("section[aria-labelledby=study-h]")
    expect(section.get_by_role("heading", name="Học tập, quán triệt")).to_be_visible()
    section.get_by_role("link", name="Giao học tập").click()
    expect(page.get_by_role("heading", name="Giao học tập 69-NQ/ĐU")).to_be_visible()
    expect(page.get_by_label("Đảng viên của")).to_contain_text("Đảng bộ Cơ quan Tổng công ty")
    page.screenshot(path=shots / "hoc-tap-giao.png", full_page=True)
    page.go_back()
    section.get_by_role("link", name=re.compile("Đảng viên của Đảng bộ Tổng công ty")).click()
    expect(page.get_by_role("heading", name="Học tập, quán triệt 69-NQ/ĐU")).to_be_visible()
    table = page.locator("table.study-table")
    expect(table.get_by_role("progressbar").first).to_have_attribute(
        "aria-valuetext", re.compile("đảng viên đã học tập")
    )
    page.screenshot(path=shots / "hoc-tap-tien-do.png", full_page=True)
    table.get_by_role("link", name="Đảng bộ Cơ quan Tổng công ty").click()
    page.get_by_role("link", name="Chi bộ Ban Tài chính – Kế toán").click()
    expect(page.get_by_role("heading", name=re.compile("Chưa xác nhận"))).to_be_visible()
    page.screenshot(path=shots / "hoc-tap-chi-bo.png", full_page=True)

    # The cell secretary, on a phone, ticks the members who studied it at the meeting.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, live_app, "bithuchibo")
    page.goto(f"{live_app}/to-chuc/")
    page.get_by_role("link", name="Chi bộ Ban Tài chính – Kế toán").first.click()
    page.get_by_role("link", name="Học tập, quán triệt").click()
    page.get_by_role("link", name="69-NQ/ĐU").first.click()
    boxes = page.locator("input[name=members]")
    waiting = boxes.count()
    assert waiting >= 1
    boxes.first.check()
    page.get_by_role("button", name="Ghi nhận đã học tập").click()
    expect(page.get_by_text(re.compile(r"Đã ghi nhận 1 đảng viên học tập 69-NQ/ĐU"))).to_be_visible()
    expect(page.locator("input[name=members]")).to_have_count(waiting - 1)
    page.screenshot(path=shots / "hoc-tap-bi-thu-360.png", full_page=True)
    no_sideways_scroll(page)
