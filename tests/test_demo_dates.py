"""The demo is consistent whatever the day it is loaded: month ends, the evening of a month's last day
in UTC (already the next day in Vietnam), Tết, 29 February, 31 December, a meeting day before and
after the meeting's hour, a weekend. On each of those instants the whole demo is loaded and checked:
the audit chain and every seal verify, each of the three demo cells has exactly one held meeting whose
minutes wait for the chair (its latest), every signature is dated within its meeting's day (after it
closed, before now), held meetings are in the past and planned ones in the future with their
invitations sent, and nothing the demo records (studies, task reports, member events) is dated after
today in Vietnam."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from dangbo.core import audit
from dangbo.documents.models import ProgressReport, StudyConfirmation
from dangbo.meetings.models import Meeting, Minutes
from dangbo.members.models import MemberEvent, PartyMember
from dangbo.orgs.demo import load_demo
from dangbo.orgs.models import Organisation

pytestmark = pytest.mark.django_db

INSTANTS = (
    "2026-12-07T08:00:00+00:00",  # the day main went red: the December meeting is still ahead
    "2026-11-20T03:00:00+00:00",  # the day it last passed: this month's meeting already held
    "2027-02-28T23:30:00+00:00",  # a month end late in the evening UTC: 01/03/2027 in Vietnam
    "2028-02-29T09:00:00+00:00",  # 29 February
    "2026-12-31T16:30:00+00:00",  # 31 December UTC, already New Year's Day in Vietnam
    "2027-12-31T10:00:00+00:00",  # 31 December in Vietnam
    "2027-02-06T02:00:00+00:00",  # Tết Đinh Mùi (the first day of the lunar year 2027)
    "2026-02-17T02:00:00+00:00",  # Tết Bính Ngọ
    "2026-11-10T03:00:00+00:00",  # a meeting day (Tuesday 10/11/2026) before the 14:00 meeting
    "2026-11-10T09:30:00+00:00",  # the same day after the meeting
    "2027-01-10T05:00:00+00:00",  # a Sunday 10th: the meeting moves to Monday 11th
    "2030-06-30T17:30:00+00:00",  # a month end in UTC, 01/07/2030 in Vietnam, years from now
)

DEMO_CELLS = ("Chi bộ Ban Tài chính – Kế toán", "Chi bộ Văn phòng", "Chi bộ Ban Kinh doanh")


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("instant", INSTANTS)
def test_the_demo_is_consistent_on_any_day(instant: str) -> None:
    with time_machine.travel(dt.datetime.fromisoformat(instant), tick=False):
        now = timezone.now()
        today = timezone.localdate()
        result = load_demo()
        assert result.meetings > 40 and result.members > 50

        assert audit.verify()[1] is None
        assert audit.verify_seals() == []

        for meeting in Meeting.objects.all():
            if meeting.status == Meeting.Status.HELD:
                assert meeting.starts_at < now, meeting
            else:
                assert meeting.starts_at > now, meeting
                assert meeting.invited_at is not None, meeting

        for minutes in Minutes.objects.select_related("meeting"):
            meeting = minutes.meeting
            assert meeting.status == Meeting.Status.HELD
            for signed in (minutes.secretary_signed_at, minutes.chair_signed_at):
                if signed is not None:
                    assert meeting.ends_at <= signed <= now, meeting
                    assert timezone.localtime(signed).date() == timezone.localtime(meeting.starts_at).date()
            if minutes.sealed_at is not None:
                assert minutes.sealed_at == max(minutes.secretary_signed_at, minutes.chair_signed_at)

        head_office = Organisation.objects.get(name="Đảng bộ Cơ quan Tổng công ty")
        for name in DEMO_CELLS:
            cell = head_office.children.get(name=name)
            regular = Meeting.objects.filter(organisation=cell, kind="cell_regular", status="held")
            latest = regular.order_by("-starts_at").first()
            assert latest is not None
            waiting = Minutes.objects.filter(meeting__organisation=cell, sealed_at__isnull=True)
            assert [m.meeting_id for m in waiting] == [latest.pk], name
            assert waiting[0].secretary_signed_at is not None and waiting[0].chair_signed_at is None
            # This month's meeting when it is past the 10th, else last month's: never older than that.
            assert (today - timezone.localtime(latest.starts_at).date()).days <= 62
            assert Meeting.objects.filter(organisation=cell, status="planned").exists()

        assert not StudyConfirmation.objects.filter(studied_on__gt=today).exists()
        at_meetings = StudyConfirmation.objects.filter(channel=StudyConfirmation.Channel.MEETING)
        for confirmation in at_meetings.select_related("member"):
            assert Meeting.objects.filter(
                organisation_id=confirmation.member.organisation_id,
                status="held",
                starts_at__date=confirmation.studied_on,
            ).exists()
        assert not ProgressReport.objects.filter(reported_on__gt=today).exists()
        assert not MemberEvent.objects.filter(on__gt=today).exists()
        assert not PartyMember.objects.filter(admitted_on__gt=today).exists()
