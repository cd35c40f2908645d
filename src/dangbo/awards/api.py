"""API v1 for awards: the catalogue (read), awards (list, filter by person, organisation, unit, year),
proposals (list, read, create, move on) and decisions (list, read, register) — scoped like the pages,
every write through the services.

Status codes: 404 for a row the caller may not see; 403 for one they see but may not change; 400
naming the field for bad input and for anything the rules refuse — a proposal whose prerequisites
fail is refused with 400 on `override` (with the figures) unless `override` is true and
`override_reason` given by the emulation council.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from dangbo.api.base import LOOKUP_ID, IdField, StrictInput, query_id
from dangbo.awards import selectors, services
from dangbo.awards.models import LEVEL_CHOICES, Award, AwardType, Decision, Proposal, ProposalStep
from dangbo.core.scoping import allowed
from dangbo.orgs.models import Organisation, Person, Unit
from dangbo.rules import emulation as rules
from dangbo.rules.roles import Perm

LEVELS = LEVEL_CHOICES

# --- Output --------------------------------------------------------------------------------------


class AwardTypeOut(serializers.ModelSerializer):
    class Meta:
        model = AwardType
        fields = [
            "id",
            "code",
            "name",
            "category",
            "level",
            "for_individuals",
            "for_collectives",
            "prerequisites_known",
            "regulation",
            "effective_from",
            "in_force",
        ]


class DecisionOut(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = [
            "id",
            "organisation",
            "number",
            "signed_on",
            "issuer",
            "issuer_level",
            "signer_name",
            "signer_post",
            "place",
            "year",
            "note",
        ]


class AwardOut(serializers.ModelSerializer):
    code = serializers.CharField(source="award_type.code")
    award_name = serializers.CharField(source="award_type.name")
    decision_number = serializers.CharField(source="decision.number")
    decision_date = serializers.DateField(source="decision.signed_on")
    issuer = serializers.CharField(source="decision.issuer")

    class Meta:
        model = Award
        fields = [
            "id",
            "year",
            "code",
            "award_name",
            "person",
            "organisation",
            "unit",
            "subject_name",
            "decision",
            "decision_number",
            "decision_date",
            "issuer",
            "proposal",
            "citation",
        ]


class StepOut(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", allow_null=True, default=None)
    from_status = serializers.CharField(help_text="empty for the first step")
    to_status = serializers.CharField(help_text=", ".join(Proposal.Status.values))

    class Meta:
        model = ProposalStep
        fields = ["from_status", "to_status", "note", "actor", "at"]


class ProposalOut(serializers.ModelSerializer):
    code = serializers.CharField(source="award_type.code")
    status = serializers.CharField(help_text=", ".join(Proposal.Status.values))
    override_by = serializers.CharField(source="override_by.username", allow_null=True, default=None)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "year",
            "code",
            "person",
            "organisation",
            "unit",
            "subject_name",
            "proposer_organisation",
            "proposer_unit",
            "proposer_name",
            "achievements",
            "facts",
            "warnings",
            "override",
            "override_reason",
            "override_by",
            "override_at",
            "status",
            "raised_to",
            "decision",
            "created_at",
        ]


class ProposalDetailOut(ProposalOut):
    steps = StepOut(many=True)

    class Meta(ProposalOut.Meta):
        fields = [*ProposalOut.Meta.fields, "steps"]


# --- Input ---------------------------------------------------------------------------------------


class SubjectIn(StrictInput):
    person = IdField(required=False)
    organisation = IdField(required=False)
    unit = IdField(required=False)


class InitiativeIn(StrictInput):
    year = serializers.IntegerField(min_value=1945, max_value=2100)
    scope = serializers.ChoiceField(choices=LEVELS)


class FactsIn(StrictInput):
    task_rating = serializers.ChoiceField(choices=[r.value for r in rules.TaskRating], required=False)
    months_employed = serializers.IntegerField(min_value=0, max_value=services.MAX_FIGURE, required=False)
    initiatives = serializers.ListField(child=InitiativeIn(), required=False, max_length=20)
    flags = serializers.DictField(child=serializers.BooleanField(), required=False)
    members = serializers.IntegerField(min_value=0, max_value=services.MAX_FIGURE, required=False)
    members_completed = serializers.IntegerField(min_value=0, max_value=services.MAX_FIGURE, required=False)
    members_ldtt = serializers.IntegerField(min_value=0, max_value=services.MAX_FIGURE, required=False)
    members_cstd_cs = serializers.IntegerField(min_value=0, max_value=services.MAX_FIGURE, required=False)
    members_disciplined = serializers.IntegerField(min_value=0, max_value=services.MAX_FIGURE, required=False)


class ProposalIn(SubjectIn):
    code = serializers.CharField(max_length=20, help_text="code of the title or form (GET award-kinds)")
    year = serializers.IntegerField(min_value=1945, max_value=2100)
    proposer_organisation = IdField(required=False)
    proposer_unit = IdField(required=False)
    achievements = serializers.CharField(max_length=services.TEXT_LIMIT)
    facts = FactsIn(required=False)
    override = serializers.BooleanField(required=False, default=False)
    override_reason = serializers.CharField(required=False, allow_blank=True, max_length=5_000, default="")


class TransitionIn(StrictInput):
    to = serializers.ChoiceField(
        choices=[Proposal.Status.REVIEWED, Proposal.Status.FAILED, Proposal.Status.RAISED]
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=5_000, default="")
    raised_to = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")


class EntryIn(SubjectIn):
    code = serializers.CharField(max_length=20)
    citation = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class DecisionIn(StrictInput):
    organisation = IdField(help_text="the party organisation that registers the decision")
    number = serializers.CharField(max_length=60)
    signed_on = serializers.DateField()
    issuer = serializers.CharField(max_length=300)
    issuer_level = serializers.ChoiceField(choices=LEVELS)
    year = serializers.IntegerField(min_value=1945, max_value=2100)
    signer_name = serializers.CharField(required=False, allow_blank=True, max_length=150, default="")
    signer_post = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    place = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=5_000, default="")
    proposals = serializers.ListField(child=IdField(), required=False, max_length=500, default=list)
    awards = serializers.ListField(child=EntryIn(), required=False, max_length=500, default=list)


# --- Helpers -------------------------------------------------------------------------------------


def _kind(code: str, field: str = "code") -> AwardType:
    kind = AwardType.objects.filter(code=code.strip().upper()).first()
    if kind is None:
        raise serializers.ValidationError(
            {field: [_("Not a code of the catalogue (e.g. GK, BK_TTG, CO_CP).")]}
        )
    return kind


def _subject(user: Any, values: dict[str, Any], field: str = "person") -> Person | Organisation | Unit:
    given = [k for k in ("person", "organisation", "unit") if values.get(k) is not None]
    if len(given) != 1:
        raise serializers.ValidationError({field: [_("Give exactly one of person, organisation or unit.")]})
    key = given[0]
    queryset: QuerySet[Any] = {
        "person": selectors.people(user).select_related("organisation", "unit"),
        "organisation": selectors.organisations(user),
        "unit": selectors.units(user),
    }[key]
    subject = queryset.filter(pk=values[key]).first()
    if subject is None:
        raise serializers.ValidationError({key: [_("No such record among those you may see.")]})
    found: Person | Organisation | Unit = subject
    return found


def _filter_subject(queryset: QuerySet[Any], params: Any) -> QuerySet[Any]:
    for key in ("person", "organisation", "unit"):
        if key in params:
            pk = query_id(params[key])
            if pk is None:
                raise serializers.ValidationError({key: [_("Give an id.")]})
            queryset = queryset.filter(**{f"{key}_id": pk})
    if "year" in params:
        year = params["year"]
        if not (year.isdigit() and len(year) == 4):
            raise serializers.ValidationError({"year": [_("Give a year, e.g. 2025.")]})
        queryset = queryset.filter(year=int(year))
    return queryset


SUBJECT_PARAMS = [
    OpenApiParameter("person", int),
    OpenApiParameter("organisation", int),
    OpenApiParameter("unit", int),
    OpenApiParameter("year", int),
]

# --- Viewsets ------------------------------------------------------------------------------------


@extend_schema(tags=["awards"])
class AwardKindViewSet(viewsets.ReadOnlyModelViewSet):
    """The catalogue of titles and forms of award (prerequisites are checked by the rules)."""

    serializer_class = AwardTypeOut
    queryset = AwardType.objects.all()
    lookup_value_regex = LOOKUP_ID


@extend_schema(tags=["awards"])
class AwardViewSet(viewsets.ReadOnlyModelViewSet):
    """Awards given (the history of people, party organisations and units)."""

    serializer_class = AwardOut
    lookup_value_regex = LOOKUP_ID

    def get_queryset(self) -> QuerySet[Award]:
        awards = selectors.awards(self.request.user)
        if self.action == "list":
            awards = _filter_subject(awards, self.request.query_params).order_by("-year", "pk")
        return awards

    @extend_schema(parameters=SUBJECT_PARAMS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


@extend_schema(tags=["awards"])
class ProposalViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Award proposals: proposed → reviewed → failed / raised → decided (by a decision)."""

    lookup_value_regex = LOOKUP_ID

    def get_serializer_class(self) -> Any:
        return ProposalDetailOut if self.action == "retrieve" else ProposalOut

    def get_queryset(self) -> QuerySet[Proposal]:
        proposals = selectors.proposals(self.request.user).select_related("override_by")
        if self.action == "list":
            proposals = _filter_subject(proposals, self.request.query_params)
            wanted = self.request.query_params.get("status", "")
            if wanted:
                if wanted not in Proposal.Status.values:
                    raise serializers.ValidationError({"status": [_("Choose a status from the list.")]})
                proposals = proposals.filter(status=wanted)
            proposals = proposals.order_by("-year", "-pk")
        if self.action == "retrieve":
            proposals = proposals.prefetch_related("steps__actor")
        return proposals

    @extend_schema(parameters=[*SUBJECT_PARAMS, OpenApiParameter("status", str, enum=Proposal.Status.values)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=ProposalIn, responses={201: ProposalDetailOut})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = ProposalIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        subject = _subject(request.user, values)
        proposer = self._proposer(values)
        facts = dict(values.get("facts") or {})
        facts["initiatives"] = tuple((i["year"], i["scope"]) for i in facts.get("initiatives", ()))
        proposal = services.proposal_create(
            actor=request.user,
            proposer=proposer,
            subject=subject,
            data=services.ProposalInput(
                award_type=_kind(values["code"]),
                year=values["year"],
                achievements=values["achievements"],
                facts=services.EnteredFacts(**facts),
                override=values["override"],
                override_reason=values["override_reason"],
            ),
        )
        return Response(ProposalDetailOut(proposal).data, status=status.HTTP_201_CREATED)

    def _proposer(self, values: dict[str, Any]) -> Organisation | Unit:
        user = self.request.user
        if (values.get("proposer_organisation") is None) == (values.get("proposer_unit") is None):
            raise serializers.ValidationError(
                {"proposer_organisation": [_("Give exactly one of proposer_organisation or proposer_unit.")]}
            )
        if values.get("proposer_organisation") is not None:
            proposer: Organisation | Unit | None = (
                selectors.organisations(user).filter(pk=values["proposer_organisation"]).first()
            )
            field = "proposer_organisation"
        else:
            proposer = selectors.units(user).filter(pk=values["proposer_unit"]).first()
            field = "proposer_unit"
        if proposer is None:
            raise serializers.ValidationError({field: [_("No such record among those you may see.")]})
        return proposer

    @extend_schema(request=TransitionIn, responses={200: ProposalDetailOut})
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: int) -> Response:
        """Move the proposal on: reviewed, failed (note: the reason) or raised (raised_to: the level)."""
        proposal = get_object_or_404(selectors.proposals(request.user), pk=pk)
        if not allowed(request.user, Perm.EMULATION_MANAGE, proposal):
            raise PermissionDenied
        data = TransitionIn(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = services.proposal_transition(actor=request.user, proposal=proposal, **data.validated_data)
        return Response(ProposalDetailOut(proposal).data)


@extend_schema(tags=["awards"])
class DecisionViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Award decisions: number, date, issuer and its level, signer; registering one decides the
    proposals it names and records the awards it gives outside the workflow."""

    serializer_class = DecisionOut
    lookup_value_regex = LOOKUP_ID

    def get_queryset(self) -> QuerySet[Decision]:
        return selectors.decisions(self.request.user).order_by("-signed_on", "-pk")

    @extend_schema(request=DecisionIn, responses={201: DecisionOut})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = request.user
        data = DecisionIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        organisation = selectors.organisations(user).filter(pk=values.pop("organisation")).first()
        if organisation is None:
            raise serializers.ValidationError(
                {"organisation": [_("No such record among those you may see.")]}
            )
        if not allowed(user, Perm.EMULATION_MANAGE, organisation):
            raise PermissionDenied
        wanted = values.pop("proposals")
        proposals = list(selectors.proposals(user).filter(pk__in=wanted))
        if len(proposals) != len(set(wanted)):
            raise serializers.ValidationError({"proposals": [_("No such record among those you may see.")]})
        entries = [
            services.AwardEntry(_kind(e["code"], "awards"), _subject(user, e, "awards"), e["citation"])
            for e in values.pop("awards")
        ]
        decision = services.decision_register(
            actor=user,
            organisation=organisation,
            data=services.DecisionInput(**values),
            proposals=proposals,
            entries=entries,
        )
        return Response(DecisionOut(decision).data, status=status.HTTP_201_CREATED)
