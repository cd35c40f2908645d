"""The handbook's writes: invitations reach the people summoned in the app and by e-mail, changes and
cancellations follow, the other signer is asked to sign; opinions go to the committee office above
the cell and come back answered; requests to correct a record reach its keepers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from dangbo.core.models import AuditEvent
from dangbo.handbook import services
from dangbo.handbook.models import CorrectionRequest, Notification, Opinion
from dangbo.meetings import services as meeting_services
from tests.documents.conftest import outside
from tests.helpers import refused
from tests.meetings.conftest import mark, plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def emails(world, cell):
    """Addresses for the chair, the minutes secretary, the office and the cell secretary."""
    for user, address in (
        (cell.chair_user, "chair@demo.dangbo.example"),
        (cell.secretary_user, "minutes@demo.dangbo.example"),
        (world.users["office"], "office@demo.dangbo.example"),
        (world.users["secretary"], "secretary@demo.dangbo.example"),
    ):
        user.email = address
        user.save(update_fields=["email"])


def _titles(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_an_invitation_reaches_everybody_summoned_with_a_login_once(
    world, cell, emails, django_capture_on_commit_callbacks
):
    document = outside(world.tct, "09-CTr/ĐUK", dt.date(2021, 11, 11), summary="Chương trình hành động")
    meeting = plan(world, cell)
    meeting_services.agenda_add(
        actor=world.users["secretary"], meeting=meeting, title="Quán triệt chương trình", documents=[document]
    )
    with django_capture_on_commit_callbacks(execute=True):
        told = meeting_services.meeting_invite(actor=world.users["secretary"], meeting=meeting)
    # Seven members are summoned; two of them (the chair and the minutes secretary) have a login.
    assert told == 2
    meeting.refresh_from_db()
    assert meeting.invited_at is not None
    [notification] = Notification.objects.filter(user=cell.chair_user)
    assert notification.kind == "meeting_invite"
    assert meeting.title in notification.title
    assert "09-CTr/ĐUK" in notification.body and "Phòng họp tầng 3" in notification.body
    assert notification.url == f"/so-tay/hop/{meeting.pk}/"
    assert sorted(m.to[0] for m in mail.outbox) == [
        "chair@demo.dangbo.example",
        "minutes@demo.dangbo.example",
    ]
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2
    [(name, content, mimetype)] = mail.outbox[0].attachments  # the calendar event, for a phone's calendar
    assert (name, mimetype) == ("giay-moi.ics", "text/calendar")
    assert "BEGIN:VEVENT" in content and f"UID:meeting-{meeting.pk}@" in content
    assert AuditEvent.objects.filter(action="meeting.invite", object_id=str(meeting.pk)).count() == 1

    first = meeting.invited_at
    with django_capture_on_commit_callbacks(execute=True):
        meeting_services.meeting_invite(actor=world.users["secretary"], meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.invited_at == first  # "documents sent ahead" counts the first sending
    assert Notification.objects.filter(user=cell.chair_user).count() == 2


def test_in_the_app_only_when_asked_and_nothing_for_a_refused_invitation(world, cell, emails):
    meeting = plan(world, cell)
    meeting_services.meeting_invite(actor=world.users["secretary"], meeting=meeting, email=False)
    assert mail.outbox == [] and Notification.objects.count() == 2

    past = plan(world, cell, held=True)
    message = refused(
        "meeting", meeting_services.meeting_invite, actor=world.users["secretary"], meeting=past
    )
    assert "đã bắt đầu" in message
    cancelled = plan(world, cell, starts_at=timezone.now() + dt.timedelta(days=3))
    meeting_services.meeting_cancel(actor=world.users["secretary"], meeting=cancelled, reason="Trùng lịch")
    assert "hủy" in refused(
        "meeting", meeting_services.meeting_invite, actor=world.users["secretary"], meeting=cancelled
    )
    with pytest.raises(PermissionDenied):
        meeting_services.meeting_invite(actor=cell.chair_user, meeting=meeting)  # a member does not invite
    with pytest.raises(PermissionDenied):  # a user never back-dates a sending
        meeting_services.meeting_invite(
            actor=world.users["secretary"], meeting=meeting, sent_at=timezone.now()
        )
    assert Notification.objects.count() == 2


def test_those_invited_hear_of_a_new_time_and_of_a_cancellation(world, cell):
    meeting = plan(world, cell)
    meeting_services.meeting_update(  # not invited yet: nobody is told
        actor=world.users["secretary"],
        meeting=meeting,
        data=meeting_services.MeetingInput(
            kind="cell_regular", starts_at=meeting.starts_at + dt.timedelta(hours=1), place="Hội trường"
        ),
    )
    assert Notification.objects.count() == 0
    meeting_services.meeting_invite(actor=world.users["secretary"], meeting=meeting)
    meeting_services.meeting_update(
        actor=world.users["secretary"],
        meeting=meeting,
        data=meeting_services.MeetingInput(
            kind="cell_regular", starts_at=meeting.starts_at + dt.timedelta(days=1), place="Hội trường"
        ),
    )
    meeting_services.meeting_cancel(
        actor=world.users["secretary"], meeting=meeting, reason="Lãnh đạo đi công tác"
    )
    kinds = list(
        Notification.objects.filter(user=cell.chair_user).order_by("pk").values_list("kind", flat=True)
    )
    assert kinds == ["meeting_invite", "meeting_change", "meeting_cancel"]
    assert (
        Notification.objects.get(user=cell.chair_user, kind="meeting_cancel").body == "Lãnh đạo đi công tác"
    )


def test_the_first_signature_asks_the_other_signer(world, cell):
    meeting = plan(world, cell, held=True)
    meeting_services.attendance_record(actor=world.users["secretary"], meeting=meeting, marks=mark(meeting))
    meeting_services.minutes_save(
        actor=world.users["secretary"],
        meeting=meeting,
        data=meeting_services.MinutesInput(
            opened_at=meeting.starts_at, closed_at=None, conclusions="Thống nhất."
        ),
    )
    meeting_services.minutes_sign(actor=cell.secretary_user, meeting=meeting)
    assert [n.kind for n in Notification.objects.filter(user=cell.chair_user)] == ["minutes_sign"]
    meeting_services.minutes_sign(actor=cell.chair_user, meeting=meeting)
    assert Notification.objects.filter(user=cell.secretary_user).count() == 0  # sealed: nobody to ask


# --- Opinions ------------------------------------------------------------------------------------


def test_an_opinion_goes_to_the_office_above_the_cell_and_its_answer_comes_back(world, cell, emails):
    member = cell.chair_user
    opinion = services.opinion_send(actor=member, subject="Giờ sinh hoạt", text="Đề nghị họp sau 16 giờ.")
    assert (opinion.status, opinion.sender_name, opinion.organisation) == (
        "sent",
        "Trần Văn Bình",
        world.cell_a,
    )
    # The committee office of the Tổng công ty (above cell A) is told; the cell's own secretary, the
    # leader, the administrator and an office elsewhere are not.
    told = set(Notification.objects.filter(kind="opinion").values_list("user__username", flat=True))
    assert told == {"office"}
    assert "Giờ sinh hoạt" in _titles(world.users["office"])[0]

    services.opinion_receive(actor=world.users["office"], opinion=opinion)
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.RECEIVED
    services.opinion_answer(
        actor=world.users["office"], opinion=opinion, answer="Chi bộ bố trí họp lúc 16 giờ 30."
    )
    opinion.refresh_from_db()
    assert (opinion.status, opinion.answer) == ("answered", "Chi bộ bố trí họp lúc 16 giờ 30.")
    [answer] = Notification.objects.filter(user=member, kind="opinion_answer")
    assert answer.body == "Chi bộ bố trí họp lúc 16 giờ 30."
    assert "đã được trả lời" in refused(
        "answer", services.opinion_answer, actor=world.users["office"], opinion=opinion, answer="Lần hai"
    )
    for stranger in ("secretary", "outsider", "sysadmin", "leader"):
        with pytest.raises(PermissionDenied):
            services.opinion_answer(actor=world.users[stranger], opinion=opinion, answer="Không có quyền")
    with pytest.raises(PermissionDenied):
        services.opinion_answer(actor=member, opinion=opinion, answer="Tự trả lời")


def test_an_empty_opinion_or_one_from_a_login_without_a_record_is_refused(world, cell):
    assert "tiêu đề" in refused(
        "subject", services.opinion_send, actor=cell.chair_user, subject=" ", text="Nội dung"
    )
    assert "ý kiến" in refused(
        "text", services.opinion_send, actor=cell.chair_user, subject="Tiêu đề", text=""
    )
    assert "hồ sơ đảng viên" in refused(
        "subject", services.opinion_send, actor=world.users["norole"], subject="Tiêu đề", text="Nội dung"
    )
    assert "10.000" in refused(
        "text", services.opinion_send, actor=cell.chair_user, subject="Tiêu đề", text="a" * 10_001
    )
    assert Opinion.objects.count() == 0 and Notification.objects.count() == 0


# --- Corrections ---------------------------------------------------------------------------------


def test_a_correction_request_reaches_the_record_keepers_and_its_answer_the_member(world, cell):
    member = cell.chair_user
    request = services.correction_request(
        actor=member, field="hometown", requested_value="Xã Yên Trung, Hà Nội", reason="Theo giấy khai sinh"
    )
    assert request.current_value == "" and request.status == "sent"
    told = set(Notification.objects.filter(kind="correction").values_list("user__username", flat=True))
    assert told == {"secretary", "office", "sysadmin"}  # who may change the records of cell A
    assert "đã đề nghị" in refused(
        "field", lambda: services.correction_request(actor=member, field="hometown", requested_value="Khác")
    )
    assert "lý do" in refused(
        "answer", services.correction_handle, actor=world.users["secretary"], request=request, done=False
    )
    with pytest.raises(PermissionDenied):
        services.correction_handle(actor=member, request=request, done=True)
    with pytest.raises(PermissionDenied):
        services.correction_handle(actor=world.users["outsider"], request=request, done=True)
    services.correction_handle(actor=world.users["secretary"], request=request, done=True, answer="Đã sửa.")
    request.refresh_from_db()
    assert (request.status, request.handled_by) == (CorrectionRequest.Status.DONE, world.users["secretary"])
    [answer] = Notification.objects.filter(user=member, kind="correction_answer")
    assert "Quê quán" in answer.title


def test_a_correction_that_changes_nothing_or_names_no_field_is_refused(world, cell):
    member = cell.chair_user
    birth = cell.members["chair"].person.birth_date

    def ask(field: str, value: str):
        return lambda: services.correction_request(actor=member, field=field, requested_value=value)

    assert "đã ghi" in refused("requested_value", ask("birth_date", birth.strftime("%d/%m/%Y")))
    assert "chọn" in refused("field", ask("national_id", "001075000009"))
    refused("requested_value", ask("hometown", " "))
    assert CorrectionRequest.objects.count() == 0


# --- Bookmarks and notes -------------------------------------------------------------------------


def test_bookmarks_toggle_and_stay_on_this_site(world, cell):
    user = cell.chair_user
    kept = services.bookmark_toggle(actor=user, url="/so-tay/hop/1/", title="Họp chi bộ")
    assert kept is not None and kept.title == "Họp chi bộ"
    assert services.bookmark_toggle(actor=user, url="/so-tay/hop/1/", title="Họp chi bộ") is None
    for url in ("https://example.com/", "//example.com/x", "javascript:alert(1)"):
        refused("url", services.bookmark_toggle, actor=user, url=url, title="x")


def test_a_note_is_its_owners_alone_and_its_text_stays_out_of_the_audit_chain(world, cell):
    note = services.note_save(actor=cell.chair_user, title="Ý kiến", text="Điều riêng tư")
    event = AuditEvent.objects.get(action="handbook.note_save")
    assert "Điều riêng tư" not in str(event.after) and event.after == {"length": 13}
    with pytest.raises(PermissionDenied):
        services.note_save(actor=cell.secretary_user, note=note, text="Sửa trộm")
    with pytest.raises(PermissionDenied):
        services.note_delete(actor=cell.secretary_user, note=note)
    refused("text", services.note_save, actor=cell.chair_user, text="   ")


def test_an_invitation_names_a_confidential_agenda_document_by_its_symbol_only(world, cell, emails):
    """A security review found the invitation carried the summary of every agenda document to every person
    summoned, confidential ones too; the handbook already shows those by symbol only."""
    secret = outside(
        world.tct, "12-CV/TW", dt.date(2026, 1, 5), summary="Nội dung mật về nhân sự", secrecy="secret"
    )
    ordinary = outside(world.tct, "09-CTr/ĐUK", dt.date(2021, 11, 11), summary="Chương trình hành động")
    meeting = plan(world, cell)
    meeting_services.agenda_add(actor=None, meeting=meeting, title="Quán triệt", documents=[secret, ordinary])
    meeting_services.meeting_invite(actor=world.users["secretary"], meeting=meeting, email=False)
    body = Notification.objects.filter(user=cell.chair_user).get().body
    assert (
        "12-CV/TW" in body
        and "Nội dung mật về nhân sự" not in body
        and "văn bản mật: nghiên cứu tại cuộc họp" in body
    )
    assert "09-CTr/ĐUK Chương trình hành động" in body
