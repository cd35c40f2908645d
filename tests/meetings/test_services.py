"""Meeting services: planning and summoning, attendance and validity, votes, minutes, signatures
and the seal — every refusal in Vietnamese, naming the field, changing nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from dangbo.core import audit
from dangbo.core.models import AuditEvent
from dangbo.meetings import services
from dangbo.meetings.models import Attendee, Meeting, Minutes
from tests.helpers import refused
from tests.meetings.conftest import HOUR, mark, plan

pytestmark = pytest.mark.django_db


def minutes_input(**extra):
    now = timezone.now()
    return services.MinutesInput(
        opened_at=extra.pop("opened_at", now - 2 * HOUR),
        closed_at=extra.pop("closed_at", now - HOUR),
        proceedings=extra.pop("proceedings", "Đồng chí Bí thư khai mạc; thông qua chương trình."),
        conclusions=extra.pop("conclusions", "Chi bộ thống nhất triển khai nhiệm vụ tháng tới."),
        **extra,
    )


def held_meeting(world, cell, **absent):
    meeting = plan(world, cell, held=True)
    services.attendance_record(actor=world.users["secretary"], meeting=meeting, marks=mark(meeting, **absent))
    return meeting


# --- Planning ------------------------------------------------------------------------------------


def test_planning_a_cell_meeting_summons_its_members_in_activity(world, cell):
    meeting = plan(world, cell)
    people = {a.name: (a.counted, a.voting, a.presence) for a in meeting.attendees.all()}
    # six full members vote; the probationary member is summoned but does not vote; cell B is not here
    assert len(people) == 7 and people["Bùi Thị Khánh"] == (True, False, "invited")
    assert people["Lê Thị Cúc"] == (True, True, "invited") and "Vũ Văn Giang" not in people
    # the title is data printed on the minutes: Vietnamese whatever the planner's page language
    month = timezone.localtime(meeting.starts_at).strftime("%m/%Y")
    assert meeting.title == f"Sinh hoạt chi bộ thường kỳ tháng {month}"
    event = AuditEvent.objects.latest("seq")
    assert event.action == "meeting.plan" and len(event.after["summoned"]) == 7
    assert event.party_path == world.cell_a.path


def test_attendees_are_listed_in_vietnamese_name_order(world, cell):
    names = [a.name for a in plan(world, cell).attendees.all()]
    # by given name: Bình, Cúc, Dũng, Em, Hải, Khánh, Lan
    assert names == [
        "Trần Văn Bình",
        "Lê Thị Cúc",
        "Phạm Văn Dũng",
        "Hoàng Thị Em",
        "Đỗ Văn Hải",
        "Bùi Thị Khánh",
        "Nguyễn Thị Lan",
    ]


def test_a_meeting_planned_in_the_past_is_refused(world, cell):
    message = refused("starts_at", plan, world, cell, starts_at=timezone.now() - HOUR)
    assert "đã qua" in message and "đã họp" in message
    assert not Meeting.objects.exists()


def test_a_meeting_planned_for_an_hour_already_past_today_says_the_hour_has_passed_not_the_day(world, cell):
    now = timezone.localtime()
    earlier = (
        now - dt.timedelta(minutes=30) if now.hour or now.minute >= 30 else now - dt.timedelta(minutes=1)
    )
    message = refused("starts_at", plan, world, cell, starts_at=earlier)
    assert f"Giờ {earlier:%H:%M} hôm nay ({now:%d/%m/%Y}) đã qua" in message
    yesterday = refused("starts_at", plan, world, cell, starts_at=now - dt.timedelta(days=1))
    assert f"Ngày {(now - dt.timedelta(days=1)):%d/%m/%Y} đã qua" in yesterday and "hôm nay" not in yesterday


@pytest.mark.parametrize(
    ("field", "fields"),
    [
        ("kind", {"kind": "tea_party"}),
        ("topic", {"kind": "cell_thematic", "topic": "  "}),
        ("online_url", {"online_url": "javascript:alert(1)"}),
        ("secretary", {"secretary": None, "chair": None, "title": "x" * 301}),
        ("ends_at", {"ends_at": timezone.now() - dt.timedelta(days=300)}),
    ],
)
def test_bad_plans_are_refused(world, cell, field, fields):
    if field == "secretary":
        fields = {"secretary": cell.members["chair"].person}
    refused(field, plan, world, cell, **fields)
    assert not Meeting.objects.exists()


def test_a_cell_meeting_needs_a_cell_and_a_secretary_plans_only_in_their_cell(world, cell):
    refused("kind", plan, world, cell, organisation=world.grassroots, actor=world.users["office"])
    with pytest.raises(PermissionDenied):
        plan(world, cell, organisation=world.cell_b)
    with pytest.raises(PermissionDenied):
        plan(world, cell, actor=world.users["member"])
    assert plan(world, cell, organisation=world.cell_b, actor=world.users["office"]).attendees.count() == 1


# --- Attendance and validity -------------------------------------------------------------------


def test_attendance_makes_the_meeting_valid_and_held(world, cell):
    meeting = plan(world, cell, held=True)
    assert not services.validity(meeting).valid  # nobody recorded yet
    services.attendance_record(
        actor=world.users["secretary"],
        meeting=meeting,
        marks=mark(
            meeting, **{"Lê Thị Cúc": "excused", "Phạm Văn Dũng": "unexcused", "Hoàng Thị Em": "exempt"}
        ),
    )
    meeting.refresh_from_db()
    v = services.validity(meeting)
    # 7 summoned, the exempt member stayed away: 6 count, 4 present, more than half is 4.
    assert (v.summoned, v.present, v.required, v.valid) == (6, 4, 4, True)
    assert meeting.status == Meeting.Status.HELD
    assert Attendee.objects.get(meeting=meeting, name="Lê Thị Cúc").reason == "Đi công tác"


def test_attendance_for_someone_not_invited_is_refused(world, cell):
    meeting = plan(world, cell, held=True)
    other = plan(world, cell, organisation=world.cell_b, actor=world.users["office"], held=True)
    stranger = other.attendees.get()
    marks = mark(meeting) | {stranger.pk: ("present", "")}
    message = refused(
        "attendees", services.attendance_record, actor=world.users["secretary"], meeting=meeting, marks=marks
    )
    assert "không được mời" in message
    assert not meeting.attendees.exclude(presence="invited").exists()


def test_an_excused_absence_needs_its_reason_and_attendance_waits_for_the_day(world, cell):
    meeting = plan(world, cell, held=True)
    marks = mark(meeting)
    first = next(iter(marks))
    marks[first] = ("excused", " ")
    assert "lý do" in refused(
        "attendees", services.attendance_record, actor=world.users["secretary"], meeting=meeting, marks=marks
    )
    future = plan(world, cell)
    assert "vào ngày họp" in refused(
        "meeting",
        services.attendance_record,
        actor=world.users["secretary"],
        meeting=future,
        marks=mark(future),
    )


def test_guests_are_invited_but_never_counted_and_members_must_belong_to_the_cell(world, cell):
    meeting = plan(world, cell)
    guest = services.attendee_add(
        actor=world.users["secretary"],
        meeting=meeting,
        name="Đồng chí Ngô Văn Long",
        post="Phó Bí thư Đảng ủy cấp trên",
    )
    assert (guest.counted, guest.voting) == (False, False)
    outsider = cell.members["b1"].person
    message = refused(
        "person",
        services.attendee_add,
        actor=world.users["office"],
        meeting=meeting,
        person=outsider,
        member=True,
    )
    assert "Vũ Văn Giang" in message and "Chi bộ Văn phòng" in message
    assert "đã được mời" in refused(
        "person",
        services.attendee_add,
        actor=world.users["secretary"],
        meeting=meeting,
        person=cell.members["a3"].person,
    )


# --- Votes ---------------------------------------------------------------------------------------


def test_a_vote_is_computed_from_attendance_and_the_matter(world, cell):
    meeting = held_meeting(world, cell, **{"Lê Thị Cúc": "approved", "Phạm Văn Dũng": "unexcused"})
    # 6 full members, one absent with a reason the chi ủy approved (not counted): 5 voters, 4 present.
    vote = services.vote_record(
        actor=world.users["secretary"],
        meeting=meeting,
        subject="Đề nghị kết nạp quần chúng Ngô Thị Mai",
        matter="admission",
        yes=3,
        no=1,
        abstain=0,
    )
    # two thirds of 5 is 4: 3 hands for is not enough
    assert (vote.voters, vote.present, vote.rule, vote.required, vote.passed) == (
        5,
        4,
        "two_thirds",
        4,
        False,
    )
    resolution = services.vote_record(
        actor=world.users["secretary"],
        meeting=meeting,
        subject="Nghị quyết tháng",
        matter="resolution",
        yes=3,
        no=0,
        abstain=1,
    )
    assert (resolution.required, resolution.passed) == (3, True)


def test_an_excused_absence_the_committee_did_not_approve_stays_in_the_denominator(world, cell):
    # QĐ 24 mục 9.3.2: left out only "có lý do chính đáng được cấp ủy triệu tập đồng ý".
    meeting = held_meeting(world, cell, **{"Lê Thị Cúc": "excused", "Phạm Văn Dũng": "unexcused"})
    vote = services.vote_record(
        actor=world.users["secretary"],
        meeting=meeting,
        subject="Đề nghị kết nạp quần chúng Ngô Thị Mai",
        matter="admission",
        yes=4,
        no=0,
        abstain=0,
    )
    # 6 voting members: two thirds is 4, and 4 of the 4 present voted for
    assert (vote.voters, vote.present, vote.required, vote.passed) == (6, 4, 4, True)
    counted = services.voting_members(meeting)
    assert (counted.full, counted.excused_out, counted.excused_kept, counted.voters) == (6, 0, 1, 6)
    assert services.voters_explanation(meeting, counted) == (
        "6 = 6 đảng viên chính thức (1 vắng có lý do chưa được chi ủy đồng ý: vẫn tính vào số có quyền "
        "biểu quyết)"
    )
    # The secretary records the chi ủy's approval: 5 voting members from now on.
    cuc = meeting.attendees.get(name="Lê Thị Cúc")
    services.attendance_record(
        actor=world.users["secretary"], meeting=meeting, marks={cuc.pk: ("excused", "Đi công tác", True)}
    )
    counted = services.voting_members(meeting)
    assert services.voters_explanation(meeting, counted) == (
        "5 = 6 đảng viên chính thức − 1 vắng có lý do được chi ủy đồng ý"
    )
    event = AuditEvent.objects.filter(action="meeting.attendance").latest("seq")
    assert event.after == {"attendance": {str(cuc.pk): ["excused", "Đi công tác", "approved"]}}


def test_more_hands_than_members_present_are_refused(world, cell):
    meeting = held_meeting(world, cell, **{"Lê Thị Cúc": "excused"})
    message = refused(
        "yes",
        services.vote_record,
        actor=world.users["secretary"],
        meeting=meeting,
        subject="Nghị quyết",
        matter="resolution",
        yes=4,
        no=1,
        abstain=1,
    )
    assert "6" in message and "5" in message
    assert not meeting.votes.exists()


def test_a_vote_waits_for_the_attendance(world, cell):
    meeting = plan(world, cell, held=True)
    refused(
        "meeting",
        services.vote_record,
        actor=world.users["secretary"],
        meeting=meeting,
        subject="NQ",
        matter="resolution",
        yes=1,
        no=0,
        abstain=0,
    )
    refused(
        "matter",
        services.vote_record,
        actor=world.users["secretary"],
        meeting=held_meeting(world, cell),
        subject="NQ",
        matter="whatever",
        yes=1,
        no=0,
        abstain=0,
    )


# --- Minutes, signatures, seal -----------------------------------------------------------------


def sealed_meeting(world, cell):
    meeting = held_meeting(world, cell)
    services.agenda_add(
        actor=world.users["secretary"],
        meeting=meeting,
        title="Đánh giá kết quả tháng",
        presenter=cell.members["chair"].person,
    )
    services.vote_record(
        actor=world.users["secretary"],
        meeting=meeting,
        subject="Nghị quyết tháng",
        matter="resolution",
        yes=6,
        no=0,
        abstain=0,
    )
    services.minutes_save(actor=cell.secretary_user, meeting=meeting, data=minutes_input())
    services.minutes_sign(actor=cell.secretary_user, meeting=meeting)
    services.minutes_sign(actor=cell.chair_user, meeting=meeting)
    return meeting


def test_minutes_are_sealed_when_the_chair_and_the_secretary_sign_the_same_text(world, cell):
    meeting = held_meeting(world, cell)
    minutes = services.minutes_save(actor=cell.secretary_user, meeting=meeting, data=minutes_input())
    assert minutes.chair_name == "Trần Văn Bình" and minutes.place == "Phòng họp tầng 3"
    services.minutes_sign(actor=cell.secretary_user, meeting=meeting)
    # the text changes after the secretary signed: that signature no longer counts
    services.minutes_save(
        actor=cell.chair_user, meeting=meeting, data=minutes_input(discussion="Ý kiến bổ sung.")
    )
    minutes = services.minutes_sign(actor=cell.chair_user, meeting=meeting)
    assert not minutes.sealed
    state = services.signature_state(meeting, minutes)
    assert state.chair and state.secretary_stale and not state.secretary
    minutes = services.minutes_sign(actor=cell.secretary_user, meeting=meeting)
    assert minutes.sealed and minutes.content_hash == state.current_hash
    event = AuditEvent.objects.latest("seq")
    assert event.action == "minutes.seal" and event.after["content_hash"] == minutes.content_hash
    assert list(audit.verify_seals()) == []


def test_signing_twice_is_refused_and_asks_the_other_signer_once_and_sealing_closes_the_requests(world, cell):
    """The walk-through: the "Ký với tư cách chủ trì" button stayed after signing, a second click sent a
    second "Biên bản chờ ký", and after the seal those notifications still said "chờ ký" and counted as new."""
    from dangbo.handbook.models import Notification
    from dangbo.handbook.selectors import unread_count

    meeting = held_meeting(world, cell)
    services.minutes_save(actor=cell.secretary_user, meeting=meeting, data=minutes_input())
    services.minutes_sign(actor=cell.chair_user, meeting=meeting)
    events = AuditEvent.objects.count()
    with translation.override("vi"), pytest.raises(ValidationError) as exc:
        services.minutes_sign(actor=cell.chair_user, meeting=meeting)
    assert (
        "đã ký bản biên bản này lúc" in " ".join(exc.value.messages) and AuditEvent.objects.count() == events
    )
    requests = Notification.objects.filter(user=cell.secretary_user, kind=Notification.Kind.MINUTES_SIGN)
    assert requests.count() == 1 and unread_count(cell.secretary_user) == 1
    # the text changes, the chair signs again: the secretary's request still waits, no second one
    services.minutes_save(
        actor=cell.secretary_user, meeting=meeting, data=minutes_input(discussion="Bổ sung.")
    )
    services.minutes_sign(actor=cell.chair_user, meeting=meeting)
    assert requests.count() == 1
    services.minutes_sign(actor=cell.secretary_user, meeting=meeting)
    request = requests.get()
    assert request.read_at is not None and request.title.startswith("Biên bản đã ký đủ và niêm phong")
    assert unread_count(cell.secretary_user) == 0


def test_a_signature_given_on_paper_is_dated_within_the_meeting_and_never_in_the_future(world, cell):
    meeting = plan(world, cell, held=True, ends_at=timezone.now() - HOUR)
    services.attendance_record(actor=world.users["secretary"], meeting=meeting, marks=mark(meeting))
    services.minutes_save(actor=cell.secretary_user, meeting=meeting, data=minutes_input())
    for at in (meeting.ends_at - dt.timedelta(minutes=1), timezone.now() + dt.timedelta(minutes=1)):
        with pytest.raises(ValidationError):
            services.minutes_sign(actor=cell.secretary_user, meeting=meeting, at=at)
    assert not Minutes.objects.get(meeting=meeting).secretary_signed_at
    closed = meeting.ends_at + dt.timedelta(minutes=10)
    services.minutes_sign(actor=cell.secretary_user, meeting=meeting, at=closed)
    minutes = services.minutes_sign(
        actor=cell.chair_user, meeting=meeting, at=closed + dt.timedelta(minutes=5)
    )
    assert minutes.secretary_signed_at == closed and minutes.sealed_at == closed + dt.timedelta(minutes=5)
    assert list(audit.verify_seals()) == []


def test_only_the_chair_or_the_secretary_signs(world, cell):
    meeting = held_meeting(world, cell)
    services.minutes_save(actor=world.users["secretary"], meeting=meeting, data=minutes_input())
    for user in (world.users["secretary"], world.users["office"], world.users["member"]):
        with translation.override("vi"), pytest.raises(ValidationError) as caught:
            services.minutes_sign(actor=user, meeting=meeting)
        assert "Trần Văn Bình" in caught.value.messages[0] and "Nguyễn Thị Lan" in caught.value.messages[0]
    assert not Minutes.objects.get(meeting=meeting).chair_signed_hash


def test_every_service_refuses_to_change_a_sealed_meeting(world, cell):
    meeting = sealed_meeting(world, cell)
    secretary = world.users["secretary"]
    attendee = meeting.attendees.first()
    calls = [
        lambda: services.minutes_save(
            actor=cell.secretary_user, meeting=meeting, data=minutes_input(conclusions="Khác")
        ),
        lambda: services.attendance_record(
            actor=secretary, meeting=meeting, marks={attendee.pk: ("unexcused", "")}
        ),
        lambda: services.vote_record(
            actor=secretary, meeting=meeting, subject="Thêm", matter="resolution", yes=1, no=0, abstain=0
        ),
        lambda: services.vote_remove(actor=secretary, vote=meeting.votes.first(), reason="Nhầm"),
        lambda: services.agenda_add(actor=secretary, meeting=meeting, title="Thêm mục"),
        lambda: services.agenda_remove(actor=secretary, item=meeting.agenda.first()),
        lambda: services.attendee_add(actor=secretary, meeting=meeting, name="Khách"),
        lambda: services.meeting_cancel(actor=secretary, meeting=meeting, reason="Nhầm"),
        lambda: services.minutes_sign(actor=cell.chair_user, meeting=meeting),
    ]
    events = AuditEvent.objects.count()
    for call in calls:
        with translation.override("vi"), pytest.raises(ValidationError) as caught:
            call()
        assert "niêm phong" in " ".join(caught.value.messages)
    assert AuditEvent.objects.count() == events
    assert list(audit.verify_seals()) == []


def test_a_correction_is_appended_signed_and_sealed(world, cell):
    meeting = sealed_meeting(world, cell)
    addendum = services.addendum_add(
        actor=cell.chair_user, meeting=meeting, text="Sửa tên đồng chí phát biểu.", reason="Ghi nhầm tên"
    )
    assert (addendum.number, addendum.capacity, addendum.signer_name) == (1, "chair", "Trần Văn Bình")
    assert (
        services.addendum_add(
            actor=cell.secretary_user, meeting=meeting, text="Bổ sung.", reason="Thiếu"
        ).number
        == 2
    )
    assert list(audit.verify_seals()) == []
    refused("reason", services.addendum_add, actor=cell.chair_user, meeting=meeting, text="X", reason="")
    with pytest.raises(ValidationError):
        services.addendum_add(actor=world.users["office"], meeting=meeting, text="X", reason="Y")


def test_a_correction_to_draft_minutes_is_refused(world, cell):
    meeting = held_meeting(world, cell)
    services.minutes_save(actor=cell.secretary_user, meeting=meeting, data=minutes_input())
    assert "chưa được niêm phong" in refused(
        "text", services.addendum_add, actor=cell.chair_user, meeting=meeting, text="X", reason="Y"
    )
