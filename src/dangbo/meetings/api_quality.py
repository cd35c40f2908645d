"""API v1 for meeting quality: every cell's figures and the roll-ups above them for a period, and
one cell's members with their attendance and absence flags — scoped by MEETING_REPORT, the same
selector as the pages (`meetings.quality`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from dangbo.api.base import LOOKUP_ID, query_id
from dangbo.core.scoping import has_any
from dangbo.meetings import quality
from dangbo.rules.meetings import Shortfall
from dangbo.rules.roles import Perm


def _month(pair: tuple[int, int]) -> str:
    return f"{pair[0]:04d}-{pair[1]:02d}"


class PeriodOut(serializers.Serializer):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(allow_null=True)
    month = serializers.IntegerField(allow_null=True)
    first = serializers.DateField()
    last = serializers.DateField()


class QuarterOut(serializers.Serializer):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField()
    thematic = serializers.BooleanField(help_text="a valid thematic meeting was held in the quarter")


def Percent() -> serializers.DecimalField:
    """A percentage with one decimal, as a JSON number; null when nobody was summoned."""
    return serializers.DecimalField(max_digits=4, decimal_places=1, coerce_to_string=False, allow_null=True)


class QualityRowOut(serializers.Serializer):
    id = serializers.IntegerField(source="organisation.pk")
    name = serializers.CharField(source="organisation.name")
    kind = serializers.CharField(source="organisation.kind")
    depth = serializers.IntegerField(help_text="0 for the top rows; a roll-up's cells are below it")
    is_cell = serializers.BooleanField()
    cells = serializers.IntegerField(help_text="cells counted: 1 for a cell, its subtree's for a committee")
    cells_up_to_standard = serializers.IntegerField()
    months = serializers.IntegerField(source="figures.months", help_text="months judged (over)")
    months_with_meeting = serializers.IntegerField(source="figures.months_with_regular")
    missing_months = serializers.SerializerMethodField()
    regular_held = serializers.IntegerField(source="regular")
    thematic_held = serializers.IntegerField(source="figures.thematic")
    quarters_total = serializers.IntegerField(source="figures.quarters")
    quarters_with_thematic = serializers.IntegerField(source="figures.quarters_with_thematic")
    quarters = QuarterOut(many=True, help_text="a cell's whole quarters judged; empty for a roll-up")
    cancelled = serializers.IntegerField()
    meetings_held = serializers.IntegerField(source="figures.meetings")
    summoned = serializers.IntegerField(source="figures.summoned")
    present = serializers.IntegerField(source="figures.present")
    attendance_percent = Percent()
    meetings_below_target = serializers.IntegerField(source="figures.meetings_below_target")
    documents_sent = serializers.IntegerField(source="figures.documents_sent")
    documents_on_time = serializers.IntegerField(source="figures.documents_on_time")
    minutes_sealed = serializers.IntegerField(source="sealed")
    shortfalls = serializers.ListField(
        source="ordered_shortfalls",
        child=serializers.ChoiceField(choices=[s.value for s in Shortfall]),
    )
    up_to_standard = serializers.BooleanField(
        allow_null=True,
        help_text="a cell meets the standard (a committee: every cell below it does); null while no month is over",
    )

    @extend_schema_field(serializers.ListField(child=serializers.CharField(help_text="YYYY-MM")))
    def get_missing_months(self, row: quality.QualityRow) -> list[str]:
        """A cell's months without a valid meeting; empty for a roll-up."""
        return [_month(pair) for pair in row.figures.missing_months] if row.is_cell else []


class QualityTableOut(serializers.Serializer):
    period = PeriodOut()
    judged_until = serializers.DateField(source="until", help_text="the last day judged")
    regulation = serializers.CharField(source="rules.regulation")
    organisations = QualityRowOut(source="rows", many=True)


class MemberAttendanceOut(serializers.Serializer):
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField()
    summoned = serializers.IntegerField()
    present = serializers.IntegerField()
    excused = serializers.IntegerField()
    unexcused = serializers.IntegerField()
    exempt = serializers.IntegerField()
    not_recorded = serializers.IntegerField(source="unrecorded")
    attendance_percent = Percent()
    unexcused_months = serializers.IntegerField(source="flags.unexcused", help_text="in the period's year")
    longest_excused_run = serializers.IntegerField(source="flags.longest_excused_run")
    removal_review = serializers.BooleanField(source="flags.removal_review")
    excused_run = serializers.BooleanField(source="flags.excused_run")
    flagged = serializers.BooleanField(source="flags.flagged")


class CellAttendanceOut(serializers.Serializer):
    cell = serializers.IntegerField(source="cell.pk")
    name = serializers.CharField(source="cell.name")
    period = PeriodOut()
    judged_until = serializers.DateField(source="until")
    members = MemberAttendanceOut(many=True)


PERIOD_PARAMS = [
    OpenApiParameter("year", int, description="the current year when left out"),
    OpenApiParameter("quarter", int, enum=[1, 2, 3, 4]),
    OpenApiParameter("month", int, description="1–12, instead of a quarter"),
]


@extend_schema(tags=["meetings"])
class MeetingQualityViewSet(viewsets.ViewSet):
    """Meeting quality of the party cells the caller may report on, for a year, a quarter or a month.
    A month is judged once it is over."""

    lookup_value_regex = LOOKUP_ID

    @staticmethod
    def _period(request: Request) -> quality.Period:
        """The period asked for; a bad parameter is a 400 naming it (`api.errors`)."""
        params = request.query_params
        return quality.parse_period(
            params.get("year"), params.get("quarter"), params.get("month"), today=timezone.localdate()
        )

    @extend_schema(
        parameters=[
            *PERIOD_PARAMS,
            OpenApiParameter("organisation", int, description="only this subtree (party organisation id)"),
        ],
        responses=QualityTableOut,
    )
    def list(self, request: Request) -> Response:
        """Each cell's figures and each committee's roll-up over the cells below it, in tree order."""
        if not has_any(request.user, Perm.MEETING_REPORT):
            raise PermissionDenied
        period = self._period(request)
        within = None
        if "organisation" in request.query_params:
            pk = query_id(request.query_params["organisation"])
            within = quality.organisations_visible(request.user).filter(pk=pk).first() if pk else None
            if within is None:
                raise serializers.ValidationError(
                    {"organisation": [_("Choose a party organisation within your scope.")]}
                )
        table = quality.quality_table(request.user, period, timezone.localdate(), within)
        return Response(QualityTableOut(table).data)

    @extend_schema(parameters=PERIOD_PARAMS, responses=CellAttendanceOut)
    @action(detail=True, methods=["get"])
    def members(self, request: Request, pk: str) -> Response:
        """Each member summoned to the cell's meetings held in the period, with the absence flags of
        the period's year (removal review: Điều lệ Điều 8 k2)."""
        if not has_any(request.user, Perm.MEETING_REPORT):
            raise PermissionDenied
        cell = get_object_or_404(quality.cells_visible(request.user), pk=pk)
        period = self._period(request)
        attendance = quality.member_attendance(request.user, cell, period, timezone.localdate())
        return Response(CellAttendanceOut(attendance).data)
