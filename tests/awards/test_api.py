"""API v1 for awards: the catalogue, awards filtered by subject and year, a proposal refused with 400
naming `override` (nothing saved) and saved with it, moved on; a decision registered; bad input is a
400 naming the field, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from dangbo.awards.models import Award, Proposal
from dangbo.core.models import AuditEvent
from tests.awards.factories import give
from tests.conftest import PASSWORD, World

pytestmark = pytest.mark.django_db


def api(username: str) -> APIClient:
    client = APIClient()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_catalogue_and_awards_by_subject_and_year(world: World, person: Any) -> None:
    client = api("member")
    kinds = client.get("/api/v1/award-kinds/").json()["results"]
    assert {"CSTD_BO", "CO_CP", "BK_TTG", "GK"} <= {k["code"] for k in kinds}
    give(world.tct, "LDTT", 2024, person)
    give(world.tct, "GK", 2020, world.province)
    rows = client.get("/api/v1/awards/", {"person": person.pk, "year": "2024"}).json()["results"]
    assert [(r["code"], r["year"], r["subject_name"]) for r in rows] == [("LDTT", 2024, person.full_name)]
    # The member sees their cell's people, not the provincial post office.
    assert client.get("/api/v1/awards/", {"unit": world.province.pk}).json()["results"] == []
    assert api("office").get("/api/v1/awards/", {"unit": world.province.pk}).json()["count"] == 1
    assert client.get("/api/v1/awards/", {"year": "20x4"}).status_code == 400


def test_proposal_refused_then_overridden_then_moved_on(world: World, person: Any) -> None:
    give(world.tct, "CSTD_CS", 2025, person)
    client = api("emulation")
    body = {
        "code": "CSTD_BO",
        "year": 2025,
        "person": person.pk,
        "proposer_organisation": world.cell_a.pk,
        "achievements": "Sáng kiến cấp Bộ",
        "facts": {"initiatives": [{"year": 2025, "scope": "bo_nganh_tinh"}]},
    }
    events = AuditEvent.objects.count()
    response = client.post("/api/v1/award-proposals/", body, format="json")
    assert response.status_code == 400 and "2023, 2024" in response.json()["override"][0]
    assert AuditEvent.objects.count() == events and not Proposal.objects.exists()
    response = client.post(
        "/api/v1/award-proposals/", {**body, "override": True, "override_reason": "Đột xuất"}, format="json"
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["override"] and data["override_by"] == "emulation" and data["warnings"]
    pk = data["id"]
    moved = client.post(f"/api/v1/award-proposals/{pk}/transition/", {"to": "reviewed"}, format="json")
    assert moved.status_code == 200 and moved.json()["status"] == "reviewed"
    assert [s["to_status"] for s in moved.json()["steps"]] == ["proposed", "reviewed"]
    bad = client.post(f"/api/v1/award-proposals/{pk}/transition/", {"to": "failed"}, format="json")
    assert bad.status_code == 400 and "note" in bad.json()
    assert (
        api("office").post(f"/api/v1/award-proposals/{pk}/transition/", {"to": "failed"}).status_code == 403
    )
    decision = client.post(
        "/api/v1/award-decisions/",
        {
            "organisation": world.tct.pk,
            "number": "9/QĐ-BTTTT",
            "signed_on": "2026-01-15",
            "issuer": "Bộ trưởng",
            "issuer_level": "bo_nganh_tinh",
            "year": 2025,
            "proposals": [pk],
            "awards": [{"code": "GK", "unit": world.province.pk}],
        },
        format="json",
    )
    assert decision.status_code == 201, decision.json()
    assert Award.objects.count() == 3 and Proposal.objects.get().status == "decided"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": "NOPE"}, "code"),
        ({"person": None}, "person"),
        ({"year": 1800}, "year"),
        ({"achievements": ""}, "achievements"),
        ({"proposer_organisation": None}, "proposer_organisation"),
        ({"facts": {"task_rating": "great"}}, "facts"),
        ({"facts": {"members": -1}}, "facts"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_bad_proposal_input_names_the_field(
    world: World, person: Any, body: dict[str, Any], field: str
) -> None:
    good = {
        "code": "LDTT",
        "year": 2025,
        "person": person.pk,
        "proposer_organisation": world.cell_a.pk,
        "achievements": "Tốt",
    }
    client = api("emulation")
    events = AuditEvent.objects.count()
    response = client.post("/api/v1/award-proposals/", {**good, **body}, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert AuditEvent.objects.count() == events


def test_bad_decision_input_names_the_field(world: World, person: Any) -> None:
    client = api("emulation")
    good = {
        "organisation": world.tct.pk,
        "number": "1/QĐ",
        "signed_on": "2025-01-10",
        "issuer": "Tổng Giám đốc",
        "issuer_level": "co_so",
        "year": 2024,
        "awards": [{"code": "GK", "person": person.pk}],
    }
    for change, field in (
        ({"issuer_level": "x"}, "issuer_level"),
        ({"signed_on": "10/01/2025"}, "signed_on"),
        ({"awards": [{"code": "TTLDXS", "person": person.pk}]}, "awards"),
        ({"awards": []}, "awards"),
        ({"proposals": [999999]}, "proposals"),
    ):
        response = client.post("/api/v1/award-decisions/", {**good, **change}, format="json")
        assert response.status_code == 400 and field in response.json(), (change, response.json())
    assert client.post("/api/v1/award-decisions/", good, format="json").status_code == 201
    again = client.post("/api/v1/award-decisions/", good, format="json")
    assert again.status_code == 400 and "awards" in again.json()  # the same award twice
    assert api("office").post("/api/v1/award-decisions/", good, format="json").status_code == 403
