"""Implementation of a document: the tasks and targets it sets, their progress and the dashboard.

Services (keyword-only, acting user first; None is the system, e.g. the demo loader) validate
everything before writing — a refused call changes nothing and names the field — and audit every
written row. Selectors read through the scoping function. Statuses are computed by the database from
the columns a task keeps (`percent`, `done_on`, `risk_from`, `cancelled_on`) with the same rule as
`dangbo.rules.tasks.status`; tests keep the two equal.

Who may do what (docs/decisions.md): the office of the register that keeps the document sets and
cancels its tasks (DOCUMENT_CHANGE); the assignee's secretary, office or leader reports (TASK_REPORT
over the assignee), and so may the person in charge; a task is read where it was assigned and where it
is carried out (DOCUMENT_VIEW), a task of a confidential document only with DOCUMENT_SECRET_VIEW.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Case, CharField, Count, F, IntegerField, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.core import audit
from dangbo.core.scoping import allowed, scope, scope_condition
from dangbo.core.uploads import file_problem
from dangbo.documents.models import Document, Evidence, ProgressReport, Task
from dangbo.orgs.models import Organisation, Person, RoleAssignment, Unit
from dangbo.rules import tasks as rules
from dangbo.rules.roles import Perm, Role
from dangbo.rules.tasks import TaskStatus
from dangbo.rules.vietnamese import fold, format_date, format_number, one_line, running_text

EVIDENCE_TYPES = (".pdf", ".docx", ".doc", ".odt", ".xlsx", ".xls", ".ods", ".png", ".jpg", ".jpeg")
MAX_EVIDENCE_FILES = 10
MAX_VALUE = Decimal("9999999999999999.99")


_line = one_line
_text = running_text


def _decimal(value: Any) -> Decimal | None:
    """A number typed the Vietnamese way ("1.126,5") or the machine way ("1126.5"); None if empty.
    Raises ValueError when it is not a number."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        text = str(value).strip().replace(" ", "").replace("\u00a0", "")
        if "," in text:  # Vietnamese: dots group thousands, the comma is the decimal mark
            text = text.replace(".", "").replace(",", ".")
        elif text.count(".") > 1 or (text.count(".") == 1 and len(text.split(".")[1]) == 3):
            text = text.replace(".", "")  # "1.126" is one thousand one hundred and twenty-six
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(str(value)) from exc
    if not number.is_finite() or abs(number) > MAX_VALUE:
        raise ValueError(str(value))
    return number.quantize(Decimal("0.01"))


# --- Reading -------------------------------------------------------------------------------------


def tasks_visible(user: Any) -> QuerySet[Task]:
    """The tasks a user may read: where they were assigned or are carried out; those of a confidential
    document only with the right to read confidential documents."""
    ordinary = scope_condition(Task, user, Perm.DOCUMENT_VIEW)
    secret = scope_condition(Task, user, Perm.DOCUMENT_SECRET_VIEW)
    normal = Q(document__secrecy=Document.Secrecy.NORMAL)
    return Task.objects.filter((normal & ordinary) | (~normal & secret))


def reports_visible(user: Any) -> QuerySet[ProgressReport]:
    return ProgressReport.objects.filter(task__in=tasks_visible(user))


def evidence_visible(user: Any) -> QuerySet[Evidence]:
    """The evidence files of the reports of the tasks the user may read."""
    return Evidence.objects.filter(report__task__in=tasks_visible(user))


def with_status(qs: QuerySet[Task], on: dt.date) -> QuerySet[Task]:
    """Annotate `status` on day `on`: `rules.tasks.status` written as one CASE over the kept columns."""
    return qs.annotate(
        status=Case(
            When(cancelled_on__lte=on, then=Value(TaskStatus.CANCELLED.value)),
            When(done_on__lte=on, done_on__gt=F("due_on"), then=Value(TaskStatus.DONE_LATE.value)),
            When(done_on__lte=on, then=Value(TaskStatus.DONE.value)),
            When(due_on__lt=on, then=Value(TaskStatus.LATE.value)),
            When(start_on__gt=on, then=Value(TaskStatus.NOT_STARTED.value)),
            When(risk_from__lte=on, then=Value(TaskStatus.AT_RISK.value)),
            When(percent=0, then=Value(TaskStatus.NOT_STARTED.value)),
            default=Value(TaskStatus.ON_TRACK.value),
            output_field=CharField(max_length=12),
        )
    )


def _open_on(on: dt.date) -> Q:
    """Neither done nor cancelled by day `on`."""
    not_cancelled = Q(cancelled_on__isnull=True) | Q(cancelled_on__gt=on)
    return not_cancelled & (Q(done_on__isnull=True) | Q(done_on__gt=on))


def status_condition(status: str, on: dt.date) -> Q:
    """The rows having `status` on day `on`, as a filter the indexes can serve (no CASE)."""
    not_cancelled = Q(cancelled_on__isnull=True) | Q(cancelled_on__gt=on)
    open_ = _open_on(on)
    match TaskStatus(status):
        case TaskStatus.CANCELLED:
            return Q(cancelled_on__lte=on)
        case TaskStatus.DONE:
            return not_cancelled & Q(done_on__lte=on) & Q(done_on__lte=F("due_on"))
        case TaskStatus.DONE_LATE:
            return not_cancelled & Q(done_on__lte=on) & Q(done_on__gt=F("due_on"))
        case TaskStatus.LATE:
            return open_ & Q(due_on__lt=on)
        case TaskStatus.NOT_STARTED:
            return (
                open_
                & Q(due_on__gte=on)
                & (Q(start_on__gt=on) | ((Q(risk_from__isnull=True) | Q(risk_from__gt=on)) & Q(percent=0)))
            )
        case TaskStatus.AT_RISK:
            return open_ & Q(due_on__gte=on, start_on__lte=on, risk_from__lte=on)
        case TaskStatus.ON_TRACK:
            return (
                open_
                & Q(due_on__gte=on, start_on__lte=on, percent__gt=0)
                & (Q(risk_from__isnull=True) | Q(risk_from__gt=on))
            )
    raise ValueError(status)


@dataclass(frozen=True)
class TaskFilters:
    status: str = ""
    document: Document | None = None
    organisation: Organisation | None = None  # tasks assigned by, or to, this subtree
    overdue_only: bool = False
    due_within: int | None = None  # unfinished work due in the next so many days (0: today)
    query: str = ""  # accent-insensitive words, each in the title, indicator, assignee or number


def task_list(user: Any, on: dt.date, filters: TaskFilters | None = None) -> QuerySet[Task]:
    """Tasks the user may read matching the filters, with their status on `on`: work still to do first,
    soonest due first, then finished work."""
    filters = filters or TaskFilters()
    qs = tasks_visible(user)
    if filters.document is not None:
        qs = qs.filter(document=filters.document)
    if filters.organisation is not None:
        path = filters.organisation.path
        qs = qs.filter(Q(assigner_path__within=path) | Q(assignee_path__within=path))
    if filters.status:
        qs = qs.filter(status_condition(filters.status, on))
    for word in fold(filters.query).split()[:10]:
        qs = qs.filter(search_text__contains=word)
    if filters.overdue_only:
        qs = qs.filter(status_condition(TaskStatus.LATE, on))
    if filters.due_within is not None:
        qs = qs.filter(_open_on(on), due_on__gte=on, due_on__lte=on + dt.timedelta(days=filters.due_within))
    finished = Case(
        When(Q(done_on__lte=on) | Q(cancelled_on__lte=on), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return (
        with_status(qs, on)
        .select_related("document", "assignee_org", "assignee_unit", "owner", "assigner")
        .order_by(finished, "due_on", "pk")  # work still to do first, soonest due first
    )


def _status_counts(on: dt.date) -> dict[str, Count]:
    """The aggregates of a tally: the total and one filtered count per status on `on`."""
    return {
        "total": Count("pk"),
        **{s.value: Count("pk", filter=status_condition(s, on)) for s in TaskStatus},
    }


def _tally_of(row: dict[str, Any]) -> rules.Tally:
    return rules.Tally(total=row["total"], **{s.value: row[s.value] for s in TaskStatus})


def tally(qs: QuerySet[Task], on: dt.date) -> rules.Tally:
    """Counts by status on `on` in one query."""
    return _tally_of(qs.aggregate(**_status_counts(on)))


@dataclass(frozen=True)
class AssigneeRow:
    """One organisation or unit's share of a roll-up."""

    name: str
    kind: str  # "org" or "unit"
    pk: int
    tally: rules.Tally


def by_assigner(qs: QuerySet[Task], on: dt.date) -> list[AssigneeRow]:
    """Counts by status for each organisation that assigned the tasks (the roll-up to the assigning
    organisation), in one grouped query; most late work first."""
    rows = qs.values("assigner", "assigner__name").annotate(**_status_counts(on)).order_by()
    result = [
        AssigneeRow(
            name=row["assigner__name"],
            kind="org",
            pk=row["assigner"],
            tally=_tally_of(row),
        )
        for row in rows
    ]
    return sorted(result, key=lambda r: (-r.tally.late, -r.tally.at_risk, r.name))


def by_assignee(qs: QuerySet[Task], on: dt.date) -> list[AssigneeRow]:
    """Counts by status for each assignee, in one grouped query; most late work first."""
    rows = (
        qs.values("assignee_org", "assignee_org__name", "assignee_unit", "assignee_unit__name")
        .annotate(**_status_counts(on))
        .order_by()
    )
    result = []
    for row in rows:
        is_org = row["assignee_org"] is not None
        result.append(
            AssigneeRow(
                name=row["assignee_org__name"] if is_org else row["assignee_unit__name"],
                kind="org" if is_org else "unit",
                pk=row["assignee_org"] if is_org else row["assignee_unit"],
                tally=_tally_of(row),
            )
        )
    return sorted(result, key=lambda r: (-r.tally.late, -r.tally.at_risk, r.name))


def may_report(user: Any, task: Task) -> bool:
    """The assignee's secretary, office or leader, the office that assigned it, or its person in charge."""
    if task.cancelled_on is not None:
        return False
    if allowed(user, Perm.TASK_REPORT, task) or allowed(user, Perm.DOCUMENT_CHANGE, task.document):
        return True
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    return person is not None and task.owner_id == person.pk


def may_manage(user: Any, task: Task) -> bool:
    return allowed(user, Perm.DOCUMENT_CHANGE, task.document)


def led_unit_paths(document: Document) -> list[str]:
    """The paths of the units led by an organisation of the document's register subtree (one query):
    with their subtrees, where the document's tasks may go besides the organisations."""
    return list(Unit.objects.filter(led_by__path__within=document.org_path).values_list("path", flat=True))


def assignee_choices(user: Any, document: Document) -> tuple[list[Organisation], list[Unit]]:
    """Where the document's tasks may go: the organisations of its register's subtree and the units they
    lead (with their subtrees), among those the user may see."""
    orgs = list(
        scope(Organisation.objects.select_related("parent"), user, Perm.ORG_VIEW)
        .filter(path__within=document.org_path, dissolved_on__isnull=True)
        .order_by("path")[:500]
    )
    led = led_unit_paths(document)
    condition = Q()
    for path in led:
        condition |= Q(path__within=path)
    units = (
        list(
            scope(Unit.objects.all(), user, Perm.UNIT_VIEW)
            .filter(condition, dissolved_on__isnull=True)
            .order_by("path")[:500]
        )
        if led
        else []
    )
    return orgs, units


def owner_choices(document: Document) -> QuerySet[Person]:
    """People holding a post in the document's register subtree or in the units it leads."""
    from dangbo.orgs.models import Appointment

    condition = Q(organisation__path__within=document.org_path)
    for path in led_unit_paths(document):
        condition |= Q(unit__path__within=path)
    people = Appointment.objects.current().filter(condition).values("person")
    # the choice names each person's cell or unit (dangbo.orgs.choices.person_label): fetched along
    return (
        Person.objects.filter(pk__in=people).select_related("organisation", "unit").order_by("sort_key", "pk")
    )


# --- Writing -------------------------------------------------------------------------------------


def _task_audit(task: Task) -> dict[str, Any]:
    return audit.snapshot(task)


def _in_register_subtree(document: Document, assignee: Organisation | Unit, led: list[str]) -> bool:
    if isinstance(assignee, Organisation):
        return assignee.path.startswith(document.org_path)
    return any(assignee.path.startswith(path) for path in led)


@transaction.atomic
def task_create(
    *,
    actor: Any,
    document: Document,
    title: str,
    assignees: Sequence[Organisation | Unit],
    start_on: dt.date | None,
    due_on: dt.date | None,
    kind: str = Task.Kind.TASK,
    description: str = "",
    indicator: str = "",
    measure: str = "",
    target_value: Any = None,
    owner: Person | None = None,
) -> list[Task]:
    """Set a task or a target under a document for each assignee (one task each, so each reports its
    own progress). The document's register is the assigning organisation."""
    document = Document.objects.select_related("organisation").get(pk=document.pk)
    if actor is not None and not allowed(actor, Perm.DOCUMENT_CHANGE, document):
        raise PermissionDenied
    errors: dict[str, str] = {}
    title, description = _line(title), _text(description)
    indicator, measure = _line(indicator), _line(measure)
    if not document.registered or document.status == Document.Status.WITHDRAWN:
        errors["document"] = _("Tasks can only be set by a document in force in the register.")
    if not title:
        errors["title"] = _("Write what is to be done.")
    if kind not in Task.Kind.values:
        errors["kind"] = _("Choose task or target.")
    value: Decimal | None = None
    if kind == Task.Kind.TARGET:
        if not indicator:
            errors["indicator"] = _("Name the indicator the target measures, e.g. “Doanh thu”.")
        try:
            value = _decimal(target_value)
        except ValueError:
            errors["target_value"] = _("“%(value)s” is not a number.") % {"value": target_value}
        else:
            if value is None or value <= 0:
                errors["target_value"] = _("A target needs a value greater than zero.")
    if start_on is None:
        errors["start_on"] = _("Enter the start date.")
    elif document.issued_on and start_on < document.issued_on:
        errors["start_on"] = _(
            "The task cannot start (%(start)s) before the document was issued (%(issued)s)."
        ) % {
            "start": format_date(start_on),
            "issued": format_date(document.issued_on),
        }
    if due_on is None:
        errors["due_on"] = _("Enter the due date.")
    elif start_on is not None and due_on < start_on:
        errors["due_on"] = _("The due date %(due)s is before the start date %(start)s.") % {
            "due": format_date(due_on),
            "start": format_date(start_on),
        }
    if not assignees:
        errors["assignees"] = _("Choose at least one organisation or unit to carry it out.")
    led = led_unit_paths(document) if any(isinstance(a, Unit) for a in assignees) else []
    for assignee in assignees:
        if not _in_register_subtree(document, assignee, led) or assignee.dissolved_on is not None:
            errors["assignees"] = _(
                "“%(name)s” is not an organisation or unit under %(register)s: tasks go to those it leads."
            ) % {"name": assignee.name, "register": document.organisation.name}
            break
    if errors:
        raise ValidationError(errors)
    assert start_on is not None and due_on is not None
    margin = rules.task_rules(start_on).at_risk_margin_points
    created = []
    for assignee in assignees:
        org = assignee if isinstance(assignee, Organisation) else None
        unit = assignee if isinstance(assignee, Unit) else None
        task = Task.objects.create(
            document=document,
            assigner=document.organisation,
            assigner_path=document.org_path,
            assignee_org=org,
            assignee_unit=unit,
            assignee_path=org.path if org else None,
            assignee_unit_path=unit.path if unit else None,
            title=title[:500],
            description=description,
            kind=kind,
            indicator=indicator[:255],
            measure=measure[:50],
            target_value=value,
            owner=owner,
            start_on=start_on,
            due_on=due_on,
            risk_from=rules.risk_from(start_on, due_on, 0, margin),
            search_text=task_search_text(title, indicator, assignee.name, document.symbol),
            created_by=actor,
        )
        audit.record(actor=actor, action="task.create", instance=task, after=_task_audit(task))
        created.append(task)
    return created


def task_search_text(title: str, indicator: str, assignee: str, symbol: str) -> str:
    """What the dashboard's search reads: the words folded (no marks, đ → d, lower case)."""
    return fold(" ".join(p for p in (title[:500], indicator[:255], assignee, symbol) if p))


def _refresh_progress(task: Task) -> None:
    """Rewrite the task's kept progress from all its reports (in the report's transaction)."""
    reports = [
        rules.Report(r.reported_on, r.percent, r.value) for r in task.reports.order_by("reported_on", "pk")
    ]
    state = rules.progress(reports, task.target_value if task.kind == Task.Kind.TARGET else None)
    margin = rules.task_rules(task.start_on).at_risk_margin_points
    task.percent = state.percent
    task.value = state.value
    task.last_report_on = state.last_report_on
    task.done_on = state.done_on
    task.risk_from = rules.risk_from(task.start_on, task.due_on, state.percent, margin)
    task.save(update_fields=["percent", "value", "last_report_on", "done_on", "risk_from"])


@transaction.atomic
def task_report(
    *,
    actor: Any,
    task: Task,
    reported_on: dt.date | None,
    percent: Any = None,
    value: Any = None,
    text: str = "",
    evidence: Sequence[Any] = (),
) -> ProgressReport:
    """Record progress: a percentage for a task, the value reached for a target; text; evidence files.
    The task's status follows from its dates and its latest report."""
    task = Task.objects.select_for_update().select_related("document").get(pk=task.pk)
    if actor is not None and not may_report(actor, task):
        raise PermissionDenied
    errors: dict[str, str] = {}
    text = _text(text)
    today = timezone.localdate()
    if task.cancelled_on is not None:
        errors["task"] = _("The task was cancelled on %(date)s; progress is no longer reported.") % {
            "date": format_date(task.cancelled_on)
        }
    if reported_on is None:
        errors["reported_on"] = _("Enter the date of the report.")
    elif reported_on > today:
        errors["reported_on"] = _("The report date %(date)s is in the future.") % {
            "date": format_date(reported_on)
        }
    elif reported_on < task.start_on:
        errors["reported_on"] = _("The report date %(date)s is before the task starts (%(start)s).") % {
            "date": format_date(reported_on),
            "start": format_date(task.start_on),
        }
    number: int | None = None
    reached: Decimal | None = None
    if task.kind == Task.Kind.TARGET:
        try:
            reached = _decimal(value)
        except ValueError:
            errors["value"] = _("“%(value)s” is not a number.") % {"value": value}
        else:
            if reached is None:
                errors["value"] = _("Enter the value reached (%(indicator)s).") % {
                    "indicator": task.indicator
                }
            elif reached < 0:
                errors["value"] = _("The value reached cannot be negative.")
    else:
        raw = "" if percent is None else str(percent).strip().rstrip("%").strip()
        if not raw:
            errors["percent"] = _("Enter the progress in percent, from 0 to 100.")
        elif not raw.isascii() or not raw.isdigit():
            errors["percent"] = _("“%(value)s” is not a whole percentage from 0 to 100.") % {"value": percent}
        elif int(raw) > 100:
            errors["percent"] = _("Progress cannot be over 100%% (you wrote %(value)s%%).") % {"value": raw}
        else:
            number = int(raw)
    files = [f for f in evidence if f]
    if len(files) > MAX_EVIDENCE_FILES:
        errors["evidence"] = _("At most %(n)s evidence files per report.") % {"n": MAX_EVIDENCE_FILES}
    for upload in files:
        problem = file_problem(upload, EVIDENCE_TYPES)
        if problem:
            errors["evidence"] = problem
            break
    if errors:
        raise ValidationError(errors)
    assert reported_on is not None
    report = ProgressReport.objects.create(
        task=task, reported_on=reported_on, percent=number, value=reached, text=text, reporter=actor
    )
    audit.record(actor=actor, action="task.report", instance=report, after=audit.snapshot(report))
    for upload in files:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        stored = Evidence.objects.create(
            report=report,
            file=upload,
            file_name=_line(upload.name)[:255],
            size=upload.size,
            sha256=digest.hexdigest(),
        )
        audit.record(
            actor=actor,
            action="task.evidence",
            instance=stored,
            after={**audit.snapshot(stored, exclude=("file",)), "file": stored.file.name},
        )
    before = _task_audit(task)
    _refresh_progress(task)
    audit.record(actor=actor, action="task.progress", instance=task, before=before, after=_task_audit(task))
    return report


@transaction.atomic
def task_cancel(*, actor: Any, task: Task, reason: str) -> Task:
    """Cancel a task (it is kept, with its reports, and counted as cancelled)."""
    task = Task.objects.select_for_update().select_related("document").get(pk=task.pk)
    if actor is not None and not may_manage(actor, task):
        raise PermissionDenied
    reason = _line(reason)
    if not reason:
        raise ValidationError({"reason": _("Write why the task is cancelled.")})
    if task.cancelled_on is not None:
        raise ValidationError({"reason": _("This task was cancelled already.")})
    before = _task_audit(task)
    task.cancelled_on = timezone.localdate()
    task.cancel_reason = reason[:500]
    task.save(update_fields=["cancelled_on", "cancel_reason"])
    audit.record(actor=actor, action="task.cancel", instance=task, before=before, after=_task_audit(task))
    return task


@transaction.atomic
def task_reschedule(*, actor: Any, task: Task, due_on: dt.date | None, reason: str) -> Task:
    """Move a task's due date (gia hạn), with the reason; its status follows the new date."""
    task = Task.objects.select_for_update().select_related("document").get(pk=task.pk)
    if actor is not None and not may_manage(actor, task):
        raise PermissionDenied
    errors: dict[str, str] = {}
    reason = _line(reason)
    if not reason:
        errors["reason"] = _("Write why the due date changes.")
    if due_on is None:
        errors["due_on"] = _("Enter the due date.")
    elif due_on < task.start_on:
        errors["due_on"] = _("The due date %(due)s is before the start date %(start)s.") % {
            "due": format_date(due_on),
            "start": format_date(task.start_on),
        }
    if task.cancelled_on is not None:
        errors["due_on"] = _("The task was cancelled on %(date)s.") % {"date": format_date(task.cancelled_on)}
    if errors:
        raise ValidationError(errors)
    assert due_on is not None
    before = _task_audit(task)
    task.due_on = due_on
    task.risk_from = rules.risk_from(
        task.start_on, due_on, task.percent, rules.task_rules(task.start_on).at_risk_margin_points
    )
    task.save(update_fields=["due_on", "risk_from"])
    audit.record(
        actor=actor,
        action="task.reschedule",
        instance=task,
        before=before,
        after={**_task_audit(task), "reason": reason},
    )
    return task


# --- Reminders -----------------------------------------------------------------------------------

# Who is reminded besides the person in charge: the assignee's secretary and committee office (not
# its leaders, nor the administrators); when a task has nobody to remind, the office that assigned it.
REMINDED_ROLES = (Role.CELL_SECRETARY, Role.COMMITTEE_OFFICE)


@dataclass(frozen=True)
class TaskReminder:
    task: Task
    days: int  # days left (30, 7, 1) or, negative, days late
    recipients: tuple[str, ...]  # e-mail addresses, sorted


def _role_emails(organisation_ids: set[int], roles: Sequence[str]) -> dict[int, set[str]]:
    rows = (
        RoleAssignment.objects.active()
        .filter(organisation_id__in=organisation_ids, role__in=roles, user__is_active=True)
        .exclude(user__email="")
        .values_list("organisation_id", "user__email")
    )
    found: dict[int, set[str]] = {}
    for organisation_id, email in rows:
        found.setdefault(organisation_id, set()).add(email.strip().lower())
    return found


def task_reminders(on: dt.date, within: Organisation | None = None) -> list[TaskReminder]:
    """The unfinished tasks to remind on day `on` (`rules.tasks.reminder`: 30, 7 and 1 days before
    the due date, then the day after it and weekly while late), with whom to remind: the person in
    charge, the assignee's secretary and committee office, else the office that assigned the task.
    Soonest due first. Three queries whatever the number of tasks."""
    stages = {on + dt.timedelta(days=d) for d in rules.task_rules(on).reminder_days}
    qs = (
        Task.objects.filter(done_on__isnull=True, cancelled_on__isnull=True)
        .filter(Q(due_on__in=stages) | Q(due_on__lt=on))
        .select_related("document", "assignee_org", "assignee_unit", "owner__user", "assigner")
        .order_by("due_on", "pk")
    )
    if within is not None:
        qs = qs.filter(Q(assigner_path__within=within.path) | Q(assignee_path__within=within.path))
    due = [(task, days) for task in qs if (days := rules.reminder(task.due_on, on)) is not None]
    org_ids = {t.assignee_org_id for t, _ in due if t.assignee_org_id} | {t.assigner_id for t, _ in due}
    offices = _role_emails(org_ids, [Role.COMMITTEE_OFFICE])
    reporters = _role_emails(org_ids, REMINDED_ROLES)
    result = []
    for task, days in due:
        emails: set[str] = set()
        if task.owner is not None:
            for email in (task.owner.email, getattr(task.owner.user, "email", "")):
                if email:
                    emails.add(email.strip().lower())
        if task.assignee_org_id:
            emails |= reporters.get(task.assignee_org_id, set())
        if not emails:
            emails = offices.get(task.assigner_id, set())
        result.append(TaskReminder(task=task, days=days, recipients=tuple(sorted(emails))))
    return result


def reminder_line(reminder: TaskReminder) -> str:
    """One reminder in words: "[Quá hạn 8 ngày] title — assignee — hạn dd/mm/yyyy — 40 % (symbol)"."""
    task = reminder.task
    when = (
        f"Quá hạn {format_number(-reminder.days)} ngày"
        if reminder.days < 0
        else f"Còn {format_number(reminder.days)} ngày"
    )
    return (
        f"[{when}] {task.title} — {task.assignee.name} — hạn {format_date(task.due_on)} — "
        f"đã làm {task.percent} % ({task.document.symbol})"
    )


def reminder_mails(reminders: Sequence[TaskReminder]) -> list[EmailMessage]:
    """One e-mail per person reminded, listing all of their tasks, late work first, with links."""
    by_address: dict[str, list[TaskReminder]] = {}
    for reminder in reminders:
        for address in reminder.recipients:
            by_address.setdefault(address, []).append(reminder)
    mails = []
    for address, theirs in sorted(by_address.items()):
        theirs.sort(key=lambda r: (r.days >= 0, r.task.due_on, r.task.pk))
        late = sum(r.days < 0 for r in theirs)
        soon = len(theirs) - late
        parts = [f"{format_number(late)} nhiệm vụ quá hạn"] if late else []
        parts += [f"{format_number(soon)} nhiệm vụ sắp đến hạn"] if soon else []
        lines = [
            "Kính gửi đồng chí,",
            "",
            "Đảng bộ số nhắc các nhiệm vụ, chỉ tiêu đồng chí phụ trách hoặc đơn vị đồng chí theo dõi:",
            "",
        ]
        for reminder in theirs:
            url = settings.SITE_URL + reverse("documents:task_detail", args=[reminder.task.pk])
            lines += [f"- {reminder_line(reminder)}", f"  Báo cáo tiến độ: {url}"]
        lines += ["", "Thư này do hệ thống gửi tự động; xin đừng trả lời thư."]
        mails.append(
            EmailMessage(
                subject=f"[Đảng bộ số] Nhắc việc: {', '.join(parts)}",
                body="\n".join(lines),
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[address],
            )
        )
    return mails
