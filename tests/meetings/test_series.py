"""A year of regular meetings planned at once, and the invitation sent from the meeting's page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangbo.handbook.models import Notification
from dangbo.meetings import services
from dangbo.meetings.models import Meeting
from tests.helpers import client_for, refused
from tests.meetings.conftest import plan

pytestmark = pytest.mark.django_db


def _first(day: int = 31) -> dt.datetime:
    """14:00 on `day` of next January (or its last day)."""
    year = timezone.localdate().year + 1
    return timezone.make_aware(dt.datetime(year, 1, min(day, 31), 14, 0))


def test_twelve_months_on_the_same_day_the_last_day_of_a_shorter_month(world, cell):
    first = _first(31)
    meetings = services.meeting_series(
        actor=world.users["secretary"],
        organisation=world.cell_a,
        data=services.MeetingInput(
            kind="cell_regular", starts_at=first, ends_at=first + dt.timedelta(hours=2)
        ),
        months=12,
    )
    days = [timezone.localtime(m.starts_at) for m in meetings]
    assert len(days) == 12
    assert [d.month for d in days] == list(range(1, 13))
    leap = (first.year % 4 == 0 and first.year % 100 != 0) or first.year % 400 == 0
    assert days[1].day == (29 if leap else 28) and days[3].day == 30 and days[11].day == 31
    assert all((d.hour, d.minute) == (14, 0) for d in days)
    assert all(m.ends_at - m.starts_at == dt.timedelta(hours=2) for m in meetings)
    assert meetings[4].title == f"Sinh hoạt chi bộ thường kỳ tháng 05/{first.year}"
    assert all(m.attendees.count() == 7 for m in meetings)


def test_months_already_planned_are_skipped_and_bad_series_plan_nothing(world, cell):
    first = _first(10)
    plan(world, cell, starts_at=first + dt.timedelta(days=31))  # February is already planned
    meetings = services.meeting_series(
        actor=world.users["secretary"],
        organisation=world.cell_a,
        data=services.MeetingInput(kind="cell_regular", starts_at=first),
        months=3,
    )
    assert [timezone.localtime(m.starts_at).month for m in meetings] == [1, 3]
    count = Meeting.objects.count()
    assert "12" in refused(
        "months",
        services.meeting_series,
        actor=world.users["secretary"],
        organisation=world.cell_a,
        data=services.MeetingInput(kind="cell_regular", starts_at=first),
        months=13,
    )
    refused(
        "kind",
        services.meeting_series,
        actor=world.users["secretary"],
        organisation=world.cell_a,
        data=services.MeetingInput(kind="cell_thematic", starts_at=first, topic="Chuyển đổi số"),
        months=3,
    )
    # A past first meeting: the month refused, nothing planned.
    refused(
        "starts_at",
        services.meeting_series,
        actor=world.users["secretary"],
        organisation=world.cell_a,
        data=services.MeetingInput(kind="cell_regular", starts_at=timezone.now() - dt.timedelta(days=40)),
        months=3,
    )
    assert Meeting.objects.count() == count


def test_the_plan_page_repeats_monthly_and_the_meeting_page_sends_the_invitation(world, cell):
    office = client_for("secretary")
    first = _first(15)
    response = office.post(
        reverse("meetings:create") + f"?to-chuc={world.cell_a.pk}",
        {
            "organisation": world.cell_a.pk,
            "kind": "cell_regular",
            "day": first.date().isoformat(),
            "start": "14:00",
            "end": "16:00",
            "months": "6",
            "place": "Phòng họp tầng 3",
        },
    )
    assert response.status_code == 302
    assert Meeting.objects.filter(organisation=world.cell_a).count() == 6
    meeting = Meeting.objects.order_by("starts_at").first()
    page = office.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Gửi giấy mời" in page
    office.post(reverse("meetings:invite", args=[meeting.pk]), {"email": "on"})
    meeting.refresh_from_db()
    assert meeting.invited_at is not None
    assert Notification.objects.filter(kind="meeting_invite").count() == 2  # the two members with a login
    assert "Gửi lại giấy mời" in office.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert client_for("member").post(reverse("meetings:invite", args=[meeting.pk]), {}).status_code == 403


def test_agenda_documents_are_named_by_their_symbol_and_unknown_ones_refused(world, cell):
    from tests.documents.conftest import outside

    outside(world.tct, "09-CTr/ĐUK", dt.date(2021, 11, 11), summary="Chương trình hành động")
    outside(world.tct, "03-CT/TW", dt.date(2021, 5, 19), summary="Chỉ thị")
    meeting = plan(world, cell)
    office = client_for("secretary")
    url = reverse("meetings:agenda", args=[meeting.pk])
    bad = office.post(url, {"title": "Quán triệt", "documents": "09-CTr/ĐUK, 99-NQ/TW"})
    assert bad.status_code == 400
    assert "Không có văn bản số 99-NQ/TW" in bad.content.decode()
    assert meeting.agenda.count() == 0
    office.post(url, {"title": "Quán triệt", "documents": "09-CTr/ĐUK\n03-CT/TW"})
    item = meeting.agenda.get()
    assert sorted(d.symbol for d in item.documents.all()) == ["03-CT/TW", "09-CTr/ĐUK"]
