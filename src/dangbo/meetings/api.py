"""API v1 for meetings: list, read, plan, change, cancel; attendance, votes, agenda, guests; the
minutes, their signatures and corrections — scoped like the pages, every write through the services.

Status codes: 404 for a meeting the caller may not see; 403 for one they see but may not change (or
draft minutes they may not read); 400 with the service's message, naming the field, for anything the
rules refuse. Once the minutes are sealed every write to the meeting is refused with **400** (never
409), the message in `non_field_errors`, and nothing changes; only a signed correction is appended.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
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
from dangbo.core.scoping import allowed
from dangbo.documents import selectors as document_selectors
from dangbo.meetings import services
from dangbo.meetings.models import SIGNATORIES, AgendaItem, Attendee, Meeting, Minutes, MinutesAddendum, Vote
from dangbo.meetings.views import meetings_visible, people_for
from dangbo.orgs import selectors as org_selectors
from dangbo.orgs.models import Organisation, Person
from dangbo.rules.meetings import MeetingKind, Presence, VoteMatter
from dangbo.rules.roles import Perm
from dangbo.rules.vietnamese import fold

# The kinds of meeting as a plain list: settings.SPECTACULAR_SETTINGS names this choice set.
KIND_CHOICES = [k.value for k in MeetingKind]

# --- Output --------------------------------------------------------------------------------------

MEETING_FIELDS = [
    "id",
    "organisation",
    "organisation_name",
    "kind",
    "title",
    "topic",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "status",
    "cancel_reason",
    "chair",
    "secretary",
]


class MeetingOut(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name")
    kind = serializers.CharField(help_text=", ".join(k.value for k in MeetingKind))
    status = serializers.CharField(help_text=", ".join(Meeting.Status.values))

    class Meta:
        model = Meeting
        fields = MEETING_FIELDS


class AgendaItemOut(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["id", "position", "title", "presenter_name", "documents"]


class AttendeeOut(serializers.ModelSerializer):
    """Who was summoned or invited, as the minutes name them: no identity number, birth date or
    record of the person is exposed."""

    presence = serializers.CharField(help_text=", ".join(p.value for p in Presence))

    class Meta:
        model = Attendee
        fields = [
            "id",
            "name",
            "post",
            "counted",
            "voting",
            "presence",
            "reason",
            "absence_approved",
            "recorded_at",
        ]


class VoteOut(serializers.ModelSerializer):
    matter = serializers.CharField(help_text=", ".join(m.value for m in VoteMatter))
    rule = serializers.CharField(help_text="the majority required, of the voting members")

    class Meta:
        model = Vote
        fields = [
            "id",
            "agenda_item",
            "subject",
            "matter",
            "rule",
            "voters",
            "present",
            "yes",
            "no",
            "abstain",
            "required",
            "passed",
            "recorded_at",
        ]


class ValidityOut(serializers.Serializer):
    summoned = serializers.IntegerField(help_text="members who count (guests and the exempt left out)")
    present = serializers.IntegerField()
    # (a field named like Field.required: the metaclass takes it out of the class attributes)
    required = serializers.IntegerField(  # type: ignore[assignment]
        help_text="present needed under the rules in force on the day"
    )
    recorded = serializers.BooleanField(help_text="every member's attendance is recorded")
    valid = serializers.BooleanField()


class VotingMembersOut(serializers.Serializer):
    """How the denominator of the meeting's votes is made (QĐ 24 mục 9.3.2)."""

    full = serializers.IntegerField(help_text="full members summoned")
    exempt_out = serializers.IntegerField(help_text="excused from party activity and absent: left out")
    excused_out = serializers.IntegerField(help_text="absent with a reason the committee approved: left out")
    excused_kept = serializers.IntegerField(help_text="absent with a reason not approved: counted")
    voters = serializers.IntegerField(help_text="the denominator: full − exempt_out − excused_out")
    explanation = serializers.CharField(help_text="e.g. “9 = 10 đảng viên chính thức − 1 vắng có lý do …”")


class SignatureOut(serializers.Serializer):
    name = serializers.CharField(help_text="as written in the minutes")
    signed = serializers.BooleanField(help_text="signed the minutes as they stand")
    stale = serializers.BooleanField(help_text="signed an earlier text: must sign again")
    signed_at = serializers.DateTimeField(allow_null=True)


class SignaturesOut(serializers.Serializer):
    sealed = serializers.BooleanField()
    sealed_at = serializers.DateTimeField(allow_null=True)
    content_hash = serializers.CharField(
        help_text="sealed: the hash sealed in the audit chain; a draft: the hash of the record as it "
        "stands, which a signature attests"
    )
    chair = SignatureOut()
    secretary = SignatureOut()


class AddendumOut(serializers.ModelSerializer):
    class Meta:
        model = MinutesAddendum
        fields = ["number", "text", "reason", "signer_name", "capacity", "signed_at", "content_hash"]


class MinutesOut(SignaturesOut):
    meeting = serializers.IntegerField()
    opened_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    place = serializers.CharField()
    proceedings = serializers.CharField()
    discussion = serializers.CharField()
    conclusions = serializers.CharField()
    updated_at = serializers.DateTimeField()
    addenda = AddendumOut(many=True, help_text="signed corrections appended after the seal")


def _signatures(meeting: Meeting, minutes: Minutes, *, full: bool) -> dict[str, Any]:
    """Signature state. Unless `full`, the content hash of a draft is computed only when someone
    signed (to tell a current signature from a stale one): four queries saved on a plain draft."""
    if full or minutes.sealed or minutes.chair_signed_hash or minutes.secretary_signed_hash:
        state = services.signature_state(meeting, minutes)
    else:
        state = services.Signatures(
            "", chair=False, secretary=False, chair_stale=False, secretary_stale=False
        )
    return {
        "sealed": minutes.sealed,
        "sealed_at": minutes.sealed_at,
        "content_hash": state.current_hash,
        "chair": {
            "name": minutes.chair_signatory,
            "signed": state.chair,
            "stale": state.chair_stale,
            "signed_at": minutes.chair_signed_at,
        },
        "secretary": {
            "name": minutes.secretary_signatory,
            "signed": state.secretary,
            "stale": state.secretary_stale,
            "signed_at": minutes.secretary_signed_at,
        },
    }


def _may_read(user: Any, meeting: Meeting, minutes: Minutes) -> bool:
    """Sealed minutes are read by whoever sees the meeting; a draft by those who may write it (the
    managers of the meeting, its chair and its minutes secretary)."""
    return minutes.sealed or services.can_write_minutes(user, meeting)


class MeetingDetailOut(MeetingOut):
    chair_name = serializers.CharField(source="chair.full_name", allow_null=True, default=None)
    secretary_name = serializers.CharField(source="secretary.full_name", allow_null=True, default=None)
    agenda = AgendaItemOut(many=True)
    attendees = AttendeeOut(many=True)
    validity = serializers.SerializerMethodField()
    voting_members = serializers.SerializerMethodField()
    votes = VoteOut(many=True)
    minutes = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            *MEETING_FIELDS,
            "notes",
            "invited_at",
            "chair_name",
            "secretary_name",
            "agenda",
            "attendees",
            "validity",
            "voting_members",
            "votes",
            "minutes",
        ]

    @extend_schema_field(ValidityOut)
    def get_validity(self, meeting: Meeting) -> dict[str, Any]:
        state = services.validity(meeting, list(meeting.attendees.all()))
        return {
            "summoned": state.summoned,
            "present": state.present,
            "required": state.required,
            "recorded": state.recorded,
            "valid": state.valid,
        }

    @extend_schema_field(VotingMembersOut)
    def get_voting_members(self, meeting: Meeting) -> dict[str, Any]:
        counted = services.voting_members(meeting, list(meeting.attendees.all()))
        return {
            "full": counted.full,
            "exempt_out": counted.exempt_out,
            "excused_out": counted.excused_out,
            "excused_kept": counted.excused_kept,
            "voters": counted.voters,
            "explanation": services.voters_explanation(meeting, counted),
        }

    @extend_schema_field(SignaturesOut(allow_null=True))
    def get_minutes(self, meeting: Meeting) -> dict[str, Any] | None:
        """null when there are no minutes, or a draft the caller may not read."""
        minutes = getattr(meeting, "minutes", None)
        if minutes is None or not _may_read(self.context["request"].user, meeting, minutes):
            return None
        return _signatures(meeting, minutes, full=False)


# --- Input ---------------------------------------------------------------------------------------


class MeetingChangeIn(StrictInput):
    kind = serializers.ChoiceField(choices=KIND_CHOICES, required=False)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    title = serializers.CharField(required=False, allow_blank=True, max_length=300)
    topic = serializers.CharField(required=False, allow_blank=True, max_length=300)
    place = serializers.CharField(required=False, allow_blank=True, max_length=255)
    online_url = serializers.CharField(required=False, allow_blank=True, max_length=500)
    chair = IdField(required=False, allow_null=True, help_text="a person: a member or post holder")
    secretary = IdField(required=False, allow_null=True, help_text="the minutes secretary")
    notes = serializers.CharField(required=False, allow_blank=True, max_length=20_000)


class MeetingIn(MeetingChangeIn):
    organisation = IdField()
    kind = serializers.ChoiceField(choices=KIND_CHOICES)
    starts_at = serializers.DateTimeField()
    held = serializers.BooleanField(
        required=False, default=False, help_text="true: enter a meeting already held (starts in the past)"
    )


class MeetingCancelIn(StrictInput):
    reason = serializers.CharField(max_length=500)


class MarkIn(StrictInput):
    attendee = IdField(help_text="an attendee id of this meeting")
    presence = serializers.ChoiceField(choices=[p.value for p in Presence if p is not Presence.INVITED])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300, default="")
    approved = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="excused: the cell committee agreed to the absence (only then is a full member left out "
        "of a vote's denominator); omitted or null keeps what was recorded",
    )


class AttendanceIn(StrictInput):
    marks = serializers.ListField(child=MarkIn(), allow_empty=False, max_length=2000)


class VoteIn(StrictInput):
    subject = serializers.CharField(max_length=500)
    matter = serializers.ChoiceField(
        choices=[m.value for m in VoteMatter], help_text="decides the majority required"
    )
    yes = serializers.IntegerField(min_value=0, max_value=5000)
    no = serializers.IntegerField(min_value=0, max_value=5000)
    abstain = serializers.IntegerField(min_value=0, max_value=5000)
    agenda_item = IdField(required=False, allow_null=True)


class AgendaIn(StrictInput):
    title = serializers.CharField(max_length=500)
    presenter_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    documents = serializers.ListField(child=IdField(), required=False, max_length=50)


class GuestIn(StrictInput):
    name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    post = serializers.CharField(required=False, allow_blank=True, max_length=200)
    person = IdField(required=False, help_text="a person on record, instead of a name")


class MinutesIn(StrictInput):
    opened_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(required=False, allow_null=True)
    place = serializers.CharField(required=False, allow_blank=True, max_length=255)
    proceedings = serializers.CharField(required=False, allow_blank=True, max_length=services.TEXT_LIMIT)
    discussion = serializers.CharField(required=False, allow_blank=True, max_length=services.TEXT_LIMIT)
    conclusions = serializers.CharField(required=False, allow_blank=True, max_length=services.TEXT_LIMIT)


class AddendumIn(StrictInput):
    text = serializers.CharField(max_length=services.TEXT_LIMIT)
    reason = serializers.CharField(max_length=500)


# --- Schema helpers ------------------------------------------------------------------------------

ErrorsOut = inline_serializer(
    "MeetingErrorsOut",
    {"non_field_errors": serializers.ListField(child=serializers.CharField(), required=False)},
)
REFUSED = OpenApiResponse(
    ErrorsOut,
    description="Refused by the rules: the message names the field (other keys are field names). "
    "Once the minutes are sealed every write is refused with 400 (not 409) and the message in "
    "non_field_errors; nothing changes.",
)
DetailOut = inline_serializer("MeetingDetailMessageOut", {"detail": serializers.CharField()})
FORBIDDEN = OpenApiResponse(DetailOut, description="the caller sees the meeting but may not do this")
NOT_FOUND = OpenApiResponse(DetailOut, description="no such meeting among those the caller may see")


def _writes(request: Any, response: Any, code: int = 200, **extra: Any) -> Any:
    return extend_schema(
        request=request,
        responses={code: response, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
        **extra,
    )


LIST_PARAMS = [
    OpenApiParameter("organisation", int, description="meetings of this organisation's subtree"),
    OpenApiParameter("kind", str, enum=[k.value for k in MeetingKind]),
    OpenApiParameter("status", str, enum=Meeting.Status.values),
    OpenApiParameter("from", dt.date, description="starting on or after this day"),
    OpenApiParameter("to", dt.date, description="starting on or before this day"),
    OpenApiParameter("q", str, description="accent-insensitive words of the title, theme, place or minutes"),
]


def _day(params: Any, name: str) -> dt.date | None:
    value = params.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise serializers.ValidationError({name: [_("Write the date as YYYY-MM-DD.")]}) from None


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- The viewset ---------------------------------------------------------------------------------


@extend_schema(tags=["meetings"])
class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Meetings of the organisations the caller may see. Writes go through the same services as the
    pages (each audited). Once the minutes are sealed every write is refused with 400 (not 409) and
    the message in non_field_errors; only a signed correction is appended."""

    lookup_value_regex = LOOKUP_ID

    def get_serializer_class(self) -> Any:
        return MeetingDetailOut if self.action == "retrieve" else MeetingOut

    def get_queryset(self) -> QuerySet[Meeting]:
        if self.action == "list":
            return self._filtered()
        return meetings_visible(self.request.user)

    def _filtered(self) -> QuerySet[Meeting]:
        params = self.request.query_params
        meetings = meetings_visible(self.request.user)
        if "organisation" in params:
            pk = query_id(params["organisation"])
            organisation = Organisation.objects.filter(pk=pk).first() if pk else None
            if organisation is None:
                return meetings.none()
            meetings = meetings.filter(org_path__within=organisation.path)
        kind = params.get("kind", "")
        if kind:
            if kind not in KIND_CHOICES:
                raise serializers.ValidationError({"kind": [_("Choose the kind of meeting.")]})
            meetings = meetings.filter(kind=kind)
        wanted = params.get("status", "")
        if wanted:
            if wanted not in Meeting.Status.values:
                raise serializers.ValidationError({"status": [_("Choose a status from the list.")]})
            meetings = meetings.filter(status=wanted)
        start, end = _day(params, "from"), _day(params, "to")
        if start:
            meetings = meetings.filter(starts_at__gte=_start_of(start))
        if end:
            meetings = meetings.filter(starts_at__lt=_start_of(end + dt.timedelta(days=1)))
        for word in fold(params.get("q", "")[:200]).split():
            meetings = meetings.filter(search_text__contains=word)
        return meetings.order_by("-starts_at", "-pk")

    def _detailed(self, pk: int) -> Meeting:
        meetings = (
            meetings_visible(self.request.user)
            .select_related("chair", "secretary", "minutes", *(f"minutes__{s}" for s in SIGNATORIES))
            .prefetch_related(
                "attendees",
                "votes",
                Prefetch("agenda", queryset=AgendaItem.objects.prefetch_related("documents")),
            )
        )
        return get_object_or_404(meetings, pk=pk)

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        meeting = self._detailed(pk)
        return Response(MeetingDetailOut(meeting, context={"request": self.request}).data, status=code)

    def _visible(self, pk: int) -> Meeting:
        return get_object_or_404(
            meetings_visible(self.request.user).select_related("chair", "secretary"), pk=pk
        )

    def _managed(self, pk: int) -> Meeting:
        """The meeting, when the caller may manage it: 404 unseen, 403 seen only (before the body
        is read, so a refusal says nothing about the input)."""
        meeting = self._visible(pk)
        if not allowed(self.request.user, Perm.MEETING_MANAGE, meeting):
            raise PermissionDenied
        return meeting

    def _signatory(self, pk: int) -> Meeting:
        meeting = self._visible(pk)
        if services.signing_capacity(self.request.user, meeting) is None:
            raise PermissionDenied(
                _(
                    "Only the meeting's chair and its minutes secretary sign the minutes and their corrections."
                )
            )
        return meeting

    @staticmethod
    def _person(organisation: Organisation, values: dict[str, Any], name: str, default: Any) -> Person | None:
        if name not in values:
            return default
        if values[name] is None:
            return None
        person = people_for(organisation).filter(pk=values[name]).first()
        if person is None:
            raise serializers.ValidationError(
                {name: [_("Choose a party member of the organisation or a holder of one of its posts.")]}
            )
        return person

    @extend_schema(parameters=LIST_PARAMS)
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(responses={200: MeetingDetailOut, 404: NOT_FOUND})
    def retrieve(self, request: Request, pk: int) -> Response:
        """The meeting with its agenda, everyone summoned and their attendance, whether it is valid,
        the votes, and the state of the minutes' signatures (null for a draft the caller may not read)."""
        return self._detail(pk)

    @_writes(MeetingIn, MeetingDetailOut, code=201)
    def create(self, request: Request) -> Response:
        """Plan a meeting (or, with held, enter one already held): its members are summoned."""
        data = MeetingIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        organisation = get_object_or_404(
            org_selectors.tree_visible(Organisation, request.user), pk=values.pop("organisation")
        )
        if not allowed(request.user, Perm.MEETING_MANAGE, Meeting(org_path=organisation.path)):
            raise PermissionDenied
        chair = self._person(organisation, values, "chair", None)
        secretary = self._person(organisation, values, "secretary", None)
        meeting = services.meeting_plan(
            actor=request.user,
            organisation=organisation,
            held=values.pop("held"),
            data=services.MeetingInput(
                kind=values["kind"],
                starts_at=values["starts_at"],
                ends_at=values.get("ends_at"),
                title=values.get("title", ""),
                topic=values.get("topic", ""),
                place=values.get("place", ""),
                online_url=values.get("online_url", ""),
                chair=chair,
                secretary=secretary,
                notes=values.get("notes", ""),
            ),
        )
        return self._detail(meeting.pk, status.HTTP_201_CREATED)

    @_writes(MeetingChangeIn, MeetingDetailOut)
    def partial_update(self, request: Request, pk: int) -> Response:
        """Change the time, place, title, theme, chair or secretary; the fields left out keep their
        values. The kind never changes (cancel and plan another)."""
        meeting = self._managed(pk)
        data = MeetingChangeIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        organisation = meeting.organisation
        services.meeting_update(
            actor=request.user,
            meeting=meeting,
            data=services.MeetingInput(
                kind=values.get("kind", meeting.kind),
                starts_at=values.get("starts_at", meeting.starts_at),
                ends_at=values.get("ends_at", meeting.ends_at),
                title=values.get("title", meeting.title),
                topic=values.get("topic", meeting.topic),
                place=values.get("place", meeting.place),
                online_url=values.get("online_url", meeting.online_url),
                chair=self._person(organisation, values, "chair", meeting.chair),
                secretary=self._person(organisation, values, "secretary", meeting.secretary),
                notes=values.get("notes", meeting.notes),
            ),
        )
        return self._detail(meeting.pk)

    @_writes(MeetingCancelIn, MeetingDetailOut)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: int) -> Response:
        meeting = self._managed(pk)
        data = MeetingCancelIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.meeting_cancel(actor=request.user, meeting=meeting, **data.validated_data)
        return self._detail(meeting.pk)

    @_writes(AttendanceIn, MeetingDetailOut)
    @action(detail=True, methods=["post"])
    def attendance(self, request: Request, pk: int) -> Response:
        """Record who came, from the day of the meeting: one mark per attendee id of this meeting
        (absent with a reason needs the reason). All marks are saved or none."""
        meeting = self._managed(pk)
        data = AttendanceIn(data=request.data)
        data.is_valid(raise_exception=True)
        marks: dict[int, tuple[str, str, bool | None]] = {}
        for mark in data.validated_data["marks"]:
            if mark["attendee"] in marks:
                raise serializers.ValidationError(
                    {"marks": [_("Attendee no. %(id)s is marked twice.") % {"id": mark["attendee"]}]}
                )
            marks[mark["attendee"]] = (mark["presence"], mark["reason"], mark["approved"])
        services.attendance_record(actor=request.user, meeting=meeting, marks=marks)
        return self._detail(meeting.pk)

    @_writes(VoteIn, VoteOut, code=201)
    @action(detail=True, methods=["post"])
    def votes(self, request: Request, pk: int) -> Response:
        """Record a show of hands: the voting members and those present come from the attendance,
        the majority required from the matter; the result is computed."""
        meeting = self._managed(pk)
        data = VoteIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        item_id = values.pop("agenda_item", None)
        item = None
        if item_id is not None:
            item = meeting.agenda.filter(pk=item_id).first()
            if item is None:
                raise serializers.ValidationError(
                    {"agenda_item": [_("No such agenda item in this meeting.")]}
                )
        vote = services.vote_record(actor=request.user, meeting=meeting, agenda_item=item, **values)
        return Response(VoteOut(vote).data, status=status.HTTP_201_CREATED)

    @_writes(
        None,
        None,
        code=204,
        parameters=[
            OpenApiParameter("vote_id", int, OpenApiParameter.PATH),
            OpenApiParameter("reason", str, required=True, description="why the vote is removed"),
        ],
    )
    @action(detail=True, methods=["delete"], url_path=rf"votes/(?P<vote_id>{LOOKUP_ID})", url_name="vote")
    def vote_remove(self, request: Request, pk: int, vote_id: str) -> Response:
        """Remove a vote entered by mistake, before the seal; the audit log keeps it and the reason."""
        meeting = self._managed(pk)
        vote = get_object_or_404(Vote.objects.filter(meeting=meeting), pk=vote_id)
        services.vote_remove(actor=request.user, vote=vote, reason=request.query_params.get("reason", ""))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @_writes(AgendaIn, AgendaItemOut, code=201)
    @action(detail=True, methods=["post"])
    def agenda(self, request: Request, pk: int) -> Response:
        """Append an item to the agenda, with the documents it discusses."""
        meeting = self._managed(pk)
        data = AgendaIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        ids = values.pop("documents", [])
        found = document_selectors.documents_visible(request.user).in_bulk(ids)
        if len(found) != len(set(ids)):
            raise serializers.ValidationError(
                {"documents": [_("No such document in the registers you can see.")]}
            )
        item = services.agenda_add(
            actor=request.user, meeting=meeting, documents=[found[i] for i in dict.fromkeys(ids)], **values
        )
        return Response(AgendaItemOut(item).data, status=status.HTTP_201_CREATED)

    @_writes(None, None, code=204, parameters=[OpenApiParameter("item_id", int, OpenApiParameter.PATH)])
    @action(
        detail=True,
        methods=["delete"],
        url_path=rf"agenda/(?P<item_id>{LOOKUP_ID})",
        url_name="agenda-item",
    )
    def agenda_remove(self, request: Request, pk: int, item_id: str) -> Response:
        """Take an item off the agenda (not one a vote was recorded on); the rest are renumbered."""
        meeting = self._managed(pk)
        item = get_object_or_404(AgendaItem.objects.filter(meeting=meeting), pk=item_id)
        services.agenda_remove(actor=request.user, item=item)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @_writes(GuestIn, AttendeeOut, code=201)
    @action(detail=True, methods=["post"])
    def guests(self, request: Request, pk: int) -> Response:
        """Invite a guest: a person on record, or a name and post. Guests never count in the quorum."""
        meeting = self._managed(pk)
        data = GuestIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        person = None
        if "person" in values:
            person = org_selectors.people_visible(request.user).filter(pk=values.pop("person")).first()
            if person is None:
                raise serializers.ValidationError({"person": [_("No such person in your scope.")]})
        attendee = services.attendee_add(actor=request.user, meeting=meeting, person=person, **values)
        return Response(AttendeeOut(attendee).data, status=status.HTTP_201_CREATED)

    # --- Minutes ---------------------------------------------------------------------------------

    def _minutes_out(self, meeting: Meeting, minutes: Minutes) -> dict[str, Any]:
        return {
            "meeting": meeting.pk,
            **{
                name: getattr(minutes, name)
                for name in (
                    "opened_at",
                    "closed_at",
                    "place",
                    "proceedings",
                    "discussion",
                    "conclusions",
                    "updated_at",
                )
            },
            **_signatures(meeting, minutes, full=True),
            "addenda": AddendumOut(minutes.addenda.all() if minutes.sealed else [], many=True).data,
        }

    @extend_schema(
        methods=["get"],
        responses={
            200: MinutesOut,
            403: OpenApiResponse(DetailOut, description="a draft the caller may not read"),
            404: OpenApiResponse(DetailOut, description="no such meeting, or no minutes yet"),
        },
    )
    @_writes(MinutesIn, MinutesOut, methods=["put"])
    @action(detail=True, methods=["get", "put"])
    def minutes(self, request: Request, pk: int) -> Response:
        """GET: the minutes — sealed minutes (with their content hash, signatures and corrections) for
        whoever sees the meeting, a draft for those who may write it, its chair and its secretary.
        PUT: write the draft (every field; a signature given to an earlier text no longer counts).
        Sealed minutes are refused with 400 and nothing changes: append a correction instead."""
        meeting = self._visible(pk)
        if request.method == "PUT":
            if not services.can_write_minutes(request.user, meeting):
                raise PermissionDenied
            data = MinutesIn(data=request.data)
            data.is_valid(raise_exception=True)
            values = data.validated_data
            minutes = services.minutes_save(
                actor=request.user,
                meeting=meeting,
                data=services.MinutesInput(
                    opened_at=values["opened_at"],
                    closed_at=values.get("closed_at"),
                    place=values.get("place", ""),
                    proceedings=values.get("proceedings", ""),
                    discussion=values.get("discussion", ""),
                    conclusions=values.get("conclusions", ""),
                ),
            )
            return Response(self._minutes_out(meeting, minutes))
        found = Minutes.objects.select_related(*SIGNATORIES).filter(meeting=meeting).first()
        if found is None:
            return Response(
                {"detail": _("No minutes have been written for this meeting yet.")},
                status=status.HTTP_404_NOT_FOUND,
            )
        if not _may_read(request.user, meeting, found):
            raise PermissionDenied(
                _(
                    "The minutes are a draft: until they are sealed only those who write and sign them read them."
                )
            )
        return Response(self._minutes_out(meeting, found))

    @_writes(None, MinutesOut)
    @action(detail=True, methods=["post"], url_path="minutes/sign", url_name="minutes-sign")
    def minutes_sign(self, request: Request, pk: int) -> Response:
        """The chair or the minutes secretary signs the minutes as they stand (only they may: 403 for
        anyone else). When both have signed the same text the minutes are sealed."""
        meeting = self._signatory(pk)
        minutes = services.minutes_sign(actor=request.user, meeting=meeting)
        return Response(self._minutes_out(meeting, minutes))

    @_writes(AddendumIn, AddendumOut, code=201)
    @action(detail=True, methods=["post"], url_path="minutes/addenda", url_name="minutes-addenda")
    def minutes_addenda(self, request: Request, pk: int) -> Response:
        """Append a signed correction to sealed minutes (the chair or the minutes secretary)."""
        meeting = self._signatory(pk)
        data = AddendumIn(data=request.data)
        data.is_valid(raise_exception=True)
        addendum = services.addendum_add(actor=request.user, meeting=meeting, **data.validated_data)
        return Response(AddendumOut(addendum).data, status=status.HTTP_201_CREATED)
