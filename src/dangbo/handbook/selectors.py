"""What the handbook shows a member: their meetings, their cell and its committee, their
notifications, opinions and requests. Every read starts from the user's own person or member record,
or goes through the scoping function."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from dangbo.core.paths import path_ids
from dangbo.core.scoping import scope
from dangbo.documents.models import Document
from dangbo.handbook.models import CorrectionRequest, Notification, Opinion
from dangbo.meetings.models import AgendaItem, Attendee, Meeting
from dangbo.members.models import PartyMember
from dangbo.orgs.models import Appointment, Organisation
from dangbo.rules.membership import Status
from dangbo.rules.roles import Perm

# A meeting stays "upcoming" until a few hours after it starts (a member opens the documents in it).
STILL_UPCOMING = dt.timedelta(hours=6)
PAST_MONTHS = 12


def person_of(user: Any) -> Any:
    return getattr(user, "person", None) if user is not None and user.is_authenticated else None


def _agenda_prefetch() -> Prefetch:
    return Prefetch(
        "meeting__agenda",
        queryset=AgendaItem.objects.order_by("position").prefetch_related(
            Prefetch("documents", queryset=Document.objects.only("pk", "symbol", "summary", "secrecy"))
        ),
    )


@dataclass(frozen=True)
class MyMeetings:
    upcoming: list[Attendee]  # my invitation to each, with the meeting, its agenda and documents
    past: list[Attendee]


def my_meetings(user: Any, now: dt.datetime | None = None) -> MyMeetings:
    """The meetings the user is summoned or invited to: coming (soonest first, with the agenda and its
    documents) and held in the last twelve months (latest first, with the user's presence). Four
    queries."""
    person = person_of(user)
    if person is None:
        return MyMeetings([], [])
    now = now or timezone.now()
    mine = Attendee.objects.filter(person=person).select_related("meeting__organisation", "meeting__minutes")
    upcoming = list(
        mine.filter(meeting__status=Meeting.Status.PLANNED, meeting__starts_at__gte=now - STILL_UPCOMING)
        .prefetch_related(_agenda_prefetch())
        .order_by("meeting__starts_at")[:20]
    )
    for invitation in upcoming:  # the documents of the whole agenda, each once, in agenda order
        found = {d.pk: d for item in invitation.meeting.agenda.all() for d in item.documents.all()}
        invitation.documents = list(found.values())  # type: ignore[attr-defined]
    past = list(
        mine.filter(
            meeting__status=Meeting.Status.HELD,
            meeting__starts_at__gte=now - dt.timedelta(days=31 * PAST_MONTHS),
            meeting__starts_at__lt=now,
        ).order_by("-meeting__starts_at")[:60]
    )
    return MyMeetings(upcoming, past)


def handbook_meeting(user: Any, pk: int) -> tuple[Meeting, Attendee | None] | None:
    """A meeting the user is invited to (a guest from elsewhere too) or may read; with the user's
    invitation. None when neither."""
    person = person_of(user)
    meeting = (
        Meeting.objects.select_related("organisation", "chair", "secretary", "minutes")
        .prefetch_related(
            Prefetch(
                "agenda",
                queryset=AgendaItem.objects.order_by("position").prefetch_related(
                    Prefetch(
                        "documents", queryset=Document.objects.only("pk", "symbol", "summary", "secrecy")
                    )
                ),
            )
        )
        .filter(pk=pk)
    )
    condition = Q(pk__in=scope(Meeting.objects.all(), user, Perm.MEETING_VIEW).values("pk"))
    if person is not None:
        condition |= Q(attendees__person=person)
    found = meeting.filter(condition).distinct().first()
    if found is None:
        return None
    mine = Attendee.objects.filter(meeting=found, person=person).first() if person is not None else None
    return found, mine


@dataclass(frozen=True)
class MyCell:
    member: PartyMember
    chain: list[Organisation]  # the cell and the organisations above it, the cell first
    committee: list[Appointment]  # current posts in the cell's committee
    members: list[PartyMember]  # the members in activity, by given name


def my_cell(member: PartyMember, on: dt.date | None = None) -> MyCell:
    """The member's cell, the organisations above it, its committee today and its members (names and
    status only). Three queries."""
    on = on or timezone.localdate()
    cell = member.organisation
    ids = path_ids(cell.path)
    found = Organisation.objects.filter(pk__in=ids).in_bulk()
    chain = [found[pk] for pk in reversed(ids) if pk in found]
    committee = list(
        Appointment.objects.current(on)
        .filter(organisation=cell, position__system="party")
        .select_related("person", "position")
        .order_by("position__rank", "person__sort_key")
    )
    members = list(
        PartyMember.objects.filter(organisation=cell, status__in=(Status.FULL, Status.PROBATIONARY))
        .select_related("person")
        .only("pk", "status", "person__full_name", "person__sort_key", "person__gender")
        .order_by("person__sort_key", "pk")
    )
    return MyCell(member, chain, committee, members)


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def unread_count_column() -> Coalesce:
    """`unread_count` as a column of a query of users (`OuterRef("pk")` is the user): one COUNT
    subquery, read with the user of each request for the header's bell (core.auth.Backend)."""
    unread = (
        Notification.objects.filter(user=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))


def header_unread_count(user: Any) -> int:
    """The bell's count: loaded with the request's user when it came through core.auth.Backend,
    else counted now."""
    loaded = getattr(user, "unread_notifications", None)
    return unread_count(user) if loaded is None else int(loaded)


def my_notifications(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def my_opinions(user: Any) -> QuerySet[Opinion]:
    return Opinion.objects.filter(sender=user)


def opinions_to_answer(user: Any) -> QuerySet[Opinion]:
    """Opinions of the members below the user's committee office (scoped), the unanswered first."""
    return scope(Opinion.objects.select_related("organisation"), user, Perm.OPINION_ANSWER).exclude(
        sender=user
    )


def opinions_readable(user: Any) -> QuerySet[Opinion]:
    """The opinions a user may read: their own, and those an office above answers (also what the
    audit log shows the details of: handbook/apps.py)."""
    return Opinion.objects.filter(Q(sender=user) | Q(pk__in=opinions_to_answer(user).values("pk")))


def opinion_for(user: Any, pk: int) -> Opinion | None:
    """An opinion its sender or an office above may read."""
    return opinions_readable(user).select_related("organisation").filter(pk=pk).first()


def my_corrections(member: PartyMember | None) -> QuerySet[CorrectionRequest]:
    if member is None:
        return CorrectionRequest.objects.none()
    return CorrectionRequest.objects.filter(member=member)


def corrections_to_handle(user: Any) -> QuerySet[CorrectionRequest]:
    return scope(
        CorrectionRequest.objects.select_related("member__person", "member__organisation"),
        user,
        Perm.PERSON_CHANGE,
    ).exclude(requested_by=user)
