"""Meetings: the writes. Planning, who is summoned, attendance, votes, minutes, signatures, seal.

Services are keyword-only and take the acting user first (None for the system, e.g. the demo);
each checks the permission through the scoping function, validates everything before writing (a
refused call changes nothing and names the field) and records an audit event per write. Once the
minutes are sealed every service refuses to change the meeting (and the database triggers of
migration 0002 refuse whatever gets past them); the only write left is an appended correction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dangbo.core import audit
from dangbo.core.scoping import allowed, require
from dangbo.meetings import seal
from dangbo.meetings.labels import KIND_LABELS
from dangbo.meetings.models import AgendaItem, Attendee, Meeting, Minutes, MinutesAddendum, RollChange, Vote
from dangbo.members.labels import EVENT_LABELS
from dangbo.members.models import MemberEvent, PartyMember
from dangbo.orgs.models import Appointment, Organisation, Person
from dangbo.rules import meetings as rules
from dangbo.rules.meetings import CELL_KINDS, MeetingKind, Presence, VoteError, VoteMatter
from dangbo.rules.membership import CELL_KINDS_FOR_MEMBERS, EventKind, Status
from dangbo.rules.roles import Perm
from dangbo.rules.vietnamese import (
    fold,
    format_date,
    format_number,
    name_collation_key,
    one_line,
    running_text,
)

ACTIVE = (Status.PROBATIONARY.value, Status.FULL.value)
# Posts whose holders are summoned to the executive committee's and the standing committee's
# meetings (orgs.catalog codes; a post outside the committee — office chief — is invited as a guest).
STANDING_POSTS = frozenset({"bi-thu", "pho-bi-thu-thuong-truc", "pho-bi-thu", "uy-vien-btv"})
COMMITTEE_POSTS = STANDING_POSTS | {"uy-vien-bch", "chu-nhiem-ubkt"}
COMMITTEE_KINDS = {
    MeetingKind.COMMITTEE: COMMITTEE_POSTS,
    MeetingKind.EXPANDED: COMMITTEE_POSTS,
    MeetingKind.STANDING: STANDING_POSTS,
}
LONGEST_HOURS = 72  # a congress may last three days; a longer meeting is a typo
GUEST_LIMIT = 200
TEXT_LIMIT = 100_000  # characters in one field of the minutes


_line = one_line


def _sealed_minutes(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.filter(meeting=meeting, sealed_at__isnull=False).first()


def _refuse_sealed(meeting: Meeting) -> None:
    minutes = _sealed_minutes(meeting)
    if minutes is not None:
        raise ValidationError(
            _(
                "The minutes of this meeting were signed and sealed on %(date)s: nothing in it can be "
                "changed any more. A mistake is corrected by a signed correction appended to the minutes."
            )
            % {"date": format_date(timezone.localtime(minutes.sealed_at).date())}  # type: ignore[arg-type]
        )


def _lock(meeting: Meeting) -> Meeting:
    """The meeting row locked for this transaction: writes to one meeting queue here."""
    return Meeting.objects.select_for_update().select_related("organisation").get(pk=meeting.pk)


def _manage(actor: Any, meeting: Meeting) -> None:
    if actor is not None:
        require(actor, Perm.MEETING_MANAGE, meeting)


def _search_text(meeting: Meeting, minutes: Minutes | None = None) -> str:
    parts = [meeting.title, meeting.topic, meeting.place, meeting.organisation.name]
    if minutes is not None:
        parts += [minutes.proceedings, minutes.discussion, minutes.conclusions]
        parts += [a.text for a in minutes.addenda.all()] if minutes.pk else []
    return fold(" ".join(p for p in parts if p))


def default_title(kind: MeetingKind, starts_at: dt.datetime) -> str:
    """ "Sinh hoạt chi bộ thường kỳ tháng 12/2026": data printed on the minutes, so always in the
    site's language (Vietnamese) whatever the language of the page that planned it."""
    day = timezone.localtime(starts_at)
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(kind)s, %(month)02d/%(year)s") % {
            "kind": KIND_LABELS[MeetingKind(kind)],
            "month": day.month,
            "year": day.year,
        }


# --- Planning ------------------------------------------------------------------------------------


def _people_summoned(
    organisation: Organisation, kind: MeetingKind, on: dt.date
) -> list[tuple[Person, str, bool]]:
    """(person, post, votes) of everybody a meeting of `kind` summons: the cell's members in activity
    for a cell meeting, the subtree's for a congress, the committee for a committee meeting."""
    if kind in COMMITTEE_KINDS:
        appointments = (
            Appointment.objects.current(on)
            .filter(organisation=organisation, position__code__in=COMMITTEE_KINDS[kind])
            .select_related("person", "position")
            .order_by("position__rank", "person__sort_key")
        )
        people: dict[int, tuple[Person, str, bool]] = {}
        for appointment in appointments:
            people.setdefault(appointment.person_id, (appointment.person, appointment.position.name, True))
        return list(people.values())
    if kind in CELL_KINDS or kind is MeetingKind.CONGRESS:
        members = PartyMember.objects.filter(status__in=ACTIVE).select_related("person")
        members = (
            members.filter(organisation=organisation)
            if kind in CELL_KINDS
            else members.filter(org_path__within=organisation.path)
        )
        return [(m.person, "", m.status == Status.FULL) for m in members.order_by("person__sort_key")]
    return []


@dataclass(frozen=True)
class MeetingInput:
    kind: str
    starts_at: dt.datetime | None
    ends_at: dt.datetime | None = None
    title: str = ""
    topic: str = ""
    place: str = ""
    online_url: str = ""
    chair: Person | None = None
    secretary: Person | None = None
    notes: str = ""


def _validate(
    organisation: Organisation, data: MeetingInput, *, held: bool, existing: Meeting | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    try:
        kind = MeetingKind(data.kind)
    except ValueError:
        errors["kind"] = _("Choose the kind of meeting.")
        kind = None
    if organisation.dissolved_on:
        errors["organisation"] = _("“%(name)s” has been dissolved.") % {"name": organisation.name}
    elif kind in CELL_KINDS and organisation.kind not in CELL_KINDS_FOR_MEMBERS:
        errors["kind"] = _("“%(name)s” is not a party cell: it holds no cell meetings.") % {
            "name": organisation.name
        }
    elif (
        kind in COMMITTEE_KINDS
        and organisation.kind in CELL_KINDS_FOR_MEMBERS
        and kind is MeetingKind.STANDING
    ):
        errors["kind"] = _("A party cell has no standing committee.")
    now = timezone.now()
    if data.starts_at is None:
        errors["starts_at"] = _("Enter the day and time the meeting starts.")
    elif held and data.starts_at > now:
        errors["starts_at"] = _("A meeting recorded as held cannot start in the future (%(date)s).") % {
            "date": format_date(timezone.localtime(data.starts_at).date())
        }
    elif not held and data.starts_at <= now and (existing is None or existing.starts_at != data.starts_at):
        starts = timezone.localtime(data.starts_at)
        if starts.date() == timezone.localdate(now):  # today: the day has not passed, the hour has
            errors["starts_at"] = _(
                "%(time)s today (%(date)s) has passed: a planned meeting starts later than now. To enter a "
                "meeting that was already held, choose “Record a meeting already held”."
            ) % {"time": starts.strftime("%H:%M"), "date": format_date(starts.date())}
        else:
            errors["starts_at"] = _(
                "%(date)s has passed: a planned meeting starts in the future. To enter a meeting that was "
                "already held, choose “Record a meeting already held”."
            ) % {"date": format_date(starts.date())}
    if data.starts_at is not None and data.ends_at is not None:
        if data.ends_at <= data.starts_at:
            errors["ends_at"] = _("The meeting must end after it starts.")
        elif data.ends_at - data.starts_at > dt.timedelta(hours=LONGEST_HOURS):
            errors["ends_at"] = _("The meeting would last more than %(hours)s hours: check the dates.") % {
                "hours": LONGEST_HOURS
            }
    for name, value, limit in (
        ("title", data.title, 300),
        ("topic", data.topic, 300),
        ("place", data.place, 255),
    ):
        if len(_line(value)) > limit:
            errors[name] = _("Longer than %(n)s characters.") % {"n": limit}
    url = data.online_url.strip()
    if url and not url.lower().startswith(("https://", "http://")):
        errors["online_url"] = _("The online meeting link must start with https://.")
    if kind is MeetingKind.CELL_THEMATIC and not _line(data.topic):
        errors["topic"] = _("A thematic meeting needs its theme.")
    if data.chair is not None and data.secretary is not None and data.chair.pk == data.secretary.pk:
        errors["secretary"] = _("The chair and the minutes secretary must be two different people.")
    return errors


@transaction.atomic
def meeting_plan(
    *, actor: Any, organisation: Organisation, data: MeetingInput, held: bool = False
) -> Meeting:
    """Plan a meeting of `organisation` (or, with `held`, enter one already held) and summon its
    members: the cell's members in activity, the committee for a committee meeting. Guests are added
    afterwards (`attendee_add`)."""
    organisation = Organisation.objects.get(pk=organisation.pk)
    if actor is not None:
        require(actor, Perm.MEETING_MANAGE, Meeting(org_path=organisation.path))
    errors = _validate(organisation, data, held=held, existing=None)
    if errors:
        raise ValidationError(errors)
    assert data.starts_at is not None
    kind = MeetingKind(data.kind)
    meeting = Meeting(
        organisation=organisation,
        org_path=organisation.path,
        kind=kind.value,
        title=_line(data.title) or default_title(kind, data.starts_at),
        topic=_line(data.topic),
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        place=_line(data.place),
        online_url=data.online_url.strip(),
        chair=data.chair,
        secretary=data.secretary,
        notes=running_text(data.notes),
        status=Meeting.Status.HELD if held else Meeting.Status.PLANNED,
        created_by=actor,
    )
    meeting.search_text = _search_text(meeting)
    meeting.save()
    summoned = _people_summoned(organisation, kind, timezone.localtime(data.starts_at).date())
    Attendee.objects.bulk_create(
        Attendee(
            meeting=meeting,
            person=person,
            name=person.full_name,
            post=post,
            counted=True,
            voting=votes,
            sort_key=person.sort_key,
        )
        for person, post, votes in summoned
    )
    audit.record(
        actor=actor,
        action="meeting.plan",
        instance=meeting,
        after={**audit.snapshot(meeting), "summoned": [p.pk for p, _post, _v in summoned]},
    )
    return meeting


SERIES_MONTHS = 12  # a year of regular meetings planned at once, at most
SERIES_KINDS = frozenset({MeetingKind.CELL_REGULAR, MeetingKind.COMMITTEE, MeetingKind.STANDING})


def _same_day_months_later(moment: dt.datetime, months: int) -> dt.datetime:
    """The same local day of the month (the month's last day when it is shorter) and time."""
    local = timezone.localtime(moment)
    index = local.year * 12 + local.month - 1 + months
    year, month = index // 12, index % 12 + 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    day = dt.datetime(year, month, min(local.day, last), local.hour, local.minute)
    return timezone.make_aware(day)


@transaction.atomic
def meeting_series(
    *, actor: Any, organisation: Organisation, data: MeetingInput, months: int
) -> list[Meeting]:
    """Plan the regular meetings of the next `months` months at once: the same day of the month and
    time as the first (the month's last day when it is shorter), each summoning the members in
    activity on its day. A month that already has a regular meeting of the organisation is skipped.
    All or nothing: a refused month plans none."""
    errors: dict[str, str] = {}
    if not 2 <= months <= SERIES_MONTHS:
        errors["months"] = _("Plan from 2 to %(n)s months at once.") % {"n": SERIES_MONTHS}
    if data.kind not in SERIES_KINDS:
        errors["kind"] = _(
            "Only regular meetings (of a cell, a committee, a standing committee) repeat monthly."
        )
    if data.starts_at is None:
        errors["starts_at"] = _("Enter the day and time of the first meeting.")
    if errors:
        raise ValidationError(errors)
    assert data.starts_at is not None
    planned: list[Meeting] = []
    length = data.ends_at - data.starts_at if data.ends_at is not None else None
    for offset in range(months):
        starts = _same_day_months_later(data.starts_at, offset)
        local = timezone.localtime(starts)
        if (
            Meeting.objects.filter(
                organisation=organisation,
                kind=data.kind,
                starts_at__year=local.year,
                starts_at__month=local.month,
            )
            .exclude(status=Meeting.Status.CANCELLED)
            .exists()
        ):
            continue
        month_data = MeetingInput(
            kind=data.kind,
            starts_at=starts,
            ends_at=starts + length if length is not None else None,
            topic=data.topic,
            place=data.place,
            online_url=data.online_url,
            chair=data.chair,
            secretary=data.secretary,
            notes=data.notes,
        )
        planned.append(meeting_plan(actor=actor, organisation=organisation, data=month_data))
    return planned


def _signatories_fixed(meeting: Meeting, minutes: Minutes | None, data: MeetingInput) -> dict[str, str]:
    """Once a meeting is held (or has minutes), who chaired it and who took the minutes is a fact the
    minutes attest: neither is replaced nor removed any more (security test H1: a cell secretary made
    herself chair after the meeting and signed, and the minutes printed the original chair's name).
    One left empty can still be filled in. There is no correction that changes them: sealed minutes
    are corrected by a signed addendum, which names its own signer."""
    if meeting.status != Meeting.Status.HELD and minutes is None:
        return {}
    errors: dict[str, str] = {}
    for name, current, wanted in (
        ("chair", meeting.chair, data.chair),
        ("secretary", meeting.secretary, data.secretary),
    ):
        if current is None or (wanted is not None and wanted.pk == current.pk):
            continue
        if name == "chair":
            errors[name] = _(
                "Comrade %(name)s chaired this meeting, which has been held (or has minutes): the chair "
                "can no longer be changed, since the minutes are signed by the person who chaired."
            ) % {"name": current.full_name}
        else:
            errors[name] = _(
                "Comrade %(name)s took the minutes of this meeting, which has been held (or has "
                "minutes): the minutes secretary can no longer be changed, since the minutes are "
                "signed by the person who took them."
            ) % {"name": current.full_name}
    return errors


@transaction.atomic
def meeting_update(*, actor: Any, meeting: Meeting, data: MeetingInput) -> Meeting:
    """Change a meeting's time, place, title, chair or secretary (not its kind) before the seal."""
    meeting = _lock(meeting)
    _manage(actor, meeting)
    _refuse_sealed(meeting)
    errors: dict[str, str] = {}
    if meeting.status == Meeting.Status.CANCELLED:
        errors["status"] = _("This meeting was cancelled.")
    if data.kind != meeting.kind:
        errors["kind"] = _("The kind of a meeting cannot change: cancel it and plan another.")
    errors |= _validate(
        meeting.organisation, data, held=meeting.status == Meeting.Status.HELD, existing=meeting
    )
    minutes = Minutes.objects.filter(meeting=meeting).first()
    errors |= _signatories_fixed(meeting, minutes, data)
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(meeting)
    assert data.starts_at is not None
    meeting.title = _line(data.title) or meeting.title
    meeting.topic = _line(data.topic)
    meeting.starts_at, meeting.ends_at = data.starts_at, data.ends_at
    meeting.place, meeting.online_url = _line(data.place), data.online_url.strip()
    meeting.chair, meeting.secretary = data.chair, data.secretary
    meeting.notes = running_text(data.notes)
    meeting.search_text = _search_text(meeting, minutes)
    meeting.save()
    after = audit.snapshot(meeting)
    if minutes is not None:
        # an empty chair or secretary filled in after the minutes were written: the draft names them
        # (a signature given before attested a record without them and no longer counts)
        names = {
            "chair_name": meeting.chair.full_name if meeting.chair else "",
            "secretary_name": meeting.secretary.full_name if meeting.secretary else "",
        }
        if names != {"chair_name": minutes.chair_name, "secretary_name": minutes.secretary_name}:
            minutes.chair_name, minutes.secretary_name = names["chair_name"], names["secretary_name"]
            minutes.save(update_fields=["chair_name", "secretary_name", "updated_at"])
            after["minutes"] = names
    audit.record(actor=actor, action="meeting.update", instance=meeting, before=before, after=after)
    moved = any(
        before[f] != audit.snapshot(meeting)[f] for f in ("starts_at", "ends_at", "place", "online_url")
    )
    if meeting.invited_at is not None and moved and meeting.starts_at > timezone.now():
        from dangbo.handbook.models import Notification

        _tell(
            meeting,
            kind=Notification.Kind.MEETING_CHANGE,
            title=_("Changed: %(title)s, now %(when)s") % {"title": meeting.title, "when": _when(meeting)},
            body=invitation_text(meeting),
            attachment=_calendar_attachment(meeting),
        )
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: Any, meeting: Meeting, reason: str) -> Meeting:
    meeting = _lock(meeting)
    _manage(actor, meeting)
    _refuse_sealed(meeting)
    reason = _line(reason)
    errors: dict[str, str] = {}
    if meeting.status == Meeting.Status.CANCELLED:
        errors["status"] = _("This meeting was already cancelled.")
    elif meeting.status == Meeting.Status.HELD:
        errors["status"] = _("This meeting was held: it cannot be cancelled.")
    if not reason:
        errors["reason"] = _("Write why the meeting is cancelled.")
    elif len(reason) > 500:
        errors["reason"] = _("The reason is longer than 500 characters.")
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(meeting)
    meeting.status, meeting.cancel_reason = Meeting.Status.CANCELLED, reason
    meeting.save(update_fields=["status", "cancel_reason"])
    audit.record(
        actor=actor, action="meeting.cancel", instance=meeting, before=before, after=audit.snapshot(meeting)
    )
    if meeting.invited_at is not None:
        from dangbo.handbook.models import Notification

        _tell(
            meeting,
            kind=Notification.Kind.MEETING_CANCEL,
            title=_("Cancelled: %(title)s, %(when)s") % {"title": meeting.title, "when": _when(meeting)},
            body=reason,
            attachment=_calendar_attachment(meeting),
        )
    return meeting


# --- Invitations and what the people summoned are told -------------------------------------------


def _when(meeting: Meeting) -> str:
    start = timezone.localtime(meeting.starts_at)
    return f"{start:%H:%M} {format_date(start.date())}"


def invitation_text(meeting: Meeting) -> str:
    """The body of an invitation: when, where, the agenda and its documents (no personal data)."""
    lines = [
        _("Time: %(when)s") % {"when": _when(meeting)},
        _("Place: %(place)s") % {"place": meeting.place or "—"},
    ]
    if meeting.online_url:
        lines.append(_("Online: %(url)s") % {"url": meeting.online_url})
    if meeting.topic:
        lines.append(_("Theme: %(topic)s") % {"topic": meeting.topic})
    items = list(meeting.agenda.prefetch_related("documents").order_by("position"))
    if items:
        lines += ["", _("Agenda:")]
        for item in items:
            lines.append(
                f"{item.position}. {item.title}"
                + (f" ({item.presenter_name})" if item.presenter_name else "")
            )
            lines += [_document_line(d) for d in item.documents.all()]
    return "\n".join(lines)


def _document_line(document: Any) -> str:
    """An agenda document in the invitation: a confidential one by its symbol only, as the handbook shows
    it — its summary would reach every person summoned, who may not read it."""
    if document.is_secret:
        return f"   – {document.symbol or ''} ({_('confidential: read at the meeting')})"
    return f"   – {document.symbol or ''} {document.summary}".rstrip()


def _tell(
    meeting: Meeting, *, kind: str, title: str, body: str, attachment: Any = None, email: bool = True
) -> int:
    """Notify every person summoned who has a login (members and guests alike)."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from dangbo.handbook.services import notify

    users = get_user_model().objects.filter(
        is_active=True, person__pk__in=meeting.attendees.filter(person__isnull=False).values("person_id")
    )
    return len(
        notify(
            users,
            kind=kind,
            title=title,
            body=body,
            url=reverse("handbook:meeting", args=[meeting.pk]),
            attachment=attachment,
            email=email,
        )
    )


@transaction.atomic
def meeting_invite(
    *, actor: Any, meeting: Meeting, sent_at: dt.datetime | None = None, email: bool = True
) -> int:
    """Send the invitation with the agenda and its documents to everybody summoned (in the handbook
    and by e-mail): how many were told. The first sending is the one "documents sent ahead" counts;
    sending again (after adding a document) tells everybody again. A cell meeting's roll is brought
    in line with the cell's members first (`roll_follow`), so whoever joined since it was planned is
    summoned and told. `email=False` tells in the handbook only. `sent_at` is for the system entering a history (the demo, an import), never for a
    user: nobody is told then."""
    meeting = _lock(meeting)
    _manage(actor, meeting)
    _refuse_sealed(meeting)
    if sent_at is not None and actor is not None:
        raise PermissionDenied
    if sent_at is None and meeting.kind in CELL_KINDS:
        # Whoever joined the cell since the meeting was planned is summoned and told too.
        roll_follow(meeting.organisation, actor=actor)
    errors: dict[str, str] = {}
    if meeting.status == Meeting.Status.CANCELLED:
        errors["meeting"] = _("This meeting was cancelled.")
    elif sent_at is None and meeting.starts_at <= timezone.now():
        errors["meeting"] = _("The meeting has already started: invitations are sent before it.")
    elif not meeting.attendees.exists():
        errors["meeting"] = _("Nobody is summoned to this meeting yet.")
    if errors:
        raise ValidationError(errors)
    first = meeting.invited_at is None
    if first:
        meeting.invited_at = sent_at or timezone.now()
        meeting.save(update_fields=["invited_at"])
    told = 0
    if sent_at is None:
        from dangbo.handbook.models import Notification

        title = (
            _("Invitation: %(title)s, %(when)s")
            if first
            else _("Invitation (sent again): %(title)s, %(when)s")
        ) % {
            "title": meeting.title,
            "when": _when(meeting),
        }
        told = _tell(
            meeting,
            kind=Notification.Kind.MEETING_INVITE,
            title=title,
            body=invitation_text(meeting),
            attachment=_calendar_attachment(meeting) if email else None,
            email=email,
        )
        RollChange.objects.filter(meeting=meeting, change=RollChange.Change.ADDED, invited=False).update(
            invited=True
        )
    audit.record(
        actor=actor,
        action="meeting.invite",
        instance=meeting,
        after={"invited_at": meeting.invited_at, "told": told, "again": not first},
    )
    return told


def _calendar_attachment(meeting: Meeting) -> Any:
    """The meeting as an .ics file for the e-mail (calendar apps add or update the event)."""
    from dangbo.handbook.services import Attachment
    from dangbo.meetings import ics

    return Attachment("giay-moi.ics", ics.meeting_ics(meeting).encode(), "text/calendar")


# --- Who is summoned -----------------------------------------------------------------------------


@transaction.atomic
def attendee_add(
    *,
    actor: Any,
    meeting: Meeting,
    person: Person | None = None,
    name: str = "",
    post: str = "",
    member: bool = False,
) -> Attendee:
    """Invite a guest (a person on record or a name), or summon a member of the organisation who
    was not summoned (`member=True`: a party member in activity of the organisation's subtree —
    of the cell itself for a cell meeting)."""
    meeting = _lock(meeting)
    _manage(actor, meeting)
    _refuse_sealed(meeting)
    name, post = _line(name), _line(post)
    errors: dict[str, str] = {}
    if meeting.status == Meeting.Status.CANCELLED:
        errors["meeting"] = _("This meeting was cancelled.")
    voting = False
    if person is not None:
        name = person.full_name
        if meeting.attendees.filter(person=person).exists():
            errors["person"] = _("%(name)s is already invited to this meeting.") % {"name": name}
        if member:
            record = PartyMember.objects.filter(person=person, status__in=ACTIVE).first()
            in_place = record is not None and (
                record.organisation_id == meeting.organisation_id
                if meeting.kind in CELL_KINDS
                else record.org_path.startswith(meeting.org_path)
            )
            if not in_place:
                errors["person"] = _("%(name)s is not a party member in activity of %(org)s.") % {
                    "name": name,
                    "org": meeting.organisation.name,
                }
            else:
                assert record is not None
                voting = record.status == Status.FULL
        elif (
            actor is not None
            and not allowed(actor, Perm.PERSON_VIEW, person)
            and not allowed(actor, Perm.PERSON_VIEW, meeting.organisation)
        ):
            raise PermissionDenied
    elif member:
        errors["person"] = _("Choose the member to summon.")
    elif not name:
        errors["name"] = _("Enter the guest's full name.")
    if len(name) > 150:
        errors["name"] = _("Longer than %(n)s characters.") % {"n": 150}
    if len(post) > 200:
        errors["post"] = _("Longer than %(n)s characters.") % {"n": 200}
    if not member and meeting.attendees.filter(counted=False).count() >= GUEST_LIMIT:
        errors["name"] = _("A meeting has at most %(n)s guests.") % {"n": GUEST_LIMIT}
    if errors:
        raise ValidationError(errors)
    attendee = Attendee.objects.create(
        meeting=meeting,
        person=person,
        name=name,
        post=post,
        counted=member,
        voting=voting,
        sort_key=person.sort_key if person is not None else name_collation_key(name),
    )
    audit.record(actor=actor, action="meeting.invite", instance=meeting, after=audit.snapshot(attendee))
    return attendee


@transaction.atomic
def attendee_remove(*, actor: Any, attendee: Attendee) -> None:
    """Withdraw an invitation before the meeting is held (a member summoned by the rules stays:
    record their absence instead)."""
    meeting = _lock(attendee.meeting)
    _manage(actor, meeting)
    _refuse_sealed(meeting)
    attendee = Attendee.objects.get(pk=attendee.pk)
    if attendee.counted:
        raise ValidationError(
            {
                "attendee": _("%(name)s is a member of the meeting: record their absence instead.")
                % {"name": attendee.name}
            }
        )
    if meeting.votes.exists() or attendee.presence != Presence.INVITED:
        raise ValidationError(
            {"attendee": _("Attendance has been recorded: the invitation stays on record.")}
        )
    before = audit.snapshot(attendee)
    attendee.delete()
    audit.record(actor=actor, action="meeting.uninvite", instance=meeting, before=before)


# --- Following the cell's membership -------------------------------------------------------------

# The member events that bring a member into a cell, and the one that makes a member vote.
JOINING_EVENTS = frozenset({"admitted", "transfer_in", "readmitted"})
LEAVING_EVENTS = frozenset({"transfer_out", "removed", "expelled", "died"})


def _not_yet_held(organisation: Organisation) -> Any:
    """The cell meetings of `organisation` that the roll follows: planned, in the future, no minutes."""
    return (
        Meeting.objects.filter(
            organisation=organisation,
            kind__in=[k.value for k in CELL_KINDS],
            status=Meeting.Status.PLANNED,
            starts_at__gt=timezone.now(),
        )
        .exclude(Exists(Minutes.objects.filter(meeting=OuterRef("pk"))))
        .order_by("starts_at", "pk")
    )


def _latest_events(person_ids: set[int]) -> dict[int, list[tuple[str, dt.date]]]:
    """person id → their member events (kind, day), in date order (one query)."""
    events: dict[int, list[tuple[str, dt.date]]] = {}
    if not person_ids:
        return events
    rows = (
        MemberEvent.objects.filter(member__person_id__in=person_ids)
        .order_by("on", "pk")
        .values_list("member__person_id", "kind", "on")
    )
    for person_id, kind, on in rows:
        events.setdefault(person_id, []).append((kind, on))
    return events


def _event_behind(change: str, events: list[tuple[str, dt.date]]) -> tuple[str, dt.date | None]:
    """The member event that explains a change to the roll: the latest joining event for an
    addition, the latest full membership for a vote, the latest event for a removal."""
    if change == RollChange.Change.ADDED:
        wanted = [e for e in events if e[0] in JOINING_EVENTS]
    elif change == RollChange.Change.VOTING:
        wanted = [e for e in events if e[0] == "full_member"]
    else:
        wanted = events
    return wanted[-1] if wanted else ("", None)


@transaction.atomic
def roll_follow(organisation: Organisation, *, actor: Any = None) -> list[RollChange]:
    """Bring the people summoned to the cell meetings of `organisation` that are not held yet
    (planned, in the future, without minutes) in line with its members in activity: a member who
    joined is summoned (a full member votes), one who left is no longer summoned, a member who became
    a full member votes. Every change is kept as a `RollChange` (the meeting's page shows it) and
    audited as "meeting.roll", one event per meeting changed. Held meetings, meetings with minutes,
    guests and anyone whose attendance was recorded are never touched. A bounded number of queries
    whatever the number of members (a handful per meeting changed)."""
    meetings = list(_not_yet_held(organisation).select_for_update())
    if not meetings:
        return []
    members = {
        person_id: (status, name, sort_key)
        for person_id, status, name, sort_key in PartyMember.objects.filter(
            organisation=organisation, status__in=ACTIVE
        ).values_list("person_id", "status", "person__full_name", "person__sort_key")
    }
    by_meeting: dict[int, dict[int, Attendee]] = {m.pk: {} for m in meetings}
    for row in Attendee.objects.filter(meeting__in=meetings, person__isnull=False):
        by_meeting[row.meeting_id][row.person_id] = row  # type: ignore[index]
    plans: list[tuple[Meeting, str, int, Attendee | None]] = []  # (meeting, change, person, attendee)
    for meeting in meetings:
        summoned = by_meeting[meeting.pk]
        for person_id, (status, _name, _key) in members.items():
            found = summoned.get(person_id)
            votes = status == Status.FULL
            if found is None or not found.counted:
                plans.append((meeting, RollChange.Change.ADDED, person_id, found))
            elif found.voting != votes and found.presence == Presence.INVITED:
                flag = RollChange.Change.VOTING if votes else RollChange.Change.NOT_VOTING
                plans.append((meeting, flag, person_id, found))
        for person_id, row in summoned.items():
            if row.counted and person_id not in members and row.presence == Presence.INVITED:
                plans.append((meeting, RollChange.Change.REMOVED, person_id, row))
    if not plans:
        return []
    events = _latest_events({person_id for _m, _c, person_id, _a in plans})
    now = timezone.now()
    new: list[Attendee] = []
    updated: list[Attendee] = []
    removed: list[int] = []
    changes: list[RollChange] = []
    for meeting, change, person_id, attendee in plans:
        if change == RollChange.Change.ADDED:
            status, name, sort_key = members[person_id]
            if attendee is None:
                new.append(
                    Attendee(
                        meeting=meeting,
                        person_id=person_id,
                        name=name,
                        counted=True,
                        voting=status == Status.FULL,
                        sort_key=sort_key,
                    )
                )
            else:  # invited as a guest before joining: now a member of the meeting
                attendee.counted, attendee.voting, attendee.post = True, status == Status.FULL, ""
                updated.append(attendee)
        elif change == RollChange.Change.REMOVED:
            assert attendee is not None
            removed.append(attendee.pk)
            name = attendee.name
        else:
            assert attendee is not None
            attendee.voting = change == RollChange.Change.VOTING
            updated.append(attendee)
            name = members[person_id][1]
        event, on = _event_behind(change, events.get(person_id, []))
        changes.append(
            RollChange(
                meeting=meeting,
                person_id=person_id,
                name=name,
                change=change,
                event=event,
                on=on,
                at=now,
            )
        )
    Attendee.objects.bulk_create(new)
    if updated:
        Attendee.objects.bulk_update(updated, ["counted", "voting", "post"])
    if removed:
        Attendee.objects.filter(pk__in=removed).delete()
    RollChange.objects.bulk_create(changes)
    summary: dict[int, dict[str, list[int]]] = {}
    for c in changes:
        summary.setdefault(c.meeting_id, {}).setdefault(c.change, []).append(c.person_id)  # type: ignore[arg-type]
    for meeting in meetings:
        if meeting.pk in summary:
            audit.record(actor=actor, action="meeting.roll", instance=meeting, after=summary[meeting.pk])
    return changes


def roll_note(change: RollChange) -> str:
    """ "Đã thêm đồng chí X (vào chi bộ ngày dd/mm/yyyy)": a change to the roll, for the page."""
    date = format_date(change.on) if change.on else ""
    if change.change == RollChange.Change.ADDED:
        if date:
            return _("Added comrade %(name)s (joined the cell on %(date)s)") % {
                "name": change.name,
                "date": date,
            }
        return _("Added comrade %(name)s") % {"name": change.name}
    if change.change == RollChange.Change.REMOVED:
        if date and change.event == EventKind.TRANSFER_IN:  # recorded as arriving in another cell
            return _("Removed comrade %(name)s (moved to another cell on %(date)s)") % {
                "name": change.name,
                "date": date,
            }
        if date and change.event in LEAVING_EVENTS:
            label = str(EVENT_LABELS[EventKind(change.event)])
            return _("Removed comrade %(name)s (%(event)s on %(date)s)") % {
                "name": change.name,
                "event": label[:1].lower() + label[1:],
                "date": date,
            }
        return _("Removed comrade %(name)s (no longer a member in activity of the cell)") % {
            "name": change.name
        }
    if change.change == RollChange.Change.VOTING:
        return _("Comrade %(name)s is a full member since %(date)s: now votes") % {
            "name": change.name,
            "date": date or "—",
        }
    return _("Comrade %(name)s is no longer a full member: does not vote") % {"name": change.name}


# --- Attendance ----------------------------------------------------------------------------------


@transaction.atomic
def attendance_record(
    *, actor: Any, meeting: Meeting, marks: Mapping[int, tuple[str, str] | tuple[str, str, bool | None]]
) -> list[Attendee]:
    """Record who came: `marks` maps an attendee id of this meeting to (presence, reason) or
    (presence, reason, approved). Absent with a reason needs the reason; `approved` says whether the
    committee (chi ủy) agreed to that absence — only then does it leave a vote's denominator — and
    is kept as it was when not given (None or a pair). Allowed from the day of the meeting; the
    meeting is then held."""
    meeting = _lock(meeting)
    _manage(actor, meeting)
    _refuse_sealed(meeting)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if meeting.status == Meeting.Status.CANCELLED:
        add("meeting", _("This meeting was cancelled."))
    elif timezone.localtime(meeting.starts_at).date() > today:
        add(
            "meeting",
            _("The meeting is on %(date)s: attendance is recorded on the day.")
            % {"date": format_date(timezone.localtime(meeting.starts_at).date())},
        )
    attendees = {a.pk: a for a in meeting.attendees.all()}
    changed: list[Attendee] = []
    for attendee_id, mark in marks.items():
        presence, reason = mark[0], mark[1]
        approved_given = mark[2] if len(mark) > 2 else None  # type: ignore[misc]
        attendee = attendees.get(attendee_id)
        if attendee is None:
            add(
                "attendees",
                _(
                    "Attendee no. %(id)s is not invited to this meeting: invite them first (a member of "
                    "the organisation, or a guest)."
                )
                % {"id": attendee_id},
            )
            continue
        try:
            value = Presence(presence)
        except ValueError:
            add(
                "attendees",
                _("%(name)s: “%(value)s” is not an attendance.") % {"name": attendee.name, "value": presence},
            )
            continue
        reason = _line(reason)
        if value is Presence.EXEMPT and not attendee.counted:
            add(
                "attendees",
                _("%(name)s is a guest: a guest is not excused from party activity.")
                % {"name": attendee.name},
            )
        elif value is Presence.EXCUSED and not reason:
            add("attendees", _("%(name)s: write the reason for the absence.") % {"name": attendee.name})
        elif len(reason) > 300:
            add(
                "attendees",
                _("%(name)s: the reason is longer than 300 characters.") % {"name": attendee.name},
            )
        if value is Presence.PRESENT:
            reason = ""  # a reason typed before the member turned up is not kept
        approved = (
            value is Presence.EXCUSED
            and attendee.counted
            and (attendee.absence_approved if approved_given is None else bool(approved_given))
        )
        if (attendee.presence, attendee.reason, attendee.absence_approved) != (value.value, reason, approved):
            attendee.presence, attendee.reason, attendee.absence_approved = value.value, reason, approved
            changed.append(attendee)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    for attendee in changed:
        attendee.recorded_at = now
    Attendee.objects.bulk_update(changed, ["presence", "reason", "absence_approved", "recorded_at"])
    if changed and meeting.status == Meeting.Status.PLANNED:
        meeting.status = Meeting.Status.HELD
        meeting.save(update_fields=["status"])
    if changed:
        audit.record(
            actor=actor,
            action="meeting.attendance",
            instance=meeting,
            after={
                "attendance": {
                    str(a.pk): [a.presence, a.reason, *(["approved"] if a.absence_approved else [])]
                    for a in changed
                }
            },
        )
    return changed


def _as_rules(people: Sequence[Attendee]) -> list[rules.Attendee]:
    return [
        rules.Attendee(Presence(a.presence), counted=a.counted, voting=a.voting, approved=a.absence_approved)
        for a in people
    ]


def validity(meeting: Meeting, attendees: Sequence[Attendee] | None = None) -> rules.Validity:
    """Whether the meeting is valid under the rules in force on its day."""
    people = attendees if attendees is not None else list(meeting.attendees.all())
    return rules.validity(
        MeetingKind(meeting.kind),
        _as_rules(people),
        rules.meeting_rules(timezone.localtime(meeting.starts_at).date()),
    )


def voting_members(meeting: Meeting, attendees: Sequence[Attendee] | None = None) -> rules.Voters:
    """How the denominator of the meeting's votes is made, under the rules in force on its day."""
    people = attendees if attendees is not None else list(meeting.attendees.all())
    return rules.voters_count(
        _as_rules(people), rules.meeting_rules(timezone.localtime(meeting.starts_at).date())
    )


def approver_word(meeting: Meeting) -> str:
    """Who agrees to an absence: the chi ủy for a cell's own meeting, the committee otherwise."""
    return _("the cell committee") if meeting.kind in CELL_KINDS else _("the committee")


def voters_explanation(meeting: Meeting, counted: rules.Voters) -> str:
    """ "9 = 10 đảng viên chính thức − 1 vắng có lý do được chi ủy đồng ý": how the number is made."""
    text = _("%(voters)s = %(full)s full members") % {
        "voters": format_number(counted.voters),
        "full": format_number(counted.full),
    }
    if counted.exempt_out:
        text += " − " + _("%(n)s excused from party activity and absent") % {
            "n": format_number(counted.exempt_out)
        }
    if counted.excused_out:
        text += " − " + _("%(n)s absent with a reason approved by %(who)s") % {
            "n": format_number(counted.excused_out),
            "who": approver_word(meeting),
        }
    if counted.excused_kept:
        text += " " + _(
            "(%(n)s absent with a reason not approved by %(who)s: counted among the voting members)"
        ) % {"n": format_number(counted.excused_kept), "who": approver_word(meeting)}
    return text


# --- Votes ---------------------------------------------------------------------------------------


VOTE_ERRORS = {
    "negative": ("yes", lambda f: _("Counts of hands cannot be negative.")),
    "present_exceeds_voters": ("yes", lambda f: _("More voting members present than voting members.")),
    "hands_exceed_present": (
        "yes",
        lambda f: _(
            "%(hands)s hands (for, against and abstaining together) but only %(present)s voting members "
            "present: a member votes once."
        )
        % {"hands": format_number(f["hands"]), "present": format_number(f["present"])},
    ),
}


@transaction.atomic
def vote_record(
    *,
    actor: Any,
    meeting: Meeting,
    subject: str,
    matter: str,
    yes: int | None,
    no: int | None,
    abstain: int | None,
    agenda_item: AgendaItem | None = None,
) -> Vote:
    """Record a show of hands. The voting members and those present come from the attendance; the
    majority needed from the matter and the rules in force on the meeting's day; the result is
    computed, never typed."""
    meeting = _lock(meeting)
    _manage(actor, meeting)
    _refuse_sealed(meeting)
    subject = _line(subject)
    errors: dict[str, str] = {}
    if meeting.status == Meeting.Status.CANCELLED:
        errors["meeting"] = _("This meeting was cancelled.")
    if not subject:
        errors["subject"] = _("Write what was voted on.")
    elif len(subject) > 500:
        errors["subject"] = _("Longer than %(n)s characters.") % {"n": 500}
    try:
        kind = VoteMatter(matter)
    except ValueError:
        errors["matter"] = _("Choose the kind of matter: it decides the majority needed.")
        kind = None
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        errors["agenda_item"] = _("That agenda item belongs to another meeting.")
    counts = {"yes": yes, "no": no, "abstain": abstain}
    for name, value in counts.items():
        if value is None:
            errors[name] = _("Enter the number of hands (0 if none).")
    attendees = list(meeting.attendees.all())
    voting = [a for a in attendees if a.counted and a.voting]
    if any(a.presence == Presence.INVITED for a in voting):
        errors["meeting"] = _("Record the attendance of every member first: the majority is counted from it.")
    on = timezone.localtime(meeting.starts_at).date()
    rule_set = rules.meeting_rules(on)
    outcome = None
    if not errors:
        assert kind is not None and yes is not None and no is not None and abstain is not None
        voters, present = rules.voters_of(_as_rules(attendees), rule_set)
        if voters == 0:
            errors["meeting"] = _("No full member with the right to vote is recorded at this meeting.")
        else:
            try:
                outcome = rules.vote_outcome(
                    rule_set.matters[kind],
                    voters=voters,
                    present=present,
                    yes=yes,
                    no=no,
                    abstain=abstain,
                    rules=rule_set,
                )
            except VoteError as exc:
                field, message = VOTE_ERRORS[exc.code]
                errors[field] = message(exc.figures)
    if errors:
        raise ValidationError(errors)
    assert outcome is not None and kind is not None
    vote = Vote.objects.create(
        meeting=meeting,
        agenda_item=agenda_item,
        subject=subject,
        matter=kind.value,
        rule=rule_set.matters[kind].value,
        voters=outcome.voters,
        present=outcome.present,
        yes=outcome.yes,
        no=outcome.no,
        abstain=outcome.abstain,
        required=outcome.required,
        passed=outcome.passed,
        recorded_by=actor,
    )
    audit.record(actor=actor, action="meeting.vote", instance=meeting, after=audit.snapshot(vote))
    return vote


@transaction.atomic
def vote_remove(*, actor: Any, vote: Vote, reason: str) -> None:
    """Remove a vote entered by mistake, before the seal (the audit log keeps it and the reason)."""
    meeting = _lock(vote.meeting)
    _manage(actor, meeting)
    _refuse_sealed(meeting)
    reason = _line(reason)
    if not reason:
        raise ValidationError({"reason": _("Write why the vote is removed.")})
    vote = Vote.objects.get(pk=vote.pk)
    before = audit.snapshot(vote)
    vote.delete()
    audit.record(
        actor=actor, action="meeting.vote_remove", instance=meeting, before=before, after={"reason": reason}
    )


# --- Agenda --------------------------------------------------------------------------------------


@transaction.atomic
def agenda_add(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    presenter: Person | None = None,
    presenter_name: str = "",
    documents: Sequence[Any] = (),
) -> AgendaItem:
    meeting = _lock(meeting)
    _manage(actor, meeting)
    _refuse_sealed(meeting)
    title = _line(title)
    errors: dict[str, str] = {}
    if meeting.status == Meeting.Status.CANCELLED:
        errors["meeting"] = _("This meeting was cancelled.")
    if not title:
        errors["title"] = _("Write the agenda item.")
    elif len(title) > 500:
        errors["title"] = _("Longer than %(n)s characters.") % {"n": 500}
    if actor is not None:
        from dangbo.documents import selectors as document_selectors

        for document in documents:
            if not document_selectors.is_visible(actor, document):
                errors["documents"] = _("No such document in the registers you can see.")
    if errors:
        raise ValidationError(errors)
    position = (meeting.agenda.aggregate(n=Max("position"))["n"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        position=position,
        title=title,
        presenter=presenter,
        presenter_name=_line(presenter_name) or (presenter.full_name if presenter else ""),
    )
    if documents:
        item.documents.set(documents)
    audit.record(
        actor=actor,
        action="meeting.agenda_add",
        instance=meeting,
        after={**audit.snapshot(item), "documents": [d.pk for d in documents]},
    )
    return item


@transaction.atomic
def agenda_remove(*, actor: Any, item: AgendaItem) -> None:
    meeting = _lock(item.meeting)
    _manage(actor, meeting)
    _refuse_sealed(meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    if item.votes.exists():
        raise ValidationError({"item": _("A vote was recorded on this item: it stays on the agenda.")})
    before = {**audit.snapshot(item), "documents": [d.pk for d in item.documents.all()]}
    item.documents.clear()
    item.delete()
    # Close the gap so the agenda stays numbered 1, 2, 3 …
    for position, later in enumerate(meeting.agenda.order_by("position"), start=1):
        if later.position != position:
            later.position = position
            later.save(update_fields=["position"])
    audit.record(actor=actor, action="meeting.agenda_remove", instance=meeting, before=before)


# --- Minutes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MinutesInput:
    opened_at: dt.datetime | None
    closed_at: dt.datetime | None
    place: str = ""
    proceedings: str = ""
    discussion: str = ""
    conclusions: str = ""


def can_write_minutes(actor: Any, meeting: Meeting) -> bool:
    """The office (or the cell's secretary) managing the meeting, its chair or its minutes secretary."""
    if actor is None or allowed(actor, Perm.MEETING_MANAGE, meeting):
        return True
    person_id = getattr(getattr(actor, "person", None), "pk", None)
    return person_id is not None and person_id in (meeting.chair_id, meeting.secretary_id)


@transaction.atomic
def minutes_save(*, actor: Any, meeting: Meeting, data: MinutesInput) -> Minutes:
    """Write the draft minutes (the office, the chair or the secretary). A signature given to an
    earlier text no longer counts: both sign the text as it is (`signature_state`)."""
    meeting = _lock(meeting)
    if not can_write_minutes(actor, meeting):
        raise PermissionDenied
    _refuse_sealed(meeting)
    errors: dict[str, str] = {}
    if meeting.status == Meeting.Status.CANCELLED:
        errors["meeting"] = _("This meeting was cancelled.")
    elif meeting.starts_at > timezone.now():
        errors["meeting"] = _("The meeting has not started: its minutes are written on the day.")
    if data.opened_at is None:
        errors["opened_at"] = _("Enter when the meeting opened.")
    if data.opened_at is not None and data.closed_at is not None and data.closed_at <= data.opened_at:
        errors["closed_at"] = _("The meeting must close after it opens.")
    if data.closed_at is not None and data.closed_at > timezone.now():
        errors["closed_at"] = _("The closing time is in the future.")
    texts = {name: running_text(getattr(data, name)) for name in ("proceedings", "discussion", "conclusions")}
    for name, value in texts.items():
        if len(value) > TEXT_LIMIT:
            errors[name] = _("Longer than %(n)s characters.") % {"n": format_number(TEXT_LIMIT)}
    if len(_line(data.place)) > 255:
        errors["place"] = _("Longer than %(n)s characters.") % {"n": 255}
    if errors:
        raise ValidationError(errors)
    minutes = Minutes.objects.filter(meeting=meeting).first() or Minutes(meeting=meeting)
    before = audit.snapshot(minutes) if minutes.pk else None
    minutes.opened_at, minutes.closed_at = data.opened_at, data.closed_at
    minutes.place = _line(data.place) or meeting.place
    minutes.chair_name = meeting.chair.full_name if meeting.chair else ""
    minutes.secretary_name = meeting.secretary.full_name if meeting.secretary else ""
    for name, value in texts.items():
        setattr(minutes, name, value)
    minutes.save()
    meeting.search_text = _search_text(meeting, minutes)
    meeting.save(update_fields=["search_text"])
    audit.record(
        actor=actor, action="minutes.save", instance=minutes, before=before, after=audit.snapshot(minutes)
    )
    return minutes


@dataclass(frozen=True)
class Signatures:
    current_hash: str
    chair: bool  # the chair signed the text as it is now
    secretary: bool
    chair_stale: bool  # the chair signed an earlier text
    secretary_stale: bool


def signature_state(meeting: Meeting, minutes: Minutes) -> Signatures:
    current = minutes.content_hash if minutes.sealed else seal.content_hash(meeting, minutes)
    return Signatures(
        current_hash=current,
        chair=bool(minutes.chair_signed_hash) and minutes.chair_signed_hash == current,
        secretary=bool(minutes.secretary_signed_hash) and minutes.secretary_signed_hash == current,
        chair_stale=bool(minutes.chair_signed_hash) and minutes.chair_signed_hash != current,
        secretary_stale=bool(minutes.secretary_signed_hash) and minutes.secretary_signed_hash != current,
    )


def signing_capacity(actor: Any, meeting: Meeting) -> str | None:
    """ "chair" or "secretary" when `actor` is the meeting's chair or minutes secretary."""
    person_id = getattr(getattr(actor, "person", None), "pk", None)
    if person_id is None:
        return None
    if person_id == meeting.chair_id:
        return "chair"
    if person_id == meeting.secretary_id:
        return "secretary"
    return None


@transaction.atomic
def minutes_sign(*, actor: Any, meeting: Meeting, at: dt.datetime | None = None) -> Minutes:
    """The chair or the secretary signs the minutes as they stand; when both have signed the same
    text, the minutes are sealed: their hash goes into the audit chain and nothing changes after.

    `at` is when a signature given on paper was given (entering the demo's year of minutes); it can
    be neither before the meeting ended nor in the future. Pages and the API never pass it."""
    meeting = _lock(meeting)
    _refuse_sealed(meeting)
    capacity = signing_capacity(actor, meeting)
    if capacity is None:
        raise ValidationError(
            _("Only the meeting's chair (%(chair)s) and minutes secretary (%(secretary)s) sign its minutes.")
            % {
                "chair": meeting.chair.full_name if meeting.chair else _("not chosen"),
                "secretary": meeting.secretary.full_name if meeting.secretary else _("not chosen"),
            }
        )
    minutes = Minutes.objects.filter(meeting=meeting).first()
    errors: list[str] = []
    if minutes is None:
        raise ValidationError(_("The minutes have not been written yet."))
    if not (minutes.proceedings or minutes.conclusions):
        errors.append(_("The minutes have no proceedings and no conclusions yet."))
    state = validity(meeting)
    if not state.recorded:
        errors.append(_("Record the attendance of every member before signing."))
    if errors:
        raise ValidationError(errors)
    signatures = signature_state(meeting, minutes)
    if getattr(signatures, capacity):  # a second click: the signature already stands on this text
        signed_at = getattr(minutes, f"{capacity}_signed_at")
        raise ValidationError(
            _("You already signed this text of the minutes on %(when)s.")
            % {"when": timezone.localtime(signed_at).strftime("%H:%M %d/%m/%Y")}
        )
    now = timezone.now()
    if at is not None:
        if at > now or (meeting.ends_at is not None and at < meeting.ends_at):
            raise ValidationError(_("A signature cannot be dated before the meeting ended or in the future."))
        now = at
    before = audit.snapshot(minutes)
    setattr(minutes, f"{capacity}_signed_by", actor)
    setattr(minutes, f"{capacity}_signed_at", now)
    setattr(minutes, f"{capacity}_signed_hash", signatures.current_hash)
    other_signed = signatures.secretary if capacity == "chair" else signatures.chair
    minutes.save()
    audit.record(
        actor=actor,
        action="minutes.sign",
        instance=minutes,
        before=before,
        after={"capacity": capacity, "content_hash": signatures.current_hash},
    )
    if not other_signed:
        _ask_other_signer(meeting, capacity)
    if other_signed:
        minutes.sealed_at = now
        minutes.content_hash = signatures.current_hash
        minutes.save(update_fields=["sealed_at", "content_hash"])
        audit.record(
            actor=actor,
            action="minutes.seal",
            instance=minutes,
            after={"content_hash": minutes.content_hash, "sealed_at": now},
        )
        _close_sign_requests(meeting)
    return minutes


def _ask_other_signer(meeting: Meeting, signed: str) -> None:
    from django.urls import reverse

    from dangbo.handbook.models import Notification
    from dangbo.handbook.services import notify

    other = meeting.secretary if signed == "chair" else meeting.chair
    user = getattr(other, "user", None) if other is not None else None
    url = reverse("meetings:detail", args=[meeting.pk])
    waiting = Notification.objects.filter(
        user=user, kind=Notification.Kind.MINUTES_SIGN, url=url, read_at__isnull=True
    )
    if user is not None and not waiting.exists():  # one request waiting is enough
        notify(
            [user],
            kind=Notification.Kind.MINUTES_SIGN,
            title=_("Minutes to sign: %(title)s") % {"title": meeting.title},
            url=url,
        )


def _close_sign_requests(meeting: Meeting) -> None:
    """Sealed minutes wait for nobody: the requests to sign them stop counting as new and say so."""
    from django.urls import reverse

    from dangbo.handbook.models import Notification

    requests = Notification.objects.filter(
        kind=Notification.Kind.MINUTES_SIGN, url=reverse("meetings:detail", args=[meeting.pk])
    )
    requests.filter(read_at__isnull=True).update(read_at=timezone.now())
    requests.update(title=(_("Minutes signed and sealed: %(title)s") % {"title": meeting.title})[:300])


@transaction.atomic
def addendum_add(*, actor: Any, meeting: Meeting, text: str, reason: str) -> MinutesAddendum:
    """Append a dated correction to sealed minutes, signed by the chair or the secretary who writes it."""
    meeting = _lock(meeting)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    errors: dict[str, str] = {}
    capacity = signing_capacity(actor, meeting)
    if capacity is None:
        raise ValidationError(
            _("Only the meeting's chair and minutes secretary sign a correction to its minutes.")
        )
    if minutes is None or not minutes.sealed:
        errors["text"] = _("The minutes are not sealed yet: correct the draft itself.")
    text, reason = running_text(text), _line(reason)
    if not text:
        errors["text"] = _("Write the correction.")
    elif len(text) > TEXT_LIMIT:
        errors["text"] = _("Longer than %(n)s characters.") % {"n": format_number(TEXT_LIMIT)}
    if not reason:
        errors["reason"] = _("Write why the minutes are corrected.")
    elif len(reason) > 500:
        errors["reason"] = _("The reason is longer than 500 characters.")
    if errors:
        raise ValidationError(errors)
    assert minutes is not None
    number = (minutes.addenda.aggregate(n=Max("number"))["n"] or 0) + 1
    addendum = MinutesAddendum(
        minutes=minutes,
        number=number,
        text=text,
        reason=reason,
        signed_by=actor,
        signer_name=actor.person.full_name,
        capacity=capacity,
        signed_at=timezone.now(),
    )
    addendum.content_hash = seal.digest(seal.addendum_content(addendum, minutes.content_hash))
    addendum.save()
    meeting.search_text = _search_text(meeting, minutes)
    meeting.save(update_fields=["search_text"])
    audit.record(
        actor=actor,
        action="minutes.addendum",
        instance=addendum,
        after={**audit.snapshot(addendum), "content_hash": addendum.content_hash},
    )
    return addendum
