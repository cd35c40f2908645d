"""The place name an organisation prints before the date of its documents ("Hà Nội, ngày …")."""

from __future__ import annotations

import unicodedata

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from dangbo.core.models import AuditEvent
from dangbo.orgs import services
from tests.conftest import PASSWORD
from tests.helpers import client_for, refused

pytestmark = pytest.mark.django_db


def test_the_place_is_kept_in_nfc_single_spaced_and_audited(world):
    services.organisation_update(
        actor=world.users["office"],
        organisation=world.tct,
        place=unicodedata.normalize("NFD", " Thừa  Thiên Huế "),
    )
    world.tct.refresh_from_db()
    assert world.tct.place == "Thừa Thiên Huế"
    event = AuditEvent.objects.filter(action="organisation.update").latest("seq")
    assert (event.before["place"], event.after["place"]) == ("", "Thừa Thiên Huế")
    services.organisation_update(actor=None, organisation=world.tct, place="  ")
    world.tct.refresh_from_db()
    assert world.tct.place == ""
    assert "chữ" in refused(
        "place", services.organisation_update, actor=None, organisation=world.tct, place="--"
    )


def test_a_new_organisation_may_name_its_place(world):
    cell = services.organisation_create(
        actor=None, parent=world.grassroots, name="Chi bộ Đà Nẵng", kind="cell", place="Đà Nẵng"
    )
    assert cell.place == "Đà Nẵng"


def test_the_organisation_form_edits_the_place_and_the_unit_form_has_none(world):
    office = client_for("office")
    url = reverse("orgs:org_edit", args=[world.cell_a.pk])
    page = office.get(url).content.decode()
    assert 'name="place"' in page and "Địa danh ghi trên văn bản" in page
    data = {"name": world.cell_a.name, "short_name": "", "code": "", "kind": "cell", "place": "Hải Phòng"}
    assert office.post(url, data).status_code == 302
    world.cell_a.refresh_from_db()
    assert world.cell_a.place == "Hải Phòng"
    detail = office.get(reverse("orgs:org_detail", args=[world.cell_a.pk])).content.decode()
    assert "địa danh ghi trên văn bản <strong>Hải Phòng</strong>" in detail
    assert (
        'name="place"' not in office.get(reverse("orgs:unit_edit", args=[world.dept_a.pk])).content.decode()
    )


def test_the_api_reads_and_writes_the_place_of_organisations_only(world):
    client = APIClient()
    assert client.login(username="office", password=PASSWORD)
    response = client.patch(f"/api/v1/organisations/{world.cell_a.pk}/", {"place": "Cần Thơ"}, format="json")
    assert response.status_code == 200 and response.json()["place"] == "Cần Thơ"
    created = client.post(
        "/api/v1/organisations/",
        {"parent": world.grassroots.pk, "name": "Chi bộ Mới", "kind": "cell", "place": "Vinh"},
        format="json",
    )
    assert created.status_code == 201 and created.json()["place"] == "Vinh"
    unit = client.patch(f"/api/v1/units/{world.dept_a.pk}/", {"place": "Vinh"}, format="json")
    assert unit.status_code == 400 and "place" in unit.json()
