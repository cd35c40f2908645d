"""Documents need committee terms (numbers restart in each) and a few ready-made registrations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from dangbo.documents import services
from dangbo.documents.models import Document
from dangbo.members import services as member_services
from dangbo.members.models import PartyMember
from dangbo.orgs import services as org_services
from dangbo.orgs.models import Organisation

D = dt.date
TERM_1 = (D(2020, 8, 15), D(2025, 7, 20))
TERM_2_START = D(2025, 7, 21)


@pytest.fixture
def terms(world: Any) -> Any:
    """The Tổng công ty committee's terms 2020–2025 and 2025–2030 (code ĐU in the fixture)."""
    first = org_services.term_create(
        actor=None, organisation=world.tct, name="2020–2025", starts_on=TERM_1[0], ends_on=TERM_1[1]
    )
    second = org_services.term_create(
        actor=None, organisation=world.tct, name="2025–2030", starts_on=TERM_2_START
    )
    return first, second


def own(
    organisation: Organisation, type_code: str, issued_on: dt.date, actor: Any = None, **extra: Any
) -> Document:
    """A Party document our organisation issues, numbered by the service."""
    fields: dict[str, Any] = {"summary": f"Văn bản {type_code} ngày {issued_on:%d/%m/%Y}", **extra}
    return services.document_register(
        actor=actor, organisation=organisation, own=True, type_code=type_code, issued_on=issued_on, **fields
    )


def outside(
    organisation: Organisation, symbol: str, issued_on: dt.date, actor: Any = None, **extra: Any
) -> Document:
    """A document of another body (Ban Bí thư, Thủ tướng …) entered in `organisation`'s register."""
    fields: dict[str, Any] = {"summary": f"Văn bản {symbol}", **extra}
    return services.document_register(
        actor=actor, organisation=organisation, own=False, symbol=symbol, issued_on=issued_on, **fields
    )


# --- Study (tests/documents/test_study*.py) --------------------------------------------------------


@dataclass
class StudyWorld:
    """The fixture world with members: three in cell_a (one is the "member" login, one the
    "secretary"), two in cell_b, one in the other corporation's cell, one removed in cell_a; and
    09-CTr/ĐUK in the Tổng công ty's register."""

    document: Document
    members: dict[str, PartyMember]
    today: dt.date


def admit_member(organisation: Organisation, name: str, national_id: str, user: Any = None) -> PartyMember:
    person = org_services.person_create(
        actor=None,
        full_name=name,
        gender="female",
        birth_date=D(1975, 4, 30),
        organisation=organisation,
        is_party_member=True,
    )
    if user is not None:
        org_services.person_link_user(actor=None, person=person, user=user)
    return member_services.member_admit(
        actor=None,
        person=person,
        organisation=organisation,
        admitted_on=D(2000, 1, 5),
        national_id=national_id,
    )


@pytest.fixture
def study_world(world: Any) -> StudyWorld:
    document = outside(world.tct, "09-CTr/ĐUK", D(2021, 11, 11), summary="Chương trình hành động")
    users = world.users
    members = {
        "member": admit_member(world.cell_a, "Nguyễn Thị Lan", "001075000001", users["member"]),
        "secretary": admit_member(world.cell_a, "Trần Văn Bình", "001075000002", users["secretary"]),
        "a3": admit_member(world.cell_a, "Lê Thị Cúc", "001075000003"),
        "b1": admit_member(world.cell_b, "Phạm Văn Dũng", "001075000004"),
        "b2": admit_member(world.cell_b, "Hoàng Thị Em", "001075000005"),
        "other": admit_member(world.other_cell, "Vũ Văn Giang", "001075000006", users["outsider"]),
        "removed": admit_member(world.cell_a, "Đỗ Văn Hải", "001075000007"),
    }
    member_services.member_record_event(
        actor=None, member=members["removed"], kind="removed", on=D(2020, 1, 1)
    )
    members["removed"].refresh_from_db()
    return StudyWorld(document, members, timezone.localdate())
