"""API v1 of the member's handbook: my notifications (read them), my meetings, my opinions (send,
read the answer) and the offices' answers, my correction requests. Each list starts from the caller
(their own rows) or goes through the scoping function, as the pages do."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from dangbo.api.base import LOOKUP_ID, IdField, StrictInput
from dangbo.documents.study import member_of
from dangbo.handbook import selectors, services
from dangbo.handbook.models import CorrectionRequest, Notification, Opinion
from dangbo.meetings.models import Attendee


class NotificationOut(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]


class ReadIn(StrictInput):
    ids = serializers.ListField(
        child=IdField(), max_length=500, required=False, help_text="none: mark every notification read"
    )


class MarkedOut(serializers.Serializer):
    marked = serializers.IntegerField(help_text="how many were unread")


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """The caller's notifications, newest first."""

    serializer_class = NotificationOut

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return selectors.my_notifications(self.request.user)

    @extend_schema(request=ReadIn, responses={200: MarkedOut})
    @action(detail=False, methods=["post"], url_path="read")
    def read(self, request: Request) -> Response:
        data = ReadIn(data=request.data)
        data.is_valid(raise_exception=True)
        count = services.mark_read(request.user, data.validated_data.get("ids"))
        return Response({"marked": count})


class MyMeetingOut(serializers.ModelSerializer):
    meeting = serializers.IntegerField(source="meeting_id")
    title = serializers.CharField(source="meeting.title")
    kind = serializers.CharField(source="meeting.kind")
    status = serializers.CharField(source="meeting.status")
    starts_at = serializers.DateTimeField(source="meeting.starts_at")
    ends_at = serializers.DateTimeField(source="meeting.ends_at")
    place = serializers.CharField(source="meeting.place")
    online_url = serializers.CharField(source="meeting.online_url")
    organisation_name = serializers.CharField(source="meeting.organisation.name")
    documents = serializers.SerializerMethodField()

    class Meta:
        model = Attendee
        fields = [
            "meeting",
            "title",
            "kind",
            "status",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "organisation_name",
            "counted",
            "presence",
            "documents",
        ]

    def get_documents(self, attendee: Attendee) -> list[dict[str, Any]]:
        return [
            {"id": d.pk, "symbol": d.symbol, "summary": d.summary, "confidential": d.is_secret}
            for d in getattr(attendee, "documents", [])
        ]


class MyMeetingsOut(serializers.Serializer):
    upcoming = MyMeetingOut(many=True)
    past = MyMeetingOut(many=True)


class MyMeetingsViewSet(viewsets.ViewSet):
    """The meetings the caller is summoned or invited to: coming (with the agenda's documents) and held
    in the last twelve months (with the caller's presence)."""

    @extend_schema(responses=MyMeetingsOut)
    def list(self, request: Request) -> Response:
        mine = selectors.my_meetings(request.user)
        return Response(MyMeetingsOut({"upcoming": mine.upcoming, "past": mine.past}).data)


class OpinionOut(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = Opinion
        fields = [
            "id",
            "subject",
            "text",
            "status",
            "sender_name",
            "organisation",
            "organisation_name",
            "created_at",
            "answer",
            "answerer_name",
            "answered_at",
        ]


class OpinionIn(StrictInput):
    subject = serializers.CharField(max_length=200, allow_blank=True)
    text = serializers.CharField(max_length=services.TEXT_LIMIT + 1, allow_blank=True)


class AnswerIn(StrictInput):
    answer = serializers.CharField(max_length=services.TEXT_LIMIT + 1, allow_blank=True)


class OpinionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """The caller's opinions (góp ý) and, for a committee office, those of the cells below
    (`?to_answer=1`). POST sends one; `answer/` answers one (the office)."""

    serializer_class = OpinionOut
    lookup_value_regex = LOOKUP_ID

    def get_queryset(self) -> QuerySet[Opinion]:
        if getattr(self, "swagger_fake_view", False):
            return Opinion.objects.none()
        if self.request.query_params.get("to_answer") == "1":
            return selectors.opinions_to_answer(self.request.user).order_by("status", "-created_at", "-pk")
        return selectors.my_opinions(self.request.user).select_related("organisation")

    def get_object(self) -> Opinion:
        found = selectors.opinion_for(self.request.user, int(self.kwargs["pk"]))
        if found is None:
            raise Http404
        return found

    @extend_schema(request=OpinionIn, responses={201: OpinionOut})
    def create(self, request: Request) -> Response:
        data = OpinionIn(data=request.data)
        data.is_valid(raise_exception=True)
        opinion = services.opinion_send(actor=request.user, **data.validated_data)
        return Response(OpinionOut(opinion).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AnswerIn, responses={200: OpinionOut})
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str) -> Response:
        opinion = self.get_object()
        if not services.can_answer(request.user, opinion):  # 403 before the body is read
            raise PermissionDenied
        data = AnswerIn(data=request.data)
        data.is_valid(raise_exception=True)
        answered = services.opinion_answer(
            actor=request.user, opinion=opinion, answer=data.validated_data["answer"]
        )
        return Response(OpinionOut(answered).data)


class CorrectionOut(serializers.ModelSerializer):
    class Meta:
        model = CorrectionRequest
        fields = [
            "id",
            "member",
            "field",
            "current_value",
            "requested_value",
            "reason",
            "status",
            "answer",
            "created_at",
            "handled_at",
        ]


class CorrectionIn(StrictInput):
    field = serializers.ChoiceField(choices=list(services.CORRECTABLE))
    requested_value = serializers.CharField(max_length=301, allow_blank=True)
    reason = serializers.CharField(max_length=501, required=False, allow_blank=True, default="")


class CorrectionViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """The caller's requests to correct their record; POST asks for one."""

    serializer_class = CorrectionOut

    def get_queryset(self) -> QuerySet[CorrectionRequest]:
        if getattr(self, "swagger_fake_view", False):
            return CorrectionRequest.objects.none()
        return selectors.my_corrections(member_of(self.request.user))

    @extend_schema(request=CorrectionIn, responses={201: CorrectionOut})
    def create(self, request: Request) -> Response:
        data = CorrectionIn(data=request.data)
        data.is_valid(raise_exception=True)
        made = services.correction_request(actor=request.user, **data.validated_data)
        return Response(CorrectionOut(made).data, status=status.HTTP_201_CREATED)
