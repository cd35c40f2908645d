"""Hostile or careless input found by fuzzing the API: always a 4xx, never a 500, nothing changed."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from dangbo.core.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.fixture
def api(world) -> APIClient:
    client = APIClient()
    assert client.login(username="office", password=PASSWORD)
    return client


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/organisations/?limit={HUGE}",
        f"/api/v1/organisations/?limit=30&offset={HUGE}",
        "/api/v1/organisations/?offset=-5",
        f"/api/v1/appointments/?organisation={HUGE}",
        "/api/v1/appointments/?organisation=%C2%B2",  # "²" is a digit to str.isdigit()
        "/api/v1/appointments/?unit=abc",
        "/api/v1/units/?parent=1e3",
        "/api/v1/organisations/?q=%00chi%20bo",
        "/api/v1/organisations/?q=chi%20bo%CC%A3",  # NFD combining mark
    ],
)
def test_odd_query_strings_are_not_server_errors(api, url):
    response = api.get(url)
    assert response.status_code == 200, response.content[:300]


@pytest.mark.parametrize("pk", ["true", "abc", HUGE, "-1", "%C2%B2"])
def test_odd_ids_in_urls_are_404(api, pk):
    assert api.get(f"/api/v1/organisations/{pk}/").status_code == 404
    assert (
        api.post(f"/api/v1/appointments/{pk}/end/", {"ends_on": "2026-01-01"}, format="json").status_code
        == 404
    )
    assert api.post(f"/api/v1/organisations/{pk}/move/", {"new_parent": 1}, format="json").status_code == 404


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("organisations/", {"parent": int(HUGE), "name": "X", "kind": "cell"}, "parent"),
        ("organisations/", {"parent": [1], "name": "X", "kind": "cell"}, "parent"),
        ("organisations/", {"parent": 1, "name": "X\x00", "kind": "cell"}, "name"),
        ("organisations/", {"parent": 1, "name": "X" * 10_000, "kind": "cell"}, "name"),
        (
            "appointments/",
            {"person": int(HUGE), "position": "bi-thu", "organisation": 1, "starts_on": "2026-01-01"},
            "person",
        ),
        (
            "appointments/",
            {"person": 1, "position": "không-có", "organisation": 1, "starts_on": "2026-01-01"},
            "position",
        ),
    ],
)
def test_bad_bodies_are_400_naming_the_field(api, path, body, field):
    events = AuditEvent.objects.count()
    response = api.post(f"/api/v1/{path}", body, format="json")
    assert response.status_code == 400 and field in response.json(), response.content[:300]
    assert AuditEvent.objects.count() == events


def test_units_list_with_a_huge_id_is_a_400(api, world):
    response = api.post(
        f"/api/v1/organisations/{world.cell_a.pk}/units/", {"units": [int(HUGE)]}, format="json"
    )
    assert response.status_code == 400 and "units" in response.json()


def test_a_body_that_is_not_json_is_a_400(api, world):
    response = api.patch(
        f"/api/v1/organisations/{world.cell_a.pk}/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_a_json_body_nested_too_deeply_is_a_400(api, world):
    body = "[" * 5000 + "]" * 5000
    response = api.patch(f"/api/v1/organisations/{world.cell_a.pk}/", body, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize("name", ["\u202e\u200b", "   ", "—"])
def test_a_name_without_letters_is_refused(api, world, name):
    response = api.post(
        "/api/v1/organisations/", {"parent": world.grassroots.pk, "name": name, "kind": "cell"}, format="json"
    )
    assert response.status_code == 400 and "name" in response.json()


def test_drfs_own_refusals_are_in_vietnamese_in_every_app(api, world):
    # DRF words these in English; every input of API v1 words them in Vietnamese (api.base).
    response = api.post("/api/v1/organisations/", {"parent": "abc", "kind": "cell"}, format="json")
    body = response.json()
    assert response.status_code == 400
    assert body["parent"] == ["Hãy ghi một số nguyên."]
    assert body["name"] == ["Trường này là bắt buộc."]
