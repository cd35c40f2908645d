"""A meeting's papers as PDF: the sign-in sheet (danh sách đảng viên ký dự họp) and the invitation
(giấy mời), printed in the Party's format from the meeting's records."""

from __future__ import annotations

import io

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from dangbo.meetings import services
from dangbo.rules.vietnamese import format_date
from tests.helpers import client_for
from tests.meetings.conftest import plan
from tests.reports.conftest import pdf_support

__all__ = ["pdf_support"]

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_sign_in_sheet_lists_those_convened_with_a_column_to_sign(world, cell, pdf_support):
    meeting = plan(world, cell, title="Sinh hoạt chi bộ thường kỳ tháng 12/2026")
    meeting.attendees.filter(name="Trần Văn Bình").update(post="Bí thư chi bộ")  # as a position gives it
    member = client_for("member")
    page = member.get(reverse("meetings:detail", args=[meeting.pk]))
    url = reverse("meetings:sign_in_pdf", args=[meeting.pk])
    assert url in page.content.decode()  # the button on the meeting's page
    response = member.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "Danh-sach-ky-du-hop" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "DANH SÁCH ĐẢNG VIÊN KÝ DỰ HỌP" in text
    assert world.cell_a.name.upper() in text
    assert "STT Họ và tên Chức vụ Ký tên" in text
    attendees = list(meeting.attendees.filter(counted=True))
    assert len(attendees) >= 7
    positions = [text.index(a.name) for a in attendees]
    assert positions == sorted(positions)  # in the register's order, family name first
    assert "1 Trần Văn Bình Bí thư chi bộ" in text and "Bình Trần Văn" not in text
    assert "Vũ Văn Giang" not in text  # cell B's member is not convened
    start = timezone.localtime(meeting.starts_at)
    assert f"ngày {format_date(start.date())}" in text and "Phòng họp tầng 3" in text
    assert f"Tổng số được triệu tập: {len(attendees)} đồng chí" in text
    assert "CHỦ TRÌ" in text
    assert not any(a.person and "001075" in text for a in attendees)  # no identity number


def test_the_invitation_names_time_place_and_agenda_and_is_signed_for_the_cell(world, cell, pdf_support):
    meeting = plan(world, cell, title="Sinh hoạt chi bộ thường kỳ tháng 12/2026")
    services.agenda_add(
        actor=world.users["secretary"],
        meeting=meeting,
        title="Kiểm điểm nhiệm vụ tháng 11",
        presenter_name="Trần Văn Bình",
    )
    services.agenda_add(actor=world.users["secretary"], meeting=meeting, title="Phương hướng tháng 12")
    member = client_for("member")
    url = reverse("meetings:invitation_pdf", args=[meeting.pk])
    assert url in member.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    response = member.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "GIẤY MỜI" in text and "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert f"Kính gửi: Các đồng chí đảng viên {world.cell_a.name}" in text
    assert "trân trọng kính mời đồng chí tới dự Sinh hoạt chi bộ thường kỳ tháng 12/2026" in text
    start = timezone.localtime(meeting.starts_at)
    assert f"Thời gian: {start:%H} giờ {start:%M} phút, ngày {format_date(start.date())}" in text
    assert "Địa điểm: Phòng họp tầng 3" in text
    assert "1. Kiểm điểm nhiệm vụ tháng 11 (trình bày: đồng chí Trần Văn Bình);" in text
    assert "2. Phương hướng tháng 12." in text
    assert "BÍ THƯ" in text and "Nơi nhận:" in text


def test_a_meeting_out_of_scope_has_no_papers(world, cell):
    meeting = plan(world, cell)
    for name in ("meetings:sign_in_pdf", "meetings:invitation_pdf"):
        assert client_for("outsider").get(reverse(name, args=[meeting.pk])).status_code == 404
