"""Pages of the study of documents (học tập, quán triệt). Thin: parse, call a selector or a service,
render. The logic lives in documents/study.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.core.paths import path_ids
from dangbo.core.scoping import allowed, grant_for
from dangbo.documents import selectors as document_selectors
from dangbo.documents import study
from dangbo.documents.forms_study import AssignForm, CancelForm, RecordForm
from dangbo.documents.models import Document, StudyAssignment
from dangbo.members.models import PartyMember
from dangbo.orgs import selectors as org_selectors
from dangbo.orgs.models import Organisation
from dangbo.orgs.views import apply_service
from dangbo.rules.roles import Perm
from dangbo.rules.vietnamese import format_date

ROWS_PER_PAGE = 100


# --- The section on a document's page ------------------------------------------------------------


def _assign_bases(user: Any, document: Document) -> list[str]:
    """The paths from which `user` may assign `document`: the organisations they hold
    DOCUMENT_CHANGE over inside the document's subtree, or the document's register when they hold it
    above (no query)."""
    grant = grant_for(user, Perm.DOCUMENT_CHANGE)
    if grant.everything:
        return [document.org_path]
    bases = {p for p in grant.party if p.startswith(document.org_path)}
    if any(document.org_path.startswith(p) for p in grant.party):
        bases.add(document.org_path)
    return sorted(bases)


def can_assign(user: Any, document: Document) -> bool:
    return (
        document.registered
        and document.status != Document.Status.WITHDRAWN
        and bool(_assign_bases(user, document))
    )


def document_section(request: HttpRequest, document: Document) -> dict[str, Any]:
    """The context of the "Study" section of a document's page (one query)."""
    studies = study.for_document(request.user, document)
    for assignment in studies:
        assignment.readable = allowed(request.user, Perm.PERSON_VIEW, assignment.organisation)  # type: ignore[attr-defined]
    return {
        "studies": studies,
        "can_assign": can_assign(request.user, document),
        "today": timezone.localdate(),
    }


# --- Assigning and cancelling --------------------------------------------------------------------


def _assignable(user: Any, document: Document) -> QuerySet[Organisation]:
    """Where the form offers to assign: each base and its children (not every cell of a national tree)."""
    bases = _assign_bases(user, document)
    return Organisation.objects.filter(
        Q(path__in=bases) | Q(parent__path__in=bases), dissolved_on__isnull=True
    ).order_by("depth", "sort_key")


def study_create(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(document_selectors.documents_visible(request.user), pk=pk)
    if not _assign_bases(request.user, document):
        raise PermissionDenied
    organisations = _assignable(request.user, document)
    base_depth = min(len(path_ids(p)) for p in _assign_bases(request.user, document)) - 1
    form = AssignForm(request.POST or None, organisations=organisations, base_depth=base_depth)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assignment = apply_service(
            form,
            lambda: study.study_assign(
                actor=request.user,
                document=document,
                organisation=data["organisation"],
                start_on=data["start_on"],
                due_on=data["due_on"],
                note=data["note"],
            ),
        )
        if assignment:
            messages.success(
                request,
                _("Assigned %(doc)s for study to the members of %(org)s by %(date)s.")
                % {
                    "doc": document.symbol,
                    "org": assignment.organisation.name,
                    "date": format_date(assignment.due_on),
                },
            )
            return redirect("documents:study_detail", pk=assignment.pk)
    return render(request, "documents/study_form.html", {"document": document, "form": form})


def _assignment(request: HttpRequest, pk: int) -> StudyAssignment:
    return get_object_or_404(study.assignments_visible(request.user), pk=pk)


def study_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    if not allowed(request.user, Perm.DOCUMENT_CHANGE, assignment):
        raise PermissionDenied
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if apply_service(
            form, lambda: study.study_cancel(actor=request.user, assignment=assignment, reason=reason)
        ):
            messages.success(request, _("The study has been cancelled; what was confirmed is kept."))
            return redirect("documents:study_detail", pk=assignment.pk)
    return render(request, "documents/study_cancel.html", {"assignment": assignment, "form": form})


# --- Completion by organisation ------------------------------------------------------------------


def _organisation_in(request: HttpRequest, assignment: StudyAssignment, raw: str) -> Organisation:
    """The organisation asked for in the query string: inside the assignment's subtree and readable."""
    if not raw.isdigit() or len(raw) > 18:
        raise Http404
    organisation = Organisation.objects.filter(pk=int(raw)).first()
    if organisation is None or not study.can_read_completion(request.user, assignment, organisation):
        raise Http404
    return organisation


def _detail(
    request: HttpRequest,
    assignment: StudyAssignment,
    organisation: Organisation | None,
    record_form: RecordForm | None = None,
) -> HttpResponse:
    roots = [organisation] if organisation else study.completion_roots(request.user, assignment)
    context: dict[str, Any] = {
        "assignment": assignment,
        "document": assignment.document,
        "roots": roots,
        "today": timezone.localdate(),
        "can_cancel": assignment.cancelled_on is None
        and allowed(request.user, Perm.DOCUMENT_CHANGE, assignment),
    }
    if len(roots) == 1:
        node = roots[0]
        ancestors, children = org_selectors.tree_neighbourhood(Organisation, request.user, node)
        completion = study.study_completion(assignment, node, children=children)
        context.update(
            node=node,
            trail=[a for a in ancestors if a.path.startswith(assignment.org_path)],
            completion=completion,
            page=Paginator(completion.rows, ROWS_PER_PAGE).get_page(request.GET.get("page")),
        )
        if study.has_own_members(node):
            people = study.cell_members(assignment, node)
            can_record = (
                assignment.cancelled_on is None
                and assignment.start_on <= context["today"]
                and allowed(request.user, Perm.PERSON_CHANGE, node)
            )
            context.update(
                people=people,
                waiting=[p for p in people if not p.confirmed],
                studied=[p for p in people if p.confirmed],
                record_form=record_form
                or (RecordForm(members=PartyMember.objects.none()) if can_record else None),
            )
    return render(request, "documents/study_detail.html", context)


def study_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An assignment: completion by organisation with drill-down; in a cell, the members still to
    confirm and the secretary's form to record a meeting."""
    assignment = _assignment(request, pk)
    raw = request.GET.get("to-chuc", "")
    organisation = _organisation_in(request, assignment, raw) if raw else None
    return _detail(request, assignment, organisation)


def study_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The secretary (or the office) records the members of a cell who studied the document."""
    assignment = _assignment(request, pk)
    if not study.can_record(request.user, assignment):
        raise PermissionDenied
    raw = request.POST.get("to-chuc", "") if request.method == "POST" else ""
    if not raw:
        return redirect("documents:study_detail", pk=assignment.pk)
    cell = _organisation_in(request, assignment, raw)
    if not study.has_own_members(cell) or not allowed(request.user, Perm.PERSON_CHANGE, cell):
        raise PermissionDenied
    form = RecordForm(
        request.POST, members=PartyMember.objects.filter(org_path=cell.path).select_related("person")
    )
    if form.is_valid():
        data = form.cleaned_data
        rows = apply_service(
            form,
            lambda: study.study_record(
                actor=request.user,
                assignment=assignment,
                members=list(data["members"]),
                studied_on=data["studied_on"],
                channel=data["channel"],
            ),
        )
        if rows:
            messages.success(
                request,
                _("Recorded %(n)s members who studied %(doc)s on %(date)s.")
                % {
                    "n": len(rows),
                    "doc": assignment.document.symbol,
                    "date": format_date(data["studied_on"]),
                },
            )
            return redirect(f"{reverse('documents:study_detail', args=[assignment.pk])}?to-chuc={cell.pk}")
    return _detail(request, assignment, cell, record_form=form)


# --- The member's own page -----------------------------------------------------------------------


def my_studies(request: HttpRequest) -> HttpResponse:
    """ "Việc học tập của tôi": the documents to study, with one big button each."""
    return render(request, "documents/study_mine.html", {"mine": study.my_studies(request.user)})


def study_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = study.my_assignment(request.user, pk)
    if assignment is None:
        raise Http404
    if request.method == "POST":
        confirmation = apply_service(
            _Messages(request), lambda: study.study_confirm(actor=request.user, assignment=assignment)
        )
        if confirmation:
            messages.success(
                request,
                _("Thank you. Recorded: you studied %(doc)s on %(date)s.")
                % {"doc": assignment.document.symbol, "date": format_date(confirmation.studied_on)},
            )
    return redirect("documents:study_mine")


def study_unconfirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back today's own confirmation (POST from "Việc học tập của tôi")."""
    assignment = study.my_assignment(request.user, pk)
    if assignment is None:
        raise Http404
    if request.method == "POST":
        done = apply_service(
            _Messages(request),
            lambda: study.study_unconfirm(actor=request.user, assignment=assignment) or True,
        )
        if done:
            messages.success(
                request,
                _("Taken back: %(doc)s is again among the documents to study.")
                % {"doc": assignment.document.symbol},
            )
    return redirect("documents:study_mine")


class _Messages:
    """Lets `apply_service` put a service's refusal on the next page as messages (no form here)."""

    fields: dict[str, Any] = {}

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def add_error(self, field: str | None, error: Any) -> None:
        for message in getattr(error, "messages", [error]):
            messages.error(self.request, message)


# --- An organisation's studies and reminders -----------------------------------------------------


def org_studies(request: HttpRequest, pk: int) -> HttpResponse:
    """The studies open in an organisation, those due within a week and not complete first."""
    organisation = get_object_or_404(org_selectors.tree_visible(Organisation, request.user), pk=pk)
    if not allowed(request.user, Perm.PERSON_VIEW, organisation):
        raise PermissionDenied
    today = timezone.localdate()
    figures = study.open_studies(request.user, organisation, today)
    return render(
        request,
        "documents/study_org.html",
        {
            "node": organisation,
            "today": today,
            "reminders": [f for f in figures if study.needs_reminder(f, today)],
            "figures": figures,
            "days": study.DUE_SOON_DAYS,
        },
    )
