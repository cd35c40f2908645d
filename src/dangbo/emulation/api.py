"""API v1 for emulation: criteria sets, movements with their models, council and delegates,
registrations, self-scores and council scores, the results table and exemplars — scoped like the
pages, every write through `dangbo.emulation.services` (so every write is checked and audited there).

Status codes, as for meetings: **404** for what the caller may not see (a movement outside their
reach, a registration of one, a criteria set of another committee, the results of a round not
closed yet); **403** for what they see but may not do, decided before the body is read; **400**
with the service's message, naming the field, for anything the rules refuse — a refusal changes
nothing. Once a round's scores are locked every score write is refused with 400 and the message in
`non_field_errors`. Points are JSON numbers or strings written like the forms ("7,5" or "7.5").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.helpers import lazy_serializer
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from dangbo.api.base import LOOKUP_ID, IdField, StrictInput, query_id
from dangbo.core.names import user_name
from dangbo.core.scoping import allowed
from dangbo.emulation import selectors, services
from dangbo.emulation.models import (
    CouncilMember,
    CriteriaSet,
    Criterion,
    Delegate,
    Movement,
    MovementModel,
    Registration,
)
from dangbo.orgs import selectors as org_selectors
from dangbo.orgs.models import Organisation, Person, Unit
from dangbo.rules import emulation as rules
from dangbo.rules.roles import Perm
from dangbo.rules.vietnamese import fold

Status = Movement.Status
TEXT_LIMIT = 20_000
# The largest figure a points column holds (6 digits, 2 of them decimals).
MAX_POINTS = Decimal("9999.99")


# --- Points and service errors -------------------------------------------------------------------


@extend_schema_field(
    {
        "oneOf": [{"type": "number"}, {"type": "string", "example": "7,5"}],
        "nullable": True,
        "description": 'a number, or a string with a decimal comma or point ("7,5", "7.5")',
    }
)
class PointsField(serializers.Field):
    """Points as a JSON number or a string typed like the forms ("7,5" or "7.5"), read by
    `rules.emulation.parse_points`: never guessed ("1.000" is refused, not read as a thousand)."""

    def to_internal_value(self, data: Any) -> Decimal:
        if isinstance(data, bool) or not isinstance(data, int | float | str):
            raise serializers.ValidationError(_("Write the points as a number: 7,5 or 7.5."))
        # A float's shortest repr is the number as it was written in the JSON (7.5 → "7.5").
        text = repr(data) if isinstance(data, float) else str(data)
        try:
            points = rules.parse_points(text[:40])
        except rules.ScoreError as error:
            if error.code == "too_many_decimals":
                raise serializers.ValidationError(
                    _("“%(value)s” has more than 2 decimals.") % {"value": text[:40]}
                ) from None
            raise serializers.ValidationError(
                _("“%(value)s” is not a number (write 7,5 or 7.5).") % {"value": text[:40]}
            ) from None
        if abs(points) > MAX_POINTS:
            raise serializers.ValidationError(_("“%(value)s” is too large.") % {"value": text[:40]})
        return points

    def to_representation(self, value: Any) -> Any:
        return value


def Points(**kwargs: Any) -> serializers.DecimalField:
    """Points in an answer: a JSON number (null when there are none)."""
    return serializers.DecimalField(
        max_digits=6, decimal_places=2, coerce_to_string=False, allow_null=True, **kwargs
    )


def _field(key: str) -> str:
    """A service names the whole object with an empty key: DRF's non_field_errors."""
    return key or "non_field_errors"


def _detail(error: DjangoValidationError, rename: Callable[[str], str]) -> dict[str, list[str]]:
    """A service's refusal as DRF's error shape, its keys renamed to the fields of the request."""
    if not hasattr(error, "error_dict"):
        return {"non_field_errors": list(error.messages)}
    found: dict[str, list[str]] = {}
    for key, messages in error.message_dict.items():
        found.setdefault(rename(key), []).extend(messages)
    return found


def _call(service: Callable[..., Any], rename: Callable[[str], str] = _field, **kwargs: Any) -> Any:
    try:
        return service(**kwargs)
    except DjangoValidationError as error:
        raise serializers.ValidationError(_detail(error, rename)) from None


def _no_login(username: str) -> serializers.ValidationError:
    return serializers.ValidationError({"username": [_("No active login “%(name)s”.") % {"name": username}]})


# --- Criteria sets -------------------------------------------------------------------------------


class CriteriaSetOut(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name")
    total = Points()
    default_step = Points()
    published = serializers.BooleanField()

    class Meta:
        model = CriteriaSet
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "code",
            "version",
            "name",
            "description",
            "total",
            "default_step",
            "published",
            "published_at",
            "based_on",
            "created_at",
        ]


class CriterionOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField(help_text="dotted: 1, 1.2")
    title = serializers.CharField()
    guidance = serializers.CharField()
    mandatory = serializers.BooleanField(help_text="pass/fail: no points")
    max_points = Points()
    step = Points(help_text="null for a heading (its sub-criteria are scored) and a mandatory one")
    children = serializers.SerializerMethodField()

    @extend_schema_field(lazy_serializer("dangbo.emulation.api.CriterionOut")(many=True))
    def get_children(self, criterion: Criterion) -> list[dict[str, Any]]:
        kids = self.context["children"].get(criterion.pk, [])
        return CriterionOut(kids, many=True, context=self.context).data  # type: ignore[return-value]


def criteria_tree(criteria: Sequence[Criterion]) -> list[dict[str, Any]]:
    """The criteria (in position order) as a tree: each with its sub-criteria under `children`."""
    children: dict[int | None, list[Criterion]] = {}
    for criterion in criteria:
        children.setdefault(criterion.parent_id, []).append(criterion)
    return CriterionOut(children.get(None, []), many=True, context={"children": children}).data  # type: ignore[return-value]


class CriteriaSetDetailOut(CriteriaSetOut):
    criteria = CriterionOut(many=True, help_text="the top criteria, each with its sub-criteria")

    class Meta(CriteriaSetOut.Meta):
        fields = [*CriteriaSetOut.Meta.fields, "criteria"]


class CriterionIn(StrictInput):
    code = serializers.CharField(max_length=20, allow_blank=True, help_text="dotted: 1, 1.2")
    title = serializers.CharField(max_length=500, allow_blank=True)
    max_points = PointsField(required=False, allow_null=True, default=None)
    step = PointsField(required=False, allow_null=True, default=None, help_text="empty: the set's step")
    mandatory = serializers.BooleanField(required=False, default=False, help_text="pass/fail: no points")
    guidance = serializers.CharField(required=False, allow_blank=True, max_length=5_000, default="")


class CriteriaSetChangeIn(StrictInput):
    name = serializers.CharField(required=False, allow_blank=True, max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_LIMIT)
    default_step = PointsField(required=False, help_text="the step of criteria that name none (0,25)")
    criteria = serializers.ListField(
        child=CriterionIn(),
        required=False,
        max_length=1_000,
        help_text="every criterion, in any order; the dotted codes make the tree. The top maxima add "
        "up to 100, sub-criteria to their parent.",
    )

    def validate_default_step(self, value: Decimal) -> Decimal:
        if value <= 0:
            raise serializers.ValidationError(_("The scoring step must be at least 0,01."))
        return value


class CriteriaSetIn(CriteriaSetChangeIn):
    organisation = IdField(help_text="the issuing organisation")
    name = serializers.CharField(allow_blank=True, max_length=300)
    criteria = serializers.ListField(child=CriterionIn(), max_length=1_000)


def _criteria_rows(rows: Sequence[dict[str, Any]]) -> list[services.CriterionRow]:
    return [
        services.CriterionRow(
            code=row["code"],
            title=row["title"],
            max_points=row["max_points"],
            step=row["step"],
            mandatory=row["mandatory"],
            guidance=row["guidance"],
        )
        for row in rows
    ]


def _criteria_field(key: str) -> str:
    """A criteria set's refusals: the name, or a criterion (keyed by its code) or the whole set."""
    return "name" if key == "name" else "criteria"


# --- Schema helpers ------------------------------------------------------------------------------

ErrorsOut = inline_serializer(
    "EmulationErrorsOut",
    {"non_field_errors": serializers.ListField(child=serializers.CharField(), required=False)},
)
REFUSED = OpenApiResponse(
    ErrorsOut,
    description="Refused by the rules: the message, in Vietnamese, names the field (other keys are "
    "field names) and nothing changes. Once a round's scores are locked every score write is refused "
    "with 400 and the message in non_field_errors.",
)
DetailOut = inline_serializer("EmulationDetailMessageOut", {"detail": serializers.CharField()})
FORBIDDEN = OpenApiResponse(DetailOut, description="the caller sees it but may not do this")
NOT_FOUND = OpenApiResponse(DetailOut, description="nothing of the kind among what the caller may see")


def _writes(request: Any, response: Any, code: int = 200, **extra: Any) -> Any:
    return extend_schema(
        request=request,
        responses={code: response, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
        **extra,
    )


def _read(response: Any, **extra: Any) -> Any:
    return extend_schema(responses={200: response, 403: FORBIDDEN, 404: NOT_FOUND}, **extra)


@extend_schema(tags=["emulation"])
class CriteriaSetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Criteria sets of the caller's organisations and of those above (to reuse). A draft is
    rewritten until published; a published set is frozen and changed by a new version."""

    lookup_value_regex = LOOKUP_ID
    serializer_class = CriteriaSetOut

    def get_queryset(self) -> QuerySet[CriteriaSet]:
        sets = selectors.criteria_sets(self.request.user).select_related("organisation")
        wanted = self.request.query_params.get("published", "")
        if wanted in ("true", "false"):
            sets = sets.filter(published_at__isnull=wanted == "false")
        return sets.order_by("name", "-version", "pk")

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        criteria_set = get_object_or_404(
            selectors.criteria_sets(self.request.user).select_related("organisation"), pk=pk
        )
        data = dict(CriteriaSetOut(criteria_set).data)
        data["criteria"] = criteria_tree(list(criteria_set.criteria.order_by("position")))
        return Response(data, status=code)

    def _managed(self, pk: int) -> CriteriaSet:
        criteria_set = get_object_or_404(
            selectors.criteria_sets(self.request.user).select_related("organisation"), pk=pk
        )
        if not allowed(self.request.user, Perm.EMULATION_MANAGE, criteria_set):
            raise PermissionDenied
        return criteria_set

    @extend_schema(
        parameters=[OpenApiParameter("published", bool, description="only the published (true) or drafts")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @_read(CriteriaSetDetailOut)
    def retrieve(self, request: Request, pk: int) -> Response:
        """The set with its criteria as a tree (each criterion's sub-criteria under `children`)."""
        return self._detail(pk)

    @_writes(CriteriaSetIn, CriteriaSetDetailOut, code=201)
    def create(self, request: Request) -> Response:
        """Draft a criteria set of an organisation the caller runs movements of: the criteria as
        rows (code, title, max_points, step, mandatory, guidance)."""
        data = CriteriaSetIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        organisation = get_object_or_404(
            org_selectors.tree_visible(Organisation, request.user), pk=values["organisation"]
        )
        criteria_set = _call(
            services.criteria_set_save,
            _criteria_field,
            actor=request.user,
            organisation=organisation,
            name=values["name"],
            description=values.get("description", ""),
            default_step=values.get("default_step", Decimal("0.25")),
            rows=_criteria_rows(values["criteria"]),
        )
        return self._detail(criteria_set.pk, status.HTTP_201_CREATED)

    @_writes(CriteriaSetChangeIn, CriteriaSetDetailOut)
    def partial_update(self, request: Request, pk: int) -> Response:
        """Rewrite a draft: the fields left out keep their values (`criteria`, when given, replaces
        every criterion). A published set is refused: make a new version."""
        criteria_set = self._managed(pk)
        data = CriteriaSetChangeIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if criteria_set.published:
            raise serializers.ValidationError(
                {
                    "non_field_errors": [
                        _("“%(name)s” has been published and is frozen: make a new version to change it.")
                        % {"name": criteria_set.name}
                    ]
                }
            )
        if "criteria" in values:
            rows = _criteria_rows(values["criteria"])
        else:
            rows = [
                services.CriterionRow(c.code, c.title, c.max_points, c.step, c.mandatory, c.guidance)
                for c in criteria_set.criteria.order_by("position")
            ]
        _call(
            services.criteria_set_save,
            _criteria_field,
            actor=request.user,
            organisation=criteria_set.organisation,
            criteria_set=criteria_set,
            name=values.get("name", criteria_set.name),
            description=values.get("description", criteria_set.description),
            default_step=values.get("default_step", criteria_set.default_step),
            total=criteria_set.total,
            rows=rows,
        )
        return self._detail(criteria_set.pk)

    @_writes(None, CriteriaSetDetailOut)
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: int) -> Response:
        """Publish the draft: movements may then score by it, and it no longer changes."""
        criteria_set = self._managed(pk)
        _call(services.criteria_set_publish, _criteria_field, actor=request.user, criteria_set=criteria_set)
        return self._detail(criteria_set.pk)

    @_writes(None, CriteriaSetDetailOut, code=201)
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request: Request, pk: int) -> Response:
        """A draft copy of the set with the next version number, to change and publish."""
        criteria_set = self._managed(pk)
        copy = _call(services.criteria_set_new_version, actor=request.user, criteria_set=criteria_set)
        return self._detail(copy.pk, status.HTTP_201_CREATED)


# --- Movements -----------------------------------------------------------------------------------

MOVEMENT_FIELDS = [
    "id",
    "organisation",
    "organisation_name",
    "name",
    "starts_on",
    "ends_on",
    "goals",
    "aggregation",
    "status",
    "closed_at",
    "published_at",
]


class MovementOut(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name")
    aggregation = serializers.CharField(help_text=", ".join(Movement.Aggregation.values))
    status = serializers.CharField(help_text=", ".join(Status.values))

    class Meta:
        model = Movement
        fields = MOVEMENT_FIELDS


class MovementModelOut(serializers.ModelSerializer):
    field = serializers.CharField(help_text=", ".join(MovementModel.Field.values))
    tier = serializers.CharField(help_text=", ".join(MovementModel.Tier.values))
    criteria_set_name = serializers.CharField(source="criteria_set.__str__")
    registered = serializers.IntegerField(required=False, help_text="registrations, whatever their status")
    approved = serializers.IntegerField(required=False)

    class Meta:
        model = MovementModel
        fields = [
            "id",
            "position",
            "name",
            "field",
            "tier",
            "goal",
            "resources",
            "outputs",
            "for_collectives",
            "for_individuals",
            "criteria_set",
            "criteria_set_name",
            "registered",
            "approved",
        ]


class NamedOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CouncilMemberOut(serializers.ModelSerializer):
    class Meta:
        model = CouncilMember
        fields = ["id", "name", "post", "chair"]


class DelegateOut(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name")
    user = serializers.SerializerMethodField(help_text="the delegate's name (or login)")

    class Meta:
        model = Delegate
        fields = ["id", "unit", "unit_name", "user"]

    def get_user(self, delegate: Delegate) -> str:
        return user_name(delegate.user)


class MovementDetailOut(MovementOut):
    next_status = serializers.CharField(allow_null=True, help_text="where `advance` takes the movement")
    manage = serializers.BooleanField(help_text="the caller runs this movement")
    results_public = serializers.BooleanField(help_text="the caller may read the results once closed")
    models = MovementModelOut(many=True)
    organisations = NamedOut(many=True, help_text="empty: every organisation under the organiser")
    units = NamedOut(many=True, help_text="business units outside the tree that take part")
    council = CouncilMemberOut(many=True)
    delegates = DelegateOut(many=True, help_text="listed to those who run the movement only")

    class Meta(MovementOut.Meta):
        fields = [
            *MOVEMENT_FIELDS,
            "next_status",
            "manage",
            "results_public",
            "models",
            "organisations",
            "units",
            "council",
            "delegates",
        ]


class MovementIn(StrictInput):
    organisation = IdField(help_text="the organiser")
    name = serializers.CharField(allow_blank=True, max_length=300)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    goals = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_LIMIT, default="")
    aggregation = serializers.ChoiceField(
        choices=Movement.Aggregation.values, required=False, default=Movement.Aggregation.MEAN.value
    )
    organisations = serializers.ListField(
        child=IdField(),
        required=False,
        default=list,
        max_length=500,
        help_text="organisations that take part, with their subtrees (empty: all under the organiser)",
    )
    units = serializers.ListField(
        child=IdField(),
        required=False,
        default=list,
        max_length=500,
        help_text="business units that take part",
    )


class ModelIn(StrictInput):
    name = serializers.CharField(allow_blank=True, max_length=400)
    field = serializers.ChoiceField(choices=MovementModel.Field.values)
    tier = serializers.ChoiceField(
        choices=MovementModel.Tier.values, required=False, default=MovementModel.Tier.GRASSROOTS.value
    )
    criteria_set = IdField(help_text="a published criteria set the caller may use")
    goal = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_LIMIT, default="")
    resources = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_LIMIT, default="")
    outputs = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_LIMIT, default="")
    for_collectives = serializers.BooleanField(required=False, default=True)
    for_individuals = serializers.BooleanField(required=False, default=False)


class CouncilIn(StrictInput):
    username = serializers.CharField(max_length=150, help_text="the council member's login")
    post = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    chair = serializers.BooleanField(required=False, default=False)


class DelegateIn(StrictInput):
    unit = IdField(help_text="a participating business unit")
    username = serializers.CharField(max_length=150, help_text="the login of the unit's emulation officer")


def _ids(model: type[Any], ids: list[int], name: str, queryset: QuerySet[Any] | None = None) -> list[Any]:
    found = (queryset if queryset is not None else model.objects.all()).in_bulk(ids)
    missing = [str(i) for i in dict.fromkeys(ids) if i not in found]
    if missing:
        raise serializers.ValidationError(
            {name: [_("No such organisation or unit in your scope: %(ids)s.") % {"ids": ", ".join(missing)}]}
        )
    return [found[i] for i in dict.fromkeys(ids)]


@extend_schema(tags=["emulation"])
class MovementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Emulation movements the caller reaches (as the movement list page): everyone under the
    organiser, those above it, its council and the delegates of its units; drafts only for those who
    run it. Writes go through the services, each audited."""

    lookup_value_regex = LOOKUP_ID
    serializer_class = MovementOut

    def get_queryset(self) -> QuerySet[Movement]:
        movements = selectors.movements(self.request.user)
        params = self.request.query_params
        wanted = params.get("status", "")
        if wanted:
            if wanted not in Status.values:
                raise serializers.ValidationError({"status": [_("Choose a status from the list.")]})
            movements = movements.filter(status=wanted)
        for word in fold(params.get("q", "")[:200]).split():
            movements = movements.filter(search_text__contains=word)
        return movements.order_by("-starts_on", "-pk")

    def _visible(self, pk: int) -> Movement:
        return get_object_or_404(selectors.movements(self.request.user), pk=pk)

    def _managed(self, pk: int) -> Movement:
        """404 unseen, 403 seen only (before the body is read)."""
        movement = self._visible(pk)
        if not selectors.can_manage(self.request.user, movement):
            raise PermissionDenied
        return movement

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        user = self.request.user
        movement = self._visible(pk)
        manage = selectors.can_manage(user, movement)
        following = services.NEXT.get(Status(movement.status))
        data = dict(MovementOut(movement).data)
        data.update(
            next_status=following.value if following else None,
            manage=manage,
            results_public=selectors.results_public(user, movement),
            models=MovementModelOut(selectors.model_rows(movement), many=True).data,
            organisations=[{"id": o.pk, "name": o.name} for o in movement.organisations.order_by("path")],
            units=[{"id": u.pk, "name": u.name} for u in movement.units.order_by("sort_key")],
            council=CouncilMemberOut(movement.council.all(), many=True).data,
            delegates=DelegateOut(
                movement.delegates.select_related("unit", "user__person").order_by("unit__sort_key", "pk")
                if manage
                else [],
                many=True,
            ).data,
        )
        return Response(data, status=code)

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=Status.values),
            OpenApiParameter("q", str, description="accent-insensitive words of the name or its models"),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @_read(MovementDetailOut)
    def retrieve(self, request: Request, pk: int) -> Response:
        """The movement with its models, who takes part, its council, (for those who run it) its
        unit delegates, and its status."""
        return self._detail(pk)

    @_writes(MovementIn, MovementDetailOut, code=201)
    def create(self, request: Request) -> Response:
        """Create a movement (a draft) of an organisation the caller runs movements of."""
        data = MovementIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        organisation = get_object_or_404(
            org_selectors.tree_visible(Organisation, request.user), pk=values["organisation"]
        )
        movement = _call(
            services.movement_create,
            actor=request.user,
            organisation=organisation,
            data=services.MovementInput(
                name=values["name"],
                starts_on=values["starts_on"],
                ends_on=values["ends_on"],
                goals=values["goals"],
                aggregation=values["aggregation"],
                organisations=_ids(
                    Organisation,
                    values["organisations"],
                    "organisations",
                    Organisation.objects.filter(dissolved_on__isnull=True),
                ),
                units=_ids(Unit, values["units"], "units", Unit.objects.filter(dissolved_on__isnull=True)),
            ),
        )
        return self._detail(movement.pk, status.HTTP_201_CREATED)

    @_writes(None, MovementDetailOut)
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: int) -> Response:
        """Open registration → start scoring → close (compute, seal and lock the scores) → publish
        the results."""
        movement = self._managed(pk)
        _call(services.movement_advance, actor=request.user, movement=movement)
        return self._detail(movement.pk)

    @_writes(ModelIn, MovementModelOut, code=201)
    @action(detail=True, methods=["post"])
    def models(self, request: Request, pk: int) -> Response:
        """Add a model (mô hình) scored by a published criteria set, before scoring starts."""
        movement = self._managed(pk)
        data = ModelIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        criteria_set = selectors.criteria_sets(request.user).filter(pk=values.pop("criteria_set")).first()
        if criteria_set is None:
            raise serializers.ValidationError(
                {"criteria_set": [_("No such criteria set among those you may use.")]}
            )
        model = _call(
            services.model_add,
            actor=request.user,
            movement=movement,
            data=services.ModelInput(criteria_set=criteria_set, **values),
        )
        return Response(MovementModelOut(model).data, status=status.HTTP_201_CREATED)

    @_writes(CouncilIn, CouncilMemberOut, code=201)
    @action(detail=True, methods=["post"])
    def council(self, request: Request, pk: int) -> Response:
        """Seat a login on the council: they score every approved registration but their own unit's."""
        movement = self._managed(pk)
        data = CouncilIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = selectors.active_login(values["username"])
        if user is None:
            raise _no_login(values["username"])
        member = _call(
            services.council_add,
            lambda key: "username" if key == "user" else _field(key),
            actor=request.user,
            movement=movement,
            user=user,
            post=values["post"],
            chair=values["chair"],
        )
        return Response(CouncilMemberOut(member).data, status=status.HTTP_201_CREATED)

    @_writes(DelegateIn, DelegateOut, code=201)
    @action(detail=True, methods=["post"])
    def delegates(self, request: Request, pk: int) -> Response:
        """Name a login who registers and self-scores a participating unit outside the tree."""
        movement = self._managed(pk)
        data = DelegateIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        unit = Unit.objects.filter(pk=values["unit"], dissolved_on__isnull=True).first()
        if unit is None:
            raise serializers.ValidationError(
                {
                    "unit": [
                        _("No such organisation or unit in your scope: %(ids)s.") % {"ids": values["unit"]}
                    ]
                }
            )
        user = selectors.active_login(values["username"])
        if user is None:
            raise _no_login(values["username"])
        delegate = _call(services.delegate_add, actor=request.user, movement=movement, unit=unit, user=user)
        return Response(
            DelegateOut(Delegate.objects.select_related("unit", "user__person").get(pk=delegate.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        responses={
            200: lazy_serializer("dangbo.emulation.api.ResultsOut")(),
            403: OpenApiResponse(DetailOut, description="locked but not yet published: for those who run it"),
            404: OpenApiResponse(DetailOut, description="no such movement, or its round is not closed"),
        }
    )
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: int) -> Response:
        """The results table per model: every approved registration's council score per criterion
        beside its self-score, its total, rank and exemplar recognition. Public to everyone the
        movement reaches once published; before that only to those who run it."""
        movement = self._visible(pk)
        if not movement.locked:
            return Response(
                {"detail": _("There are no results yet: they are computed when the round closes.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        if not selectors.results_public(request.user, movement):
            raise PermissionDenied(
                _("The results are not published yet: only those who run the movement see them.")
            )
        return Response(_results(movement))


class ResultCellOut(serializers.Serializer):
    criterion = serializers.IntegerField()
    points = Points(help_text="the council's final score (null for a mandatory criterion)")
    self_points = Points()
    passed = serializers.BooleanField(allow_null=True, help_text="a mandatory criterion: met or not")
    scorers = serializers.IntegerField(help_text="council members whose score counted")


class ResultRowOut(serializers.Serializer):
    registration = serializers.IntegerField()
    subject_name = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True)
    self_total = Points()
    final_score = Points()
    passed_mandatory = serializers.BooleanField(allow_null=True)
    exemplar = serializers.BooleanField()
    exemplar_story = serializers.CharField()
    cells = ResultCellOut(many=True, help_text="one per criterion of the model, in its order")


class ResultCriterionOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    mandatory = serializers.BooleanField()
    max_points = Points()


class ResultModelOut(serializers.Serializer):
    model = serializers.IntegerField()
    position = serializers.IntegerField()
    name = serializers.CharField()
    criteria = ResultCriterionOut(many=True, help_text="the directly scored criteria")
    rows = ResultRowOut(many=True, help_text="ranked")


class ResultsOut(serializers.Serializer):
    movement = serializers.IntegerField()
    status = serializers.CharField(help_text="closed (locked) or published")
    aggregation = serializers.CharField(help_text=", ".join(Movement.Aggregation.values))
    closed_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)
    content_hash = serializers.CharField(help_text="the scores' hash sealed in the audit chain")
    models = ResultModelOut(many=True)


def _results(movement: Movement) -> dict[str, Any]:
    models = []
    for table in selectors.results_table(movement):
        model, criteria = table["model"], table["criteria"]
        rows = []
        for row in table["rows"]:
            registration = row["registration"]
            rows.append(
                {
                    "registration": registration.pk,
                    "subject_name": registration.subject_name,
                    "rank": registration.rank,
                    "self_total": registration.self_total,
                    "final_score": registration.final_score,
                    "passed_mandatory": registration.passed_mandatory,
                    "exemplar": registration.exemplar,
                    "exemplar_story": registration.exemplar_story,
                    "cells": [
                        {
                            "criterion": c.pk,
                            "points": None if cell is None else cell.points,
                            "self_points": None if cell is None else cell.self_points,
                            "passed": None if cell is None else cell.passed,
                            "scorers": 0 if cell is None else cell.scorers,
                        }
                        for c, cell in zip(criteria, row["cells"], strict=True)
                    ],
                }
            )
        models.append(
            {
                "model": model.pk,
                "position": model.position,
                "name": model.name,
                "criteria": [
                    {
                        "id": c.pk,
                        "code": c.code,
                        "title": c.title,
                        "mandatory": c.mandatory,
                        "max_points": c.max_points,
                    }
                    for c in criteria
                ],
                "rows": rows,
            }
        )
    return ResultsOut(
        {
            "movement": movement.pk,
            "status": movement.status,
            "aggregation": movement.aggregation,
            "closed_at": movement.closed_at,
            "published_at": movement.published_at,
            "content_hash": movement.content_hash,
            "models": models,
        }
    ).data


# --- Registrations and scores --------------------------------------------------------------------

REGISTRATION_FIELDS = [
    "id",
    "movement",
    "model",
    "model_name",
    "subject_kind",
    "organisation",
    "unit",
    "person",
    "subject_name",
    "plan",
    "status",
    "reason",
    "registered_at",
    "decided_at",
    "exemplar",
    "exemplar_story",
    "self_total",
    "final_score",
    "rank",
    "passed_mandatory",
]
FIGURES = ("self_total", "final_score", "rank", "passed_mandatory")


class RegistrationOut(serializers.ModelSerializer):
    model_name = serializers.CharField(source="model.name")
    subject_kind = serializers.SerializerMethodField(help_text="organisation, unit or person")
    status = serializers.CharField(help_text=", ".join(Registration.Status.values))
    self_total = Points(help_text="the figures of a closed round: null until the caller may read them")
    final_score = Points()

    class Meta:
        model = Registration
        fields = REGISTRATION_FIELDS

    def get_subject_kind(self, registration: Registration) -> str:
        if registration.organisation_id is not None:
            return "organisation"
        return "unit" if registration.unit_id is not None else "person"

    def to_representation(self, registration: Registration) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(registration)
        movement = registration.movement
        if not (movement.locked and selectors.results_public(self.context["request"].user, movement)):
            data.update(dict.fromkeys(FIGURES))
        return data


class ScoreOut(serializers.Serializer):
    points = Points()
    passed = serializers.BooleanField(allow_null=True)
    evidence = serializers.CharField()


class ResultOut(serializers.Serializer):
    points = Points()
    self_points = Points()
    passed = serializers.BooleanField(allow_null=True)
    scorers = serializers.IntegerField()


class CardRowOut(serializers.Serializer):
    criterion = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    guidance = serializers.CharField()
    depth = serializers.IntegerField(help_text="0 for a top criterion")
    leaf = serializers.BooleanField(help_text="scored directly (a heading's points are its children's)")
    mandatory = serializers.BooleanField()
    max_points = Points()
    step = Points()
    self = ScoreOut(allow_null=True, help_text="the unit's own score and evidence")
    mine = ScoreOut(allow_null=True, help_text="the caller's own council score")
    council_scores = serializers.IntegerField(
        allow_null=True, help_text="how many council members scored it (for those who may see it)"
    )
    result = ResultOut(allow_null=True, help_text="the final figure once the round is closed")


class RolesOut(serializers.Serializer):
    manage = serializers.BooleanField(help_text="runs the movement: approves, rejects, recognises")
    act = serializers.BooleanField(help_text="acts for the registered unit: self-scores")
    council = serializers.BooleanField(help_text="scores it as a council member")
    conflict = serializers.BooleanField(help_text="on the council but belongs to the unit")


class ScorecardOut(RegistrationOut):
    criteria_set = serializers.IntegerField(source="model.criteria_set_id")
    roles = serializers.SerializerMethodField()
    self_sum = Points(source="card.self_total", help_text="the self-scores given so far")
    my_sum = serializers.SerializerMethodField()
    card = CardRowOut(many=True, source="card.rows")

    class Meta(RegistrationOut.Meta):
        fields = [*REGISTRATION_FIELDS, "criteria_set", "roles", "self_sum", "my_sum", "card"]

    @extend_schema_field(RolesOut)
    def get_roles(self, registration: Registration) -> dict[str, bool]:
        return self.context["roles"]  # type: ignore[no-any-return]

    @extend_schema_field(Points(help_text="the caller's council scores so far (null off the council)"))
    def get_my_sum(self, registration: Registration) -> Decimal | None:
        card: selectors.Card = self.context["card"]
        return card.my_total if self.context["seat"] is not None else None


def _score(score: Any) -> dict[str, Any] | None:
    if score is None:
        return None
    return {"points": score.points, "passed": score.passed, "evidence": score.evidence}


class ScoreIn(StrictInput):
    criterion = IdField(help_text="a directly scored criterion of the model's set")
    points = PointsField(required=False, allow_null=True, default=None, help_text="null clears it")
    passed = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="a mandatory criterion: met or not"
    )
    evidence = serializers.CharField(required=False, allow_blank=True, default="")


class ScoresIn(StrictInput):
    scores = serializers.ListField(child=ScoreIn(), allow_empty=False, max_length=services.MAX_CRITERIA)


class RegisterIn(StrictInput):
    model = IdField(help_text="a model of a movement open for registration")
    organisation = IdField(required=False, help_text="register an organisation of the tree …")
    unit = IdField(required=False, help_text="… or a business unit …")
    person = IdField(required=False, help_text="… or a person (models open to individuals)")
    plan = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_LIMIT, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if sum(name in attrs for name in ("organisation", "unit", "person")) != 1:
            raise serializers.ValidationError(_("Choose who registers: one organisation, unit or person."))
        return attrs


class RejectIn(StrictInput):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class ExemplarIn(StrictInput):
    story = serializers.CharField(
        allow_blank=True, max_length=TEXT_LIMIT, help_text="what other units can learn (empty: withdraw)"
    )


REGISTRATION_PARAMS = [
    OpenApiParameter("movement", int, description="the registrations of this movement"),
    OpenApiParameter("model", int, description="the registrations for this model"),
    OpenApiParameter("status", str, enum=Registration.Status.values),
]


@extend_schema(tags=["emulation"])
class RegistrationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Registrations for the models of the movements the caller reaches (as on the movement's page).
    The figures of a closed round are null until the caller may read the results."""

    lookup_value_regex = LOOKUP_ID
    serializer_class = RegistrationOut

    def _reachable(self) -> QuerySet[Registration]:
        visible = selectors.movements(self.request.user).values("pk")
        return Registration.objects.filter(movement__in=visible)

    def get_queryset(self) -> QuerySet[Registration]:
        registrations = self._reachable().select_related("model", "movement")
        params = self.request.query_params
        for name in ("movement", "model"):
            if name in params:
                registrations = registrations.filter(**{name: query_id(params[name]) or 0})
        wanted = params.get("status", "")
        if wanted:
            if wanted not in Registration.Status.values:
                raise serializers.ValidationError({"status": [_("Choose a status from the list.")]})
            registrations = registrations.filter(status=wanted)
        return registrations.order_by(
            "-movement__starts_on", "movement_id", "model__position", "subject_name", "pk"
        )

    def _registration(self, pk: int) -> Registration:
        return get_object_or_404(
            self._reachable().select_related(
                "model__criteria_set", "movement", "organisation", "unit", "person"
            ),
            pk=pk,
        )

    def _managed(self, pk: int) -> Registration:
        registration = self._registration(pk)
        if not selectors.can_manage(self.request.user, registration.movement):
            raise PermissionDenied
        return registration

    def _out(self, registration: Registration, code: int = status.HTTP_200_OK) -> Response:
        return Response(RegistrationOut(registration, context={"request": self.request}).data, status=code)

    def _card(self, registration: Registration, roles: dict[str, bool] | None = None) -> Response:
        """The scorecard as the registration's page shows it: every criterion with the unit's
        self-score, the caller's own council score, how many council members scored it and (once
        closed) the final figure — the council's figures only for those who may see them."""
        user = self.request.user
        movement = registration.movement
        roles = roles or selectors.registration_roles(user, registration)
        seat = services.council_seat(user, movement) if roles["council"] else None
        card = selectors.card(registration, seat)
        show_council = movement.status == Status.PUBLISHED or roles["manage"]
        rows = [
            {
                "criterion": c.pk,
                "code": c.code,
                "title": c.title,
                "guidance": c.guidance,
                "depth": c.depth,
                "leaf": c.leaf,  # type: ignore[attr-defined]
                "mandatory": c.mandatory,
                "max_points": c.max_points,
                "step": c.step,
                "self": _score(card.self_scores.get(c.pk)),
                "mine": _score(card.mine.get(c.pk)) if seat is not None else None,
                "council_scores": len(card.council.get(c.pk, [])) if show_council and c.leaf else None,  # type: ignore[attr-defined]
                "result": ResultOut(card.results[c.pk]).data
                if show_council and c.pk in card.results
                else None,
            }
            for c in card.criteria
        ]
        registration.card = {"rows": rows, "self_total": card.self_total}  # type: ignore[attr-defined]
        context = {"request": self.request, "roles": roles, "card": card, "seat": seat}
        return Response(ScorecardOut(registration, context=context).data)

    @extend_schema(parameters=REGISTRATION_PARAMS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @_read(ScorecardOut)
    def retrieve(self, request: Request, pk: int) -> Response:
        """The registration with its scorecard: for those who act for the unit, run the movement or
        sit on its council — and for everyone the movement reaches once the results are published."""
        registration = self._registration(pk)
        roles = selectors.registration_roles(request.user, registration)
        published = registration.movement.status == Status.PUBLISHED
        if not (roles["act"] or roles["manage"] or roles["council"] or published):
            raise PermissionDenied
        return self._card(registration, roles)

    @_writes(RegisterIn, RegistrationOut, code=201)
    def create(self, request: Request) -> Response:
        """Register an organisation, a business unit (its delegate may) or oneself for a model of a
        movement open for registration; the council then approves or rejects it. Registering the
        same subject twice for a model is refused."""
        data = RegisterIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        visible = selectors.movements(request.user).values("pk")
        model = MovementModel.objects.filter(movement__in=visible, pk=values.pop("model")).first()
        if model is None:
            raise serializers.ValidationError({"model": [_("No such model in the movements you can see.")]})
        kinds: dict[str, type[Organisation] | type[Unit] | type[Person]] = {
            "organisation": Organisation,
            "unit": Unit,
            "person": Person,
        }
        name = next(k for k in kinds if k in values)
        subject = kinds[name].objects.filter(pk=values[name]).first()
        if subject is None:
            raise serializers.ValidationError(
                {name: [_("No such organisation, unit or person: %(id)s.") % {"id": values[name]}]}
            )
        registration = _call(
            services.register,
            lambda key: name if key == "subject" else _field(key),
            actor=request.user,
            model=model,
            plan=values["plan"],
            **{name: subject},
        )
        return self._out(self._registration(registration.pk), status.HTTP_201_CREATED)

    @_writes(None, RegistrationOut)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: int) -> Response:
        """Approve a registration while the movement is open for registration."""
        registration = self._managed(pk)
        _call(services.registration_decide, actor=request.user, registration=registration, approve=True)
        return self._out(self._registration(pk))

    @_writes(RejectIn, RegistrationOut)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: int) -> Response:
        """Reject a registration, saying why (the unit reads the reason)."""
        registration = self._managed(pk)
        data = RejectIn(data=request.data)
        data.is_valid(raise_exception=True)
        _call(
            services.registration_decide,
            actor=request.user,
            registration=registration,
            approve=False,
            reason=data.validated_data["reason"],
        )
        return self._out(self._registration(pk))

    @_writes(None, None, code=204)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: int) -> Response:
        """Withdraw a registration still awaiting approval, while the movement takes registrations
        (by those who act for the unit). The row goes; the audit chain keeps what it was."""
        registration = self._registration(pk)
        _call(services.registration_withdraw, actor=request.user, registration=registration)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _scores(self, registration: Registration, body: Any) -> dict[int, services.ScoreInput]:
        data = ScoresIn(data=body)
        data.is_valid(raise_exception=True)
        criteria = {c.pk: c for c in registration.model.criteria_set.criteria.all()}
        parents = {c.parent_id for c in criteria.values()}
        scores: dict[int, services.ScoreInput] = {}
        problems: list[str] = []
        for row in data.validated_data["scores"]:
            pk = row["criterion"]
            if pk in scores:
                problems.append(_("Criterion no. %(id)s is given twice.") % {"id": pk})
            elif pk in parents:
                problems.append(
                    _("Criterion %(code)s has sub-criteria: score them instead.")
                    % {"code": criteria[pk].code}
                )
            scores[pk] = services.ScoreInput(
                points=row["points"], passed=row["passed"], evidence=row["evidence"]
            )
        if problems:
            raise serializers.ValidationError({"scores": problems})
        return scores

    @_writes(ScoresIn, ScorecardOut)
    @action(detail=True, methods=["post"], url_path="self-scores")
    def self_scores(self, request: Request, pk: int) -> Response:
        """The unit's own scores with their evidence, while scoring runs (by those who act for it).
        Every score is checked against its criterion's maximum and step; all are saved or none."""
        registration = self._registration(pk)
        roles = selectors.registration_roles(request.user, registration)
        if not roles["act"]:
            raise PermissionDenied
        scores = self._scores(registration, request.data)
        _call(
            services.self_score,
            lambda key: "scores",
            actor=request.user,
            registration=registration,
            scores=scores,
        )
        return self._card(registration, roles)

    @_writes(ScoresIn, ScorecardOut)
    @action(detail=True, methods=["post"], url_path="council-scores")
    def council_scores(self, request: Request, pk: int) -> Response:
        """The caller's own scores as a council member (each member scores independently; never a
        unit they belong to). All are saved or none."""
        registration = self._registration(pk)
        if services.council_seat(request.user, registration.movement) is None:
            raise PermissionDenied
        scores = self._scores(registration, request.data)
        _call(
            services.council_score,
            lambda key: "scores",
            actor=request.user,
            registration=registration,
            scores=scores,
        )
        return self._card(registration)

    @_writes(ExemplarIn, RegistrationOut)
    @action(detail=True, methods=["post"])
    def exemplar(self, request: Request, pk: int) -> Response:
        """Recognise a registration of a closed round as an exemplar, with what other units can learn
        from it; an empty story withdraws the recognition."""
        registration = self._managed(pk)
        data = ExemplarIn(data=request.data)
        data.is_valid(raise_exception=True)
        _call(
            services.exemplar_set,
            actor=request.user,
            registration=registration,
            story=data.validated_data["story"],
        )
        return self._out(self._registration(pk))
