"""API v1 for the annual evaluation: rounds (list, read, open, advance) and assessments (list, read,
one's own self-assessment, the cell's proposal, the committee's decision) — scoped like the pages,
every write through the services.

Status codes: 404 for what the caller may not see; 403 for what they see but may not do (checked
before the body is read); 400 naming the field for anything the rules refuse (the level above what
the figures allow, the quota, a closed round: `non_field_errors`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from dangbo.api.base import LOOKUP_ID, IdField, StrictInput
from dangbo.core.scoping import allowed, scope_condition
from dangbo.evaluation import selectors, services
from dangbo.evaluation.models import Assessment, EvaluationRound
from dangbo.orgs.models import Organisation
from dangbo.rules.evaluation import Level
from dangbo.rules.roles import Perm

LEVELS = [level.value for level in Level]


class RoundOut(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name")
    status = serializers.CharField(help_text=", ".join(EvaluationRound.Status.values))

    class Meta:
        model = EvaluationRound
        fields = [
            "id",
            "organisation",
            "organisation_name",
            "year",
            "regulation",
            "rules_on",
            "status",
            "closed_at",
        ]


class AssessmentOut(serializers.ModelSerializer):
    total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    why_not = serializers.SerializerMethodField(
        help_text="for each level above the one allowed: what it misses"
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "round",
            "organisation",
            "person",
            "collective",
            "subject_name",
            "form",
            "general_score",
            "task_score",
            "total",
            "tasks_total",
            "tasks_done",
            "tasks_on_time",
            "tasks_exceeding",
            "disciplined",
            "shortcomings",
            "shortcomings_fixed",
            "strengths",
            "weaknesses",
            "remedies",
            "self_level",
            "self_assessed_at",
            "proposed_level",
            "proposal_note",
            "decided_level",
            "decision_note",
            "why_not",
        ]

    def get_why_not(self, assessment: Assessment) -> dict[str, list[str]]:
        classification = assessment.classification()
        if classification is None:
            return {}
        return {
            level.value: [services.shortfall_text(s) for s in classification.why_not(level)]
            for level in Level
            if classification.why_not(level)
        }


class RoundIn(StrictInput):
    organisation = IdField()
    year = serializers.IntegerField(min_value=2000, max_value=2100)


class SelfIn(StrictInput):
    general_score = serializers.DecimalField(max_digits=6, decimal_places=2)
    task_score = serializers.DecimalField(max_digits=6, decimal_places=2)
    tasks_total = serializers.IntegerField(min_value=0, max_value=10_000)
    tasks_done = serializers.IntegerField(min_value=0, max_value=10_000)
    tasks_on_time = serializers.IntegerField(min_value=0, max_value=10_000)
    tasks_exceeding = serializers.IntegerField(min_value=0, max_value=10_000)
    disciplined = serializers.BooleanField(required=False, default=False)
    shortcomings = serializers.IntegerField(min_value=0, max_value=10_000, required=False, default=0)
    shortcomings_fixed = serializers.IntegerField(min_value=0, max_value=10_000, required=False, default=0)
    strengths = serializers.CharField(
        required=False, allow_blank=True, max_length=services.TEXT_LIMIT, default=""
    )
    weaknesses = serializers.CharField(
        required=False, allow_blank=True, max_length=services.TEXT_LIMIT, default=""
    )
    remedies = serializers.CharField(
        required=False, allow_blank=True, max_length=services.TEXT_LIMIT, default=""
    )


class LevelIn(StrictInput):
    level = serializers.ChoiceField(choices=LEVELS)
    note = serializers.CharField(required=False, allow_blank=True, max_length=services.NOTE_LIMIT, default="")


@extend_schema(tags=["evaluation"])
class EvaluationRoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Evaluation rounds the caller may see (those of their organisations and of those above)."""

    lookup_value_regex = LOOKUP_ID
    serializer_class = RoundOut

    def get_queryset(self) -> Any:
        return selectors.rounds(self.request.user).order_by("-year", "org_path")

    @extend_schema(request=RoundIn, responses={201: RoundOut})
    def create(self, request: Request) -> Response:
        """Open the year's round of an organisation (its committee decides): lists its assessments."""
        data = RoundIn(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = get_object_or_404(
            Organisation.objects.filter(scope_condition(Organisation, request.user, Perm.EVALUATION_VIEW)),
            pk=data.validated_data["organisation"],
        )
        if not allowed(request.user, Perm.EVALUATION_DECIDE, organisation):
            raise PermissionDenied
        created = services.round_open(
            actor=request.user, organisation=organisation, year=data.validated_data["year"]
        )
        return Response(RoundOut(created).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: RoundOut})
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: int) -> Response:
        """Self-assessment → proposals → decisions → closed (locked)."""
        evaluation_round = self.get_object()
        if not selectors.can_decide(request.user, evaluation_round):
            raise PermissionDenied
        return Response(
            RoundOut(services.round_advance(actor=request.user, evaluation_round=evaluation_round)).data
        )


def _one(call: Any, assessment: Assessment) -> None:
    """A one-row proposal or decision: the services' `level_<id>` / `note_<id>` become `level` / `note`."""
    try:
        call()
    except DjangoValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        suffix = f"_{assessment.pk}"
        raise DjangoValidationError(
            {key.removesuffix(suffix): value for key, value in error.message_dict.items()}
        ) from None


@extend_schema(tags=["evaluation"])
class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Assessments the caller may read in full: their own, their cell's (the secretary), all of a
    round they decide. `?round=<id>` narrows to one round."""

    lookup_value_regex = LOOKUP_ID
    serializer_class = AssessmentOut

    def get_queryset(self) -> Any:
        user = self.request.user
        reach = scope_condition(Assessment, user, Perm.EVALUATION_PROPOSE)
        decided = scope_condition(EvaluationRound, user, Perm.EVALUATION_DECIDE)
        rounds = EvaluationRound.objects.filter(decided).values("pk")
        found = Assessment.objects.filter(reach | Q(person__user_id=user.pk or 0) | Q(round_id__in=rounds))
        wanted = self.request.query_params.get("round", "")
        if wanted:
            if not wanted.isdigit() or len(wanted) > 18:
                raise serializers.ValidationError({"round": [_("Give the id of a round.")]})
            found = found.filter(round_id=int(wanted))
        return found.select_related("round").order_by("round_id", "-collective", "org_path", "subject_name")

    def _readable(self, pk: int) -> Assessment:
        assessment = get_object_or_404(
            Assessment.objects.select_related("round__organisation", "person"), pk=pk
        )
        if not selectors.rounds(self.request.user).filter(pk=assessment.round_id).exists():
            raise Http404
        if not selectors.may_read(self.request.user, assessment):
            raise PermissionDenied
        return assessment

    def retrieve(self, request: Request, pk: int) -> Response:
        return Response(AssessmentOut(self._readable(pk)).data)

    @extend_schema(request=SelfIn, responses={200: AssessmentOut})
    @action(detail=True, methods=["post"], url_path="self-assessment", url_name="self-assessment")
    def self_assessment(self, request: Request, pk: int) -> Response:
        """Save one's own self-assessment (an organisation's: its cell secretary) while the round is open."""
        assessment = self._readable(pk)
        if not services.may_self_assess(request.user, assessment):
            raise PermissionDenied(_("You may fill in only your own self-assessment."))
        data = SelfIn(data=request.data)
        data.is_valid(raise_exception=True)
        saved = services.self_assess(
            actor=request.user, assessment=assessment, data=services.SelfInput(**data.validated_data)
        )
        return Response(AssessmentOut(saved).data)

    @extend_schema(request=LevelIn, responses={200: AssessmentOut})
    @action(detail=True, methods=["post"])
    def propose(self, request: Request, pk: int) -> Response:
        """The cell's proposed level: never above what the self-assessed figures allow."""
        assessment = self._readable(pk)
        if not allowed(request.user, Perm.EVALUATION_PROPOSE, assessment):
            raise PermissionDenied
        data = LevelIn(data=request.data)
        data.is_valid(raise_exception=True)
        given = {assessment.pk: services.LevelInput(**data.validated_data)}
        _one(
            lambda: services.levels_propose(
                actor=request.user, evaluation_round=assessment.round, proposals=given
            ),
            assessment,
        )
        return Response(AssessmentOut(Assessment.objects.get(pk=assessment.pk)).data)

    @extend_schema(request=LevelIn, responses={200: AssessmentOut})
    @action(detail=True, methods=["post"])
    def decide(self, request: Request, pk: int) -> Response:
        """The committee's decided level: at most what the figures allow, within the quota."""
        assessment = self._readable(pk)
        if not selectors.can_decide(request.user, assessment.round):
            raise PermissionDenied
        data = LevelIn(data=request.data)
        data.is_valid(raise_exception=True)
        given = {assessment.pk: services.LevelInput(**data.validated_data)}
        _one(
            lambda: services.levels_decide(
                actor=request.user, evaluation_round=assessment.round, decisions=given
            ),
            assessment,
        )
        return Response(AssessmentOut(Assessment.objects.get(pk=assessment.pk)).data)
