"""Study pages: the section on a document's page, assigning, completion with drill-down, the
secretary's form, the member's page with its one button, the organisation's reminders, the command."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dangbo.core.models import AuditEvent
from dangbo.documents import study
from dangbo.documents.models import StudyAssignment, StudyConfirmation
from dangbo.members.generate import generate_into_db
from dangbo.members.models import PartyMember
from dangbo.orgs.models import Organisation
from tests.conftest import make_user
from tests.documents.conftest import outside
from tests.helpers import client_for

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


@pytest.fixture
def on_tct(study_world, world):
    sw = study_world
    return study.study_assign(
        actor=None,
        document=sw.document,
        organisation=world.tct,
        start_on=sw.today - 5 * DAY,
        due_on=sw.today + 4 * DAY,
    )


def text_of(response) -> str:
    return response.content.decode()


# --- The document's page ----------------------------------------------------------------------------


def test_the_document_page_lists_its_studies_and_offers_the_office_to_assign(study_world, world, on_tct):
    study.study_record(
        actor=None, assignment=on_tct, members=[study_world.members["a3"]], studied_on=study_world.today
    )
    url = reverse("documents:detail", args=[study_world.document.pk])
    page = text_of(client_for("office").get(url))
    assert "Học tập, quán triệt" in page and "Giao học tập" in page
    assert "Đảng viên của Đảng bộ Tổng công ty Thử nghiệm" in page
    assert 'aria-valuenow="20"' in page and "1/5" in page  # 1 of the 5 members in activity
    member_page = text_of(client_for("member").get(url))
    assert (
        "Đảng viên của Đảng bộ Tổng công ty Thử nghiệm" in member_page and "Giao học tập" not in member_page
    )
    assert 'aria-valuenow="20"' not in member_page  # a cell member does not read the committee's figures


# --- Assigning ----------------------------------------------------------------------------------------


def test_the_office_assigns_through_the_form(study_world, world):
    client = client_for("office")
    url = reverse("documents:study_create", args=[study_world.document.pk])
    form = text_of(client.get(url))
    # the office's organisation and its children, not every cell of the tree
    assert (
        "Đảng bộ Tổng công ty Thử nghiệm" in form
        and "Đảng bộ Cơ quan" in form
        and "Chi bộ Văn phòng" not in form
    )
    response = client.post(
        url,
        {
            "organisation": world.grassroots.pk,
            "start_on": study_world.today.isoformat(),
            "due_on": (study_world.today + 20 * DAY).isoformat(),
            "note": "Học tại chi bộ",
        },
    )
    assignment = StudyAssignment.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "documents:study_detail", args=[assignment.pk]
    )
    assert assignment.organisation == world.grassroots


def test_a_refused_assignment_names_the_field_and_writes_nothing(study_world, world):
    client = client_for("office")
    events = AuditEvent.objects.count()
    response = client.post(
        reverse("documents:study_create", args=[study_world.document.pk]),
        {
            "organisation": world.tct.pk,
            "start_on": (study_world.today + 10 * DAY).isoformat(),
            "due_on": (study_world.today + 5 * DAY).isoformat(),
        },
    )
    page = text_of(response)
    assert response.status_code == 200 and "Dữ liệu chưa được lưu" in page
    assert "Thời hạn hoàn thành</a>: Thời hạn" in page and "trước ngày bắt đầu" in page
    assert not StudyAssignment.objects.exists() and AuditEvent.objects.count() == events


# --- Completion ---------------------------------------------------------------------------------------


def test_completion_drills_down_to_the_cell_and_its_members(study_world, world, on_tct):
    sw = study_world
    study.study_record(actor=None, assignment=on_tct, members=[sw.members["a3"]], studied_on=sw.today - DAY)
    client = client_for("office")
    url = reverse("documents:study_detail", args=[on_tct.pk])
    top = text_of(client.get(url))
    assert "Tiến độ: Đảng bộ Tổng công ty Thử nghiệm" in top and f"?to-chuc={world.grassroots.pk}" in top
    assert 'aria-valuetext="1/5 đảng viên đã học tập (20 %)"' in top
    cell = text_of(client.get(url, {"to-chuc": world.cell_a.pk}))
    assert "Chưa xác nhận (2)" in cell and "Đã xác nhận (1)" in cell
    assert (
        "Nguyễn Thị Lan" in cell and "Lê Thị Cúc" in cell and "Đỗ Văn Hải" not in cell
    )  # removed: not listed
    assert sw.members["member"].national_id not in cell  # names only, no identifiers
    assert "Ghi nhận đã học tập" in cell  # the office may record
    member_view = text_of(client_for("member").get(url, {"to-chuc": world.cell_a.pk}))
    assert "Chưa xác nhận (2)" in member_view and "Ghi nhận đã học tập" not in member_view


def test_an_organisation_outside_the_study_or_the_reader_scope_is_not_found(study_world, world, on_tct):
    url = reverse("documents:study_detail", args=[on_tct.pk])
    assert client_for("office").get(url, {"to-chuc": world.other_cell.pk}).status_code == 404
    assert client_for("secretary").get(url, {"to-chuc": world.cell_b.pk}).status_code == 404
    assert client_for("office").get(url, {"to-chuc": "12a"}).status_code == 404
    assert client_for("outsider").get(url).status_code == 404
    # the secretary opens the study at the cell they may read
    page = text_of(client_for("secretary").get(url))
    assert "Tiến độ: Chi bộ Văn phòng" in page


def test_the_secretary_records_a_meeting(study_world, world, on_tct):
    sw = study_world
    client = client_for("secretary")
    met = sw.today - 2 * DAY
    response = client.post(
        reverse("documents:study_record", args=[on_tct.pk]),
        {
            "to-chuc": world.cell_a.pk,
            "members": [sw.members["a3"].pk, sw.members["member"].pk],
            "studied_on": met.isoformat(),
            "channel": "meeting",
        },
    )
    assert response.status_code == 302 and f"to-chuc={world.cell_a.pk}" in response["Location"]
    assert set(
        StudyConfirmation.objects.values_list("member__person__full_name", "studied_on", "channel")
    ) == {
        ("Lê Thị Cúc", met, "meeting"),
        ("Nguyễn Thị Lan", met, "meeting"),
    }
    page = text_of(client.get(response["Location"]))
    assert "Đã ghi nhận 2 đảng viên" in page and "Chưa xác nhận (1)" in page


def test_a_refused_record_shows_the_reason_on_the_cell_page(study_world, world, on_tct):
    sw = study_world
    response = client_for("secretary").post(
        reverse("documents:study_record", args=[on_tct.pk]),
        {
            "to-chuc": world.cell_a.pk,
            "members": [sw.members["a3"].pk],
            "studied_on": (sw.today + DAY).isoformat(),
            "channel": "meeting",
        },
    )
    page = text_of(response)
    assert response.status_code == 200 and "tương lai" in page and "Chưa xác nhận (3)" in page
    assert not StudyConfirmation.objects.exists()
    nobody = client_for("secretary").post(
        reverse("documents:study_record", args=[on_tct.pk]),
        {"to-chuc": world.cell_a.pk, "studied_on": sw.today.isoformat(), "channel": "meeting"},
    )
    assert "Hãy đánh dấu ít nhất một đảng viên" in text_of(nobody)


def test_the_secretary_cannot_record_in_another_cell(study_world, world, on_tct):
    response = client_for("secretary").post(
        reverse("documents:study_record", args=[on_tct.pk]),
        {
            "to-chuc": world.cell_b.pk,
            "members": [study_world.members["b1"].pk],
            "studied_on": study_world.today.isoformat(),
        },
    )
    assert response.status_code == 404 and not StudyConfirmation.objects.exists()
    member = client_for("member").post(
        reverse("documents:study_record", args=[on_tct.pk]), {"to-chuc": world.cell_a.pk}
    )
    assert member.status_code == 403


def test_cancelling_from_the_page(study_world, world, on_tct):
    client = client_for("office")
    url = reverse("documents:study_cancel", args=[on_tct.pk])
    assert "lý do" in text_of(client.post(url, {"reason": ""})).lower()
    response = client.post(url, {"reason": "Thay bằng kế hoạch mới"})
    assert response.status_code == 302
    on_tct.refresh_from_db()
    assert on_tct.cancelled_on == study_world.today
    assert client_for("secretary").get(url).status_code == 403


def test_pages_read_a_fixed_number_of_queries_on_a_large_tree(db, django_assert_max_num_queries):
    today = timezone.localdate()
    root = generate_into_db(2000, 3, today)
    document = outside(root, "01-NQ/TW", dt.date(2021, 1, 5))
    assignment = study.study_assign(
        actor=None, document=document, organisation=root, start_on=today, due_on=today + 9 * DAY
    )
    members = list(PartyMember.objects.filter(org_path__within=root.path).values_list("pk", "org_path")[:900])
    StudyConfirmation.objects.bulk_create(
        StudyConfirmation(assignment=assignment, member_id=pk, org_path=path, studied_on=today)
        for pk, path in members
    )
    make_user("root", is_superuser=True)
    client = client_for("root")
    cell = Organisation.objects.filter(path__within=root.path, kind="cell").first()
    url = reverse("documents:study_detail", args=[assignment.pk])
    for query in ({}, {"to-chuc": cell.parent_id}, {"to-chuc": cell.pk}):
        with django_assert_max_num_queries(10):
            assert client.get(url, query).status_code == 200
    for page in (
        reverse("documents:detail", args=[document.pk]),
        reverse("documents:study_org", args=[root.pk]),
    ):
        with django_assert_max_num_queries(10):
            assert client.get(page).status_code == 200


# --- The member's page ----------------------------------------------------------------------------


def test_a_member_confirms_with_the_big_button(study_world, world, on_tct):
    client = client_for("member")
    page = text_of(client.get(reverse("documents:study_mine")))
    assert "Việc học tập của tôi" in page and "Tôi đã học tập, quán triệt" in page
    assert "Sắp đến hạn" in page and "còn 4 ngày" in page
    assert f'aria-describedby="study-{on_tct.pk}"' in page
    response = client.post(reverse("documents:study_confirm", args=[on_tct.pk]), follow=True)
    page = text_of(response)
    assert "Cảm ơn đồng chí" in page and "Tôi đã học tập, quán triệt" not in page
    assert "Đã học tập" in page and "đảng viên tự xác nhận" in page
    again = text_of(client.post(reverse("documents:study_confirm", args=[on_tct.pk]), follow=True))
    assert "Đồng chí đã xác nhận học tập ngày" in again
    assert StudyConfirmation.objects.get().channel == "self"


def test_a_member_takes_back_a_slip_the_same_day_only_and_the_log_keeps_both(study_world, world, on_tct):
    """A single tap on a phone had no undo: the member may take back their own confirmation that day."""
    import time_machine

    client = client_for("member")
    client.post(reverse("documents:study_confirm", args=[on_tct.pk]))
    page = text_of(client.get(reverse("documents:study_mine")))
    assert "Hoàn tác (chỉ trong hôm nay)" in page
    response = client.post(reverse("documents:study_unconfirm", args=[on_tct.pk]), follow=True)
    page = text_of(response)
    assert (
        "Đã hoàn tác" in page
        and "Tôi đã học tập, quán triệt" in page
        and not StudyConfirmation.objects.exists()
    )
    actions = list(AuditEvent.objects.filter(action__startswith="study.").values_list("action", flat=True))
    assert actions[-2:] == ["study.confirm", "study.unconfirm"]
    # confirmed again, then the next day: no undo offered, and a forged request is refused
    client.post(reverse("documents:study_confirm", args=[on_tct.pk]))
    with time_machine.travel(timezone.now() + DAY, tick=False):
        assert "Hoàn tác (chỉ trong hôm nay)" not in text_of(client.get(reverse("documents:study_mine")))
        refused = text_of(client.post(reverse("documents:study_unconfirm", args=[on_tct.pk]), follow=True))
        assert "Chỉ hoàn tác được xác nhận trong ngày" in refused and StudyConfirmation.objects.count() == 1
    assert (
        client_for("outsider").post(reverse("documents:study_unconfirm", args=[on_tct.pk])).status_code == 404
    )


def test_a_login_without_a_member_record_sees_why_and_cannot_confirm(study_world, world, on_tct):
    client = client_for("office")
    assert "chưa gắn với hồ sơ đảng viên" in text_of(client.get(reverse("documents:study_mine")))
    assert client.post(reverse("documents:study_confirm", args=[on_tct.pk])).status_code == 404
    # a member of another corporation's cell: not theirs to confirm
    assert (
        client_for("outsider").post(reverse("documents:study_confirm", args=[on_tct.pk])).status_code == 404
    )


def test_every_page_links_to_my_studies(study_world, world):
    page = text_of(client_for("member").get(reverse("documents:list")))
    assert f'href="{reverse("documents:study_mine")}">Học tập của tôi' in page


# --- The organisation's list and the reminders command --------------------------------------------


def test_the_organisation_page_lists_what_to_remind(study_world, world, on_tct):
    later = study.study_assign(
        actor=None,
        document=outside(world.tct, "28/CT-TTg", dt.date(2021, 10, 26)),
        organisation=world.tct,
        start_on=study_world.today,
        due_on=study_world.today + 30 * DAY,
    )
    page = text_of(client_for("secretary").get(reverse("documents:study_org", args=[world.cell_a.pk])))
    remind, rest = page.split('id="open-h"')
    assert f"{reverse('documents:study_detail', args=[on_tct.pk])}?to-chuc={world.cell_a.pk}" in remind
    assert (
        reverse("documents:study_detail", args=[later.pk]) not in remind
        and reverse("documents:study_detail", args=[later.pk]) in rest
    )
    assert "còn 4 ngày" in remind


def test_the_reminders_command_prints_the_cells_left(study_world, world, on_tct):
    sw = study_world
    study.study_record(
        actor=None, assignment=on_tct, members=[sw.members["b1"], sw.members["b2"]], studied_on=sw.today
    )
    out = StringIO()
    call_command("study-reminders", stdout=out)
    text = out.getvalue()
    assert "09-CTr/ĐUK" in text and "còn 4 ngày" in text
    assert "Chi bộ Văn phòng: còn 3/3 đảng viên chưa xác nhận" in text and "Chi bộ Ban Đầu tư" not in text
    assert "Cần nhắc 1 chi bộ" in text
    quiet = StringIO()
    call_command("study-reminders", "--days", "2", stdout=quiet)
    assert "Không có việc học tập nào" in quiet.getvalue()
    other = StringIO()
    call_command("study-reminders", "--org", str(world.cell_b.pk), stdout=other)
    assert "Không có việc học tập nào" in other.getvalue()


def test_the_member_page_reads_a_fixed_number_of_queries(study_world, world, django_assert_max_num_queries):
    sw = study_world
    for n, symbol in enumerate(["28/CT-TTg", "03-CT/TW", "05-CT/TW", "06-CT/TW"]):
        document = outside(world.tct, symbol, dt.date(2021, 5, 19))
        assignment = study.study_assign(
            actor=None,
            document=document,
            organisation=world.tct,
            start_on=sw.today,
            due_on=sw.today + (n + 1) * DAY,
        )
        if n % 2:
            study.study_record(
                actor=None, assignment=assignment, members=[sw.members["member"]], studied_on=sw.today
            )
    client = client_for("member")
    with django_assert_max_num_queries(10):
        page = text_of(client.get(reverse("documents:study_mine")))
    assert page.count("Tôi đã học tập, quán triệt") == 2
