"""API v1 for organisations, units, positions and appointments. Reads via selectors, writes via services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from dangbo.api.base import LOOKUP_ID, IdField, StrictInput, query_id
from dangbo.core.scoping import scope
from dangbo.orgs import selectors, services
from dangbo.orgs.models import Appointment, Organisation, PositionType, Unit
from dangbo.rules.orgs import OrgKind, UnitKind
from dangbo.rules.roles import Perm
from dangbo.rules.vietnamese import fold


class OrganisationOut(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "short_name",
            "code",
            "kind",
            "parent",
            "path",
            "depth",
            "dissolved_on",
            "merged_into",
            "units",
            "place",
        ]


class UnitOut(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "name", "short_name", "code", "kind", "parent", "path", "depth", "dissolved_on"]


class NodeIn(StrictInput):
    parent = IdField()  # type: ignore[assignment]  # DRF's Field.parent; the API name wins
    name = serializers.CharField(max_length=255)
    short_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    code = serializers.CharField(max_length=30, required=False, allow_blank=True)
    kind = serializers.CharField()


class NodeUpdateIn(StrictInput):
    name = serializers.CharField(max_length=255, required=False)
    short_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    code = serializers.CharField(max_length=30, required=False, allow_blank=True)
    kind = serializers.CharField(required=False)


PLACE_HELP = "place name printed before the date of its documents; empty: as the organisation above"


class OrganisationIn(NodeIn):
    place = serializers.CharField(max_length=100, required=False, allow_blank=True, help_text=PLACE_HELP)


class OrganisationUpdateIn(NodeUpdateIn):
    place = serializers.CharField(max_length=100, required=False, allow_blank=True, help_text=PLACE_HELP)


class MoveIn(StrictInput):
    new_parent = IdField()


class TreeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List (with ?q= accent-insensitive search and ?parent=), read, create, update, move."""

    lookup_value_regex = LOOKUP_ID

    model: type[Organisation] | type[Unit]
    kinds: type[OrgKind] | type[UnitKind]
    change_perm: Perm
    input_class: type[NodeIn] = NodeIn
    update_class: type[NodeUpdateIn] = NodeUpdateIn

    def get_queryset(self) -> QuerySet[Any]:
        qs = selectors.tree_visible(self.model, self.request.user).order_by("path")
        if self.model is Organisation:
            qs = qs.prefetch_related("units")
        params = self.request.query_params
        if "parent" in params:
            parent = query_id(params["parent"])
            qs = qs.filter(parent_id=parent) if parent else qs.none()
        for word in fold(params.get("q", "")).split():
            qs = qs.filter(search_text__contains=word)
        return qs

    def _kind(self, value: str | None) -> str | None:
        if value is not None and value not in {k.value for k in self.kinds}:
            raise serializers.ValidationError(
                {"kind": [f"'{value}' ∉ {sorted(k.value for k in self.kinds)}"]}
            )
        return value

    def _node(self, pk: int, perm: Perm | None = None) -> Any:
        return get_object_or_404(
            scope(self.model.objects.all(), self.request.user, perm or self.change_perm), pk=pk
        )

    def create(self, request: Request) -> Response:
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        self._kind(values["kind"])
        parent = self._node(values.pop("parent"))
        create = services.organisation_create if self.model is Organisation else services.unit_create
        node = create(actor=request.user, parent=parent, **values)
        return Response(self.get_serializer(node).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: int) -> Response:
        node = self._node(pk)
        data = self.update_class(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        self._kind(data.validated_data.get("kind"))
        if self.model is Organisation:
            node = services.organisation_update(actor=request.user, organisation=node, **data.validated_data)
        else:
            node = services.unit_update(actor=request.user, unit=node, **data.validated_data)
        return Response(self.get_serializer(node).data)

    @extend_schema(request=MoveIn)
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: int) -> Response:
        node = self._node(pk)
        data = MoveIn(data=request.data)
        data.is_valid(raise_exception=True)
        new_parent = self._node(data.validated_data["new_parent"])
        if self.model is Organisation:
            node = services.organisation_move(actor=request.user, organisation=node, new_parent=new_parent)
        else:
            node = services.unit_move(actor=request.user, unit=node, new_parent=new_parent)
        return Response(self.get_serializer(node).data)


class UnitsIn(StrictInput):
    units = serializers.ListField(child=IdField(), allow_empty=True, max_length=10_000)


@extend_schema(tags=["organisations"])
class OrganisationViewSet(TreeViewSet):
    model = Organisation
    kinds = OrgKind
    change_perm = Perm.ORG_CHANGE
    serializer_class = OrganisationOut
    input_class = OrganisationIn
    update_class = OrganisationUpdateIn
    create = extend_schema(request=OrganisationIn)(TreeViewSet.create)
    partial_update = extend_schema(request=OrganisationUpdateIn)(TreeViewSet.partial_update)

    @extend_schema(request=UnitsIn)
    @action(detail=True, methods=["post"])
    def units(self, request: Request, pk: int) -> Response:
        """Set the business units this organisation leads (replaces the list)."""
        organisation = self._node(pk)
        data = UnitsIn(data=request.data)
        data.is_valid(raise_exception=True)
        wanted = set(data.validated_data["units"])
        units = list(selectors.tree_visible(Unit, request.user).filter(pk__in=wanted))
        missing = sorted(wanted - {u.pk for u in units})
        if missing:
            raise serializers.ValidationError(
                {"units": [_("Unknown or out-of-scope units: %(ids)s") % {"ids": missing}]}
            )
        services.organisation_set_units(actor=request.user, organisation=organisation, units=units)
        return Response(self.get_serializer(organisation).data)


@extend_schema(tags=["units"])
class UnitViewSet(TreeViewSet):
    model = Unit
    kinds = UnitKind
    change_perm = Perm.UNIT_CHANGE
    serializer_class = UnitOut
    create = extend_schema(request=NodeIn)(TreeViewSet.create)
    partial_update = extend_schema(request=NodeUpdateIn)(TreeViewSet.partial_update)


class PositionTypeOut(serializers.ModelSerializer):
    class Meta:
        model = PositionType
        fields = ["id", "code", "name", "system", "single_holder"]


@extend_schema(tags=["positions"])
class PositionTypeViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = LOOKUP_ID
    serializer_class = PositionTypeOut
    queryset = PositionType.objects.all()
    pagination_class = None


class AppointmentOut(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    position_name = serializers.CharField(source="position.name", read_only=True)

    class Meta:
        model = Appointment
        fields = [
            "id",
            "person",
            "person_name",
            "position",
            "position_name",
            "organisation",
            "unit",
            "term",
            "starts_on",
            "ends_on",
            "decision_no",
        ]


class AppointmentIn(StrictInput):
    person = IdField()
    position = serializers.SlugRelatedField(slug_field="code", queryset=PositionType.objects.all())
    organisation = IdField(required=False, allow_null=True)
    unit = IdField(required=False, allow_null=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    decision_no = serializers.CharField(max_length=60, required=False, allow_blank=True)


class EndIn(StrictInput):
    ends_on = serializers.DateField()


@extend_schema(tags=["positions"])
class AppointmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Who holds which post; ?organisation=, ?unit=, ?person=, ?current=1."""

    lookup_value_regex = LOOKUP_ID

    serializer_class = AppointmentOut

    def get_queryset(self) -> QuerySet[Appointment]:
        qs = selectors.appointments_visible(self.request.user).order_by("position__rank", "starts_on", "pk")
        params = self.request.query_params
        for name in ("organisation", "unit", "person"):
            if name in params:
                value = query_id(params[name])
                qs = qs.filter(**{f"{name}_id": value}) if value else qs.none()
        if params.get("current") in {"1", "true"}:
            qs = qs.current()
        return qs

    @extend_schema(request=AppointmentIn)
    def create(self, request: Request) -> Response:
        data = AppointmentIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = get_object_or_404(selectors.people_visible(request.user), pk=values.pop("person"))
        org_id, unit_id = values.pop("organisation", None), values.pop("unit", None)
        organisation = (
            get_object_or_404(selectors.tree_visible(Organisation, request.user), pk=org_id)
            if org_id
            else None
        )
        unit = get_object_or_404(selectors.tree_visible(Unit, request.user), pk=unit_id) if unit_id else None
        appointment = services.appointment_create(
            actor=request.user, person=person, organisation=organisation, unit=unit, **values
        )
        return Response(AppointmentOut(appointment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=EndIn)
    @action(detail=True, methods=["post"])
    def end(self, request: Request, pk: int) -> Response:
        appointment = get_object_or_404(
            scope(Appointment.objects.all(), request.user, Perm.POSITION_CHANGE), pk=pk
        )
        data = EndIn(data=request.data)
        data.is_valid(raise_exception=True)
        appointment = services.appointment_end(
            actor=request.user, appointment=appointment, **data.validated_data
        )
        return Response(AppointmentOut(appointment).data)
