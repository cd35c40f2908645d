"""API v1 for the implementation of documents: tasks and targets, progress reports, the roll-up — scoped."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from dangbo.api.base import LOOKUP_ID, IdField, StrictInput, query_id
from dangbo.core.scoping import scope
from dangbo.documents import selectors, tasks
from dangbo.documents.models import Evidence, ProgressReport, Task
from dangbo.orgs.models import Organisation, Unit
from dangbo.rules.roles import Perm
from dangbo.rules.tasks import TaskStatus


class TaskOut(serializers.ModelSerializer):
    status = serializers.CharField(help_text="on today's date: " + ", ".join(s.value for s in TaskStatus))
    document_symbol = serializers.CharField(source="document.symbol")

    class Meta:
        model = Task
        fields = [
            "id",
            "document",
            "document_symbol",
            "assigner",
            "assignee_org",
            "assignee_unit",
            "title",
            "description",
            "kind",
            "indicator",
            "measure",
            "target_value",
            "owner",
            "start_on",
            "due_on",
            "percent",
            "value",
            "last_report_on",
            "done_on",
            "cancelled_on",
            "cancel_reason",
            "status",
        ]


class TaskIn(StrictInput):
    document = IdField()
    title = serializers.CharField(max_length=500)
    kind = serializers.ChoiceField(choices=Task.Kind.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    indicator = serializers.CharField(required=False, allow_blank=True, max_length=255)
    measure = serializers.CharField(required=False, allow_blank=True, max_length=50)
    target_value = serializers.CharField(required=False, allow_blank=True, max_length=30)
    organisations = serializers.ListField(child=IdField(), required=False, max_length=500)
    units = serializers.ListField(child=IdField(), required=False, max_length=500)
    owner = IdField(required=False)
    start_on = serializers.DateField()
    due_on = serializers.DateField()


class EvidenceOut(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "file_name", "size", "sha256"]


class ReportOut(serializers.ModelSerializer):
    evidence = EvidenceOut(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = ["id", "task", "reported_on", "percent", "value", "text", "reporter", "evidence"]


class ReportIn(StrictInput):
    reported_on = serializers.DateField()
    percent = serializers.CharField(required=False, allow_blank=True, max_length=5, help_text="tasks: 0–100")
    value = serializers.CharField(required=False, allow_blank=True, max_length=30, help_text="targets")
    text = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    evidence = serializers.ListField(child=serializers.FileField(), required=False, max_length=20)


class TaskCancelIn(StrictInput):
    reason = serializers.CharField(max_length=500)


class RescheduleIn(StrictInput):
    due_on = serializers.DateField()
    reason = serializers.CharField(max_length=500)


TallyOut = inline_serializer(
    "TaskTallyOut",
    {"total": serializers.IntegerField(), **{s.value: serializers.IntegerField() for s in TaskStatus}},
)

LIST_PARAMS = [
    OpenApiParameter("status", str, enum=[s.value for s in TaskStatus]),
    OpenApiParameter("document", int),
    OpenApiParameter("organisation", int, description="tasks assigned by or to this subtree"),
    OpenApiParameter("overdue", bool),
    OpenApiParameter("due_within", int, description="unfinished work due within so many days (0–366)"),
    OpenApiParameter(
        "q", str, description="accent-insensitive words in the title, indicator, assignee or number"
    ),
]


@extend_schema(tags=["tasks"])
class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Tasks and targets set by the documents the caller may read, with their status today."""

    lookup_value_regex = LOOKUP_ID
    serializer_class = TaskOut

    def _filters(self) -> tasks.TaskFilters | None:
        params = self.request.query_params
        document = organisation = None
        if "document" in params:
            doc_id = query_id(params["document"])
            visible = selectors.documents_visible(self.request.user)
            document = visible.filter(pk=doc_id).first() if doc_id else None
            if document is None:
                return None
        if "organisation" in params:
            org_id = query_id(params["organisation"])
            organisation = Organisation.objects.filter(pk=org_id).first() if org_id else None
            if organisation is None:
                return None
        wanted = params.get("status", "")
        if wanted and wanted not in TaskStatus.__members__.values():
            raise serializers.ValidationError({"status": [_("Choose a status from the list.")]})
        return tasks.TaskFilters(
            status=wanted,
            document=document,
            organisation=organisation,
            overdue_only=params.get("overdue", "").lower() in ("1", "true", "yes"),
            due_within=self._due_within(params.get("due_within")),
            query=params.get("q", "")[:200],
        )

    @staticmethod
    def _due_within(value: str | None) -> int | None:
        if value is None or value == "":
            return None
        if not value.isascii() or not value.isdigit() or int(value) > 366:
            raise serializers.ValidationError(
                {"due_within": [_("Write a whole number of days from 0 to 366.")]}
            )
        return int(value)

    def get_queryset(self) -> QuerySet[Task]:
        filters = self._filters() if self.action == "list" else tasks.TaskFilters()
        if filters is None:
            return Task.objects.none()
        return tasks.task_list(self.request.user, timezone.localdate(), filters)

    @extend_schema(parameters=LIST_PARAMS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=TaskIn, responses=TaskOut(many=True))
    def create(self, request: Request) -> Response:
        """Set a task or target under a document: one task for each organisation and unit given."""
        data = TaskIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        document = get_object_or_404(selectors.documents_visible(request.user), pk=values.pop("document"))
        org_ids, unit_ids = values.pop("organisations", []), values.pop("units", [])
        orgs = scope(Organisation.objects.all(), request.user, Perm.ORG_VIEW).in_bulk(org_ids)
        units = scope(Unit.objects.all(), request.user, Perm.UNIT_VIEW).in_bulk(unit_ids)
        missing = [str(pk) for pk in org_ids if pk not in orgs] + [
            str(pk) for pk in unit_ids if pk not in units
        ]
        if missing:
            raise serializers.ValidationError(
                {
                    "assignees": [
                        _("No such organisation or unit in your scope: %(ids)s.")
                        % {"ids": ", ".join(missing)}
                    ]
                }
            )
        owner = None
        if "owner" in values:
            owner = tasks.owner_choices(document).filter(pk=values.pop("owner")).first()
            if owner is None:
                raise serializers.ValidationError(
                    {"owner": [_("The person in charge must hold a post under the document's organisation.")]}
                )
        made = tasks.task_create(
            actor=request.user,
            document=document,
            assignees=[*(orgs[pk] for pk in org_ids), *(units[pk] for pk in unit_ids)],
            owner=owner,
            **values,
        )
        out = tasks.with_status(Task.objects.filter(pk__in=[t.pk for t in made]), timezone.localdate())
        return Response(
            TaskOut(out.select_related("document"), many=True).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(parameters=LIST_PARAMS[1:3], responses=TallyOut)
    @action(detail=False, methods=["get"])
    def summary(self, request: Request) -> Response:
        """Counts by status today of the tasks matching the filters (the roll-up of a document or an
        organisation)."""
        filters = self._filters()
        if filters is None:
            return Response({"total": 0, **{s.value: 0 for s in TaskStatus}})
        today = timezone.localdate()
        counted = tasks.tally(tasks.task_list(request.user, today, filters).order_by(), today)
        return Response({"total": counted.total, **{s.value: getattr(counted, s.value) for s in TaskStatus}})

    @extend_schema(methods=["get"], responses=ReportOut(many=True))
    @extend_schema(
        methods=["post"],
        request={"multipart/form-data": ReportIn, "application/json": ReportIn},
        responses=ReportOut,
    )
    @action(detail=True, methods=["get", "post"])
    def reports(self, request: Request, pk: int) -> Response:
        """The task's progress reports; POST records one (percent for a task, value for a target)."""
        task = get_object_or_404(tasks.tasks_visible(request.user).select_related("document"), pk=pk)
        if request.method == "GET":
            reports = task.reports.prefetch_related("evidence").order_by("reported_on", "pk")
            return Response(ReportOut(reports, many=True).data)
        if not tasks.may_report(request.user, task):
            raise PermissionDenied
        data = ReportIn(data=request.data)
        data.is_valid(raise_exception=True)
        report = tasks.task_report(actor=request.user, task=task, **data.validated_data)
        return Response(ReportOut(report).data, status=status.HTTP_201_CREATED)

    def _managed(self, pk: int) -> Task:
        task = get_object_or_404(tasks.tasks_visible(self.request.user).select_related("document"), pk=pk)
        if not tasks.may_manage(self.request.user, task):
            raise PermissionDenied
        return task

    @extend_schema(request=TaskCancelIn, responses=TaskOut)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: int) -> Response:
        task = self._managed(pk)
        data = TaskCancelIn(data=request.data)
        data.is_valid(raise_exception=True)
        tasks.task_cancel(actor=request.user, task=task, **data.validated_data)
        return Response(TaskOut(self.get_queryset().get(pk=task.pk)).data)

    @extend_schema(request=RescheduleIn, responses=TaskOut)
    @action(detail=True, methods=["post"])
    def reschedule(self, request: Request, pk: int) -> Response:
        task = self._managed(pk)
        data = RescheduleIn(data=request.data)
        data.is_valid(raise_exception=True)
        tasks.task_reschedule(actor=request.user, task=task, **data.validated_data)
        return Response(TaskOut(self.get_queryset().get(pk=task.pk)).data)
