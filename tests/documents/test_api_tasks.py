"""API v1 for tasks: the same services, scope and refusals as the pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from dangbo.core.models import AuditEvent
from dangbo.documents.models import ProgressReport, Task
from tests.conftest import PASSWORD
from tests.documents.conftest import D, own

pytestmark = pytest.mark.django_db


def api(username: str) -> APIClient:
    client = APIClient()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def resolution(world, terms):
    return own(world.tct, "NQ", D(2025, 9, 1), summary="Nghị quyết về chuyển đổi số")


def _create(client, resolution, world, **extra):
    body = {
        "document": resolution.pk,
        "title": "Doanh thu dịch vụ số",
        "kind": "target",
        "indicator": "Doanh thu",
        "measure": "tỷ đồng",
        "target_value": "1.126",
        "organisations": [world.cell_a.pk],
        "units": [world.dept_a.pk],
        "start_on": "2025-10-01",
        "due_on": "2025-12-31",
        **extra,
    }
    return client.post("/api/v1/tasks/", body, format="json")


def test_set_report_and_read_tasks(world, resolution):
    office = api("office")
    response = _create(office, resolution, world)
    assert response.status_code == 201, response.content
    made = response.json()
    assert [(t["assignee_org"], t["assignee_unit"], t["target_value"]) for t in made] == [
        (world.cell_a.pk, None, "1126.00"),
        (None, world.dept_a.pk, "1126.00"),
    ]
    task_id = made[0]["id"]
    report = api("secretary").post(
        f"/api/v1/tasks/{task_id}/reports/",
        {
            "reported_on": "2025-12-20",
            "value": "1.200,5",
            "text": "Vượt chỉ tiêu",
            "evidence": [SimpleUploadedFile("bc.pdf", b"%PDF-1.4 bc")],
        },
        format="multipart",
    )
    assert report.status_code == 201, report.content
    assert report.json()["evidence"][0]["file_name"] == "bc.pdf"
    task = api("member").get(f"/api/v1/tasks/{task_id}/").json()
    assert (task["percent"], task["value"], task["done_on"], task["status"]) == (
        100,
        "1200.50",
        "2025-12-20",
        "done",
    )
    listed = api("member").get("/api/v1/tasks/").json()
    # The member's cell carries out one; the department it leads the other.
    assert sorted(t["id"] for t in listed["results"]) == [t["id"] for t in made]
    assert api("outsider").get("/api/v1/tasks/").json()["count"] == 0
    summary = office.get("/api/v1/tasks/summary/", {"document": resolution.pk}).json()
    assert summary["total"] == 2 and summary["done"] == 1
    assert office.get("/api/v1/tasks/", {"status": "done"}).json()["count"] == 1
    assert office.get(f"/api/v1/tasks/{task_id}/reports/").json()[0]["value"] == "1200.50"


def test_bad_input_is_a_400_in_vietnamese_and_saves_nothing(world, resolution):
    office = api("office")
    events = AuditEvent.objects.count()
    response = _create(office, resolution, world, due_on="2025-09-30")
    assert response.status_code == 400
    assert "trước ngày bắt đầu" in str(response.json())
    assert _create(office, resolution, world, organisations=[world.other_cell.pk]).status_code == 400
    assert _create(office, resolution, world, surprise=1).status_code == 400
    assert Task.objects.count() == 0 and AuditEvent.objects.count() == events
    [task] = _create(office, resolution, world, kind="task", units=[]).json()
    bad = api("secretary").post(
        f"/api/v1/tasks/{task['id']}/reports/", {"reported_on": "2025-11-01", "percent": "101"}
    )
    assert bad.status_code == 400 and "100%" in str(bad.json())
    assert office.get("/api/v1/tasks/", {"status": "unknown"}).status_code == 400
    assert ProgressReport.objects.count() == 0


def test_who_may_do_what(world, resolution):
    [task] = _create(api("office"), resolution, world, kind="task", units=[]).json()
    assert _create(api("secretary"), resolution, world).status_code == 403
    assert (
        api("member")
        .post(f"/api/v1/tasks/{task['id']}/reports/", {"reported_on": "2025-11-01", "percent": "5"})
        .status_code
        == 403
    )
    assert api("outsider").get(f"/api/v1/tasks/{task['id']}/").status_code == 404
    assert api("secretary").post(f"/api/v1/tasks/{task['id']}/cancel/", {"reason": "x"}).status_code == 403
    moved = api("office").post(
        f"/api/v1/tasks/{task['id']}/reschedule/", {"due_on": "2026-01-31", "reason": "Chờ phần mềm"}
    )
    assert moved.status_code == 200 and moved.json()["due_on"] == "2026-01-31"
    cancelled = api("office").post(
        f"/api/v1/tasks/{task['id']}/cancel/", {"reason": "Thay bằng nghị quyết mới"}
    )
    assert cancelled.json()["status"] == "cancelled"
