"""One English msgid, one meaning: a short UI word used by two apps must mean the same in both, or carry a
context (pgettext). The walk-through of December 2026 found "Not recorded" shown as "Chưa điểm danh" in the
member statistics, "From" as "Từ ngày" over the sender column of the opinions inbox and "Proposed" as
"Đã đề xuất" over the nominee column; this test finds that class of mistake before a user does."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import polib

SRC = Path(__file__).resolve().parents[1] / "src" / "dangbo"
PO = SRC / "locale" / "vi" / "LC_MESSAGES" / "django.po"

PY_CALL = re.compile(r"(?<![\w.])(?:_|gettext|gettext_lazy|ngettext|ngettext_lazy)\(\s*(\"|')(.+?)(?<!\\)\1")
TEMPLATE_TAG = re.compile(r"\{%\s*(?:translate|trans)\s+(\"|')(.+?)\1([^%]*)%\}")


def uses_without_context() -> dict[str, set[str]]:
    """msgid -> the apps that translate it without a context."""
    apps: dict[str, set[str]] = defaultdict(set)
    for path in SRC.rglob("*"):
        if path.suffix not in {".py", ".html", ".txt"} or "migrations" in path.parts:
            continue
        app = path.relative_to(SRC).parts[0]
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".py":
            for match in PY_CALL.finditer(text):
                apps[match.group(2)].add(app)
        else:
            for match in TEMPLATE_TAG.finditer(text):
                if "context" not in match.group(3):
                    apps[match.group(2)].add(app)
    return apps


def is_short(msgid: str) -> bool:
    return len(msgid.split()) <= 2


# Short words shared by several apps, each checked to mean the same everywhere it is used. A new shared
# short word must be checked the same way and added here, or given a context where its meaning differs.
SHARED: dict[str, str] = {
    "Add": "Thêm",  # emulation, meetings, orgs
    "All": "Tất cả",  # documents, handbook, members
    "Awards": "Khen thưởng",  # awards, emulation, orgs
    "Back": "Quay lại",  # documents, meetings
    "Breadcrumb": "Đường dẫn điều hướng",  # core, documents
    "Business units": "Đơn vị",  # core, orgs
    "By": "Người thực hiện",  # core, members
    "Cancel": "Hủy",  # awards, documents, emulation, meetings, orgs
    "Cancelled": "Đã hủy",  # documents, meetings
    "Chair": "Chủ trì",  # handbook, meetings
    "Code": "Ký hiệu",  # awards, orgs
    "Coming": "Sắp tới",  # documents, handbook, meetings
    "Date": "Ngày",  # awards, members
    "Day": "Ngày",  # handbook, meetings
    "Deadline": "Thời hạn hoàn thành",  # documents, handbook
    "Decided": "Đã quyết định",  # awards, evaluation
    "Decision": "Quyết định",  # awards, handbook, members, orgs
    "Decision number": "Số quyết định",  # members, orgs
    "Documents": "Văn bản",  # core, documents
    "E-mail": "Thư điện tử",  # handbook, orgs
    "Edit": "Chỉnh sửa",  # emulation, handbook, orgs
    "Emulation": "Thi đua",  # awards, core, emulation
    "Ethnicity": "Dân tộc",  # handbook, members
    "Filter": "Lọc",  # documents, handbook
    "From": "Từ ngày",  # documents, emulation, orgs
    "Full name": "Họ và tên",  # handbook, meetings, members, orgs
    "Gender": "Giới tính",  # handbook, orgs
    "General education": "Giáo dục phổ thông",  # handbook, members
    "Grassroots": "Cơ sở",  # awards, emulation
    "Handbook": "Sổ tay",  # core, handbook
    "History": "Lịch sử thay đổi",  # core, documents, orgs
    "Home town": "Quê quán",  # handbook, members
    "Issued by": "Cơ quan ra quyết định",  # awards, members
    "Kind": "Loại hình",  # documents, orgs
    "Meeting cancelled": "Hủy cuộc họp",  # core, handbook
    "Meeting changed": "Sửa thông tin cuộc họp",  # core, handbook
    "Meetings": "Hội họp",  # core, meetings
    "Members": "Số đảng viên",  # documents, evaluation, members
    "Minutes": "Biên bản",  # handbook, meetings
    "Name": "Tên",  # awards, emulation, evaluation, orgs
    "Next step": "Bước tiếp theo",  # awards, emulation, evaluation
    "No meeting.": "Chưa có cuộc họp.",  # handbook, meetings
    "None.": "Không có.",  # emulation, orgs
    "Note": "Ghi chú",  # awards, documents, handbook, members
    "Notes": "Ghi chú",  # handbook, meetings
    "Number": "Số",  # awards, documents
    "Online": "Trực tuyến",  # handbook, meetings
    "Organisation": "Tổ chức",  # documents, evaluation, meetings
    "Party badges": "Huy hiệu Đảng",  # members, orgs
    "Party organisations": "Tổ chức đảng",  # core, orgs
    "Phone": "Điện thoại",  # handbook, orgs
    "Place": "Địa điểm",  # handbook, meetings
    "Points": "Điểm",  # emulation, evaluation
    "Political theory": "Lý luận chính trị",  # handbook, members
    "Post": "Chức vụ",  # emulation, orgs
    "Probation ending": "Sắp hết thời gian dự bị",  # members, orgs
    "Proposed": "Đã đề xuất",  # awards, evaluation
    "Reason": "Lý do",  # awards, emulation, meetings, members
    "Register": "Vào sổ",  # awards, documents
    "Registered by": "Tập thể, cá nhân đăng ký",  # awards, emulation
    "Religion": "Tôn giáo",  # handbook, members
    "Remove": "Xóa",  # documents, handbook
    "Result": "Kết quả",  # meetings, members
    "Results published": "Đã công bố kết quả",  # core, emulation
    "Save": "Lưu",  # awards, documents, emulation, handbook, meetings, orgs
    "Saved.": "Đã lưu.",  # awards, emulation, orgs
    "Sealed": "Đã niêm phong",  # emulation, meetings
    "Search": "Tìm kiếm",  # awards, documents, meetings, members, orgs
    "Show": "Xem",  # awards, meetings, members
    "Signed by": "Người ký",  # awards, documents
    "Signer's post": "Chức vụ, thẩm quyền ký",  # awards, documents
    "Statistics": "Thống kê",  # awards, members, orgs
    "Status": "Trạng thái",  # awards, documents, emulation, evaluation, handbook, meetings, members
    "Study": "Học tập, quán triệt",  # documents, orgs
    "Tasks": "Nhiệm vụ",  # core, documents
    "Theme": "Chuyên đề",  # handbook, meetings
    "Time": "Thời gian",  # core, documents
    "To study": "Cần học tập",  # documents, handbook
    "Total": "Tổng cộng",  # awards, documents, emulation
    "Until": "Đến ngày",  # emulation, orgs
    "User name": "Tên đăng nhập",  # core, orgs
    "Year": "Năm",  # awards, documents, evaluation, meetings
    "code": "ký hiệu",  # awards, emulation, orgs
    "committee term": "nhiệm kỳ",  # documents, orgs
    "date": "ngày",  # awards, members
    "decision number": "số quyết định",  # members, orgs
    "dissolved": "đã giải thể",  # documents, meetings, orgs
    "documents": "văn bản",  # documents, meetings
    "file": "tệp",  # documents, members
    "from": "từ ngày",  # awards, documents, emulation, orgs
    "full name": "họ và tên",  # meetings, orgs
    "issued by": "cơ quan ra quyết định",  # awards, members
    "kind": "loại hình",  # documents, orgs
    "name": "tên",  # awards, emulation, evaluation, orgs
    "note": "ghi chú",  # awards, documents, handbook, members
    "notes": "ghi chú",  # meetings, members
    "number": "số",  # awards, documents, meetings
    "organisation": "tổ chức",  # evaluation, meetings
    "overdue": "quá hạn",  # documents, handbook
    "party member": "đảng viên",  # members, orgs
    "post": "chức vụ",  # emulation, meetings
    "reason": "lý do",  # emulation, meetings
    "registered by": "tập thể, cá nhân đăng ký",  # awards, emulation
    "regulation": "quy định áp dụng",  # awards, evaluation
    "signed by": "người ký",  # awards, documents, meetings
    "signer's post": "chức vụ người ký",  # awards, documents
    "status": "trạng thái",  # awards, documents, emulation, evaluation, meetings, members
    "until": "đến ngày",  # emulation, orgs
    "year": "năm",  # awards, evaluation
}


def test_the_scanner_sees_the_known_uses():
    uses = uses_without_context()
    assert {"meetings", "documents"} <= uses["Cancel"] | uses["Save"]
    assert "meetings" not in uses.get("Not recorded", set())  # the attendance meaning carries a context


def test_a_short_msgid_shared_by_two_apps_has_one_meaning_or_a_context():
    catalog = {e.msgid: e.msgstr for e in polib.pofile(str(PO)) if not e.msgctxt and not e.obsolete}
    unchecked = sorted(
        f"{msgid!r} ({', '.join(sorted(apps))}) → {catalog.get(msgid)!r}"
        for msgid, apps in uses_without_context().items()
        if is_short(msgid) and len(apps) > 1 and msgid not in SHARED
    )
    assert not unchecked, "check these meanings; give a context where they differ:\n" + "\n".join(unchecked)
    changed = {m: (v, catalog.get(m)) for m, v in SHARED.items() if catalog.get(m) not in (None, v)}
    assert not changed, f"a shared word changed its translation; check every use: {changed}"


def test_the_walk_through_collisions_have_their_own_translations():
    by_context = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(PO)) if not e.obsolete}
    assert by_context[("record field", "Not recorded")] == "Chưa ghi nhận"
    assert by_context[("attendance", "Not recorded")] == "Chưa điểm danh"
    assert by_context[("sender", "From")] == "Người gửi"
    assert by_context[(None, "From")] == "Từ ngày"
    assert by_context[("nominee", "Proposed")] == "Tập thể, cá nhân được đề nghị"
    assert by_context[(None, "Proposed")] == "Đã đề xuất"
