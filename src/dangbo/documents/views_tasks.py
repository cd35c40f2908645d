"""Pages of a document's implementation: setting tasks, reporting progress, the overdue dashboard.
Thin: parse, call a selector or a service of `documents.tasks`, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.core.scoping import allowed, has_any, scope
from dangbo.core.uploads import refused_upload
from dangbo.documents import tasks
from dangbo.documents.forms_tasks import CancelForm, ReportForm, RescheduleForm, TaskFilterForm, TaskForm
from dangbo.documents.models import Task
from dangbo.documents.views import _visible
from dangbo.orgs.models import Organisation, Unit
from dangbo.orgs.views import apply_service
from dangbo.rules import tasks as task_rules
from dangbo.rules.roles import Perm

PAGE_SIZE = 50
ROLLUP_ROWS = 30  # organisations shown in the dashboard's roll-up, most late work first
DUE_SOON_DAYS = 7


def _task(request: HttpRequest, pk: int) -> Task:
    task = (
        tasks.tasks_visible(request.user)
        .select_related(
            "document", "document__organisation", "assignee_org", "assignee_unit", "owner", "assigner"
        )
        .filter(pk=pk)
        .first()
    )
    if task is None:
        raise Http404
    return task


def _organisation_param(request: HttpRequest) -> Organisation | None:
    value = request.GET.get("to-chuc", "")
    if not value.isdigit() or len(value) > 18:
        return None
    return scope(Organisation.objects.all(), request.user, Perm.ORG_VIEW).filter(pk=int(value)).first()


def dashboard(request: HttpRequest) -> HttpResponse:
    """Tasks of every document the user may read: counts by status, then the list, late work in red."""
    if not has_any(request.user, Perm.DOCUMENT_VIEW):
        raise PermissionDenied
    today = timezone.localdate()
    form = TaskFilterForm(request.GET or None)
    organisation = _organisation_param(request)
    base = tasks.TaskFilters(organisation=organisation)
    everything = tasks.task_list(request.user, today, base).order_by()
    counted = tasks.tally(everything, today)
    filters = tasks.TaskFilters(
        organisation=organisation,
        status=form.value("trang_thai") or "",
        overdue_only=bool(form.value("qua_han")),
        due_within=DUE_SOON_DAYS if form.value("sap_han") else None,
        query=form.value("q") or "",
    )
    page = Paginator(tasks.task_list(request.user, today, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # The roll-up: by assigning organisation over everything visible; within one organisation, or
    # when one organisation assigned everything, by where the work is carried out.
    rollup = [] if organisation else tasks.by_assigner(everything, today)
    by_assignee = len(rollup) <= 1
    if by_assignee:
        rollup = tasks.by_assignee(everything, today)
    return render(
        request,
        "documents/tasks.html",
        {
            "form": form,
            "page": page,
            "tally": counted,
            "today": today,
            "organisation": organisation,
            "rollup": rollup[:ROLLUP_ROWS],
            "rollup_by_assignee": by_assignee,
            "rollup_more": max(0, len(rollup) - ROLLUP_ROWS),
        },
    )


def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Set tasks or targets under a document: one for each organisation or unit chosen."""
    document = _visible(request, pk)
    if not allowed(request.user, Perm.DOCUMENT_CHANGE, document):
        raise PermissionDenied
    organisations, units = tasks.assignee_choices(request.user, document)
    owners = list(tasks.owner_choices(document)[:500])
    form = TaskForm(request.POST or None, organisations=organisations, units=units, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen_orgs = {str(o.pk): o for o in organisations}
        chosen_units = {str(u.pk): u for u in units}
        assignees: list[Organisation | Unit] = [chosen_orgs[k] for k in data["organisations"]]
        assignees += [chosen_units[k] for k in data["units"]]
        owner = next((p for p in owners if str(p.pk) == data["owner"]), None)
        made = apply_service(
            form,
            lambda: tasks.task_create(
                actor=request.user,
                document=document,
                title=data["title"],
                kind=data["kind"],
                indicator=data["indicator"],
                target_value=data["target_value"],
                measure=data["measure"],
                assignees=assignees,
                owner=owner,
                start_on=data["start_on"],
                due_on=data["due_on"],
                description=data["description"],
            ),
        )
        if made:
            messages.success(request, _("%(n)s task(s) set.") % {"n": len(made)})
            return redirect("documents:detail", pk=document.pk)
    if not form.is_bound:
        form.initial = {"start_on": max(document.issued_on or timezone.localdate(), timezone.localdate())}
    return render(request, "documents/task_form.html", {"document": document, "form": form})


def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    today = timezone.localdate()
    status = task_rules.status(
        start_on=task.start_on,
        due_on=task.due_on,
        on=today,
        percent=task.percent,
        done_on=task.done_on,
        cancelled_on=task.cancelled_on,
    )
    can_report = tasks.may_report(request.user, task)
    reports = list(
        task.reports.select_related("reporter__person")
        .prefetch_related("evidence")
        .order_by("-reported_on", "-pk")
    )
    return render(
        request,
        "documents/task_detail.html",
        {
            "task": task,
            "status": status,
            "reports": reports,
            "report_form": ReportForm(task=task, initial={"reported_on": today}) if can_report else None,
            "can_manage": task.cancelled_on is None and tasks.may_manage(request.user, task),
            "can_read_document": _document_readable(request, task),
        },
    )


def _document_readable(request: HttpRequest, task: Task) -> bool:
    from dangbo.documents.selectors import is_visible

    return is_visible(request.user, task.document)


def task_report(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    if not tasks.may_report(request.user, task):
        raise PermissionDenied
    posted = request.method == "POST"
    form = ReportForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        task=task,
        initial={"reported_on": timezone.localdate()},
    )
    if posted:
        if refusal := refused_upload(request):
            form.is_valid()
            form.add_error("evidence", refusal)
        elif form.is_valid():
            data = form.cleaned_data
            report = apply_service(
                form,
                lambda: tasks.task_report(
                    actor=request.user,
                    task=task,
                    reported_on=data["reported_on"],
                    percent=data.get("percent"),
                    value=data.get("value"),
                    text=data["text"],
                    evidence=data["evidence"],
                ),
            )
            if report:
                messages.success(request, _("Progress recorded."))
                return redirect("documents:task_detail", pk=task.pk)
    return render(
        request,
        "documents/task_action.html",
        {"task": task, "form": form, "title": _("Report progress"), "multipart": True},
    )


def task_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    if not tasks.may_manage(request.user, task):
        raise PermissionDenied
    form = RescheduleForm(request.POST or None, initial={"due_on": task.due_on})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if apply_service(
            form,
            lambda: tasks.task_reschedule(
                actor=request.user, task=task, due_on=data["due_on"], reason=data["reason"]
            ),
        ):
            messages.success(request, _("Due date changed."))
            return redirect("documents:task_detail", pk=task.pk)
    return render(
        request, "documents/task_action.html", {"task": task, "form": form, "title": _("Change the due date")}
    )


def task_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    if not tasks.may_manage(request.user, task):
        raise PermissionDenied
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if apply_service(form, lambda: tasks.task_cancel(actor=request.user, task=task, reason=reason)):
            messages.success(request, _("Task cancelled."))
            return redirect("documents:task_detail", pk=task.pk)
    return render(
        request, "documents/task_action.html", {"task": task, "form": form, "title": _("Cancel the task")}
    )


def evidence_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An evidence file, to those who may read its task."""
    evidence = tasks.evidence_visible(request.user).filter(pk=pk).first()
    if evidence is None:
        raise Http404
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.file_name)


def document_tasks_context(request: HttpRequest, document: Any) -> dict[str, Any]:
    """What the document page shows of its implementation: the roll-up and the tasks (three queries)."""
    today = timezone.localdate()
    qs = tasks.task_list(request.user, today, tasks.TaskFilters(document=document))
    return {
        "task_rows": list(qs[:100]),
        "task_tally": tasks.tally(qs.order_by(), today),
        "can_set_tasks": document.registered
        and document.status != "withdrawn"
        and allowed(request.user, Perm.DOCUMENT_CHANGE, document),
    }
