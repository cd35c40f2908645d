"""Reminders of unfinished tasks: on which days (rules/tasks.py), to whom, and the e-mails and command
that send them."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from dangbo.documents import tasks
from dangbo.orgs import services as org_services
from tests.documents.conftest import D, own

pytestmark = pytest.mark.django_db

ON = D(2026, 11, 21)
START = D(2026, 2, 1)


@pytest.fixture
def plan(world, terms):
    for name in ("office", "secretary", "leader"):
        user = world.users[name]
        user.email = f"{name}@vnpost.test"
        user.save()
    return own(world.tct, "KH", D(2026, 1, 15), summary="Kế hoạch chuyển đổi số")


def task(plan, assignee, due, *, title, owner=None, start=START):
    [made] = tasks.task_create(
        actor=None,
        document=plan,
        title=title,
        assignees=[assignee],
        start_on=start,
        due_on=due,
        owner=owner,
    )
    return made


def test_who_is_reminded_on_which_day(world, plan):
    owner = org_services.person_create(
        actor=None,
        full_name="Phạm Thị Phụ Trách",
        gender="female",
        birth_date=D(1980, 1, 1),
        organisation=world.cell_a,
        email="Phu.Trach@VNPost.test",
    )
    week = task(plan, world.cell_a, ON + dt.timedelta(days=7), title="Cập nhật hồ sơ", owner=owner)
    late = task(plan, world.cell_a, ON - dt.timedelta(days=8), title="Rà soát đảng viên")
    unit = task(plan, world.dept_a, ON + dt.timedelta(days=1), title="Báo cáo số liệu")
    task(plan, world.cell_a, ON + dt.timedelta(days=6), title="Không đúng ngày nhắc")
    task(plan, world.cell_a, ON - dt.timedelta(days=3), title="Quá hạn 3 ngày: nhắc lại sau")
    done = task(plan, world.cell_a, ON + dt.timedelta(days=30), title="Đã xong")
    tasks.task_report(actor=None, task=done, reported_on=D(2026, 11, 1), percent=100)
    cancelled = task(plan, world.cell_b, ON + dt.timedelta(days=30), title="Đã hủy")
    tasks.task_cancel(actor=None, task=cancelled, reason="Không còn phù hợp")

    found = {r.task.title: r for r in tasks.task_reminders(ON)}
    assert list(found) == ["Rà soát đảng viên", "Báo cáo số liệu", "Cập nhật hồ sơ"]  # soonest due first
    assert found["Rà soát đảng viên"].days == -8 and found["Cập nhật hồ sơ"].days == 7
    # the owner and the cell's secretary (not its leaders); a unit's task without owner: the office
    assert found["Cập nhật hồ sơ"].recipients == ("phu.trach@vnpost.test", "secretary@vnpost.test")
    assert found["Rà soát đảng viên"].recipients == ("secretary@vnpost.test",)
    assert found["Báo cáo số liệu"].recipients == ("office@vnpost.test",)
    assert [r.task for r in tasks.task_reminders(ON, within=world.cell_b)] == []
    assert {r.task for r in tasks.task_reminders(ON, within=world.cell_a)} == {week, late}
    assert unit in {r.task for r in tasks.task_reminders(ON, within=world.tct)}


def test_one_mail_per_person_lists_all_their_tasks_late_first_with_links(world, plan, settings):
    settings.SITE_URL = "https://dangbo.vnpost.test"
    soon = task(plan, world.cell_a, ON + dt.timedelta(days=30), title="Tổng kết phong trào")
    late = task(plan, world.cell_a, ON - dt.timedelta(days=1), title="Nộp báo cáo quý")
    mails = tasks.reminder_mails(tasks.task_reminders(ON))
    assert [m.to for m in mails] == [["secretary@vnpost.test"]]
    [message] = mails
    assert message.subject == "[Đảng bộ số] Nhắc việc: 1 nhiệm vụ quá hạn, 1 nhiệm vụ sắp đến hạn"
    body = message.body
    assert body.index("Nộp báo cáo quý") < body.index("Tổng kết phong trào")
    assert (
        f"[Quá hạn 1 ngày] Nộp báo cáo quý — Chi bộ Văn phòng — hạn {ON - dt.timedelta(days=1):%d/%m/%Y}"
        in body
    )
    assert f"https://dangbo.vnpost.test/nhiem-vu/{late.pk}/" in body and f"/nhiem-vu/{soon.pk}/" in body


def test_the_command_lists_and_with_send_mails(world, plan, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: ON)
    task(plan, world.cell_b, ON + dt.timedelta(days=7), title="Học tập nghị quyết")
    out = StringIO()
    call_command("task-reminders", stdout=out)
    text = out.getvalue()
    assert "[Còn 7 ngày] Học tập nghị quyết — Chi bộ Ban Đầu tư" in text
    assert "gửi: office@vnpost.test" in text  # cell B has no secretary login: the assigning office
    assert "Cần nhắc 1 nhiệm vụ." in text and mail.outbox == []
    call_command("task-reminders", "--send", stdout=out)
    assert [m.to for m in mail.outbox] == [["office@vnpost.test"]]
    assert "Đã gửi 1 thư nhắc việc." in out.getvalue()
    quiet = StringIO()
    call_command("task-reminders", "--org", str(world.cell_a.pk), stdout=quiet)
    assert "Hôm nay không có nhiệm vụ nào cần nhắc." in quiet.getvalue()


def test_reminders_take_three_queries_whatever_the_number_of_tasks(world, plan, django_assert_num_queries):
    for k in range(12):
        task(
            plan,
            [world.cell_a, world.cell_b, world.dept_a][k % 3],
            ON - dt.timedelta(days=1 + 7 * k),
            title=f"Việc {k}",
        )
    with django_assert_num_queries(3):
        found = tasks.task_reminders(ON)
        assert len(found) == 12 and all(r.recipients for r in found)
