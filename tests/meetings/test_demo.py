"""The demo's year of meetings: three cells with different habits, the expanded conference of seed 000,
every signed minutes sealed and verifiable, the next meetings planned and announced in the handbook."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from dangbo.core import audit
from dangbo.core.models import AuditEvent
from dangbo.handbook.models import Notification
from dangbo.meetings import services
from dangbo.meetings.models import Attendee, Meeting, Minutes
from dangbo.orgs.demo import load_demo
from dangbo.orgs.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_a_year_of_meetings_in_three_cells_and_the_conference_of_seed_000():
    first = load_demo()
    assert first.meetings > 40
    assert load_demo().meetings == 0
    now = timezone.now()
    year_ago = now - dt.timedelta(days=366)
    head_office = Organisation.objects.get(name="Đảng bộ Cơ quan Tổng công ty")
    cells = {o.name: o for o in head_office.children.all()}

    def held(name: str, kind: str) -> int:
        return Meeting.objects.filter(
            organisation=cells[name], kind=kind, status="held", starts_at__gte=year_ago
        ).count()

    # A regular meeting every month (the Văn phòng cell skipped the Tết month), thematic ones by habit.
    assert held("Chi bộ Ban Tài chính – Kế toán", "cell_regular") >= 12
    assert (
        held("Chi bộ Văn phòng", "cell_regular") == held("Chi bộ Ban Tài chính – Kế toán", "cell_regular") - 1
    )
    assert held("Chi bộ Ban Tài chính – Kế toán", "cell_thematic") >= 3
    assert held("Chi bộ Ban Kinh doanh", "cell_thematic") == 0
    # Minutes are sealed except the latest regular meeting's, which waits for the chair.
    drafts = Minutes.objects.filter(sealed_at__isnull=True)
    assert drafts.count() == 3 and all(m.secretary_signed_at and not m.chair_signed_at for m in drafts)
    assert audit.verify()[1] is None and audit.verify_seals() == []
    # Everything is entered by the system except the signatures, which only the meeting's chair and
    # minutes secretary give, with their own logins.
    by_people = set(AuditEvent.objects.filter(actor__isnull=False).values_list("action", flat=True))
    assert by_people == {"minutes.sign", "minutes.seal"}
    # One member of the Ban Kinh doanh cell stayed away without reason three times.
    unexcused = Attendee.objects.filter(
        meeting__organisation=cells["Chi bộ Ban Kinh doanh"], presence="unexcused"
    )
    assert unexcused.count() == 3 and len({a.person_id for a in unexcused}) == 1
    # Some absences with a reason were approved by the chi ủy beforehand (out of the votes'
    # denominator), others not; the votes were counted that way.
    excused = Attendee.objects.filter(presence="excused")
    assert excused.filter(absence_approved=True).exists() and excused.filter(absence_approved=False).exists()
    assert not Attendee.objects.exclude(presence="excused").filter(absence_approved=True).exists()
    for meeting in Meeting.objects.filter(votes__isnull=False).distinct():
        counted = services.voting_members(meeting)
        assert all(v.voters == counted.voters for v in meeting.votes.all()), meeting

    conference = Meeting.objects.get(kind="expanded")
    assert timezone.localtime(conference.starts_at).date() == dt.date(2023, 10, 11)
    assert conference.agenda.count() == 5 and conference.minutes.sealed
    assert "11 nghị quyết, 07 chương trình, 35 kết luận" in conference.minutes.proceedings
    assert conference.attendees.filter(counted=False).count() == 4  # guests, among them the Khối's

    # The next meeting is planned and announced: "dangvien" has the invitation in the handbook.
    member = get_user_model().objects.get(username="dangvien")
    upcoming = Meeting.objects.filter(
        organisation=cells["Chi bộ Ban Tài chính – Kế toán"], status="planned", starts_at__gt=now
    )
    assert upcoming.exists() and all(m.invited_at is not None for m in upcoming)
    assert Notification.objects.filter(user=member, kind="meeting_invite").count() == upcoming.count()
