"""API v1 for meetings: the same scope, services and refusals as the pages. A refusal is a 400 (403
for someone who may not act) with the message naming the field, and changes nothing: no row, no
audit event. Sealed minutes are read by every member; a draft only by those who write and sign it."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from dangbo.core.models import AuditEvent
from dangbo.meetings import services
from dangbo.meetings.models import AgendaItem, Attendee, Meeting, Minutes, Vote
from tests.helpers import TEST_NOW
from tests.meetings.conftest import HOUR, mark, plan

pytestmark = pytest.mark.django_db

URL = "/api/v1/meetings/"


def api(user) -> APIClient:
    """A client with the user's API token (made here: no sign-in, so no audit event of its own)."""
    if isinstance(user, str):
        user = get_user_model().objects.get(username=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def marks_body(meeting, **absent):
    return {
        "marks": [
            {"attendee": pk, "presence": presence, "reason": reason, "approved": approved}
            for pk, (presence, reason, approved) in mark(meeting, **absent).items()
        ]
    }


def held(world, cell, **absent):
    """A meeting held two hours ago, attendance recorded (everyone present unless told)."""
    meeting = plan(world, cell, held=True)
    services.attendance_record(actor=world.users["secretary"], meeting=meeting, marks=mark(meeting, **absent))
    return meeting


def minutes_body(**extra):
    now = timezone.now()
    return {
        "opened_at": (now - 2 * HOUR).isoformat(),
        "closed_at": (now - HOUR).isoformat(),
        "place": "Phòng họp tầng 3",
        "proceedings": "Đồng chí Bí thư khai mạc; thông qua chương trình.",
        "conclusions": "Chi bộ thống nhất triển khai nhiệm vụ tháng tới.",
        **extra,
    }


def sealed(world, cell):
    """A meeting held, minutes written, signed by both and sealed."""
    meeting = held(world, cell, **{"Lê Thị Cúc": "excused"})
    written = api(cell.secretary_user).put(f"{URL}{meeting.pk}/minutes/", minutes_body(), format="json")
    assert written.status_code == 200
    assert api(cell.secretary_user).post(f"{URL}{meeting.pk}/minutes/sign/").status_code == 200
    response = api(cell.chair_user).post(f"{URL}{meeting.pk}/minutes/sign/")
    assert response.status_code == 200 and response.json()["sealed"] is True
    return meeting


class Unchanged:
    """Asserts a block writes nothing: the same audit events, the same rows of the meeting."""

    def __init__(self, meeting):
        self.meeting = meeting

    def state(self):
        m = self.meeting
        return (
            AuditEvent.objects.count(),
            list(Meeting.objects.filter(pk=m.pk).values()),
            list(Attendee.objects.filter(meeting=m).order_by("pk").values()),
            list(Vote.objects.filter(meeting=m).order_by("pk").values()),
            list(AgendaItem.objects.filter(meeting=m).order_by("pk").values()),
            list(Minutes.objects.filter(meeting=m).values()),
        )

    def __enter__(self):
        self.before = self.state()
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            assert self.state() == self.before


def errors(response) -> str:
    return str(response.json())


# --- Reading -------------------------------------------------------------------------------------


def test_the_list_is_scoped_filtered_and_searched_without_accents(world, cell):
    regular = plan(world, cell)
    thematic = plan(
        world,
        cell,
        kind="cell_thematic",
        topic="Học tập và làm theo tư tưởng Hồ Chí Minh",
        starts_at=timezone.now() + dt.timedelta(days=40),
    )
    other = plan(
        world, cell, organisation=world.cell_b, actor=world.users["office"], chair=None, secretary=None
    )

    def ids(client, **params):
        response = client.get(URL, params)
        assert response.status_code == 200, response.content
        return [m["id"] for m in response.json()["results"]]

    member, office = api("member"), api("office")
    assert ids(member) == [thematic.pk, regular.pk]  # newest first; cell B's is not theirs
    assert sorted(ids(office)) == sorted([regular.pk, thematic.pk, other.pk])
    assert ids(api("outsider")) == []
    assert ids(member, q="ho chi minh") == [thematic.pk]
    assert ids(member, q="PHONG HOP tang 3") == [thematic.pk, regular.pk]
    assert ids(member, kind="cell_thematic") == [thematic.pk]
    assert ids(office, organisation=world.cell_b.pk) == [other.pk]
    assert ids(member, organisation=world.cell_b.pk) == []
    day = timezone.localtime(regular.starts_at).date()
    assert ids(office, **{"from": day.isoformat(), "to": day.isoformat()}) == [other.pk, regular.pk]
    services.meeting_cancel(actor=world.users["office"], meeting=other, reason="Trùng lịch")
    assert ids(office, status="cancelled") == [other.pk]
    assert api("office").get(URL, {"kind": "tea"}).json() == {"kind": ["Chọn loại cuộc họp."]}
    assert "status" in api("office").get(URL, {"status": "done"}).json()
    bad_date = api("office").get(URL, {"from": "31/12/2026"})
    assert bad_date.status_code == 400 and "from" in bad_date.json()


def test_a_meeting_reads_with_its_agenda_attendance_validity_and_votes_but_no_identifiers(world, cell):
    meeting = held(world, cell, **{"Lê Thị Cúc": "approved"})
    services.agenda_add(actor=world.users["secretary"], meeting=meeting, title="Thông qua nghị quyết")
    services.vote_record(
        actor=world.users["secretary"],
        meeting=meeting,
        subject="Thông qua nghị quyết",
        matter="resolution",
        yes=5,
        no=0,
        abstain=0,
    )
    response = api("member").get(f"{URL}{meeting.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert (data["chair_name"], data["secretary_name"]) == ("Trần Văn Bình", "Nguyễn Thị Lan")
    assert [a["title"] for a in data["agenda"]] == ["Thông qua nghị quyết"]
    # one absent with a reason still counts as summoned: 6 of 7, more than half is 4
    assert data["validity"] == {"summoned": 7, "present": 6, "required": 4, "recorded": True, "valid": True}
    assert len(data["attendees"]) == 7
    cuc = next(a for a in data["attendees"] if a["name"] == "Lê Thị Cúc")
    assert (cuc["presence"], cuc["reason"]) == ("excused", "Đi công tác")
    assert set(cuc) == {
        "id",
        "name",
        "post",
        "counted",
        "voting",
        "presence",
        "reason",
        "absence_approved",
        "recorded_at",
    }
    assert cuc["absence_approved"] is True
    # six full members, less the one absent with a reason the chi ủy approved: 5 voting members,
    # more than half is 3
    assert data["voting_members"] == {
        "full": 6,
        "exempt_out": 0,
        "excused_out": 1,
        "excused_kept": 0,
        "voters": 5,
        "explanation": "5 = 6 đảng viên chính thức − 1 vắng có lý do được chi ủy đồng ý",
    }
    [vote] = data["votes"]
    assert (vote["voters"], vote["present"], vote["yes"], vote["required"], vote["passed"]) == (
        5,
        5,
        5,
        3,
        True,
    )
    assert data["minutes"] is None
    assert "001075000001" not in response.content.decode() and "birth" not in response.content.decode()


def test_another_cells_meeting_is_not_found_and_a_member_cannot_write(world, cell):
    meeting = plan(world, cell)
    outsider, member = api("outsider"), api("member")
    assert outsider.get(f"{URL}{meeting.pk}/").status_code == 404
    assert outsider.patch(f"{URL}{meeting.pk}/", {"place": "X"}, format="json").status_code == 404
    with Unchanged(meeting):
        assert member.patch(f"{URL}{meeting.pk}/", {"place": "X"}, format="json").status_code == 403
        assert member.post(f"{URL}{meeting.pk}/cancel/", {"reason": "X"}, format="json").status_code == 403
        assert (
            member.post(f"{URL}{meeting.pk}/attendance/", marks_body(meeting), format="json").status_code
            == 403
        )
        assert member.post(f"{URL}{meeting.pk}/guests/", {"name": "Khách"}, format="json").status_code == 403
        assert member.post(f"{URL}{meeting.pk}/agenda/", {"title": "X"}, format="json").status_code == 403
    body = {
        "organisation": world.cell_a.pk,
        "kind": "cell_regular",
        "starts_at": meeting.starts_at.isoformat(),
    }
    assert member.post(URL, body, format="json").status_code == 403
    assert outsider.post(URL, body, format="json").status_code == 404
    assert Meeting.objects.count() == 1


# --- Planning and changing -----------------------------------------------------------------------


def test_planning_through_the_api_summons_the_cell(world, cell):
    starts = timezone.localtime(timezone.now() + dt.timedelta(days=5)).replace(hour=14, minute=0, second=0)
    body = {
        "organisation": world.cell_a.pk,
        "kind": "cell_thematic",
        "topic": "Chuyển đổi số",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + 2 * HOUR).isoformat(),
        "place": "Hội trường",
        "chair": cell.members["chair"].person.pk,
        "secretary": cell.members["minutes"].person.pk,
    }
    response = api("secretary").post(URL, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], len(data["attendees"]), data["chair_name"]) == ("planned", 7, "Trần Văn Bình")
    assert AuditEvent.objects.latest("seq").action == "meeting.plan"


@pytest.mark.parametrize(
    ("field", "change", "words"),
    [
        ("starts_at", {"starts_at": (TEST_NOW - HOUR).isoformat()}, "đã qua"),
        ("chair", {"chair": "b1"}, ""),  # a member of cell B cannot chair cell A's meeting
        ("kind", {"kind": "tea_party"}, ""),
        ("topic", {"kind": "cell_thematic", "topic": " "}, ""),
        ("surprise", {"surprise": 1}, ""),
    ],
)
def test_a_bad_plan_is_a_400_naming_the_field_and_saves_nothing(world, cell, field, change, words):
    body = {
        "organisation": world.cell_a.pk,
        "kind": "cell_regular",
        "starts_at": (timezone.now() + dt.timedelta(days=3)).isoformat(),
        **change,
    }
    if body.get("chair") == "b1":
        body["chair"] = cell.members["b1"].person.pk
    events = AuditEvent.objects.count()
    response = api("secretary").post(URL, body, format="json")
    assert response.status_code == 400 and field in response.json(), response.content
    assert words in errors(response)
    assert not Meeting.objects.exists() and AuditEvent.objects.count() == events


def test_changing_and_cancelling_a_planned_meeting(world, cell):
    meeting = plan(world, cell)
    office = api("office")
    response = office.patch(f"{URL}{meeting.pk}/", {"place": "Phòng 301", "chair": None}, format="json")
    assert response.status_code == 200
    assert (response.json()["place"], response.json()["chair"]) == ("Phòng 301", None)
    assert response.json()["secretary"] == cell.members["minutes"].person.pk  # left out: kept
    with Unchanged(meeting):
        response = office.patch(f"{URL}{meeting.pk}/", {"kind": "congress"}, format="json")
        assert response.status_code == 400 and "loại cuộc họp" in response.json()["kind"][0]
        assert office.post(f"{URL}{meeting.pk}/cancel/", {}, format="json").status_code == 400
    response = office.post(f"{URL}{meeting.pk}/cancel/", {"reason": "Trùng lịch hội nghị"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    with Unchanged(meeting):
        again = office.post(f"{URL}{meeting.pk}/cancel/", {"reason": "Lần nữa"}, format="json")
        assert again.status_code == 400 and "status" in again.json()
    actions = AuditEvent.objects.filter(object_id=str(meeting.pk), object_type="meetings.meeting")
    assert list(actions.values_list("action", flat=True)) == [
        "meeting.plan",
        "meeting.update",
        "meeting.cancel",
    ]


# --- Attendance, votes, agenda, guests -----------------------------------------------------------


def test_recording_attendance_makes_the_meeting_held_and_valid(world, cell):
    meeting = plan(world, cell, held=True)
    response = api("secretary").post(
        f"{URL}{meeting.pk}/attendance/", marks_body(meeting, **{"Đỗ Văn Hải": "unexcused"}), format="json"
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "held"
    assert data["validity"] == {"summoned": 7, "present": 6, "required": 4, "recorded": True, "valid": True}


def test_attendance_for_someone_not_invited_or_without_a_reason_changes_nothing(world, cell):
    meeting = plan(world, cell, held=True)
    cell_b = plan(
        world,
        cell,
        held=True,
        organisation=world.cell_b,
        actor=world.users["office"],
        chair=None,
        secretary=None,
    )
    stranger = cell_b.attendees.get()  # Vũ Văn Giang, of cell B: not summoned to cell A's meeting
    secretary = api("secretary")
    with Unchanged(meeting):
        body = marks_body(meeting)
        body["marks"].append({"attendee": stranger.pk, "presence": "present"})
        response = secretary.post(f"{URL}{meeting.pk}/attendance/", body, format="json")
        assert response.status_code == 400
        assert f"Người dự số {stranger.pk} không được mời" in response.json()["attendees"][0]
        body = marks_body(meeting)
        body["marks"][0] |= {"presence": "excused", "reason": ""}
        response = secretary.post(f"{URL}{meeting.pk}/attendance/", body, format="json")
        assert response.status_code == 400 and "ghi lý do vắng mặt" in response.json()["attendees"][0]
        body = marks_body(meeting)
        body["marks"].append(body["marks"][0])
        response = secretary.post(f"{URL}{meeting.pk}/attendance/", body, format="json")
        assert response.status_code == 400 and "marks" in response.json()
        response = secretary.post(f"{URL}{meeting.pk}/attendance/", {"marks": []}, format="json")
        assert response.status_code == 400 and "marks" in response.json()
    assert set(meeting.attendees.values_list("presence", flat=True)) == {"invited"}


def test_a_vote_is_computed_from_the_attendance_and_can_be_removed_with_a_reason(world, cell):
    meeting = held(world, cell)
    secretary = api("secretary")
    vote = {"subject": "Thông qua nghị quyết", "matter": "resolution", "yes": 9, "no": 0, "abstain": 0}
    with Unchanged(meeting):
        response = secretary.post(f"{URL}{meeting.pk}/votes/", vote, format="json")
        assert response.status_code == 400 and "mỗi người biểu quyết một lần" in response.json()["yes"][0]
        response = secretary.post(f"{URL}{meeting.pk}/votes/", vote | {"agenda_item": 999}, format="json")
        assert response.status_code == 400 and "agenda_item" in response.json()
        response = secretary.post(f"{URL}{meeting.pk}/votes/", vote | {"yes": -1}, format="json")
        assert response.status_code == 400 and "yes" in response.json()
    response = secretary.post(f"{URL}{meeting.pk}/votes/", vote | {"yes": 4, "no": 2}, format="json")
    assert response.status_code == 201, response.content
    made = response.json()
    # six voting members all present: more than half of 6 is 4
    assert (made["voters"], made["present"], made["required"], made["passed"]) == (6, 6, 4, True)
    with Unchanged(meeting):
        response = secretary.delete(f"{URL}{meeting.pk}/votes/{made['id']}/")
        assert response.status_code == 400 and "lý do xóa" in response.json()["reason"][0]
        assert api("member").delete(f"{URL}{meeting.pk}/votes/{made['id']}/?reason=x").status_code == 403
    response = secretary.delete(f"{URL}{meeting.pk}/votes/{made['id']}/?{urlencode({'reason': 'Nhập nhầm'})}")
    assert response.status_code == 204 and not meeting.votes.exists()
    assert AuditEvent.objects.latest("seq").after == {"reason": "Nhập nhầm"}


def test_agenda_items_and_guests(world, cell):
    meeting = plan(world, cell)
    secretary = api("secretary")
    response = secretary.post(
        f"{URL}{meeting.pk}/agenda/", {"title": "Kiểm điểm", "presenter_name": "Đ/c Bình"}, format="json"
    )
    assert response.status_code == 201 and response.json()["position"] == 1
    second = secretary.post(f"{URL}{meeting.pk}/agenda/", {"title": "Phương hướng"}, format="json").json()
    with Unchanged(meeting):
        response = secretary.post(
            f"{URL}{meeting.pk}/agenda/", {"title": "Văn bản", "documents": [987654]}, format="json"
        )
        assert response.status_code == 400 and "documents" in response.json()
        response = secretary.post(f"{URL}{meeting.pk}/guests/", {"post": "Đảng ủy"}, format="json")
        assert response.status_code == 400 and response.json()["name"] == ["Nhập họ tên khách mời."]
    first = meeting.agenda.get(position=1)
    assert secretary.delete(f"{URL}{meeting.pk}/agenda/{first.pk}/").status_code == 204
    assert list(meeting.agenda.values_list("pk", "position")) == [(second["id"], 1)]
    response = secretary.post(
        f"{URL}{meeting.pk}/guests/", {"name": "Nguyễn Văn Khách", "post": "Đảng ủy cấp trên"}, format="json"
    )
    assert response.status_code == 201
    assert (response.json()["counted"], response.json()["voting"]) == (False, False)
    assert meeting.attendees.count() == 8


# --- Minutes -------------------------------------------------------------------------------------


def test_draft_minutes_are_read_only_by_those_who_write_and_sign_them(world, cell):
    meeting = held(world, cell)
    assert api("member").get(f"{URL}{meeting.pk}/minutes/").status_code == 404  # none yet
    with Unchanged(meeting):
        assert (
            api("member").put(f"{URL}{meeting.pk}/minutes/", minutes_body(), format="json").status_code == 403
        )
        response = api(cell.secretary_user).put(
            f"{URL}{meeting.pk}/minutes/",
            minutes_body(closed_at=(timezone.now() + HOUR).isoformat()),
            format="json",
        )
        assert response.status_code == 400 and "closed_at" in response.json()
    response = api(cell.secretary_user).put(f"{URL}{meeting.pk}/minutes/", minutes_body(), format="json")
    assert response.status_code == 200, response.content
    assert response.json()["sealed"] is False and len(response.json()["content_hash"]) == 64
    assert api("member").get(f"{URL}{meeting.pk}/minutes/").status_code == 403
    assert api("member").get(f"{URL}{meeting.pk}/").json()["minutes"] is None
    for reader in (cell.chair_user, cell.secretary_user, "secretary", "office"):
        assert api(reader).get(f"{URL}{meeting.pk}/minutes/").status_code == 200
    assert api("office").get(f"{URL}{meeting.pk}/").json()["minutes"]["sealed"] is False


def test_only_the_chair_and_the_secretary_sign_and_both_signatures_seal(world, cell):
    meeting = held(world, cell)
    api(cell.secretary_user).put(f"{URL}{meeting.pk}/minutes/", minutes_body(), format="json")
    with Unchanged(meeting):
        for user in ("secretary", "office", "member"):
            response = api(user).post(f"{URL}{meeting.pk}/minutes/sign/")
            assert response.status_code == 403 and "detail" in response.json()
    response = api(cell.secretary_user).post(f"{URL}{meeting.pk}/minutes/sign/")
    assert response.status_code == 200
    assert (response.json()["secretary"]["signed"], response.json()["sealed"]) == (True, False)
    # the detail page's state computes the hash once somebody has signed
    assert api("office").get(f"{URL}{meeting.pk}/").json()["minutes"]["secretary"]["signed"] is True
    response = api(cell.chair_user).post(f"{URL}{meeting.pk}/minutes/sign/")
    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.sealed and response.json()["content_hash"] == minutes.content_hash


def test_sealed_minutes_are_read_by_a_member_and_refuse_every_write(world, cell):
    meeting = sealed(world, cell)
    minutes = Minutes.objects.get(meeting=meeting)
    response = api("member").get(f"{URL}{meeting.pk}/minutes/")
    assert response.status_code == 200
    data = response.json()
    assert (data["sealed"], data["content_hash"], data["addenda"]) == (True, minutes.content_hash, [])
    assert (
        data["chair"]["signed"] and data["secretary"]["signed"] and data["chair"]["name"] == "Trần Văn Bình"
    )
    assert api("member").get(f"{URL}{meeting.pk}/").json()["minutes"]["content_hash"] == minutes.content_hash

    office, writer = api("office"), api(cell.secretary_user)
    attendee = meeting.attendees.first()
    with Unchanged(meeting):
        refusals = [
            writer.put(f"{URL}{meeting.pk}/minutes/", minutes_body(conclusions="Sửa lại"), format="json"),
            office.put(f"{URL}{meeting.pk}/minutes/", minutes_body(conclusions="Sửa lại"), format="json"),
            office.post(
                f"{URL}{meeting.pk}/attendance/",
                {"marks": [{"attendee": attendee.pk, "presence": "unexcused"}]},
                format="json",
            ),
            office.post(
                f"{URL}{meeting.pk}/votes/",
                {"subject": "Biểu quyết thêm", "matter": "other", "yes": 1, "no": 0, "abstain": 0},
                format="json",
            ),
            office.post(f"{URL}{meeting.pk}/agenda/", {"title": "Thêm nội dung"}, format="json"),
            office.post(f"{URL}{meeting.pk}/guests/", {"name": "Khách muộn"}, format="json"),
            office.patch(f"{URL}{meeting.pk}/", {"place": "Nơi khác"}, format="json"),
            api(cell.chair_user).post(f"{URL}{meeting.pk}/minutes/sign/"),
        ]
    for response in refusals:
        assert response.status_code == 400, response.content
        assert "niêm phong" in response.json()["non_field_errors"][0]
    assert meeting.attendees.get(pk=attendee.pk).presence == "present"


def test_a_sealed_edit_writes_nothing(world, cell):
    meeting = sealed(world, cell)
    with Unchanged(meeting):
        response = api(cell.secretary_user).put(
            f"{URL}{meeting.pk}/minutes/", minutes_body(conclusions="Sửa lại"), format="json"
        )
    assert response.status_code == 400
    assert (
        Minutes.objects.get(meeting=meeting).conclusions == "Chi bộ thống nhất triển khai nhiệm vụ tháng tới."
    )


def test_a_correction_is_appended_by_a_signatory_only(world, cell):
    meeting = sealed(world, cell)
    body = {"text": "Bổ sung ý kiến của đồng chí Dũng.", "reason": "Thiếu ý kiến"}
    with Unchanged(meeting):
        assert (
            api("office").post(f"{URL}{meeting.pk}/minutes/addenda/", body, format="json").status_code == 403
        )
        response = api(cell.chair_user).post(
            f"{URL}{meeting.pk}/minutes/addenda/", {"text": "x"}, format="json"
        )
        assert response.status_code == 400 and "reason" in response.json()
    response = api(cell.chair_user).post(f"{URL}{meeting.pk}/minutes/addenda/", body, format="json")
    assert response.status_code == 201
    assert (response.json()["number"], response.json()["capacity"]) == (1, "chair")
    addenda = api("member").get(f"{URL}{meeting.pk}/minutes/").json()["addenda"]
    assert [(a["number"], a["text"], a["signer_name"]) for a in addenda] == [
        (1, "Bổ sung ý kiến của đồng chí Dũng.", "Trần Văn Bình")
    ]


def test_a_correction_to_a_draft_is_refused(world, cell):
    meeting = held(world, cell)
    api(cell.secretary_user).put(f"{URL}{meeting.pk}/minutes/", minutes_body(), format="json")
    with Unchanged(meeting):
        response = api(cell.chair_user).post(
            f"{URL}{meeting.pk}/minutes/addenda/", {"text": "Sửa", "reason": "Sai"}, format="json"
        )
    assert response.status_code == 400 and "text" in response.json()


# --- Cost ----------------------------------------------------------------------------------------


def test_list_and_read_cost_a_bounded_number_of_queries(world, cell, django_assert_max_num_queries):
    meeting = held(world, cell)
    for n in range(12):
        plan(world, cell, starts_at=timezone.now() + dt.timedelta(days=3 + n))
    for n in range(5):
        services.agenda_add(actor=world.users["secretary"], meeting=meeting, title=f"Nội dung {n + 1}")
        services.vote_record(
            actor=world.users["secretary"],
            meeting=meeting,
            subject=f"Biểu quyết {n}",
            matter="other",
            yes=6,
            no=0,
            abstain=0,
        )
    api(cell.secretary_user).put(f"{URL}{meeting.pk}/minutes/", minutes_body(), format="json")
    api(cell.secretary_user).post(f"{URL}{meeting.pk}/minutes/sign/")  # the state now needs the hash
    office = api("office")
    with django_assert_max_num_queries(8):
        assert office.get(URL, {"q": "phong hop"}).json()["count"] == 13
    with django_assert_max_num_queries(14):
        data = office.get(f"{URL}{meeting.pk}/").json()
    assert len(data["agenda"]) == 5 and len(data["votes"]) == 5 and data["minutes"]["secretary"]["signed"]
    with django_assert_max_num_queries(10):
        assert office.get(f"{URL}{meeting.pk}/minutes/").status_code == 200


def test_the_secretary_records_through_the_api_whether_the_committee_approved_an_absence(world, cell):
    meeting = plan(world, cell, held=True)
    client = api("secretary")
    body = marks_body(meeting, **{"Lê Thị Cúc": "excused"})
    response = client.post(f"{URL}{meeting.pk}/attendance/", body, format="json")
    assert response.status_code == 200, response.json()
    counted = response.json()["voting_members"]
    # not approved: Cúc stays among the 6 voting members
    assert (counted["voters"], counted["excused_kept"]) == (6, 1)
    assert "chưa được chi ủy đồng ý" in counted["explanation"]
    cuc = next(a for a in meeting.attendees.all() if a.name == "Lê Thị Cúc")
    approve = {
        "marks": [{"attendee": cuc.pk, "presence": "excused", "reason": "Đi công tác", "approved": True}]
    }
    response = client.post(f"{URL}{meeting.pk}/attendance/", approve, format="json")
    assert response.status_code == 200
    assert response.json()["voting_members"]["voters"] == 5
    # a mark without "approved" keeps what was recorded
    again = {"marks": [{"attendee": cuc.pk, "presence": "excused", "reason": "Đi công tác"}]}
    assert (
        client.post(f"{URL}{meeting.pk}/attendance/", again, format="json").json()["voting_members"]["voters"]
        == 5
    )
    # turning up clears the approval
    present = {"marks": [{"attendee": cuc.pk, "presence": "present", "approved": True}]}
    response = client.post(f"{URL}{meeting.pk}/attendance/", present, format="json")
    cuc.refresh_from_db()
    assert (cuc.presence, cuc.absence_approved) == ("present", False)
