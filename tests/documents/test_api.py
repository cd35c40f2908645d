"""API v1 for the register of documents: the same services and scope as the pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from dangbo.core.models import AuditEvent
from dangbo.documents.models import Document
from tests.conftest import PASSWORD
from tests.documents.conftest import D, outside, own

pytestmark = pytest.mark.django_db


def api(username: str) -> APIClient:
    client = APIClient()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_register_read_filter_and_search_documents(world, terms):
    client = api("office")
    own(world.tct, "NQ", D(2021, 3, 27), number=69, summary="Nghị quyết về đổi mới, sáng tạo")
    proposal = client.get(
        "/api/v1/documents/next-number/",
        {"organisation": world.tct.pk, "type_code": "NQ", "on": "2021-04-01"},
    )
    assert proposal.json() == {"symbol": "70-NQ/ĐU", "number": 70, "term": "2020–2025"}
    response = client.post(
        "/api/v1/documents/",
        {
            "organisation": world.tct.pk,
            "own": True,
            "type_code": "NQ",
            "issued_on": "2021-04-02",
            "summary": "Nghị quyết về chuyển đổi số",
            "body": "Căn cứ Nghị quyết 69-NQ/ĐU ngày 27/3/2021",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["symbol"], created["type_name"], created["term"]) == (
        "70-NQ/ĐU",
        "Nghị quyết",
        created["term"],
    )
    listed = api("member").get("/api/v1/documents/", {"q": "chuyen doi so"}).json()
    assert [d["symbol"] for d in listed["results"]] == ["70-NQ/ĐU"] and "body" not in listed["results"][0]
    detail = api("member").get(f"/api/v1/documents/{created['id']}/").json()
    assert detail["body"].startswith("Căn cứ") and detail["issuer_org"] == world.tct.pk
    assert api("member").get("/api/v1/documents/", {"year": 2021, "type_code": "NQ"}).json()["count"] == 2
    assert api("member").get("/api/v1/documents/", {"issuer": "TW"}).json()["count"] == 0
    assert api("member").get("/api/v1/documents/", {"organisation": "abc"}).json()["count"] == 0


def test_bad_input_is_a_400_naming_the_field_in_vietnamese_and_saves_nothing(world, terms):
    own(world.tct, "NQ", D(2021, 3, 27), number=69)
    client = api("office")
    before = (Document.objects.count(), AuditEvent.objects.count())
    body = {
        "organisation": world.tct.pk,
        "own": True,
        "type_code": "NQ",
        "issued_on": "2021-05-01",
        "summary": "X",
    }
    for extra, field, words in (
        ({"number": "69"}, "number", "không bao giờ được cấp lại"),
        ({"number": "abc"}, "number", "từ 1 đến 9999"),
        ({"issued_on": "2999-01-01"}, "issued_on", "tương lai"),
        ({"issued_on": "2019-01-01"}, "issued_on", "nhiệm kỳ đầu tiên"),
        ({"own": False, "symbol": "28/ CT-TTg"}, "symbol", "dấu cách"),
        ({"colour": "red"}, "colour", ""),
    ):
        response = client.post("/api/v1/documents/", {**body, **extra}, format="json")
        assert response.status_code == 400, response.content
        assert words in " ".join(response.json()[field]), response.json()
    assert (Document.objects.count(), AuditEvent.objects.count()) == before


def test_a_file_can_be_sent_with_the_registration(world, terms):
    response = api("office").post(
        "/api/v1/documents/",
        {
            "organisation": world.tct.pk,
            "own": "false",
            "symbol": "03-CT/TW",
            "issuer_name": "Ban Bí thư",
            "issued_on": "2021-05-19",
            "summary": "Chỉ thị về Cuộc vận động",
            "file": SimpleUploadedFile("03-CT-TW.pdf", b"%PDF-1.5 chi thi"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["has_file"] is True


def test_chain_links_and_withdrawal(world, terms):
    directive = outside(world.tct, "03-CT/TW", D(2021, 5, 19))
    programme = outside(world.tct, "09-CTr/ĐUK", D(2021, 11, 11), implements="03-CT/TW")
    plan = own(world.tct, "KH", D(2021, 12, 10))
    client = api("office")
    link = client.post(
        f"/api/v1/documents/{plan.pk}/links/", {"target": programme.pk, "kind": "implements"}, format="json"
    )
    assert link.status_code == 201 and link.json()["kind"] == "implements"
    cycle = client.post(
        f"/api/v1/documents/{directive.pk}/links/", {"target": plan.pk, "kind": "implements"}, format="json"
    )
    assert cycle.status_code == 400 and "target" in cycle.json()
    chain = api("member").get(f"/api/v1/documents/{programme.pk}/chain/").json()
    assert chain["up"] == [{"from_doc": programme.pk, "to_doc": directive.pk, "kind": "implements"}]
    assert chain["down"] == [{"from_doc": plan.pk, "to_doc": programme.pk, "kind": "implements"}]
    assert {d["symbol"] for d in chain["documents"]} == {"03-CT/TW", "09-CTr/ĐUK", "01-KH/ĐU"}
    assert (
        api("member")
        .post(f"/api/v1/documents/{plan.pk}/withdraw/", {"reason": "x"}, format="json")
        .status_code
        == 403
    )
    withdrawn = client.post(
        f"/api/v1/documents/{plan.pk}/withdraw/", {"reason": "Sai thể thức"}, format="json"
    )
    assert withdrawn.json()["status"] == "withdrawn"
    unlink = client.post(f"/api/v1/documents/{plan.pk}/unlink/", {"link": link.json()["id"]}, format="json")
    assert unlink.status_code == 204 and not plan.links_out.exists()


def test_secret_and_out_of_scope_documents_are_invisible(world, terms):
    secret = own(world.tct, "KL", D(2021, 3, 1), secrecy=Document.Secrecy.SECRET)
    assert api("member").get(f"/api/v1/documents/{secret.pk}/").status_code == 404
    assert api("outsider").get(f"/api/v1/documents/{secret.pk}/chain/").status_code == 404
    assert api("leader").get(f"/api/v1/documents/{secret.pk}/").status_code == 200
    proposal = api("outsider").get(
        "/api/v1/documents/next-number/", {"organisation": world.tct.pk, "type_code": "NQ"}
    )
    assert proposal.status_code == 400 and "organisation" in proposal.json()


def test_the_schema_describes_the_document_routes(world):
    schema = api("office").get("/api/v1/schema/", {"format": "json"}).json()
    for path in (
        "/api/v1/documents/",
        "/api/v1/documents/{id}/",
        "/api/v1/documents/{id}/chain/",
        "/api/v1/documents/next-number/",
        "/api/v1/documents/{id}/withdraw/",
        "/api/v1/documents/{id}/links/",
        "/api/v1/documents/{id}/unlink/",
    ):
        assert path in schema["paths"], path
    assert "DocumentSecrecyEnum" in schema["components"]["schemas"]
