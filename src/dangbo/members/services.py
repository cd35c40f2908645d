"""Every write to member records: admission and each later lifecycle event, audited.

The event list is the source of truth: a new event is accepted only if replaying all of the member's
events with it through `rules.membership.replay` succeeds; the derived fields are then rewritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.core import audit
from dangbo.core.scoping import require
from dangbo.members import counts
from dangbo.members.labels import EVENT_LABELS, LIFECYCLE_ERRORS, STATUS_LABELS
from dangbo.members.models import BadgeAward, MemberEvent, PartyMember
from dangbo.members.signals import send_membership_changed
from dangbo.orgs.models import Organisation, Person
from dangbo.rules.membership import (
    BADGE_MILESTONES,
    CELL_KINDS_FOR_MEMBERS,
    Event,
    EventKind,
    LifecycleError,
    admission_age,
    badge_date,
    replay,
)
from dangbo.rules.roles import Perm
from dangbo.rules.vietnamese import format_date

RECORD_FIELDS = frozenset(PartyMember.RECORD_FIELDS)


def _check(actor: Any, instance: Any) -> None:
    if actor is not None:
        require(actor, Perm.PERSON_CHANGE, instance)


def identity_number(*, actor: Any, member: PartyMember, reveal: bool = False) -> str:
    """The one way a page shows a citizen identity number (CCCD): masked (`masked_national_id`),
    or — with `reveal` — in full, which needs IDENTITY_VIEW over the member (PermissionDenied
    otherwise) and is logged as `member.view_identity`, like the card's "show in full"."""
    if not reveal or not member.national_id:
        return member.masked_national_id
    require(actor, Perm.IDENTITY_VIEW, member)
    audit.record(actor=actor, action="member.view_identity", instance=member)
    return member.national_id


def _lifecycle_message(error: LifecycleError) -> str:
    status = STATUS_LABELS.get(error.status, "—") if error.status else _("not a member")  # type: ignore[call-overload]
    return str(LIFECYCLE_ERRORS[error.code]) % {"event": EVENT_LABELS[error.event.kind], "status": status}


def _as_events(events: Any) -> list[Event]:
    return [Event(EventKind(e.kind), e.on, e.official) for e in events]


def _events_of(member: PartyMember) -> list[Event]:
    return _as_events(member.events.order_by("on", "pk"))


def _refresh_derived(member: PartyMember, events: list[Event]) -> None:
    try:
        state = replay(events)
    except LifecycleError as error:
        raise ValidationError({"kind": _lifecycle_message(error)}) from error
    member.status = state.status.value if state.status else ""
    member.admitted_on, member.full_on = state.admitted_on, state.full_on
    member.party_age_from = (
        state.admitted_on + dt.timedelta(days=sum((end - start).days for start, end in state.gaps))
        if state.admitted_on
        else None
    )
    member.probation_started_on = state.probation_started_on


def _validate_event_date(on: dt.date) -> None:
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})


@transaction.atomic
def member_admit(
    *,
    actor: Any,
    person: Person,
    organisation: Organisation,
    admitted_on: dt.date,
    decision_no: str = "",
    issuer: str = "",
    higher_approval: bool = False,
    **record: Any,
) -> PartyMember:
    """Record an admission: the person becomes a probationary member of a party cell."""
    unknown = set(record) - RECORD_FIELDS
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    organisation = Organisation.objects.get(pk=organisation.pk)  # its path as it is now
    if organisation.kind not in CELL_KINDS_FOR_MEMBERS:
        raise ValidationError({"organisation": _("Members belong to a party cell (chi bộ).")})
    if PartyMember.objects.filter(person=person).exists():
        raise ValidationError(
            {"person": _("%(name)s already has a member record.") % {"name": person.full_name}}
        )
    _validate_event_date(admitted_on)
    if person.birth_date is not None:
        age = admission_age(person.birth_date, admitted_on)
        if not age.allowed:
            raise ValidationError({"admitted_on": _("The person was under 18 on the admission date.")})
        if age.needs_higher_approval and not higher_approval:
            raise ValidationError(
                {
                    "admitted_on": _(
                        "Over 60 at admission: record the approval of the provincial-level committee."
                    )
                }
            )
    member = PartyMember(
        person=person,
        organisation=organisation,
        org_path=organisation.path,
        search_text=person.search_text,
        **record,
    )
    _check(actor, member)
    _refresh_derived(member, [Event(EventKind.ADMITTED, admitted_on)])
    member.full_clean(exclude=["person", "organisation", "org_path", "status"])
    member.save()
    MemberEvent.objects.create(
        member=member, kind=EventKind.ADMITTED, on=admitted_on, decision_no=decision_no, issuer=issuer
    )
    if not person.is_party_member:
        Person.objects.filter(pk=person.pk).update(is_party_member=True)
    counts.touch({organisation.pk})
    send_membership_changed({organisation.pk}, actor=actor)
    audit.record(
        actor=actor,
        action="member.admit",
        instance=member,
        after=audit.snapshot(member, exclude=("national_id",)),
    )
    return member


@transaction.atomic
def member_record_event(
    *,
    actor: Any,
    member: PartyMember,
    kind: str,
    on: dt.date,
    decision_no: str = "",
    issuer: str = "",
    official: bool = True,
    other_party: str = "",
    to_organisation: Organisation | None = None,
    note: str = "",
) -> MemberEvent:
    """Append a lifecycle event (full membership, transfer, removal, expulsion, death, readmission)."""
    member = PartyMember.objects.select_for_update().get(pk=member.pk)
    _check(actor, member)
    event_kind = EventKind(kind)
    _validate_event_date(on)
    before = audit.snapshot(member, exclude=("national_id",))
    was_in = member.organisation_id
    _refresh_derived(member, [*_events_of(member), Event(event_kind, on, official)])
    if event_kind is EventKind.TRANSFER_IN and to_organisation is not None:
        to_organisation = Organisation.objects.get(pk=to_organisation.pk)
        _check(actor, PartyMember(org_path=to_organisation.path))
        member.organisation, member.org_path = to_organisation, to_organisation.path
    member.save()
    event = MemberEvent.objects.create(
        member=member,
        kind=event_kind,
        on=on,
        official=official,
        decision_no=decision_no,
        issuer=issuer,
        other_party=other_party,
        note=note,
    )
    counts.touch({was_in, member.organisation_id})
    send_membership_changed({was_in, member.organisation_id}, actor=actor)
    audit.record(
        actor=actor,
        action=f"member.{event_kind.value}",
        instance=member,
        before=before,
        after={**audit.snapshot(member, exclude=("national_id",)), "event": audit.snapshot(event)},
    )
    return event


def _masked(member: PartyMember) -> dict[str, Any]:
    """An audit snapshot of a record: the CCCD itself stays out of the log, whether it changed does not."""
    data = audit.snapshot(member, exclude=("national_id",))
    data["national_id_last3"] = (member.national_id or "")[-3:]
    return data


@transaction.atomic
def member_update(*, actor: Any, member: PartyMember, **fields: Any) -> PartyMember:
    """Correct the register columns of a record (card, CCCD, ethnicity, education …). Status and
    dates are not edited here: they follow from the events."""
    unknown = set(fields) - RECORD_FIELDS
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    member = PartyMember.objects.select_for_update().get(pk=member.pk)
    _check(actor, member)
    before = _masked(member)
    for name, value in fields.items():
        if name in ("card_no", "national_id"):
            value = (value or "").strip() or None
        elif isinstance(value, str):
            value = " ".join(value.split()) if name != "notes" else value.strip()
        setattr(member, name, value)
    member.full_clean(exclude=["person", "organisation", "org_path", "status"])
    after = _masked(member)
    if after == before:
        return member
    member.save(update_fields=sorted(fields))
    counts.touch({member.organisation_id})
    audit.record(actor=actor, action="member.update", instance=member, before=before, after=after)
    return member


EVENT_FIELDS = frozenset({"on", "official", "decision_no", "issuer", "other_party", "note"})


def _replace_events(member: PartyMember, events: list[MemberEvent]) -> None:
    """Check a changed event list by replaying it, then rewrite what derives from it."""
    try:
        _refresh_derived(member, _as_events(sorted(events, key=lambda e: (e.on, e.pk or 0))))
    except ValidationError as error:
        reason = " ".join(error.messages)
        raise ValidationError(
            {
                "on": _("After this change the history, in date order, would be impossible: %(reason)s")
                % {"reason": reason}
            }
        ) from error


def _log_history_change(
    actor: Any, member: PartyMember, action: str, before: dict[str, Any], after: dict[str, Any]
) -> None:
    """After an event was corrected or taken back: save what derives from the events, recount, log."""
    member.save()
    counts.touch({member.organisation_id})
    send_membership_changed({member.organisation_id}, actor=actor)
    audit.record(actor=actor, action=action, instance=member, before=before, after=after)


@transaction.atomic
def member_correct_event(*, actor: Any, event: MemberEvent, reason: str, **fields: Any) -> MemberEvent:
    """Correct an event entered wrongly (its date, decision, issuer …), with the reason. The corrected
    history must still be possible; status and dates are derived again; the log keeps both versions."""
    unknown = set(fields) - EVENT_FIELDS
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the event is corrected.")})
    member = PartyMember.objects.select_for_update().get(pk=event.member_id)
    _check(actor, member)
    event = MemberEvent.objects.get(pk=event.pk)
    before = {**_masked(member), "event": audit.snapshot(event)}
    for name, value in fields.items():
        setattr(event, name, value)
    if "on" in fields:
        _validate_event_date(event.on)
    event.full_clean(exclude=["member"])
    others = [e for e in member.events.all() if e.pk != event.pk]
    _replace_events(member, [*others, event])
    event.save()
    after = {**_masked(member), "event": audit.snapshot(event), "reason": reason.strip()}
    _log_history_change(actor, member, "member.event_correct", before, after)
    return event


def removable_event(events: list[MemberEvent]) -> int | None:
    """The id of the one event of a timeline (in date order) that may be taken back, if any."""
    if events and events[-1].kind not in (EventKind.ADMITTED, EventKind.TRANSFER_IN):
        return events[-1].pk
    return None


@transaction.atomic
def member_remove_event(*, actor: Any, event: MemberEvent, reason: str) -> None:
    """Take back the latest event of a record, entered by mistake, with the reason. The admission
    cannot be taken back (the record would have no history), nor a transfer in (it may have moved
    the record to another cell: a transfer out undoes it); the log keeps the removed event."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the event is removed.")})
    member = PartyMember.objects.select_for_update().get(pk=event.member_id)
    _check(actor, member)
    events = list(member.events.order_by("on", "pk"))
    event = next((e for e in events if e.pk == event.pk), event)
    if event.kind == EventKind.ADMITTED:
        raise ValidationError({"event": _("The admission cannot be removed; correct its date instead.")})
    if events[-1].pk != event.pk:
        raise ValidationError({"event": _("Only the latest event can be removed; correct the others.")})
    if event.kind == EventKind.TRANSFER_IN:
        # It may have moved the record to another cell here: undoing that is a transfer of its own.
        raise ValidationError({"event": _("A transfer in cannot be removed; record a transfer out instead.")})
    before = {**_masked(member), "event": audit.snapshot(event)}
    _replace_events(member, events[:-1])
    event.delete()
    _log_history_change(
        actor, member, "member.event_remove", before, {**_masked(member), "reason": reason.strip()}
    )


@dataclass(frozen=True)
class BadgeGrant:
    member: PartyMember
    years: int


@transaction.atomic
def badges_award(
    *,
    actor: Any,
    grants: Sequence[BadgeGrant],
    awarded_on: dt.date,
    decision_no: str,
    issuer: str = "",
    note: str = "",
) -> list[BadgeAward]:
    """Record Party badges given at a ceremony under one decision: all the grants or none. Each member must
    have reached the milestone by the ceremony (party age counted as the badge list counts it) and not
    hold that badge already; the ceremony cannot lie ahead. Audited one event per badge."""
    errors: dict[str, list[str]] = {}
    decision_no, issuer, note = (" ".join(v.split()) for v in (decision_no, issuer, note))
    if not decision_no:
        errors["decision_no"] = [_("Enter the number of the decision awarding the badges.")]
    if len(decision_no) > 60 or len(issuer) > 255 or len(note) > 500:
        errors.setdefault("decision_no", []).append(_("A field is longer than allowed."))
    if awarded_on > timezone.localdate():
        errors["awarded_on"] = [
            _("%(date)s is still ahead: record a badge once it has been given.")
            % {"date": format_date(awarded_on)}
        ]
    if not grants:
        errors["members"] = [_("Choose at least one member.")]
    wanted = {g.member.pk: g.years for g in grants}
    locked = list(
        PartyMember.objects.select_for_update()
        .filter(pk__in=wanted)
        .select_related("person")
        .prefetch_related("events", "badges")
        .order_by("person__sort_key", "pk")
    )
    problems: list[str] = []
    for member in locked:
        _check(actor, member)
        years, name = wanted[member.pk], member.person.full_name
        if years not in BADGE_MILESTONES:
            problems.append(
                _("%(name)s: %(years)s years is not a badge milestone.") % {"name": name, "years": years}
            )
            continue
        given = next((b for b in member.badges.all() if b.years == years), None)
        if given is not None:
            problems.append(
                _("%(name)s already received the %(years)s-year badge on %(date)s (decision %(no)s).")
                % {
                    "name": name,
                    "years": years,
                    "date": format_date(given.awarded_on),
                    "no": given.decision_no,
                }
            )
            continue
        state = replay(_as_events(member.events.all()))
        due = badge_date(state.admitted_on, years, state.gaps) if state.admitted_on else None
        if due is None or due > awarded_on:
            problems.append(
                _("%(name)s reaches %(years)s years of party age only on %(date)s.")
                % {"name": name, "years": years, "date": format_date(due) if due else "—"}
            )
    if problems:
        errors["members"] = problems
    if errors:
        raise ValidationError(errors)
    awards = BadgeAward.objects.bulk_create(
        BadgeAward(
            member=member,
            years=wanted[member.pk],
            awarded_on=awarded_on,
            decision_no=decision_no,
            issuer=issuer,
            note=note,
            recorded_by=actor,
        )
        for member in locked
    )
    for award in awards:
        audit.record(actor=actor, action="member.badge_award", instance=award, after=audit.snapshot(award))
    return awards
