"""Every write to member records: admission and each later lifecycle event, audited.

The event list is the source of truth: a new event is accepted only if replaying all of the member's
events with it through `rules.membership.replay` succeeds; the derived fields are then rewritten.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangbo.core import audit
from dangbo.core.scoping import require
from dangbo.members import counts
from dangbo.members.labels import EVENT_LABELS, LIFECYCLE_ERRORS, STATUS_LABELS
from dangbo.members.models import MemberEvent, PartyMember
from dangbo.orgs.models import Organisation, Person
from dangbo.rules.membership import (
    CELL_KINDS_FOR_MEMBERS,
    Event,
    EventKind,
    LifecycleError,
    admission_age,
    replay,
)
from dangbo.rules.roles import Perm

RECORD_FIELDS = frozenset(PartyMember.RECORD_FIELDS)


def _check(actor: Any, instance: Any) -> None:
    if actor is not None:
        require(actor, Perm.PERSON_CHANGE, instance)


def _lifecycle_message(error: LifecycleError) -> str:
    status = STATUS_LABELS.get(error.status, "—") if error.status else _("not a member")  # type: ignore[call-overload]
    return str(LIFECYCLE_ERRORS[error.code]) % {"event": EVENT_LABELS[error.event.kind], "status": status}


def _events_of(member: PartyMember) -> list[Event]:
    return [Event(EventKind(e.kind), e.on, e.official) for e in member.events.order_by("on", "pk")]


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
    member = PartyMember(person=person, organisation=organisation, org_path=organisation.path, **record)
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
    audit.record(
        actor=actor,
        action=f"member.{event_kind.value}",
        instance=member,
        before=before,
        after={**audit.snapshot(member, exclude=("national_id",)), "event": audit.snapshot(event)},
    )
    return event
