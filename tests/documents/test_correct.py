"""Correcting a registered document's entry: what may change, with a reason kept in the log; what
identifies the document never changes; each refusal in Vietnamese, naming the field, saving nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangbo.core import audit
from dangbo.documents import selectors, services
from dangbo.documents.models import Document, DocumentLink
from tests.documents.conftest import D, outside, own
from tests.documents.test_views import errors_of
from tests.helpers import client_for, refused

pytestmark = pytest.mark.django_db


def correct(document: Document, actor=None, **changes):
    values = {name: getattr(document, name) for name in services.CORRECTABLE}
    values.update(changes)
    values.setdefault("reason", "Nhập sai khi vào sổ")
    return services.document_correct(actor=actor, document=document, **values)


def test_a_correction_changes_the_entry_keeps_the_number_and_logs_before_after_and_why(world, terms):
    office = world.users["office"]
    document = own(
        world.tct, "NQ", D(2021, 3, 27), number=69, summary="Nghi quyet ve doi moi", signer_name=""
    )
    corrected = correct(
        document,
        actor=office,
        summary="Nghị quyết về đổi mới, sáng tạo trong chuyển đổi số",
        signer_name="Nguyễn Thị Thu Hà",
        signer_post="T/M BAN THƯỜNG VỤ, BÍ THƯ",
        reason="Trích yếu gõ thiếu dấu",
    )
    corrected.refresh_from_db()
    assert (corrected.symbol, corrected.number, corrected.issued_on) == ("69-NQ/ĐU", 69, D(2021, 3, 27))
    assert corrected.summary == "Nghị quyết về đổi mới, sáng tạo trong chuyển đổi số"
    assert (corrected.signer_name, corrected.signer_post) == (
        "Nguyễn Thị Thu Hà",
        "T/M BAN THƯỜNG VỤ, BÍ THƯ",
    )
    found = selectors.register(office, selectors.Filters(query="chuyen doi so"))
    assert list(found) == [corrected]  # the search text follows the correction
    event = audit.history(corrected).order_by("-seq").first()
    assert event.action == "document.correct" and event.actor_id == office.pk
    assert event.before["summary"] == "Nghi quyet ve doi moi"
    assert (
        event.after["summary"].startswith("Nghị quyết về đổi mới")
        and event.after["reason"] == "Trích yếu gõ thiếu dấu"
    )


@pytest.mark.parametrize(
    ("field", "changes", "expected"),
    [
        ("reason", {"summary": "Trích yếu mới", "reason": "  "}, "lý do"),
        ("reason", {}, "Không có gì thay đổi"),
        ("summary", {"summary": " "}, "trích yếu"),
        ("secrecy", {"secrecy": "very_secret"}, "độ mật"),
    ],
)
def test_a_bad_correction_is_refused_and_changes_nothing(world, terms, field, changes, expected):
    document = own(world.tct, "TB", D(2022, 1, 10), summary="Thông báo kết luận")
    message = refused(field, correct, document, actor=world.users["office"], **changes)
    assert expected in message
    document.refresh_from_db()
    assert document.summary == "Thông báo kết luận"


def test_a_withdrawn_document_or_a_placeholder_is_not_corrected(world, terms):
    office = world.users["office"]
    withdrawn = own(world.tct, "TB", D(2022, 1, 10))
    services.document_withdraw(actor=office, document=withdrawn, reason="Ban hành nhầm")
    assert "đã thu hồi" in refused("summary", correct, withdrawn, actor=office, summary="Khác")
    own(world.tct, "KH", D(2022, 2, 1), body="Thực hiện Chỉ thị số 28/CT-TTg, ngày 26/10/2021")
    placeholder = Document.objects.get(symbol="28/CT-TTg", registered=False)
    assert "chưa vào sổ" in refused("summary", correct, placeholder, actor=office, summary="Khác")


def test_only_the_office_of_the_register_corrects_and_secrecy_needs_the_right_to_read_secrets(world, terms):
    document = own(world.tct, "KL", D(2022, 5, 5))
    for user in ("member", "secretary", "leader", "outsider", "inspection"):
        with pytest.raises(PermissionDenied):
            correct(document, actor=world.users[user], summary="Khác")
    message = refused("secrecy", correct, document, actor=world.users["sysadmin"], secrecy="secret")
    assert "văn bản mật" in message
    assert correct(document, actor=world.users["office"], secrecy="secret").secrecy == "secret"


def test_a_reference_added_by_the_correction_is_linked_and_existing_links_keep_their_relation(world, terms):
    directive = outside(world.tct, "03-CT/TW", D(2021, 5, 19), issuer_name="Ban Bí thư")
    plan = own(world.tct, "KH", D(2021, 7, 1), implements="03-CT/TW ngày 19/5/2021")
    assert plan.links_out.get().kind == DocumentLink.Kind.IMPLEMENTS
    correct(
        plan,
        actor=world.users["office"],
        body="Căn cứ Chỉ thị số 03-CT/TW, ngày 19/5/2021 và Chỉ thị số 28/CT-TTg, ngày 26/10/2021 của Thủ tướng",
    )
    links = {link.to_doc.symbol: link.kind for link in plan.links_out.select_related("to_doc")}
    assert links == {"03-CT/TW": DocumentLink.Kind.IMPLEMENTS, "28/CT-TTg": DocumentLink.Kind.CITES}
    assert directive.links_in.get().kind == DocumentLink.Kind.IMPLEMENTS
    assert not Document.objects.get(symbol="28/CT-TTg").registered  # noted for later, as at registration


def test_a_replacement_file_must_be_what_its_extension_says(world, terms):
    document = own(world.tct, "NQ", D(2021, 1, 5))
    fake = SimpleUploadedFile("nghi-quyet.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    assert "không phải là tệp .pdf" in refused("file", correct, document, actor=None, file=fake)
    real = SimpleUploadedFile("Nghị quyết 01 (bản ký).pdf", b"%PDF-1.7\n%...", content_type="application/pdf")
    corrected = correct(document, actor=None, file=real)
    assert corrected.file_name == "Nghị quyết 01 (bản ký).pdf"
    event = audit.history(corrected).order_by("-seq").first()
    assert event.before.get("file_sha256") is None and len(event.after["file_sha256"]) == 64


def test_the_page_shows_the_entry_and_saves_a_correction(world, terms):
    document = own(world.tct, "CTr", D(2021, 11, 11), summary="Chuong trinh hanh dong")
    office = client_for("office")
    url = reverse("documents:correct", args=[document.pk])
    page = office.get(url).content.decode()
    assert "Chuong trinh hanh dong" in page and "không sửa ở đây" in page
    detail = office.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert url in detail
    post = {"summary": "Chương trình hành động", "secrecy": "normal", "reason": ""}
    assert "Lý do sửa" in errors_of(office.post(url, post).content.decode())
    assert office.post(url, {**post, "reason": "Gõ thiếu dấu"}).status_code == 302
    document.refresh_from_db()
    assert document.summary == "Chương trình hành động"
    assert client_for("member").get(url).status_code == 403


def test_the_api_corrects_only_the_fields_sent(world, terms):
    document = own(world.tct, "BC", D(2022, 6, 30), summary="Báo cáo sơ kết", signer_name="Lê Văn Ký")
    office = client_for("office")
    url = reverse("document-correct", args=[document.pk])
    response = office.post(
        url, {"signer_post": "PHÓ BÍ THƯ", "reason": "Thiếu chức vụ"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["signer_post"], response.json()["summary"]) == ("PHÓ BÍ THƯ", "Báo cáo sơ kết")
    refusal = office.post(url, {"reason": "x", "summary": ""}, content_type="application/json")
    assert refusal.status_code == 400 and "summary" in refusal.json()
