"""Meetings and the handbook in a browser, on the demo.

The cell secretary (who chairs) records yesterday's thematic meeting on a desktop: who came — the page
says the meeting is valid —, a show of hands whose result the page computes, the minutes, his signature.
The member who kept the minutes then signs on a 360 px phone from the notification in the handbook, and
the minutes are sealed. On the same phone she reads her next meeting with its documents, keeps a private
note, sends an opinion the committee office answers, asks for a correction of her record and enlarges
the text."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from dangbo.orgs.demo import IDENTITIES
from tests.e2e.conftest import choose
from tests.e2e.test_browser import log_in, menu
from tests.e2e.test_documents import no_sideways_scroll

pytestmark = pytest.mark.e2e

CHAIR = IDENTITIES["tckt.secretary"].full_name  # "bithuchibo"
SECRETARY = IDENTITIES["tckt.member1"].full_name  # "dangvien"
THEME = "Đạo đức công vụ trong giao dịch bưu chính"


SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 800}}


def _phone(page: Page) -> None:
    page.set_viewport_size(SCREENS["phone"])


def _menu(page: Page, name: str) -> None:
    """Follow a link of the main menu (tests.e2e.test_browser.menu: opens the phone's menu and the group)."""
    menu(page, name)


def _log_out_and_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, base, username)


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_the_secretary_records_a_meeting_and_the_member_signs_it_on_a_phone(
    page: Page, live_app: str, shots, screen: str
) -> None:
    page.set_viewport_size(SCREENS[screen])
    log_in(page, live_app, "bithuchibo")
    _menu(page, "Hội họp")
    topic = f"Đổi mới sáng tạo theo Nghị quyết 69-NQ/ĐU ({screen})"

    # Plan a thematic meeting in five days, attach the resolution to its agenda and invite the cell.
    soon = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date() + dt.timedelta(days=5)
    page.get_by_role("link", name="Lập kế hoạch họp").click()
    page.get_by_label("Loại cuộc họp").select_option(label="Sinh hoạt chi bộ chuyên đề")
    page.locator("#id_day").fill(f"{soon:%d/%m/%Y}")
    page.locator("#id_start").fill("14:00")
    page.locator("#id_end").fill("16:00")
    page.get_by_label("Chuyên đề").fill(topic)
    page.get_by_label("Địa điểm").fill("Phòng họp tầng 5")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_label("Nội dung").fill("Quán triệt Nghị quyết 69-NQ/ĐU")
    page.get_by_label("Tài liệu (số, ký hiệu văn bản)").fill("69-NQ/ĐU")
    page.get_by_role("button", name="Thêm", exact=True).click()
    expect(page.locator("ol.agenda")).to_contain_text("69-NQ/ĐU")
    page.get_by_role("button", name="Gửi giấy mời").click()
    expect(page.get_by_text("Đã gửi giấy mời")).to_be_visible()
    expect(page.get_by_role("button", name="Gửi lại giấy mời")).to_be_visible()
    no_sideways_scroll(page)
    page.screenshot(path=shots / f"hop-moi-{screen}.png", full_page=True)

    page.get_by_role("link", name="← Hội họp").click()
    page.get_by_role("link", name="Lập kế hoạch họp").click()
    back = 1 if screen == "desktop" else 2
    yesterday = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date() - dt.timedelta(days=back)
    page.get_by_label("Loại cuộc họp").select_option(label="Sinh hoạt chi bộ chuyên đề")
    page.get_by_label("Ghi nhận cuộc họp đã họp").check()
    page.locator("#id_day").fill(f"{yesterday:%d/%m/%Y}")
    page.locator("#id_start").fill("14:00")
    page.locator("#id_end").fill("16:00")
    page.get_by_label("Chuyên đề").fill(THEME)
    page.get_by_label("Địa điểm").fill("Phòng họp tầng 5")
    choose(page.get_by_label("Chủ trì"), CHAIR)
    choose(page.get_by_label("Thư ký"), SECRETARY)
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sinh hoạt chi bộ chuyên đề")
    meeting_url = page.url

    # Attendance: everyone present but one, absent with a reason; the page says the meeting is valid.
    people = page.locator(".attendance-list fieldset")
    count = people.count()
    assert count >= 4
    for i in range(count):
        people.nth(i).get_by_label("Có mặt").check()
    people.nth(count - 1).get_by_label("Vắng có lý do", exact=True).check()
    people.nth(count - 1).get_by_placeholder("Lý do vắng").fill("Đi công tác")
    page.get_by_role("button", name="Lưu điểm danh").click()
    banner = page.locator(".meeting-validity")
    expect(banner).to_contain_text("Hợp lệ")

    # A show of hands: the page computes the result from the attendance and the matter's majority.
    page.get_by_text("Ghi kết quả biểu quyết").click()  # the form folds under its summary
    page.get_by_label("Vấn đề biểu quyết").fill("Thông qua nghị quyết chuyên đề")
    # Every full member present votes for (the probationary ones do not vote; Điều lệ Điều 3).
    voters = sum(1 for i in range(count - 1) if "dự bị" not in people.nth(i).locator("legend").inner_text())
    page.get_by_role("spinbutton", name="Tán thành", exact=True).fill(str(voters))
    page.get_by_role("button", name="Ghi kết quả").click()
    expect(page.locator("table.votes .badge")).to_have_text("Thông qua")

    page.get_by_role("link", name="Ghi biên bản").click()
    page.get_by_label("Diễn biến").fill("Đồng chí Bí thư quán triệt chuyên đề; đảng viên thảo luận.")
    page.get_by_label("Kết luận, nghị quyết").fill("Mỗi đảng viên đăng ký một việc làm cụ thể.")
    page.get_by_role("button", name="Lưu").click()
    page.get_by_role("button", name="Ký với tư cách chủ trì").click()
    expect(page.locator(".signatures")).to_contain_text("đã ký")
    no_sideways_scroll(page)
    page.screenshot(path=shots / f"hop-bi-thu-ky-{screen}.png", full_page=True)

    # The minutes secretary signs on a phone, from the notification in her handbook.
    _phone(page)
    _log_out_and_in(page, live_app, "dangvien")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chào đồng chí")
    invited = page.locator(".meeting-card").filter(has_text=topic)
    expect(invited).to_contain_text("69-NQ/ĐU")  # the invitation with its document, in the handbook
    page.get_by_role("link", name=re.compile("thông báo mới")).click()
    page.get_by_role("button", name=re.compile("Biên bản chờ ký")).first.click()
    assert page.url == meeting_url
    page.get_by_role("button", name="Ký với tư cách thư ký").click()
    expect(page.locator("#minutes-h")).to_contain_text("Đã niêm phong")
    expect(page.get_by_role("button", name="Lưu điểm danh")).to_have_count(0)
    with page.expect_download() as download:  # the sealed minutes in the Party's format
        page.get_by_role("link", name="Tải bản Word").click()
    assert download.value.suggested_filename.endswith(".docx")
    no_sideways_scroll(page)
    page.screenshot(path=shots / f"hop-thu-ky-ky-dien-thoai-{screen}.png", full_page=True)


@pytest.mark.parametrize("screen", ["phone", "desktop"])
def test_a_member_uses_the_handbook_on_a_phone_and_the_office_answers(
    page: Page, live_app: str, shots, screen: str
) -> None:
    page.set_viewport_size(SCREENS[screen])
    subject = f"Gửi tài liệu sớm hơn ({screen})"
    answer = f"Văn phòng sẽ gửi tài liệu trước 3 ngày làm việc ({screen})."
    note = f"Chuẩn bị ý kiến về phương hướng tháng tới ({screen})"
    log_in(page, live_app, "dangvien")
    expect(page.get_by_role("heading", name="Cuộc họp sắp tới")).to_be_visible()
    card = page.locator(".meeting-card").first
    expect(card).to_contain_text("Tài liệu nghiên cứu trước")
    no_sideways_scroll(page)
    page.screenshot(path=shots / f"so-tay-trang-dau-{screen}.png", full_page=True)

    card.get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Chương trình và tài liệu")).to_be_visible()
    page.get_by_label("Ghi chú").fill(note)
    page.get_by_role("button", name="Lưu ghi chú").click()
    expect(page.get_by_text(note)).to_be_visible()
    if page.get_by_role("button", name="Đã đánh dấu").count():  # bookmarked by the other screen's run
        page.get_by_role("button", name="Đã đánh dấu").click()
    page.get_by_role("button", name="Đánh dấu").click()
    expect(page.get_by_role("button", name="Đã đánh dấu")).to_be_visible()
    no_sideways_scroll(page)
    page.screenshot(path=shots / f"so-tay-cuoc-hop-{screen}.png", full_page=True)

    page.get_by_role("link", name="Góp ý", exact=True).click()
    page.get_by_label("Tiêu đề").fill(subject)
    page.get_by_label("Ý kiến của đồng chí").fill("Đề nghị gửi tài liệu sinh hoạt trước 3 ngày.")
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.get_by_text("Đã gửi", exact=True)).to_be_visible()

    page.get_by_role("link", name="Hồ sơ của tôi").click()
    expect(page.get_by_role("heading", name="Phiếu hồ sơ của tôi")).to_be_visible()
    field, value = ("Ngoại ngữ", "Tiếng Anh B2") if screen == "phone" else ("Trình độ chuyên môn", "Cử nhân")
    page.get_by_label("Thông tin cần sửa").select_option(label=field)
    page.get_by_label("Thông tin đúng").fill(value)
    page.get_by_role("button", name="Gửi đề nghị").click()
    expect(page.get_by_text("Đề nghị đã được gửi")).to_be_visible()
    no_sideways_scroll(page)
    page.screenshot(path=shots / f"so-tay-ho-so-{screen}.png", full_page=True)

    page.get_by_role("link", name="Hiển thị").click()
    page.get_by_label("Rất lớn").check()
    page.get_by_label("Tương phản cao").check()
    page.get_by_role("button", name="Lưu").click()
    assert page.evaluate("document.documentElement.className") == "text-larger contrast-high"
    no_sideways_scroll(page)
    page.screenshot(path=shots / f"so-tay-chu-to-{screen}.png", full_page=True)

    # The committee office answers on a desktop; the member reads the answer on her phone.
    page.set_viewport_size(SCREENS["desktop"])
    _log_out_and_in(page, live_app, "vanphong")
    page.goto(f"{live_app}/gop-y/")
    page.get_by_role("link", name=subject).click()
    page.get_by_label("Trả lời").fill(answer)
    page.get_by_role("button", name="Gửi trả lời").click()
    expect(page.get_by_text("Đã gửi trả lời.")).to_be_visible()
    page.set_viewport_size(SCREENS[screen])
    _log_out_and_in(page, live_app, "dangvien")
    page.goto(f"{live_app}/so-tay/gop-y/")
    page.get_by_role("link", name=subject).click()
    expect(page.get_by_text(answer)).to_be_visible()
    no_sideways_scroll(page)


def test_the_office_reads_meeting_quality_by_cell_and_the_absence_flags(
    page: Page, live_app: str, shots
) -> None:
    page.set_viewport_size(SCREENS["desktop"])
    log_in(page, live_app, "vanphong")
    _menu(page, "Hội họp")
    page.get_by_role("link", name="Chất lượng sinh hoạt").click()
    table = page.locator("table").first
    for cell in ("Chi bộ Ban Tài chính – Kế toán", "Chi bộ Văn phòng", "Chi bộ Ban Kinh doanh"):
        expect(table).to_contain_text(cell)
    page.screenshot(path=shots / "hop-chat-luong.png", full_page=True)
    page.get_by_role("link", name="Chi bộ Ban Kinh doanh").first.click()
    expect(page.get_by_text(re.compile("xóa tên|xoá tên", re.IGNORECASE)).first).to_be_visible()
    page.screenshot(path=shots / "hop-chat-luong-chi-bo.png", full_page=True)
    _phone(page)
    page.screenshot(path=shots / "hop-chat-luong-chi-bo-360.png", full_page=True)
    no_sideways_scroll(page)
    page.go_back()
    no_sideways_scroll(page)
