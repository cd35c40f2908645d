"""A person logs in, browses and searches the tree, on a desktop and on a 360 px phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

DEMO_PASSWORD = "demo-dangbo-2026"


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.get_by_label("Mật khẩu").press("Enter")  # keyboard only
    # The offices start in the party tree, a member in the handbook.
    expect(
        page.get_by_role("heading", name=re.compile(r"^(Tổ chức đảng|Chào đồng chí)"), level=1)
    ).to_be_visible()


def menu(page: Page, name: str) -> None:
    """Follow a link of the main menu as a person would: on a phone open the menu first, and open the
    group (a dropdown: "Tổ chức", "Văn bản", …) the link sits in."""
    toggler = page.get_by_role("button", name="Mở menu")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))  # opened, not opening
    nav = page.get_by_role("navigation", name="Menu chính")
    link = nav.get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        exact = re.compile(f"^{re.escape(name)}$")
        nav.locator("li.dropdown").filter(has=page.locator("a", has_text=exact)).get_by_role("button").click()
    link.click()


def test_committee_office_opens_the_tree_a_cell_and_searches(page: Page, live_app: str, shots) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_app, "vanphong")
    page.screenshot(path=shots / "to-chuc.png", full_page=True)
    page.get_by_role("link", name="Đảng bộ Cơ quan Tổng công ty").first.click()
    page.get_by_role("link", name=re.compile("^Chi bộ Văn phòng")).first.click()
    expect(page.get_by_role("heading", name="Người giữ chức vụ")).to_be_visible()
    expect(page.get_by_text("Bí thư", exact=True).first).to_be_visible()
    page.screenshot(path=shots / "chi-bo.png", full_page=True)

    menu(page, "Đơn vị")
    page.get_by_label(re.compile("Tìm")).fill("buu dien ha noi")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_role("link", name="Bưu điện thành phố Hà Nội")).to_be_visible()
    page.screenshot(path=shots / "tim-kiem.png", full_page=True)


def test_cell_secretary_on_a_phone_sees_only_their_cell(page: Page, live_app: str, shots) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, live_app, "bithuchibo")
    cards = page.locator("section.tree h2")
    expect(cards).to_have_count(1)
    expect(cards.first).to_have_text("Chi bộ Ban Tài chính – Kế toán")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, "the page scrolls sideways at 360 px"
    page.screenshot(path=shots / "bi-thu-360.png", full_page=True)


def test_language_switch_to_english_and_back(page: Page, live_app: str) -> None:
    log_in(page, live_app, "lanhdao")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Party organisations")).to_be_visible()
    page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.get_by_role("heading", name="Tổ chức đảng")).to_be_visible()


def test_a_wrong_form_is_explained_in_vietnamese_and_fixed_with_the_keyboard(
    page: Page, live_app: str, shots
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_app, "vanphong")
    page.get_by_role("link", name="Đảng bộ Cơ quan Tổng công ty").first.click()
    page.get_by_role("link", name="Chi bộ Văn phòng").first.click()
    page.get_by_role("link", name="Thêm tổ chức trực thuộc").click()
    page.get_by_label("Tên", exact=False).first.fill("Tổ đảng thử")
    page.get_by_label("Loại").select_option(label="Chi bộ trực thuộc")
    page.get_by_role("button", name="Lưu").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Dữ liệu chưa được lưu")
    expect(alert).to_contain_text("Chi bộ Văn phòng")
    page.screenshot(path=shots / "loi-bieu-mau.png", full_page=True)


def test_committee_office_opens_the_register_and_a_member_card(page: Page, live_app: str, shots) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_app, "vanphong")
    page.get_by_role("link", name="Đảng bộ Tổng công ty Bưu điện Việt Nam").first.click()
    page.get_by_role("link", name="Sổ danh sách đảng viên").click()
    expect(page.get_by_role("heading", name="Sổ danh sách đảng viên")).to_be_visible()
    page.get_by_label(re.compile("Tìm")).fill("thi")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.screenshot(path=shots / "so-dang-vien.png", full_page=True)
    page.locator("table tbody a").first.click()
    expect(page.get_by_role("heading", name="Quá trình sinh hoạt Đảng")).to_be_visible()
    expect(page.get_by_text("Kết nạp").first).to_be_visible()
    page.screenshot(path=shots / "phieu-dang-vien.png", full_page=True)


def test_office_imports_a_register_in_the_background_and_reads_the_report(
    page: Page, live_app: str, shots, tmp_path
) -> None:
    """The real server runs the job in a thread; the page follows it to the report."""
    rows = ["Họ và tên,Ngày sinh,Giới tính,Ngày vào Đảng,Chi bộ (mã số)"]
    rows += [f"Phạm Thị Thử {i},01/02/1990,Nữ,03/02/2015,Chi bộ Công ty Tem" for i in range(1, 2001)]
    rows.append("Sai Ngày Sinh,31/02/1990,Nam,03/02/2015,Chi bộ Công ty Tem")
    path = tmp_path / "so-dang-vien.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, live_app, "vanphong")
    page.get_by_role("link", name="Đảng bộ Tổng công ty Bưu điện Việt Nam").first.click()
    page.get_by_role("link", name="Sổ danh sách đảng viên").click()
    page.get_by_role("link", name="Nhập từ Excel").click()
    page.get_by_label("Tệp Excel (.xlsx) hoặc CSV").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra / nhập").click()
    expect(page.get_by_text("Chưa ghi gì")).to_be_visible(timeout=30_000)
    expect(page.get_by_role("cell", name="2002")).to_be_visible()  # the row of the bad date
    page.screenshot(path=shots / "nhap-bao-cao.png", full_page=True)
    page.get_by_role("link", name=re.compile("Nhập từ Excel")).first.click()
    expect(page.get_by_text("Lần nhập gần đây")).to_be_visible()
    page.screenshot(path=shots / "nhap-tep.png", full_page=True)


def test_office_corrects_an_event_on_a_phone_and_an_impossible_date_is_explained(
    page: Page, live_app: str, shots
) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, live_app, "vanphong")
    page.get_by_role("link", name="Đảng bộ Tổng công ty Bưu điện Việt Nam").first.click()
    page.get_by_role("link", name="Sổ danh sách đảng viên").click()
    page.get_by_label(re.compile("Tìm")).fill("van")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.locator(".member-card a.fw-semibold").first.click()  # on a phone the register is cards
    page.get_by_role("link", name=re.compile("^Sửa: Công nhận đảng viên chính thức")).first.click()
    date = page.get_by_label(re.compile("^Ngày"))
    kept = date.input_value()
    date.fill("01/01/1950")  # before the admission: the history would be impossible
    page.get_by_label(re.compile("^Lý do sửa")).fill("Nhập nhầm ngày")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
    page.screenshot(path=shots / "sua-su-kien-loi.png", full_page=True)
    page.get_by_label(re.compile("^Ngày")).fill(kept)
    page.get_by_label("Số quyết định").fill("15-QĐ/ĐU")
    page.get_by_label(re.compile("^Lý do sửa")).fill("Bổ sung số quyết định theo hồ sơ gốc")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("15-QĐ/ĐU").first).to_be_visible()
    page.screenshot(path=shots / "sua-su-kien.png", full_page=True)
