"""API v1 for member records: register, admission, lifecycle events, statistics — scoped."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from dangbo.api.base import LOOKUP_ID, IdField, StrictInput, query_id
from dangbo.core.scoping import allowed
from dangbo.members import selectors, services
from dangbo.members.models import BadgeAward, MemberEvent, PartyMember
from dangbo.orgs import selectors as org_selectors
from dangbo.orgs.models import Organisation
from dangbo.rules.membership import BADGE_MILESTONES, EventKind, Status
from dangbo.rules.roles import Perm


class MemberOut(serializers.ModelSerializer):
    full_name = serializers.CharField(source="person.full_name")
    birth_date = serializers.DateField(source="person.birth_date")
    national_id = serializers.CharField(source="masked_national_id")

    class Meta:
        model = PartyMember
        fields = [
            "id",
            "person",
            "full_name",
            "birth_date",
            "organisation",
            "status",
            "admitted_on",
            "full_on",
            *(name for name in PartyMember.RECORD_FIELDS if name != "notes"),
        ]


class EventOut(serializers.ModelSerializer):
    class Meta:
        model = MemberEvent
        fields = ["id", "kind", "on", "official", "decision_no", "issuer", "other_party", "note"]


class AdmitIn(StrictInput):
    person = IdField()
    organisation = IdField()
    admitted_on = serializers.DateField()
    decision_no = serializers.CharField(max_length=60, required=False, allow_blank=True)
    issuer = serializers.CharField(max_length=255, required=False, allow_blank=True)
    higher_approval = serializers.BooleanField(required=False)
    card_no = serializers.CharField(max_length=20, required=False, allow_null=True)
    national_id = serializers.CharField(max_length=12, required=False, allow_null=True)
    ethnicity = serializers.CharField(max_length=50, required=False, allow_blank=True)
    religion = serializers.CharField(max_length=50, required=False, allow_blank=True)
    political_theory = serializers.CharField(max_length=50, required=False, allow_blank=True)


class EventIn(StrictInput):
    kind = serializers.ChoiceField(choices=[k.value for k in EventKind if k is not EventKind.ADMITTED])
    on = serializers.DateField()
    official = serializers.BooleanField(required=False, default=True)
    decision_no = serializers.CharField(max_length=60, required=False, allow_blank=True)
    issuer = serializers.CharField(max_length=255, required=False, allow_blank=True)
    other_party = serializers.CharField(max_length=255, required=False, allow_blank=True)
    to_organisation = IdField(required=False, allow_null=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class BadgeOut(serializers.ModelSerializer):
    class Meta:
        model = BadgeAward
        fields = ["id", "years", "awarded_on", "decision_no", "issuer", "note"]


class BadgeIn(StrictInput):
    years = serializers.ChoiceField(
        choices=list(BADGE_MILESTONES), help_text="the milestone: years of party age"
    )
    awarded_on = serializers.DateField(help_text="the ceremony day; not in the future")
    decision_no = serializers.CharField(max_length=60)
    issuer = serializers.CharField(max_length=255, required=False, allow_blank=True)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


ORG_PARAM = OpenApiParameter("organisation", int, description="the subtree (party organisation id)")


@extend_schema(tags=["members"])
class MemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The register (?organisation= subtree, ?q= accent-insensitive, ?status=); identity numbers masked."""

    serializer_class = MemberOut
    lookup_value_regex = LOOKUP_ID

    def get_queryset(self) -> QuerySet[PartyMember]:
        params = self.request.query_params
        organisation = self._organisation(params.get("organisation")) if "organisation" in params else None
        if organisation is None and "organisation" in params:
            return PartyMember.objects.none()
        if organisation is not None:
            status_param = params.get("status", "")
            return selectors.register(
                self.request.user,
                organisation,
                query=params.get("q", ""),
                status=status_param if status_param in {s.value for s in Status} else "",
            )
        return selectors.members_visible(self.request.user).order_by("person__sort_key", "person_id")

    def _organisation(self, value: str | None) -> Organisation | None:
        pk = query_id(value)
        return (
            org_selectors.tree_visible(Organisation, self.request.user).filter(pk=pk).first() if pk else None
        )

    @extend_schema(parameters=[ORG_PARAM])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=AdmitIn)
    def create(self, request: Request) -> Response:
        data = AdmitIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = get_object_or_404(org_selectors.people_visible(request.user), pk=values.pop("person"))
        organisation = get_object_or_404(
            org_selectors.tree_visible(Organisation, request.user), pk=values.pop("organisation")
        )
        member = services.member_admit(actor=request.user, person=person, organisation=organisation, **values)
        return Response(MemberOut(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EventIn, responses=EventOut(many=True))
    @action(detail=True, methods=["get", "post"])
    def events(self, request: Request, pk: int) -> Response:
        member = get_object_or_404(selectors.members_visible(request.user), pk=pk)
        if request.method == "GET":
            return Response(EventOut(selectors.timeline(member), many=True).data)
        data = EventIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        target = values.pop("to_organisation", None)
        to_organisation = (
            get_object_or_404(org_selectors.tree_visible(Organisation, request.user), pk=target)
            if target
            else None
        )
        event = services.member_record_event(
            actor=request.user, member=member, to_organisation=to_organisation, **values
        )
        return Response(EventOut(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BadgeIn, responses=BadgeOut(many=True))
    @action(detail=True, methods=["get", "post"])
    def badges(self, request: Request, pk: int) -> Response:
        """Party badges recorded as given to the member; POST records one (the candidates list then
        leaves the member out for that milestone)."""
        member = get_object_or_404(selectors.members_visible(request.user), pk=pk)
        if request.method == "GET":
            return Response(BadgeOut(member.badges.order_by("years"), many=True).data)
        data = BadgeIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        grant = services.BadgeGrant(member, int(values.pop("years")))
        (award,) = services.badges_award(actor=request.user, grants=[grant], **values)
        return Response(BadgeOut(award).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[ORG_PARAM])
    @action(detail=False, methods=["get"])
    def statistics(self, request: Request) -> Response:
        """Counts of members in activity by every dimension, for a subtree."""
        organisation = self._organisation(request.query_params.get("organisation"))
        if organisation is None or not allowed(request.user, Perm.PERSON_VIEW, organisation):
            raise serializers.ValidationError(
                {"organisation": [_("Choose a party organisation within your scope.")]}
            )
        stats = selectors.statistics(request.user, organisation, timezone.localdate())
        return Response(
            {"total": stats.total, "by": {name: [[v, n] for v, n in rows] for name, rows in stats.by.items()}}
        )
