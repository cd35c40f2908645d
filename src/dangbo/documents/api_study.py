"""API v1 for the study of documents: assignments (list, read, create, cancel), completion by
organisation, a member's own studies and confirmation, the secretary's batch of confirmations —
scoped like the pages (documents/study.py holds the rules)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from dangbo.api.base import LOOKUP_ID, IdField, StrictInput, query_id
from dangbo.core.scoping import allowed, scope
from dangbo.documents import selectors as document_selectors
from dangbo.documents import study
from dangbo.documents.models import StudyAssignment, StudyConfirmation
from dangbo.orgs.models import Organisation
from dangbo.rules.roles import Perm

Channel = StudyConfirmation.Channel


class AssignmentOut(serializers.ModelSerializer):
    document_symbol = serializers.CharField(source="document.symbol", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = StudyAssignment
        fields = [
            "id",
            "document",
            "document_symbol",
            "organisation",
            "organisation_name",
            "start_on",
            "due_on",
            "note",
            "cancelled_on",
            "created_at",
        ]


class AssignmentIn(StrictInput):
    document = IdField(help_text="a registered, not withdrawn document the caller may read")
    organisation = IdField(help_text="every member in activity of its subtree studies the document")
    start_on = serializers.DateField()
    due_on = serializers.DateField(help_text="the deadline")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class CancelIn(StrictInput):
    reason = serializers.CharField(max_length=500, help_text="kept in the audit log")


class RecordIn(StrictInput):
    members = serializers.ListField(
        child=IdField(), max_length=study.BATCH_LIMIT, help_text="member record ids (the register's)"
    )
    studied_on = serializers.DateField(help_text="e.g. the cell meeting's date; not in the future")
    channel = serializers.ChoiceField(
        choices=[Channel.MEETING.value, Channel.OFFICE.value], required=False, default=Channel.MEETING.value
    )


class ConfirmationOut(serializers.ModelSerializer):
    class Meta:
        model = StudyConfirmation
        fields = ["id", "assignment", "member", "studied_on", "channel", "org_path"]


class CompletionRowOut(serializers.Serializer):
    organisation = serializers.IntegerField()
    name = serializers.CharField()
    members = serializers.IntegerField(help_text="members in activity now in the subtree")
    confirmed = serializers.IntegerField(help_text="confirmations made in the subtree")
    left = serializers.IntegerField()
    share = serializers.FloatField(help_text="percentage, at most 100")


class CompletionOut(CompletionRowOut):
    assignment = serializers.IntegerField()
    children = CompletionRowOut(many=True, help_text="one row per child organisation, in name order")


class MyStudyOut(serializers.Serializer):
    assignment = AssignmentOut()
    state = serializers.ChoiceField(choices=["todo", "done", "upcoming"])
    days_left = serializers.IntegerField(help_text="to the deadline; negative when it has passed")
    studied_on = serializers.DateField(allow_null=True)
    channel = serializers.CharField(allow_blank=True)


def _row(row: study.CompletionRow) -> dict[str, Any]:
    return {
        "organisation": row.organisation.pk,
        "name": row.organisation.name,
        "members": row.members,
        "confirmed": row.confirmed,
        "left": row.left,
        "share": round(row.share, 2),
    }


@extend_schema(tags=["study"])
class StudyAssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Documents assigned for study (học tập, quán triệt): those placed on the organisations the
    caller reads documents in, their subtrees and the organisations above them."""

    lookup_value_regex = LOOKUP_ID
    serializer_class = AssignmentOut

    def get_queryset(self) -> QuerySet[StudyAssignment]:
        qs = study.assignments_visible(self.request.user).order_by("-start_on", "-pk")
        params = self.request.query_params
        if "document" in params:
            qs = qs.filter(document_id=query_id(params["document"]) or 0)
        if "organisation" in params:
            organisation = Organisation.objects.filter(pk=query_id(params["organisation"]) or 0).first()
            if organisation is None:
                return qs.none()
            qs = qs.filter(study.in_or_above(organisation))
        if params.get("open") in ("1", "true"):
            today = timezone.localdate()
            qs = qs.filter(cancelled_on__isnull=True, start_on__lte=today, due_on__gte=today)
        return qs

    @extend_schema(
        parameters=[
            OpenApiParameter("document", int, description="assignments of this document"),
            OpenApiParameter("organisation", int, description="assignments covering it or placed inside it"),
            OpenApiParameter("open", bool, description="only those open today"),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=AssignmentIn, responses={201: AssignmentOut})
    def create(self, request: Request) -> Response:
        """Assign a document for study to an organisation's subtree (the office of that organisation)."""
        data = AssignmentIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        document = get_object_or_404(
            document_selectors.documents_visible(request.user), pk=values.pop("document")
        )
        organisation = get_object_or_404(
            scope(Organisation.objects.all(), request.user, Perm.DOCUMENT_CHANGE),
            pk=values.pop("organisation"),
        )
        assignment = study.study_assign(
            actor=request.user, document=document, organisation=organisation, **values
        )
        return Response(AssignmentOut(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CancelIn, responses=AssignmentOut)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: int) -> Response:
        """Cancel the assignment; it is kept with its confirmations."""
        assignment = get_object_or_404(self.get_queryset(), pk=pk)
        if not allowed(request.user, Perm.DOCUMENT_CHANGE, assignment):
            self.permission_denied(request)
        data = CancelIn(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = study.study_cancel(actor=request.user, assignment=assignment, **data.validated_data)
        return Response(AssignmentOut(assignment).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "organisation",
                int,
                description="inside the assignment's subtree (default: the assignment's organisation, "
                "or the one organisation the caller may read there)",
            )
        ],
        responses=CompletionOut,
    )
    @action(detail=True, methods=["get"])
    def completion(self, request: Request, pk: int) -> Response:
        """Completion in an organisation: members in activity now, confirmations, and the same for
        each child organisation."""
        assignment = get_object_or_404(self.get_queryset(), pk=pk)
        raw = request.query_params.get("organisation")
        if raw is not None:
            organisation = Organisation.objects.filter(pk=query_id(raw) or 0).first()
            if organisation is None or not study.can_read_completion(request.user, assignment, organisation):
                raise serializers.ValidationError(
                    {"organisation": [_("Choose an organisation of this study within your scope.")]}
                )
        else:
            roots = study.completion_roots(request.user, assignment)
            if not roots:
                self.permission_denied(request)
            if len(roots) > 1:
                raise serializers.ValidationError(
                    {"organisation": [_("Choose an organisation of this study within your scope.")]}
                )
            organisation = roots[0]
        completion = study.study_completion(assignment, organisation)
        return Response(
            {
                "assignment": assignment.pk,
                **_row(completion.total),
                "children": [_row(row) for row in completion.rows],
            }
        )

    @extend_schema(request=None, responses={201: ConfirmationOut})
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: int) -> Response:
        """The caller, a member of the assigned subtree, confirms they studied the document today."""
        assignment = study.my_assignment(request.user, pk)
        if assignment is None:
            raise Http404
        confirmation = study.study_confirm(actor=request.user, assignment=assignment)
        return Response(ConfirmationOut(confirmation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RecordIn, responses={201: ConfirmationOut(many=True)})
    @action(detail=True, methods=["post"])
    def confirmations(self, request: Request, pk: int) -> Response:
        """Record several members who studied the document (the cell secretary after a meeting, the
        office): all or nothing, each refusal named."""
        assignment = get_object_or_404(self.get_queryset(), pk=pk)
        if not study.can_record(request.user, assignment):
            self.permission_denied(request)
        data = RecordIn(data=request.data)
        data.is_valid(raise_exception=True)
        rows = study.study_record(actor=request.user, assignment=assignment, **data.validated_data)
        return Response(ConfirmationOut(rows, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=MyStudyOut(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)
    def mine(self, request: Request) -> Response:
        """The caller's own studies (as a member): to do, done, not started yet."""
        mine = study.my_studies(request.user)
        out = []
        for state, items in (("todo", mine.todo), ("upcoming", mine.upcoming), ("done", mine.done)):
            for item in items:
                out.append(
                    {
                        "assignment": item.assignment,
                        "state": state,
                        "days_left": item.days_left,
                        "studied_on": item.confirmation.studied_on if item.confirmation else None,
                        "channel": item.confirmation.channel if item.confirmation else "",
                    }
                )
        return Response(MyStudyOut(out, many=True).data)
