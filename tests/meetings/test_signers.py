"""Security test of December 2026, H1: minutes signed in someone else's name.

Who chaired a meeting and who took its minutes is fixed once the meeting is held (or once minutes
exist): the API and the service refuse a change in Vietnamese and change nothing (there is no page
that edits a meeting; the pages plan through the same service). An empty chair or secretary can still
be filled in, which changes the signed record, so a signature given before no longer counts. And the
name printed for a signature — on the meeting's page, in the API's minutes and in the Word and PDF
files — is the person linked to the login that signed, never a name copied when the draft was saved.
"""

from __future__ import annotations

import io
from typing import Any

import docx
import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from dangbo.core.models import AuditEvent
from dangbo.meetings import seal, services
from dangbo.meetings.models import Meeting, Minutes
from dangbo.reports.services import minutes_export
from dangbo.rules.roles import Role
from tests.conftest import make_user
from tests.documents.conftest import admit_member
from tests.meetings.conftest import HOUR, full
from tests.meetings.test_api import URL, Unchanged, api, marks_body, minutes_body
from tests.reports.conftest import pdf_support

__all__ = ["pdf_support"]

pytestmark = pytest.mark.django_db

FIXED = "không đổi được"  # the refusal says the chair/secretary can no longer change


@pytest.fixture
def boss(world: Any, cell: Any) -> Any:
    """The cell's secretary (she manages its meetings) with a person of her own in the cell, as
    bithuchibo in the report."""
    user = make_user("bithu", role=Role.CELL_SECRETARY, organisation=world.cell_a)
    full(admit_member(world.cell_a, "Ngô Khánh Huyền", "001075000022", user))
    return user


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def held_by_api(boss: Any, cell: Any, world: Any, **fields: Any) -> Meeting:
    """The report's steps 1-3: a held meeting chaired by a person with no login (Lê Thị Cúc), the
    attendance recorded and the draft minutes written, all by the cell secretary through the API."""
    now = timezone.now()
    body = {
        "kind": "cell_regular",
        "organisation": world.cell_a.pk,
        "starts_at": (now - 3 * HOUR).isoformat(),
        "ends_at": (now - HOUR).isoformat(),
        "chair": cell.members["a3"].person.pk,
        "secretary": cell.members["minutes"].person.pk,
        "held": True,
        "title": "RT forged chair",
        **fields,
    }
    client = api(boss)
    response = client.post(URL, body, format="json")
    assert response.status_code == 201, response.json()
    meeting = Meeting.objects.get(pk=response.json()["id"])
    assert (
        client.post(f"{URL}{meeting.pk}/attendance/", marks_body(meeting), format="json").status_code == 200
    )
    written = client.put(f"{URL}{meeting.pk}/minutes/", minutes_body(), format="json")
    assert written.status_code == 200, written.json()
    return meeting


def word_texts(content: bytes) -> tuple[list[str], list[str]]:
    """(every paragraph of the Word file, the paragraphs of the signature block's chair column)."""
    document = docx.Document(io.BytesIO(content))
    found = [p.text for p in document.paragraphs]
    found += [p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    foot = document.tables[-1]
    return found, [p.text for p in foot.cell(0, 1).paragraphs]


# --- The chair and the secretary are fixed once the meeting is held -------------------------------


def test_the_api_refuses_to_change_the_chair_or_secretary_after_the_meeting_is_held(world, cell, boss):
    meeting = held_by_api(boss, cell, world)
    client = api(boss)
    for body in (
        {"chair": boss.person.pk},  # the report: the secretary makes herself chair after the meeting
        {"secretary": boss.person.pk},  # its variant on meeting 49
        {"chair": None},
        {"chair": cell.members["chair"].person.pk, "place": "Phòng khác"},
    ):
        with Unchanged(meeting):
            response = client.patch(f"{URL}{meeting.pk}/", body, format="json")
            assert response.status_code == 400, body
            field = next(iter(k for k in body if k in ("chair", "secretary")))
            assert FIXED in response.json()[field][0], response.json()
    meeting.refresh_from_db()
    assert (meeting.chair_id, meeting.secretary_id) == (
        cell.members["a3"].person.pk,
        cell.members["minutes"].person.pk,
    )
    # the other fields still change, and sending the same chair again is no change
    same = {"chair": cell.members["a3"].person.pk, "place": "Phòng 301"}
    response = client.patch(f"{URL}{meeting.pk}/", same, format="json")
    assert response.status_code == 200 and response.json()["place"] == "Phòng 301"
    # so she cannot sign in the chair's name: she is neither chair nor secretary
    with Unchanged(meeting):
        assert client.post(f"{URL}{meeting.pk}/minutes/sign/").status_code in (400, 403)


def test_once_minutes_exist_the_chair_is_fixed_even_before_the_attendance(world, cell):
    now = timezone.now()
    meeting = services.meeting_plan(
        actor=world.users["secretary"],
        organisation=world.cell_a,
        data=services.MeetingInput(
            kind="cell_regular",
            starts_at=now - 2 * HOUR,
            chair=cell.members["chair"].person,
            secretary=cell.members["minutes"].person,
        ),
        held=True,
    )
    # begun, nobody marked yet (still "planned"), but the minutes are written
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.PLANNED)
    meeting.refresh_from_db()
    services.minutes_save(
        actor=cell.chair_user,
        meeting=meeting,
        data=services.MinutesInput(opened_at=now - 2 * HOUR, closed_at=now - HOUR, proceedings="Khai mạc."),
    )
    events = AuditEvent.objects.count()
    change = services.MeetingInput(
        kind=meeting.kind,
        starts_at=meeting.starts_at,
        chair=cell.members["a4"].person,
        secretary=cell.members["minutes"].person,
    )
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.meeting_update(actor=world.users["secretary"], meeting=meeting, data=change)
    assert FIXED in refused.value.message_dict["chair"][0]
    assert AuditEvent.objects.count() == events
    assert Meeting.objects.get(pk=meeting.pk).chair_id == cell.members["chair"].person.pk


def test_a_planned_meeting_still_changes_its_chair(world, cell):
    client = api("secretary")
    now = timezone.now()
    body = {
        "kind": "cell_regular",
        "organisation": world.cell_a.pk,
        "starts_at": (now + 48 * HOUR).isoformat(),
        "chair": cell.members["chair"].person.pk,
        "secretary": cell.members["minutes"].person.pk,
    }
    meeting = client.post(URL, body, format="json").json()["id"]
    response = client.patch(f"{URL}{meeting}/", {"chair": cell.members["a4"].person.pk}, format="json")
    assert response.status_code == 200 and response.json()["chair"] == cell.members["a4"].person.pk


def test_an_empty_chair_is_filled_after_the_meeting_and_voids_a_signature_given_before(world, cell, boss):
    meeting = held_by_api(boss, cell, world, chair=None)
    assert api(cell.secretary_user).post(f"{URL}{meeting.pk}/minutes/sign/").status_code == 200
    response = api(boss).patch(
        f"{URL}{meeting.pk}/", {"chair": cell.members["chair"].person.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    minutes = api(boss).get(f"{URL}{meeting.pk}/minutes/").json()
    # the record signed changed: the secretary's signature no longer counts and must be given again
    assert (minutes["secretary"]["signed"], minutes["secretary"]["stale"]) == (False, True)
    assert minutes["chair"]["name"] == "Trần Văn Bình"
    assert Minutes.objects.get(meeting=meeting).chair_name == "Trần Văn Bình"
    # filled once, it is fixed like any other
    response = api(boss).patch(f"{URL}{meeting.pk}/", {"chair": cell.members["a4"].person.pk}, format="json")
    assert response.status_code == 400 and FIXED in response.json()["chair"][0]


# --- The printed signer is the person whose login signed ------------------------------------------


def forged(world: Any, cell: Any, boss: Any) -> Meeting:
    """The report's end state, as a database written before the fix holds it: the draft minutes
    name Lê Thị Cúc as chair, then the chair was changed to the cell secretary (the PATCH the API
    allowed, done here on the row), she signed as chair and the secretary signed: sealed."""
    meeting = held_by_api(boss, cell, world)
    assert Minutes.objects.get(meeting=meeting).chair_name == "Lê Thị Cúc"
    Meeting.objects.filter(pk=meeting.pk).update(chair=boss.person)
    assert api(boss).post(f"{URL}{meeting.pk}/minutes/sign/").json()["chair"]["signed"] is True
    response = api(cell.secretary_user).post(f"{URL}{meeting.pk}/minutes/sign/")
    assert response.status_code == 200 and response.json()["sealed"] is True
    return Meeting.objects.select_related("organisation").get(pk=meeting.pk)


def test_the_api_and_the_page_name_the_person_whose_login_signed(world, cell, boss):
    meeting = forged(world, cell, boss)
    minutes = api("member").get(f"{URL}{meeting.pk}/minutes/").json()
    assert minutes["sealed"] is True
    assert (minutes["chair"]["name"], minutes["chair"]["signed"]) == ("Ngô Khánh Huyền", True)
    assert minutes["secretary"]["name"] == "Nguyễn Thị Lan"
    detail = api("member").get(f"{URL}{meeting.pk}/").json()["minutes"]
    assert detail["chair"]["name"] == "Ngô Khánh Huyền"
    page = login(world.users["member"]).get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Chủ trì (Ngô Khánh Huyền)" in page and "Chủ trì (Lê Thị Cúc)" not in page


def test_the_word_file_names_the_person_whose_login_signed(world, cell, boss):
    meeting = forged(world, cell, boss)
    lines, chair_column = word_texts(
        minutes_export(actor=world.users["member"], meeting=meeting, fmt="docx").content
    )
    assert chair_column[0] == "CHỦ TRÌ" and chair_column[-1] == "Ngô Khánh Huyền"
    assert any("Đã ký điện tử" in t for t in chair_column)
    assert "Chủ trì: đồng chí Ngô Khánh Huyền." in lines
    assert "Chủ trì: đồng chí Lê Thị Cúc." not in lines


def test_the_pdf_names_the_person_whose_login_signed(world, cell, boss, pdf_support):
    meeting = forged(world, cell, boss)
    response = login(world.users["member"]).get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Chủ trì: đồng chí Ngô Khánh Huyền." in text
    assert "Chủ trì: đồng chí Lê Thị Cúc" not in text
    signatures = text[text.rindex("CHỦ TRÌ") :]
    assert "Ngô Khánh Huyền" in signatures and "Lê Thị Cúc" not in signatures


def test_sealed_minutes_still_verify_after_the_names_are_read_from_the_signers(world, cell, boss):
    forged(world, cell, boss)
    assert list(seal.verify()) == []
