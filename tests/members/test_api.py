"""API v1 for member records."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from dangbo.core.models import AuditEvent
from dangbo.orgs import services as org_services
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def api(username: str) -> APIClient:
    client = APIClient()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_admit_record_events_and_read_the_register(world, person):
    client = api("secretary")
    response = client.post(
        "/api/v1/members/",
        {
            "person": person.pk,
            "organisation": world.cell_a.pk,
            "admitted_on": "2024-03-10",
            "national_id": "001080012345",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    member = response.json()
    assert member["status"] == "probationary" and member["national_id"] == "•••••••••345"
    url = f"/api/v1/members/{member['id']}/events/"
    early = client.post(url, {"kind": "full_member", "on": "2025-01-01"}, format="json")
    assert early.status_code == 400 and "kind" in early.json()
    assert client.post(url, {"kind": "full_member", "on": "2025-03-20"}, format="json").status_code == 201
    assert [e["kind"] for e in client.get(url).json()] == ["admitted", "full_member"]
    listed = client.get("/api/v1/members/", {"organisation": world.cell_a.pk, "q": "tran thi thu"}).json()
    assert listed["count"] == 1 and listed["results"][0]["full_on"] == "2025-03-10"


def test_members_outside_scope_are_invisible(world, person):
    other = org_services.person_create(actor=None, full_name="Hồ Văn Xa", organisation=world.cell_b)
    response = api("office").post(
        "/api/v1/members/",
        {"person": other.pk, "organisation": world.cell_b.pk, "admitted_on": "2020-01-01"},
        format="json",
    )
    member_id = response.json()["id"]
    secretary = api("secretary")
    assert secretary.get(f"/api/v1/members/{member_id}/").status_code == 404
    assert secretary.get("/api/v1/members/", {"organisation": world.cell_b.pk}).json()["count"] == 0
    events = AuditEvent.objects.count()
    assert (
        secretary.post(
            f"/api/v1/members/{member_id}/events/", {"kind": "died", "on": "2024-01-01"}, format="json"
        ).status_code
        == 404
    )
    assert AuditEvent.objects.count() == events


def test_statistics_api(world, person):
    api("office").post(
        "/api/v1/members/",
        {"person": person.pk, "organisation": world.cell_a.pk, "admitted_on": "2020-01-01"},
        format="json",
    )
    data = api("leader").get("/api/v1/members/statistics/", {"organisation": world.tct.pk}).json()
    assert data["total"] == 1 and ["female", 1] in data["by"]["gender"]
    assert api("leader").get("/api/v1/members/statistics/", {"organisation": "abc"}).status_code == 400


def test_unknown_fields_and_bad_kinds_are_400(world, person):
    client = api("office")
    response = client.post(
        "/api/v1/members/",
        {"person": person.pk, "organisation": world.cell_a.pk, "admitted_on": "2020-01-01", "x": 1},
        format="json",
    )
    assert response.status_code == 400 and "x" in response.json()
