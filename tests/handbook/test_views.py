"""The handbook as a member uses it on a phone: the first page, meetings with their documents, private
notes, an opinion and its answer, a correction request, notifications, display settings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangbo.handbook import services
from dangbo.handbook.models import CorrectionRequest, Note, Notification, Opinion
from dangbo.meetings import services as meeting_services
from tests.documents.conftest import outside
from tests.helpers import client_for
from tests.meetings.conftest import mark, plan

pytestmark = pytest.mark.django_db


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_member_lands_in_the_handbook_an_office_in_the_party_tree(world, cell):
    assert _as(cell.chair_user).get("/")["Location"] == reverse("handbook:home")
    assert client_for("office").get("/")["Location"] == reverse("orgs:org_tree")
    assert client_for("secretary").get("/")["Location"] == reverse("orgs:org_tree")


def test_the_first_page_shows_the_next_meeting_with_its_documents_and_the_news(
    world, cell, django_assert_max_num_queries
):
    document = outside(world.tct, "09-CTr/ĐUK", dt.date(2021, 11, 11), summary="Chương trình hành động")
    meeting = plan(world, cell, title="Sinh hoạt chi bộ tháng 12")
    meeting_services.agenda_add(
        actor=world.users["secretary"], meeting=meeting, title="Quán triệt", documents=[document]
    )
    meeting_services.meeting_invite(actor=world.users["secretary"], meeting=meeting, email=False)
    client = _as(cell.chair_user)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("handbook:home")).content.decode()
    assert "Chào đồng chí" in page
    assert "Sinh hoạt chi bộ tháng 12" in page and "09-CTr/ĐUK" in page
    assert "1 thông báo mới" in page
    assert "Chi bộ Văn phòng" in page

    # The page does not read more as the meetings pile up.
    for day in range(2, 8):
        other = plan(world, cell, starts_at=timezone.now() + dt.timedelta(days=day * 5))
        meeting_services.agenda_add(
            actor=world.users["secretary"], meeting=other, title="Việc", documents=[document]
        )
    with django_assert_max_num_queries(20) as queries:
        client.get(reverse("handbook:home"))
    before = len(queries.captured_queries)
    plan(world, cell, starts_at=timezone.now() + dt.timedelta(days=60))
    with django_assert_max_num_queries(before):
        client.get(reverse("handbook:home"))


def test_my_meetings_show_what_is_coming_and_how_i_attended(world, cell):
    held = plan(world, cell, held=True, title="Họp tháng trước")
    meeting_services.attendance_record(
        actor=world.users["secretary"], meeting=held, marks=mark(held, **{"Trần Văn Bình": "excused"})
    )
    plan(world, cell, title="Họp tháng tới")
    page = _as(cell.chair_user).get(reverse("handbook:meetings")).content.decode()
    assert "Họp tháng tới" in page and "Họp tháng trước" in page
    assert "Vắng có lý do" in page


def test_a_guest_from_elsewhere_opens_the_meeting_a_stranger_does_not(world, cell):
    from dangbo.orgs import services as org_services
    from tests.conftest import make_user

    guest_user = make_user("guest")
    guest = org_services.person_create(actor=None, full_name="Vũ Thị Khách", organisation=world.other_cell)
    org_services.person_link_user(actor=None, person=guest, user=guest_user)
    meeting = plan(world, cell)
    meeting_services.attendee_add(
        actor=world.users["secretary"], meeting=meeting, person=guest, post="Đại biểu"
    )
    url = reverse("handbook:meeting", args=[meeting.pk])
    page = _as(guest_user).get(url).content.decode()
    assert "được mời dự" in page
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("norole").get(url).status_code == 404


def test_private_notes_on_a_meeting_are_the_writers_alone(world, cell):
    meeting = plan(world, cell)
    client = _as(cell.chair_user)
    response = client.post(
        reverse("handbook:meeting_note", args=[meeting.pk]),
        {"title": "", "text": "Chuẩn bị ý kiến về kế hoạch"},
    )
    assert response.status_code == 302
    note = Note.objects.get()
    assert note.meeting == meeting and note.user == cell.chair_user
    assert (
        "Chuẩn bị ý kiến về kế hoạch"
        in client.get(reverse("handbook:meeting", args=[meeting.pk])).content.decode()
    )
    other = _as(cell.secretary_user)
    assert "Chuẩn bị ý kiến" not in other.get(reverse("handbook:meeting", args=[meeting.pk])).content.decode()
    assert other.get(reverse("handbook:note_edit", args=[note.pk])).status_code == 404
    assert other.post(reverse("handbook:note_edit", args=[note.pk]), {"action": "delete"}).status_code == 404
    assert Note.objects.count() == 1


def test_an_opinion_is_sent_answered_and_read_through_the_pages(world, cell):
    member = _as(cell.chair_user)
    response = member.post(
        reverse("handbook:opinions"), {"subject": "Tài liệu sinh hoạt", "text": "Đề nghị gửi sớm."}
    )
    opinion = Opinion.objects.get()
    assert response["Location"] == reverse("handbook:opinion", args=[opinion.pk])
    bad = member.post(reverse("handbook:opinions"), {"subject": "", "text": ""})
    assert bad.status_code == 200 and "Tiêu đề</a>: Trường này là bắt buộc." in bad.content.decode()
    assert Opinion.objects.count() == 1

    office = client_for("office")
    inbox = office.get(reverse("handbook:opinions_inbox")).content.decode()
    assert "Tài liệu sinh hoạt" in inbox and "Trần Văn Bình" in inbox
    assert '<th scope="col">Người gửi</th>' in inbox and "Từ ngày" not in inbox  # who sent it, not a date
    office.post(reverse("handbook:opinion", args=[opinion.pk]), {"action": "receive"})
    assert "Đang xem xét" in member.get(reverse("handbook:opinions")).content.decode()
    office.post(reverse("handbook:opinion", args=[opinion.pk]), {"answer": "Văn phòng sẽ gửi trước 3 ngày."})
    page = member.get(reverse("handbook:opinion", args=[opinion.pk])).content.decode()
    assert "Văn phòng sẽ gửi trước 3 ngày." in page and "Đã trả lời" in page
    # The member cannot answer, nor can the cell's own secretary read it.
    assert member.post(reverse("handbook:opinion", args=[opinion.pk]), {"answer": "x"}).status_code == 403
    assert client_for("secretary").get(reverse("handbook:opinion", args=[opinion.pk])).status_code == 404


def test_a_correction_request_goes_from_the_record_card_to_the_secretary_and_back(world, cell):
    member = _as(cell.chair_user)
    card = member.get(reverse("handbook:record")).content.decode()
    assert "Trần Văn Bình" in card and "001075000002" not in card  # the identity number is masked
    response = member.post(
        reverse("handbook:record"),
        {"field": "hometown", "requested_value": "Nam Định", "reason": "Sơ yếu lý lịch"},
    )
    assert response.status_code == 302
    request = CorrectionRequest.objects.get()
    page = client_for("secretary").get(reverse("handbook:corrections")).content.decode()
    assert "Nam Định" in page
    client_for("secretary").post(
        reverse("handbook:correction_handle", args=[request.pk]), {"decision": "refused", "answer": ""}
    )
    request.refresh_from_db()
    assert request.status == "sent"  # refusing needs a reason: nothing changed
    client_for("secretary").post(
        reverse("handbook:correction_handle", args=[request.pk]), {"decision": "done", "answer": "Đã sửa."}
    )
    request.refresh_from_db()
    assert request.status == "done"
    assert "Đã sửa" in member.get(reverse("handbook:record")).content.decode()
    assert (
        client_for("outsider").post(reverse("handbook:correction_handle", args=[request.pk]), {}).status_code
        == 404
    )


def test_opening_a_notification_marks_it_read_and_follows_only_local_links(world, cell):
    [local] = services.notify(
        [cell.chair_user], kind="opinion_answer", title="Trả lời", url="/so-tay/gop-y/", email=False
    )
    [foreign] = services.notify(
        [cell.chair_user], kind="opinion_answer", title="Lạ", url="https://example.com/", email=False
    )
    client = _as(cell.chair_user)
    assert client.post(reverse("handbook:notification_open", args=[local.pk]))["Location"] == "/so-tay/gop-y/"
    assert client.post(reverse("handbook:notification_open", args=[foreign.pk]))["Location"] == reverse(
        "handbook:notifications"
    )
    assert Notification.objects.filter(read_at__isnull=True).count() == 0
    assert (
        _as(cell.secretary_user).post(reverse("handbook:notification_open", args=[local.pk])).status_code
        == 404
    )


def test_display_settings_enlarge_the_text_on_this_device(world, cell):
    client = _as(cell.chair_user)
    client.post(reverse("handbook:display"), {"size": "larger", "contrast": "high"})
    page = client.get(reverse("handbook:home")).content.decode()
    assert 'class="text-larger contrast-high"' in page
    client.cookies["dangbo_display"] = "huge.neon"  # a forged cookie falls back to normal
    assert 'class="text-normal contrast-normal"' in client.get(reverse("handbook:home")).content.decode()


def test_bookmark_a_meeting_from_its_page(world, cell):
    meeting = plan(world, cell, title="Họp chuyên đề")
    client = _as(cell.chair_user)
    url = reverse("handbook:meeting", args=[meeting.pk])
    client.post(reverse("handbook:bookmark_toggle"), {"url": url, "title": "Họp chuyên đề", "next": url})
    assert "Họp chuyên đề" in client.get(reverse("handbook:bookmarks")).content.decode()
    assert 'aria-pressed="true"' in client.get(url).content.decode()
