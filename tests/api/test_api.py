"""API v1: token and session auth, scoped reads, writes through services, 400s that name the field."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from dangbo.core.models import AuditEvent
from dangbo.orgs import services
from dangbo.orgs.models import Organisation
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def token_client(username: str) -> APIClient:
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": username, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def test_token_with_a_wrong_password_is_refused(world):
    response = APIClient().post("/api/v1/auth/token/", {"username": "office", "password": "x"}, format="json")
    assert response.status_code == 400


def test_anonymous_requests_are_refused(world):
    assert APIClient().get("/api/v1/organisations/").status_code in (401, 403)


def test_list_is_scoped_and_searchable(world):
    client = token_client("secretary")
    names = [o["name"] for o in client.get("/api/v1/organisations/").json()["results"]]
    assert names == ["Chi bộ Văn phòng"]
    office = token_client("office")
    found = office.get("/api/v1/units/", {"q": "buu dien ha noi"}).json()["results"]
    assert [u["name"] for u in found] == ["Bưu điện thành phố Hà Nội"]


def test_session_auth_works_too(world):
    client = APIClient()
    assert client.login(username="leader", password=PASSWORD)
    assert client.get("/api/v1/organisations/", {"parent": world.grassroots.pk}).json()["count"] == 2


def test_create_update_and_move_go_through_services(world):
    client = token_client("office")
    response = client.post(
        "/api/v1/organisations/",
        {"parent": world.grassroots.pk, "name": "Chi bộ Ban Số hóa", "kind": "cell"},
        format="json",
    )
    assert response.status_code == 201, response.content
    new_id = response.json()["id"]
    response = client.patch(f"/api/v1/organisations/{new_id}/", {"short_name": "CB Số hóa"}, format="json")
    assert response.status_code == 200 and response.json()["short_name"] == "CB Số hóa"
    other = client.post(
        "/api/v1/organisations/",
        {"parent": world.tct.pk, "name": "Đảng bộ Mới", "kind": "grassroots"},
        format="json",
    ).json()
    response = client.post(
        f"/api/v1/organisations/{new_id}/move/", {"new_parent": other["id"]}, format="json"
    )
    assert response.status_code == 200 and response.json()["parent"] == other["id"]
    actions = list(
        AuditEvent.objects.filter(object_type="orgs.organisation", object_id=str(new_id)).values_list(
            "action", flat=True
        )
    )
    assert actions == ["organisation.create", "organisation.update", "organisation.move"]


def test_unknown_field_is_a_400_naming_it(world):
    client = token_client("office")
    response = client.patch(f"/api/v1/organisations/{world.cell_a.pk}/", {"colour": "đỏ"}, format="json")
    assert response.status_code == 400
    assert "colour" in response.json()


def test_wrong_type_is_a_400_naming_the_field(world):
    client = token_client("office")
    response = client.post(
        "/api/v1/organisations/", {"parent": "abc", "name": "X", "kind": "cell"}, format="json"
    )
    assert response.status_code == 400 and "parent" in response.json()
    response = client.post(
        "/api/v1/organisations/", {"parent": world.grassroots.pk, "name": "X", "kind": "tổ"}, format="json"
    )
    assert response.status_code == 400 and "kind" in response.json()


def test_a_cycle_is_a_400_in_vietnamese_and_changes_nothing(world):
    client = token_client("office")
    events = AuditEvent.objects.count()
    response = client.post(
        f"/api/v1/organisations/{world.grassroots.pk}/move/", {"new_parent": world.cell_a.pk}, format="json"
    )
    assert response.status_code == 400
    assert "parent" in response.json() and "Đảng bộ Cơ quan" in response.json()["parent"][0]
    assert AuditEvent.objects.count() == events
    assert Organisation.objects.get(pk=world.grassroots.pk).parent == world.tct


def test_writes_outside_scope_are_not_found(world):
    client = token_client("outsider")
    response = client.patch(f"/api/v1/organisations/{world.cell_a.pk}/", {"name": "Chiếm"}, format="json")
    assert response.status_code == 404
    response = client.post(
        "/api/v1/organisations/", {"parent": world.cell_a.pk, "name": "X", "kind": "cell"}, format="json"
    )
    assert response.status_code == 404


def test_appointments_create_and_end(world, person):
    client = token_client("secretary")
    response = client.post(
        "/api/v1/appointments/",
        {
            "person": person.pk,
            "position": "bi-thu",
            "organisation": world.cell_a.pk,
            "starts_on": "2025-08-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    appointment_id = response.json()["id"]
    twice = client.post(
        "/api/v1/appointments/",
        {
            "person": person.pk,
            "position": "bi-thu",
            "organisation": world.cell_a.pk,
            "starts_on": "2025-09-01",
        },
        format="json",
    )
    assert twice.status_code == 400 and "person" in twice.json()
    ended = client.post(
        f"/api/v1/appointments/{appointment_id}/end/", {"ends_on": "2025-07-01"}, format="json"
    )
    assert ended.status_code == 400 and "ends_on" in ended.json()
    ended = client.post(
        f"/api/v1/appointments/{appointment_id}/end/", {"ends_on": "2026-01-31"}, format="json"
    )
    assert ended.status_code == 200 and ended.json()["ends_on"] == "2026-01-31"
    current = client.get("/api/v1/appointments/", {"organisation": world.cell_a.pk, "current": "1"}).json()
    assert current["count"] == 0


def test_bad_date_is_a_400_not_a_500(world, person):
    client = token_client("office")
    response = client.post(
        "/api/v1/appointments/",
        {
            "person": person.pk,
            "position": "bi-thu",
            "organisation": world.cell_a.pk,
            "starts_on": "31/12/2025",
        },
        format="json",
    )
    assert response.status_code == 400 and "starts_on" in response.json()


def test_schema_is_served(world, client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"/api/v1/organisations/" in response.content
    assert b"/api/v1/tasks/{id}/reports/" in response.content


def test_the_schema_is_complete_without_warnings(tmp_path):
    """Every route documented, no guessed types or colliding names (drf-spectacular's own check)."""
    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert (tmp_path / "schema.yml").read_text(encoding="utf-8").count("operationId:") >= 40


def test_setting_the_units_an_organisation_leads(world):
    client = token_client("office")
    url = f"/api/v1/organisations/{world.cell_b.pk}/units/"
    response = client.post(url, {"units": [world.head_office.pk]}, format="json")
    assert response.status_code == 200 and response.json()["units"] == [world.head_office.pk]
    outside = services.unit_create(actor=None, parent=None, name="Tập đoàn Khác", kind="corporation")
    response = client.post(url, {"units": [outside.pk, 999999]}, format="json")
    assert response.status_code == 400 and "units" in response.json()
    assert list(world.cell_b.units.values_list("pk", flat=True)) == [world.head_office.pk]
