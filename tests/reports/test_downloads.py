"""Downloading a document as Word and PDF: from its page and from the API, scoped like its page."""

from __future__ import annotations

import io
import sys

import docx
import pypdf
import pytest
import yaml
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from dangbo.core.models import AuditEvent
from tests.conftest import PASSWORD
from tests.documents.conftest import D, own
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def resolution(world, terms):
    return own(
        world.tct,
        "NQ",
        D(2021, 3, 27),
        number=69,
        summary="Về tăng cường hoạt động đổi mới, sáng tạo",
        body="I. MỤC TIÊU\nĐến năm 2025, mỗi chi bộ có ít nhất một sáng kiến.",
        signer_name="Nguyễn Văn Quyết",
        signer_post="T/M BAN THƯỜNG VỤ, BÍ THƯ",
        recipients="Các đảng bộ, chi bộ trực thuộc;\nLưu Văn phòng Đảng ủy.",
    )


@pytest.fixture
def secret(world, terms):
    return own(
        world.tct, "NQ", D(2022, 1, 5), summary="Về công tác bảo vệ chính trị nội bộ", secrecy="secret"
    )


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(texts)


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_document_page_links_to_both_downloads(resolution):
    html = client_for("member").get(reverse("documents:detail", args=[resolution.pk])).content.decode()
    assert f'href="/van-ban/{resolution.pk}/word/">Tải bản Word</a>' in html
    assert f'href="/van-ban/{resolution.pk}/pdf/">Tải bản PDF</a>' in html


def test_a_reader_downloads_word_in_the_partys_format_named_after_number_and_date(resolution):
    response = client_for("member").get(reverse("documents:word", args=[resolution.pk]))
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == (
        "attachment; filename=\"69-NQ-DU_2021-03-27.docx\"; filename*=UTF-8''69-NQ-%C4%90U_2021-03-27.docx"
    )
    assert response["Cache-Control"] == "private, no-store"
    text = docx_text(response.content)
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "ĐẢNG BỘ KHỐI THỬ NGHIỆM",
        "ĐẢNG ỦY TỔNG CÔNG TY THỬ NGHIỆM",
        "Số 69-NQ/ĐU",
        "Hà Nội, ngày 27 tháng 03 năm 2021",
        "NGHỊ QUYẾT",
        "Về tăng cường hoạt động đổi mới, sáng tạo",
        "I. MỤC TIÊU",
        "Đến năm 2025, mỗi chi bộ có ít nhất một sáng kiến.",
        "T/M BAN THƯỜNG VỤ",
        "BÍ THƯ",
        "Nguyễn Văn Quyết",
        "- Lưu Văn phòng Đảng ủy.",
    ):
        assert expected in text.splitlines(), expected


def test_a_reader_downloads_the_pdf(resolution, pdf_support):
    response = client_for("member").get(reverse("documents:pdf", args=[resolution.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="69-NQ-DU_2021-03-27.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    assert "ĐẢNG ỦY TỔNG CÔNG TY THỬ NGHIỆM" in text and "Hà Nội, ngày 27 tháng 03 năm 2021" in text
    assert not AuditEvent.objects.filter(action="document.export").exists()  # ordinary: not logged


@pytest.mark.parametrize("name", ["documents:word", "documents:pdf"])
def test_downloads_are_scoped_like_the_document_page(resolution, name):
    url = reverse(name, args=[resolution.pk])
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/dang-nhap/")
    assert client_for("outsider").get(url).status_code == 404  # another Tổng công ty's office
    assert client_for("norole").get(url).status_code == 404
    assert client_for("member").get(reverse(name, args=[resolution.pk + 1000])).status_code == 404


@pytest.mark.parametrize(("name", "fmt"), [("documents:word", "docx"), ("documents:pdf", "pdf")])
def test_a_confidential_document_is_exported_only_to_its_readers_and_each_export_is_logged(
    secret, name, fmt, request
):
    if fmt == "pdf":
        request.getfixturevalue("pdf_support")
    url = reverse(name, args=[secret.pk])
    for role in ("member", "secretary", "emulation", "sysadmin"):
        assert client_for(role).get(url).status_code == 404, role
    response = client_for("office").get(url)
    assert response.status_code == 200
    text = docx_text(response.content) if fmt == "docx" else pdf_text(response.content)
    assert "MẬT" in text
    event = AuditEvent.objects.get(action="document.export")
    assert (event.actor_label, event.object_id, event.after) == ("office", str(secret.pk), {"format": fmt})


def test_without_pdf_support_the_page_says_so_in_vietnamese_and_word_still_works(resolution, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # a machine without WeasyPrint/Pango
    member = client_for("member")
    response = member.get(reverse("documents:pdf", args=[resolution.pk]))
    assert response.status_code == 503
    html = response.content.decode()
    assert "Máy chủ chưa tạo được tệp PDF" in html
    assert f'href="/van-ban/{resolution.pk}/word/"' in html
    assert member.get(reverse("documents:word", args=[resolution.pk])).status_code == 200


# --- API -----------------------------------------------------------------------------------------


def api(username: str) -> APIClient:
    client = APIClient()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_the_api_exports_word_and_pdf_whatever_the_accept_header(resolution, pdf_support):
    client = api("member")
    word = client.get(f"/api/v1/documents/{resolution.pk}/word/", HTTP_ACCEPT=DOCX)
    assert word.status_code == 200 and word["Content-Type"] == DOCX
    assert "Số 69-NQ/ĐU" in docx_text(word.content).splitlines()
    pdf = client.get(f"/api/v1/documents/{resolution.pk}/pdf/", HTTP_ACCEPT="application/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert "filename*=UTF-8''69-NQ-%C4%90U_2021-03-27.pdf" in pdf["Content-Disposition"]


def test_the_api_exports_are_scoped_and_confidential_ones_logged(resolution, secret):
    assert APIClient().get(f"/api/v1/documents/{resolution.pk}/word/").status_code in (401, 403)
    assert api("outsider").get(f"/api/v1/documents/{resolution.pk}/word/").status_code == 404
    refused = api("member").get(f"/api/v1/documents/{secret.pk}/pdf/", HTTP_ACCEPT="application/pdf")
    assert refused.status_code == 404 and refused["Content-Type"] == "application/json"
    assert api("inspection").get(f"/api/v1/documents/{secret.pk}/word/").status_code == 200
    assert AuditEvent.objects.get(action="document.export").actor_label == "inspection"


def test_the_api_answers_503_in_vietnamese_without_pdf_support(resolution, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    response = api("member").get(f"/api/v1/documents/{resolution.pk}/pdf/")
    assert response.status_code == 503 and "Word" in response.json()["detail"]
    assert "Máy chủ chưa tạo được tệp PDF" in response.json()["detail"]


def test_the_schema_describes_the_exports_as_binary_files(world):
    schema = yaml.safe_load(Client().get("/api/v1/schema/").content)
    word = schema["paths"]["/api/v1/documents/{id}/word/"]["get"]["responses"]
    assert word["200"]["content"] == {DOCX: {"schema": {"type": "string", "format": "binary"}}}
    pdf = schema["paths"]["/api/v1/documents/{id}/pdf/"]["get"]["responses"]
    assert pdf["200"]["content"] == {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
    assert {"404", "503"} <= set(pdf)
