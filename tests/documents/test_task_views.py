"""The task pages as a user sees them: setting tasks from the document page, reporting progress with
evidence, the dashboard's counts and red overdue rows, refusals shown on the form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dangbo.documents import tasks
from dangbo.documents.models import ProgressReport, Task
from tests.documents.conftest import D, own
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolution(world, terms):
    return own(world.tct, "NQ", D(2025, 9, 1), summary="Nghị quyết về chuyển đổi số")


def test_the_office_sets_one_task_per_assignee_from_the_document_page(world, resolution):
    client = client_for("office")
    page = client.get(reverse("documents:task_create", args=[resolution.pk])).content.decode()
    assert "Chi bộ Văn phòng" in page and "Văn phòng Tổng công ty" in page  # organisations and units
    assert "Đảng bộ Tập đoàn Khác" not in page
    response = client.post(
        reverse("documents:task_create", args=[resolution.pk]),
        {
            "title": "Kết nạp đảng viên mới",
            "kind": "target",
            "indicator": "Đảng viên mới",
            "target_value": "12",
            "measure": "đảng viên",
            "organisations": [world.cell_a.pk, world.cell_b.pk],
            "start_on": "2025-10-01",
            "due_on": "2025-12-31",
        },
    )
    assert response.status_code == 302
    assert sorted(Task.objects.values_list("assignee_org__name", flat=True)) == [
        "Chi bộ Ban Đầu tư",
        "Chi bộ Văn phòng",
    ]
    detail = client.get(reverse("documents:detail", args=[resolution.pk])).content.decode()
    assert "Kết nạp đảng viên mới" in detail and "2 nhiệm vụ" in detail


def test_a_refused_task_shows_the_reason_on_the_form(world, resolution):
    response = client_for("office").post(
        reverse("documents:task_create", args=[resolution.pk]),
        {
            "title": "Việc",
            "kind": "task",
            "organisations": [world.cell_a.pk],
            "start_on": "2025-12-01",
            "due_on": "2025-11-01",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and Task.objects.count() == 0
    assert "Không có gì được lưu" in html or "Chưa lưu" in html or "invalid-feedback" in html
    assert "Hạn hoàn thành 01/11/2025 trước ngày bắt đầu 01/12/2025." in html


def test_the_secretary_reports_progress_with_evidence(world, resolution):
    [task] = tasks.task_create(
        actor=None,
        document=resolution,
        title="Số hóa hồ sơ",
        assignees=[world.cell_a],
        start_on=D(2025, 10, 1),
        due_on=D(2025, 12, 31),
    )
    client = client_for("secretary")
    page = client.get(reverse("documents:task_detail", args=[task.pk])).content.decode()
    assert "Báo cáo tiến độ" in page and 'name="percent"' in page
    response = client.post(
        reverse("documents:task_report", args=[task.pk]),
        {
            "reported_on": "2025-11-10",
            "percent": "100",
            "text": "Đã hoàn thành số hóa 100 % hồ sơ",
            "evidence": [
                SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 x"),
                SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\nxx"),
            ],
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.percent, task.done_on) == (100, D(2025, 11, 10))
    page = client.get(reverse("documents:task_detail", args=[task.pk])).content.decode()
    assert "Hoàn thành" in page and "bien-ban.pdf" in page and "anh.png" in page
    evidence = ProgressReport.objects.get().evidence.get(file_name="bien-ban.pdf")
    download = client.get(reverse("documents:evidence", args=[evidence.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 x"


def test_a_bad_report_names_the_field_and_saves_nothing(world, resolution):
    [task] = tasks.task_create(
        actor=None,
        document=resolution,
        title="Số hóa hồ sơ",
        assignees=[world.cell_a],
        start_on=D(2025, 10, 1),
        due_on=D(2025, 12, 31),
    )
    response = client_for("secretary").post(
        reverse("documents:task_report", args=[task.pk]),
        {
            "reported_on": "2025-11-10",
            "percent": "150",
            "evidence": [SimpleUploadedFile("bao-cao.docx", b"not a zip")],
        },
    )
    html = response.content.decode()
    assert response.status_code == 200 and ProgressReport.objects.count() == 0
    assert "Tiến độ không thể vượt quá 100% (bạn ghi 150%)." in html


def test_the_dashboard_counts_by_status_and_marks_late_work(world, resolution, django_assert_max_num_queries):
    today = timezone.localdate()
    start = resolution.issued_on
    late = tasks.task_create(
        actor=None,
        document=resolution,
        title="Việc quá hạn",
        assignees=[world.cell_a],
        start_on=start,
        due_on=today - dt.timedelta(days=3),
    )[0]
    tasks.task_create(
        actor=None,
        document=resolution,
        title="Việc còn hạn",
        assignees=[world.cell_b, world.cell_a],
        start_on=start,
        due_on=today + dt.timedelta(days=300),
    )
    client = client_for("office")
    with django_assert_max_num_queries(10):
        html = client.get(reverse("documents:tasks")).content.decode()
    assert "Việc quá hạn" in html and 'class="table-danger"' in html
    only_late = client.get(reverse("documents:tasks"), {"qua_han": "on"}).content.decode()
    assert "Việc quá hạn" in only_late and "Việc còn hạn" not in only_late
    assert reverse("documents:task_detail", args=[late.pk]) in only_late
    # The member of cell B sees only cell B's task.
    from tests.conftest import make_user

    make_user("dv_b", role="member", organisation=world.cell_b)
    mine = client_for("dv_b").get(reverse("documents:tasks")).content.decode()
    assert "Việc còn hạn" in mine and "Việc quá hạn" not in mine


def test_the_dashboard_rolls_up_by_assigning_organisation_then_by_assignee(world, resolution):
    from tests.documents.conftest import outside

    today = timezone.localdate()
    start = resolution.issued_on
    tasks.task_create(
        actor=None,
        document=resolution,
        title="Việc của Đảng ủy Tổng công ty",
        assignees=[world.cell_a, world.cell_b],
        start_on=start,
        due_on=today - dt.timedelta(days=1),
    )
    directive = outside(world.grassroots, "03-CT/TW", D(2021, 5, 19))
    tasks.task_create(
        actor=None,
        document=directive,
        title="Việc của Đảng bộ Cơ quan",
        assignees=[world.cell_b],
        start_on=D(2021, 6, 1),
        due_on=today + dt.timedelta(days=5),
    )
    client = client_for("office")
    html = client.get(reverse("documents:tasks")).content.decode()
    assert "Tổng hợp theo tổ chức giao việc" in html
    rows = html.split("Tổng hợp theo tổ chức giao việc", 1)[1].split("</table>", 1)[0]
    # most late work first: the Tổng công ty's two late tasks, then the Đảng bộ Cơ quan's one
    assert rows.index("Đảng bộ Tổng công ty Thử nghiệm") < rows.index("Đảng bộ Cơ quan")
    assert f'href="?to-chuc={world.tct.pk}"' in rows
    within = client.get(reverse("documents:tasks"), {"to-chuc": world.tct.pk}).content.decode()
    rows = within.split("Tổng hợp theo nơi thực hiện", 1)[1].split("</table>", 1)[0]
    assert "Chi bộ Văn phòng" in rows and "Chi bộ Ban Đầu tư" in rows
    soon = client.get(reverse("documents:tasks"), {"sap_han": "on"}).content.decode()
    assert "Việc của Đảng bộ Cơ quan" in soon and "Việc của Đảng ủy Tổng công ty" not in soon


def test_the_dashboard_and_the_api_search_tasks_without_accents(world, resolution):
    start, due = resolution.issued_on, timezone.localdate() + dt.timedelta(days=60)
    tasks.task_create(
        actor=None,
        document=resolution,
        title="Đẩy mạnh chuyển đổi số",
        assignees=[world.cell_a],
        start_on=start,
        due_on=due,
    )
    tasks.task_create(
        actor=None,
        document=resolution,
        title="Kết nạp đảng viên mới",
        kind="target",
        target_value="12",
        indicator="Đảng viên mới",
        assignees=[world.cell_b],
        start_on=start,
        due_on=due,
    )
    client = client_for("office")
    for query, expected, other in (
        ("day manh chuyen doi", "Đẩy mạnh chuyển đổi số", "Kết nạp đảng viên mới"),
        ("DANG VIEN", "Kết nạp đảng viên mới", "Đẩy mạnh chuyển đổi số"),
        ("ban dau tu", "Kết nạp đảng viên mới", "Đẩy mạnh chuyển đổi số"),  # the assignee's name
        ("de\u0302\u0309", None, None),  # NFD input is folded too (no task has "dể": nothing found)
    ):
        html = client.get(reverse("documents:tasks"), {"q": query}).content.decode()
        if expected is None:
            assert "Không có nhiệm vụ nào" in html or "0 nhiệm vụ" in html
            continue
        assert expected in html and other not in html, query
    found = client.get(reverse("task-list"), {"q": "chuyen doi so", "due_within": "60"}).json()
    assert [t["title"] for t in found["results"]] == ["Đẩy mạnh chuyển đổi số"]
    refused = client.get(reverse("task-list"), {"due_within": "-1"})
    assert refused.status_code == 400 and "0 đến 366" in refused.json()["due_within"][0]


def test_a_count_target_reads_as_counts_not_as_decimals(world, resolution):
    """The walk-through saw "Giá trị chỉ tiêu 5,00 thỏa thuận" under the heading "Nhiệm vụ", and "40 %" in the
    list where the office wants "2/5 thỏa thuận"."""
    today = timezone.localdate()
    (target,) = tasks.task_create(
        actor=None,
        document=resolution,
        title="Ký thỏa thuận phối hợp",
        kind="target",
        target_value="5",
        measure="thỏa thuận",
        indicator="Thỏa thuận phối hợp",
        assignees=[world.cell_a],
        start_on=today - dt.timedelta(days=30),
        due_on=today + dt.timedelta(days=30),
    )
    tasks.task_report(actor=None, task=target, reported_on=today, value="2")
    client = client_for("office")
    page = client.get(reverse("documents:task_detail", args=[target.pk])).content.decode()
    assert "5 thỏa thuận" in page and "2 thỏa thuận" in page and "5,00" not in page and "2,00" not in page
    assert '<h2 class="h5" id="task-h">Chỉ tiêu</h2>' in page
    listing = client.get(reverse("documents:tasks")).content.decode()
    assert "2/5 thỏa thuận (40 %)" in listing
