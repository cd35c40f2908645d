"""Meetings planned ahead follow the cell's membership (issue 20 §2, walk-through H1): a member who
joins (admission, transfer in, import) is summoned, one who leaves is no longer, with a note on the
meeting's page; "Gửi lại giấy mời" brings the roll up to date first; held meetings never change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangbo.core.models import AuditEvent
from dangbo.handbook.models import Notification
from dangbo.meetings import services
from dangbo.meetings.models import Meeting, RollChange
from dangbo.members import services as member_services
from dangbo.members.models import ImportJob, PartyMember
from dangbo.orgs import services as org_services
from dangbo.rules.membership import Status, probation_end
from dangbo.rules.vietnamese import format_date
from tests.documents.conftest import admit_member
from tests.helpers import client_for
from tests.meetings.conftest import mark
from tests.members.test_import import HEADER

pytestmark = pytest.mark.django_db

D = dt.date
NAMES = ("Trần Văn Kiểm", "Phạm Thị Thu Hà", "Lê Văn Tương", "Hoàng Minh Đức", "Đỗ Thị Mai")


def full(member: PartyMember) -> PartyMember:
    member_services.member_record_event(actor=None, member=member, kind="full_member", on=D(2001, 1, 5))
    member.refresh_from_db()
    return member


@pytest.fixture
def five(world) -> list[PartyMember]:
    """Chi bộ B with five full members."""
    names = ("Ngô Khánh Huyền", "Tạ Hồng Linh", "Vũ Ngọc Anh", "Lương Quang Quân", "Đinh Thị Hoa")
    return [full(admit_member(world.cell_b, name, f"00107500010{i}")) for i, name in enumerate(names)]


def plan(world, *, held: bool = False, days: int = 10, **fields) -> Meeting:
    now = timezone.now()
    return services.meeting_plan(
        actor=None,
        organisation=world.cell_b,
        data=services.MeetingInput(
            kind=fields.pop("kind", "cell_regular"),
            starts_at=now - dt.timedelta(hours=2) if held else now + dt.timedelta(days=days),
            place="Phòng họp tầng 5",
            **fields,
        ),
        held=held,
    )


def register(world, names=NAMES, ids: str = "0010880005") -> bytes:
    rows = [
        f"{name},{i % 28 + 1:02d}/01/1988,{'Nữ' if i % 2 else 'Nam'},{ids}{i:02d},,15/03/2010,15/03/2011,"
        f"{world.cell_b.pk},Kinh"
        for i, name in enumerate(names)
    ]
    return "\n".join([HEADER, *rows]).encode()


def import_through_the_page(world, content: bytes) -> None:
    """As the office does on /to-chuc/<cell>/dang-vien/nhap/ (the job runs inline in tests)."""
    client = client_for("office")
    url = reverse("members:import", args=[world.cell_b.pk])
    response = client.post(url, {"file": SimpleUploadedFile("so.csv", content)})
    assert response.status_code == 302
    assert ImportJob.objects.latest("pk").report["created"] == len(content.splitlines()) - 1


def people(meeting: Meeting) -> set[str]:
    return {a.name for a in meeting.attendees.filter(counted=True)}


def test_importing_five_members_summons_them_to_the_meetings_planned_ahead_and_invites_them(world, five):
    december, january = plan(world, days=3), plan(world, days=34)
    services.meeting_invite(actor=None, meeting=december, email=False)
    held = plan(world, held=True)
    assert len(people(december)) == len(people(january)) == len(people(held)) == 5

    import_through_the_page(world, register(world))

    # Both meetings planned ahead now summon the cell's 10 members, who all vote; the meeting held
    # already is as it was.
    for meeting in (december, january):
        assert people(meeting) == {m.person.full_name for m in five} | set(NAMES)
        assert meeting.attendees.filter(counted=True, voting=True).count() == 10
        # the quorum is computed on the 10: more than half is 6
        state = services.validity(meeting)
        assert (state.summoned, state.required) == (10, 6)
    assert len(people(held)) == 5
    # one audit event per meeting changed, naming those added; a note per person added
    rolls = AuditEvent.objects.filter(action="meeting.roll")
    assert rolls.count() == 2 and {e.object_id for e in rolls} == {str(december.pk), str(january.pk)}
    assert len(rolls.get(object_id=str(december.pk)).after["added"]) == 5
    assert december.roll_changes.filter(change="added").count() == 5

    # The office gives two of them a login; "Gửi lại giấy mời" reaches them.
    users = get_user_model()
    for name, username in ((NAMES[0], "kiem"), (NAMES[1], "thuha")):
        person = PartyMember.objects.get(person__full_name=name).person
        org_services.person_link_user(actor=None, person=person, user=users.objects.create_user(username))
    told = services.meeting_invite(actor=world.users["office"], meeting=december, email=False)
    assert told == 2
    invited = Notification.objects.filter(
        kind=Notification.Kind.MEETING_INVITE, user__username__in=["kiem", "thuha"]
    )
    assert invited.count() == 2 and all("gửi lại" in n.title for n in invited)
    assert not december.roll_changes.filter(change="added", invited=False).exists()


def test_resending_the_invitation_brings_a_stale_roll_up_to_date_first(world, five):
    # A meeting planned before this change kept its old roll: members entered since are missing.
    meeting = plan(world)
    newcomer = full(admit_member(world.cell_b, "Trần Văn Kiểm", "001075000201"))
    meeting.attendees.filter(person=newcomer.person).delete()
    RollChange.objects.all().delete()
    assert len(people(meeting)) == 5
    client = client_for("office")
    response = client.post(reverse("meetings:invite", args=[meeting.pk]), {"email": ""})
    assert response.status_code == 302
    assert "Trần Văn Kiểm" in people(meeting) and len(people(meeting)) == 6


def test_a_member_transferred_out_leaves_the_planned_meeting_but_stays_on_the_held_one(world, five):
    held = plan(world, held=True)
    services.attendance_record(actor=None, meeting=held, marks=mark(held))
    planned = plan(world)
    leaving = five[2]
    today = timezone.localdate()
    member_services.member_record_event(
        actor=world.users["office"], member=leaving, kind="transfer_out", on=today, other_party="Đảng bộ tỉnh"
    )
    assert leaving.person.full_name not in people(planned) and len(people(planned)) == 4
    assert leaving.person.full_name in people(held) and len(people(held)) == 5
    [note] = planned.roll_changes.all()
    assert (
        services.roll_note(note)
        == f"Đã bỏ đồng chí Vũ Ngọc Anh (chuyển sinh hoạt đi ngày {format_date(today)})"
    )
    assert not held.roll_changes.exists()
    # the page of the planned meeting says so; the held one's does not
    client = client_for("office")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("meetings:detail", args=[planned.pk])).content.decode()
    assert len(queries) <= 10  # as every page (tests/test_permission_matrix.py)
    assert f"Đã bỏ đồng chí Vũ Ngọc Anh (chuyển sinh hoạt đi ngày {format_date(today)})" in page
    assert "Đã bỏ đồng chí" not in client.get(reverse("meetings:detail", args=[held.pk])).content.decode()


def test_an_admission_a_transfer_between_cells_and_full_membership_follow(world, five):
    planned = plan(world)
    other = services.meeting_plan(
        actor=None,
        organisation=world.cell_a,
        data=services.MeetingInput(kind="cell_regular", starts_at=timezone.now() + dt.timedelta(days=5)),
    )
    person = org_services.person_create(
        actor=None,
        full_name="Bùi Thị Khánh",
        birth_date=D(1995, 3, 1),
        organisation=world.cell_b,
        is_party_member=True,
    )
    admitted_on = timezone.localdate() - dt.timedelta(days=400)
    newcomer = member_services.member_admit(
        actor=None, person=person, organisation=world.cell_b, admitted_on=admitted_on
    )
    attendee = planned.attendees.get(person=person)
    # a probationary member is summoned and does not vote
    assert (attendee.counted, attendee.voting) == (True, False)
    page = client_for("office").get(reverse("meetings:detail", args=[planned.pk])).content.decode()
    assert f"Đã thêm đồng chí Bùi Thị Khánh (vào chi bộ ngày {format_date(admitted_on)})" in page

    # transferred to cell A (out of B, then in with the cell it goes to): off B's meeting, on A's
    moved, today = five[0], timezone.localdate()
    member_services.member_record_event(actor=None, member=moved, kind="transfer_out", on=today)
    assert moved.person.full_name not in people(planned)
    member_services.member_record_event(
        actor=None, member=moved, kind="transfer_in", on=today, to_organisation=world.cell_a
    )
    assert moved.person.full_name not in people(planned) and moved.person.full_name in people(other)
    note = other.roll_changes.get(person=moved.person)
    assert (
        services.roll_note(note)
        == f"Đã thêm đồng chí {moved.person.full_name} (vào chi bộ ngày {format_date(today)})"
    )

    # probation over: the member now votes, and the note says so
    member_services.member_record_event(
        actor=None, member=newcomer, kind="full_member", on=probation_end(admitted_on)
    )
    attendee.refresh_from_db()
    assert attendee.voting
    assert PartyMember.objects.get(pk=newcomer.pk).status == Status.FULL
    note = planned.roll_changes.get(change="voting")
    assert services.roll_note(note) == (
        f"Đồng chí Bùi Thị Khánh là đảng viên chính thức từ ngày {format_date(probation_end(admitted_on))}: "
        "có quyền biểu quyết"
    )


def test_a_cancelled_meeting_a_started_one_and_a_guest_are_left_alone(world, five):
    cancelled = plan(world)
    services.meeting_cancel(actor=None, meeting=cancelled, reason="Trùng lịch")
    planned = plan(world)
    guest = services.attendee_add(actor=None, meeting=planned, name="Nguyễn Khách Mời", post="Đảng ủy Khối")
    admit_member(world.cell_b, "Trần Văn Kiểm", "001075000201")
    assert len(people(cancelled)) == 5 and len(people(planned)) == 6
    assert planned.attendees.filter(pk=guest.pk, counted=False).exists()


def _roll_queries(world, n: int, ids: str) -> int:
    """Queries of one roll_follow adding `n` imported members to one meeting planned ahead."""
    meeting = plan(world, days=20 + n)
    names = [f"Đảng Viên {chr(65 + i // 5)}{chr(65 + i % 5)}" for i in range(n)]
    import_through_the_page(world, register(world, names, ids))
    # Undo what the import's signal did, to count the queries of the roll itself.
    RollChange.objects.filter(meeting=meeting).delete()
    meeting.attendees.filter(person__membership__national_id__startswith=ids).delete()
    with CaptureQueriesContext(connection) as queries:
        changes = services.roll_follow(world.cell_b)
    assert len([c for c in changes if c.meeting_id == meeting.pk and c.change == "added"]) == n
    return len(queries)


def test_the_roll_is_followed_in_a_bounded_number_of_queries_whatever_the_number_of_members(world, five):
    few = _roll_queries(world, 3, "0010880006")
    Meeting.objects.filter(organisation=world.cell_b).update(status="cancelled")
    many = _roll_queries(world, 25, "0010880007")
    assert few == many and many <= 16, (few, many)


# --- The vote's denominator (issue 20 §2, walk-through M3) -----------------------------------------


def test_the_page_shows_how_the_denominator_is_made_and_the_secretary_records_the_approval(world, five):
    # The walk-through's cell: 10 full members, one absent with a reason.
    for i, name in enumerate(NAMES):
        full(admit_member(world.cell_b, name, f"00107500020{i}"))
    meeting = plan(world, held=True)
    away = meeting.attendees.get(name="Đỗ Thị Mai")
    client = client_for("office")

    def record(approved: bool) -> str:
        form = {f"p{a.pk}": "present" for a in meeting.attendees.all()}
        form |= {f"p{away.pk}": "excused", f"r{away.pk}": "Đi công tác"}
        if approved:
            form[f"a{away.pk}"] = "on"
        response = client.post(reverse("meetings:attendance", args=[meeting.pk]), form)
        assert response.status_code == 302
        return client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()

    page = record(approved=True)
    assert "Số có quyền biểu quyết: 9 = 10 đảng viên chính thức − 1 vắng có lý do được chi ủy đồng ý" in page
    away.refresh_from_db()
    assert away.absence_approved
    # an admission of 6 for and 2 against: two thirds of 9 is 6, passed
    vote = services.vote_record(
        actor=world.users["office"],
        meeting=meeting,
        subject="Kết nạp",
        matter="admission",
        yes=6,
        no=2,
        abstain=0,
    )
    assert (vote.voters, vote.required, vote.passed) == (9, 6, True)
    services.vote_remove(actor=world.users["office"], vote=vote, reason="Nhập thử")

    # Without the chi ủy's approval the absent member stays among the 10: 7 needed, not passed.
    page = record(approved=False)
    assert (
        "Số có quyền biểu quyết: 10 = 10 đảng viên chính thức (1 vắng có lý do chưa được chi ủy đồng ý"
        in page
    )
    vote = services.vote_record(
        actor=world.users["office"],
        meeting=meeting,
        subject="Kết nạp",
        matter="admission",
        yes=6,
        no=2,
        abstain=0,
    )
    assert (vote.voters, vote.required, vote.passed) == (10, 7, False)


def test_a_death_removes_the_member_from_every_meeting_planned_ahead_with_a_note(world, five):
    meetings = [plan(world, days=3), plan(world, days=34)]
    today = timezone.localdate()
    member_services.member_record_event(actor=None, member=five[4], kind="died", on=today)
    for meeting in meetings:
        assert "Đinh Thị Hoa" not in people(meeting)
        [note] = meeting.roll_changes.all()
        assert services.roll_note(note) == f"Đã bỏ đồng chí Đinh Thị Hoa (từ trần ngày {format_date(today)})"
