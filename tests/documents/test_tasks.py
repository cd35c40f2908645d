"""Tasks and targets under a document: setting them, reporting progress, statuses computed by the
database equal to rules/tasks.py, roll-ups, who may read and write — each refusal in Vietnamese,
naming the field, saving nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangbo.core.models import AuditEvent
from dangbo.documents import tasks
from dangbo.documents.models import Document, ProgressReport, Task
from dangbo.orgs import services as org_services
from dangbo.orgs.models import Organisation
from dangbo.rules import tasks as rules
from dangbo.rules.tasks import TaskStatus
from tests.conftest import make_user
from tests.documents.conftest import D, own
from tests.helpers import refused

pytestmark = pytest.mark.django_db

START, DUE = D(2025, 10, 1), D(2025, 12, 31)


@pytest.fixture
def resolution(world, terms) -> Document:
    return own(world.tct, "NQ", D(2025, 9, 1), summary="Nghị quyết về chuyển đổi số")


def make(resolution, assignees, start=START, due=DUE, **extra) -> list[Task]:
    return tasks.task_create(
        actor=None,
        document=resolution,
        title=extra.pop("title", "Số hóa hồ sơ đảng viên"),
        assignees=assignees,
        start_on=start,
        due_on=due,
        **extra,
    )


def test_one_task_per_assignee_assigned_by_the_documents_register(world, resolution):
    made = make(resolution, [world.cell_a, world.dept_a], owner=None)
    assert [(t.assignee_org, t.assignee_unit) for t in made] == [(world.cell_a, None), (None, world.dept_a)]
    for task in made:
        assert (task.assigner, task.assigner_path) == (world.tct, world.tct.path)
        assert (task.percent, task.done_on) == (0, None)
        assert task.risk_from == D(2025, 10, 1) + dt.timedelta(days=(20 * 91) // 100 + 1)
    assert made[0].assignee_path == world.cell_a.path and made[1].assignee_unit_path == world.dept_a.path
    assert AuditEvent.objects.filter(action="task.create").count() == 2


def test_bad_tasks_are_refused_and_nothing_is_saved(world, resolution):
    def bad(field, **kw):
        args = {
            "actor": None,
            "document": resolution,
            "title": "Việc",
            "assignees": [world.cell_a],
            "start_on": D(2025, 10, 1),
            "due_on": D(2025, 12, 31),
            **kw,
        }
        message = refused(field, tasks.task_create, **args)
        assert Task.objects.count() == 0
        return message

    assert bad("due_on", due_on=D(2025, 9, 30)) == "Hạn hoàn thành 30/09/2025 trước ngày bắt đầu 01/10/2025."
    assert "01/09/2025" in bad("start_on", start_on=D(2025, 8, 31))
    assert bad("title", title="   ") == "Hãy ghi việc phải làm."
    assert "Đảng bộ Tập đoàn Khác" in bad("assignees", assignees=[world.other_upper])
    assert "Bưu điện" not in bad("assignees", assignees=[])
    assert bad("target_value", kind="target", indicator="Doanh thu", target_value="0") == (
        "Chỉ tiêu cần giá trị lớn hơn 0."
    )
    assert "“nhiều”" in bad("target_value", kind="target", indicator="Doanh thu", target_value="nhiều")
    assert "chỉ tiêu" in bad("indicator", kind="target", target_value="10").lower()
    Organisation.objects.filter(pk=world.cell_b.pk).update(dissolved_on=D(2025, 9, 1))  # merged away
    assert "Chi bộ Ban Đầu tư" in bad("assignees", assignees=[Organisation.objects.get(pk=world.cell_b.pk)])


def test_only_the_office_of_the_register_sets_tasks(world, resolution):
    make(resolution, [world.cell_a])  # the system may
    for name in ("secretary", "member", "leader", "outsider"):
        with pytest.raises(PermissionDenied):
            tasks.task_create(
                actor=world.users[name],
                document=resolution,
                title="Việc",
                assignees=[world.cell_a],
                start_on=D(2025, 10, 1),
                due_on=D(2025, 10, 2),
            )
    made = tasks.task_create(
        actor=world.users["office"],
        document=resolution,
        title="Việc",
        assignees=[world.cell_a],
        start_on=D(2025, 10, 1),
        due_on=D(2025, 10, 2),
    )
    assert made[0].created_by == world.users["office"]


def test_vietnamese_numbers_for_targets(world, resolution):
    [task] = make(
        resolution,
        [world.cell_a],
        kind="target",
        indicator="Doanh thu",
        measure="tỷ đồng",
        target_value="1.126,5",
    )
    assert task.target_value == Decimal("1126.50")
    report = tasks.task_report(actor=None, task=task, reported_on=D(2025, 11, 1), value="1.126")
    assert report.value == Decimal("1126.00")
    task.refresh_from_db()
    assert (task.percent, task.value, task.done_on) == (99, Decimal("1126.00"), None)


def test_reports_move_the_task_and_are_audited(world, resolution):
    [task] = make(resolution, [world.cell_a])
    tasks.task_report(actor=None, task=task, reported_on=D(2025, 11, 1), percent="60", text="Đã số hóa 60 %")
    task.refresh_from_db()
    assert (task.percent, task.last_report_on, task.done_on) == (60, D(2025, 11, 1), None)
    assert task.risk_from == rules.risk_from(task.start_on, task.due_on, 60, 20)
    evidence = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban")
    tasks.task_report(actor=None, task=task, reported_on=D(2025, 12, 20), percent=100, evidence=[evidence])
    task.refresh_from_db()
    assert (task.percent, task.done_on) == (100, D(2025, 12, 20))
    report = task.reports.last()
    assert report.evidence.get().file_name == "bien-ban.pdf"
    assert report.evidence.get().sha256 == hashlib.sha256(b"%PDF-1.4 bien ban").hexdigest()
    actions = list(AuditEvent.objects.filter(action__startswith="task.").values_list("action", flat=True))
    assert actions.count("task.report") == 2 and actions.count("task.evidence") == 1
    assert actions.count("task.progress") == 2


def test_bad_reports_are_refused_and_change_nothing(world, resolution):
    [task] = make(resolution, [world.cell_a])
    [target] = make(resolution, [world.cell_a], kind="target", indicator="Đảng viên mới", target_value=20)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    def bad(field, on=task, **kw):
        message = refused(
            field, tasks.task_report, actor=None, task=on, **{"reported_on": D(2025, 11, 1), **kw}
        )
        assert ProgressReport.objects.count() == 0
        return message

    assert bad("percent", percent="120") == "Tiến độ không thể vượt quá 100% (bạn ghi 120%)."
    assert "0 đến 100" in bad("percent", percent="")
    assert "“-5”" in bad("percent", percent="-5")
    assert "“năm mươi”" in bad("percent", percent="năm mươi")
    assert "trong tương lai" in bad("reported_on", percent=10, reported_on=tomorrow)
    assert "01/10/2025" in bad("reported_on", percent=10, reported_on=D(2025, 9, 30))
    assert "Đảng viên mới" in bad("value", on=target)
    assert "âm" in bad("value", on=target, value="-1")
    fake = SimpleUploadedFile("anh.jpg", b"%PDF-1.4 not a photo")
    assert "anh.jpg" in bad("evidence", percent=10, evidence=[fake])
    script = SimpleUploadedFile("virus.exe", b"MZ")
    assert "virus.exe" in bad("evidence", percent=10, evidence=[script])
    tasks.task_cancel(actor=None, task=task, reason="Không còn phù hợp")
    assert "hủy" in bad("task", percent=10)
    task.refresh_from_db()
    assert task.percent == 0


def test_who_may_report(world, resolution):
    [for_cell_a] = make(resolution, [world.cell_a])
    [for_unit] = make(resolution, [world.dept_a])
    assert tasks.may_report(world.users["secretary"], for_cell_a)
    assert tasks.may_report(world.users["office"], for_cell_a)  # the office that assigned it
    assert tasks.may_report(world.users["leader"], for_unit)  # the units the committee leads
    assert tasks.may_report(world.users["secretary"], for_unit)  # cell_a leads the department
    for name in ("member", "inspection", "emulation", "outsider", "norole"):
        assert not tasks.may_report(world.users[name], for_cell_a), name
    secretary_b = make_user("bt_b", role="cell_secretary", organisation=world.cell_b)
    assert not tasks.may_report(secretary_b, for_cell_a)
    with pytest.raises(PermissionDenied):
        tasks.task_report(actor=secretary_b, task=for_cell_a, reported_on=D(2025, 11, 1), percent=5)
    # The person in charge may report on their task whatever their role.
    owner_user = make_user("owner")
    person = org_services.person_create(actor=None, full_name="Lê Văn Phụ Trách", organisation=world.cell_b)
    org_services.person_link_user(actor=None, person=person, user=owner_user)
    [owned] = make(resolution, [world.cell_a], owner=person)
    owner_user = type(owner_user).objects.get(pk=owner_user.pk)
    assert tasks.may_report(owner_user, owned) and not tasks.may_report(owner_user, for_cell_a)
    tasks.task_report(actor=owner_user, task=owned, reported_on=D(2025, 11, 1), percent=5)


def test_who_may_read(world, resolution):
    make(resolution, [world.cell_a])
    make(resolution, [world.cell_b], title="Việc của chi bộ B")
    secret = own(world.tct, "NQ", D(2025, 9, 2), summary="Nghị quyết mật", secrecy="secret")
    make(secret, [world.cell_a], title="Việc mật")

    def titles(name):
        return sorted(tasks.tasks_visible(world.users[name]).values_list("title", flat=True))

    assert titles("member") == ["Số hóa hồ sơ đảng viên"]  # only what their cell carries out
    assert titles("secretary") == ["Số hóa hồ sơ đảng viên"]
    assert titles("office") == ["Số hóa hồ sơ đảng viên", "Việc của chi bộ B", "Việc mật"]
    assert titles("emulation") == ["Số hóa hồ sơ đảng viên", "Việc của chi bộ B"]  # not the secret one
    assert titles("outsider") == []


# --- The database's status equals the rule's -------------------------------------------------------

DAYS = [
    START - dt.timedelta(days=1),
    START,
    D(2025, 10, 19),
    D(2025, 10, 20),
    D(2025, 11, 15),
    D(2025, 12, 5),
    DUE,
    DUE + dt.timedelta(days=1),
    D(2026, 1, 20),
]


def test_database_status_equals_the_rule_on_every_day(world, resolution):
    """A grid of tasks (progress × completion × cancellation) judged on days around every boundary: the
    CASE annotation, every per-status filter and the tally agree with rules.tasks.status."""
    made = []
    for percent, done_on, cancelled in itertools.product(
        (0, 15, 60, 100), (None, D(2025, 12, 20), D(2026, 1, 10)), (False, True)
    ):
        if (percent == 100) != (done_on is not None):
            continue
        [task] = make(resolution, [world.cell_a], title=f"{percent} {done_on} {cancelled}")
        margin = rules.task_rules(START).at_risk_margin_points
        Task.objects.filter(pk=task.pk).update(
            percent=percent,
            done_on=done_on,
            risk_from=rules.risk_from(START, DUE, percent, margin),
            cancelled_on=D(2025, 11, 1) if cancelled else None,
        )
        made.append(task.pk)
    assert len(made) == 10
    qs = Task.objects.filter(pk__in=made)
    for on in DAYS:
        expected = {
            t.pk: rules.status(
                start_on=t.start_on,
                due_on=t.due_on,
                on=on,
                percent=t.percent,
                done_on=t.done_on,
                cancelled_on=t.cancelled_on,
            )
            for t in qs
        }
        got = dict(tasks.with_status(qs, on).values_list("pk", "status"))
        assert got == expected, on
        for status in TaskStatus:
            chosen = set(qs.filter(tasks.status_condition(status, on)).values_list("pk", flat=True))
            assert chosen == {pk for pk, s in expected.items() if s == status}, (on, status)
        assert tasks.tally(qs, on) == rules.tally(list(expected.values()))


def test_rollup_by_assignee_and_the_overdue_filter(world, resolution):
    [a1] = make(resolution, [world.cell_a], title="A1", due=D(2025, 10, 31))
    make(resolution, [world.cell_a], title="A2")
    [b1] = make(resolution, [world.cell_b], title="B1", due=D(2025, 10, 31))
    tasks.task_report(actor=None, task=b1, reported_on=D(2025, 10, 30), percent=100)
    on = D(2025, 11, 5)
    rows = tasks.by_assignee(tasks.tasks_visible(world.users["office"]), on)
    assert [(r.name, r.tally.total, r.tally.late, r.tally.done) for r in rows] == [
        ("Chi bộ Văn phòng", 2, 1, 0),
        ("Chi bộ Ban Đầu tư", 1, 0, 1),
    ]
    overdue = tasks.task_list(world.users["office"], on, tasks.TaskFilters(overdue_only=True))
    assert [(t.title, t.status) for t in overdue] == [(a1.title, "late")]
    by_status = tasks.task_list(world.users["office"], on, tasks.TaskFilters(status="done"))
    assert [t.title for t in by_status] == ["B1"]


def test_reschedule_and_cancel(world, resolution):
    [task] = make(resolution, [world.cell_a], due=D(2025, 10, 31))
    assert "trước ngày bắt đầu" in refused(
        "due_on", tasks.task_reschedule, actor=None, task=task, due_on=D(2025, 9, 1), reason="Gia hạn"
    )
    assert (
        "lý do"
        in refused(
            "reason", tasks.task_reschedule, actor=None, task=task, due_on=D(2025, 12, 1), reason=" "
        ).lower()
    )
    task = tasks.task_reschedule(actor=None, task=task, due_on=D(2025, 12, 1), reason="Chờ phần mềm")
    assert task.due_on == D(2025, 12, 1)
    assert task.risk_from == rules.risk_from(task.start_on, D(2025, 12, 1), 0, 20)
    with pytest.raises(PermissionDenied):
        tasks.task_cancel(actor=world.users["secretary"], task=task, reason="x")
    tasks.task_cancel(actor=world.users["office"], task=task, reason="Nghị quyết mới thay thế")
    assert "hủy" in refused("reason", tasks.task_cancel, actor=None, task=task, reason="Lần nữa")
    assert (
        tasks.with_status(Task.objects.filter(pk=task.pk), timezone.localdate()).get().status == "cancelled"
    )


def test_the_migration_fills_the_search_text_of_tasks_set_before_it(world, resolution):
    import importlib

    from django.apps import apps

    fill = importlib.import_module("dangbo.documents.migrations.0003_task_search_text").fill
    [task] = make(resolution, [world.dept_a], title="Đào tạo kỹ năng số", indicator="Lượt người")
    expected = task.search_text
    assert expected == "dao tao ky nang so luot nguoi van phong tong cong ty 01-nq/du"
    Task.objects.update(search_text="")
    fill(apps, None)
    task.refresh_from_db()
    assert task.search_text == expected
