"""The minutes of a meeting as Word and PDF in the Party's format: the header, the attendance and the
votes from the records, the secretary's and the chair's signatures side by side, "DỰ THẢO" until the
seal, the content hash after it, the signed corrections appended; downloaded by whoever may read the
minutes on the meeting's page, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import io
import sys
from typing import Any
from urllib.parse import quote

import docx
import pypdf
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangbo.meetings import services
from dangbo.meetings.models import Meeting, Minutes
from dangbo.orgs import services as org_services
from dangbo.reports.minutes import layout_of_minutes
from dangbo.reports.services import minutes_export
from dangbo.rules.roles import Role
from tests.conftest import make_user
from tests.helpers import client_for
from tests.meetings.conftest import mark, plan
from tests.meetings.test_services import minutes_input
from tests.reports.conftest import pdf_support

__all__ = ["pdf_support"]

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# Cúc's absence was approved by the chi ủy: she is left out of the 6 full members who vote.
ABSENT = {"Lê Thị Cúc": "approved", "Phạm Văn Dũng": "unexcused"}


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def texts(content: bytes) -> list[str]:
    """Every paragraph of the Word file, in the body and in its tables."""
    document = docx.Document(io.BytesIO(content))
    found = [p.text for p in document.paragraphs]
    found += [p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return found


def body_order(document: Any) -> list[str]:
    """The body's paragraphs and tables in order ("<table n>" for the n-th table)."""
    order, tables = [], 0
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            order.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif child.tag.endswith("}tbl"):
            order.append(f"<table {tables}>")
            tables += 1
    return order


def minuted_meeting(world: Any, cell: Any) -> Meeting:
    """A regular meeting of cell A: 7 summoned, 5 present, Cúc away with a reason, Dũng without; a
    guest; one agenda item; two votes (one passes, one does not); the draft minutes written."""
    meeting = plan(world, cell, held=True, online_url="https://hop.example.vn/chi-bo-van-phong")
    office = world.users["secretary"]
    services.attendance_record(actor=office, meeting=meeting, marks=mark(meeting, **ABSENT))
    services.attendee_add(actor=office, meeting=meeting, name="Ngô Văn Khách", post="Phó Bí thư Đảng ủy")
    services.agenda_add(
        actor=office, meeting=meeting, title="Đánh giá kết quả tháng", presenter=cell.members["chair"].person
    )
    # 6 full members, less Cúc absent with a reason: 5 vote (Dũng counts though absent), 4 present
    services.vote_record(
        actor=office, meeting=meeting, subject="Nghị quyết tháng", matter="resolution", yes=3, no=1, abstain=0
    )
    services.vote_record(
        actor=office,
        meeting=meeting,
        subject="Đề nghị kết nạp quần chúng Vũ Thị Mai",
        matter="admission",
        yes=3,
        no=0,
        abstain=1,
    )
    services.minutes_save(
        actor=cell.secretary_user,
        meeting=meeting,
        data=minutes_input(discussion="Đồng chí Hoàng Thị Em đề nghị tăng cường kiểm tra."),
    )
    return Meeting.objects.select_related("organisation").get(pk=meeting.pk)


def seal(meeting: Meeting, cell: Any) -> None:
    services.minutes_sign(actor=cell.secretary_user, meeting=meeting)
    services.minutes_sign(actor=cell.chair_user, meeting=meeting)


def word(meeting: Meeting, actor: Any) -> Any:
    return docx.Document(io.BytesIO(minutes_export(actor=actor, meeting=meeting, fmt="docx").content))


# --- The document --------------------------------------------------------------------------------


def test_the_header_title_and_time_come_from_the_cell_and_the_meeting(world, cell):
    meeting = minuted_meeting(world, cell)
    document = word(meeting, cell.secretary_user)
    header = document.tables[0]
    day = timezone.localtime(meeting.starts_at).date()
    assert [p.text for p in header.cell(0, 0).paragraphs] == ["ĐẢNG BỘ CƠ QUAN", "CHI BỘ VĂN PHÒNG", "*"]
    assert header.cell(0, 1).text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert header.cell(1, 0).text == ""  # minutes carry no number
    assert header.cell(1, 1).text == f"Hà Nội, ngày {day:%d} tháng {day:%m} năm {day.year}"
    lines = texts(minutes_export(actor=cell.secretary_user, meeting=meeting, fmt="docx").content)
    assert "BIÊN BẢN" in lines and meeting.title in lines
    assert meeting.title.startswith("Sinh hoạt chi bộ thường kỳ tháng ")
    opened = timezone.localtime(Minutes.objects.get(meeting=meeting).opened_at)
    assert f"Thời gian: bắt đầu lúc {opened:%H} giờ {opened:%M} phút, ngày {opened:%d/%m/%Y}." in lines
    assert "Địa điểm: Phòng họp tầng 3." in lines
    assert "Kết hợp trực tuyến: đường dẫn https://hop.example.vn/chi-bo-van-phong" in lines
    assert "Chủ trì: đồng chí Trần Văn Bình." in lines and "Thư ký: đồng chí Nguyễn Thị Lan." in lines
    closed = timezone.localtime(Minutes.objects.get(meeting=meeting).closed_at)
    ending = "cùng ngày" if closed.date() == opened.date() else f"ngày {closed:%d/%m/%Y}"
    assert f"Biên bản kết thúc lúc {closed:%H} giờ {closed:%M} phút {ending}." in lines


def test_the_attendance_is_counted_from_the_records_with_names_and_reasons(world, cell):
    lines = texts(
        minutes_export(actor=cell.secretary_user, meeting=minuted_meeting(world, cell), fmt="docx").content
    )
    at = lines.index("Tổng số đảng viên được triệu tập: 7 đồng chí (chính thức: 6, dự bị: 1).")
    assert lines[at : at + 9] == [
        "Tổng số đảng viên được triệu tập: 7 đồng chí (chính thức: 6, dự bị: 1).",
        "Có mặt: 5 đồng chí.",
        "Vắng có lý do: 1 đồng chí:",
        "- Lê Thị Cúc (Đi công tác; được chi ủy đồng ý).",
        "Vắng không có lý do: 1 đồng chí:",
        "- Phạm Văn Dũng.",
        "Khách mời: 1 đồng chí:",
        "- Ngô Văn Khách, Phó Bí thư Đảng ủy.",
        # absent with a reason still counts as summoned: 5 of 7, more than half is 4
        "Tính hợp lệ: 5/7 đảng viên có mặt (cần ít nhất 4), buổi sinh hoạt đủ điều kiện tiến hành (hợp lệ).",
    ]
    assert "1. Đánh giá kết quả tháng (đồng chí Trần Văn Bình trình bày)." in lines
    assert "Đồng chí Hoàng Thị Em đề nghị tăng cường kiểm tra." in lines
    assert "Chi bộ thống nhất triển khai nhiệm vụ tháng tới." in lines


def test_an_exempt_member_and_an_invalid_meeting(world, cell):
    meeting = plan(world, cell, held=True)
    away = {n: "unexcused" for n in ("Lê Thị Cúc", "Phạm Văn Dũng", "Hoàng Thị Em", "Đỗ Văn Hải")}
    services.attendance_record(
        actor=world.users["secretary"],
        meeting=meeting,
        marks=mark(meeting, **away, **{"Bùi Thị Khánh": "exempt"}),
    )
    services.minutes_save(actor=cell.secretary_user, meeting=meeting, data=minutes_input())
    lines = texts(minutes_export(actor=cell.secretary_user, meeting=meeting, fmt="docx").content)
    assert "Có mặt: 2 đồng chí." in lines and "Vắng có lý do: 0 đồng chí." in lines
    assert "Miễn sinh hoạt đảng: 1 đồng chí:" in lines and "- Bùi Thị Khánh." in lines
    # the exempt member who stayed away is not counted: 2 of 6, 4 needed
    assert (
        "Tính hợp lệ: 2/6 đảng viên có mặt (cần ít nhất 4), buổi sinh hoạt không đủ điều kiện tiến hành "
        "(không hợp lệ)." in lines
    )


def test_the_votes_are_a_table_of_their_figures_and_results(world, cell):
    document = word(minuted_meeting(world, cell), cell.secretary_user)
    [votes] = [t for t in document.tables if t.cell(0, 0).text == "TT"]
    assert [[c.text for c in row.cells] for row in votes.rows] == [
        [
            "TT",
            "Nội dung biểu quyết",
            "Số có quyền biểu quyết",
            "Có mặt",
            "Tán thành",
            "Không tán thành",
            "Không biểu quyết",
            "Số cần đạt",
            "Kết quả",
        ],
        ["1", "Nghị quyết tháng", "5", "4", "3", "1", "0", "3", "Thông qua"],
        # admission needs at least two thirds of the 5 voting members: 4
        ["2", "Đề nghị kết nạp quần chúng Vũ Thị Mai", "5", "4", "3", "0", "1", "4", "Không thông qua"],
    ]
    # how the denominator is made, under the table
    lines = [p.text for p in document.paragraphs]
    assert "Số có quyền biểu quyết: 5 = 6 đảng viên chính thức − 1 vắng có lý do được chi ủy đồng ý." in lines


def test_a_draft_is_marked_and_signed_by_the_secretary_left_and_the_chair_right(world, cell):
    meeting = minuted_meeting(world, cell)
    document = word(meeting, cell.secretary_user)
    assert document.paragraphs[0].text == "DỰ THẢO"
    foot = document.tables[-1]
    assert len(foot.rows) == 1
    left = [p.text for p in foot.cell(0, 0).paragraphs]
    right = [p.text for p in foot.cell(0, 1).paragraphs]
    assert (left[0], left[-1], right[0], right[-1]) == (
        "THƯ KÝ",
        "Nguyễn Thị Lan",
        "CHỦ TRÌ",
        "Trần Văn Bình",
    )
    assert len(left) == len(right) and not any("điện tử" in t for t in left + right)
    assert not any(
        "Mã kiểm tra" in t
        for t in texts(minutes_export(actor=cell.secretary_user, meeting=meeting, fmt="docx").content)
    )

    # the secretary signs: the left column states it; still a draft until the chair signs the same text
    services.minutes_sign(actor=cell.secretary_user, meeting=meeting)
    signed_at = timezone.localtime(Minutes.objects.get(meeting=meeting).secretary_signed_at)
    document = word(meeting, cell.secretary_user)
    foot = document.tables[-1]
    assert f"Đã ký điện tử lúc {signed_at:%H:%M} ngày {signed_at:%d/%m/%Y}" in [
        p.text for p in foot.cell(0, 0).paragraphs
    ]
    assert not any("điện tử" in p.text for p in foot.cell(0, 1).paragraphs)
    assert document.paragraphs[0].text == "DỰ THẢO"

    # the text changes: that signature no longer counts, and the paper says nothing of it
    services.minutes_save(
        actor=cell.chair_user, meeting=meeting, data=minutes_input(discussion="Ý kiến khác.")
    )
    foot = word(meeting, cell.secretary_user).tables[-1]
    assert not any("điện tử" in p.text for c in foot.rows[0].cells for p in c.paragraphs)


def test_sealed_minutes_lose_the_draft_mark_and_carry_their_hash_then_the_corrections(world, cell):
    meeting = minuted_meeting(world, cell)
    seal(meeting, cell)
    services.addendum_add(
        actor=cell.chair_user,
        meeting=meeting,
        text="Bổ sung ý kiến của đồng chí Đỗ Văn Hải về công tác phát triển đảng viên.",
        reason="Biên bản ghi thiếu",
    )
    minutes = Minutes.objects.get(meeting=meeting)
    addendum = minutes.addenda.get()
    document = word(meeting, world.users["member"])
    lines = texts(minutes_export(actor=world.users["member"], meeting=meeting, fmt="docx").content)
    assert "DỰ THẢO" not in lines
    foot = document.tables[-1]
    for column, at in ((0, minutes.secretary_signed_at), (1, minutes.chair_signed_at)):
        local = timezone.localtime(at)
        assert f"Đã ký điện tử lúc {local:%H:%M} ngày {local:%d/%m/%Y}" in [
            p.text for p in foot.cell(0, column).paragraphs
        ]
    sealed_at = timezone.localtime(minutes.sealed_at)
    check = (
        f"Biên bản đã niêm phong lúc {sealed_at:%H:%M} ngày {sealed_at:%d/%m/%Y}. Mã kiểm tra nội dung: "
        f"{minutes.content_hash[:16]} (16 ký tự đầu của mã SHA-256, đối chiếu trên trang cuộc họp)."
    )
    signed = timezone.localtime(addendum.signed_at)
    order = body_order(document)
    after = order[order.index(f"<table {len(document.tables) - 1}>") + 1 :]
    assert after == [
        check,
        "ĐÍNH CHÍNH SỐ 1",
        f"Ngày đính chính: {signed:%d/%m/%Y}.",
        "Bổ sung ý kiến của đồng chí Đỗ Văn Hải về công tác phát triển đảng viên.",
        "Lý do: Biên bản ghi thiếu.",
        f"Người ký: đồng chí Trần Văn Bình (chủ trì), đã ký điện tử lúc {signed:%H:%M} ngày "
        f"{signed:%d/%m/%Y}. Mã kiểm tra: {addendum.content_hash[:16]}.",
    ]


def test_a_committee_meeting_is_headed_by_the_committee(world, cell):
    org_services.organisation_update(actor=None, organisation=world.tct, place="Đà Nẵng")
    meeting = plan(
        world, cell, held=True, organisation=world.tct, kind="committee", actor=world.users["office"]
    )
    services.minutes_save(actor=None, meeting=meeting, data=minutes_input())
    layout = layout_of_minutes(Meeting.objects.get(pk=meeting.pk))
    assert (layout.superior, layout.issuer, layout.place) == (
        "Đảng bộ Khối Thử nghiệm",
        "Đảng ủy Tổng công ty Thử nghiệm",
        "Đà Nẵng",
    )
    assert layout.draft and not layout.numbered and layout.type_name == "Biên bản"
    assert [s.capacity for s in layout.signatures] == ["THƯ KÝ", "CHỦ TRÌ"]


def test_the_file_is_named_after_the_cell_and_the_day(world, cell):
    meeting = minuted_meeting(world, cell)
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    export = minutes_export(actor=cell.secretary_user, meeting=meeting, fmt="docx")
    assert export.filename == f"Biên-bản_Chi-bộ-Văn-phòng_{day}.docx"
    assert export.ascii_filename == f"Bien-ban_Chi-bo-Van-phong_{day}.docx"
    org_services.organisation_update(actor=None, organisation=world.cell_a, code="CBVP")
    meeting.organisation.refresh_from_db()
    assert minutes_export(actor=cell.secretary_user, meeting=meeting, fmt="docx").filename == (
        f"Biên-bản_CBVP_{day}.docx"
    )


def test_the_export_reads_a_fixed_number_of_queries(world, cell, django_assert_max_num_queries):
    meeting = minuted_meeting(world, cell)
    seal(meeting, cell)
    services.addendum_add(actor=cell.chair_user, meeting=meeting, text="Đính chính một.", reason="Thiếu")
    member = world.users["member"]

    def count() -> int:
        fresh = Meeting.objects.select_related("organisation").get(pk=meeting.pk)
        with CaptureQueriesContext(connection) as queries:
            minutes_export(actor=member, meeting=fresh, fmt="docx")
        return len(queries)

    small = count()
    services.addendum_add(actor=cell.secretary_user, meeting=meeting, text="Đính chính hai.", reason="Thiếu")
    services.addendum_add(actor=cell.chair_user, meeting=meeting, text="Đính chính ba.", reason="Thiếu")
    assert count() == small  # more corrections, the same queries
    fresh = Meeting.objects.select_related("organisation").get(pk=meeting.pk)
    with django_assert_max_num_queries(6):  # minutes, attendees, agenda, votes, corrections, ancestors
        minutes_export(actor=member, meeting=fresh, fmt="docx")


def test_a_draft_signed_by_one_is_checked_in_a_fixed_number_of_queries(
    world, cell, django_assert_max_num_queries
):
    meeting = minuted_meeting(world, cell)
    services.minutes_sign(actor=cell.secretary_user, meeting=meeting)
    for n in range(3):
        services.attendee_add(
            actor=world.users["secretary"], meeting=meeting, name=f"Khách {n}", post="Khách"
        )
    fresh = Meeting.objects.select_related("organisation").get(pk=meeting.pk)
    with django_assert_max_num_queries(10):  # the signature checked against the text: 4 more
        minutes_export(actor=cell.secretary_user, meeting=fresh, fmt="docx")


# --- The downloads -------------------------------------------------------------------------------


def test_the_office_downloads_word_named_in_vietnamese_with_an_ascii_fallback(
    world, cell, django_assert_max_num_queries
):
    meeting = minuted_meeting(world, cell)
    day = timezone.localtime(meeting.starts_at).date().isoformat()
    office = client_for("secretary")
    url = reverse("meetings:minutes_word", args=[meeting.pk])
    assert url == f"/hop/{meeting.pk}/bien-ban/word/"
    with django_assert_max_num_queries(12):
        response = office.get(url)
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == (
        f'attachment; filename="Bien-ban_Chi-bo-Van-phong_{day}.docx"; '
        f"filename*=UTF-8''{quote(f'Biên-bản_Chi-bộ-Văn-phòng_{day}.docx')}"
    )
    assert response["Cache-Control"] == "private, no-store"
    assert "CHI BỘ VĂN PHÒNG" in texts(response.content)


def test_the_pdf_prints_the_same_minutes(world, cell, pdf_support):
    meeting = minuted_meeting(world, cell)
    seal(meeting, cell)
    minutes = Minutes.objects.get(meeting=meeting)
    response = client_for("member").get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="Bien-ban_Chi-bo-Van-phong_' in response["Content-Disposition"]
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for expected in (
        "CHI BỘ VĂN PHÒNG",
        "BIÊN BẢN",
        "Có mặt: 5 đồng chí.",
        "Nghị quyết tháng 5 4 3 1 0 3 Thông qua",
        "Số có quyền biểu quyết: 5 = 6 đảng viên chính thức − 1 vắng có lý do được chi ủy đồng ý.",
        "THƯ KÝ",
        "CHỦ TRÌ",
        minutes.content_hash[:16],
    ):
        assert expected in text, expected
    assert "DỰ THẢO" not in text


def test_without_pdf_support_the_page_says_so_and_links_to_word(world, cell, monkeypatch):
    meeting = minuted_meeting(world, cell)
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # a machine without WeasyPrint/Pango
    office = client_for("secretary")
    response = office.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 503
    html = response.content.decode()
    assert f'href="/hop/{meeting.pk}/bien-ban/word/"' in html and f'href="/hop/{meeting.pk}/"' in html
    assert office.get(reverse("meetings:minutes_word", args=[meeting.pk])).status_code == 200


@pytest.mark.parametrize("name", ["meetings:minutes_word", "meetings:minutes_pdf"])
def test_a_draft_is_downloaded_by_those_who_write_or_sign_it_only(world, cell, name):
    meeting = minuted_meeting(world, cell)
    url = reverse(name, args=[meeting.pk])
    for client in (client_for("secretary"), login(cell.secretary_user), login(cell.chair_user)):
        assert client.get(url).status_code == 200
    # a member of the cell sees the meeting's page but not the draft (as on the page): 404
    member = client_for("member")
    assert member.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200
    assert member.get(url).status_code == 404
    seal(meeting, cell)
    assert member.get(url).status_code == 200


@pytest.mark.parametrize("name", ["meetings:minutes_word", "meetings:minutes_pdf"])
def test_downloads_are_scoped_like_the_meeting_page(world, cell, name):
    meeting = minuted_meeting(world, cell)
    seal(meeting, cell)
    url, page = reverse(name, args=[meeting.pk]), reverse("meetings:detail", args=[meeting.pk])
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/dang-nhap/")
    other_cell = login(make_user("member-b", role=Role.MEMBER, organisation=world.cell_b))
    assert other_cell.get(page).status_code == other_cell.get(url).status_code == 404
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("norole").get(url).status_code == 404
    assert client_for("member").get(reverse(name, args=[meeting.pk + 1000])).status_code == 404


@pytest.mark.parametrize("name", ["meetings:minutes_word", "meetings:minutes_pdf"])
def test_no_minutes_yet_is_not_found(world, cell, name):
    meeting = plan(world, cell, held=True)
    assert client_for("secretary").get(reverse(name, args=[meeting.pk])).status_code == 404


def test_the_meeting_page_links_to_both_downloads_where_it_shows_the_minutes(world, cell):
    meeting = minuted_meeting(world, cell)
    word_url, pdf_url = (
        reverse(n, args=[meeting.pk]) for n in ("meetings:minutes_word", "meetings:minutes_pdf")
    )
    page = client_for("secretary").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f'href="{word_url}"' in page and f'href="{pdf_url}"' in page
    member = client_for("member")
    page = member.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert word_url not in page  # a draft is not shown to a member
    seal(meeting, cell)
    page = member.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f'href="{word_url}"' in page and f'href="{pdf_url}"' in page


def test_a_meeting_without_minutes_has_no_download_links(world, cell):
    meeting = plan(world, cell, held=True)
    page = client_for("secretary").get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "/bien-ban/word/" not in page


def test_minutes_of_a_meeting_past_midnight_close_on_their_own_day(world, cell):
    meeting = minuted_meeting(world, cell)
    minutes = Minutes.objects.get(meeting=meeting)
    # written the evening before and closed after midnight (local time)
    opened = timezone.make_aware(dt.datetime(2026, 1, 5, 22, 30))
    Minutes.objects.filter(pk=minutes.pk).update(opened_at=opened, closed_at=opened + dt.timedelta(hours=2))
    lines = texts(minutes_export(actor=cell.secretary_user, meeting=meeting, fmt="docx").content)
    assert "Biên bản kết thúc lúc 00 giờ 30 phút ngày 06/01/2026." in lines
    assert any(line.startswith("Thời gian: bắt đầu lúc 22 giờ 30 phút, ngày 05/01/2026") for line in lines)
