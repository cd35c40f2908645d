"""A cell with six full members and one probationary member, its secretary and a chair with logins,
and helpers that plan and record meetings through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from dangbo.meetings import services
from dangbo.meetings.models import Meeting
from dangbo.members import services as member_services
from dangbo.members.models import PartyMember
from dangbo.orgs import services as org_services
from dangbo.rules.roles import Role
from tests.conftest import make_user
from tests.documents.conftest import admit_member

D = dt.date
HOUR = dt.timedelta(hours=1)


@dataclass
class CellWorld:
    members: dict[str, PartyMember]
    chair_user: Any  # the cell's Bí thư, who chairs
    secretary_user: Any  # the minutes secretary (a member, not the office)


def full(member: PartyMember) -> PartyMember:
    member_services.member_record_event(actor=None, member=member, kind="full_member", on=D(2001, 1, 5))
    member.refresh_from_db()
    return member


@pytest.fixture
def cell(world: Any) -> CellWorld:
    chair_user = make_user("chair", role=Role.MEMBER, organisation=world.cell_a)
    secretary_user = make_user("minutes", role=Role.MEMBER, organisation=world.cell_a)
    members = {
        "chair": full(admit_member(world.cell_a, "Trần Văn Bình", "001075000002", chair_user)),
        "minutes": full(admit_member(world.cell_a, "Nguyễn Thị Lan", "001075000001", secretary_user)),
        "a3": full(admit_member(world.cell_a, "Lê Thị Cúc", "001075000003")),
        "a4": full(admit_member(world.cell_a, "Phạm Văn Dũng", "001075000004")),
        "a5": full(admit_member(world.cell_a, "Hoàng Thị Em", "001075000005")),
        "a6": full(admit_member(world.cell_a, "Đỗ Văn Hải", "001075000006")),
        "b1": full(admit_member(world.cell_b, "Vũ Văn Giang", "001075000007")),
    }
    person = org_services.person_create(
        actor=None,
        full_name="Bùi Thị Khánh",
        birth_date=D(1995, 3, 1),
        organisation=world.cell_a,
        is_party_member=True,
    )
    members["probation"] = member_services.member_admit(
        actor=None,
        person=person,
        organisation=world.cell_a,
        admitted_on=timezone.localdate() - dt.timedelta(days=60),
    )
    return CellWorld(members, chair_user, secretary_user)


def plan(world: Any, cell: CellWorld, *, held: bool = False, actor: Any = None, **fields: Any) -> Meeting:
    now = timezone.now()
    organisation = fields.pop("organisation", world.cell_a)
    data = {
        "kind": "cell_regular",
        "starts_at": now - 2 * HOUR if held else now + dt.timedelta(days=10),
        "place": "Phòng họp tầng 3",
        "chair": cell.members["chair"].person,
        "secretary": cell.members["minutes"].person,
        **fields,
    }
    return services.meeting_plan(
        actor=actor if actor is not None else world.users["secretary"],
        organisation=organisation,
        data=services.MeetingInput(**data),
        held=held,
    )


def mark(meeting: Meeting, **by_key: str) -> dict[int, tuple[str, str, bool]]:
    """Attendance marks by person name of the fixture: everyone present unless told; "approved" is
    absent with a reason the cell committee agreed to (left out of a vote's denominator)."""
    marks: dict[int, tuple[str, str, bool]] = {}
    for attendee in meeting.attendees.all():
        told = by_key.get(attendee.name, "present")
        presence = "excused" if told == "approved" else told
        marks[attendee.pk] = (presence, "Đi công tác" if presence == "excused" else "", told == "approved")
    return marks
