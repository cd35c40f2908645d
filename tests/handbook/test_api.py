"""The handbook through API v1: a member's meetings and notifications, an opinion sent and answered,
a correction asked; bad input named, nothing changed."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from dangbo.handbook.models import CorrectionRequest, Notification, Opinion
from dangbo.meetings import services as meeting_services
from tests.meetings.conftest import plan

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_member_reads_meetings_and_notifications_and_marks_them_read(world, cell):
    meeting = plan(world, cell, title="Họp tháng tới")
    meeting_services.meeting_invite(actor=world.users["secretary"], meeting=meeting, email=False)
    api = _api(cell.chair_user)
    mine = api.get("/api/v1/handbook/meetings/").json()
    assert [m["title"] for m in mine["upcoming"]] == ["Họp tháng tới"]
    assert mine["upcoming"][0]["counted"] is True and mine["past"] == []
    notes = api.get("/api/v1/handbook/notifications/").json()
    assert notes["count"] == 1 and notes["results"][0]["kind"] == "meeting_invite"
    assert api.post("/api/v1/handbook/notifications/read/", {}, format="json").json() == {"marked": 1}
    assert Notification.objects.filter(user=cell.chair_user, read_at__isnull=True).count() == 0
    # Another member's notifications are not theirs to mark.
    other = Notification.objects.create(
        user=cell.secretary_user, kind="opinion", title="x", created_at=meeting.starts_at
    )
    api.post("/api/v1/handbook/notifications/read/", {"ids": [other.pk]}, format="json")
    other.refresh_from_db()
    assert other.read_at is None


def test_an_opinion_through_the_api_and_its_answer(world, cell):
    api = _api(cell.chair_user)
    bad = api.post("/api/v1/handbook/opinions/", {"subject": "", "text": "Nội dung"}, format="json")
    assert bad.status_code == 400 and "subject" in bad.json()
    assert (
        api.post(
            "/api/v1/handbook/opinions/", {"subject": "x", "text": "y", "to": 1}, format="json"
        ).status_code
        == 400
    )
    assert Opinion.objects.count() == 0
    sent = api.post(
        "/api/v1/handbook/opinions/", {"subject": "Giờ họp", "text": "Họp sau 16 giờ"}, format="json"
    )
    assert sent.status_code == 201
    pk = sent.json()["id"]
    assert (
        api.post(
            f"/api/v1/handbook/opinions/{pk}/answer/", {"answer": "Tự trả lời"}, format="json"
        ).status_code
        == 403
    )
    office = _api(world.users["office"])
    assert [o["id"] for o in office.get("/api/v1/handbook/opinions/?to_answer=1").json()["results"]] == [pk]
    answered = office.post(f"/api/v1/handbook/opinions/{pk}/answer/", {"answer": "Đồng ý"}, format="json")
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    assert api.get(f"/api/v1/handbook/opinions/{pk}/").json()["answer"] == "Đồng ý"
    assert _api(world.users["outsider"]).get(f"/api/v1/handbook/opinions/{pk}/").status_code == 404


def test_a_correction_through_the_api(world, cell):
    api = _api(cell.chair_user)
    assert (
        api.post(
            "/api/v1/handbook/corrections/", {"field": "card_id", "requested_value": "1"}, format="json"
        ).status_code
        == 400
    )
    made = api.post(
        "/api/v1/handbook/corrections/",
        {"field": "languages", "requested_value": "Tiếng Anh B2"},
        format="json",
    )
    assert made.status_code == 201 and made.json()["status"] == "sent"
    again = api.post(
        "/api/v1/handbook/corrections/",
        {"field": "languages", "requested_value": "Tiếng Pháp"},
        format="json",
    )
    assert again.status_code == 400 and "field" in again.json()
    assert CorrectionRequest.objects.count() == 1
    assert [c["field"] for c in api.get("/api/v1/handbook/corrections/").json()["results"]] == ["languages"]
    assert _api(cell.secretary_user).get("/api/v1/handbook/corrections/").json()["results"] == []
