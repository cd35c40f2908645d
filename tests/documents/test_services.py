"""Registering documents: numbering per type and term, numbers typed by hand, references, placeholders,
withdrawal, links and their cycles — each refusal in Vietnamese, naming the field, saving nothing."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangbo.core import audit
from dangbo.core.models import AuditEvent
from dangbo.documents import selectors, services
from dangbo.documents.models import Document, DocumentCounter, DocumentLink
from dangbo.orgs import services as org_services
from tests.documents.conftest import D, outside, own
from tests.helpers import refused

pytestmark = pytest.mark.django_db

IMPLEMENTS, CITES = DocumentLink.Kind.IMPLEMENTS, DocumentLink.Kind.CITES


def test_numbers_run_from_01_per_type_and_restart_in_each_term(world, terms):
    first, second = terms
    assert own(world.tct, "NQ", D(2021, 1, 5)).symbol == "01-NQ/ĐU"
    assert own(world.tct, "NQ", D(2021, 2, 1)).symbol == "02-NQ/ĐU"
    assert own(world.tct, "CTr", D(2021, 2, 1)).symbol == "01-CTr/ĐU"
    next_term = own(world.tct, "NQ", D(2025, 9, 1))
    assert (next_term.symbol, next_term.term) == ("01-NQ/ĐU", second)
    assert own(world.tct, "NQ", D(2025, 7, 20)).symbol == "03-NQ/ĐU"  # the last day of the first term
    assert dict(DocumentCounter.objects.filter(term=first).values_list("type_code", "last")) == {
        "NQ": 3,
        "CTr": 1,
    }


def test_secret_documents_share_the_sequence(world, terms):
    own(world.tct, "KL", D(2021, 3, 1))
    secret = own(world.tct, "KL", D(2021, 3, 2), secrecy=Document.Secrecy.SECRET)
    assert secret.symbol == "02-KL/ĐU"
    assert own(world.tct, "KL", D(2021, 3, 3)).symbol == "03-KL/ĐU"


def test_a_number_typed_for_a_document_entered_after_the_fact_moves_the_proposal_on(world, terms):
    resolution = own(world.tct, "NQ", D(2021, 3, 27), number="69", signer_name="Nguyễn Văn Thử")
    assert (resolution.symbol, resolution.number, resolution.issuer_org) == ("69-NQ/ĐU", 69, world.tct)
    proposals = selectors.proposals(world.tct, D(2021, 4, 1))
    assert proposals.symbol(world.tct, "NQ") == "70-NQ/ĐU"
    assert proposals.symbol(world.tct, "KH") == "01-KH/ĐU"
    assert own(world.tct, "NQ", D(2021, 3, 28), number=12).symbol == "12-NQ/ĐU"  # an earlier gap
    assert own(world.tct, "NQ", D(2021, 4, 1)).symbol == "70-NQ/ĐU"


def test_a_used_number_is_refused_with_the_document_that_has_it(world, terms):
    own(world.tct, "NQ", D(2021, 3, 27), number=69, summary="Nghị quyết về đổi mới, sáng tạo")
    count = Document.objects.count()
    message = refused(
        "number", own, world.tct, "NQ", D(2021, 5, 1), number="69", summary="Một nghị quyết khác"
    )
    assert "69-NQ/ĐU ngày 27/03/2021" in message and "Nghị quyết về đổi mới, sáng tạo" in message
    assert "không bao giờ được cấp lại" in message
    assert Document.objects.count() == count


def test_a_withdrawn_number_is_never_given_again(world, terms, django_user_model):
    document = own(world.tct, "TB", D(2021, 6, 1))
    services.document_withdraw(actor=world.users["office"], document=document, reason="Ban hành nhầm")
    document.refresh_from_db()
    assert (document.status, document.withdrawal_reason) == ("withdrawn", "Ban hành nhầm")
    assert own(world.tct, "TB", D(2021, 6, 2)).symbol == "02-TB/ĐU"
    assert "nay đã thu hồi" in refused("number", own, world.tct, "TB", D(2021, 6, 3), number=1)


@pytest.mark.parametrize("number", ["6a", "0", "10000", "69-NQ", "-3", "٣"])
def test_a_malformed_number_is_refused(world, terms, number):
    message = refused("number", own, world.tct, "NQ", D(2021, 3, 27), number=number)
    assert "từ 1 đến 9999" in message
    assert not Document.objects.exists() and not DocumentCounter.objects.exists()


@pytest.mark.parametrize(
    ("symbol", "expected"),
    [("28 / CT-TTg", "dấu cách"), ("CT-TTg/28", "không đúng dạng"), ("", "Hãy nhập số và ký hiệu")],
)
def test_a_malformed_symbol_of_an_outside_document_is_refused(world, symbol, expected):
    assert expected in refused("symbol", outside, world.tct, symbol, D(2021, 10, 26))


def test_a_date_in_the_future_is_refused(world, terms):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert "tương lai" in refused("issued_on", own, world.tct, "NQ", tomorrow)
    assert "tương lai" in refused("issued_on", outside, world.tct, "28/CT-TTg", tomorrow)


def test_a_date_before_the_first_term_or_outside_every_term_is_refused(world, terms):
    message = refused("issued_on", own, world.tct, "NQ", D(2020, 8, 14))
    assert "trước ngày bắt đầu nhiệm kỳ đầu tiên" in message and "15/08/2020" in message
    org_services.term_create(
        actor=None,
        organisation=world.grassroots,
        name="2022–2025",
        starts_on=D(2022, 1, 1),
        ends_on=D(2025, 1, 1),
    )
    org_services.organisation_update(actor=None, organisation=world.grassroots, code="ĐU")
    assert "không thuộc nhiệm kỳ nào" in refused("issued_on", own, world.grassroots, "NQ", D(2025, 3, 1))


def test_an_organisation_without_an_issuer_code_cannot_number(world):
    org_services.term_create(
        actor=None, organisation=world.grassroots, name="2020–2025", starts_on=D(2020, 6, 1)
    )
    assert "chưa có mã cơ quan ban hành" in refused(
        "organisation", own, world.grassroots, "NQ", D(2021, 1, 1)
    )


@pytest.mark.parametrize(
    ("field", "extra"),
    [
        ("summary", {"summary": "  "}),
        ("type_code", {"type_code": "XYZ"}),
        ("secrecy", {"secrecy": "very"}),
        ("implements", {"implements": "Chỉ thị số 03 của Ban Bí thư"}),
    ],
)
def test_other_bad_input_names_its_field(world, terms, field, extra):
    args = {"type_code": "NQ", **extra}
    type_code = args.pop("type_code")
    refused(field, own, world.tct, type_code, D(2021, 1, 5), **args)
    assert not Document.objects.exists()


def test_an_outside_document_is_entered_once_per_register(world):
    first = outside(world.tct, "Chỉ thị số 28/CT-TTg", D(2021, 10, 26), issuer_name="Thủ tướng Chính phủ")
    assert (first.symbol, first.system, first.type_code, first.issuer_code, first.issuer_org) == (
        "28/CT-TTg",
        "state",
        "CT",
        "TTg",
        None,
    )
    assert "đã có trong sổ" in refused("symbol", outside, world.tct, "28/CT-TTg", D(2021, 10, 26))
    law = outside(world.tct, "06/2022/QH15", D(2022, 6, 15))
    assert (law.year, law.type_code) == (2022, "")


def test_references_link_to_documents_found_and_keep_placeholders_for_the_others(world, terms):
    directive = outside(world.tct, "03-CT/TW", D(2021, 5, 19), issuer_name="Ban Bí thư")
    plan = own(
        world.tct,
        "KH",
        D(2021, 12, 10),
        summary="Kế hoạch thực hiện Cuộc vận động",
        body=(
            "Thực hiện Chỉ thị số 03-CT/TW, ngày 19/5/2021 của Ban Bí thư; Chỉ thị số 28/CT-TTg, ngày "
            "26/10/2021 của Thủ tướng Chính phủ; Chỉ thị số 01-CT/ĐUK, ngày 21/12/2015; nhắc lại 03-CT/TW."
        ),
        implements="03-CT/TW ngày 19/5/2021",
    )
    links = {(link.to_doc.symbol, link.kind) for link in plan.links_out.select_related("to_doc")}
    assert links == {("03-CT/TW", IMPLEMENTS), ("28/CT-TTg", CITES), ("01-CT/ĐUK", CITES)}
    assert plan.links_out.get(kind=IMPLEMENTS).to_doc == directive
    placeholder = Document.objects.get(symbol="28/CT-TTg")
    assert (placeholder.registered, placeholder.issued_on, placeholder.organisation) == (
        False,
        D(2021, 10, 26),
        world.tct,
    )
    assert AuditEvent.objects.filter(action="document.placeholder").count() == 2
    assert AuditEvent.objects.filter(action="document.link").count() == 3


def test_entering_a_placeholder_completes_it_and_keeps_its_links(world, terms):
    plan = own(world.tct, "KH", D(2021, 12, 10), body="Theo Chỉ thị số 28/CT-TTg, ngày 26/10/2021.")
    placeholder = Document.objects.get(symbol="28/CT-TTg", registered=False)
    entered = outside(
        world.tct, "28/CT-TTg", D(2021, 10, 26), summary="Chỉ thị về Cuộc vận động", issuer_name="Thủ tướng"
    )
    assert entered.pk == placeholder.pk and entered.registered
    assert list(entered.links_in.values_list("from_doc", flat=True)) == [plan.pk]
    assert AuditEvent.objects.filter(action="document.complete", object_id=str(entered.pk)).count() == 1
    resolution = own(world.tct, "CT", D(2021, 12, 20), body="Căn cứ Nghị quyết 69-NQ/ĐU ngày 27/3/2021")
    number_69 = Document.objects.get(symbol="69-NQ/ĐU")
    entered_69 = own(world.tct, "NQ", D(2021, 3, 27), number=69)
    assert entered_69.pk == number_69.pk and entered_69.issuer_org == world.tct
    assert entered_69.links_in.get().from_doc == resolution


def test_references_are_looked_up_in_the_registers_above(world, terms):
    resolution = own(world.tct, "NQ", D(2021, 3, 27), number=69)
    in_cell = outside(
        world.cell_a, "05-BC/ĐU", D(2021, 4, 2), body="Thực hiện Nghị quyết 69-NQ/ĐU ngày 27/3/2021"
    )
    assert in_cell.links_out.get().to_doc == resolution
    elsewhere = outside(world.other_cell, "06-BC/ĐU", D(2021, 4, 2), body="Theo Nghị quyết 69-NQ/ĐU")
    assert elsewhere.links_out.get().to_doc.registered is False  # not the Tổng công ty's: not above it


def test_a_document_naming_itself_is_not_linked(world, terms):
    document = own(world.tct, "NQ", D(2021, 1, 5), body="Nghị quyết này (01-NQ/ĐU) có hiệu lực từ ngày ký.")
    assert not document.links_out.exists()


def test_links_refuse_a_document_implementing_itself_directly_or_through_a_cycle(world, terms):
    office = world.users["office"]
    a = outside(world.tct, "03-CT/TW", D(2021, 5, 19))
    b = outside(world.tct, "09-CTr/ĐUK", D(2021, 11, 11), implements="03-CT/TW ngày 19/5/2021")
    c = own(world.tct, "KH", D(2021, 12, 10), implements="09-CTr/ĐUK")
    assert "chính nó" in refused(
        "target", services.document_link, actor=office, source=a, target=a, kind="implements"
    )
    message = refused("target", services.document_link, actor=office, source=a, target=c, kind="implements")
    assert "01-KH/ĐU ngày 10/12/2021" in message and "03-CT/TW ngày 19/05/2021" in message
    refused("target", services.document_link, actor=office, source=a, target=b, kind="replaces")
    # Citing back is no cycle of implementation.
    assert services.document_link(actor=office, source=a, target=c, kind="cites").kind == "cites"
    assert DocumentLink.objects.count() == 3


def test_linking_again_changes_the_relation_and_unlinking_is_audited(world, terms):
    office = world.users["office"]
    a = outside(world.tct, "03-CT/TW", D(2021, 5, 19))
    plan = own(world.tct, "KH", D(2021, 12, 10), body="Theo Chỉ thị số 03-CT/TW")
    link = plan.links_out.get()
    assert link.kind == "cites"
    changed = services.document_link(actor=office, source=plan, target=a, kind="implements")
    assert changed.pk == link.pk and changed.kind == "implements"
    assert refused("kind", services.document_link, actor=office, source=plan, target=a, kind="obeys")
    services.document_unlink(actor=office, link=changed)
    assert not DocumentLink.objects.exists()
    actions = list(
        AuditEvent.objects.filter(object_type="documents.documentlink").values_list("action", flat=True)
    )
    assert actions == ["document.link", "document.link_change", "document.unlink"]


def test_withdrawal_needs_a_reason_and_happens_once(world, terms):
    office = world.users["office"]
    document = own(world.tct, "TB", D(2021, 6, 1))
    assert "lý do" in refused(
        "reason", services.document_withdraw, actor=office, document=document, reason=" "
    )
    services.document_withdraw(actor=office, document=document, reason="Sai thể thức")
    assert "đã bị thu hồi" in refused(
        "reason", services.document_withdraw, actor=office, document=document, reason="Lần nữa"
    )


def test_only_the_committee_office_of_the_register_may_register_and_link(world, terms):
    for user in ("member", "secretary", "leader", "outsider", "norole"):
        with pytest.raises(PermissionDenied):
            own(world.tct, "NQ", D(2021, 1, 5), actor=world.users[user])
    document = own(world.tct, "NQ", D(2021, 1, 5), actor=world.users["office"])
    assert document.created_by == world.users["office"]
    with pytest.raises(PermissionDenied):
        services.document_withdraw(actor=world.users["outsider"], document=document, reason="x")


def test_a_confidential_document_is_registered_only_by_those_who_may_read_it(world, terms):
    sysadmin = world.users["sysadmin"]
    message = refused(
        "secrecy", own, world.tct, "NQ", D(2021, 1, 5), actor=sysadmin, secrecy=Document.Secrecy.TOP_SECRET
    )
    assert "văn bản mật" in message
    assert own(world.tct, "NQ", D(2021, 1, 5), actor=sysadmin).symbol == "01-NQ/ĐU"


def test_an_attached_file_must_be_what_its_extension_says(world, terms):
    fake = SimpleUploadedFile("nghi-quyet.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    assert "không phải là tệp .pdf" in refused("file", own, world.tct, "NQ", D(2021, 1, 5), file=fake)
    exe = SimpleUploadedFile("nghi-quyet.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    assert "không thuộc loại được nhận" in refused("file", own, world.tct, "NQ", D(2021, 1, 5), file=exe)
    real = SimpleUploadedFile("Nghị quyết 01.pdf", b"%PDF-1.7\n%...", content_type="application/pdf")
    document = own(world.tct, "NQ", D(2021, 1, 5), file=real)
    assert document.file_name == "Nghị quyết 01.pdf"
    with document.file.open("rb") as stored:
        assert BytesIO(stored.read()).read(5) == b"%PDF-"


def test_every_write_is_in_the_audit_chain_with_the_text_by_its_hash(world, terms):
    document = own(world.tct, "NQ", D(2021, 1, 5), body="Nội dung nghị quyết " * 50)
    event = AuditEvent.objects.get(action="document.register")
    assert event.object_id == str(document.pk) and event.party_path == world.tct.path
    assert "body" not in event.after and len(event.after["body_sha256"]) == 64
    assert event.after["symbol"] == "01-NQ/ĐU"
    assert audit.verify()[1] is None


def test_placeholders_kept_below_are_replaced_when_the_document_is_registered_above(world, terms):
    report = outside(
        world.cell_a, "05-BC/CB", D(2021, 4, 2), body="Thực hiện Nghị quyết 69-NQ/ĐU ngày 27/3/2021"
    )
    early = Document.objects.get(symbol="69-NQ/ĐU")
    assert early.organisation == world.cell_a and not early.registered
    resolution = own(world.tct, "NQ", D(2021, 3, 27), number=69)
    assert not Document.objects.filter(pk=early.pk).exists()
    assert report.links_out.get().to_doc == resolution
    assert (
        AuditEvent.objects.filter(action="document.placeholder_merge", object_id=str(early.pk)).count() == 1
    )
    assert audit.verify()[1] is None


def test_documents_follow_their_organisation_when_it_moves(world, terms):
    report = outside(world.cell_a, "05-BC/CB", D(2021, 4, 2))
    new_home = org_services.organisation_create(
        actor=None, parent=world.tct, name="Đảng bộ Khối kinh doanh", kind="grassroots"
    )
    org_services.organisation_move(actor=None, organisation=world.cell_a, new_parent=new_home)
    report.refresh_from_db()
    assert report.org_path == f"{new_home.path}{world.cell_a.pk}/"
    assert "05-BC/CB" in set(
        selectors.documents_visible(world.users["member"]).values_list("symbol", flat=True)
    )
