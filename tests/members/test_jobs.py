"""The import page: upload → background job → progress → report; the upload cap; the thread runner."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangbo.core.models import AuditEvent
from dangbo.members import jobs
from dangbo.members.models import ImportJob, PartyMember
from tests.helpers import client_for
from tests.members.test_import import HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(world) -> bytes:
    a, b = world.cell_a.pk, world.cell_b.pk
    return "\n".join(
        [
            HEADER,
            f"Nguyễn Văn Đức,15/03/1980,Nam,001080000111,68000111,19/05/2005,19/05/2006,{a},Kinh",
            f"Trần Thị Ánh,02/09/1990,Nữ,001090000222,,03/02/2020,,{a},Tày",
            f"Lê Văn Dũng,07/11/1975,nam,,68000333,2001-01-20,2002-01-20,{b},Kinh",
        ]
    ).encode()


def upload(client: Client, url: str, content: bytes, name: str = "so.csv", **fields: str):
    return client.post(url, {"file": SimpleUploadedFile(name, content), **fields})


def test_the_page_checks_then_imports_through_a_job_and_reports_in_vietnamese(world, content):
    client = client_for("office")
    url = reverse("members:import", args=[world.tct.pk])
    checked = upload(client, url, content, dry_run="on")
    job = ImportJob.objects.get()
    assert checked.status_code == 302 and checked["Location"] == reverse("members:import_job", args=[job.pk])
    page = client.get(checked["Location"]).content.decode()
    assert "Tệp đúng" in page and "3 dòng" in page and not PartyMember.objects.exists()
    assert job.state == "done" and job.report["problem_count"] == 0 and job.report["rows"] == 3

    done = client.get(upload(client, url, content)["Location"]).content.decode()
    assert "Đã nhập xong" in done and PartyMember.objects.count() == 3
    # the upload is gone once the job ends; the job and its start are on record
    assert not any(Path(jobs.folder(j)).exists() for j in ImportJob.objects.all())
    assert AuditEvent.objects.filter(action="member.import.start").count() == 2
    listing = client.get(url).content.decode()
    assert "Lần nhập gần đây" in listing and "so.csv" in listing


def test_a_bad_file_gets_the_row_column_and_reason_and_writes_nothing(world):
    client = client_for("office")
    url = reverse("members:import", args=[world.tct.pk])
    bad = f"{HEADER}\n,,,,,,,{world.cell_a.pk},\n".encode()
    html = client.get(upload(client, url, bad)["Location"]).content.decode()
    assert "Họ và tên" in html and "không được để trống" in html and "Chưa ghi gì" in html
    assert not PartyMember.objects.exists()
    refused = client.get(upload(client, url, b"%PDF", name="so.pdf")["Location"]).content.decode()
    assert "Chỉ nhận tệp .xlsx hoặc .csv" in refused
    assert ImportJob.objects.filter(state="failed").count() == 1


def test_a_file_above_the_cap_is_dropped_while_uploading_and_explained(world, content, settings):
    settings.UPLOAD_MAX_BYTES = 100  # the file below is larger
    client = client_for("office")
    response = upload(client, reverse("members:import", args=[world.tct.pk]), content)
    html = response.content.decode()
    assert response.status_code == 200 and "lớn quá" in html and "so.csv" in html
    assert not ImportJob.objects.exists() and not PartyMember.objects.exists()


def test_the_status_shows_progress_while_running_and_marks_a_vanished_run_failed(world, settings):
    job = ImportJob.objects.create(organisation=world.tct, file_name="lon.csv", state="running")
    where = jobs.folder(job)
    where.mkdir(parents=True)
    jobs._write_progress(where, {"phase": "check", "rows": 120000, "fraction": 0.45})
    client = client_for("office")
    status = client.get(reverse("members:import_job_status", args=[job.pk])).json()
    assert status == {
        "state": "running",
        "finished": False,
        "phase": "check",
        "rows": 120000,
        "fraction": 0.45,
        "label": "Đang đọc và kiểm tra từng dòng: 120.000 dòng",
    }
    page = client.get(reverse("members:import_job", args=[job.pk])).content.decode()
    assert 'value="0.4500"' in page and "120.000 dòng" in page and 'http-equiv="refresh"' in page
    # a run whose process died leaves a progress file that stops moving
    with time_machine.travel(timezone.now() - jobs.STALE_AFTER - dt.timedelta(minutes=1)):
        jobs._write_progress(where, {"phase": "check", "rows": 120000, "fraction": 0.45})
    assert client.get(reverse("members:import_job_status", args=[job.pk])).json()["state"] == "failed"
    job.refresh_from_db()
    assert job.state == "failed" and "gián đoạn" in job.error


def test_a_job_is_seen_only_within_scope(world, content):
    office = client_for("office")
    upload(office, reverse("members:import", args=[world.tct.pk]), content, dry_run="on")
    job = ImportJob.objects.get()
    assert client_for("outsider").get(reverse("members:import_job", args=[job.pk])).status_code == 404
    assert client_for("outsider").get(reverse("members:import_job_status", args=[job.pk])).status_code == 404
    assert client_for("member").get(reverse("members:import_job", args=[job.pk])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_thread_runner_imports_in_the_background(world, content, settings, tmp_path):
    settings.IMPORT_RUNNER = "thread"
    started: list[threading.Thread] = []
    original = threading.Thread.start

    def remember(self):  # type: ignore[no-untyped-def]
        started.append(self)
        original(self)

    threading.Thread.start = remember  # type: ignore[method-assign]
    try:
        response = upload(client_for("office"), reverse("members:import", args=[world.tct.pk]), content)
    finally:
        threading.Thread.start = original  # type: ignore[method-assign]
    assert response.status_code == 302 and [t.name for t in started] == [
        f"import-{ImportJob.objects.get().pk}"
    ]
    started[0].join(timeout=60)
    job = ImportJob.objects.get()
    assert job.state == "done" and job.report["created"] == 3 and PartyMember.objects.count() == 3
    assert json.loads(json.dumps(job.report))["problems"] == []


def test_the_job_page_shows_conflicts_and_changes_of_a_re_import(world, content):
    client = client_for("secretary")  # may not see full identity numbers: they stay masked
    url = reverse("members:import", args=[world.cell_a.pk])
    mine = b"\n".join(line for line in content.split(b"\n") if "Lê Văn Dũng".encode() not in line)
    upload(client, url, mine)
    changed = mine.replace("Trần Thị Ánh".encode(), "Lý Đã Có".encode()).replace(b",Kinh", ",Mường".encode())
    page = client.get(upload(client, url, changed, dry_run="on")["Location"]).content.decode()
    assert "số CCCD •••••••••222 là của đồng chí Trần Thị Ánh; tệp ghi Lý Đã Có" in page
    assert "001090000222" not in page
    job = ImportJob.objects.latest("pk")
    assert job.report["problems"] == [
        [3, "Họ và tên", "số CCCD •••••••••222 là của đồng chí Trần Thị Ánh; tệp ghi Lý Đã Có"]
    ]
    assert job.report["changes"] == [[2, "Dân tộc", "Kinh", "Mường"]]
    assert "Kinh → Mường" in page.replace("<td>", "").replace("</td>", "")

    fixed = mine.replace(b",Kinh", ",Mường".encode())
    page = client.get(upload(client, url, fixed)["Location"]).content.decode()
    assert "Đã nhập xong" in page and "1 cập nhật" in page and "1 không đổi" in page
    assert ImportJob.objects.latest("pk").report["changes"] == [[2, "Dân tộc", "Kinh", "Mường"]]
    assert PartyMember.objects.get(national_id="001080000111").ethnicity == "Mường"
