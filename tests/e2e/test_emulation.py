"""An emulation movement in a browser, from creation to published results, on the demo.

The emulation officer ("thidua") writes a criteria set — pasted one criterion per line, the first try
adding up to 90 and refused with the reason —, publishes it, creates the movement with one model,
names the council and opens registration. The cell secretary ("bithuchibo") registers the cell; the
officer approves and starts scoring; the secretary scores the cell with evidence (a score above the
criterion's maximum is refused, nothing saved); the council member ("lanhdao") scores on his own; the
officer closes the round, which locks the scores, and publishes. A member ("dangvien") reads the
results on a 360 px phone: the council's score beside the self-score, for everyone in the movement."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import choose
from tests.e2e.test_browser import log_in
from tests.e2e.test_documents import no_sideways_scroll
from tests.e2e.test_meetings import SCREENS, _log_out_and_in, _menu

pytestmark = pytest.mark.e2e

CELL = "Chi bộ Ban Tài chính – Kế toán"
CRITERIA = "\n".join(
    [
        "0\tTiêu chí chung bắt buộc",
        "0.1\tCó kế hoạch được cấp ủy thông qua\tBB",
        "1\tKết quả sản xuất kinh doanh\t60",
        "1.1\tHoàn thành kế hoạch doanh thu\t40\t0,5",
        "1.2\tPhát triển khách hàng mới\t20",
        "2\tTuyên truyền, vận động người lao động\t{last}",
    ]
)


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_a_movement_from_creation_to_published_results_by_three_users(
    page: Page, live_app: str, shots, screen: str
) -> None:
    page.set_viewport_size(SCREENS[screen])
    suffix = "máy tính" if screen == "desktop" else "điện thoại"
    set_name = f"Dân vận khéo trong kinh doanh ({suffix})"
    movement_name = f"Thi đua “Dân vận khéo” quý IV ({suffix})"

    # 1. The emulation officer writes the criteria; 90 points in all are refused with the figures.
    log_in(page, live_app, "thidua")
    _menu(page, "Thi đua")
    page.get_by_role("link", name="Bộ tiêu chí").click()
    page.get_by_role("link", name="Bộ tiêu chí mới").click()
    page.locator("#id_name").fill(set_name)
    page.get_by_label("Các tiêu chí, mỗi tiêu chí một dòng").fill(CRITERIA.format(last="30"))
    page.get_by_role("button", name="Lưu dự thảo").click()
    expect(page.get_by_role("alert")).to_contain_text("90")
    page.get_by_label("Các tiêu chí, mỗi tiêu chí một dòng").fill(CRITERIA.format(last="40"))
    page.get_by_role("button", name="Lưu dự thảo").click()
    page.get_by_role("button", name="Công bố", exact=True).click()
    expect(page.get_by_role("button", name="Tạo phiên bản mới")).to_be_visible()

    # 2. The movement, its model, its council; registration opens.
    _menu(page, "Thi đua")
    page.get_by_role("link", name="Phong trào mới").click()
    choose(page.locator("#id_organisation"), "Đảng bộ Tổng công ty Bưu điện Việt Nam")
    page.get_by_label("Tên phong trào").fill(movement_name)
    page.locator("#id_starts_on").fill("01/10/2026")
    page.locator("#id_ends_on").fill("31/12/2026")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(movement_name)
    movement_url = page.url
    page.get_by_text("Thêm mô hình", exact=True).first.click()
    page.get_by_label("Tên mô hình").fill("“Dân vận khéo” trong bán hàng tại bưu cục")
    page.get_by_label("Lĩnh vực").select_option(label="Kinh tế")
    page.locator("#id_criteria_set").select_option(label=f"{set_name} (v1)")
    page.get_by_role("button", name="Thêm mô hình").last.click()
    page.get_by_text("Thêm thành viên hội đồng").click()
    page.get_by_label("Tài khoản của thành viên hội đồng").fill("lanhdao")
    page.get_by_label("Chủ tịch hội đồng").check()
    page.get_by_role("button", name="Thêm", exact=True).first.click()
    expect(page.locator("#council-h + ul")).to_contain_text("chủ tịch hội đồng")
    page.get_by_role("button", name="Mở đăng ký").click()
    expect(page.locator("[aria-current=step]")).to_contain_text("Đang nhận đăng ký")

    # 3. The cell secretary registers the cell.
    _log_out_and_in(page, live_app, "bithuchibo")
    page.goto(movement_url)
    page.locator("#id_model").select_option(index=1)
    choose(page.get_by_label("Tập thể, cá nhân đăng ký"), CELL)
    page.get_by_label("Kế hoạch và cam kết").fill("Mỗi đảng viên nhận đỡ đầu một bưu cục.")
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.get_by_text("Đã đăng ký")).to_be_visible()
    page.goto(movement_url)
    expect(page.locator("#reg-h + div")).to_contain_text("Chờ duyệt")

    # 4. The officer approves and starts scoring.
    _log_out_and_in(page, live_app, "thidua")
    page.goto(movement_url)
    page.get_by_role("link", name=CELL).click()
    page.get_by_role("button", name="Duyệt", exact=True).click()
    page.goto(movement_url)
    page.get_by_role("button", name="Bắt đầu chấm điểm").click()
    expect(page.locator("[aria-current=step]")).to_contain_text("Đang chấm điểm")

    # 5. The secretary scores the cell: 25 for a criterion of 20 is refused and nothing is saved.
    _log_out_and_in(page, live_app, "bithuchibo")
    page.goto(movement_url)
    page.get_by_role("link", name=CELL).click()
    page.get_by_label("0.1. Có kế hoạch được cấp ủy thông qua").select_option(label="Đạt")
    page.get_by_label("1.1. Hoàn thành kế hoạch doanh thu").fill("38,5")
    page.get_by_label("1.2. Phát triển khách hàng mới").fill("25")
    page.get_by_label("2. Tuyên truyền, vận động người lao động").fill("36")
    page.get_by_label("Minh chứng 1.1").fill("Báo cáo doanh thu quý IV")
    page.get_by_role("button", name="Lưu điểm").click()
    expect(page.get_by_role("alert")).to_contain_text("chưa được lưu")
    expect(page.get_by_role("alert")).to_contain_text("20")
    page.get_by_label("1.2. Phát triển khách hàng mới").fill("18")
    page.get_by_role("button", name="Lưu điểm").click()
    expect(page.get_by_label("1.2. Phát triển khách hàng mới")).to_have_value("18")
    no_sideways_scroll(page)
    page.screenshot(path=shots / f"thi-dua-tu-cham-{screen}.png", full_page=True)

    # 6. The council member scores independently.
    _log_out_and_in(page, live_app, "lanhdao")
    page.goto(movement_url)
    page.get_by_role("link", name=CELL).click()
    page.get_by_label("0.1. Có kế hoạch được cấp ủy thông qua").select_option(label="Đạt")
    page.get_by_label("1.1. Hoàn thành kế hoạch doanh thu").fill("36")
    page.get_by_label("1.2. Phát triển khách hàng mới").fill("17,25")
    page.get_by_label("2. Tuyên truyền, vận động người lao động").fill("35")
    page.get_by_role("button", name="Lưu điểm").click()
    expect(page.get_by_label("1.2. Phát triển khách hàng mới")).to_have_value("17,25")

    # 7. The officer closes the round (the scores lock) and publishes.
    _log_out_and_in(page, live_app, "thidua")
    page.goto(movement_url)
    page.get_by_role("button", name="Kết thúc đợt chấm và khóa điểm").click()
    expect(page.get_by_text("Đã niêm phong")).to_be_visible()
    page.get_by_role("button", name="Công bố kết quả").click()
    expect(page.locator("[aria-current=step]")).to_contain_text("Đã công bố kết quả")

    # 8. A member reads the published results on a phone: 36 + 17,25 + 35 = 88,25 beside 92,5.
    page.set_viewport_size(SCREENS["phone"])
    _log_out_and_in(page, live_app, "dangvien")
    page.goto(movement_url)
    page.get_by_role("link", name="Kết quả", exact=True).first.click()
    row = page.locator("tr").filter(has_text=CELL)
    expect(row).to_contain_text("88,25")
    expect(row).to_contain_text("92,5")
    page.screenshot(path=shots / f"thi-dua-ket-qua-{screen}.png", full_page=True)
