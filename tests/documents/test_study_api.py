"""API v1 for the study of documents: the same services and scope as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from dangbo.core.models import AuditEvent
from dangbo.documents import study
from dangbo.documents.models import StudyAssignment, StudyConfirmation
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
BASE = "/api/v1/study-assignments/"


def api(username: str) -> APIClient:
    client = APIClient()
    assert client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def on_tct(study_world, world):
    sw = study_world
    return study.study_assign(
        actor=None,
        document=sw.document,
        organisation=world.tct,
        start_on=sw.today - DAY,
        due_on=sw.today + 9 * DAY,
    )


def test_the_office_assigns_and_cancels(study_world, world):
    sw = study_world
    client = api("office")
    response = client.post(
        BASE,
        {
            "document": sw.document.pk,
            "organisation": world.grassroots.pk,
            "start_on": sw.today.isoformat(),
            "due_on": (sw.today + 10 * DAY).isoformat(),
            "note": "Học tại chi bộ",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["document_symbol"] == "09-CTr/ĐUK" and body["organisation_name"] == "Đảng bộ Cơ quan"
    pk = body["id"]
    assert api("secretary").post(f"{BASE}{pk}/cancel/", {"reason": "x"}, format="json").status_code == 403
    assert client.post(f"{BASE}{pk}/cancel/", {}, format="json").status_code == 400
    cancelled = client.post(f"{BASE}{pk}/cancel/", {"reason": "Giao nhầm"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["cancelled_on"] == sw.today.isoformat()


def test_a_refused_assignment_is_a_400_naming_the_field_in_vietnamese(study_world, world):
    sw = study_world
    client = api("office")
    events = AuditEvent.objects.count()
    response = client.post(
        BASE,
        {
            "document": sw.document.pk,
            "organisation": world.tct.pk,
            "start_on": sw.today.isoformat(),
            "due_on": (sw.today - DAY).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400 and "trước ngày bắt đầu" in response.json()["due_on"][0]
    unknown = client.post(BASE, {"document": sw.document.pk, "colour": "đỏ"}, format="json")
    assert unknown.status_code == 400 and "colour" in unknown.json()
    assert AuditEvent.objects.count() == events and not StudyAssignment.objects.exists()
    # out of the caller's scope: not found, whatever the payload
    outsider = api("outsider").post(
        BASE,
        {
            "document": sw.document.pk,
            "organisation": world.tct.pk,
            "start_on": sw.today.isoformat(),
            "due_on": (sw.today + DAY).isoformat(),
        },
        format="json",
    )
    assert outsider.status_code == 404


def test_lists_are_scoped_and_filtered(study_world, world, on_tct):
    assert [a["id"] for a in api("member").get(BASE).json()["results"]] == [on_tct.pk]
    assert api("outsider").get(BASE).json()["results"] == []
    office = api("office")
    assert office.get(BASE, {"document": study_world.document.pk}).json()["count"] == 1
    assert office.get(BASE, {"document": "abc"}).json()["count"] == 0
    assert office.get(BASE, {"organisation": world.cell_b.pk, "open": "1"}).json()["count"] == 1
    assert office.get(BASE, {"organisation": world.other_cell.pk}).json()["count"] == 0
    assert api("outsider").get(f"{BASE}{on_tct.pk}/").status_code == 404


def test_completion_by_organisation(study_world, world, on_tct):
    sw = study_world
    study.study_record(actor=None, assignment=on_tct, members=[sw.members["b1"]], studied_on=sw.today)
    body = api("office").get(f"{BASE}{on_tct.pk}/completion/").json()
    assert (body["organisation"], body["members"], body["confirmed"], body["left"], body["share"]) == (
        world.tct.pk,
        5,
        1,
        4,
        20.0,
    )
    assert [(c["name"], c["members"], c["confirmed"]) for c in body["children"]] == [
        ("Đảng bộ Cơ quan", 5, 1)
    ]
    cell = api("office").get(f"{BASE}{on_tct.pk}/completion/", {"organisation": world.cell_b.pk}).json()
    assert (cell["members"], cell["confirmed"], cell["children"]) == (2, 1, [])
    # the secretary reads their cell only
    mine = api("secretary").get(f"{BASE}{on_tct.pk}/completion/").json()
    assert (mine["name"], mine["members"], mine["confirmed"]) == ("Chi bộ Văn phòng", 3, 0)
    refused = api("secretary").get(f"{BASE}{on_tct.pk}/completion/", {"organisation": world.cell_b.pk})
    assert refused.status_code == 400 and "organisation" in refused.json()


def test_a_member_confirms_and_reads_their_studies(study_world, world, on_tct):
    client = api("member")
    response = client.post(f"{BASE}{on_tct.pk}/confirm/")
    assert response.status_code == 201 and response.json()["channel"] == "self"
    again = client.post(f"{BASE}{on_tct.pk}/confirm/")
    assert again.status_code == 400 and "đã xác nhận" in again.json()["assignment"][0]
    mine = client.get(f"{BASE}mine/").json()
    assert [(m["assignment"]["id"], m["state"], m["studied_on"]) for m in mine] == [
        (on_tct.pk, "done", study_world.today.isoformat())
    ]
    assert api("office").post(f"{BASE}{on_tct.pk}/confirm/").status_code == 404  # not a member
    assert api("office").get(f"{BASE}mine/").json() == []


def test_the_secretary_records_a_batch(study_world, world, on_tct):
    sw = study_world
    client = api("secretary")
    url = f"{BASE}{on_tct.pk}/confirmations/"
    response = client.post(
        url,
        {"members": [sw.members["a3"].pk, sw.members["member"].pk], "studied_on": sw.today.isoformat()},
        format="json",
    )
    assert response.status_code == 201 and len(response.json()) == 2
    assert {r["channel"] for r in response.json()} == {"meeting"}
    other = client.post(
        url, {"members": [sw.members["b1"].pk], "studied_on": sw.today.isoformat()}, format="json"
    )
    assert other.status_code == 400 and "members" in other.json()
    bad_channel = client.post(
        url,
        {"members": [sw.members["secretary"].pk], "studied_on": sw.today.isoformat(), "channel": "self"},
        format="json",
    )
    assert bad_channel.status_code == 400 and "channel" in bad_channel.json()
    assert api("member").post(url, {"members": [sw.members["a3"].pk]}, format="json").status_code == 403
    assert StudyConfirmation.objects.count() == 2
