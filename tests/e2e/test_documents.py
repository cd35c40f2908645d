"""The register of documents in a browser: the seeds' chain, registering with the proposed number,
a member reading it on a 360 px phone, and downloading a document as Word and PDF."""

from __future__ import annotations

import io
import re

import docx
import pypdf
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_browser import log_in, menu

pytestmark = pytest.mark.e2e


def no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px"


def test_office_searches_the_register_and_follows_the_chain(page: Page, live_app: str, shots) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_app, "vanphong")
    menu(page, "Sổ văn bản")
    expect(page.get_by_role("heading", name="Sổ văn bản")).to_be_visible()
    page.get_by_label(re.compile("Số hiệu hoặc từ")).fill("uu tien dung hang viet nam")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_role("link", name="03-CT/TW")).to_be_visible()
    page.screenshot(path=shots / "so-van-ban.png", full_page=True)
    page.get_by_role("link", name="03-CT/TW").click()
    expect(page.get_by_role("heading", name="Chỉ thị 03-CT/TW")).to_be_visible()
    below = page.locator("section[aria-labelledby=chain-down-h]")
    expect(below.get_by_role("link", name="28/CT-TTg")).to_be_visible()
    expect(below.get_by_text("được thực hiện bởi").first).to_be_visible()
    page.get_by_role("link", name="Toàn bộ chuỗi").click()
    expect(page.get_by_role("heading", name="Chuỗi văn bản: 03-CT/TW")).to_be_visible()
    page.screenshot(path=shots / "chuoi-van-ban.png", full_page=True)


def test_office_registers_a_conclusion_with_the_proposed_number(page: Page, live_app: str, shots) -> None:
    page.set_viewport_size({"width": 1280, "height": 1000})
    log_in(page, live_app, "vanphong")
    page.goto(f"{live_app}/van-ban/them/")
    proposal = page.locator("#proposal")
    expect(proposal).to_contain_text("Số đề xuất:")
    page.get_by_label("Loại văn bản").select_option("KL")
    expect(proposal).to_contain_text("-KL/ĐU")
    page.get_by_label("Ngày ban hành").fill("11/10/2023")
    expect(proposal).to_contain_text("01-KL/ĐU")  # the 2020–2025 term, through the API
    page.get_by_label("Trích yếu nội dung").fill(
        "Kết luận Hội nghị Ban Chấp hành mở rộng sơ kết công tác 9 tháng"
    )
    page.get_by_label("Nội dung", exact=True).fill(
        "Tiếp tục thực hiện Nghị quyết 69-NQ/ĐU ngày 27/3/2021 của Đảng ủy Tổng công ty."
    )
    page.screenshot(path=shots / "vao-so-van-ban.png", full_page=True)
    page.get_by_role("button", name="Vào sổ", exact=True).click()
    expect(page.get_by_role("heading", name="Kết luận 01-KL/ĐU")).to_be_visible()
    expect(page.get_by_text("Đã vào sổ văn bản 01-KL/ĐU.")).to_be_visible()
    links = page.locator("section[aria-labelledby=links-h]")
    expect(links.get_by_role("link", name="69-NQ/ĐU")).to_be_visible()

    page.goto(f"{live_app}/van-ban/them/")
    page.get_by_label("Nguồn văn bản").select_option("0")
    expect(page.get_by_label("Số, ký hiệu")).to_be_visible()
    expect(page.get_by_label("Số", exact=True)).to_be_hidden()


def test_a_member_reads_the_plan_and_its_chain_on_a_phone(page: Page, live_app: str, shots) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, live_app, "dangvien")
    menu(page, "Sổ văn bản")
    expect(page.get_by_role("heading", name="Sổ văn bản")).to_be_visible()
    no_sideways_scroll(page)
    page.get_by_role("link", name="01-KH/ĐU").click()
    expect(page.get_by_role("heading", name="Kế hoạch 01-KH/ĐU")).to_be_visible()
    above = page.locator("section[aria-labelledby=chain-up-h]")
    expect(above.get_by_role("link", name="09-CTr/ĐUK")).to_be_visible()
    expect(page.get_by_role("link", name="Thu hồi")).to_have_count(0)  # a member only reads
    no_sideways_scroll(page)
    page.screenshot(path=shots / "van-ban-360.png", full_page=True)


def test_office_downloads_the_plan_as_word_and_pdf_in_the_partys_format(page: Page, live_app: str) -> None:
    log_in(page, live_app, "vanphong")
    page.goto(f"{live_app}/van-ban/?q=01-KH/ĐU")
    page.get_by_role("link", name="01-KH/ĐU").click()
    expect(page.get_by_role("heading", name="Kế hoạch 01-KH/ĐU")).to_be_visible()
    with page.expect_download() as word:
        page.get_by_role("link", name="Tải bản Word").click()
    assert word.value.suggested_filename == "01-KH-ĐU_2021-12-20.docx"
    document = docx.Document(io.BytesIO(word.value.path().read_bytes()))
    header = document.tables[0]
    assert (header.cell(1, 0).text, header.cell(1, 1).text) == (
        "Số 01-KH/ĐU",
        "Hà Nội, ngày 20 tháng 12 năm 2021",
    )
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Tải bản PDF").click()
    assert pdf.value.suggested_filename == "01-KH-ĐU_2021-12-20.pdf"
    text = pypdf.PdfReader(pdf.value.path()).pages[0].extract_text()
    assert "KẾ HOẠCH" in text and "PHÓ BÍ THƯ" in text


def test_office_corrects_an_entry_on_a_phone_and_the_log_says_why(page: Page, live_app: str, shots) -> None:
    page.set_viewport_size({"width": 360, "height": 800})
    log_in(page, live_app, "vanphong")
    page.goto(f"{live_app}/van-ban/?q=28%2FCT-TTg")
    page.locator("a:visible", has_text="28/CT-TTg").first.click()
    page.get_by_role("link", name="Sửa thông tin").click()
    expect(page.get_by_role("heading", name="Sửa thông tin văn bản 28/CT-TTg")).to_be_visible()
    no_sideways_scroll(page)
    page.get_by_label("Chức vụ, thẩm quyền ký").fill("KT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG")
    page.get_by_role("button", name="Lưu nội dung sửa").click()
    expect(page.locator(".alert-danger")).to_contain_text("Lý do sửa")  # the reason is required
    page.get_by_label(re.compile("Lý do sửa")).fill("Bổ sung chức vụ người ký theo bản gốc")
    page.screenshot(path=shots / "sua-van-ban-360.png", full_page=True)
    page.get_by_role("button", name="Lưu nội dung sửa").click()
    expect(page.get_by_text("Đã sửa thông tin văn bản 28/CT-TTg.")).to_be_visible()
    page.get_by_role("link", name="Lịch sử").click()
    expect(page.get_by_text("Sửa thông tin văn bản").first).to_be_visible()
    expect(page.get_by_text("Bổ sung chức vụ người ký theo bản gốc").first).to_be_visible()


def test_office_finds_late_work_by_assigning_organisation_and_searches_tasks(
    page: Page, live_app: str, shots
) -> None:
    page.set_viewport_size({"width": 1280, "height": 1000})
    log_in(page, live_app, "vanphong")
    menu(page, "Nhiệm vụ")
    rollup = page.locator("details.rollup")
    # the demo's tasks were all set by the Tổng công ty's committee: the roll-up goes by assignee
    expect(rollup).to_contain_text("Tổng hợp theo nơi thực hiện")
    expect(rollup.locator("tbody tr.table-danger").first).to_be_visible()  # late work first, in red
    page.screenshot(path=shots / "nhiem-vu.png", full_page=True)
    rollup.locator("tbody a").first.click()
    expect(page.get_by_role("heading", name=re.compile("Nhiệm vụ, chỉ tiêu: "))).to_be_visible()
    menu(page, "Nhiệm vụ")
    page.get_by_label("Tìm kiếm").fill("san buudien")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("table.task-table tbody tr:has(a)")).to_have_count(1)
    expect(page.locator("table.task-table")).to_contain_text("sàn buudien.vn")


def test_an_english_browser_sees_and_types_dates_day_first(browser: Browser, live_app: str, shots) -> None:
    """H6: a native date box follows the browser (mm/dd/yyyy in an English Chrome), so 5 December
    could be entered as 12 May; the app's own box is dd/mm/yyyy whatever the browser."""
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    try:
        assert page.evaluate("navigator.language") == "en-US"
        log_in(page, live_app, "vanphong")
        page.goto(f"{live_app}/van-ban/?tu=2021-03-27")  # a saved link with an ISO date
        since = page.locator("#id_tu")
        expect(since).to_have_attribute("type", "text")
        expect(since).to_have_value("27/03/2021")
        expect(since).to_have_attribute("placeholder", "dd/mm/yyyy")
        expect(page.locator("#id_den")).to_have_attribute("aria-describedby", "id_den_format")
        page.screenshot(path=shots / "ngay-trinh-duyet-tieng-anh-loc.png", full_page=True)

        page.goto(f"{live_app}/van-ban/them/")
        page.get_by_label("Loại văn bản").select_option("KL")
        issued = page.get_by_label("Ngày ban hành")
        issued.fill("11/10/2023")
        expect(page.locator("#proposal")).to_contain_text("-KL/ĐU")  # the API still gets ISO
        issued.fill("31/02/2026")
        page.get_by_label("Trích yếu nội dung").fill("Kết luận về một ngày không có thật")
        page.get_by_role("button", name="Vào sổ", exact=True).click()
        expect(
            page.get_by_text("Ngày 31/02/2026 không tồn tại: tháng 2 năm 2026 có 28 ngày.").first
        ).to_be_visible()
        expect(page.get_by_label("Ngày ban hành")).to_have_value("31/02/2026")
        expect(page.locator("#id_issued_on ~ .invalid-feedback")).to_have_count(1)  # no "bắt buộc" besides
        page.screenshot(path=shots / "ngay-khong-ton-tai.png", full_page=True)
    finally:
        context.close()
